//! The double's HTTP server: the Partner API (reference §5.1–5.5, §5.7) with the
//! gateway checks of §10, the token host's endpoints, the webhook sender, fault knobs
//! and `/_double/` control routes for tests.
//!
//! Start it in-process with [`PlatformDouble::start`] (binds 127.0.0.1:0 unless told
//! otherwise) or serve on a listener you own with [`serve`].

mod api;
mod control;
mod gateway;
mod pagination;
pub mod signature;
mod state;
mod tokens;
pub mod webhooks;

use crate::world::{World, WorldConfig, WorldConfigError};
use axum::routing::{get, post};
use axum::Router;
use serde::{Deserialize, Serialize};
use state::Shared;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use state::ReceivedWrite;
pub use webhooks::{WebhookAttempt, RETRY_DELAYS_SECONDS};

/// Fault knobs; also settable at run time with `POST /_double/faults`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Faults {
    /// Answer the next N platform requests with HTTP 429 + code 36009002.
    pub rate_limit_next: u32,
    /// `Retry-After` seconds sent with those 429s (0 = no header).
    pub retry_after_seconds: u32,
    /// Answer the next N platform requests with HTTP 503.
    pub unavailable_next: u32,
    /// Delay every platform answer by this many milliseconds.
    pub delay_ms: u64,
    /// Send every webhook twice (same `tts_notification_id`), as the platform may.
    pub duplicate_webhooks: bool,
}

/// Where to send webhooks and how much faster than the platform to retry.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookConfig {
    pub url: String,
    /// Retry delays (2 min, 30 min, 3 h, 12 h) are divided by this: 1200 → 6 s, 90 s, ...
    pub time_scale: f64,
}

/// Everything the double needs. `Default` gives demo credentials and a small world.
#[derive(Debug, Clone)]
pub struct DoubleConfig {
    pub app_key: String,
    pub app_secret: String,
    /// The single-use authorization code the seller "redirects" with.
    pub seller_auth_code: String,
    pub world: WorldConfig,
    pub faults: Faults,
    pub webhook: Option<WebhookConfig>,
    /// Starting offset of the double's business clock from the wall clock, in seconds
    /// (moved forward at run time with `POST /_double/clock`). The request timestamp
    /// window always uses the wall clock, as clients sign with theirs.
    pub clock_offset_seconds: i64,
    /// Access tokens live this long (platform default: 7 days).
    pub access_token_lifetime_seconds: i64,
    pub refresh_token_lifetime_seconds: i64,
}

impl Default for DoubleConfig {
    fn default() -> Self {
        DoubleConfig {
            app_key: "shopcare-demo-app".to_string(),
            app_secret: "shopcare-demo-secret".to_string(),
            seller_auth_code: "shopcare-demo-code".to_string(),
            world: WorldConfig::default(),
            faults: Faults::default(),
            webhook: None,
            clock_offset_seconds: 0,
            access_token_lifetime_seconds: 7 * 86_400,
            refresh_token_lifetime_seconds: 365 * 86_400,
        }
    }
}

/// Why the double could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum DoubleError {
    #[error("invalid world configuration: {0}")]
    World(#[from] WorldConfigError),
    #[error("cannot listen: {0}")]
    Io(#[from] std::io::Error),
}

fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/api/v2/token/get", get(tokens::get_token))
        .route("/api/v2/token/refresh", get(tokens::refresh_token))
        .route(
            "/_double/faults",
            get(control::get_faults).post(control::set_faults),
        )
        .route("/_double/writes", get(control::writes))
        .route("/_double/webhooks", get(control::webhook_attempts))
        .route(
            "/_double/clock",
            get(control::get_clock).post(control::advance_clock),
        )
        .route("/_double/shops", get(control::shops))
        .route("/_double/tokens/expire", post(control::expire_tokens))
        .route("/_double/auth_codes", post(control::add_auth_code))
        .route(
            "/_double/orders/{order_id}/status",
            post(control::set_order_status),
        )
        .route("/_double/returns", post(control::open_return))
        .route("/_double/cancellations", post(control::open_cancellation))
        .route(
            "/_double/conversations/{conversation_id}/messages",
            post(control::buyer_message),
        )
        .route(
            "/_double/packages/{package_id}/update",
            post(control::package_update),
        )
        .fallback(gateway::platform)
        .with_state(shared)
}

fn build_shared(config: &DoubleConfig) -> Result<(Arc<Shared>, Option<SenderStart>), DoubleError> {
    let world = World::generate(&config.world)?;
    let (sender, receiver) = match &config.webhook {
        Some(_) => {
            let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
            (Some(sender), Some(receiver))
        }
        None => (None, None),
    };
    let shared = Arc::new(Shared::new(config, world, sender));
    let start = match (&config.webhook, receiver) {
        (Some(webhook), Some(receiver)) => Some(SenderStart {
            url: webhook.url.clone(),
            time_scale: webhook.time_scale,
            receiver,
        }),
        _ => None,
    };
    Ok((shared, start))
}

struct SenderStart {
    url: String,
    time_scale: f64,
    receiver: tokio::sync::mpsc::UnboundedReceiver<webhooks::WebhookEvent>,
}

async fn run(
    shared: Arc<Shared>,
    sender: Option<SenderStart>,
    listener: TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), DoubleError> {
    if let Some(start) = sender {
        tokio::spawn(webhooks::run_sender(
            shared.clone(),
            start.url,
            start.time_scale,
            start.receiver,
        ));
    }
    axum::serve(listener, router(shared))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Generates the world and serves it on `listener` until the process ends.
pub async fn serve(config: DoubleConfig, listener: TcpListener) -> Result<(), DoubleError> {
    let (shared, sender) = build_shared(&config)?;
    run(shared, sender, listener, std::future::pending()).await
}

/// Entry point for an in-process double.
pub struct PlatformDouble;

impl PlatformDouble {
    /// Generates the world and serves it on 127.0.0.1 with a free port.
    pub async fn start(config: DoubleConfig) -> Result<DoubleHandle, DoubleError> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        PlatformDouble::start_on(config, listener).await
    }

    /// Like [`PlatformDouble::start`] on a listener the caller bound.
    pub async fn start_on(
        config: DoubleConfig,
        listener: TcpListener,
    ) -> Result<DoubleHandle, DoubleError> {
        let addr = listener.local_addr()?;
        let (shared, sender) = build_shared(&config)?;
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(run(shared.clone(), sender, listener, async move {
            let _ = stopped.await;
        }));
        Ok(DoubleHandle {
            addr,
            shared,
            stop: Some(stop),
            task: Some(task),
        })
    }
}

/// A running in-process double.
pub struct DoubleHandle {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), DoubleError>>>,
}

/// A shop as the double knows it, for tests and the demo.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ShopInfo {
    pub id: String,
    pub cipher: String,
    pub name: String,
    pub region: String,
    pub currency: String,
    pub time_zone: String,
}

impl DoubleHandle {
    /// `http://127.0.0.1:PORT` — both the API host and the token host.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn app_key(&self) -> &str {
        &self.shared.app_key
    }

    pub fn app_secret(&self) -> &str {
        &self.shared.app_secret
    }

    /// Runs `read` on the world as it is now.
    pub fn with_world<T>(&self, read: impl FnOnce(&World) -> T) -> T {
        read(&self.shared.read_world().world)
    }

    pub fn shops(&self) -> Vec<ShopInfo> {
        self.with_world(control::shop_infos)
    }

    /// Write requests accepted so far, oldest first.
    pub fn received_writes(&self) -> Vec<ReceivedWrite> {
        state::lock(&self.shared.received_writes).clone()
    }

    /// Webhook delivery attempts so far, in the order they happened.
    pub fn webhook_attempts(&self) -> Vec<WebhookAttempt> {
        state::lock(&self.shared.webhook_attempts).clone()
    }

    pub fn set_faults(&self, faults: Faults) {
        *state::lock(&self.shared.faults) = faults;
    }

    /// The double's business clock (Unix seconds).
    pub fn now(&self) -> i64 {
        self.shared.now()
    }

    /// Moves the business clock forward; returns the ids of returns auto-approved
    /// because their seller deadline passed.
    pub fn advance_clock(&self, seconds: i64) -> Vec<String> {
        control::advance(&self.shared, seconds)
    }

    /// Stops serving and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for DoubleHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
