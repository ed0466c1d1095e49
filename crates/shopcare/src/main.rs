//! The `shopcare` command: parses arguments, loads settings, and calls the libraries.
//! No business logic lives here.

mod account_commands;
mod bench;
mod case_commands;
mod config;
mod demo;
mod reputation_commands;
mod storage;
mod support_commands;
mod text_commands;
mod timeline_commands;

use anyhow::Context;
use clap::{Parser, Subcommand};
pub use config::Settings;
use shopcare_platform_double::{DoubleConfig, WebhookConfig, World, WorldConfig};
use shopcare_server::clock::{Clock, SystemClock};
use shopcare_server::import::{self, ImportReport};
use shopcare_server::platform::PlatformAccess;
use shopcare_server::service::ServiceConfig;
use shopcare_server::sync::{ShopSyncReport, SyncEngine, SyncOptions};
use shopcare_server::webhook::WebhookCredentials;
use shopcare_store::Store;
use shopcare_tiktok::{ClientConfig, TikTokClient};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "shopcare",
    version,
    about = "After-sales and reputation hub for TikTok Shop sellers"
)]
struct Cli {
    /// TOML config file (see `shopcare default-config`).
    #[arg(long, global = true, env = "SHOPCARE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct DbArg {
    /// Store URL: sqlite://PATH (default sqlite://shopcare.db) or postgres://...
    #[arg(long)]
    db: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Support desk: chat response times and rates (`support stats`).
    Support {
        #[command(subcommand)]
        what: support_commands::SupportCommand,
    },
    /// Post-purchase timeline: dry run (`preview`), templates and SKU settings.
    Timeline {
        #[command(subcommand)]
        what: timeline_commands::TimelineCommand,
    },
    /// After-sales cases: the queue by time left, and seller actions.
    Cases {
        #[command(subcommand)]
        what: case_commands::CasesCommand,
    },
    /// Console users (`user add NAME --role owner|operator ...`).
    User {
        #[command(subcommand)]
        what: account_commands::UserCommand,
    },
    /// Seller-related Negative Review Rate and its drivers per shop.
    Metrics(reputation_commands::MetricsArgs),
    /// Alert channels (`alerts add-channel --shop ID --webhook URL --secret S`).
    Alerts {
        #[command(subcommand)]
        what: reputation_commands::AlertsCommand,
    },
    /// Import orders (JSON Lines) or reviews (CSV/XLSX export).
    Import {
        #[command(subcommand)]
        what: ImportCommand,
    },
    /// Shops known to the store.
    Shops {
        #[command(subcommand)]
        what: ShopsCommand,
    },
    /// Run the whole loop against the built-in platform double, then keep serving.
    Demo {
        #[command(flatten)]
        db: DbArg,
        /// Print the summary and exit instead of serving.
        #[arg(long)]
        no_serve: bool,
        #[arg(long)]
        listen: Option<String>,
        #[arg(long, default_value_t = 3)]
        shops: u32,
        #[arg(long, default_value_t = 30_000)]
        orders: u64,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Run the TikTok Shop platform double (API, token host, webhooks) on its own.
    PlatformDouble {
        #[arg(long, default_value = "127.0.0.1:9090")]
        listen: String,
        #[arg(long)]
        app_key: String,
        #[arg(long)]
        app_secret: String,
        #[arg(long, default_value_t = 3)]
        shops: u32,
        #[arg(long, default_value_t = 2_000)]
        orders: u64,
        #[arg(long, default_value_t = 60)]
        days: u32,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Last day of data is the day before this (default: today, UTC).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        #[arg(long)]
        seller_auth_code: String,
        /// Send signed webhooks here.
        #[arg(long)]
        webhook_url: Option<String>,
        /// Divide the platform's webhook retry delays (2 min, 30 min, 3 h, 12 h) by this.
        #[arg(long, default_value_t = 1.0)]
        webhook_time_scale: f64,
    },
    /// Write the double's deterministic world as files.
    Generate {
        #[arg(long, default_value_t = 3)]
        shops: u32,
        #[arg(long, default_value_t = 2_000)]
        orders: u64,
        #[arg(long, default_value_t = 60)]
        days: u32,
        #[arg(long, default_value_t = 42)]
        seed: u64,
        /// Last day of data is the day before this (default: today, UTC).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        #[arg(long)]
        out: PathBuf,
    },
    /// Serve webhooks, the JSON API and background jobs.
    Serve {
        #[command(flatten)]
        db: DbArg,
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long)]
        listen: Option<String>,
        /// Minutes between backstop syncs of every shop; 0 disables them.
        #[arg(long, default_value_t = 15)]
        sync_every: i64,
    },
    /// Exchange a seller's authorization code and store the shops it covers.
    Connect {
        #[arg(long)]
        auth_code: String,
        #[command(flatten)]
        db: DbArg,
    },
    /// Sync every connected shop (full the first time, then incremental).
    Sync {
        #[command(flatten)]
        db: DbArg,
        /// Only this shop.
        #[arg(long)]
        shop: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// When a seller (or buyer) must act on an after-sales request, from the rule table.
    Deadline {
        /// Market code: US, ID, TH, VN, MY, PH, GB, ...
        #[arg(long)]
        market: String,
        /// REFUND, RETURN_AND_REFUND, REPLACEMENT, EXCHANGE or RESHIPMENT.
        #[arg(long = "type")]
        request_type: String,
        /// seller_response, buyer_ship_back, seller_confirm_receipt, appeal, ...
        #[arg(long)]
        stage: String,
        /// When the stage's clock started (RFC 3339).
        #[arg(long)]
        opened_at: String,
        /// The shop's IANA zone (default: the market's).
        #[arg(long)]
        time_zone: Option<String>,
        #[arg(long, requires = "currency")]
        refund_amount: Option<String>,
        #[arg(long, requires = "refund_amount")]
        currency: Option<String>,
        /// A public holiday (YYYY-MM-DD) in the market; repeat for several.
        #[arg(long = "holiday")]
        holidays: Vec<chrono::NaiveDate>,
    },
    /// Classify reviews: JSON Lines on stdin, one answer per line on stdout.
    Classify {
        /// Score the classifier on a labelled file instead.
        #[arg(long)]
        eval: Option<PathBuf>,
    },
    /// Check outgoing texts against the platform's rules: JSON Lines on stdin.
    /// Exit status 1 when any text fails, 2 on bad input.
    Lint {
        /// Score the guard on a labelled file instead.
        #[arg(long)]
        eval: Option<PathBuf>,
    },
    /// Measure shopcare on this machine.
    Bench {
        #[command(subcommand)]
        what: BenchCommand,
    },
    /// Print the documented default configuration.
    DefaultConfig,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Ingest throughput and peak memory: import, sync, webhooks.
    Ingest {
        /// Orders generated and imported.
        #[arg(long, default_value_t = 1_000_000)]
        orders: u64,
        /// Orders served by the double and synced.
        #[arg(long, default_value_t = 200_000)]
        sync_orders: u64,
        /// Signed webhook events posted.
        #[arg(long, default_value_t = 50_000)]
        webhooks: u64,
        /// Where the scratch files go (default: the system temp dir).
        #[arg(long)]
        dir: Option<PathBuf>,
    },
    /// One phase of `bench ingest`, run in its own process.
    #[command(hide = true)]
    IngestPhase { phase: String, args: Vec<String> },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// One Partner-API-shaped order per line, plus `shop_id`.
    Orders {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        /// Reject the whole file if any line is bad.
        #[arg(long)]
        strict: bool,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// A Seller Center review export (CSV or XLSX).
    Reviews {
        file: PathBuf,
        #[command(flatten)]
        db: DbArg,
        /// Reject the whole file if any row is bad.
        #[arg(long)]
        strict: bool,
        /// Shop for files that have no shop column.
        #[arg(long)]
        shop: Option<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ShopsCommand {
    /// List shops.
    List {
        #[command(flatten)]
        db: DbArg,
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("SHOPCARE_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let settings = Settings::load(cli.config.as_deref())?;
    match cli.command {
        Command::Timeline { what } => timeline_commands::run(&settings, what).await,
        Command::Support { what } => support_commands::run(&settings, what).await,
        Command::Cases { what } => case_commands::run(&settings, what).await,
        Command::User { what } => account_commands::run(&settings, what).await,
        Command::Metrics(args) => reputation_commands::run_metrics(&settings, args).await,
        Command::Alerts { what } => reputation_commands::run_alerts(&settings, what).await,
        Command::DefaultConfig => {
            print!("{}", config::DEFAULT_CONFIG_TOML);
            Ok(ExitCode::SUCCESS)
        }
        Command::Shops {
            what: ShopsCommand::List { db, json },
        } => {
            let store = storage::open(&settings, db.db.as_deref()).await?;
            let shops = store.list_shops().await?;
            if json {
                let listed: Vec<_> = shops
                    .iter()
                    .map(|shop| {
                        serde_json::json!({
                            "id": shop.id.as_str(),
                            "name": shop.name,
                            "region": shop.region,
                            "time_zone": shop.time_zone.name(),
                        })
                    })
                    .collect();
                println!("{}", serde_json::to_string(&listed)?);
            } else {
                for shop in &shops {
                    println!(
                        "{}\t{}\t{}\t{}",
                        shop.id,
                        shop.region,
                        shop.time_zone.name(),
                        shop.name
                    );
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Import { what } => import_command(&settings, what).await,
        Command::Classify { eval: None } => text_commands::classify_stdin(),
        Command::Classify { eval: Some(path) } => text_commands::classify_eval(&path),
        Command::Lint { eval: None } => text_commands::lint_stdin(),
        Command::Lint { eval: Some(path) } => text_commands::lint_eval(&path),
        Command::Bench {
            what:
                BenchCommand::Ingest {
                    orders,
                    sync_orders,
                    webhooks,
                    dir,
                },
        } => {
            let figures = bench::run(bench::IngestBenchOptions {
                orders,
                sync_orders,
                webhooks,
                dir,
            })
            .await?;
            println!("{}", serde_json::to_string_pretty(&figures)?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Bench {
            what: BenchCommand::IngestPhase { phase, args },
        } => {
            let figures = bench::run_phase_here(&settings, &phase, &args).await?;
            println!("{figures}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Deadline {
            market,
            request_type,
            stage,
            opened_at,
            time_zone,
            refund_amount,
            currency,
            holidays,
        } => deadline_command(
            &market,
            &request_type,
            &stage,
            &opened_at,
            time_zone.as_deref(),
            refund_amount.zip(currency),
            holidays,
        ),
        Command::Demo {
            db,
            no_serve,
            listen,
            shops,
            orders,
            seed,
        } => {
            demo::run(
                &settings,
                demo::DemoOptions {
                    db: db.db,
                    listen,
                    serve: !no_serve,
                    shops,
                    orders,
                    seed,
                },
            )
            .await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::PlatformDouble {
            listen,
            app_key,
            app_secret,
            shops,
            orders,
            days,
            seed,
            as_of,
            seller_auth_code,
            webhook_url,
            webhook_time_scale,
        } => {
            let config = DoubleConfig {
                app_key,
                app_secret,
                seller_auth_code,
                world: WorldConfig {
                    shops,
                    orders,
                    days,
                    seed,
                    as_of: as_of.unwrap_or_else(|| chrono::Utc::now().date_naive()),
                },
                webhook: webhook_url.map(|url| WebhookConfig {
                    url,
                    time_scale: webhook_time_scale,
                }),
                ..DoubleConfig::default()
            };
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            eprintln!("platform double on http://{}", listener.local_addr()?);
            shopcare_platform_double::serve(config, listener).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Generate {
            shops,
            orders,
            days,
            seed,
            as_of,
            out,
        } => {
            let config = WorldConfig {
                shops,
                orders,
                days,
                seed,
                as_of: as_of.unwrap_or_else(|| chrono::Utc::now().date_naive()),
            };
            let world = World::generate(&config)?;
            let counts = shopcare_platform_double::write_files(&world, &out)?;
            println!(
                "wrote {} shops, {} orders, {} reviews, {} returns, {} cancellations, {} conversations to {}",
                counts.shops, counts.orders, counts.reviews, counts.returns, counts.cancellations, counts.conversations, out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve {
            db,
            listen,
            sync_every,
        } => {
            let store = storage::open(&settings, db.db.as_deref()).await?;
            let listen = listen.unwrap_or_else(|| settings.listen.clone());
            let listener = tokio::net::TcpListener::bind(&listen)
                .await
                .with_context(|| format!("cannot listen on {listen}"))?;
            eprintln!("shopcare serving on http://{}", listener.local_addr()?);
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let access = platform_access(&settings, store.clone(), clock.clone()).ok();
            let config = ServiceConfig {
                webhook_credentials: webhook_credentials(&settings),
                sync_interval: (sync_every > 0).then(|| chrono::Duration::minutes(sync_every)),
                worker_name: format!("serve-{}", std::process::id()),
                // Behind TLS (directly or via a proxy) set SHOPCARE_SECURE_COOKIES=1.
                secure_cookies: std::env::var("SHOPCARE_SECURE_COOKIES")
                    .is_ok_and(|value| value == "1" || value == "true"),
                metric_targets: reputation_commands::metric_targets(&settings, &[])?,
            };
            let (stop, shutdown) = tokio::sync::watch::channel(false);
            tokio::spawn(async move {
                let _ = tokio::signal::ctrl_c().await;
                let _ = stop.send(true);
            });
            shopcare_server::service::run(store, access, clock, config, listener, shutdown).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Connect { auth_code, db } => {
            let store = storage::open(&settings, db.db.as_deref()).await?;
            let access = platform_access(&settings, store, Arc::new(SystemClock))?;
            for shop in access.connect(&auth_code).await? {
                println!("connected {}\t{}\t{}", shop.id, shop.region, shop.name);
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Sync { db, shop, json } => {
            let store = storage::open(&settings, db.db.as_deref()).await?;
            let clock: Arc<dyn Clock> = Arc::new(SystemClock);
            let access = platform_access(&settings, store, clock.clone())?;
            let engine = SyncEngine::new(access, clock, SyncOptions::default());
            let reports = match shop {
                Some(shop) => vec![engine.sync_shop(&shopcare_core::ShopId::new(shop)).await?],
                None => engine.sync_all().await?,
            };
            print_sync_reports(&reports, json);
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn deadline_command(
    market: &str,
    request_type: &str,
    stage: &str,
    opened_at: &str,
    time_zone: Option<&str>,
    refund: Option<(String, String)>,
    holidays: Vec<chrono::NaiveDate>,
) -> anyhow::Result<ExitCode> {
    use shopcare_core::aftersales::{
        compute_deadline, Calendars, DeadlineQuery, RuleTable, Stage, WorkCalendar,
    };
    let kind = shopcare_core::AfterSalesKind::parse(request_type.trim());
    if !kind.is_known() {
        anyhow::bail!("unknown --type {request_type:?}: expected REFUND, RETURN_AND_REFUND, REPLACEMENT, EXCHANGE or RESHIPMENT");
    }
    let stage = Stage::parse(stage).map_err(|error| anyhow::anyhow!("--stage: {error}"))?;
    let opened_at = chrono::DateTime::parse_from_rfc3339(opened_at)
        .with_context(|| format!("--opened-at {opened_at:?} is not an RFC 3339 time"))?
        .with_timezone(&chrono::Utc);
    let time_zone = match time_zone {
        Some(name) => name
            .parse::<chrono_tz::Tz>()
            .map_err(|_| anyhow::anyhow!("--time-zone {name:?} is not an IANA zone"))?,
        None => shopcare_core::region_defaults(market)
            .map(|(zone, _)| zone)
            .ok_or_else(|| {
                anyhow::anyhow!("no default time zone for market {market:?}: pass --time-zone")
            })?,
    };
    let refund = refund
        .map(|(amount, currency)| shopcare_core::Money::parse(&amount, &currency))
        .transpose()
        .context("--refund-amount/--currency")?;
    let mut calendars = Calendars::default();
    if !holidays.is_empty() {
        let default_weekend = calendars.for_market(market).weekend.clone();
        calendars.insert(
            market,
            WorkCalendar::new(default_weekend, holidays.into_iter().collect()),
        );
    }
    let query = DeadlineQuery {
        market,
        kind,
        stage,
        opened_at,
        time_zone,
        refund: refund.as_ref(),
    };
    let deadline = compute_deadline(&RuleTable::defaults(), &query, &calendars)?;
    println!(
        "{}",
        serde_json::json!({
            "due_at": deadline.due_at.with_timezone(&time_zone).to_rfc3339(),
            "rule": deadline.rule_id,
            "day_kind": deadline.day_kind.as_str(),
            "source": deadline.source,
            "amount": deadline.amount,
            "fallback": deadline.fallback,
        })
    );
    Ok(ExitCode::SUCCESS)
}

/// The Partner API client for the configured app, or why there is none.
fn platform_access(
    settings: &Settings,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
) -> anyhow::Result<PlatformAccess> {
    let (Some(app_key), Some(app_secret)) = (&settings.app_key, &settings.app_secret) else {
        anyhow::bail!("no TikTok Shop app credentials: set SHOPCARE_TIKTOK_APP_KEY and SHOPCARE_TIKTOK_APP_SECRET (or [tiktok] in the config file)");
    };
    let config = ClientConfig {
        api_base_url: settings.api_url.clone(),
        auth_base_url: settings.auth_url.clone(),
        ..ClientConfig::new(app_key.clone(), app_secret.expose())
    };
    Ok(PlatformAccess::new(
        store,
        TikTokClient::new(config)?,
        clock,
    ))
}

fn webhook_credentials(settings: &Settings) -> Option<WebhookCredentials> {
    Some(WebhookCredentials {
        app_key: settings.app_key.clone()?,
        app_secret: settings.app_secret.as_ref()?.expose().to_owned(),
    })
}

fn print_sync_reports(reports: &[ShopSyncReport], json: bool) {
    if json {
        let shops: Vec<_> = reports
            .iter()
            .map(|report| {
                let resources: serde_json::Map<String, serde_json::Value> = report
                    .resources
                    .iter()
                    .map(|(resource, outcome)| {
                        (
                            resource.as_str().to_owned(),
                            serde_json::json!({
                                "pages": outcome.pages,
                                "inserted": outcome.outcome.inserted,
                                "updated": outcome.outcome.updated,
                                "unchanged": outcome.outcome.unchanged,
                                "skipped": outcome.skipped,
                            }),
                        )
                    })
                    .collect();
                serde_json::json!({"shop_id": report.shop_id.as_str(), "resources": resources})
            })
            .collect();
        println!("{}", serde_json::json!({ "shops": shops }));
        return;
    }
    for report in reports {
        for (resource, outcome) in &report.resources {
            println!(
                "{}\t{:<13}\t{} pages\t{} new\t{} updated\t{} unchanged",
                report.shop_id,
                resource.as_str(),
                outcome.pages,
                outcome.outcome.inserted,
                outcome.outcome.updated,
                outcome.outcome.unchanged
            );
        }
    }
}

async fn import_command(settings: &Settings, command: ImportCommand) -> anyhow::Result<ExitCode> {
    let (report, json) = match command {
        ImportCommand::Orders {
            file,
            db,
            strict,
            json,
        } => {
            let store = storage::open(settings, db.db.as_deref()).await?;
            let reader = std::fs::File::open(&file)
                .with_context(|| format!("cannot open {}", file.display()))?;
            let reader = std::io::BufReader::with_capacity(1 << 20, reader);
            (
                import::orders::import_orders(&store, reader, strict).await?,
                json,
            )
        }
        ImportCommand::Reviews {
            file,
            db,
            strict,
            shop,
            json,
        } => {
            let store = storage::open(settings, db.db.as_deref()).await?;
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let options = import::reviews::ReviewImportOptions {
                strict,
                default_shop: shop.map(shopcare_core::ShopId::new),
            };
            let name = file.to_string_lossy();
            (
                import::reviews::import_reviews(&store, &name, &bytes, &options).await?,
                json,
            )
        }
    };
    print_import_report(&report, json)?;
    Ok(if report.rejected {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_import_report(report: &ImportReport, json: bool) -> anyhow::Result<()> {
    if json {
        let problems: Vec<_> = report
            .problems
            .iter()
            .map(|problem| serde_json::json!({"line": problem.line, "column": problem.column, "message": problem.message}))
            .collect();
        println!(
            "{}",
            serde_json::json!({
                "rows_read": report.rows_read,
                "inserted": report.inserted,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": report.rejected,
                "problems": problems,
            })
        );
        return Ok(());
    }
    for problem in &report.problems {
        eprintln!("{problem}");
    }
    if report.rejected {
        eprintln!(
            "rejected: {} bad row(s) and --strict given; nothing was imported",
            report.problems.len()
        );
    } else {
        println!(
            "read {} rows: {} inserted, {} updated, {} unchanged, {} bad",
            report.rows_read,
            report.inserted,
            report.updated,
            report.unchanged,
            report.problems.len()
        );
    }
    Ok(())
}
