//! Counting a batch's new orders into the order aggregates of migrations 0002, 0011,
//! 0012 and 0013, instead of a trigger per row (migration 0014 says why). The batch is
//! still in memory, so its counts are grouped here and each aggregate takes one upsert
//! per group; only the repeat purchases need the buyers' stored orders, read in one
//! index scan per buyer. Update and delete triggers still keep the counts exact for
//! every other change, so a batch must be folded before it updates or deletes anything
//! (see `BatchWriter::fold_aggregates`).

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

/// Counts the batch into every aggregate: `new_orders` were inserted since the last
/// fold; `replaced_items` are updated orders whose line items were all replaced (the
/// delete trigger already took the old ones out of the per-item counts).
pub(super) fn fold(
    connection: &Connection,
    new_orders: &[&Order],
    replaced_items: &[&Order],
) -> StoreResult<()> {
    let mut order_buckets: HashMap<(&str, i64), [i64; 3]> = HashMap::new();
    let mut delivered_buckets: HashMap<(&str, i64), i64> = HashMap::new();
    for order in new_orders {
        let counts = order_buckets
            .entry((order.shop_id.as_str(), bucket(to_millis(order.create_time))))
            .or_default();
        counts[0] += 1;
        counts[1] += i64::from(order.shipped_time.is_some());
        counts[2] += i64::from(matches!(order.status.as_str(), "CANCELLED" | "CANCEL"));
        if let Some(delivered) = order.delivery_time {
            *delivered_buckets
                .entry((order.shop_id.as_str(), bucket(to_millis(delivered))))
                .or_default() += 1;
        }
    }
    let mut statement = connection.prepare_cached(ORDER_BUCKETS)?;
    for ((shop, bucket), [orders, shipped, cancelled]) in in_key_order(order_buckets) {
        statement.execute(params![shop, bucket, orders, shipped, cancelled])?;
    }
    let mut statement = connection.prepare_cached(DELIVERED_ORDER_BUCKETS)?;
    for ((shop, bucket), orders) in in_key_order(delivered_buckets) {
        statement.execute(params![shop, bucket, orders])?;
    }
    fold_delivered_items(connection, new_orders.iter().chain(replaced_items))?;
    fold_repeat_purchases(connection, new_orders)
}

/// Delivered orders per product and per SKU by UTC day (0011): an order counts once
/// for each product and each SKU it holds, however many units.
fn fold_delivered_items<'r>(
    connection: &Connection,
    orders: impl Iterator<Item = &'r &'r Order>,
) -> StoreResult<()> {
    let mut products: HashMap<(&str, i64, &str), i64> = HashMap::new();
    let mut skus: HashMap<(&str, i64, &str, &str), i64> = HashMap::new();
    let mut held: Vec<(&str, &str)> = Vec::new();
    for order in orders {
        let Some(delivered) = order.delivery_time else {
            continue;
        };
        let (shop, day) = (order.shop_id.as_str(), to_millis(delivered) / DAY_MILLIS);
        held.clear();
        held.extend(
            order
                .line_items
                .iter()
                .map(|item| (item.product_id.as_str(), item.sku_id.as_str())),
        );
        held.sort_unstable();
        held.dedup();
        // Sorted, so a product's SKUs are adjacent.
        let mut last_product = None;
        for &(product, sku) in &held {
            if last_product != Some(product) {
                *products.entry((shop, day, product)).or_default() += 1;
                last_product = Some(product);
            }
            *skus.entry((shop, day, product, sku)).or_default() += 1;
        }
    }
    let mut statement = connection.prepare_cached(DELIVERED_PRODUCT_DAYS)?;
    for ((shop, day, product), orders) in in_key_order(products) {
        statement.execute(params![shop, day, product, orders])?;
    }
    let mut statement = connection.prepare_cached(DELIVERED_SKU_DAYS)?;
    for ((shop, day, product, sku), orders) in in_key_order(skus) {
        statement.execute(params![shop, day, product, sku, orders])?;
    }
    Ok(())
}

/// Repeat purchases (0013): each new order counts in its bucket, and every order of its
/// buyer in the shop (new or old) whose next order changed moves between "repeat within
/// 30/60/90 days" and not.
fn fold_repeat_purchases(connection: &Connection, new_orders: &[&Order]) -> StoreResult<()> {
    // Per buyer, from 90 days before their earliest new order: an older order's next
    // order could only become a new one more than 90 days later, which changes nothing.
    let mut buyers: HashMap<(&str, &str), i64> = HashMap::new();
    for order in new_orders
        .iter()
        .filter(|order| !order.buyer.as_str().is_empty())
    {
        let from = to_millis(order.create_time) - REPEAT_HORIZONS[2];
        buyers
            .entry((order.shop_id.as_str(), order.buyer.as_str()))
            .and_modify(|earliest| *earliest = (*earliest).min(from))
            .or_insert(from);
    }
    let new_ids: HashSet<&str> = new_orders.iter().map(|order| order.id.as_str()).collect();
    let mut changes: HashMap<(&str, i64), RepeatChange> = HashMap::new();
    let mut statement = connection.prepare_cached(BUYER_ORDERS)?;
    let mut placed = Vec::new();
    for ((shop, buyer), from) in in_key_order(buyers) {
        placed.clear();
        let mut rows = statement.query(params![shop, buyer, from])?;
        while let Some(row) = rows.next()? {
            let order_id = row.get_ref(1)?.as_str().map_err(rusqlite::Error::from)?;
            placed.push(PlacedOrder {
                create_time: row.get(0)?,
                is_new: new_ids.contains(order_id),
            });
        }
        for (bucket, change) in repeat_changes(&mut placed) {
            changes.entry((shop, bucket)).or_default().add(&change);
        }
    }
    let mut statement = connection.prepare_cached(REPEAT_BUCKETS)?;
    for ((shop, bucket), change) in in_key_order(changes) {
        let [d30, d60, d90] = change.repeats;
        statement.execute(params![shop, bucket, change.orders, d30, d60, d90])?;
    }
    Ok(())
}

/// A map's entries sorted by key, which is the order of the B-tree they are written to
/// or read from: consecutive keys share pages, so a batch reads and dirties each page
/// once instead of jumping around a 1 M-order index that does not fit the cache.
fn in_key_order<K: Ord, V>(map: HashMap<K, V>) -> Vec<(K, V)> {
    let mut entries: Vec<(K, V)> = map.into_iter().collect();
    entries.sort_unstable_by(|left, right| left.0.cmp(&right.0));
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
