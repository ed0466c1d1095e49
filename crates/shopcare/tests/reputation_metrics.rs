//! `shopcare metrics` against counts computed independently from `shopcare generate`
//! files: delivered orders by delivery time and 1–2★ reviews by review time over the 30
//! and 60 complete days before the as-of date, in each shop's time zone, per shop and
//! (30 days) per product and per SKU.

use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

fn shopcare(dir: &Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_shopcare"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("shopcare runs");
    assert!(
        output.status.success(),
        "shopcare {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Splits RFC 4180 CSV text into records of fields (quoted fields may hold commas,
/// doubled quotes and newlines).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut field) = (Vec::new(), String::new());
    let mut in_quotes = false;
    let mut chars = text.chars().peekable();
    while let Some(character) = chars.next() {
        match (in_quotes, character) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => in_quotes = false,
            (true, other) => field.push(other),
            (false, '"') => in_quotes = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, other) => field.push(other),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// `[start, end)` in Unix seconds: local midnights `days` days before `as_of` and of it.
fn window(zone: Tz, as_of: NaiveDate, days: i64) -> (i64, i64) {
    let midnight = |date: NaiveDate| {
        zone.from_local_datetime(&date.and_hms_opt(0, 0, 0).unwrap())
            .earliest()
            .unwrap()
            .timestamp()
    };
    (
        midnight(as_of - chrono::Duration::days(days)),
        midnight(as_of),
    )
}

#[test]
fn metrics_counts_equal_an_independent_count_of_the_generated_files() {
    let dir = tempfile::tempdir().unwrap();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    shopcare(
        dir.path(),
        &[
            "generate",
            "--shops",
            "3",
            "--orders",
            "4000",
            "--days",
            "75",
            "--seed",
            "11",
            "--as-of",
            "2026-11-01",
            "--out",
            "gen",
        ],
    );
    let db = "sqlite://metrics.db";
    shopcare(
        dir.path(),
        &["import", "orders", "--db", db, "gen/orders.jsonl"],
    );
    shopcare(
        dir.path(),
        &["import", "reviews", "--db", db, "gen/reviews.csv"],
    );
    let report: Value = serde_json::from_str(&shopcare(
        dir.path(),
        &[
            "metrics",
            "--db",
            db,
            "--as-of",
            "2026-11-01",
            "--json",
            "--shops",
            "gen/shops.json",
        ],
    ))
    .unwrap();

    let shops: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("gen/shops.json")).unwrap())
            .unwrap();
    let zones: HashMap<String, Tz> = shops["shops"]
        .as_array()
        .unwrap()
        .iter()
        .map(|shop| {
            (
                shop["id"].as_str().unwrap().to_owned(),
                shop["time_zone"].as_str().unwrap().parse().unwrap(),
            )
        })
        .collect();
    let mut expected: HashMap<(String, i64), (u64, u64)> = HashMap::new();
    // Per shop and product / SKU over 30 days: orders holding at least one unit of it.
    let mut product_orders: HashMap<(String, String), u64> = HashMap::new();
    let mut sku_orders: HashMap<(String, String, String), u64> = HashMap::new();
    let orders = std::fs::read_to_string(dir.path().join("gen/orders.jsonl")).unwrap();
    for line in orders.lines() {
        let order: Value = serde_json::from_str(line).unwrap();
        let shop = order["shop_id"].as_str().unwrap().to_owned();
        let Some(delivered) = order["delivery_time"].as_i64() else {
            continue;
        };
        for days in [30, 60] {
            let (start, end) = window(zones[&shop], as_of, days);
            if (start..end).contains(&delivered) {
                expected.entry((shop.clone(), days)).or_default().0 += 1;
            }
        }
        let (start, end) = window(zones[&shop], as_of, 30);
        if (start..end).contains(&delivered) {
            let mut products = std::collections::BTreeSet::new();
            let mut skus = std::collections::BTreeSet::new();
            for item in order["line_items"].as_array().unwrap() {
                let product = item["product_id"].as_str().unwrap().to_owned();
                skus.insert((product.clone(), item["sku_id"].as_str().unwrap().to_owned()));
                products.insert(product);
            }
            for product in products {
                *product_orders.entry((shop.clone(), product)).or_default() += 1;
            }
            for (product, sku) in skus {
                *sku_orders.entry((shop.clone(), product, sku)).or_default() += 1;
            }
        }
    }
    assert!(
        sku_orders.len() > product_orders.len(),
        "products come in several SKUs"
    );
    let reviews = parse_csv(&std::fs::read_to_string(dir.path().join("gen/reviews.csv")).unwrap());
    let header = &reviews[0];
    let column = |name: &str| header.iter().position(|field| field == name).unwrap();
    let (shop_column, rating_column, time_column) =
        (column("shop_id"), column("rating"), column("created_at"));
    // The star trend: the 8 complete Monday-to-Sunday weeks before the as-of day
    // (2026-11-01 is a Sunday, so the last one ends on Monday 26 October), local time.
    let trend_start = NaiveDate::from_ymd_opt(2026, 8, 31).unwrap();
    let mut weekly: HashMap<(String, i64), (u64, u64)> = HashMap::new();
    for review in &reviews[1..] {
        let shop = review[shop_column].clone();
        let created = chrono::DateTime::parse_from_rfc3339(&review[time_column])
            .unwrap()
            .with_timezone(&zones[&shop])
            .date_naive();
        let week = (created - trend_start).num_days().div_euclid(7);
        if (0..8).contains(&week) {
            let entry = weekly.entry((shop, week)).or_default();
            entry.0 += 1;
            entry.1 += review[rating_column].parse::<u64>().unwrap();
        }
    }
    assert!(
        weekly.values().map(|(count, _)| count).sum::<u64>() > 100,
        "the trend weeks hold reviews"
    );
    for review in &reviews[1..] {
        if review[rating_column].parse::<u8>().unwrap() > 2 {
            continue;
        }
        let shop = review[shop_column].clone();
        let created = chrono::DateTime::parse_from_rfc3339(&review[time_column])
            .unwrap()
            .timestamp();
        for days in [30, 60] {
            let (start, end) = window(zones[&shop], as_of, days);
            if (start..end).contains(&created) {
                expected.entry((shop.clone(), days)).or_default().1 += 1;
            }
        }
    }

    let reported = report["shops"].as_array().unwrap();
    assert_eq!(reported.len(), 3);
    let mut checked_negatives = 0;
    for shop in reported {
        let id = shop["shop_id"].as_str().unwrap().to_owned();
        let month = expected.get(&(id.clone(), 30)).copied().unwrap_or_default();
        let two_months = expected.get(&(id.clone(), 60)).copied().unwrap_or_default();
        assert_eq!(shop["delivered_orders_30d"], month.0, "shop {id}");
        assert_eq!(shop["negative_reviews_30d"], month.1, "shop {id}");
        assert_eq!(shop["delivered_orders_60d"], two_months.0, "shop {id}");
        assert_eq!(shop["negative_reviews_60d"], two_months.1, "shop {id}");
        let seller = shop["seller_related_negative_reviews_30d"]
            .as_u64()
            .unwrap();
        assert!(seller <= month.1);
        checked_negatives += month.1;
        // Every product and SKU delivered in the window is listed with its own count,
        // and its SNRR is its seller-related negatives over that count.
        let products = shop["products"].as_array().unwrap();
        let mut listed_products = 0;
        let mut listed_skus = 0;
        for product in products {
            let product_id = product["product_id"].as_str().unwrap().to_owned();
            let delivered = product_orders
                .get(&(id.clone(), product_id.clone()))
                .copied()
                .unwrap_or_default();
            assert_eq!(product["delivered_orders"], delivered, "{id} {product_id}");
            listed_products += u64::from(delivered > 0);
            let seller = product["seller_related_negative_reviews"].as_u64().unwrap();
            if delivered > 0 {
                let snrr = product["snrr"].as_f64().unwrap();
                assert!((snrr - seller as f64 / delivered as f64).abs() < 1e-12);
            }
            for sku in product["skus"].as_array().unwrap() {
                let sku_id = sku["sku_id"].as_str().unwrap().to_owned();
                let delivered = sku_orders
                    .get(&(id.clone(), product_id.clone(), sku_id.clone()))
                    .copied()
                    .unwrap_or_default();
                assert_eq!(sku["delivered_orders"], delivered, "{id} {sku_id}");
                listed_skus += u64::from(delivered > 0);
            }
        }
        let shop_products = product_orders.keys().filter(|key| key.0 == id).count();
        let shop_skus = sku_orders.keys().filter(|key| key.0 == id).count();
        assert_eq!(listed_products, shop_products as u64, "shop {id}");
        assert_eq!(listed_skus, shop_skus as u64, "shop {id}");
        let trend = shop["star_trend"].as_array().unwrap();
        assert_eq!(trend.len(), 8, "shop {id}");
        for (week, reported_week) in trend.iter().enumerate() {
            let start = trend_start + chrono::Duration::weeks(week as i64);
            assert_eq!(reported_week["week_start"], start.to_string());
            let (count, stars) = weekly
                .get(&(id.clone(), week as i64))
                .copied()
                .unwrap_or_default();
            assert_eq!(reported_week["reviews"], count, "shop {id} week {start}");
            if count > 0 {
                let mean = (stars as f64 / count as f64 * 100.0).round() / 100.0;
                assert_eq!(reported_week["average_rating"].as_f64(), Some(mean));
            }
        }
    }
    assert!(
        checked_negatives > 0,
        "the generated data has negative reviews"
    );
}
