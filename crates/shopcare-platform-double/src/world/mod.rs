//! The double's world: one seller, its shops, products, orders and after-sales data.
//!
//! Everything is generated from a [`WorldConfig`] by [`World::generate`], deterministically
//! (same config → same world, byte for byte once rendered). Structs are compact (indexes
//! and Unix seconds as `u32`, derived ids, texts generated on demand from a per-item seed)
//! so a world of a million orders fits in well under 100 MB; JSON is produced on demand
//! by [`render`].

mod generate;
pub mod render;
mod text;

use chrono::{NaiveDate, Utc};

pub use crate::phrases::{Category, ChatTopic, Complaint};

pub use text::{message_text, review_text};

/// First id of each kind. Ids are `base + index`, 18–19 digits, kept as strings on the wire.
pub(crate) const ORDER_ID_BASE: u64 = 576_400_000_000_000_000;
pub(crate) const LINE_ITEM_ID_BASE: u64 = 576_500_000_000_000_000;
pub(crate) const PACKAGE_ID_BASE: u64 = 1_152_000_000_000_000_000;
pub(crate) const PRODUCT_ID_BASE: u64 = 1_729_000_000_000_000_000;
pub(crate) const SKU_ID_BASE: u64 = 1_730_000_000_000_000_000;
pub(crate) const RETURN_ID_BASE: u64 = 4_035_000_000_000_000_000;
pub(crate) const CANCEL_ID_BASE: u64 = 4_036_000_000_000_000_000;
pub(crate) const CONVERSATION_ID_BASE: u64 = 7_300_000_000_000_000_000;
pub(crate) const MESSAGE_ID_BASE: u64 = 7_310_000_000_000_000_000;
pub(crate) const REVIEW_ID_BASE: u64 = 7_320_000_000_000_000_000;
pub(crate) const RETURN_LINE_ITEM_ID_BASE: u64 = 4_037_000_000_000_000_000;
pub(crate) const CANCEL_LINE_ITEM_ID_BASE: u64 = 4_038_000_000_000_000_000;
pub(crate) const BUYER_ID_BASE: u64 = 7_494_100_000_000_000_000;

/// What to generate. `as_of` is the first day *after* the data: orders fall in the
/// `days` days before `as_of` 00:00 UTC, which is the world's "now" at generation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorldConfig {
    pub shops: u32,
    pub orders: u64,
    pub days: u32,
    pub seed: u64,
    pub as_of: NaiveDate,
}

impl Default for WorldConfig {
    /// 3 shops, 2,000 orders over 30 days, seed 42, data up to today (UTC): the
    /// default is meant for demos, where deadlines must be close to the real clock.
    /// Pass an explicit `as_of` wherever determinism across days matters.
    fn default() -> Self {
        WorldConfig {
            shops: 3,
            orders: 2_000,
            days: 30,
            seed: 42,
            as_of: Utc::now().date_naive(),
        }
    }
}

/// Why a world cannot be generated from a config.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum WorldConfigError {
    #[error("shops must be between 1 and 1000, got {0}")]
    Shops(u32),
    #[error("orders must be at most 20,000,000, got {0}")]
    Orders(u64),
    #[error("days must be between 1 and 3650, got {0}")]
    Days(u32),
    #[error("as_of {0} is outside the supported range (2000-01-01 .. 2100-01-01)")]
    AsOf(NaiveDate),
}

/// The seller who authorizes the app; owns every shop of the world.
#[derive(Debug, Clone)]
pub struct Seller {
    pub open_id: String,
    pub name: String,
    pub base_region: String,
}

#[derive(Debug, Clone)]
pub struct Shop {
    pub id: String,
    pub cipher: String,
    pub name: String,
    pub region: &'static str,
    pub currency: &'static str,
    pub time_zone: &'static str,
    pub languages: &'static [&'static str],
    /// Products of this shop are `products[first_product .. first_product + product_count]`.
    pub first_product: u32,
    pub product_count: u32,
}

#[derive(Debug, Clone)]
pub struct Product {
    pub shop: u16,
    pub category: Category,
    pub title: String,
    /// `false` = `SELLER_DEACTIVATED`.
    pub active: bool,
    pub create_time: u32,
    pub update_time: u32,
    pub first_sku: u32,
    pub sku_count: u8,
}

#[derive(Debug, Clone)]
pub struct Sku {
    pub product: u32,
    pub variant: &'static str,
    /// Price in the currency's minor unit (cents; whole rupiah/dong).
    pub price_minor: u64,
    pub inventory: u32,
}

/// Order statuses of reference §5.1, in lifecycle order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OrderStatus {
    Unpaid,
    OnHold,
    AwaitingShipment,
    PartiallyShipping,
    AwaitingCollection,
    InTransit,
    Delivered,
    Completed,
    Cancelled,
}

impl OrderStatus {
    pub const ALL: [OrderStatus; 9] = [
        OrderStatus::Unpaid,
        OrderStatus::OnHold,
        OrderStatus::AwaitingShipment,
        OrderStatus::PartiallyShipping,
        OrderStatus::AwaitingCollection,
        OrderStatus::InTransit,
        OrderStatus::Delivered,
        OrderStatus::Completed,
        OrderStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Unpaid => "UNPAID",
            OrderStatus::OnHold => "ON_HOLD",
            OrderStatus::AwaitingShipment => "AWAITING_SHIPMENT",
            OrderStatus::PartiallyShipping => "PARTIALLY_SHIPPING",
            OrderStatus::AwaitingCollection => "AWAITING_COLLECTION",
            OrderStatus::InTransit => "IN_TRANSIT",
            OrderStatus::Delivered => "DELIVERED",
            OrderStatus::Completed => "COMPLETED",
            OrderStatus::Cancelled => "CANCELLED",
        }
    }

    /// Accepts the webhook spelling `CANCEL` too.
    pub fn parse(value: &str) -> Option<OrderStatus> {
        if value == "CANCEL" {
            return Some(OrderStatus::Cancelled);
        }
        OrderStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }

    /// Whether the order has at least one package handed over (or about to be).
    pub fn has_packages(self) -> bool {
        matches!(
            self,
            OrderStatus::PartiallyShipping
                | OrderStatus::AwaitingCollection
                | OrderStatus::InTransit
                | OrderStatus::Delivered
                | OrderStatus::Completed
        )
    }
}

/// What went wrong with an order, as the buyer experienced it. Drives returns,
/// chats and review complaints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderIssue {
    None,
    Damaged,
    WrongVariant,
    MissingPart,
    PoorQuality,
    NotAsDescribed,
    ChangedMind,
}

/// Bits of [`Order::flags`].
pub mod order_flags {
    /// Handed over after `rts_sla_time`.
    pub const SHIPPED_LATE: u8 = 1;
    /// Tracking stopped moving (no event for more than 72 h before "now").
    pub const STALLED: u8 = 2;
    /// One failed delivery attempt before the delivery.
    pub const FAILED_ATTEMPT: u8 = 4;
    /// The buyer asked to cancel (a cancellation record exists).
    pub const BUYER_REQUESTED_CANCEL: u8 = 8;
    /// Cancelled by the seller (out of stock) rather than by the buyer.
    pub const SELLER_CANCELLED: u8 = 16;
}

#[derive(Debug, Clone)]
pub struct Order {
    pub shop: u16,
    pub status: OrderStatus,
    pub issue: OrderIssue,
    pub flags: u8,
    pub line_item_count: u8,
    /// Hours between the first and the second package's hand-over; 0 = one package.
    pub second_package_delay_hours: u8,
    pub buyer: u32,
    /// Line items are `line_items[first_line_item .. first_line_item + line_item_count]`.
    pub first_line_item: u32,
    pub create_time: u32,
    /// 0 = not paid.
    pub paid_time: u32,
    pub rts_sla_time: u32,
    /// Seller marked ready to ship; 0 = not yet.
    pub rts_time: u32,
    /// Carrier picked up; 0 = not yet.
    pub collection_time: u32,
    /// 0 = not delivered.
    pub delivery_time: u32,
    /// 0 = not cancelled.
    pub cancel_time: u32,
    pub update_time: u32,
    pub shipping_fee_minor: u32,
    pub seller_discount_minor: u32,
}

impl Order {
    pub fn has_flag(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    pub fn package_count(&self) -> u32 {
        if !self.status.has_packages() {
            0
        } else if self.second_package_delay_hours > 0 {
            2
        } else {
            1
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct LineItem {
    pub sku: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReturnType {
    Refund,
    ReturnAndRefund,
    Replacement,
}

impl ReturnType {
    pub const ALL: [ReturnType; 3] = [
        ReturnType::Refund,
        ReturnType::ReturnAndRefund,
        ReturnType::Replacement,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReturnType::Refund => "REFUND",
            ReturnType::ReturnAndRefund => "RETURN_AND_REFUND",
            ReturnType::Replacement => "REPLACEMENT",
        }
    }

    pub fn parse(value: &str) -> Option<ReturnType> {
        ReturnType::ALL
            .into_iter()
            .find(|kind| kind.as_str() == value)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReturnStatus {
    RequestPending,
    RequestReject,
    AwaitingBuyerShip,
    BuyerShippedItem,
    RejectReceivePackage,
    RequestSuccess,
    RequestCancel,
    RequestComplete,
    ReplacementPending,
    ReplacementReject,
    ReplacementRefundSuccess,
    ReplacementCancel,
    ReplacementComplete,
    AwaitingBuyerResponse,
}

impl ReturnStatus {
    pub const ALL: [ReturnStatus; 14] = [
        ReturnStatus::RequestPending,
        ReturnStatus::RequestReject,
        ReturnStatus::AwaitingBuyerShip,
        ReturnStatus::BuyerShippedItem,
        ReturnStatus::RejectReceivePackage,
        ReturnStatus::RequestSuccess,
        ReturnStatus::RequestCancel,
        ReturnStatus::RequestComplete,
        ReturnStatus::ReplacementPending,
        ReturnStatus::ReplacementReject,
        ReturnStatus::ReplacementRefundSuccess,
        ReturnStatus::ReplacementCancel,
        ReturnStatus::ReplacementComplete,
        ReturnStatus::AwaitingBuyerResponse,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReturnStatus::RequestPending => "RETURN_OR_REFUND_REQUEST_PENDING",
            ReturnStatus::RequestReject => "REFUND_OR_RETURN_REQUEST_REJECT",
            ReturnStatus::AwaitingBuyerShip => "AWAITING_BUYER_SHIP",
            ReturnStatus::BuyerShippedItem => "BUYER_SHIPPED_ITEM",
            ReturnStatus::RejectReceivePackage => "REJECT_RECEIVE_PACKAGE",
            ReturnStatus::RequestSuccess => "RETURN_OR_REFUND_REQUEST_SUCCESS",
            ReturnStatus::RequestCancel => "RETURN_OR_REFUND_REQUEST_CANCEL",
            ReturnStatus::RequestComplete => "RETURN_OR_REFUND_REQUEST_COMPLETE",
            ReturnStatus::ReplacementPending => "REPLACEMENT_REQUEST_PENDING",
            ReturnStatus::ReplacementReject => "REPLACEMENT_REQUEST_REJECT",
            ReturnStatus::ReplacementRefundSuccess => "REPLACEMENT_REQUEST_REFUND_SUCCESS",
            ReturnStatus::ReplacementCancel => "REPLACEMENT_REQUEST_CANCEL",
            ReturnStatus::ReplacementComplete => "REPLACEMENT_REQUEST_COMPLETE",
            ReturnStatus::AwaitingBuyerResponse => "AWAITING_BUYER_RESPONSE",
        }
    }

    pub fn parse(value: &str) -> Option<ReturnStatus> {
        ReturnStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
    }

    /// The action the seller owes in this status, if any.
    pub fn seller_action(self) -> Option<&'static str> {
        match self {
            ReturnStatus::BuyerShippedItem => Some("SELLER_RESPOND_RECEIVE_PACKAGE"),
            ReturnStatus::ReplacementPending => Some("SELLER_RESPOND_REPLACEMENT"),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Return {
    pub order: u32,
    pub return_type: ReturnType,
    pub status: ReturnStatus,
    pub issue: OrderIssue,
    /// Bit `k` set = the order's line item `k` is part of the return.
    pub line_item_mask: u8,
    /// Arbitration state index into [`render::ARBITRATION_STATUSES`]; 0 = none.
    pub arbitration: u8,
    pub create_time: u32,
    pub update_time: u32,
    /// Seller's deadline to act; 0 = nothing owed.
    pub seller_deadline: u32,
    pub refund_minor: u64,
}

impl Return {
    /// The `seller_next_action_response[].action` owed now, if any.
    pub fn seller_action(&self) -> Option<&'static str> {
        match self.status {
            ReturnStatus::RequestPending => Some(match self.return_type {
                ReturnType::Refund => "SELLER_RESPOND_REFUND",
                _ => "SELLER_RESPOND_RETURN",
            }),
            other => other.seller_action(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelStatus {
    Pending,
    Success,
    Cancelled,
    Complete,
}

impl CancelStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CancelStatus::Pending => "CANCELLATION_REQUEST_PENDING",
            CancelStatus::Success => "CANCELLATION_REQUEST_SUCCESS",
            CancelStatus::Cancelled => "CANCELLATION_REQUEST_CANCELLED",
            CancelStatus::Complete => "CANCELLATION_REQUEST_COMPLETE",
        }
    }

    /// Accepts the request filter's `..._CANCEL` spelling too.
    pub fn parse(value: &str) -> Option<CancelStatus> {
        match value {
            "CANCELLATION_REQUEST_PENDING" => Some(CancelStatus::Pending),
            "CANCELLATION_REQUEST_SUCCESS" => Some(CancelStatus::Success),
            "CANCELLATION_REQUEST_CANCELLED" | "CANCELLATION_REQUEST_CANCEL" => {
                Some(CancelStatus::Cancelled)
            }
            "CANCELLATION_REQUEST_COMPLETE" => Some(CancelStatus::Complete),
            _ => None,
        }
    }
}

/// Who cancelled and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CancelKind {
    /// System cancel: not paid in time.
    UnpaidTimeout,
    /// Seller cancel: out of stock.
    SellerOutOfStock,
    /// Buyer asked; needs the seller's approval unless nothing was arranged yet.
    Buyer,
}

#[derive(Debug, Clone)]
pub struct Cancellation {
    pub order: u32,
    pub kind: CancelKind,
    pub status: CancelStatus,
    pub create_time: u32,
    pub update_time: u32,
    pub seller_deadline: u32,
}

#[derive(Debug, Clone)]
pub struct Conversation {
    pub shop: u16,
    pub buyer: u32,
    /// The order the chat is about (an `ORDER_CARD` may open it).
    pub order: u32,
    pub topic: ChatTopic,
    /// Index into the shop's languages.
    pub language: u8,
    pub first_message: u32,
    pub message_count: u32,
    pub create_time: u32,
    pub update_time: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SenderRole {
    Buyer,
    Shop,
    Robot,
}

impl SenderRole {
    pub fn as_str(self) -> &'static str {
        match self {
            SenderRole::Buyer => "BUYER",
            SenderRole::Shop => "SHOP",
            SenderRole::Robot => "ROBOT",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// `ORDER_CARD` pointing at the conversation's order.
    OrderCard,
    /// Generated text; the seed is the message index.
    Generated,
    /// Text stored in [`World::custom_texts`] (sent through the API or a control route).
    Custom,
}

#[derive(Debug, Clone)]
pub struct Message {
    pub conversation: u32,
    pub role: SenderRole,
    pub kind: MessageKind,
    /// What a generated text talks about.
    pub topic: ChatTopic,
    pub create_time: u32,
}

#[derive(Debug, Clone)]
pub struct Review {
    pub order: u32,
    /// Global line item index.
    pub line_item: u32,
    pub rating: u8,
    pub complaint: Complaint,
    pub language: u8,
    pub created_at: u32,
}

/// A generated world. Indexes between structs are `u32` positions in these vectors.
#[derive(Debug, Clone)]
pub struct World {
    pub config: WorldConfig,
    /// The world's "now" at generation: `as_of` 00:00 UTC.
    pub generated_at: u32,
    pub seller: Seller,
    pub shops: Vec<Shop>,
    pub products: Vec<Product>,
    pub skus: Vec<Sku>,
    pub orders: Vec<Order>,
    pub line_items: Vec<LineItem>,
    pub returns: Vec<Return>,
    pub cancellations: Vec<Cancellation>,
    pub conversations: Vec<Conversation>,
    pub messages: Vec<Message>,
    /// Texts of [`MessageKind::Custom`] messages, by message index.
    pub custom_texts: std::collections::HashMap<u32, String>,
    /// Messages added to a conversation after generation, by conversation index.
    pub extra_messages: std::collections::HashMap<u32, Vec<u32>>,
    pub reviews: Vec<Review>,
}

impl World {
    pub fn order_id(index: u32) -> u64 {
        ORDER_ID_BASE + u64::from(index)
    }

    /// The order index of a platform order id, if it is one of ours.
    pub fn order_index(&self, id: &str) -> Option<u32> {
        index_of(id, ORDER_ID_BASE, self.orders.len())
    }

    pub fn return_index(&self, id: &str) -> Option<u32> {
        index_of(id, RETURN_ID_BASE, self.returns.len())
    }

    pub fn cancellation_index(&self, id: &str) -> Option<u32> {
        index_of(id, CANCEL_ID_BASE, self.cancellations.len())
    }

    pub fn conversation_index(&self, id: &str) -> Option<u32> {
        index_of(id, CONVERSATION_ID_BASE, self.conversations.len())
    }

    pub fn product_index(&self, id: &str) -> Option<u32> {
        index_of(id, PRODUCT_ID_BASE, self.products.len())
    }

    /// `(order index, package number within the order)` of a package id.
    pub fn package_index(&self, id: &str) -> Option<(u32, u32)> {
        let value: u64 = id.parse().ok()?;
        let offset = value.checked_sub(PACKAGE_ID_BASE)?;
        let order = u32::try_from(offset / 2).ok()?;
        let number = (offset % 2) as u32;
        let order_value = self.orders.get(order as usize)?;
        (number < order_value.package_count()).then_some((order, number))
    }

    pub fn package_id(order: u32, number: u32) -> u64 {
        PACKAGE_ID_BASE + u64::from(order) * 2 + u64::from(number)
    }

    pub fn shop_index_by_cipher(&self, cipher: &str) -> Option<u16> {
        self.shops
            .iter()
            .position(|shop| shop.cipher == cipher)
            .map(|index| index as u16)
    }

    /// The order's line items as global indexes.
    pub fn order_line_items(&self, order: u32) -> std::ops::Range<u32> {
        let value = &self.orders[order as usize];
        value.first_line_item..value.first_line_item + u32::from(value.line_item_count)
    }

    /// Which package (0 or 1) holds the order's `position`-th line item.
    pub fn package_of_line_item(&self, order: u32, position: u32) -> u32 {
        let value = &self.orders[order as usize];
        u32::from(value.second_package_delay_hours > 0 && position > 0)
    }

    /// Generated text of a review, in the shop's language chosen at generation.
    pub fn review_text(&self, review: u32) -> String {
        review_text(self, review)
    }

    /// Text of a chat message (generated or stored).
    pub fn message_text(&self, message: u32) -> String {
        message_text(self, message)
    }

    /// Currency decimals: zero for rupiah and dong, two elsewhere.
    pub fn currency_decimals(currency: &str) -> u32 {
        match currency {
            "IDR" | "VND" => 0,
            _ => 2,
        }
    }
}

fn index_of(id: &str, base: u64, len: usize) -> Option<u32> {
    let value: u64 = id.parse().ok()?;
    let index = value.checked_sub(base)?;
    (index < len as u64).then_some(index as u32)
}
