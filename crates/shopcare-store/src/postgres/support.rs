//! [`SupportStore`] for PostgreSQL: the shared SQL of `crate::support` on the pool.

use super::{execute, query_all, query_one, PostgresStore};
use crate::encode::{Param, RowReader};
use crate::support::{self as sql, BuyerContext, ChatPeriodRecord, IssueReportRecord};
use crate::support::{MessageMarkRecord, NewSupportReply, SavedReplyRecord, SupportReplyRecord};
use crate::support::{SupportReplyState, SupportStore, TicketFilter, TicketRecord, VocEntryRecord};
use crate::StoreResult;
use async_trait::async_trait;
use shopcare_core::support::ChatThread;
use shopcare_core::{ShopId, Timestamp};

#[async_trait]
impl SupportStore for PostgresStore {
    async fn save_ticket(&self, ticket: &TicketRecord) -> StoreResult<()> {
        let params = sql::ticket_params(ticket)?;
        let mut connection = self.pool.acquire().await?;
        execute(&mut connection, &sql::SAVE_TICKET, &params).await?;
        Ok(())
    }

    async fn create_ticket(&self, ticket: &TicketRecord) -> StoreResult<bool> {
        let params = sql::ticket_params(ticket)?;
        let mut connection = self.pool.acquire().await?;
        Ok(execute(&mut connection, &sql::CREATE_TICKET, &params).await? > 0)
    }

    async fn ticket(&self, conversation_id: &str) -> StoreResult<Option<TicketRecord>> {
        let mut connection = self.pool.acquire().await?;
        query_one(
            &mut connection,
            &sql::SELECT_TICKET,
            &[Param::text(conversation_id)],
            sql::ticket_from_row,
        )
        .await
    }

    async fn list_tickets(&self, filter: &TicketFilter) -> StoreResult<Vec<TicketRecord>> {
        let (query, params) = sql::list_tickets_query(filter);
        let mut connection = self.pool.acquire().await?;
        query_all(&mut connection, &query, &params, sql::ticket_from_row).await
    }

    async fn conversations_without_ticket(
        &self,
        shops: Option<&[ShopId]>,
        limit: u32,
    ) -> StoreResult<Vec<String>> {
        let (query, params) = sql::conversations_without_ticket_query(shops, limit);
        let mut connection = self.pool.acquire().await?;
        query_all(&mut connection, &query, &params, |row| row.text(0)).await
    }

    async fn chat_thread(&self, conversation_id: &str) -> StoreResult<Option<ChatThread>> {
        let mut connection = self.pool.acquire().await?;
        let params = [Param::text(conversation_id)];
        let Some(conversation) = query_one(
            &mut connection,
            sql::SELECT_CONVERSATION,
            &params,
            sql::conversation_from_row,
        )
        .await?
        else {
            return Ok(None);
        };
        let messages = query_all(
            &mut connection,
            &sql::SELECT_MESSAGES_OF_CONVERSATION,
            &params,
            sql::message_from_row,
        )
        .await?;
        Ok(Some(ChatThread {
            conversation,
            messages,
        }))
    }

    async fn chat_threads(
        &self,
        shop_id: &ShopId,
        from: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<ChatThread>> {
        let mut connection = self.pool.acquire().await?;
        let params = [
            Param::text(shop_id.as_str()),
            Param::time(from),
            Param::time(until),
        ];
        let conversations = query_all(
            &mut connection,
            &sql::SELECT_CONVERSATIONS_IN_WINDOW,
            &params,
            sql::conversation_from_row,
        )
        .await?;
        let messages = query_all(
            &mut connection,
            &sql::SELECT_MESSAGES_IN_WINDOW,
            &params,
            sql::message_from_row,
        )
        .await?;
        Ok(sql::group_threads(conversations, messages))
    }

    async fn buyer_context(&self, shop_id: &ShopId, buyer_id: &str) -> StoreResult<BuyerContext> {
        let mut connection = self.pool.acquire().await?;
        let params = [Param::text(shop_id.as_str()), Param::text(buyer_id)];
        let mut context = BuyerContext::default();
        if let Some((order, tracking, carrier, sku)) =
            query_one(&mut connection, sql::SELECT_LATEST_ORDER, &params, |row| {
                Ok((
                    row.text(0)?,
                    row.opt_text(1)?,
                    row.opt_text(2)?,
                    row.opt_text(3)?,
                ))
            })
            .await?
        {
            context.latest_order_id = Some(order);
            context.tracking_number = tracking;
            context.carrier = carrier;
            context.sku_id = sku;
        }
        context.lowest_review_stars =
            query_one(&mut connection, sql::SELECT_LOWEST_STARS, &params, |row| {
                row.opt_int(0)
            })
            .await?
            .flatten()
            .and_then(|stars| u8::try_from(stars).ok());
        context.cases = query_all(&mut connection, sql::SELECT_BUYER_CASES, &params, |row| {
            Ok((row.text(0)?, row.text(1)?, row.opt_time(2)?))
        })
        .await?;
        Ok(context)
    }

    async fn add_chat_period(&self, period: &ChatPeriodRecord) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        execute(
            &mut connection,
            sql::INSERT_PERIOD,
            &sql::period_params(period),
        )
        .await?;
        Ok(())
    }

    async fn chat_periods(&self, shop_id: &ShopId) -> StoreResult<Vec<ChatPeriodRecord>> {
        let mut connection = self.pool.acquire().await?;
        query_all(
            &mut connection,
            sql::SELECT_PERIODS,
            &[Param::text(shop_id.as_str())],
            sql::period_from_row,
        )
        .await
    }

    async fn set_buyer_blocked(
        &self,
        shop_id: &ShopId,
        buyer_id: &str,
        blocked: bool,
        at: Timestamp,
    ) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        if blocked {
            let params = [
                Param::text(shop_id.as_str()),
                Param::text(buyer_id),
                Param::time(at),
            ];
            execute(&mut connection, sql::BLOCK_BUYER, &params).await?;
        } else {
            let params = [Param::text(shop_id.as_str()), Param::text(buyer_id)];
            execute(&mut connection, sql::UNBLOCK_BUYER, &params).await?;
        }
        Ok(())
    }

    async fn blocked_buyers(&self, shop_id: &ShopId) -> StoreResult<Vec<String>> {
        let mut connection = self.pool.acquire().await?;
        query_all(
            &mut connection,
            sql::SELECT_BLOCKED,
            &[Param::text(shop_id.as_str())],
            |row| row.text(0),
        )
        .await
    }

    async fn mark_messages(&self, marks: &[MessageMarkRecord]) -> StoreResult<()> {
        super::retry_conflicts(|| async {
            let mut transaction = self.pool.begin().await?;
            for mark in marks {
                let params = sql::mark_params(mark);
                execute(&mut transaction, sql::INSERT_MARK, &params).await?;
            }
            transaction.commit().await?;
            Ok(())
        })
        .await
    }

    async fn message_marks(&self, shop_id: &ShopId) -> StoreResult<Vec<MessageMarkRecord>> {
        let mut connection = self.pool.acquire().await?;
        query_all(
            &mut connection,
            sql::SELECT_MARKS,
            &[Param::text(shop_id.as_str())],
            sql::mark_from_row,
        )
        .await
    }

    async fn save_saved_reply(&self, reply: &SavedReplyRecord) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        let params = sql::saved_reply_params(reply);
        execute(&mut connection, sql::UPSERT_SAVED_REPLY, &params).await?;
        Ok(())
    }

    async fn saved_reply(&self, reply_id: &str) -> StoreResult<Option<SavedReplyRecord>> {
        let mut connection = self.pool.acquire().await?;
        query_one(
            &mut connection,
            &sql::SELECT_SAVED_REPLY,
            &[Param::text(reply_id)],
            sql::saved_reply_from_row,
        )
        .await
    }

    async fn saved_replies(&self, shop_id: &ShopId) -> StoreResult<Vec<SavedReplyRecord>> {
        let mut connection = self.pool.acquire().await?;
        query_all(
            &mut connection,
            &sql::SELECT_SAVED_REPLIES,
            &[Param::text(shop_id.as_str())],
            sql::saved_reply_from_row,
        )
        .await
    }

    async fn delete_saved_reply(&self, reply_id: &str) -> StoreResult<bool> {
        let mut connection = self.pool.acquire().await?;
        let params = [Param::text(reply_id)];
        Ok(execute(&mut connection, sql::DELETE_SAVED_REPLY, &params).await? > 0)
    }

    async fn create_support_reply(
        &self,
        reply: &NewSupportReply,
    ) -> StoreResult<(SupportReplyRecord, bool)> {
        super::retry_conflicts(|| async {
            let mut transaction = self.pool.begin().await?;
            let params = sql::reply_params(reply);
            let inserted = execute(&mut transaction, sql::INSERT_REPLY, &params).await? > 0;
            let stored = query_one(
                &mut transaction,
                &sql::SELECT_REPLY_BY_COMMAND,
                &[Param::text(&reply.command_key)],
                sql::reply_from_row,
            )
            .await?
            .ok_or_else(|| crate::StoreError::Database("support reply vanished".to_owned()))?;
            transaction.commit().await?;
            Ok((stored, inserted))
        })
        .await
    }

    async fn support_reply(&self, reply_id: &str) -> StoreResult<Option<SupportReplyRecord>> {
        let mut connection = self.pool.acquire().await?;
        query_one(
            &mut connection,
            &sql::SELECT_REPLY,
            &[Param::text(reply_id)],
            sql::reply_from_row,
        )
        .await
    }

    async fn update_support_reply(
        &self,
        reply_id: &str,
        state: SupportReplyState,
        message_id: Option<&str>,
        error: Option<&str>,
        at: Timestamp,
    ) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        let params = [
            Param::text(reply_id),
            Param::text(state.as_str()),
            Param::opt_text(message_id),
            Param::opt_text(error),
            Param::time(at),
        ];
        execute(&mut connection, sql::UPDATE_REPLY, &params).await?;
        Ok(())
    }

    async fn reply_agents(&self, shop_id: &ShopId) -> StoreResult<Vec<(String, String)>> {
        let mut connection = self.pool.acquire().await?;
        query_all(
            &mut connection,
            sql::SELECT_REPLY_AGENTS,
            &[Param::text(shop_id.as_str())],
            |row| Ok((row.text(0)?, row.text(1)?)),
        )
        .await
    }

    async fn add_issue_reports(&self, reports: &[IssueReportRecord]) -> StoreResult<u64> {
        super::retry_conflicts(|| async {
            let mut transaction = self.pool.begin().await?;
            let mut added = 0;
            for report in reports {
                let params = sql::issue_report_params(report);
                added += execute(&mut transaction, sql::INSERT_ISSUE_REPORT, &params).await?;
            }
            transaction.commit().await?;
            Ok(added)
        })
        .await
    }

    async fn issue_reports(
        &self,
        shops: Option<&[ShopId]>,
        since: Timestamp,
    ) -> StoreResult<Vec<IssueReportRecord>> {
        let (query, params) = sql::issue_reports_query(shops, since);
        let mut connection = self.pool.acquire().await?;
        query_all(&mut connection, &query, &params, sql::issue_report_from_row).await
    }

    async fn save_voc_entry(&self, entry: &VocEntryRecord) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        let params = sql::voc_entry_params(entry);
        execute(&mut connection, sql::UPSERT_VOC_ENTRY, &params).await?;
        Ok(())
    }

    async fn voc_entries(&self, shops: Option<&[ShopId]>) -> StoreResult<Vec<VocEntryRecord>> {
        let (query, params) = sql::voc_entries_query(shops);
        let mut connection = self.pool.acquire().await?;
        query_all(&mut connection, &query, &params, sql::voc_entry_from_row).await
    }

    async fn sku_activity(
        &self,
        shop_id: &ShopId,
        sku_ids: &[String],
        from: Timestamp,
        until: Timestamp,
    ) -> StoreResult<crate::support::SkuActivity> {
        let ([lines, requests, reviews], params) =
            sql::sku_activity_queries(shop_id, sku_ids, from, until);
        let mut connection = self.pool.acquire().await?;
        let dated = |row: &sqlx::postgres::PgRow| Ok((row.text(0)?, row.time(1)?));
        Ok(crate::support::SkuActivity {
            order_lines: query_all(&mut connection, &lines, &params, dated).await?,
            requests: query_all(&mut connection, &requests, &params, dated).await?,
            negative_reviews: query_all(&mut connection, &reviews, &params, dated).await?,
        })
    }
}
