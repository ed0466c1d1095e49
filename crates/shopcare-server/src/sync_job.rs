//! Sync as durable jobs, so that several `shopcare serve` processes sharing one
//! PostgreSQL database split the shops between them: each interval, every process
//! tries to enqueue one `sync_shop` job per shop (the dedupe key makes only the first
//! succeed), and whichever runner leases a job syncs that shop.

use crate::jobs::{JobError, JobHandler};
use crate::platform::PlatformError;
use crate::sync::SyncEngine;
use async_trait::async_trait;
use shopcare_core::{ShopId, Timestamp};
use shopcare_store::{Job, NewJob, Store, StoreResult};
use std::sync::Arc;

pub const SYNC_JOB: &str = "sync_shop";

/// Enqueues this interval's sync job for every shop; returns how many were new.
pub async fn enqueue_due_syncs(
    store: &Arc<dyn Store>,
    now: Timestamp,
    interval: chrono::Duration,
) -> StoreResult<usize> {
    let slot = now.timestamp() / interval.num_seconds().max(1);
    let jobs: Vec<NewJob> = store
        .list_shops()
        .await?
        .into_iter()
        .map(|shop| NewJob {
            kind: SYNC_JOB.to_owned(),
            dedupe_key: format!("{SYNC_JOB}:{}:{slot}", shop.id),
            payload: shop.id.into_string(),
            due_at: now,
            max_attempts: 3,
        })
        .collect();
    Ok(store
        .enqueue_jobs(&jobs)
        .await?
        .into_iter()
        .filter(|new| *new)
        .count())
}

pub struct SyncJobHandler {
    engine: SyncEngine,
}

impl SyncJobHandler {
    pub fn new(engine: SyncEngine) -> Self {
        Self { engine }
    }
}

#[async_trait]
impl JobHandler for SyncJobHandler {
    fn kind(&self) -> &'static str {
        SYNC_JOB
    }

    async fn run(&self, job: &Job, _now: Timestamp) -> Result<(), JobError> {
        let shop_id = ShopId::new(job.payload.as_str());
        match self.engine.sync_shop(&shop_id).await {
            Ok(_) => Ok(()),
            Err(PlatformError::Api(error)) if !error.is_retryable() => {
                Err(JobError::permanent(error))
            }
            Err(error) => Err(JobError::retry(error)),
        }
    }
}
