//! The client against a tiny scripted HTTP server on 127.0.0.1:0: exact request lines,
//! signatures, headers, retries with backoff and `Retry-After`, envelope errors on
//! HTTP 200, non-idempotent writes, token calls and pagination.

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use shopcare_tiktok::dto::{ApproveReturn, OrderSearch};
use shopcare_tiktok::signing::verify_request;
use shopcare_tiktok::{ApiError, ClientConfig, Paginator, RetryPolicy, TikTokClient};
use std::collections::VecDeque;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const APP_KEY: &str = "6abc123def";
const SECRET: &str = "s3cr3t-app-secret";
const CIPHER: &str = "ROW_TESTCIPHER123";
const TOKEN: &str = "TTP_testtoken";

/// What the server saw.
#[derive(Debug, Clone)]
struct SeenRequest {
    method: String,
    path_and_query: String,
    path: String,
    /// Decoded query pairs, in order.
    query: Vec<(String, String)>,
    access_token: Option<String>,
    content_type: Option<String>,
    body: Vec<u8>,
}

impl SeenRequest {
    fn line(&self) -> String {
        format!("{} {}", self.method, self.path_and_query)
    }

    fn param(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// Checks the signature the way the platform does: decoded params, raw body.
    fn signature_is_valid(&self) -> bool {
        let pairs: Vec<(&str, &str)> = self
            .query
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let sign = self.param("sign").unwrap_or_default();
        verify_request(
            SECRET,
            &self.path,
            &pairs,
            self.content_type.as_deref(),
            &self.body,
            sign,
        )
    }
}

/// One scripted answer.
struct Scripted {
    status: u16,
    headers: Vec<(&'static str, String)>,
    body: String,
}

fn answer(status: u16, body: &str) -> Scripted {
    Scripted {
        status,
        headers: Vec::new(),
        body: body.to_owned(),
    }
}

fn success(data: &str) -> Scripted {
    answer(
        200,
        &format!(r#"{{"code":0,"message":"Success","request_id":"req-1","data":{data}}}"#),
    )
}

fn platform_error(status: u16, code: i64, message: &str) -> Scripted {
    answer(
        status,
        &format!(r#"{{"code":{code},"message":"{message}","request_id":"req-2","data":null}}"#),
    )
}

#[derive(Default)]
struct ServerState {
    script: Mutex<VecDeque<Scripted>>,
    seen: Mutex<Vec<SeenRequest>>,
}

struct ScriptedServer {
    base_url: String,
    state: Arc<ServerState>,
}

impl ScriptedServer {
    async fn start(script: Vec<Scripted>) -> Self {
        let state = Arc::new(ServerState {
            script: Mutex::new(script.into()),
            seen: Mutex::default(),
        });
        let handler_state = state.clone();
        let app = axum::Router::new().fallback(
            move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let state = handler_state.clone();
                async move { respond(&state, method, uri, headers, body) }
            },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            base_url: format!("http://{address}"),
            state,
        }
    }

    fn seen(&self) -> Vec<SeenRequest> {
        self.state.seen.lock().unwrap().clone()
    }

    fn client(&self, retry: RetryPolicy) -> TikTokClient {
        let mut config = ClientConfig::new(APP_KEY, SECRET);
        config.api_base_url = self.base_url.clone();
        config.auth_base_url = self.base_url.clone();
        config.retry = retry;
        let clock = Arc::new(AtomicI64::new(1_700_000_000));
        TikTokClient::with_clock(config, Arc::new(move || clock.load(Ordering::SeqCst))).unwrap()
    }
}

fn respond(
    state: &ServerState,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|value| value.to_str().ok())
            .map(str::to_owned)
    };
    let query = uri
        .query()
        .map(|query| {
            url::form_urlencoded::parse(query.as_bytes())
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect()
        })
        .unwrap_or_default();
    state.seen.lock().unwrap().push(SeenRequest {
        method: method.to_string(),
        path_and_query: uri
            .path_and_query()
            .map(|pq| pq.as_str().to_owned())
            .unwrap_or_default(),
        path: uri.path().to_owned(),
        query,
        access_token: header("x-tts-access-token"),
        content_type: header("content-type"),
        body: body.to_vec(),
    });
    let Some(scripted) = state.script.lock().unwrap().pop_front() else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "script exhausted").into_response();
    };
    let mut response = Response::builder().status(scripted.status);
    for (name, value) in scripted.headers {
        response = response.header(name, value);
    }
    response
        .header("content-type", "application/json")
        .body(axum::body::Body::from(scripted.body))
        .unwrap()
}

/// Fast retries for tests: no jitter, 1 ms base.
fn fast_retry(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(20),
        max_jitter: Duration::ZERO,
    }
}

#[tokio::test]
async fn authorized_shops_request_line_matches_the_reference() {
    let server = ScriptedServer::start(vec![success(
        r#"{"shops":[{"id":"7494049642642441621","name":"A","region":"US","seller_type":"LOCAL","cipher":"ROW_a","code":"US1"}]}"#,
    )])
    .await;
    let shops = server
        .client(fast_retry(1))
        .authorized_shops(TOKEN)
        .await
        .unwrap();
    assert_eq!(shops[0].cipher.as_deref(), Some("ROW_a"));
    let seen = server.seen();
    assert_eq!(
        seen[0].line(),
        "GET /authorization/202309/shops?app_key=6abc123def&timestamp=1700000000&sign=4c4181f05a9ab74550f1535ddc2ca6bf493bd1e58c4f0bb80862d64e9cfff42b"
    );
    assert_eq!(seen[0].access_token.as_deref(), Some(TOKEN));
    assert_eq!(seen[0].content_type.as_deref(), Some("application/json"));
}

#[tokio::test]
async fn order_search_request_line_and_body_match_the_reference() {
    let server = ScriptedServer::start(vec![success(
        r#"{"orders":[],"total_count":0,"next_page_token":""}"#,
    )])
    .await;
    let search = OrderSearch {
        order_status: Some("AWAITING_SHIPMENT".into()),
        update_time_ge: Some(1_699_990_000),
        ..OrderSearch::default()
    };
    server
        .client(fast_retry(1))
        .search_orders(CIPHER, TOKEN, &search, 50, None)
        .await
        .unwrap();
    let seen = &server.seen()[0];
    assert_eq!(
        seen.line(),
        "POST /order/202309/orders/search?page_size=50&shop_cipher=ROW_TESTCIPHER123&app_key=6abc123def&timestamp=1700000000&sign=aa7c79f2fc59afe64e2260005c68680680734b63138f093ff61f4ebebfc8ca34"
    );
    assert_eq!(
        seen.body,
        br#"{"order_status":"AWAITING_SHIPMENT","update_time_ge":1699990000}"#
    );
}

#[tokio::test]
async fn list_params_are_comma_joined_and_tokens_percent_encoded_yet_signed_decoded() {
    let server = ScriptedServer::start(vec![
        success(r#"{"orders":[{"id":"1"},{"id":"2"}]}"#),
        success(r#"{"messages":[],"next_page_token":""}"#),
    ])
    .await;
    let client = server.client(fast_retry(1));
    let orders = client
        .get_orders(CIPHER, TOKEN, &["576486316948490001", "576486316948490002"])
        .await
        .unwrap();
    assert_eq!(orders.len(), 2);
    client
        .list_messages(CIPHER, TOKEN, "7351234567890", 10, Some("a/b+c="))
        .await
        .unwrap();
    let seen = server.seen();
    assert!(
        seen[0].path_and_query.starts_with(
            "/order/202309/orders?ids=576486316948490001%2C576486316948490002&shop_cipher="
        ),
        "{}",
        seen[0].path_and_query
    );
    assert!(seen[0].signature_is_valid());
    assert!(
        seen[1].path_and_query.contains("page_token=a%2Fb%2Bc%3D&"),
        "{}",
        seen[1].path_and_query
    );
    assert_eq!(seen[1].param("page_token"), Some("a/b+c="));
    assert!(seen[1].signature_is_valid());
}

#[tokio::test]
async fn too_many_ids_or_a_bad_page_size_fail_before_any_request() {
    let server = ScriptedServer::start(vec![]).await;
    let client = server.client(fast_retry(1));
    let ids: Vec<String> = (0..51).map(|i| i.to_string()).collect();
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert!(matches!(
        client.get_orders(CIPHER, TOKEN, &ids).await,
        Err(ApiError::InvalidArgument(_))
    ));
    assert!(matches!(
        client
            .search_orders(CIPHER, TOKEN, &OrderSearch::default(), 101, None)
            .await,
        Err(ApiError::InvalidArgument(_))
    ));
    assert!(server.seen().is_empty());
}

#[tokio::test]
async fn rate_limit_with_retry_after_then_success() {
    let mut limited = platform_error(429, 36009002, "Too many requests");
    limited.headers.push(("retry-after", "0".to_owned()));
    let server = ScriptedServer::start(vec![
        limited,
        success(r#"{"orders":[],"next_page_token":""}"#),
    ])
    .await;
    let page = server
        .client(fast_retry(5))
        .search_orders(CIPHER, TOKEN, &OrderSearch::default(), 10, None)
        .await
        .unwrap();
    assert_eq!(page.next_page_token.as_deref(), Some(""));
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(SeenRequest::signature_is_valid));
}

#[tokio::test]
async fn a_retry_after_beyond_the_cap_is_handed_to_the_caller() {
    let mut limited = platform_error(429, 36009002, "Too many requests");
    limited.headers.push(("retry-after", "120".to_owned()));
    let server = ScriptedServer::start(vec![limited, success("{}")]).await;
    let error = server
        .client(fast_retry(5))
        .list_webhooks(CIPHER, TOKEN)
        .await
        .unwrap_err();
    match error {
        ApiError::RateLimited { retry_after, .. } => {
            assert_eq!(retry_after, Some(Duration::from_secs(120)))
        }
        other => panic!("unexpected {other}"),
    }
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn http_503_then_success() {
    let server = ScriptedServer::start(vec![
        answer(503, "<html>Service Unavailable</html>"),
        success(r#"{"tracking":[{"description":"Delivered","update_time_millis":1700000000000}]}"#),
    ])
    .await;
    let tracking = server
        .client(fast_retry(5))
        .order_tracking(CIPHER, TOKEN, "576486316948490001")
        .await
        .unwrap();
    assert_eq!(tracking.tracking.unwrap().len(), 1);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[1].path,
        "/fulfillment/202309/orders/576486316948490001/tracking"
    );
}

#[tokio::test]
async fn internal_errors_on_http_200_are_retried_until_attempts_run_out() {
    let server = ScriptedServer::start(vec![
        platform_error(200, 36009003, "Internal error"),
        platform_error(200, 36009007, "Timeout"),
        platform_error(200, 36009003, "Internal error"),
        success("{}"),
    ])
    .await;
    let error = server
        .client(fast_retry(3))
        .list_webhooks(CIPHER, TOKEN)
        .await
        .unwrap_err();
    assert!(matches!(error, ApiError::Internal { .. }), "{error}");
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn business_errors_on_http_200_are_typed_and_not_retried() {
    let server = ScriptedServer::start(vec![
        platform_error(200, 25011012, "Return status does not allow approval"),
        success("{}"),
    ])
    .await;
    let error = server
        .client(fast_retry(5))
        .approve_return(
            CIPHER,
            TOKEN,
            "4035318504086604100",
            &ApproveReturn {
                decision: "APPROVE_REFUND".into(),
                buyer_keep_item: None,
                partial_refund: None,
            },
            Some("7f9c2b1e-5d4a-4c3b-9e8f-0a1b2c3d4e5f"),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, ApiError::ReturnStateForbidsApprove { ref message } if message.contains("approval")),
        "{error}"
    );
    assert_eq!(error.code(), Some(25011012));
    assert_eq!(server.seen().len(), 1);
}

#[tokio::test]
async fn token_expired_and_bad_sign_are_typed() {
    let server = ScriptedServer::start(vec![
        platform_error(200, 105002, "Access token is expired"),
        platform_error(401, 106001, "Invalid signature"),
    ])
    .await;
    let client = server.client(fast_retry(5));
    let error = client.authorized_shops(TOKEN).await.unwrap_err();
    assert!(error.needs_token_refresh());
    let error = client.authorized_shops(TOKEN).await.unwrap_err();
    assert!(matches!(error, ApiError::BadSign { .. }), "{error}");
    assert_eq!(server.seen().len(), 2, "neither is retried");
}

#[tokio::test]
async fn a_bad_envelope_is_a_decode_error() {
    let server = ScriptedServer::start(vec![
        answer(200, "<html>captive portal</html>"),
        answer(
            200,
            r#"{"code":0,"message":"Success","request_id":"r","data":{"orders":"nope"}}"#,
        ),
    ])
    .await;
    let client = server.client(fast_retry(5));
    let error = client
        .search_orders(CIPHER, TOKEN, &OrderSearch::default(), 10, None)
        .await
        .unwrap_err();
    assert!(matches!(error, ApiError::Decode { .. }), "{error}");
    let error = client
        .search_orders(CIPHER, TOKEN, &OrderSearch::default(), 10, None)
        .await
        .unwrap_err();
    assert!(error.to_string().contains("data.orders"), "{error}");
    assert_eq!(server.seen().len(), 2, "decode errors are not retried");
}

#[tokio::test]
async fn send_message_is_not_repeated_after_a_server_error_but_is_after_a_rate_limit() {
    let server = ScriptedServer::start(vec![
        answer(503, "unavailable"),
        platform_error(429, 36009002, "Too many requests"),
        success(r#"{"message_id":"7351234567890001"}"#),
    ])
    .await;
    let client = server.client(fast_retry(5));
    let error = client
        .send_message(CIPHER, TOKEN, "7351234567890", "Halo kak")
        .await
        .unwrap_err();
    assert!(matches!(error, ApiError::HttpStatus { status: 503, .. }));
    assert_eq!(server.seen().len(), 1);

    let message_id = client
        .send_message(CIPHER, TOKEN, "7351234567890", "Halo kak")
        .await
        .unwrap();
    assert_eq!(message_id, "7351234567890001");
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    let body: serde_json::Value = serde_json::from_slice(&seen[2].body).unwrap();
    assert_eq!(body["type"], "TEXT");
    assert_eq!(body["content"], r#"{"content":"Halo kak"}"#);
    assert!(
        seen[2].signature_is_valid(),
        "the sent bytes are the signed bytes"
    );
}

#[tokio::test]
async fn keyed_writes_are_retried_with_the_same_key_and_unkeyed_ones_are_not() {
    let decision = ApproveReturn {
        decision: "APPROVE_REFUND".into(),
        buyer_keep_item: None,
        partial_refund: None,
    };
    let server = ScriptedServer::start(vec![
        answer(502, "bad gateway"),
        success("{}"),
        answer(502, "bad gateway"),
        success("{}"),
    ])
    .await;
    let client = server.client(fast_retry(5));
    client
        .approve_return(
            CIPHER,
            TOKEN,
            "4035318504086604100",
            &decision,
            Some("key-1"),
        )
        .await
        .unwrap();
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].param("idempotency_key"), Some("key-1"));
    assert_eq!(seen[1].param("idempotency_key"), Some("key-1"));

    let error = client
        .approve_return(CIPHER, TOKEN, "4035318504086604100", &decision, None)
        .await
        .unwrap_err();
    assert!(matches!(error, ApiError::HttpStatus { status: 502, .. }));
    assert_eq!(server.seen().len(), 3);
}

#[tokio::test]
async fn token_exchange_uses_the_token_host_unsigned() {
    let server = ScriptedServer::start(vec![success(
        r#"{"access_token":"TTP_new","access_token_expire_in":1700604800,"refresh_token":"TTP_refresh",
            "refresh_token_expire_in":1731536000,"open_id":"open-1","seller_name":"Toko","seller_base_region":"ID",
            "user_type":0,"granted_scopes":["seller.order.info","seller.return_refund.basic"]}"#,
    )])
    .await;
    let tokens = server
        .client(fast_retry(1))
        .exchange_auth_code("code-xyz")
        .await
        .unwrap();
    assert_eq!(tokens.access_token, "TTP_new");
    assert_eq!(tokens.access_expires_at.timestamp(), 1_700_604_800);
    assert_eq!(tokens.open_id, "open-1");
    let seen = &server.seen()[0];
    assert_eq!(
        seen.line(),
        "GET /api/v2/token/get?app_key=6abc123def&app_secret=s3cr3t-app-secret&auth_code=code-xyz&grant_type=authorized_code"
    );
    assert_eq!(seen.param("sign"), None);
    assert_eq!(seen.access_token, None);
}

#[tokio::test]
async fn a_used_auth_code_is_typed_and_refresh_uses_its_grant() {
    let server = ScriptedServer::start(vec![
        platform_error(200, 36004004, "auth code expired"),
        success(r#"{"access_token":"TTP_2","access_token_expire_in":1700700000,"refresh_token":"TTP_r2"}"#),
    ])
    .await;
    let client = server.client(fast_retry(5));
    assert!(matches!(
        client.exchange_auth_code("used").await,
        Err(ApiError::BadAuthCode { .. })
    ));
    let tokens = client.refresh_access_token("TTP_r1").await.unwrap();
    assert_eq!(tokens.refresh_token, "TTP_r2");
    let seen = server.seen();
    assert_eq!(seen[1].path, "/api/v2/token/refresh");
    assert_eq!(seen[1].param("grant_type"), Some("refresh_token"));
    assert_eq!(seen[1].param("refresh_token"), Some("TTP_r1"));
}

#[tokio::test]
async fn paginator_walks_the_client_until_the_empty_token() {
    let server = ScriptedServer::start(vec![
        success(r#"{"return_orders":[{"return_id":"r1"},{"return_id":"r2"}],"total_count":3,"next_page_token":"p2"}"#),
        success(r#"{"return_orders":[{"return_id":"r3"}],"total_count":3,"next_page_token":""}"#),
    ])
    .await;
    let client = server.client(fast_retry(1));
    let returns = Paginator::new(|page_token: Option<String>| {
        let client = client.clone();
        async move {
            client
                .search_returns(
                    CIPHER,
                    TOKEN,
                    &Default::default(),
                    50,
                    page_token.as_deref(),
                )
                .await
        }
    })
    .collect_all()
    .await
    .unwrap();
    let ids: Vec<_> = returns.into_iter().map(|r| r.return_id.unwrap()).collect();
    assert_eq!(ids, ["r1", "r2", "r3"]);
    let seen = server.seen();
    assert_eq!(seen[0].param("page_token"), None);
    assert_eq!(seen[1].param("page_token"), Some("p2"));
}

#[tokio::test]
async fn webhook_subscription_writes_send_the_documented_bodies() {
    let server = ScriptedServer::start(vec![success("{}"), success("{}")]).await;
    let client = server.client(fast_retry(1));
    client
        .put_webhook(
            CIPHER,
            TOKEN,
            &shopcare_tiktok::dto::PutWebhook {
                address: "https://hooks.example.com/tiktok".into(),
                event_type: "RETURN_STATUS_CHANGE".into(),
            },
        )
        .await
        .unwrap();
    client
        .delete_webhook(CIPHER, TOKEN, "RETURN_STATUS_CHANGE")
        .await
        .unwrap();
    let seen = server.seen();
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(
        seen[0].body,
        br#"{"address":"https://hooks.example.com/tiktok","event_type":"RETURN_STATUS_CHANGE"}"#
    );
    assert_eq!(seen[1].method, "DELETE");
    assert_eq!(seen[1].body, br#"{"event_type":"RETURN_STATUS_CHANGE"}"#);
    assert!(seen.iter().all(SeenRequest::signature_is_valid));
}

#[tokio::test]
async fn every_attempt_is_signed_afresh_with_the_current_time() {
    let server = ScriptedServer::start(vec![answer(503, "busy"), success("{}")]).await;
    let mut config = ClientConfig::new(APP_KEY, SECRET);
    config.api_base_url = server.base_url.clone();
    config.retry = fast_retry(3);
    let clock = Arc::new(AtomicI64::new(1_700_000_000));
    let ticking = clock.clone();
    // Each reading of the clock moves it on by 7 s.
    let client = TikTokClient::with_clock(
        config,
        Arc::new(move || ticking.fetch_add(7, Ordering::SeqCst)),
    )
    .unwrap();
    client.list_webhooks(CIPHER, TOKEN).await.unwrap();
    let seen = server.seen();
    assert_eq!(seen[0].param("timestamp"), Some("1700000000"));
    assert_eq!(seen[1].param("timestamp"), Some("1700000007"));
    assert_ne!(seen[0].param("sign"), seen[1].param("sign"));
    assert!(seen.iter().all(SeenRequest::signature_is_valid));
}

#[tokio::test]
async fn an_unreachable_host_is_a_retryable_transport_error() {
    // Bind then drop a listener to get a loopback port nobody listens on.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let mut config = ClientConfig::new(APP_KEY, SECRET);
    config.api_base_url = format!("http://{address}");
    config.retry = fast_retry(2);
    let client = TikTokClient::new(config).unwrap();
    let error = client.authorized_shops(TOKEN).await.unwrap_err();
    assert!(matches!(error, ApiError::Transport { .. }), "{error}");
    assert!(error.is_retryable());
    assert_eq!(error.code(), None);
}
