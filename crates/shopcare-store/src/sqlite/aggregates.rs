//! Counting new orders into the order aggregates of migrations 0002, 0011, 0012 and
//! 0013, instead of a trigger per row (migration 0014 says why). A transaction's counts
//! are grouped in memory and each aggregate row takes one upsert per group; only the
//! repeat purchases need the buyers' stored orders, read in one index scan per buyer.
//! Update and delete triggers still keep the counts exact for every other change, so
//! the counts must be written before anything updates or deletes (see
//! `BatchWriter::fold_aggregates`).

use std::collections::{HashMap, HashSet};

use rusqlite::{params, Connection};
use shopcare_core::Order;

use crate::encode::to_millis;
use crate::StoreResult;

/// The 15-minute buckets of 0002 and 0012, in milliseconds.
const BUCKET_MILLIS: i64 = 900_000;
/// The UTC days of 0011, in milliseconds.
const DAY_MILLIS: i64 = 86_400_000;
/// The repeat-purchase horizons of 0013 (30, 60 and 90 days), in milliseconds.
const REPEAT_HORIZONS: [i64; 3] = [30 * DAY_MILLIS, 60 * DAY_MILLIS, 90 * DAY_MILLIS];

const ORDER_BUCKETS: &str = "
INSERT INTO order_buckets (shop_id, bucket, orders, shipped, cancelled)
    VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT (shop_id, bucket) DO UPDATE SET orders = orders + excluded.orders,
        shipped = shipped + excluded.shipped, cancelled = cancelled + excluded.cancelled";

const DELIVERED_ORDER_BUCKETS: &str = "
INSERT INTO delivered_order_buckets (shop_id, bucket, orders) VALUES (?1, ?2, ?3)
    ON CONFLICT (shop_id, bucket) DO UPDATE SET orders = orders + excluded.orders";

const DELIVERED_PRODUCT_DAYS: &str = "
INSERT INTO delivered_product_days (shop_id, utc_day, product_id, orders)
    VALUES (?1, ?2, ?3, ?4)
    ON CONFLICT (shop_id, utc_day, product_id) DO UPDATE SET orders = orders + excluded.orders";

const DELIVERED_SKU_DAYS: &str = "
INSERT INTO delivered_sku_days (shop_id, utc_day, product_id, sku_id, orders)
    VALUES (?1, ?2, ?3, ?4, ?5)
    ON CONFLICT (shop_id, utc_day, product_id, sku_id)
        DO UPDATE SET orders = orders + excluded.orders";

const REPEAT_BUCKETS: &str = "
INSERT INTO repeat_buckets (shop_id, bucket, orders, repeat_30d, repeat_60d, repeat_90d)
    VALUES (?1, ?2, ?3, ?4, ?5, ?6)
    ON CONFLICT (shop_id, bucket) DO UPDATE SET orders = orders + excluded.orders,
        repeat_30d = repeat_30d + excluded.repeat_30d,
        repeat_60d = repeat_60d + excluded.repeat_60d,
        repeat_90d = repeat_90d + excluded.repeat_90d";

/// A buyer's orders in a shop created at or after `?3`, through the
/// `(shop_id, buyer_id, create_time)` index of 0009.
const BUYER_ORDERS: &str = "
SELECT create_time, order_id FROM orders
    WHERE shop_id = ?1 AND buyer_id = ?2 AND create_time >= ?3";

/// Strings interned as small numbers, so count keys are cheap to hash and copy and do
/// not borrow the records they came from.
#[derive(Default)]
struct Interner {
    numbers: HashMap<String, u32>,
    strings: Vec<String>,
}

impl Interner {
    fn number(&mut self, text: &str) -> u32 {
        if let Some(&number) = self.numbers.get(text) {
            return number;
        }
        let number = self.strings.len() as u32;
        self.strings.push(text.to_owned());
        self.numbers.insert(text.to_owned(), number);
        number
    }

    fn text(&self, number: u32) -> &str {
        &self.strings[number as usize]
    }
}

/// The aggregate counts of the orders written since the last [`PendingCounts::write`].
/// A transaction collects them across all its batches, so each aggregate row takes one
/// upsert per transaction and each buyer one index scan, however the records were cut.
#[derive(Default)]
pub(super) struct PendingCounts {
    ids: Interner,
    /// Per (shop, 15-minute bucket of creation): orders, shipped, cancelled.
    order_buckets: HashMap<(u32, i64), [i64; 3]>,
    /// Per (shop, 15-minute bucket of delivery).
    delivered_buckets: HashMap<(u32, i64), i64>,
    /// Per (shop, UTC day of delivery, product).
    products: HashMap<(u32, i64, u32), i64>,
    /// Per (shop, UTC day of delivery, product, SKU).
    skus: HashMap<(u32, i64, u32, u32), i64>,
    /// Per (shop, buyer) with new orders: 90 days before the earliest of them.
    buyers: HashMap<(u32, u32), i64>,
    /// Ids of the orders inserted, to tell them from the stored ones a buyer scan finds.
    new_orders: HashSet<String>,
    /// Set during a bulk load, which recounts `repeat_buckets` as a whole instead.
    repeats_recounted: bool,
    /// Scratch: one order's distinct (product, SKU) pairs, reused order after order.
    held: Vec<(u32, u32)>,
}

impl PendingCounts {
    /// Counts for a bulk load: everything but the repeat purchases, which
    /// [`recount_repeat_purchases`] rebuilds when the load ends.
    pub(super) fn without_repeats() -> Self {
        Self {
            repeats_recounted: true,
            ..Self::default()
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        // Every new order has an order bucket; every counted item a product.
        self.order_buckets.is_empty() && self.products.is_empty()
    }

    /// Counts an order that was just inserted.
    pub(super) fn add_new_order(&mut self, order: &Order) {
        let shop = self.ids.number(order.shop_id.as_str());
        let counts = self
            .order_buckets
            .entry((shop, bucket(to_millis(order.create_time))))
            .or_default();
        counts[0] += 1;
        counts[1] += i64::from(order.shipped_time.is_some());
        counts[2] += i64::from(matches!(order.status.as_str(), "CANCELLED" | "CANCEL"));
        if let Some(delivered) = order.delivery_time {
            *self
                .delivered_buckets
                .entry((shop, bucket(to_millis(delivered))))
                .or_default() += 1;
        }
        self.add_delivered_items(order);
        if self.repeats_recounted {
            return;
        }
        if !order.buyer.as_str().is_empty() {
            // An older order's next order could only become this one more than 90 days
            // later, which changes nothing: the scan starts 90 days back.
            let buyer = self.ids.number(order.buyer.as_str());
            let from = to_millis(order.create_time) - REPEAT_HORIZONS[2];
            self.buyers
                .entry((shop, buyer))
                .and_modify(|earliest| *earliest = (*earliest).min(from))
                .or_insert(from);
        }
        self.new_orders.insert(order.id.as_str().to_owned());
    }

    /// Counts the line items of an updated order that were all replaced (the delete
    /// trigger already took the old ones out of the per-item counts).
    pub(super) fn add_replaced_items(&mut self, order: &Order) {
        self.add_delivered_items(order);
    }

    /// Delivered orders per product and per SKU by UTC day (0011): an order counts once
    /// for each product and each SKU it holds, however many units.
    fn add_delivered_items(&mut self, order: &Order) {
        let Some(delivered) = order.delivery_time else {
            return;
        };
        let shop = self.ids.number(order.shop_id.as_str());
        let day = to_millis(delivered) / DAY_MILLIS;
        let mut held = std::mem::take(&mut self.held);
        held.clear();
        for item in &order.line_items {
            let product = self.ids.number(item.product_id.as_str());
            held.push((product, self.ids.number(item.sku_id.as_str())));
        }
        held.sort_unstable();
        held.dedup();
        // Sorted, so a product's SKUs are adjacent.
        let mut last_product = None;
        for &(product, sku) in &held {
            if last_product != Some(product) {
                *self.products.entry((shop, day, product)).or_default() += 1;
                last_product = Some(product);
            }
            *self.skus.entry((shop, day, product, sku)).or_default() += 1;
        }
        self.held = held;
    }

    /// Adds everything counted to the aggregate tables and starts over. Must run before
    /// any statement that fires an update or delete trigger of `orders` or
    /// `order_line_items`, since those read the aggregates as if every write were counted.
    pub(super) fn write(&mut self, connection: &Connection) -> StoreResult<()> {
        let counts = std::mem::replace(
            self,
            Self {
                repeats_recounted: self.repeats_recounted,
                ..Self::default()
            },
        );
        let ids = &counts.ids;
        let mut statement = connection.prepare_cached(ORDER_BUCKETS)?;
        for ((shop, bucket), [orders, shipped, cancelled]) in
            in_key_order(counts.order_buckets, |&(shop, bucket)| {
                (ids.text(shop), bucket)
            })
        {
            statement.execute(params![ids.text(shop), bucket, orders, shipped, cancelled])?;
        }
        let mut statement = connection.prepare_cached(DELIVERED_ORDER_BUCKETS)?;
        for ((shop, bucket), orders) in in_key_order(counts.delivered_buckets, |&(shop, bucket)| {
            (ids.text(shop), bucket)
        }) {
            statement.execute(params![ids.text(shop), bucket, orders])?;
        }
        let mut statement = connection.prepare_cached(DELIVERED_PRODUCT_DAYS)?;
        for ((shop, day, product), orders) in
            in_key_order(counts.products, |&(shop, day, product)| {
                (ids.text(shop), day, ids.text(product))
            })
        {
            statement.execute(params![ids.text(shop), day, ids.text(product), orders])?;
        }
        let mut statement = connection.prepare_cached(DELIVERED_SKU_DAYS)?;
        for ((shop, day, product, sku), orders) in
            in_key_order(counts.skus, |&(shop, day, product, sku)| {
                (ids.text(shop), day, ids.text(product), ids.text(sku))
            })
        {
            let (shop, product, sku) = (ids.text(shop), ids.text(product), ids.text(sku));
            statement.execute(params![shop, day, product, sku, orders])?;
        }
        write_repeat_purchases(connection, ids, counts.buyers, &counts.new_orders)
    }
}

/// Repeat purchases (0013): each new order counts in its bucket, and every order of its
/// buyer in the shop (new or old) whose next order changed moves between "repeat within
/// 30/60/90 days" and not.
fn write_repeat_purchases(
    connection: &Connection,
    ids: &Interner,
    buyers: HashMap<(u32, u32), i64>,
    new_orders: &HashSet<String>,
) -> StoreResult<()> {
    let mut changes: HashMap<(u32, i64), RepeatChange> = HashMap::new();
    let mut statement = connection.prepare_cached(BUYER_ORDERS)?;
    let mut placed = Vec::new();
    for ((shop, buyer), from) in
        in_key_order(buyers, |&(shop, buyer)| (ids.text(shop), ids.text(buyer)))
    {
        placed.clear();
        let mut rows = statement.query(params![ids.text(shop), ids.text(buyer), from])?;
        while let Some(row) = rows.next()? {
            let order_id = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            placed.push(PlacedOrder {
                create_time: row.get(0)?,
                is_new: new_orders.contains(order_id),
            });
        }
        for (bucket, change) in repeat_changes(&mut placed) {
            changes.entry((shop, bucket)).or_default().add(&change);
        }
    }
    add_repeat_changes(connection, ids, changes)
}

/// Adds per-(shop, bucket) changes to `repeat_buckets`, in key order.
fn add_repeat_changes(
    connection: &Connection,
    shops: &Interner,
    changes: HashMap<(u32, i64), RepeatChange>,
) -> StoreResult<()> {
    let mut statement = connection.prepare_cached(REPEAT_BUCKETS)?;
    for ((shop, bucket), change) in
        in_key_order(changes, |&(shop, bucket)| (shops.text(shop), bucket))
    {
        let [d30, d60, d90] = change.repeats;
        let shop = shops.text(shop);
        statement.execute(params![shop, bucket, change.orders, d30, d60, d90])?;
    }
    Ok(())
}

/// Rebuilds `repeat_buckets` from every stored order: one pass over the buyer index in
/// key order, each buyer's orders counted as if all were new.
pub(super) fn recount_repeat_purchases(connection: &Connection) -> StoreResult<()> {
    connection.execute("DELETE FROM repeat_buckets", [])?;
    let mut shops = Interner::default();
    let mut totals: HashMap<(u32, i64), RepeatChange> = HashMap::new();
    let mut statement = connection.prepare(
        "SELECT shop_id, buyer_id, create_time FROM orders
            WHERE buyer_id <> '' ORDER BY shop_id, buyer_id, create_time",
    )?;
    let mut rows = statement.query([])?;
    let (mut shop, mut buyer) = (u32::MAX, String::new());
    let mut placed: Vec<PlacedOrder> = Vec::new();
    let mut count_buyer = |shop: u32, placed: &mut Vec<PlacedOrder>| {
        for (bucket, change) in repeat_changes(placed) {
            totals.entry((shop, bucket)).or_default().add(&change);
        }
        placed.clear();
    };
    while let Some(row) = rows.next()? {
        let row_shop = row.get_ref(0)?.as_str().map_err(rusqlite::Error::from)?;
        let row_buyer = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
        let row_shop = shops.number(row_shop);
        if row_shop != shop || row_buyer != buyer {
            if !placed.is_empty() {
                count_buyer(shop, &mut placed);
            }
            shop = row_shop;
            row_buyer.clone_into(&mut buyer);
        }
        placed.push(PlacedOrder {
            create_time: row.get(2)?,
            is_new: true,
        });
    }
    if !placed.is_empty() {
        count_buyer(shop, &mut placed);
    }
    add_repeat_changes(connection, &shops, totals)
}

/// A map's entries sorted by key, which is the order of the B-tree they are written to
/// or read from: consecutive keys share pages, so a batch reads and dirties each page
/// once instead of jumping around a 1 M-order index that does not fit the cache.
/// `sort_key` spells a key as the table compares it (interned numbers back to text).
fn in_key_order<K, V, S: Ord>(map: HashMap<K, V>, sort_key: impl Fn(&K) -> S) -> Vec<(K, V)> {
    let mut entries: Vec<(K, V)> = map.into_iter().collect();
    entries.sort_unstable_by_key(|entry| sort_key(&entry.0));
    entries
}

/// One stored order of a buyer in a shop, and whether this batch inserted it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PlacedOrder {
    create_time: i64,
    is_new: bool,
}

/// What a fold adds to one repeat-purchase bucket.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
struct RepeatChange {
    orders: i64,
    /// Within 30, 60 and 90 days.
    repeats: [i64; 3],
}

impl RepeatChange {
    fn add(&mut self, other: &RepeatChange) {
        self.orders += other.orders;
        for (sum, part) in self.repeats.iter_mut().zip(other.repeats) {
            *sum += part;
        }
    }
}

/// The repeat-bucket changes of one buyer's orders in one shop (all of them, the new
/// ones included). An order's next order is the earliest one created strictly later:
/// a new order counts itself and its gap to that next order; an old order moves from
/// its gap to the next old order to its gap to the next order of all.
fn repeat_changes(placed: &mut [PlacedOrder]) -> Vec<(i64, RepeatChange)> {
    placed.sort_unstable_by_key(|order| order.create_time);
    let within = |gap: Option<i64>| {
        REPEAT_HORIZONS.map(|horizon| i64::from(gap.is_some_and(|gap| gap <= horizon)))
    };
    let mut changes = Vec::new();
    let (mut next_any, mut next_old) = (None, None);
    // Walk from the latest time back, one group of equal times at a time, so "strictly
    // later" never sees an order at the same instant.
    let mut end = placed.len();
    while end > 0 {
        let time = placed[end - 1].create_time;
        let start = placed[..end].partition_point(|order| order.create_time < time);
        let gap_any = next_any.map(|next: i64| next - time);
        let gap_old = next_old.map(|next: i64| next - time);
        for order in &placed[start..end] {
            let change = if order.is_new {
                RepeatChange {
                    orders: 1,
                    repeats: within(gap_any),
                }
            } else {
                let (now, before) = (within(gap_any), within(gap_old));
                RepeatChange {
                    orders: 0,
                    repeats: [0, 1, 2].map(|k| now[k] - before[k]),
                }
            };
            if change != RepeatChange::default() {
                changes.push((bucket(time), change));
            }
        }
        next_any = Some(time);
        if placed[start..end].iter().any(|order| !order.is_new) {
            next_old = Some(time);
        }
        end = start;
    }
    changes
}

fn bucket(millis: i64) -> i64 {
    millis / BUCKET_MILLIS
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::BTreeMap;

    /// The definition, order by order: the gap to the earliest strictly later order.
    fn gap_to_next(times: &[i64], time: i64) -> Option<i64> {
        times
            .iter()
            .filter(|&&t| t > time)
            .min()
            .map(|next| next - time)
    }

    fn within(gap: Option<i64>) -> [i64; 3] {
        REPEAT_HORIZONS.map(|horizon| i64::from(gap.is_some_and(|gap| gap <= horizon)))
    }

    /// Bucket totals of a set of orders, straight from the definition.
    fn totals(times: &[i64]) -> BTreeMap<i64, RepeatChange> {
        let mut totals: BTreeMap<i64, RepeatChange> = BTreeMap::new();
        for &time in times {
            totals.entry(bucket(time)).or_default().add(&RepeatChange {
                orders: 1,
                repeats: within(gap_to_next(times, time)),
            });
        }
        totals
    }

    proptest! {
        /// Old totals plus the fold's changes equal the totals of old and new orders
        /// together, ties and equal buckets included.
        #[test]
        fn repeat_changes_move_old_totals_to_new_ones(
            old in proptest::collection::vec(0i64..12, 0..8),
            new in proptest::collection::vec(0i64..12, 1..6),
        ) {
            // Times 15 days apart (and some in one bucket) cross every horizon.
            let time = |step: i64| step * 15 * DAY_MILLIS + step % 3;
            let old: Vec<i64> = old.into_iter().map(time).collect();
            let new: Vec<i64> = new.into_iter().map(time).collect();
            let mut placed: Vec<PlacedOrder> = old
                .iter()
                .map(|&create_time| PlacedOrder { create_time, is_new: false })
                .chain(new.iter().map(|&create_time| PlacedOrder { create_time, is_new: true }))
                .collect();
            let mut folded = totals(&old);
            for (bucket, change) in repeat_changes(&mut placed) {
                folded.entry(bucket).or_default().add(&change);
            }
            folded.retain(|_, change| *change != RepeatChange::default());
            let all: Vec<i64> = old.iter().chain(&new).copied().collect();
            prop_assert_eq!(folded, totals(&all));
        }
    }
}
