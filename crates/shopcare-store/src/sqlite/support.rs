//! [`SupportStore`] for SQLite: the shared SQL of `crate::support`, on the writer or a reader.

use super::{execute, query_all, query_one, SqliteStore};
use crate::encode::{Param, RowReader};
use crate::support::{self as sql, BuyerContext, ChatPeriodRecord, IssueReportRecord};
use crate::support::{MessageMarkRecord, NewSupportReply, SavedReplyRecord, SupportReplyRecord};
use crate::support::{SupportReplyState, SupportStore, TicketFilter, TicketRecord, VocEntryRecord};
use crate::StoreResult;
use async_trait::async_trait;
use shopcare_core::support::ChatThread;
use shopcare_core::{ShopId, Timestamp};

#[async_trait]
impl SupportStore for SqliteStore {
    async fn save_ticket(&self, ticket: &TicketRecord) -> StoreResult<()> {
        let params = sql::ticket_params(ticket)?;
        self.write(|connection| {
            execute(connection, &sql::SAVE_TICKET, &params)?;
            Ok(())
        })
    }

    async fn create_ticket(&self, ticket: &TicketRecord) -> StoreResult<bool> {
        let params = sql::ticket_params(ticket)?;
        self.write(|connection| Ok(execute(connection, &sql::CREATE_TICKET, &params)? > 0))
    }

    async fn ticket(&self, conversation_id: &str) -> StoreResult<Option<TicketRecord>> {
        self.read(|connection| {
            query_one(
                connection,
                &sql::SELECT_TICKET,
                &[Param::text(conversation_id)],
                |row| sql::ticket_from_row(row),
            )
        })
    }

    async fn list_tickets(&self, filter: &TicketFilter) -> StoreResult<Vec<TicketRecord>> {
        let (query, params) = sql::list_tickets_query(filter);
        self.read(|connection| {
            query_all(connection, &query, &params, |row| sql::ticket_from_row(row))
        })
    }

    async fn conversations_without_ticket(
        &self,
        shops: Option<&[ShopId]>,
        limit: u32,
    ) -> StoreResult<Vec<String>> {
        let (query, params) = sql::conversations_without_ticket_query(shops, limit);
        self.read(|connection| query_all(connection, &query, &params, |row| row.text(0)))
    }

    async fn chat_thread(&self, conversation_id: &str) -> StoreResult<Option<ChatThread>> {
        self.read(|connection| {
            let params = [Param::text(conversation_id)];
            let Some(conversation) =
                query_one(connection, sql::SELECT_CONVERSATION, &params, |row| {
                    sql::conversation_from_row(row)
                })?
            else {
                return Ok(None);
            };
            let messages = query_all(
                connection,
                &sql::SELECT_MESSAGES_OF_CONVERSATION,
                &params,
                |row| sql::message_from_row(row),
            )?;
            Ok(Some(ChatThread {
                conversation,
                messages,
            }))
        })
    }

    async fn chat_threads(
        &self,
        shop_id: &ShopId,
        from: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<ChatThread>> {
        self.read(|connection| {
            let params = [
                Param::text(shop_id.as_str()),
                Param::time(from),
                Param::time(until),
            ];
            let conversations = query_all(
                connection,
                &sql::SELECT_CONVERSATIONS_IN_WINDOW,
                &params,
                |row| sql::conversation_from_row(row),
            )?;
            let messages = query_all(
                connection,
                &sql::SELECT_MESSAGES_IN_WINDOW,
                &params,
                |row| sql::message_from_row(row),
            )?;
            Ok(sql::group_threads(conversations, messages))
        })
    }

    async fn buyer_context(&self, shop_id: &ShopId, buyer_id: &str) -> StoreResult<BuyerContext> {
        self.read(|connection| {
            let params = [Param::text(shop_id.as_str()), Param::text(buyer_id)];
            let mut context = BuyerContext::default();
            if let Some((order, tracking, carrier, sku)) =
                query_one(connection, sql::SELECT_LATEST_ORDER, &params, |row| {
                    Ok((
                        row.text(0)?,
                        row.opt_text(1)?,
                        row.opt_text(2)?,
                        row.opt_text(3)?,
                    ))
                })?
            {
                context.latest_order_id = Some(order);
                context.tracking_number = tracking;
                context.carrier = carrier;
                context.sku_id = sku;
            }
            context.lowest_review_stars =
                query_one(connection, sql::SELECT_LOWEST_STARS, &params, |row| {
                    row.opt_int(0)
                })?
                .flatten()
                .and_then(|stars| u8::try_from(stars).ok());
            context.cases = query_all(connection, sql::SELECT_BUYER_CASES, &params, |row| {
                Ok((row.text(0)?, row.text(1)?, row.opt_time(2)?))
            })?;
            Ok(context)
        })
    }

    async fn add_chat_period(&self, period: &ChatPeriodRecord) -> StoreResult<()> {
        self.write(|connection| {
            execute(connection, sql::INSERT_PERIOD, &sql::period_params(period))?;
            Ok(())
        })
    }

    async fn chat_periods(&self, shop_id: &ShopId) -> StoreResult<Vec<ChatPeriodRecord>> {
        self.read(|connection| {
            query_all(
                connection,
                sql::SELECT_PERIODS,
                &[Param::text(shop_id.as_str())],
                |row| sql::period_from_row(row),
            )
        })
    }

    async fn set_buyer_blocked(
        &self,
        shop_id: &ShopId,
        buyer_id: &str,
        blocked: bool,
        at: Timestamp,
    ) -> StoreResult<()> {
        self.write(|connection| {
            if blocked {
                execute(
                    connection,
                    sql::BLOCK_BUYER,
                    &[
                        Param::text(shop_id.as_str()),
                        Param::text(buyer_id),
                        Param::time(at),
                    ],
                )?;
            } else {
                execute(
                    connection,
                    sql::UNBLOCK_BUYER,
                    &[Param::text(shop_id.as_str()), Param::text(buyer_id)],
                )?;
            }
            Ok(())
        })
    }

    async fn blocked_buyers(&self, shop_id: &ShopId) -> StoreResult<Vec<String>> {
        self.read(|connection| {
            query_all(
                connection,
                sql::SELECT_BLOCKED,
                &[Param::text(shop_id.as_str())],
                |row| row.text(0),
            )
        })
    }

    async fn mark_messages(&self, marks: &[MessageMarkRecord]) -> StoreResult<()> {
        self.write(|connection| {
            let transaction = connection.transaction()?;
            for mark in marks {
                execute(&transaction, sql::INSERT_MARK, &sql::mark_params(mark))?;
            }
            transaction.commit()?;
            Ok(())
        })
    }

    async fn message_marks(&self, shop_id: &ShopId) -> StoreResult<Vec<MessageMarkRecord>> {
        self.read(|connection| {
            query_all(
                connection,
                sql::SELECT_MARKS,
                &[Param::text(shop_id.as_str())],
                |row| sql::mark_from_row(row),
            )
        })
    }

    async fn save_saved_reply(&self, reply: &SavedReplyRecord) -> StoreResult<()> {
        self.write(|connection| {
            execute(
                connection,
                sql::UPSERT_SAVED_REPLY,
                &sql::saved_reply_params(reply),
            )?;
            Ok(())
        })
    }

    async fn saved_reply(&self, reply_id: &str) -> StoreResult<Option<SavedReplyRecord>> {
        self.read(|connection| {
            query_one(
                connection,
                &sql::SELECT_SAVED_REPLY,
                &[Param::text(reply_id)],
                |row| sql::saved_reply_from_row(row),
            )
        })
    }

    async fn saved_replies(&self, shop_id: &ShopId) -> StoreResult<Vec<SavedReplyRecord>> {
        self.read(|connection| {
            query_all(
                connection,
                &sql::SELECT_SAVED_REPLIES,
                &[Param::text(shop_id.as_str())],
                |row| sql::saved_reply_from_row(row),
            )
        })
    }

    async fn delete_saved_reply(&self, reply_id: &str) -> StoreResult<bool> {
        self.write(|connection| {
            Ok(execute(
                connection,
                sql::DELETE_SAVED_REPLY,
                &[Param::text(reply_id)],
            )? > 0)
        })
    }

    async fn create_support_reply(
        &self,
        reply: &NewSupportReply,
    ) -> StoreResult<(SupportReplyRecord, bool)> {
        self.write(|connection| {
            let transaction = connection.transaction()?;
            let inserted = execute(&transaction, sql::INSERT_REPLY, &sql::reply_params(reply))? > 0;
            let stored = query_one(
                &transaction,
                &sql::SELECT_REPLY_BY_COMMAND,
                &[Param::text(&reply.command_key)],
                |row| sql::reply_from_row(row),
            )?
            .ok_or_else(|| crate::StoreError::Database("support reply vanished".to_owned()))?;
            transaction.commit()?;
            Ok((stored, inserted))
        })
    }

    async fn support_reply(&self, reply_id: &str) -> StoreResult<Option<SupportReplyRecord>> {
        self.read(|connection| {
            query_one(
                connection,
                &sql::SELECT_REPLY,
                &[Param::text(reply_id)],
                |row| sql::reply_from_row(row),
            )
        })
    }

    async fn update_support_reply(
        &self,
        reply_id: &str,
        state: SupportReplyState,
        message_id: Option<&str>,
        error: Option<&str>,
        at: Timestamp,
    ) -> StoreResult<()> {
        self.write(|connection| {
            execute(
                connection,
                sql::UPDATE_REPLY,
                &[
                    Param::text(reply_id),
                    Param::text(state.as_str()),
                    Param::opt_text(message_id),
                    Param::opt_text(error),
                    Param::time(at),
                ],
            )?;
            Ok(())
        })
    }

    async fn reply_agents(&self, shop_id: &ShopId) -> StoreResult<Vec<(String, String)>> {
        self.read(|connection| {
            query_all(
                connection,
                sql::SELECT_REPLY_AGENTS,
                &[Param::text(shop_id.as_str())],
                |row| Ok((row.text(0)?, row.text(1)?)),
            )
        })
    }

    async fn add_issue_reports(&self, reports: &[IssueReportRecord]) -> StoreResult<u64> {
        self.write(|connection| {
            let transaction = connection.transaction()?;
            let mut added = 0;
            for report in reports {
                added += execute(
                    &transaction,
                    sql::INSERT_ISSUE_REPORT,
                    &sql::issue_report_params(report),
                )? as u64;
            }
            transaction.commit()?;
            Ok(added)
        })
    }

    async fn issue_reports(
        &self,
        shops: Option<&[ShopId]>,
        since: Timestamp,
    ) -> StoreResult<Vec<IssueReportRecord>> {
        let (query, params) = sql::issue_reports_query(shops, since);
        self.read(|connection| {
            query_all(connection, &query, &params, |row| {
                sql::issue_report_from_row(row)
            })
        })
    }

    async fn save_voc_entry(&self, entry: &VocEntryRecord) -> StoreResult<()> {
        self.write(|connection| {
            execute(
                connection,
                sql::UPSERT_VOC_ENTRY,
                &sql::voc_entry_params(entry),
            )?;
            Ok(())
        })
    }

    async fn voc_entries(&self, shops: Option<&[ShopId]>) -> StoreResult<Vec<VocEntryRecord>> {
        let (query, params) = sql::voc_entries_query(shops);
        self.read(|connection| {
            query_all(connection, &query, &params, |row| {
                sql::voc_entry_from_row(row)
            })
        })
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
        self.read(|connection| {
            let dated = |row: &rusqlite::Row<'_>| Ok((row.text(0)?, row.time(1)?));
            Ok(crate::support::SkuActivity {
                order_lines: query_all(connection, &lines, &params, dated)?,
                requests: query_all(connection, &requests, &params, dated)?,
                negative_reviews: query_all(connection, &reviews, &params, dated)?,
            })
        })
    }
}
