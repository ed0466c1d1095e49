//! The durable job that sends one support reply through the Partner API chat endpoint and
//! records the platform's message id, so the response-time report knows which agent sent
//! which message.
//!
//! The chat send endpoint takes no idempotency key: a reply is sent only while its outbox
//! row is `pending`, and the row turns `sent` right after the platform answers. A crash
//! between the answer and that write is the one window in which a retry could send twice.

use crate::jobs::{JobError, JobHandler};
use crate::platform::{PlatformAccess, PlatformError};
use crate::support::SUPPORT_REPLY_JOB;
use async_trait::async_trait;
use shopcare_core::Timestamp;
use shopcare_store::{Job, SupportReplyState};

pub struct SupportReplyHandler {
    access: PlatformAccess,
}

impl SupportReplyHandler {
    pub fn new(access: PlatformAccess) -> Self {
        Self { access }
    }
}

#[async_trait]
impl JobHandler for SupportReplyHandler {
    fn kind(&self) -> &'static str {
        SUPPORT_REPLY_JOB
    }

    async fn run(&self, job: &Job, now: Timestamp) -> Result<(), JobError> {
        let store = self.access.store();
        let reply_id = job.payload.as_str();
        let Some(reply) = store
            .support_reply(reply_id)
            .await
            .map_err(JobError::retry)?
        else {
            return Err(JobError::permanent(format!("no support reply {reply_id}")));
        };
        if reply.state != SupportReplyState::Pending {
            return Ok(());
        }
        let outcome = async {
            let access = self.access.shop_access(&reply.reply.shop_id).await?;
            let message_id = self
                .access
                .client()
                .send_message(
                    &access.shop.cipher,
                    &access.access_token,
                    &reply.reply.conversation_id,
                    &reply.reply.text,
                )
                .await?;
            Ok::<String, PlatformError>(message_id)
        }
        .await;
        match outcome {
            Ok(message_id) => {
                store
                    .update_support_reply(
                        reply_id,
                        SupportReplyState::Sent,
                        Some(&message_id),
                        None,
                        now,
                    )
                    .await
                    .map_err(JobError::retry)?;
                Ok(())
            }
            Err(error) => {
                let retryable = match &error {
                    PlatformError::Api(api) => api.is_retryable(),
                    PlatformError::Store(_) => true,
                    _ => false,
                };
                let message = error.to_string();
                let state = if retryable && job.attempts < job.max_attempts {
                    SupportReplyState::Pending
                } else {
                    SupportReplyState::Failed
                };
                store
                    .update_support_reply(reply_id, state, None, Some(&message), now)
                    .await
                    .map_err(JobError::retry)?;
                if state == SupportReplyState::Pending {
                    Err(JobError::retry(message))
                } else {
                    Err(JobError::permanent(message))
                }
            }
        }
    }
}
