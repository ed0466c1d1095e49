//! Persistence for shopcare: one [`Store`] trait, two implementations.
//!
//! - SQLite (`sqlite://PATH`, the default): embedded, WAL, one writer connection and a
//!   small pool of readers.
//! - PostgreSQL (`postgres://...`): the scale-out store; several `shopcare serve`
//!   processes may share one database.
//!
//! Invariants every implementation keeps (checked by the shared contract suite):
//! - every entity write is an idempotent upsert keyed by platform id;
//! - an older `update_time` never overwrites a newer one;
//! - a batch and the sync checkpoint that follows it commit in one transaction;
//! - webhook events are deduplicated on `tts_notification_id`;
//! - migrations are append-only;
//! - shop tokens are encrypted at rest.
//!
//! Storage conventions, identical in both backends: times are integer Unix
//! milliseconds (UTC), money is a decimal TEXT amount plus a currency column, platform
//! status strings are stored verbatim, and SQL text is shared (`sql.rs`) so the two
//! backends cannot drift apart.

mod accounts;
mod cases;
mod encode;
mod migrations;
mod postgres;
mod reputation;
mod scorecard;
mod secret;
mod sql;
mod sqlite;
mod support;
mod timeline;
mod types;

pub use accounts::*;
pub use cases::*;
pub use postgres::PostgresStore;
pub use reputation::*;
pub use scorecard::*;
pub use secret::{SecretKey, SecretKeyError};
pub use sqlite::{SqliteStore, Synchronous};
pub use support::*;
pub use timeline::*;
pub use types::*;

use async_trait::async_trait;
use shopcare_core::{Shop, ShopId, Timestamp};
use std::sync::Arc;

/// Opens the store named by `url`, creating the schema or bringing it up to date.
///
/// - `sqlite://PATH` (relative or absolute; `sqlite:///abs/path`), `sqlite://:memory:` for a
///   private in-memory database. Query options: `?synchronous=normal` (default) or `full`.
/// - `postgres://...` or `postgresql://...`: any libpq-style URL sqlx accepts.
pub async fn open_store(url: &str, secret_key: &SecretKey) -> StoreResult<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(SqliteStore::open(url, secret_key.clone()).await?))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(
            PostgresStore::open(url, secret_key.clone()).await?,
        ))
    } else {
        // Only the scheme: the rest of a URL may hold a password.
        let scheme = url.split_once("://").map_or(url, |(scheme, _)| scheme);
        Err(StoreError::UnsupportedUrl(format!("{scheme}://...")))
    }
}

/// Kind of the job enqueued for each new webhook event; its payload is the notification id.
pub const WEBHOOK_JOB_KIND: &str = "webhook";

/// Attempts a webhook-processing job gets before it is dead.
pub const WEBHOOK_JOB_MAX_ATTEMPTS: u32 = 10;

/// The dedupe key of the job that processes webhook event `notification_id`.
pub fn webhook_job_key(notification_id: &str) -> String {
    format!("webhook:{notification_id}")
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unsupported database URL {0:?}: expected sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    #[error("database error: {0}")]
    Database(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    #[error("secret could not be decrypted (wrong SHOPCARE_SECRET_KEY?)")]
    Decrypt,
    #[error("invalid database URL option: {0}")]
    InvalidOption(String),
    /// A concurrent writer won (PostgreSQL deadlock or serialization failure): the
    /// transaction rolled back and may simply be run again.
    #[error("write conflict with a concurrent writer: {0}")]
    Conflict(String),
}

impl From<rusqlite::Error> for StoreError {
    fn from(error: rusqlite::Error) -> Self {
        StoreError::Database(format!("sqlite: {error}"))
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        // 40P01 deadlock_detected, 40001 serialization_failure.
        let code = error.as_database_error().and_then(|error| error.code());
        if code.is_some_and(|code| code == "40P01" || code == "40001") {
            StoreError::Conflict(format!("postgres: {error}"))
        } else {
            StoreError::Database(format!("postgres: {error}"))
        }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Everything shopcare persists. Implementations are cheap to clone behind an `Arc`
/// and safe to share between tasks.
#[async_trait]
pub trait Store:
    Send
    + Sync
    + AccountStore
    + CaseStore
    + ReputationStore
    + ScorecardStore
    + SupportStore
    + TimelineStore
{
    /// Which backend this is (`sqlite` or `postgres`), for logs and `bench` output.
    fn backend(&self) -> &'static str;

    // ---- shops and credentials ------------------------------------------------

    async fn upsert_shops(&self, shops: &[Shop]) -> StoreResult<()>;
    async fn list_shops(&self) -> StoreResult<Vec<Shop>>;
    async fn get_shop(&self, shop_id: &ShopId) -> StoreResult<Option<Shop>>;

    /// Saves a seller's OAuth tokens (encrypted at rest) and which shops they cover.
    async fn save_seller_credentials(&self, credentials: &SellerCredentials) -> StoreResult<()>;
    async fn seller_credentials(&self, open_id: &str) -> StoreResult<Option<SellerCredentials>>;
    async fn list_seller_credentials(&self) -> StoreResult<Vec<SellerCredentials>>;
    /// The credentials that authorise calls for `shop_id`.
    async fn credentials_for_shop(
        &self,
        shop_id: &ShopId,
    ) -> StoreResult<Option<SellerCredentials>>;

    // ---- entities ---------------------------------------------------------------

    /// Upserts a batch of records and, in the same transaction, saves `checkpoint`.
    /// Records whose `update_time` is older than the stored one are skipped.
    async fn apply(
        &self,
        records: &[Record],
        checkpoint: Option<&SyncCheckpoint>,
    ) -> StoreResult<ApplyOutcome>;

    /// Writes several batches, each with its own checkpoint, as one `apply` each would,
    /// and returns their outcomes in order. SQLite commits them all in one transaction:
    /// concurrent shop syncs share one commit instead of paying for one each (other
    /// backends apply them one by one). After an error any of them may or may not be
    /// written; each is idempotent, so the caller can apply them again one at a time.
    async fn apply_group(
        &self,
        batches: &[(&[Record], Option<&SyncCheckpoint>)],
    ) -> StoreResult<Vec<ApplyOutcome>> {
        let mut outcomes = Vec::with_capacity(batches.len());
        for (records, checkpoint) in batches {
            outcomes.push(self.apply(records, *checkpoint).await?);
        }
        Ok(outcomes)
    }

    /// Writes every batch `batches` yields, in arrival order, as `apply` without a
    /// checkpoint would, but may put several batches in one transaction: SQLite commits
    /// once at least `records_per_commit` records are in, so a bulk import pays for far
    /// fewer commits while the caller holds only a batch or two in memory. Once a stream
    /// has inserted as many orders as the store held (an empty store: at once), SQLite
    /// writes the rest as one bulk transaction that rebuilds its random-key indexes at
    /// the end. Everything is committed when this returns `Ok`; on an error, the
    /// batches of the open transaction are rolled back and the earlier ones stay.
    async fn apply_all(
        &self,
        batches: std::sync::mpsc::Receiver<Vec<Record>>,
        records_per_commit: usize,
    ) -> StoreResult<ApplyOutcome> {
        // One transaction per batch: PostgreSQL's statement-level triggers already count a
        // batch at once, and its commits are cheap next to SQLite's.
        let _ = records_per_commit;
        let mut batches = batches;
        let mut outcome = ApplyOutcome::default();
        loop {
            // The sender is a blocking thread; wait for it on one as well.
            let (returned, batch) = tokio::task::spawn_blocking(move || {
                let batch = batches.recv().ok();
                (batches, batch)
            })
            .await
            .map_err(|error| StoreError::Database(format!("batch reader failed: {error}")))?;
            batches = returned;
            let Some(batch) = batch else {
                return Ok(outcome);
            };
            outcome += self.apply(&batch, None).await?;
        }
    }

    async fn sync_checkpoint(
        &self,
        shop_id: &ShopId,
        resource: SyncResource,
    ) -> StoreResult<Option<SyncCheckpoint>>;

    async fn get_order(
        &self,
        order_id: &shopcare_core::OrderId,
    ) -> StoreResult<Option<shopcare_core::Order>>;
    async fn tracking_events(
        &self,
        order_id: &shopcare_core::OrderId,
    ) -> StoreResult<Vec<shopcare_core::TrackingEvent>>;
    async fn get_case(
        &self,
        case_id: &shopcare_core::CaseId,
    ) -> StoreResult<Option<shopcare_core::AfterSalesCase>>;
    async fn list_reviews(&self, filter: &ReviewFilter) -> StoreResult<Vec<shopcare_core::Review>>;

    /// Row counts per entity kind, for summaries, benchmarks and tests.
    async fn entity_counts(&self) -> StoreResult<EntityCounts>;

    /// The demo's and overview's per-shop numbers at `now`.
    async fn shop_summary(
        &self,
        shop_id: &ShopId,
        now: Timestamp,
        options: &SummaryOptions,
    ) -> StoreResult<ShopSummary>;

    // ---- webhooks -----------------------------------------------------------------

    /// Makes received webhook events durable, deduplicating on `notification_id`, and
    /// enqueues a processing job for each new one — all in one transaction (group
    /// commit). Returns, per event, whether it was new.
    async fn record_webhook_events(&self, events: &[InboundWebhook]) -> StoreResult<Vec<bool>>;

    /// A stored webhook event, exactly as recorded (the `webhook` job's payload is its id).
    async fn webhook_event(&self, notification_id: &str) -> StoreResult<Option<InboundWebhook>>;

    // ---- durable jobs -------------------------------------------------------------

    /// Enqueues jobs; a job whose `dedupe_key` already exists is not added again.
    /// Returns, per job, whether it was new.
    async fn enqueue_jobs(&self, jobs: &[NewJob]) -> StoreResult<Vec<bool>>;

    /// Leases up to `limit` due jobs (optionally only of `kinds`) to `worker` until
    /// `now + lease`. A job whose lease expired may be claimed again: that is how a
    /// crashed worker's jobs come back. Safe with several processes.
    async fn claim_jobs(&self, claim: &JobClaim) -> StoreResult<Vec<Job>>;

    /// Marks a leased job done. Returns false if the lease was lost to another worker.
    async fn complete_job(&self, job_id: i64, worker: &str, now: Timestamp) -> StoreResult<bool>;

    /// Records a failed attempt: retried at `retry_at`, or dead when `None`.
    async fn fail_job(
        &self,
        job_id: i64,
        worker: &str,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> StoreResult<bool>;

    /// Jobs per state, of one `kind` or of all.
    async fn job_counts(&self, kind: Option<&str>) -> StoreResult<JobCounts>;
}
