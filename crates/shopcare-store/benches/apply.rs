//! `apply` throughput on SQLite: 100,000 orders (1–3 line items each) in batches of
//! 5,000 into a fresh temporary database file, as `shopcare import orders` writes them.
//! Criterion reports the time per 100k orders and the throughput in orders/s.

#[path = "../tests/contract_suite/fixtures.rs"]
#[allow(dead_code)]
mod fixtures;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use shopcare_store::{open_store, Record, SecretKey};
use std::time::{Duration, Instant};

const ORDERS: usize = 100_000;
const BATCH: usize = 5_000;

fn orders() -> Vec<Record> {
    (0..ORDERS)
        .map(|index| {
            let id = format!("{}", 576_000_000_000_000_000u64 + index as u64);
            Record::Order(fixtures::order(
                &id,
                "7495000000000000001",
                1_700_000_000 + index as i64,
                1 + index % 3,
            ))
        })
        .collect()
}

fn apply_orders(criterion: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let records = orders();
    let mut group = criterion.benchmark_group("sqlite_apply");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::Elements(ORDERS as u64));
    group.bench_function("100k_orders_in_5k_batches", |bencher| {
        bencher.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let directory = tempfile::tempdir().expect("temporary directory");
                let url = format!("sqlite://{}", directory.path().join("bench.db").display());
                total += runtime.block_on(async {
                    let store = open_store(&url, &SecretKey::generate())
                        .await
                        .expect("open store");
                    let started = Instant::now();
                    for batch in records.chunks(BATCH) {
                        store.apply(batch, None).await.expect("apply batch");
                    }
                    started.elapsed()
                });
            }
            total
        });
    });
    group.finish();
}

criterion_group!(benches, apply_orders);
criterion_main!(benches);
