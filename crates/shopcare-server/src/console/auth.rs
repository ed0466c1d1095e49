//! Sign-in, sign-out and the session middleware.
//!
//! Passwords are hashed with argon2 (PHC strings). A session id is 32 random bytes,
//! sent only in an HTTP-only, SameSite=Lax cookie; the store keeps its SHA-256 digest.
//! Signing in always issues a fresh id (and drops the one presented), so an id planted
//! in a browser before sign-in is worthless afterwards. Failed sign-ins are counted per
//! account and per client address; past the limit, attempts are refused unchecked.

use super::{layout, ConsoleState, CSRF_FIELD, CSRF_HEADER, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::access::{ShopScope, Viewer};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::html;
use rand::RngCore;
use sha2::{Digest, Sha256};
use shopcare_store::{AccountRole, SessionRecord, UserAccount};
use std::net::SocketAddr;
use std::sync::OnceLock;

/// Largest form body the CSRF check reads.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// Paths that need no session and no CSRF token: the sign-in page checks its own
/// token, the webhook is signed by the platform, and the text check changes nothing.
const OPEN_PATHS: &[&str] = &[
    "/login",
    "/healthz",
    "/webhooks/tiktok",
    "/api/v1/compliance/check",
];

#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("password must be at least 8 characters")]
    TooShort,
    #[error("could not hash the password: {0}")]
    Hash(String),
}

/// Hashes `password` with argon2id and a random salt, as a PHC string.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    if password.chars().count() < 8 {
        return Err(PasswordError::TooShort);
    }
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| PasswordError::Hash(error.to_string()))
}

/// True when `password` matches the PHC `hash`; a malformed hash matches nothing.
pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the user does not exist, so an unknown name costs as
/// long as a wrong password and response times do not reveal which names exist.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password never valid").unwrap_or_default())
}

fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// The store key of a session id: its SHA-256, so the database never holds live ids.
fn session_key(session_id: &str) -> String {
    hex::encode(Sha256::digest(session_id.as_bytes()))
}

/// Compares secrets in time independent of where they first differ.
fn same_secret(left: &str, right: &str) -> bool {
    left.len() == right.len()
        && left
            .bytes()
            .zip(right.bytes())
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

fn set_cookie(
    state: &ConsoleState,
    name: &str,
    value: &str,
    path: &str,
    max_age: i64,
) -> HeaderValue {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let cookie =
        format!("{name}={value}; Path={path}; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&cookie).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// The signed-in session of a request, for handlers that render forms.
#[derive(Debug, Clone)]
pub struct CurrentSession {
    pub csrf_token: String,
    pub key: String,
}

/// Who sent the request, as far as this process can tell (the peer address).
#[derive(Debug, Clone)]
pub struct ClientAddress(pub String);

fn viewer_for(user: &UserAccount) -> Viewer {
    let scope = match user.role {
        AccountRole::Owner => ShopScope::All,
        AccountRole::Operator => ShopScope::Only(user.shops.iter().cloned().collect()),
        // A role this version does not know grants no shop.
        AccountRole::Other(_) => ShopScope::Only(Default::default()),
    };
    Viewer {
        username: user.username.clone(),
        scope,
    }
}

fn is_state_changing(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Reads the CSRF token from the header or, for form posts, from the body (which is
/// then put back for the handler).
async fn submitted_csrf_token(request: Request) -> Result<(Request, Option<String>), Response> {
    if let Some(value) = request.headers().get(CSRF_HEADER) {
        let token = value.to_str().ok().map(str::to_owned);
        return Ok((request, token));
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Ok((request, None));
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| (StatusCode::PAYLOAD_TOO_LARGE, "form too large").into_response())?;
    let token = url::form_urlencoded::parse(&bytes)
        .find(|(key, _)| key == CSRF_FIELD)
        .map(|(_, value)| value.into_owned());
    Ok((Request::from_parts(parts, Body::from(bytes)), token))
}

/// The session middleware; see the module documentation.
pub async fn authenticate(
    State(state): State<ConsoleState>,
    mut request: Request,
    next: Next,
) -> Response {
    let address = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |info| info.0.ip().to_string());
    request.extensions_mut().insert(ClientAddress(address));
    let path = request.uri().path().to_owned();
    if OPEN_PATHS.contains(&path.as_str()) {
        return next.run(request).await;
    }
    let session = match cookie_value(request.headers(), SESSION_COOKIE) {
        Some(session_id) => {
            let key = session_key(&session_id);
            match state.store.get_session(&key, state.clock.now()).await {
                Ok(session) => session,
                Err(error) => return crate::error::HttpError::internal(error).into_response(),
            }
        }
        None => None,
    };
    let user = match &session {
        Some(session) => match state.store.get_user(&session.username).await {
            Ok(user) => user,
            Err(error) => return crate::error::HttpError::internal(error).into_response(),
        },
        None => None,
    };
    let (Some(session), Some(user)) = (session, user) else {
        return if is_api(&path) {
            crate::error::HttpError::new(StatusCode::UNAUTHORIZED, "not_signed_in", "sign in first")
                .into_response()
        } else {
            Redirect::to("/login").into_response()
        };
    };
    if is_state_changing(request.method()) {
        let (returned, submitted) = match submitted_csrf_token(request).await {
            Ok(pair) => pair,
            Err(response) => return response,
        };
        request = returned;
        if !submitted.is_some_and(|token| same_secret(&token, &session.csrf_token)) {
            return crate::error::HttpError::new(
                StatusCode::FORBIDDEN,
                "csrf",
                "missing or wrong CSRF token; reload the page and try again",
            )
            .into_response();
        }
    }
    request.extensions_mut().insert(viewer_for(&user));
    request.extensions_mut().insert(CurrentSession {
        csrf_token: session.csrf_token,
        key: session.key,
    });
    next.run(request).await
}

fn login_page(status: StatusCode, csrf_token: &str, message: Option<&str>) -> Response {
    let body = html! {
        main class="login" {
            h1 { "Sign in to shopcare" }
            @if let Some(message) = message {
                p class="notice" role="alert" { (message) }
            }
            form method="post" action="/login" {
                input type="hidden" name=(CSRF_FIELD) value=(csrf_token);
                label for="username" { "Username" }
                input id="username" name="username" autocomplete="username" required autofocus;
                label for="password" { "Password" }
                input id="password" name="password" type="password" autocomplete="current-password" required;
                button type="submit" { "Sign in" }
            }
        }
    };
    (status, Html(layout::bare("Sign in", body).into_string())).into_response()
}

/// `GET /login`: the sign-in form, its CSRF token in a cookie and in the form. A token
/// the browser already holds is reused: a background request (the favicon, another tab)
/// redirected here must not invalidate the form the user is typing into.
pub async fn login_form(State(state): State<ConsoleState>, headers: HeaderMap) -> Response {
    let token = cookie_value(&headers, LOGIN_CSRF_COOKIE)
        .filter(|token| token.len() == 64 && token.bytes().all(|byte| byte.is_ascii_hexdigit()))
        .unwrap_or_else(random_token);
    let mut response = login_page(StatusCode::OK, &token, None);
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, LOGIN_CSRF_COOKIE, &token, "/login", 3600),
    );
    response
}

#[derive(serde::Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    csrf_token: String,
}

/// `POST /login`.
pub async fn login(
    State(state): State<ConsoleState>,
    Extension(ClientAddress(address)): Extension<ClientAddress>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let expected = cookie_value(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_secret(&form.csrf_token, &expected) {
        return login_page(
            StatusCode::FORBIDDEN,
            &expected,
            Some("The sign-in form expired. Reload the page and try again."),
        );
    }
    match sign_in(&state, &address, &headers, &form).await {
        Ok(response) => response,
        Err(error) => error.into_response(),
    }
}

async fn sign_in(
    state: &ConsoleState,
    address: &str,
    headers: &HeaderMap,
    form: &LoginForm,
) -> Result<Response, crate::error::HttpError> {
    let now = state.clock.now();
    let limits = state.login_limits;
    let window_start = now - limits.window;
    let account_key = format!("user:{}", form.username.trim().to_lowercase());
    let address_key = format!("addr:{address}");
    let account_failures = state
        .store
        .login_failures(&account_key, window_start)
        .await?;
    let address_failures = state
        .store
        .login_failures(&address_key, window_start)
        .await?;
    if account_failures >= limits.per_account || address_failures >= limits.per_address {
        tracing::warn!(
            account_failures,
            address_failures,
            "sign-in refused: too many failures"
        );
        return Ok(login_page(
            StatusCode::TOO_MANY_REQUESTS,
            &form.csrf_token,
            Some("Too many failed sign-ins. Wait a few minutes and try again."),
        ));
    }
    let user = state.store.get_user(form.username.trim()).await?;
    let hash = user.as_ref().map_or_else(
        || decoy_hash().to_owned(),
        |user| user.password_hash.clone(),
    );
    let password = form.password.clone();
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .unwrap_or(false);
    let Some(user) = user.filter(|_| matches) else {
        state
            .store
            .record_login_failure(&account_key, now, window_start)
            .await?;
        state
            .store
            .record_login_failure(&address_key, now, window_start)
            .await?;
        tracing::info!("sign-in failed");
        return Ok(login_page(
            StatusCode::UNAUTHORIZED,
            &form.csrf_token,
            Some("Wrong username or password."),
        ));
    };
    state.store.clear_login_failures(&account_key).await?;
    if let Some(old_id) = cookie_value(headers, SESSION_COOKIE) {
        state.store.delete_session(&session_key(&old_id)).await?;
    }
    let session_id = random_token();
    state
        .store
        .create_session(&SessionRecord {
            key: session_key(&session_id),
            username: user.username.clone(),
            csrf_token: random_token(),
            created_at: now,
            expires_at: now + state.session_lifetime,
        })
        .await?;
    tracing::info!(username = %user.username, "signed in");
    let mut response = Redirect::to("/").into_response();
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        set_cookie(
            state,
            SESSION_COOKIE,
            &session_id,
            "/",
            state.session_lifetime.num_seconds(),
        ),
    );
    headers.append(
        header::SET_COOKIE,
        set_cookie(state, LOGIN_CSRF_COOKIE, "", "/login", 0),
    );
    Ok(response)
}

/// `POST /logout` (CSRF-checked by the middleware): ends the session.
pub async fn logout(
    State(state): State<ConsoleState>,
    Extension(session): Extension<CurrentSession>,
) -> Result<Response, crate::error::HttpError> {
    state.store.delete_session(&session.key).await?;
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", "/", 0),
    );
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_against_their_own_hash() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct horsf", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
        assert!(matches!(
            hash_password("short"),
            Err(PasswordError::TooShort)
        ));
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("other_shopcare_session=x; shopcare_session=abc"),
        );
        assert_eq!(
            cookie_value(&headers, SESSION_COOKIE).as_deref(),
            Some("abc")
        );
        assert_eq!(cookie_value(&headers, "missing"), None);
    }

    #[test]
    fn secrets_compare_by_content() {
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }
}
