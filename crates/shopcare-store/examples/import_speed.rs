//! Measures bulk `apply` into SQLite against the `sqlite3` shell loading the same
//! orders' core columns from CSV.
//!
//! `cargo run --release -p shopcare-store --example import_speed -- [ORDERS] [DIR]`
//! writes DIR/store.db through the store and DIR/orders.csv for the comparison, then
//! prints the store's orders/s and the `sqlite3` command to time against it. It also
//! times webhook group commits (100,000 events, 500 per call).

#[path = "../tests/contract_suite/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;

use shopcare_store::{open_store, Record, SecretKey};
use std::io::Write;
use std::time::Instant;

const BATCH: usize = 5_000;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut arguments = std::env::args().skip(1);
    let count: usize = arguments
        .next()
        .map(|value| value.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let directory = std::path::PathBuf::from(
        arguments
            .next()
            .unwrap_or_else(|| "/tmp/shopcare-import-speed".to_owned()),
    );
    std::fs::create_dir_all(&directory)?;
    for name in [
        "store.db",
        "store.db-wal",
        "store.db-shm",
        "orders.csv",
        "csv.db",
    ] {
        let _ = std::fs::remove_file(directory.join(name));
    }

    let records: Vec<Record> = (0..count)
        .map(|index| {
            let id = format!("{}", 576_000_000_000_000_000u64 + index as u64);
            Record::Order(fixtures::order(
                &id,
                "7495000000000000001",
                1_700_000_000 + index as i64,
                1 + index % 3,
            ))
        })
        .collect();

    let mut csv = std::io::BufWriter::new(std::fs::File::create(directory.join("orders.csv"))?);
    for record in &records {
        if let Record::Order(order) = record {
            writeln!(
                csv,
                "{},{},{},{},{},{},{},{}",
                order.id,
                order.shop_id,
                order.status,
                order.buyer,
                order.create_time.timestamp(),
                order.update_time.timestamp(),
                order
                    .ship_by_time
                    .map(|time| time.timestamp())
                    .unwrap_or_default(),
                order
                    .total
                    .as_ref()
                    .map(|total| total.amount_string())
                    .unwrap_or_default(),
            )?;
        }
    }
    csv.flush()?;

    let url = format!("sqlite://{}", directory.join("store.db").display());
    let store = open_store(&url, &SecretKey::generate()).await?;
    let started = Instant::now();
    let mut line_items = 0;
    for batch in records.chunks(BATCH) {
        store.apply(batch, None).await?;
    }
    let elapsed = started.elapsed();
    for record in &records {
        if let Record::Order(order) = record {
            line_items += order.line_items.len();
        }
    }
    println!(
        "store.apply: {count} orders ({line_items} line items) in {:.2} s = {:.0} orders/s",
        elapsed.as_secs_f64(),
        count as f64 / elapsed.as_secs_f64()
    );

    // Webhook group commit: 100,000 events recorded 500 per call, each with its job.
    let events: Vec<shopcare_store::InboundWebhook> = (0..100_000)
        .map(|index| shopcare_store::InboundWebhook {
            notification_id: format!("7000000000{index:09}"),
            event_type: 1,
            shop_id: Some("7495000000000000001".into()),
            timestamp: Some(1_700_000_000),
            body: format!(
                r#"{{"type":1,"data":{{"order_id":"{index}","order_status":"AWAITING_SHIPMENT"}}}}"#
            ),
            received_at: fixtures::ts(1_700_000_000),
        })
        .collect();
    let started = Instant::now();
    for batch in events.chunks(500) {
        store.record_webhook_events(batch).await?;
    }
    let elapsed = started.elapsed();
    println!(
        "record_webhook_events: {} events in {:.2} s = {:.0} events/s",
        events.len(),
        elapsed.as_secs_f64(),
        events.len() as f64 / elapsed.as_secs_f64()
    );
    println!(
        "compare: time sqlite3 {dir}/csv.db \"CREATE TABLE orders (order_id TEXT PRIMARY KEY, shop_id TEXT, status TEXT, buyer_id TEXT, create_time INTEGER, update_time INTEGER, ship_by_time INTEGER, total_amount TEXT);\" \".mode csv\" \".import {dir}/orders.csv orders\"",
        dir = directory.display()
    );
    Ok(())
}
