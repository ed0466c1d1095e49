//! Durable jobs of the post-purchase timeline: `timeline_plan` plans every recent order
//! and enqueues what is due, then schedules its next run; `timeline_message` sends one
//! message through the Partner API chat endpoints.
//!
//! A send re-plans the order first: a cancellation, refund or open case that arrived
//! since scheduling suppresses it. The message log row moves `queued → sending → sent`;
//! a row found in `sending` means a previous attempt died mid-call, and since a buyer must
//! never get a message twice it is marked failed instead of being sent again.

use crate::jobs::{JobError, JobHandler};
use crate::platform::{PlatformAccess, PlatformError};
use crate::timeline::TIMELINE_PLAN_JOB;
use crate::timeline::{MessageJobPayload, Timeline, TimelineServiceError, TIMELINE_MESSAGE_JOB};
use async_trait::async_trait;
use shopcare_core::timeline::Trigger;
use shopcare_core::{OrderId, Timestamp};
use shopcare_store::{Job, NewJob, Store, TimelineMessageRecord, TimelineMessageState};
use shopcare_tiktok::ApiError;
use std::sync::Arc;

/// Plans and enqueues, then schedules the next run `interval` later.
pub struct TimelinePlanHandler {
    timeline: Timeline,
    interval: chrono::Duration,
}

impl TimelinePlanHandler {
    pub fn new(timeline: Timeline, interval: chrono::Duration) -> Self {
        Self { timeline, interval }
    }
}

/// Enqueues the `timeline_plan` run of the minute `at` falls in (a no-op when known).
pub async fn schedule_timeline_plan(
    store: &Arc<dyn Store>,
    at: Timestamp,
) -> shopcare_store::StoreResult<bool> {
    let minute = at.timestamp().div_euclid(60) * 60;
    let job = NewJob {
        kind: TIMELINE_PLAN_JOB.to_owned(),
        dedupe_key: format!("{TIMELINE_PLAN_JOB}:{minute}"),
        payload: String::new(),
        due_at: chrono::DateTime::from_timestamp(minute, 0).unwrap_or(at),
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
impl JobHandler for TimelinePlanHandler {
    fn kind(&self) -> &'static str {
        TIMELINE_PLAN_JOB
    }

    async fn run(&self, _job: &Job, now: Timestamp) -> Result<(), JobError> {
        let report = self
            .timeline
            .schedule(None, now)
            .await
            .map_err(JobError::retry)?;
        if report.enqueued > 0 {
            tracing::info!(
                orders = report.orders,
                enqueued = report.enqueued,
                "timeline messages scheduled"
            );
        }
        schedule_timeline_plan(self.timeline.store(), now + self.interval)
            .await
            .map_err(JobError::retry)?;
        Ok(())
    }
}

/// Sends one timeline message.
pub struct TimelineMessageHandler {
    timeline: Timeline,
    access: PlatformAccess,
}

impl TimelineMessageHandler {
    pub fn new(timeline: Timeline, access: PlatformAccess) -> Self {
        Self { timeline, access }
    }

    fn store(&self) -> &Arc<dyn Store> {
        self.timeline.store()
    }

    async fn settle(
        &self,
        order_id: &OrderId,
        trigger: Trigger,
        from: TimelineMessageState,
        to: TimelineMessageState,
        reason: &str,
        now: Timestamp,
    ) -> Result<(), JobError> {
        self.store()
            .transition_timeline_message(
                order_id,
                trigger.as_str(),
                from,
                to,
                Some(reason),
                None,
                None,
                now,
            )
            .await
            .map_err(JobError::retry)?;
        Ok(())
    }

    /// Finds the buyer's conversation or opens one. Nothing reaches the buyer here, so
    /// failures are retried.
    async fn conversation(
        &self,
        known: Option<String>,
        shop: &shopcare_core::ShopId,
        buyer: &str,
    ) -> Result<(crate::platform::ShopAccess, String), PlatformError> {
        let access = self.access.shop_access(shop).await?;
        let conversation = match known {
            Some(conversation) => conversation,
            None => {
                self.access
                    .client()
                    .create_conversation(&access.shop.cipher, &access.access_token, buyer)
                    .await?
            }
        };
        Ok((access, conversation))
    }
}

#[async_trait]
impl JobHandler for TimelineMessageHandler {
    fn kind(&self) -> &'static str {
        TIMELINE_MESSAGE_JOB
    }

    async fn run(&self, job: &Job, now: Timestamp) -> Result<(), JobError> {
        let payload: MessageJobPayload = serde_json::from_str(&job.payload)
            .map_err(|error| JobError::permanent(format!("bad timeline payload: {error}")))?;
        let trigger = Trigger::parse(&payload.trigger).map_err(JobError::permanent)?;
        let order_id = OrderId::new(payload.order_id);
        let timeline = match self.timeline.order_timeline(&order_id).await {
            Ok(timeline) => timeline,
            Err(TimelineServiceError::Store(error)) => return Err(JobError::retry(error)),
            Err(error) => return Err(JobError::permanent(error)),
        };
        let plan = timeline.plan(now);
        let planned = plan.message(trigger);
        // The log row may be missing when the scheduler died between job and row.
        let row = TimelineMessageRecord {
            order_id: order_id.clone(),
            trigger: trigger.as_str().to_owned(),
            shop_id: timeline.shop.id.clone(),
            state: TimelineMessageState::Queued,
            due_at: planned.map_or(job.due_at, |message| message.due_at),
            template_key: planned.map_or_else(String::new, |m| m.template_key.clone()),
            text: planned.map_or_else(String::new, |m| m.text.clone()),
            reason: planned.map_or_else(String::new, |m| m.reason.clone()),
            conversation_id: None,
            message_id: None,
            created_at: now,
            updated_at: now,
        };
        self.store()
            .record_timeline_message(&row)
            .await
            .map_err(JobError::retry)?;
        let stored = self
            .store()
            .timeline_message(&order_id, trigger.as_str())
            .await
            .map_err(JobError::retry)?
            .ok_or_else(|| JobError::retry("timeline log row vanished"))?;
        match stored.state {
            TimelineMessageState::Queued => {}
            TimelineMessageState::Sending => {
                return self
                    .settle(
                        &order_id,
                        trigger,
                        TimelineMessageState::Sending,
                        TimelineMessageState::Failed,
                        "an earlier attempt was interrupted mid-send; not repeated",
                        now,
                    )
                    .await;
            }
            _ => return Ok(()),
        }
        let Some(message) = planned else {
            let (state, reason) = match plan.skipped(trigger) {
                Some(skipped) if !skipped.blocked_by.is_empty() => (
                    TimelineMessageState::Blocked,
                    format!("{}: {}", skipped.reason, skipped.blocked_by.join("; ")),
                ),
                Some(skipped) => (TimelineMessageState::Suppressed, skipped.reason.clone()),
                None => (
                    TimelineMessageState::Suppressed,
                    "the trigger no longer applies".to_owned(),
                ),
            };
            return self
                .settle(
                    &order_id,
                    trigger,
                    TimelineMessageState::Queued,
                    state,
                    &reason,
                    now,
                )
                .await;
        };
        let buyer = timeline.facts.order.buyer.as_str().to_owned();
        let (access, conversation) = self
            .conversation(timeline.conversation_id.clone(), &timeline.shop.id, &buyer)
            .await
            .map_err(JobError::retry)?;
        let claimed = self
            .store()
            .transition_timeline_message(
                &order_id,
                trigger.as_str(),
                TimelineMessageState::Queued,
                TimelineMessageState::Sending,
                None,
                Some(&conversation),
                None,
                now,
            )
            .await
            .map_err(JobError::retry)?;
        if !claimed {
            return Ok(());
        }
        let sent = self
            .access
            .client()
            .send_message(
                &access.shop.cipher,
                &access.access_token,
                &conversation,
                &message.text,
            )
            .await;
        match sent {
            Ok(message_id) => {
                self.store()
                    .transition_timeline_message(
                        &order_id,
                        trigger.as_str(),
                        TimelineMessageState::Sending,
                        TimelineMessageState::Sent,
                        None,
                        None,
                        Some(&message_id),
                        now,
                    )
                    .await
                    .map_err(JobError::retry)?;
                Ok(())
            }
            // Refused before anything was delivered: safe to try again later.
            Err(error @ ApiError::RateLimited { .. }) => {
                self.settle(
                    &order_id,
                    trigger,
                    TimelineMessageState::Sending,
                    TimelineMessageState::Queued,
                    &message.reason,
                    now,
                )
                .await?;
                Err(JobError::retry(error))
            }
            Err(error) => {
                let reason = format!("send failed: {error}");
                self.settle(
                    &order_id,
                    trigger,
                    TimelineMessageState::Sending,
                    TimelineMessageState::Failed,
                    &reason,
                    now,
                )
                .await?;
                Err(JobError::permanent(reason))
            }
        }
    }
}

/// How often the planner looks for due messages.
pub const TIMELINE_PLAN_INTERVAL_MINUTES: i64 = 5;

/// Registers the timeline's handlers on `runner` and schedules the first planning run.
/// Without platform access nothing could be sent, so nothing is planned either.
pub async fn with_timeline(
    runner: crate::jobs::JobRunner,
    store: &Arc<dyn Store>,
    access: Option<&PlatformAccess>,
    now: Timestamp,
) -> crate::jobs::JobRunner {
    let Some(access) = access else {
        return runner;
    };
    let timeline = Timeline::new(store.clone());
    if let Err(error) = schedule_timeline_plan(store, now).await {
        tracing::error!(%error, "could not schedule the timeline planner");
    }
    runner
        .with_handler(Arc::new(TimelinePlanHandler::new(
            timeline.clone(),
            chrono::Duration::minutes(TIMELINE_PLAN_INTERVAL_MINUTES),
        )))
        .with_handler(Arc::new(TimelineMessageHandler::new(
            timeline,
            access.clone(),
        )))
}
