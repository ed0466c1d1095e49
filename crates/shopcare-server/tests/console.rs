//! The console's security properties, over a real loopback server: per-route shop access
//! for operators, CSRF on every state-changing request, session rotation at sign-in,
//! sign-in throttling, and no password or session id in the logs; and the work pages
//! (review inbox, after-sales queue, scorecard) doing their job through the router.

use chrono::TimeZone;
use reqwest::redirect::Policy;
use reqwest::{Method, StatusCode};
use shopcare_core::{
    AfterSalesCase, AfterSalesKind, CaseId, Currency, Rating, ReturnStatus, Review, ReviewId, Shop,
    ShopId,
};
use shopcare_server::clock::{Clock, ManualClock};
use shopcare_server::console::{self, hash_password, ConsoleState, LoginLimits};
use shopcare_server::webhook::{WebhookIngest, WebhookState};
use shopcare_store::{
    open_store, AccountRole, AnalysisFilter, Record, SecretKey, Store, UserAccount,
};
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

const OWNER_PASSWORD: &str = "owner-secret-pass-1";
const OPERATOR_PASSWORD: &str = "operator-secret-pass-2";
const PER_ACCOUNT: u32 = 3;
const PER_ADDRESS: u32 = 6;

/// Everything any test in this binary logged, at every level.
fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_writer(move || LogWriter(sink.clone()))
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("one global subscriber");
        buffer
    })
    .clone()
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn shop(id: &str, name: &str) -> Shop {
    Shop {
        id: ShopId::new(id),
        cipher: format!("cipher-{id}"),
        name: name.to_owned(),
        region: "US".to_owned(),
        currency: Currency::parse("USD").expect("currency"),
        time_zone: chrono_tz::America::Los_Angeles,
    }
}

struct Console {
    base: String,
    client: reqwest::Client,
    store: Arc<dyn Store>,
    _directory: tempfile::TempDir,
}

/// A refund request about a damaged item, opened at `opened`.
fn refund_case(
    id: &str,
    shop: &str,
    status: ReturnStatus,
    opened: chrono::DateTime<chrono::Utc>,
) -> Record {
    Record::Case(AfterSalesCase {
        id: CaseId::new(id),
        shop_id: ShopId::new(shop),
        order_id: shopcare_core::OrderId::new(format!("order-{id}")),
        kind: AfterSalesKind::Refund,
        status,
        arbitration_status: None,
        role: None,
        reason: Some("damaged item".to_owned()),
        reason_text: None,
        refund_total: None,
        next_actions: Vec::new(),
        line_items: Vec::new(),
        return_tracking_number: None,
        create_time: opened,
        update_time: opened,
    })
}

/// A console on a loopback port: shops "S1" (Alpha Goods) and "S2" (Bravo Outlet), an
/// owner, and an operator assigned to S1 only.
async fn start_console() -> Console {
    captured_logs();
    let directory = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", directory.path().join("store.db").display());
    let store: Arc<dyn Store> = open_store(&url, &SecretKey::generate())
        .await
        .expect("store opens");
    store
        .upsert_shops(&[shop("S1", "Alpha Goods"), shop("S2", "Bravo Outlet")])
        .await
        .expect("shops saved");
    let clock = ManualClock::new(chrono::Utc.with_ymd_and_hms(2026, 11, 20, 9, 0, 0).unwrap());
    let now = clock.now();
    seed_work(&store, now).await;
    for (username, password, role, shops) in [
        ("owner", OWNER_PASSWORD, AccountRole::Owner, vec![]),
        (
            "operator",
            OPERATOR_PASSWORD,
            AccountRole::Operator,
            vec![ShopId::new("S1")],
        ),
    ] {
        let created = store
            .create_user(&UserAccount {
                username: username.to_owned(),
                password_hash: hash_password(password).expect("hash"),
                role,
                shops,
                created_at: now,
            })
            .await
            .expect("user saved");
        assert!(created);
    }
    let state = ConsoleState {
        login_limits: LoginLimits {
            window: chrono::Duration::minutes(15),
            per_account: PER_ACCOUNT,
            per_address: PER_ADDRESS,
        },
        ..ConsoleState::new(store.clone(), Arc::new(clock), false)
    };
    let webhooks = WebhookState {
        credentials: None,
        ingest: WebhookIngest::spawn(store.clone()),
        clock: state.clock.clone(),
    };
    let router = console::protect(
        shopcare_server::app::router(webhooks).merge(console::router(state.clone())),
        state,
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    tokio::spawn(shopcare_server::app::serve(
        listener,
        router,
        std::future::pending(),
    ));
    Console {
        base,
        client: reqwest::Client::builder()
            .redirect(Policy::none())
            .build()
            .expect("client"),
        store,
        _directory: directory,
    }
}

/// One negative review ("R1" in S1, "R2" in S2) and one pending refund request ("C1",
/// "C2") per shop, and an unanswered buyer chat in S1.
async fn seed_work(store: &Arc<dyn Store>, now: chrono::DateTime<chrono::Utc>) {
    let reviews: Vec<Review> = [("R1", "S1"), ("R2", "S2")]
        .into_iter()
        .map(|(id, shop)| Review {
            id: ReviewId::new(id),
            shop_id: ShopId::new(shop),
            order_id: None,
            product_id: None,
            sku_id: None,
            rating: Rating::new(1).expect("rating"),
            text: format!("Item arrived broken, very disappointed ({id} text)"),
            created_at: now - chrono::Duration::hours(3),
            source: "manual".to_owned(),
        })
        .collect();
    shopcare_server::reviews::ingest_reviews(store, &reviews, now)
        .await
        .expect("reviews ingested");
    // C3 waits for the buyer to ship the item back: listed only under "all open cases".
    let cases: Vec<Record> = [
        ("C1", "S1", ReturnStatus::RequestPending),
        ("C2", "S2", ReturnStatus::RequestPending),
        ("C3", "S1", ReturnStatus::AwaitingBuyerShip),
    ]
    .into_iter()
    .map(|(id, shop, status)| refund_case(id, shop, status, now - chrono::Duration::hours(2)))
    .collect();
    store.apply(&cases, None).await.expect("cases saved");
    // A buyer question in S1 nobody has answered for 14 hours (past the 12 h target).
    let asked = now - chrono::Duration::hours(14);
    store
        .apply(
            &[
                Record::Conversation(shopcare_core::Conversation {
                    id: shopcare_core::ConversationId::new("chat-S1"),
                    shop_id: ShopId::new("S1"),
                    buyer: Some(shopcare_core::BuyerId::new("buyer-1")),
                    create_time: asked,
                    update_time: asked,
                }),
                Record::Message(shopcare_core::Message {
                    id: shopcare_core::MessageId::new("chat-S1-1"),
                    conversation_id: shopcare_core::ConversationId::new("chat-S1"),
                    shop_id: ShopId::new("S1"),
                    index: 0,
                    sender_role: shopcare_core::SenderRole::Buyer,
                    kind: "TEXT".to_owned(),
                    text: "Where is my parcel?".to_owned(),
                    create_time: asked,
                    is_visible: true,
                }),
            ],
            None,
        )
        .await
        .expect("chat saved");
}

/// The value of cookie `name` set by `response`, if any (empty values count as cleared).
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

struct Signed {
    session: String,
    csrf: String,
}

impl Console {
    async fn login_response(
        &self,
        username: &str,
        password: &str,
        old_session: Option<&str>,
    ) -> reqwest::Response {
        let form = self
            .client
            .get(format!("{}/login", self.base))
            .send()
            .await
            .expect("login form");
        assert_eq!(form.status(), StatusCode::OK);
        let login_token = set_cookie(&form, console::LOGIN_CSRF_COOKIE).expect("login cookie");
        let page = form.text().await.expect("body");
        assert_eq!(csrf_in(&page), login_token);
        let mut cookies = format!("{}={login_token}", console::LOGIN_CSRF_COOKIE);
        if let Some(old) = old_session {
            cookies.push_str(&format!("; {}={old}", console::SESSION_COOKIE));
        }
        self.client
            .post(format!("{}/login", self.base))
            .header("cookie", cookies)
            .form(&[
                ("username", username),
                ("password", password),
                ("csrf_token", login_token.as_str()),
            ])
            .send()
            .await
            .expect("login post")
    }

    async fn sign_in(&self, username: &str, password: &str) -> Signed {
        let response = self.login_response(username, password, None).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let session = set_cookie(&response, console::SESSION_COOKIE).expect("session cookie");
        let page = self.get("/", Some(&session)).await;
        assert_eq!(page.status(), StatusCode::OK);
        let csrf = csrf_in(&page.text().await.expect("overview"));
        Signed { session, csrf }
    }

    async fn get(&self, path: &str, session: Option<&str>) -> reqwest::Response {
        self.request(Method::GET, path, session, None).await
    }

    async fn request(
        &self,
        method: Method,
        path: &str,
        session: Option<&str>,
        form_csrf: Option<&str>,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, format!("{}{path}", self.base));
        if let Some(session) = session {
            request = request.header("cookie", format!("{}={session}", console::SESSION_COOKIE));
        }
        let mut fields = vec![("done", "true")];
        if let Some(token) = form_csrf {
            fields.push(("csrf_token", token));
        }
        request.form(&fields).send().await.expect("request")
    }

    async fn post_form(
        &self,
        path: &str,
        signed: &Signed,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let mut fields = fields.to_vec();
        fields.push(("csrf_token", &signed.csrf));
        self.client
            .post(format!("{}{path}", self.base))
            .header(
                "cookie",
                format!("{}={}", console::SESSION_COOKIE, signed.session),
            )
            .form(&fields)
            .send()
            .await
            .expect("post")
    }
}

/// Every route that shows or changes one shop's data, with the other shop's id.
const SHOP_ROUTES: &[(&str, &str)] = &[
    ("GET", "/shops/S2"),
    ("GET", "/shops/S2/checklist"),
    ("POST", "/shops/S2/checklist/new-reviews"),
    ("GET", "/shops/S2/reviews"),
    ("GET", "/shops/S2/reviews?stars=negative"),
    ("POST", "/shops/S2/reviews/R2/handled"),
    ("POST", "/shops/S2/reviews/R2/report-candidate"),
    ("POST", "/shops/S2/reviews/R2/reply"),
    ("GET", "/shops/S2/cases"),
    ("POST", "/shops/S2/cases/C2/actions"),
    ("GET", "/shops/S2/scorecard"),
    ("GET", "/shops/S2/scorecard.csv"),
    ("GET", "/api/v1/shops/S2/reviews"),
    ("GET", "/api/v1/shops/S2/cases"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operators_cannot_reach_other_shops_on_any_route() {
    let console = start_console().await;
    let operator = console.sign_in("operator", OPERATOR_PASSWORD).await;
    let owner = console.sign_in("owner", OWNER_PASSWORD).await;
    for (method, path) in SHOP_ROUTES {
        let method = Method::from_bytes(method.as_bytes()).expect("method");
        let response = console
            .request(
                method.clone(),
                path,
                Some(&operator.session),
                Some(&operator.csrf),
            )
            .await;
        let status = response.status();
        let body = response.text().await.expect("body");
        assert!(
            status == StatusCode::NOT_FOUND || status == StatusCode::FORBIDDEN,
            "operator got {status} on {method} {path}"
        );
        assert!(
            !body.contains("Bravo Outlet"),
            "{method} {path} leaked the shop"
        );
        // Anonymous requests never get through either.
        let anonymous = console.request(method.clone(), path, None, None).await;
        assert!(
            matches!(
                anonymous.status(),
                StatusCode::SEE_OTHER | StatusCode::UNAUTHORIZED
            ),
            "anonymous got {} on {method} {path}",
            anonymous.status()
        );
        if path.starts_with("/api/") {
            assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
        }
    }
    // The console's own pages do show S2 to the owner, so the 404s above mean something.
    for path in [
        "/shops/S2",
        "/shops/S2/checklist",
        "/",
        "/shops/S2/reviews",
        "/shops/S2/cases",
        "/shops/S2/scorecard",
        "/reviews",
        "/cases",
    ] {
        let response = console.get(path, Some(&owner.session)).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        assert!(response
            .text()
            .await
            .expect("body")
            .contains("Bravo Outlet"));
    }
    // The overview, the all-shops pages and the operator's own shop show S1 only.
    for path in [
        "/",
        "/shops/S1",
        "/shops/S1/checklist",
        "/reviews",
        "/cases",
        "/shops/S1/reviews",
        "/shops/S1/cases",
        "/shops/S1/scorecard",
    ] {
        let response = console.get(path, Some(&operator.session)).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let page = response.text().await.expect("body");
        assert!(page.contains("Alpha Goods"), "{path}");
        assert!(
            !page.contains("Bravo Outlet"),
            "{path} leaked the other shop"
        );
        assert!(
            !page.contains("/shops/S2"),
            "{path} links to the other shop"
        );
        assert!(
            !page.contains("R2 text") && !page.contains(">C2<"),
            "{path} shows the other shop's work"
        );
    }
    // The overview's standing of S1: its negative review waits for a reply, its chat is
    // past the response target, and the SNRR is shown against the US target.
    let overview = console
        .get("/", Some(&operator.session))
        .await
        .text()
        .await
        .expect("body");
    assert!(
        overview.contains(r#"1–2★ reviews waiting for a reply</dt><dd class="alert">1</dd>"#),
        "{overview}"
    );
    assert!(
        overview.contains(r#"Chats past the 12 h response target</dt><dd class="alert">1</dd>"#),
        "{overview}"
    );
    assert!(overview.contains("SNRR (30 d) vs target"));
    // Bulk actions naming another shop's review are refused as a whole.
    let bulk = console
        .post_form(
            "/reviews/bulk-handled",
            &operator,
            &[("review_id", "S1/R1"), ("review_id", "S2/R2")],
        )
        .await;
    assert_eq!(bulk.status(), StatusCode::NOT_FOUND);
    let handled = console
        .store
        .list_review_analyses(&AnalysisFilter {
            handled: Some(true),
            limit: 10,
            ..AnalysisFilter::default()
        })
        .await
        .expect("analyses");
    assert!(handled.is_empty(), "nothing was marked handled");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_work_pages_filter_reply_act_and_export() {
    let console = start_console().await;
    let owner = console.sign_in("owner", OWNER_PASSWORD).await;

    // Filters: negatives of S1 show R1; 4★ shows nothing; nonsense is reported, not run.
    let negatives = console
        .get("/shops/S1/reviews?stars=negative", Some(&owner.session))
        .await;
    assert_eq!(negatives.status(), StatusCode::OK);
    let page = negatives.text().await.expect("page");
    assert!(page.contains("R1 text") && !page.contains("R2 text"));
    let four = console
        .get("/shops/S1/reviews?stars=4", Some(&owner.session))
        .await;
    assert!(!four.text().await.expect("page").contains("R1 text"));
    let bad = console
        .get("/shops/S1/reviews?stars=9", Some(&owner.session))
        .await;
    assert!(bad
        .text()
        .await
        .expect("page")
        .contains("Filter not applied"));

    // A non-compliant reply is refused by the server with the finding highlighted.
    let blocked = console
        .post_form(
            "/shops/S1/reviews/R1/reply",
            &owner,
            &[("text", "Sorry! Change your review to 5 stars and we send a voucher, WhatsApp me at +1 415 555 0100")],
        )
        .await;
    assert_eq!(blocked.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = blocked.text().await.expect("page");
    assert!(page.contains("<mark class=\"finding\""), "{page}");
    assert!(page.contains("Reply blocked"));
    let drafts = console.store.reply_drafts("R1").await.expect("drafts");
    assert!(drafts.len() == 1 && drafts[0].blocked);
    let replied = console
        .get("/shops/S1/reviews?replied=yes", Some(&owner.session))
        .await;
    assert!(
        !replied.text().await.expect("page").contains("R1 text"),
        "a blocked reply is no reply"
    );

    // A compliant one goes through and the review counts as replied.
    let sent = console
        .post_form(
            "/shops/S1/reviews/R1/reply",
            &owner,
            &[("text", "We are sorry the item arrived damaged. Please message us in the TikTok Shop chat and we will sort it out."), ("back", "/shops/S1/reviews")],
        )
        .await;
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let location = sent.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(
        location.starts_with("/shops/S1/reviews?sent=R1"),
        "{location}"
    );
    let replied = console
        .get("/shops/S1/reviews?replied=yes", Some(&owner.session))
        .await;
    assert!(replied.text().await.expect("page").contains("R1 text"));

    // Report flag and mark handled.
    for (flag, path) in [
        ("report_candidate", "report-candidate"),
        ("handled", "handled"),
    ] {
        let response = console
            .post_form(
                &format!("/shops/S1/reviews/R1/{path}"),
                &owner,
                &[("value", "true"), ("back", "https://evil.example/")],
            )
            .await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{flag}");
        assert!(response.headers()["location"]
            .to_str()
            .expect("location")
            .starts_with("/shops/S1/reviews#"));
    }
    let row = console
        .store
        .list_review_analyses(&AnalysisFilter {
            review_id: Some("R1".to_owned()),
            limit: 1,
            ..AnalysisFilter::default()
        })
        .await
        .expect("analysis")
        .remove(0);
    assert!(row.handled_at.is_some() && row.report_candidate && row.replied);

    // After-sales: the queue shows the case with its computed US deadline; approve it.
    let queue = console.get("/shops/S1/cases", Some(&owner.session)).await;
    let page = queue.text().await.expect("page");
    assert!(
        page.contains("case-C1") && page.contains("data-due="),
        "{page}"
    );
    assert!(
        !page.contains("case-C3"),
        "the buyer's turn is not the seller's work"
    );
    let all_open = console
        .get("/shops/S1/cases?show=all", Some(&owner.session))
        .await
        .text()
        .await
        .expect("page");
    assert!(all_open.contains("case-C1") && all_open.contains("case-C3"));
    let acted = console
        .post_form("/shops/S1/cases/C1/actions", &owner, &[("type", "approve")])
        .await;
    assert_eq!(acted.status(), StatusCode::SEE_OTHER);
    assert!(acted.headers()["location"]
        .to_str()
        .expect("location")
        .contains("done=C1"));
    assert_eq!(
        console
            .store
            .case_actions("C1")
            .await
            .expect("actions")
            .len(),
        1
    );
    // A reject without a reason is refused with a message, and queues nothing.
    let refused = console
        .post_form("/shops/S1/cases/C1/actions", &owner, &[("type", "reject")])
        .await;
    assert!(refused.headers()["location"]
        .to_str()
        .expect("location")
        .contains("error="));
    assert_eq!(
        console
            .store
            .case_actions("C1")
            .await
            .expect("actions")
            .len(),
        1
    );

    // Scorecard: a chart per metric and the CSV export.
    let scorecard = console
        .get("/shops/S1/scorecard", Some(&owner.session))
        .await;
    assert_eq!(scorecard.status(), StatusCode::OK);
    let page = scorecard.text().await.expect("page");
    assert_eq!(page.matches("<svg class=\"chart\"").count(), 11);
    assert!(page.contains("First response time"));
    let csv = console
        .get("/shops/S1/scorecard.csv", Some(&owner.session))
        .await;
    assert_eq!(csv.status(), StatusCode::OK);
    assert!(csv.headers()["content-type"]
        .to_str()
        .expect("type")
        .starts_with("text/csv"));
    let text = csv.text().await.expect("csv");
    assert!(text.starts_with("scope,metric,week_start,value,target\n"));
    assert_eq!(
        text.lines()
            .filter(|line| line.starts_with("shop,snrr,"))
            .count(),
        12
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_queue_is_paged_soonest_deadline_first() {
    let console = start_console().await;
    let owner = console.sign_in("owner", OWNER_PASSWORD).await;
    let now = chrono::Utc::now();
    // 150 more pending cases in S2, opened one minute apart: with C2 that is 151.
    let cases: Vec<Record> = (0..150)
        .map(|index| {
            refund_case(
                &format!("P{index:03}"),
                "S2",
                ReturnStatus::RequestPending,
                now - chrono::Duration::minutes(300 - index),
            )
        })
        .collect();
    console
        .store
        .apply(&cases, None)
        .await
        .expect("cases saved");
    let page = |number: usize| {
        let path = format!("/shops/S2/cases?page={number}");
        let console = &console;
        let session = owner.session.clone();
        async move {
            console
                .get(&path, Some(&session))
                .await
                .text()
                .await
                .expect("page")
        }
    };
    let first = page(1).await;
    let second = page(2).await;
    assert_eq!(first.matches("<article class=\"case\"").count(), 100);
    assert_eq!(second.matches("<article class=\"case\"").count(), 51);
    // The oldest request is due first, so it leads page 1; the newest ends page 2.
    assert!(first.contains("case-P000") && !second.contains("case-P000"));
    assert!(second.contains("case-P149") && !first.contains("case-P149"));
    assert!(first.contains("Page 1 of 2"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn state_changing_requests_need_the_session_csrf_token() {
    let console = start_console().await;
    let operator = console.sign_in("operator", OPERATOR_PASSWORD).await;
    let other = console.sign_in("owner", OWNER_PASSWORD).await;
    let tick = "/shops/S1/checklist/new-reviews";
    for (label, token) in [
        ("no token", None),
        ("wrong token", Some("0".repeat(64))),
        ("another session's token", Some(other.csrf.clone())),
    ] {
        for path in [tick, "/logout", "/api/v1/shops/S1/reviews"] {
            for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
                let response = console
                    .request(
                        method.clone(),
                        path,
                        Some(&operator.session),
                        token.as_deref(),
                    )
                    .await;
                assert_eq!(
                    response.status(),
                    StatusCode::FORBIDDEN,
                    "{label}: {method} {path}"
                );
            }
        }
    }
    let checklist = console
        .get("/shops/S1/checklist", Some(&operator.session))
        .await;
    assert!(!checklist.text().await.expect("page").contains("done by"));
    // The right token, as a form field or as a header, goes through.
    let ticked = console
        .request(
            Method::POST,
            tick,
            Some(&operator.session),
            Some(&operator.csrf),
        )
        .await;
    assert_eq!(ticked.status(), StatusCode::SEE_OTHER);
    let page = console
        .get("/shops/S1/checklist", Some(&operator.session))
        .await;
    assert!(page
        .text()
        .await
        .expect("page")
        .contains("done by operator"));
    let by_header = console
        .client
        .post(format!("{}/logout", console.base))
        .header(
            "cookie",
            format!("{}={}", console::SESSION_COOKIE, operator.session),
        )
        .header("x-csrf-token", &operator.csrf)
        .send()
        .await
        .expect("logout");
    assert_eq!(by_header.status(), StatusCode::SEE_OTHER);
    // Signed out: the old session no longer opens pages.
    let after = console.get("/", Some(&operator.session)).await;
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    // The sign-in form itself needs its token.
    let forged = console
        .client
        .post(format!("{}/login", console.base))
        .form(&[
            ("username", "owner"),
            ("password", OWNER_PASSWORD),
            ("csrf_token", "x"),
        ])
        .send()
        .await
        .expect("forged login");
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert!(set_cookie(&forged, console::SESSION_COOKIE).is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_rotates_the_session_and_throttles_failures_without_logging_secrets() {
    let logs = captured_logs();
    let console = start_console().await;

    // Rotation: signing in while presenting a session yields a new id; the old one dies.
    let first = console.login_response("owner", OWNER_PASSWORD, None).await;
    let first = set_cookie(&first, console::SESSION_COOKIE).expect("first session");
    assert_eq!(
        console.get("/", Some(&first)).await.status(),
        StatusCode::OK
    );
    let second = console
        .login_response("owner", OWNER_PASSWORD, Some(&first))
        .await;
    let second = set_cookie(&second, console::SESSION_COOKIE).expect("second session");
    assert_ne!(first, second);
    assert_eq!(
        console.get("/", Some(&first)).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        console.get("/", Some(&second)).await.status(),
        StatusCode::OK
    );
    let cookie = console.login_response("owner", OWNER_PASSWORD, None).await;
    let header = cookie
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find(|value| value.starts_with(console::SESSION_COOKIE))
        .expect("session cookie header")
        .to_owned();
    assert!(
        header.contains("HttpOnly") && header.contains("SameSite=Lax"),
        "{header}"
    );

    // Per account: after PER_ACCOUNT failures even the right password is refused.
    for _ in 0..PER_ACCOUNT {
        let wrong = console
            .login_response("operator", "not-the-password", None)
            .await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    let refused = console
        .login_response("operator", OPERATOR_PASSWORD, None)
        .await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(set_cookie(&refused, console::SESSION_COOKIE).is_none());

    // Per address: failures spread over many names still stop this client.
    for attempt in PER_ACCOUNT..PER_ADDRESS {
        let wrong = console
            .login_response(&format!("nobody{attempt}"), "whatever-password", None)
            .await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    }
    let refused = console.login_response("owner", OWNER_PASSWORD, None).await;
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);

    let logged = String::from_utf8_lossy(&logs.lock().expect("logs")).into_owned();
    assert!(
        logged.contains("sign-in failed"),
        "the capture works: {logged}"
    );
    for secret in [
        OWNER_PASSWORD,
        OPERATOR_PASSWORD,
        "not-the-password",
        &first,
        &second,
    ] {
        assert!(!logged.contains(secret), "a secret reached the log");
    }
}
