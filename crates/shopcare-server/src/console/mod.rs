//! The web console: sign-in, sessions, CSRF protection and the server-rendered pages.
//!
//! [`authenticate`] runs in front of every route. It resolves the session cookie into an
//! [`access::Viewer`](crate::access::Viewer) in the request's extensions (other areas'
//! handlers extract it from there), checks the CSRF token of every state-changing
//! request, and turns away anonymous requests: pages redirect to `/login`, the JSON API
//! answers 401. Sessions live in the store under a digest of their random id, so the
//! id itself exists only in the browser's HTTP-only cookie.

mod auth;
mod cases;
mod layout;
mod pages;
mod reviews;
pub mod scorecard;

pub use auth::{authenticate, hash_password, verify_password, PasswordError};

use crate::clock::Clock;
use axum::routing::{get, post};
use axum::Router;
use shopcare_store::Store;
use std::sync::Arc;

/// Name of the cookie holding the session id.
pub const SESSION_COOKIE: &str = "shopcare_session";
/// Name of the cookie holding the sign-in form's CSRF token (before any session exists).
pub const LOGIN_CSRF_COOKIE: &str = "shopcare_login_csrf";
/// Form field and header that carry the CSRF token.
pub const CSRF_FIELD: &str = "csrf_token";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Limits on failed sign-ins within one window.
#[derive(Debug, Clone, Copy)]
pub struct LoginLimits {
    pub window: chrono::Duration,
    /// Failures per account before further attempts are refused.
    pub per_account: u32,
    /// Failures per client address before further attempts are refused.
    pub per_address: u32,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self {
            window: chrono::Duration::minutes(15),
            per_account: 5,
            per_address: 20,
        }
    }
}

/// Everything the console's handlers and its middleware need.
#[derive(Clone)]
pub struct ConsoleState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
    /// Mark cookies `Secure`: set when served over TLS or behind a TLS-terminating proxy.
    pub secure_cookies: bool,
    pub session_lifetime: chrono::Duration,
    pub login_limits: LoginLimits,
    /// SNRR targets per market, for the scorecard.
    pub metric_targets: crate::metrics::MetricTargets,
}

impl ConsoleState {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, secure_cookies: bool) -> Self {
        Self {
            store,
            clock,
            secure_cookies,
            session_lifetime: chrono::Duration::hours(12),
            login_limits: LoginLimits::default(),
            metric_targets: crate::metrics::MetricTargets::default(),
        }
    }
}

/// The console's own routes (sign-in, sign-out, pages). The caller wraps the whole
/// application router in [`authenticate`] so every route is protected, not just these.
pub fn router(state: ConsoleState) -> Router {
    Router::new()
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/", get(pages::overview))
        .route("/shops/{shop_id}", get(pages::shop_page))
        .route("/shops/{shop_id}/checklist", get(pages::checklist_page))
        .route(
            "/shops/{shop_id}/checklist/{item}",
            post(pages::set_checklist_item),
        )
        .route("/reviews", get(reviews::all_reviews_page))
        .route("/reviews/bulk-handled", post(reviews::bulk_handled))
        .route("/shops/{shop_id}/reviews", get(reviews::shop_reviews_page))
        .route(
            "/shops/{shop_id}/reviews/{review_id}/reply",
            post(reviews::send_reply),
        )
        .route(
            "/shops/{shop_id}/reviews/{review_id}/{flag}",
            post(reviews::set_review_flag),
        )
        .route("/cases", get(cases::all_cases_page))
        .route("/shops/{shop_id}/cases", get(cases::shop_cases_page))
        .route("/shops/{shop_id}/cases/{case_id}/actions", post(cases::act))
        .route("/shops/{shop_id}/scorecard", get(scorecard::scorecard_page))
        .route(
            "/shops/{shop_id}/scorecard.csv",
            get(scorecard::scorecard_csv),
        )
        .with_state(state)
}

/// Wraps `app` (every route, the console's and the API's) in the session middleware.
pub fn protect(app: Router, state: ConsoleState) -> Router {
    app.layer(axum::middleware::from_fn_with_state(state, authenticate))
}
