//! `shopcare serve`: the HTTP server, the job runner and the periodic sync, wired to one
//! store. Several processes may run against one PostgreSQL database: webhooks are
//! deduplicated by the store and jobs are leased, so work is shared, never doubled.

use crate::app;
use crate::clock::Clock;
use crate::jobs::JobRunner;
use crate::platform::PlatformAccess;
use crate::sync::{SyncEngine, SyncOptions};
use crate::sync_job::{enqueue_due_syncs, SyncJobHandler};
use crate::webhook::{WebhookCredentials, WebhookIngest, WebhookState};
use crate::webhook_processor::WebhookProcessor;
use shopcare_store::Store;
use std::sync::Arc;
use tokio::sync::watch;

pub struct ServiceConfig {
    pub webhook_credentials: Option<WebhookCredentials>,
    /// How often each shop is synced as a backstop to webhooks; `None` disables it.
    pub sync_interval: Option<chrono::Duration>,
    /// Names this process's job leases (host + pid is a good choice).
    pub worker_name: String,
    /// Mark console cookies `Secure` (served over TLS or behind a TLS-terminating proxy).
    pub secure_cookies: bool,
    /// SNRR targets and the product-flag rule for digests and flags.
    pub metric_targets: crate::metrics::MetricTargets,
}

/// Runs the server on `listener` until `shutdown` turns true.
pub async fn run(
    store: Arc<dyn Store>,
    access: Option<PlatformAccess>,
    clock: Arc<dyn Clock>,
    config: ServiceConfig,
    listener: tokio::net::TcpListener,
    shutdown: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let webhooks = WebhookState {
        credentials: config.webhook_credentials,
        ingest: WebhookIngest::spawn(store.clone()),
        clock: clock.clone(),
    };
    let mut runner = JobRunner::new(store.clone(), config.worker_name);
    if let Some(access) = &access {
        runner = runner
            .with_handler(Arc::new(WebhookProcessor::new(access.clone())))
            .with_handler(Arc::new(crate::support_jobs::SupportReplyHandler::new(
                access.clone(),
            )))
            .with_handler(Arc::new(crate::case_jobs::CaseActionHandler::new(
                access.clone(),
                crate::cases::CaseDesk::new(store.clone()),
            )))
            .with_handler(Arc::new(SyncJobHandler::new(SyncEngine::new(
                access.clone(),
                clock.clone(),
                SyncOptions::default(),
            ))));
    }
    runner = runner.with_handler(Arc::new(crate::alert_delivery::AlertHandler::new(
        store.clone(),
    )));
    runner = runner.with_handler(Arc::new(crate::case_jobs::CaseTimersHandler::new(
        crate::cases::CaseDesk::new(store.clone()),
        chrono::Duration::minutes(1),
    )));
    runner = runner.with_handler(Arc::new(crate::alert_digest::DigestHandler::new(
        store.clone(),
        config.metric_targets.clone(),
    )));
    if let Err(error) = crate::alert_digest::schedule_digest_sweep(&store, clock.now()).await {
        tracing::error!(%error, "could not schedule the digest sweep");
    }
    if let Err(error) = crate::case_jobs::schedule_case_timers(&store, clock.now()).await {
        tracing::error!(%error, "could not schedule the case timers");
    }
    runner =
        crate::timeline_jobs::with_timeline(runner, &store, access.as_ref(), clock.now()).await;
    let runner_task = tokio::spawn(runner.run(clock.clone(), shutdown.clone()));
    let scheduler_task = config
        .sync_interval
        .filter(|_| access.is_some())
        .map(|interval| {
            let (store, clock, mut shutdown) = (store.clone(), clock.clone(), shutdown.clone());
            tokio::spawn(async move {
                loop {
                    if let Err(error) = enqueue_due_syncs(&store, clock.now(), interval).await {
                        tracing::error!(%error, "could not schedule syncs");
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(std::time::Duration::from_secs(30)) => {}
                        _ = shutdown.changed() => return,
                    }
                }
            })
        });
    let mut stop = shutdown.clone();
    let console = crate::console::ConsoleState {
        metric_targets: config.metric_targets.clone(),
        ..crate::console::ConsoleState::new(store.clone(), clock.clone(), config.secure_cookies)
    };
    let router = crate::console::protect(
        app::router(webhooks)
            .merge(crate::console::router(console.clone()))
            .merge(crate::review_inbox::router(
                crate::review_inbox::ReviewInboxState {
                    store: store.clone(),
                    clock: clock.clone(),
                },
            ))
            .merge(crate::support_api::router(
                crate::support_api::SupportState {
                    desk: crate::support::SupportDesk::new(store.clone()),
                    clock: clock.clone(),
                },
            ))
            .merge(crate::cases_api::router(crate::cases_api::CasesState {
                desk: crate::cases::CaseDesk::new(store.clone()),
                clock: clock.clone(),
            })),
        console,
    );
    let served = app::serve(listener, router, async move {
        let _ = stop.wait_for(|stopped| *stopped).await;
    })
    .await;
    let _ = runner_task.await;
    if let Some(task) = scheduler_task {
        let _ = task.await;
    }
    served
}
