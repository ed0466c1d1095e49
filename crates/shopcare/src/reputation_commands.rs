//! `shopcare metrics` (SNRR and its drivers per shop) and `shopcare alerts add-channel`.

use crate::config::Settings;
use crate::storage;
use anyhow::{bail, Context};
use shopcare_core::{Currency, Shop, ShopId};
use shopcare_server::metrics::{metrics_report, MetricTargets};
use shopcare_store::NewAlertChannel;
use std::process::ExitCode;
use std::time::Instant;

#[derive(clap::Args)]
pub struct MetricsArgs {
    /// Store URL: sqlite://PATH (default sqlite://shopcare.db) or postgres://...
    #[arg(long)]
    db: Option<String>,
    /// The windows are the 30 and 60 complete days before this date (default: today, UTC).
    #[arg(long)]
    as_of: Option<chrono::NaiveDate>,
    /// Print JSON (`{"shops": [...]}`) instead of a table.
    #[arg(long)]
    json: bool,
    /// Per-market SNRR target as MARKET=PERCENT (repeatable), e.g. `--target TH=0.5`.
    /// Unlisted markets: 1 %, Thailand 0.5 % (DOMAIN.md §3).
    #[arg(long = "target")]
    targets: Vec<String>,
    /// Shops file as written by `shopcare generate` (`shops.json`): zones and markets of
    /// shops whose rows were imported but which are not in the store.
    #[arg(long)]
    shops: Option<std::path::PathBuf>,
    /// Print how long the computation took to stderr (for benchmarks).
    #[arg(long)]
    timing: bool,
}

/// The targets of the config file, overridden by `MARKET=PERCENT` entries from flags.
pub fn metric_targets(settings: &Settings, overrides: &[String]) -> anyhow::Result<MetricTargets> {
    let mut targets = MetricTargets {
        quality_flag: settings.quality_flag,
        ..MetricTargets::default()
    };
    for entry in settings.snrr_targets.iter().chain(overrides) {
        let (market, target) = MetricTargets::parse_entry(entry).map_err(anyhow::Error::msg)?;
        targets.by_market.insert(market, target);
    }
    Ok(targets)
}

pub async fn run_metrics(settings: &Settings, args: MetricsArgs) -> anyhow::Result<ExitCode> {
    let targets = metric_targets(settings, &args.targets)?;
    let as_of = args
        .as_of
        .unwrap_or_else(|| chrono::Utc::now().date_naive());
    let extra_shops = match &args.shops {
        Some(path) => read_shops_file(path)?,
        None => Vec::new(),
    };
    let store = storage::open(settings, args.db.as_deref()).await?;
    let started = Instant::now();
    let report = metrics_report(&store, as_of, &targets, extra_shops)
        .await
        .context("computing metrics")?;
    let elapsed = started.elapsed();
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "{:<16} {:>10} {:>9} {:>9} {:>8} {:>8} {:>9}",
            "shop", "delivered", "negative", "seller", "snrr %", "status", "headroom"
        );
        for shop in &report.shops {
            println!(
                "{:<16} {:>10} {:>9} {:>9} {:>8} {:>8} {:>9}",
                shop.shop_id,
                shop.delivered_orders_30d,
                shop.negative_reviews_30d,
                shop.seller_related_negative_reviews_30d,
                shop.snrr_30d
                    .map_or("-".to_owned(), |rate| format!("{:.3}", rate * 100.0)),
                shop.status,
                shop.headroom
            );
            // The products driving the rate, each over its own delivered orders.
            for product in shop
                .products
                .iter()
                .filter(|product| product.seller_related_negative_reviews > 0)
                .take(3)
            {
                println!(
                    "  product {:<24} {:>6} delivered {:>4} seller-related  snrr {}",
                    product.product_id,
                    product.delivered_orders,
                    product.seller_related_negative_reviews,
                    product
                        .snrr
                        .map_or("-".to_owned(), |rate| format!("{:.3} %", rate * 100.0)),
                );
            }
        }
    }
    if args.timing {
        eprintln!(
            "metrics computed in {:.1} ms",
            elapsed.as_secs_f64() * 1000.0
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(serde::Deserialize)]
struct ShopsFile {
    shops: Vec<ShopsFileEntry>,
}

#[derive(serde::Deserialize)]
struct ShopsFileEntry {
    id: String,
    #[serde(default)]
    name: String,
    region: String,
    currency: String,
    time_zone: String,
}

fn read_shops_file(path: &std::path::Path) -> anyhow::Result<Vec<Shop>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let file: ShopsFile = serde_json::from_str(&text)
        .with_context(|| format!("{} is not a shops file", path.display()))?;
    file.shops
        .into_iter()
        .map(|entry| {
            let time_zone: chrono_tz::Tz = entry.time_zone.parse().map_err(|_| {
                anyhow::anyhow!("shop {}: unknown time zone {:?}", entry.id, entry.time_zone)
            })?;
            Ok(Shop {
                id: ShopId::new(entry.id.as_str()),
                cipher: String::new(),
                name: entry.name,
                region: entry.region,
                currency: Currency::parse(&entry.currency)
                    .with_context(|| format!("shop {}", entry.id))?,
                time_zone,
            })
        })
        .collect()
}

#[derive(clap::Subcommand)]
pub enum AlertsCommand {
    /// Add a delivery channel for a shop's alerts: a webhook or an e-mail address.
    AddChannel {
        #[arg(long)]
        shop: String,
        /// Outgoing webhook URL (Slack-compatible JSON, signed with --secret).
        #[arg(long, conflicts_with_all = ["email", "smtp"], requires = "secret")]
        webhook: Option<String>,
        /// HMAC-SHA256 key for the `X-Shopcare-Signature` header.
        #[arg(long)]
        secret: Option<String>,
        /// E-mail address to send alerts to.
        #[arg(long, requires = "smtp")]
        email: Option<String>,
        /// SMTP server as HOST:PORT.
        #[arg(long)]
        smtp: Option<String>,
        /// One digest a day (from 08:00 shop time, about the day before) instead of an
        /// alert per negative review; urgent alerts still come at once.
        #[arg(long)]
        digest: bool,
        /// Store URL: sqlite://PATH (default sqlite://shopcare.db) or postgres://...
        #[arg(long)]
        db: Option<String>,
    },
}

pub async fn run_alerts(settings: &Settings, command: AlertsCommand) -> anyhow::Result<ExitCode> {
    match command {
        AlertsCommand::AddChannel {
            shop,
            webhook,
            secret,
            email,
            smtp,
            digest,
            db,
        } => {
            let mut channel = match (webhook, email) {
                (Some(url), None) => {
                    if !(url.starts_with("http://") || url.starts_with("https://")) {
                        bail!("--webhook must be an http:// or https:// URL");
                    }
                    NewAlertChannel {
                        shop_id: ShopId::new(shop.as_str()),
                        kind: "webhook".to_owned(),
                        target: url,
                        secret,
                        smtp_server: None,
                    }
                }
                (None, Some(address)) => {
                    if !address.contains('@') {
                        bail!("--email {address:?} is not an e-mail address");
                    }
                    NewAlertChannel {
                        shop_id: ShopId::new(shop.as_str()),
                        kind: "email".to_owned(),
                        target: address,
                        secret: None,
                        smtp_server: smtp,
                    }
                }
                _ => bail!("give either --webhook URL --secret S or --email ADDR --smtp HOST:PORT"),
            };
            if digest {
                channel
                    .kind
                    .push_str(shopcare_server::alert_digest::DIGEST_CHANNEL_SUFFIX);
            }
            let store = storage::open(settings, db.as_deref()).await?;
            if store.get_shop(&channel.shop_id).await?.is_none() {
                bail!("unknown shop {shop:?}");
            }
            let channel_id = store
                .add_alert_channel(&channel, chrono::Utc::now())
                .await?;
            println!(
                "added {} channel {channel_id} for shop {shop}",
                channel.kind
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
