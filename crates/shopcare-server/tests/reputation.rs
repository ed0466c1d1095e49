//! Review ingest, metrics and alert delivery end to end on a real SQLite store: order
//! facts flip `late_dispatch` vs `delivery`, aggregates feed the metrics, and alerts go
//! to a real HTTP receiver and a real SMTP sink on loopback — exactly once, across a
//! runner restart in the middle of a retry.

use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use shopcare_core::{
    BuyerId, Currency, Order, OrderId, OrderStatus, Rating, Review, ReviewId, Shop, ShopId,
};
use shopcare_server::alert_delivery::{signature, AlertHandler, SIGNATURE_HEADER};
use shopcare_server::jobs::{Backoff, JobRunner};
use shopcare_server::metrics::{metrics_report, MetricTargets};
use shopcare_server::reviews::ingest_reviews;
use shopcare_store::{open_store, AnalysisFilter, NewAlertChannel, Record, SecretKey, Store};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

const SHOP: &str = "7490000000000000001";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

async fn store_with_shop(dir: &tempfile::TempDir) -> Arc<dyn Store> {
    let url = format!("sqlite://{}", dir.path().join("shopcare.db").display());
    let store = open_store(&url, &SecretKey::generate()).await.unwrap();
    store
        .upsert_shops(&[Shop {
            id: ShopId::new(SHOP),
            cipher: "cipher".to_owned(),
            name: "Test ID".to_owned(),
            region: "ID".to_owned(),
            currency: Currency::parse("IDR").unwrap(),
            time_zone: chrono_tz::Asia::Jakarta,
        }])
        .await
        .unwrap();
    store
}

fn order(id: &str, ship_by: &str, shipped: &str, delivered: &str) -> Order {
    Order {
        id: OrderId::new(id),
        shop_id: ShopId::new(SHOP),
        status: OrderStatus::Delivered,
        buyer: BuyerId::new("buyer"),
        create_time: at("2026-10-01T00:00:00Z"),
        update_time: at("2026-10-10T00:00:00Z"),
        paid_time: None,
        ship_by_time: Some(at(ship_by)),
        shipped_time: Some(at(shipped)),
        delivery_time: Some(at(delivered)),
        total: None,
        cancel_reason: None,
        cancellation_initiator: None,
        shipping_provider: None,
        tracking_number: None,
        is_replacement_order: false,
        line_items: Vec::new(),
        package_ids: Vec::new(),
    }
}

fn review(id: &str, order_id: &str, stars: i64, text: &str, when: &str) -> Review {
    Review {
        id: ReviewId::new(id),
        shop_id: ShopId::new(SHOP),
        order_id: Some(OrderId::new(order_id)),
        product_id: Some("p1".into()),
        sku_id: Some("sku-1".into()),
        rating: Rating::new(stars).unwrap(),
        text: text.to_owned(),
        created_at: at(when),
        source: "manual".to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn order_facts_decide_late_dispatch_and_metrics_count_the_ingested_reviews() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_shop(&dir).await;
    store
        .apply(
            &[
                Record::Order(order(
                    "late",
                    "2026-10-02T00:00:00Z",
                    "2026-10-06T00:00:00Z",
                    "2026-10-12T03:00:00Z",
                )),
                Record::Order(order(
                    "on-time",
                    "2026-10-02T00:00:00Z",
                    "2026-10-01T12:00:00Z",
                    "2026-10-12T03:00:00Z",
                )),
            ],
            None,
        )
        .await
        .unwrap();
    let text = "It took two weeks to arrive, so slow.";
    let now = at("2026-10-20T00:00:00Z");
    let report = ingest_reviews(
        &store,
        &[
            review("r-late", "late", 1, text, "2026-10-13T01:00:00Z"),
            review("r-on-time", "on-time", 1, text, "2026-10-13T02:00:00Z"),
        ],
        now,
    )
    .await
    .unwrap();
    assert_eq!(report.inserted, 2);
    assert_eq!(report.analysed, 2);
    assert!(report.alerts >= 2, "{report:?}");
    let analyses = store
        .list_review_analyses(&AnalysisFilter::default())
        .await
        .unwrap();
    let cause = |id: &str| {
        let row = analyses
            .iter()
            .find(|row| row.analysis.review_id == id)
            .unwrap();
        (row.analysis.root_cause.clone(), row.analysis.seller_related)
    };
    assert_eq!(cause("r-late"), ("late_dispatch".to_owned(), true));
    assert_eq!(cause("r-on-time"), ("delivery".to_owned(), false));

    let metrics = metrics_report(
        &store,
        NaiveDate::from_ymd_opt(2026, 10, 20).unwrap(),
        &MetricTargets::default(),
        Vec::new(),
    )
    .await
    .unwrap();
    let shop = &metrics.shops[0];
    assert_eq!(shop.delivered_orders_30d, 2);
    assert_eq!(shop.negative_reviews_30d, 2);
    assert_eq!(shop.seller_related_negative_reviews_30d, 1);
    assert_eq!(shop.service_related_negative_reviews_30d, 1);
    assert_eq!(shop.snrr_30d, Some(0.5));
    assert_eq!(shop.status, "breach");

    // Re-ingesting the same reviews changes nothing and alerts nobody again.
    let again = ingest_reviews(
        &store,
        &[review("r-late", "late", 1, text, "2026-10-13T01:00:00Z")],
        now,
    )
    .await
    .unwrap();
    assert_eq!((again.unchanged, again.analysed, again.alerts), (1, 0, 0));
    // The buyer edits the review to 4★: it leaves the negatives.
    ingest_reviews(
        &store,
        &[review(
            "r-late",
            "late",
            4,
            "Fine after all",
            "2026-10-14T01:00:00Z",
        )],
        now,
    )
    .await
    .unwrap();
    let metrics = metrics_report(
        &store,
        NaiveDate::from_ymd_opt(2026, 10, 20).unwrap(),
        &MetricTargets::default(),
        Vec::new(),
    )
    .await
    .unwrap();
    assert_eq!(metrics.shops[0].negative_reviews_30d, 1);
    assert_eq!(metrics.shops[0].seller_related_negative_reviews_30d, 0);
}

/// A minimal SMTP server: accepts every command, keeps each message's DATA.
async fn start_smtp_sink() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let messages = Arc::new(Mutex::new(Vec::new()));
    let received = messages.clone();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let received = received.clone();
            tokio::spawn(async move {
                let (reader, mut writer) = socket.into_split();
                let mut lines = BufReader::new(reader).lines();
                writer.write_all(b"220 sink ready\r\n").await.ok();
                while let Ok(Some(line)) = lines.next_line().await {
                    let command = line.to_ascii_uppercase();
                    if command.starts_with("DATA") {
                        writer.write_all(b"354 go ahead\r\n").await.ok();
                        let mut data = String::new();
                        while let Ok(Some(line)) = lines.next_line().await {
                            if line == "." {
                                break;
                            }
                            data.push_str(&line);
                            data.push('\n');
                        }
                        received.lock().unwrap().push(data);
                        writer.write_all(b"250 queued\r\n").await.ok();
                    } else if command.starts_with("QUIT") {
                        writer.write_all(b"221 bye\r\n").await.ok();
                        break;
                    } else {
                        writer.write_all(b"250 ok\r\n").await.ok();
                    }
                }
            });
        }
    });
    (address, messages)
}

#[derive(Clone, Default)]
struct Receiver {
    attempts: Arc<AtomicUsize>,
    accepted: Arc<Mutex<Vec<(String, String)>>>,
}

/// An HTTP receiver that fails its first request with 500 and accepts the rest.
async fn start_webhook_receiver() -> (String, Receiver) {
    let receiver = Receiver::default();
    let state = receiver.clone();
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: String| {
            let state = state.clone();
            async move {
                if state.attempts.fetch_add(1, Ordering::SeqCst) == 0 {
                    return StatusCode::INTERNAL_SERVER_ERROR;
                }
                let signature = headers
                    .get(SIGNATURE_HEADER)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default()
                    .to_owned();
                state.accepted.lock().unwrap().push((signature, body));
                StatusCode::OK
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (url, receiver)
}

fn runner(store: &Arc<dyn Store>, worker: &str) -> JobRunner {
    JobRunner::new(store.clone(), worker)
        .with_handler(Arc::new(AlertHandler::new(store.clone())))
        .with_backoff(Backoff {
            base: Duration::seconds(1),
            max: Duration::seconds(2),
        })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_negative_review_alert_reaches_webhook_and_email_once_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with_shop(&dir).await;
    let (url, receiver) = start_webhook_receiver().await;
    let (smtp, mailbox) = start_smtp_sink().await;
    for channel in [
        NewAlertChannel {
            shop_id: ShopId::new(SHOP),
            kind: "webhook".to_owned(),
            target: url,
            secret: Some("hook-secret".to_owned()),
            smtp_server: None,
        },
        NewAlertChannel {
            shop_id: ShopId::new(SHOP),
            kind: "email".to_owned(),
            target: "team@example.com".to_owned(),
            secret: None,
            smtp_server: Some(smtp),
        },
    ] {
        store
            .add_alert_channel(&channel, at("2026-10-01T00:00:00Z"))
            .await
            .unwrap();
    }
    let now = at("2026-10-13T01:00:00Z");
    let report = ingest_reviews(
        &store,
        &[Review {
            order_id: None,
            ..review(
                "r-bad",
                "none",
                1,
                "Broken on arrival, does not work",
                "2026-10-13T00:00:00Z",
            )
        }],
        now,
    )
    .await
    .unwrap();
    assert_eq!(report.alerts, 1);

    // First runner: e-mail goes out, the webhook answers 500, the job is retried later.
    let first = runner(&store, "worker-1").tick(now).await.unwrap();
    assert_eq!((first.claimed, first.retried), (1, 1));
    assert_eq!(mailbox.lock().unwrap().len(), 1);
    assert!(receiver.accepted.lock().unwrap().is_empty());
    // The process "restarts": a new runner on the same store picks up the retry.
    let second_runner = runner(&store, "worker-2");
    let second = second_runner
        .tick(now + Duration::seconds(10))
        .await
        .unwrap();
    assert_eq!((second.claimed, second.succeeded), (1, 1));
    let third = second_runner
        .tick(now + Duration::seconds(60))
        .await
        .unwrap();
    assert_eq!(third.claimed, 0);

    assert_eq!(mailbox.lock().unwrap().len(), 1, "e-mail not sent twice");
    let accepted = receiver.accepted.lock().unwrap().clone();
    assert_eq!(accepted.len(), 1);
    let (header, body) = &accepted[0];
    assert_eq!(header, &signature("hook-secret", body.as_bytes()));
    let json: serde_json::Value = serde_json::from_str(body).unwrap();
    assert!(json["text"].as_str().unwrap().contains("1★"));
    let mail = mailbox.lock().unwrap()[0].clone();
    assert!(mail.contains("r-bad"), "{mail}");
}

async fn call(
    router: &axum::Router,
    method: &str,
    uri: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            body.map(|body| body.to_string()).unwrap_or_default(),
        ))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, json)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_filters_by_viewer_and_blocks_non_compliant_drafts() {
    use shopcare_server::access::{ShopScope, Viewer};
    use shopcare_server::clock::ManualClock;
    use shopcare_server::review_inbox::{router, ReviewInboxState};

    let dir = tempfile::tempdir().unwrap();
    let store = store_with_shop(&dir).await;
    store
        .apply(
            &[Record::Order(order(
                "late",
                "2026-10-02T00:00:00Z",
                "2026-10-06T00:00:00Z",
                "2026-10-12T03:00:00Z",
            ))],
            None,
        )
        .await
        .unwrap();
    let mut other_shop = review("r-other", "late", 1, "Rusak, jelek", "2026-10-13T03:00:00Z");
    other_shop.shop_id = ShopId::new("other-shop");
    other_shop.order_id = None;
    ingest_reviews(
        &store,
        &[
            review(
                "r-1",
                "late",
                1,
                "Barangnya rusak, kecewa",
                "2026-10-13T01:00:00Z",
            ),
            review(
                "r-5",
                "late",
                5,
                "Mantap, sesuai pesanan",
                "2026-10-13T02:00:00Z",
            ),
            other_shop,
        ],
        at("2026-10-14T00:00:00Z"),
    )
    .await
    .unwrap();
    let clock = ManualClock::new(at("2026-10-15T00:00:00Z"));
    let state = ReviewInboxState {
        store: store.clone(),
        clock: Arc::new(clock),
    };
    let operator = Viewer {
        username: "ops".to_owned(),
        scope: ShopScope::Only([ShopId::new(SHOP)].into_iter().collect()),
    };
    let app = router(state).layer(axum::Extension(operator));

    let (status, body) = call(&app, "GET", "/api/v1/reviews?max_stars=2", None).await;
    assert_eq!(status, StatusCode::OK);
    let reviews = body["reviews"].as_array().unwrap();
    assert_eq!(reviews.len(), 1, "{body}");
    assert_eq!(reviews[0]["review_id"], "r-1");
    assert_eq!(reviews[0]["text"], "Barangnya rusak, kecewa");
    assert_eq!(reviews[0]["order"]["shipped_late"], true);
    assert!(reviews[0]["analysis"]["root_cause"].is_string());

    let (status, _) = call(&app, "GET", "/api/v1/reviews?shop=other-shop", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&app, "POST", "/api/v1/reviews/r-other/handled", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(&app, "GET", "/api/v1/reviews/r-other/suggested-reply", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, body) = call(&app, "POST", "/api/v1/reviews/r-1/handled", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, body) = call(&app, "GET", "/api/v1/reviews?handled=false", None).await;
    assert_eq!(body["reviews"].as_array().unwrap().len(), 1);
    assert_eq!(body["reviews"][0]["review_id"], "r-5");
    let (status, _) = call(&app, "POST", "/api/v1/reviews/r-1/report-candidate", None).await;
    assert_eq!(status, StatusCode::OK);

    let (status, suggestion) = call(&app, "GET", "/api/v1/reviews/r-1/suggested-reply", None).await;
    assert_eq!(status, StatusCode::OK);
    let suggested = suggestion["text"].as_str().unwrap().to_owned();
    assert!(!suggested.is_empty());
    let (status, draft) = call(
        &app,
        "POST",
        "/api/v1/reviews/r-1/reply-draft",
        Some(serde_json::json!({"text": suggested})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(draft["state"], "ready", "{draft}");
    let (status, draft) = call(
        &app,
        "POST",
        "/api/v1/reviews/r-5/reply-draft",
        Some(serde_json::json!({
            "text": "Thanks! Please change your review to 5 stars and we will send you a voucher. WhatsApp me at +62 812 3456 7890"
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(draft["state"], "blocked", "{draft}");
    assert!(!draft["compliance"]["findings"]
        .as_array()
        .unwrap()
        .is_empty());
    let drafts = store.reply_drafts("r-5").await.unwrap();
    assert!(drafts[0].blocked && drafts[0].sent_at.is_none());
    // A blocked draft does not count as a reply.
    let (_, body) = call(&app, "GET", "/api/v1/reviews?replied=true", None).await;
    let replied: Vec<&str> = body["reviews"]
        .as_array()
        .unwrap()
        .iter()
        .map(|review| review["review_id"].as_str().unwrap())
        .collect();
    assert_eq!(replied, ["r-1"]);
}
