//! The daily digest and product flags, end to end on a real SQLite store with real HTTP
//! receivers on loopback: a digest channel gets one digest a day (after 08:00 shop time,
//! about the day before) and no single review alerts; an immediate channel gets every
//! review alert but no digest; a product whose complaints are about the product itself
//! is flagged once a week on both.

use axum::routing::post;
use chrono::{DateTime, Duration, Utc};
use shopcare_core::{Currency, Rating, Review, ReviewId, Shop, ShopId};
use shopcare_server::alert_delivery::AlertHandler;
use shopcare_server::alert_digest::DigestHandler;
use shopcare_server::jobs::JobRunner;
use shopcare_server::metrics::MetricTargets;
use shopcare_server::reviews::ingest_reviews;
use shopcare_store::{open_store, NewAlertChannel, SecretKey, Store};
use std::sync::{Arc, Mutex};
use tokio::net::TcpListener;

const SHOP: &str = "7490000000000000009";

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// Collects the `kind` and `text` of every alert posted to it.
async fn start_receiver() -> (String, Arc<Mutex<Vec<(String, String)>>>) {
    let received = Arc::new(Mutex::new(Vec::new()));
    let state = received.clone();
    let app = axum::Router::new().route(
        "/hook",
        post(move |body: String| {
            let state = state.clone();
            async move {
                let value: serde_json::Value = serde_json::from_str(&body).unwrap();
                state.lock().unwrap().push((
                    value["kind"].as_str().unwrap().to_owned(),
                    value["text"].as_str().unwrap().to_owned(),
                ));
                axum::http::StatusCode::OK
            }
        }),
    );
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.ok() });
    (url, received)
}

fn review(id: &str, product: &str, stars: i64, text: &str, when: &str) -> Review {
    Review {
        id: ReviewId::new(id),
        shop_id: ShopId::new(SHOP),
        order_id: None,
        product_id: Some(product.into()),
        sku_id: Some(format!("{product}-sku").into()),
        rating: Rating::new(stars).unwrap(),
        text: text.to_owned(),
        created_at: at(when),
        source: "manual".to_owned(),
    }
}

fn kinds(received: &Mutex<Vec<(String, String)>>) -> Vec<String> {
    let mut kinds: Vec<String> = received
        .lock()
        .unwrap()
        .iter()
        .map(|(kind, _)| kind.clone())
        .collect();
    kinds.sort();
    kinds
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn digest_channels_get_one_digest_a_day_and_flags_come_once_a_week() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("shopcare.db").display());
    let store: Arc<dyn Store> = open_store(&url, &SecretKey::generate()).await.unwrap();
    store
        .upsert_shops(&[Shop {
            id: ShopId::new(SHOP),
            cipher: "cipher".to_owned(),
            name: "Digest VN".to_owned(),
            region: "VN".to_owned(),
            currency: Currency::parse("VND").unwrap(),
            time_zone: chrono_tz::Asia::Ho_Chi_Minh,
        }])
        .await
        .unwrap();
    let (immediate_url, immediate) = start_receiver().await;
    let (digest_url, digest) = start_receiver().await;
    for (kind, target) in [("webhook", immediate_url), ("webhook_digest", digest_url)] {
        store
            .add_alert_channel(
                &NewAlertChannel {
                    shop_id: ShopId::new(SHOP),
                    kind: kind.to_owned(),
                    target,
                    secret: Some("s".to_owned()),
                    smtp_server: None,
                },
                at("2026-10-01T00:00:00Z"),
            )
            .await
            .unwrap();
    }

    // Three quality complaints on one product and one late-dispatch complaint on
    // another, on 12 October in Ho Chi Minh City (UTC+7).
    let broken = "Poor quality, it stopped working after one day";
    let reviews = [
        review("q1", "blender", 1, broken, "2026-10-12T02:00:00Z"),
        review("q2", "blender", 2, broken, "2026-10-12T03:00:00Z"),
        review("q3", "blender", 1, broken, "2026-10-12T04:00:00Z"),
        review(
            "s1",
            "kettle",
            2,
            "Seller took a week to ship my order, too slow to send",
            "2026-10-12T05:00:00Z",
        ),
    ];
    let ingested_at = at("2026-10-12T06:00:00Z");
    ingest_reviews(&store, &reviews, ingested_at).await.unwrap();

    let runner = JobRunner::new(store.clone(), "worker")
        .with_handler(Arc::new(AlertHandler::new(store.clone())))
        .with_handler(Arc::new(DigestHandler::new(
            store.clone(),
            MetricTargets::default(),
        )));
    let handler = DigestHandler::new(store.clone(), MetricTargets::default());

    // Same day (13:00 local): single alerts go to the immediate channel only; the product
    // is flagged; and the digest of the 11th (a quiet day) goes out.
    assert_eq!(
        handler.sweep(ingested_at).await.unwrap(),
        2,
        "a flag and a digest"
    );
    runner.tick(ingested_at).await.unwrap();
    let review_alerts = kinds(&immediate)
        .iter()
        .filter(|kind| *kind == "negative_review")
        .count();
    assert!(review_alerts >= 4, "every negative review alerted at once");
    assert!(
        kinds(&immediate).contains(&"product_flag".to_owned()),
        "{:?}",
        kinds(&immediate)
    );
    // The digest channel still gets the urgent ones (flag, cluster), not single reviews.
    assert!(kinds(&digest).contains(&"product_flag".to_owned()));
    assert!(!kinds(&digest).contains(&"negative_review".to_owned()));

    // 13 October, 07:59 local: no digest yet. 08:00 local: one digest, about the 12th.
    let before_eight = at("2026-10-13T00:59:00Z");
    assert_eq!(handler.sweep(before_eight).await.unwrap(), 0);
    let eight = at("2026-10-13T01:00:00Z");
    assert_eq!(handler.sweep(eight).await.unwrap(), 1);
    runner.tick(eight).await.unwrap();
    let digests: Vec<String> = digest
        .lock()
        .unwrap()
        .iter()
        .filter(|(kind, _)| kind == "digest")
        .map(|(_, text)| text.clone())
        .collect();
    assert_eq!(digests.len(), 2);
    assert!(
        digests[0].contains("2026-10-11: 0 new 1–2★ reviews"),
        "{}",
        digests[0]
    );
    assert!(
        digests[1].contains("2026-10-12: 4 new 1–2★ reviews"),
        "{}",
        digests[1]
    );
    assert!(digests[1].contains("product_quality 3"), "{}", digests[1]);
    assert!(!kinds(&immediate).contains(&"digest".to_owned()));

    // Later sweeps the same day and in the same ISO week raise nothing again.
    assert_eq!(handler.sweep(eight + Duration::hours(5)).await.unwrap(), 0);
    runner.tick(eight + Duration::hours(5)).await.unwrap();
    assert_eq!(
        digest
            .lock()
            .unwrap()
            .iter()
            .filter(|(kind, _)| kind == "digest")
            .count(),
        2
    );
    assert_eq!(
        kinds(&digest)
            .iter()
            .filter(|kind| *kind == "product_flag")
            .count(),
        1
    );
}
