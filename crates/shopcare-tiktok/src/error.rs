//! Typed errors of the Partner API client (reference §4), plus transport, HTTP status,
//! JSON decoding and DTO conversion errors.
//!
//! The platform reuses some codes (`36009004` covers a dozen causes), so the message is
//! kept alongside every platform error; branch on the variant, log the message.

use std::time::Duration;

/// The platform's error codes (reference §4). The platform double reuses these.
pub mod codes {
    /// Success.
    pub const SUCCESS: i64 = 0;
    /// Bad `sign` (HTTP 401).
    pub const BAD_SIGN: i64 = 106001;
    /// Sign missing, bad token header, bad `app_key`, timestamp window, `shop_cipher` not
    /// allowed, bad version on older gateways... (HTTP 400). Read the message.
    pub const INVALID_REQUEST: i64 = 36009004;
    /// Access token expired: refresh it.
    pub const TOKEN_EXPIRED: i64 = 105002;
    /// The app or the token lacks the scope.
    pub const SCOPE_MISSING: i64 = 105005;
    /// Token of the wrong `user_type`, or not linked to the `shop_cipher`.
    pub const WRONG_USER_TYPE_OR_SHOP: i64 = 101000;
    /// `shop_cipher` missing on a shop-scoped endpoint.
    pub const MISSING_SHOP_CIPHER: i64 = 106013;
    /// Rate limited (HTTP 429).
    pub const RATE_LIMITED: i64 = 36009002;
    /// Internal error: retry.
    pub const INTERNAL_ERROR: i64 = 36009003;
    /// Gateway timeout: retry.
    pub const TIMEOUT: i64 = 36009007;
    /// Unknown path (HTTP 404).
    pub const UNKNOWN_PATH: i64 = 36009009;
    /// Wrong HTTP method for the path.
    pub const WRONG_METHOD: i64 = 36009010;
    /// Unknown or retired API version.
    pub const INVALID_VERSION: i64 = 36009014;
    /// Uploaded file too big.
    pub const FILE_TOO_LARGE: i64 = 36009021;
    /// Body must be JSON or multipart.
    pub const BODY_MUST_BE_JSON_OR_MULTIPART: i64 = 36009022;
    /// Body must be multipart.
    pub const BODY_MUST_BE_MULTIPART: i64 = 36009023;
    /// Caller IP not allow-listed.
    pub const IP_NOT_ALLOWED: i64 = 36009033;
    /// Authorization code bad, already used or expired.
    pub const BAD_AUTH_CODE: i64 = 36004004;
    /// Business: invalid parameter.
    pub const INVALID_PARAM: i64 = 25001001;
    /// Business: order not found.
    pub const ORDER_NOT_FOUND: i64 = 25007006;
    /// Business: the return's state forbids a reject.
    pub const RETURN_STATE_FORBIDS_REJECT: i64 = 25011011;
    /// Business: the return's state forbids an approve.
    pub const RETURN_STATE_FORBIDS_APPROVE: i64 = 25011012;
    /// Business: no permission.
    pub const NO_PERMISSION: i64 = 25020005;
    /// Business: the order belongs to another seller.
    pub const NOT_SELLERS_ORDER: i64 = 21008111;
    /// Business: chat daily quota used up.
    pub const CHAT_DAILY_QUOTA: i64 = 45101004;
    /// Business: the message contains sensitive words.
    pub const SENSITIVE_WORDS: i64 = 45101006;

    /// Every code above except success, for tables and exhaustive tests.
    pub const ALL: &[i64] = &[
        BAD_SIGN,
        INVALID_REQUEST,
        TOKEN_EXPIRED,
        SCOPE_MISSING,
        WRONG_USER_TYPE_OR_SHOP,
        MISSING_SHOP_CIPHER,
        RATE_LIMITED,
        INTERNAL_ERROR,
        TIMEOUT,
        UNKNOWN_PATH,
        WRONG_METHOD,
        INVALID_VERSION,
        FILE_TOO_LARGE,
        BODY_MUST_BE_JSON_OR_MULTIPART,
        BODY_MUST_BE_MULTIPART,
        IP_NOT_ALLOWED,
        BAD_AUTH_CODE,
        INVALID_PARAM,
        ORDER_NOT_FOUND,
        RETURN_STATE_FORBIDS_REJECT,
        RETURN_STATE_FORBIDS_APPROVE,
        NO_PERMISSION,
        NOT_SELLERS_ORDER,
        CHAT_DAILY_QUOTA,
        SENSITIVE_WORDS,
    ];
}

/// An error from a Partner API call.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("bad request signature (106001): {message}")]
    BadSign { message: String },
    #[error("invalid request (36009004): {message}")]
    InvalidRequest { message: String },
    #[error("access token expired (105002): {message}")]
    TokenExpired { message: String },
    #[error("scope missing (105005): {message}")]
    ScopeMissing { message: String },
    #[error("token of the wrong user type or not linked to the shop (101000): {message}")]
    WrongUserTypeOrShop { message: String },
    #[error("shop_cipher missing (106013): {message}")]
    MissingShopCipher { message: String },
    #[error("rate limited (36009002){}: {message}", retry_after_text(*.retry_after))]
    RateLimited {
        message: String,
        /// From the `Retry-After` header, when the platform sent one.
        retry_after: Option<Duration>,
    },
    #[error("platform internal error (36009003): {message}")]
    Internal { message: String },
    #[error("platform timeout (36009007): {message}")]
    Timeout { message: String },
    #[error("unknown API path (36009009): {message}")]
    UnknownPath { message: String },
    #[error("wrong HTTP method (36009010): {message}")]
    WrongMethod { message: String },
    #[error("invalid API version (36009014): {message}")]
    InvalidVersion { message: String },
    #[error("file too large (36009021): {message}")]
    FileTooLarge { message: String },
    #[error("body must be JSON or multipart (36009022): {message}")]
    BodyMustBeJsonOrMultipart { message: String },
    #[error("body must be multipart (36009023): {message}")]
    BodyMustBeMultipart { message: String },
    #[error("caller IP not allow-listed (36009033): {message}")]
    IpNotAllowed { message: String },
    #[error("authorization code invalid, used or expired (36004004): {message}")]
    BadAuthCode { message: String },
    #[error("invalid parameter (25001001): {message}")]
    InvalidParam { message: String },
    #[error("order not found (25007006): {message}")]
    OrderNotFound { message: String },
    #[error("the return's state does not allow a reject (25011011): {message}")]
    ReturnStateForbidsReject { message: String },
    #[error("the return's state does not allow an approve (25011012): {message}")]
    ReturnStateForbidsApprove { message: String },
    #[error("no permission (25020005): {message}")]
    NoPermission { message: String },
    #[error("order does not belong to this seller (21008111): {message}")]
    NotSellersOrder { message: String },
    #[error("chat daily quota used up (45101004): {message}")]
    ChatDailyQuota { message: String },
    #[error("message contains sensitive words (45101006): {message}")]
    SensitiveWords { message: String },
    #[error("platform error {code}: {message}")]
    Other { code: i64, message: String },

    /// The request could not be sent or the response not read.
    #[error("transport error calling {endpoint}: {source}")]
    Transport {
        endpoint: String,
        #[source]
        source: reqwest::Error,
    },
    /// A non-2xx status whose body was not a platform envelope.
    #[error("HTTP {status} from {endpoint}: {body}")]
    HttpStatus {
        endpoint: String,
        status: u16,
        /// The start of the body, for the log.
        body: String,
    },
    /// The response was not the JSON the endpoint promises.
    #[error("could not decode the response of {endpoint}: {message}")]
    Decode { endpoint: String, message: String },
    /// The caller asked for something the API cannot express (e.g. more than 50 ids).
    #[error("invalid argument: {0}")]
    InvalidArgument(String),
}

fn retry_after_text(retry_after: Option<Duration>) -> String {
    retry_after
        .map(|delay| format!(", retry after {} s", delay.as_secs_f64()))
        .unwrap_or_default()
}

/// The typed error for a platform `code` and `message`. `0` is not an error; callers
/// check for success first, and a `0` passed here becomes `Other`.
pub fn code_for(code: i64, message: impl Into<String>) -> ApiError {
    let message = message.into();
    match code {
        codes::BAD_SIGN => ApiError::BadSign { message },
        codes::INVALID_REQUEST => ApiError::InvalidRequest { message },
        codes::TOKEN_EXPIRED => ApiError::TokenExpired { message },
        codes::SCOPE_MISSING => ApiError::ScopeMissing { message },
        codes::WRONG_USER_TYPE_OR_SHOP => ApiError::WrongUserTypeOrShop { message },
        codes::MISSING_SHOP_CIPHER => ApiError::MissingShopCipher { message },
        codes::RATE_LIMITED => ApiError::RateLimited {
            message,
            retry_after: None,
        },
        codes::INTERNAL_ERROR => ApiError::Internal { message },
        codes::TIMEOUT => ApiError::Timeout { message },
        codes::UNKNOWN_PATH => ApiError::UnknownPath { message },
        codes::WRONG_METHOD => ApiError::WrongMethod { message },
        codes::INVALID_VERSION => ApiError::InvalidVersion { message },
        codes::FILE_TOO_LARGE => ApiError::FileTooLarge { message },
        codes::BODY_MUST_BE_JSON_OR_MULTIPART => ApiError::BodyMustBeJsonOrMultipart { message },
        codes::BODY_MUST_BE_MULTIPART => ApiError::BodyMustBeMultipart { message },
        codes::IP_NOT_ALLOWED => ApiError::IpNotAllowed { message },
        codes::BAD_AUTH_CODE => ApiError::BadAuthCode { message },
        codes::INVALID_PARAM => ApiError::InvalidParam { message },
        codes::ORDER_NOT_FOUND => ApiError::OrderNotFound { message },
        codes::RETURN_STATE_FORBIDS_REJECT => ApiError::ReturnStateForbidsReject { message },
        codes::RETURN_STATE_FORBIDS_APPROVE => ApiError::ReturnStateForbidsApprove { message },
        codes::NO_PERMISSION => ApiError::NoPermission { message },
        codes::NOT_SELLERS_ORDER => ApiError::NotSellersOrder { message },
        codes::CHAT_DAILY_QUOTA => ApiError::ChatDailyQuota { message },
        codes::SENSITIVE_WORDS => ApiError::SensitiveWords { message },
        code => ApiError::Other { code, message },
    }
}

impl ApiError {
    /// The platform code, for errors the platform reported (`None` for transport, HTTP,
    /// decoding and argument errors).
    pub fn code(&self) -> Option<i64> {
        let code = match self {
            ApiError::BadSign { .. } => codes::BAD_SIGN,
            ApiError::InvalidRequest { .. } => codes::INVALID_REQUEST,
            ApiError::TokenExpired { .. } => codes::TOKEN_EXPIRED,
            ApiError::ScopeMissing { .. } => codes::SCOPE_MISSING,
            ApiError::WrongUserTypeOrShop { .. } => codes::WRONG_USER_TYPE_OR_SHOP,
            ApiError::MissingShopCipher { .. } => codes::MISSING_SHOP_CIPHER,
            ApiError::RateLimited { .. } => codes::RATE_LIMITED,
            ApiError::Internal { .. } => codes::INTERNAL_ERROR,
            ApiError::Timeout { .. } => codes::TIMEOUT,
            ApiError::UnknownPath { .. } => codes::UNKNOWN_PATH,
            ApiError::WrongMethod { .. } => codes::WRONG_METHOD,
            ApiError::InvalidVersion { .. } => codes::INVALID_VERSION,
            ApiError::FileTooLarge { .. } => codes::FILE_TOO_LARGE,
            ApiError::BodyMustBeJsonOrMultipart { .. } => codes::BODY_MUST_BE_JSON_OR_MULTIPART,
            ApiError::BodyMustBeMultipart { .. } => codes::BODY_MUST_BE_MULTIPART,
            ApiError::IpNotAllowed { .. } => codes::IP_NOT_ALLOWED,
            ApiError::BadAuthCode { .. } => codes::BAD_AUTH_CODE,
            ApiError::InvalidParam { .. } => codes::INVALID_PARAM,
            ApiError::OrderNotFound { .. } => codes::ORDER_NOT_FOUND,
            ApiError::ReturnStateForbidsReject { .. } => codes::RETURN_STATE_FORBIDS_REJECT,
            ApiError::ReturnStateForbidsApprove { .. } => codes::RETURN_STATE_FORBIDS_APPROVE,
            ApiError::NoPermission { .. } => codes::NO_PERMISSION,
            ApiError::NotSellersOrder { .. } => codes::NOT_SELLERS_ORDER,
            ApiError::ChatDailyQuota { .. } => codes::CHAT_DAILY_QUOTA,
            ApiError::SensitiveWords { .. } => codes::SENSITIVE_WORDS,
            ApiError::Other { code, .. } => *code,
            ApiError::Transport { .. }
            | ApiError::HttpStatus { .. }
            | ApiError::Decode { .. }
            | ApiError::InvalidArgument(_) => return None,
        };
        Some(code)
    }

    /// Whether trying the same request again later may succeed: rate limits, platform
    /// internal errors and timeouts, 5xx/408/429 statuses, and network failures.
    pub fn is_retryable(&self) -> bool {
        match self {
            ApiError::RateLimited { .. } | ApiError::Internal { .. } | ApiError::Timeout { .. } => {
                true
            }
            ApiError::HttpStatus { status, .. } => is_retryable_status(*status),
            ApiError::Transport { source, .. } => source.is_timeout() || source.is_connect(),
            _ => false,
        }
    }

    /// The platform's message for platform errors.
    pub fn message(&self) -> Option<&str> {
        match self {
            ApiError::BadSign { message }
            | ApiError::InvalidRequest { message }
            | ApiError::TokenExpired { message }
            | ApiError::ScopeMissing { message }
            | ApiError::WrongUserTypeOrShop { message }
            | ApiError::MissingShopCipher { message }
            | ApiError::RateLimited { message, .. }
            | ApiError::Internal { message }
            | ApiError::Timeout { message }
            | ApiError::UnknownPath { message }
            | ApiError::WrongMethod { message }
            | ApiError::InvalidVersion { message }
            | ApiError::FileTooLarge { message }
            | ApiError::BodyMustBeJsonOrMultipart { message }
            | ApiError::BodyMustBeMultipart { message }
            | ApiError::IpNotAllowed { message }
            | ApiError::BadAuthCode { message }
            | ApiError::InvalidParam { message }
            | ApiError::OrderNotFound { message }
            | ApiError::ReturnStateForbidsReject { message }
            | ApiError::ReturnStateForbidsApprove { message }
            | ApiError::NoPermission { message }
            | ApiError::NotSellersOrder { message }
            | ApiError::ChatDailyQuota { message }
            | ApiError::SensitiveWords { message }
            | ApiError::Other { message, .. } => Some(message),
            ApiError::Transport { .. }
            | ApiError::HttpStatus { .. }
            | ApiError::Decode { .. }
            | ApiError::InvalidArgument(_) => None,
        }
    }

    /// The access token must be refreshed (or the seller must authorise again).
    pub fn needs_token_refresh(&self) -> bool {
        matches!(self, ApiError::TokenExpired { .. })
    }
}

/// HTTP statuses worth retrying: 408, 429 and every 5xx.
pub fn is_retryable_status(status: u16) -> bool {
    status == 408 || status == 429 || (500..600).contains(&status)
}

/// A wire DTO could not become a core type. `field` names the offending field
/// (with its path, e.g. `line_items[2].sale_price`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("field `{field}`: {reason}")]
pub struct ConvertError {
    pub field: String,
    pub reason: String,
}

impl ConvertError {
    pub fn new(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            reason: reason.into(),
        }
    }

    /// The field is absent (or null / empty) but the core type needs it.
    pub fn missing(field: impl Into<String>) -> Self {
        Self::new(field, "is missing")
    }

    /// Prefixes the field path, e.g. `sale_price` inside `line_items[2]`.
    pub fn within(self, parent: &str) -> Self {
        Self {
            field: format!("{parent}.{}", self.field),
            reason: self.reason,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_code_round_trips_through_its_variant() {
        for &code in codes::ALL {
            let error = code_for(code, "m");
            assert_eq!(error.code(), Some(code), "{error}");
            assert!(
                !matches!(error, ApiError::Other { .. }),
                "{code} has no variant"
            );
            assert_eq!(error.message(), Some("m"));
        }
        let unknown = code_for(12345, "new");
        assert!(matches!(unknown, ApiError::Other { code: 12345, .. }));
        assert_eq!(unknown.code(), Some(12345));
    }

    #[test]
    fn only_transient_errors_are_retryable() {
        assert!(code_for(codes::RATE_LIMITED, "").is_retryable());
        assert!(code_for(codes::INTERNAL_ERROR, "").is_retryable());
        assert!(code_for(codes::TIMEOUT, "").is_retryable());
        assert!(!code_for(codes::BAD_SIGN, "").is_retryable());
        assert!(!code_for(codes::TOKEN_EXPIRED, "").is_retryable());
        assert!(!code_for(codes::RETURN_STATE_FORBIDS_APPROVE, "").is_retryable());
        let status = |status| ApiError::HttpStatus {
            endpoint: "x".into(),
            status,
            body: String::new(),
        };
        assert!(status(503).is_retryable());
        assert!(status(429).is_retryable());
        assert!(!status(404).is_retryable());
        assert!(!ApiError::InvalidArgument("x".into()).is_retryable());
    }

    #[test]
    fn rate_limit_message_mentions_the_delay() {
        let error = ApiError::RateLimited {
            message: "slow down".into(),
            retry_after: Some(Duration::from_secs(3)),
        };
        assert_eq!(
            error.to_string(),
            "rate limited (36009002), retry after 3 s: slow down"
        );
    }

    #[test]
    fn convert_errors_name_the_nested_field() {
        let error = ConvertError::missing("sale_price").within("line_items[2]");
        assert_eq!(
            error.to_string(),
            "field `line_items[2].sale_price`: is missing"
        );
    }
}
