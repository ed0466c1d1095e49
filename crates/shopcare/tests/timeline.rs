//! `shopcare timeline preview --db URL [--shop ID] --date YYYY-MM-DD --json` and the
//! template/SKU commands, run as the real binary on a store prepared in-process: the dry
//! run lists what would go out on the shop's local day, with the shop's own template, and
//! what is suppressed and why; bad templates and dates are refused with a clear error.

mod support;

use chrono::TimeZone;
use shopcare_core::{
    BuyerId, CancelStatus, Cancellation, Currency, LineItem, Order, OrderId, OrderStatus, Shop,
    ShopId, SkuId, Timestamp,
};
use shopcare_store::{open_store, Record, SecretKey};
use std::path::Path;
use std::process::{Command, Output};
use support::{run_ok, scratch, sqlite_url, SECRET_KEY};

fn utc(day: u32, hour: u32, minute: u32) -> Timestamp {
    chrono::Utc
        .with_ymd_and_hms(2026, 3, day, hour, minute, 0)
        .single()
        .expect("time")
}

fn order(id: &str, paid: Timestamp) -> Order {
    Order {
        id: OrderId::new(id),
        shop_id: ShopId::new("shop-th"),
        status: OrderStatus::AwaitingShipment,
        buyer: BuyerId::new(format!("buyer-{id}")),
        create_time: paid,
        update_time: paid,
        paid_time: Some(paid),
        ship_by_time: None,
        shipped_time: None,
        delivery_time: None,
        total: None,
        cancel_reason: None,
        cancellation_initiator: None,
        shipping_provider: None,
        tracking_number: None,
        is_replacement_order: false,
        line_items: vec![LineItem {
            id: format!("{id}-1").into(),
            product_id: "P-1".into(),
            sku_id: SkuId::new("SKU-LAMP"),
            product_name: "Desk lamp".to_owned(),
            sku_name: "White".to_owned(),
            seller_sku: "LAMP".to_owned(),
            sale_price: None,
            package_id: None,
            package_status: None,
            display_status: None,
        }],
        package_ids: Vec::new(),
    }
}

/// A Bangkok shop with three orders: A paid at 23:30 local on 1 March (its confirmation
/// waits for 09:00 on 2 March), B paid on 2 March with a cancellation request, C delivered
/// on 20 February (its 10-day review request falls on 2 March).
async fn prepare(url: &str) {
    let key = SecretKey::from_base64(SECRET_KEY).expect("key");
    let store = open_store(url, &key).await.expect("store");
    store
        .upsert_shops(&[Shop {
            id: ShopId::new("shop-th"),
            cipher: "cipher-th".to_owned(),
            name: "Lumen".to_owned(),
            region: "TH".to_owned(),
            currency: Currency::parse("THB").expect("currency"),
            time_zone: chrono_tz::Tz::Asia__Bangkok,
        }])
        .await
        .expect("shop");
    let mut delivered = order("C", utc(17, 0, 0) - chrono::Duration::days(25));
    delivered.status = OrderStatus::Delivered;
    delivered.delivery_time = Some(utc(1, 10, 0) - chrono::Duration::days(9));
    delivered.update_time = utc(1, 10, 0);
    let cancellation = Cancellation {
        id: "cancel-B".into(),
        shop_id: ShopId::new("shop-th"),
        order_id: OrderId::new("B"),
        cancel_type: "BUYER_CANCEL".to_owned(),
        status: CancelStatus::Pending,
        role: None,
        reason: None,
        reason_text: None,
        refund_total: None,
        next_actions: Vec::new(),
        create_time: utc(2, 3, 5),
        update_time: utc(2, 3, 5),
    };
    store
        .apply(
            &[
                Record::Order(order("A", utc(1, 16, 30))),
                Record::Order(order("B", utc(2, 3, 0))),
                Record::Order(delivered),
                Record::Cancellation(cancellation),
            ],
            None,
        )
        .await
        .expect("apply");
}

fn shopcare(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shopcare"));
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SHOPCARE_SECRET_KEY", SECRET_KEY);
    command
}

fn preview(dir: &Path, url: &str, date: &str) -> serde_json::Value {
    let output = run_ok(shopcare(dir).args([
        "timeline", "preview", "--db", url, "--shop", "shop-th", "--date", date, "--json",
    ]));
    serde_json::from_slice(&output.stdout).expect("preview prints JSON")
}

fn failed(output: &Output) -> String {
    assert!(!output.status.success(), "expected a failure");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn preview_lists_the_day_with_reasons_and_shop_templates() {
    let dir = scratch();
    let url = sqlite_url(dir.path(), "timeline.db");
    prepare(&url).await;

    let refused = shopcare(dir.path())
        .args([
            "timeline",
            "template",
            "set",
            "--db",
            &url,
            "--shop",
            "shop-th",
            "--trigger",
            "order_confirmation",
            "--language",
            "th",
            "--text",
            "ขอบคุณ {nickname}",
        ])
        .output()
        .expect("runs");
    assert!(failed(&refused).contains("unknown variable {nickname}"));
    let missing = shopcare(dir.path())
        .args([
            "timeline",
            "template",
            "set",
            "--db",
            &url,
            "--shop",
            "shop-th",
            "--trigger",
            "order_confirmation",
            "--language",
            "th",
            "--text",
            "ขอบคุณที่สั่ง {item} ค่ะ",
        ])
        .output()
        .expect("runs");
    assert!(failed(&missing).contains("{processing_days}"));
    run_ok(shopcare(dir.path()).args([
        "timeline",
        "template",
        "set",
        "--db",
        &url,
        "--shop",
        "shop-th",
        "--trigger",
        "order_confirmation",
        "--language",
        "th",
        "--text",
        "ขอบคุณที่สั่ง {item} ({variant}) ค่ะ ร้านจะส่งของภายใน {processing_days} วัน",
    ]));

    let day = preview(dir.path(), &url, "2026-03-02");
    assert_eq!(day["date"], "2026-03-02");
    let messages = day["messages"].as_array().expect("messages");
    let summary: Vec<(&str, &str, &str, &str)> = messages
        .iter()
        .map(|entry| {
            (
                entry["order_id"].as_str().unwrap_or_default(),
                entry["trigger"].as_str().unwrap_or_default(),
                entry["status"].as_str().unwrap_or_default(),
                entry["due_at"].as_str().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            (
                "A",
                "order_confirmation",
                "would_send",
                "2026-03-02T02:00:00Z"
            ),
            (
                "B",
                "order_confirmation",
                "suppressed",
                "2026-03-02T03:00:00Z"
            ),
            ("C", "review_request", "would_send", "2026-03-02T10:00:00Z"),
        ],
        "{day:#}"
    );
    assert_eq!(
        messages[0]["text"],
        "ขอบคุณที่สั่ง Desk lamp (White) ค่ะ ร้านจะส่งของภายใน 2 วัน"
    );
    assert_eq!(messages[0]["template_key"], "order_confirmation:th");
    assert!(messages[1]["reason"]
        .as_str()
        .unwrap_or_default()
        .contains("cancellation"));
    assert_eq!(messages[2]["template_key"], "review_request:th");

    // A was paid late on 1 March, but its message belongs to the 2nd.
    let before = preview(dir.path(), &url, "2026-03-01");
    assert_eq!(before["messages"], serde_json::json!([]), "{before:#}");

    let bad_date = shopcare(dir.path())
        .args([
            "timeline",
            "preview",
            "--db",
            &url,
            "--date",
            "2026-13-01",
            "--json",
        ])
        .output()
        .expect("runs");
    assert!(failed(&bad_date).contains("2026-13-01"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sku_settings_turn_on_the_help_message() {
    let dir = scratch();
    let url = sqlite_url(dir.path(), "timeline.db");
    prepare(&url).await;
    let refused = shopcare(dir.path())
        .args([
            "timeline",
            "sku",
            "set",
            "--db",
            &url,
            "--shop",
            "shop-th",
            "--sku",
            "SKU-LAMP",
            "--help-message",
        ])
        .output()
        .expect("runs");
    assert!(failed(&refused).contains("--confusion"));
    run_ok(shopcare(dir.path()).args([
        "timeline",
        "sku",
        "set",
        "--db",
        &url,
        "--shop",
        "shop-th",
        "--sku",
        "SKU-LAMP",
        "--confusion",
        "การประกอบ",
        "--help-message",
    ]));
    // C was delivered 20 Feb 10:00 UTC (17:00 local); day 3 is 23 Feb.
    let day = preview(dir.path(), &url, "2026-02-23");
    let help: Vec<&serde_json::Value> = day["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|entry| entry["trigger"] == "help_after_delivery")
        .collect();
    assert_eq!(help.len(), 1, "{day:#}");
    assert_eq!(help[0]["order_id"], "C");
    assert!(help[0]["text"]
        .as_str()
        .unwrap_or_default()
        .contains("การประกอบ"));
}
