//! The durable job runner. Jobs are rows in the store (`due_at`, attempts, lease), so
//! timers, webhook fetches and retries survive restarts and spread over processes.
//! [`JobRunner::tick`] is one step — claim due jobs, run them, record the outcome —
//! and tests call it with an injected `now`.

use async_trait::async_trait;
use rand::Rng;
use shopcare_core::Timestamp;
use shopcare_store::{Job, JobClaim, Store, StoreResult};
use std::collections::HashMap;
use std::sync::Arc;

/// Why a job failed, and whether trying again could help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobError {
    pub message: String,
    pub retryable: bool,
}

impl JobError {
    pub fn retry(message: impl std::fmt::Display) -> Self {
        Self {
            message: message.to_string(),
            retryable: true,
        }
    }

    pub fn permanent(message: impl std::fmt::Display) -> Self {
        Self {
            message: message.to_string(),
            retryable: false,
        }
    }
}

/// Runs jobs of one kind.
#[async_trait]
pub trait JobHandler: Send + Sync {
    fn kind(&self) -> &'static str;
    async fn run(&self, job: &Job, now: Timestamp) -> Result<(), JobError>;
}

/// Exponential backoff with jitter between attempts.
#[derive(Debug, Clone)]
pub struct Backoff {
    pub base: chrono::Duration,
    pub max: chrono::Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Self {
            base: chrono::Duration::seconds(5),
            max: chrono::Duration::hours(1),
        }
    }
}

impl Backoff {
    /// When to try again after `attempts` failed attempts: base·2^(attempts−1), capped,
    /// plus up to 20 % jitter so retries from many jobs do not land together.
    pub fn retry_at(&self, now: Timestamp, attempts: u32) -> Timestamp {
        let exponent = attempts.saturating_sub(1).min(20);
        let delay = self
            .base
            .checked_mul(1 << exponent)
            .map_or(self.max, |delay| delay.min(self.max));
        let jitter_ms = rand::thread_rng().gen_range(0..=delay.num_milliseconds() / 5);
        now + delay + chrono::Duration::milliseconds(jitter_ms)
    }
}

/// What one tick did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TickReport {
    pub claimed: u32,
    pub succeeded: u32,
    pub retried: u32,
    pub dead: u32,
}

pub struct JobRunner {
    store: Arc<dyn Store>,
    handlers: HashMap<&'static str, Arc<dyn JobHandler>>,
    worker: String,
    lease: chrono::Duration,
    batch: u32,
    backoff: Backoff,
}

impl JobRunner {
    pub fn new(store: Arc<dyn Store>, worker: impl Into<String>) -> Self {
        Self {
            store,
            handlers: HashMap::new(),
            worker: worker.into(),
            lease: chrono::Duration::minutes(2),
            batch: 64,
            backoff: Backoff::default(),
        }
    }

    pub fn with_handler(mut self, handler: Arc<dyn JobHandler>) -> Self {
        self.handlers.insert(handler.kind(), handler);
        self
    }

    pub fn with_backoff(mut self, backoff: Backoff) -> Self {
        self.backoff = backoff;
        self
    }

    /// Claims the jobs due at `now` that this runner has handlers for and runs them
    /// concurrently.
    pub async fn tick(&self, now: Timestamp) -> StoreResult<TickReport> {
        let claim = JobClaim {
            worker: self.worker.clone(),
            now,
            lease: self.lease,
            limit: self.batch,
            kinds: Some(self.handlers.keys().map(|kind| kind.to_string()).collect()),
        };
        let jobs = self.store.claim_jobs(&claim).await?;
        let mut report = TickReport {
            claimed: jobs.len() as u32,
            ..TickReport::default()
        };
        let outcomes = futures::future::join_all(jobs.iter().map(|job| async move {
            let outcome = match self.handlers.get(job.kind.as_str()) {
                Some(handler) => handler.run(job, now).await,
                None => Err(JobError::permanent(format!(
                    "no handler for job kind {:?}",
                    job.kind
                ))),
            };
            (job, outcome)
        }))
        .await;
        for (job, outcome) in outcomes {
            match outcome {
                Ok(()) => {
                    self.store.complete_job(job.id, &self.worker, now).await?;
                    report.succeeded += 1;
                }
                Err(error) => {
                    let retry_at = (error.retryable && job.attempts < job.max_attempts)
                        .then(|| self.backoff.retry_at(now, job.attempts));
                    tracing::warn!(job = job.id, kind = %job.kind, attempts = job.attempts, error = %error.message, retry = retry_at.is_some(), "job failed");
                    self.store
                        .fail_job(job.id, &self.worker, &error.message, retry_at)
                        .await?;
                    if retry_at.is_some() {
                        report.retried += 1;
                    } else {
                        report.dead += 1;
                    }
                }
            }
        }
        Ok(report)
    }

    /// Ticks until `shutdown` fires, pausing briefly when there was nothing to do.
    pub async fn run(
        self,
        clock: Arc<dyn crate::clock::Clock>,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        loop {
            let idle = match self.tick(clock.now()).await {
                Ok(report) => report.claimed == 0,
                Err(error) => {
                    tracing::error!(%error, "job runner could not reach the store");
                    true
                }
            };
            if idle {
                tokio::select! {
                    _ = tokio::time::sleep(std::time::Duration::from_millis(200)) => {}
                    _ = shutdown.changed() => return,
                }
            }
            if *shutdown.borrow() {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_exponentially_up_to_the_cap() {
        let backoff = Backoff {
            base: chrono::Duration::seconds(10),
            max: chrono::Duration::seconds(100),
        };
        let now = chrono::Utc::now();
        for (attempts, low, high) in [
            (1, 10, 12),
            (2, 20, 24),
            (3, 40, 48),
            (5, 100, 120),
            (30, 100, 120),
        ] {
            let wait = (backoff.retry_at(now, attempts) - now).num_milliseconds();
            assert!(
                (low * 1000..=high * 1000).contains(&wait),
                "attempt {attempts}: {wait} ms"
            );
        }
    }
}
