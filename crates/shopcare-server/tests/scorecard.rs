//! The weekly scorecard's SNRR line, summed from aggregate buckets read once, equals the
//! metrics report's 30-day SNRR at the end of each week, shop by shop, on a generated
//! world (several time zones) imported into SQLite.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use shopcare_core::{Currency, Shop, ShopId};
use shopcare_platform_double::{write_files, World, WorldConfig};
use shopcare_server::console::scorecard::scorecard;
use shopcare_server::import::reviews::{import_reviews, ReviewImportOptions};
use shopcare_server::metrics::{shop_metrics, MetricTargets};
use shopcare_store::{open_store, SecretKey, Store};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weekly_snrr_equals_the_metrics_at_each_week_end() {
    let dir = tempfile::tempdir().expect("dir");
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 20).expect("date");
    let world = World::generate(&WorldConfig {
        shops: 3,
        orders: 6_000,
        days: 120,
        seed: 7,
        as_of,
    })
    .expect("world");
    write_files(&world, dir.path()).expect("files");
    let url = format!("sqlite://{}", dir.path().join("store.db").display());
    let store: Arc<dyn Store> = open_store(&url, &SecretKey::from_bytes([3; 32]))
        .await
        .expect("store");
    let shops: Vec<Shop> = world
        .shops
        .iter()
        .map(|shop| Shop {
            id: ShopId::new(shop.id.as_str()),
            cipher: shop.cipher.clone(),
            name: shop.name.clone(),
            region: shop.region.to_owned(),
            currency: Currency::parse(shop.currency).expect("currency"),
            time_zone: shop.time_zone.parse().expect("zone"),
        })
        .collect();
    store.upsert_shops(&shops).await.expect("shops stored");
    let orders = std::io::BufReader::new(
        std::fs::File::open(dir.path().join("orders.jsonl")).expect("orders"),
    );
    shopcare_server::import::orders::import_orders(&store, orders, false)
        .await
        .expect("orders imported");
    import_reviews(
        &store,
        "reviews.csv",
        &std::fs::read(dir.path().join("reviews.csv")).expect("reviews"),
        &ReviewImportOptions::default(),
    )
    .await
    .expect("reviews imported");

    let now = Utc.from_utc_datetime(&as_of.and_hms_opt(12, 0, 0).expect("noon"));
    let targets = MetricTargets::default();
    let (mut compared, mut nonzero) = (0, 0);
    for shop in &shops {
        let card = scorecard(&store, shop, &targets, now).await.expect("card");
        let snrr = card
            .metrics
            .iter()
            .find(|metric| metric.key == "snrr")
            .expect("an SNRR line");
        for (week, value) in card.weeks.iter().zip(&snrr.values) {
            let end = *week + Duration::weeks(1);
            let metrics = shop_metrics(&store, shop, end, &targets)
                .await
                .expect("metrics");
            let expected = metrics.snrr_30d.map(|rate| rate * 100.0);
            match (value, expected) {
                (Some(value), Some(expected)) => {
                    assert!(
                        (value - expected).abs() < 1e-9,
                        "{week}: {value} vs {expected}"
                    );
                    compared += 1;
                    nonzero += usize::from(expected > 0.0);
                }
                (value, expected) => assert_eq!(*value, expected, "{week}"),
            }
        }
    }
    assert!(
        compared > 20,
        "most weeks have delivered orders ({compared})"
    );
    assert!(
        nonzero > 10,
        "most weeks have seller-related negatives ({nonzero})"
    );
}
