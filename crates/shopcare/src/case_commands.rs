//! `shopcare cases list` (the after-sales queue, sorted by time left) and
//! `shopcare cases act` (puts a seller command in the outbox and runs the job runner until
//! the platform has answered).

use crate::config::Settings;
use crate::storage;
use anyhow::Context;
use shopcare_core::ShopId;
use shopcare_server::case_jobs::CaseActionHandler;
use shopcare_server::cases::{CaseCommand, CaseDesk};
use shopcare_server::clock::{Clock, SystemClock};
use shopcare_server::jobs::JobRunner;
use shopcare_store::CaseActionState;
use std::process::ExitCode;
use std::sync::Arc;

/// How long `cases act` keeps retrying before leaving the action to `shopcare serve`.
const ACT_PATIENCE: std::time::Duration = std::time::Duration::from_secs(90);

#[derive(clap::Subcommand)]
pub enum CasesCommand {
    /// Open cases across shops, most urgent first.
    List {
        /// Store URL: sqlite://PATH (default sqlite://shopcare.db) or postgres://...
        #[arg(long)]
        db: Option<String>,
        /// Only this shop.
        #[arg(long)]
        shop: Option<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Approve, reject or offer a partial refund on a case.
    Act(ActArgs),
}

#[derive(clap::Args)]
#[command(group(clap::ArgGroup::new("decision").required(true)))]
pub struct ActArgs {
    case_id: String,
    /// Approve the request as asked (refund, return, received package or replacement).
    #[arg(long, group = "decision")]
    approve: bool,
    /// Reject with this platform reject reason.
    #[arg(long, group = "decision", value_name = "REASON")]
    reject: Option<String>,
    /// Offer a partial refund of this amount (the case's currency unless --currency).
    #[arg(long, group = "decision", value_name = "AMOUNT")]
    partial_refund: Option<String>,
    #[arg(long)]
    currency: Option<String>,
    /// Comment sent with a rejection.
    #[arg(long)]
    comment: Option<String>,
    /// Evidence image id sent with a rejection (repeatable).
    #[arg(long = "image")]
    images: Vec<String>,
    /// Store URL: sqlite://PATH (default sqlite://shopcare.db) or postgres://...
    #[arg(long)]
    db: Option<String>,
    /// Who acts, for the case log.
    #[arg(long, default_value = "cli")]
    by: String,
}

pub async fn run(settings: &Settings, command: CasesCommand) -> anyhow::Result<ExitCode> {
    match command {
        CasesCommand::List { db, shop, json } => list(settings, db, shop, json).await,
        CasesCommand::Act(args) => act(settings, args).await,
    }
}

async fn list(
    settings: &Settings,
    db: Option<String>,
    shop: Option<String>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let store = storage::open(settings, db.as_deref()).await?;
    let desk = CaseDesk::new(store);
    let now = SystemClock.now();
    desk.observe(now).await.context("observing cases")?;
    let shops = shop.map(|shop| vec![ShopId::new(shop)]);
    let queue = desk.queue(shops, now).await.context("listing cases")?;
    if json {
        println!("{}", serde_json::to_string(&queue)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<22} {:<14} {:<18} {:<34} {:>10}  suggestion",
        "case", "shop", "kind", "status", "hours left"
    );
    for entry in &queue {
        let hours = entry.seconds_left.map_or_else(
            || "-".to_owned(),
            |seconds| format!("{:.1}", seconds as f64 / 3600.0),
        );
        println!(
            "{:<22} {:<14} {:<18} {:<34} {:>10}  {}",
            entry.case_id, entry.shop_id, entry.kind, entry.status, hours, entry.suggestion.action
        );
        if let Some(discrepancy) = &entry.deadline_discrepancy {
            println!("    note: {discrepancy}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

async fn act(settings: &Settings, args: ActArgs) -> anyhow::Result<ExitCode> {
    let command = if args.approve {
        CaseCommand::Approve {
            decision: None,
            buyer_keep_item: None,
        }
    } else if let Some(reason) = args.reject {
        CaseCommand::Reject {
            reason,
            comment: args.comment,
            images: args.images,
        }
    } else if let Some(amount) = args.partial_refund {
        CaseCommand::PartialRefund {
            amount,
            currency: args.currency,
        }
    } else {
        anyhow::bail!("give one of --approve, --reject REASON or --partial-refund AMOUNT");
    };
    let store = storage::open(settings, args.db.as_deref()).await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let desk = CaseDesk::new(store.clone());
    desk.observe(clock.now()).await.context("observing cases")?;
    let outcome = desk
        .act(&args.case_id, None, &command, &args.by, clock.now())
        .await
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let Some(action) = outcome.action else {
        println!("logged");
        return Ok(ExitCode::SUCCESS);
    };
    let action_id = action.action.action_id.clone();
    if !outcome.new {
        eprintln!("the same command was given before: action {action_id} is reused");
    }
    let access = crate::platform_access(settings, store.clone(), clock.clone())?;
    let runner = JobRunner::new(store.clone(), format!("cli-{}", std::process::id()))
        .with_handler(Arc::new(CaseActionHandler::new(access, desk)));
    let started = std::time::Instant::now();
    loop {
        let current = store
            .case_action(&action_id)
            .await?
            .context("the action disappeared from the store")?;
        if current.state != CaseActionState::Pending || started.elapsed() > ACT_PATIENCE {
            println!("{}", serde_json::to_string(&current)?);
            return Ok(match current.state {
                CaseActionState::Sent | CaseActionState::Confirmed => ExitCode::SUCCESS,
                CaseActionState::Pending | CaseActionState::Failed => ExitCode::FAILURE,
            });
        }
        let report = runner.tick(clock.now()).await?;
        if report.claimed == 0 {
            // A retry waits for its backoff; look again shortly.
            tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        }
    }
}
