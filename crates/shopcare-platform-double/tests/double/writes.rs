//! Writes: idempotent approve/reject, transitions, recorded requests, chat, clock.

use crate::harness::*;
use reqwest::Method;
use serde_json::json;
use shopcare_platform_double::world::{CancelStatus, ReturnStatus, ReturnType};
use shopcare_platform_double::World;

/// (shop, return id) of a pending return of `kind`.
fn pending_return(app: &TestApp, kind: ReturnType) -> (usize, String) {
    app.double.with_world(|world| {
        let index = world
            .returns
            .iter()
            .position(|value| {
                value.return_type == kind && value.status == ReturnStatus::RequestPending
            })
            .expect("the world has a pending return of this type");
        let shop = world.orders[world.returns[index].order as usize].shop as usize;
        (shop, World::return_id(index as u32).to_string())
    })
}

fn return_status(app: &TestApp, id: &str) -> ReturnStatus {
    app.double
        .with_world(|world| world.returns[world.return_index(id).unwrap() as usize].status)
}

#[tokio::test]
async fn approving_twice_with_one_idempotency_key_applies_once_and_answers_the_same() {
    let app = spawn(config(4_000)).await;
    let (shop, id) = pending_return(&app, ReturnType::Refund);
    let path = format!("/return_refund/202309/returns/{id}/approve");
    let approve = |key: Option<&str>| {
        let mut call = app
            .call(Method::POST, &path, shop)
            .json(json!({"decision": "APPROVE_REFUND"}));
        if let Some(key) = key {
            call = call.param("idempotency_key", key);
        }
        call.send(&app)
    };
    let (status_one, first) = approve(Some("7f9c2b1e-0000-4c3b-9e8f-0a1b2c3d4e5f")).await;
    assert_eq!(
        (status_one, first["code"].as_u64()),
        (200, Some(0)),
        "{first}"
    );
    assert_eq!(first["data"], json!({}));
    let update_time = app
        .double
        .with_world(|world| world.returns[world.return_index(&id).unwrap() as usize].update_time);
    let (status_two, second) = approve(Some("7f9c2b1e-0000-4c3b-9e8f-0a1b2c3d4e5f")).await;
    assert_eq!(status_two, status_one);
    assert_eq!(second, first, "a replay answers exactly as the first time");
    assert_eq!(return_status(&app, &id), ReturnStatus::RequestSuccess);
    let update_after = app
        .double
        .with_world(|world| world.returns[world.return_index(&id).unwrap() as usize].update_time);
    assert_eq!(update_after, update_time, "no second effect");

    let writes = app.double.received_writes();
    assert_eq!(writes.len(), 2);
    assert!(!writes[0].replayed && writes[1].replayed);
    assert_eq!(writes[0].path, path);
    assert!(writes[0].body.contains("APPROVE_REFUND"));

    // Without a key, approving a settled return is refused.
    let (_, third) = approve(None).await;
    assert_eq!(third["code"], 25_011_012, "{third}");
}

#[tokio::test]
async fn rejecting_needs_a_reason_and_moves_the_return() {
    let app = spawn(config(4_000)).await;
    let (shop, id) = pending_return(&app, ReturnType::ReturnAndRefund);
    let path = format!("/return_refund/202309/returns/{id}/reject");
    let (_, answer) = app
        .call(Method::POST, &path, shop)
        .json(json!({"decision": "REJECT_RETURN"}))
        .send(&app)
        .await;
    assert_eq!(answer["code"], 25_001_001);
    let (_, answer) = app
        .call(Method::POST, &path, shop)
        .json(json!({"decision": "APPROVE_RETURN", "reject_reason": "x"}))
        .send(&app)
        .await;
    assert_eq!(
        answer["code"], 25_001_001,
        "approval decisions do not belong on /reject"
    );
    let (_, answer) = app
        .call(Method::POST, &path, shop)
        .param("idempotency_key", "k-1")
        .json(json!({
            "decision": "REJECT_RETURN",
            "reject_reason": "seller_reject_apply_product_has_been_used",
            "comment": "Item shows wear — see photos"
        }))
        .send(&app)
        .await;
    assert_eq!(answer["code"], 0, "{answer}");
    assert_eq!(return_status(&app, &id), ReturnStatus::RequestReject);
    let (_, again) = app
        .call(Method::POST, &path, shop)
        .json(json!({"decision": "REJECT_RETURN", "reject_reason": "seller_reject_apply_product_has_been_used"}))
        .send(&app)
        .await;
    assert_eq!(again["code"], 25_011_011);
}

#[tokio::test]
async fn a_pending_cancellation_can_be_approved_once() {
    let app = spawn(config(4_000)).await;
    let (shop, id, order) = app.double.with_world(|world| {
        let index = world
            .cancellations
            .iter()
            .position(|value| value.status == CancelStatus::Pending)
            .expect("a pending cancellation");
        let order = world.cancellations[index].order;
        (
            world.orders[order as usize].shop as usize,
            World::cancel_id(index as u32).to_string(),
            order,
        )
    });
    let path = format!("/return_refund/202309/cancellations/{id}/approve");
    for _ in 0..2 {
        let (_, answer) = app
            .call(Method::POST, &path, shop)
            .param("idempotency_key", "cancel-key")
            .send(&app)
            .await;
        assert_eq!(answer["code"], 0, "{answer}");
    }
    app.double.with_world(|world| {
        assert_eq!(world.orders[order as usize].status.as_str(), "CANCELLED");
    });
    let (_, answer) = app.call(Method::POST, &path, shop).send(&app).await;
    assert_eq!(answer["code"], 25_001_001, "no longer pending: {answer}");
}

#[tokio::test]
async fn moving_the_clock_past_a_seller_deadline_auto_approves() {
    let app = spawn(config(1_000)).await;
    let order_id = app.double.with_world(|world| {
        let index = world
            .orders
            .iter()
            .position(|order| order.delivery_time > 0)
            .unwrap();
        World::order_id(index as u32).to_string()
    });
    let opened = app
        .control("/_double/returns", json!({"order_id": order_id}))
        .await;
    let return_id = opened["return_id"].as_str().unwrap().to_string();
    assert_eq!(
        return_status(&app, &return_id),
        ReturnStatus::RequestPending
    );
    let moved = app
        .control("/_double/clock", json!({"advance_seconds": 3 * 86_400}))
        .await;
    let approved: Vec<&str> = moved["auto_approved_returns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap())
        .collect();
    assert!(approved.contains(&return_id.as_str()), "{moved}");
    assert_eq!(
        return_status(&app, &return_id),
        ReturnStatus::AwaitingBuyerShip
    );
}

#[tokio::test]
async fn a_sent_chat_message_is_recorded_and_listed_first() {
    let app = spawn(config(2_000)).await;
    let (shop, conversation) = app.double.with_world(|world| {
        (
            world.conversations[0].shop as usize,
            World::conversation_id(0).to_string(),
        )
    });
    let path = format!("/customer_service/202309/conversations/{conversation}/messages");
    let (_, sent) = app
        .call(Method::POST, &path, shop)
        .json(json!({"type": "TEXT", "content": "{\"content\":\"We shipped it today.\"}"}))
        .send(&app)
        .await;
    assert_eq!(sent["code"], 0, "{sent}");
    let message_id = sent["data"]["message_id"].as_str().unwrap().to_string();
    let (_, listed) = app
        .call(Method::GET, &path, shop)
        .param("page_size", "10")
        .send(&app)
        .await;
    let latest = &listed["data"]["messages"][0];
    assert_eq!(latest["id"], message_id.as_str());
    assert_eq!(latest["sender"]["role"], "SHOP");
    assert_eq!(latest["content"], "{\"content\":\"We shipped it today.\"}");
    assert_eq!(app.double.received_writes().len(), 1);
}

#[tokio::test]
async fn webhook_subscriptions_can_be_set_listed_and_deleted() {
    let app = spawn(config(100)).await;
    let path = "/event/202309/webhooks";
    let (_, answer) = app
        .call(Method::PUT, path, 1)
        .json(json!({"address": "https://hooks.example.com/tiktok", "event_type": "RETURN_STATUS_CHANGE"}))
        .send(&app)
        .await;
    assert_eq!(answer["code"], 0, "{answer}");
    assert_eq!(answer["data"], json!({}));
    let (_, listed) = app.call(Method::GET, path, 1).send(&app).await;
    assert_eq!(listed["data"]["total_count"], 1);
    assert_eq!(
        listed["data"]["webhooks"][0]["address"],
        "https://hooks.example.com/tiktok"
    );
    let (_, other_shop) = app.call(Method::GET, path, 0).send(&app).await;
    assert_eq!(other_shop["data"]["total_count"], 0);
    let (_, unknown) = app
        .call(Method::PUT, path, 1)
        .json(json!({"address": "https://x.example.com", "event_type": "NOT_AN_EVENT"}))
        .send(&app)
        .await;
    assert_eq!(unknown["code"], 25_001_001);
    let (_, deleted) = app
        .call(Method::DELETE, path, 1)
        .json(json!({"event_type": "RETURN_STATUS_CHANGE"}))
        .send(&app)
        .await;
    assert_eq!(deleted["code"], 0);
    let (_, listed) = app.call(Method::GET, path, 1).send(&app).await;
    assert_eq!(listed["data"]["total_count"], 0);
}

#[tokio::test]
async fn tracking_shows_stalls_and_deliveries_newest_first() {
    let app = spawn(config(3_000)).await;
    let (stalled, delivered) = app.double.with_world(|world| {
        let stalled = world
            .orders
            .iter()
            .position(|order| {
                order.status.as_str() == "IN_TRANSIT"
                    && order.has_flag(shopcare_platform_double::world::order_flags::STALLED)
                    && order.collection_time + 5 * 86_400 < world.generated_at
            })
            .expect("a stalled parcel");
        let delivered = world
            .orders
            .iter()
            .position(|order| order.delivery_time > 0)
            .unwrap();
        (stalled as u32, delivered as u32)
    });
    let app = &app;
    let tracking = |order: u32| {
        let shop = app
            .double
            .with_world(|world| world.orders[order as usize].shop as usize);
        let path = format!(
            "/fulfillment/202309/orders/{}/tracking",
            World::order_id(order)
        );
        async move {
            let (_, answer) = app.call(Method::GET, &path, shop).send(app).await;
            assert_eq!(answer["code"], 0, "{answer}");
            answer["data"]["tracking"].as_array().unwrap().clone()
        }
    };
    let events = tracking(delivered).await;
    assert_eq!(events[0]["description"], "Delivered");
    assert_eq!(
        events.last().unwrap()["description"],
        "Shipping label created"
    );
    let events = tracking(stalled).await;
    let latest = events[0]["update_time_millis"].as_u64().unwrap() / 1_000;
    assert!(
        app.double.now() as u64 - latest > 72 * 3_600,
        "no movement for more than 72 h"
    );
    assert!(events
        .iter()
        .all(|event| event["description"] != "Delivered"));
}
