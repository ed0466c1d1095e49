//! Building the signed query string exactly as the client sends it (reference §3):
//! caller parameters first, then `shop_cipher`, `app_key`, `timestamp` and `sign`.
//! Values are signed decoded and %-encoded (RFC 3986 unreserved set) only afterwards.

use crate::signing::sign_request;
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// Everything but the RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// One request before signing. `params` are the caller's decoded query parameters in the
/// order they will be sent; list values are already comma-joined.
#[derive(Debug, Clone, Copy)]
pub struct RequestToSign<'a> {
    /// The URL path without host or query, e.g. `/order/202309/orders/search`.
    pub path: &'a str,
    pub params: &'a [(String, String)],
    /// Present on shop-scoped endpoints.
    pub shop_cipher: Option<&'a str>,
    /// Unix seconds (the platform accepts now - 5 min .. now + 30 s).
    pub timestamp: i64,
    pub content_type: Option<&'a str>,
    /// The exact bytes that will be sent as the body.
    pub body: &'a [u8],
}

/// The full query string (without the leading `?`), including `sign`.
pub fn signed_query(app_key: &str, app_secret: &str, request: &RequestToSign<'_>) -> String {
    let timestamp = request.timestamp.to_string();
    let mut pairs: Vec<(&str, &str)> = request
        .params
        .iter()
        .map(|(key, value)| (key.as_str(), value.as_str()))
        .collect();
    if let Some(cipher) = request.shop_cipher {
        pairs.push(("shop_cipher", cipher));
    }
    pairs.push(("app_key", app_key));
    pairs.push(("timestamp", &timestamp));
    let sign = sign_request(
        app_secret,
        request.path,
        &pairs,
        request.content_type,
        request.body,
    );
    pairs.push(("sign", &sign));
    encode_pairs(&pairs)
}

/// `key=value&...` with both sides %-encoded per RFC 3986.
pub fn encode_pairs(pairs: &[(&str, &str)]) -> String {
    let mut query = String::new();
    for (index, (key, value)) in pairs.iter().enumerate() {
        if index > 0 {
            query.push('&');
        }
        query.extend(utf8_percent_encode(key, QUERY_VALUE));
        query.push('=');
        query.extend(utf8_percent_encode(value, QUERY_VALUE));
    }
    query
}

/// %-encodes one path segment (ids are digits in practice; this keeps a stray `/` or `?`
/// in an id from changing which endpoint is called).
pub fn encode_path_segment(segment: &str) -> String {
    utf8_percent_encode(segment, QUERY_VALUE).to_string()
}
