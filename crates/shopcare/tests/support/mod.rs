//! Test harness for the `shopcare` binary: an in-process platform double, a scratch
//! directory, and the binary run with the environment that points it at the double.

#![allow(dead_code)] // each test binary uses a different part of the harness

use shopcare_platform_double::{
    DoubleConfig, DoubleHandle, Faults, PlatformDouble, WebhookConfig, WorldConfig,
};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub const APP_KEY: &str = "testappkey";
pub const APP_SECRET: &str = "test-app-secret";
pub const AUTH_CODE: &str = "test-auth-code";
/// A fixed 32-byte key (base64) so every process of a test can read the tokens.
pub const SECRET_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

pub fn world(shops: u32, orders: u64) -> WorldConfig {
    WorldConfig {
        shops,
        orders,
        days: 60,
        seed: 11,
        as_of: chrono::Utc::now().date_naive(),
    }
}

pub async fn start_double(
    world: WorldConfig,
    faults: Faults,
    webhook_url: Option<String>,
) -> DoubleHandle {
    PlatformDouble::start(DoubleConfig {
        app_key: APP_KEY.to_owned(),
        app_secret: APP_SECRET.to_owned(),
        seller_auth_code: AUTH_CODE.to_owned(),
        world,
        faults,
        webhook: webhook_url.map(|url| WebhookConfig {
            url,
            time_scale: 600.0,
        }),
        ..DoubleConfig::default()
    })
    .await
    .expect("the platform double starts")
}

/// Registers another single-use authorization code on the double.
pub async fn add_auth_code(double: &DoubleHandle, code: &str) {
    let response = reqwest::Client::new()
        .post(format!("{}/_double/auth_codes", double.base_url()))
        .json(&serde_json::json!({ "code": code }))
        .send()
        .await
        .expect("control route answers");
    assert!(response.status().is_success(), "{}", response.status());
}

pub fn scratch() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("shopcare-test-")
        .tempdir()
        .expect("temp dir")
}

pub fn sqlite_url(dir: &Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(name).display())
}

/// The binary with the environment pointing at `double`.
pub fn shopcare(double: &DoubleHandle, dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_shopcare"));
    command
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("SHOPCARE_TIKTOK_APP_KEY", APP_KEY)
        .env("SHOPCARE_TIKTOK_APP_SECRET", APP_SECRET)
        .env("SHOPCARE_TIKTOK_API_URL", double.base_url())
        .env("SHOPCARE_TIKTOK_AUTH_URL", double.base_url())
        .env("SHOPCARE_SECRET_KEY", SECRET_KEY);
    command
}

pub fn run_ok(command: &mut Command) -> Output {
    let output = command.output().expect("shopcare runs");
    assert!(
        output.status.success(),
        "shopcare failed: {}\nstdout: {}\nstderr: {}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Tables that hold what shopcare knows about the shops (not its bookkeeping).
pub const ENTITY_TABLES: &[&str] = &[
    "shops",
    "seller_shops",
    "orders",
    "order_line_items",
    "packages",
    "order_tracking",
    "tracking_events",
    "after_sales_cases",
    "case_next_actions",
    "case_line_items",
    "cancellations",
    "cancellation_next_actions",
    "conversations",
    "messages",
    "products",
    "skus",
    "reviews",
];

/// Every row of every entity table, rendered and sorted: equal dumps mean equal content.
pub fn dump_entities(path: &PathBuf) -> Vec<(String, Vec<String>)> {
    let connection =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the database");
    ENTITY_TABLES
        .iter()
        .map(|table| {
            let mut statement = connection
                .prepare(&format!("SELECT * FROM {table}"))
                .expect("table exists");
            let columns = statement.column_count();
            let mut rows: Vec<String> = statement
                .query_map([], |row| {
                    (0..columns)
                        .map(|index| {
                            row.get::<_, rusqlite::types::Value>(index)
                                .map(|value| format!("{value:?}"))
                        })
                        .collect::<Result<Vec<_>, _>>()
                        .map(|values| values.join("|"))
                })
                .expect("query")
                .collect::<Result<_, _>>()
                .expect("rows");
            rows.sort();
            (table.to_string(), rows)
        })
        .collect()
}

pub fn count_rows(path: &PathBuf, table: &str) -> i64 {
    let connection =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open the database");
    connection
        .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
            row.get(0)
        })
        .expect("count")
}
