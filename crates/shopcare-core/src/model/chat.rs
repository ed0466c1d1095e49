//! Buyer chats: conversations per shop and the messages in them.

use super::{BuyerId, ConversationId, MessageId, ShopId, Timestamp};
use crate::platform_enum;

platform_enum! {
    /// Who sent a chat message.
    pub enum SenderRole {
        Buyer = "BUYER",
        Shop = "SHOP",
        CustomerService = "CUSTOMER_SERVICE",
        System = "SYSTEM",
        Robot = "ROBOT",
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Conversation {
    pub id: ConversationId,
    pub shop_id: ShopId,
    /// The buyer taking part, matching the order's `user_id`, when known.
    pub buyer: Option<BuyerId>,
    pub create_time: Timestamp,
    pub update_time: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Message {
    pub id: MessageId,
    pub conversation_id: ConversationId,
    pub shop_id: ShopId,
    /// Position in the conversation as the platform numbers it.
    pub index: i64,
    pub sender_role: SenderRole,
    /// `TEXT`, `IMAGE`, `ORDER_CARD`, ... kept verbatim.
    pub kind: String,
    /// Plain text for text messages (decoded from the platform's JSON content).
    pub text: String,
    pub create_time: Timestamp,
    pub is_visible: bool,
}
