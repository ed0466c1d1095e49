//! Products and their SKUs (variants).

use super::{Money, ProductId, ShopId, SkuId, Timestamp};

#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub id: ProductId,
    pub shop_id: ShopId,
    pub title: String,
    /// `ACTIVATE`, `SELLER_DEACTIVATED`, ... kept verbatim.
    pub status: String,
    pub skus: Vec<Sku>,
    pub create_time: Timestamp,
    pub update_time: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Sku {
    pub id: SkuId,
    pub seller_sku: String,
    pub price: Option<Money>,
}
