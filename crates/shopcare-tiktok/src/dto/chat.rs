//! Buyer chat (reference §5.4): conversations, messages, and the conversions into
//! `shopcare_core::{Conversation, Message}`. Message `content` is JSON text such as
//! `{"content":"hi"}`; the text is decoded from it.

use super::convert::{optional, optional_time, required, required_time};
use super::lenient;
use crate::error::ConvertError;
use serde::{Deserialize, Serialize};
use shopcare_core::{
    BuyerId, Conversation, ConversationId, Message, MessageId, SenderRole, ShopId,
};

/// A participant of a conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ParticipantDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub im_user_id: Option<String>,
    /// Same as the order's `user_id` for buyers.
    #[serde(deserialize_with = "lenient::opt_string")]
    pub user_id: Option<String>,
    /// `BUYER`, `SHOP` or `CUSTOMER_SERVICE`.
    pub role: Option<String>,
    pub nickname: Option<String>,
    pub avatar: Option<String>,
}

/// A message's sender.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SenderDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub im_user_id: Option<String>,
    /// `BUYER`, `SHOP`, `CUSTOMER_SERVICE`, `SYSTEM` or `ROBOT`.
    pub role: Option<String>,
    pub nickname: Option<String>,
    pub avatar: Option<String>,
}

/// One chat message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MessageDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub index: Option<i64>,
    /// `TEXT`, `IMAGE`, `ORDER_CARD`, ...
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

/// One conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConversationDto {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub id: Option<String>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub participant_count: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_bool")]
    pub can_send_message: Option<bool>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub unread_count: Option<i64>,
    #[serde(deserialize_with = "lenient::opt_i64")]
    pub create_time: Option<i64>,
    pub participants: Option<Vec<ParticipantDto>>,
    pub latest_message: Option<MessageDto>,
}

/// `data` of `GET /customer_service/202309/conversations`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ConversationsPage {
    pub conversations: Option<Vec<ConversationDto>>,
    pub next_page_token: Option<String>,
}

/// `data` of `GET .../conversations/{id}/messages`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MessagesPage {
    pub messages: Option<Vec<MessageDto>>,
    pub next_page_token: Option<String>,
}

/// `data` of a sent message.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SendMessageData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub message_id: Option<String>,
}

/// `data` of a created conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct CreateConversationData {
    #[serde(deserialize_with = "lenient::opt_string")]
    pub conversation_id: Option<String>,
}

/// The JSON `content` text the platform expects for a text message.
pub fn text_message_content(text: &str) -> String {
    serde_json::json!({ "content": text }).to_string()
}

/// The readable text of a message `content`: the `content` member of the JSON text, or
/// the raw content when it is not that shape (images, cards), so nothing is lost.
pub fn message_text(content: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(content) {
        Ok(serde_json::Value::Object(fields)) => match fields.get("content") {
            Some(serde_json::Value::String(text)) => text.clone(),
            _ => content.to_owned(),
        },
        _ => content.to_owned(),
    }
}

/// Converts one conversation. The buyer is the participant with role `BUYER`;
/// `update_time` is the latest message's time when there is one.
pub fn conversation_from_dto(
    shop_id: &ShopId,
    dto: ConversationDto,
) -> Result<Conversation, ConvertError> {
    let create_time = required_time("create_time", dto.create_time)?;
    let latest = match dto.latest_message {
        Some(message) => optional_time("latest_message.create_time", message.create_time)?,
        None => None,
    };
    let buyer = dto
        .participants
        .unwrap_or_default()
        .into_iter()
        .find(|participant| participant.role.as_deref() == Some("BUYER"))
        .and_then(|participant| optional(participant.user_id))
        .map(BuyerId::new);
    Ok(Conversation {
        id: ConversationId::new(required("id", dto.id)?),
        shop_id: shop_id.clone(),
        buyer,
        update_time: latest.map_or(create_time, |latest| latest.max(create_time)),
        create_time,
    })
}

/// Converts one message of `conversation_id`. Required: `id`, `create_time`; the index
/// defaults to 0 and a missing sender role becomes `Other("")`.
pub fn message_from_dto(
    shop_id: &ShopId,
    conversation_id: &ConversationId,
    dto: MessageDto,
) -> Result<Message, ConvertError> {
    Ok(Message {
        id: MessageId::new(required("id", dto.id)?),
        conversation_id: conversation_id.clone(),
        shop_id: shop_id.clone(),
        index: dto.index.unwrap_or(0),
        sender_role: SenderRole::parse(
            dto.sender
                .and_then(|sender| sender.role)
                .as_deref()
                .unwrap_or_default(),
        ),
        kind: dto.message_type.unwrap_or_default(),
        text: dto.content.as_deref().map(message_text).unwrap_or_default(),
        create_time: required_time("create_time", dto.create_time)?,
        is_visible: dto.is_visible.unwrap_or(true),
    })
}
