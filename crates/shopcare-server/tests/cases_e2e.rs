//! The after-sales desk end to end over real HTTP: the platform double opens a return and
//! sends a signed webhook; the case appears in shopcare with the platform's deadline; an
//! operator rejects it through the API; the double receives one signed reject carrying the
//! outbox's idempotency key; the status reconciles from the webhook. The service is
//! restarted on the same store between the steps. Moving the double's clock past a second
//! case's deadline makes the platform approve it, and shopcare counts it as auto-approved
//! by neglect.

use reqwest::StatusCode;
use shopcare_core::{CaseId, ReturnStatus, ShopId};
use shopcare_platform_double::{
    DoubleConfig, DoubleHandle, PlatformDouble, WebhookConfig, World, WorldConfig,
};
use shopcare_server::clock::{Clock, SystemClock};
use shopcare_server::console::{self, hash_password};
use shopcare_server::platform::PlatformAccess;
use shopcare_server::service::{self, ServiceConfig};
use shopcare_server::webhook::WebhookCredentials;
use shopcare_store::{open_store, AccountRole, SecretKey, Store, UserAccount};
use shopcare_tiktok::{ClientConfig, TikTokClient};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

const APP_KEY: &str = "casekey";
const APP_SECRET: &str = "case-secret";
const PASSWORD: &str = "a long enough operator password";
const REJECT_REASON: &str = "seller_reject_apply_product_has_been_used";

struct Server {
    store: Arc<dyn Store>,
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// A fresh process on `store_url`: a new store handle, runner and HTTP server.
    async fn start(
        listener: tokio::net::TcpListener,
        store_url: &str,
        key: &SecretKey,
        platform_url: &str,
    ) -> Server {
        let store = open_store(store_url, key).await.expect("store opens");
        let clock: Arc<dyn Clock> = Arc::new(SystemClock);
        let access = PlatformAccess::new(store.clone(), client(platform_url), clock.clone());
        let (stop, shutdown) = tokio::sync::watch::channel(false);
        let config = ServiceConfig {
            webhook_credentials: Some(WebhookCredentials {
                app_key: APP_KEY.to_owned(),
                app_secret: APP_SECRET.to_owned(),
            }),
            sync_interval: None,
            worker_name: format!("e2e-{}", rand_suffix()),
            secure_cookies: false,
            metric_targets: Default::default(),
        };
        let task = tokio::spawn(service::run(
            store.clone(),
            Some(access),
            clock,
            config,
            listener,
            shutdown,
        ));
        Server { store, stop, task }
    }

    async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

fn rand_suffix() -> u32 {
    std::process::id() ^ (Instant::now().elapsed().subsec_nanos())
}

fn client(base_url: &str) -> TikTokClient {
    TikTokClient::new(ClientConfig {
        api_base_url: base_url.to_owned(),
        auth_base_url: base_url.to_owned(),
        ..ClientConfig::new(APP_KEY, APP_SECRET)
    })
    .expect("client")
}

/// Binds `address` again after a stop (the port may linger for a moment).
async fn rebind(address: SocketAddr) -> tokio::net::TcpListener {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match tokio::net::TcpListener::bind(address).await {
            Ok(listener) => return listener,
            Err(error) => {
                assert!(
                    Instant::now() < deadline,
                    "cannot rebind {address}: {error}"
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
}

/// A signed-in console session: cookie plus CSRF token for state-changing calls.
struct Session {
    base: String,
    http: reqwest::Client,
    cookie: String,
    csrf: String,
}

fn set_cookie(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .filter_map(|value| value.split(';').next())
        .filter_map(|pair| pair.split_once('='))
        .find(|(key, value)| *key == name && !value.is_empty())
        .map(|(_, value)| value.to_owned())
}

fn csrf_in(page: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = page.find(marker).expect("page has a CSRF field") + marker.len();
    page[start..].split('"').next().expect("token").to_owned()
}

impl Session {
    async fn sign_in(base: &str, username: &str) -> Session {
        // No pooled connections: the test restarts the server on the same address, and
        // a kept-alive connection to the stopped one would fail the next request.
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .build()
            .expect("http client");
        let form = http
            .get(format!("{base}/login"))
            .send()
            .await
            .expect("login form");
        let login_token = set_cookie(&form, console::LOGIN_CSRF_COOKIE).expect("login cookie");
        let response = http
            .post(format!("{base}/login"))
            .header(
                "cookie",
                format!("{}={login_token}", console::LOGIN_CSRF_COOKIE),
            )
            .form(&[
                ("username", username),
                ("password", PASSWORD),
                ("csrf_token", login_token.as_str()),
            ])
            .send()
            .await
            .expect("login");
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "signed in");
        let session = set_cookie(&response, console::SESSION_COOKIE).expect("session cookie");
        let cookie = format!("{}={session}", console::SESSION_COOKIE);
        let page = http
            .get(format!("{base}/"))
            .header("cookie", &cookie)
            .send()
            .await
            .expect("overview")
            .text()
            .await
            .expect("page");
        Session {
            base: base.to_owned(),
            http,
            cookie,
            csrf: csrf_in(&page),
        }
    }

    async fn get(&self, path: &str) -> (StatusCode, serde_json::Value) {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .send()
            .await
            .expect("get");
        let status = response.status();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    async fn post(&self, path: &str, body: &serde_json::Value) -> (StatusCode, serde_json::Value) {
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header(console::CSRF_HEADER, &self.csrf)
            .json(body)
            .send()
            .await
            .expect("post");
        let status = response.status();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    /// Polls `path` until `done` holds for its JSON (the runner works in the background).
    async fn wait_for(
        &self,
        path: &str,
        what: &str,
        done: impl Fn(&serde_json::Value) -> bool,
    ) -> serde_json::Value {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let (status, body) = self.get(path).await;
            if status == StatusCode::OK && done(&body) {
                return body;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}: {status} {body}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// Orders that can get a return: paid, in `shop`, without one yet.
fn returnable_orders(double: &DoubleHandle) -> Vec<String> {
    double.with_world(|world| {
        world
            .orders
            .iter()
            .enumerate()
            .filter(|(index, order)| {
                order.paid_time != 0
                    && order.status.as_str() == "DELIVERED"
                    && !world
                        .returns
                        .iter()
                        .any(|value| value.order == *index as u32)
            })
            .map(|(index, _)| World::order_id(index as u32).to_string())
            .take(2)
            .collect()
    })
}

async fn open_return(double: &DoubleHandle, order_id: &str) -> String {
    let response: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/_double/returns", double.base_url()))
        .json(&serde_json::json!({ "order_id": order_id }))
        .send()
        .await
        .expect("open return")
        .json()
        .await
        .expect("json");
    response["return_id"]
        .as_str()
        .expect("return id")
        .to_owned()
}

async fn wait_for_case(store: &Arc<dyn Store>, case_id: &str) -> shopcare_core::AfterSalesCase {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(case) = store.get_case(&CaseId::new(case_id)).await.expect("read") {
            return case;
        }
        assert!(Instant::now() < deadline, "case {case_id} never arrived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_return_is_rejected_through_the_api_and_neglect_is_counted() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let base = format!("http://{address}");
    let double = PlatformDouble::start(DoubleConfig {
        app_key: APP_KEY.to_owned(),
        app_secret: APP_SECRET.to_owned(),
        seller_auth_code: "code".to_owned(),
        world: WorldConfig {
            shops: 1,
            orders: 300,
            days: 30,
            seed: 11,
            as_of: chrono::Utc::now().date_naive(),
        },
        webhook: Some(WebhookConfig {
            url: format!("{base}/webhooks/tiktok"),
            time_scale: 600.0,
        }),
        ..DoubleConfig::default()
    })
    .await
    .expect("double");
    let reject_writes = |double: &DoubleHandle, case_id: &str| {
        let path = format!("/returns/{case_id}/reject");
        double
            .received_writes()
            .into_iter()
            .filter(|write| write.path.ends_with(&path))
            .collect::<Vec<_>>()
    };
    let directory = tempfile::tempdir().expect("temporary directory");
    let store_url = format!(
        "sqlite://{}",
        directory.path().join("shopcare.db").display()
    );
    let key = SecretKey::generate();

    // Process 1: connect the seller, add an operator.
    let server = Server::start(listener, &store_url, &key, &double.base_url()).await;
    let shops = PlatformAccess::new(
        server.store.clone(),
        client(&double.base_url()),
        Arc::new(SystemClock),
    )
    .connect("code")
    .await
    .expect("connect");
    let shop_id: ShopId = shops[0].id.clone();
    server
        .store
        .create_user(&UserAccount {
            username: "ops".to_owned(),
            password_hash: hash_password(PASSWORD).expect("hash"),
            role: AccountRole::Operator,
            shops: vec![shop_id.clone()],
            created_at: SystemClock.now(),
        })
        .await
        .expect("user");

    // The buyer opens a return; the signed webhook brings the case in.
    let orders = returnable_orders(&double);
    assert_eq!(orders.len(), 2, "the world has delivered orders");
    let case_id = open_return(&double, &orders[0]).await;
    let case = wait_for_case(&server.store, &case_id).await;
    assert_eq!(case.status, ReturnStatus::RequestPending);
    let platform_due = case.next_actions[0]
        .deadline
        .expect("the platform states a deadline");
    assert_eq!(
        platform_due.timestamp(),
        case.update_time.timestamp() + 2 * 86_400,
        "the double gives the seller two days"
    );
    let session = Session::sign_in(&base, "ops").await;
    let (status, queue) = session.get("/api/v1/cases").await;
    assert_eq!(status, StatusCode::OK);
    let entry = &queue["cases"][0];
    assert_eq!(entry["case_id"], case_id.as_str());
    assert_eq!(entry["deadline_origin"], "platform");
    assert_eq!(
        entry["due_at"]
            .as_str()
            .map(|due| chrono::DateTime::parse_from_rfc3339(due)
                .expect("time")
                .timestamp()),
        Some(platform_due.timestamp())
    );
    assert_eq!(entry["turn"], "seller");
    assert!(entry["allowed_actions"]
        .as_array()
        .expect("actions")
        .contains(&serde_json::json!("REJECT_RETURN")));
    assert_eq!(entry["checklist"]["dispute"], "damaged", "{entry}");

    // Restart between steps: nothing is lost.
    server.stop().await;
    let server = Server::start(rebind(address).await, &store_url, &key, &double.base_url()).await;

    // The operator rejects; the same command twice makes one action.
    let reject = serde_json::json!({
        "type": "reject",
        "reason": REJECT_REASON,
        "comment": "The seal on the returned unit is broken and it shows wear.",
        "images": ["img-unboxing-1"],
    });
    let (status, first) = session
        .post(&format!("/api/v1/cases/{case_id}/actions"), &reject)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{first}");
    let (status, again) = session
        .post(&format!("/api/v1/cases/{case_id}/actions"), &reject)
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    let action_id = first["action"]["action_id"]
        .as_str()
        .expect("action id")
        .to_owned();
    assert_eq!(again["action"]["action_id"], action_id.as_str());

    // The runner sends it once, with the action's idempotency key, and the double's
    // webhook reconciles the status.
    let detail = session
        .wait_for(
            &format!("/api/v1/cases/{case_id}"),
            "the reject to be confirmed",
            |body| body["actions"][0]["state"] == "confirmed",
        )
        .await;
    assert_eq!(detail["status"], ReturnStatus::RequestRejected.as_str());
    let writes = reject_writes(&double, &case_id);
    assert_eq!(
        writes.len(),
        1,
        "one reject reached the platform: {writes:?}"
    );
    assert_eq!(
        writes[0].idempotency_key.as_deref(),
        Some(action_id.as_str())
    );
    assert!(!writes[0].replayed);
    let sent: serde_json::Value = serde_json::from_str(&writes[0].body).expect("json body");
    assert_eq!(sent["decision"], "REJECT_RETURN");
    assert_eq!(sent["reject_reason"], REJECT_REASON);
    assert_eq!(sent["images"][0]["image_id"], "img-unboxing-1");
    assert!(
        writes[0].query.iter().any(|(name, _)| name == "sign"),
        "the call is signed"
    );
    let actions: Vec<&str> = detail["events"]
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|event| event["action"].as_str())
        .collect();
    for expected in ["opened", "action_requested", "rejected", "status_changed"] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    assert_eq!(
        detail["events"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["action"] == "rejected")
            .unwrap()["actor"],
        "ops",
        "the log says who acted"
    );

    // Another restart; repeating the command now is refused and sends nothing.
    server.stop().await;
    let server = Server::start(rebind(address).await, &store_url, &key, &double.base_url()).await;
    let (status, refused) = session
        .post(&format!("/api/v1/cases/{case_id}/actions"), &reject)
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(reject_writes(&double, &case_id).len(), 1);

    // A second return nobody answers: the double's clock passes the deadline and the
    // platform approves it.
    let neglected_id = open_return(&double, &orders[1]).await;
    wait_for_case(&server.store, &neglected_id).await;
    let (status, kpis) = session
        .get(&format!("/api/v1/shops/{shop_id}/case-kpis"))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(kpis["auto_approved_by_neglect"], 0);
    let advanced: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/_double/clock", double.base_url()))
        .json(&serde_json::json!({ "advance_seconds": 2 * 86_400 + 3_600 }))
        .send()
        .await
        .expect("clock")
        .json()
        .await
        .expect("json");
    assert!(advanced["auto_approved_returns"]
        .as_array()
        .expect("list")
        .contains(&serde_json::json!(neglected_id)));
    let kpis = session
        .wait_for(
            &format!("/api/v1/shops/{shop_id}/case-kpis"),
            "the neglect count",
            |body| body["auto_approved_by_neglect"] == 1,
        )
        .await;
    assert_eq!(kpis["cases"], 2);
    let (_, neglected) = session.get(&format!("/api/v1/cases/{neglected_id}")).await;
    assert_eq!(neglected["auto_approved_by_neglect"], true);
    let (_, rejected) = session.get(&format!("/api/v1/cases/{case_id}")).await;
    assert_eq!(
        rejected["auto_approved_by_neglect"], false,
        "the answered case is not counted"
    );

    // Other shops' cases are invisible to this operator.
    let (status, _) = session.get("/api/v1/shops/no-such-shop/case-kpis").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.stop().await;
    double.shutdown().await;
}

/// A buyer's cancellation request is a case too: it arrives by webhook, waits in the queue
/// on the platform's deadline with a suggestion, and an operator's approval reaches the
/// double once, with the outbox's idempotency key, across a restart.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancellation_request_is_queued_and_approved_once() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let base = format!("http://{address}");
    let double = PlatformDouble::start(DoubleConfig {
        app_key: APP_KEY.to_owned(),
        app_secret: APP_SECRET.to_owned(),
        seller_auth_code: "code".to_owned(),
        world: WorldConfig {
            shops: 1,
            orders: 300,
            days: 30,
            seed: 12,
            as_of: chrono::Utc::now().date_naive(),
        },
        webhook: Some(WebhookConfig {
            url: format!("{base}/webhooks/tiktok"),
            time_scale: 600.0,
        }),
        ..DoubleConfig::default()
    })
    .await
    .expect("double");
    let directory = tempfile::tempdir().expect("temporary directory");
    let store_url = format!(
        "sqlite://{}",
        directory.path().join("shopcare.db").display()
    );
    let key = SecretKey::generate();
    let server = Server::start(listener, &store_url, &key, &double.base_url()).await;
    let shops = PlatformAccess::new(
        server.store.clone(),
        client(&double.base_url()),
        Arc::new(SystemClock),
    )
    .connect("code")
    .await
    .expect("connect");
    server
        .store
        .create_user(&UserAccount {
            username: "ops".to_owned(),
            password_hash: hash_password(PASSWORD).expect("hash"),
            role: AccountRole::Operator,
            shops: vec![shops[0].id.clone()],
            created_at: SystemClock.now(),
        })
        .await
        .expect("user");

    // An order still waiting to ship, with no cancellation yet.
    let order_id = double.with_world(|world| {
        world
            .orders
            .iter()
            .enumerate()
            .find(|(index, order)| {
                order.status.as_str() == "AWAITING_SHIPMENT"
                    && !world
                        .cancellations
                        .iter()
                        .any(|value| value.order == *index as u32)
            })
            .map(|(index, _)| World::order_id(index as u32).to_string())
            .expect("the world has an order awaiting shipment")
    });
    let opened: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/_double/cancellations", double.base_url()))
        .json(&serde_json::json!({ "order_id": order_id }))
        .send()
        .await
        .expect("open cancellation")
        .json()
        .await
        .expect("json");
    let cancel_id = opened["cancel_id"].as_str().expect("cancel id").to_owned();
    let deadline = Instant::now() + Duration::from_secs(30);
    let cancellation = loop {
        if let Some(found) = server
            .store
            .get_cancellation(&cancel_id)
            .await
            .expect("read")
        {
            break found;
        }
        assert!(Instant::now() < deadline, "the cancellation never arrived");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let platform_due = cancellation
        .next_actions
        .iter()
        .find_map(|action| action.deadline)
        .expect("the platform states a deadline");

    let session = Session::sign_in(&base, "ops").await;
    let (status, queue) = session.get("/api/v1/cases").await;
    assert_eq!(status, StatusCode::OK);
    let entry = queue["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .find(|entry| entry["case_id"] == cancel_id.as_str())
        .expect("the cancellation is in the queue")
        .clone();
    assert_eq!(entry["kind"], "CANCELLATION");
    assert_eq!(entry["order_id"], order_id.as_str());
    assert_eq!(entry["deadline_origin"], "platform");
    assert_eq!(
        entry["due_at"]
            .as_str()
            .map(|due| chrono::DateTime::parse_from_rfc3339(due)
                .expect("time")
                .timestamp()),
        Some(platform_due.timestamp())
    );
    assert_eq!(entry["turn"], "seller");
    assert_eq!(
        entry["allowed_actions"],
        serde_json::json!(["APPROVE_CANCELLATION", "REJECT_CANCELLATION"])
    );
    assert_eq!(
        entry["suggestion"]["action"], "approve_request",
        "not shipped yet: {entry}"
    );

    // A partial refund makes no sense on a cancellation.
    let (status, _) = session
        .post(
            &format!("/api/v1/cases/{cancel_id}/actions"),
            &serde_json::json!({"type": "partial_refund", "amount": "1.00"}),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    server.stop().await;
    let server = Server::start(rebind(address).await, &store_url, &key, &double.base_url()).await;
    let approve = serde_json::json!({"type": "approve"});
    let (status, first) = session
        .post(&format!("/api/v1/cases/{cancel_id}/actions"), &approve)
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{first}");
    let (status, again) = session
        .post(&format!("/api/v1/cases/{cancel_id}/actions"), &approve)
        .await;
    assert_eq!(status, StatusCode::OK, "{again}");
    let action_id = first["action"]["action_id"]
        .as_str()
        .expect("action id")
        .to_owned();
    assert_eq!(again["action"]["action_id"], action_id.as_str());

    // Sent once; the webhook brings the approved status, and the queue lets it go.
    session
        .wait_for(
            "/api/v1/cases",
            "the cancellation to leave the queue",
            |body| {
                !body["cases"].as_array().is_some_and(|cases| {
                    cases
                        .iter()
                        .any(|case| case["case_id"] == cancel_id.as_str())
                })
            },
        )
        .await;
    let writes: Vec<_> = double
        .received_writes()
        .into_iter()
        .filter(|write| {
            write
                .path
                .ends_with(&format!("/cancellations/{cancel_id}/approve"))
        })
        .collect();
    assert_eq!(
        writes.len(),
        1,
        "one approval reached the platform: {writes:?}"
    );
    assert_eq!(
        writes[0].idempotency_key.as_deref(),
        Some(action_id.as_str())
    );
    assert!(writes[0].query.iter().any(|(name, _)| name == "sign"));
    let actions = server
        .store
        .case_actions(&cancel_id)
        .await
        .expect("actions");
    assert_eq!(actions.len(), 1);
    assert_eq!(actions[0].state, shopcare_store::CaseActionState::Confirmed);
    let events: Vec<String> = server
        .store
        .case_events(&cancel_id)
        .await
        .expect("events")
        .into_iter()
        .map(|event| event.event.action)
        .collect();
    for expected in ["opened", "action_requested", "approved", "status_changed"] {
        assert!(
            events.iter().any(|event| event == expected),
            "{expected} in {events:?}"
        );
    }
    server.stop().await;
    double.shutdown().await;
}
