//! Request signing and webhook verification (reference §3 and §6).
//!
//! `sign = hex(hmac_sha256(secret, secret + path + concat(sorted(k + v)) + body + secret))`
//! where the query excludes `sign` and `access_token`, values are decoded, and the
//! body is left out for `multipart/form-data`.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// The query parameters that are never part of the signature.
const UNSIGNED_PARAMS: [&str; 2] = ["sign", "access_token"];

/// The exact string the platform signs. `query` holds decoded `(key, value)` pairs.
pub fn string_to_sign(
    app_secret: &str,
    path: &str,
    query: &[(&str, &str)],
    content_type: Option<&str>,
    body: &[u8],
) -> Vec<u8> {
    let mut params: Vec<&(&str, &str)> = query
        .iter()
        .filter(|(key, _)| !UNSIGNED_PARAMS.contains(key))
        .collect();
    // Byte order of keys; a stable sort keeps repeated keys in the order given.
    params.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));

    let mut input = Vec::with_capacity(app_secret.len() * 2 + path.len() + body.len() + 64);
    input.extend_from_slice(app_secret.as_bytes());
    input.extend_from_slice(path.as_bytes());
    for (key, value) in params {
        input.extend_from_slice(key.as_bytes());
        input.extend_from_slice(value.as_bytes());
    }
    if !is_multipart(content_type) {
        input.extend_from_slice(body);
    }
    input.extend_from_slice(app_secret.as_bytes());
    input
}

/// The `sign` query value for a request.
pub fn sign_request(
    app_secret: &str,
    path: &str,
    query: &[(&str, &str)],
    content_type: Option<&str>,
    body: &[u8],
) -> String {
    let input = string_to_sign(app_secret, path, query, content_type, body);
    hmac_hex(app_secret.as_bytes(), &[&input])
}

/// Whether `sign` matches the request, compared in constant time.
pub fn verify_request(
    app_secret: &str,
    path: &str,
    query: &[(&str, &str)],
    content_type: Option<&str>,
    body: &[u8],
    sign: &str,
) -> bool {
    let input = string_to_sign(app_secret, path, query, content_type, body);
    verify_hmac_hex(app_secret.as_bytes(), &[&input], sign)
}

/// The webhook `Authorization` header: lower-case hex HMAC-SHA256(app_secret, app_key + body).
pub fn webhook_signature(app_key: &str, app_secret: &str, body: &[u8]) -> String {
    hmac_hex(app_secret.as_bytes(), &[app_key.as_bytes(), body])
}

/// Checks a webhook `Authorization` header over the exact bytes received. Upper-case
/// hex is rejected, as the platform's verifier does.
pub fn verify_webhook(app_key: &str, app_secret: &str, body: &[u8], authorization: &str) -> bool {
    verify_hmac_hex(
        app_secret.as_bytes(),
        &[app_key.as_bytes(), body],
        authorization,
    )
}

fn is_multipart(content_type: Option<&str>) -> bool {
    content_type.is_some_and(|value| {
        value
            .split(';')
            .next()
            .is_some_and(|media| media.trim().eq_ignore_ascii_case("multipart/form-data"))
    })
}

fn hmac_hex(key: &[u8], parts: &[&[u8]]) -> String {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length");
    for part in parts {
        mac.update(part);
    }
    hex::encode(mac.finalize().into_bytes())
}

fn verify_hmac_hex(key: &[u8], parts: &[&[u8]], expected_hex: &str) -> bool {
    // Only canonical lower-case hex is accepted.
    if expected_hex.len() != 64 || expected_hex.bytes().any(|b| b.is_ascii_uppercase()) {
        return false;
    }
    let Ok(expected) = hex::decode(expected_hex) else {
        return false;
    };
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC accepts keys of any length");
    for part in parts {
        mac.update(part);
    }
    mac.verify_slice(&expected).is_ok()
}
