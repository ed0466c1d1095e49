//! Orders (reference §5.1): `orders/search` and `orders?ids=` DTOs, the search body,
//! and the conversion into `shopcare_core::Order`.
//!
//! `orders.jsonl` import files hold this same DTO plus a `shop_id`, read into
//! [`OrderDto::shop_id`] (the API itself never sends one).

use super::convert::{optional, optional_money, optional_time, required, required_time};
use super::lenient;
use crate::error::ConvertError;
use serde::{Deserialize, Serialize};
use shopcare_core::{
    BuyerId, LineItem, LineItemId, Order, OrderId, OrderStatus, PackageId, PackageStatus,
    ProductId, ShopId, SkuId,
};

/// One order as the platform sends it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderDto {
    /// Only in import files: the API scopes orders by `shop_cipher` instead.
    #[serde(
        deserialize_with = "lenient::opt_string",
        skip_serializing_if = "Option::is_none"
    )]
    pub shop_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    /// `UNPAID`, ..., `CANCELLED` (webhooks say `CANCEL`); unknown values are kept.
    pub status: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub create_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub update_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub paid_time: Option<i64>,
    /// The buyer's id (same as chat `user_id`).
    #[serde(deserialize_with = "lenient::opt_string")]
    pub user_id: Option<String>,
    pub buyer_message: Option<String>,
    pub seller_note: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub rts_sla_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub rts_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub tts_sla_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub delivery_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub collection_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub cancel_order_sla_time: Option<i64>,
    pub cancel_reason: Option<String>,
    pub cancellation_initiator: Option<String>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub is_buyer_request_cancel: Option<bool>,
    pub tracking_number: Option<String>,
    pub shipping_provider: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub shipping_provider_id: Option<String>,
    pub shipping_type: Option<String>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub is_sample_order: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub is_replacement_order: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub replaced_order_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub is_on_hold_order: Option<bool>,
    pub packages: Option<Vec<OrderPackageDto>>,
    pub payment: Option<PaymentDto>,
    pub recipient_address: Option<RecipientAddressDto>,
    pub line_items: Option<Vec<OrderLineItemDto>>,
}

/// `packages[]` of an order: only the id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderPackageDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
}

/// `payment` of an order: decimal strings in `currency`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PaymentDto {
    pub currency: Option<String>,
    pub sub_total: Option<String>,
    pub shipping_fee: Option<String>,
    pub seller_discount: Option<String>,
    pub platform_discount: Option<String>,
    pub tax: Option<String>,
    pub total_amount: Option<String>,
    pub original_total_product_price: Option<String>,
    pub original_shipping_fee: Option<String>,
}

/// `recipient_address` (absent while `UNPAID`/`ON_HOLD`; phone is masked). Kept on the
/// DTO only: shopcare stores no buyer addresses.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecipientAddressDto {
    pub name: Option<String>,
    pub phone_number: Option<String>,
    pub full_address: Option<String>,
    pub postal_code: Option<String>,
    pub region_code: Option<String>,
}

/// One line item: one unit of one SKU (the platform has no quantity field).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderLineItemDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub sku_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub product_id: Option<String>,
    pub product_name: Option<String>,
    pub sku_name: Option<String>,
    pub seller_sku: Option<String>,
    pub sku_image: Option<String>,
    pub original_price: Option<String>,
    pub sale_price: Option<String>,
    pub currency: Option<String>,
    pub display_status: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub package_id: Option<String>,
    pub package_status: Option<String>,
    pub tracking_number: Option<String>,
    pub cancel_reason: Option<String>,
}

/// `data` of `POST /order/202309/orders/search`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderSearchPage {
    pub orders: Option<Vec<OrderDto>>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub total_count: Option<i64>,
    pub next_page_token: Option<String>,
}

/// `data` of `GET /order/202309/orders?ids=`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderDetailData {
    pub orders: Option<Vec<OrderDto>>,
}

/// Filters of an order search. Times are Unix seconds; `sort_field` and `sort_order`
/// travel in the query, everything else in the JSON body.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct OrderSearch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub order_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time_ge: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time_lt: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time_ge: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time_lt: Option<i64>,
    /// `TIKTOK` or `SELLER`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shipping_type: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub buyer_user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub is_buyer_request_cancel: Option<bool>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub warehouse_ids: Vec<String>,
    /// `create_time` or `update_time` (query).
    #[serde(skip)]
    pub sort_field: Option<String>,
    /// Query; the platform's default is `DESC`.
    #[serde(skip)]
    pub sort_order: Option<super::SortOrder>,
}

/// Converts one platform order. Required: `id`, `status`, `user_id`, `create_time`;
/// a missing `update_time` falls back to `create_time` (the oldest safe value).
pub fn order_from_dto(shop_id: &ShopId, dto: OrderDto) -> Result<Order, ConvertError> {
    let id = required("id", dto.id)?;
    let status = OrderStatus::parse(&required("status", dto.status)?);
    let create_time = required_time("create_time", dto.create_time)?;
    let update_time = optional_time("update_time", dto.update_time)?.unwrap_or(create_time);
    let payment = dto.payment.unwrap_or_default();
    let total = optional_money(
        "payment.total_amount",
        payment.total_amount.as_deref(),
        payment.currency.as_deref(),
    )?;
    let line_items = dto
        .line_items
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(index, item)| {
            line_item_from_dto(item, payment.currency.as_deref())
                .map_err(|error| error.within(&format!("line_items[{index}]")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let package_ids = dto
        .packages
        .unwrap_or_default()
        .into_iter()
        .filter_map(|package| optional(package.id).map(PackageId::new))
        .collect();
    Ok(Order {
        id: OrderId::new(id),
        shop_id: shop_id.clone(),
        status,
        buyer: BuyerId::new(required("user_id", dto.user_id)?),
        create_time,
        update_time,
        paid_time: optional_time("paid_time", dto.paid_time)?,
        ship_by_time: optional_time("rts_sla_time", dto.rts_sla_time)?,
        shipped_time: optional_time("rts_time", dto.rts_time)?,
        delivery_time: optional_time("delivery_time", dto.delivery_time)?,
        total,
        cancel_reason: optional(dto.cancel_reason),
        cancellation_initiator: optional(dto.cancellation_initiator),
        shipping_provider: optional(dto.shipping_provider),
        tracking_number: optional(dto.tracking_number),
        is_replacement_order: dto.is_replacement_order.unwrap_or(false),
        line_items,
        package_ids,
    })
}

fn line_item_from_dto(
    dto: OrderLineItemDto,
    order_currency: Option<&str>,
) -> Result<LineItem, ConvertError> {
    let currency = dto
        .currency
        .as_deref()
        .filter(|c| !c.is_empty())
        .or(order_currency);
    Ok(LineItem {
        id: LineItemId::new(required("id", dto.id)?),
        product_id: ProductId::new(required("product_id", dto.product_id)?),
        sku_id: SkuId::new(required("sku_id", dto.sku_id)?),
        sale_price: optional_money("sale_price", dto.sale_price.as_deref(), currency)?,
        product_name: dto.product_name.unwrap_or_default(),
        sku_name: dto.sku_name.unwrap_or_default(),
        seller_sku: dto.seller_sku.unwrap_or_default(),
        package_id: optional(dto.package_id).map(PackageId::new),
        package_status: optional(dto.package_status).map(|status| PackageStatus::parse(&status)),
        display_status: optional(dto.display_status),
    })
}
