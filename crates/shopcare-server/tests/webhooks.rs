//! The webhook receiver over real HTTP: signature, size, malformed bodies, dedupe, and
//! the whole path from a change on the platform double to the store.

use shopcare_platform_double::{DoubleConfig, PlatformDouble, WebhookConfig, WorldConfig};
use shopcare_server::clock::{Clock, SystemClock};
use shopcare_server::platform::PlatformAccess;
use shopcare_server::service::{self, ServiceConfig};
use shopcare_server::webhook::WebhookCredentials;
use shopcare_store::{open_store, SecretKey, Store};
use shopcare_tiktok::signing::webhook_signature;
use shopcare_tiktok::{ClientConfig, TikTokClient};
use std::sync::Arc;
use std::time::Duration;

const APP_KEY: &str = "hookkey";
const APP_SECRET: &str = "hook-secret";

struct Server {
    url: String,
    store: Arc<dyn Store>,
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
    _dir: tempfile::TempDir,
}

/// Webhook jobs in any state: a job once enqueued never disappears.
async fn webhook_jobs_ever(server: &Server) -> u64 {
    let counts = server
        .store
        .job_counts(Some(shopcare_server::webhook_processor::WEBHOOK_JOB))
        .await
        .expect("counts");
    counts.pending + counts.leased + counts.done + counts.dead
}

async fn start_server(listener: tokio::net::TcpListener, platform_url: Option<String>) -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("shopcare.db").display());
    let store = open_store(&url, &SecretKey::generate())
        .await
        .expect("store opens");
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let access = platform_url.map(|base_url| {
        let client = TikTokClient::new(ClientConfig {
            api_base_url: base_url.clone(),
            auth_base_url: base_url,
            ..ClientConfig::new(APP_KEY, APP_SECRET)
        })
        .expect("client");
        PlatformAccess::new(store.clone(), client, clock.clone())
    });
    let address = listener.local_addr().expect("address");
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let config = ServiceConfig {
        webhook_credentials: Some(WebhookCredentials {
            app_key: APP_KEY.to_owned(),
            app_secret: APP_SECRET.to_owned(),
        }),
        sync_interval: None,
        worker_name: "test".to_owned(),
        secure_cookies: false,
        metric_targets: Default::default(),
    };
    let task = tokio::spawn(service::run(
        store.clone(),
        access,
        clock,
        config,
        listener,
        shutdown,
    ));
    Server {
        url: format!("http://{address}/webhooks/tiktok"),
        store,
        stop,
        task,
        _dir: dir,
    }
}

impl Server {
    async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

async fn post(url: &str, body: &[u8], authorization: Option<String>) -> reqwest::StatusCode {
    let mut request = reqwest::Client::new().post(url).body(body.to_vec());
    if let Some(authorization) = authorization {
        request = request.header("Authorization", authorization);
    }
    request.send().await.expect("request sent").status()
}

fn event(notification_id: &str) -> Vec<u8> {
    format!(
        r#"{{"type":1,"tts_notification_id":"{notification_id}","shop_id":"7494049642642441621","timestamp":1700000300,"data":{{"order_id":"576486316948490001","order_status":"IN_TRANSIT","update_time":1700000300}}}}"#
    )
    .into_bytes()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_signatures_big_and_malformed_bodies_are_refused_and_nothing_is_stored() {
    let server = start_server(bind().await, None).await;
    let body = event("n-1");
    assert_eq!(post(&server.url, &body, None).await, 401);
    let signed_for_other_body = webhook_signature(APP_KEY, APP_SECRET, b"{}");
    assert_eq!(
        post(&server.url, &body, Some(signed_for_other_body)).await,
        401
    );
    let upper = webhook_signature(APP_KEY, APP_SECRET, &body).to_uppercase();
    assert_eq!(post(&server.url, &body, Some(upper)).await, 401);

    let malformed = b"{\"type\": 1, \"shop_id\": ".to_vec();
    let signature = webhook_signature(APP_KEY, APP_SECRET, &malformed);
    assert_eq!(post(&server.url, &malformed, Some(signature)).await, 400);

    let huge = vec![b' '; 1024 * 1024 + 1];
    let signature = webhook_signature(APP_KEY, APP_SECRET, &huge);
    assert_eq!(post(&server.url, &huge, Some(signature)).await, 413);

    assert_eq!(webhook_jobs_ever(&server).await, 0, "no job was enqueued");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redelivered_event_is_acknowledged_but_stored_once() {
    let server = start_server(bind().await, None).await;
    let body = event("n-dup");
    let signature = webhook_signature(APP_KEY, APP_SECRET, &body);
    for _ in 0..3 {
        assert_eq!(post(&server.url, &body, Some(signature.clone())).await, 200);
    }
    let stored = server
        .store
        .webhook_event("n-dup")
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        stored.body.as_bytes(),
        body.as_slice(),
        "the exact bytes are kept"
    );
    assert_eq!(stored.event_type, 1);
    assert_eq!(webhook_jobs_ever(&server).await, 1, "one processing job");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_concurrent_events_are_all_made_durable() {
    let server = start_server(bind().await, None).await;
    let client = reqwest::Client::new();
    let sends = (0..300).map(|index| {
        let body = event(&format!("burst-{index}"));
        let signature = webhook_signature(APP_KEY, APP_SECRET, &body);
        let request = client
            .post(&server.url)
            .header("Authorization", signature)
            .body(body);
        async move { request.send().await.expect("sent").status() }
    });
    let statuses = futures::future::join_all(sends).await;
    assert!(statuses.iter().all(|status| *status == 200));
    for index in [0, 150, 299] {
        assert!(server
            .store
            .webhook_event(&format!("burst-{index}"))
            .await
            .expect("read")
            .is_some());
    }
    server.stop().await;
}

async fn bind() -> tokio::net::TcpListener {
    tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_on_the_platform_reaches_the_store_through_a_signed_webhook() {
    // Bind our address first so the double knows where to send its webhooks.
    let listener = bind().await;
    let webhook_url = format!(
        "http://{}/webhooks/tiktok",
        listener.local_addr().expect("address")
    );
    let double = PlatformDouble::start(DoubleConfig {
        app_key: APP_KEY.to_owned(),
        app_secret: APP_SECRET.to_owned(),
        seller_auth_code: "code".to_owned(),
        world: WorldConfig {
            shops: 1,
            orders: 200,
            days: 30,
            seed: 5,
            as_of: chrono::Utc::now().date_naive(),
        },
        webhook: Some(WebhookConfig {
            url: webhook_url,
            time_scale: 600.0,
        }),
        ..DoubleConfig::default()
    })
    .await
    .expect("double");
    let server = start_server(listener, Some(double.base_url())).await;
    let client = TikTokClient::new(ClientConfig {
        api_base_url: double.base_url(),
        auth_base_url: double.base_url(),
        ..ClientConfig::new(APP_KEY, APP_SECRET)
    })
    .expect("client");
    let shops = PlatformAccess::new(server.store.clone(), client, Arc::new(SystemClock))
        .connect("code")
        .await
        .expect("connect");
    assert_eq!(shops.len(), 1);

    // An order awaiting shipment goes in transit on the platform.
    let order_id = double.with_world(|world| {
        world
            .orders
            .iter()
            .enumerate()
            .find(|(_, order)| order.status.as_str() == "AWAITING_SHIPMENT")
            .map(|(index, _)| shopcare_platform_double::World::order_id(index as u32).to_string())
            .expect("an order awaiting shipment")
    });
    let response = reqwest::Client::new()
        .post(format!(
            "{}/_double/orders/{order_id}/status",
            double.base_url()
        ))
        .json(&serde_json::json!({ "status": "IN_TRANSIT" }))
        .send()
        .await
        .expect("control route");
    assert!(response.status().is_success(), "{}", response.status());

    // The webhook arrives, is processed by a job that fetches the order, and the store has it.
    let order_id = shopcare_core::OrderId::new(order_id);
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(order) = server.store.get_order(&order_id).await.expect("read") {
            assert_eq!(order.status, shopcare_core::OrderStatus::InTransit);
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the order never arrived"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let attempts = double.webhook_attempts();
    assert!(!attempts.is_empty());
    server.stop().await;
    double.shutdown().await;
}
