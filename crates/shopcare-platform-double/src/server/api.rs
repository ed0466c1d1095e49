//! Handlers of the platform endpoints. Each takes a checked [`Request`] and returns
//! the serialized `data` object, or an [`ApiError`].

use super::gateway::{codes, ApiError, Endpoint, Request};
use super::pagination::{filter_hash, walk, Cursor, PageToken, Walk};
use super::state::{bumped, lock, Shared, Subscription};
use super::webhooks::WebhookEvent;
use crate::world::{
    CancelKind, CancelStatus, Conversation, Message, MessageKind, OrderStatus, ReturnStatus,
    ReturnType, SenderRole, World,
};
use axum::http::StatusCode;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

pub fn handle(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    use Endpoint::*;
    match request.endpoint {
        Shops => shops(shared),
        OrderSearch => order_search(shared, request),
        OrderDetail => order_detail(shared, request),
        PackageSearch => package_search(shared, request),
        PackageDetail => package_detail(shared, request),
        Tracking => tracking(shared, request),
        ReturnSearch => return_search(shared, request),
        ReturnApprove => return_decision(shared, request, true),
        ReturnReject => return_decision(shared, request, false),
        ReturnRecords => return_records(shared, request),
        RejectReasons => reject_reasons(),
        CancellationSearch => cancellation_search(shared, request),
        CancellationApprove => cancellation_decision(shared, request, true),
        CancellationReject => cancellation_decision(shared, request, false),
        Conversations => conversations(shared, request),
        CreateConversation => create_conversation(shared, request),
        Messages => messages(shared, request),
        SendMessage => send_message(shared, request),
        ReadMessages => Ok(b"{}".to_vec()),
        ProductSearch => product_search(shared, request),
        ProductDetail => product_detail(shared, request),
        WebhookList => webhook_list(shared, request),
        WebhookUpdate => webhook_update(shared, request),
        WebhookDelete => webhook_delete(shared, request),
    }
}

// ---------------------------------------------------------------------------------
// Helpers

fn to_json(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).expect("views always serialize")
}

fn parse_body<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body)
        .map_err(|error| ApiError::invalid_param(format!("Invalid request body: {error}")))
}

/// `page_size` within `[min, max]`; `default` when absent (`None` = required).
fn page_size(
    request: &Request<'_>,
    min: usize,
    max: usize,
    default: Option<usize>,
) -> Result<usize, ApiError> {
    let Some(raw) = request.param("page_size") else {
        return default
            .ok_or_else(|| ApiError::invalid("Invalid parameters: page_size is required"));
    };
    let size: usize = raw.parse().map_err(|_| {
        ApiError::invalid(format!(
            "Invalid parameters: page_size {raw:?} is not a number"
        ))
    })?;
    if size < min || size > max {
        return Err(ApiError::invalid(format!(
            "Invalid parameters: page_size must be between {min} and {max}"
        )));
    }
    Ok(size)
}

/// `(sort_field, ascending)` from the query, checked against `fields`.
fn sort<'a>(
    request: &'a Request<'_>,
    fields: &[&'static str],
    default_field: &'static str,
    default_ascending: bool,
) -> Result<(&'a str, bool), ApiError> {
    let field = request.param("sort_field").unwrap_or(default_field);
    if !fields.contains(&field) {
        return Err(ApiError::invalid(format!(
            "Invalid parameters: sort_field {field:?}"
        )));
    }
    let ascending = match request.param("sort_order") {
        None => default_ascending,
        Some("ASC") => true,
        Some("DESC") => false,
        Some(other) => {
            return Err(ApiError::invalid(format!(
                "Invalid parameters: sort_order {other:?}"
            )))
        }
    };
    Ok((field, ascending))
}

/// The cursor and carried total of `page_token`, checked against the scope and filter
/// it was made for.
fn cursor(
    request: &Request<'_>,
    scope: &str,
    hash: u64,
) -> Result<(Option<Cursor>, Option<usize>), ApiError> {
    let Some(raw) = request
        .param("page_token")
        .filter(|token| !token.is_empty())
    else {
        return Ok((None, None));
    };
    let token = PageToken::decode(raw).ok_or_else(|| ApiError::invalid("Invalid page_token"))?;
    if token.scope != scope || token.filter_hash != hash {
        return Err(ApiError::invalid(
            "Invalid page_token: it belongs to another sort or filter",
        ));
    }
    Ok((Some(token.cursor), Some(token.total_count as usize)))
}

fn next_token(scope: &str, hash: u64, next: Option<Cursor>, total_count: usize) -> String {
    next.map(|cursor| {
        PageToken {
            scope: scope.to_string(),
            cursor,
            filter_hash: hash,
            total_count: total_count as u64,
        }
        .encode()
    })
    .unwrap_or_default()
}

/// `{"<list>":[...],"total_count":N,"next_page_token":"..."}` without intermediate values.
fn list_data<T: Serialize>(
    list: &str,
    items: impl Iterator<Item = T>,
    total_count: Option<usize>,
    next_page_token: Option<&str>,
) -> Vec<u8> {
    let mut out = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(b"{\"");
    out.extend_from_slice(list.as_bytes());
    out.extend_from_slice(b"\":[");
    for (position, item) in items.enumerate() {
        if position > 0 {
            out.push(b',');
        }
        serde_json::to_writer(&mut out, &item).expect("views always serialize");
    }
    out.push(b']');
    if let Some(total) = total_count {
        out.extend_from_slice(b",\"total_count\":");
        out.extend_from_slice(total.to_string().as_bytes());
    }
    if let Some(token) = next_page_token {
        out.extend_from_slice(b",\"next_page_token\":");
        serde_json::to_writer(&mut out, token).expect("strings serialize");
    }
    out.push(b'}');
    out
}

fn clamp_time(value: Option<i64>, default: u32) -> u32 {
    value.map_or(default, |value| value.clamp(0, i64::from(u32::MAX)) as u32)
}

/// `[ge, lt)` as u32 seconds.
fn range(ge: Option<i64>, lt: Option<i64>) -> (u32, u32) {
    (clamp_time(ge, 0), clamp_time(lt, u32::MAX))
}

fn in_range(value: u32, (ge, lt): (u32, u32)) -> bool {
    value >= ge && value < lt
}

fn not_found(what: &str) -> ApiError {
    ApiError::invalid_param(format!("{what} not found in this shop"))
}

fn path_id<'a>(request: &Request<'a>) -> &'a str {
    request.path_ids.first().copied().unwrap_or("")
}

fn order_in_shop(world: &World, request: &Request<'_>, id: &str) -> Result<u32, ApiError> {
    world
        .order_index(id)
        .filter(|order| world.orders[*order as usize].shop == request.shop())
        .ok_or_else(|| ApiError::new(StatusCode::OK, codes::ORDER_NOT_FOUND, "Order not found"))
}

// ---------------------------------------------------------------------------------
// Shops

fn shops(shared: &Shared) -> Result<Vec<u8>, ApiError> {
    #[derive(Serialize)]
    struct ShopView<'a> {
        id: &'a str,
        name: &'a str,
        region: &'a str,
        seller_type: &'a str,
        cipher: &'a str,
        code: String,
    }
    let world = shared.read_world();
    let shops = world
        .world
        .shops
        .iter()
        .enumerate()
        .map(|(index, shop)| ShopView {
            id: &shop.id,
            name: &shop.name,
            region: shop.region,
            seller_type: if world.world.shops.len() > 1 {
                "CROSS_BORDER"
            } else {
                "LOCAL"
            },
            cipher: &shop.cipher,
            code: format!("{}LC{:04}", shop.region, index + 1),
        });
    Ok(list_data("shops", shops, None, None))
}

// ---------------------------------------------------------------------------------
// Orders

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct OrderSearchBody {
    order_status: Option<String>,
    create_time_ge: Option<i64>,
    create_time_lt: Option<i64>,
    update_time_ge: Option<i64>,
    update_time_lt: Option<i64>,
    shipping_type: Option<String>,
    buyer_user_id: Option<String>,
    is_buyer_request_cancel: Option<bool>,
}

fn order_search(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let size = page_size(request, 1, 100, None)?;
    let (field, ascending) = sort(
        request,
        &["create_time", "update_time"],
        "create_time",
        false,
    )?;
    let body: OrderSearchBody = parse_body(request.body)?;
    let status =
        match &body.order_status {
            Some(value) => Some(OrderStatus::parse(value).ok_or_else(|| {
                ApiError::invalid_param(format!("Unknown order_status {value:?}"))
            })?),
            None => None,
        };
    let scope = format!("orders:{field}:{ascending}");
    let hash = filter_hash(&format!("{body:?}"));
    let (after, known_total) = cursor(request, &scope, hash)?;
    let create = range(body.create_time_ge, body.create_time_lt);
    let update = range(body.update_time_ge, body.update_time_lt);
    let by_update = field == "update_time";
    let buyer = body.buyer_user_id.as_deref();
    let tiktok_shipping = body
        .shipping_type
        .as_deref()
        .is_none_or(|kind| kind == "TIKTOK");

    let indexed = shared.read_world();
    let world = &indexed.world;
    let shop_index = &indexed.shops[request.shop() as usize];
    let (index, key_range, other_range): (&[u32], _, _) = if by_update {
        (&shop_index.orders_by_update, update, create)
    } else {
        (&shop_index.orders_by_create, create, update)
    };
    let filtered = status.is_some()
        || other_range != (0, u32::MAX)
        || buyer.is_some()
        || body.is_buyer_request_cancel.is_some()
        || !tiktok_shipping;
    let key = |order: u32| {
        let value = &world.orders[order as usize];
        if by_update {
            value.update_time
        } else {
            value.create_time
        }
    };
    let page = walk(
        index,
        key,
        &Walk {
            key_ge: key_range.0,
            key_lt: key_range.1,
            ascending,
            after,
            known_total,
            page_size: size,
        },
        filtered,
        |order| {
            let value = &world.orders[order as usize];
            let other_time = if by_update {
                value.create_time
            } else {
                value.update_time
            };
            tiktok_shipping
                && status.is_none_or(|status| value.status == status)
                && in_range(other_time, other_range)
                && buyer.is_none_or(|buyer| World::buyer_user_id(value.buyer).to_string() == buyer)
                && body.is_buyer_request_cancel.is_none_or(|wanted| {
                    value.has_flag(crate::world::order_flags::BUYER_REQUESTED_CANCEL) == wanted
                })
        },
    );
    let token = next_token(&scope, hash, page.next, page.total_count);
    Ok(list_data(
        "orders",
        page.entries
            .iter()
            .map(|order| world.order_view(*order, false)),
        Some(page.total_count),
        Some(&token),
    ))
}

fn order_detail(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    // Accept both `ids=a,b` and repeated `ids=a&ids=b`.
    let ids: Vec<&str> = request
        .query
        .iter()
        .filter(|(key, _)| key == "ids")
        .flat_map(|(_, value)| value.split(','))
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .collect();
    if ids.is_empty() {
        return Err(ApiError::invalid("Invalid parameters: ids is required"));
    }
    if ids.len() > 50 {
        return Err(ApiError::invalid("Invalid parameters: at most 50 ids"));
    }
    let indexed = shared.read_world();
    let world = &indexed.world;
    let orders: Vec<u32> = ids
        .iter()
        .filter_map(|id| world.order_index(id))
        .filter(|order| world.orders[*order as usize].shop == request.shop())
        .collect();
    Ok(list_data(
        "orders",
        orders.iter().map(|order| world.order_view(*order, false)),
        None,
        None,
    ))
}

// ---------------------------------------------------------------------------------
// Packages and tracking

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PackageSearchBody {
    create_time_ge: Option<i64>,
    create_time_lt: Option<i64>,
    update_time_ge: Option<i64>,
    update_time_lt: Option<i64>,
    package_status: Option<String>,
}

fn package_search(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let size = page_size(request, 1, 50, None)?;
    let (field, ascending) = sort(
        request,
        &["create_time", "update_time", "order_pay_time"],
        "create_time",
        false,
    )?;
    let body: PackageSearchBody = parse_body(request.body)?;
    if let Some(status) = &body.package_status {
        if !["PROCESSING", "FULFILLING", "COMPLETED", "CANCELLED"].contains(&status.as_str()) {
            return Err(ApiError::invalid_param(format!(
                "Unknown package_status {status:?}"
            )));
        }
    }
    let scope = format!("packages:{field}:{ascending}");
    let hash = filter_hash(&format!("{body:?}"));
    let (after, known_total) = cursor(request, &scope, hash)?;
    let by_update = field == "update_time";
    let create = range(body.create_time_ge, body.create_time_lt);
    let update = range(body.update_time_ge, body.update_time_lt);

    let indexed = shared.read_world();
    let world = &indexed.world;
    let shop_index = &indexed.shops[request.shop() as usize];
    let (index, key_range, other_range): (&[u32], _, _) = if by_update {
        (&shop_index.packages_by_update, update, create)
    } else {
        (&shop_index.packages_by_create, create, update)
    };
    let key = |entry: u32| {
        if by_update {
            world.orders[(entry / 2) as usize].update_time
        } else {
            world.package_create_time(entry / 2, entry % 2)
        }
    };
    let filtered = body.package_status.is_some() || other_range != (0, u32::MAX);
    let page = walk(
        index,
        key,
        &Walk {
            key_ge: key_range.0,
            key_lt: key_range.1,
            ascending,
            after,
            known_total,
            page_size: size,
        },
        filtered,
        |entry| {
            let other_time = if by_update {
                world.package_create_time(entry / 2, entry % 2)
            } else {
                world.orders[(entry / 2) as usize].update_time
            };
            in_range(other_time, other_range)
                && body
                    .package_status
                    .as_deref()
                    .is_none_or(|status| world.package_status(entry / 2, entry % 2) == status)
        },
    );
    let token = next_token(&scope, hash, page.next, page.total_count);
    Ok(list_data(
        "packages",
        page.entries
            .iter()
            .map(|entry| world.package_view(entry / 2, entry % 2, false)),
        Some(page.total_count),
        Some(&token),
    ))
}

fn package_detail(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let indexed = shared.read_world();
    let world = &indexed.world;
    let (order, number) = world
        .package_index(path_id(request))
        .filter(|(order, _)| world.orders[*order as usize].shop == request.shop())
        .ok_or_else(|| not_found("Package"))?;
    Ok(to_json(&world.package_view(order, number, true)))
}

fn tracking(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    #[derive(Serialize)]
    struct EventView {
        description: &'static str,
        update_time_millis: u64,
    }
    let indexed = shared.read_world();
    let world = &indexed.world;
    let order = order_in_shop(world, request, path_id(request))?;
    let now = u32::try_from(shared.now().max(0)).unwrap_or(u32::MAX);
    let events = world.tracking_events(order, now);
    Ok(list_data(
        "tracking",
        events.into_iter().map(|(description, millis)| EventView {
            description,
            update_time_millis: millis,
        }),
        None,
        None,
    ))
}

// ---------------------------------------------------------------------------------
// Returns

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReturnSearchBody {
    return_ids: Option<Vec<String>>,
    order_ids: Option<Vec<String>>,
    buyer_user_ids: Option<Vec<String>>,
    return_types: Option<Vec<String>>,
    return_status: Option<Vec<String>>,
    arbitration_status: Option<Vec<String>>,
    create_time_ge: Option<i64>,
    create_time_lt: Option<i64>,
    update_time_ge: Option<i64>,
    update_time_lt: Option<i64>,
}

fn return_search(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let size = page_size(request, 10, 50, Some(10))?;
    let (field, ascending) = sort(
        request,
        &["create_time", "update_time"],
        "create_time",
        true,
    )?;
    let body: ReturnSearchBody = parse_body(request.body)?;
    let scope = format!("returns:{field}:{ascending}");
    let hash = filter_hash(&format!("{body:?}"));
    let (after, known_total) = cursor(request, &scope, hash)?;
    let by_update = field == "update_time";
    let create = range(body.create_time_ge, body.create_time_lt);
    let update = range(body.update_time_ge, body.update_time_lt);
    let types: Option<Vec<ReturnType>> = body.return_types.as_ref().map(|list| {
        list.iter()
            .filter_map(|value| ReturnType::parse(value))
            .collect()
    });
    let statuses: Option<Vec<ReturnStatus>> = body.return_status.as_ref().map(|list| {
        list.iter()
            .filter_map(|value| ReturnStatus::parse(value))
            .collect()
    });

    let indexed = shared.read_world();
    let world = &indexed.world;
    let shop_index = &indexed.shops[request.shop() as usize];
    let (index, key_range, other_range): (&[u32], _, _) = if by_update {
        (&shop_index.returns_by_update, update, create)
    } else {
        (&shop_index.returns_by_create, create, update)
    };
    let key = |entry: u32| {
        let value = &world.returns[entry as usize];
        if by_update {
            value.update_time
        } else {
            value.create_time
        }
    };
    let contains = |list: &Option<Vec<String>>, id: u64| {
        list.as_ref()
            .is_none_or(|list| list.iter().any(|wanted| wanted == &id.to_string()))
    };
    let filtered = other_range != (0, u32::MAX)
        || body.return_ids.is_some()
        || body.order_ids.is_some()
        || body.buyer_user_ids.is_some()
        || types.is_some()
        || statuses.is_some()
        || body.arbitration_status.is_some();
    let page = walk(
        index,
        key,
        &Walk {
            key_ge: key_range.0,
            key_lt: key_range.1,
            ascending,
            after,
            known_total,
            page_size: size,
        },
        filtered,
        |entry| {
            let value = &world.returns[entry as usize];
            let order = &world.orders[value.order as usize];
            let other_time = if by_update {
                value.create_time
            } else {
                value.update_time
            };
            in_range(other_time, other_range)
                && contains(&body.return_ids, World::return_id(entry))
                && contains(&body.order_ids, World::order_id(value.order))
                && contains(&body.buyer_user_ids, World::buyer_user_id(order.buyer))
                && types
                    .as_ref()
                    .is_none_or(|types| types.contains(&value.return_type))
                && statuses
                    .as_ref()
                    .is_none_or(|statuses| statuses.contains(&value.status))
                && body.arbitration_status.as_ref().is_none_or(|wanted| {
                    let status =
                        crate::world::render::ARBITRATION_STATUSES[value.arbitration as usize];
                    wanted.iter().any(|candidate| candidate == status)
                })
        },
    );
    let token = next_token(&scope, hash, page.next, page.total_count);
    Ok(list_data(
        "return_orders",
        page.entries
            .iter()
            .map(|entry| world.return_view(*entry, false)),
        Some(page.total_count),
        Some(&token),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DecisionBody {
    decision: Option<String>,
    buyer_keep_item: Option<bool>,
    partial_refund: Option<PartialRefund>,
    reject_reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PartialRefund {
    amount: Option<String>,
}

const APPROVALS: [&str; 6] = [
    "APPROVE_REFUND",
    "APPROVE_RETURN",
    "APPROVE_RECEIVED_PACKAGE",
    "APPROVE_REPLACEMENT",
    "ISSUE_REPLACEMENT_REFUND",
    "OFFER_PARTIAL_REFUND",
];

const REJECTIONS: [&str; 4] = [
    "REJECT_REFUND",
    "REJECT_RETURN",
    "REJECT_RECEIVED_PACKAGE",
    "REJECT_REPLACEMENT",
];

/// The status a seller decision leads to, or why it is not allowed now.
fn return_transition(
    return_type: ReturnType,
    status: ReturnStatus,
    decision: &str,
    body: &DecisionBody,
) -> Result<ReturnStatus, ApiError> {
    use ReturnStatus::*;
    let approving = APPROVALS.contains(&decision);
    let next = match (status, decision, return_type) {
        (RequestPending, "APPROVE_REFUND", ReturnType::Refund) => Some(RequestSuccess),
        (RequestPending, "APPROVE_RETURN", ReturnType::ReturnAndRefund) => {
            Some(if body.buyer_keep_item == Some(true) {
                RequestSuccess
            } else {
                AwaitingBuyerShip
            })
        }
        (RequestPending, "OFFER_PARTIAL_REFUND", _) => {
            let amount = body
                .partial_refund
                .as_ref()
                .and_then(|refund| refund.amount.as_deref());
            if amount.is_none_or(|amount| amount.parse::<f64>().is_err()) {
                return Err(ApiError::invalid_param("partial_refund.amount is required"));
            }
            Some(AwaitingBuyerResponse)
        }
        (BuyerShippedItem, "APPROVE_RECEIVED_PACKAGE", _) => Some(RequestSuccess),
        (ReplacementPending, "APPROVE_REPLACEMENT", _) => Some(ReplacementComplete),
        (ReplacementPending, "ISSUE_REPLACEMENT_REFUND", _) => Some(ReplacementRefundSuccess),
        (RequestPending, "REJECT_REFUND", ReturnType::Refund) => Some(RequestReject),
        (RequestPending, "REJECT_RETURN", ReturnType::ReturnAndRefund) => Some(RequestReject),
        (BuyerShippedItem, "REJECT_RECEIVED_PACKAGE", _) => Some(RejectReceivePackage),
        (ReplacementPending, "REJECT_REPLACEMENT", _) => Some(ReplacementReject),
        _ => None,
    };
    next.ok_or_else(|| {
        let (code, verb) = if approving {
            (codes::RETURN_APPROVE_FORBIDDEN, "approved")
        } else {
            (codes::RETURN_REJECT_FORBIDDEN, "rejected")
        };
        ApiError::new(
            StatusCode::OK,
            code,
            format!(
                "The return in status {} cannot be {verb} with {decision}",
                status.as_str()
            ),
        )
    })
}

fn return_decision(
    shared: &Shared,
    request: &Request<'_>,
    approve: bool,
) -> Result<Vec<u8>, ApiError> {
    let body: DecisionBody = parse_body(request.body)?;
    let decision = body
        .decision
        .clone()
        .ok_or_else(|| ApiError::invalid_param("decision is required"))?;
    if !approve && body.reject_reason.as_deref().is_none_or(str::is_empty) {
        return Err(ApiError::invalid_param("reject_reason is required"));
    }
    let allowed: &[&str] = if approve { &APPROVALS } else { &REJECTIONS };
    if !allowed.contains(&decision.as_str()) {
        return Err(ApiError::invalid_param(format!(
            "Invalid decision {decision:?} for this endpoint"
        )));
    }
    let now = shared.now();
    let event = {
        let mut indexed = shared.write_world();
        let index = indexed
            .world
            .return_index(path_id(request))
            .filter(|index| {
                let order = indexed.world.returns[*index as usize].order;
                indexed.world.orders[order as usize].shop == request.shop()
            })
            .ok_or_else(|| not_found("Return"))?;
        let value = &indexed.world.returns[index as usize];
        let next = return_transition(value.return_type, value.status, &decision, &body)?;
        let shop = request.shop();
        let event = set_return_status(&mut indexed.world, index, next, now, "SELLER");
        indexed.reindex(shop);
        event
    };
    shared.emit(vec![event]);
    Ok(b"{}".to_vec())
}

/// Moves a return to `status` and bumps its `update_time`; returns the
/// RETURN_STATUS_CHANGE event to send. The caller reindexes the shop.
pub fn set_return_status(
    world: &mut World,
    index: u32,
    status: ReturnStatus,
    now: i64,
    role: &str,
) -> WebhookEvent {
    let value = &mut world.returns[index as usize];
    value.status = status;
    value.update_time = bumped(value.update_time, now);
    value.seller_deadline = match status {
        ReturnStatus::BuyerShippedItem
        | ReturnStatus::RequestPending
        | ReturnStatus::ReplacementPending => value.update_time + 2 * 86_400,
        _ => 0,
    };
    let value = value.clone();
    let shop = world.orders[value.order as usize].shop;
    WebhookEvent {
        event_type: 12,
        shop_id: world.shops[shop as usize].id.clone(),
        data: json!({
            "order_id": World::order_id(value.order).to_string(),
            "return_role": role,
            "return_type": value.return_type.as_str(),
            "return_status": status.as_str(),
            "return_id": World::return_id(index).to_string(),
            "create_time": value.create_time,
            "update_time": value.update_time,
        }),
    }
}

fn return_records(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    #[derive(Serialize)]
    struct RecordView {
        event: &'static str,
        role: &'static str,
        description: String,
        create_time: u32,
    }
    let indexed = shared.read_world();
    let world = &indexed.world;
    let index = world
        .return_index(path_id(request))
        .filter(|index| {
            world.orders[world.returns[*index as usize].order as usize].shop == request.shop()
        })
        .ok_or_else(|| not_found("Return"))?;
    let value = &world.returns[index as usize];
    let (_, reason_text) = crate::world::render::return_reason(value.issue);
    let mut records = vec![RecordView {
        event: "BUYER_APPLY",
        role: "BUYER",
        description: format!(
            "Buyer requested {}: {reason_text}",
            value.return_type.as_str()
        ),
        create_time: value.create_time,
    }];
    if value.update_time != value.create_time {
        records.push(RecordView {
            event: "STATUS_CHANGE",
            role: "SYSTEM",
            description: format!("Status is now {}", value.status.as_str()),
            create_time: value.update_time,
        });
    }
    Ok(list_data("records", records.into_iter(), None, None))
}

fn reject_reasons() -> Result<Vec<u8>, ApiError> {
    const REASONS: [(&str, &str); 4] = [
        (
            "seller_reject_apply_product_has_been_used",
            "The item has been used",
        ),
        (
            "seller_reject_apply_no_evidence",
            "The buyer sent no evidence of the problem",
        ),
        (
            "seller_reject_apply_outside_return_window",
            "The request is outside the return window",
        ),
        (
            "seller_reject_apply_package_not_returned",
            "The package was not returned",
        ),
    ];
    Ok(to_json(&json!({
        "reasons": REASONS
            .iter()
            .map(|(name, text)| json!({ "name": name, "text": text }))
            .collect::<Vec<_>>()
    })))
}

// ---------------------------------------------------------------------------------
// Cancellations

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CancellationSearchBody {
    cancel_ids: Option<Vec<String>>,
    order_ids: Option<Vec<String>>,
    buyer_user_ids: Option<Vec<String>>,
    cancel_types: Option<Vec<String>>,
    cancel_status: Option<Vec<String>>,
    create_time_ge: Option<i64>,
    create_time_lt: Option<i64>,
    update_time_ge: Option<i64>,
    update_time_lt: Option<i64>,
}

fn cancellation_search(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let size = page_size(request, 1, 50, Some(10))?;
    let (field, ascending) = sort(
        request,
        &["create_time", "update_time"],
        "create_time",
        true,
    )?;
    let body: CancellationSearchBody = parse_body(request.body)?;
    let scope = format!("cancellations:{field}:{ascending}");
    let hash = filter_hash(&format!("{body:?}"));
    let (after, known_total) = cursor(request, &scope, hash)?;
    let by_update = field == "update_time";
    let create = range(body.create_time_ge, body.create_time_lt);
    let update = range(body.update_time_ge, body.update_time_lt);
    let statuses: Option<Vec<CancelStatus>> = body.cancel_status.as_ref().map(|list| {
        list.iter()
            .filter_map(|value| CancelStatus::parse(value))
            .collect()
    });

    let indexed = shared.read_world();
    let world = &indexed.world;
    let shop_index = &indexed.shops[request.shop() as usize];
    let (index, key_range, other_range): (&[u32], _, _) = if by_update {
        (&shop_index.cancellations_by_update, update, create)
    } else {
        (&shop_index.cancellations_by_create, create, update)
    };
    let key = |entry: u32| {
        let value = &world.cancellations[entry as usize];
        if by_update {
            value.update_time
        } else {
            value.create_time
        }
    };
    let contains = |list: &Option<Vec<String>>, id: u64| {
        list.as_ref()
            .is_none_or(|list| list.iter().any(|wanted| wanted == &id.to_string()))
    };
    let filtered = other_range != (0, u32::MAX)
        || body.cancel_ids.is_some()
        || body.order_ids.is_some()
        || body.buyer_user_ids.is_some()
        || body.cancel_types.is_some()
        || statuses.is_some();
    let page = walk(
        index,
        key,
        &Walk {
            key_ge: key_range.0,
            key_lt: key_range.1,
            ascending,
            after,
            known_total,
            page_size: size,
        },
        filtered,
        |entry| {
            let value = &world.cancellations[entry as usize];
            let order = &world.orders[value.order as usize];
            let other_time = if by_update {
                value.create_time
            } else {
                value.update_time
            };
            let cancel_type = if value.kind == CancelKind::Buyer {
                "BUYER_CANCEL"
            } else {
                "CANCEL"
            };
            in_range(other_time, other_range)
                && contains(&body.cancel_ids, World::cancel_id(entry))
                && contains(&body.order_ids, World::order_id(value.order))
                && contains(&body.buyer_user_ids, World::buyer_user_id(order.buyer))
                && body
                    .cancel_types
                    .as_ref()
                    .is_none_or(|types| types.iter().any(|wanted| wanted == cancel_type))
                && statuses
                    .as_ref()
                    .is_none_or(|statuses| statuses.contains(&value.status))
        },
    );
    let token = next_token(&scope, hash, page.next, page.total_count);
    Ok(list_data(
        "cancellations",
        page.entries
            .iter()
            .map(|entry| world.cancellation_view(*entry, false)),
        Some(page.total_count),
        Some(&token),
    ))
}

fn cancellation_decision(
    shared: &Shared,
    request: &Request<'_>,
    approve: bool,
) -> Result<Vec<u8>, ApiError> {
    let body: DecisionBody = parse_body(request.body)?;
    if !approve && body.reject_reason.as_deref().is_none_or(str::is_empty) {
        return Err(ApiError::invalid_param("reject_reason is required"));
    }
    let now = shared.now();
    let events = {
        let mut indexed = shared.write_world();
        let index = indexed
            .world
            .cancellation_index(path_id(request))
            .filter(|index| {
                let order = indexed.world.cancellations[*index as usize].order;
                indexed.world.orders[order as usize].shop == request.shop()
            })
            .ok_or_else(|| not_found("Cancellation"))?;
        if indexed.world.cancellations[index as usize].status != CancelStatus::Pending {
            return Err(ApiError::invalid_param(
                "The cancellation is not waiting for the seller",
            ));
        }
        let status = if approve {
            CancelStatus::Success
        } else {
            CancelStatus::Cancelled
        };
        let events = set_cancellation_status(&mut indexed.world, index, status, now);
        indexed.reindex(request.shop());
        events
    };
    shared.emit(events);
    Ok(b"{}".to_vec())
}

/// Moves a cancellation to `status` (approval cancels the order); returns the events
/// to send (CANCELLATION_STATUS_CHANGE, plus ORDER_STATUS_CHANGE when the order changed).
/// The caller reindexes the shop.
pub fn set_cancellation_status(
    world: &mut World,
    index: u32,
    status: CancelStatus,
    now: i64,
) -> Vec<WebhookEvent> {
    let value = &mut world.cancellations[index as usize];
    value.status = status;
    value.update_time = bumped(value.update_time, now);
    value.seller_deadline = if status == CancelStatus::Pending {
        value.update_time + 2 * 86_400
    } else {
        0
    };
    let value = value.clone();
    let order_index = value.order;
    let shop_id = world.shops[world.orders[order_index as usize].shop as usize]
        .id
        .clone();
    let mut events = vec![WebhookEvent {
        event_type: 11,
        shop_id: shop_id.clone(),
        data: json!({
            "order_id": World::order_id(order_index).to_string(),
            "cancellations_role": if value.kind == CancelKind::Buyer { "BUYER" } else { "SELLER" },
            "cancel_status": status.as_str(),
            "cancel_id": World::cancel_id(index).to_string(),
            "create_time": value.create_time,
        }),
    }];
    if status == CancelStatus::Success {
        let order = &mut world.orders[order_index as usize];
        order.status = OrderStatus::Cancelled;
        order.update_time = bumped(order.update_time, now);
        order.cancel_time = order.update_time;
        events.push(order_status_event(world, order_index));
    }
    events
}

/// ORDER_STATUS_CHANGE for an order as it is now.
pub fn order_status_event(world: &World, order: u32) -> WebhookEvent {
    let value = &world.orders[order as usize];
    WebhookEvent {
        event_type: 1,
        shop_id: world.shops[value.shop as usize].id.clone(),
        data: json!({
            "order_id": World::order_id(order).to_string(),
            // The webhook spells the cancelled status CANCEL (reference §5.1).
            "order_status": if value.status == OrderStatus::Cancelled { "CANCEL" } else { value.status.as_str() },
            "is_on_hold_order": value.status == OrderStatus::OnHold,
            "update_time": value.update_time,
        }),
    }
}

// ---------------------------------------------------------------------------------
// Chat

fn conversations(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let size = page_size(request, 1, 20, Some(20))?;
    let scope = "conversations:update_time:false";
    let hash = filter_hash("");
    let (after, known_total) = cursor(request, scope, hash)?;
    let indexed = shared.read_world();
    let world = &indexed.world;
    let index = &indexed.shops[request.shop() as usize].conversations_by_update;
    let page = walk(
        index,
        |entry| world.conversations[entry as usize].update_time,
        &Walk {
            key_ge: 0,
            key_lt: u32::MAX,
            ascending: false,
            after,
            known_total,
            page_size: size,
        },
        false,
        |_| true,
    );
    let token = next_token(scope, hash, page.next, page.total_count);
    Ok(list_data(
        "conversations",
        page.entries
            .iter()
            .map(|entry| world.conversation_view(*entry, false)),
        None,
        Some(&token),
    ))
}

fn conversation_in_shop(world: &World, request: &Request<'_>) -> Result<u32, ApiError> {
    world
        .conversation_index(path_id(request))
        .filter(|index| world.conversations[*index as usize].shop == request.shop())
        .ok_or_else(|| not_found("Conversation"))
}

fn messages(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let size = page_size(request, 1, 10, Some(10))?;
    let (field, ascending) = sort(request, &["create_time", "index"], "create_time", false)?;
    let indexed = shared.read_world();
    let world = &indexed.world;
    let conversation = conversation_in_shop(world, request)?;
    let scope = format!("messages:{conversation}:{field}:{ascending}");
    let hash = filter_hash("");
    let (after, known_total) = cursor(request, &scope, hash)?;
    // Messages are kept in creation order, so both sort fields walk positions.
    let positions: Vec<u32> = (0..world.conversation_messages(conversation).len() as u32).collect();
    let messages = world.conversation_messages(conversation);
    let page = walk(
        &positions,
        |position| position,
        &Walk {
            key_ge: 0,
            key_lt: u32::MAX,
            ascending,
            after,
            known_total,
            page_size: size,
        },
        false,
        |_| true,
    );
    let token = next_token(&scope, hash, page.next, page.total_count);
    Ok(list_data(
        "messages",
        page.entries
            .iter()
            .map(|position| world.message_view(messages[*position as usize])),
        None,
        Some(&token),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SendMessageBody {
    #[serde(rename = "type")]
    kind: Option<String>,
    content: Option<String>,
}

fn send_message(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    const TYPES: [&str; 6] = [
        "TEXT",
        "IMAGE",
        "PRODUCT_CARD",
        "ORDER_CARD",
        "RETURN_REFUND_CARD",
        "COUPON_CARD",
    ];
    let body: SendMessageBody = parse_body(request.body)?;
    let kind = body.kind.as_deref().unwrap_or_default();
    if !TYPES.contains(&kind) {
        return Err(ApiError::invalid_param(format!(
            "Invalid message type {kind:?}"
        )));
    }
    let content = body
        .content
        .as_deref()
        .ok_or_else(|| ApiError::invalid_param("content is required"))?;
    // `content` is JSON text such as {"content":"hi"}.
    let inner: serde_json::Value = serde_json::from_str(content)
        .map_err(|_| ApiError::invalid_param("content must be a JSON text"))?;
    let text = if kind == "TEXT" {
        inner
            .get("content")
            .and_then(|value| value.as_str())
            .ok_or_else(|| ApiError::invalid_param("TEXT content needs a \"content\" string"))?
            .to_string()
    } else {
        content.to_string()
    };
    if text.chars().count() > 2_000 {
        return Err(ApiError::invalid_param(
            "content is longer than 2000 characters",
        ));
    }
    let now = shared.now();
    let mut indexed = shared.write_world();
    let conversation = conversation_in_shop(&indexed.world, request)?;
    let message = append_message(
        &mut indexed.world,
        conversation,
        SenderRole::Shop,
        text,
        now,
    );
    indexed.reindex(request.shop());
    Ok(to_json(
        &json!({ "message_id": World::message_id(message).to_string() }),
    ))
}

/// Appends a message with stored text to a conversation; returns its index. The
/// caller reindexes the shop.
pub fn append_message(
    world: &mut World,
    conversation: u32,
    role: SenderRole,
    text: String,
    now: i64,
) -> u32 {
    let message = world.messages.len() as u32;
    let value = &mut world.conversations[conversation as usize];
    value.update_time = bumped(value.update_time, now);
    let create_time = value.update_time;
    let topic = value.topic;
    world.messages.push(Message {
        conversation,
        role,
        kind: MessageKind::Custom,
        topic,
        create_time,
    });
    world.custom_texts.insert(message, text);
    world
        .extra_messages
        .entry(conversation)
        .or_default()
        .push(message);
    message
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct CreateConversationBody {
    buyer_user_id: Option<String>,
}

fn create_conversation(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let body: CreateConversationBody = parse_body(request.body)?;
    let buyer_id = body
        .buyer_user_id
        .ok_or_else(|| ApiError::invalid_param("buyer_user_id is required"))?;
    let now = shared.now();
    let mut indexed = shared.write_world();
    let world = &indexed.world;
    let shop = request.shop();
    if let Some(existing) = world.conversations.iter().position(|conversation| {
        conversation.shop == shop
            && World::buyer_user_id(conversation.buyer).to_string() == buyer_id
    }) {
        return Ok(to_json(&json!({
            "conversation_id": World::conversation_id(existing as u32).to_string()
        })));
    }
    let order = (0..world.orders.len() as u32)
        .rev()
        .find(|order| {
            let value = &world.orders[*order as usize];
            value.shop == shop && World::buyer_user_id(value.buyer).to_string() == buyer_id
        })
        .ok_or_else(|| {
            ApiError::invalid_param("No buyer with this buyer_user_id bought from this shop")
        })?;
    let buyer = world.orders[order as usize].buyer;
    let index = indexed.world.conversations.len() as u32;
    let time = u32::try_from(now.max(0)).unwrap_or(u32::MAX);
    let first_message = indexed.world.messages.len() as u32;
    indexed.world.conversations.push(Conversation {
        shop,
        buyer,
        order,
        topic: crate::world::ChatTopic::Thanks,
        language: 0,
        first_message,
        message_count: 0,
        create_time: time,
        update_time: time,
    });
    indexed.reindex(shop);
    Ok(to_json(
        &json!({ "conversation_id": World::conversation_id(index).to_string() }),
    ))
}

// ---------------------------------------------------------------------------------
// Products

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ProductSearchBody {
    status: Option<String>,
    seller_skus: Option<Vec<String>>,
    create_time_ge: Option<i64>,
    create_time_le: Option<i64>,
    update_time_ge: Option<i64>,
    update_time_le: Option<i64>,
}

fn product_search(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let size = page_size(request, 1, 100, None)?;
    let body: ProductSearchBody = parse_body(request.body)?;
    if body
        .seller_skus
        .as_ref()
        .is_some_and(|skus| skus.len() > 10)
    {
        return Err(ApiError::invalid_param("At most 10 seller_skus"));
    }
    let scope = "products:update_time:true";
    let hash = filter_hash(&format!("{body:?}"));
    let (after, known_total) = cursor(request, scope, hash)?;
    // `_le` bounds are inclusive on this endpoint.
    let inclusive = |le: Option<i64>| le.map(|value| value.saturating_add(1));
    let create = range(body.create_time_ge, inclusive(body.create_time_le));
    let update = range(body.update_time_ge, inclusive(body.update_time_le));
    let status = body.status.as_deref().filter(|status| *status != "ALL");
    let indexed = shared.read_world();
    let world = &indexed.world;
    let index = &indexed.shops[request.shop() as usize].products_by_update;
    let page = walk(
        index,
        |product| world.products[product as usize].update_time,
        &Walk {
            key_ge: update.0,
            key_lt: update.1,
            ascending: true,
            after,
            known_total,
            page_size: size,
        },
        status.is_some() || body.seller_skus.is_some() || create != (0, u32::MAX),
        |product| {
            let value = &world.products[product as usize];
            let product_status = if value.active {
                "ACTIVATE"
            } else {
                "SELLER_DEACTIVATED"
            };
            in_range(value.create_time, create)
                && status.is_none_or(|status| status == product_status)
                && body.seller_skus.as_ref().is_none_or(|skus| {
                    (value.first_sku..value.first_sku + u32::from(value.sku_count))
                        .any(|sku| skus.contains(&world.seller_sku(sku)))
                })
        },
    );
    let token = next_token(scope, hash, page.next, page.total_count);
    Ok(list_data(
        "products",
        page.entries
            .iter()
            .map(|product| world.product_view(*product)),
        Some(page.total_count.min(10_000)),
        Some(&token),
    ))
}

fn product_detail(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let indexed = shared.read_world();
    let world = &indexed.world;
    let product = world
        .product_index(path_id(request))
        .filter(|product| world.products[*product as usize].shop == request.shop())
        .ok_or_else(|| not_found("Product"))?;
    Ok(to_json(&world.product_view(product)))
}

// ---------------------------------------------------------------------------------
// Webhook subscriptions (Event API)

const EVENT_TYPES: [&str; 12] = [
    "ORDER_STATUS_CHANGE",
    "RECIPIENT_ADDRESS_UPDATE",
    "PACKAGE_UPDATE",
    "PRODUCT_STATUS_CHANGE",
    "SELLER_DEAUTHORIZATION",
    "UPCOMING_AUTHORIZATION_EXPIRATION",
    "CANCELLATION_STATUS_CHANGE",
    "RETURN_STATUS_CHANGE",
    "NEW_CONVERSATION",
    "NEW_MESSAGE",
    "PRODUCT_INFORMATION_CHANGE",
    "PRODUCT_CREATION",
];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct WebhookBody {
    address: Option<String>,
    event_type: Option<String>,
}

fn webhook_list(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    #[derive(Serialize)]
    struct WebhookView {
        event_type: String,
        address: String,
        create_time: i64,
        update_time: i64,
    }
    let subscriptions = lock(&shared.subscriptions);
    let mut list: Vec<WebhookView> = subscriptions
        .iter()
        .filter(|((shop, _), _)| *shop == request.shop())
        .map(|((_, event_type), subscription)| WebhookView {
            event_type: event_type.clone(),
            address: subscription.address.clone(),
            create_time: subscription.create_time,
            update_time: subscription.update_time,
        })
        .collect();
    list.sort_by(|a, b| a.event_type.cmp(&b.event_type));
    let total = list.len();
    Ok(list_data("webhooks", list.into_iter(), Some(total), None))
}

fn event_type(body: &WebhookBody) -> Result<String, ApiError> {
    let event_type = body
        .event_type
        .clone()
        .ok_or_else(|| ApiError::invalid_param("event_type is required"))?;
    if !EVENT_TYPES.contains(&event_type.as_str()) {
        return Err(ApiError::invalid_param(format!(
            "Unknown event_type {event_type:?}"
        )));
    }
    Ok(event_type)
}

fn webhook_update(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let body: WebhookBody = parse_body(request.body)?;
    let event_type = event_type(&body)?;
    let address = body
        .address
        .filter(|address| !address.is_empty() && address.len() <= 255)
        .ok_or_else(|| ApiError::invalid_param("address is required (at most 255 characters)"))?;
    let now = shared.now();
    let mut subscriptions = lock(&shared.subscriptions);
    let entry = subscriptions
        .entry((request.shop(), event_type))
        .or_insert_with(|| Subscription {
            address: address.clone(),
            create_time: now,
            update_time: now,
        });
    entry.address = address;
    entry.update_time = now;
    Ok(b"{}".to_vec())
}

fn webhook_delete(shared: &Shared, request: &Request<'_>) -> Result<Vec<u8>, ApiError> {
    let body: WebhookBody = parse_body(request.body)?;
    let event_type = event_type(&body)?;
    lock(&shared.subscriptions).remove(&(request.shop(), event_type));
    Ok(b"{}".to_vec())
}
