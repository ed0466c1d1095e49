//! The token host's endpoints (reference §2), served on the same address as the API.
//!
//! - `GET /api/v2/token/get?app_key&app_secret&auth_code&grant_type=authorized_code`:
//!   the code is single-use; reuse or an unknown code → `36004004`.
//! - `GET /api/v2/token/refresh?app_key&app_secret&refresh_token&grant_type=refresh_token`:
//!   issues a new access token; the refresh token is **not** rotated (same value and
//!   expiry come back), and earlier access tokens stay valid until they expire.
//!
//! Expiries are absolute Unix seconds on the double's business clock.

use super::gateway::{codes, envelope, error_response, ApiError};
use super::state::{lock, AccessToken, RefreshToken, Shared};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::sync::Arc;

#[derive(Deserialize)]
pub struct TokenQuery {
    app_key: Option<String>,
    app_secret: Option<String>,
    auth_code: Option<String>,
    refresh_token: Option<String>,
    grant_type: Option<String>,
}

#[derive(Serialize)]
struct TokenData<'a> {
    access_token: &'a str,
    access_token_expire_in: i64,
    refresh_token: &'a str,
    refresh_token_expire_in: i64,
    open_id: &'a str,
    seller_name: &'a str,
    seller_base_region: &'a str,
    user_type: u32,
    granted_scopes: &'a [&'a str],
}

const GRANTED_SCOPES: [&str; 6] = [
    "seller.authorization.info",
    "seller.order.info",
    "seller.fulfillment.basic",
    "seller.return_refund.basic",
    "seller.customer_service",
    "seller.product.basic",
];

/// An opaque token: a prefix plus an HMAC of a counter, so tokens differ per issue and
/// per app secret without any randomness.
fn opaque_token(shared: &Shared, prefix: &str, kind: &str, counter: u64) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(shared.app_secret.as_bytes())
        .expect("HMAC accepts keys of any length");
    mac.update(format!("{kind}:{counter}").as_bytes());
    let digest = hex::encode(mac.finalize().into_bytes());
    format!("{prefix}{}", &digest[..40])
}

fn check_app(shared: &Shared, query: &TokenQuery, grant_type: &str) -> Result<(), ApiError> {
    if query.app_key.as_deref() != Some(shared.app_key.as_str())
        || query.app_secret.as_deref() != Some(shared.app_secret.as_str())
    {
        return Err(ApiError::invalid("Invalid app_key or app_secret"));
    }
    if query.grant_type.as_deref() != Some(grant_type) {
        return Err(ApiError::invalid(format!(
            "Invalid grant_type: expected {grant_type}"
        )));
    }
    Ok(())
}

fn token_answer(
    shared: &Shared,
    access: &str,
    access_expiry: i64,
    refresh: &str,
    refresh_expiry: i64,
) -> Response {
    let world = shared.read_world();
    let seller = &world.world.seller;
    let data = serde_json::to_vec(&TokenData {
        access_token: access,
        access_token_expire_in: access_expiry,
        refresh_token: refresh,
        refresh_token_expire_in: refresh_expiry,
        open_id: &seller.open_id,
        seller_name: &seller.name,
        seller_base_region: &seller.base_region,
        user_type: 0,
        granted_scopes: &GRANTED_SCOPES,
    })
    .expect("token data serializes");
    envelope(StatusCode::OK, 0, "success", &shared.request_id(), &data)
}

pub async fn get_token(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<TokenQuery>,
) -> Response {
    if let Err(error) = check_app(&shared, &query, "authorized_code") {
        return error_response(&shared, &error);
    }
    let code = query.auth_code.clone().unwrap_or_default();
    let now = shared.now();
    let (access, refresh) = {
        let mut tokens = lock(&shared.tokens);
        if !tokens.valid_codes.contains(&code) || tokens.used_codes.contains(&code) {
            drop(tokens);
            return error_response(
                &shared,
                &ApiError::new(
                    StatusCode::BAD_REQUEST,
                    codes::BAD_AUTH_CODE,
                    "Invalid auth_code: unknown, expired or already used",
                ),
            );
        }
        tokens.used_codes.insert(code);
        tokens.issued += 1;
        let issued = tokens.issued;
        let access = opaque_token(&shared, "TTP_", "access", issued);
        let refresh = opaque_token(&shared, "TTP_", "refresh", issued);
        tokens.access.insert(
            access.clone(),
            AccessToken {
                expires_at: now + shared.access_token_lifetime,
            },
        );
        tokens.refresh.insert(
            refresh.clone(),
            RefreshToken {
                expires_at: now + shared.refresh_token_lifetime,
            },
        );
        (access, refresh)
    };
    token_answer(
        &shared,
        &access,
        now + shared.access_token_lifetime,
        &refresh,
        now + shared.refresh_token_lifetime,
    )
}

pub async fn refresh_token(
    State(shared): State<Arc<Shared>>,
    Query(query): Query<TokenQuery>,
) -> Response {
    if let Err(error) = check_app(&shared, &query, "refresh_token") {
        return error_response(&shared, &error);
    }
    let refresh = query.refresh_token.clone().unwrap_or_default();
    let now = shared.now();
    let issued = {
        let mut tokens = lock(&shared.tokens);
        let Some(refresh_expiry) = tokens
            .refresh
            .get(&refresh)
            .map(|token| token.expires_at)
            .filter(|expiry| *expiry > now)
        else {
            drop(tokens);
            return error_response(
                &shared,
                &ApiError::invalid("Invalid refresh_token: unknown or expired"),
            );
        };
        tokens.issued += 1;
        let issued = tokens.issued;
        let access = opaque_token(&shared, "TTP_", "access", issued);
        tokens.access.insert(
            access.clone(),
            AccessToken {
                expires_at: now + shared.access_token_lifetime,
            },
        );
        (access, refresh_expiry)
    };
    token_answer(
        &shared,
        &issued.0,
        now + shared.access_token_lifetime,
        &refresh,
        issued.1,
    )
}
