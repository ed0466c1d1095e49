//! Alerts: every alert is a durable `alert` job, so it is retried with backoff, survives
//! a restart and is sent once. Any part of shopcare raises one with [`enqueue_alert`];
//! the `alert` job handler delivers it to the shop's configured channels.

use serde::{Deserialize, Serialize};
use shopcare_core::{ShopId, Timestamp};
use shopcare_store::{NewJob, Store, StoreResult};
use std::sync::Arc;

pub const ALERT_JOB: &str = "alert";

/// What to tell a shop's team. The payload of an `alert` job, as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertRequest {
    pub shop_id: ShopId,
    /// `negative_review`, `review_cluster`, `product_flag`, `case_deadline`, `digest`,
    /// `defect_escalation`, ...
    pub kind: String,
    pub title: String,
    /// Plain text (Slack-compatible `text`), no buyer personal data.
    pub text: String,
    /// What the alert is about (review id, case id, ...), for links and dedupe.
    pub subject_id: String,
}

/// Enqueues an alert once: the same `kind` and `subject_id` (plus `dedupe_suffix`, e.g.
/// the lead time of a deadline warning) never alert twice. Returns whether it was new.
pub async fn enqueue_alert(
    store: &Arc<dyn Store>,
    alert: &AlertRequest,
    dedupe_suffix: &str,
    now: Timestamp,
) -> StoreResult<bool> {
    let job = NewJob {
        kind: ALERT_JOB.to_owned(),
        dedupe_key: format!(
            "{ALERT_JOB}:{}:{}:{}:{dedupe_suffix}",
            alert.shop_id, alert.kind, alert.subject_id
        ),
        payload: serde_json::to_string(alert).expect("an alert serialises"),
        due_at: now,
        max_attempts: 12,
    };
    Ok(store
        .enqueue_jobs(&[job])
        .await?
        .first()
        .copied()
        .unwrap_or(false))
}
