//! The SQLite store: one embedded database file in WAL mode.
//!
//! Connections: one writer connection behind a mutex (SQLite allows one writer at a
//! time anyway, so queueing in-process is cheaper than `SQLITE_BUSY` retries) and a
//! small pool of reader connections, which WAL lets run alongside the writer. An
//! in-memory database (`sqlite://:memory:`) is private to one connection, so there
//! reads share the writer.
//!
//! Blocking: SQLite calls are synchronous. They run under `block_in_place` on a
//! multi-threaded Tokio runtime (other tasks move to other threads meanwhile) and
//! inline elsewhere. Unlike `spawn_blocking` this needs no `'static` closure, so a
//! 5,000-order batch is bound straight from the caller's slice instead of being cloned.
//!
//! Durability: `synchronous=NORMAL` (the default) in WAL mode never corrupts the
//! database, but a power loss or OS crash can lose the last transactions committed
//! since the previous WAL checkpoint (an application crash loses nothing). Entities are
//! re-fetched by the next sync, but webhook events acknowledged in that window are gone
//! (the platform does not resend what we acknowledged). Pass `?synchronous=full` to
//! fsync on every commit when that matters more than write speed.

mod accounts;
mod aggregates;
mod bulk;
mod cases;
mod checkpointer;
mod reputation;
mod scorecard;
mod store;
mod support;
mod timeline;

use crate::encode::{Param, RowReader};
use crate::migrations::{self, Migration};
use crate::sql::to_sqlite;
use crate::{SecretKey, StoreError, StoreResult};
use rusqlite::types::{ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, OpenFlags, ToSql, TransactionBehavior};
use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// How long a connection waits for another process's lock before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);
/// Idle reader connections kept open; more are opened on demand under load.
const MAX_IDLE_READERS: usize = 4;
/// Enough for every distinct statement the store uses, so none is ever re-prepared.
const STATEMENT_CACHE_CAPACITY: usize = 96;

/// How hard SQLite works to make each commit survive a power loss.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Synchronous {
    /// fsync at WAL checkpoints only: fast; an OS crash may lose the latest commits.
    Normal,
    /// fsync on every commit: slower; a committed transaction survives power loss.
    Full,
}

impl Synchronous {
    fn pragma_value(self) -> &'static str {
        match self {
            Synchronous::Normal => "NORMAL",
            Synchronous::Full => "FULL",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Location {
    Memory,
    File(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct SqliteOptions {
    location: Location,
    synchronous: Synchronous,
}

/// Parses `sqlite://PATH[?synchronous=normal|full]` (also `sqlite:PATH`).
fn parse_url(url: &str) -> StoreResult<SqliteOptions> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .ok_or_else(|| StoreError::UnsupportedUrl(url.to_owned()))?;
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    if path.is_empty() {
        return Err(StoreError::UnsupportedUrl(url.to_owned()));
    }
    let mut synchronous = Synchronous::Normal;
    for pair in query.split('&').filter(|pair| !pair.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match (key, value.to_ascii_lowercase().as_str()) {
            ("synchronous", "normal") => synchronous = Synchronous::Normal,
            ("synchronous", "full") => synchronous = Synchronous::Full,
            _ => {
                return Err(StoreError::InvalidOption(format!(
                    "{pair:?} (sqlite accepts synchronous=normal or synchronous=full)"
                )))
            }
        }
    }
    let location = if path == ":memory:" {
        Location::Memory
    } else {
        Location::File(PathBuf::from(path))
    };
    Ok(SqliteOptions {
        location,
        synchronous,
    })
}

/// The SQLite implementation of [`crate::Store`].
pub struct SqliteStore {
    /// Copies the WAL into the database file (`None` in memory); stops first on drop.
    _checkpointer: Option<checkpointer::Checkpointer>,
    writer: Mutex<Connection>,
    /// `None` for an in-memory database, whose only connection is the writer.
    readers: Option<ReaderPool>,
    secret_key: SecretKey,
}

struct ReaderPool {
    path: PathBuf,
    idle: Mutex<Vec<Connection>>,
}

impl ReaderPool {
    fn take(&self) -> StoreResult<Connection> {
        if let Some(connection) = lock(&self.idle).pop() {
            return Ok(connection);
        }
        let connection = Connection::open_with_flags(
            &self.path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
        // Readers never write; query_only turns a bug into an error instead of a lock.
        connection.execute_batch("PRAGMA query_only = ON; PRAGMA cache_size = -16384;")?;
        Ok(connection)
    }

    fn give_back(&self, connection: Connection) {
        let mut idle = lock(&self.idle);
        if idle.len() < MAX_IDLE_READERS {
            idle.push(connection);
        }
    }
}

/// Locks a mutex, recovering it after a panic elsewhere: a connection stays usable
/// (rusqlite rolls back an unfinished transaction when it is dropped).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Runs blocking database work without stalling the async runtime (see module docs).
fn run_blocking<R>(work: impl FnOnce() -> R) -> R {
    match tokio::runtime::Handle::try_current() {
        Ok(handle) if handle.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(work)
        }
        _ => work(),
    }
}

impl SqliteStore {
    /// Opens (creating if needed) the database named by `url` and migrates it.
    pub async fn open(url: &str, secret_key: SecretKey) -> StoreResult<Self> {
        let options = parse_url(url)?;
        run_blocking(|| Self::open_blocking(options, secret_key))
    }

    fn open_blocking(options: SqliteOptions, secret_key: SecretKey) -> StoreResult<Self> {
        let (writer, readers) = match &options.location {
            Location::Memory => (Connection::open_in_memory()?, None),
            Location::File(path) => {
                let pool = ReaderPool {
                    path: path.clone(),
                    idle: Mutex::new(Vec::new()),
                };
                (Connection::open(path)?, Some(pool))
            }
        };
        writer.busy_timeout(BUSY_TIMEOUT)?;
        writer.set_prepared_statement_cache_capacity(STATEMENT_CACHE_CAPACITY);
        // cache_size: up to 96 MiB of pages (allocated only as used) keeps the B-tree
        // pages a bulk import touches in memory (appends touch the right edges; the
        // buyer and SKU indexes are the random ones) while a 1 M-order import, with its
        // parsed batches, stays under the 300 MB budget (225–232 MB; 128 MiB: 293 MB and
        // no faster; 64 MiB: 7 % slower). wal_autocheckpoint 0: the checkpointer thread
        // copies the WAL, never the writer (see `checkpointer`).
        writer.execute_batch(&format!(
            "PRAGMA journal_mode = WAL;
             PRAGMA synchronous = {};
             PRAGMA foreign_keys = ON;
             PRAGMA cache_size = -98304;
             PRAGMA wal_autocheckpoint = 0;
             PRAGMA temp_store = MEMORY;",
            options.synchronous.pragma_value()
        ))?;
        let mut writer = writer;
        migrate(&mut writer, migrations::SQLITE)?;
        let checkpointer = match &options.location {
            Location::Memory => None,
            Location::File(path) => Some(checkpointer::Checkpointer::start(path)?),
        };
        Ok(Self {
            _checkpointer: checkpointer,
            writer: Mutex::new(writer),
            readers,
            secret_key,
        })
    }

    /// Runs `work` on the writer connection.
    fn write<R>(&self, work: impl FnOnce(&mut Connection) -> StoreResult<R>) -> StoreResult<R> {
        run_blocking(|| work(&mut lock(&self.writer)))
    }

    /// Runs `work` on a reader connection (the writer for in-memory databases).
    fn read<R>(&self, work: impl FnOnce(&Connection) -> StoreResult<R>) -> StoreResult<R> {
        run_blocking(|| match &self.readers {
            None => work(&lock(&self.writer)),
            Some(pool) => {
                let connection = pool.take()?;
                let result = work(&connection);
                pool.give_back(connection);
                result
            }
        })
    }
}

/// Applies the migrations `connection` has not seen, under one immediate (write-locked)
/// transaction so two processes opening the same file cannot both apply one.
fn migrate(connection: &mut Connection, migrations: &[Migration]) -> StoreResult<()> {
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    transaction.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at INTEGER NOT NULL
        )",
    )?;
    let applied: Vec<i64> = {
        let mut statement = transaction.prepare("SELECT version FROM schema_migrations")?;
        let versions = statement.query_map([], |row| row.get(0))?;
        versions.collect::<Result<_, _>>()?
    };
    for migration in migrations {
        if applied.contains(&migration.version) {
            continue;
        }
        transaction.execute_batch(migration.sql).map_err(|error| {
            StoreError::Database(format!("migration {} failed: {error}", migration.name))
        })?;
        transaction.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
            rusqlite::params![
                migration.version,
                migration.name,
                chrono::Utc::now().timestamp_millis()
            ],
        )?;
        tracing::info!(migration = migration.name, "applied sqlite migration");
    }
    transaction.commit()?;
    Ok(())
}

impl ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(match self {
            Param::Text(Some(text)) => ToSqlOutput::Borrowed(ValueRef::Text(text.as_bytes())),
            Param::Text(None) | Param::Int(None) => ToSqlOutput::Owned(Value::Null),
            Param::Int(Some(value)) => ToSqlOutput::Owned(Value::Integer(*value)),
            Param::Bool(value) => ToSqlOutput::Owned(Value::Integer(i64::from(*value))),
        })
    }
}

impl RowReader for rusqlite::Row<'_> {
    fn opt_text(&self, index: usize) -> StoreResult<Option<String>> {
        Ok(self.get(index)?)
    }

    fn opt_int(&self, index: usize) -> StoreResult<Option<i64>> {
        Ok(self.get(index)?)
    }

    fn boolean(&self, index: usize) -> StoreResult<bool> {
        Ok(self.get(index)?)
    }
}

/// Runs a query and decodes every row.
fn query_all<T>(
    connection: &Connection,
    sql: &str,
    params: &[Param<'_>],
    decode: impl Fn(&rusqlite::Row<'_>) -> StoreResult<T>,
) -> StoreResult<Vec<T>> {
    let mut statement = connection.prepare_cached(&to_sqlite(sql))?;
    let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
    let mut values = Vec::new();
    while let Some(row) = rows.next()? {
        values.push(decode(row)?);
    }
    Ok(values)
}

/// Runs a query and decodes its first row, if any.
fn query_one<T>(
    connection: &Connection,
    sql: &str,
    params: &[Param<'_>],
    decode: impl Fn(&rusqlite::Row<'_>) -> StoreResult<T>,
) -> StoreResult<Option<T>> {
    let mut statement = connection.prepare_cached(&to_sqlite(sql))?;
    let mut rows = statement.query(rusqlite::params_from_iter(params.iter()))?;
    match rows.next()? {
        Some(row) => Ok(Some(decode(row)?)),
        None => Ok(None),
    }
}

/// Runs a statement; returns how many rows it changed.
fn execute(connection: &Connection, sql: &str, params: &[Param<'_>]) -> StoreResult<usize> {
    let mut statement = connection.prepare_cached(&to_sqlite(sql))?;
    Ok(statement.execute(rusqlite::params_from_iter(params.iter()))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_parse_paths_and_synchronous_option() {
        let options = parse_url("sqlite://data/shopcare.db").unwrap();
        assert_eq!(options.location, Location::File("data/shopcare.db".into()));
        assert_eq!(options.synchronous, Synchronous::Normal);
        let options = parse_url("sqlite:///var/lib/shopcare.db?synchronous=FULL").unwrap();
        assert_eq!(
            options.location,
            Location::File("/var/lib/shopcare.db".into())
        );
        assert_eq!(options.synchronous, Synchronous::Full);
        assert_eq!(
            parse_url("sqlite://:memory:").unwrap().location,
            Location::Memory
        );
        assert!(matches!(
            parse_url("sqlite://x.db?journal=off"),
            Err(StoreError::InvalidOption(_))
        ));
        assert!(matches!(
            parse_url("sqlite://"),
            Err(StoreError::UnsupportedUrl(_))
        ));
    }
}
