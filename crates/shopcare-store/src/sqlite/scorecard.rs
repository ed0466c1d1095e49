//! [`ScorecardStore`] for SQLite: the shared SQL of `crate::scorecard`.

use super::{query_all, SqliteStore};
use crate::encode::Param;
use crate::scorecard::{self as sql, CaseWeek, OrderCase, OrderWeek, RepeatWeek, ReviewWeek};
use crate::scorecard::{ScorecardStore, SkuScore, WeekEdges};
use crate::StoreResult;
use async_trait::async_trait;
use shopcare_core::ShopId;

#[async_trait]
impl ScorecardStore for SqliteStore {
    async fn order_weeks(
        &self,
        shop_id: &ShopId,
        edges: &WeekEdges,
    ) -> StoreResult<Vec<OrderWeek>> {
        let query = sql::order_weeks_sql(edges);
        let params = sql::week_params(shop_id, edges);
        self.read(|connection| {
            query_all(connection, &query, &params, |row| {
                sql::order_week_from_row(row)
            })
        })
    }

    async fn case_weeks(&self, shop_id: &ShopId, edges: &WeekEdges) -> StoreResult<Vec<CaseWeek>> {
        let query = sql::case_weeks_sql(edges);
        let params = sql::week_params(shop_id, edges);
        self.read(|connection| {
            query_all(connection, &query, &params, |row| {
                sql::case_week_from_row(row)
            })
        })
    }

    async fn review_weeks(
        &self,
        shop_id: &ShopId,
        edges: &WeekEdges,
    ) -> StoreResult<Vec<ReviewWeek>> {
        let query = sql::review_weeks_sql(edges);
        let params = sql::week_params(shop_id, edges);
        self.read(|connection| {
            query_all(connection, &query, &params, |row| {
                sql::review_week_from_row(row)
            })
        })
    }

    async fn repeat_weeks(
        &self,
        shop_id: &ShopId,
        edges: &WeekEdges,
    ) -> StoreResult<Vec<RepeatWeek>> {
        let query = sql::repeat_weeks_sql(edges);
        let params = sql::week_params(shop_id, edges);
        self.read(|connection| {
            query_all(connection, &query, &params, |row| {
                sql::repeat_week_from_row(row)
            })
        })
    }

    async fn sku_scores(
        &self,
        shop_id: &ShopId,
        start_millis: i64,
        end_millis: i64,
    ) -> StoreResult<Vec<SkuScore>> {
        let params = sql::range_params(shop_id, start_millis, end_millis);
        let cases_sql = sql::sku_cases_sql();
        self.read(|connection| {
            let orders = query_all(connection, sql::SKU_ORDERS, &params, |row| {
                sql::sku_orders_from_row(row)
            })?;
            let cases = query_all(connection, &cases_sql, &params, |row| sql::four_counts(row))?;
            let reviews = query_all(connection, sql::SKU_REVIEWS, &params, |row| {
                sql::four_counts(row)
            })?;
            Ok(sql::merge_sku_scores(orders, cases, reviews))
        })
    }

    async fn cases_of_orders(&self, order_ids: &[String]) -> StoreResult<Vec<OrderCase>> {
        if order_ids.is_empty() {
            return Ok(Vec::new());
        }
        let query = sql::cases_of_orders_sql(order_ids.len());
        let params: Vec<Param<'_>> = order_ids.iter().map(|id| Param::text(id)).collect();
        self.read(|connection| {
            query_all(connection, &query, &params, |row| {
                sql::order_case_from_row(row)
            })
        })
    }
}
