//! [`crate::Store`] for [`SqliteStore`]: entity upserts, queries, webhooks and jobs.

use super::aggregates::PendingCounts;
use super::bulk::SuspendedSchema;
use super::{execute, query_all, query_one, SqliteStore};
use crate::encode::{self, Change, Param};
use crate::sql::{self, to_sqlite};
use crate::{
    ApplyOutcome, EntityCounts, InboundWebhook, Job, JobClaim, JobCounts, NewJob, Record,
    ReviewFilter, SellerCredentials, ShopSummary, StoreResult, SummaryOptions, SyncCheckpoint,
    SyncResource,
};
use async_trait::async_trait;
use rusqlite::{CachedStatement, Connection, OptionalExtension, TransactionBehavior};
use shopcare_core::{
    AfterSalesCase, CaseId, Order, OrderId, Shop, ShopId, Timestamp, TrackingEvent,
};
use std::collections::HashSet;

/// The statements `apply` uses, prepared at most once per batch. Looking a statement up
/// in rusqlite's cache hashes its whole text, which adds up at tens of thousands of rows
/// per batch.
#[derive(Clone, Copy)]
enum Statement {
    InsertNewOrder,
    InsertNewOrderChunk,
    UpdateNewerOrder,
    DeleteLineItems,
    InsertLineItem,
    InsertLineItemChunk,
    UpsertPackage,
    UpsertTracking,
    DeleteTrackingEvents,
    InsertTrackingEvent,
    UpsertCase,
    DeleteCaseNextActions,
    InsertCaseNextAction,
    DeleteCaseLineItems,
    InsertCaseLineItem,
    UpsertCancellation,
    DeleteCancellationNextActions,
    InsertCancellationNextAction,
    UpsertConversation,
    UpsertMessage,
    UpsertProduct,
    DeleteSkus,
    InsertSku,
    UpsertReview,
}

const STATEMENT_COUNT: usize = Statement::UpsertReview as usize + 1;

impl Statement {
    fn sql(self) -> &'static str {
        match self {
            Statement::InsertNewOrder => sql::INSERT_NEW_ORDER,
            Statement::InsertNewOrderChunk => sql::INSERT_NEW_ORDER_CHUNK.as_str(),
            Statement::UpdateNewerOrder => sql::UPDATE_NEWER_ORDER,
            Statement::DeleteLineItems => sql::DELETE_LINE_ITEMS,
            Statement::InsertLineItem => sql::INSERT_LINE_ITEM,
            Statement::InsertLineItemChunk => sql::INSERT_LINE_ITEM_CHUNK.as_str(),
            Statement::UpsertPackage => sql::UPSERT_PACKAGE,
            Statement::UpsertTracking => sql::UPSERT_TRACKING,
            Statement::DeleteTrackingEvents => sql::DELETE_TRACKING_EVENTS,
            Statement::InsertTrackingEvent => sql::INSERT_TRACKING_EVENT,
            Statement::UpsertCase => sql::UPSERT_CASE,
            Statement::DeleteCaseNextActions => sql::DELETE_CASE_NEXT_ACTIONS,
            Statement::InsertCaseNextAction => sql::INSERT_CASE_NEXT_ACTION,
            Statement::DeleteCaseLineItems => sql::DELETE_CASE_LINE_ITEMS,
            Statement::InsertCaseLineItem => sql::INSERT_CASE_LINE_ITEM,
            Statement::UpsertCancellation => sql::UPSERT_CANCELLATION,
            Statement::DeleteCancellationNextActions => sql::DELETE_CANCELLATION_NEXT_ACTIONS,
            Statement::InsertCancellationNextAction => sql::INSERT_CANCELLATION_NEXT_ACTION,
            Statement::UpsertConversation => sql::UPSERT_CONVERSATION,
            Statement::UpsertMessage => sql::UPSERT_MESSAGE,
            Statement::UpsertProduct => sql::UPSERT_PRODUCT,
            Statement::DeleteSkus => sql::DELETE_SKUS,
            Statement::InsertSku => sql::INSERT_SKU,
            Statement::UpsertReview => sql::UPSERT_REVIEW,
        }
    }
}

/// One batch's writer: prepared statements bound to the open transaction, the line
/// items waiting to be inserted in chunks, and the transaction's aggregate counts.
struct BatchWriter<'c, 'r> {
    connection: &'c Connection,
    statements: [Option<CachedStatement<'c>>; STATEMENT_COUNT],
    /// Orders not yet written, in arrival order.
    pending_orders: Vec<&'r Order>,
    /// Parameters of line items not yet inserted, row after row.
    pending_line_items: Vec<Param<'r>>,
    pending_line_item_rows: usize,
    /// What was written since the last fold and is not yet in the order aggregates.
    counts: PendingCounts,
    outcome: ApplyOutcome,
}

impl<'c, 'r> BatchWriter<'c, 'r> {
    fn new(connection: &'c Connection, counts: PendingCounts) -> Self {
        Self {
            connection,
            statements: std::array::from_fn(|_| None),
            pending_orders: Vec::with_capacity(sql::ORDER_CHUNK_ROWS),
            pending_line_items: Vec::new(),
            pending_line_item_rows: 0,
            counts,
            outcome: ApplyOutcome::default(),
        }
    }

    /// Writes the pending orders. A full chunk goes in one multi-row insert; orders it
    /// did not insert (already stored, or repeated within the chunk) then take the
    /// one-by-one path, in arrival order, so the newest version still wins.
    fn flush_orders(&mut self) -> StoreResult<()> {
        let orders = std::mem::take(&mut self.pending_orders);
        let mut inserted: HashSet<String> = HashSet::new();
        if orders.len() == sql::ORDER_CHUNK_ROWS {
            let params: Vec<Param<'r>> = orders
                .iter()
                .flat_map(|order| encode::order_params(order))
                .collect();
            let statement = self.statement(Statement::InsertNewOrderChunk)?;
            let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
            while let Some(row) = rows.next()? {
                inserted.insert(row.get(0)?);
            }
        }
        for order in &orders {
            // Only an id's first occurrence in the chunk can have been the one inserted.
            let known_new = inserted.remove(order.id.as_str());
            let change = self.apply_order(order, known_new)?;
            change.count_into(&mut self.outcome);
        }
        self.pending_orders = orders;
        self.pending_orders.clear();
        Ok(())
    }

    /// Inserts the pending line items: full chunks with the multi-row statement, the
    /// rest one by one. Must run before anything deletes or reads line items.
    fn flush_line_items(&mut self) -> StoreResult<()> {
        let pending = std::mem::take(&mut self.pending_line_items);
        let row_width = pending.len() / self.pending_line_item_rows.max(1);
        self.pending_line_item_rows = 0;
        if row_width == 0 {
            return Ok(());
        }
        let mut chunks = pending.chunks_exact(row_width * sql::LINE_ITEM_CHUNK_ROWS);
        for chunk in &mut chunks {
            self.execute(Statement::InsertLineItemChunk, chunk)?;
        }
        for row in chunks.remainder().chunks_exact(row_width) {
            self.execute(Statement::InsertLineItem, row)?;
        }
        self.pending_line_items = pending;
        self.pending_line_items.clear();
        Ok(())
    }

    /// Writes the counts of what was written since the last fold into the order
    /// aggregates (see `super::aggregates`). Must run before any statement that fires an
    /// update or delete trigger of `orders` or `order_line_items`, since those triggers
    /// read the aggregates and the orders table as if every earlier write were counted.
    /// The queued line items go first: the triggers read them too.
    fn fold_aggregates(&mut self) -> StoreResult<()> {
        self.flush_line_items()?;
        if self.counts.is_empty() {
            return Ok(());
        }
        self.counts.write(self.connection)
    }

    fn statement(&mut self, which: Statement) -> StoreResult<&mut CachedStatement<'c>> {
        let slot = &mut self.statements[which as usize];
        match slot {
            Some(statement) => Ok(statement),
            None => Ok(slot.insert(self.connection.prepare_cached(&to_sqlite(which.sql()))?)),
        }
    }

    fn execute(&mut self, which: Statement, params: &[Param<'_>]) -> StoreResult<()> {
        self.statement(which)?
            .execute(rusqlite::params_from_iter(params.iter()))?;
        Ok(())
    }

    /// Runs a guarded upsert and reads what it did from `RETURNING revision`.
    fn upsert(&mut self, which: Statement, params: &[Param<'_>]) -> StoreResult<Change> {
        let revision = self
            .statement(which)?
            .query_row(rusqlite::params_from_iter(params.iter()), |row| row.get(0))
            .optional()?;
        Ok(Change::from_revision(revision))
    }

    /// Replaces an entity's child rows after the entity itself changed. A new entity has
    /// none yet, so the delete is skipped.
    fn replace_children<'x, T>(
        &mut self,
        change: Change,
        delete: Statement,
        owner_id: &str,
        insert: Statement,
        children: &'x [T],
        params: impl Fn(usize, &'x T) -> Vec<Param<'x>>,
    ) -> StoreResult<()> {
        if change == Change::Updated {
            self.execute(delete, &[Param::text(owner_id)])?;
        }
        if change != Change::Unchanged {
            for (position, child) in children.iter().enumerate() {
                self.execute(insert, &params(position, child))?;
            }
        }
        Ok(())
    }

    /// Runs a statement; returns whether it changed a row.
    fn changed(&mut self, which: Statement, params: &[Param<'_>]) -> StoreResult<bool> {
        let count = self
            .statement(which)?
            .execute(rusqlite::params_from_iter(params.iter()))?;
        Ok(count > 0)
    }

    /// The bulk-import hot path: insert-if-new, else guarded update (no RETURNING, see
    /// `sql::INSERT_NEW_ORDER`); line items are queued for chunked inserts.
    fn apply_order(&mut self, order: &'r Order, known_new: bool) -> StoreResult<Change> {
        let change = if known_new
            || self.changed(Statement::InsertNewOrder, &encode::order_params(order))?
        {
            self.counts.add_new_order(order);
            Change::Inserted
        } else {
            self.fold_aggregates()?;
            if self.changed(Statement::UpdateNewerOrder, &encode::order_params(order))? {
                self.flush_line_items()?;
                self.execute(
                    Statement::DeleteLineItems,
                    &[Param::text(order.id.as_str())],
                )?;
                self.counts.add_replaced_items(order);
                Change::Updated
            } else {
                Change::Unchanged
            }
        };
        if change != Change::Unchanged {
            for (position, item) in order.line_items.iter().enumerate() {
                self.pending_line_items
                    .extend(encode::line_item_params(order, position, item));
                self.pending_line_item_rows += 1;
            }
        }
        Ok(change)
    }

    /// Writes one record (orders are queued for chunked writes) and counts the outcome.
    fn apply_record(&mut self, record: &'r Record) -> StoreResult<()> {
        if let Record::Order(order) = record {
            self.pending_orders.push(order);
            if self.pending_orders.len() == sql::ORDER_CHUNK_ROWS {
                self.flush_orders()?;
            }
            return Ok(());
        }
        // Other entities' triggers may read orders as if every earlier one were counted.
        self.fold_aggregates()?;
        let change = self.apply_other(record)?;
        change.count_into(&mut self.outcome);
        Ok(())
    }

    fn apply_other(&mut self, record: &'r Record) -> StoreResult<Change> {
        match record {
            Record::Order(order) => self.apply_order(order, false),
            Record::Package(package) => {
                self.upsert(Statement::UpsertPackage, &encode::package_params(package))
            }
            Record::Tracking {
                order_id,
                shop_id,
                events,
            } => {
                let (last_time, last_stage) = encode::tracking_summary(events);
                let change = self.upsert(
                    Statement::UpsertTracking,
                    &[
                        Param::text(order_id.as_str()),
                        Param::text(shop_id.as_str()),
                        Param::Int(last_time),
                        Param::opt_text(last_stage),
                        Param::int(events.len() as i64),
                    ],
                )?;
                self.replace_children(
                    change,
                    Statement::DeleteTrackingEvents,
                    order_id.as_str(),
                    Statement::InsertTrackingEvent,
                    events,
                    |position, event| {
                        vec![
                            Param::text(order_id.as_str()),
                            Param::int(position as i64),
                            Param::text(shop_id.as_str()),
                            Param::text(&event.description),
                            Param::text(event.stage.as_str()),
                            Param::time(event.time),
                        ]
                    },
                )?;
                Ok(change)
            }
            Record::Case(case) => {
                let change = self.upsert(Statement::UpsertCase, &encode::case_params(case))?;
                self.replace_children(
                    change,
                    Statement::DeleteCaseNextActions,
                    case.id.as_str(),
                    Statement::InsertCaseNextAction,
                    &case.next_actions,
                    |position, action| {
                        encode::next_action_params(case.id.as_str(), position, action).to_vec()
                    },
                )?;
                self.replace_children(
                    change,
                    Statement::DeleteCaseLineItems,
                    case.id.as_str(),
                    Statement::InsertCaseLineItem,
                    &case.line_items,
                    |position, item| {
                        encode::case_line_item_params(&case.id, position, item).to_vec()
                    },
                )?;
                Ok(change)
            }
            Record::Cancellation(cancellation) => {
                let change = self.upsert(
                    Statement::UpsertCancellation,
                    &encode::cancellation_params(cancellation),
                )?;
                self.replace_children(
                    change,
                    Statement::DeleteCancellationNextActions,
                    cancellation.id.as_str(),
                    Statement::InsertCancellationNextAction,
                    &cancellation.next_actions,
                    |position, action| {
                        encode::next_action_params(cancellation.id.as_str(), position, action)
                            .to_vec()
                    },
                )?;
                Ok(change)
            }
            Record::Conversation(conversation) => self.upsert(
                Statement::UpsertConversation,
                &encode::conversation_params(conversation),
            ),
            Record::Message(message) => {
                self.upsert(Statement::UpsertMessage, &encode::message_params(message))
            }
            Record::Product(product) => {
                let change =
                    self.upsert(Statement::UpsertProduct, &encode::product_params(product))?;
                self.replace_children(
                    change,
                    Statement::DeleteSkus,
                    product.id.as_str(),
                    Statement::InsertSku,
                    &product.skus,
                    |position, sku| encode::sku_params(&product.id, position, sku).to_vec(),
                )?;
                Ok(change)
            }
            Record::Review(review) => {
                self.upsert(Statement::UpsertReview, &encode::review_params(review))
            }
        }
    }
}

/// Writes `records` inside the caller's open transaction and adds what they change in
/// the order aggregates to `counts`, which the caller writes before it commits.
fn write_records(
    transaction: &Connection,
    records: &[Record],
    counts: &mut PendingCounts,
) -> StoreResult<ApplyOutcome> {
    let mut writer = BatchWriter::new(transaction, std::mem::take(counts));
    for record in records {
        writer.apply_record(record)?;
    }
    writer.flush_orders()?;
    writer.flush_line_items()?;
    *counts = writer.counts;
    Ok(writer.outcome)
}

/// Writes each batch and its checkpoint, all in one transaction.
fn apply_batches(
    connection: &mut Connection,
    batches: &[(&[Record], Option<&SyncCheckpoint>)],
) -> StoreResult<Vec<ApplyOutcome>> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut counts = PendingCounts::default();
    let mut outcomes = Vec::with_capacity(batches.len());
    for (records, checkpoint) in batches {
        outcomes.push(write_records(&transaction, records, &mut counts)?);
        if let Some(checkpoint) = checkpoint {
            execute(
                &transaction,
                sql::UPSERT_CHECKPOINT,
                &encode::checkpoint_params(checkpoint),
            )?;
        }
    }
    counts.write(&transaction)?;
    // Dropping an uncommitted transaction on any error above rolls every batch back,
    // checkpoints included.
    transaction.commit()?;
    Ok(outcomes)
}

fn load_order(connection: &Connection, order_id: &OrderId) -> StoreResult<Option<Order>> {
    let id = [Param::text(order_id.as_str())];
    let Some(mut order) = query_one(connection, sql::SELECT_ORDER, &id, |row| {
        encode::order_from_row(row)
    })?
    else {
        return Ok(None);
    };
    order.line_items = query_all(connection, sql::SELECT_LINE_ITEMS, &id, |row| {
        encode::line_item_from_row(row)
    })?;
    Ok(Some(order))
}

fn load_case(connection: &Connection, case_id: &CaseId) -> StoreResult<Option<AfterSalesCase>> {
    let id = [Param::text(case_id.as_str())];
    let Some(mut case) = query_one(connection, sql::SELECT_CASE, &id, |row| {
        encode::case_from_row(row)
    })?
    else {
        return Ok(None);
    };
    case.next_actions = query_all(connection, sql::SELECT_CASE_NEXT_ACTIONS, &id, |row| {
        encode::next_action_from_row(row)
    })?;
    case.line_items = query_all(connection, sql::SELECT_CASE_LINE_ITEMS, &id, |row| {
        encode::case_line_item_from_row(row)
    })?;
    Ok(Some(case))
}

fn load_seller(
    store: &SqliteStore,
    connection: &Connection,
    open_id: &str,
) -> StoreResult<Option<SellerCredentials>> {
    let id = [Param::text(open_id)];
    let shop_ids = query_all(connection, sql::SELLER_SHOP_IDS, &id, |row| {
        use crate::encode::RowReader;
        Ok(ShopId::new(row.text(0)?))
    })?;
    query_one(
        connection,
        &format!("{} WHERE open_id = $1", sql::SELLER_COLUMNS),
        &id,
        |row| encode::seller_from_row(row, &store.secret_key, shop_ids.clone()),
    )
}

fn claim(connection: &mut Connection, claim: &JobClaim) -> StoreResult<Vec<Job>> {
    let now = encode::to_millis(claim.now);
    let lease_until = encode::to_millis(claim.now + claim.lease);
    let kinds = claim.kinds.as_ref().map(|kinds| encode::ids_to_json(kinds));
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    execute(&transaction, sql::BURY_EXHAUSTED_JOBS, &[Param::int(now)])?;
    let claim_sql = format!(
        "UPDATE jobs SET leased_by = $2, lease_expires_at = $3, attempts = attempts + 1
        WHERE job_id IN (
            SELECT job_id FROM jobs
            WHERE state = 'queued' AND due_at <= $1 AND attempts < max_attempts
                AND (leased_by IS NULL OR lease_expires_at <= $1)
                AND ($5 IS NULL OR kind IN (SELECT value FROM json_each($5)))
            ORDER BY due_at, job_id LIMIT $4)
        {}",
        sql::JOB_RETURNING
    );
    let mut jobs = query_all(
        &transaction,
        &claim_sql,
        &[
            Param::int(now),
            Param::text(&claim.worker),
            Param::int(lease_until),
            Param::int(i64::from(claim.limit)),
            Param::Text(kinds.map(Into::into)),
        ],
        |row| encode::job_from_row(row),
    )?;
    transaction.commit()?;
    jobs.sort_by_key(|job| (job.due_at, job.id));
    Ok(jobs)
}

#[async_trait]
impl crate::Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn upsert_shops(&self, shops: &[Shop]) -> StoreResult<()> {
        self.write(|connection| {
            let transaction = connection.transaction()?;
            for shop in shops {
                execute(&transaction, sql::UPSERT_SHOP, &encode::shop_params(shop))?;
            }
            transaction.commit()?;
            Ok(())
        })
    }

    async fn list_shops(&self) -> StoreResult<Vec<Shop>> {
        self.read(|connection| {
            query_all(
                connection,
                &format!("{} ORDER BY shop_id", sql::SHOP_COLUMNS),
                &[],
                |row| encode::shop_from_row(row),
            )
        })
    }

    async fn get_shop(&self, shop_id: &ShopId) -> StoreResult<Option<Shop>> {
        self.read(|connection| {
            query_one(
                connection,
                &format!("{} WHERE shop_id = $1", sql::SHOP_COLUMNS),
                &[Param::text(shop_id.as_str())],
                |row| encode::shop_from_row(row),
            )
        })
    }

    async fn save_seller_credentials(&self, credentials: &SellerCredentials) -> StoreResult<()> {
        let params = encode::seller_params(credentials, &self.secret_key)?;
        self.write(|connection| {
            let transaction = connection.transaction()?;
            execute(&transaction, sql::UPSERT_SELLER, &params)?;
            let open_id = [Param::text(&credentials.open_id)];
            execute(&transaction, sql::DELETE_SELLER_SHOPS, &open_id)?;
            for shop_id in &credentials.shop_ids {
                execute(
                    &transaction,
                    sql::LINK_SELLER_SHOP,
                    &[
                        Param::text(shop_id.as_str()),
                        Param::text(&credentials.open_id),
                    ],
                )?;
            }
            transaction.commit()?;
            Ok(())
        })
    }

    async fn seller_credentials(&self, open_id: &str) -> StoreResult<Option<SellerCredentials>> {
        self.read(|connection| load_seller(self, connection, open_id))
    }

    async fn list_seller_credentials(&self) -> StoreResult<Vec<SellerCredentials>> {
        self.read(|connection| {
            let open_ids = query_all(
                connection,
                "SELECT open_id FROM seller_credentials ORDER BY open_id",
                &[],
                |row| {
                    use crate::encode::RowReader;
                    row.text(0)
                },
            )?;
            let mut sellers = Vec::with_capacity(open_ids.len());
            for open_id in open_ids {
                sellers.extend(load_seller(self, connection, &open_id)?);
            }
            Ok(sellers)
        })
    }

    async fn credentials_for_shop(
        &self,
        shop_id: &ShopId,
    ) -> StoreResult<Option<SellerCredentials>> {
        self.read(|connection| {
            let open_id = query_one(
                connection,
                sql::SELLER_FOR_SHOP,
                &[Param::text(shop_id.as_str())],
                |row| {
                    use crate::encode::RowReader;
                    row.text(0)
                },
            )?;
            match open_id {
                Some(open_id) => load_seller(self, connection, &open_id),
                None => Ok(None),
            }
        })
    }

    async fn apply(
        &self,
        records: &[Record],
        checkpoint: Option<&SyncCheckpoint>,
    ) -> StoreResult<ApplyOutcome> {
        let outcomes =
            self.write(|connection| apply_batches(connection, &[(records, checkpoint)]))?;
        Ok(outcomes.into_iter().sum())
    }

    async fn apply_group(
        &self,
        batches: &[(&[Record], Option<&SyncCheckpoint>)],
    ) -> StoreResult<Vec<ApplyOutcome>> {
        self.write(|connection| apply_batches(connection, batches))
    }

    async fn apply_all(
        &self,
        batches: std::sync::mpsc::Receiver<Vec<Record>>,
        records_per_commit: usize,
    ) -> StoreResult<ApplyOutcome> {
        // The writer stays locked while the sender prepares the next batch: the import
        // that calls this parses faster than SQLite writes, so the waits are short.
        self.write(|connection| {
            let stored: i64 =
                connection.query_row("SELECT COUNT(*) FROM orders", [], |row| row.get(0))?;
            // Once the stream has inserted as many orders as the store held, rebuilding
            // the random-key indexes costs less than growing them (`super::bulk`); an
            // empty store is bulk-loaded from the first batch.
            let bulk_after = u64::try_from(stored).unwrap_or(0);
            let mut outcome = ApplyOutcome::default();
            while let Ok(first) = batches.recv() {
                let transaction =
                    connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
                // Past that point the rest of the stream is one bulk transaction.
                let suspended = if outcome.inserted >= bulk_after {
                    Some(SuspendedSchema::suspend(&transaction)?)
                } else {
                    None
                };
                let mut counts = match suspended {
                    Some(_) => PendingCounts::without_repeats(),
                    None => PendingCounts::default(),
                };
                let mut written = first.len();
                outcome += write_records(&transaction, &first, &mut counts)?;
                drop(first);
                while suspended.is_some() || written < records_per_commit {
                    let Ok(next) = batches.recv() else { break };
                    written += next.len();
                    outcome += write_records(&transaction, &next, &mut counts)?;
                }
                counts.write(&transaction)?;
                if let Some(suspended) = suspended {
                    suspended.restore(&transaction)?;
                }
                transaction.commit()?;
            }
            Ok(outcome)
        })
    }

    async fn sync_checkpoint(
        &self,
        shop_id: &ShopId,
        resource: SyncResource,
    ) -> StoreResult<Option<SyncCheckpoint>> {
        self.read(|connection| {
            query_one(
                connection,
                sql::SELECT_CHECKPOINT,
                &[
                    Param::text(shop_id.as_str()),
                    Param::text(resource.as_str()),
                ],
                |row| encode::checkpoint_from_row(shop_id, resource, row),
            )
        })
    }

    async fn get_order(&self, order_id: &OrderId) -> StoreResult<Option<Order>> {
        self.read(|connection| load_order(connection, order_id))
    }

    async fn tracking_events(&self, order_id: &OrderId) -> StoreResult<Vec<TrackingEvent>> {
        self.read(|connection| {
            query_all(
                connection,
                sql::SELECT_TRACKING_EVENTS,
                &[Param::text(order_id.as_str())],
                |row| encode::tracking_event_from_row(order_id, row),
            )
        })
    }

    async fn get_case(&self, case_id: &CaseId) -> StoreResult<Option<AfterSalesCase>> {
        self.read(|connection| load_case(connection, case_id))
    }

    async fn list_reviews(&self, filter: &ReviewFilter) -> StoreResult<Vec<shopcare_core::Review>> {
        let (query, params) = sql::review_query(filter);
        self.read(|connection| {
            query_all(connection, &query, &params, |row| {
                encode::review_from_row(row)
            })
        })
    }

    async fn entity_counts(&self) -> StoreResult<EntityCounts> {
        self.read(|connection| {
            let counts = query_one(connection, sql::ENTITY_COUNTS, &[], |row| {
                use crate::encode::RowReader;
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
            })?;
            Ok(counts.unwrap_or_default())
        })
    }

    async fn shop_summary(
        &self,
        shop_id: &ShopId,
        now: Timestamp,
        options: &SummaryOptions,
    ) -> StoreResult<ShopSummary> {
        let shop = Param::text(shop_id.as_str());
        let hours = chrono::Duration::hours;
        self.read(|connection| {
            use crate::encode::RowReader;
            let pair = |row: &rusqlite::Row<'_>| -> StoreResult<(u64, u64)> {
                Ok((encode::count(row.int(0)?), encode::count(row.int(1)?)))
            };
            let (new_reviews, new_negative_reviews) = query_one(
                connection,
                sql::SUMMARY_REVIEWS,
                &[
                    shop.clone(),
                    Param::time(now - hours(options.new_review_hours)),
                    Param::time(now),
                ],
                pair,
            )?
            .unwrap_or_default();
            let (orders_at_dispatch_risk, orders_past_ship_by) = query_one(
                connection,
                sql::SUMMARY_DISPATCH,
                &[
                    shop.clone(),
                    Param::time(now),
                    Param::time(now + hours(options.dispatch_risk_hours)),
                ],
                pair,
            )?
            .unwrap_or_default();
            let stalled_tracking = query_one(
                connection,
                sql::SUMMARY_STALLED,
                &[
                    shop.clone(),
                    Param::time(now - hours(options.stalled_tracking_hours)),
                ],
                |row| Ok(encode::count(row.int(0)?)),
            )?
            .unwrap_or_default();
            let mut waiting_cases = if options.list_waiting_cases {
                query_all(
                    connection,
                    &sql::SUMMARY_OPEN_CASES,
                    std::slice::from_ref(&shop),
                    |row| encode::waiting_case_from_row(row),
                )?
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
        })
    }

    async fn record_webhook_events(&self, events: &[InboundWebhook]) -> StoreResult<Vec<bool>> {
        self.write(|connection| {
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut new = Vec::with_capacity(events.len());
            {
                let mut insert_event =
                    transaction.prepare_cached(&to_sqlite(sql::INSERT_WEBHOOK_EVENT))?;
                let mut insert_job = transaction.prepare_cached(&to_sqlite(sql::INSERT_JOB))?;
                for event in events {
                    let inserted = insert_event.execute(rusqlite::params_from_iter(
                        encode::webhook_params(event).iter(),
                    ))? == 1;
                    if inserted {
                        insert_job.execute(rusqlite::params_from_iter(
                            encode::webhook_job_params(event).iter(),
                        ))?;
                    }
                    new.push(inserted);
                }
            }
            transaction.commit()?;
            Ok(new)
        })
    }

    async fn webhook_event(&self, notification_id: &str) -> StoreResult<Option<InboundWebhook>> {
        self.read(|connection| {
            query_one(
                connection,
                sql::SELECT_WEBHOOK_EVENT,
                &[Param::text(notification_id)],
                |row| encode::webhook_from_row(row),
            )
        })
    }

    async fn enqueue_jobs(&self, jobs: &[NewJob]) -> StoreResult<Vec<bool>> {
        self.write(|connection| {
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut new = Vec::with_capacity(jobs.len());
            for job in jobs {
                new.push(execute(&transaction, sql::INSERT_JOB, &encode::job_params(job))? == 1);
            }
            transaction.commit()?;
            Ok(new)
        })
    }

    async fn claim_jobs(&self, job_claim: &JobClaim) -> StoreResult<Vec<Job>> {
        self.write(|connection| claim(connection, job_claim))
    }

    async fn complete_job(&self, job_id: i64, worker: &str, now: Timestamp) -> StoreResult<bool> {
        self.write(|connection| {
            let changed = execute(
                connection,
                sql::COMPLETE_JOB,
                &[Param::int(job_id), Param::text(worker), Param::time(now)],
            )?;
            Ok(changed == 1)
        })
    }

    async fn fail_job(
        &self,
        job_id: i64,
        worker: &str,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> StoreResult<bool> {
        self.write(|connection| {
            let changed = execute(
                connection,
                sql::FAIL_JOB,
                &[
                    Param::int(job_id),
                    Param::text(worker),
                    Param::text(error),
                    Param::opt_time(retry_at),
                ],
            )?;
            Ok(changed == 1)
        })
    }

    async fn job_counts(&self, kind: Option<&str>) -> StoreResult<JobCounts> {
        self.read(|connection| {
            let counts = query_one(
                connection,
                sql::JOB_COUNTS,
                &[Param::opt_text(kind)],
                |row| {
                    use crate::encode::RowReader;
                    Ok(JobCounts {
                        pending: encode::count(row.int(0)?),
                        leased: encode::count(row.int(1)?),
                        done: encode::count(row.int(2)?),
                        dead: encode::count(row.int(3)?),
                    })
                },
            )?;
            Ok(counts.unwrap_or_default())
        })
    }
}
