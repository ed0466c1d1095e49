//! Webhooks (reference §6): the pushed envelope with typed `data` per event type, and
//! the Event API's webhook subscriptions (§5.7). Verify the `Authorization` header with
//! [`crate::signing::verify_webhook`] over the raw bytes before parsing.

use super::convert::{required, required_time};
use super::lenient;
use super::{chat::message_text, SenderDto};
use crate::error::ConvertError;
use serde::{Deserialize, Serialize};
use shopcare_core::{ConversationId, Message, MessageId, SenderRole, ShopId};

/// Numeric webhook `type` values shopcare handles.
pub mod event_types {
    pub const ORDER_STATUS_CHANGE: i64 = 1;
    pub const RECIPIENT_ADDRESS_UPDATE: i64 = 3;
    pub const PACKAGE_UPDATE: i64 = 4;
    pub const SELLER_DEAUTHORIZATION: i64 = 6;
    pub const UPCOMING_AUTHORIZATION_EXPIRATION: i64 = 7;
    pub const CANCELLATION_STATUS_CHANGE: i64 = 11;
    pub const RETURN_STATUS_CHANGE: i64 = 12;
    pub const NEW_CONVERSATION: i64 = 13;
    pub const NEW_MESSAGE: i64 = 14;

    /// The Event API `event_type` name of a numeric type, for subscriptions.
    pub fn name(event_type: i64) -> Option<&'static str> {
        Some(match event_type {
            ORDER_STATUS_CHANGE => "ORDER_STATUS_CHANGE",
            RECIPIENT_ADDRESS_UPDATE => "RECIPIENT_ADDRESS_UPDATE",
            PACKAGE_UPDATE => "PACKAGE_UPDATE",
            SELLER_DEAUTHORIZATION => "SELLER_DEAUTHORIZATION",
            UPCOMING_AUTHORIZATION_EXPIRATION => "UPCOMING_AUTHORIZATION_EXPIRATION",
            CANCELLATION_STATUS_CHANGE => "CANCELLATION_STATUS_CHANGE",
            RETURN_STATUS_CHANGE => "RETURN_STATUS_CHANGE",
            NEW_CONVERSATION => "NEW_CONVERSATION",
            NEW_MESSAGE => "NEW_MESSAGE",
            _ => return None,
        })
    }
}

/// A pushed notification, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct WebhookEnvelope {
    /// The numeric `type`.
    pub event_type: i64,
    /// Dedupe key; some examples omit it.
    pub tts_notification_id: Option<String>,
    /// The TikTok Shop id (matches `shops[].id`).
    pub shop_id: String,
    /// Unix seconds.
    pub timestamp: i64,
    pub data: WebhookData,
}

/// Typed `data` per event type; anything else is kept as raw JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum WebhookData {
    OrderStatusChange(OrderStatusChangeData),
    RecipientAddressUpdate(RecipientAddressUpdateData),
    PackageUpdate(PackageUpdateData),
    SellerDeauthorization(AuthorizationNoticeData),
    UpcomingAuthorizationExpiration(AuthorizationNoticeData),
    CancellationStatusChange(CancellationStatusChangeData),
    ReturnStatusChange(ReturnStatusChangeData),
    NewConversation(NewConversationData),
    NewMessage(NewMessageData),
    Unknown(serde_json::Value),
}

/// Type 1. `order_status` may say `CANCEL` (parse with `OrderStatus::parse`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OrderStatusChangeData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub order_id: Option<String>,
    pub order_status: Option<String>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub is_on_hold_order: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub update_time: Option<i64>,
}

/// Type 3.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecipientAddressUpdateData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub order_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub update_time: Option<i64>,
}

/// `package_list[]` of type 4.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PackageUpdateEntry {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub package_id: Option<String>,
    pub order_id_list: Option<Vec<String>>,
}

/// Type 4.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PackageUpdateData {
    /// `COMBINE`, `SPLIT`, `CANCEL_COMBINE`, ...
    pub sc_type: Option<String>,
    pub role_type: Option<String>,
    pub package_list: Option<Vec<PackageUpdateEntry>>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub update_time: Option<i64>,
}

/// Types 6 and 7. `expiration_time` (type 7) arrives as a string.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct AuthorizationNoticeData {
    pub message: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub expiration_time: Option<i64>,
}

/// Type 11 (`cancellations_role` is the platform's spelling).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CancellationStatusChangeData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub order_id: Option<String>,
    pub cancellations_role: Option<String>,
    pub cancel_status: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub cancel_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub create_time: Option<i64>,
}

/// Type 12.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReturnStatusChangeData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub order_id: Option<String>,
    pub return_role: Option<String>,
    pub return_type: Option<String>,
    pub return_status: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub return_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub create_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub update_time: Option<i64>,
}

/// Type 13 (an agent joined or left a conversation).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewConversationData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub conversation_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub create_time: Option<i64>,
}

/// Type 14: a whole message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NewMessageData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub message_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub index: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_string")]
    pub conversation_id: Option<String>,
    #[serde(rename = "type")]
    pub message_type: Option<String>,
    /// JSON text, e.g. `{"content":"hi"}`.
    pub content: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub create_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub is_visible: Option<bool>,
    pub sender: Option<SenderDto>,
}

#[derive(Deserialize)]
struct RawWebhook {
    #[serde(rename = "type", deserialize_with = "lenient::opt_i64", default)]
    event_type: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_string", default)]
    tts_notification_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_string", default)]
    shop_id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64", default)]
    timestamp: Option<i64>,
    #[serde(default)]
    data: serde_json::Value,
}

/// Why a webhook body could not be parsed.
#[derive(Debug, thiserror::Error)]
pub enum WebhookParseError {
    #[error("webhook body is not valid JSON of the expected shape: {0}")]
    Json(#[from] serde_json::Error),
    #[error("webhook body lacks `{0}`")]
    Missing(&'static str),
}

/// Parses a webhook body (after verifying its signature). Unknown types keep their
/// `data` as raw JSON; known types with odd data are an error, not silently dropped.
pub fn parse_webhook(body: &[u8]) -> Result<WebhookEnvelope, WebhookParseError> {
    let raw: RawWebhook = serde_json::from_slice(body)?;
    let event_type = raw.event_type.ok_or(WebhookParseError::Missing("type"))?;
    let shop_id = raw
        .shop_id
        .filter(|id| !id.is_empty())
        .ok_or(WebhookParseError::Missing("shop_id"))?;
    let timestamp = raw
        .timestamp
        .ok_or(WebhookParseError::Missing("timestamp"))?;
    let data = raw.data;
    let data = match event_type {
        event_types::ORDER_STATUS_CHANGE => {
            WebhookData::OrderStatusChange(serde_json::from_value(data)?)
        }
        event_types::RECIPIENT_ADDRESS_UPDATE => {
            WebhookData::RecipientAddressUpdate(serde_json::from_value(data)?)
        }
        event_types::PACKAGE_UPDATE => WebhookData::PackageUpdate(serde_json::from_value(data)?),
        event_types::SELLER_DEAUTHORIZATION => {
            WebhookData::SellerDeauthorization(serde_json::from_value(data)?)
        }
        event_types::UPCOMING_AUTHORIZATION_EXPIRATION => {
            WebhookData::UpcomingAuthorizationExpiration(serde_json::from_value(data)?)
        }
        event_types::CANCELLATION_STATUS_CHANGE => {
            WebhookData::CancellationStatusChange(serde_json::from_value(data)?)
        }
        event_types::RETURN_STATUS_CHANGE => {
            WebhookData::ReturnStatusChange(serde_json::from_value(data)?)
        }
        event_types::NEW_CONVERSATION => {
            WebhookData::NewConversation(serde_json::from_value(data)?)
        }
        event_types::NEW_MESSAGE => WebhookData::NewMessage(serde_json::from_value(data)?),
        _ => WebhookData::Unknown(data),
    };
    Ok(WebhookEnvelope {
        event_type,
        tts_notification_id: raw.tts_notification_id.filter(|id| !id.is_empty()),
        shop_id,
        timestamp,
        data,
    })
}

impl WebhookData {
    /// The order the event is about, when it names one (types 1, 3, 11, 12).
    pub fn order_id(&self) -> Option<&str> {
        match self {
            WebhookData::OrderStatusChange(data) => data.order_id.as_deref(),
            WebhookData::RecipientAddressUpdate(data) => data.order_id.as_deref(),
            WebhookData::CancellationStatusChange(data) => data.order_id.as_deref(),
            WebhookData::ReturnStatusChange(data) => data.order_id.as_deref(),
            _ => None,
        }
    }
}

/// Converts a type-14 message into a core message.
pub fn message_from_webhook(
    shop_id: &ShopId,
    data: NewMessageData,
) -> Result<Message, ConvertError> {
    Ok(Message {
        id: MessageId::new(required("message_id", data.message_id)?),
        conversation_id: ConversationId::new(required("conversation_id", data.conversation_id)?),
        shop_id: shop_id.clone(),
        index: data.index.unwrap_or(0),
        sender_role: SenderRole::parse(
            data.sender
                .and_then(|sender| sender.role)
                .as_deref()
                .unwrap_or_default(),
        ),
        kind: data.message_type.unwrap_or_default(),
        text: data
            .content
            .as_deref()
            .map(message_text)
            .unwrap_or_default(),
        create_time: required_time("create_time", data.create_time)?,
        is_visible: data.is_visible.unwrap_or(true),
    })
}

/// One webhook subscription of a shop.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookSubscriptionDto {
    pub event_type: Option<String>,
    pub address: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub create_time: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub update_time: Option<i64>,
}

/// `data` of `GET /event/202309/webhooks`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct WebhookListData {
    pub webhooks: Option<Vec<WebhookSubscriptionDto>>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub total_count: Option<i64>,
}

/// Body of `PUT /event/202309/webhooks`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PutWebhook {
    /// https URL, domain only, at most 255 characters.
    pub address: String,
    /// e.g. `RETURN_STATUS_CHANGE`.
    pub event_type: String,
}

/// Body of `DELETE /event/202309/webhooks`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeleteWebhook {
    pub event_type: String,
}
