//! Files: exact names and shapes, parse back, counts match, deterministic bytes.

use crate::harness::world_config;
use serde_json::Value;
use shopcare_platform_double::{write_files, World};
use std::path::Path;

fn generate_into(dir: &Path, seed: u64) -> World {
    let mut config = world_config(3_000);
    config.seed = seed;
    let world = World::generate(&config).unwrap();
    write_files(&world, dir).unwrap();
    world
}

fn lines(path: &Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn files_parse_and_their_counts_match_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let world = generate_into(dir.path(), 5);
    let shops: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("shops.json")).unwrap())
            .unwrap();
    assert_eq!(shops["as_of"], "2026-11-01");
    assert_eq!(shops["shops"].as_array().unwrap().len(), 3);
    for key in ["id", "name", "region", "currency", "time_zone"] {
        assert!(shops["shops"][0][key].is_string(), "{key}");
    }

    let orders = lines(&dir.path().join("orders.jsonl"));
    assert_eq!(orders.len(), 3_000);
    for order in &orders {
        assert!(order["shop_id"].is_string());
        let delivered = matches!(order["status"].as_str().unwrap(), "DELIVERED" | "COMPLETED");
        assert_eq!(order["delivery_time"].is_u64(), delivered, "{order}");
        assert!(order["payment"]["total_amount"].is_string());
        assert!(!order["line_items"].as_array().unwrap().is_empty());
        let unpaid = matches!(order["status"].as_str().unwrap(), "UNPAID" | "ON_HOLD");
        if unpaid {
            assert!(order["recipient_address"].is_null());
        }
    }
    assert_eq!(
        lines(&dir.path().join("returns.jsonl")).len(),
        world.returns.len()
    );
    assert_eq!(
        lines(&dir.path().join("cancellations.jsonl")).len(),
        world.cancellations.len()
    );
    let conversations = lines(&dir.path().join("conversations.jsonl"));
    assert_eq!(conversations.len(), world.conversations.len());
    assert!(conversations[0]["messages"]
        .as_array()
        .is_some_and(|messages| !messages.is_empty()));

    let mut reader = csv::Reader::from_path(dir.path().join("reviews.csv")).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "review_id",
            "shop_id",
            "order_id",
            "product_id",
            "sku_id",
            "rating",
            "text",
            "created_at"
        ]
    );
    let mut count = 0;
    for record in reader.records() {
        let record = record.unwrap();
        let rating: u8 = record[5].parse().unwrap();
        assert!((1..=5).contains(&rating));
        assert!(chrono::DateTime::parse_from_rfc3339(&record[7]).is_ok());
        assert!(!record[6].is_empty());
        count += 1;
    }
    assert_eq!(count, world.reviews.len());
}

#[test]
fn the_same_seed_gives_identical_files_and_another_seed_different_ones() {
    let first = tempfile::tempdir().unwrap();
    let second = tempfile::tempdir().unwrap();
    let third = tempfile::tempdir().unwrap();
    generate_into(first.path(), 9);
    generate_into(second.path(), 9);
    generate_into(third.path(), 10);
    for name in [
        "shops.json",
        "orders.jsonl",
        "reviews.csv",
        "returns.jsonl",
        "cancellations.jsonl",
        "conversations.jsonl",
    ] {
        let a = std::fs::read(first.path().join(name)).unwrap();
        let b = std::fs::read(second.path().join(name)).unwrap();
        assert!(a == b, "{name} differs for the same seed");
    }
    let a = std::fs::read(first.path().join("orders.jsonl")).unwrap();
    let c = std::fs::read(third.path().join("orders.jsonl")).unwrap();
    assert!(a != c);
}

#[test]
fn served_orders_are_the_file_orders_without_shop_id() {
    let dir = tempfile::tempdir().unwrap();
    let world = generate_into(dir.path(), 5);
    let mut from_file = lines(&dir.path().join("orders.jsonl")).remove(17);
    from_file.as_object_mut().unwrap().remove("shop_id");
    let served = serde_json::to_value(world.order_view(17, false)).unwrap();
    assert_eq!(from_file, served);
}
