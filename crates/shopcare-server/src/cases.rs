//! The after-sales desk's use-cases: the queue of open cases across shops sorted by time
//! left, one case with its event log, seller commands put in the outbox, derived events
//! from observed status changes (including auto-approval by neglect), deadline warnings,
//! and per-shop KPIs.
//!
//! The platform owns each case's status; shopcare mirrors it (sync and webhooks write the
//! case through `Store::apply`). [`CaseDesk::observe`] compares each case with the status
//! it last saw and turns differences into events, so the event log also covers what
//! happened outside shopcare.

use crate::alerts::{enqueue_alert, AlertRequest};
use serde::{Deserialize, Serialize};
use shopcare_core::aftersales::kpi::{
    fault_counts, handling_time, median_duration, refund_rate_by_sku, return_rate_by_sku,
    FaultTable, SkuRate,
};
use shopcare_core::aftersales::{
    auto_approved_by_neglect, build_appeal_draft, case_deadline, checklist, compute_deadline,
    missing_evidence, queue_sort_key, suggest_action, suggest_cancellation, time_left, AppealInput,
    ApproveDecision, Calendars, CaseAction, CaseEvent, CaseFacts, CaseStatus, DeadlineQuery,
    DisputeType, EvidenceItem, EvidenceKind, LowValueThresholds, RejectDecision, RuleTable,
    SellerAction, Stage, Turn, WarningPolicy,
};
use shopcare_core::{
    ActorRole, AfterSalesCase, CancelStatus, Cancellation, CaseId, Money, OrderStatus,
    ReturnStatus, Shop, ShopId, SkuId, Timestamp,
};
use shopcare_store::{
    CaseActionRecord, CaseActionState, CaseEvidence, CaseIdFilter, CaseObservation, NewCaseAction,
    NewCaseEvent, NewJob, Store, StoreError, StoredCaseEvent,
};
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

/// The queue's `kind` for a buyer's cancellation request.
pub const CANCELLATION_KIND: &str = "CANCELLATION";

/// Kind of the durable job that sends one outbox action; its payload is the action id.
pub const CASE_ACTION_JOB: &str = "case_action";
/// Attempts an outbox action gets before it is marked failed.
pub const CASE_ACTION_MAX_ATTEMPTS: u32 = 8;

/// Event names in the case log.
pub mod event_names {
    pub const OPENED: &str = "opened";
    pub const STATUS_CHANGED: &str = "status_changed";
    pub const ACTION_REQUESTED: &str = "action_requested";
    pub const APPROVED: &str = "approved";
    pub const REJECTED: &str = "rejected";
    pub const ACTION_FAILED: &str = "action_failed";
    pub const MISSING_PARTS_SENT: &str = "missing_parts_sent";
    pub const EVIDENCE_ATTACHED: &str = "evidence_attached";
    pub const AUTO_APPROVED_BY_NEGLECT: &str = "auto_approved_by_neglect";
}

/// The actor name of events shopcare derives from what the platform reports.
const SYSTEM_ACTOR: &str = "SYSTEM";

#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("no such case")]
    NotFound,
    #[error("{0}")]
    NotAllowed(String),
    #[error("{0}")]
    BadCommand(String),
    /// The comment reaches the buyer, so it must pass the compliance guard.
    #[error("the comment was not sent: it breaks {}", broken_rules(.0))]
    Blocked(shopcare_core::compliance::Verdict),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The rule codes a verdict found, for messages.
fn broken_rules(verdict: &shopcare_core::compliance::Verdict) -> String {
    let mut rules: Vec<&str> = verdict
        .findings
        .iter()
        .map(|finding| finding.rule.as_str())
        .collect();
    rules.dedup();
    rules.join(", ")
}

impl From<CaseError> for crate::error::HttpError {
    fn from(error: CaseError) -> Self {
        use axum::http::StatusCode;
        match error {
            CaseError::NotFound => Self::not_found("no such case"),
            CaseError::NotAllowed(message) => {
                Self::new(StatusCode::CONFLICT, "not_allowed", message)
            }
            CaseError::BadCommand(message) => Self::bad_request("bad_command", message),
            CaseError::Blocked(_) => Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "blocked_by_compliance",
                error.to_string(),
            ),
            CaseError::Store(error) => Self::internal(error),
        }
    }
}

/// A seller command on a case.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CaseCommand {
    /// Approve; without `decision`, the status's plain approval (refund, return,
    /// received package or replacement).
    Approve {
        #[serde(default)]
        decision: Option<String>,
        #[serde(default)]
        buyer_keep_item: Option<bool>,
    },
    /// Reject with a platform reject reason, a comment and evidence image ids.
    Reject {
        reason: String,
        #[serde(default)]
        comment: Option<String>,
        #[serde(default)]
        images: Vec<String>,
    },
    /// Offer a partial refund (decimal string; the case's currency unless given).
    PartialRefund {
        amount: String,
        #[serde(default)]
        currency: Option<String>,
    },
    /// Approve a replacement request by shipping a new unit.
    IssueReplacement,
    /// Log that the missing parts were sent (no Partner API call exists for it).
    SendMissingParts {
        #[serde(default)]
        tracking_number: Option<String>,
        #[serde(default)]
        comment: Option<String>,
    },
}

/// An evidence reference to attach to a case.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct EvidenceInput {
    /// A checklist evidence kind (`item_photos`, `packout_photo`, ...).
    pub kind: String,
    /// An image id, URL or other reference.
    pub reference: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// What [`CaseDesk::act`] did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActOutcome {
    /// The outbox action (absent for commands that only log an event).
    pub action: Option<CaseActionRecord>,
    /// False when the same command had been given before: nothing new was queued.
    pub new: bool,
}

/// The request body the job turns into the Partner API call; kept with the action.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActionPayload {
    pub decision: String,
    /// The case status the command was given in.
    pub from_status: String,
    #[serde(default)]
    pub reject_reason: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub images: Vec<String>,
    #[serde(default)]
    pub partial_refund: Option<MoneyView>,
    #[serde(default)]
    pub buyer_keep_item: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyView {
    pub amount: String,
    pub currency: String,
}

impl From<&Money> for MoneyView {
    fn from(money: &Money) -> Self {
        Self {
            amount: money.amount_string(),
            currency: money.currency().as_str().to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SuggestionView {
    pub action: String,
    pub reason: String,
    pub missing_evidence: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistView {
    pub dispute: String,
    pub required: Vec<String>,
    pub recommended: Vec<String>,
    pub attached: Vec<String>,
    pub missing_required: Vec<String>,
    pub missing_recommended: Vec<String>,
}

/// One open case in the queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueEntry {
    pub case_id: String,
    pub shop_id: String,
    pub order_id: String,
    pub kind: String,
    /// The platform status, flagged when unknown.
    pub status: String,
    pub turn: String,
    pub stage: Option<String>,
    pub due_at: Option<Timestamp>,
    pub seconds_left: Option<i64>,
    pub overdue: bool,
    /// `platform` or `rule_table` (or `none`).
    pub deadline_origin: String,
    pub rule_id: Option<String>,
    /// Set when the platform's deadline and the rule table disagree.
    pub deadline_discrepancy: Option<String>,
    pub reason: Option<String>,
    pub refund_total: Option<MoneyView>,
    pub allowed_actions: Vec<String>,
    pub suggestion: SuggestionView,
    pub checklist: Option<ChecklistView>,
}

/// A case with everything the console shows on its page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseDetail {
    #[serde(flatten)]
    pub entry: QueueEntry,
    pub closed: bool,
    pub events: Vec<StoredCaseEvent>,
    pub actions: Vec<CaseActionRecord>,
    pub evidence: Vec<CaseEvidence>,
    pub auto_approved_by_neglect: bool,
}

/// What the operator says for an appeal; the case supplies the rest.
#[derive(Debug, Clone, Deserialize)]
pub struct AppealRequest {
    /// The decision contested, e.g. "refund granted without the item returned".
    pub decision: String,
    /// The seller's account of what happened.
    pub statement: String,
    /// The dispute type when the case's reason does not tell it (`damaged`, ...).
    pub dispute: Option<String>,
}

/// An appeal draft for the operator to review and submit; never sent by shopcare.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppealDraftView {
    pub case_id: String,
    pub dispute: String,
    pub text: String,
    /// Required evidence not attached yet: submit only when this is empty.
    pub missing_required: Vec<String>,
    pub ready: bool,
    /// The end of the appeal window when the case is in it.
    pub appeal_due_at: Option<Timestamp>,
}

/// Why no appeal draft could be made.
#[derive(Debug, thiserror::Error)]
pub enum AppealError {
    #[error("the case's dispute type is unclear: give one of {0}")]
    UnknownDispute(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A shop's after-sales KPIs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CaseKpis {
    pub shop_id: String,
    pub cases: u64,
    pub cases_by_type: BTreeMap<String, u64>,
    pub cases_by_reason: BTreeMap<String, u64>,
    /// Per SKU: units in cases. Rates need delivered units, which the store does not
    /// count yet, so `rate` stays empty.
    pub refund_units_by_sku: BTreeMap<String, u64>,
    pub return_units_by_sku: BTreeMap<String, u64>,
    pub seller_fault_share: Option<String>,
    pub buyer_fault_share: Option<String>,
    pub median_handling_seconds: Option<i64>,
    pub auto_approved_by_neglect: u64,
}

/// What [`CaseDesk::observe`] found.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ObserveReport {
    pub cases: u32,
    pub events: u32,
    pub confirmed_actions: u32,
    pub neglected: u32,
}

/// The after-sales desk over one store.
#[derive(Clone)]
pub struct CaseDesk {
    store: Arc<dyn Store>,
    rules: Arc<RuleTable>,
    calendars: Arc<Calendars>,
    policy: WarningPolicy,
    thresholds: Arc<LowValueThresholds>,
}

impl CaseDesk {
    /// The published default rules and warning lead times; calendars without holidays.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            rules: Arc::new(RuleTable::defaults()),
            calendars: Arc::new(Calendars::default()),
            policy: WarningPolicy::default(),
            thresholds: Arc::new(LowValueThresholds::default()),
        }
    }

    pub fn with_calendars(mut self, calendars: Calendars) -> Self {
        self.calendars = Arc::new(calendars);
        self
    }

    pub fn with_warning_policy(mut self, policy: WarningPolicy) -> Self {
        self.policy = policy;
        self
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    // ---- observation ------------------------------------------------------------------

    /// Turns status changes the store holds but shopcare has not looked at into events,
    /// confirms outbox actions the new status reflects, and detects auto-approval by
    /// neglect. Idempotent: derived events carry dedupe keys.
    pub async fn observe(&self, now: Timestamp) -> Result<ObserveReport, StoreError> {
        let filter = CaseIdFilter {
            only_unobserved: true,
            ..CaseIdFilter::default()
        };
        let mut report = ObserveReport::default();
        let mut shops = ShopCache::default();
        for case_id in self.store.case_ids(&filter).await? {
            let Some(case) = self.store.get_case(&CaseId::new(case_id.as_str())).await? else {
                continue;
            };
            let Some(shop) = shops.get(&self.store, &case.shop_id).await? else {
                continue;
            };
            self.observe_case(&case, &shop, now, &mut report).await?;
        }
        for cancellation_id in self.store.unobserved_cancellation_ids().await? {
            let Some(cancellation) = self.store.get_cancellation(&cancellation_id).await? else {
                continue;
            };
            self.observe_cancellation(&cancellation, now, &mut report)
                .await?;
        }
        Ok(report)
    }

    /// The cancellation counterpart of `observe_case`: opened and status-changed events,
    /// the last status seen, and outbox actions the new status confirms.
    async fn observe_cancellation(
        &self,
        cancellation: &Cancellation,
        now: Timestamp,
        report: &mut ObserveReport,
    ) -> Result<(), StoreError> {
        report.cases += 1;
        let id = cancellation.id.as_str();
        let status = cancellation.status.as_str();
        let previous = self.store.case_observation(id).await?;
        let derived =
            |action: &str, at: Timestamp, detail: serde_json::Value, key: String| NewCaseEvent {
                case_id: id.to_owned(),
                shop_id: cancellation.shop_id.clone(),
                at,
                actor: SYSTEM_ACTOR.to_owned(),
                action: action.to_owned(),
                detail: Some(detail.to_string()),
                evidence: Vec::new(),
                comment: None,
                dedupe_key: Some(key),
            };
        let mut events = Vec::new();
        if previous.is_none() {
            events.push(derived(
                event_names::OPENED,
                cancellation.create_time,
                serde_json::json!({"status": status, "reason": cancellation.reason}),
                format!("opened:{id}"),
            ));
        }
        let from = previous
            .as_ref()
            .map(|observation| observation.status.clone());
        if previous.is_some() || cancellation.status != CancelStatus::Pending {
            events.push(derived(
                event_names::STATUS_CHANGED,
                cancellation.update_time,
                serde_json::json!({"from": from, "to": status}),
                format!(
                    "status:{id}:{status}:{}",
                    cancellation.update_time.timestamp_millis()
                ),
            ));
        }
        let added = self.store.append_case_events(&events).await?;
        report.events += added.iter().filter(|new| **new).count() as u32;
        let platform_due_at = cancellation
            .next_actions
            .iter()
            .filter_map(|action| action.deadline)
            .min();
        self.store
            .save_case_observation(&CaseObservation {
                case_id: id.to_owned(),
                shop_id: cancellation.shop_id.clone(),
                status: status.to_owned(),
                seller_due_at: platform_due_at
                    .or_else(|| previous.and_then(|observation| observation.seller_due_at)),
                observed_at: now,
            })
            .await?;
        for action in self.store.case_actions(id).await? {
            if action.state == CaseActionState::Sent && reflects_cancellation(&action, cancellation)
            {
                self.store
                    .update_case_action(
                        &action.action.action_id,
                        CaseActionState::Confirmed,
                        None,
                        now,
                    )
                    .await?;
                report.confirmed_actions += 1;
            }
        }
        Ok(())
    }

    async fn observe_case(
        &self,
        case: &AfterSalesCase,
        shop: &Shop,
        now: Timestamp,
        report: &mut ObserveReport,
    ) -> Result<(), StoreError> {
        report.cases += 1;
        let case_id = case.id.as_str();
        let status = CaseStatus::Return(case.status.clone());
        let previous = self.store.case_observation(case_id).await?;
        let mut events = Vec::new();
        let derived =
            |action: &str, at: Timestamp, detail: serde_json::Value, key: String| NewCaseEvent {
                case_id: case_id.to_owned(),
                shop_id: case.shop_id.clone(),
                at,
                actor: SYSTEM_ACTOR.to_owned(),
                action: action.to_owned(),
                detail: Some(detail.to_string()),
                evidence: Vec::new(),
                comment: None,
                dedupe_key: Some(key),
            };
        let from = match &previous {
            None => {
                events.push(derived(
                    event_names::OPENED,
                    case.create_time,
                    serde_json::json!({"status": case.status.as_str(), "reason": case.reason}),
                    format!("opened:{case_id}"),
                ));
                None
            }
            Some(observation) => Some(observation.status.clone()),
        };
        let first_seen_decided = previous.is_none() && !status.is_pending_seller_decision();
        if from.as_deref() != Some(case.status.as_str())
            && (previous.is_some() || first_seen_decided)
        {
            events.push(derived(
                event_names::STATUS_CHANGED,
                case.update_time,
                serde_json::json!({"from": from, "to": case.status.as_str()}),
                format!(
                    "status:{case_id}:{}:{}",
                    case.status.as_str(),
                    case.update_time.timestamp_millis()
                ),
            ));
        }
        let added = self.store.append_case_events(&events).await?;
        report.events += added.iter().filter(|new| **new).count() as u32;

        let seller_due_at = if status.is_pending_seller_decision() {
            case_deadline(
                &self.rules,
                &self.calendars,
                case,
                &shop.region,
                shop.time_zone,
                case.create_time,
            )
            .effective
            .due_at
        } else if let Some(observation) = &previous {
            observation.seller_due_at
        } else {
            self.seller_response_deadline(case, shop)
        };
        self.store
            .save_case_observation(&CaseObservation {
                case_id: case_id.to_owned(),
                shop_id: case.shop_id.clone(),
                status: case.status.as_str().to_owned(),
                seller_due_at,
                observed_at: now,
            })
            .await?;

        for action in self.store.case_actions(case_id).await? {
            if action.state == CaseActionState::Sent && self.reflects(&action, case) {
                self.store
                    .update_case_action(
                        &action.action.action_id,
                        CaseActionState::Confirmed,
                        None,
                        now,
                    )
                    .await?;
                report.confirmed_actions += 1;
            }
        }

        if let (true, Some(due_at)) = (status.is_approval_outcome(), seller_due_at) {
            let stored = self.store.case_events(case_id).await?;
            let core_events: Vec<CaseEvent> = stored.iter().map(to_core_event).collect();
            if let Some(finding) = auto_approved_by_neglect(&core_events, due_at) {
                let event = derived(
                    event_names::AUTO_APPROVED_BY_NEGLECT,
                    finding.approved_at,
                    serde_json::json!({
                        "seller_due_at": finding.seller_due_at,
                        "pending_since": finding.pending_since,
                        "approved_status": finding.approved_status.as_str(),
                    }),
                    format!("neglect:{case_id}"),
                );
                if self.store.append_case_events(&[event]).await?[0] {
                    report.neglected += 1;
                    tracing::warn!(case = case_id, shop = %case.shop_id, "case auto-approved because nobody answered");
                }
            }
        }
        Ok(())
    }

    /// The seller-response deadline from the rule table alone (for a case first seen
    /// after the seller's turn, when the platform no longer states it).
    fn seller_response_deadline(&self, case: &AfterSalesCase, shop: &Shop) -> Option<Timestamp> {
        let query = DeadlineQuery {
            market: &shop.region,
            kind: case.kind.clone(),
            stage: Stage::SellerResponse,
            opened_at: case.create_time,
            time_zone: shop.time_zone,
            refund: case.refund_total.as_ref(),
        };
        compute_deadline(&self.rules, &query, &self.calendars)
            .ok()
            .map(|deadline| deadline.due_at)
    }

    /// The case left the status the action was given in for one the action leads to.
    pub fn reflects(&self, action: &CaseActionRecord, case: &AfterSalesCase) -> bool {
        let Ok(payload) = serde_json::from_str::<ActionPayload>(&action.action.payload) else {
            return false;
        };
        if payload.from_status == case.status.as_str() {
            return false;
        }
        let status = CaseStatus::Return(case.status.clone());
        if payload.decision.starts_with("REJECT") {
            matches!(
                case.status,
                ReturnStatus::RequestRejected
                    | ReturnStatus::ReplacementRejected
                    | ReturnStatus::RejectReceivePackage
            )
        } else {
            status.is_approval_outcome()
                || case.status == ReturnStatus::AwaitingBuyerResponse
                || case.status == ReturnStatus::BuyerShippedItem
        }
    }

    // ---- queue ------------------------------------------------------------------------

    /// Open cases of `shops` (`None`: all), most urgent first (no deadline last).
    pub async fn queue(
        &self,
        shops: Option<Vec<ShopId>>,
        now: Timestamp,
    ) -> Result<Vec<QueueEntry>, StoreError> {
        self.queue_in(shops, QueueScope::Open, now).await
    }

    /// The cases of `shops` in `scope`, most urgent first (no deadline last).
    pub async fn queue_in(
        &self,
        shops: Option<Vec<ShopId>>,
        scope: QueueScope,
        now: Timestamp,
    ) -> Result<Vec<QueueEntry>, StoreError> {
        let filter = CaseIdFilter {
            shops: shops.clone(),
            exclude_statuses: scope.excluded_statuses(),
            only_unobserved: false,
        };
        let mut shop_cache = ShopCache::default();
        let mut entries = Vec::new();
        for open in self.store.queue_cases(&filter).await? {
            let Some(shop) = shop_cache.get(&self.store, &open.case.shop_id).await? else {
                continue;
            };
            if CaseStatus::Return(open.case.status.clone()).is_closed() {
                continue;
            }
            entries.push(self.entry(&open.case, &shop, &open.events, &open.evidence, now));
        }
        for cancellation_id in self.store.open_cancellation_ids(shops.as_deref()).await? {
            let Some(cancellation) = self.store.get_cancellation(&cancellation_id).await? else {
                continue;
            };
            if shop_cache
                .get(&self.store, &cancellation.shop_id)
                .await?
                .is_none()
            {
                continue;
            }
            entries.push(self.cancellation_entry(&cancellation, now).await?);
        }
        entries.sort_by(|left, right| {
            queue_sort_key(left.due_at, &left.case_id)
                .cmp(&queue_sort_key(right.due_at, &right.case_id))
        });
        Ok(entries)
    }

    /// A cancellation request in the queue. Cancellations have no rule-table deadline:
    /// the clock is the platform's `SELLER_RESPOND_CANCEL` deadline when it sends one.
    async fn cancellation_entry(
        &self,
        cancellation: &Cancellation,
        now: Timestamp,
    ) -> Result<QueueEntry, StoreError> {
        let status = CaseStatus::Cancellation(cancellation.status.clone());
        let due_at = cancellation
            .next_actions
            .iter()
            .filter_map(|action| action.deadline)
            .min();
        let shipped = self
            .store
            .get_order(&cancellation.order_id)
            .await?
            .is_some_and(|order| order.shipped_time.is_some() || order_has_left(&order.status));
        let suggestion = suggest_cancellation(shipped);
        Ok(QueueEntry {
            case_id: cancellation.id.as_str().to_owned(),
            shop_id: cancellation.shop_id.as_str().to_owned(),
            order_id: cancellation.order_id.as_str().to_owned(),
            kind: CANCELLATION_KIND.to_owned(),
            status: status.label(),
            turn: format!("{:?}", status.turn(None)).to_lowercase(),
            stage: Some(Stage::SellerResponse.as_str().to_owned()),
            due_at,
            seconds_left: due_at.map(|due_at| time_left(due_at, now).num_seconds()),
            overdue: due_at.is_some_and(|due_at| due_at <= now),
            deadline_origin: if due_at.is_some() { "platform" } else { "none" }.to_owned(),
            rule_id: None,
            deadline_discrepancy: None,
            reason: cancellation
                .reason_text
                .clone()
                .or_else(|| cancellation.reason.clone()),
            refund_total: cancellation.refund_total.as_ref().map(MoneyView::from),
            allowed_actions: status
                .allowed_actions(&shopcare_core::AfterSalesKind::Refund)
                .iter()
                .map(|action| action.as_str().to_owned())
                .collect(),
            suggestion: SuggestionView {
                action: suggestion.action.as_str().to_owned(),
                reason: suggestion.reason,
                missing_evidence: Vec::new(),
            },
            checklist: None,
        })
    }

    fn entry(
        &self,
        case: &AfterSalesCase,
        shop: &Shop,
        events: &[StoredCaseEvent],
        evidence: &[CaseEvidence],
        now: Timestamp,
    ) -> QueueEntry {
        let status = CaseStatus::Return(case.status.clone());
        // A stage starts when the case entered its status: opening while pending, else
        // the last observed change to it.
        let stage_started_at = if status.is_pending_seller_decision() {
            case.create_time
        } else {
            events
                .iter()
                .rev()
                .find(|event| {
                    event.event.action == event_names::STATUS_CHANGED
                        && event
                            .event
                            .detail
                            .as_deref()
                            .and_then(|detail| {
                                serde_json::from_str::<serde_json::Value>(detail).ok()
                            })
                            .is_some_and(|detail| detail["to"] == case.status.as_str())
                })
                .map_or(case.update_time, |event| event.event.at)
        };
        let deadline = case_deadline(
            &self.rules,
            &self.calendars,
            case,
            &shop.region,
            shop.time_zone,
            stage_started_at,
        );
        let due_at = deadline.effective.due_at;
        let dispute = dispute_of(case);
        let attached: Vec<EvidenceItem> = evidence
            .iter()
            .filter_map(|item| {
                parse_evidence_kind(&item.kind).map(|kind| EvidenceItem::new(kind, &item.reference))
            })
            .collect();
        let text = reason_text(case);
        let facts = CaseFacts {
            kind: Some(case.kind.clone()),
            dispute,
            refund: case.refund_total.clone(),
            missing_part: text.contains("missing"),
            wrong_variant_sent: [
                "wrong item",
                "wrong_item",
                "variant",
                "wrong size",
                "wrong colo",
            ]
            .iter()
            .any(|word| text.contains(word)),
            returned_item_used_or_incomplete: false,
            damaged_in_transit: text.contains("crushed") || text.contains("transit"),
            delivered_per_tracking: false,
            evidence: attached.clone(),
        };
        let suggestion = suggest_action(&facts, &self.thresholds);
        let checklist = dispute.map(|dispute| {
            let list = checklist(dispute);
            let missing = missing_evidence(dispute, &attached);
            ChecklistView {
                dispute: dispute.as_str().to_owned(),
                required: kinds(&list.required),
                recommended: kinds(&list.recommended),
                attached: attached
                    .iter()
                    .map(|item| item.kind.as_str().to_owned())
                    .collect(),
                missing_required: kinds(&missing.required),
                missing_recommended: kinds(&missing.recommended),
            }
        });
        QueueEntry {
            case_id: case.id.as_str().to_owned(),
            shop_id: case.shop_id.as_str().to_owned(),
            order_id: case.order_id.as_str().to_owned(),
            kind: case.kind.as_str().to_owned(),
            status: status.label(),
            turn: format!("{:?}", status.turn(case.arbitration_status.as_ref())).to_lowercase(),
            stage: deadline.stage.map(|stage| stage.as_str().to_owned()),
            due_at,
            seconds_left: due_at.map(|due_at| time_left(due_at, now).num_seconds()),
            overdue: due_at.is_some_and(|due_at| due_at <= now),
            deadline_origin: deadline.effective.origin.as_str().to_owned(),
            rule_id: deadline
                .effective
                .computed
                .as_ref()
                .map(|rule| rule.rule_id.clone()),
            deadline_discrepancy: deadline
                .effective
                .discrepancy
                .as_ref()
                .map(|discrepancy| discrepancy.describe()),
            reason: case.reason.clone(),
            refund_total: case.refund_total.as_ref().map(MoneyView::from),
            allowed_actions: status
                .allowed_actions(&case.kind)
                .iter()
                .map(|action| action.as_str().to_owned())
                .collect(),
            suggestion: SuggestionView {
                action: suggestion.action.as_str().to_owned(),
                reason: suggestion.reason,
                missing_evidence: kinds(&suggestion.missing_evidence),
            },
            checklist,
        }
    }

    /// One case with its log, actions and evidence; `None` when it does not exist or
    /// `shops` excludes its shop.
    pub async fn detail(
        &self,
        case_id: &str,
        shops: Option<&[ShopId]>,
        now: Timestamp,
    ) -> Result<Option<CaseDetail>, StoreError> {
        let Some(case) = self.store.get_case(&CaseId::new(case_id)).await? else {
            return Ok(None);
        };
        if shops.is_some_and(|shops| !shops.contains(&case.shop_id)) {
            return Ok(None);
        }
        let Some(shop) = self.store.get_shop(&case.shop_id).await? else {
            return Ok(None);
        };
        let events = self.store.case_events(case_id).await?;
        let evidence = self.store.case_evidence(case_id).await?;
        let entry = self.entry(&case, &shop, &events, &evidence, now);
        Ok(Some(CaseDetail {
            entry,
            closed: CaseStatus::Return(case.status.clone()).is_closed(),
            auto_approved_by_neglect: events
                .iter()
                .any(|event| event.event.action == event_names::AUTO_APPROVED_BY_NEGLECT),
            actions: self.store.case_actions(case_id).await?,
            events,
            evidence,
        }))
    }

    /// An appeal draft for `case_id` from its attached evidence; `None` when the case
    /// does not exist or `shops` excludes its shop.
    pub async fn appeal_draft(
        &self,
        case_id: &str,
        shops: Option<&[ShopId]>,
        request: &AppealRequest,
        now: Timestamp,
    ) -> Result<Option<AppealDraftView>, AppealError> {
        let Some(detail) = self.detail(case_id, shops, now).await? else {
            return Ok(None);
        };
        let Some(case) = self.store.get_case(&CaseId::new(case_id)).await? else {
            return Ok(None);
        };
        let dispute = match request.dispute.as_deref() {
            Some(named) => DisputeType::parse(named),
            None => dispute_of(&case),
        }
        .ok_or_else(|| {
            let names: Vec<&str> = DisputeType::ALL.iter().map(|kind| kind.as_str()).collect();
            AppealError::UnknownDispute(names.join(", "))
        })?;
        let evidence: Vec<EvidenceItem> = detail
            .evidence
            .iter()
            .filter_map(|item| {
                let evidence = EvidenceItem::new(parse_evidence_kind(&item.kind)?, &item.reference);
                Some(match item.note.as_deref() {
                    Some(note) => evidence.with_note(note),
                    None => evidence,
                })
            })
            .collect();
        let draft = build_appeal_draft(&AppealInput {
            case_id: &case.id,
            order_id: &case.order_id,
            dispute,
            decision: &request.decision,
            refund: case.refund_total.as_ref(),
            seller_statement: &request.statement,
            evidence: &evidence,
        });
        let in_appeal = detail.entry.stage.as_deref() == Some(Stage::Appeal.as_str());
        Ok(Some(AppealDraftView {
            case_id: case.id.as_str().to_owned(),
            dispute: dispute.as_str().to_owned(),
            ready: draft.is_ready(),
            missing_required: kinds(&draft.missing_required),
            text: draft.text,
            appeal_due_at: in_appeal.then_some(detail.entry.due_at).flatten(),
        }))
    }

    // ---- commands ---------------------------------------------------------------------

    /// Puts a seller command in the outbox (or, for missing parts, logs it). The action
    /// row is written before any call; the same command given twice while the case is in
    /// the same status returns the first action and queues nothing new.
    pub async fn act(
        &self,
        case_id: &str,
        shops: Option<&[ShopId]>,
        command: &CaseCommand,
        by: &str,
        now: Timestamp,
    ) -> Result<ActOutcome, CaseError> {
        let Some(case) = self.store.get_case(&CaseId::new(case_id)).await? else {
            return self
                .act_on_cancellation(case_id, shops, command, by, now)
                .await;
        };
        if shops.is_some_and(|shops| !shops.contains(&case.shop_id)) {
            return Err(CaseError::NotFound);
        }
        let status = CaseStatus::Return(case.status.clone());
        if let CaseCommand::SendMissingParts {
            tracking_number,
            comment,
        } = command
        {
            let event = NewCaseEvent {
                case_id: case_id.to_owned(),
                shop_id: case.shop_id.clone(),
                at: now,
                actor: by.to_owned(),
                action: event_names::MISSING_PARTS_SENT.to_owned(),
                detail: Some(serde_json::json!({"tracking_number": tracking_number}).to_string()),
                evidence: Vec::new(),
                comment: comment.clone(),
                dedupe_key: None,
            };
            self.store.append_case_events(&[event]).await?;
            return Ok(ActOutcome {
                action: None,
                new: true,
            });
        }
        self.guard_reject_comment(command, &case.shop_id).await?;
        let allowed = status.allowed_actions(&case.kind);
        let payload = build_payload(command, &case, &allowed)?;
        self.enqueue_action(case_id, &case.shop_id, payload, by, now)
            .await
    }

    /// A reject comment reaches the buyer: it passes the compliance guard first.
    async fn guard_reject_comment(
        &self,
        command: &CaseCommand,
        shop_id: &ShopId,
    ) -> Result<(), CaseError> {
        if let CaseCommand::Reject {
            comment: Some(comment),
            ..
        } = command
        {
            let market = self.store.get_shop(shop_id).await?.map(|shop| shop.region);
            let verdict = shopcare_core::compliance::check(
                comment,
                shopcare_core::compliance::TextKind::ChatMessage,
                market.as_deref(),
            );
            if !verdict.ok {
                return Err(CaseError::Blocked(verdict));
            }
        }
        Ok(())
    }

    /// Approve or reject a buyer's cancellation request.
    async fn act_on_cancellation(
        &self,
        cancellation_id: &str,
        shops: Option<&[ShopId]>,
        command: &CaseCommand,
        by: &str,
        now: Timestamp,
    ) -> Result<ActOutcome, CaseError> {
        let cancellation = self
            .store
            .get_cancellation(cancellation_id)
            .await?
            .filter(|found| shops.is_none_or(|shops| shops.contains(&found.shop_id)))
            .ok_or(CaseError::NotFound)?;
        let status = CaseStatus::Cancellation(cancellation.status.clone());
        let allowed = status.allowed_actions(&shopcare_core::AfterSalesKind::Refund);
        let wanted = match command {
            CaseCommand::Approve { .. } => SellerAction::ApproveCancellation,
            CaseCommand::Reject { .. } => SellerAction::RejectCancellation,
            _ => {
                return Err(CaseError::NotAllowed(
                    "a cancellation request can only be approved or rejected".to_owned(),
                ))
            }
        };
        if !allowed.contains(&wanted) {
            return Err(CaseError::NotAllowed(format!(
                "{} is not possible while the cancellation is {}",
                wanted.as_str(),
                status.label()
            )));
        }
        self.guard_reject_comment(command, &cancellation.shop_id)
            .await?;
        let mut payload = ActionPayload {
            decision: wanted.as_str().to_owned(),
            from_status: cancellation.status.as_str().to_owned(),
            reject_reason: None,
            comment: None,
            images: Vec::new(),
            partial_refund: None,
            buyer_keep_item: None,
        };
        if let CaseCommand::Reject {
            reason,
            comment,
            images,
        } = command
        {
            if reason.trim().is_empty() {
                return Err(CaseError::BadCommand(
                    "a rejection needs a platform reject reason".to_owned(),
                ));
            }
            payload.reject_reason = Some(reason.clone());
            payload.comment = comment.clone();
            payload.images = images.clone();
        }
        self.enqueue_action(cancellation_id, &cancellation.shop_id, payload, by, now)
            .await
    }

    /// Puts a decision in the outbox (once per case, status and decision), logs it and
    /// enqueues the job that sends it.
    async fn enqueue_action(
        &self,
        case_id: &str,
        shop_id: &ShopId,
        payload: ActionPayload,
        by: &str,
        now: Timestamp,
    ) -> Result<ActOutcome, CaseError> {
        let command_key = format!("{case_id}:{}:{}", payload.from_status, payload.decision);
        let action = NewCaseAction {
            action_id: uuid::Uuid::new_v4().to_string(),
            command_key,
            case_id: case_id.to_owned(),
            shop_id: shop_id.clone(),
            action: payload.decision.clone(),
            payload: serde_json::to_string(&payload).map_err(|error| {
                CaseError::BadCommand(format!("command does not serialise: {error}"))
            })?,
            requested_by: by.to_owned(),
            created_at: now,
        };
        let (stored, new) = self.store.create_case_action(&action).await?;
        let action_id = stored.action.action_id.clone();
        if new {
            let event = NewCaseEvent {
                case_id: case_id.to_owned(),
                shop_id: shop_id.clone(),
                at: now,
                actor: by.to_owned(),
                action: event_names::ACTION_REQUESTED.to_owned(),
                detail: Some(stored.action.payload.clone()),
                evidence: payload.images.clone(),
                comment: payload.comment.clone(),
                dedupe_key: Some(format!("requested:{action_id}")),
            };
            self.store.append_case_events(&[event]).await?;
        }
        // Enqueued on every call: after a crash between the two writes, repeating the
        // command restores the job; the dedupe key keeps it single.
        if stored.state == CaseActionState::Pending {
            self.store
                .enqueue_jobs(&[NewJob {
                    kind: CASE_ACTION_JOB.to_owned(),
                    dedupe_key: format!("{CASE_ACTION_JOB}:{action_id}"),
                    payload: action_id,
                    due_at: now,
                    max_attempts: CASE_ACTION_MAX_ATTEMPTS,
                }])
                .await?;
        }
        Ok(ActOutcome {
            action: Some(stored),
            new,
        })
    }

    /// Attaches an evidence reference and logs it.
    pub async fn attach_evidence(
        &self,
        case_id: &str,
        shops: Option<&[ShopId]>,
        input: &EvidenceInput,
        by: &str,
        now: Timestamp,
    ) -> Result<CaseEvidence, CaseError> {
        let case = self
            .store
            .get_case(&CaseId::new(case_id))
            .await?
            .filter(|case| shops.is_none_or(|shops| shops.contains(&case.shop_id)))
            .ok_or(CaseError::NotFound)?;
        let (kind, reference, note) = (
            input.kind.as_str(),
            input.reference.as_str(),
            input.note.as_deref(),
        );
        if parse_evidence_kind(kind).is_none() {
            return Err(CaseError::BadCommand(format!(
                "unknown evidence kind {kind:?}"
            )));
        }
        if reference.trim().is_empty() {
            return Err(CaseError::BadCommand(
                "an evidence reference is needed".to_owned(),
            ));
        }
        let evidence = CaseEvidence {
            case_id: case_id.to_owned(),
            shop_id: case.shop_id.clone(),
            kind: kind.to_owned(),
            reference: reference.to_owned(),
            note: note.map(str::to_owned),
            added_by: by.to_owned(),
            added_at: now,
        };
        self.store.add_case_evidence(&evidence).await?;
        self.store
            .append_case_events(&[NewCaseEvent {
                case_id: case_id.to_owned(),
                shop_id: case.shop_id,
                at: now,
                actor: by.to_owned(),
                action: event_names::EVIDENCE_ATTACHED.to_owned(),
                detail: Some(serde_json::json!({"kind": kind}).to_string()),
                evidence: vec![reference.to_owned()],
                comment: note.map(str::to_owned),
                dedupe_key: None,
            }])
            .await?;
        Ok(evidence)
    }

    // ---- warnings ---------------------------------------------------------------------

    /// Raises the deadline warnings crossed at `now` for cases waiting on the seller,
    /// each lead time once per deadline. When several are crossed at once only the most
    /// urgent is sent (all are marked). Returns how many alerts were enqueued.
    pub async fn raise_warnings(&self, now: Timestamp) -> Result<u32, StoreError> {
        let mut raised = 0;
        for entry in self.queue(None, now).await? {
            let Some(due_at) = entry.due_at else { continue };
            if entry.turn != "seller" {
                continue;
            }
            let crossed = self.policy.due_warnings(due_at, now, &[]);
            let mut newly_crossed = Vec::new();
            for lead in crossed {
                if self
                    .store
                    .record_case_warning(&entry.case_id, lead.num_minutes(), due_at, now)
                    .await?
                {
                    newly_crossed.push(lead);
                }
            }
            let Some(most_urgent) = newly_crossed.last() else {
                continue;
            };
            let hours_left = time_left(due_at, now).num_minutes() as f64 / 60.0;
            let alert = AlertRequest {
                shop_id: ShopId::new(entry.shop_id.as_str()),
                kind: "case_deadline".to_owned(),
                title: format!("Case {} is due soon", entry.case_id),
                text: format!(
                    "{} case {} ({}) must be answered by {} ({:.1} h left). Suggested: {}.",
                    entry.kind,
                    entry.case_id,
                    entry.status,
                    due_at.to_rfc3339(),
                    hours_left,
                    entry.suggestion.action
                ),
                subject_id: entry.case_id.clone(),
            };
            let suffix = format!("{}m:{}", most_urgent.num_minutes(), due_at.timestamp());
            if enqueue_alert(&self.store, &alert, &suffix, now).await? {
                raised += 1;
            }
        }
        Ok(raised)
    }

    // ---- KPIs -------------------------------------------------------------------------

    pub async fn kpis(&self, shop_id: &ShopId) -> Result<CaseKpis, StoreError> {
        let ids = self
            .store
            .case_ids(&CaseIdFilter {
                shops: Some(vec![shop_id.clone()]),
                ..CaseIdFilter::default()
            })
            .await?;
        let mut cases = Vec::with_capacity(ids.len());
        let mut handling = Vec::new();
        for case_id in ids {
            if let Some(case) = self.store.get_case(&CaseId::new(case_id.as_str())).await? {
                let events: Vec<CaseEvent> = self
                    .store
                    .case_events(&case_id)
                    .await?
                    .iter()
                    .map(to_core_event)
                    .collect();
                handling.extend(handling_time(&events));
                cases.push(case);
            }
        }
        let mut cases_by_type = BTreeMap::new();
        let mut cases_by_reason = BTreeMap::new();
        for case in &cases {
            *cases_by_type
                .entry(case.kind.as_str().to_owned())
                .or_insert(0) += 1;
            let reason = case.reason.clone().unwrap_or_else(|| "(none)".to_owned());
            *cases_by_reason.entry(reason).or_insert(0) += 1;
        }
        let no_deliveries: BTreeMap<SkuId, u64> = BTreeMap::new();
        let units = |rates: BTreeMap<SkuId, SkuRate>| -> BTreeMap<String, u64> {
            rates
                .into_iter()
                .filter(|(_, rate)| rate.case_units > 0)
                .map(|(sku, rate)| (sku.as_str().to_owned(), rate.case_units))
                .collect()
        };
        let faults = fault_counts(&cases, &FaultTable::default());
        Ok(CaseKpis {
            shop_id: shop_id.as_str().to_owned(),
            cases: cases.len() as u64,
            cases_by_type,
            cases_by_reason,
            refund_units_by_sku: units(refund_rate_by_sku(&cases, &no_deliveries)),
            return_units_by_sku: units(return_rate_by_sku(&cases, &no_deliveries)),
            seller_fault_share: faults.seller_share().map(|share| share.to_string()),
            buyer_fault_share: faults.buyer_share().map(|share| share.to_string()),
            median_handling_seconds: median_duration(&handling).map(|time| time.num_seconds()),
            auto_approved_by_neglect: self
                .store
                .count_case_events(shop_id, event_names::AUTO_APPROVED_BY_NEGLECT)
                .await?,
        })
    }
}

/// Shops looked up once per pass.
#[derive(Default)]
struct ShopCache {
    shops: HashMap<ShopId, Option<Shop>>,
}

impl ShopCache {
    async fn get(
        &mut self,
        store: &Arc<dyn Store>,
        shop_id: &ShopId,
    ) -> Result<Option<Shop>, StoreError> {
        if let Some(shop) = self.shops.get(shop_id) {
            return Ok(shop.clone());
        }
        let shop = store.get_shop(shop_id).await?;
        self.shops.insert(shop_id.clone(), shop.clone());
        Ok(shop)
    }
}

/// The cancellation left the status the action was given in for a final one.
pub fn reflects_cancellation(action: &CaseActionRecord, cancellation: &Cancellation) -> bool {
    let Ok(payload) = serde_json::from_str::<ActionPayload>(&action.action.payload) else {
        return false;
    };
    payload.from_status != cancellation.status.as_str()
        && CaseStatus::Cancellation(cancellation.status.clone()).is_closed()
}

/// The parcel is with the carrier or the buyer: a cancellation can no longer stop it.
fn order_has_left(status: &OrderStatus) -> bool {
    matches!(
        status,
        OrderStatus::AwaitingCollection
            | OrderStatus::InTransit
            | OrderStatus::Delivered
            | OrderStatus::Completed
    )
}

/// Which cases a queue lists. Its statuses are left out in SQL, so the queue never loads
/// cases it would only throw away.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueScope {
    /// Every case that is not closed.
    Open,
    /// Open cases not waiting on the buyer: the seller's to act on, the platform's, and
    /// any in a status this build does not know (shown rather than hidden). The
    /// overview's view, which leaves out the many rejected or awaiting-buyer cases.
    NotWaitingOnBuyer,
}

impl QueueScope {
    /// The platform statuses this scope leaves out, filtered in SQL.
    fn excluded_statuses(self) -> Vec<String> {
        ReturnStatus::KNOWN
            .iter()
            .filter(|status| {
                status.is_closed()
                    || (self == QueueScope::NotWaitingOnBuyer
                        && CaseStatus::Return((*status).clone()).turn(None) == Turn::Buyer)
            })
            .map(|status| status.as_str().to_owned())
            .collect()
    }
}

fn kinds(list: &[EvidenceKind]) -> Vec<String> {
    list.iter().map(|kind| kind.as_str().to_owned()).collect()
}

const EVIDENCE_KINDS: [EvidenceKind; 13] = [
    EvidenceKind::ItemPhotos,
    EvidenceKind::PackoutPhoto,
    EvidenceKind::DispatchWeight,
    EvidenceKind::TrackingScans,
    EvidenceKind::ProofOfDelivery,
    EvidenceKind::ListingSnapshot,
    EvidenceKind::SerialOrBatch,
    EvidenceKind::QualityCheck,
    EvidenceKind::BuyerConversation,
    EvidenceKind::ReturnUnboxingVideo,
    EvidenceKind::ReturnedItemPhotos,
    EvidenceKind::ReturnTrackingScans,
    EvidenceKind::ReturnWeight,
];

pub fn parse_evidence_kind(value: &str) -> Option<EvidenceKind> {
    EVIDENCE_KINDS
        .into_iter()
        .find(|kind| kind.as_str() == value.trim())
}

fn reason_text(case: &AfterSalesCase) -> String {
    format!(
        "{} {}",
        case.reason.as_deref().unwrap_or_default(),
        case.reason_text.as_deref().unwrap_or_default()
    )
    .to_lowercase()
}

/// The dispute type the buyer's reason points to, when it is clear from the words.
fn dispute_of(case: &AfterSalesCase) -> Option<DisputeType> {
    let text = reason_text(case);
    let has = |words: &[&str]| words.iter().any(|word| text.contains(word));
    if has(&["not received", "not delivered", "never arrived", "lost"]) {
        Some(DisputeType::NonDelivery)
    } else if has(&["damage", "broken", "cracked", "crushed"]) {
        Some(DisputeType::Damaged)
    } else if has(&[
        "defect",
        "not work",
        "doesn't work",
        "faulty",
        "malfunction",
    ]) {
        Some(DisputeType::Defective)
    } else if has(&[
        "not as described",
        "not_as_described",
        "match the description",
        "quality",
        "wrong",
        "different",
        "missing",
        "counterfeit",
    ]) {
        Some(DisputeType::NotAsDescribed)
    } else if has(&[
        "no longer",
        "changed my mind",
        "change of mind",
        "don't want",
        "not needed",
    ]) {
        Some(DisputeType::BuyersRemorse)
    } else {
        None
    }
}

/// Checks a command against the actions the status allows and builds the call body.
fn build_payload(
    command: &CaseCommand,
    case: &AfterSalesCase,
    allowed: &[SellerAction],
) -> Result<ActionPayload, CaseError> {
    let not_allowed = |what: &str| {
        CaseError::NotAllowed(format!(
            "{what} is not possible while the case is {} (allowed: {})",
            CaseStatus::Return(case.status.clone()).label(),
            allowed
                .iter()
                .map(|action| action.as_str().to_owned())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    };
    let mut payload = ActionPayload {
        decision: String::new(),
        from_status: case.status.as_str().to_owned(),
        reject_reason: None,
        comment: None,
        images: Vec::new(),
        partial_refund: None,
        buyer_keep_item: None,
    };
    let approvals = || {
        allowed.iter().filter_map(|action| match action {
            SellerAction::Approve(decision) => Some(decision.clone()),
            _ => None,
        })
    };
    match command {
        CaseCommand::Approve {
            decision,
            buyer_keep_item,
        } => {
            let chosen = match decision {
                Some(decision) => {
                    let decision = ApproveDecision::parse(decision);
                    approvals()
                        .find(|allowed| *allowed == decision)
                        .ok_or_else(|| not_allowed(decision.as_str()))?
                }
                None => approvals()
                    .find(|decision| *decision != ApproveDecision::OfferPartialRefund)
                    .ok_or_else(|| not_allowed("approving"))?,
            };
            if chosen == ApproveDecision::OfferPartialRefund {
                return Err(CaseError::BadCommand(
                    "use the partial_refund command to offer a partial refund".to_owned(),
                ));
            }
            payload.decision = chosen.as_str().to_owned();
            payload.buyer_keep_item = *buyer_keep_item;
        }
        CaseCommand::IssueReplacement => {
            let chosen = approvals()
                .find(|decision| *decision == ApproveDecision::ApproveReplacement)
                .ok_or_else(|| not_allowed("issuing a replacement"))?;
            payload.decision = chosen.as_str().to_owned();
        }
        CaseCommand::PartialRefund { amount, currency } => {
            approvals()
                .find(|decision| *decision == ApproveDecision::OfferPartialRefund)
                .ok_or_else(|| not_allowed("a partial refund"))?;
            let currency = currency
                .clone()
                .or_else(|| {
                    case.refund_total
                        .as_ref()
                        .map(|total| total.currency().as_str().to_owned())
                })
                .ok_or_else(|| {
                    CaseError::BadCommand("the case has no currency: give one".to_owned())
                })?;
            let money = Money::parse(amount, &currency)
                .map_err(|error| CaseError::BadCommand(format!("partial refund: {error}")))?;
            if money.amount().is_zero() || money.amount().is_sign_negative() {
                return Err(CaseError::BadCommand(
                    "a partial refund must be more than zero".to_owned(),
                ));
            }
            if let Some(total) = &case.refund_total {
                if total.currency() == money.currency() && money.amount() >= total.amount() {
                    return Err(CaseError::BadCommand(format!(
                        "a partial refund must be less than the requested {} {}",
                        total.amount_string(),
                        total.currency().as_str()
                    )));
                }
            }
            payload.decision = ApproveDecision::OfferPartialRefund.as_str().to_owned();
            payload.partial_refund = Some(MoneyView::from(&money));
        }
        CaseCommand::Reject {
            reason,
            comment,
            images,
        } => {
            let decision = allowed
                .iter()
                .find_map(|action| match action {
                    SellerAction::Reject(decision) => Some(decision.clone()),
                    _ => None,
                })
                .ok_or_else(|| not_allowed("rejecting"))?;
            if reason.trim().is_empty() {
                return Err(CaseError::BadCommand(
                    "a reject reason (from the platform's reject reasons) is needed".to_owned(),
                ));
            }
            payload.decision = RejectDecision::as_str(&decision).to_owned();
            payload.reject_reason = Some(reason.trim().to_owned());
            payload.comment = comment.clone().filter(|comment| !comment.trim().is_empty());
            payload.images = images.clone();
        }
        CaseCommand::SendMissingParts { .. } => {
            return Err(CaseError::BadCommand(
                "sending missing parts is logged, not sent".to_owned(),
            ))
        }
    }
    Ok(payload)
}

/// A stored event as the core's event type (for neglect detection and handling time).
pub fn to_core_event(stored: &StoredCaseEvent) -> CaseEvent {
    let event = &stored.event;
    let detail: serde_json::Value = event
        .detail
        .as_deref()
        .and_then(|detail| serde_json::from_str(detail).ok())
        .unwrap_or(serde_json::Value::Null);
    let text = |key: &str| detail[key].as_str().map(str::to_owned);
    let status =
        |value: Option<String>| value.map(|value| CaseStatus::Return(ReturnStatus::parse(&value)));
    let action = match event.action.as_str() {
        event_names::OPENED => CaseAction::Opened,
        event_names::STATUS_CHANGED => match status(text("to")) {
            Some(to) => CaseAction::StatusChanged {
                from: status(text("from")),
                to,
            },
            None => CaseAction::Note,
        },
        event_names::APPROVED => CaseAction::Approved(ApproveDecision::parse(
            &text("decision").unwrap_or_default(),
        )),
        event_names::REJECTED => CaseAction::Rejected {
            decision: RejectDecision::parse(&text("decision").unwrap_or_default()),
            reason: text("reject_reason").unwrap_or_default(),
        },
        event_names::MISSING_PARTS_SENT => CaseAction::MissingPartsSent {
            tracking_number: text("tracking_number"),
        },
        event_names::EVIDENCE_ATTACHED => CaseAction::EvidenceAttached,
        _ => CaseAction::Note,
    };
    let actor = match event.actor.as_str() {
        "BUYER" => ActorRole::Buyer,
        SYSTEM_ACTOR => ActorRole::System,
        _ => ActorRole::Seller,
    };
    let mut core = CaseEvent::new(event.at, actor, action);
    core.comment = event.comment.clone();
    core
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_overview_scope_leaves_out_closed_and_buyer_turn_cases_only() {
        let open = QueueScope::Open.excluded_statuses();
        let overview = QueueScope::NotWaitingOnBuyer.excluded_statuses();
        let excluded =
            |list: &[String], status: ReturnStatus| list.iter().any(|name| name == status.as_str());
        assert!(excluded(&open, ReturnStatus::RequestComplete));
        assert!(!excluded(&open, ReturnStatus::AwaitingBuyerShip));
        assert!(excluded(&overview, ReturnStatus::RequestComplete));
        assert!(excluded(&overview, ReturnStatus::AwaitingBuyerShip));
        assert!(excluded(&overview, ReturnStatus::RequestRejected));
        // The seller's turn stays, and so does what shopcare cannot place.
        assert!(!excluded(&overview, ReturnStatus::RequestPending));
        assert!(!excluded(&overview, ReturnStatus::BuyerShippedItem));
        assert!(overview.iter().all(|name| ReturnStatus::KNOWN
            .iter()
            .any(|known| known.as_str() == name)));
    }
}
