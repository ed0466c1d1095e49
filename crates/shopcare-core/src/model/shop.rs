//! Shops: one TikTok Shop storefront in one region, with its own calendar.

use super::{Currency, ShopId};
use chrono_tz::Tz;

#[derive(Debug, Clone, PartialEq)]
pub struct Shop {
    pub id: ShopId,
    /// Opaque `shop_cipher` the Partner API needs on every shop-scoped call.
    pub cipher: String,
    pub name: String,
    /// Two-letter market code as the platform reports it (`US`, `ID`, `TH`, ...).
    pub region: String,
    pub currency: Currency,
    /// Days, weeks and deadlines for this shop are counted in this zone.
    pub time_zone: Tz,
}

/// The IANA time zone and currency a shop in `region` uses when the platform does
/// not say. Markets with several zones get their commercial capital's.
pub fn region_defaults(region: &str) -> Option<(Tz, &'static str)> {
    let defaults = match region.to_ascii_uppercase().as_str() {
        "US" => (Tz::America__Los_Angeles, "USD"),
        "GB" | "UK" => (Tz::Europe__London, "GBP"),
        "ID" => (Tz::Asia__Jakarta, "IDR"),
        "MY" => (Tz::Asia__Kuala_Lumpur, "MYR"),
        "TH" => (Tz::Asia__Bangkok, "THB"),
        "VN" => (Tz::Asia__Ho_Chi_Minh, "VND"),
        "PH" => (Tz::Asia__Manila, "PHP"),
        "SG" => (Tz::Asia__Singapore, "SGD"),
        "MX" => (Tz::America__Mexico_City, "MXN"),
        "ES" => (Tz::Europe__Madrid, "EUR"),
        _ => return None,
    };
    Some(defaults)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_regions_have_a_zone_and_unknown_ones_do_not() {
        assert_eq!(region_defaults("th"), Some((Tz::Asia__Bangkok, "THB")));
        assert_eq!(region_defaults("ZZ"), None);
    }
}
