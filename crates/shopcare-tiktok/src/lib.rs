//! The TikTok Shop Partner API, as shopcare speaks it: request signing, webhook
//! verification, OAuth, the HTTP client with pagination and retries, and the wire
//! DTOs with their conversion into `shopcare-core` types.
//!
//! Invariant: only this crate (and the platform double) knows the platform's JSON.
//!
//! Code map:
//! - [`signing`]: request `sign` and webhook `Authorization` (HMAC-SHA256), with vectors.
//! - [`request`]: the signed, %-encoded query string exactly as sent.
//! - [`endpoint`]: one table of method, path, version and retry safety per endpoint.
//! - [`client`]: [`TikTokClient`], one async method per endpoint, envelope checks, retries.
//! - [`retry`]: [`RetryPolicy`] and which failures may be retried for which requests.
//! - [`pagination`]: [`Paginator`] over `next_page_token`.
//! - [`token`]: [`TokenSet`] and the refresh-ahead rule.
//! - [`dto`]: lenient serde DTOs, webhook parsing, and `*_from_dto` conversions into core types.
//! - [`error`]: [`ApiError`] (one variant per documented code), [`codes`], [`ConvertError`].

pub mod client;
pub mod dto;
pub mod endpoint;
pub mod error;
pub mod pagination;
pub mod request;
pub mod retry;
pub mod signing;
pub mod token;

pub use client::{system_clock, ClientConfig, Clock, TikTokClient};
pub use endpoint::Endpoint;
pub use error::{code_for, codes, ApiError, ConvertError};
pub use pagination::{IntoPage, Page, Paginator};
pub use retry::RetryPolicy;
pub use token::{needs_refresh, token_set_from_dto, TokenSet, DEFAULT_REFRESH_MARGIN};
