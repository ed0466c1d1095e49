//! OAuth token data and authorized shops (reference §2).

use super::convert::{optional, required};
use super::lenient;
use crate::error::ConvertError;
use serde::{Deserialize, Serialize};
use shopcare_core::{region_defaults, Currency, Shop, ShopId};

/// `data` of `/api/v2/token/get` and `/api/v2/token/refresh`. The `*_expire_in`
/// fields are absolute Unix seconds despite their name.
#[derive(Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct TokenDto {
    pub access_token: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub access_token_expire_in: Option<i64>,
    pub refresh_token: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub refresh_token_expire_in: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub open_id: Option<String>,
    pub seller_name: Option<String>,
    pub seller_base_region: Option<String>,
    /// 0 = seller.
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub user_type: Option<i64>,
    pub granted_scopes: Option<Vec<String>>,
}

// Tokens are secrets: keep them out of logs.
impl std::fmt::Debug for TokenDto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenDto")
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| "<redacted>"),
            )
            .field("access_token_expire_in", &self.access_token_expire_in)
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("refresh_token_expire_in", &self.refresh_token_expire_in)
            .field("open_id", &self.open_id)
            .field("seller_name", &self.seller_name)
            .field("seller_base_region", &self.seller_base_region)
            .field("user_type", &self.user_type)
            .field("granted_scopes", &self.granted_scopes)
            .finish()
    }
}

/// One shop the token may act for.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthorizedShopDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    pub name: Option<String>,
    pub region: Option<String>,
    /// `LOCAL` or `CROSS_BORDER`.
    pub seller_type: Option<String>,
    /// The `shop_cipher` for shop-scoped calls.
    pub cipher: Option<String>,
    pub code: Option<String>,
}

/// `data` of `GET /authorization/202309/shops`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthorizedShopsData {
    pub shops: Option<Vec<AuthorizedShopDto>>,
}

/// Converts an authorized shop, taking its time zone and currency from the region
/// (the platform states neither). An unknown region is an error on `region`: the
/// caller must then configure the shop by hand.
pub fn shop_from_dto(dto: AuthorizedShopDto) -> Result<Shop, ConvertError> {
    let region = required("region", dto.region)?;
    let (time_zone, currency) = region_defaults(&region)
        .ok_or_else(|| ConvertError::new("region", format!("{region:?} has no known time zone")))?;
    let currency = Currency::parse(currency)
        .map_err(|error| ConvertError::new("region", error.to_string()))?;
    Ok(Shop {
        id: ShopId::new(required("id", dto.id)?),
        cipher: required("cipher", dto.cipher)?,
        name: optional(dto.name).unwrap_or_default(),
        region: region.to_ascii_uppercase(),
        currency,
        time_zone,
    })
}
