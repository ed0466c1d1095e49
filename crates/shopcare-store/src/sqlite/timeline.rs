//! [`TimelineStore`] for SQLite: the shared SQL of `crate::timeline`, run on the writer or a reader.

use super::{execute, query_all, query_one, SqliteStore};
use crate::encode::{Param, RowReader};
use crate::timeline::{self as sql, OrderTimelineContext, TimelineMessageRecord};
use crate::timeline::{TimelineMessageState, TimelineStore, TimelineTemplateRecord};
use crate::StoreResult;
use async_trait::async_trait;
use shopcare_core::timeline::{SkuSettings, TimelineSettings};
use shopcare_core::{OrderId, ShopId, Timestamp};

#[async_trait]
impl TimelineStore for SqliteStore {
    async fn timeline_settings(&self, shop_id: &ShopId) -> StoreResult<Option<TimelineSettings>> {
        self.read(|connection| {
            query_one(
                connection,
                sql::SELECT_SETTINGS,
                &[Param::text(shop_id.as_str())],
                |row| sql::settings_from_row(row),
            )
        })
    }

    async fn save_timeline_settings(
        &self,
        shop_id: &ShopId,
        settings: &TimelineSettings,
        at: Timestamp,
    ) -> StoreResult<()> {
        let params = sql::settings_params(shop_id, settings, at)?;
        self.write(|connection| {
            execute(connection, sql::UPSERT_SETTINGS, &params)?;
            Ok(())
        })
    }

    async fn timeline_sku_settings(&self, shop_id: &ShopId) -> StoreResult<Vec<SkuSettings>> {
        self.read(|connection| {
            query_all(
                connection,
                sql::SELECT_SKUS,
                &[Param::text(shop_id.as_str())],
                |row| sql::sku_from_row(row),
            )
        })
    }

    async fn save_timeline_sku_settings(
        &self,
        shop_id: &ShopId,
        sku: &SkuSettings,
        at: Timestamp,
    ) -> StoreResult<()> {
        self.write(|connection| {
            execute(
                connection,
                sql::UPSERT_SKU,
                &sql::sku_params(shop_id, sku, at),
            )?;
            Ok(())
        })
    }

    async fn save_timeline_template(&self, template: &TimelineTemplateRecord) -> StoreResult<()> {
        self.write(|connection| {
            execute(
                connection,
                sql::UPSERT_TEMPLATE,
                &sql::template_params(template),
            )?;
            Ok(())
        })
    }

    async fn timeline_templates(
        &self,
        shop_id: &ShopId,
    ) -> StoreResult<Vec<TimelineTemplateRecord>> {
        self.read(|connection| {
            query_all(
                connection,
                sql::SELECT_TEMPLATES,
                &[Param::text(shop_id.as_str())],
                |row| sql::template_from_row(row),
            )
        })
    }

    async fn record_timeline_message(&self, message: &TimelineMessageRecord) -> StoreResult<bool> {
        self.write(|connection| {
            Ok(execute(
                connection,
                sql::INSERT_MESSAGE,
                &sql::message_params(message),
            )? > 0)
        })
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
        self.write(|connection| Ok(execute(connection, sql::TRANSITION_MESSAGE, &params)? > 0))
    }

    async fn timeline_message(
        &self,
        order_id: &OrderId,
        trigger: &str,
    ) -> StoreResult<Option<TimelineMessageRecord>> {
        self.read(|connection| {
            query_one(
                connection,
                &sql::SELECT_MESSAGE,
                &[Param::text(order_id.as_str()), Param::text(trigger)],
                |row| sql::message_from_row(row),
            )
        })
    }

    async fn timeline_messages(
        &self,
        shop_id: Option<&ShopId>,
    ) -> StoreResult<Vec<TimelineMessageRecord>> {
        self.read(|connection| match shop_id {
            Some(shop_id) => query_all(
                connection,
                &sql::SELECT_MESSAGES_OF_SHOP,
                &[Param::text(shop_id.as_str())],
                |row| sql::message_from_row(row),
            ),
            None => query_all(connection, &sql::SELECT_ALL_MESSAGES, &[], |row| {
                sql::message_from_row(row)
            }),
        })
    }

    async fn timeline_order_ids(
        &self,
        shop_id: Option<&ShopId>,
        since: Timestamp,
    ) -> StoreResult<Vec<OrderId>> {
        self.read(|connection| {
            let decode = |row: &rusqlite::Row<'_>| Ok(OrderId::new(row.text(0)?));
            match shop_id {
                Some(shop_id) => query_all(
                    connection,
                    sql::SELECT_ORDER_IDS_OF_SHOP,
                    &[Param::text(shop_id.as_str()), Param::time(since)],
                    decode,
                ),
                None => query_all(
                    connection,
                    sql::SELECT_ALL_ORDER_IDS,
                    &[Param::time(since)],
                    decode,
                ),
            }
        })
    }

    async fn order_timeline_context(
        &self,
        order_id: &OrderId,
    ) -> StoreResult<OrderTimelineContext> {
        self.read(|connection| {
            let order = [Param::text(order_id.as_str())];
            let cases = query_all(connection, sql::SELECT_ORDER_CASES, &order, |row| {
                sql::case_fact_from_row(row)
            })?;
            let cancellations =
                query_all(connection, sql::SELECT_ORDER_CANCELLATIONS, &order, |row| {
                    sql::cancel_status_from_row(row)
                })?;
            let conversation_id =
                query_one(connection, sql::SELECT_BUYER_CONVERSATION, &order, |row| {
                    row.text(0)
                })?;
            let unresolved_chat = match &conversation_id {
                Some(conversation) => query_one(
                    connection,
                    sql::SELECT_LAST_SENDER,
                    &[Param::text(conversation)],
                    |row| row.text(0),
                )?
                .is_some_and(|role| role == "BUYER"),
                None => false,
            };
            Ok(OrderTimelineContext {
                cases,
                cancellations,
                conversation_id,
                unresolved_chat,
            })
        })
    }
}
