//! `shopcare bench ingest`: how fast shopcare takes data in, measured on this machine.
//!
//! Each phase runs in a child process of its own (`shopcare bench ingest-phase ...`) so
//! that its peak RSS is its own. Phases:
//! - `import`: `import orders` of a generated JSONL file into a fresh SQLite store,
//!   next to the `sqlite3` shell loading the same orders' core columns as CSV in one
//!   transaction;
//! - `sync`: a full orders sync from the platform double running as its own process;
//! - `webhooks`: signed events posted over loopback HTTP until all are acknowledged
//!   (acknowledged = durable).

use crate::storage;
use crate::Settings;
use anyhow::Context;
use serde_json::json;
use shopcare_platform_double::{World, WorldConfig};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

pub struct IngestBenchOptions {
    pub orders: u64,
    pub sync_orders: u64,
    pub webhooks: u64,
    pub dir: Option<PathBuf>,
}

const BENCH_APP_KEY: &str = "benchkey";
const BENCH_APP_SECRET: &str = "bench-secret";
const BENCH_CODE: &str = "bench-code";
const BENCH_SECRET_KEY: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

/// Peak resident set size of this process, from /proc (Linux).
pub fn peak_rss_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes / 1024.0)
}

fn world(orders: u64) -> WorldConfig {
    WorldConfig {
        shops: 5,
        orders,
        days: 90,
        seed: 2026,
        as_of: chrono::Utc::now().date_naive(),
    }
}

fn run_phase(args: &[&str], envs: &[(&str, String)]) -> anyhow::Result<serde_json::Value> {
    let exe = std::env::current_exe().context("cannot find the shopcare executable")?;
    let mut command = Command::new(exe);
    command.args(["bench", "ingest-phase"]).args(args);
    for (key, value) in envs {
        command.env(key, value);
    }
    let output = command.output().context("cannot run a bench phase")?;
    anyhow::ensure!(
        output.status.success(),
        "bench phase {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).context("bench phase printed no JSON")
}

pub async fn run(options: IngestBenchOptions) -> anyhow::Result<serde_json::Value> {
    let scratch = match &options.dir {
        Some(dir) => {
            std::fs::create_dir_all(dir)?;
            tempfile::Builder::new().prefix("bench-").tempdir_in(dir)?
        }
        None => tempfile::Builder::new()
            .prefix("shopcare-bench-")
            .tempdir()?,
    };
    let dir = scratch.path();
    let secret_env = [("SHOPCARE_SECRET_KEY", BENCH_SECRET_KEY.to_owned())];

    eprintln!("generating {} orders ...", options.orders);
    let generated = World::generate(&world(options.orders))?;
    shopcare_platform_double::write_files(&generated, dir)?;
    drop(generated);
    let orders_file = dir.join("orders.jsonl");

    eprintln!("import ...");
    let import_db = format!("sqlite://{}", dir.join("import.db").display());
    let import = run_phase(
        &[
            "import",
            orders_file.to_str().unwrap_or_default(),
            &import_db,
        ],
        &secret_env,
    )?;
    let sqlite3 = sqlite3_baseline(&orders_file, &dir.join("baseline.db"));

    eprintln!("sync ...");
    let sync = sync_bench(dir, options.sync_orders, &secret_env).await?;

    eprintln!("webhooks ...");
    let webhook_db = format!("sqlite://{}", dir.join("webhooks.db").display());
    let webhooks = run_phase(
        &["webhooks", &options.webhooks.to_string(), &webhook_db],
        &secret_env,
    )?;

    let import_seconds = import["seconds"].as_f64().unwrap_or(f64::NAN);
    let ratio = sqlite3
        .as_ref()
        .ok()
        .and_then(|baseline| baseline["seconds"].as_f64())
        .map(|baseline| import_seconds / baseline);
    Ok(json!({
        "import": import,
        "sqlite3_baseline": sqlite3.unwrap_or_else(|error| json!({"error": error.to_string()})),
        "import_time_vs_sqlite3": ratio,
        "sync": sync,
        "webhooks": webhooks,
    }))
}

/// The `sqlite3` shell loading the orders' core columns from CSV in one transaction.
fn sqlite3_baseline(orders_file: &Path, db: &Path) -> anyhow::Result<serde_json::Value> {
    let csv_path = db.with_extension("csv");
    let mut csv = std::io::BufWriter::new(std::fs::File::create(&csv_path)?);
    let reader = std::io::BufReader::new(std::fs::File::open(orders_file)?);
    let mut rows = 0u64;
    for line in reader.lines() {
        let order: serde_json::Value = serde_json::from_str(&line?)?;
        let text = |key: &str| order[key].as_str().unwrap_or_default().to_owned();
        let number = |key: &str| {
            order[key]
                .as_i64()
                .map(|value| value.to_string())
                .unwrap_or_default()
        };
        writeln!(
            csv,
            "{},{},{},{},{},{},{},{},{}",
            text("id"),
            text("shop_id"),
            text("status"),
            text("user_id"),
            number("create_time"),
            number("update_time"),
            number("delivery_time"),
            order["payment"]["total_amount"]
                .as_str()
                .unwrap_or_default(),
            order["payment"]["currency"].as_str().unwrap_or_default(),
        )?;
        rows += 1;
    }
    csv.flush()?;
    drop(csv);
    let script = format!(
        "PRAGMA journal_mode=WAL;\nCREATE TABLE orders(id TEXT PRIMARY KEY, shop_id TEXT, status TEXT, buyer TEXT, create_time INTEGER, update_time INTEGER, delivery_time INTEGER, total TEXT, currency TEXT);\nBEGIN;\n.mode csv\n.import {} orders\nCOMMIT;\n",
        csv_path.display()
    );
    let started = Instant::now();
    let mut child = Command::new("sqlite3")
        .arg(db)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .context("sqlite3 is not installed")?;
    child
        .stdin
        .take()
        .context("sqlite3 stdin")?
        .write_all(script.as_bytes())?;
    let status = child.wait()?;
    let seconds = started.elapsed().as_secs_f64();
    anyhow::ensure!(status.success(), "sqlite3 failed");
    Ok(json!({"rows": rows, "seconds": seconds, "rows_per_second": rows as f64 / seconds}))
}

async fn sync_bench(
    dir: &Path,
    orders: u64,
    secret_env: &[(&str, String)],
) -> anyhow::Result<serde_json::Value> {
    let exe = std::env::current_exe()?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let address = listener.local_addr()?;
    drop(listener);
    let mut double = Command::new(&exe)
        .args([
            "platform-double",
            "--listen",
            &address.to_string(),
            "--app-key",
            BENCH_APP_KEY,
            "--app-secret",
            BENCH_APP_SECRET,
            "--shops",
            "5",
            "--orders",
            &orders.to_string(),
            "--seed",
            "2026",
            "--seller-auth-code",
            BENCH_CODE,
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .context("cannot start the platform double")?;
    let base_url = format!("http://{address}");
    let ready = wait_until_listening(&address, std::time::Duration::from_secs(120)).await;
    let result = match ready {
        Ok(()) => {
            let db = format!("sqlite://{}", dir.join("sync.db").display());
            let mut envs = secret_env.to_vec();
            envs.extend([
                ("SHOPCARE_TIKTOK_APP_KEY", BENCH_APP_KEY.to_owned()),
                ("SHOPCARE_TIKTOK_APP_SECRET", BENCH_APP_SECRET.to_owned()),
                ("SHOPCARE_TIKTOK_API_URL", base_url.clone()),
                ("SHOPCARE_TIKTOK_AUTH_URL", base_url),
            ]);
            run_phase(&["sync", &db], &envs)
        }
        Err(error) => Err(error),
    };
    let _ = double.kill();
    let _ = double.wait();
    result
}

async fn wait_until_listening(
    address: &std::net::SocketAddr,
    limit: std::time::Duration,
) -> anyhow::Result<()> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if tokio::net::TcpStream::connect(address).await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    anyhow::bail!("the platform double did not start listening on {address}")
}

/// Runs one phase in this process and returns its figures.
pub async fn run_phase_here(
    settings: &Settings,
    phase: &str,
    args: &[String],
) -> anyhow::Result<serde_json::Value> {
    let figures = match (phase, args) {
        ("import", [file, db]) => {
            let store = storage::open(settings, Some(db)).await?;
            let reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(file)?);
            let started = Instant::now();
            let report =
                shopcare_server::import::orders::import_orders(&store, reader, false).await?;
            let seconds = started.elapsed().as_secs_f64();
            json!({
                "orders": report.inserted + report.updated + report.unchanged,
                "bad_lines": report.problems.len(),
                "seconds": seconds,
                "orders_per_second": report.rows_read as f64 / seconds,
            })
        }
        ("sync", [db]) => {
            use shopcare_server::clock::{Clock, SystemClock};
            use shopcare_server::sync::{SyncEngine, SyncOptions};
            let store = storage::open(settings, Some(db)).await?;
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let access = crate::platform_access(settings, store.clone(), clock.clone())?;
            access.connect(BENCH_CODE).await?;
            let options = SyncOptions {
                resources: vec![shopcare_store::SyncResource::Orders],
                ..SyncOptions::default()
            };
            let engine = SyncEngine::new(access, clock, options);
            let started = Instant::now();
            let reports = engine.sync_all().await?;
            let seconds = started.elapsed().as_secs_f64();
            let orders: u64 = reports
                .iter()
                .flat_map(|report| report.resources.iter())
                .map(|(_, resource)| {
                    resource.outcome.inserted
                        + resource.outcome.updated
                        + resource.outcome.unchanged
                })
                .sum();
            let tracking = store.entity_counts().await?.tracking_events;
            json!({"orders": orders, "tracking_events": tracking, "seconds": seconds, "orders_per_second": orders as f64 / seconds})
        }
        ("webhooks", [count, db]) => {
            let count: u64 = count.parse().context("event count")?;
            let store = storage::open(settings, Some(db)).await?;
            webhook_phase(store, count).await?
        }
        _ => anyhow::bail!("unknown bench phase {phase} {args:?}"),
    };
    let mut figures = figures;
    figures["peak_rss_mb"] = json!(peak_rss_mb());
    Ok(figures)
}

async fn webhook_phase(
    store: Arc<dyn shopcare_store::Store>,
    count: u64,
) -> anyhow::Result<serde_json::Value> {
    use shopcare_server::clock::SystemClock;
    use shopcare_server::service::{self, ServiceConfig};
    use shopcare_server::webhook::WebhookCredentials;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}/webhooks/tiktok", listener.local_addr()?);
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    let config = ServiceConfig {
        webhook_credentials: Some(WebhookCredentials {
            app_key: BENCH_APP_KEY.to_owned(),
            app_secret: BENCH_APP_SECRET.to_owned(),
        }),
        sync_interval: None,
        worker_name: "bench".to_owned(),
        secure_cookies: false,
        metric_targets: Default::default(),
    };
    // No platform access: events are stored and queued, not fetched, so this measures receipt.
    let server = tokio::spawn(service::run(
        store.clone(),
        None,
        Arc::new(SystemClock),
        config,
        listener,
        shutdown,
    ));
    let bodies: Vec<(Vec<u8>, String)> = (0..count)
        .map(|index| {
            let body = format!(
                r#"{{"type":12,"tts_notification_id":"bench-{index}","shop_id":"7494049642642441621","timestamp":1700000300,"data":{{"order_id":"5764863169484{index:05}","return_role":"BUYER","return_type":"RETURN_AND_REFUND","return_status":"RETURN_OR_REFUND_REQUEST_PENDING","return_id":"40353185040866{index:05}","create_time":1700000290,"update_time":1700000300}}}}"#
            )
            .into_bytes();
            let signature = shopcare_tiktok::signing::webhook_signature(BENCH_APP_KEY, BENCH_APP_SECRET, &body);
            (body, signature)
        })
        .collect();
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .build()?;
    let started = Instant::now();
    let statuses = post_all(&client, &url, bodies, 128).await;
    let seconds = started.elapsed().as_secs_f64();
    let ok = statuses.iter().filter(|status| **status == 200).count() as u64;
    let _ = stop.send(true);
    let _ = server.await;
    let jobs = store.job_counts(None).await?;
    Ok(json!({
        "events": count,
        "acknowledged": ok,
        "queued_jobs": jobs.pending,
        "seconds": seconds,
        "events_per_second": ok as f64 / seconds,
    }))
}

/// Posts every body with at most `concurrency` requests in flight.
async fn post_all(
    client: &reqwest::Client,
    url: &str,
    bodies: Vec<(Vec<u8>, String)>,
    concurrency: usize,
) -> Vec<u16> {
    use futures::stream::{self, StreamExt};
    stream::iter(bodies)
        .map(|(body, signature)| {
            let request = client
                .post(url)
                .header("Authorization", signature)
                .body(body);
            async move {
                request
                    .send()
                    .await
                    .map_or(0, |response| response.status().as_u16())
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await
}
