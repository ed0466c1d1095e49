//! Packages and carrier tracking (reference §5.2) and their conversions into
//! `shopcare_core::{Package, TrackingEvent}`.

use super::convert::{optional, optional_time, required, required_time, required_time_millis};
use super::lenient;
use crate::error::ConvertError;
use serde::{Deserialize, Serialize};
use shopcare_core::{
    OrderId, Package, PackageId, PackageStatus, ShopId, TrackingEvent, TrackingStage,
};

/// A package from `packages/search` (`id`, `status`) or the package detail
/// (`package_id`, `package_status`); both spellings are accepted.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PackageDto {
    #[serde(alias = "package_id", deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(alias = "package_status")]
    pub status: Option<String>,
    pub tracking_number: Option<String>,
    pub shipping_provider_name: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub shipping_provider_id: Option<String>,
    pub orders: Option<Vec<PackageOrderDto>>,
    pub order_line_item_ids: Option<Vec<String>>,
    pub split_and_combine_tag: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub create_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub update_time: Option<i64>,
}

/// `orders[]` inside a package.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PackageOrderDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    pub skus: Option<Vec<PackageSkuDto>>,
}

/// `orders[].skus[]` inside a package (deprecated by the platform, still sent).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PackageSkuDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    pub name: Option<String>,
    pub image_url: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub quantity: Option<i64>,
}

/// `data` of `POST /fulfillment/202309/packages/search`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PackageSearchPage {
    pub packages: Option<Vec<PackageDto>>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub total_count: Option<i64>,
    pub next_page_token: Option<String>,
}

/// Filters of a package search (JSON body); sorting travels in the query.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PackageSearch {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub package_status: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time_ge: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time_lt: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time_ge: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time_lt: Option<i64>,
    /// `create_time`, `update_time` or `order_pay_time` (query).
    #[serde(skip)]
    pub sort_field: Option<String>,
    #[serde(skip)]
    pub sort_order: Option<super::SortOrder>,
}

/// One carrier scan.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrackingDto {
    pub description: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub update_time_millis: Option<i64>,
}

/// `data` of `GET /fulfillment/202309/orders/{order_id}/tracking`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TrackingData {
    pub tracking: Option<Vec<TrackingDto>>,
}

/// Converts one package. Required: `id`, `status`, `create_time`; a missing
/// `update_time` falls back to `create_time`.
pub fn package_from_dto(shop_id: &ShopId, dto: PackageDto) -> Result<Package, ConvertError> {
    let create_time = required_time("create_time", dto.create_time)?;
    Ok(Package {
        id: PackageId::new(required("id", dto.id)?),
        shop_id: shop_id.clone(),
        order_ids: dto
            .orders
            .unwrap_or_default()
            .into_iter()
            .filter_map(|order| optional(order.id).map(OrderId::new))
            .collect(),
        status: PackageStatus::parse(&required("status", dto.status)?),
        tracking_number: optional(dto.tracking_number),
        shipping_provider: optional(dto.shipping_provider_name),
        update_time: optional_time("update_time", dto.update_time)?.unwrap_or(create_time),
        create_time,
    })
}

/// Converts the tracking list of one order; stages are read from the descriptions.
/// (The shop is implied by the order; tracking events carry no shop id.)
pub fn tracking_from_dto(
    order_id: &OrderId,
    data: TrackingData,
) -> Result<Vec<TrackingEvent>, ConvertError> {
    data.tracking
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(index, event)| {
            let within = |error: ConvertError| error.within(&format!("tracking[{index}]"));
            let description = event.description.unwrap_or_default();
            Ok(TrackingEvent {
                order_id: order_id.clone(),
                stage: TrackingStage::from_description(&description),
                time: required_time_millis("update_time_millis", event.update_time_millis)
                    .map_err(within)?,
                description,
            })
        })
        .collect()
}
