//! Returns, refunds, replacements and cancellations (reference §5.3): search pages,
//! decisions, reject reasons and records, and conversions into
//! `shopcare_core::{AfterSalesCase, Cancellation}`.

use super::convert::{optional, optional_money, optional_time, required, required_time};
use super::lenient;
use crate::error::ConvertError;
use serde::{Deserialize, Serialize};
use shopcare_core::{
    ActorRole, AfterSalesCase, AfterSalesKind, ArbitrationStatus, CancelStatus, Cancellation,
    CancellationId, CaseId, Money, OrderId, ReturnLineItem, ReturnStatus, SellerNextAction, ShopId,
    SkuId,
};

/// `seller_next_action_response[]`: what the seller must do, by when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NextActionDto {
    pub action: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub deadline: Option<i64>,
}

/// `refund_amount` of a return, line item or cancellation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RefundAmountDto {
    pub currency: Option<String>,
    pub refund_total: Option<String>,
    pub refund_subtotal: Option<String>,
    pub refund_shipping_fee: Option<String>,
    pub refund_tax: Option<String>,
}

/// `partial_refund` offered by the seller.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PartialRefundDto {
    pub currency: Option<String>,
    pub amount: Option<String>,
}

/// `return_line_items[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnLineItemDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub return_line_item_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub order_line_item_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub sku_id: Option<String>,
    pub product_name: Option<String>,
    pub seller_sku: Option<String>,
    pub refund_amount: Option<RefundAmountDto>,
}

/// One return / refund / replacement request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub return_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub order_id: Option<String>,
    /// `REFUND`, `RETURN_AND_REFUND`, `REPLACEMENT`, or newer values (kept).
    pub return_type: Option<String>,
    pub return_status: Option<String>,
    pub arbitration_status: Option<String>,
    pub role: Option<String>,
    pub return_reason: Option<String>,
    pub return_reason_text: Option<String>,
    pub shipment_type: Option<String>,
    pub return_tracking_number: Option<String>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub can_buyer_keep_item: Option<bool>,
    pub seller_next_action_response: Option<Vec<NextActionDto>>,
    pub refund_amount: Option<RefundAmountDto>,
    pub return_line_items: Option<Vec<ReturnLineItemDto>>,
    pub partial_refund: Option<PartialRefundDto>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub create_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub update_time: Option<i64>,
}

/// `data` of `POST /return_refund/202309/returns/search`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnSearchPage {
    pub return_orders: Option<Vec<ReturnDto>>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub total_count: Option<i64>,
    pub next_page_token: Option<String>,
}

/// Filters of a return search (JSON body); sorting travels in the query.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReturnSearch {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub return_ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub order_ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub buyer_user_ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub return_types: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub return_status: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub arbitration_status: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time_ge: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time_lt: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time_ge: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time_lt: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    /// `create_time` or `update_time` (query).
    #[serde(skip)]
    pub sort_field: Option<String>,
    /// Query; the platform's default is `ASC`.
    #[serde(skip)]
    pub sort_order: Option<super::SortOrder>,
}

/// `cancel_line_items[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CancelLineItemDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub cancel_line_item_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub order_line_item_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub sku_id: Option<String>,
    pub product_name: Option<String>,
    pub seller_sku: Option<String>,
    pub refund_amount: Option<RefundAmountDto>,
}

/// One cancellation request.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CancellationDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub cancel_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub order_id: Option<String>,
    pub cancel_type: Option<String>,
    pub cancel_status: Option<String>,
    pub role: Option<String>,
    pub cancel_reason: Option<String>,
    pub cancel_reason_text: Option<String>,
    pub seller_next_action_response: Option<Vec<NextActionDto>>,
    pub refund_amount: Option<RefundAmountDto>,
    pub cancel_line_items: Option<Vec<CancelLineItemDto>>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub create_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub update_time: Option<i64>,
}

/// `data` of `POST /return_refund/202309/cancellations/search`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CancellationSearchPage {
    pub cancellations: Option<Vec<CancellationDto>>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub total_count: Option<i64>,
    pub next_page_token: Option<String>,
}

/// Filters of a cancellation search (JSON body); sorting travels in the query.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CancellationSearch {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cancel_ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub order_ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub buyer_user_ids: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cancel_types: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cancel_status: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time_ge: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time_lt: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time_ge: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time_lt: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub locale: Option<String>,
    #[serde(skip)]
    pub sort_field: Option<String>,
    #[serde(skip)]
    pub sort_order: Option<super::SortOrder>,
}

/// Body of `POST .../returns/{return_id}/approve`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApproveReturn {
    /// `APPROVE_REFUND`, `APPROVE_RETURN`, `APPROVE_RECEIVED_PACKAGE`,
    /// `APPROVE_REPLACEMENT`, `ISSUE_REPLACEMENT_REFUND` or `OFFER_PARTIAL_REFUND`.
    pub decision: String,
    /// With `APPROVE_RETURN`: refund without asking for the item back.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_keep_item: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial_refund: Option<PartialRefundAmount>,
}

/// `partial_refund` of an approve decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PartialRefundAmount {
    pub currency: String,
    /// Decimal string, e.g. `"4.50"`.
    pub amount: String,
}

impl From<&Money> for PartialRefundAmount {
    fn from(money: &Money) -> Self {
        Self {
            currency: money.currency().as_str().to_owned(),
            amount: money.amount_string(),
        }
    }
}

/// An image attached to a reject decision (uploaded beforehand).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectImage {
    pub image_id: String,
    pub mime_type: String,
    pub height: u32,
    pub width: u32,
}

/// Body of `POST .../returns/{return_id}/reject`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectReturn {
    /// `REJECT_REFUND`, `REJECT_RETURN`, `REJECT_RECEIVED_PACKAGE` or `REJECT_REPLACEMENT`.
    pub decision: String,
    /// A reason `name` from the reject-reasons endpoint.
    pub reject_reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<RejectImage>,
}

/// Body of `POST .../cancellations/{cancel_id}/reject`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RejectCancellation {
    pub reject_reason: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<RejectImage>,
}

/// One reason a seller may give when rejecting.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RejectReasonDto {
    /// Machine name, sent back as `reject_reason`.
    pub name: Option<String>,
    /// Localised text for people.
    pub text: Option<String>,
}

/// `data` of `GET /return_refund/202309/reject_reasons`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RejectReasonsData {
    pub reasons: Option<Vec<RejectReasonDto>>,
}

/// One entry of a return's timeline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnRecordDto {
    pub event: Option<String>,
    pub role: Option<String>,
    pub description: Option<String>,
    pub note: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub create_time: Option<i64>,
}

/// `data` of `GET .../returns/{return_id}/records`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnRecordsData {
    pub records: Option<Vec<ReturnRecordDto>>,
}

/// Converts one return. Required: `return_id`, `order_id`, `return_type`,
/// `return_status`, `create_time`; `update_time` falls back to `create_time`.
pub fn return_from_dto(shop_id: &ShopId, dto: ReturnDto) -> Result<AfterSalesCase, ConvertError> {
    let create_time = required_time("create_time", dto.create_time)?;
    let refund = dto.refund_amount.unwrap_or_default();
    let line_items = dto
        .return_line_items
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            return_line_item_from_dto(item, refund.currency.as_deref())
                .map_err(|error| error.within(&format!("return_line_items[{index}]")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(AfterSalesCase {
        id: CaseId::new(required("return_id", dto.return_id)?),
        shop_id: shop_id.clone(),
        order_id: OrderId::new(required("order_id", dto.order_id)?),
        kind: AfterSalesKind::parse(&required("return_type", dto.return_type)?),
        status: ReturnStatus::parse(&required("return_status", dto.return_status)?),
        arbitration_status: optional(dto.arbitration_status)
            .map(|status| ArbitrationStatus::parse(&status)),
        role: optional(dto.role).map(|role| ActorRole::parse(&role)),
        reason: optional(dto.return_reason),
        reason_text: optional(dto.return_reason_text),
        refund_total: optional_money(
            "refund_amount.refund_total",
            refund.refund_total.as_deref(),
            refund.currency.as_deref(),
        )?,
        next_actions: next_actions_from_dto(dto.seller_next_action_response)?,
        line_items,
        return_tracking_number: optional(dto.return_tracking_number),
        update_time: optional_time("update_time", dto.update_time)?.unwrap_or(create_time),
        create_time,
    })
}

fn return_line_item_from_dto(
    dto: ReturnLineItemDto,
    case_currency: Option<&str>,
) -> Result<ReturnLineItem, ConvertError> {
    let refund = dto.refund_amount.unwrap_or_default();
    let currency = refund
        .currency
        .as_deref()
        .filter(|c| !c.is_empty())
        .or(case_currency);
    Ok(ReturnLineItem {
        id: required("return_line_item_id", dto.return_line_item_id)?,
        order_line_item_id: dto.order_line_item_id.unwrap_or_default(),
        sku_id: SkuId::new(dto.sku_id.unwrap_or_default()),
        product_name: dto.product_name.unwrap_or_default(),
        refund_amount: optional_money(
            "refund_amount.refund_total",
            refund.refund_total.as_deref(),
            currency,
        )?,
    })
}

fn next_actions_from_dto(
    actions: Option<Vec<NextActionDto>>,
) -> Result<Vec<SellerNextAction>, ConvertError> {
    actions
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .filter_map(|(index, action)| {
            let field = format!("seller_next_action_response[{index}]");
            let name = optional(action.action)?;
            Some(
                optional_time("deadline", action.deadline)
                    .map(|deadline| SellerNextAction {
                        action: name,
                        deadline,
                    })
                    .map_err(|error| error.within(&field)),
            )
        })
        .collect()
}

/// Converts one cancellation. Required: `cancel_id`, `order_id`, `cancel_status`,
/// `create_time`; `update_time` falls back to `create_time`.
pub fn cancellation_from_dto(
    shop_id: &ShopId,
    dto: CancellationDto,
) -> Result<Cancellation, ConvertError> {
    let create_time = required_time("create_time", dto.create_time)?;
    let refund = dto.refund_amount.unwrap_or_default();
    Ok(Cancellation {
        id: CancellationId::new(required("cancel_id", dto.cancel_id)?),
        shop_id: shop_id.clone(),
        order_id: OrderId::new(required("order_id", dto.order_id)?),
        cancel_type: dto.cancel_type.unwrap_or_default(),
        status: CancelStatus::parse(&required("cancel_status", dto.cancel_status)?),
        role: optional(dto.role).map(|role| ActorRole::parse(&role)),
        reason: optional(dto.cancel_reason),
        reason_text: optional(dto.cancel_reason_text),
        refund_total: optional_money(
            "refund_amount.refund_total",
            refund.refund_total.as_deref(),
            refund.currency.as_deref(),
        )?,
        next_actions: next_actions_from_dto(dto.seller_next_action_response)?,
        update_time: optional_time("update_time", dto.update_time)?.unwrap_or(create_time),
        create_time,
    })
}
