//! Wire DTOs: the platform's JSON as serde types, and the conversions into
//! `shopcare-core` types.
//!
//! The DTOs are lenient on purpose: every field is optional, unknown fields are ignored,
//! ids may arrive as strings or numbers, and unknown enum strings are kept. Strictness
//! lives in the `*_from_dto` conversions, which say which field was missing or malformed.

mod auth;
mod chat;
mod convert;
mod event;
mod fulfillment;
pub mod lenient;
mod order;
mod product;
mod return_refund;

pub use auth::*;
pub use chat::*;
pub use event::*;
pub use fulfillment::*;
pub use order::*;
pub use product::*;
pub use return_refund::*;

use serde::{Deserialize, Serialize};

/// The response envelope every endpoint uses: `code` 0 is success; errors may come with
/// HTTP 200, so `code` is always checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Envelope<T> {
    pub code: i64,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub request_id: String,
    /// Absent or `null` on errors.
    pub data: Option<T>,
}

/// `data: {}` of write endpoints; any fields the platform adds are ignored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmptyData {}

/// The sort direction of search endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SortOrder {
    #[serde(rename = "ASC")]
    Ascending,
    #[serde(rename = "DESC")]
    Descending,
}

impl SortOrder {
    /// The query value, `ASC` or `DESC`.
    pub fn as_str(self) -> &'static str {
        match self {
            SortOrder::Ascending => "ASC",
            SortOrder::Descending => "DESC",
        }
    }
}
