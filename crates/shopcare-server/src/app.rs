//! The HTTP router: webhooks, health, and the JSON API.

use crate::webhook::{self, WebhookState, MAX_WEBHOOK_BYTES};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use axum::Router;

/// Builds the router. Each area gets its own state so tests can build just what they need.
pub fn router(webhooks: WebhookState) -> Router {
    let webhook_routes = Router::new()
        .route("/webhooks/tiktok", post(webhook::receive))
        .layer(DefaultBodyLimit::max(MAX_WEBHOOK_BYTES))
        .with_state(webhooks);
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route(
            "/api/v1/compliance/check",
            post(crate::text_api::check_route),
        )
        .merge(webhook_routes)
}

/// Serves `router` on `listener` until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // The peer address feeds the console's per-address sign-in throttle.
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}
