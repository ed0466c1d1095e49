//! The post-purchase timeline: which short chat messages an order should get, when, and
//! why not. Pure planning — the server gathers an order's facts, calls [`plan_order`]
//! with `now`, enqueues what is due and re-plans at send time (a cancellation may have
//! arrived in between).
//!
//! Each trigger fires at most once per order ([`dedupe_key`]). A message's `eligible_at`
//! is when its condition became true; `due_at` is that moment pushed out of the buyer's
//! quiet hours. Messages that would arrive far too late (a shop switching the timeline
//! on for old orders) are left out rather than sent stale.

mod defaults;
mod template;

pub use defaults::{
    default_language_for_region, default_template, fallback_first_name, BUILT_IN_LANGUAGES,
};
pub use template::{
    allowed_variables, check_placeholders, is_public, required_variables, validate_template,
    Template, TemplateError, TemplateValues, Variable,
};

use crate::compliance::{self, TextKind, Verdict};
use crate::{
    AfterSalesKind, CancelStatus, Order, OrderId, OrderStatus, ReturnStatus, SkuId, Timestamp,
    TrackingEvent, TrackingStage,
};
use chrono::{Duration, NaiveTime, TimeZone};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::fmt;

/// What a timeline message answers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Trigger {
    OrderConfirmation,
    LabelCreated,
    FirstCarrierScan,
    TrackingStalled,
    Delivered,
    HelpAfterDelivery,
    ReviewRequest,
    Replenishment,
}

impl Trigger {
    pub const ALL: [Trigger; 8] = [
        Trigger::OrderConfirmation,
        Trigger::LabelCreated,
        Trigger::FirstCarrierScan,
        Trigger::TrackingStalled,
        Trigger::Delivered,
        Trigger::HelpAfterDelivery,
        Trigger::ReviewRequest,
        Trigger::Replenishment,
    ];

    /// The stable name, e.g. `first_carrier_scan`.
    pub fn as_str(self) -> &'static str {
        match self {
            Trigger::OrderConfirmation => "order_confirmation",
            Trigger::LabelCreated => "label_created",
            Trigger::FirstCarrierScan => "first_carrier_scan",
            Trigger::TrackingStalled => "tracking_stalled",
            Trigger::Delivered => "delivered",
            Trigger::HelpAfterDelivery => "help_after_delivery",
            Trigger::ReviewRequest => "review_request",
            Trigger::Replenishment => "replenishment",
        }
    }

    pub fn parse(name: &str) -> Result<Trigger, TimelineError> {
        Trigger::ALL
            .into_iter()
            .find(|trigger| trigger.as_str() == name.trim())
            .ok_or_else(|| TimelineError::UnknownTrigger(name.to_owned()))
    }

    /// The compliance guard's kind for this message.
    pub fn text_kind(self) -> TextKind {
        match self {
            Trigger::ReviewRequest => TextKind::ReviewRequest,
            _ => TextKind::ChatMessage,
        }
    }
}

impl fmt::Display for Trigger {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Bad timeline input, refused with the value that was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimelineError {
    #[error("unknown timeline trigger {0:?} (expected one of order_confirmation, label_created, first_carrier_scan, tracking_stalled, delivered, help_after_delivery, review_request, replenishment)")]
    UnknownTrigger(String),
    #[error("stall hours must be between 48 and 72, got {0}")]
    StallHours(u32),
    #[error("the help message day must be between 2 and 14, got {0}")]
    HelpDay(u32),
    #[error("the replenishment point must be between 60 and 80 % of the cycle, got {0}")]
    ReplenishmentPercent(u32),
    #[error("{what} must be between 1 and 365 days, got {days}")]
    Days { what: &'static str, days: u32 },
    #[error("invalid time of day {0:?}: expected HH:MM")]
    TimeOfDay(String),
}

/// The hours of the buyer's day when no message is delivered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuietHours {
    /// Local time quiet hours begin (inclusive).
    pub start: NaiveTime,
    /// Local time they end (exclusive); before `start` means they cross midnight.
    pub end: NaiveTime,
}

impl Default for QuietHours {
    fn default() -> Self {
        Self {
            start: NaiveTime::from_hms_opt(21, 0, 0).unwrap_or_default(),
            end: NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default(),
        }
    }
}

impl QuietHours {
    /// Parses `HH:MM` pairs.
    pub fn parse(start: &str, end: &str) -> Result<QuietHours, TimelineError> {
        let time = |text: &str| {
            NaiveTime::parse_from_str(text.trim(), "%H:%M")
                .map_err(|_| TimelineError::TimeOfDay(text.to_owned()))
        };
        Ok(QuietHours {
            start: time(start)?,
            end: time(end)?,
        })
    }

    fn contains(&self, local: NaiveTime) -> bool {
        if self.start == self.end {
            false
        } else if self.start < self.end {
            local >= self.start && local < self.end
        } else {
            local >= self.start || local < self.end
        }
    }
}

/// Moves `at` to the end of the quiet hours when it falls inside them, in `zone`.
/// The result is never earlier than `at` and never inside the quiet hours.
pub fn after_quiet_hours(at: Timestamp, quiet: &QuietHours, zone: Tz) -> Timestamp {
    let local = at.with_timezone(&zone);
    if !quiet.contains(local.time()) {
        return at;
    }
    let mut date = local.date_naive();
    if local.time() >= quiet.end {
        date = date.succ_opt().unwrap_or(date);
    }
    // The end may fall in a daylight-saving gap: step forward until the local time exists.
    let mut end = date.and_time(quiet.end);
    for _ in 0..4 {
        if let Some(resolved) = zone.from_local_datetime(&end).earliest() {
            let resolved = resolved.with_timezone(&chrono::Utc);
            if resolved >= at {
                return resolved;
            }
        }
        end += Duration::minutes(30);
    }
    at
}

/// Per-shop timeline settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineSettings {
    /// Off: nothing is planned for the shop.
    pub enabled: bool,
    /// Hours without a tracking update before the stalled-parcel note (48–72).
    pub stall_hours: u32,
    pub quiet_hours: QuietHours,
    /// Language of the messages (`en`, `id`, `th`...).
    pub language: String,
    /// Processing (handling) time promised in the order confirmation.
    pub processing_days: u32,
    /// Day after delivery of the help message (2–14).
    pub help_day: u32,
    /// Usage window before the review request, per SKU category.
    pub usage_window_days_by_category: BTreeMap<String, u32>,
    /// Usage window for SKUs without a category (or a category without a window).
    pub default_usage_window_days: u32,
    /// Where in the depletion cycle the replenishment reminder goes (60–80 %).
    pub replenishment_percent: u32,
    /// A tracking link pattern with `{tracking_number}`; without it the number itself is used.
    pub tracking_link_pattern: Option<String>,
}

impl TimelineSettings {
    /// Defaults for a shop in `region`.
    pub fn for_region(region: &str) -> TimelineSettings {
        let mut usage = BTreeMap::new();
        usage.insert("skincare".to_owned(), 14);
        usage.insert("apparel".to_owned(), 7);
        usage.insert("electronics".to_owned(), 10);
        usage.insert("accessories".to_owned(), 7);
        TimelineSettings {
            enabled: true,
            stall_hours: 48,
            quiet_hours: QuietHours::default(),
            language: default_language_for_region(region).to_owned(),
            processing_days: 2,
            help_day: 3,
            usage_window_days_by_category: usage,
            default_usage_window_days: 10,
            replenishment_percent: 70,
            tracking_link_pattern: None,
        }
    }

    /// Checks the ranges the platform facts allow.
    pub fn validate(&self) -> Result<(), TimelineError> {
        if !(48..=72).contains(&self.stall_hours) {
            return Err(TimelineError::StallHours(self.stall_hours));
        }
        if !(2..=14).contains(&self.help_day) {
            return Err(TimelineError::HelpDay(self.help_day));
        }
        if !(60..=80).contains(&self.replenishment_percent) {
            return Err(TimelineError::ReplenishmentPercent(
                self.replenishment_percent,
            ));
        }
        check_days("the default usage window", self.default_usage_window_days)?;
        check_days("processing days", self.processing_days)?;
        for days in self.usage_window_days_by_category.values() {
            check_days("a usage window", *days)?;
        }
        Ok(())
    }

    fn usage_window_days(&self, category: Option<&str>) -> u32 {
        category
            .and_then(|category| self.usage_window_days_by_category.get(category))
            .copied()
            .unwrap_or(self.default_usage_window_days)
    }
}

fn check_days(what: &'static str, days: u32) -> Result<(), TimelineError> {
    if (1..=365).contains(&days) {
        Ok(())
    } else {
        Err(TimelineError::Days { what, days })
    }
}

/// What the shop knows about one SKU for the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkuSettings {
    pub sku_id: SkuId,
    /// Category used for the usage window (`skincare`, `apparel`...).
    pub category: Option<String>,
    /// The known common confusion (size, fit, assembly, pairing...), if any.
    pub common_confusion: Option<String>,
    /// Whether the help message is sent for this SKU (needs a common confusion).
    pub help_message: bool,
    /// Expected days until a consumable runs out; `None` for durable goods.
    pub depletion_cycle_days: Option<u32>,
}

impl SkuSettings {
    pub fn validate(&self) -> Result<(), TimelineError> {
        if let Some(days) = self.depletion_cycle_days {
            check_days("the depletion cycle", days)?;
        }
        Ok(())
    }
}

/// An after-sales case of the order, as far as the timeline cares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFact {
    pub kind: AfterSalesKind,
    pub status: ReturnStatus,
}

/// Everything the planner needs about one order.
#[derive(Debug, Clone, PartialEq)]
pub struct OrderFacts {
    pub order: Order,
    pub tracking: Vec<TrackingEvent>,
    pub cases: Vec<CaseFact>,
    pub cancellations: Vec<CancelStatus>,
    /// The buyer's latest chat message has no answer yet.
    pub unresolved_chat: bool,
    pub buyer_first_name: Option<String>,
    pub shop_name: String,
    /// The shop's market (ISO 3166 alpha-2), for the compliance rule pack.
    pub market: String,
    /// The buyer's time zone (the shop's market zone).
    pub buyer_time_zone: Tz,
}

/// A message the order should get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedMessage {
    pub trigger: Trigger,
    pub order_id: OrderId,
    /// When the trigger's condition became true.
    pub eligible_at: Timestamp,
    /// When to send: `eligible_at` moved out of quiet hours.
    pub due_at: Timestamp,
    /// Why, for the operator.
    pub reason: String,
    /// `trigger:language`, the template used.
    pub template_key: String,
    pub language: String,
    /// The rendered text (already passed by the compliance guard).
    pub text: String,
    pub dedupe_key: String,
}

/// A message the order would get but must not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedMessage {
    pub trigger: Trigger,
    pub order_id: OrderId,
    /// When it would have been due, if the trigger had happened.
    pub eligible_at: Option<Timestamp>,
    pub reason: String,
    /// Findings of the compliance guard when that is why.
    pub blocked_by: Vec<String>,
}

/// The planner's answer for one order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderPlan {
    pub messages: Vec<PlannedMessage>,
    /// Suppressed (cancellation, refund, open case...) or blocked by the guard.
    pub skipped: Vec<SkippedMessage>,
}

impl OrderPlan {
    pub fn message(&self, trigger: Trigger) -> Option<&PlannedMessage> {
        self.messages
            .iter()
            .find(|message| message.trigger == trigger)
    }

    pub fn skipped(&self, trigger: Trigger) -> Option<&SkippedMessage> {
        self.skipped.iter().find(|skip| skip.trigger == trigger)
    }
}

/// Templates to use: the shop's own, falling back to the built-in ones.
pub trait TemplateSource {
    /// The shop's validated template for `trigger` in `language`, if it wrote one.
    fn shop_template(&self, trigger: Trigger, language: &str) -> Option<&Template>;
}

/// Shop templates keyed by (trigger, language); all validated on insertion.
#[derive(Debug, Clone, Default)]
pub struct ShopTemplates {
    templates: BTreeMap<(Trigger, String), Template>,
}

impl ShopTemplates {
    pub fn insert(&mut self, language: &str, template: Template) {
        self.templates
            .insert((template.trigger(), language.to_owned()), template);
    }
}

impl TemplateSource for ShopTemplates {
    fn shop_template(&self, trigger: Trigger, language: &str) -> Option<&Template> {
        self.templates.get(&(trigger, language.to_owned()))
    }
}

/// The one-message-per-trigger-per-order key.
pub fn dedupe_key(order_id: &OrderId, trigger: Trigger) -> String {
    format!("timeline:{}:{}", order_id.as_str(), trigger.as_str())
}

/// How long after its due time a message is still worth sending.
fn freshness(trigger: Trigger) -> Duration {
    match trigger {
        Trigger::OrderConfirmation => Duration::days(1),
        Trigger::LabelCreated | Trigger::FirstCarrierScan | Trigger::Delivered => Duration::days(2),
        Trigger::TrackingStalled => Duration::days(5),
        Trigger::HelpAfterDelivery | Trigger::ReviewRequest => Duration::days(7),
        Trigger::Replenishment => Duration::days(10),
    }
}

/// Why the whole order gets nothing more, if it does not.
fn order_suppression(facts: &OrderFacts) -> Option<String> {
    if facts.order.status == OrderStatus::Cancelled {
        return Some("order is cancelled".to_owned());
    }
    if let Some(status) = facts.cancellations.iter().find(|status| {
        matches!(
            status,
            CancelStatus::Pending | CancelStatus::Success | CancelStatus::Complete
        ) || !status.is_known()
    }) {
        return Some(format!("cancellation {}", status.as_str()));
    }
    if let Some(case) = facts.cases.iter().find(|case| {
        matches!(
            case.kind,
            AfterSalesKind::Refund | AfterSalesKind::ReturnAndRefund
        ) && matches!(
            case.status,
            ReturnStatus::RequestSuccess | ReturnStatus::RequestComplete
        )
    }) {
        return Some(format!(
            "{} case refunded ({})",
            case.kind.as_str(),
            case.status.as_str()
        ));
    }
    None
}

/// The open case that makes review and help messages out of place, if any.
fn open_case(facts: &OrderFacts) -> Option<&CaseFact> {
    facts.cases.iter().find(|case| {
        !case.status.is_closed()
            && !matches!(
                case.status,
                ReturnStatus::RequestRejected | ReturnStatus::ReplacementRejected
            )
    })
}

/// One trigger's moment and context, before templates and guards.
struct Candidate {
    trigger: Trigger,
    eligible_at: Timestamp,
    reason: String,
    line: usize,
    help_topic: String,
    /// Set when the condition holds but must not be acted on.
    blocked: Option<String>,
}

fn first_event(tracking: &[TrackingEvent], stages: &[TrackingStage]) -> Option<Timestamp> {
    tracking
        .iter()
        .filter(|event| stages.contains(&event.stage))
        .map(|event| event.time)
        .min()
}

fn delivered_at(facts: &OrderFacts) -> Option<Timestamp> {
    facts
        .order
        .delivery_time
        .or_else(|| first_event(&facts.tracking, &[TrackingStage::Delivered]))
}

fn candidates(
    facts: &OrderFacts,
    settings: &TimelineSettings,
    skus: &BTreeMap<SkuId, SkuSettings>,
    now: Timestamp,
) -> Vec<Candidate> {
    let order = &facts.order;
    let mut found = Vec::new();
    let mut add = |trigger, eligible_at, reason: String, line, help_topic: String| {
        found.push(Candidate {
            trigger,
            eligible_at,
            reason,
            line,
            help_topic,
            blocked: None,
        });
    };
    if order.status != OrderStatus::Unpaid {
        let placed = order.paid_time.unwrap_or(order.create_time);
        add(
            Trigger::OrderConfirmation,
            placed,
            format!("order paid at {}", placed.to_rfc3339()),
            0,
            String::new(),
        );
    }
    if let Some(at) = first_event(&facts.tracking, &[TrackingStage::LabelCreated]) {
        add(
            Trigger::LabelCreated,
            at,
            format!("shipping label created at {}", at.to_rfc3339()),
            0,
            String::new(),
        );
    }
    let carrier_stages = [
        TrackingStage::PickedUp,
        TrackingStage::InTransit,
        TrackingStage::OutForDelivery,
    ];
    if let Some(at) = first_event(&facts.tracking, &carrier_stages) {
        add(
            Trigger::FirstCarrierScan,
            at,
            format!("first carrier scan at {}", at.to_rfc3339()),
            0,
            String::new(),
        );
    }
    let delivered = delivered_at(facts);
    if delivered.is_none() {
        if let Some(idle) = crate::tracking_idle_hours(&facts.tracking, now) {
            let last = facts
                .tracking
                .iter()
                .map(|event| event.time)
                .max()
                .unwrap_or(now);
            if idle >= i64::from(settings.stall_hours) {
                let at = last + Duration::hours(i64::from(settings.stall_hours));
                add(
                    Trigger::TrackingStalled,
                    at,
                    format!(
                        "no tracking update for {idle} h (threshold {} h) since {}",
                        settings.stall_hours,
                        last.to_rfc3339()
                    ),
                    0,
                    String::new(),
                );
            }
        }
    }
    let Some(delivered) = delivered else {
        return found;
    };
    add(
        Trigger::Delivered,
        delivered,
        format!("delivered at {}", delivered.to_rfc3339()),
        0,
        String::new(),
    );
    let sku_of = |line: &crate::LineItem| skus.get(&line.sku_id);
    if let Some((line, sku)) = order
        .line_items
        .iter()
        .enumerate()
        .find_map(|(index, line)| {
            sku_of(line)
                .filter(|sku| sku.help_message && sku.common_confusion.is_some())
                .map(|sku| (index, sku))
        })
    {
        let topic = sku.common_confusion.clone().unwrap_or_default();
        add(
            Trigger::HelpAfterDelivery,
            delivered + Duration::days(i64::from(settings.help_day)),
            format!(
                "day {} after delivery; SKU {} has a known confusion ({topic})",
                settings.help_day, sku.sku_id
            ),
            line,
            topic,
        );
    }
    let (usage_days, usage_line) = order
        .line_items
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let category = sku_of(line).and_then(|sku| sku.category.as_deref());
            (settings.usage_window_days(category), index)
        })
        .max_by_key(|(days, index)| (*days, std::cmp::Reverse(*index)))
        .unwrap_or((settings.default_usage_window_days, 0));
    add(
        Trigger::ReviewRequest,
        delivered + Duration::days(i64::from(usage_days)),
        format!("usage window of {usage_days} days after delivery has passed"),
        usage_line,
        String::new(),
    );
    if let Some((line, cycle)) = order
        .line_items
        .iter()
        .enumerate()
        .filter_map(|(index, line)| {
            sku_of(line)
                .and_then(|sku| sku.depletion_cycle_days)
                .map(|cycle| (index, cycle))
        })
        .min_by_key(|(index, cycle)| (*cycle, *index))
    {
        let minutes = i64::from(cycle) * 24 * 60 * i64::from(settings.replenishment_percent) / 100;
        add(
            Trigger::Replenishment,
            delivered + Duration::minutes(minutes),
            format!(
                "{} % of the {cycle}-day depletion cycle since delivery",
                settings.replenishment_percent
            ),
            line,
            String::new(),
        );
    }
    let open = open_case(facts).map(|case| {
        format!(
            "open {} case ({})",
            case.kind.as_str(),
            case.status.as_str()
        )
    });
    for candidate in &mut found {
        candidate.blocked = match candidate.trigger {
            Trigger::ReviewRequest if open.is_some() => open.clone(),
            Trigger::ReviewRequest if facts.unresolved_chat => {
                Some("buyer's last chat message is unanswered".to_owned())
            }
            Trigger::HelpAfterDelivery => open.clone(),
            _ => None,
        };
    }
    found
}

/// Plans the timeline of one order at `now`: every trigger whose moment has come or is
/// known ahead (due later), rendered and checked by the compliance guard, and every one
/// that is suppressed, with the reason.
pub fn plan_order(
    facts: &OrderFacts,
    settings: &TimelineSettings,
    skus: &BTreeMap<SkuId, SkuSettings>,
    templates: &dyn TemplateSource,
    now: Timestamp,
) -> OrderPlan {
    let mut plan = OrderPlan::default();
    if !settings.enabled {
        return plan;
    }
    let order_id = &facts.order.id;
    let suppression = order_suppression(facts);
    for candidate in candidates(facts, settings, skus, now) {
        let trigger = candidate.trigger;
        let skip = |reason: String, blocked_by: Vec<String>| SkippedMessage {
            trigger,
            order_id: order_id.clone(),
            eligible_at: Some(candidate.eligible_at),
            reason,
            blocked_by,
        };
        if let Some(reason) = suppression.clone().or(candidate.blocked.clone()) {
            plan.skipped.push(skip(reason, Vec::new()));
            continue;
        }
        let due_at = after_quiet_hours(
            candidate.eligible_at,
            &settings.quiet_hours,
            facts.buyer_time_zone,
        );
        if now > due_at + freshness(trigger) {
            plan.skipped.push(skip(
                format!("too late: the message was due at {due_at}"),
                Vec::new(),
            ));
            continue;
        }
        let language = settings.language.as_str();
        let (template, template_language) = match templates.shop_template(trigger, language) {
            Some(template) => (template.clone(), language.to_owned()),
            None => default_template(trigger, language),
        };
        let text = template.render(&values(facts, settings, &candidate));
        let verdict: Verdict = compliance::check(&text, trigger.text_kind(), Some(&facts.market));
        if !verdict.ok {
            plan.skipped.push(skip(
                "blocked by the compliance guard".to_owned(),
                verdict
                    .findings
                    .iter()
                    .map(|finding| format!("{}: {}", finding.rule, finding.message))
                    .collect(),
            ));
            continue;
        }
        plan.messages.push(PlannedMessage {
            trigger,
            order_id: order_id.clone(),
            eligible_at: candidate.eligible_at,
            due_at,
            reason: candidate.reason,
            template_key: format!("{}:{}", trigger.as_str(), template_language),
            language: template_language,
            text,
            dedupe_key: dedupe_key(order_id, trigger),
        });
    }
    plan
}

fn values(
    facts: &OrderFacts,
    settings: &TimelineSettings,
    candidate: &Candidate,
) -> TemplateValues {
    let line = facts
        .order
        .line_items
        .get(candidate.line)
        .or_else(|| facts.order.line_items.first());
    let tracking_number = facts.order.tracking_number.clone().unwrap_or_default();
    let tracking_link = match (&settings.tracking_link_pattern, tracking_number.is_empty()) {
        (Some(pattern), false) => pattern.replace("{tracking_number}", &tracking_number),
        _ => tracking_number,
    };
    TemplateValues {
        item: line
            .map(|line| line.product_name.clone())
            .unwrap_or_default(),
        variant: line.map(|line| line.sku_name.clone()).unwrap_or_default(),
        processing_days: settings.processing_days.to_string(),
        tracking_link,
        buyer_first_name: facts
            .buyer_first_name
            .clone()
            .filter(|name| !name.trim().is_empty())
            .unwrap_or_else(|| fallback_first_name(&settings.language).to_owned()),
        shop_name: facts.shop_name.clone(),
        help_topic: candidate.help_topic.clone(),
    }
}

#[cfg(test)]
mod tests;
