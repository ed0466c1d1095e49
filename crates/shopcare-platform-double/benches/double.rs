//! Throughput figures of the double: world generation, file writing and order sync
//! over HTTP (pages of 100). Run with `cargo bench -p shopcare-platform-double --bench double`;
//! `DOUBLE_BENCH_ORDERS` sets the world size (default 1,000,000).

use chrono::NaiveDate;
use shopcare_platform_double::server::signature::request_signature;
use shopcare_platform_double::{write_files, DoubleConfig, PlatformDouble, World, WorldConfig};
use std::time::Instant;

fn peak_rss_mib() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .map(|line| line.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".to_string())
}

fn main() {
    let orders: u64 = std::env::var("DOUBLE_BENCH_ORDERS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(1_000_000);
    let config = WorldConfig {
        shops: 10,
        orders,
        days: 90,
        seed: 1,
        as_of: NaiveDate::from_ymd_opt(2026, 11, 1).expect("valid date"),
    };
    let started = Instant::now();
    let world = World::generate(&config).expect("world");
    let generation = started.elapsed();
    println!(
        "generate {orders} orders: {:.2} s ({} reviews, {} returns, {} conversations); peak RSS {}",
        generation.as_secs_f64(),
        world.reviews.len(),
        world.returns.len(),
        world.conversations.len(),
        peak_rss_mib()
    );
    let started = Instant::now();
    let mut buffer = Vec::with_capacity(1 << 16);
    let mut bytes = 0usize;
    for order in 0..world.orders.len() as u32 {
        buffer.clear();
        serde_json::to_writer(&mut buffer, &world.order_view(order, false)).expect("order json");
        bytes += buffer.len();
    }
    let rendering = started.elapsed();
    println!(
        "render order JSON in memory: {:.2} s ({:.0} orders/s, {} bytes per order)",
        rendering.as_secs_f64(),
        orders as f64 / rendering.as_secs_f64(),
        bytes / world.orders.len().max(1)
    );
    let dir = std::env::temp_dir().join(format!("double-bench-{}", std::process::id()));
    let started = Instant::now();
    write_files(&world, &dir).expect("files");
    let writing = started.elapsed();
    println!(
        "write files: {:.2} s ({:.0} orders/s); peak RSS {}",
        writing.as_secs_f64(),
        orders as f64 / writing.as_secs_f64(),
        peak_rss_mib()
    );
    let _ = std::fs::remove_dir_all(&dir);
    drop(world);

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(sync_figures(config));
}

async fn sync_figures(world: WorldConfig) {
    let config = DoubleConfig {
        world,
        ..DoubleConfig::default()
    };
    let (key, secret, code) = (
        config.app_key.clone(),
        config.app_secret.clone(),
        config.seller_auth_code.clone(),
    );
    let double = PlatformDouble::start(config).await.expect("double");
    let http = reqwest::Client::new();
    let token: serde_json::Value = http
        .get(format!(
            "{}/api/v2/token/get?app_key={key}&app_secret={secret}&auth_code={code}&grant_type=authorized_code",
            double.base_url()
        ))
        .send()
        .await
        .expect("token")
        .json()
        .await
        .expect("token json");
    let token = token["data"]["access_token"]
        .as_str()
        .expect("token")
        .to_string();
    let shops = double.shops();
    let base_url = double.base_url();
    let started = Instant::now();
    let mut synced = 0usize;
    for shop in &shops {
        synced += sync_shop(&http, &base_url, &key, &secret, &token, &shop.cipher).await;
    }
    let elapsed = started.elapsed();
    println!(
        "sync {synced} orders over HTTP, pages of 100, shops one after another: {:.2} s ({:.0} orders/s); peak RSS {}",
        elapsed.as_secs_f64(),
        synced as f64 / elapsed.as_secs_f64(),
        peak_rss_mib()
    );
    let started = Instant::now();
    let tasks: Vec<_> = shops
        .iter()
        .map(|shop| {
            let (http, base_url, key, secret, token, cipher) = (
                http.clone(),
                base_url.clone(),
                key.clone(),
                secret.clone(),
                token.clone(),
                shop.cipher.clone(),
            );
            tokio::spawn(async move {
                sync_shop(&http, &base_url, &key, &secret, &token, &cipher).await
            })
        })
        .collect();
    let mut synced = 0usize;
    for task in tasks {
        synced += task.await.expect("sync task");
    }
    let elapsed = started.elapsed();
    println!(
        "sync {synced} orders over HTTP, pages of 100, all shops at once: {:.2} s ({:.0} orders/s); peak RSS {}",
        elapsed.as_secs_f64(),
        synced as f64 / elapsed.as_secs_f64(),
        peak_rss_mib()
    );
    double.shutdown().await;
}

#[derive(serde::Deserialize)]
struct Page {
    code: i64,
    data: PageData,
}

#[derive(serde::Deserialize)]
struct PageData {
    orders: Vec<OrderId>,
    next_page_token: String,
}

#[derive(serde::Deserialize)]
struct OrderId {
    id: String,
}

/// Pages through one shop's orders by `update_time` ASC; returns how many it saw.
async fn sync_shop(
    http: &reqwest::Client,
    base_url: &str,
    key: &str,
    secret: &str,
    token: &str,
    cipher: &str,
) -> usize {
    let path = "/order/202309/orders/search";
    let body = br#"{"update_time_ge":0}"#;
    let mut synced = 0;
    let mut page_token = String::new();
    loop {
        let mut query = vec![
            ("app_key".to_string(), key.to_string()),
            (
                "timestamp".to_string(),
                chrono::Utc::now().timestamp().to_string(),
            ),
            ("shop_cipher".to_string(), cipher.to_string()),
            ("page_size".to_string(), "100".to_string()),
            ("sort_field".to_string(), "update_time".to_string()),
            ("sort_order".to_string(), "ASC".to_string()),
        ];
        if !page_token.is_empty() {
            query.push(("page_token".to_string(), page_token.clone()));
        }
        let sign = request_signature(secret, path, &query, Some("application/json"), body);
        query.push(("sign".to_string(), sign));
        let mut url = url::Url::parse(&format!("{base_url}{path}")).expect("url");
        url.query_pairs_mut().extend_pairs(query.iter());
        let bytes = http
            .post(url)
            .header("x-tts-access-token", token)
            .header("content-type", "application/json")
            .body(body.to_vec())
            .send()
            .await
            .expect("page")
            .bytes()
            .await
            .expect("page body");
        let page: Page = serde_json::from_slice(&bytes).expect("page json");
        assert_eq!(page.code, 0);
        synced += page
            .data
            .orders
            .iter()
            .filter(|order| !order.id.is_empty())
            .count();
        page_token = page.data.next_page_token;
        if page_token.is_empty() {
            return synced;
        }
    }
}
