//! [`crate::Store`] for [`PostgresStore`]: entity upserts, queries, webhooks and jobs.

use super::{bind_all, execute, query_all, query_one, retry_conflicts, PostgresStore};
use crate::encode::{self, Change, Param, RowReader};
use crate::sql;
use crate::{
    ApplyOutcome, EntityCounts, InboundWebhook, Job, JobClaim, JobCounts, NewJob, Record,
    ReviewFilter, SellerCredentials, ShopSummary, StoreResult, SummaryOptions, SyncCheckpoint,
    SyncResource,
};
use async_trait::async_trait;
use shopcare_core::{
    AfterSalesCase, CaseId, Order, OrderId, SellerNextAction, Shop, ShopId, Timestamp,
    TrackingEvent,
};
use sqlx::PgConnection;

/// Runs a guarded upsert and reads what it did from `RETURNING revision`.
async fn upsert(
    connection: &mut PgConnection,
    sql: &str,
    params: &[Param<'_>],
) -> StoreResult<Change> {
    let revision = query_one(connection, sql, params, |row| row.int(0)).await?;
    Ok(Change::from_revision(revision))
}

/// Deletes an updated entity's old child rows; a new entity has none.
async fn clear_children(
    connection: &mut PgConnection,
    change: Change,
    delete_sql: &str,
    owner_id: &str,
) -> StoreResult<()> {
    if change == Change::Updated {
        execute(connection, delete_sql, &[Param::text(owner_id)]).await?;
    }
    Ok(())
}

async fn replace_next_actions(
    connection: &mut PgConnection,
    change: Change,
    delete_sql: &str,
    insert_sql: &str,
    owner_id: &str,
    actions: &[SellerNextAction],
) -> StoreResult<()> {
    clear_children(connection, change, delete_sql, owner_id).await?;
    if change != Change::Unchanged {
        for (position, action) in actions.iter().enumerate() {
            let params = encode::next_action_params(owner_id, position, action);
            execute(connection, insert_sql, &params).await?;
        }
    }
    Ok(())
}

async fn apply_record(connection: &mut PgConnection, record: &Record) -> StoreResult<Change> {
    match record {
        Record::Order(order) => {
            let change =
                upsert(connection, sql::UPSERT_ORDER, &encode::order_params(order)).await?;
            clear_children(
                connection,
                change,
                sql::DELETE_LINE_ITEMS,
                order.id.as_str(),
            )
            .await?;
            if change != Change::Unchanged {
                for (position, item) in order.line_items.iter().enumerate() {
                    let params = encode::line_item_params(order, position, item);
                    execute(connection, sql::INSERT_LINE_ITEM, &params).await?;
                }
            }
            Ok(change)
        }
        Record::Package(package) => {
            upsert(
                connection,
                sql::UPSERT_PACKAGE,
                &encode::package_params(package),
            )
            .await
        }
        Record::Tracking {
            order_id,
            shop_id,
            events,
        } => {
            let (last_time, last_stage) = encode::tracking_summary(events);
            let params = [
                Param::text(order_id.as_str()),
                Param::text(shop_id.as_str()),
                Param::Int(last_time),
                Param::opt_text(last_stage),
                Param::int(events.len() as i64),
            ];
            let change = upsert(connection, sql::UPSERT_TRACKING, &params).await?;
            clear_children(
                connection,
                change,
                sql::DELETE_TRACKING_EVENTS,
                order_id.as_str(),
            )
            .await?;
            if change != Change::Unchanged {
                for (position, event) in events.iter().enumerate() {
                    let params = [
                        Param::text(order_id.as_str()),
                        Param::int(position as i64),
                        Param::text(shop_id.as_str()),
                        Param::text(&event.description),
                        Param::text(event.stage.as_str()),
                        Param::time(event.time),
                    ];
                    execute(connection, sql::INSERT_TRACKING_EVENT, &params).await?;
                }
            }
            Ok(change)
        }
        Record::Case(case) => {
            let change = upsert(connection, sql::UPSERT_CASE, &encode::case_params(case)).await?;
            replace_next_actions(
                connection,
                change,
                sql::DELETE_CASE_NEXT_ACTIONS,
                sql::INSERT_CASE_NEXT_ACTION,
                case.id.as_str(),
                &case.next_actions,
            )
            .await?;
            clear_children(
                connection,
                change,
                sql::DELETE_CASE_LINE_ITEMS,
                case.id.as_str(),
            )
            .await?;
            if change != Change::Unchanged {
                for (position, item) in case.line_items.iter().enumerate() {
                    let params = encode::case_line_item_params(&case.id, position, item);
                    execute(connection, sql::INSERT_CASE_LINE_ITEM, &params).await?;
                }
            }
            Ok(change)
        }
        Record::Cancellation(cancellation) => {
            let params = encode::cancellation_params(cancellation);
            let change = upsert(connection, sql::UPSERT_CANCELLATION, &params).await?;
            replace_next_actions(
                connection,
                change,
                sql::DELETE_CANCELLATION_NEXT_ACTIONS,
                sql::INSERT_CANCELLATION_NEXT_ACTION,
                cancellation.id.as_str(),
                &cancellation.next_actions,
            )
            .await?;
            Ok(change)
        }
        Record::Conversation(conversation) => {
            let params = encode::conversation_params(conversation);
            upsert(connection, sql::UPSERT_CONVERSATION, &params).await
        }
        Record::Message(message) => {
            upsert(
                connection,
                sql::UPSERT_MESSAGE,
                &encode::message_params(message),
            )
            .await
        }
        Record::Product(product) => {
            let params = encode::product_params(product);
            let change = upsert(connection, sql::UPSERT_PRODUCT, &params).await?;
            clear_children(connection, change, sql::DELETE_SKUS, product.id.as_str()).await?;
            if change != Change::Unchanged {
                for (position, sku) in product.skus.iter().enumerate() {
                    let params = encode::sku_params(&product.id, position, sku);
                    execute(connection, sql::INSERT_SKU, &params).await?;
                }
            }
            Ok(change)
        }
        Record::Review(review) => {
            upsert(
                connection,
                sql::UPSERT_REVIEW,
                &encode::review_params(review),
            )
            .await
        }
    }
}

async fn load_seller(
    store: &PostgresStore,
    connection: &mut PgConnection,
    open_id: &str,
) -> StoreResult<Option<SellerCredentials>> {
    let id = [Param::text(open_id)];
    let shop_ids = query_all(connection, sql::SELLER_SHOP_IDS, &id, |row| {
        Ok(ShopId::new(row.text(0)?))
    })
    .await?;
    let query = format!("{} WHERE open_id = $1", sql::SELLER_COLUMNS);
    query_one(connection, &query, &id, |row| {
        encode::seller_from_row(row, &store.secret_key, shop_ids.clone())
    })
    .await
}

/// `$1` now, `$2` worker, `$3` lease end, `$4` limit, `$5` kinds (NULL for any). Rows
/// another claimer has locked are skipped, never waited for or handed out twice.
const CLAIM_JOBS: &str = "WITH candidates AS (
        SELECT job_id FROM jobs
        WHERE state = 'queued' AND due_at <= $1 AND attempts < max_attempts
            AND (leased_by IS NULL OR lease_expires_at <= $1)
            AND ($5::text[] IS NULL OR kind = ANY($5))
        ORDER BY due_at, job_id
        LIMIT $4
        FOR UPDATE SKIP LOCKED)
    UPDATE jobs SET leased_by = $2, lease_expires_at = $3, attempts = jobs.attempts + 1
    FROM candidates WHERE jobs.job_id = candidates.job_id
    RETURNING jobs.job_id, jobs.kind, jobs.dedupe_key, jobs.payload, jobs.due_at,
        jobs.attempts, jobs.max_attempts";

impl PostgresStore {
    /// One transaction of [`crate::Store::apply`].
    async fn apply_once(
        &self,
        records: &[Record],
        checkpoint: Option<&SyncCheckpoint>,
    ) -> StoreResult<ApplyOutcome> {
        let mut transaction = self.pool.begin().await?;
        let mut outcome = ApplyOutcome::default();
        for record in records {
            apply_record(&mut transaction, record)
                .await?
                .count_into(&mut outcome);
        }
        if let Some(checkpoint) = checkpoint {
            let params = encode::checkpoint_params(checkpoint);
            execute(&mut transaction, sql::UPSERT_CHECKPOINT, &params).await?;
        }
        // An error above drops the transaction uncommitted: batch and checkpoint roll back.
        transaction.commit().await?;
        Ok(outcome)
    }
}

#[async_trait]
impl crate::Store for PostgresStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn upsert_shops(&self, shops: &[Shop]) -> StoreResult<()> {
        retry_conflicts(|| async {
            let mut transaction = self.pool.begin().await?;
            for shop in shops {
                execute(
                    &mut transaction,
                    sql::UPSERT_SHOP,
                    &encode::shop_params(shop),
                )
                .await?;
            }
            transaction.commit().await?;
            Ok(())
        })
        .await
    }

    async fn list_shops(&self) -> StoreResult<Vec<Shop>> {
        let mut connection = self.pool.acquire().await?;
        let query = format!("{} ORDER BY shop_id", sql::SHOP_COLUMNS);
        query_all(&mut connection, &query, &[], |row| {
            encode::shop_from_row(row)
        })
        .await
    }

    async fn get_shop(&self, shop_id: &ShopId) -> StoreResult<Option<Shop>> {
        let mut connection = self.pool.acquire().await?;
        let query = format!("{} WHERE shop_id = $1", sql::SHOP_COLUMNS);
        query_one(
            &mut connection,
            &query,
            &[Param::text(shop_id.as_str())],
            encode::shop_from_row,
        )
        .await
    }

    async fn save_seller_credentials(&self, credentials: &SellerCredentials) -> StoreResult<()> {
        let params = encode::seller_params(credentials, &self.secret_key)?;
        retry_conflicts(|| async {
            let mut transaction = self.pool.begin().await?;
            execute(&mut transaction, sql::UPSERT_SELLER, &params).await?;
            let open_id = [Param::text(&credentials.open_id)];
            execute(&mut transaction, sql::DELETE_SELLER_SHOPS, &open_id).await?;
            for shop_id in &credentials.shop_ids {
                let link = [
                    Param::text(shop_id.as_str()),
                    Param::text(&credentials.open_id),
                ];
                execute(&mut transaction, sql::LINK_SELLER_SHOP, &link).await?;
            }
            transaction.commit().await?;
            Ok(())
        })
        .await
    }

    async fn seller_credentials(&self, open_id: &str) -> StoreResult<Option<SellerCredentials>> {
        let mut connection = self.pool.acquire().await?;
        load_seller(self, &mut connection, open_id).await
    }

    async fn list_seller_credentials(&self) -> StoreResult<Vec<SellerCredentials>> {
        let mut connection = self.pool.acquire().await?;
        let open_ids = query_all(
            &mut connection,
            "SELECT open_id FROM seller_credentials ORDER BY open_id",
            &[],
            |row| row.text(0),
        )
        .await?;
        let mut sellers = Vec::with_capacity(open_ids.len());
        for open_id in open_ids {
            sellers.extend(load_seller(self, &mut connection, &open_id).await?);
        }
        Ok(sellers)
    }

    async fn credentials_for_shop(
        &self,
        shop_id: &ShopId,
    ) -> StoreResult<Option<SellerCredentials>> {
        let mut connection = self.pool.acquire().await?;
        let open_id = query_one(
            &mut connection,
            sql::SELLER_FOR_SHOP,
            &[Param::text(shop_id.as_str())],
            |row| row.text(0),
        )
        .await?;
        match open_id {
            Some(open_id) => load_seller(self, &mut connection, &open_id).await,
            None => Ok(None),
        }
    }

    async fn apply(
        &self,
        records: &[Record],
        checkpoint: Option<&SyncCheckpoint>,
    ) -> StoreResult<ApplyOutcome> {
        retry_conflicts(|| self.apply_once(records, checkpoint)).await
    }

    async fn sync_checkpoint(
        &self,
        shop_id: &ShopId,
        resource: SyncResource,
    ) -> StoreResult<Option<SyncCheckpoint>> {
        let mut connection = self.pool.acquire().await?;
        query_one(
            &mut connection,
            sql::SELECT_CHECKPOINT,
            &[
                Param::text(shop_id.as_str()),
                Param::text(resource.as_str()),
            ],
            |row| encode::checkpoint_from_row(shop_id, resource, row),
        )
        .await
    }

    async fn get_order(&self, order_id: &OrderId) -> StoreResult<Option<Order>> {
        let mut connection = self.pool.acquire().await?;
        let id = [Param::text(order_id.as_str())];
        let order = query_one(&mut connection, sql::SELECT_ORDER, &id, |row| {
            encode::order_from_row(row)
        })
        .await?;
        let Some(mut order) = order else {
            return Ok(None);
        };
        order.line_items = query_all(&mut connection, sql::SELECT_LINE_ITEMS, &id, |row| {
            encode::line_item_from_row(row)
        })
        .await?;
        Ok(Some(order))
    }

    async fn tracking_events(&self, order_id: &OrderId) -> StoreResult<Vec<TrackingEvent>> {
        let mut connection = self.pool.acquire().await?;
        query_all(
            &mut connection,
            sql::SELECT_TRACKING_EVENTS,
            &[Param::text(order_id.as_str())],
            |row| encode::tracking_event_from_row(order_id, row),
        )
        .await
    }

    async fn get_case(&self, case_id: &CaseId) -> StoreResult<Option<AfterSalesCase>> {
        let mut connection = self.pool.acquire().await?;
        let id = [Param::text(case_id.as_str())];
        let case = query_one(&mut connection, sql::SELECT_CASE, &id, |row| {
            encode::case_from_row(row)
        })
        .await?;
        let Some(mut case) = case else {
            return Ok(None);
        };
        case.next_actions = query_all(&mut connection, sql::SELECT_CASE_NEXT_ACTIONS, &id, |row| {
            encode::next_action_from_row(row)
        })
        .await?;
        case.line_items = query_all(&mut connection, sql::SELECT_CASE_LINE_ITEMS, &id, |row| {
            encode::case_line_item_from_row(row)
        })
        .await?;
        Ok(Some(case))
    }

    async fn list_reviews(&self, filter: &ReviewFilter) -> StoreResult<Vec<shopcare_core::Review>> {
        let (query, params) = sql::review_query(filter);
        let mut connection = self.pool.acquire().await?;
        query_all(&mut connection, &query, &params, |row| {
            encode::review_from_row(row)
        })
        .await
    }

    async fn entity_counts(&self) -> StoreResult<EntityCounts> {
        let mut connection = self.pool.acquire().await?;
        let counts = query_one(&mut connection, sql::ENTITY_COUNTS, &[], |row| {
            let column = |index| row.int(index).map(encode::count);
            Ok(EntityCounts {
                shops: column(0)?,
                orders: column(1)?,
                packages: column(2)?,
                tracking_events: column(3)?,
                cases: column(4)?,
                cancellations: column(5)?,
                conversations: column(6)?,
                messages: column(7)?,
                products: column(8)?,
                reviews: column(9)?,
            })
        })
        .await?;
        Ok(counts.unwrap_or_default())
    }

    async fn shop_summary(
        &self,
        shop_id: &ShopId,
        now: Timestamp,
        options: &SummaryOptions,
    ) -> StoreResult<ShopSummary> {
        let mut connection = self.pool.acquire().await?;
        let shop = Param::text(shop_id.as_str());
        let hours = chrono::Duration::hours;
        let pair = |row: &sqlx::postgres::PgRow| -> StoreResult<(u64, u64)> {
            Ok((encode::count(row.int(0)?), encode::count(row.int(1)?)))
        };
        let reviews_params = [
            shop.clone(),
            Param::time(now - hours(options.new_review_hours)),
            Param::time(now),
        ];
        let (new_reviews, new_negative_reviews) =
            query_one(&mut connection, sql::SUMMARY_REVIEWS, &reviews_params, pair)
                .await?
                .unwrap_or_default();
        let dispatch_params = [
            shop.clone(),
            Param::time(now),
            Param::time(now + hours(options.dispatch_risk_hours)),
        ];
        let (orders_at_dispatch_risk, orders_past_ship_by) = query_one(
            &mut connection,
            sql::SUMMARY_DISPATCH,
            &dispatch_params,
            pair,
        )
        .await?
        .unwrap_or_default();
        let stalled_params = [
            shop.clone(),
            Param::time(now - hours(options.stalled_tracking_hours)),
        ];
        let stalled_tracking = query_one(
            &mut connection,
            sql::SUMMARY_STALLED,
            &stalled_params,
            |row| Ok(encode::count(row.int(0)?)),
        )
        .await?
        .unwrap_or_default();
        let case_params = [shop.clone()];
        let mut waiting_cases = if options.list_waiting_cases {
            query_all(
                &mut connection,
                &sql::SUMMARY_OPEN_CASES,
                &case_params,
                encode::waiting_case_from_row,
            )
            .await?
        } else {
            Vec::new()
        };
        encode::sort_waiting_cases(&mut waiting_cases);
        Ok(ShopSummary {
            shop_id: shop_id.clone(),
            new_reviews,
            new_negative_reviews,
            waiting_cases,
            orders_at_dispatch_risk,
            orders_past_ship_by,
            stalled_tracking,
        })
    }

    async fn record_webhook_events(&self, events: &[InboundWebhook]) -> StoreResult<Vec<bool>> {
        retry_conflicts(|| async {
            let mut transaction = self.pool.begin().await?;
            let mut new = Vec::with_capacity(events.len());
            for event in events {
                let params = encode::webhook_params(event);
                let inserted =
                    execute(&mut transaction, sql::INSERT_WEBHOOK_EVENT, &params).await? == 1;
                if inserted {
                    let job = encode::webhook_job_params(event);
                    execute(&mut transaction, sql::INSERT_JOB, &job).await?;
                }
                new.push(inserted);
            }
            transaction.commit().await?;
            Ok(new)
        })
        .await
    }

    async fn webhook_event(&self, notification_id: &str) -> StoreResult<Option<InboundWebhook>> {
        let mut connection = self.pool.acquire().await?;
        query_one(
            &mut connection,
            sql::SELECT_WEBHOOK_EVENT,
            &[Param::text(notification_id)],
            encode::webhook_from_row,
        )
        .await
    }

    async fn enqueue_jobs(&self, jobs: &[NewJob]) -> StoreResult<Vec<bool>> {
        retry_conflicts(|| async {
            let mut transaction = self.pool.begin().await?;
            let mut new = Vec::with_capacity(jobs.len());
            for job in jobs {
                let params = encode::job_params(job);
                new.push(execute(&mut transaction, sql::INSERT_JOB, &params).await? == 1);
            }
            transaction.commit().await?;
            Ok(new)
        })
        .await
    }

    async fn claim_jobs(&self, claim: &JobClaim) -> StoreResult<Vec<Job>> {
        retry_conflicts(|| async {
            let now = encode::to_millis(claim.now);
            let mut transaction = self.pool.begin().await?;
            execute(
                &mut transaction,
                sql::BURY_EXHAUSTED_JOBS,
                &[Param::int(now)],
            )
            .await?;
            let params = [
                Param::int(now),
                Param::text(&claim.worker),
                Param::time(claim.now + claim.lease),
                Param::int(i64::from(claim.limit)),
            ];
            let rows = bind_all(sqlx::query(CLAIM_JOBS), &params)
                .bind(claim.kinds.as_deref())
                .fetch_all(&mut *transaction)
                .await?;
            transaction.commit().await?;
            let mut jobs = rows
                .iter()
                .map(encode::job_from_row)
                .collect::<StoreResult<Vec<Job>>>()?;
            jobs.sort_by_key(|job| (job.due_at, job.id));
            Ok(jobs)
        })
        .await
    }

    async fn complete_job(&self, job_id: i64, worker: &str, now: Timestamp) -> StoreResult<bool> {
        let mut connection = self.pool.acquire().await?;
        let params = [Param::int(job_id), Param::text(worker), Param::time(now)];
        Ok(execute(&mut connection, sql::COMPLETE_JOB, &params).await? == 1)
    }

    async fn fail_job(
        &self,
        job_id: i64,
        worker: &str,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> StoreResult<bool> {
        let mut connection = self.pool.acquire().await?;
        let params = [
            Param::int(job_id),
            Param::text(worker),
            Param::text(error),
            Param::opt_time(retry_at),
        ];
        Ok(execute(&mut connection, sql::FAIL_JOB, &params).await? == 1)
    }

    async fn job_counts(&self, kind: Option<&str>) -> StoreResult<JobCounts> {
        let mut connection = self.pool.acquire().await?;
        let counts = query_one(
            &mut connection,
            sql::JOB_COUNTS,
            &[Param::opt_text(kind)],
            |row| {
                Ok(JobCounts {
                    pending: encode::count(row.int(0)?),
                    leased: encode::count(row.int(1)?),
                    done: encode::count(row.int(2)?),
                    dead: encode::count(row.int(3)?),
                })
            },
        )
        .await?;
        Ok(counts.unwrap_or_default())
    }
}
