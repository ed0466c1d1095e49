//! Server-side render time of the console's pages (overview, review inbox, after-sales
//! queue, weekly scorecard) over a SQLite store holding 1,000,000 orders of 5 shops over
//! 90 days, with their reviews and after-sales cases, as `shopcare bench ingest`
//! generates them (the platform double's world generator and `write_files`).
//!
//! Building that store takes minutes, so it is built once and kept under the target
//! directory (`console-bench-1m/`); later runs reuse it. Each measurement is one GET over
//! loopback HTTP, signed in as the owner, until the full page body is read.
//! `SHOPCARE_BENCH_ORDERS` overrides the order count (a separate cache per count).
//! The same store also times the metrics report behind `shopcare metrics`.

use chrono::{NaiveDate, TimeZone, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use shopcare_core::{Currency, Shop, ShopId};
use shopcare_platform_double::{write_files, World, WorldConfig};
use shopcare_server::clock::ManualClock;
use shopcare_server::console::{self, hash_password, ConsoleState};
use shopcare_server::import::reviews::{import_reviews, ReviewImportOptions};
use shopcare_store::{open_store, AccountRole, Record, SecretKey, Store, UserAccount};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

const PASSWORD: &str = "bench-owner-password-1";
/// The key only has to be the same on every run (the store holds no shop tokens here).
const KEY: [u8; 32] = [7; 32];

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 20).expect("date")
}

fn order_count() -> u64 {
    std::env::var("SHOPCARE_BENCH_ORDERS")
        .ok()
        .and_then(|value| value.parse().ok())
        .unwrap_or(1_000_000)
}

fn cache_dir(orders: u64) -> PathBuf {
    let target = option_env!("CARGO_TARGET_TMPDIR").unwrap_or("target");
    Path::new(target).join(format!("console-bench-{orders}"))
}

#[derive(serde::Deserialize)]
struct ShopsFile {
    shops: Vec<ShopLine>,
}

#[derive(serde::Deserialize)]
struct ShopLine {
    id: String,
    name: String,
    region: String,
    currency: String,
    time_zone: String,
}

/// Generates the world, writes its files and imports orders, returns (after-sales
/// cases) and reviews into a fresh store at `dir/store.db`; marks it complete last.
async fn build_store(dir: &Path, orders: u64) -> anyhow::Result<()> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    eprintln!(
        "console bench: generating {orders} orders (once; cached in {})",
        dir.display()
    );
    let world = World::generate(&WorldConfig {
        shops: 5,
        orders,
        days: 90,
        seed: 2026,
        as_of: as_of(),
    })?;
    let files = dir.join("files");
    write_files(&world, &files)?;
    drop(world);
    let store = open_store(&store_url(dir), &SecretKey::from_bytes(KEY)).await?;
    let shops: ShopsFile = serde_json::from_slice(&std::fs::read(files.join("shops.json"))?)?;
    let shops: Vec<Shop> = shops
        .shops
        .into_iter()
        .map(|line| {
            Ok(Shop {
                id: ShopId::new(line.id),
                cipher: String::new(),
                name: line.name,
                region: line.region,
                currency: Currency::parse(&line.currency)?,
                time_zone: line
                    .time_zone
                    .parse()
                    .map_err(|error| anyhow::anyhow!("{error}"))?,
            })
        })
        .collect::<anyhow::Result<_>>()?;
    store.upsert_shops(&shops).await?;
    eprintln!("console bench: importing orders");
    let reader = std::io::BufReader::with_capacity(
        1 << 20,
        std::fs::File::open(files.join("orders.jsonl"))?,
    );
    shopcare_server::import::orders::import_orders(&store, reader, false).await?;
    eprintln!("console bench: importing after-sales cases");
    let mut cases = Vec::new();
    for line in std::io::BufRead::lines(std::io::BufReader::new(std::fs::File::open(
        files.join("returns.jsonl"),
    )?)) {
        let value: serde_json::Value = serde_json::from_str(&line?)?;
        let shop_id = ShopId::new(value["shop_id"].as_str().unwrap_or_default());
        let dto: shopcare_tiktok::dto::ReturnDto = serde_json::from_value(value)?;
        cases.push(Record::Case(shopcare_tiktok::dto::return_from_dto(
            &shop_id, dto,
        )?));
        if cases.len() == 5_000 {
            store.apply(&cases, None).await?;
            cases.clear();
        }
    }
    store.apply(&cases, None).await?;
    eprintln!("console bench: importing reviews");
    import_reviews(
        &store,
        "reviews.csv",
        &std::fs::read(files.join("reviews.csv"))?,
        &ReviewImportOptions::default(),
    )
    .await?;
    store
        .create_user(&UserAccount {
            username: "owner".to_owned(),
            password_hash: hash_password(PASSWORD)?,
            role: AccountRole::Owner,
            shops: Vec::new(),
            created_at: Utc::now(),
        })
        .await?;
    std::fs::remove_dir_all(&files)?;
    std::fs::write(dir.join("complete"), b"")?;
    Ok(())
}

fn store_url(dir: &Path) -> String {
    format!("sqlite://{}", dir.join("store.db").display())
}

struct Served {
    base: String,
    client: reqwest::Client,
    cookie: String,
    shop: String,
}

async fn serve(dir: &Path) -> anyhow::Result<Served> {
    let store: Arc<dyn Store> = open_store(&store_url(dir), &SecretKey::from_bytes(KEY)).await?;
    let shop = store
        .list_shops()
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no shop"))?
        .id
        .to_string();
    let now = Utc.from_utc_datetime(&as_of().and_hms_opt(12, 0, 0).expect("noon"));
    let state = ConsoleState::new(store, Arc::new(ManualClock::new(now)), false);
    let router = console::protect(console::router(state.clone()), state);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(shopcare_server::app::serve(
        listener,
        router,
        std::future::pending(),
    ));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()?;
    let form = client.get(format!("{base}/login")).send().await?;
    let login_cookie = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok()?.split(';').next().map(str::to_owned))
        .find(|pair| pair.starts_with(console::LOGIN_CSRF_COOKIE))
        .ok_or_else(|| anyhow::anyhow!("no login cookie"))?;
    let token = login_cookie
        .split_once('=')
        .map(|(_, token)| token.to_owned())
        .unwrap_or_default();
    let signed = client
        .post(format!("{base}/login"))
        .header("cookie", &login_cookie)
        .form(&[
            ("username", "owner"),
            ("password", PASSWORD),
            (console::CSRF_FIELD, &token),
        ])
        .send()
        .await?;
    let cookie = signed
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok()?.split(';').next().map(str::to_owned))
        .find(|pair| pair.starts_with(console::SESSION_COOKIE))
        .ok_or_else(|| anyhow::anyhow!("sign-in failed: {}", signed.status()))?;
    Ok(Served {
        base,
        client,
        cookie,
        shop,
    })
}

async fn fetch(served: &Served, path: &str) -> usize {
    let response = served
        .client
        .get(format!("{}{path}", served.base))
        .header("cookie", &served.cookie)
        .send()
        .await
        .expect("request");
    assert_eq!(response.status(), reqwest::StatusCode::OK, "{path}");
    response.bytes().await.expect("body").len()
}

fn console_pages(criterion: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("tokio runtime");
    let orders = order_count();
    let dir = cache_dir(orders);
    if !dir.join("complete").exists() {
        runtime
            .block_on(build_store(&dir, orders))
            .expect("bench store built");
    }
    let served = runtime.block_on(serve(&dir)).expect("console served");
    let shop = served.shop.clone();
    let mut group = criterion.benchmark_group(format!("console_pages_{orders}_orders"));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    for (name, path) in [
        ("overview", "/".to_owned()),
        ("review_inbox_shop", format!("/shops/{shop}/reviews")),
        (
            "review_inbox_negatives_all_shops",
            "/reviews?stars=negative".to_owned(),
        ),
        ("case_queue_shop", format!("/shops/{shop}/cases")),
        ("case_queue_all_shops", "/cases".to_owned()),
        ("scorecard", format!("/shops/{shop}/scorecard")),
    ] {
        let bytes = runtime.block_on(fetch(&served, &path));
        eprintln!("{name}: {path} renders {bytes} bytes");
        group.bench_function(name, |bencher| {
            bencher.iter(|| runtime.block_on(fetch(&served, &path)));
        });
    }
    group.finish();

    // `shopcare metrics` on the same store: every shop's 30/60-day figures, per product
    // and SKU, and the star trend, from the aggregates.
    let store: Arc<dyn Store> = runtime
        .block_on(open_store(&store_url(&dir), &SecretKey::from_bytes(KEY)))
        .expect("store");
    let targets = shopcare_server::metrics::MetricTargets::default();
    let mut group = criterion.benchmark_group(format!("metrics_{orders}_orders"));
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("metrics_report_all_shops", |bencher| {
        bencher.iter(|| {
            runtime
                .block_on(shopcare_server::metrics::metrics_report(
                    &store,
                    as_of(),
                    &targets,
                    Vec::new(),
                ))
                .expect("metrics")
        });
    });
    group.finish();
}

criterion_group!(benches, console_pages);
criterion_main!(benches);
