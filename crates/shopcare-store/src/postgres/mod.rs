//! The PostgreSQL store: the scale-out option, where several shopcare processes share
//! one database.
//!
//! Correctness with many writers rests on the database, not on process-local locks:
//! guarded upserts (`ON CONFLICT ... DO UPDATE ... WHERE newer`) re-check the guard
//! against the latest committed row, webhook dedupe is a primary key, job claiming uses
//! `FOR UPDATE SKIP LOCKED`, and migrations run under a transaction-scoped advisory
//! lock so processes starting together apply each migration once. A write transaction
//! that PostgreSQL aborts to break a deadlock runs again (`retry_conflicts`). Statements are
//! plain `sqlx::query` with binds; sqlx prepares and caches them per connection.

mod accounts;
mod cases;
mod reputation;
mod scorecard;
mod store;
mod support;
mod timeline;

use crate::encode::{Param, RowReader};
use crate::migrations::{self, Migration};
use crate::{SecretKey, StoreError, StoreResult};
use sqlx::postgres::{PgArguments, PgPool, PgPoolOptions, PgRow};
use sqlx::query::Query;
use sqlx::{PgConnection, Postgres, Row};
use std::future::Future;
use std::time::Duration;

/// Arbitrary constant naming shopcare's migration lock among advisory locks.
const MIGRATION_LOCK_KEY: i64 = 0x5348_4f50_4341_5245; // "SHOPCARE"
const MAX_CONNECTIONS: u32 = 10;
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(30);

/// Runs of a transaction that lost to a concurrent writer before the conflict is reported.
const MAX_CONFLICT_ATTEMPTS: u64 = 5;

/// Runs a write transaction, and runs it again when PostgreSQL aborted it to break a
/// deadlock or a serialization conflict. Two writers of the same keys (webhook receivers
/// behind one load balancer, a sync and a webhook job of one shop, two job workers)
/// lock rows and aggregate rows in their own orders; one of a pair then loses. Every
/// caller passes a whole transaction of idempotent upserts and keyed inserts, so after
/// the rollback a rerun does exactly what the first run would have done.
async fn retry_conflicts<T, Attempt, Run>(mut attempt: Attempt) -> StoreResult<T>
where
    Attempt: FnMut() -> Run,
    Run: Future<Output = StoreResult<T>>,
{
    let mut run = 1;
    loop {
        match attempt().await {
            Err(StoreError::Conflict(reason)) if run < MAX_CONFLICT_ATTEMPTS => {
                tracing::debug!(run, %reason, "write conflict; running the transaction again");
                let pause = rand::random::<u64>() % (20 * run);
                tokio::time::sleep(Duration::from_millis(pause)).await;
                run += 1;
            }
            result => return result,
        }
    }
}

/// The PostgreSQL implementation of [`crate::Store`].
pub struct PostgresStore {
    pool: PgPool,
    secret_key: SecretKey,
}

impl PostgresStore {
    /// Connects to `url` and migrates the database (or the schema first on its
    /// `search_path`, e.g. `?options=-c%20search_path%3Dtenant`).
    pub async fn open(url: &str, secret_key: SecretKey) -> StoreResult<Self> {
        let pool = PgPoolOptions::new()
            .max_connections(MAX_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(url)
            .await?;
        migrate(&pool, migrations::POSTGRES).await?;
        Ok(Self { pool, secret_key })
    }

    /// A read-only transaction on one snapshot, for reads that must agree with each
    /// other (a row set and its children, two aggregates of one window).
    async fn snapshot(&self) -> StoreResult<sqlx::Transaction<'_, sqlx::Postgres>> {
        let mut transaction = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *transaction)
            .await?;
        Ok(transaction)
    }
}

async fn migrate(pool: &PgPool, migrations: &[Migration]) -> StoreResult<()> {
    let mut transaction = pool.begin().await?;
    // Held until commit: a second process starting now waits here, then sees the
    // migrations already recorded and applies nothing.
    sqlx::query("SELECT pg_advisory_xact_lock($1)")
        .bind(MIGRATION_LOCK_KEY)
        .execute(&mut *transaction)
        .await?;
    sqlx::raw_sql(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at BIGINT NOT NULL
        )",
    )
    .execute(&mut *transaction)
    .await?;
    let applied: Vec<i64> = sqlx::query_scalar("SELECT version FROM schema_migrations")
        .fetch_all(&mut *transaction)
        .await?;
    for migration in migrations {
        if applied.contains(&migration.version) {
            continue;
        }
        sqlx::raw_sql(migration.sql)
            .execute(&mut *transaction)
            .await
            .map_err(|error| {
                crate::StoreError::Database(format!("migration {} failed: {error}", migration.name))
            })?;
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
        )
        .bind(migration.version)
        .bind(migration.name)
        .bind(chrono::Utc::now().timestamp_millis())
        .execute(&mut *transaction)
        .await?;
        tracing::info!(migration = migration.name, "applied postgres migration");
    }
    transaction.commit().await?;
    Ok(())
}

fn bind_all<'q>(
    mut query: Query<'q, Postgres, PgArguments>,
    params: &'q [Param<'q>],
) -> Query<'q, Postgres, PgArguments> {
    for param in params {
        query = match param {
            Param::Text(value) => query.bind(value.as_deref()),
            Param::Int(value) => query.bind(*value),
            Param::Bool(value) => query.bind(*value),
        };
    }
    query
}

impl RowReader for PgRow {
    fn opt_text(&self, index: usize) -> StoreResult<Option<String>> {
        Ok(self.try_get(index)?)
    }

    fn opt_int(&self, index: usize) -> StoreResult<Option<i64>> {
        Ok(self.try_get(index)?)
    }

    fn boolean(&self, index: usize) -> StoreResult<bool> {
        Ok(self.try_get(index)?)
    }
}

async fn query_all<T>(
    connection: &mut PgConnection,
    sql: &str,
    params: &[Param<'_>],
    decode: impl Fn(&PgRow) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let rows = bind_all(sqlx::query(sql), params)
        .fetch_all(&mut *connection)
        .await?;
    rows.iter().map(decode).collect()
}

async fn query_one<T>(
    connection: &mut PgConnection,
    sql: &str,
    params: &[Param<'_>],
    decode: impl Fn(&PgRow) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    let row = bind_all(sqlx::query(sql), params)
        .fetch_optional(&mut *connection)
        .await?;
    row.as_ref().map(decode).transpose()
}

/// Runs a statement; returns how many rows it changed.
async fn execute(
    connection: &mut PgConnection,
    sql: &str,
    params: &[Param<'_>],
) -> StoreResult<u64> {
    let result = bind_all(sqlx::query(sql), params)
        .execute(&mut *connection)
        .await?;
    Ok(result.rows_affected())
}
