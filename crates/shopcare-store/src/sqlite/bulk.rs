//! Bulk loads. Two indexes take keys in random order: orders by (shop, buyer, time) and
//! line items by SKU. Once they outgrow the page cache, every insert into them reads and
//! splits a page somewhere in the middle: at 1 M imported orders they cost 7 s and 4 s
//! of the writer's time, where building them afterwards from sorted keys takes 2 s each.
//! So an import that is larger than what the store already holds drops them (and the
//! two repeat-purchase triggers, which search through the buyer index) inside its
//! transaction, loads, and puts everything back before that same transaction commits:
//! readers and a crash only ever see the whole schema.

use rusqlite::Connection;

use crate::StoreResult;

/// Indexes and triggers a bulk load takes out and puts back, by name.
const SUSPENDED: [&str; 4] = [
    "orders_by_shop_buyer_time",
    "order_line_items_by_sku",
    "orders_repeat_update",
    "orders_repeat_delete",
];

/// Threads SQLite's sorter may use to build the indexes back (two cores here: the
/// parser has finished by then).
const SORTER_THREADS: i64 = 2;

/// The page cache while the indexes are built, in KiB (negative: SQLite's unit). The
/// sorter keeps a run of up to a cache's worth of keys in memory per thread: with the
/// writer's 96 MiB a 1 M-order import peaked at 354 MB, with 24 MiB at 254–306 MB
/// (the sorter threads allocate before the freed cache is returned), with 8 MiB at
/// 242–253 MB, no slower within this machine's noise.
const SORT_CACHE_SIZE: i64 = -8_192;

/// The schema objects a bulk load dropped, as the statements that create them again.
pub(super) struct SuspendedSchema {
    create_statements: Vec<String>,
}

impl SuspendedSchema {
    /// Drops the random-key indexes and the triggers that need them, inside the caller's
    /// transaction. While they are gone `repeat_buckets` is not kept; [`Self::restore`]
    /// recounts it.
    pub(super) fn suspend(transaction: &Connection) -> StoreResult<Self> {
        let mut statement = transaction.prepare(
            "SELECT type, name, sql FROM sqlite_master
                WHERE name IN (?1, ?2, ?3, ?4) AND sql IS NOT NULL
                ORDER BY type, name",
        )?;
        let objects = statement
            .query_map(SUSPENDED, |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                ))
            })?
            .collect::<Result<Vec<_>, _>>()?;
        let mut create_statements = Vec::with_capacity(objects.len());
        for (kind, name, sql) in objects {
            let kind = if kind == "index" { "INDEX" } else { "TRIGGER" };
            transaction.execute_batch(&format!("DROP {kind} \"{name}\""))?;
            create_statements.push(sql);
        }
        Ok(Self { create_statements })
    }

    /// Builds the indexes again, recreates the triggers and recounts the repeat
    /// purchases, still inside the load's transaction.
    pub(super) fn restore(self, transaction: &Connection) -> StoreResult<()> {
        let cache_size: i64 =
            transaction.pragma_query_value(None, "cache_size", |row| row.get(0))?;
        // Dirty pages cannot leave the cache until written out (to the WAL, still
        // uncommitted); written, a smaller cache and shrink_memory free them for the
        // sorter.
        transaction.cache_flush()?;
        transaction.pragma_update(None, "cache_size", SORT_CACHE_SIZE)?;
        transaction.execute_batch("PRAGMA shrink_memory")?;
        transaction.pragma_update(None, "threads", SORTER_THREADS)?;
        transaction.pragma_update(None, "temp_store", "FILE")?;
        let built: StoreResult<()> = self
            .create_statements
            .iter()
            .try_for_each(|sql| Ok(transaction.execute_batch(sql)?));
        transaction.pragma_update(None, "threads", 0)?;
        transaction.pragma_update(None, "temp_store", "MEMORY")?;
        transaction.pragma_update(None, "cache_size", cache_size)?;
        built?;
        super::aggregates::recount_repeat_purchases(transaction)
    }
}
