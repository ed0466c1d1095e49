//! [`ReputationStore`] for SQLite: the shared SQL of `crate::reputation`.

use super::{execute, query_all, query_one, SqliteStore};
use crate::encode::{Param, RowReader};
use crate::reputation::{self as sql, AlertChannel, AnalysisFilter, NegativeReviewCount};
use crate::reputation::{NewAlertChannel, ReplyDraft, ReputationStore, SnrrBucket};
use crate::reputation::{ReviewAnalysisRecord, StoredReviewAnalysis};
use crate::{StoreError, StoreResult};
use async_trait::async_trait;
use shopcare_core::metrics::DeliveredItems;
use shopcare_core::{ShopId, Timestamp};

#[async_trait]
impl ReputationStore for SqliteStore {
    async fn save_review_analyses(
        &self,
        records: &[ReviewAnalysisRecord],
    ) -> StoreResult<Vec<bool>> {
        self.write(|connection| {
            let transaction = connection.transaction()?;
            let mut changed = Vec::with_capacity(records.len());
            for record in records {
                let params = sql::analysis_params(record);
                changed.push(execute(&transaction, sql::UPSERT_ANALYSIS, &params)? > 0);
            }
            transaction.commit()?;
            Ok(changed)
        })
    }

    async fn list_review_analyses(
        &self,
        filter: &AnalysisFilter,
    ) -> StoreResult<Vec<StoredReviewAnalysis>> {
        let (query, params) = sql::analysis_query(filter);
        self.read(|connection| {
            query_all(connection, &query, &params, |row| {
                sql::analysis_from_row(row)
            })
        })
    }

    async fn count_review_analyses(&self, filter: &AnalysisFilter) -> StoreResult<u64> {
        let (query, params) = sql::analysis_count_query(filter);
        self.read(|connection| {
            let total = query_one(connection, &query, &params, |row| row.int(0))?;
            Ok(crate::encode::count(total.unwrap_or(0)))
        })
    }

    async fn shops_with_aggregates(&self) -> StoreResult<Vec<ShopId>> {
        self.read(|connection| {
            query_all(connection, sql::SHOPS_WITH_AGGREGATES, &[], |row| {
                Ok(ShopId::new(row.text(0)?))
            })
        })
    }

    async fn delivered_orders_in_buckets(
        &self,
        shop_id: &ShopId,
        start_bucket: i64,
        end_bucket: i64,
    ) -> StoreResult<u64> {
        self.count(sql::DELIVERED_IN_BUCKETS, shop_id, start_bucket, end_bucket)
    }

    async fn delivered_items_in_window(
        &self,
        shop_id: &ShopId,
        start_millis: i64,
        end_millis: i64,
    ) -> StoreResult<DeliveredItems> {
        self.delivered_items(
            sql::delivered_window_queries(start_millis, end_millis),
            shop_id,
        )
    }

    async fn delivered_items_by_scan(
        &self,
        shop_id: &ShopId,
        start_millis: i64,
        end_millis: i64,
    ) -> StoreResult<DeliveredItems> {
        let scan = sql::delivered_scan_query(start_millis, end_millis);
        self.delivered_items(vec![scan], shop_id)
    }

    async fn snrr_buckets(
        &self,
        shop_id: &ShopId,
        start_bucket: i64,
        end_bucket: i64,
    ) -> StoreResult<Vec<SnrrBucket>> {
        self.read(|connection| {
            let params = [
                Param::text(shop_id.as_str()),
                Param::int(start_bucket),
                Param::int(end_bucket),
                Param::Bool(true),
            ];
            let transaction = connection.unchecked_transaction()?;
            let pair =
                |row: &rusqlite::Row<'_>| Ok((row.int(0)?, crate::encode::count(row.int(1)?)));
            let delivered = query_all(&transaction, sql::DELIVERED_BY_BUCKET, &params[..3], pair)?;
            let negatives =
                query_all(&transaction, sql::SELLER_NEGATIVES_BY_BUCKET, &params, pair)?;
            Ok(sql::merge_snrr_buckets(delivered, negatives))
        })
    }

    async fn negative_reviews_in_buckets(
        &self,
        shop_id: &ShopId,
        start_bucket: i64,
        end_bucket: i64,
    ) -> StoreResult<Vec<NegativeReviewCount>> {
        self.negatives(sql::NEGATIVES_IN_BUCKETS, shop_id, start_bucket, end_bucket)
    }

    async fn delivered_orders_by_scan(
        &self,
        shop_id: &ShopId,
        start_millis: i64,
        end_millis: i64,
    ) -> StoreResult<u64> {
        self.count(sql::DELIVERED_BY_SCAN, shop_id, start_millis, end_millis)
    }

    async fn negative_reviews_by_scan(
        &self,
        shop_id: &ShopId,
        start_millis: i64,
        end_millis: i64,
    ) -> StoreResult<Vec<NegativeReviewCount>> {
        self.negatives(sql::NEGATIVES_BY_SCAN, shop_id, start_millis, end_millis)
    }

    async fn set_review_handled(
        &self,
        review_id: &str,
        at: Option<Timestamp>,
    ) -> StoreResult<bool> {
        self.write(|connection| {
            let params = [Param::text(review_id), Param::opt_time(at)];
            Ok(execute(connection, sql::SET_HANDLED, &params)? > 0)
        })
    }

    async fn set_report_candidate(&self, review_id: &str, candidate: bool) -> StoreResult<bool> {
        self.write(|connection| {
            let params = [Param::text(review_id), Param::Bool(candidate)];
            Ok(execute(connection, sql::SET_REPORT_CANDIDATE, &params)? > 0)
        })
    }

    async fn add_reply_draft(
        &self,
        review_id: &str,
        text: &str,
        blocked: bool,
        findings: &str,
        now: Timestamp,
    ) -> StoreResult<ReplyDraft> {
        self.write(|connection| {
            let params = [
                Param::text(review_id),
                Param::text(text),
                Param::Bool(blocked),
                Param::text(findings),
                Param::time(now),
            ];
            let draft_id = query_one(connection, sql::INSERT_DRAFT, &params, |row| row.int(0))?
                .ok_or_else(|| StoreError::Database("draft insert returned no id".to_owned()))?;
            Ok(ReplyDraft {
                draft_id,
                review_id: review_id.to_owned(),
                text: text.to_owned(),
                blocked,
                findings: findings.to_owned(),
                create_time: now,
                sent_at: None,
            })
        })
    }

    async fn reply_drafts(&self, review_id: &str) -> StoreResult<Vec<ReplyDraft>> {
        self.read(|connection| {
            query_all(
                connection,
                sql::SELECT_DRAFTS,
                &[Param::text(review_id)],
                |row| sql::draft_from_row(row),
            )
        })
    }

    async fn add_alert_channel(
        &self,
        channel: &NewAlertChannel,
        now: Timestamp,
    ) -> StoreResult<i64> {
        self.write(|connection| {
            let params = sql::channel_params(channel, now);
            query_one(connection, sql::INSERT_CHANNEL, &params, |row| row.int(0))?
                .ok_or_else(|| StoreError::Database("channel insert returned no id".to_owned()))
        })
    }

    async fn alert_channels(&self, shop_id: &ShopId) -> StoreResult<Vec<AlertChannel>> {
        self.read(|connection| {
            query_all(
                connection,
                sql::SELECT_CHANNELS,
                &[Param::text(shop_id.as_str())],
                |row| sql::channel_from_row(row),
            )
        })
    }

    async fn alert_delivered(&self, alert_key: &str, channel_id: i64) -> StoreResult<bool> {
        self.read(|connection| {
            let params = [Param::text(alert_key), Param::int(channel_id)];
            let count = query_one(connection, sql::SELECT_DELIVERY, &params, |row| row.int(0))?;
            Ok(count.unwrap_or(0) > 0)
        })
    }

    async fn record_alert_delivery(
        &self,
        alert_key: &str,
        channel_id: i64,
        at: Timestamp,
    ) -> StoreResult<bool> {
        self.write(|connection| {
            let params = [
                Param::text(alert_key),
                Param::int(channel_id),
                Param::time(at),
            ];
            Ok(execute(connection, sql::INSERT_DELIVERY, &params)? > 0)
        })
    }
}

impl SqliteStore {
    fn count(&self, query: &str, shop_id: &ShopId, start: i64, end: i64) -> StoreResult<u64> {
        self.read(|connection| {
            let params = [
                Param::text(shop_id.as_str()),
                Param::int(start),
                Param::int(end),
            ];
            let total = query_one(connection, query, &params, |row| row.int(0))?;
            Ok(crate::encode::count(total.unwrap_or(0)))
        })
    }

    /// Runs product and SKU queries and adds up their rows, on one read snapshot.
    fn delivered_items(
        &self,
        queries: Vec<sql::DeliveredQuery>,
        shop_id: &ShopId,
    ) -> StoreResult<DeliveredItems> {
        self.read(|connection| {
            let transaction = connection.unchecked_transaction()?;
            let mut items = DeliveredItems::default();
            for query in queries {
                let params = [
                    Param::text(shop_id.as_str()),
                    Param::int(query.start),
                    Param::int(query.end),
                ];
                let products = query_all(&transaction, query.products, &params, |row| {
                    sql::delivered_row(row)
                })?;
                let skus = query_all(&transaction, query.skus, &params, |row| {
                    sql::delivered_row(row)
                })?;
                sql::add_delivered_rows(&mut items, products, skus);
            }
            Ok(items)
        })
    }

    fn negatives(
        &self,
        query: &str,
        shop_id: &ShopId,
        start: i64,
        end: i64,
    ) -> StoreResult<Vec<NegativeReviewCount>> {
        self.read(|connection| {
            let params = [
                Param::text(shop_id.as_str()),
                Param::int(start),
                Param::int(end),
            ];
            query_all(connection, query, &params, |row| {
                sql::negative_count_from_row(row)
            })
        })
    }
}
