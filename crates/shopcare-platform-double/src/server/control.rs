//! `/_double/` control routes for tests: fault knobs, what the double received, the
//! clock, and mutations of the world. Every mutation bumps `update_time` (never below
//! the previous value) and sends the matching signed webhook.
//!
//! Answers are plain JSON (no platform envelope); errors are `{"error": "..."}` with
//! HTTP 400 or 404. Routes (no signing, no token):
//!
//! | route | effect |
//! |---|---|
//! | `GET/POST /_double/faults` | read / replace [`Faults`] (429 + Retry-After, 503, delay, duplicate webhooks) |
//! | `GET /_double/writes` | write requests received (method, path, query, body, idempotency key, replayed) |
//! | `GET /_double/webhooks` | webhook delivery attempts |
//! | `GET/POST /_double/clock` | read / `{"advance_seconds": N}`: auto-approves overdue returns and cancellations |
//! | `GET /_double/shops` | shops with their ciphers |
//! | `POST /_double/tokens/expire` | every access token expires now (→ 105002) |
//! | `POST /_double/auth_codes` | `{"code": C}`: one more single-use authorization code |
//! | `POST /_double/orders/{order_id}/status` | `{"status": S}` → webhook 1 |
//! | `POST /_double/returns` | `{"order_id", "return_type"?}` opens a pending return → webhook 12 |
//! | `POST /_double/cancellations` | `{"order_id"}` buyer cancellation request → webhook 11 |
//! | `POST /_double/conversations/{id}/messages` | `{"text"}` buyer message → webhook 14 |
//! | `POST /_double/packages/{package_id}/update` | package changed → webhook 4 |

use super::api::{append_message, order_status_event, set_cancellation_status, set_return_status};
use super::state::{bumped, lock, Shared};
use super::webhooks::WebhookEvent;
use super::{Faults, ShopInfo};
use crate::world::{
    order_flags, CancelKind, CancelStatus, Cancellation, OrderIssue, OrderStatus, Return,
    ReturnStatus, ReturnType, SenderRole, World,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use std::sync::atomic::Ordering;
use std::sync::Arc;

fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, Json(json!({ "error": message.into() }))).into_response()
}

pub fn shop_infos(world: &World) -> Vec<ShopInfo> {
    world
        .shops
        .iter()
        .map(|shop| ShopInfo {
            id: shop.id.clone(),
            cipher: shop.cipher.clone(),
            name: shop.name.clone(),
            region: shop.region.to_string(),
            currency: shop.currency.to_string(),
            time_zone: shop.time_zone.to_string(),
        })
        .collect()
}

pub async fn shops(State(shared): State<Arc<Shared>>) -> Response {
    Json(shop_infos(&shared.read_world().world)).into_response()
}

pub async fn get_faults(State(shared): State<Arc<Shared>>) -> Response {
    Json(lock(&shared.faults).clone()).into_response()
}

/// Replaces the fault knobs (missing fields = off).
pub async fn set_faults(State(shared): State<Arc<Shared>>, Json(faults): Json<Faults>) -> Response {
    *lock(&shared.faults) = faults.clone();
    Json(faults).into_response()
}

pub async fn writes(State(shared): State<Arc<Shared>>) -> Response {
    Json(lock(&shared.received_writes).clone()).into_response()
}

pub async fn webhook_attempts(State(shared): State<Arc<Shared>>) -> Response {
    Json(lock(&shared.webhook_attempts).clone()).into_response()
}

pub async fn get_clock(State(shared): State<Arc<Shared>>) -> Response {
    Json(json!({
        "now": shared.now(),
        "offset_seconds": shared.clock_offset.load(Ordering::Relaxed),
    }))
    .into_response()
}

#[derive(Deserialize)]
pub struct AdvanceBody {
    advance_seconds: i64,
}

pub async fn advance_clock(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<AdvanceBody>,
) -> Response {
    if body.advance_seconds < 0 {
        return error(StatusCode::BAD_REQUEST, "the clock only moves forward");
    }
    let approved = advance(&shared, body.advance_seconds);
    Json(json!({ "now": shared.now(), "auto_approved_returns": approved })).into_response()
}

/// Moves the business clock forward, then lets the platform act where the seller did
/// not: returns and buyer cancellations past their seller deadline are approved.
pub fn advance(shared: &Shared, seconds: i64) -> Vec<String> {
    shared.clock_offset.fetch_add(seconds, Ordering::Relaxed);
    let now = shared.now();
    let mut events: Vec<WebhookEvent> = Vec::new();
    let mut approved = Vec::new();
    {
        let mut indexed = shared.write_world();
        let mut touched = std::collections::BTreeSet::new();
        let world = &mut indexed.world;
        for index in 0..world.returns.len() as u32 {
            let value = &world.returns[index as usize];
            if value.seller_deadline == 0 || i64::from(value.seller_deadline) > now {
                continue;
            }
            let next = match (value.status, value.return_type) {
                (ReturnStatus::RequestPending, ReturnType::ReturnAndRefund) => {
                    ReturnStatus::AwaitingBuyerShip
                }
                (ReturnStatus::RequestPending, _) | (ReturnStatus::BuyerShippedItem, _) => {
                    ReturnStatus::RequestSuccess
                }
                (ReturnStatus::ReplacementPending, _) => ReturnStatus::ReplacementComplete,
                _ => continue,
            };
            touched.insert(world.orders[value.order as usize].shop);
            events.push(set_return_status(world, index, next, now, "SYSTEM"));
            approved.push(World::return_id(index).to_string());
        }
        for index in 0..world.cancellations.len() as u32 {
            let value = &world.cancellations[index as usize];
            if value.status != CancelStatus::Pending
                || value.seller_deadline == 0
                || i64::from(value.seller_deadline) > now
            {
                continue;
            }
            touched.insert(world.orders[value.order as usize].shop);
            events.extend(set_cancellation_status(
                world,
                index,
                CancelStatus::Success,
                now,
            ));
        }
        for shop in touched {
            indexed.reindex(shop);
        }
    }
    shared.emit(events);
    approved
}

/// Expires every access token now (next API call → 105002).
pub async fn expire_tokens(State(shared): State<Arc<Shared>>) -> Response {
    let now = shared.now();
    let mut tokens = lock(&shared.tokens);
    for token in tokens.access.values_mut() {
        token.expires_at = now;
    }
    Json(json!({ "expired": tokens.access.len() })).into_response()
}

#[derive(Deserialize)]
pub struct AuthCodeBody {
    code: String,
}

/// Registers one more single-use authorization code.
pub async fn add_auth_code(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<AuthCodeBody>,
) -> Response {
    let mut tokens = lock(&shared.tokens);
    tokens.used_codes.remove(&body.code);
    tokens.valid_codes.insert(body.code);
    Json(json!({})).into_response()
}

#[derive(Deserialize)]
pub struct StatusBody {
    status: String,
}

pub async fn set_order_status(
    State(shared): State<Arc<Shared>>,
    Path(order_id): Path<String>,
    Json(body): Json<StatusBody>,
) -> Response {
    let Some(status) = OrderStatus::parse(&body.status) else {
        return error(
            StatusCode::BAD_REQUEST,
            format!("unknown status {:?}", body.status),
        );
    };
    let now = shared.now();
    let event = {
        let mut indexed = shared.write_world();
        let Some(order) = indexed.world.order_index(&order_id) else {
            return error(StatusCode::NOT_FOUND, "no such order");
        };
        let value = &mut indexed.world.orders[order as usize];
        let time = bumped(value.update_time, now);
        let shipped = status.has_packages();
        if status != OrderStatus::Unpaid && value.paid_time == 0 {
            value.paid_time = time;
            value.rts_sla_time = time + 2 * 86_400;
        }
        if shipped && value.rts_time == 0 {
            value.rts_time = time;
        }
        if status == OrderStatus::PartiallyShipping && value.line_item_count >= 2 {
            value.second_package_delay_hours = value.second_package_delay_hours.max(24);
        }
        if matches!(
            status,
            OrderStatus::InTransit | OrderStatus::Delivered | OrderStatus::Completed
        ) && value.collection_time == 0
        {
            value.collection_time = time;
        }
        if matches!(status, OrderStatus::Delivered | OrderStatus::Completed)
            && value.delivery_time == 0
        {
            value.delivery_time = time;
        }
        if status == OrderStatus::Cancelled {
            value.cancel_time = time;
        }
        value.status = status;
        value.update_time = time;
        let shop = value.shop;
        indexed.reindex(shop);
        order_status_event(&indexed.world, order)
    };
    shared.emit(vec![event.clone()]);
    Json(event.data).into_response()
}

#[derive(Deserialize)]
pub struct OpenReturnBody {
    order_id: String,
    #[serde(default)]
    return_type: Option<String>,
}

/// The buyer opens a return on an order (default `RETURN_AND_REFUND`, reason damaged).
pub async fn open_return(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<OpenReturnBody>,
) -> Response {
    let return_type = match body.return_type.as_deref() {
        None => ReturnType::ReturnAndRefund,
        Some(value) => match ReturnType::parse(value) {
            Some(kind) => kind,
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    format!("unknown return_type {value:?}"),
                )
            }
        },
    };
    let now = shared.now();
    let (return_id, event) = {
        let mut indexed = shared.write_world();
        let Some(order) = indexed.world.order_index(&body.order_id) else {
            return error(StatusCode::NOT_FOUND, "no such order");
        };
        let world = &mut indexed.world;
        if world.orders[order as usize].paid_time == 0 {
            return error(StatusCode::BAD_REQUEST, "the order was never paid");
        }
        let time = bumped(0, now);
        let index = world.returns.len() as u32;
        let line_item_count = world.orders[order as usize].line_item_count;
        let refund_minor = if return_type == ReturnType::Replacement {
            0
        } else {
            world.order_items_minor(order)
        };
        let status = if return_type == ReturnType::Replacement {
            ReturnStatus::ReplacementPending
        } else {
            ReturnStatus::RequestPending
        };
        world.returns.push(Return {
            order,
            return_type,
            status,
            issue: OrderIssue::Damaged,
            line_item_mask: (1u8 << line_item_count) - 1,
            arbitration: 0,
            create_time: time,
            update_time: time.saturating_sub(1),
            seller_deadline: 0,
            refund_minor,
        });
        let event = set_return_status(world, index, status, now, "BUYER");
        let shop = world.orders[order as usize].shop;
        indexed.reindex(shop);
        (World::return_id(index).to_string(), event)
    };
    shared.emit(vec![event]);
    Json(json!({ "return_id": return_id })).into_response()
}

#[derive(Deserialize)]
pub struct OpenCancellationBody {
    order_id: String,
}

/// The buyer asks to cancel an order; the seller has 48 h to answer.
pub async fn open_cancellation(
    State(shared): State<Arc<Shared>>,
    Json(body): Json<OpenCancellationBody>,
) -> Response {
    let now = shared.now();
    let (cancel_id, events) = {
        let mut indexed = shared.write_world();
        let Some(order) = indexed.world.order_index(&body.order_id) else {
            return error(StatusCode::NOT_FOUND, "no such order");
        };
        let world = &mut indexed.world;
        if world.orders[order as usize].status == OrderStatus::Cancelled {
            return error(StatusCode::BAD_REQUEST, "the order is already cancelled");
        }
        let index = world.cancellations.len() as u32;
        let time = bumped(0, now);
        world.cancellations.push(Cancellation {
            order,
            kind: CancelKind::Buyer,
            status: CancelStatus::Pending,
            create_time: time,
            update_time: time.saturating_sub(1),
            seller_deadline: 0,
        });
        let value = &mut world.orders[order as usize];
        value.flags |= order_flags::BUYER_REQUESTED_CANCEL;
        value.update_time = bumped(value.update_time, now);
        let shop = value.shop;
        let events = set_cancellation_status(world, index, CancelStatus::Pending, now);
        indexed.reindex(shop);
        (World::cancel_id(index).to_string(), events)
    };
    shared.emit(events);
    Json(json!({ "cancel_id": cancel_id })).into_response()
}

#[derive(Deserialize)]
pub struct BuyerMessageBody {
    text: String,
}

/// The buyer writes in a conversation (NEW_MESSAGE webhook).
pub async fn buyer_message(
    State(shared): State<Arc<Shared>>,
    Path(conversation_id): Path<String>,
    Json(body): Json<BuyerMessageBody>,
) -> Response {
    let now = shared.now();
    let event = {
        let mut indexed = shared.write_world();
        let Some(conversation) = indexed.world.conversation_index(&conversation_id) else {
            return error(StatusCode::NOT_FOUND, "no such conversation");
        };
        let message = append_message(
            &mut indexed.world,
            conversation,
            SenderRole::Buyer,
            body.text,
            now,
        );
        let shop = indexed.world.conversations[conversation as usize].shop;
        indexed.reindex(shop);
        let world = &indexed.world;
        let view = serde_json::to_value(world.message_view(message)).unwrap_or_default();
        WebhookEvent {
            event_type: 14,
            shop_id: world.shops[shop as usize].id.clone(),
            data: json!({
                "message_id": view["id"],
                "index": view["index"],
                "conversation_id": World::conversation_id(conversation).to_string(),
                "type": view["type"],
                "content": view["content"],
                "create_time": view["create_time"],
                "is_visible": true,
                "sender": { "im_user_id": view["sender"]["im_user_id"], "role": "BUYER" },
            }),
        }
    };
    shared.emit(vec![event.clone()]);
    Json(event.data).into_response()
}

/// Something changed about a package (PACKAGE_UPDATE webhook); bumps the order.
pub async fn package_update(
    State(shared): State<Arc<Shared>>,
    Path(package_id): Path<String>,
) -> Response {
    let now = shared.now();
    let event = {
        let mut indexed = shared.write_world();
        let Some((order, _)) = indexed.world.package_index(&package_id) else {
            return error(StatusCode::NOT_FOUND, "no such package");
        };
        let value = &mut indexed.world.orders[order as usize];
        value.update_time = bumped(value.update_time, now);
        let (shop, update_time) = (value.shop, value.update_time);
        indexed.reindex(shop);
        WebhookEvent {
            event_type: 4,
            shop_id: indexed.world.shops[shop as usize].id.clone(),
            data: json!({
                "sc_type": "SPLIT",
                "role_type": "SELLER",
                "package_list": [{
                    "package_id": package_id,
                    "order_id_list": [World::order_id(order).to_string()],
                }],
                "update_time": update_time,
            }),
        }
    };
    shared.emit(vec![event.clone()]);
    Json(event.data).into_response()
}
