//! [`ReputationStore`] for PostgreSQL: the shared SQL of `crate::reputation` on the pool.

use super::{execute, query_all, query_one, PostgresStore};
use crate::encode::{Param, RowReader};
use crate::reputation::{self as sql, AlertChannel, AnalysisFilter, NegativeReviewCount};
use crate::reputation::{NewAlertChannel, ReplyDraft, ReputationStore, SnrrBucket};
use crate::reputation::{ReviewAnalysisRecord, StoredReviewAnalysis};
use crate::{StoreError, StoreResult};
use async_trait::async_trait;
use shopcare_core::metrics::DeliveredItems;
use shopcare_core::{ShopId, Timestamp};

#[async_trait]
impl ReputationStore for PostgresStore {
    async fn save_review_analyses(
        &self,
        records: &[ReviewAnalysisRecord],
    ) -> StoreResult<Vec<bool>> {
        super::retry_conflicts(|| async {
            let mut transaction = self.pool.begin().await?;
            let mut changed = Vec::with_capacity(records.len());
            for record in records {
                let params = sql::analysis_params(record);
                changed.push(execute(&mut transaction, sql::UPSERT_ANALYSIS, &params).await? > 0);
            }
            transaction.commit().await?;
            Ok(changed)
        })
        .await
    }

    async fn list_review_analyses(
        &self,
        filter: &AnalysisFilter,
    ) -> StoreResult<Vec<StoredReviewAnalysis>> {
        let (query, params) = sql::analysis_query(filter);
        let mut connection = self.pool.acquire().await?;
        query_all(&mut connection, &query, &params, |row| {
            sql::analysis_from_row(row)
        })
        .await
    }

    async fn count_review_analyses(&self, filter: &AnalysisFilter) -> StoreResult<u64> {
        let (query, params) = sql::analysis_count_query(filter);
        let mut connection = self.pool.acquire().await?;
        let total = query_one(&mut connection, &query, &params, |row| row.int(0)).await?;
        Ok(crate::encode::count(total.unwrap_or(0)))
    }

    async fn shops_with_aggregates(&self) -> StoreResult<Vec<ShopId>> {
        let mut connection = self.pool.acquire().await?;
        query_all(&mut connection, sql::SHOPS_WITH_AGGREGATES, &[], |row| {
            Ok(ShopId::new(row.text(0)?))
        })
        .await
    }

    async fn delivered_orders_in_buckets(
        &self,
        shop_id: &ShopId,
        start_bucket: i64,
        end_bucket: i64,
    ) -> StoreResult<u64> {
        self.count(sql::DELIVERED_IN_BUCKETS, shop_id, start_bucket, end_bucket)
            .await
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
        .await
    }

    async fn delivered_items_by_scan(
        &self,
        shop_id: &ShopId,
        start_millis: i64,
        end_millis: i64,
    ) -> StoreResult<DeliveredItems> {
        let scan = sql::delivered_scan_query(start_millis, end_millis);
        self.delivered_items(vec![scan], shop_id).await
    }

    async fn snrr_buckets(
        &self,
        shop_id: &ShopId,
        start_bucket: i64,
        end_bucket: i64,
    ) -> StoreResult<Vec<SnrrBucket>> {
        let mut transaction = self.snapshot().await?;
        let params = [
            Param::text(shop_id.as_str()),
            Param::int(start_bucket),
            Param::int(end_bucket),
            Param::Bool(true),
        ];
        let pair =
            |row: &sqlx::postgres::PgRow| Ok((row.int(0)?, crate::encode::count(row.int(1)?)));
        let delivered = query_all(
            &mut transaction,
            sql::DELIVERED_BY_BUCKET,
            &params[..3],
            pair,
        )
        .await?;
        let negatives = query_all(
            &mut transaction,
            sql::SELLER_NEGATIVES_BY_BUCKET,
            &params,
            pair,
        )
        .await?;
        transaction.commit().await?;
        Ok(sql::merge_snrr_buckets(delivered, negatives))
    }

    async fn negative_reviews_in_buckets(
        &self,
        shop_id: &ShopId,
        start_bucket: i64,
        end_bucket: i64,
    ) -> StoreResult<Vec<NegativeReviewCount>> {
        self.negatives(sql::NEGATIVES_IN_BUCKETS, shop_id, start_bucket, end_bucket)
            .await
    }

    async fn delivered_orders_by_scan(
        &self,
        shop_id: &ShopId,
        start_millis: i64,
        end_millis: i64,
    ) -> StoreResult<u64> {
        self.count(sql::DELIVERED_BY_SCAN, shop_id, start_millis, end_millis)
            .await
    }

    async fn negative_reviews_by_scan(
        &self,
        shop_id: &ShopId,
        start_millis: i64,
        end_millis: i64,
    ) -> StoreResult<Vec<NegativeReviewCount>> {
        self.negatives(sql::NEGATIVES_BY_SCAN, shop_id, start_millis, end_millis)
            .await
    }

    async fn set_review_handled(
        &self,
        review_id: &str,
        at: Option<Timestamp>,
    ) -> StoreResult<bool> {
        let mut connection = self.pool.acquire().await?;
        let params = [Param::text(review_id), Param::opt_time(at)];
        Ok(execute(&mut connection, sql::SET_HANDLED, &params).await? > 0)
    }

    async fn set_report_candidate(&self, review_id: &str, candidate: bool) -> StoreResult<bool> {
        let mut connection = self.pool.acquire().await?;
        let params = [Param::text(review_id), Param::Bool(candidate)];
        Ok(execute(&mut connection, sql::SET_REPORT_CANDIDATE, &params).await? > 0)
    }

    async fn add_reply_draft(
        &self,
        review_id: &str,
        text: &str,
        blocked: bool,
        findings: &str,
        now: Timestamp,
    ) -> StoreResult<ReplyDraft> {
        let mut connection = self.pool.acquire().await?;
        let params = [
            Param::text(review_id),
            Param::text(text),
            Param::Bool(blocked),
            Param::text(findings),
            Param::time(now),
        ];
        let draft_id = query_one(&mut connection, sql::INSERT_DRAFT, &params, |row| {
            row.int(0)
        })
        .await?
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
    }

    async fn reply_drafts(&self, review_id: &str) -> StoreResult<Vec<ReplyDraft>> {
        let mut connection = self.pool.acquire().await?;
        query_all(
            &mut connection,
            sql::SELECT_DRAFTS,
            &[Param::text(review_id)],
            sql::draft_from_row,
        )
        .await
    }

    async fn add_alert_channel(
        &self,
        channel: &NewAlertChannel,
        now: Timestamp,
    ) -> StoreResult<i64> {
        let mut connection = self.pool.acquire().await?;
        let params = sql::channel_params(channel, now);
        query_one(&mut connection, sql::INSERT_CHANNEL, &params, |row| {
            row.int(0)
        })
        .await?
        .ok_or_else(|| StoreError::Database("channel insert returned no id".to_owned()))
    }

    async fn alert_channels(&self, shop_id: &ShopId) -> StoreResult<Vec<AlertChannel>> {
        let mut connection = self.pool.acquire().await?;
        query_all(
            &mut connection,
            sql::SELECT_CHANNELS,
            &[Param::text(shop_id.as_str())],
            sql::channel_from_row,
        )
        .await
    }

    async fn alert_delivered(&self, alert_key: &str, channel_id: i64) -> StoreResult<bool> {
        let mut connection = self.pool.acquire().await?;
        let params = [Param::text(alert_key), Param::int(channel_id)];
        let count = query_one(&mut connection, sql::SELECT_DELIVERY, &params, |row| {
            row.int(0)
        })
        .await?;
        Ok(count.unwrap_or(0) > 0)
    }

    async fn record_alert_delivery(
        &self,
        alert_key: &str,
        channel_id: i64,
        at: Timestamp,
    ) -> StoreResult<bool> {
        let mut connection = self.pool.acquire().await?;
        let params = [
            Param::text(alert_key),
            Param::int(channel_id),
            Param::time(at),
        ];
        Ok(execute(&mut connection, sql::INSERT_DELIVERY, &params).await? > 0)
    }
}

impl PostgresStore {
    async fn count(&self, query: &str, shop_id: &ShopId, start: i64, end: i64) -> StoreResult<u64> {
        let mut connection = self.pool.acquire().await?;
        let params = [
            Param::text(shop_id.as_str()),
            Param::int(start),
            Param::int(end),
        ];
        let total = query_one(&mut connection, query, &params, |row| row.int(0)).await?;
        Ok(crate::encode::count(total.unwrap_or(0)))
    }

    /// Runs product and SKU queries and adds up their rows, on one read snapshot.
    async fn delivered_items(
        &self,
        queries: Vec<sql::DeliveredQuery>,
        shop_id: &ShopId,
    ) -> StoreResult<DeliveredItems> {
        let mut transaction = self.snapshot().await?;
        let mut items = DeliveredItems::default();
        for query in queries {
            let params = [
                Param::text(shop_id.as_str()),
                Param::int(query.start),
                Param::int(query.end),
            ];
            let products = query_all(&mut transaction, query.products, &params, |row| {
                sql::delivered_row(row)
            })
            .await?;
            let skus = query_all(&mut transaction, query.skus, &params, |row| {
                sql::delivered_row(row)
            })
            .await?;
            sql::add_delivered_rows(&mut items, products, skus);
        }
        transaction.commit().await?;
        Ok(items)
    }

    async fn negatives(
        &self,
        query: &str,
        shop_id: &ShopId,
        start: i64,
        end: i64,
    ) -> StoreResult<Vec<NegativeReviewCount>> {
        let mut connection = self.pool.acquire().await?;
        let params = [
            Param::text(shop_id.as_str()),
            Param::int(start),
            Param::int(end),
        ];
        query_all(&mut connection, query, &params, |row| {
            sql::negative_count_from_row(row)
        })
        .await
    }
}
