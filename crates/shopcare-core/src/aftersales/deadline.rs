//! Computing a request's deadline from the rule table, and reconciling it with the
//! deadline the platform itself states (`seller_next_action_response[].deadline`).
//!
//! The platform's figure always wins when present: it is what the auto-approval timer
//! actually uses. The table fills in when it is absent, and when both exist a difference
//! beyond a small tolerance is reported, because it means the table is out of date (or the
//! platform counts from a different start).

use super::calendar::{
    add_calendar_days, add_hours, add_working_days, normalize_market, Calendars, CountError,
};
use super::case::CaseStatus;
use super::rules::{DayKind, RuleTable, Stage};
use crate::{AfterSalesCase, AfterSalesKind, Money, SellerNextAction, Timestamp};
use chrono::{Datelike, Duration};
use chrono_tz::Tz;

/// Openings outside these years are refused: far from any real request, and near the
/// edge of the date types, where a time-zone conversion could overflow.
pub const MIN_SUPPORTED_YEAR: i32 = 1970;
pub const MAX_SUPPORTED_YEAR: i32 = 9000;

/// A request whose deadline is wanted.
#[derive(Debug, Clone, PartialEq)]
pub struct DeadlineQuery<'a> {
    /// The shop's market code (`US`, `TH`, ...).
    pub market: &'a str,
    pub kind: AfterSalesKind,
    pub stage: Stage,
    /// When the stage's clock started (request created, approval given, buyer shipped...).
    pub opened_at: Timestamp,
    /// The shop's zone: days are counted on its wall clock.
    pub time_zone: Tz,
    /// The refund at stake, for rules that depend on it (US over 100 USD).
    pub refund: Option<&'a Money>,
}

/// A computed deadline and the row that justifies it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub due_at: Timestamp,
    pub rule_id: String,
    pub amount: u32,
    pub day_kind: DayKind,
    pub source: String,
    /// The row is a stand-in for a market without a published rule.
    pub fallback: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    #[error("no deadline rule for market {market:?}, type {kind:?}, stage {stage}")]
    NoRule {
        market: String,
        kind: String,
        stage: Stage,
    },
    #[error(
        "opened_at {0} is outside the supported years {MIN_SUPPORTED_YEAR}..={MAX_SUPPORTED_YEAR}"
    )]
    OpenedAtOutOfRange(Timestamp),
    #[error("rule {rule_id}: {source}")]
    Count {
        rule_id: String,
        #[source]
        source: CountError,
    },
}

/// The deadline for `query` by the governing row of `table`, counted in the shop's zone
/// with the market's calendar from `calendars` (rules: [`super::calendar`]).
pub fn compute_deadline(
    table: &RuleTable,
    query: &DeadlineQuery<'_>,
    calendars: &Calendars,
) -> Result<Deadline, DeadlineError> {
    if !(MIN_SUPPORTED_YEAR..=MAX_SUPPORTED_YEAR).contains(&query.opened_at.year()) {
        return Err(DeadlineError::OpenedAtOutOfRange(query.opened_at));
    }
    let market = normalize_market(query.market);
    let opened_local_date = query.opened_at.with_timezone(&query.time_zone).date_naive();
    let rule = table
        .select(
            &market,
            &query.kind,
            query.stage,
            opened_local_date,
            query.refund,
        )
        .ok_or_else(|| DeadlineError::NoRule {
            market: market.clone(),
            kind: query.kind.as_str().to_owned(),
            stage: query.stage,
        })?;
    let counted = match rule.day_kind {
        DayKind::Hours => add_hours(query.opened_at, rule.amount),
        DayKind::CalendarDays => add_calendar_days(query.opened_at, rule.amount, query.time_zone),
        DayKind::WorkingDays | DayKind::BusinessDays => add_working_days(
            query.opened_at,
            rule.amount,
            query.time_zone,
            calendars.for_market(&market),
        ),
    };
    let due_at = counted.map_err(|source| DeadlineError::Count {
        rule_id: rule.id.clone(),
        source,
    })?;
    Ok(Deadline {
        due_at,
        rule_id: rule.id.clone(),
        amount: rule.amount,
        day_kind: rule.day_kind,
        source: rule.source.clone(),
        fallback: rule.fallback,
    })
}

/// How far the platform's deadline may differ from the table's before it is reported.
/// Platform deadlines are stamped from its own event times, which may lag ours by seconds.
pub const DEFAULT_DISCREPANCY_TOLERANCE: Duration = Duration::minutes(5);

/// Which figure the effective deadline comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeadlineOrigin {
    Platform,
    Table,
    /// Neither the platform nor the table gave a deadline.
    None,
}

impl DeadlineOrigin {
    pub fn as_str(self) -> &'static str {
        match self {
            DeadlineOrigin::Platform => "platform",
            DeadlineOrigin::Table => "table",
            DeadlineOrigin::None => "none",
        }
    }
}

/// The platform and the table disagree by more than the tolerance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineDiscrepancy {
    pub platform_due_at: Timestamp,
    pub computed_due_at: Timestamp,
    pub rule_id: String,
    /// Platform minus table: positive when the platform allows more time.
    pub difference: Duration,
}

impl DeadlineDiscrepancy {
    /// One line for logs and the console.
    pub fn describe(&self) -> String {
        let minutes = self.difference.num_minutes();
        let (direction, minutes) = if minutes >= 0 {
            ("later", minutes)
        } else {
            ("earlier", -minutes)
        };
        format!(
            "platform deadline {} is {} min {} than rule {} ({}); the rule table may be out of date",
            self.platform_due_at.to_rfc3339(),
            minutes,
            direction,
            self.rule_id,
            self.computed_due_at.to_rfc3339(),
        )
    }
}

/// The deadline to act on, where it came from, and any disagreement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectiveDeadline {
    pub due_at: Option<Timestamp>,
    pub origin: DeadlineOrigin,
    /// The table's figure, kept even when the platform's wins (for display and audit).
    pub computed: Option<Deadline>,
    pub discrepancy: Option<DeadlineDiscrepancy>,
}

/// [`reconcile_with_tolerance`] with [`DEFAULT_DISCREPANCY_TOLERANCE`].
pub fn reconcile(
    platform_deadline: Option<Timestamp>,
    computed: Option<Deadline>,
) -> EffectiveDeadline {
    reconcile_with_tolerance(platform_deadline, computed, DEFAULT_DISCREPANCY_TOLERANCE)
}

/// The platform's deadline wins; the table fills in when it is absent; a difference of more
/// than `tolerance` between the two is reported.
pub fn reconcile_with_tolerance(
    platform_deadline: Option<Timestamp>,
    computed: Option<Deadline>,
    tolerance: Duration,
) -> EffectiveDeadline {
    match (platform_deadline, computed) {
        (Some(platform_due_at), computed) => {
            let discrepancy = computed.as_ref().and_then(|deadline| {
                let difference = platform_due_at - deadline.due_at;
                (difference.abs() > tolerance.abs()).then(|| DeadlineDiscrepancy {
                    platform_due_at,
                    computed_due_at: deadline.due_at,
                    rule_id: deadline.rule_id.clone(),
                    difference,
                })
            });
            EffectiveDeadline {
                due_at: Some(platform_due_at),
                origin: DeadlineOrigin::Platform,
                computed,
                discrepancy,
            }
        }
        (None, Some(deadline)) => EffectiveDeadline {
            due_at: Some(deadline.due_at),
            origin: DeadlineOrigin::Table,
            computed: Some(deadline),
            discrepancy: None,
        },
        (None, None) => EffectiveDeadline {
            due_at: None,
            origin: DeadlineOrigin::None,
            computed: None,
            discrepancy: None,
        },
    }
}

/// The platform's deadline for the seller: the earliest `deadline` among
/// `seller_next_action_response[]` (the platform states one per pending seller action).
pub fn platform_deadline(next_actions: &[SellerNextAction]) -> Option<Timestamp> {
    next_actions
        .iter()
        .filter_map(|action| action.deadline)
        .min()
}

/// A case's current deadline: the stage its status runs, the effective deadline and, when
/// the table could not give one, why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseDeadline {
    pub stage: Option<Stage>,
    pub effective: EffectiveDeadline,
    pub table_error: Option<DeadlineError>,
}

/// The deadline of `case` in its current status. `stage_started_at` is when the case
/// entered that status (its `create_time` while pending; the status-change time later).
/// The platform's `seller_next_action_response[].deadline` is used only for stages on the
/// seller's clock, since it times the seller's next action.
pub fn case_deadline(
    table: &RuleTable,
    calendars: &Calendars,
    case: &AfterSalesCase,
    market: &str,
    time_zone: Tz,
    stage_started_at: Timestamp,
) -> CaseDeadline {
    let status = CaseStatus::Return(case.status.clone());
    let Some(stage) = status.deadline_stage(case.arbitration_status.as_ref()) else {
        return CaseDeadline {
            stage: None,
            effective: reconcile(None, None),
            table_error: None,
        };
    };
    let query = DeadlineQuery {
        market,
        kind: case.kind.clone(),
        stage,
        opened_at: stage_started_at,
        time_zone,
        refund: case.refund_total.as_ref(),
    };
    let (computed, table_error) = match compute_deadline(table, &query, calendars) {
        Ok(deadline) => (Some(deadline), None),
        Err(error) => (None, Some(error)),
    };
    let platform = if stage.is_seller_clock() {
        platform_deadline(&case.next_actions)
    } else {
        None
    };
    CaseDeadline {
        stage: Some(stage),
        effective: reconcile(platform, computed),
        table_error,
    }
}
