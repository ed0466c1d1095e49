//! The bulk write path on SQLite (always) and PostgreSQL (when
//! `SHOPCARE_TEST_POSTGRES_URL` is set): batches big enough to take SQLite's multi-row
//! order and line-item statements, with repeated ids inside one chunk, keep the newest
//! version with its own line items, and keep the delivered-order aggregates equal to a
//! full recount. Also: the review-cluster filter (shop, SKU, window) returns exactly
//! the matching analyses.

mod contract_suite;

use contract_suite::fixtures::{order, ts};
use contract_suite::TestDb;
use shopcare_core::metrics::BUCKET_MILLIS;
use shopcare_core::ShopId;
use shopcare_store::{
    AnalysisFilter, ApplyOutcome, InboundWebhook, Record, ReviewAnalysisRecord, Store,
};
use std::sync::Arc;

macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = super::TestDb::sqlite();
                    super::$name(db.open().await).await;
                    db.cleanup().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = super::TestDb::postgres().await else { return };
                    super::$name(db.open().await).await;
                    db.cleanup().await;
                }
            )*
        }
    };
}

both_backends!(
    big_batches_with_repeats_keep_newest_versions_and_aggregates,
    a_stream_of_batches_writes_what_one_batch_at_a_time_would,
    concurrent_writers_of_the_same_buyers_both_succeed,
    concurrent_writers_of_the_same_keys_in_opposite_orders_all_succeed,
    cluster_filter_returns_only_the_matching_sku_and_window,
);

const SHOPS: [&str; 3] = ["shop-a", "shop-b", "shop-c"];
/// 2026-01-01T00:00:00Z in seconds.
const BASE: i64 = 1_767_225_600;
const SPAN_SECONDS: i64 = 3 * 86_400;

/// Version `version` of order `index`: its shop, delivery and line-item count all
/// depend on the version, so a wrong winner shows in every one of them.
fn order_version(index: usize, version: i64) -> Record {
    let line_items = 1 + (index + version as usize) % 3;
    let mut changed = order(
        &format!("bulk-{index:04}"),
        SHOPS[(index + version as usize) % SHOPS.len()],
        BASE + version,
        line_items,
    );
    changed.buyer = format!("buyer-v{version}").into();
    changed.delivery_time = if (index + version as usize).is_multiple_of(4) {
        None
    } else {
        Some(ts(BASE
            + ((index as i64 * 7_919 + version * 104_729)
                % SPAN_SECONDS)))
    };
    Record::Order(changed)
}

async fn assert_delivered_aggregates_match_recount(store: &Arc<dyn Store>) {
    let (start_ms, end_ms) = (BASE * 1000, (BASE + SPAN_SECONDS) * 1000);
    let mut total = 0;
    for shop in SHOPS {
        let shop_id = ShopId::new(shop);
        let incremental = store
            .delivered_orders_in_buckets(&shop_id, start_ms / BUCKET_MILLIS, end_ms / BUCKET_MILLIS)
            .await
            .unwrap();
        let recount = store
            .delivered_orders_by_scan(&shop_id, start_ms, end_ms)
            .await
            .unwrap();
        assert_eq!(incremental, recount, "delivered orders of {shop}");
        total += recount;
    }
    assert!(total > 0, "some orders were delivered");
}

const ORDERS: usize = 300;

/// Batch 1: every order new, several full chunks.
fn first_batch() -> Vec<Record> {
    (0..ORDERS).map(|index| order_version(index, 1)).collect()
}

/// Batch 2: new orders interleaved with newer and older versions of stored ones, and
/// the same new order twice in one chunk (the second, newer, must win).
fn second_batch() -> Vec<Record> {
    let mut second = Vec::new();
    for index in 0..ORDERS {
        second.push(order_version(ORDERS + index, 1));
        if index % 2 == 0 {
            second.push(order_version(ORDERS + index, 2));
        }
        second.push(order_version(index, if index % 3 == 0 { 0 } else { 3 }));
    }
    second
}

/// Every order holds the version the two batches above leave, line items included.
async fn assert_newest_versions(store: &Arc<dyn Store>) {
    for index in 0..2 * ORDERS {
        let expected_version = match (index < ORDERS, index % 3 == 0, index % 2 == 0) {
            (true, true, _) => 1,
            (true, false, _) => 3,
            (false, _, _) if (index - ORDERS).is_multiple_of(2) => 2,
            (false, _, _) => 1,
        };
        let Record::Order(expected) = order_version(index, expected_version) else {
            unreachable!("order_version makes orders")
        };
        let stored = store.get_order(&expected.id).await.unwrap().unwrap();
        assert_eq!(stored.update_time, expected.update_time, "{}", expected.id);
        assert_eq!(stored.buyer, expected.buyer, "{}", expected.id);
        assert_eq!(stored.shop_id, expected.shop_id, "{}", expected.id);
        assert_eq!(
            stored.delivery_time, expected.delivery_time,
            "{}",
            expected.id
        );
        assert_eq!(stored.line_items, expected.line_items, "{}", expected.id);
    }
}

async fn big_batches_with_repeats_keep_newest_versions_and_aggregates(store: Arc<dyn Store>) {
    let first = first_batch();
    let outcome = store.apply(&first, None).await.unwrap();
    assert_eq!(outcome.inserted, ORDERS as u64);
    assert_delivered_aggregates_match_recount(&store).await;

    let second = second_batch();
    let outcome = store.apply(&second, None).await.unwrap();
    let updated_old = (0..ORDERS).filter(|index| index % 3 != 0).count() as u64;
    let updated_new = (0..ORDERS).filter(|index| index % 2 == 0).count() as u64;
    assert_eq!(outcome.inserted, ORDERS as u64);
    assert_eq!(outcome.updated, updated_old + updated_new);
    assert_eq!(outcome.unchanged, (ORDERS as u64) - updated_old);
    assert_delivered_aggregates_match_recount(&store).await;

    // Replaying both batches changes nothing.
    let replay_first = store.apply(&first, None).await.unwrap();
    assert_eq!(replay_first.inserted + replay_first.updated, 0);
    let replay_second = store.apply(&second, None).await.unwrap();
    assert_eq!(replay_second.inserted + replay_second.updated, 0);
    assert_delivered_aggregates_match_recount(&store).await;
    assert_newest_versions(&store).await;
}

/// The same two batches cut into uneven pieces and streamed through `apply_all`, several
/// pieces per transaction: the same outcome, versions and aggregates as applying them
/// one batch at a time. An empty stream writes nothing.
async fn a_stream_of_batches_writes_what_one_batch_at_a_time_would(store: Arc<dyn Store>) {
    let (sender, batches) = std::sync::mpsc::sync_channel(0);
    drop(sender);
    let nothing = store.apply_all(batches, 250).await.unwrap();
    assert_eq!(nothing, ApplyOutcome::default());

    let records: Vec<Record> = first_batch().into_iter().chain(second_batch()).collect();
    let (sender, batches) = std::sync::mpsc::sync_channel(1);
    let producer = std::thread::spawn(move || {
        let mut rest = records.as_slice();
        for size in [1, 99, 250, 7, 400].into_iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (piece, after) = rest.split_at(size.min(rest.len()));
            sender.send(piece.to_vec()).unwrap();
            rest = after;
        }
    });
    let outcome = store.apply_all(batches, 250).await.unwrap();
    producer.join().unwrap();
    let updated_old = (0..ORDERS).filter(|index| index % 3 != 0).count() as u64;
    let updated_new = (0..ORDERS).filter(|index| index % 2 == 0).count() as u64;
    assert_eq!(
        outcome,
        ApplyOutcome {
            inserted: 2 * ORDERS as u64,
            updated: updated_old + updated_new,
            unchanged: (ORDERS as u64) - updated_old,
        }
    );
    assert_delivered_aggregates_match_recount(&store).await;
    assert_newest_versions(&store).await;
}

fn analysis(review_id: &str, sku: &str, at_seconds: i64) -> ReviewAnalysisRecord {
    ReviewAnalysisRecord {
        review_id: review_id.to_owned(),
        shop_id: ShopId::new("shop-a"),
        order_id: None,
        product_id: "p1".to_owned(),
        sku_id: sku.to_owned(),
        rating: 1,
        review_time: ts(at_seconds),
        sentiment: "negative".to_owned(),
        root_cause: "product_quality".to_owned(),
        seller_related: true,
        language: "en".to_owned(),
        confidence_permille: 800,
        evidence: "[]".to_owned(),
        analysed_at: ts(at_seconds),
    }
}

async fn cluster_filter_returns_only_the_matching_sku_and_window(store: Arc<dyn Store>) {
    let day = 86_400;
    let records = vec![
        analysis("in-1", "sku-1", BASE + day),
        analysis("in-2", "sku-1", BASE + 3 * day),
        analysis("other-sku", "sku-2", BASE + 2 * day),
        analysis("too-old", "sku-1", BASE - 10 * day),
        analysis("too-new", "sku-1", BASE + 30 * day),
    ];
    store.save_review_analyses(&records).await.unwrap();
    let found = store
        .list_review_analyses(&AnalysisFilter {
            shop_ids: Some(vec![ShopId::new("shop-a")]),
            max_rating: Some(2),
            root_cause: Some("product_quality".to_owned()),
            seller_related: Some(true),
            sku_id: Some("sku-1".to_owned()),
            from: Some(ts(BASE - day)),
            until: Some(ts(BASE + 7 * day)),
            limit: 20,
            ..AnalysisFilter::default()
        })
        .await
        .unwrap();
    let ids: Vec<&str> = found
        .iter()
        .map(|stored| stored.analysis.review_id.as_str())
        .collect();
    assert_eq!(ids, ["in-2", "in-1"]);
}

/// Two writers at once, each a batch of new orders of the same 40 buyers and the same
/// hourly buckets, taken in opposite orders (on PostgreSQL they lock the same buyers and
/// aggregate rows in opposite orders, and one loses a deadlock): both succeed, and the
/// aggregates equal a recount.
async fn concurrent_writers_of_the_same_buyers_both_succeed(store: Arc<dyn Store>) {
    for round in 0..2_usize {
        let batch = |offset: usize, reverse: bool| -> Vec<Record> {
            let mut records: Vec<Record> = (0..200)
                .map(|index| {
                    let Record::Order(mut order) =
                        order_version(10_000 + round * 1_000 + offset + index, 1)
                    else {
                        unreachable!("order_version makes orders")
                    };
                    order.shop_id = ShopId::new(SHOPS[0]);
                    order.create_time = ts(BASE + index as i64 * 3_600);
                    order.buyer = format!("shared-buyer-{}", index % 40).into();
                    Record::Order(order)
                })
                .collect();
            if reverse {
                records.reverse();
            }
            records
        };
        let (forward, backward) = (batch(0, false), batch(500, true));
        let (first, second) =
            tokio::join!(store.apply(&forward, None), store.apply(&backward, None));
        assert_eq!(first.expect("first writer").inserted, 200, "round {round}");
        assert_eq!(
            second.expect("second writer").inserted,
            200,
            "round {round}"
        );
    }
    assert_delivered_aggregates_match_recount(&store).await;
}

/// Writers of the same keys in opposite orders, two at a time: review analyses and
/// webhook events (with their jobs). On PostgreSQL each takes row locks in its own order
/// and one of a pair loses a deadlock; every write still succeeds, and exactly one of
/// the two changes each key.
async fn concurrent_writers_of_the_same_keys_in_opposite_orders_all_succeed(store: Arc<dyn Store>) {
    const KEYS: usize = 150;
    /// `forward[i]` and `backward[KEYS - 1 - i]` are the same key.
    fn one_writer_per_key(what: &str, forward: Vec<bool>, backward: Vec<bool>) {
        for (index, changed) in forward.iter().enumerate() {
            assert!(
                changed ^ backward[KEYS - 1 - index],
                "{what} {index}: changed by both writers or neither"
            );
        }
    }
    for round in 0..2_i64 {
        let analyses: Vec<ReviewAnalysisRecord> = (0..KEYS)
            .map(|index| analysis(&format!("shared-{index}"), "sku-1", BASE + round))
            .collect();
        let reversed: Vec<ReviewAnalysisRecord> = analyses.iter().rev().cloned().collect();
        let (forward, backward) = tokio::join!(
            store.save_review_analyses(&analyses),
            store.save_review_analyses(&reversed)
        );
        one_writer_per_key("analysis", forward.unwrap(), backward.unwrap());

        let events: Vec<InboundWebhook> = (0..KEYS)
            .map(|index| webhook(&format!("note-{round}-{index}")))
            .collect();
        let reversed: Vec<InboundWebhook> = events.iter().rev().cloned().collect();
        let (forward, backward) = tokio::join!(
            store.record_webhook_events(&events),
            store.record_webhook_events(&reversed)
        );
        one_writer_per_key("event", forward.unwrap(), backward.unwrap());
    }
}

fn webhook(notification_id: &str) -> InboundWebhook {
    InboundWebhook {
        notification_id: notification_id.to_owned(),
        event_type: 1,
        shop_id: Some(ShopId::new("shop-a")),
        timestamp: Some(BASE),
        received_at: ts(BASE),
        body: format!("{{\"tts_notification_id\":\"{notification_id}\"}}"),
    }
}

/// SQLite's writer never checkpoints (its automatic checkpoints are off); a thread of the
/// store copies committed WAL frames into the database file while the store is open.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_copies_the_wal_into_the_database_file_while_open() {
    let db = TestDb::sqlite();
    let store = db.open().await;
    let path = std::path::PathBuf::from(db.url.strip_prefix("sqlite://").expect("sqlite URL"));
    let main_file_size = || std::fs::metadata(&path).expect("database file").len();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let before = main_file_size();
    let records: Vec<Record> = (0..3_000)
        .map(|index| Record::Order(order(&format!("wal-{index}"), "shop-a", BASE, 3)))
        .collect();
    store.apply(&records, None).await.unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while main_file_size() < before + 1_000_000 && std::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(
        main_file_size() >= before + 1_000_000,
        "the database file stayed at {} bytes (was {before})",
        main_file_size()
    );
    drop(store);
    db.cleanup().await;
}

/// Rows of `sql` on the SQLite file behind `db`, every column as a value.
fn sqlite_rows(db: &TestDb, sql: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let path = db.url.strip_prefix("sqlite://").expect("sqlite URL");
    let connection = rusqlite::Connection::open(path).expect("open the test database");
    let mut statement = connection.prepare(sql).expect("valid SQL");
    let width = statement.column_count();
    statement
        .query_map([], |row| {
            (0..width)
                .map(|column| row.get::<_, rusqlite::types::Value>(column))
                .collect()
        })
        .expect("query")
        .collect::<Result<_, _>>()
        .expect("rows")
}

/// A stream larger than the store takes SQLite's bulk path once it has inserted as many
/// orders as the store held (its buyer and SKU indexes and repeat triggers dropped,
/// rebuilt and recounted inside the transaction), and leaves exactly what writing the
/// same records one at a time leaves: orders, line items, every aggregate (rows that
/// count nothing aside) and the schema itself.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_bulk_load_leaves_what_record_by_record_writes_leave() {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    let mut random = StdRng::seed_from_u64(20_261_207);
    let buyers = ["buyer-x", "buyer-y", "buyer-z", "buyer-w", ""];
    let mut records = Vec::new();
    for _ in 0..500 {
        let index = random.gen_range(0..150);
        // Versions of an id in any order, so older ones must lose.
        let mut written = order(
            &format!("stream-{index:03}"),
            SHOPS[random.gen_range(0..2)],
            BASE + random.gen_range(0..6),
            0,
        );
        written.buyer = buyers[random.gen_range(0..buyers.len())].into();
        // Whole days apart, ties included, across every repeat horizon.
        written.create_time = ts(BASE + random.gen_range(-120..120) * 86_400);
        written.shipped_time = random.gen_bool(0.5).then(|| ts(BASE + 3_600));
        written.delivery_time = random
            .gen_bool(0.7)
            .then(|| ts(BASE + random.gen_range(0..SPAN_SECONDS)));
        let template = order("template", SHOPS[0], BASE, 1).line_items.remove(0);
        written.line_items = (0..random.gen_range(0..4))
            .map(|unit| {
                let mut item = template.clone();
                let product = random.gen_range(0..2);
                item.id = format!("stream-{index:03}-{unit}").into();
                item.product_id = format!("p{product}").into();
                item.sku_id = format!("p{product}-s{}", random.gen_range(0..2)).into();
                item
            })
            .collect();
        records.push(Record::Order(written));
    }

    let bulk = TestDb::sqlite();
    let one_by_one = TestDb::sqlite();
    let (bulk_store, reference) = (bulk.open().await, one_by_one.open().await);
    // Both stores start with some orders, so the stream first commits with every index
    // in place and turns into a bulk load once it has inserted as many.
    let (stored, streamed) = records.split_at(40);
    for record in stored {
        bulk_store
            .apply(std::slice::from_ref(record), None)
            .await
            .unwrap();
    }
    let mut expected = ApplyOutcome::default();
    for (index, record) in records.iter().enumerate() {
        let outcome = reference
            .apply(std::slice::from_ref(record), None)
            .await
            .unwrap();
        if index >= stored.len() {
            expected += outcome;
        }
    }
    let (sender, batches) = std::sync::mpsc::sync_channel(1);
    let pieces: Vec<Vec<Record>> = streamed.chunks(7).map(<[Record]>::to_vec).collect();
    let producer = std::thread::spawn(move || {
        for piece in pieces {
            sender.send(piece).unwrap();
        }
    });
    let outcome = bulk_store.apply_all(batches, 10).await.unwrap();
    producer.join().unwrap();
    assert_eq!(outcome, expected);

    // Every drop and create bumps the schema version.
    let schema_version = |db: &TestDb| match sqlite_rows(db, "PRAGMA schema_version")[..] {
        [ref row] => match row[..] {
            [rusqlite::types::Value::Integer(version)] => version,
            _ => panic!("schema_version is one integer"),
        },
        _ => panic!("schema_version is one row"),
    };
    assert!(
        schema_version(&bulk) > schema_version(&one_by_one),
        "the stream did not take the bulk path"
    );
    for sql in [
        "SELECT type, name, sql FROM sqlite_master ORDER BY type, name",
        "SELECT * FROM orders ORDER BY order_id",
        "SELECT * FROM order_line_items ORDER BY order_id, position",
        "SELECT * FROM order_buckets WHERE orders <> 0 OR shipped <> 0 OR cancelled <> 0
            ORDER BY shop_id, bucket",
        "SELECT * FROM delivered_order_buckets WHERE orders <> 0 ORDER BY shop_id, bucket",
        "SELECT * FROM delivered_product_days WHERE orders <> 0
            ORDER BY shop_id, utc_day, product_id",
        "SELECT * FROM delivered_sku_days WHERE orders <> 0
            ORDER BY shop_id, utc_day, product_id, sku_id",
        "SELECT * FROM repeat_buckets
            WHERE orders <> 0 OR repeat_30d <> 0 OR repeat_60d <> 0 OR repeat_90d <> 0
            ORDER BY shop_id, bucket",
    ] {
        assert_eq!(
            sqlite_rows(&bulk, sql),
            sqlite_rows(&one_by_one, sql),
            "{sql}"
        );
    }
    let repeats = sqlite_rows(
        &one_by_one,
        "SELECT SUM(repeat_30d), SUM(repeat_90d) - SUM(repeat_30d) FROM repeat_buckets",
    );
    assert!(
        repeats[0]
            .iter()
            .all(|sum| matches!(sum, rusqlite::types::Value::Integer(n) if *n > 0)),
        "the stream should hold repeats within and beyond 30 days: {repeats:?}"
    );
    drop((bulk_store, reference));
    bulk.cleanup().await;
    one_by_one.cleanup().await;
}
