//! The voice-of-customer log: buyer problems (from tickets, chats, comments and reviews)
//! grouped by triage category and root cause with their frequency per week; each issue's
//! fix owner and fix date; whether the fix worked, judged by the refund rate and the
//! negative-review rate of the affected SKUs in same-length windows either side of the
//! fix date; and escalation when several chats or comments report the same defect.
//!
//! Windows and weeks are local days of the shop's time zone. A rate is events in the
//! window over orders in the same window (refunds requested and 1–2★ reviews left per
//! order placed), so both sides are counted the same way. The window length is the
//! requested one, shortened to the whole days since the fix when fewer have passed, so
//! the "after" side is never compared while half empty.

use crate::classify::SupportCategory;
use crate::{ShopId, SkuId, Timestamp};
use chrono::{Datelike, Duration, NaiveDate};
use chrono_tz::Tz;
use std::collections::{BTreeMap, BTreeSet};

/// Who fixes an issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FixOwner {
    /// Packing, fulfilment, support process.
    Ops,
    /// Listing photos, copy, instructions.
    Creative,
    /// The product itself.
    Supplier,
}

impl FixOwner {
    pub fn as_str(self) -> &'static str {
        match self {
            FixOwner::Ops => "ops",
            FixOwner::Creative => "creative",
            FixOwner::Supplier => "supplier",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [FixOwner::Ops, FixOwner::Creative, FixOwner::Supplier]
            .into_iter()
            .find(|owner| owner.as_str() == name.trim())
    }
}

/// Where a report of a problem came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ReportSource {
    Chat,
    Comment,
    Review,
}

impl ReportSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportSource::Chat => "chat",
            ReportSource::Comment => "comment",
            ReportSource::Review => "review",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [
            ReportSource::Chat,
            ReportSource::Comment,
            ReportSource::Review,
        ]
        .into_iter()
        .find(|source| source.as_str() == name.trim())
    }
}

/// One buyer reporting a problem.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueReport {
    pub shop_id: ShopId,
    pub reported_at: Timestamp,
    pub category: SupportCategory,
    /// The root-cause tag (`packout_error`, `fragile_part`, ...).
    pub root_cause: String,
    pub sku_id: Option<SkuId>,
    pub source: ReportSource,
    /// The conversation, comment or review id: one buyer thread counts once.
    pub source_id: String,
}

/// The grouping key of the log.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IssueKey {
    pub category: &'static str,
    pub root_cause: String,
}

/// Reports per week (keyed by the local Monday) for each category and root cause.
pub fn weekly_frequency(
    reports: &[IssueReport],
    time_zone: Tz,
) -> BTreeMap<IssueKey, BTreeMap<NaiveDate, u32>> {
    let mut table: BTreeMap<IssueKey, BTreeMap<NaiveDate, u32>> = BTreeMap::new();
    for report in reports {
        let day = report.reported_at.with_timezone(&time_zone).date_naive();
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        let key = IssueKey {
            category: report.category.as_str(),
            root_cause: report.root_cause.clone(),
        };
        *table.entry(key).or_default().entry(monday).or_default() += 1;
    }
    table
}

/// What happened to the SKUs, as dated events.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkuEvents {
    /// Orders placed, one entry per order line of an affected SKU.
    pub orders: Vec<(SkuId, Timestamp)>,
    /// Refunds or returns requested.
    pub refunds: Vec<(SkuId, Timestamp)>,
    /// 1–2★ reviews left.
    pub negative_reviews: Vec<(SkuId, Timestamp)>,
}

/// Counts and rates in one window.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowRates {
    pub from: Timestamp,
    pub until: Timestamp,
    pub orders: u32,
    pub refunds: u32,
    pub negative_reviews: u32,
}

impl WindowRates {
    pub fn refund_rate(&self) -> Option<f64> {
        (self.orders > 0).then(|| f64::from(self.refunds) / f64::from(self.orders))
    }

    pub fn negative_review_rate(&self) -> Option<f64> {
        (self.orders > 0).then(|| f64::from(self.negative_reviews) / f64::from(self.orders))
    }
}

/// The before/after comparison of a fix.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FixComparison {
    pub window_days: u32,
    pub before: WindowRates,
    pub after: WindowRates,
}

impl FixComparison {
    /// Both rates went down (or stayed at zero with orders on both sides).
    pub fn improved(&self) -> Option<bool> {
        let refunds = (self.before.refund_rate()?, self.after.refund_rate()?);
        let reviews = (
            self.before.negative_review_rate()?,
            self.after.negative_review_rate()?,
        );
        let no_worse = refunds.1 <= refunds.0 && reviews.1 <= reviews.0;
        let better = refunds.1 < refunds.0 || reviews.1 < reviews.0;
        Some(no_worse && (better || refunds.0 == 0.0 && reviews.0 == 0.0))
    }
}

/// Compares the affected SKUs' rates in `window_days` local days before the fix day
/// and as many from it, as known at `now`. `None` when not a whole day has passed.
pub fn compare_fix(
    fix_day: NaiveDate,
    window_days: u32,
    skus: &BTreeSet<SkuId>,
    events: &SkuEvents,
    time_zone: Tz,
    now: Timestamp,
) -> Option<FixComparison> {
    let today = now.with_timezone(&time_zone).date_naive();
    let whole_days_since = (today - fix_day).num_days();
    let days = i64::from(window_days).min(whole_days_since);
    if days < 1 {
        return None;
    }
    let midnight = |day: NaiveDate| {
        super::response::local_to_utc(time_zone, day.and_time(chrono::NaiveTime::MIN))
    };
    let fix_start = midnight(fix_day);
    let before_start = midnight(fix_day - Duration::days(days));
    let after_end = midnight(fix_day + Duration::days(days));
    let count = |list: &[(SkuId, Timestamp)], from: Timestamp, until: Timestamp| -> u32 {
        let found = list
            .iter()
            .filter(|(sku, at)| skus.contains(sku) && *at >= from && *at < until)
            .count();
        u32::try_from(found).unwrap_or(u32::MAX)
    };
    let window = |from: Timestamp, until: Timestamp| WindowRates {
        from,
        until,
        orders: count(&events.orders, from, until),
        refunds: count(&events.refunds, from, until),
        negative_reviews: count(&events.negative_reviews, from, until),
    };
    Some(FixComparison {
        window_days: u32::try_from(days).unwrap_or(window_days),
        before: window(before_start, fix_start),
        after: window(fix_start, after_end),
    })
}

/// When to escalate a defect to a product or listing problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EscalationRule {
    /// Distinct buyer threads (chats or comments) reporting the same defect.
    pub min_reports: u32,
    /// Within this span.
    pub within: Duration,
}

impl Default for EscalationRule {
    fn default() -> Self {
        Self {
            min_reports: 3,
            within: Duration::days(7),
        }
    }
}

/// Several buyers reporting one defect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Escalation {
    pub shop_id: ShopId,
    pub sku_id: SkuId,
    pub root_cause: String,
    pub category: &'static str,
    /// Distinct chats and comments in the busiest span.
    pub reports: u32,
    pub first_reported_at: Timestamp,
    pub last_reported_at: Timestamp,
}

/// Defects (same shop, SKU and root cause) reported by at least `min_reports` distinct
/// chats or comments within `within` of each other. Reviews do not count here: they
/// have their own flags in the reputation metrics.
pub fn escalations(reports: &[IssueReport], rule: &EscalationRule) -> Vec<Escalation> {
    type DefectKey<'a> = (&'a ShopId, &'a SkuId, &'a str, &'static str);
    let mut by_defect: BTreeMap<DefectKey<'_>, Vec<(Timestamp, &str)>> = BTreeMap::new();
    for report in reports {
        if report.source == ReportSource::Review {
            continue;
        }
        let Some(sku) = &report.sku_id else { continue };
        by_defect
            .entry((
                &report.shop_id,
                sku,
                report.root_cause.as_str(),
                report.category.as_str(),
            ))
            .or_default()
            .push((report.reported_at, report.source_id.as_str()));
    }
    let mut found = Vec::new();
    for ((shop_id, sku_id, root_cause, category), mut dated) in by_defect {
        // One thread counts once, at its first report.
        dated.sort();
        let mut seen = BTreeSet::new();
        dated.retain(|(_, source)| seen.insert(*source));
        let mut best: Option<(usize, usize)> = None;
        let mut start = 0;
        for end in 0..dated.len() {
            while dated[end].0 - dated[start].0 > rule.within {
                start += 1;
            }
            if best.is_none_or(|(from, to)| end - start > to - from) {
                best = Some((start, end));
            }
        }
        if let Some((from, to)) = best {
            let reports = u32::try_from(to - from + 1).unwrap_or(u32::MAX);
            if reports >= rule.min_reports {
                found.push(Escalation {
                    shop_id: shop_id.clone(),
                    sku_id: sku_id.clone(),
                    root_cause: root_cause.to_owned(),
                    category,
                    reports,
                    first_reported_at: dated[from].0,
                    last_reported_at: dated[to].0,
                });
            }
        }
    }
    found
}
