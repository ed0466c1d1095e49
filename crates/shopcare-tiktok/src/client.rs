//! `TikTokClient`: the Partner API over HTTP. Every call is signed (reference §3),
//! carries `x-tts-access-token`, has its envelope `code` checked even on HTTP 200, and
//! is retried with backoff when that is safe (see [`crate::retry`]).

use crate::dto::{
    self, ApproveReturn, AuthorizedShopDto, AuthorizedShopsData, CancellationSearch,
    CancellationSearchPage, ConversationsPage, CreateConversationData, DeleteWebhook, EmptyData,
    Envelope, MessagesPage, OrderDetailData, OrderDto, OrderSearch, OrderSearchPage, PackageDto,
    PackageSearch, PackageSearchPage, ProductSearch, ProductSearchPage, PutWebhook,
    RejectCancellation, RejectReasonDto, RejectReasonsData, RejectReturn, ReturnRecordDto,
    ReturnRecordsData, ReturnSearch, ReturnSearchPage, SendMessageData, SortOrder, TokenDto,
    TrackingData, WebhookListData,
};
use crate::endpoint::{Endpoint, HttpMethod};
use crate::error::{code_for, codes, ApiError};
use crate::request::{encode_pairs, signed_query, RequestToSign};
use crate::retry::{may_retry, RetryPolicy};
use crate::token::{token_set_from_dto, TokenSet};
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::sync::Arc;
use std::time::Duration;

/// The API host for all regions.
pub const PRODUCTION_API_BASE_URL: &str = "https://open-api.tiktokglobalshop.com";
/// The OAuth token host.
pub const PRODUCTION_AUTH_BASE_URL: &str = "https://auth.tiktok-shops.com";
/// Most order ids one order-detail call accepts.
pub const MAX_ORDER_IDS_PER_CALL: usize = 50;

const JSON: &str = "application/json";
const ACCESS_TOKEN_HEADER: &str = "x-tts-access-token";
/// How much of an unexpected body is kept in an error, for the log.
const ERROR_BODY_LIMIT: usize = 512;

/// Client settings.
#[derive(Clone)]
pub struct ClientConfig {
    /// e.g. [`PRODUCTION_API_BASE_URL`], or the platform double's `http://127.0.0.1:port`.
    pub api_base_url: String,
    /// e.g. [`PRODUCTION_AUTH_BASE_URL`].
    pub auth_base_url: String,
    pub app_key: String,
    pub app_secret: String,
    pub retry: RetryPolicy,
    /// Per-attempt time limit.
    pub request_timeout: Duration,
}

impl ClientConfig {
    /// Production hosts, default retries and a 30 s per-attempt timeout.
    pub fn new(app_key: impl Into<String>, app_secret: impl Into<String>) -> Self {
        Self {
            api_base_url: PRODUCTION_API_BASE_URL.to_owned(),
            auth_base_url: PRODUCTION_AUTH_BASE_URL.to_owned(),
            app_key: app_key.into(),
            app_secret: app_secret.into(),
            retry: RetryPolicy::default(),
            request_timeout: Duration::from_secs(30),
        }
    }
}

// The app secret must never reach a log.
impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("api_base_url", &self.api_base_url)
            .field("auth_base_url", &self.auth_base_url)
            .field("app_key", &self.app_key)
            .field("app_secret", &"<redacted>")
            .field("retry", &self.retry)
            .field("request_timeout", &self.request_timeout)
            .finish()
    }
}

/// The source of the `timestamp` query parameter (Unix seconds).
pub type Clock = Arc<dyn Fn() -> i64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(|| chrono::Utc::now().timestamp())
}

/// A Partner API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct TikTokClient {
    inner: Arc<ClientInner>,
}

struct ClientInner {
    http: reqwest::Client,
    config: ClientConfig,
    clock: Clock,
}

impl std::fmt::Debug for TikTokClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TikTokClient")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// One logical call, before signing (it is re-signed on every attempt because the
/// timestamp moves).
struct Call<'a> {
    endpoint: Endpoint,
    path: String,
    shop_cipher: Option<&'a str>,
    access_token: Option<&'a str>,
    params: Vec<(String, String)>,
    body: Option<Vec<u8>>,
    has_idempotency_key: bool,
}

impl<'a> Call<'a> {
    fn new(endpoint: Endpoint, path_args: &[&str]) -> Self {
        Self {
            endpoint,
            path: endpoint.path(path_args),
            shop_cipher: None,
            access_token: None,
            params: Vec::new(),
            body: None,
            has_idempotency_key: false,
        }
    }

    fn shop(mut self, shop_cipher: &'a str, access_token: &'a str) -> Self {
        self.shop_cipher = Some(shop_cipher);
        self.access_token = Some(access_token);
        self
    }

    fn token(mut self, access_token: &'a str) -> Self {
        self.access_token = Some(access_token);
        self
    }

    fn param(mut self, key: &str, value: impl Into<String>) -> Self {
        self.params.push((key.to_owned(), value.into()));
        self
    }

    fn optional_param(self, key: &str, value: Option<impl Into<String>>) -> Self {
        match value {
            Some(value) => self.param(key, value),
            None => self,
        }
    }

    fn idempotency_key(mut self, key: Option<&str>) -> Self {
        if let Some(key) = key.filter(|key| !key.is_empty()) {
            self.has_idempotency_key = true;
            self = self.param("idempotency_key", key);
        }
        self
    }

    fn paging(self, page_size: u32, page_token: Option<&str>) -> Self {
        self.param("page_size", page_size.to_string())
            .optional_param("page_token", page_token.filter(|token| !token.is_empty()))
    }

    fn sorting(self, sort_field: Option<&str>, sort_order: Option<SortOrder>) -> Self {
        self.optional_param("sort_field", sort_field)
            .optional_param("sort_order", sort_order.map(SortOrder::as_str))
    }

    fn json_body(mut self, body: &impl Serialize) -> Result<Self, ApiError> {
        let bytes = serde_json::to_vec(body).map_err(|error| {
            ApiError::InvalidArgument(format!("request body does not serialise: {error}"))
        })?;
        self.body = Some(bytes);
        Ok(self)
    }
}

/// A failed attempt: the error plus the server's `Retry-After`, if any.
struct AttemptFailure {
    error: ApiError,
    retry_after: Option<Duration>,
}

impl From<ApiError> for AttemptFailure {
    fn from(error: ApiError) -> Self {
        Self {
            error,
            retry_after: None,
        }
    }
}

impl TikTokClient {
    /// A client on the system clock.
    pub fn new(config: ClientConfig) -> Result<Self, ApiError> {
        Self::with_clock(config, system_clock())
    }

    /// A client whose `timestamp` parameter comes from `clock` (tests pin it).
    pub fn with_clock(config: ClientConfig, clock: Clock) -> Result<Self, ApiError> {
        let http = reqwest::Client::builder()
            .timeout(config.request_timeout)
            .build()
            .map_err(|source| ApiError::Transport {
                endpoint: "client setup".to_owned(),
                source,
            })?;
        Ok(Self {
            inner: Arc::new(ClientInner {
                http,
                config,
                clock,
            }),
        })
    }

    /// The settings this client was built with.
    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    // ---- OAuth (token host, unsigned) ----

    /// Exchanges a single-use authorization code (valid 30 min) for tokens.
    pub async fn exchange_auth_code(&self, auth_code: &str) -> Result<TokenSet, ApiError> {
        let call = self
            .token_call(Endpoint::TokenGet)
            .param("auth_code", auth_code)
            .param("grant_type", "authorized_code");
        self.token_set(call).await
    }

    /// Refreshes the access token. Store the returned refresh token too: rotation is
    /// undocumented.
    pub async fn refresh_access_token(&self, refresh_token: &str) -> Result<TokenSet, ApiError> {
        let call = self
            .token_call(Endpoint::TokenRefresh)
            .param("refresh_token", refresh_token)
            .param("grant_type", "refresh_token");
        self.token_set(call).await
    }

    fn token_call(&self, endpoint: Endpoint) -> Call<'static> {
        Call::new(endpoint, &[])
            .param("app_key", self.inner.config.app_key.clone())
            .param("app_secret", self.inner.config.app_secret.clone())
    }

    async fn token_set(&self, call: Call<'_>) -> Result<TokenSet, ApiError> {
        let endpoint = call.endpoint;
        let dto: TokenDto = self.execute(call).await?;
        token_set_from_dto(dto).map_err(|error| ApiError::Decode {
            endpoint: endpoint.to_string(),
            message: error.to_string(),
        })
    }

    // ---- Authorization ----

    /// The shops this token may act for, each with its `cipher`.
    pub async fn authorized_shops(
        &self,
        access_token: &str,
    ) -> Result<Vec<AuthorizedShopDto>, ApiError> {
        let call = Call::new(Endpoint::AuthorizedShops, &[]).token(access_token);
        let data: AuthorizedShopsData = self.execute(call).await?;
        Ok(data.shops.unwrap_or_default())
    }

    // ---- Orders ----

    /// One page of orders (`page_size` 1–100).
    pub async fn search_orders(
        &self,
        shop_cipher: &str,
        access_token: &str,
        search: &OrderSearch,
        page_size: u32,
        page_token: Option<&str>,
    ) -> Result<OrderSearchPage, ApiError> {
        check_page_size(page_size, 1, 100)?;
        let call = Call::new(Endpoint::SearchOrders, &[])
            .shop(shop_cipher, access_token)
            .paging(page_size, page_token)
            .sorting(search.sort_field.as_deref(), search.sort_order)
            .json_body(search)?;
        self.execute(call).await
    }

    /// Full details of up to 50 orders. An empty list makes no call.
    pub async fn get_orders(
        &self,
        shop_cipher: &str,
        access_token: &str,
        order_ids: &[&str],
    ) -> Result<Vec<OrderDto>, ApiError> {
        if order_ids.is_empty() {
            return Ok(Vec::new());
        }
        if order_ids.len() > MAX_ORDER_IDS_PER_CALL {
            return Err(ApiError::InvalidArgument(format!(
                "{} order ids given; at most {MAX_ORDER_IDS_PER_CALL} per call",
                order_ids.len()
            )));
        }
        let call = Call::new(Endpoint::GetOrders, &[])
            .shop(shop_cipher, access_token)
            .param("ids", order_ids.join(","));
        let data: OrderDetailData = self.execute(call).await?;
        Ok(data.orders.unwrap_or_default())
    }

    // ---- Packages and tracking ----

    /// One page of packages (`page_size` 1–50).
    pub async fn search_packages(
        &self,
        shop_cipher: &str,
        access_token: &str,
        search: &PackageSearch,
        page_size: u32,
        page_token: Option<&str>,
    ) -> Result<PackageSearchPage, ApiError> {
        check_page_size(page_size, 1, 50)?;
        let call = Call::new(Endpoint::SearchPackages, &[])
            .shop(shop_cipher, access_token)
            .paging(page_size, page_token)
            .sorting(search.sort_field.as_deref(), search.sort_order)
            .json_body(search)?;
        self.execute(call).await
    }

    /// One package's details.
    pub async fn get_package(
        &self,
        shop_cipher: &str,
        access_token: &str,
        package_id: &str,
    ) -> Result<PackageDto, ApiError> {
        let call = Call::new(Endpoint::GetPackage, &[package_id]).shop(shop_cipher, access_token);
        self.execute(call).await
    }

    /// Carrier scans of one order.
    pub async fn order_tracking(
        &self,
        shop_cipher: &str,
        access_token: &str,
        order_id: &str,
    ) -> Result<TrackingData, ApiError> {
        let call = Call::new(Endpoint::OrderTracking, &[order_id]).shop(shop_cipher, access_token);
        self.execute(call).await
    }

    // ---- Returns and cancellations ----

    /// One page of returns (`page_size` 10–50 per the docs; 1–50 accepted here).
    pub async fn search_returns(
        &self,
        shop_cipher: &str,
        access_token: &str,
        search: &ReturnSearch,
        page_size: u32,
        page_token: Option<&str>,
    ) -> Result<ReturnSearchPage, ApiError> {
        check_page_size(page_size, 1, 50)?;
        let call = Call::new(Endpoint::SearchReturns, &[])
            .shop(shop_cipher, access_token)
            .paging(page_size, page_token)
            .sorting(search.sort_field.as_deref(), search.sort_order)
            .json_body(search)?;
        self.execute(call).await
    }

    /// One page of cancellations (`page_size` 1–50).
    pub async fn search_cancellations(
        &self,
        shop_cipher: &str,
        access_token: &str,
        search: &CancellationSearch,
        page_size: u32,
        page_token: Option<&str>,
    ) -> Result<CancellationSearchPage, ApiError> {
        check_page_size(page_size, 1, 50)?;
        let call = Call::new(Endpoint::SearchCancellations, &[])
            .shop(shop_cipher, access_token)
            .paging(page_size, page_token)
            .sorting(search.sort_field.as_deref(), search.sort_order)
            .json_body(search)?;
        self.execute(call).await
    }

    /// Approves a return. Retried on transient failures only with an
    /// `idempotency_key` (a UUID per decision, at most 255 characters).
    pub async fn approve_return(
        &self,
        shop_cipher: &str,
        access_token: &str,
        return_id: &str,
        decision: &ApproveReturn,
        idempotency_key: Option<&str>,
    ) -> Result<(), ApiError> {
        let call = Call::new(Endpoint::ApproveReturn, &[return_id])
            .shop(shop_cipher, access_token)
            .idempotency_key(checked_idempotency_key(idempotency_key)?)
            .json_body(decision)?;
        self.execute::<EmptyData>(call).await.map(drop)
    }

    /// Rejects a return with a reason `name` from [`Self::reject_reasons`].
    pub async fn reject_return(
        &self,
        shop_cipher: &str,
        access_token: &str,
        return_id: &str,
        decision: &RejectReturn,
        idempotency_key: Option<&str>,
    ) -> Result<(), ApiError> {
        let call = Call::new(Endpoint::RejectReturn, &[return_id])
            .shop(shop_cipher, access_token)
            .idempotency_key(checked_idempotency_key(idempotency_key)?)
            .json_body(decision)?;
        self.execute::<EmptyData>(call).await.map(drop)
    }

    /// The reasons a seller may give to reject this return or cancellation.
    pub async fn reject_reasons(
        &self,
        shop_cipher: &str,
        access_token: &str,
        return_or_cancel_id: &str,
        locale: Option<&str>,
    ) -> Result<Vec<RejectReasonDto>, ApiError> {
        let call = Call::new(Endpoint::RejectReasons, &[])
            .shop(shop_cipher, access_token)
            .param("return_or_cancel_id", return_or_cancel_id)
            .optional_param("locale", locale);
        let data: RejectReasonsData = self.execute(call).await?;
        Ok(data.reasons.unwrap_or_default())
    }

    /// A return's timeline.
    pub async fn return_records(
        &self,
        shop_cipher: &str,
        access_token: &str,
        return_id: &str,
    ) -> Result<Vec<ReturnRecordDto>, ApiError> {
        let call = Call::new(Endpoint::ReturnRecords, &[return_id]).shop(shop_cipher, access_token);
        let data: ReturnRecordsData = self.execute(call).await?;
        Ok(data.records.unwrap_or_default())
    }

    /// Approves a buyer's cancellation request (no body).
    pub async fn approve_cancellation(
        &self,
        shop_cipher: &str,
        access_token: &str,
        cancel_id: &str,
        idempotency_key: Option<&str>,
    ) -> Result<(), ApiError> {
        let call = Call::new(Endpoint::ApproveCancellation, &[cancel_id])
            .shop(shop_cipher, access_token)
            .idempotency_key(checked_idempotency_key(idempotency_key)?);
        self.execute::<EmptyData>(call).await.map(drop)
    }

    /// Rejects a buyer's cancellation request.
    pub async fn reject_cancellation(
        &self,
        shop_cipher: &str,
        access_token: &str,
        cancel_id: &str,
        decision: &RejectCancellation,
        idempotency_key: Option<&str>,
    ) -> Result<(), ApiError> {
        let call = Call::new(Endpoint::RejectCancellation, &[cancel_id])
            .shop(shop_cipher, access_token)
            .idempotency_key(checked_idempotency_key(idempotency_key)?)
            .json_body(decision)?;
        self.execute::<EmptyData>(call).await.map(drop)
    }

    // ---- Buyer chat ----

    /// One page of conversations (`page_size` 1–20).
    pub async fn list_conversations(
        &self,
        shop_cipher: &str,
        access_token: &str,
        page_size: u32,
        page_token: Option<&str>,
    ) -> Result<ConversationsPage, ApiError> {
        check_page_size(page_size, 1, 20)?;
        let call = Call::new(Endpoint::ListConversations, &[])
            .shop(shop_cipher, access_token)
            .paging(page_size, page_token);
        self.execute(call).await
    }

    /// One page of a conversation's messages, newest first (`page_size` 1–10).
    pub async fn list_messages(
        &self,
        shop_cipher: &str,
        access_token: &str,
        conversation_id: &str,
        page_size: u32,
        page_token: Option<&str>,
    ) -> Result<MessagesPage, ApiError> {
        check_page_size(page_size, 1, 10)?;
        let call = Call::new(Endpoint::ListMessages, &[conversation_id])
            .shop(shop_cipher, access_token)
            .paging(page_size, page_token);
        self.execute(call).await
    }

    /// Sends a text message; returns the new message id. Never repeated once the
    /// request may have reached the platform (a buyer must not get it twice), except
    /// after a rate-limit refusal.
    pub async fn send_message(
        &self,
        shop_cipher: &str,
        access_token: &str,
        conversation_id: &str,
        text: &str,
    ) -> Result<String, ApiError> {
        let body = serde_json::json!({
            "type": "TEXT",
            "content": dto::text_message_content(text),
        });
        let call = Call::new(Endpoint::SendMessage, &[conversation_id])
            .shop(shop_cipher, access_token)
            .json_body(&body)?;
        let data: SendMessageData = self.execute(call).await?;
        required_response_field(Endpoint::SendMessage, "message_id", data.message_id)
    }

    /// Opens (or finds) the conversation with a buyer (order `user_id`); returns its id.
    pub async fn create_conversation(
        &self,
        shop_cipher: &str,
        access_token: &str,
        buyer_user_id: &str,
    ) -> Result<String, ApiError> {
        let body = serde_json::json!({ "buyer_user_id": buyer_user_id });
        let call = Call::new(Endpoint::CreateConversation, &[])
            .shop(shop_cipher, access_token)
            .json_body(&body)?;
        let data: CreateConversationData = self.execute(call).await?;
        required_response_field(
            Endpoint::CreateConversation,
            "conversation_id",
            data.conversation_id,
        )
    }

    // ---- Products ----

    /// One page of products (`page_size` 1–100).
    pub async fn search_products(
        &self,
        shop_cipher: &str,
        access_token: &str,
        search: &ProductSearch,
        page_size: u32,
        page_token: Option<&str>,
    ) -> Result<ProductSearchPage, ApiError> {
        check_page_size(page_size, 1, 100)?;
        let call = Call::new(Endpoint::SearchProducts, &[])
            .shop(shop_cipher, access_token)
            .paging(page_size, page_token)
            .json_body(search)?;
        self.execute(call).await
    }

    // ---- Webhook subscriptions ----

    /// The shop's webhook subscriptions.
    pub async fn list_webhooks(
        &self,
        shop_cipher: &str,
        access_token: &str,
    ) -> Result<WebhookListData, ApiError> {
        let call = Call::new(Endpoint::ListWebhooks, &[]).shop(shop_cipher, access_token);
        self.execute(call).await
    }

    /// Subscribes (or re-points) one event type to `address`.
    pub async fn put_webhook(
        &self,
        shop_cipher: &str,
        access_token: &str,
        webhook: &PutWebhook,
    ) -> Result<(), ApiError> {
        let call = Call::new(Endpoint::PutWebhook, &[])
            .shop(shop_cipher, access_token)
            .json_body(webhook)?;
        self.execute::<EmptyData>(call).await.map(drop)
    }

    /// Removes the subscription of one event type.
    pub async fn delete_webhook(
        &self,
        shop_cipher: &str,
        access_token: &str,
        event_type: &str,
    ) -> Result<(), ApiError> {
        let body = DeleteWebhook {
            event_type: event_type.to_owned(),
        };
        let call = Call::new(Endpoint::DeleteWebhook, &[])
            .shop(shop_cipher, access_token)
            .json_body(&body)?;
        self.execute::<EmptyData>(call).await.map(drop)
    }

    // ---- The machinery ----

    /// Sends `call` with retries and decodes `data` as `T`.
    async fn execute<T: DeserializeOwned>(&self, call: Call<'_>) -> Result<T, ApiError> {
        let policy = self.inner.config.retry;
        let safety = call.endpoint.spec().retry;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            let failure = match self.attempt(&call).await {
                Ok(value) => return Ok(value),
                Err(failure) => failure,
            };
            let retryable = may_retry(&failure.error, safety, call.has_idempotency_key);
            if !retryable || attempt >= policy.max_attempts.max(1) {
                return Err(failure.error);
            }
            let delay = match failure.retry_after {
                // Waiting longer than our cap would stall a worker: give the caller the
                // rate limit to reschedule instead.
                Some(wait) if wait > policy.max_delay => return Err(failure.error),
                Some(wait) => wait,
                None => policy.backoff(attempt - 1) + policy.jitter(),
            };
            tracing::warn!(
                endpoint = %call.endpoint,
                attempt,
                delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                error = %failure.error,
                "retrying Partner API call"
            );
            tokio::time::sleep(delay).await;
        }
    }

    /// One HTTP exchange.
    async fn attempt<T: DeserializeOwned>(&self, call: &Call<'_>) -> Result<T, AttemptFailure> {
        let config = &self.inner.config;
        let spec = call.endpoint.spec();
        let body = call.body.as_deref().unwrap_or_default();
        let (base_url, query) = if call.endpoint.is_token_endpoint() {
            let pairs: Vec<(&str, &str)> = call
                .params
                .iter()
                .map(|(key, value)| (key.as_str(), value.as_str()))
                .collect();
            (&config.auth_base_url, encode_pairs(&pairs))
        } else {
            let request = RequestToSign {
                path: &call.path,
                params: &call.params,
                shop_cipher: call.shop_cipher,
                timestamp: (self.inner.clock)(),
                content_type: Some(JSON),
                body,
            };
            (
                &config.api_base_url,
                signed_query(&config.app_key, &config.app_secret, &request),
            )
        };
        let url = format!("{}{}?{}", base_url.trim_end_matches('/'), call.path, query);
        let method = match spec.method {
            HttpMethod::Get => reqwest::Method::GET,
            HttpMethod::Post => reqwest::Method::POST,
            HttpMethod::Put => reqwest::Method::PUT,
            HttpMethod::Delete => reqwest::Method::DELETE,
        };
        let mut request = self
            .inner
            .http
            .request(method, url)
            .header(reqwest::header::CONTENT_TYPE, JSON);
        if let Some(token) = call.access_token {
            request = request.header(ACCESS_TOKEN_HEADER, token);
        }
        if let Some(bytes) = &call.body {
            request = request.body(bytes.clone());
        }
        let transport = |source| ApiError::Transport {
            endpoint: call.endpoint.to_string(),
            source,
        };
        let response = request.send().await.map_err(transport)?;
        let status = response.status().as_u16();
        let retry_after = parse_retry_after(response.headers());
        let bytes = response.bytes().await.map_err(transport)?;
        decode_response(call.endpoint, status, retry_after, &bytes)
            .map_err(|error| AttemptFailure { error, retry_after })
    }
}

/// Turns one HTTP response into `data` or a typed error.
fn decode_response<T: DeserializeOwned>(
    endpoint: Endpoint,
    status: u16,
    retry_after: Option<Duration>,
    bytes: &[u8],
) -> Result<T, ApiError> {
    // `data` stays raw text until the code is known good, then becomes `T` directly: a
    // page of orders is never built as a `serde_json::Value` tree first.
    let envelope = match serde_json::from_slice::<Envelope<&serde_json::value::RawValue>>(bytes) {
        Ok(envelope) => envelope,
        Err(parse_error) => {
            return Err(if status == 429 {
                ApiError::RateLimited {
                    message: "HTTP 429".to_owned(),
                    retry_after,
                }
            } else if !(200..300).contains(&status) {
                ApiError::HttpStatus {
                    endpoint: endpoint.to_string(),
                    status,
                    body: truncated_text(bytes),
                }
            } else {
                ApiError::Decode {
                    endpoint: endpoint.to_string(),
                    message: format!("not a response envelope: {parse_error}"),
                }
            });
        }
    };
    if envelope.code != codes::SUCCESS {
        tracing::debug!(
            %endpoint,
            code = envelope.code,
            request_id = %envelope.request_id,
            "Partner API error"
        );
        return Err(match code_for(envelope.code, envelope.message) {
            ApiError::RateLimited { message, .. } => ApiError::RateLimited {
                message,
                retry_after,
            },
            error => error,
        });
    }
    if !(200..300).contains(&status) {
        return Err(ApiError::HttpStatus {
            endpoint: endpoint.to_string(),
            status,
            body: truncated_text(bytes),
        });
    }
    // Writes answer `data: {}`, some errors-turned-success `data: null`.
    let data = envelope.data.map_or("{}", |data| match data.get() {
        "null" => "{}",
        text => text,
    });
    let mut deserializer = serde_json::Deserializer::from_str(data);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|error| ApiError::Decode {
        endpoint: endpoint.to_string(),
        message: format!("data.{}: {}", error.path(), error.inner()),
    })
}

/// `Retry-After` in seconds (the HTTP-date form is not used by the platform).
fn parse_retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?;
    let seconds: f64 = value.trim().parse().ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds))
}

fn truncated_text(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    match text.char_indices().nth(ERROR_BODY_LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.into_owned(),
    }
}

fn check_page_size(page_size: u32, min: u32, max: u32) -> Result<(), ApiError> {
    if (min..=max).contains(&page_size) {
        Ok(())
    } else {
        Err(ApiError::InvalidArgument(format!(
            "page_size {page_size} is outside {min}..={max}"
        )))
    }
}

fn checked_idempotency_key(key: Option<&str>) -> Result<Option<&str>, ApiError> {
    match key {
        Some(key) if key.len() > 255 => Err(ApiError::InvalidArgument(
            "idempotency_key is longer than 255 characters".to_owned(),
        )),
        other => Ok(other),
    }
}

fn required_response_field(
    endpoint: Endpoint,
    field: &str,
    value: Option<String>,
) -> Result<String, ApiError> {
    value
        .filter(|value| !value.is_empty())
        .ok_or_else(|| ApiError::Decode {
            endpoint: endpoint.to_string(),
            message: format!("data.{field} is missing"),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn business_errors_on_http_200_are_errors() {
        let body =
            br#"{"code":25011012,"message":"state forbids approve","request_id":"r","data":null}"#;
        let error =
            decode_response::<EmptyData>(Endpoint::ApproveReturn, 200, None, body).unwrap_err();
        assert!(
            matches!(error, ApiError::ReturnStateForbidsApprove { .. }),
            "{error}"
        );
    }

    #[test]
    fn rate_limit_envelope_carries_retry_after() {
        let body = br#"{"code":36009002,"message":"too many","request_id":"r"}"#;
        let error = decode_response::<EmptyData>(
            Endpoint::SearchOrders,
            429,
            Some(Duration::from_secs(2)),
            body,
        )
        .unwrap_err();
        match error {
            ApiError::RateLimited { retry_after, .. } => {
                assert_eq!(retry_after, Some(Duration::from_secs(2)))
            }
            other => panic!("unexpected {other}"),
        }
    }

    #[test]
    fn non_envelope_bodies_become_status_or_decode_errors() {
        let error =
            decode_response::<EmptyData>(Endpoint::GetOrders, 502, None, b"<html>bad gateway")
                .unwrap_err();
        assert!(matches!(error, ApiError::HttpStatus { status: 502, .. }));
        assert!(error.is_retryable());
        let error = decode_response::<EmptyData>(Endpoint::GetOrders, 200, None, b"{\"hello\":1}")
            .unwrap_err();
        assert!(matches!(error, ApiError::Decode { .. }));
        assert!(!error.is_retryable());
    }

    #[test]
    fn decode_errors_name_the_path_inside_data() {
        let body = br#"{"code":0,"message":"Success","request_id":"r","data":{"orders":[{"id":"1","create_time":"soon"}]}}"#;
        let error = decode_response::<OrderSearchPage>(Endpoint::SearchOrders, 200, None, body)
            .unwrap_err();
        assert!(
            error.to_string().contains("data.orders[0].create_time"),
            "{error}"
        );
    }

    #[test]
    fn write_answers_with_null_or_empty_data_succeed() {
        for body in [
            &br#"{"code":0,"message":"Success","request_id":"r","data":{}}"#[..],
            br#"{"code":0,"message":"Success","request_id":"r","data":null}"#,
            br#"{"code":0,"message":"Success","request_id":"r"}"#,
        ] {
            decode_response::<EmptyData>(Endpoint::PutWebhook, 200, None, body).unwrap();
        }
    }

    #[test]
    fn retry_after_reads_seconds() {
        let mut headers = reqwest::header::HeaderMap::new();
        assert_eq!(parse_retry_after(&headers), None);
        headers.insert(reqwest::header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(parse_retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(reqwest::header::RETRY_AFTER, "soon".parse().unwrap());
        assert_eq!(parse_retry_after(&headers), None);
    }

    #[test]
    fn config_debug_hides_the_secret() {
        let config = ClientConfig::new("key", "very-secret");
        assert!(!format!("{config:?}").contains("very-secret"));
    }
}
