//! `shopcare timeline preview` (the dry run: what the post-purchase timeline would send on
//! a day, and why not), `shopcare timeline template set` (a shop's own text for a trigger
//! and language, validated before it is saved) and `shopcare timeline sku set` (what the
//! timeline knows about a SKU).

use crate::config::Settings;
use crate::storage;
use anyhow::Context;
use shopcare_core::timeline::{validate_template, SkuSettings, Trigger};
use shopcare_core::{ShopId, SkuId};
use shopcare_server::clock::{Clock, SystemClock};
use shopcare_server::timeline::{parse_date, Timeline};
use shopcare_store::TimelineTemplateRecord;
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum TimelineCommand {
    /// What would be sent on a day (the shop's local day) and why; suppressed and
    /// blocked messages with their reasons.
    Preview {
        /// Store URL: sqlite://PATH (default sqlite://shopcare.db) or postgres://...
        #[arg(long)]
        db: Option<String>,
        /// Only this shop.
        #[arg(long)]
        shop: Option<String>,
        /// The day, YYYY-MM-DD.
        #[arg(long)]
        date: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// A shop's own message templates.
    Template {
        #[command(subcommand)]
        what: TemplateCommand,
    },
    /// What the timeline knows about a SKU.
    Sku {
        #[command(subcommand)]
        what: SkuCommand,
    },
}

#[derive(clap::Subcommand)]
pub enum TemplateCommand {
    /// Saves the text of one trigger in one language; refused when a variable is unknown,
    /// has no value for the trigger, or a required one is missing.
    Set {
        #[arg(long)]
        db: Option<String>,
        #[arg(long)]
        shop: String,
        /// order_confirmation, label_created, first_carrier_scan, tracking_stalled,
        /// delivered, help_after_delivery, review_request or replenishment.
        #[arg(long)]
        trigger: String,
        /// Language code, e.g. en, id, th.
        #[arg(long)]
        language: String,
        /// The template, with `{item}`, `{variant}`, `{tracking_link}`... placeholders.
        #[arg(long)]
        text: String,
    },
}

#[derive(clap::Subcommand)]
pub enum SkuCommand {
    /// Saves (replaces) a SKU's timeline settings.
    Set {
        #[arg(long)]
        db: Option<String>,
        #[arg(long)]
        shop: String,
        #[arg(long)]
        sku: String,
        /// Category for the usage window before the review request.
        #[arg(long)]
        category: Option<String>,
        /// The known common confusion (size, fit, assembly, pairing...).
        #[arg(long)]
        confusion: Option<String>,
        /// Send the help message after delivery (needs --confusion).
        #[arg(long)]
        help_message: bool,
        /// Expected days until a consumable runs out (enables the replenishment reminder).
        #[arg(long)]
        depletion_days: Option<u32>,
    },
}

pub async fn run(settings: &Settings, command: TimelineCommand) -> anyhow::Result<ExitCode> {
    match command {
        TimelineCommand::Preview {
            db,
            shop,
            date,
            json,
        } => preview(settings, db, shop, &date, json).await,
        TimelineCommand::Template {
            what:
                TemplateCommand::Set {
                    db,
                    shop,
                    trigger,
                    language,
                    text,
                },
        } => {
            let trigger = Trigger::parse(&trigger)?;
            let template = validate_template(trigger, &text)
                .with_context(|| format!("template for {trigger} refused"))?;
            let store = storage::open(settings, db.as_deref()).await?;
            store
                .save_timeline_template(&TimelineTemplateRecord {
                    shop_id: ShopId::new(shop),
                    trigger: trigger.as_str().to_owned(),
                    language: language.trim().to_owned(),
                    body: template.source().to_owned(),
                    updated_at: SystemClock.now(),
                })
                .await
                .context("saving the template")?;
            println!("saved {trigger}:{}", language.trim());
            Ok(ExitCode::SUCCESS)
        }
        TimelineCommand::Sku {
            what:
                SkuCommand::Set {
                    db,
                    shop,
                    sku,
                    category,
                    confusion,
                    help_message,
                    depletion_days,
                },
        } => {
            if help_message && confusion.is_none() {
                anyhow::bail!("--help-message needs --confusion (what buyers get wrong)");
            }
            let settings_value = SkuSettings {
                sku_id: SkuId::new(sku),
                category,
                common_confusion: confusion,
                help_message,
                depletion_cycle_days: depletion_days,
            };
            settings_value.validate()?;
            let store = storage::open(settings, db.as_deref()).await?;
            store
                .save_timeline_sku_settings(&ShopId::new(shop), &settings_value, SystemClock.now())
                .await
                .context("saving the SKU settings")?;
            println!("saved {}", settings_value.sku_id);
            Ok(ExitCode::SUCCESS)
        }
    }
}

async fn preview(
    settings: &Settings,
    db: Option<String>,
    shop: Option<String>,
    date: &str,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let date = parse_date(date)?;
    let store = storage::open(settings, db.as_deref()).await?;
    let shop = shop.map(ShopId::new);
    let entries = Timeline::new(store)
        .preview(shop.as_ref(), date)
        .await
        .context("planning the timeline")?;
    if json {
        println!(
            "{}",
            serde_json::to_string(&serde_json::json!({
                "date": date.to_string(),
                "messages": entries,
            }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<20} {:<14} {:<22} {:<20} {:<11} reason",
        "due (UTC)", "shop", "order", "trigger", "status"
    );
    for entry in &entries {
        let due = entry.due_at.map_or_else(
            || "-".to_owned(),
            |at| at.format("%Y-%m-%d %H:%M").to_string(),
        );
        println!(
            "{:<20} {:<14} {:<22} {:<20} {:<11} {}",
            due, entry.shop_id, entry.order_id, entry.trigger, entry.status, entry.reason
        );
        if let Some(text) = &entry.text {
            println!("    {text}");
        }
        for finding in &entry.findings {
            println!("    blocked: {finding}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
