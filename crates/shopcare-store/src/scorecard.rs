//! Scorecard persistence: the weekly counts behind the console's scorecard, grouped by
//! week (the caller passes the week edges, computed in the shop's time zone, so no SQL
//! date function is needed and both backends agree) and by SKU, plus the cases of a set
//! of orders (the review inbox links a review to its after-sales case).
//!
//! Every query reads one shop's rows through an index on `(shop_id, time)`; the
//! repeat-purchase query also uses the `(shop_id, buyer_id, create_time)` index of
//! migration 0009 to find each order's next order from the same buyer.

use crate::encode::{Param, RowReader};
use crate::StoreResult;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use shopcare_core::ShopId;

/// Millisecond week edges: `edges[i]..edges[i + 1]` is week `i`. Needs at least 2 edges,
/// ascending.
pub type WeekEdges = [i64];

/// Orders created in one week.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderWeek {
    pub week: usize,
    pub orders: u64,
    /// Of those, shipped (a shipped time is known).
    pub shipped: u64,
    /// Of those, cancelled.
    pub cancelled: u64,
}

/// After-sales cases opened in one week.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseWeek {
    pub week: usize,
    /// Refund-only and return-and-refund cases.
    pub refunds: u64,
    /// Return-and-refund cases.
    pub returns: u64,
    /// Cases whose reason mentions missing parts.
    pub missing_parts: u64,
}

/// Reviews written in one week.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewWeek {
    pub week: usize,
    pub reviews: u64,
    pub star_sum: u64,
    /// Characters of review text, summed: the "review depth" numerator.
    pub text_chars: u64,
}

/// Orders created in one week and how many were followed by another order of the same
/// buyer in the shop within 30, 60 and 90 days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RepeatWeek {
    pub week: usize,
    pub orders: u64,
    pub repeat_30d: u64,
    pub repeat_60d: u64,
    pub repeat_90d: u64,
}

/// One SKU's counts over a time range.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuScore {
    pub sku_id: String,
    /// A readable name (product and SKU names from an order line).
    pub name: String,
    /// Units sold on orders created in the range.
    pub units: u64,
    /// Orders containing the SKU created in the range.
    pub orders: u64,
    /// Refund (and return-and-refund) cases opened in the range on orders with the SKU.
    pub refund_cases: u64,
    pub return_cases: u64,
    pub missing_parts_cases: u64,
    pub reviews: u64,
    pub star_sum: u64,
    pub text_chars: u64,
}

/// An after-sales case linked to an order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderCase {
    pub order_id: String,
    pub case_id: String,
    pub kind: String,
    pub status: String,
}

#[async_trait]
pub trait ScorecardStore: Send + Sync {
    async fn order_weeks(&self, shop_id: &ShopId, edges: &WeekEdges)
        -> StoreResult<Vec<OrderWeek>>;
    async fn case_weeks(&self, shop_id: &ShopId, edges: &WeekEdges) -> StoreResult<Vec<CaseWeek>>;
    async fn review_weeks(
        &self,
        shop_id: &ShopId,
        edges: &WeekEdges,
    ) -> StoreResult<Vec<ReviewWeek>>;
    async fn repeat_weeks(
        &self,
        shop_id: &ShopId,
        edges: &WeekEdges,
    ) -> StoreResult<Vec<RepeatWeek>>;
    /// Per-SKU counts of orders, cases and reviews in `start_millis..end_millis`, most
    /// units first.
    async fn sku_scores(
        &self,
        shop_id: &ShopId,
        start_millis: i64,
        end_millis: i64,
    ) -> StoreResult<Vec<SkuScore>>;
    /// The after-sales cases of `order_ids` (of any shop; the caller filters by shop).
    async fn cases_of_orders(&self, order_ids: &[String]) -> StoreResult<Vec<OrderCase>>;
}

// ---- shared SQL (PostgreSQL placeholders; the SQLite side converts them) ----------------

const DAY_MILLIS: i64 = 86_400_000;
const BUCKET: i64 = shopcare_core::metrics::BUCKET_MILLIS;

/// `CAST(CASE WHEN column < $3 THEN 0 WHEN column < $4 THEN 1 ... END AS BIGINT)` for
/// edges bound from `$2` on (`$2` is the first edge, used by the range condition).
fn week_case(column: &str, edges: &WeekEdges) -> String {
    let mut sql = String::from("CAST(CASE");
    for week in 0..edges.len().saturating_sub(1) {
        sql.push_str(&format!(" WHEN {column} < ${} THEN {week}", week + 3));
    }
    sql.push_str(" END AS BIGINT)");
    sql
}

/// Parameters: the shop, then every edge.
pub(crate) fn week_params<'a>(shop_id: &'a ShopId, edges: &WeekEdges) -> Vec<Param<'a>> {
    let mut params = vec![Param::text(shop_id.as_str())];
    params.extend(edges.iter().map(|edge| Param::int(*edge)));
    params
}

/// `$N` of the last edge.
fn last_edge(edges: &WeekEdges) -> usize {
    edges.len() + 1
}

/// Whether every edge is on a bucket boundary, so the bucket aggregates of migrations
/// 0012 and 0013 give exact week counts (local midnights always are; other edges fall back to
/// reading the rows).
fn on_bucket_edges(edges: &WeekEdges) -> bool {
    edges.iter().all(|edge| edge.rem_euclid(BUCKET) == 0)
}

/// Week number and the sums of `columns` per week from a bucket table; weeks whose first
/// column sums to zero are left out, as the row queries leave out empty weeks.
fn bucket_weeks_sql(table: &str, columns: &[&str], edges: &WeekEdges) -> String {
    let sums: Vec<String> = columns
        .iter()
        .map(|column| format!("CAST(SUM({column}) AS BIGINT)"))
        .collect();
    format!(
        "SELECT {week} AS week, {sums} FROM {table}
        WHERE shop_id = $1 AND bucket >= $2 / {BUCKET} AND bucket < ${last} / {BUCKET}
        GROUP BY 1 HAVING SUM({first}) <> 0 ORDER BY 1",
        week = week_case(&format!("bucket * {BUCKET}"), edges),
        sums = sums.join(", "),
        last = last_edge(edges),
        first = columns[0],
    )
}

pub(crate) fn order_weeks_sql(edges: &WeekEdges) -> String {
    if on_bucket_edges(edges) {
        return bucket_weeks_sql("order_buckets", &["orders", "shipped", "cancelled"], edges);
    }
    format!(
        "SELECT {week} AS week, COUNT(*),
            CAST(COALESCE(SUM(CASE WHEN shipped_time IS NOT NULL THEN 1 ELSE 0 END), 0) AS BIGINT),
            CAST(COALESCE(SUM(CASE WHEN status IN ('CANCELLED', 'CANCEL') THEN 1 ELSE 0 END), 0) AS BIGINT)
        FROM orders WHERE shop_id = $1 AND create_time >= $2 AND create_time < ${last}
        GROUP BY 1 ORDER BY 1",
        week = week_case("create_time", edges),
        last = last_edge(edges)
    )
}

pub(crate) fn order_week_from_row(row: &impl RowReader) -> StoreResult<OrderWeek> {
    Ok(OrderWeek {
        week: index(row.int(0)?),
        orders: crate::encode::count(row.int(1)?),
        shipped: crate::encode::count(row.int(2)?),
        cancelled: crate::encode::count(row.int(3)?),
    })
}

/// Matches a case reason about missing parts, in the words the platform's reasons use.
const MISSING_PARTS: &str = "(LOWER(COALESCE(reason, '')) LIKE '%missing%'
    OR LOWER(COALESCE(reason_text, '')) LIKE '%missing%')";

pub(crate) fn case_weeks_sql(edges: &WeekEdges) -> String {
    format!(
        "SELECT {week} AS week,
            CAST(COALESCE(SUM(CASE WHEN kind IN ('REFUND', 'RETURN_AND_REFUND') THEN 1 ELSE 0 END), 0) AS BIGINT),
            CAST(COALESCE(SUM(CASE WHEN kind = 'RETURN_AND_REFUND' THEN 1 ELSE 0 END), 0) AS BIGINT),
            CAST(COALESCE(SUM(CASE WHEN {MISSING_PARTS} THEN 1 ELSE 0 END), 0) AS BIGINT)
        FROM after_sales_cases WHERE shop_id = $1 AND create_time >= $2 AND create_time < ${last}
        GROUP BY 1 ORDER BY 1",
        week = week_case("create_time", edges),
        last = last_edge(edges)
    )
}

pub(crate) fn case_week_from_row(row: &impl RowReader) -> StoreResult<CaseWeek> {
    Ok(CaseWeek {
        week: index(row.int(0)?),
        refunds: crate::encode::count(row.int(1)?),
        returns: crate::encode::count(row.int(2)?),
        missing_parts: crate::encode::count(row.int(3)?),
    })
}

pub(crate) fn review_weeks_sql(edges: &WeekEdges) -> String {
    if on_bucket_edges(edges) {
        return bucket_weeks_sql(
            "review_buckets",
            &["reviews", "star_sum", "text_chars"],
            edges,
        );
    }
    format!(
        "SELECT {week} AS week, COUNT(*),
            CAST(COALESCE(SUM(rating), 0) AS BIGINT),
            CAST(COALESCE(SUM(LENGTH(text)), 0) AS BIGINT)
        FROM reviews WHERE shop_id = $1 AND created_at >= $2 AND created_at < ${last}
        GROUP BY 1 ORDER BY 1",
        week = week_case("created_at", edges),
        last = last_edge(edges)
    )
}

pub(crate) fn review_week_from_row(row: &impl RowReader) -> StoreResult<ReviewWeek> {
    Ok(ReviewWeek {
        week: index(row.int(0)?),
        reviews: crate::encode::count(row.int(1)?),
        star_sum: crate::encode::count(row.int(2)?),
        text_chars: crate::encode::count(row.int(3)?),
    })
}

pub(crate) fn repeat_weeks_sql(edges: &WeekEdges) -> String {
    let within = |days: i64| {
        format!(
            "CAST(COALESCE(SUM(CASE WHEN next_time IS NOT NULL AND next_time - create_time <= {} \
             THEN 1 ELSE 0 END), 0) AS BIGINT)",
            days * DAY_MILLIS
        )
    };
    if on_bucket_edges(edges) {
        let sums = ["orders", "repeat_30d", "repeat_60d", "repeat_90d"];
        return bucket_weeks_sql("repeat_buckets", &sums, edges);
    }
    format!(
        "SELECT week, COUNT(*), {d30}, {d60}, {d90} FROM (
            SELECT {week} AS week, o.create_time AS create_time,
                (SELECT MIN(n.create_time) FROM orders n
                 WHERE n.shop_id = o.shop_id AND n.buyer_id = o.buyer_id
                   AND n.create_time > o.create_time) AS next_time
            FROM orders o WHERE o.shop_id = $1 AND o.create_time >= $2 AND o.create_time < ${last}
                AND o.buyer_id <> ''
        ) weekly GROUP BY week ORDER BY week",
        week = week_case("o.create_time", edges),
        last = last_edge(edges),
        d30 = within(30),
        d60 = within(60),
        d90 = within(90),
    )
}

pub(crate) fn repeat_week_from_row(row: &impl RowReader) -> StoreResult<RepeatWeek> {
    Ok(RepeatWeek {
        week: index(row.int(0)?),
        orders: crate::encode::count(row.int(1)?),
        repeat_30d: crate::encode::count(row.int(2)?),
        repeat_60d: crate::encode::count(row.int(3)?),
        repeat_90d: crate::encode::count(row.int(4)?),
    })
}

/// Units and orders per SKU; the name comes from one line item per SKU afterwards
/// (through the SKU index), not from every line item of the week.
pub(crate) const SKU_ORDERS: &str = "SELECT sold.sku_id,
        (SELECT named.product_name || ' · ' || named.sku_name FROM order_line_items named
         WHERE named.sku_id = sold.sku_id LIMIT 1),
        sold.units, sold.orders
    FROM (SELECT li.sku_id, COUNT(*) AS units, COUNT(DISTINCT li.order_id) AS orders
        FROM orders o JOIN order_line_items li ON li.order_id = o.order_id
        WHERE o.shop_id = $1 AND o.create_time >= $2 AND o.create_time < $3
        GROUP BY li.sku_id) sold";

pub(crate) fn sku_orders_from_row(row: &impl RowReader) -> StoreResult<SkuScore> {
    Ok(SkuScore {
        sku_id: row.text(0)?,
        name: row.opt_text(1)?.unwrap_or_default(),
        units: crate::encode::count(row.int(2)?),
        orders: crate::encode::count(row.int(3)?),
        ..SkuScore::default()
    })
}

pub(crate) fn sku_cases_sql() -> String {
    format!(
        "SELECT sku_id,
            CAST(COALESCE(SUM(CASE WHEN kind IN ('REFUND', 'RETURN_AND_REFUND') THEN 1 ELSE 0 END), 0) AS BIGINT),
            CAST(COALESCE(SUM(CASE WHEN kind = 'RETURN_AND_REFUND' THEN 1 ELSE 0 END), 0) AS BIGINT),
            CAST(COALESCE(SUM(CASE WHEN {MISSING_PARTS} THEN 1 ELSE 0 END), 0) AS BIGINT)
        FROM (SELECT DISTINCT c.case_id, c.kind, c.reason, c.reason_text, li.sku_id
              FROM after_sales_cases c JOIN order_line_items li ON li.order_id = c.order_id
              WHERE c.shop_id = $1 AND c.create_time >= $2 AND c.create_time < $3) cases
        GROUP BY sku_id"
    )
}

pub(crate) const SKU_REVIEWS: &str = "SELECT COALESCE(sku_id, ''), COUNT(*),
        CAST(COALESCE(SUM(rating), 0) AS BIGINT), CAST(COALESCE(SUM(LENGTH(text)), 0) AS BIGINT)
    FROM reviews WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3
    GROUP BY 1";

/// Parameters of the per-SKU queries.
pub(crate) fn range_params(shop_id: &ShopId, start_millis: i64, end_millis: i64) -> [Param<'_>; 3] {
    [
        Param::text(shop_id.as_str()),
        Param::int(start_millis),
        Param::int(end_millis),
    ]
}

/// Folds the three per-SKU result sets into one list, most units first.
pub(crate) fn merge_sku_scores(
    orders: Vec<SkuScore>,
    cases: Vec<(String, u64, u64, u64)>,
    reviews: Vec<(String, u64, u64, u64)>,
) -> Vec<SkuScore> {
    let mut by_sku: std::collections::BTreeMap<String, SkuScore> = orders
        .into_iter()
        .map(|score| (score.sku_id.clone(), score))
        .collect();
    for (sku_id, refunds, returns, missing) in cases {
        let score = by_sku.entry(sku_id.clone()).or_insert_with(|| SkuScore {
            sku_id,
            ..SkuScore::default()
        });
        score.refund_cases = refunds;
        score.return_cases = returns;
        score.missing_parts_cases = missing;
    }
    for (sku_id, reviews, stars, chars) in reviews {
        if sku_id.is_empty() {
            continue;
        }
        let score = by_sku.entry(sku_id.clone()).or_insert_with(|| SkuScore {
            sku_id,
            ..SkuScore::default()
        });
        score.reviews = reviews;
        score.star_sum = stars;
        score.text_chars = chars;
    }
    let mut scores: Vec<SkuScore> = by_sku.into_values().collect();
    scores.sort_by(|left, right| {
        right
            .units
            .cmp(&left.units)
            .then_with(|| left.sku_id.cmp(&right.sku_id))
    });
    scores
}

pub(crate) fn four_counts(row: &impl RowReader) -> StoreResult<(String, u64, u64, u64)> {
    Ok((
        row.text(0)?,
        crate::encode::count(row.int(1)?),
        crate::encode::count(row.int(2)?),
        crate::encode::count(row.int(3)?),
    ))
}

/// `SELECT ... WHERE order_id IN ($1, ..., $n)`.
pub(crate) fn cases_of_orders_sql(orders: usize) -> String {
    let placeholders: Vec<String> = (1..=orders).map(|index| format!("${index}")).collect();
    format!(
        "SELECT order_id, case_id, kind, status FROM after_sales_cases
        WHERE order_id IN ({}) ORDER BY order_id, create_time, case_id",
        placeholders.join(", ")
    )
}

pub(crate) fn order_case_from_row(row: &impl RowReader) -> StoreResult<OrderCase> {
    Ok(OrderCase {
        order_id: row.text(0)?,
        case_id: row.text(1)?,
        kind: row.text(2)?,
        status: row.text(3)?,
    })
}

fn index(value: i64) -> usize {
    usize::try_from(value).unwrap_or(0)
}
