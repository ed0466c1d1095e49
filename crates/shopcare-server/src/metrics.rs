//! Reputation metrics per shop at an as-of date: the 30- and 60-day windows of complete
//! calendar days in each shop's time zone, read from the store's incremental aggregates
//! (no scan of orders or reviews), assembled by `shopcare_core::metrics`.

use chrono::NaiveDate;
use serde::Serialize;
use shopcare_core::metrics::{
    default_target, flag_products, local_midnight_millis, star_trend, summarise, trend_week_edges,
    window_before, CauseCount, DeliveredItems, NegativeGroup, ProductMetrics, QualityFlagRule,
    StarTrendWeek, Target, WeekStars, Window, STAR_TREND_WEEKS,
};
use shopcare_core::{Currency, Shop};
use shopcare_store::{Store, StoreResult};
use std::collections::HashMap;
use std::sync::Arc;

/// Targets by market code (upper case); markets not listed use DOMAIN.md's defaults.
/// Also the rule that flags products for a supplier check.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MetricTargets {
    pub by_market: HashMap<String, Target>,
    pub quality_flag: QualityFlagRule,
}

impl MetricTargets {
    pub fn for_market(&self, market: &str) -> Target {
        self.by_market
            .get(&market.to_ascii_uppercase())
            .copied()
            .unwrap_or_else(|| default_target(market))
    }

    /// Parses `MARKET=PERCENT` (e.g. `TH=0.5`) into a target.
    pub fn parse_entry(entry: &str) -> Result<(String, Target), String> {
        let (market, percent) = entry
            .split_once('=')
            .ok_or_else(|| format!("target {entry:?}: expected MARKET=PERCENT, e.g. TH=0.5"))?;
        let basis_points = parse_percent_basis_points(percent.trim())
            .ok_or_else(|| format!("target {entry:?}: {percent:?} is not a percentage"))?;
        Ok((
            market.trim().to_ascii_uppercase(),
            Target {
                max_basis_points: basis_points,
                warning_percent_of_target: 80,
            },
        ))
    }
}

/// `"0.5"` → 50 basis points; at most two decimals, so the comparison stays exact.
fn parse_percent_basis_points(text: &str) -> Option<u64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if fraction.len() > 2 || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let fraction: u64 = if fraction.is_empty() {
        0
    } else {
        format!("{fraction:0<2}").parse().ok()?
    };
    whole.checked_mul(100)?.checked_add(fraction)
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShopMetrics {
    pub shop_id: String,
    pub market: String,
    pub time_zone: String,
    pub window_30d: Window,
    pub delivered_orders_30d: u64,
    pub negative_reviews_30d: u64,
    pub seller_related_negative_reviews_30d: u64,
    pub product_related_negative_reviews_30d: u64,
    pub service_related_negative_reviews_30d: u64,
    pub snrr_30d: Option<f64>,
    pub product_nrr_30d: Option<f64>,
    pub service_nrr_30d: Option<f64>,
    pub status: &'static str,
    pub headroom: u64,
    pub target_basis_points: u64,
    pub top_causes: Vec<CauseCount>,
    pub products: Vec<ProductMetrics>,
    pub window_60d: Window,
    pub delivered_orders_60d: u64,
    pub negative_reviews_60d: u64,
    pub seller_related_negative_reviews_60d: u64,
    pub snrr_60d: Option<f64>,
    pub status_60d: &'static str,
    /// The complete ISO weeks before the as-of day, oldest first: reviews, mean stars
    /// and the change against the week before.
    pub star_trend: Vec<StarTrendWeek>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricsReport {
    pub as_of: NaiveDate,
    pub shops: Vec<ShopMetrics>,
}

/// The metrics at `as_of` of every shop in the store, plus `extra_shops` (shops known
/// from elsewhere, e.g. a generated `shops.json`; the store's own record wins).
pub async fn metrics_report(
    store: &Arc<dyn Store>,
    as_of: NaiveDate,
    targets: &MetricTargets,
    mut extra_shops: Vec<Shop>,
) -> StoreResult<MetricsReport> {
    let mut shops = store.list_shops().await?;
    extra_shops.retain(|extra| !shops.iter().any(|shop| shop.id == extra.id));
    shops.extend(extra_shops);
    // Rows imported before their shop was known still count: such a shop is reported
    // on UTC days with the general target until the shop itself is stored.
    for shop_id in store.shops_with_aggregates().await? {
        if !shops.iter().any(|shop| shop.id == shop_id) {
            shops.push(Shop {
                id: shop_id.clone(),
                cipher: String::new(),
                name: shop_id.to_string(),
                region: String::new(),
                currency: Currency::parse("XXX").expect("XXX is a valid ISO 4217 code"),
                time_zone: chrono_tz::UTC,
            });
        }
    }
    shops.sort_by(|left, right| left.id.as_str().cmp(right.id.as_str()));
    let mut report = MetricsReport {
        as_of,
        shops: Vec::with_capacity(shops.len()),
    };
    for shop in &shops {
        report
            .shops
            .push(shop_metrics(store, shop, as_of, targets).await?);
    }
    Ok(report)
}

async fn window_groups(
    store: &Arc<dyn Store>,
    shop: &Shop,
    window: &Window,
) -> StoreResult<(u64, Vec<NegativeGroup>)> {
    let delivered = store
        .delivered_orders_in_buckets(&shop.id, window.start_bucket(), window.end_bucket())
        .await?;
    let groups = store
        .negative_reviews_in_buckets(&shop.id, window.start_bucket(), window.end_bucket())
        .await?
        .into_iter()
        .map(|count| NegativeGroup {
            product_id: count.product_id,
            sku_id: count.sku_id,
            root_cause: count.root_cause,
            seller_related: count.seller_related,
            reviews: count.reviews,
        })
        .collect();
    Ok((delivered, groups))
}

/// A shop's 30-day SNRR against its target: what the console's overview shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShopStanding {
    pub snrr_30d: Option<f64>,
    pub status: &'static str,
    pub headroom: u64,
    pub target_basis_points: u64,
}

/// The 30-day figures of [`shop_metrics`] without its per-product lists, 60-day window
/// and trend, so a page showing every shop reads only two small aggregate ranges each.
pub async fn shop_standing(
    store: &Arc<dyn Store>,
    shop: &Shop,
    as_of: NaiveDate,
    targets: &MetricTargets,
) -> StoreResult<ShopStanding> {
    let target = targets.for_market(&shop.region);
    let window = window_before(shop.time_zone, as_of, 30);
    let (delivered, groups) = window_groups(store, shop, &window).await?;
    let month = summarise(delivered, &DeliveredItems::default(), &groups, target);
    Ok(ShopStanding {
        snrr_30d: month.snrr,
        status: month.status.as_str(),
        headroom: month.headroom,
        target_basis_points: target.max_basis_points,
    })
}

/// One shop's metrics at `as_of`.
pub async fn shop_metrics(
    store: &Arc<dyn Store>,
    shop: &Shop,
    as_of: NaiveDate,
    targets: &MetricTargets,
) -> StoreResult<ShopMetrics> {
    let target = targets.for_market(&shop.region);
    let window_30d = window_before(shop.time_zone, as_of, 30);
    let window_60d = window_before(shop.time_zone, as_of, 60);
    let (delivered_30d, groups_30d) = window_groups(store, shop, &window_30d).await?;
    let (delivered_60d, groups_60d) = window_groups(store, shop, &window_60d).await?;
    // Products and SKUs are reported for 30 days only, so only that window reads them.
    let items_30d = store
        .delivered_items_in_window(&shop.id, window_30d.start_millis, window_30d.end_millis)
        .await?;
    let mut month = summarise(delivered_30d, &items_30d, &groups_30d, target);
    flag_products(&mut month.products, targets.quality_flag);
    let two_months = summarise(
        delivered_60d,
        &DeliveredItems::default(),
        &groups_60d,
        target,
    );
    let star_trend = weekly_stars(store, shop, as_of).await?;
    Ok(ShopMetrics {
        shop_id: shop.id.to_string(),
        market: shop.region.clone(),
        time_zone: shop.time_zone.name().to_owned(),
        window_30d,
        delivered_orders_30d: month.delivered_orders,
        negative_reviews_30d: month.negative_reviews,
        seller_related_negative_reviews_30d: month.seller_related_negative_reviews,
        product_related_negative_reviews_30d: month.product_related_negative_reviews,
        service_related_negative_reviews_30d: month.service_related_negative_reviews,
        snrr_30d: month.snrr,
        product_nrr_30d: month.product_nrr,
        service_nrr_30d: month.service_nrr,
        status: month.status.as_str(),
        headroom: month.headroom,
        target_basis_points: target.max_basis_points,
        top_causes: month.top_causes,
        products: month.products,
        window_60d,
        delivered_orders_60d: two_months.delivered_orders,
        negative_reviews_60d: two_months.negative_reviews,
        seller_related_negative_reviews_60d: two_months.seller_related_negative_reviews,
        snrr_60d: two_months.snrr,
        status_60d: two_months.status.as_str(),
        star_trend,
    })
}

/// The star-rating trend: one indexed range read of the shop's reviews over the trend's
/// weeks (a few thousand rows at most), grouped by week in SQL.
async fn weekly_stars(
    store: &Arc<dyn Store>,
    shop: &Shop,
    as_of: NaiveDate,
) -> StoreResult<Vec<StarTrendWeek>> {
    let days = trend_week_edges(as_of, STAR_TREND_WEEKS);
    let edges: Vec<i64> = days
        .iter()
        .map(|day| local_midnight_millis(shop.time_zone, *day))
        .collect();
    let mut weeks = vec![WeekStars::default(); STAR_TREND_WEEKS];
    for week in store.review_weeks(&shop.id, &edges).await? {
        if let Some(slot) = weeks.get_mut(week.week) {
            *slot = WeekStars {
                reviews: week.reviews,
                star_sum: week.star_sum,
            };
        }
    }
    Ok(star_trend(&days[..STAR_TREND_WEEKS], &weeks))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn target_entries_parse_exactly_and_reject_nonsense() {
        let (market, target) = MetricTargets::parse_entry("th=0.5").unwrap();
        assert_eq!(market, "TH");
        assert_eq!(target.max_basis_points, 50);
        assert_eq!(
            MetricTargets::parse_entry("US=1.2")
                .unwrap()
                .1
                .max_basis_points,
            120
        );
        assert!(MetricTargets::parse_entry("US").is_err());
        assert!(MetricTargets::parse_entry("US=abc").is_err());
        assert!(MetricTargets::parse_entry("US=0.125").is_err());
    }
}
