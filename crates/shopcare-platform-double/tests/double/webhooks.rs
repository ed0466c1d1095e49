//! Webhooks: signed with HMAC(app_secret, app_key + body), re-sent on the scaled
//! schedule with the same notification id, duplicated on request.

use crate::harness::*;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde_json::{json, Value};
use shopcare_platform_double::{WebhookConfig, World};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Default)]
struct Received {
    deliveries: Vec<(Instant, String, Vec<u8>)>,
    failures_left: u32,
}

type Receiver = Arc<Mutex<Received>>;

async fn receive(State(received): State<Receiver>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let mut received = received.lock().unwrap();
    let authorization = headers
        .get("authorization")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_string();
    received
        .deliveries
        .push((Instant::now(), authorization, body.to_vec()));
    if received.failures_left > 0 {
        received.failures_left -= 1;
        StatusCode::INTERNAL_SERVER_ERROR
    } else {
        StatusCode::OK
    }
}

/// A webhook receiver on 127.0.0.1:0 failing its first `failures` deliveries.
async fn receiver(failures: u32) -> (String, Receiver) {
    let received: Receiver = Arc::new(Mutex::new(Received {
        deliveries: Vec::new(),
        failures_left: failures,
    }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks/tiktok", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .route("/webhooks/tiktok", axum::routing::post(receive))
        .with_state(received.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, received)
}

async fn wait_for(received: &Receiver, count: usize) -> Vec<(Instant, String, Vec<u8>)> {
    for _ in 0..400 {
        if received.lock().unwrap().deliveries.len() >= count {
            break;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    received.lock().unwrap().deliveries.clone()
}

fn first_order(app: &TestApp) -> String {
    app.double.with_world(|_| World::order_id(0).to_string())
}

#[tokio::test]
async fn a_failed_webhook_is_resent_on_the_scaled_schedule_with_the_same_id() {
    let (url, received) = receiver(2).await;
    let mut config = config(200);
    // 2 min / 2000 = 60 ms, 30 min / 2000 = 900 ms.
    config.webhook = Some(WebhookConfig {
        url,
        time_scale: 2_000.0,
    });
    let app = spawn(config).await;
    let order_id = first_order(&app);
    app.control(
        &format!("/_double/orders/{order_id}/status"),
        json!({"status": "DELIVERED"}),
    )
    .await;
    let deliveries = wait_for(&received, 3).await;
    assert_eq!(deliveries.len(), 3, "two failures, then success");
    let mut ids = Vec::new();
    for (_, authorization, body) in &deliveries {
        assert!(shopcare_tiktok::signing::verify_webhook(
            APP_KEY,
            APP_SECRET,
            body,
            authorization
        ));
        assert!(!shopcare_tiktok::signing::verify_webhook(
            APP_KEY,
            "other-secret",
            body,
            authorization
        ));
        let event: Value = serde_json::from_slice(body).unwrap();
        assert_eq!(event["type"], 1);
        assert_eq!(event["data"]["order_id"], order_id.as_str());
        assert_eq!(event["data"]["order_status"], "DELIVERED");
        assert_eq!(
            event["shop_id"],
            app.shops[app.double.with_world(|world| world.orders[0].shop as usize)]
                .id
                .as_str()
        );
        ids.push(event["tts_notification_id"].as_str().unwrap().to_string());
    }
    assert!(
        ids.iter().all(|id| id == &ids[0]),
        "same notification id on every resend"
    );
    assert!(deliveries[1].0 - deliveries[0].0 >= Duration::from_millis(60));
    assert!(deliveries[2].0 - deliveries[1].0 >= Duration::from_millis(900));
    // No further resend after a 200.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(received.lock().unwrap().deliveries.len(), 3);
    let attempts = app.double.webhook_attempts();
    assert_eq!(
        attempts
            .iter()
            .map(|attempt| attempt.attempt)
            .collect::<Vec<_>>(),
        vec![0, 1, 2]
    );
    assert_eq!(attempts[2].status, Some(200));
}

#[tokio::test]
async fn the_duplicate_knob_sends_each_event_twice_with_one_id() {
    let (url, received) = receiver(0).await;
    let mut config = config(200);
    config.webhook = Some(WebhookConfig {
        url,
        time_scale: 1_000.0,
    });
    config.faults.duplicate_webhooks = true;
    let app = spawn(config).await;
    let order_id = first_order(&app);
    let opened = app
        .control(
            "/_double/returns",
            json!({"order_id": order_id, "return_type": "REFUND"}),
        )
        .await;
    let deliveries = wait_for(&received, 2).await;
    assert_eq!(deliveries.len(), 2);
    let events: Vec<Value> = deliveries
        .iter()
        .map(|(_, _, body)| serde_json::from_slice(body).unwrap())
        .collect();
    assert_eq!(
        events[0]["tts_notification_id"],
        events[1]["tts_notification_id"]
    );
    assert_eq!(events[0]["type"], 12);
    assert_eq!(events[0]["data"]["return_id"], opened["return_id"]);
    assert_eq!(
        events[0]["data"]["return_status"],
        "RETURN_OR_REFUND_REQUEST_PENDING"
    );
    assert_eq!(events[0]["data"]["return_type"], "REFUND");
}

#[tokio::test]
async fn messages_cancellations_and_packages_send_their_event_types() {
    let (url, received) = receiver(0).await;
    let mut config = config(600);
    config.webhook = Some(WebhookConfig {
        url,
        time_scale: 1_000.0,
    });
    let app = spawn(config).await;
    let (conversation, order_id, package_id) = app.double.with_world(|world| {
        let waiting = world
            .orders
            .iter()
            .position(|order| order.status.as_str() == "AWAITING_SHIPMENT")
            .unwrap();
        let shipped = world
            .orders
            .iter()
            .position(|order| order.package_count() > 0)
            .unwrap();
        (
            World::conversation_id(0).to_string(),
            World::order_id(waiting as u32).to_string(),
            World::package_id(shipped as u32, 0).to_string(),
        )
    });
    app.control(
        &format!("/_double/conversations/{conversation}/messages"),
        json!({"text": "Is it shipped yet?"}),
    )
    .await;
    app.control("/_double/cancellations", json!({"order_id": order_id}))
        .await;
    app.control(&format!("/_double/packages/{package_id}/update"), json!({}))
        .await;
    let deliveries = wait_for(&received, 3).await;
    let mut types: Vec<u64> = deliveries
        .iter()
        .map(|(_, _, body)| {
            serde_json::from_slice::<Value>(body).unwrap()["type"]
                .as_u64()
                .unwrap()
        })
        .collect();
    types.sort_unstable();
    assert_eq!(types, vec![4, 11, 14]);
    let message = deliveries
        .iter()
        .map(|(_, _, body)| serde_json::from_slice::<Value>(body).unwrap())
        .find(|event| event["type"] == 14)
        .unwrap();
    assert_eq!(
        message["data"]["content"],
        "{\"content\":\"Is it shipped yet?\"}"
    );
    assert_eq!(message["data"]["sender"]["role"], "BUYER");
}
