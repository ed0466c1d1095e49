//! Reputation metrics maths: reporting windows in the shop's time zone, the Seller-related
//! Negative Review Rate (SNRR) and its product/service split, per-market targets, status
//! and headroom. Pure: the store supplies counts, the caller supplies the as-of date.
//!
//! Counts are kept by the store in fixed UTC buckets of [`BUCKET_MILLIS`] (15 minutes).
//! Every IANA zone's midnight falls on a quarter hour, so summing whole buckets between
//! two local midnights gives exact counts in any zone, across DST changes, with no
//! per-zone aggregate tables.

use crate::classify::RootCause;
use chrono::{Datelike, Duration, NaiveDate, TimeZone};
use chrono_tz::Tz;
use serde::Serialize;
use std::collections::BTreeMap;

/// Width of one aggregate bucket: a quarter hour, in milliseconds.
pub const BUCKET_MILLIS: i64 = 15 * 60 * 1000;

/// The bucket holding the instant `millis` (Unix milliseconds, UTC).
pub fn bucket_of(millis: i64) -> i64 {
    millis.div_euclid(BUCKET_MILLIS)
}

/// A reporting window as half-open bucket and millisecond ranges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Window {
    pub days: u32,
    /// First instant inside the window (local midnight `days` days before as-of), UTC ms.
    pub start_millis: i64,
    /// First instant after the window (local midnight starting the as-of day), UTC ms.
    pub end_millis: i64,
}

impl Window {
    pub fn start_bucket(&self) -> i64 {
        bucket_of(self.start_millis)
    }

    pub fn end_bucket(&self) -> i64 {
        bucket_of(self.end_millis)
    }
}

/// The first instant of local day `date` in `zone`. Where DST skips midnight (a few zones
/// move their clocks at 00:00), the day starts at the first local time that exists.
pub fn local_midnight_millis(zone: Tz, date: NaiveDate) -> i64 {
    let mut local = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // A DST gap is at most a few hours; step forward a quarter hour until time exists.
    for _ in 0..16 {
        if let Some(instant) = zone.from_local_datetime(&local).earliest() {
            return instant.timestamp_millis();
        }
        local += Duration::minutes(15);
    }
    zone.from_utc_datetime(&local).timestamp_millis()
}

/// The `days` complete calendar days before `as_of` (as-of day excluded), in `zone`.
pub fn window_before(zone: Tz, as_of: NaiveDate, days: u32) -> Window {
    let first_day = as_of - Duration::days(i64::from(days));
    Window {
        days,
        start_millis: local_midnight_millis(zone, first_day),
        end_millis: local_midnight_millis(zone, as_of),
    }
}

/// Complete ISO weeks (Monday to Sunday, shop time zone) in the star-rating trend.
pub const STAR_TREND_WEEKS: usize = 8;

/// The Mondays starting the [`STAR_TREND_WEEKS`] complete weeks before `as_of`, oldest
/// first, plus the Monday that ends the last of them: `weeks + 1` day edges. A week is
/// complete when its Sunday is before the as-of day.
pub fn trend_week_edges(as_of: NaiveDate, weeks: usize) -> Vec<NaiveDate> {
    let days_since_monday = i64::from(as_of.weekday().num_days_from_monday());
    let end = as_of - Duration::days(days_since_monday);
    (0..=weeks)
        .rev()
        .map(|back| end - Duration::weeks(back as i64))
        .collect()
}

/// One week of reviews: how many, and the sum of their stars.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WeekStars {
    pub reviews: u64,
    pub star_sum: u64,
}

/// One week of the star-rating trend.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StarTrendWeek {
    pub week_start: NaiveDate,
    pub reviews: u64,
    /// Mean stars, two decimals; `None` for a week without reviews.
    pub average_rating: Option<f64>,
    /// Change of the mean against the previous week (two decimals); `None` when either
    /// week had no reviews.
    pub average_change: Option<f64>,
}

/// The week-over-week trend from per-week counts (`weeks[i]` starts at `starts[i]`).
pub fn star_trend(starts: &[NaiveDate], weeks: &[WeekStars]) -> Vec<StarTrendWeek> {
    let round = |value: f64| (value * 100.0).round() / 100.0;
    let mut previous: Option<f64> = None;
    starts
        .iter()
        .zip(weeks)
        .map(|(start, week)| {
            let average =
                (week.reviews > 0).then(|| round(week.star_sum as f64 / week.reviews as f64));
            let change = match (average, previous) {
                (Some(now), Some(before)) => Some(round(now - before)),
                _ => None,
            };
            previous = average;
            StarTrendWeek {
                week_start: *start,
                reviews: week.reviews,
                average_rating: average,
                average_change: change,
            }
        })
        .collect()
}

/// Which rate a root cause counts towards, besides the seller-related total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CauseGroup {
    /// What was sold: `product_quality`, `not_as_described`.
    Product,
    /// How it was handled: `wrong_or_missing_item`, `packaging_damage`, `late_dispatch`,
    /// `customer_service`.
    Service,
    /// Carrier after a timely hand-over: `delivery` (excluded from SNRR).
    Logistics,
    /// Seller-related but neither product nor service: `price_value`, `other`.
    OtherSellerRelated,
    /// No complaint.
    NoComplaint,
}

/// The documented mapping from a root cause to its rate group.
pub fn cause_group(cause: RootCause) -> CauseGroup {
    match cause {
        RootCause::ProductQuality | RootCause::NotAsDescribed => CauseGroup::Product,
        RootCause::WrongOrMissingItem
        | RootCause::PackagingDamage
        | RootCause::LateDispatch
        | RootCause::CustomerService => CauseGroup::Service,
        RootCause::Delivery => CauseGroup::Logistics,
        RootCause::PriceValue | RootCause::Other => CauseGroup::OtherSellerRelated,
        RootCause::None => CauseGroup::NoComplaint,
    }
}

/// Same as [`cause_group`] for a stored label; unknown labels count as seller-related
/// "other" so a label added later is never silently dropped from the rate.
pub fn cause_group_of_label(label: &str) -> CauseGroup {
    RootCause::parse(label).map_or(CauseGroup::OtherSellerRelated, cause_group)
}

/// A rate target in basis points (1 % = 100), so comparisons are exact integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Target {
    pub max_basis_points: u64,
    /// Warning once the rate reaches this share of the target, in percent.
    pub warning_percent_of_target: u64,
}

/// DOMAIN.md §3 defaults: ≤ 1 % general guidance; Thailand 0.5 %.
pub fn default_target(market: &str) -> Target {
    let max_basis_points = if market.eq_ignore_ascii_case("TH") {
        50
    } else {
        100
    };
    Target {
        max_basis_points,
        warning_percent_of_target: 80,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Ok,
    Warning,
    Breach,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Warning => "warning",
            Status::Breach => "breach",
        }
    }
}

/// `numerator ÷ denominator`, or `None` with no delivered orders.
pub fn rate(numerator: u64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64)
}

/// Status of `negatives` seller-related negatives over `delivered` orders: breach when
/// the rate exceeds the target, warning from the warning share of it. With no delivered
/// orders any negative is a breach and none is ok.
pub fn status(negatives: u64, delivered: u64, target: Target) -> Status {
    let scaled = u128::from(negatives) * 10_000 * 100;
    let limit = u128::from(delivered) * u128::from(target.max_basis_points) * 100;
    let warning = u128::from(delivered)
        * u128::from(target.max_basis_points)
        * u128::from(target.warning_percent_of_target);
    if scaled > limit {
        Status::Breach
    } else if negatives > 0 && scaled >= warning {
        Status::Warning
    } else {
        Status::Ok
    }
}

/// How many more seller-related negatives fit before the rate exceeds the target at the
/// current delivered volume (0 when already at or over it).
pub fn headroom(negatives: u64, delivered: u64, target: Target) -> u64 {
    let allowed = u128::from(delivered) * u128::from(target.max_basis_points) / 10_000;
    u64::try_from(allowed.saturating_sub(u128::from(negatives))).unwrap_or(u64::MAX)
}

/// 1–2★ reviews of one product, SKU, root cause and seller-relatedness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NegativeGroup {
    pub product_id: String,
    pub sku_id: String,
    pub root_cause: String,
    pub seller_related: bool,
    pub reviews: u64,
}

/// Negatives by root cause, largest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CauseCount {
    pub root_cause: String,
    pub group: CauseGroup,
    pub reviews: u64,
    /// Share of all 1–2★ reviews in the window.
    pub share: f64,
}

/// Delivered orders per product and per SKU in one window. An order counts once for
/// each product and each SKU it contains, whatever the number of units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeliveredItems {
    pub by_product: BTreeMap<String, u64>,
    /// Keyed by (product id, SKU id).
    pub by_sku: BTreeMap<(String, String), u64>,
}

/// Delivered orders, negatives and rates of one SKU.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkuMetrics {
    pub sku_id: String,
    pub delivered_orders: u64,
    pub negative_reviews: u64,
    pub seller_related_negative_reviews: u64,
    pub product_related_negative_reviews: u64,
    pub service_related_negative_reviews: u64,
    /// Share of the shop's seller-related negatives.
    pub share_of_seller_related: f64,
    /// Seller-related 1–2★ reviews ÷ delivered orders of this SKU.
    pub snrr: Option<f64>,
    pub product_nrr: Option<f64>,
    pub service_nrr: Option<f64>,
    pub top_cause: Option<String>,
}

/// Delivered orders, negatives and rates of one product, with its SKUs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProductMetrics {
    pub product_id: String,
    pub delivered_orders: u64,
    pub negative_reviews: u64,
    pub seller_related_negative_reviews: u64,
    pub product_related_negative_reviews: u64,
    pub service_related_negative_reviews: u64,
    pub share_of_seller_related: f64,
    /// Seller-related 1–2★ reviews ÷ delivered orders of this product.
    pub snrr: Option<f64>,
    pub product_nrr: Option<f64>,
    pub service_nrr: Option<f64>,
    /// Set by [`flag_products`]: the product's complaints are mostly about the product
    /// itself, so the supplier should be checked or the listing pulled.
    pub flagged_for_supplier_check: bool,
    pub skus: Vec<SkuMetrics>,
}

/// When a product is flagged for a supplier check or delisting (DOMAIN.md §3): at least
/// `min_reviews` product-related (quality, not-as-described) 1–2★ reviews, making up at
/// least `min_share_percent` of the product's 1–2★ reviews. The floor keeps one unlucky
/// review from flagging a product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct QualityFlagRule {
    pub min_reviews: u64,
    pub min_share_percent: u64,
}

impl Default for QualityFlagRule {
    fn default() -> Self {
        Self {
            min_reviews: 3,
            min_share_percent: 50,
        }
    }
}

impl QualityFlagRule {
    pub fn flags(&self, product: &ProductMetrics) -> bool {
        let quality = product.product_related_negative_reviews;
        quality >= self.min_reviews.max(1)
            && u128::from(quality) * 100
                >= u128::from(product.negative_reviews) * u128::from(self.min_share_percent)
    }
}

/// Marks the products `rule` flags.
pub fn flag_products(products: &mut [ProductMetrics], rule: QualityFlagRule) {
    for product in products {
        product.flagged_for_supplier_check = rule.flags(product);
    }
}

/// Every figure of one shop over one window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WindowMetrics {
    pub delivered_orders: u64,
    pub negative_reviews: u64,
    pub seller_related_negative_reviews: u64,
    pub product_related_negative_reviews: u64,
    pub service_related_negative_reviews: u64,
    pub snrr: Option<f64>,
    pub product_nrr: Option<f64>,
    pub service_nrr: Option<f64>,
    pub status: Status,
    pub headroom: u64,
    pub top_causes: Vec<CauseCount>,
    pub products: Vec<ProductMetrics>,
}

#[derive(Default)]
struct Tally {
    negative: u64,
    seller_related: u64,
    product: u64,
    service: u64,
    causes: BTreeMap<String, u64>,
}

impl Tally {
    fn add(&mut self, group: &NegativeGroup) {
        self.negative += group.reviews;
        if group.seller_related {
            self.seller_related += group.reviews;
        }
        match cause_group_of_label(&group.root_cause) {
            CauseGroup::Product => self.product += group.reviews,
            CauseGroup::Service => self.service += group.reviews,
            _ => {}
        }
        *self.causes.entry(group.root_cause.clone()).or_default() += group.reviews;
    }

    fn top_cause(&self) -> Option<String> {
        self.causes
            .iter()
            .max_by(|left, right| left.1.cmp(right.1).then(right.0.cmp(left.0)))
            .map(|(cause, _)| cause.clone())
    }
}

fn share(part: u64, whole: u64) -> f64 {
    rate(part, whole).unwrap_or(0.0)
}

/// Assembles a shop's window figures from its delivered counts and negative groups.
/// The SNRR counts 1–2★ reviews the classifier marked seller-related (everything but
/// logistics); product and service NRR use the [`cause_group`] mapping. Every product
/// and SKU with a delivered order or a negative review in the window is listed, with its
/// own rates over its own delivered orders.
pub fn summarise(
    delivered: u64,
    items: &DeliveredItems,
    groups: &[NegativeGroup],
    target: Target,
) -> WindowMetrics {
    let mut shop = Tally::default();
    let mut products: BTreeMap<&str, (Tally, BTreeMap<&str, Tally>)> = BTreeMap::new();
    for product_id in items.by_product.keys() {
        products.entry(product_id.as_str()).or_default();
    }
    for (product_id, sku_id) in items.by_sku.keys() {
        let (_, skus) = products.entry(product_id.as_str()).or_default();
        skus.entry(sku_id.as_str()).or_default();
    }
    for group in groups.iter().filter(|group| group.reviews > 0) {
        shop.add(group);
        let (product, skus) = products.entry(group.product_id.as_str()).or_default();
        product.add(group);
        skus.entry(group.sku_id.as_str()).or_default().add(group);
    }
    let mut top_causes: Vec<CauseCount> = shop
        .causes
        .iter()
        .map(|(cause, reviews)| CauseCount {
            root_cause: cause.clone(),
            group: cause_group_of_label(cause),
            reviews: *reviews,
            share: share(*reviews, shop.negative),
        })
        .collect();
    top_causes.sort_by(|left, right| {
        right
            .reviews
            .cmp(&left.reviews)
            .then(left.root_cause.cmp(&right.root_cause))
    });
    let mut products: Vec<ProductMetrics> = products
        .into_iter()
        .map(|(product_id, (product, skus))| {
            let mut skus: Vec<SkuMetrics> = skus
                .into_iter()
                .map(|(sku_id, sku)| {
                    let delivered = items
                        .by_sku
                        .get(&(product_id.to_owned(), sku_id.to_owned()))
                        .copied()
                        .unwrap_or(0);
                    SkuMetrics {
                        sku_id: sku_id.to_owned(),
                        delivered_orders: delivered,
                        negative_reviews: sku.negative,
                        seller_related_negative_reviews: sku.seller_related,
                        product_related_negative_reviews: sku.product,
                        service_related_negative_reviews: sku.service,
                        share_of_seller_related: share(sku.seller_related, shop.seller_related),
                        snrr: rate(sku.seller_related, delivered),
                        product_nrr: rate(sku.product, delivered),
                        service_nrr: rate(sku.service, delivered),
                        top_cause: sku.top_cause(),
                    }
                })
                .collect();
            skus.sort_by(|left, right| {
                right
                    .seller_related_negative_reviews
                    .cmp(&left.seller_related_negative_reviews)
                    .then(right.delivered_orders.cmp(&left.delivered_orders))
                    .then(left.sku_id.cmp(&right.sku_id))
            });
            let delivered = items.by_product.get(product_id).copied().unwrap_or(0);
            ProductMetrics {
                product_id: product_id.to_owned(),
                delivered_orders: delivered,
                negative_reviews: product.negative,
                seller_related_negative_reviews: product.seller_related,
                product_related_negative_reviews: product.product,
                service_related_negative_reviews: product.service,
                share_of_seller_related: share(product.seller_related, shop.seller_related),
                snrr: rate(product.seller_related, delivered),
                product_nrr: rate(product.product, delivered),
                service_nrr: rate(product.service, delivered),
                flagged_for_supplier_check: false,
                skus,
            }
        })
        .collect();
    products.sort_by(|left, right| {
        right
            .seller_related_negative_reviews
            .cmp(&left.seller_related_negative_reviews)
            .then(right.delivered_orders.cmp(&left.delivered_orders))
            .then(left.product_id.cmp(&right.product_id))
    });
    WindowMetrics {
        delivered_orders: delivered,
        negative_reviews: shop.negative,
        seller_related_negative_reviews: shop.seller_related,
        product_related_negative_reviews: shop.product,
        service_related_negative_reviews: shop.service,
        snrr: rate(shop.seller_related, delivered),
        product_nrr: rate(shop.product, delivered),
        service_nrr: rate(shop.service, delivered),
        status: status(shop.seller_related, delivered, target),
        headroom: headroom(shop.seller_related, delivered, target),
        top_causes,
        products,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn millis(text: &str) -> i64 {
        chrono::DateTime::parse_from_rfc3339(text)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn windows_end_at_local_midnight_of_the_as_of_day_in_each_zone() {
        let jakarta = window_before(chrono_tz::Asia::Jakarta, date(2026, 3, 1), 30);
        assert_eq!(jakarta.end_millis, millis("2026-02-28T17:00:00Z"));
        // 30 days before 1 March 2026 is 30 January (February has 28 days).
        assert_eq!(jakarta.start_millis, millis("2026-01-29T17:00:00Z"));
        let london = window_before(chrono_tz::Europe::London, date(2026, 3, 1), 30);
        assert_eq!(london.end_millis, millis("2026-03-01T00:00:00Z"));
    }

    #[test]
    fn a_window_across_a_dst_change_is_an_hour_short_or_long() {
        // US clocks spring forward on 8 March 2026.
        let window = window_before(chrono_tz::America::Los_Angeles, date(2026, 3, 20), 30);
        assert_eq!(window.start_millis, millis("2026-02-18T08:00:00Z"));
        assert_eq!(window.end_millis, millis("2026-03-20T07:00:00Z"));
        assert_eq!(
            window.end_millis - window.start_millis,
            (30 * 24 - 1) * 3_600_000
        );
    }

    #[test]
    fn a_midnight_skipped_by_dst_starts_the_day_at_the_first_real_time() {
        // Chile springs forward at 00:00 on 6 September 2026: 00:00 becomes 01:00.
        let start = local_midnight_millis(chrono_tz::America::Santiago, date(2026, 9, 6));
        assert_eq!(start, millis("2026-09-06T04:00:00Z"));
    }

    #[test]
    fn window_edges_fall_on_bucket_edges_in_quarter_hour_zones() {
        let window = window_before(chrono_tz::Asia::Kathmandu, date(2026, 5, 31), 60);
        assert_eq!(window.start_millis % BUCKET_MILLIS, 0);
        assert_eq!(window.end_millis % BUCKET_MILLIS, 0);
    }

    #[test]
    fn status_and_headroom_follow_the_target_exactly() {
        let general = default_target("ID");
        assert_eq!(general.max_basis_points, 100);
        assert_eq!(status(10, 1000, general), Status::Warning);
        assert_eq!(status(11, 1000, general), Status::Breach);
        assert_eq!(status(7, 1000, general), Status::Ok);
        assert_eq!(status(0, 0, general), Status::Ok);
        assert_eq!(status(1, 0, general), Status::Breach);
        assert_eq!(headroom(7, 1000, general), 3);
        assert_eq!(headroom(12, 1000, general), 0);
        let thailand = default_target("TH");
        assert_eq!(headroom(0, 1000, thailand), 5);
        assert_eq!(status(6, 1000, thailand), Status::Breach);
    }

    fn group(
        product: &str,
        sku: &str,
        cause: &str,
        seller_related: bool,
        reviews: u64,
    ) -> NegativeGroup {
        NegativeGroup {
            product_id: product.to_owned(),
            sku_id: sku.to_owned(),
            root_cause: cause.to_owned(),
            seller_related,
            reviews,
        }
    }

    #[test]
    fn summaries_split_product_service_and_logistics_negatives() {
        let groups = [
            group("p1", "s1", "product_quality", true, 4),
            group("p1", "s2", "late_dispatch", true, 2),
            group("p2", "s3", "delivery", false, 5),
            group("p2", "s3", "price_value", true, 1),
        ];
        let metrics = summarise(
            1000,
            &DeliveredItems::default(),
            &groups,
            default_target("MY"),
        );
        assert_eq!(metrics.negative_reviews, 12);
        assert_eq!(metrics.seller_related_negative_reviews, 7);
        assert_eq!(metrics.product_related_negative_reviews, 4);
        assert_eq!(metrics.service_related_negative_reviews, 2);
        assert_eq!(metrics.snrr, Some(0.007));
        assert_eq!(metrics.headroom, 3);
        assert_eq!(metrics.status, Status::Ok);
        assert_eq!(metrics.top_causes[0].root_cause, "delivery");
        assert_eq!(metrics.products[0].product_id, "p1");
        assert_eq!(metrics.products[0].skus[0].sku_id, "s1");
        assert_eq!(
            metrics.products[0].skus[0].top_cause.as_deref(),
            Some("product_quality")
        );
    }

    #[test]
    fn each_product_and_sku_gets_its_own_rates_over_its_own_deliveries() {
        let mut items = DeliveredItems::default();
        items.by_product.insert("p1".to_owned(), 200);
        items.by_product.insert("quiet".to_owned(), 50);
        items.by_sku.insert(("p1".to_owned(), "s1".to_owned()), 150);
        items.by_sku.insert(("p1".to_owned(), "s2".to_owned()), 60);
        items
            .by_sku
            .insert(("quiet".to_owned(), "q1".to_owned()), 50);
        let groups = [
            group("p1", "s1", "product_quality", true, 3),
            group("p1", "s2", "late_dispatch", true, 1),
            group("p1", "s2", "delivery", false, 2),
            // A review naming a product nothing was delivered of in the window.
            group("gone", "g1", "product_quality", true, 1),
        ];
        let metrics = summarise(250, &items, &groups, default_target("MY"));
        let ids: Vec<&str> = metrics
            .products
            .iter()
            .map(|product| product.product_id.as_str())
            .collect();
        assert_eq!(ids, vec!["p1", "gone", "quiet"]);
        let p1 = &metrics.products[0];
        // One order may hold both SKUs: the product counts it once.
        assert_eq!(p1.delivered_orders, 200);
        assert_eq!(p1.snrr, Some(4.0 / 200.0));
        assert_eq!(p1.product_nrr, Some(3.0 / 200.0));
        assert_eq!(p1.service_nrr, Some(1.0 / 200.0));
        assert_eq!(p1.skus[0].sku_id, "s1");
        assert_eq!(p1.skus[0].snrr, Some(3.0 / 150.0));
        assert_eq!(p1.skus[1].delivered_orders, 60);
        assert_eq!(p1.skus[1].snrr, Some(1.0 / 60.0));
        assert_eq!(p1.skus[1].negative_reviews, 3);
        assert_eq!(metrics.products[1].snrr, None, "nothing delivered");
        let quiet = &metrics.products[2];
        assert_eq!((quiet.delivered_orders, quiet.negative_reviews), (50, 0));
        assert_eq!(quiet.snrr, Some(0.0));
        assert_eq!(quiet.skus[0].sku_id, "q1");
    }

    #[test]
    fn products_are_flagged_when_quality_complaints_dominate_above_a_floor() {
        let groups = [
            group("mostly-quality", "s1", "product_quality", true, 2),
            group("mostly-quality", "s1", "not_as_described", true, 1),
            group("mostly-quality", "s1", "delivery", false, 2),
            group("mostly-late", "s2", "product_quality", true, 3),
            group("mostly-late", "s2", "late_dispatch", true, 4),
            group("too-few", "s3", "product_quality", true, 2),
        ];
        let mut metrics = summarise(
            1000,
            &DeliveredItems::default(),
            &groups,
            default_target("ID"),
        );
        flag_products(&mut metrics.products, QualityFlagRule::default());
        let flagged: Vec<&str> = metrics
            .products
            .iter()
            .filter(|product| product.flagged_for_supplier_check)
            .map(|product| product.product_id.as_str())
            .collect();
        // 3 of 5 is 60 % ≥ 50 %; 3 of 7 is under half; 2 is under the floor of 3.
        assert_eq!(flagged, vec!["mostly-quality"]);
        let strict = QualityFlagRule {
            min_reviews: 3,
            min_share_percent: 61,
        };
        flag_products(&mut metrics.products, strict);
        assert!(metrics
            .products
            .iter()
            .all(|product| !product.flagged_for_supplier_check));
    }

    #[test]
    fn causes_map_to_product_service_and_logistics() {
        assert_eq!(cause_group(RootCause::NotAsDescribed), CauseGroup::Product);
        assert_eq!(cause_group(RootCause::LateDispatch), CauseGroup::Service);
        assert_eq!(cause_group(RootCause::Delivery), CauseGroup::Logistics);
        assert_eq!(
            cause_group_of_label("some_future_cause"),
            CauseGroup::OtherSellerRelated
        );
    }

    #[test]
    fn trend_weeks_are_the_complete_iso_weeks_before_the_as_of_day() {
        let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        // Wednesday 2026-03-11: the last complete week is Mon 2 .. Sun 8 March.
        let edges = trend_week_edges(date("2026-03-11"), 2);
        assert_eq!(
            edges,
            vec![date("2026-02-23"), date("2026-03-02"), date("2026-03-09")]
        );
        // On a Monday the week that just ended counts.
        let edges = trend_week_edges(date("2026-03-09"), 1);
        assert_eq!(edges, vec![date("2026-03-02"), date("2026-03-09")]);
    }

    #[test]
    fn star_trend_averages_and_changes_skip_empty_weeks() {
        let date = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
        let starts = [
            date("2026-03-02"),
            date("2026-03-09"),
            date("2026-03-16"),
            date("2026-03-23"),
        ];
        let weeks = [
            WeekStars {
                reviews: 3,
                star_sum: 14,
            },
            WeekStars {
                reviews: 4,
                star_sum: 13,
            },
            WeekStars::default(),
            WeekStars {
                reviews: 1,
                star_sum: 5,
            },
        ];
        let trend = star_trend(&starts, &weeks);
        assert_eq!(trend[0].average_rating, Some(4.67));
        assert_eq!(trend[0].average_change, None);
        assert_eq!(trend[1].average_rating, Some(3.25));
        assert_eq!(trend[1].average_change, Some(-1.42));
        assert_eq!(trend[2].average_rating, None);
        assert_eq!(
            trend[3].average_change, None,
            "no comparison across an empty week"
        );
        assert_eq!(trend[3].week_start, date("2026-03-23"));
    }
}
