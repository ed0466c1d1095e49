//! `shopcare support stats`: per shop (and per agent) first response time p50/p90 and
//! the 12-hour and 24-hour response rates over the 30 local days before `--as-of`.

use crate::config::Settings;
use crate::storage;
use anyhow::Context;
use shopcare_core::support::{ResponseRules, ResponseStats};
use shopcare_server::support::{report_json, SupportDesk};
use std::process::ExitCode;

#[derive(clap::Subcommand)]
pub enum SupportCommand {
    /// Chat response times and rates per shop and agent, by the platform's rules.
    Stats {
        /// Store URL: sqlite://PATH (default sqlite://shopcare.db) or postgres://...
        #[arg(long)]
        db: Option<String>,
        /// The window is the 30 complete days (shop time zone) before this date.
        #[arg(long)]
        as_of: chrono::NaiveDate,
        /// Print JSON (`{"as_of": ..., "shops": [...]}`) instead of a table.
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(settings: &Settings, command: SupportCommand) -> anyhow::Result<ExitCode> {
    let SupportCommand::Stats { db, as_of, json } = command;
    let store = storage::open(settings, db.as_deref()).await?;
    let desk = SupportDesk::new(store.clone());
    let rules = ResponseRules::default();
    let mut shops = store.list_shops().await.context("listing shops")?;
    shops.sort_by(|left, right| left.id.cmp(&right.id));
    let mut reports = Vec::with_capacity(shops.len());
    for shop in &shops {
        let report = desk
            .response_stats(shop, as_of, &rules)
            .await
            .with_context(|| format!("computing response stats of shop {}", shop.id))?;
        reports.push((shop, report));
    }
    if json {
        let shops: Vec<serde_json::Value> = reports
            .iter()
            .map(|(shop, report)| report_json(shop, report))
            .collect();
        let document = serde_json::json!({ "as_of": as_of, "shops": shops });
        println!("{}", serde_json::to_string_pretty(&document)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{:<24} {:>9} {:>9} {:>9} {:>8} {:>8} {:>8}",
        "shop / agent", "inquiries", "p50", "p90", "12h %", "24h %", "pending"
    );
    for (shop, report) in &reports {
        print_row(shop.id.as_str(), &report.shop);
        for (agent, stats) in &report.agents {
            print_row(&format!("  {agent}"), stats);
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn print_row(label: &str, stats: &ResponseStats) {
    let duration = |value: Option<chrono::Duration>| {
        value.map_or("-".to_owned(), |time| {
            format!("{}h{:02}m", time.num_hours(), time.num_minutes() % 60)
        })
    };
    let percent =
        |rate: Option<f64>| rate.map_or("-".to_owned(), |rate| format!("{:.1}", rate * 100.0));
    println!(
        "{:<24} {:>9} {:>9} {:>9} {:>8} {:>8} {:>8}",
        label,
        stats.inquiries,
        duration(stats.first_response_p50),
        duration(stats.first_response_p90),
        percent(stats.within_short.rate()),
        percent(stats.within_long.rate()),
        stats.within_long.pending,
    );
}
