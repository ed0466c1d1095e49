//! The after-sales desk's own persistence: the event log of each case, seller actions
//! as an outbox, evidence attachments, deadline warnings already raised, and the last
//! status shopcare observed for each case (so status changes become events).
//!
//! The outbox: an action row with its idempotency key is written before the Partner API
//! is called; the call is made by a durable job that retries with the same key. A
//! repeated command (same `command_key`) returns the existing action instead of a new one.

use crate::StoreResult;
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use shopcare_core::{ActorRole, AfterSalesCase, CancelStatus, Cancellation, ShopId, Timestamp};

/// One entry of a case's event log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCaseEvent {
    pub case_id: String,
    pub shop_id: ShopId,
    pub at: Timestamp,
    /// `SELLER`, `BUYER`, `PLATFORM`, `SYSTEM` or an operator's username.
    pub actor: String,
    /// Machine name of what happened (`status_changed`, `rejected`, ...).
    pub action: String,
    /// Action-specific details as a JSON document.
    pub detail: Option<String>,
    /// Evidence references (image ids, URLs, note ids).
    pub evidence: Vec<String>,
    pub comment: Option<String>,
    /// Events derived from syncs and webhooks carry a key so replays add nothing.
    pub dedupe_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredCaseEvent {
    pub id: i64,
    #[serde(flatten)]
    pub event: NewCaseEvent,
}

/// Where an outbox action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseActionState {
    /// Written; the call has not succeeded yet.
    Pending,
    /// The platform answered 200.
    Sent,
    /// A sync or webhook shows the case in the state the action leads to.
    Confirmed,
    /// The platform refused it, or retries ran out.
    Failed,
}

impl CaseActionState {
    pub fn as_str(self) -> &'static str {
        match self {
            CaseActionState::Pending => "pending",
            CaseActionState::Sent => "sent",
            CaseActionState::Confirmed => "confirmed",
            CaseActionState::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "pending" => CaseActionState::Pending,
            "sent" => CaseActionState::Sent,
            "confirmed" => CaseActionState::Confirmed,
            "failed" => CaseActionState::Failed,
            _ => return None,
        })
    }
}

/// A seller command to put in the outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCaseAction {
    /// The idempotency key sent to the platform (a UUID); also the action's id.
    pub action_id: String,
    /// Identifies the command: the same command twice maps to one action.
    pub command_key: String,
    pub case_id: String,
    pub shop_id: ShopId,
    /// The platform decision (`REJECT_RETURN`, `APPROVE_CANCELLATION`, ...).
    pub action: String,
    /// The full request (reason, comment, images, amount) as JSON.
    pub payload: String,
    pub requested_by: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseActionRecord {
    #[serde(flatten)]
    pub action: NewCaseAction,
    pub state: CaseActionState,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub sent_at: Option<Timestamp>,
    pub settled_at: Option<Timestamp>,
}

/// An evidence attachment of a case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseEvidence {
    pub case_id: String,
    pub shop_id: ShopId,
    /// An evidence kind from the checklist (`photo`, `packout_photo`, ...).
    pub kind: String,
    /// An image id, URL or other reference; never the file itself.
    pub reference: String,
    pub note: Option<String>,
    pub added_by: String,
    pub added_at: Timestamp,
}

/// The last status shopcare saw for a case, and the seller deadline while it waited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseObservation {
    pub case_id: String,
    pub shop_id: ShopId,
    pub status: String,
    /// The seller-response deadline computed while the case waited for the seller.
    pub seller_due_at: Option<Timestamp>,
    pub observed_at: Timestamp,
}

/// An open case with what the queue needs to show it: the case (with its next actions;
/// line items are left empty), its event log and its evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueCase {
    pub case: AfterSalesCase,
    pub events: Vec<StoredCaseEvent>,
    pub evidence: Vec<CaseEvidence>,
}

/// Which cases [`CaseStore::case_ids`] returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseIdFilter {
    /// `None`: every shop.
    pub shops: Option<Vec<ShopId>>,
    /// Platform statuses to leave out (e.g. the closed ones).
    pub exclude_statuses: Vec<String>,
    /// Only cases whose status differs from their observation (or have none).
    pub only_unobserved: bool,
}

#[async_trait]
pub trait CaseStore: Send + Sync {
    /// Appends events; an event whose `dedupe_key` is already stored is skipped.
    /// Returns, per event, whether it was added.
    async fn append_case_events(&self, events: &[NewCaseEvent]) -> StoreResult<Vec<bool>>;

    /// A case's events, oldest first.
    async fn case_events(&self, case_id: &str) -> StoreResult<Vec<StoredCaseEvent>>;

    /// How many events named `action` the shop's cases have.
    async fn count_case_events(&self, shop_id: &ShopId, action: &str) -> StoreResult<u64>;

    /// Writes an outbox action unless one with the same `command_key` exists; returns
    /// the stored action and whether it is new.
    async fn create_case_action(
        &self,
        action: &NewCaseAction,
    ) -> StoreResult<(CaseActionRecord, bool)>;

    async fn case_action(&self, action_id: &str) -> StoreResult<Option<CaseActionRecord>>;

    /// A case's actions, oldest first.
    async fn case_actions(&self, case_id: &str) -> StoreResult<Vec<CaseActionRecord>>;

    /// Records an attempt's outcome: `Sent`, `Failed` or still `Pending` (with the error).
    /// A `Confirmed` action is never moved back.
    async fn update_case_action(
        &self,
        action_id: &str,
        state: CaseActionState,
        error: Option<&str>,
        at: Timestamp,
    ) -> StoreResult<()>;

    async fn add_case_evidence(&self, evidence: &CaseEvidence) -> StoreResult<()>;
    async fn case_evidence(&self, case_id: &str) -> StoreResult<Vec<CaseEvidence>>;

    /// Notes that the warning `lead_minutes` before `due_at` was raised for a case.
    /// Returns false when it had been already (so each lead time warns once).
    async fn record_case_warning(
        &self,
        case_id: &str,
        lead_minutes: i64,
        due_at: Timestamp,
        at: Timestamp,
    ) -> StoreResult<bool>;

    async fn case_observation(&self, case_id: &str) -> StoreResult<Option<CaseObservation>>;
    async fn save_case_observation(&self, observation: &CaseObservation) -> StoreResult<()>;

    /// Ids of the after-sales cases matching `filter`, in id order.
    async fn case_ids(&self, filter: &CaseIdFilter) -> StoreResult<Vec<String>>;
    /// The cases `filter` selects with their next actions, events and evidence, in four
    /// queries whatever their number (the queue of a large shop has thousands), ordered
    /// by case id.
    async fn queue_cases(&self, filter: &CaseIdFilter) -> StoreResult<Vec<QueueCase>>;
    /// Ids of the cancellations in `shops` (all when `None`) whose status is not final
    /// (pending seller review, or a status this version does not know), oldest first.
    async fn open_cancellation_ids(&self, shops: Option<&[ShopId]>) -> StoreResult<Vec<String>>;
    /// Ids of the cancellations whose status differs from the one last observed (or that
    /// were never observed).
    async fn unobserved_cancellation_ids(&self) -> StoreResult<Vec<String>>;
    /// One cancellation with its seller next actions.
    async fn get_cancellation(&self, cancellation_id: &str) -> StoreResult<Option<Cancellation>>;
}

// ---- SQL and row codecs shared by both backends -------------------------------------------

use crate::encode::{Param, RowReader};
use crate::StoreError;

pub(crate) const INSERT_EVENT: &str = "INSERT INTO case_events
        (case_id, shop_id, at, actor, action, detail, evidence, comment, dedupe_key)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (dedupe_key) DO NOTHING";

pub(crate) const SELECT_EVENTS: &str = "SELECT event_id, case_id, shop_id, at, actor, action,
        detail, evidence, comment, dedupe_key
    FROM case_events WHERE case_id = $1 ORDER BY at, event_id";

pub(crate) const COUNT_EVENTS: &str =
    "SELECT COUNT(*) FROM case_events WHERE shop_id = $1 AND action = $2";

pub(crate) const INSERT_ACTION: &str = "INSERT INTO case_actions
        (action_id, command_key, case_id, shop_id, action, payload, requested_by, state,
         created_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8)
    ON CONFLICT (command_key) DO NOTHING";

const ACTION_COLUMNS: &str = "SELECT action_id, command_key, case_id, shop_id, action, payload,
        requested_by, created_at, state, attempts, last_error, sent_at, settled_at
    FROM case_actions";

pub(crate) static SELECT_ACTION_BY_COMMAND: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("{ACTION_COLUMNS} WHERE command_key = $1"));
pub(crate) static SELECT_ACTION: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("{ACTION_COLUMNS} WHERE action_id = $1"));
pub(crate) static SELECT_ACTIONS_OF_CASE: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| {
        format!("{ACTION_COLUMNS} WHERE case_id = $1 ORDER BY created_at, action_id")
    });

/// `$1` id, `$2` state, `$3` error, `$4` time. `sent_at` is set on the first success;
/// a confirmed action stays confirmed.
pub(crate) const UPDATE_ACTION: &str = "UPDATE case_actions SET
        state = $2,
        attempts = attempts + 1,
        last_error = $3,
        sent_at = CASE WHEN $2 = 'sent' AND sent_at IS NULL THEN $4 ELSE sent_at END,
        settled_at = CASE WHEN $2 IN ('confirmed', 'failed') THEN $4 ELSE settled_at END
    WHERE action_id = $1 AND state <> 'confirmed'";

/// Confirmation is not an attempt: it does not count towards `attempts`.
pub(crate) const CONFIRM_ACTION: &str = "UPDATE case_actions SET
        state = 'confirmed', settled_at = $2
    WHERE action_id = $1 AND state <> 'confirmed'";

pub(crate) const INSERT_EVIDENCE: &str = "INSERT INTO case_evidence
        (case_id, shop_id, kind, reference, note, added_by, added_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)";

pub(crate) const SELECT_EVIDENCE: &str = "SELECT case_id, shop_id, kind, reference, note,
        added_by, added_at
    FROM case_evidence WHERE case_id = $1 ORDER BY added_at, evidence_id";

pub(crate) const INSERT_WARNING: &str = "INSERT INTO case_warnings
        (case_id, lead_minutes, due_at, raised_at)
    VALUES ($1, $2, $3, $4)
    ON CONFLICT (case_id, lead_minutes, due_at) DO NOTHING";

pub(crate) const SELECT_OBSERVATION: &str =
    "SELECT case_id, shop_id, status, seller_due_at, observed_at
    FROM case_observations WHERE case_id = $1";

pub(crate) const UPSERT_OBSERVATION: &str = "INSERT INTO case_observations
        (case_id, shop_id, status, seller_due_at, observed_at)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (case_id) DO UPDATE SET shop_id = excluded.shop_id,
        status = excluded.status, seller_due_at = excluded.seller_due_at,
        observed_at = excluded.observed_at";

pub(crate) fn event_params(event: &NewCaseEvent) -> [Param<'_>; 9] {
    [
        Param::text(&event.case_id),
        Param::text(event.shop_id.as_str()),
        Param::time(event.at),
        Param::text(&event.actor),
        Param::text(&event.action),
        Param::opt_text(event.detail.as_deref()),
        Param::owned(crate::encode::ids_to_json(&event.evidence)),
        Param::opt_text(event.comment.as_deref()),
        Param::opt_text(event.dedupe_key.as_deref()),
    ]
}

pub(crate) fn event_from_row(row: &impl RowReader) -> StoreResult<StoredCaseEvent> {
    Ok(StoredCaseEvent {
        id: row.int(0)?,
        event: NewCaseEvent {
            case_id: row.text(1)?,
            shop_id: ShopId::new(row.text(2)?),
            at: row.time(3)?,
            actor: row.text(4)?,
            action: row.text(5)?,
            detail: row.opt_text(6)?,
            evidence: crate::encode::ids_from_json(&row.text(7)?)?,
            comment: row.opt_text(8)?,
            dedupe_key: row.opt_text(9)?,
        },
    })
}

pub(crate) fn action_params(action: &NewCaseAction) -> [Param<'_>; 8] {
    [
        Param::text(&action.action_id),
        Param::text(&action.command_key),
        Param::text(&action.case_id),
        Param::text(action.shop_id.as_str()),
        Param::text(&action.action),
        Param::text(&action.payload),
        Param::text(&action.requested_by),
        Param::time(action.created_at),
    ]
}

pub(crate) fn action_from_row(row: &impl RowReader) -> StoreResult<CaseActionRecord> {
    let state = row.text(8)?;
    Ok(CaseActionRecord {
        action: NewCaseAction {
            action_id: row.text(0)?,
            command_key: row.text(1)?,
            case_id: row.text(2)?,
            shop_id: ShopId::new(row.text(3)?),
            action: row.text(4)?,
            payload: row.text(5)?,
            requested_by: row.text(6)?,
            created_at: row.time(7)?,
        },
        state: CaseActionState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown case action state {state:?}")))?,
        attempts: u32::try_from(row.int(9)?).unwrap_or(u32::MAX),
        last_error: row.opt_text(10)?,
        sent_at: row.opt_time(11)?,
        settled_at: row.opt_time(12)?,
    })
}

pub(crate) fn evidence_params(evidence: &CaseEvidence) -> [Param<'_>; 7] {
    [
        Param::text(&evidence.case_id),
        Param::text(evidence.shop_id.as_str()),
        Param::text(&evidence.kind),
        Param::text(&evidence.reference),
        Param::opt_text(evidence.note.as_deref()),
        Param::text(&evidence.added_by),
        Param::time(evidence.added_at),
    ]
}

pub(crate) fn evidence_from_row(row: &impl RowReader) -> StoreResult<CaseEvidence> {
    Ok(CaseEvidence {
        case_id: row.text(0)?,
        shop_id: ShopId::new(row.text(1)?),
        kind: row.text(2)?,
        reference: row.text(3)?,
        note: row.opt_text(4)?,
        added_by: row.text(5)?,
        added_at: row.time(6)?,
    })
}

pub(crate) fn observation_params(observation: &CaseObservation) -> [Param<'_>; 5] {
    [
        Param::text(&observation.case_id),
        Param::text(observation.shop_id.as_str()),
        Param::text(&observation.status),
        Param::opt_time(observation.seller_due_at),
        Param::time(observation.observed_at),
    ]
}

pub(crate) fn observation_from_row(row: &impl RowReader) -> StoreResult<CaseObservation> {
    Ok(CaseObservation {
        case_id: row.text(0)?,
        shop_id: ShopId::new(row.text(1)?),
        status: row.text(2)?,
        seller_due_at: row.opt_time(3)?,
        observed_at: row.time(4)?,
    })
}

/// `FROM … WHERE …` selecting the cases of `filter` (as `c`), with its parameters.
fn case_filter(filter: &CaseIdFilter) -> (String, Vec<Param<'_>>) {
    let mut sql = String::from(
        "FROM after_sales_cases c
        LEFT JOIN case_observations o ON o.case_id = c.case_id WHERE 1 = 1",
    );
    let mut params: Vec<Param<'_>> = Vec::new();
    if let Some(shops) = &filter.shops {
        if shops.is_empty() {
            sql.push_str(" AND 1 = 0");
        } else {
            let names = push_all(&mut params, shops.iter().map(|shop| shop.as_str()));
            sql.push_str(&format!(" AND c.shop_id IN ({names})"));
        }
    }
    if !filter.exclude_statuses.is_empty() {
        let names = push_all(
            &mut params,
            filter.exclude_statuses.iter().map(String::as_str),
        );
        sql.push_str(&format!(" AND c.status NOT IN ({names})"));
    }
    if filter.only_unobserved {
        sql.push_str(" AND (o.status IS NULL OR o.status <> c.status)");
    }
    (sql, params)
}

/// The `case_ids` query for `filter`, with its parameters.
pub(crate) fn case_ids_query(filter: &CaseIdFilter) -> (String, Vec<Param<'_>>) {
    let (from, params) = case_filter(filter);
    (
        format!("SELECT c.case_id {from} ORDER BY c.case_id"),
        params,
    )
}

/// Case ids per query of `queue_cases`. The filter runs once, as the id query (which an
/// index on `(shop_id, status)` answers without reading case rows); cases and their
/// children are then read by id, a chunk at a time.
pub(crate) const QUEUE_ID_CHUNK: usize = 500;

/// The queries of `queue_cases` for `ids` case ids bound as `$1..$ids`: cases; next
/// actions as `(action, deadline, case_id)`; events; evidence.
pub(crate) fn queue_chunk_queries(ids: usize) -> [String; 4] {
    let placeholders: Vec<String> = (1..=ids).map(|index| format!("${index}")).collect();
    let ids = placeholders.join(", ");
    [
        format!(
            "SELECT c.case_id, c.shop_id, c.order_id, c.kind, c.status,
                c.arbitration_status, c.role, c.reason, c.reason_text,
                c.refund_total_amount, c.refund_total_currency, c.return_tracking_number,
                c.create_time, c.update_time
            FROM after_sales_cases c WHERE c.case_id IN ({ids}) ORDER BY c.case_id"
        ),
        format!(
            "SELECT action, deadline, case_id FROM case_next_actions
            WHERE case_id IN ({ids}) ORDER BY case_id, position"
        ),
        format!(
            "SELECT event_id, case_id, shop_id, at, actor, action, detail, evidence,
                comment, dedupe_key
            FROM case_events WHERE case_id IN ({ids}) ORDER BY case_id, at, event_id"
        ),
        format!(
            "SELECT case_id, shop_id, kind, reference, note, added_by, added_at
            FROM case_evidence WHERE case_id IN ({ids})
            ORDER BY case_id, added_at, evidence_id"
        ),
    ]
}

/// Puts the rows of the `queue_cases` queries together, case by case.
pub(crate) fn assemble_queue(
    cases: Vec<AfterSalesCase>,
    actions: Vec<(String, shopcare_core::SellerNextAction)>,
    events: Vec<StoredCaseEvent>,
    evidence: Vec<CaseEvidence>,
) -> Vec<QueueCase> {
    let mut by_id: std::collections::HashMap<String, QueueCase> = cases
        .into_iter()
        .map(|case| {
            (
                case.id.as_str().to_owned(),
                QueueCase {
                    case,
                    events: Vec::new(),
                    evidence: Vec::new(),
                },
            )
        })
        .collect();
    for (case_id, action) in actions {
        if let Some(entry) = by_id.get_mut(&case_id) {
            entry.case.next_actions.push(action);
        }
    }
    for event in events {
        if let Some(entry) = by_id.get_mut(&event.event.case_id) {
            entry.events.push(event);
        }
    }
    for item in evidence {
        if let Some(entry) = by_id.get_mut(&item.case_id) {
            entry.evidence.push(item);
        }
    }
    let mut queue: Vec<QueueCase> = by_id.into_values().collect();
    queue.sort_by(|left, right| left.case.id.as_str().cmp(right.case.id.as_str()));
    queue
}

/// Final cancellation statuses (both spellings of the withdrawn request).
const FINAL_CANCEL_STATUSES: [&str; 4] = [
    "CANCELLATION_REQUEST_SUCCESS",
    "CANCELLATION_REQUEST_CANCELLED",
    "CANCELLATION_REQUEST_CANCEL",
    "CANCELLATION_REQUEST_COMPLETE",
];

/// The `open_cancellation_ids` query for `shops`, with its parameters.
pub(crate) fn open_cancellations_query(shops: Option<&[ShopId]>) -> (String, Vec<Param<'_>>) {
    let mut params: Vec<Param<'_>> = Vec::new();
    let finals = push_all(&mut params, FINAL_CANCEL_STATUSES.into_iter());
    let mut sql =
        format!("SELECT cancellation_id FROM cancellations WHERE status NOT IN ({finals})");
    if let Some(shops) = shops {
        if shops.is_empty() {
            sql.push_str(" AND 1 = 0");
        } else {
            let names = push_all(&mut params, shops.iter().map(|shop| shop.as_str()));
            sql.push_str(&format!(" AND shop_id IN ({names})"));
        }
    }
    sql.push_str(" ORDER BY create_time, cancellation_id");
    (sql, params)
}

pub(crate) const UNOBSERVED_CANCELLATIONS: &str = "SELECT c.cancellation_id FROM cancellations c
    LEFT JOIN case_observations o ON o.case_id = c.cancellation_id
    WHERE o.status IS NULL OR o.status <> c.status ORDER BY c.cancellation_id";

pub(crate) const SELECT_CANCELLATION: &str = "SELECT cancellation_id, shop_id, order_id,
        cancel_type, status, role, reason, reason_text, refund_total_amount,
        refund_total_currency, create_time, update_time
    FROM cancellations WHERE cancellation_id = $1";

pub(crate) const SELECT_CANCELLATION_NEXT_ACTIONS: &str = "SELECT action, deadline
    FROM cancellation_next_actions WHERE cancellation_id = $1 ORDER BY position";

/// Decodes [`SELECT_CANCELLATION`]; next actions are read separately.
pub(crate) fn cancellation_from_row(row: &impl RowReader) -> StoreResult<Cancellation> {
    Ok(Cancellation {
        id: row.text(0)?.into(),
        shop_id: row.text(1)?.into(),
        order_id: row.text(2)?.into(),
        cancel_type: row.text(3)?,
        status: CancelStatus::parse(&row.text(4)?),
        role: row.opt_text(5)?.map(|value| ActorRole::parse(&value)),
        reason: row.opt_text(6)?,
        reason_text: row.opt_text(7)?,
        refund_total: row.money(8)?,
        next_actions: Vec::new(),
        create_time: row.time(10)?,
        update_time: row.time(11)?,
    })
}

/// Appends text parameters and returns their `$N` placeholders, comma-separated.
fn push_all<'a>(params: &mut Vec<Param<'a>>, values: impl Iterator<Item = &'a str>) -> String {
    let mut names = Vec::new();
    for value in values {
        params.push(Param::text(value));
        names.push(format!("${}", params.len()));
    }
    names.join(", ")
}
