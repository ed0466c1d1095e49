//! Products (reference §5.5) and the conversion into `shopcare_core::Product`.

use super::convert::{optional_money, optional_time, required, required_time};
use super::lenient;
use crate::error::ConvertError;
use serde::{Deserialize, Serialize};
use shopcare_core::{Product, ProductId, ShopId, Sku, SkuId};

/// `skus[].price`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PriceDto {
    pub currency: Option<String>,
    pub sale_price: Option<String>,
    pub tax_exclusive_price: Option<String>,
}

/// `skus[].inventory[]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct InventoryDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub warehouse_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub quantity: Option<i64>,
}

/// One SKU of a product.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductSkuDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    pub seller_sku: Option<String>,
    pub price: Option<PriceDto>,
    pub inventory: Option<Vec<InventoryDto>>,
}

/// One product.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    pub title: Option<String>,
    /// `ACTIVATE`, `SELLER_DEACTIVATED`, ... kept verbatim.
    pub status: Option<String>,
    pub skus: Option<Vec<ProductSkuDto>>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub create_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub update_time: Option<i64>,
}

/// `data` of `POST /product/202309/products/search`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ProductSearchPage {
    pub products: Option<Vec<ProductDto>>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub total_count: Option<i64>,
    pub next_page_token: Option<String>,
}

/// Filters of a product search (JSON body). Note the `_le` bounds (not `_lt`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ProductSearch {
    /// `ALL`, `ACTIVATE`, `DRAFT`, ...
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// At most 10.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub seller_skus: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time_ge: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub create_time_le: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time_ge: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_time_le: Option<i64>,
}

/// Converts one product. Required: `id`, `create_time`; `update_time` falls back to it.
pub fn product_from_dto(shop_id: &ShopId, dto: ProductDto) -> Result<Product, ConvertError> {
    let create_time = required_time("create_time", dto.create_time)?;
    let skus = dto
        .skus
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(index, sku)| {
            sku_from_dto(sku).map_err(|error| error.within(&format!("skus[{index}]")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Product {
        id: ProductId::new(required("id", dto.id)?),
        shop_id: shop_id.clone(),
        title: dto.title.unwrap_or_default(),
        status: dto.status.unwrap_or_default(),
        skus,
        update_time: optional_time("update_time", dto.update_time)?.unwrap_or(create_time),
        create_time,
    })
}

fn sku_from_dto(dto: ProductSkuDto) -> Result<Sku, ConvertError> {
    let price = dto.price.unwrap_or_default();
    Ok(Sku {
        id: SkuId::new(required("id", dto.id)?),
        seller_sku: dto.seller_sku.unwrap_or_default(),
        price: optional_money(
            "price.sale_price",
            price.sale_price.as_deref(),
            price.currency.as_deref(),
        )?,
    })
}
