//! The API gateway: faults, routing with any `\d{6}` version, the request checks of
//! reference §10 in their order, idempotency, and the `{code, message, request_id, data}`
//! envelope around every answer.

use super::api;
use super::signature::{request_signature, signatures_match};
use super::state::{lock, ReceivedWrite, Shared, StoredAnswer};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Platform error codes used by the double (reference §4).
pub mod codes {
    pub const BAD_SIGN: u32 = 106_001;
    pub const INVALID_REQUEST: u32 = 36_009_004;
    pub const TOKEN_EXPIRED: u32 = 105_002;
    pub const WRONG_SELLER: u32 = 101_000;
    pub const CIPHER_MISSING: u32 = 106_013;
    pub const RATE_LIMITED: u32 = 36_009_002;
    pub const INTERNAL: u32 = 36_009_003;
    pub const UNKNOWN_PATH: u32 = 36_009_009;
    pub const WRONG_METHOD: u32 = 36_009_010;
    pub const BAD_AUTH_CODE: u32 = 36_004_004;
    pub const INVALID_PARAM: u32 = 25_001_001;
    pub const ORDER_NOT_FOUND: u32 = 25_007_006;
    pub const RETURN_REJECT_FORBIDDEN: u32 = 25_011_011;
    pub const RETURN_APPROVE_FORBIDDEN: u32 = 25_011_012;
}

/// An error answer: HTTP status, platform code and message.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: u32,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: u32, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// `36009004` with HTTP 400: the gateway's catch-all for malformed requests.
    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, codes::INVALID_REQUEST, message)
    }

    /// `25001001` (business "invalid param"), answered with HTTP 200 as business errors are.
    pub fn invalid_param(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::OK, codes::INVALID_PARAM, message)
    }
}

/// Builds the envelope around already-serialized `data` JSON.
pub fn envelope(
    status: StatusCode,
    code: u32,
    message: &str,
    request_id: &str,
    data: &[u8],
) -> Response {
    json_response(status, envelope_bytes(code, message, request_id, data))
}

/// The envelope's bytes.
pub fn envelope_bytes(code: u32, message: &str, request_id: &str, data: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(data.len() + 128);
    body.extend_from_slice(b"{\"code\":");
    body.extend_from_slice(code.to_string().as_bytes());
    body.extend_from_slice(b",\"message\":");
    body.extend_from_slice(&serde_json::to_vec(message).expect("strings serialize"));
    body.extend_from_slice(b",\"request_id\":\"");
    body.extend_from_slice(request_id.as_bytes());
    body.extend_from_slice(b"\",\"data\":");
    body.extend_from_slice(data);
    body.push(b'}');
    body
}

pub fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut response = (status, body).into_response();
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

pub fn error_response(shared: &Shared, error: &ApiError) -> Response {
    envelope(
        error.status,
        error.code,
        &error.message,
        &shared.request_id(),
        b"null",
    )
}

/// The platform endpoints the double serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Endpoint {
    Shops,
    OrderSearch,
    OrderDetail,
    PackageSearch,
    PackageDetail,
    Tracking,
    ReturnSearch,
    ReturnApprove,
    ReturnReject,
    ReturnRecords,
    RejectReasons,
    CancellationSearch,
    CancellationApprove,
    CancellationReject,
    Conversations,
    CreateConversation,
    Messages,
    SendMessage,
    ReadMessages,
    ProductSearch,
    ProductDetail,
    WebhookList,
    WebhookUpdate,
    WebhookDelete,
}

struct RouteSpec {
    group: &'static str,
    /// Segments after the version; `*` matches one id.
    pattern: &'static [&'static str],
    method: Method,
    endpoint: Endpoint,
    shop_scoped: bool,
}

fn routes() -> &'static [RouteSpec] {
    use Endpoint::*;
    static ROUTES: std::sync::OnceLock<Vec<RouteSpec>> = std::sync::OnceLock::new();
    ROUTES.get_or_init(|| {
        let spec = |group, pattern, method, endpoint, shop_scoped| RouteSpec {
            group,
            pattern,
            method,
            endpoint,
            shop_scoped,
        };
        vec![
            spec("authorization", &["shops"], Method::GET, Shops, false),
            spec(
                "order",
                &["orders", "search"],
                Method::POST,
                OrderSearch,
                true,
            ),
            spec("order", &["orders"], Method::GET, OrderDetail, true),
            spec(
                "fulfillment",
                &["packages", "search"],
                Method::POST,
                PackageSearch,
                true,
            ),
            spec(
                "fulfillment",
                &["packages", "*"],
                Method::GET,
                PackageDetail,
                true,
            ),
            spec(
                "fulfillment",
                &["orders", "*", "tracking"],
                Method::GET,
                Tracking,
                true,
            ),
            spec(
                "logistics",
                &["orders", "*", "tracking"],
                Method::GET,
                Tracking,
                true,
            ),
            spec(
                "return_refund",
                &["returns", "search"],
                Method::POST,
                ReturnSearch,
                true,
            ),
            spec(
                "return_refund",
                &["returns", "*", "approve"],
                Method::POST,
                ReturnApprove,
                true,
            ),
            spec(
                "return_refund",
                &["returns", "*", "reject"],
                Method::POST,
                ReturnReject,
                true,
            ),
            spec(
                "return_refund",
                &["returns", "*", "records"],
                Method::GET,
                ReturnRecords,
                true,
            ),
            spec(
                "return_refund",
                &["reject_reasons"],
                Method::GET,
                RejectReasons,
                true,
            ),
            spec(
                "return_refund",
                &["cancellations", "search"],
                Method::POST,
                CancellationSearch,
                true,
            ),
            spec(
                "return_refund",
                &["cancellations", "*", "approve"],
                Method::POST,
                CancellationApprove,
                true,
            ),
            spec(
                "return_refund",
                &["cancellations", "*", "reject"],
                Method::POST,
                CancellationReject,
                true,
            ),
            spec(
                "customer_service",
                &["conversations"],
                Method::GET,
                Conversations,
                true,
            ),
            spec(
                "customer_service",
                &["conversations"],
                Method::POST,
                CreateConversation,
                true,
            ),
            spec(
                "customer_service",
                &["conversations", "*", "messages"],
                Method::GET,
                Messages,
                true,
            ),
            spec(
                "customer_service",
                &["conversations", "*", "messages"],
                Method::POST,
                SendMessage,
                true,
            ),
            spec(
                "customer_service",
                &["conversations", "*", "messages", "read"],
                Method::POST,
                ReadMessages,
                true,
            ),
            spec(
                "product",
                &["products", "search"],
                Method::POST,
                ProductSearch,
                true,
            ),
            spec(
                "product",
                &["products", "*"],
                Method::GET,
                ProductDetail,
                true,
            ),
            spec("event", &["webhooks"], Method::GET, WebhookList, true),
            spec("event", &["webhooks"], Method::PUT, WebhookUpdate, true),
            spec("event", &["webhooks"], Method::DELETE, WebhookDelete, true),
        ]
    })
}

/// Whether an endpoint changes state (recorded, idempotency-aware).
fn is_write(endpoint: Endpoint) -> bool {
    use Endpoint::*;
    matches!(
        endpoint,
        ReturnApprove
            | ReturnReject
            | CancellationApprove
            | CancellationReject
            | CreateConversation
            | SendMessage
            | ReadMessages
            | WebhookUpdate
            | WebhookDelete
    )
}

enum RouteError {
    NotFound,
    WrongMethod,
}

fn match_route<'a>(
    method: &Method,
    path: &'a str,
) -> Result<(&'static RouteSpec, Vec<&'a str>), RouteError> {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    if segments.len() < 3 {
        return Err(RouteError::NotFound);
    }
    let version = segments[1];
    if version.len() != 6 || !version.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(RouteError::NotFound);
    }
    let rest = &segments[2..];
    let mut path_matched = false;
    for spec in routes() {
        if spec.group != segments[0] || spec.pattern.len() != rest.len() {
            continue;
        }
        let mut ids = Vec::new();
        let fits = spec.pattern.iter().zip(rest).all(|(pattern, segment)| {
            if *pattern == "*" {
                ids.push(*segment);
                !segment.is_empty()
            } else {
                pattern == segment
            }
        });
        if !fits {
            continue;
        }
        path_matched = true;
        if spec.method == method {
            return Ok((spec, ids));
        }
    }
    Err(if path_matched {
        RouteError::WrongMethod
    } else {
        RouteError::NotFound
    })
}

/// A request that passed every check.
pub struct Request<'a> {
    pub endpoint: Endpoint,
    pub path_ids: Vec<&'a str>,
    pub query: &'a [(String, String)],
    pub body: &'a [u8],
    /// The shop of `shop_cipher` (shop-scoped endpoints only).
    pub shop: Option<u16>,
}

impl Request<'_> {
    /// The first value of a query parameter.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The shop of a shop-scoped endpoint.
    pub fn shop(&self) -> u16 {
        self.shop
            .expect("shop-scoped endpoints always carry a shop")
    }
}

/// The fallback handler: every platform API request lands here.
pub async fn platform(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Some(response) = injected_fault(&shared).await {
        return response;
    }
    let path = uri.path();
    let (spec, path_ids) = match match_route(&method, path) {
        Ok(found) => found,
        Err(RouteError::NotFound) => {
            return error_response(
                &shared,
                &ApiError::new(
                    StatusCode::NOT_FOUND,
                    codes::UNKNOWN_PATH,
                    "Invalid path: API not found",
                ),
            )
        }
        Err(RouteError::WrongMethod) => {
            return error_response(
                &shared,
                &ApiError::new(
                    StatusCode::METHOD_NOT_ALLOWED,
                    codes::WRONG_METHOD,
                    "Invalid method: this API does not accept this HTTP method",
                ),
            )
        }
    };
    let query: Vec<(String, String)> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok());
    let shop = match check(&shared, spec, path, &query, &headers, content_type, &body) {
        Ok(shop) => shop,
        Err(error) => return error_response(&shared, &error),
    };
    let request = Request {
        endpoint: spec.endpoint,
        path_ids,
        query: &query,
        body: &body,
        shop,
    };
    if !is_write(spec.endpoint) {
        return answer(&shared, api::handle(&shared, &request));
    }

    let idempotency_key = request.param("idempotency_key").map(str::to_string);
    let record = |replayed: bool| ReceivedWrite {
        method: method.to_string(),
        path: path.to_string(),
        query: query.clone(),
        body: String::from_utf8_lossy(&body).into_owned(),
        idempotency_key: idempotency_key.clone(),
        replayed,
    };
    let stored_key = idempotency_key.as_ref().map(|key| format!("{path}|{key}"));
    // Holding the idempotency lock across the write makes two racing requests with the
    // same key apply once.
    let mut stored = lock(&shared.idempotency);
    if let Some(previous) = stored_key.as_ref().and_then(|key| stored.get(key)) {
        lock(&shared.received_writes).push(record(true));
        let status = StatusCode::from_u16(previous.status).unwrap_or(StatusCode::OK);
        return json_response(status, previous.body.clone());
    }
    lock(&shared.received_writes).push(record(false));
    let response_parts = render(&shared, api::handle(&shared, &request));
    if let Some(key) = stored_key {
        stored.insert(
            key,
            StoredAnswer {
                status: response_parts.0.as_u16(),
                body: response_parts.1.clone(),
            },
        );
    }
    drop(stored);
    json_response(response_parts.0, response_parts.1)
}

fn render(shared: &Shared, result: Result<Vec<u8>, ApiError>) -> (StatusCode, Vec<u8>) {
    match result {
        Ok(data) => (
            StatusCode::OK,
            envelope_bytes(0, "Success", &shared.request_id(), &data),
        ),
        Err(error) => (
            error.status,
            envelope_bytes(error.code, &error.message, &shared.request_id(), b"null"),
        ),
    }
}

fn answer(shared: &Shared, result: Result<Vec<u8>, ApiError>) -> Response {
    match result {
        Ok(data) => envelope(StatusCode::OK, 0, "Success", &shared.request_id(), &data),
        Err(error) => error_response(shared, &error),
    }
}

/// Applies the fault knobs: a delay, then a queued 429 or 503.
async fn injected_fault(shared: &Shared) -> Option<Response> {
    let (delay, rate_limited, retry_after, unavailable) = {
        let mut faults = lock(&shared.faults);
        let rate_limited = faults.rate_limit_next > 0;
        let unavailable = !rate_limited && faults.unavailable_next > 0;
        if rate_limited {
            faults.rate_limit_next -= 1;
        } else if unavailable {
            faults.unavailable_next -= 1;
        }
        (
            faults.delay_ms,
            rate_limited,
            faults.retry_after_seconds,
            unavailable,
        )
    };
    if delay > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(delay)).await;
    }
    if rate_limited {
        let mut response = error_response(
            shared,
            &ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                codes::RATE_LIMITED,
                "Too many requests: rate limit exceeded",
            ),
        );
        if retry_after > 0 {
            response
                .headers_mut()
                .insert("retry-after", HeaderValue::from(retry_after));
        }
        return Some(response);
    }
    if unavailable {
        return Some(error_response(
            shared,
            &ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                codes::INTERNAL,
                "Service unavailable, please retry later",
            ),
        ));
    }
    None
}

/// The checks of reference §10, in order: app_key, timestamp window, sign present,
/// token header, shop_cipher rules, sign value. Returns the request's shop.
fn check(
    shared: &Shared,
    spec: &RouteSpec,
    path: &str,
    query: &[(String, String)],
    headers: &HeaderMap,
    content_type: Option<&str>,
    body: &[u8],
) -> Result<Option<u16>, ApiError> {
    let param = |name: &str| {
        query
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    match param("app_key") {
        Some(key) if key == shared.app_key => {}
        Some(_) => return Err(ApiError::invalid("Invalid app_key")),
        None => return Err(ApiError::invalid("Missing app_key")),
    }
    let timestamp: i64 = param("timestamp")
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| ApiError::invalid("Invalid timestamp: missing or not a number"))?;
    let wall = shared.wall_now();
    if timestamp < 0 || wall - timestamp > 300 {
        return Err(ApiError::invalid("Invalid timestamp: older than 5 minutes"));
    }
    if timestamp - wall > 30 {
        return Err(ApiError::invalid(
            "Invalid timestamp: more than 30 seconds in the future",
        ));
    }
    let sign = param("sign")
        .filter(|value| !value.is_empty())
        .ok_or_else(|| ApiError::invalid("sign missing"))?;

    let token = headers
        .get("x-tts-access-token")
        .and_then(|value| value.to_str().ok())
        .filter(|value| !value.is_empty())
        .ok_or_else(|| ApiError::invalid("Invalid credentials: access token header missing"))?;
    let expires_at = lock(&shared.tokens)
        .access
        .get(token)
        .map(|access| access.expires_at)
        .ok_or_else(|| ApiError::invalid("Invalid credentials: access token is invalid"))?;
    if shared.now() >= expires_at {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes::TOKEN_EXPIRED,
            "Expired credentials: access token expired, refresh it",
        ));
    }

    let cipher = param("shop_cipher").filter(|value| !value.is_empty());
    let shop = match (spec.shop_scoped, cipher) {
        (true, None) => {
            return Err(ApiError::new(
                StatusCode::BAD_REQUEST,
                codes::CIPHER_MISSING,
                "shop_cipher is missing",
            ))
        }
        (false, Some(_)) => {
            return Err(ApiError::invalid("shop_cipher is not allowed for this API"));
        }
        (false, None) => None,
        (true, Some(cipher)) => {
            // One seller owns every shop of the world: a cipher it does not know is a
            // shop this token is not linked to.
            let shop = shared.read_world().world.shop_index_by_cipher(cipher);
            Some(shop.ok_or_else(|| {
                ApiError::new(
                    StatusCode::FORBIDDEN,
                    codes::WRONG_SELLER,
                    "The access token is not linked to this shop_cipher",
                )
            })?)
        }
    };

    let expected = request_signature(&shared.app_secret, path, query, content_type, body);
    if !signatures_match(&expected, sign) {
        return Err(ApiError::new(
            StatusCode::UNAUTHORIZED,
            codes::BAD_SIGN,
            "Invalid sign: signature verification failed",
        ));
    }
    Ok(shop)
}
