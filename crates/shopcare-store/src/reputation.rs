//! Reputation persistence: each review's stored analysis (classifier verdict plus inbox
//! state), the incremental metric aggregates, per-shop alert channels and review reply
//! drafts.
//!
//! The aggregates (`delivered_order_buckets`, `negative_review_buckets`) are maintained
//! by SQL triggers from migration 0002 in the same transaction as the row they count:
//! orders written by `apply` and analyses written by [`ReputationStore::save_review_analyses`].
//! Buckets are 15 minutes of UTC (`shopcare_core::metrics::BUCKET_MILLIS`), so a metric
//! query sums a few thousand small rows instead of scanning orders. The `*_by_scan`
//! methods count the same things from the base tables: they exist for recount checks.

use crate::encode::{from_millis, to_millis, Param, RowReader};
use crate::StoreResult;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use shopcare_core::metrics::DeliveredItems;
use shopcare_core::{ShopId, Timestamp};

/// The classifier's verdict on one review, with the review facts the aggregates need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewAnalysisRecord {
    pub review_id: String,
    pub shop_id: ShopId,
    pub order_id: Option<String>,
    /// Empty when the review names no product.
    pub product_id: String,
    /// Empty when the review names no SKU.
    pub sku_id: String,
    pub rating: u8,
    pub review_time: Timestamp,
    pub sentiment: String,
    pub root_cause: String,
    pub seller_related: bool,
    pub language: String,
    /// Confidence × 1000, an integer so both backends store it identically.
    pub confidence_permille: i64,
    /// The deciding phrases, as a JSON array.
    pub evidence: String,
    pub analysed_at: Timestamp,
}

/// A stored analysis plus the inbox state around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredReviewAnalysis {
    #[serde(flatten)]
    pub analysis: ReviewAnalysisRecord,
    pub handled_at: Option<Timestamp>,
    pub report_candidate: bool,
    /// Whether a reply draft that passed the compliance guard exists.
    pub replied: bool,
}

/// Filters of the review inbox; `None` means "any".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnalysisFilter {
    /// Shops the viewer may see; `None` = all shops.
    pub shop_ids: Option<Vec<ShopId>>,
    pub review_id: Option<String>,
    pub min_rating: Option<u8>,
    pub max_rating: Option<u8>,
    pub root_cause: Option<String>,
    pub seller_related: Option<bool>,
    pub language: Option<String>,
    pub sku_id: Option<String>,
    pub from: Option<Timestamp>,
    pub until: Option<Timestamp>,
    pub handled: Option<bool>,
    pub replied: Option<bool>,
    pub limit: u32,
}

/// Negative (1–2★) reviews in a bucket range, grouped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NegativeReviewCount {
    pub product_id: String,
    pub sku_id: String,
    pub root_cause: String,
    pub seller_related: bool,
    pub reviews: u64,
}

/// One aggregate bucket's delivered orders and seller-related 1–2★ reviews.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SnrrBucket {
    pub bucket: i64,
    pub delivered_orders: u64,
    pub seller_related_negative_reviews: u64,
}

/// Merges the rows of [`DELIVERED_BY_BUCKET`] and [`SELLER_NEGATIVES_BY_BUCKET`] (both
/// ascending by bucket) into one ascending series.
pub(crate) fn merge_snrr_buckets(
    delivered: Vec<(i64, u64)>,
    negatives: Vec<(i64, u64)>,
) -> Vec<SnrrBucket> {
    let mut merged: std::collections::BTreeMap<i64, (u64, u64)> = std::collections::BTreeMap::new();
    for (bucket, orders) in delivered {
        merged.entry(bucket).or_default().0 = orders;
    }
    for (bucket, reviews) in negatives {
        merged.entry(bucket).or_default().1 = reviews;
    }
    merged
        .into_iter()
        .map(
            |(bucket, (delivered_orders, seller_related_negative_reviews))| SnrrBucket {
                bucket,
                delivered_orders,
                seller_related_negative_reviews,
            },
        )
        .collect()
}

pub(crate) const DELIVERED_BY_BUCKET: &str = "SELECT bucket, CAST(SUM(orders) AS BIGINT)
    FROM delivered_order_buckets WHERE shop_id = $1 AND bucket >= $2 AND bucket < $3
    GROUP BY bucket HAVING SUM(orders) <> 0 ORDER BY bucket";

/// `$4` is `true`: the seller-related flag, bound so both backends compare their own type.
pub(crate) const SELLER_NEGATIVES_BY_BUCKET: &str = "SELECT bucket, CAST(SUM(reviews) AS BIGINT)
    FROM negative_review_buckets
    WHERE shop_id = $1 AND bucket >= $2 AND bucket < $3 AND seller_related = $4
    GROUP BY bucket HAVING SUM(reviews) <> 0 ORDER BY bucket";

/// Where a shop's alerts go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAlertChannel {
    pub shop_id: ShopId,
    /// `webhook` (target = URL, secret = HMAC key) or `email` (target = address,
    /// smtp_server = `host:port`).
    pub kind: String,
    pub target: String,
    pub secret: Option<String>,
    pub smtp_server: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AlertChannel {
    pub channel_id: i64,
    #[serde(flatten)]
    pub channel: NewAlertChannel,
}

/// A stored reply draft. A blocked draft failed the compliance guard and is never sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyDraft {
    pub draft_id: i64,
    pub review_id: String,
    pub text: String,
    pub blocked: bool,
    /// The guard's findings, as JSON.
    pub findings: String,
    pub create_time: Timestamp,
    pub sent_at: Option<Timestamp>,
}

#[async_trait]
pub trait ReputationStore: Send + Sync {
    /// Upserts analyses; a stored one is replaced by a newer review time, or at the same
    /// review time by a different verdict. Returns, per record, whether it changed.
    async fn save_review_analyses(
        &self,
        records: &[ReviewAnalysisRecord],
    ) -> StoreResult<Vec<bool>>;
    async fn list_review_analyses(
        &self,
        filter: &AnalysisFilter,
    ) -> StoreResult<Vec<StoredReviewAnalysis>>;
    /// How many analyses match `filter`, counting at most `filter.limit` (default 100):
    /// a badge's number without reading the rows.
    async fn count_review_analyses(&self, filter: &AnalysisFilter) -> StoreResult<u64>;
    /// Shops that have any delivered order or negative review in the aggregates,
    /// including shops whose rows arrived by import before the shop itself was known.
    async fn shops_with_aggregates(&self) -> StoreResult<Vec<ShopId>>;
    /// Delivered orders of `shop_id` in buckets `start_bucket..end_bucket`, from the aggregates.
    async fn delivered_orders_in_buckets(
        &self,
        shop_id: &ShopId,
        start_bucket: i64,
        end_bucket: i64,
    ) -> StoreResult<u64>;
    /// Delivered orders of `shop_id` per product and per SKU delivered in
    /// `start_millis..end_millis`: whole UTC days from the daily aggregates, the partial
    /// days at either end from the orders (see migration 0011).
    async fn delivered_items_in_window(
        &self,
        shop_id: &ShopId,
        start_millis: i64,
        end_millis: i64,
    ) -> StoreResult<DeliveredItems>;
    /// Per bucket of `start_bucket..end_bucket` that holds any: delivered orders and
    /// seller-related 1–2★ reviews, ascending, from the aggregates. For sliding windows
    /// (the scorecard's weekly SNRR) read once instead of once per window.
    async fn snrr_buckets(
        &self,
        shop_id: &ShopId,
        start_bucket: i64,
        end_bucket: i64,
    ) -> StoreResult<Vec<SnrrBucket>>;
    /// 1–2★ reviews of `shop_id` in buckets `start_bucket..end_bucket`, from the aggregates.
    async fn negative_reviews_in_buckets(
        &self,
        shop_id: &ShopId,
        start_bucket: i64,
        end_bucket: i64,
    ) -> StoreResult<Vec<NegativeReviewCount>>;
    /// The same count as [`Self::delivered_orders_in_buckets`], scanning `orders`.
    async fn delivered_orders_by_scan(
        &self,
        shop_id: &ShopId,
        start_millis: i64,
        end_millis: i64,
    ) -> StoreResult<u64>;
    /// The same counts as [`Self::delivered_items_in_window`], scanning orders and
    /// their line items only.
    async fn delivered_items_by_scan(
        &self,
        shop_id: &ShopId,
        start_millis: i64,
        end_millis: i64,
    ) -> StoreResult<DeliveredItems>;
    /// The same counts as [`Self::negative_reviews_in_buckets`], scanning analyses.
    async fn negative_reviews_by_scan(
        &self,
        shop_id: &ShopId,
        start_millis: i64,
        end_millis: i64,
    ) -> StoreResult<Vec<NegativeReviewCount>>;
    /// Marks a review handled (`Some`) or not (`None`). False when it is unknown.
    async fn set_review_handled(&self, review_id: &str, at: Option<Timestamp>)
        -> StoreResult<bool>;
    async fn set_report_candidate(&self, review_id: &str, candidate: bool) -> StoreResult<bool>;
    async fn add_reply_draft(
        &self,
        review_id: &str,
        text: &str,
        blocked: bool,
        findings: &str,
        now: Timestamp,
    ) -> StoreResult<ReplyDraft>;
    async fn reply_drafts(&self, review_id: &str) -> StoreResult<Vec<ReplyDraft>>;
    async fn add_alert_channel(
        &self,
        channel: &NewAlertChannel,
        now: Timestamp,
    ) -> StoreResult<i64>;
    async fn alert_channels(&self, shop_id: &ShopId) -> StoreResult<Vec<AlertChannel>>;
    /// Whether alert `alert_key` was already delivered to `channel_id`.
    async fn alert_delivered(&self, alert_key: &str, channel_id: i64) -> StoreResult<bool>;
    /// Records a delivery; false when it was already recorded.
    async fn record_alert_delivery(
        &self,
        alert_key: &str,
        channel_id: i64,
        at: Timestamp,
    ) -> StoreResult<bool>;
}

// ---- shared SQL (PostgreSQL placeholders; the SQLite side converts them) ----------------

pub(crate) const UPSERT_ANALYSIS: &str = "INSERT INTO review_analysis (review_id, shop_id,
        order_id, product_id, sku_id, rating, review_time, sentiment, root_cause,
        seller_related, language, confidence_permille, evidence, analysed_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
    ON CONFLICT (review_id) DO UPDATE SET shop_id = excluded.shop_id,
        order_id = excluded.order_id, product_id = excluded.product_id,
        sku_id = excluded.sku_id, rating = excluded.rating,
        review_time = excluded.review_time, sentiment = excluded.sentiment,
        root_cause = excluded.root_cause, seller_related = excluded.seller_related,
        language = excluded.language, confidence_permille = excluded.confidence_permille,
        evidence = excluded.evidence, analysed_at = excluded.analysed_at
    WHERE excluded.review_time > review_analysis.review_time
        OR (excluded.review_time = review_analysis.review_time
            AND (excluded.rating <> review_analysis.rating
                OR excluded.root_cause <> review_analysis.root_cause
                OR excluded.seller_related <> review_analysis.seller_related
                OR excluded.sentiment <> review_analysis.sentiment
                OR excluded.product_id <> review_analysis.product_id
                OR excluded.sku_id <> review_analysis.sku_id))";

pub(crate) fn analysis_params(record: &ReviewAnalysisRecord) -> [Param<'_>; 14] {
    [
        Param::text(&record.review_id),
        Param::text(record.shop_id.as_str()),
        Param::opt_text(record.order_id.as_deref()),
        Param::text(&record.product_id),
        Param::text(&record.sku_id),
        Param::int(i64::from(record.rating)),
        Param::time(record.review_time),
        Param::text(&record.sentiment),
        Param::text(&record.root_cause),
        Param::Bool(record.seller_related),
        Param::text(&record.language),
        Param::int(record.confidence_permille),
        Param::text(&record.evidence),
        Param::time(record.analysed_at),
    ]
}

const ANALYSIS_COLUMNS: &str = "SELECT a.review_id, a.shop_id, a.order_id, a.product_id,
    a.sku_id, a.rating, a.review_time, a.sentiment, a.root_cause, a.seller_related,
    a.language, a.confidence_permille, a.evidence, a.analysed_at, a.handled_at,
    a.report_candidate,
    EXISTS (SELECT 1 FROM review_reply_drafts d WHERE d.review_id = a.review_id
        AND d.blocked = $1) AS replied
    FROM review_analysis a";

/// The analyses matching `filter`, at most `filter.limit` (default 100), newest first
/// when `ordered`.
fn analysis_select(filter: &AnalysisFilter, ordered: bool) -> (String, Vec<Param<'_>>) {
    let mut sql = String::from(ANALYSIS_COLUMNS);
    // $1 is the `blocked = false` of the `replied` column.
    let mut params: Vec<Param<'_>> = vec![Param::Bool(false)];
    let mut conditions: Vec<String> = Vec::new();
    if let Some(shops) = &filter.shop_ids {
        if shops.is_empty() {
            conditions.push("1 = 0".to_owned());
        }
        let mut placeholders = Vec::new();
        for shop in shops {
            params.push(Param::owned(shop.as_str().to_owned()));
            placeholders.push(format!("${}", params.len()));
        }
        if !placeholders.is_empty() {
            conditions.push(format!("a.shop_id IN ({})", placeholders.join(", ")));
        }
    }
    if let Some(review_id) = &filter.review_id {
        push_condition(
            "a.review_id = ?",
            Param::owned(review_id.clone()),
            &mut params,
            &mut conditions,
        );
    }
    if let Some(min) = filter.min_rating {
        push_condition(
            "a.rating >= ?",
            Param::int(i64::from(min)),
            &mut params,
            &mut conditions,
        );
    }
    if let Some(max) = filter.max_rating {
        push_condition(
            "a.rating <= ?",
            Param::int(i64::from(max)),
            &mut params,
            &mut conditions,
        );
    }
    if let Some(cause) = &filter.root_cause {
        push_condition(
            "a.root_cause = ?",
            Param::owned(cause.clone()),
            &mut params,
            &mut conditions,
        );
    }
    if let Some(seller_related) = filter.seller_related {
        push_condition(
            "a.seller_related = ?",
            Param::Bool(seller_related),
            &mut params,
            &mut conditions,
        );
    }
    if let Some(language) = &filter.language {
        push_condition(
            "a.language = ?",
            Param::owned(language.clone()),
            &mut params,
            &mut conditions,
        );
    }
    if let Some(sku) = &filter.sku_id {
        push_condition(
            "a.sku_id = ?",
            Param::owned(sku.clone()),
            &mut params,
            &mut conditions,
        );
    }
    if let Some(from) = filter.from {
        push_condition(
            "a.review_time >= ?",
            Param::time(from),
            &mut params,
            &mut conditions,
        );
    }
    if let Some(until) = filter.until {
        push_condition(
            "a.review_time < ?",
            Param::time(until),
            &mut params,
            &mut conditions,
        );
    }
    match filter.handled {
        Some(true) => conditions.push("a.handled_at IS NOT NULL".to_owned()),
        Some(false) => conditions.push("a.handled_at IS NULL".to_owned()),
        None => {}
    }
    if let Some(replied) = filter.replied {
        let negation = if replied { "" } else { "NOT " };
        conditions.push(format!(
            "{negation}EXISTS (SELECT 1 FROM review_reply_drafts d \
             WHERE d.review_id = a.review_id AND d.blocked = $1)"
        ));
    }
    if !conditions.is_empty() {
        sql.push_str(" WHERE ");
        sql.push_str(&conditions.join(" AND "));
    }
    let limit = if filter.limit == 0 { 100 } else { filter.limit };
    if ordered {
        sql.push_str(" ORDER BY a.review_time DESC, a.review_id");
    }
    sql.push_str(&format!(" LIMIT {limit}"));
    (sql, params)
}

/// The inbox query for `filter` (newest first) and its parameters.
pub(crate) fn analysis_query(filter: &AnalysisFilter) -> (String, Vec<Param<'_>>) {
    analysis_select(filter, true)
}

/// How many analyses match `filter`, counting at most `filter.limit` of them.
pub(crate) fn analysis_count_query(filter: &AnalysisFilter) -> (String, Vec<Param<'_>>) {
    let (select, params) = analysis_select(filter, false);
    (format!("SELECT COUNT(*) FROM ({select}) matched"), params)
}

/// Adds `condition` with its `?` bound to `param` as the next numbered placeholder.
fn push_condition<'a>(
    condition: &str,
    param: Param<'a>,
    params: &mut Vec<Param<'a>>,
    conditions: &mut Vec<String>,
) {
    params.push(param);
    conditions.push(condition.replace('?', &format!("${}", params.len())));
}

pub(crate) fn analysis_from_row(row: &impl RowReader) -> StoreResult<StoredReviewAnalysis> {
    Ok(StoredReviewAnalysis {
        analysis: ReviewAnalysisRecord {
            review_id: row.text(0)?,
            shop_id: ShopId::new(row.text(1)?),
            order_id: row.opt_text(2)?,
            product_id: row.text(3)?,
            sku_id: row.text(4)?,
            rating: u8::try_from(row.int(5)?).unwrap_or(0),
            review_time: from_millis(row.int(6)?)?,
            sentiment: row.text(7)?,
            root_cause: row.text(8)?,
            seller_related: row.boolean(9)?,
            language: row.text(10)?,
            confidence_permille: row.int(11)?,
            evidence: row.text(12)?,
            analysed_at: from_millis(row.int(13)?)?,
        },
        handled_at: row.opt_int(14)?.map(from_millis).transpose()?,
        report_candidate: row.boolean(15)?,
        replied: row.boolean(16)?,
    })
}

pub(crate) const SHOPS_WITH_AGGREGATES: &str = "SELECT shop_id FROM delivered_order_buckets
    UNION SELECT shop_id FROM negative_review_buckets ORDER BY shop_id";

pub(crate) const DELIVERED_IN_BUCKETS: &str = "SELECT CAST(COALESCE(SUM(orders), 0) AS BIGINT)
    FROM delivered_order_buckets WHERE shop_id = $1 AND bucket >= $2 AND bucket < $3";

pub(crate) const DELIVERED_BY_SCAN: &str = "SELECT COUNT(*) FROM orders
    WHERE shop_id = $1 AND delivery_time >= $2 AND delivery_time < $3";

pub(crate) const DELIVERED_PRODUCT_DAYS: &str = "SELECT product_id, '',
        CAST(SUM(orders) AS BIGINT)
    FROM delivered_product_days WHERE shop_id = $1 AND utc_day >= $2 AND utc_day < $3
    GROUP BY product_id HAVING SUM(orders) <> 0";

pub(crate) const DELIVERED_SKU_DAYS: &str = "SELECT product_id, sku_id,
        CAST(SUM(orders) AS BIGINT)
    FROM delivered_sku_days WHERE shop_id = $1 AND utc_day >= $2 AND utc_day < $3
    GROUP BY product_id, sku_id HAVING SUM(orders) <> 0";

pub(crate) const DELIVERED_PRODUCTS_BY_SCAN: &str = "SELECT l.product_id, '',
        COUNT(DISTINCT o.order_id)
    FROM orders o JOIN order_line_items l ON l.order_id = o.order_id
    WHERE o.shop_id = $1 AND o.delivery_time >= $2 AND o.delivery_time < $3
    GROUP BY l.product_id";

pub(crate) const DELIVERED_SKUS_BY_SCAN: &str = "SELECT l.product_id, l.sku_id,
        COUNT(DISTINCT o.order_id)
    FROM orders o JOIN order_line_items l ON l.order_id = o.order_id
    WHERE o.shop_id = $1 AND o.delivery_time >= $2 AND o.delivery_time < $3
    GROUP BY l.product_id, l.sku_id";

/// One row of a `DELIVERED_*` query: product, SKU ('' on product rows), orders.
pub(crate) type DeliveredRow = (String, String, u64);

pub(crate) fn delivered_row(row: &impl RowReader) -> StoreResult<DeliveredRow> {
    Ok((
        row.text(0)?,
        row.text(1)?,
        crate::encode::count(row.int(2)?),
    ))
}

const DAY_MILLIS: i64 = 86_400_000;

/// One product query and one SKU query over one range.
pub(crate) struct DeliveredQuery {
    pub products: &'static str,
    pub skus: &'static str,
    pub start: i64,
    pub end: i64,
}

/// The queries that count `start..end` (ms) by scanning orders and their line items.
pub(crate) fn delivered_scan_query(start: i64, end: i64) -> DeliveredQuery {
    DeliveredQuery {
        products: DELIVERED_PRODUCTS_BY_SCAN,
        skus: DELIVERED_SKUS_BY_SCAN,
        start,
        end,
    }
}

/// The queries that count `start_millis..end_millis`: the whole UTC days inside it from
/// the daily aggregates, the partial days at its ends by scanning their orders.
pub(crate) fn delivered_window_queries(start_millis: i64, end_millis: i64) -> Vec<DeliveredQuery> {
    let scan = delivered_scan_query;
    let first_whole_day =
        start_millis.div_euclid(DAY_MILLIS) + i64::from(start_millis.rem_euclid(DAY_MILLIS) != 0);
    let end_whole_day = end_millis.div_euclid(DAY_MILLIS);
    if first_whole_day >= end_whole_day {
        return if start_millis < end_millis {
            vec![scan(start_millis, end_millis)]
        } else {
            Vec::new()
        };
    }
    let mut queries = vec![DeliveredQuery {
        products: DELIVERED_PRODUCT_DAYS,
        skus: DELIVERED_SKU_DAYS,
        start: first_whole_day,
        end: end_whole_day,
    }];
    if start_millis < first_whole_day * DAY_MILLIS {
        queries.push(scan(start_millis, first_whole_day * DAY_MILLIS));
    }
    if end_whole_day * DAY_MILLIS < end_millis {
        queries.push(scan(end_whole_day * DAY_MILLIS, end_millis));
    }
    queries
}

/// Adds the rows of a product query and a SKU query to `items`.
pub(crate) fn add_delivered_rows(
    items: &mut DeliveredItems,
    products: Vec<DeliveredRow>,
    skus: Vec<DeliveredRow>,
) {
    for (product, _, orders) in products {
        *items.by_product.entry(product).or_default() += orders;
    }
    for (product, sku, orders) in skus {
        *items.by_sku.entry((product, sku)).or_default() += orders;
    }
}

pub(crate) const NEGATIVES_IN_BUCKETS: &str = "SELECT product_id, sku_id, root_cause,
        seller_related, CAST(SUM(reviews) AS BIGINT)
    FROM negative_review_buckets WHERE shop_id = $1 AND bucket >= $2 AND bucket < $3
    GROUP BY product_id, sku_id, root_cause, seller_related
    HAVING SUM(reviews) <> 0
    ORDER BY product_id, sku_id, root_cause, seller_related";

pub(crate) const NEGATIVES_BY_SCAN: &str = "SELECT product_id, sku_id, root_cause,
        seller_related, COUNT(*)
    FROM review_analysis
    WHERE shop_id = $1 AND rating <= 2 AND review_time >= $2 AND review_time < $3
    GROUP BY product_id, sku_id, root_cause, seller_related
    ORDER BY product_id, sku_id, root_cause, seller_related";

pub(crate) fn negative_count_from_row(row: &impl RowReader) -> StoreResult<NegativeReviewCount> {
    Ok(NegativeReviewCount {
        product_id: row.text(0)?,
        sku_id: row.text(1)?,
        root_cause: row.text(2)?,
        seller_related: row.boolean(3)?,
        reviews: crate::encode::count(row.int(4)?),
    })
}

pub(crate) const SET_HANDLED: &str =
    "UPDATE review_analysis SET handled_at = $2 WHERE review_id = $1";

pub(crate) const SET_REPORT_CANDIDATE: &str =
    "UPDATE review_analysis SET report_candidate = $2 WHERE review_id = $1";

pub(crate) const INSERT_DRAFT: &str = "INSERT INTO review_reply_drafts (review_id, text,
        blocked, findings, create_time) VALUES ($1, $2, $3, $4, $5)
    RETURNING draft_id";

pub(crate) const SELECT_DRAFTS: &str = "SELECT draft_id, review_id, text, blocked, findings,
        create_time, sent_at
    FROM review_reply_drafts WHERE review_id = $1 ORDER BY draft_id";

pub(crate) fn draft_from_row(row: &impl RowReader) -> StoreResult<ReplyDraft> {
    Ok(ReplyDraft {
        draft_id: row.int(0)?,
        review_id: row.text(1)?,
        text: row.text(2)?,
        blocked: row.boolean(3)?,
        findings: row.text(4)?,
        create_time: from_millis(row.int(5)?)?,
        sent_at: row.opt_int(6)?.map(from_millis).transpose()?,
    })
}

pub(crate) const INSERT_CHANNEL: &str = "INSERT INTO alert_channels (shop_id, kind, target,
        secret, smtp_server, create_time) VALUES ($1, $2, $3, $4, $5, $6)
    RETURNING channel_id";

pub(crate) fn channel_params(channel: &NewAlertChannel, now: Timestamp) -> [Param<'_>; 6] {
    [
        Param::text(channel.shop_id.as_str()),
        Param::text(&channel.kind),
        Param::text(&channel.target),
        Param::opt_text(channel.secret.as_deref()),
        Param::opt_text(channel.smtp_server.as_deref()),
        Param::int(to_millis(now)),
    ]
}

pub(crate) const SELECT_CHANNELS: &str = "SELECT channel_id, shop_id, kind, target, secret,
        smtp_server FROM alert_channels WHERE shop_id = $1 ORDER BY channel_id";

pub(crate) fn channel_from_row(row: &impl RowReader) -> StoreResult<AlertChannel> {
    Ok(AlertChannel {
        channel_id: row.int(0)?,
        channel: NewAlertChannel {
            shop_id: ShopId::new(row.text(1)?),
            kind: row.text(2)?,
            target: row.text(3)?,
            secret: row.opt_text(4)?,
            smtp_server: row.opt_text(5)?,
        },
    })
}

pub(crate) const SELECT_DELIVERY: &str =
    "SELECT COUNT(*) FROM alert_deliveries WHERE alert_key = $1 AND channel_id = $2";

pub(crate) const INSERT_DELIVERY: &str = "INSERT INTO alert_deliveries (alert_key, channel_id,
        delivered_at) VALUES ($1, $2, $3) ON CONFLICT (alert_key, channel_id) DO NOTHING";
