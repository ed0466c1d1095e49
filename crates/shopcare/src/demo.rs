//! `shopcare demo`: the whole loop on one machine with nothing else installed. Starts
//! the platform double in-process, connects its shops through the real OAuth and
//! signed-request path, syncs, imports the generated reviews, prints each shop's
//! daily summary, then keeps serving (webhooks from the double included).

use crate::storage;
use crate::Settings;
use anyhow::Context;
use chrono::Utc;
use shopcare_core::Shop;
use shopcare_platform_double::{DoubleConfig, PlatformDouble, WebhookConfig, WorldConfig};
use shopcare_server::clock::{Clock, SystemClock};
use shopcare_server::import::reviews::{import_reviews, ReviewImportOptions};
use shopcare_server::platform::PlatformAccess;
use shopcare_server::service::ServiceConfig;
use shopcare_server::sync::{SyncEngine, SyncOptions};
use shopcare_server::webhook::WebhookCredentials;
use shopcare_store::{ShopSummary, Store, SummaryOptions};
use shopcare_tiktok::{ClientConfig, TikTokClient};
use std::sync::Arc;
use std::time::Instant;

pub struct DemoOptions {
    pub db: Option<String>,
    pub listen: Option<String>,
    pub serve: bool,
    pub shops: u32,
    pub orders: u64,
    pub seed: u64,
}

pub async fn run(settings: &Settings, options: DemoOptions) -> anyhow::Result<()> {
    let started = Instant::now();
    let store = storage::open(settings, options.db.as_deref()).await?;
    // Bind first, so a busy port fails before any work and the double can send
    // its webhooks to the address we will really serve.
    let listener = if options.serve {
        let listen = options
            .listen
            .clone()
            .unwrap_or_else(|| settings.listen.clone());
        Some(
            tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| {
                    format!("cannot listen on {listen} (use --listen ADDR or --no-serve)")
                })?,
        )
    } else {
        None
    };
    let webhook_url = match &listener {
        Some(listener) => Some(format!("http://{}/webhooks/tiktok", listener.local_addr()?)),
        None => None,
    };

    let app_key = format!("demo{:08x}", rand::random::<u32>());
    let app_secret = format!("demo-secret-{:016x}", rand::random::<u64>());
    let auth_code = format!("demo-code-{:08x}", rand::random::<u32>());
    let world = WorldConfig {
        shops: options.shops,
        orders: options.orders,
        days: 60,
        seed: options.seed,
        as_of: Utc::now().date_naive(),
    };
    let double = PlatformDouble::start(DoubleConfig {
        app_key: app_key.clone(),
        app_secret: app_secret.clone(),
        seller_auth_code: auth_code.clone(),
        world,
        webhook: webhook_url.map(|url| WebhookConfig {
            url,
            time_scale: 1.0,
        }),
        ..DoubleConfig::default()
    })
    .await
    .context("cannot start the platform double")?;
    println!(
        "platform double on {} ({} shops, {} orders)",
        double.base_url(),
        options.shops,
        options.orders
    );

    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let client = TikTokClient::new(ClientConfig {
        api_base_url: double.base_url(),
        auth_base_url: double.base_url(),
        ..ClientConfig::new(app_key.clone(), app_secret.clone())
    })?;
    let access = PlatformAccess::new(store.clone(), client, clock.clone());
    let shops = access
        .connect(&auth_code)
        .await
        .context("OAuth connect failed")?;
    println!("connected {} shops through OAuth", shops.len());
    crate::account_commands::ensure_demo_owner(&store, clock.now()).await?;

    let engine = SyncEngine::new(access.clone(), clock.clone(), SyncOptions::default());
    let reports = engine.sync_all().await.context("sync failed")?;
    let synced: u64 = reports
        .iter()
        .flat_map(|report| report.resources.iter())
        .map(|(_, resource)| {
            resource.outcome.inserted + resource.outcome.updated + resource.outcome.unchanged
        })
        .sum();
    println!("synced {synced} records");

    let files = tempfile_dir()?;
    double
        .with_world(|world| shopcare_platform_double::write_files(world, files.path()))
        .context("cannot write the generated files")?;
    let reviews_path = files.path().join("reviews.csv");
    let bytes = std::fs::read(&reviews_path)
        .with_context(|| format!("cannot read {}", reviews_path.display()))?;
    let report = import_reviews(
        &store,
        "reviews.csv",
        &bytes,
        &ReviewImportOptions::default(),
    )
    .await?;
    println!(
        "imported {} reviews ({} new, {} bad rows)",
        report.rows_read,
        report.inserted,
        report.problems.len()
    );

    print_summaries(&store, &shops, clock.now()).await?;
    println!(
        "first summary after {:.1} s",
        started.elapsed().as_secs_f64()
    );

    let Some(listener) = listener else {
        double.shutdown().await;
        return Ok(());
    };
    println!(
        "serving on http://{} — Ctrl-C to stop",
        listener.local_addr()?
    );
    let (stop, shutdown) = tokio::sync::watch::channel(false);
    tokio::spawn(async move {
        let _ = tokio::signal::ctrl_c().await;
        let _ = stop.send(true);
    });
    let config = ServiceConfig {
        webhook_credentials: Some(WebhookCredentials {
            app_key,
            app_secret,
        }),
        sync_interval: Some(chrono::Duration::minutes(15)),
        worker_name: format!("demo-{}", std::process::id()),
        secure_cookies: false,
        metric_targets: Default::default(),
    };
    shopcare_server::service::run(store, Some(access), clock, config, listener, shutdown).await?;
    double.shutdown().await;
    Ok(())
}

fn tempfile_dir() -> anyhow::Result<tempfile::TempDir> {
    tempfile::Builder::new()
        .prefix("shopcare-demo-")
        .tempdir()
        .context("cannot create a temporary directory")
}

fn format_time_left(seconds: i64) -> String {
    if seconds < 0 {
        let overdue = -seconds;
        return format!("overdue by {}h{:02}m", overdue / 3600, overdue % 3600 / 60);
    }
    if seconds >= 86_400 {
        format!("{}d{:02}h", seconds / 86_400, seconds % 86_400 / 3600)
    } else {
        format!("{}h{:02}m", seconds / 3600, seconds % 3600 / 60)
    }
}

async fn print_summaries(
    store: &Arc<dyn Store>,
    shops: &[Shop],
    now: chrono::DateTime<Utc>,
) -> anyhow::Result<()> {
    let options = SummaryOptions::default();
    for shop in shops {
        let summary: ShopSummary = store.shop_summary(&shop.id, now, &options).await?;
        let local = now.with_timezone(&shop.time_zone);
        println!();
        println!(
            "== {} ({}, {}) — {}",
            shop.name,
            shop.region,
            shop.time_zone.name(),
            local.format("%a %d %b %Y %H:%M")
        );
        println!(
            "   reviews, last {} h: {} new, {} of them 1–2★",
            options.new_review_hours, summary.new_reviews, summary.new_negative_reviews
        );
        println!(
            "   after-sales cases waiting: {}",
            summary.waiting_cases.len()
        );
        for case in summary.waiting_cases.iter().take(5) {
            let left = case.deadline.map_or_else(
                || "no platform deadline".to_owned(),
                |deadline| format_time_left((deadline - now).num_seconds()),
            );
            println!(
                "     {:<20} {:<18} {:<36} {}",
                case.case_id.as_str(),
                case.kind.as_str(),
                case.status.as_str(),
                left
            );
        }
        println!(
            "   orders at risk of late dispatch (ship-by within {} h): {}, already past ship-by: {}",
            options.dispatch_risk_hours, summary.orders_at_dispatch_risk, summary.orders_past_ship_by
        );
        println!(
            "   tracking stalled over {} h: {}",
            options.stalled_tracking_hours, summary.stalled_tracking
        );
    }
    Ok(())
}
