//! The after-sales desk's pure logic: deadlines from a rule table counted in the shop's
//! calendar, the case state machine over platform statuses, evidence checklists and appeal
//! drafts, suggested actions, queue ordering and warnings, and KPI arithmetic.
//!
//! Nothing here does I/O or reads the clock: `now` and every calendar are passed in.
//!
//! - [`rules`]: the deadline rule table and its published defaults.
//! - [`calendar`]: work calendars and day counting (calendar, working, business days, hours).
//! - [`deadline`]: [`compute_deadline`], [`reconcile`] with the platform's own deadline,
//!   and [`case_deadline`] for a case in its current status.
//! - [`case`]: statuses, allowed seller actions, deadline stage, event log, neglect detection.
//! - [`evidence`]: checklists per dispute type and the appeal draft.
//! - [`suggest`]: the suggested next action with its reason.
//! - [`queue`]: time left, sort key, warning lead times.
//! - [`kpi`]: refund/return rate by SKU, fault shares, handling time, neglect count.

pub mod calendar;
pub mod case;
pub mod deadline;
pub mod evidence;
pub mod kpi;
pub mod queue;
pub mod rules;
pub mod suggest;

pub use calendar::{Calendars, WorkCalendar};
pub use case::{
    auto_approved_by_neglect, check_transition, ApproveDecision, CaseAction, CaseEvent, CaseStatus,
    EvidenceRef, NeglectFinding, RejectDecision, SellerAction, TransitionCheck, Turn,
};
pub use deadline::{
    case_deadline, compute_deadline, platform_deadline, reconcile, reconcile_with_tolerance,
    CaseDeadline, Deadline, DeadlineDiscrepancy, DeadlineError, DeadlineOrigin, DeadlineQuery,
    EffectiveDeadline,
};
pub use evidence::{
    build_appeal_draft, checklist, missing_evidence, AppealDraft, AppealInput, DisputeType,
    EvidenceItem, EvidenceKind, MissingEvidence,
};
pub use queue::{queue_sort_key, time_left, QueueSortKey, WarningPolicy};
pub use rules::{DayKind, DeadlineRule, RuleCondition, RuleTable, Stage};
pub use suggest::{
    suggest_action, suggest_cancellation, CaseFacts, LowValueThresholds, SuggestedAction,
    Suggestion,
};
