//! [`TimelineStore`] for PostgreSQL: the shared SQL of `crate::timeline` on the pool.

use super::{execute, query_all, query_one, PostgresStore};
use crate::encode::{Param, RowReader};
use crate::timeline::{self as sql, OrderTimelineContext, TimelineMessageRecord};
use crate::timeline::{TimelineMessageState, TimelineStore, TimelineTemplateRecord};
use crate::StoreResult;
use async_trait::async_trait;
use shopcare_core::timeline::{SkuSettings, TimelineSettings};
use shopcare_core::{OrderId, ShopId, Timestamp};

#[async_trait]
impl TimelineStore for PostgresStore {
    async fn timeline_settings(&self, shop_id: &ShopId) -> StoreResult<Option<TimelineSettings>> {
        let mut connection = self.pool.acquire().await?;
        query_one(
            &mut connection,
            sql::SELECT_SETTINGS,
            &[Param::text(shop_id.as_str())],
            sql::settings_from_row,
        )
        .await
    }

    async fn save_timeline_settings(
        &self,
        shop_id: &ShopId,
        settings: &TimelineSettings,
        at: Timestamp,
    ) -> StoreResult<()> {
        let params = sql::settings_params(shop_id, settings, at)?;
        let mut connection = self.pool.acquire().await?;
        execute(&mut connection, sql::UPSERT_SETTINGS, &params).await?;
        Ok(())
    }

    async fn timeline_sku_settings(&self, shop_id: &ShopId) -> StoreResult<Vec<SkuSettings>> {
        let mut connection = self.pool.acquire().await?;
        query_all(
            &mut connection,
            sql::SELECT_SKUS,
            &[Param::text(shop_id.as_str())],
            sql::sku_from_row,
        )
        .await
    }

    async fn save_timeline_sku_settings(
        &self,
        shop_id: &ShopId,
        sku: &SkuSettings,
        at: Timestamp,
    ) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        let params = sql::sku_params(shop_id, sku, at);
        execute(&mut connection, sql::UPSERT_SKU, &params).await?;
        Ok(())
    }

    async fn save_timeline_template(&self, template: &TimelineTemplateRecord) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        let params = sql::template_params(template);
        execute(&mut connection, sql::UPSERT_TEMPLATE, &params).await?;
        Ok(())
    }

    async fn timeline_templates(
        &self,
        shop_id: &ShopId,
    ) -> StoreResult<Vec<TimelineTemplateRecord>> {
        let mut connection = self.pool.acquire().await?;
        query_all(
            &mut connection,
            sql::SELECT_TEMPLATES,
            &[Param::text(shop_id.as_str())],
            sql::template_from_row,
        )
        .await
    }

    async fn record_timeline_message(&self, message: &TimelineMessageRecord) -> StoreResult<bool> {
        let mut connection = self.pool.acquire().await?;
        let params = sql::message_params(message);
        Ok(execute(&mut connection, sql::INSERT_MESSAGE, &params).await? > 0)
    }

    async fn transition_timeline_message(
        &self,
        order_id: &OrderId,
        trigger: &str,
        from: TimelineMessageState,
        to: TimelineMessageState,
        reason: Option<&str>,
        conversation_id: Option<&str>,
        message_id: Option<&str>,
        at: Timestamp,
    ) -> StoreResult<bool> {
        let params = sql::transition_params(
            order_id,
            trigger,
            from,
            to,
            reason,
            conversation_id,
            message_id,
            at,
        );
        let mut connection = self.pool.acquire().await?;
        Ok(execute(&mut connection, sql::TRANSITION_MESSAGE, &params).await? > 0)
    }

    async fn timeline_message(
        &self,
        order_id: &OrderId,
        trigger: &str,
    ) -> StoreResult<Option<TimelineMessageRecord>> {
        let mut connection = self.pool.acquire().await?;
        query_one(
            &mut connection,
            &sql::SELECT_MESSAGE,
            &[Param::text(order_id.as_str()), Param::text(trigger)],
            sql::message_from_row,
        )
        .await
    }

    async fn timeline_messages(
        &self,
        shop_id: Option<&ShopId>,
    ) -> StoreResult<Vec<TimelineMessageRecord>> {
        let mut connection = self.pool.acquire().await?;
        match shop_id {
            Some(shop_id) => {
                query_all(
                    &mut connection,
                    &sql::SELECT_MESSAGES_OF_SHOP,
                    &[Param::text(shop_id.as_str())],
                    sql::message_from_row,
                )
                .await
            }
            None => {
                query_all(
                    &mut connection,
                    &sql::SELECT_ALL_MESSAGES,
                    &[],
                    sql::message_from_row,
                )
                .await
            }
        }
    }

    async fn timeline_order_ids(
        &self,
        shop_id: Option<&ShopId>,
        since: Timestamp,
    ) -> StoreResult<Vec<OrderId>> {
        let mut connection = self.pool.acquire().await?;
        let decode = |row: &sqlx::postgres::PgRow| Ok(OrderId::new(row.text(0)?));
        match shop_id {
            Some(shop_id) => {
                query_all(
                    &mut connection,
                    sql::SELECT_ORDER_IDS_OF_SHOP,
                    &[Param::text(shop_id.as_str()), Param::time(since)],
                    decode,
                )
                .await
            }
            None => {
                query_all(
                    &mut connection,
                    sql::SELECT_ALL_ORDER_IDS,
                    &[Param::time(since)],
                    decode,
                )
                .await
            }
        }
    }

    async fn order_timeline_context(
        &self,
        order_id: &OrderId,
    ) -> StoreResult<OrderTimelineContext> {
        let mut connection = self.pool.acquire().await?;
        let order = [Param::text(order_id.as_str())];
        let cases = query_all(
            &mut connection,
            sql::SELECT_ORDER_CASES,
            &order,
            sql::case_fact_from_row,
        )
        .await?;
        let cancellations = query_all(
            &mut connection,
            sql::SELECT_ORDER_CANCELLATIONS,
            &order,
            sql::cancel_status_from_row,
        )
        .await?;
        let conversation_id = query_one(
            &mut connection,
            sql::SELECT_BUYER_CONVERSATION,
            &order,
            |row| row.text(0),
        )
        .await?;
        let unresolved_chat = match &conversation_id {
            Some(conversation) => query_one(
                &mut connection,
                sql::SELECT_LAST_SENDER,
                &[Param::text(conversation)],
                |row| row.text(0),
            )
            .await?
            .is_some_and(|role| role == "BUYER"),
            None => false,
        };
        Ok(OrderTimelineContext {
            cases,
            cancellations,
            conversation_id,
            unresolved_chat,
        })
    }
}
