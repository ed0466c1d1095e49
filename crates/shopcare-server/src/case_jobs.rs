//! Durable jobs of the after-sales desk: `case_action` sends one outbox action through the
//! Partner API with its idempotency key, and `case_timers` observes status changes and
//! raises deadline warnings, then schedules its next run.

use crate::cases::{event_names, reflects_cancellation, ActionPayload, CaseDesk, CASE_ACTION_JOB};
use crate::jobs::{JobError, JobHandler};
use crate::platform::{PlatformAccess, PlatformError};
use async_trait::async_trait;
use shopcare_core::aftersales::SellerAction;
use shopcare_core::{CaseId, Timestamp};
use shopcare_store::{CaseActionState, Job, NewCaseEvent, NewJob, Store};
use shopcare_tiktok::dto::{
    ApproveReturn, PartialRefundAmount, RejectCancellation, RejectImage, RejectReturn,
};
use std::sync::Arc;

/// Evidence image ids as the reject calls take them.
fn reject_images(image_ids: &[String]) -> Vec<RejectImage> {
    image_ids
        .iter()
        .map(|image_id| RejectImage {
            image_id: image_id.clone(),
            mime_type: "image/jpeg".to_owned(),
            height: 0,
            width: 0,
        })
        .collect()
}

/// Kind of the periodic job that observes cases and raises deadline warnings.
pub const CASE_TIMERS_JOB: &str = "case_timers";

/// Sends outbox actions. A retry uses the action's stored idempotency key, so a call that
/// reached the platform before a crash or timeout is not applied twice; an action that is
/// no longer pending is never sent again.
pub struct CaseActionHandler {
    access: PlatformAccess,
    desk: CaseDesk,
}

impl CaseActionHandler {
    pub fn new(access: PlatformAccess, desk: CaseDesk) -> Self {
        Self { access, desk }
    }

    fn store(&self) -> &Arc<dyn Store> {
        self.desk.store()
    }

    async fn send(
        &self,
        payload: &ActionPayload,
        case_id: &str,
        key: &str,
        shop: &shopcare_core::ShopId,
    ) -> Result<(), PlatformError> {
        let access = self.access.shop_access(shop).await?;
        let client = self.access.client();
        if payload.decision == SellerAction::ApproveCancellation.as_str() {
            client
                .approve_cancellation(
                    &access.shop.cipher,
                    &access.access_token,
                    case_id,
                    Some(key),
                )
                .await?;
        } else if payload.decision == SellerAction::RejectCancellation.as_str() {
            let body = RejectCancellation {
                reject_reason: payload.reject_reason.clone().unwrap_or_default(),
                comment: payload.comment.clone(),
                images: reject_images(&payload.images),
            };
            client
                .reject_cancellation(
                    &access.shop.cipher,
                    &access.access_token,
                    case_id,
                    &body,
                    Some(key),
                )
                .await?;
        } else if payload.decision.starts_with("REJECT") {
            let body = RejectReturn {
                decision: payload.decision.clone(),
                reject_reason: payload.reject_reason.clone().unwrap_or_default(),
                comment: payload.comment.clone(),
                images: reject_images(&payload.images),
            };
            client
                .reject_return(
                    &access.shop.cipher,
                    &access.access_token,
                    case_id,
                    &body,
                    Some(key),
                )
                .await?;
        } else {
            let body = ApproveReturn {
                decision: payload.decision.clone(),
                buyer_keep_item: payload.buyer_keep_item,
                partial_refund: payload
                    .partial_refund
                    .as_ref()
                    .map(|money| PartialRefundAmount {
                        currency: money.currency.clone(),
                        amount: money.amount.clone(),
                    }),
            };
            client
                .approve_return(
                    &access.shop.cipher,
                    &access.access_token,
                    case_id,
                    &body,
                    Some(key),
                )
                .await?;
        }
        Ok(())
    }

    async fn log(
        &self,
        action: &shopcare_store::CaseActionRecord,
        name: &str,
        detail: serde_json::Value,
        at: Timestamp,
        key: String,
    ) -> Result<(), JobError> {
        let payload: ActionPayload =
            serde_json::from_str(&action.action.payload).map_err(JobError::permanent)?;
        self.store()
            .append_case_events(&[NewCaseEvent {
                case_id: action.action.case_id.clone(),
                shop_id: action.action.shop_id.clone(),
                at,
                actor: action.action.requested_by.clone(),
                action: name.to_owned(),
                detail: Some(detail.to_string()),
                evidence: payload.images,
                comment: payload.comment,
                dedupe_key: Some(key),
            }])
            .await
            .map_err(JobError::retry)?;
        Ok(())
    }
}

#[async_trait]
impl JobHandler for CaseActionHandler {
    fn kind(&self) -> &'static str {
        CASE_ACTION_JOB
    }

    async fn run(&self, job: &Job, now: Timestamp) -> Result<(), JobError> {
        let action_id = job.payload.as_str();
        let Some(action) = self
            .store()
            .case_action(action_id)
            .await
            .map_err(JobError::retry)?
        else {
            return Err(JobError::permanent(format!("no case action {action_id}")));
        };
        if action.state != CaseActionState::Pending {
            return Ok(());
        }
        let payload: ActionPayload = serde_json::from_str(&action.action.payload)
            .map_err(|error| JobError::permanent(format!("action payload: {error}")))?;
        let outcome = self
            .send(
                &payload,
                &action.action.case_id,
                action_id,
                &action.action.shop_id,
            )
            .await;
        match outcome {
            Ok(()) => {
                self.store()
                    .update_case_action(action_id, CaseActionState::Sent, None, now)
                    .await
                    .map_err(JobError::retry)?;
                let name = if payload.decision.starts_with("REJECT") {
                    event_names::REJECTED
                } else {
                    event_names::APPROVED
                };
                let detail = serde_json::to_value(&payload).unwrap_or_default();
                self.log(&action, name, detail, now, format!("decided:{action_id}"))
                    .await?;
                // The webhook may have arrived before the answer: confirm at once then.
                let case_id = action.action.case_id.as_str();
                let store = self.store();
                let reflected = match store
                    .get_case(&CaseId::new(case_id))
                    .await
                    .map_err(JobError::retry)?
                {
                    Some(case) => self.desk.reflects(&action, &case),
                    None => store
                        .get_cancellation(case_id)
                        .await
                        .map_err(JobError::retry)?
                        .is_some_and(|found| reflects_cancellation(&action, &found)),
                };
                if reflected {
                    store
                        .update_case_action(action_id, CaseActionState::Confirmed, None, now)
                        .await
                        .map_err(JobError::retry)?;
                }
                Ok(())
            }
            Err(error) => {
                let retryable = match &error {
                    PlatformError::Api(api) => api.is_retryable(),
                    PlatformError::Store(_) => true,
                    _ => false,
                };
                let message = error.to_string();
                let last_attempt = job.attempts >= job.max_attempts;
                if retryable && !last_attempt {
                    self.store()
                        .update_case_action(
                            action_id,
                            CaseActionState::Pending,
                            Some(&message),
                            now,
                        )
                        .await
                        .map_err(JobError::retry)?;
                    return Err(JobError::retry(message));
                }
                self.store()
                    .update_case_action(action_id, CaseActionState::Failed, Some(&message), now)
                    .await
                    .map_err(JobError::retry)?;
                self.log(
                    &action,
                    event_names::ACTION_FAILED,
                    serde_json::json!({"decision": payload.decision, "error": message}),
                    now,
                    format!("failed:{action_id}"),
                )
                .await?;
                Err(JobError::permanent(message))
            }
        }
    }
}

/// Observes case status changes and raises deadline warnings, then schedules the next
/// run `interval` later (one queued run at a time, by its dedupe key).
pub struct CaseTimersHandler {
    desk: CaseDesk,
    interval: chrono::Duration,
}

impl CaseTimersHandler {
    pub fn new(desk: CaseDesk, interval: chrono::Duration) -> Self {
        Self { desk, interval }
    }
}

/// Enqueues the `case_timers` run of the minute `at` falls in (a no-op when that run is
/// known already). Runs are keyed by their minute, so the chains started by several
/// processes or restarts merge into one.
pub async fn schedule_case_timers(
    store: &Arc<dyn Store>,
    at: Timestamp,
) -> shopcare_store::StoreResult<bool> {
    let minute = at.timestamp().div_euclid(60) * 60;
    let due_at = chrono::DateTime::from_timestamp(minute, 0).unwrap_or(at);
    let job = NewJob {
        kind: CASE_TIMERS_JOB.to_owned(),
        dedupe_key: format!("{CASE_TIMERS_JOB}:{minute}"),
        payload: String::new(),
        due_at,
        max_attempts: 3,
    };
    Ok(store
        .enqueue_jobs(&[job])
        .await?
        .first()
        .copied()
        .unwrap_or(false))
}

#[async_trait]
impl JobHandler for CaseTimersHandler {
    fn kind(&self) -> &'static str {
        CASE_TIMERS_JOB
    }

    async fn run(&self, _job: &Job, now: Timestamp) -> Result<(), JobError> {
        let observed = self.desk.observe(now).await.map_err(JobError::retry)?;
        let warned = self
            .desk
            .raise_warnings(now)
            .await
            .map_err(JobError::retry)?;
        if observed.events > 0 || warned > 0 {
            tracing::info!(
                events = observed.events,
                neglected = observed.neglected,
                warnings = warned,
                "case timers ran"
            );
        }
        schedule_case_timers(self.desk.store(), now + self.interval)
            .await
            .map_err(JobError::retry)?;
        Ok(())
    }
}
