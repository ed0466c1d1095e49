//! After-sales requests (returns, refunds, replacements, and the seller-facing exchange
//! and reshipment) and cancellations, mirroring the platform's statuses.

use super::{CancellationId, CaseId, Money, OrderId, ShopId, SkuId, Timestamp};
use crate::platform_enum;

platform_enum! {
    /// The kind of request. The platform's `return_type` values come first; exchange and
    /// reshipment are how Seller Center presents some replacements to sellers.
    pub enum AfterSalesKind {
        Refund = "REFUND",
        ReturnAndRefund = "RETURN_AND_REFUND",
        Replacement = "REPLACEMENT",
        Exchange = "EXCHANGE",
        Reshipment = "RESHIPMENT",
    }
}

platform_enum! {
    /// `return_status` of a return, refund or replacement request.
    pub enum ReturnStatus {
        RequestPending = "RETURN_OR_REFUND_REQUEST_PENDING",
        RequestRejected = "REFUND_OR_RETURN_REQUEST_REJECT",
        AwaitingBuyerShip = "AWAITING_BUYER_SHIP",
        BuyerShippedItem = "BUYER_SHIPPED_ITEM",
        RejectReceivePackage = "REJECT_RECEIVE_PACKAGE",
        RequestSuccess = "RETURN_OR_REFUND_REQUEST_SUCCESS",
        RequestCancelled = "RETURN_OR_REFUND_REQUEST_CANCEL",
        RequestComplete = "RETURN_OR_REFUND_REQUEST_COMPLETE",
        ReplacementPending = "REPLACEMENT_REQUEST_PENDING",
        ReplacementRejected = "REPLACEMENT_REQUEST_REJECT",
        ReplacementRefundSuccess = "REPLACEMENT_REQUEST_REFUND_SUCCESS",
        ReplacementCancelled = "REPLACEMENT_REQUEST_CANCEL",
        ReplacementComplete = "REPLACEMENT_REQUEST_COMPLETE",
        AwaitingBuyerResponse = "AWAITING_BUYER_RESPONSE",
    }
}

impl ReturnStatus {
    /// The case is finished: nothing more for anyone to do.
    pub fn is_closed(&self) -> bool {
        matches!(
            self,
            ReturnStatus::RequestCancelled
                | ReturnStatus::RequestComplete
                | ReturnStatus::ReplacementRefundSuccess
                | ReturnStatus::ReplacementCancelled
                | ReturnStatus::ReplacementComplete
                | ReturnStatus::RequestSuccess
        )
    }
}

platform_enum! {
    pub enum ArbitrationStatus {
        InProgress = "IN_PROGRESS",
        SupportBuyer = "SUPPORT_BUYER",
        SupportSeller = "SUPPORT_SELLER",
        Closed = "CLOSED",
    }
}

platform_enum! {
    /// Who acted (`role`, `return_role`).
    pub enum ActorRole {
        Buyer = "BUYER",
        Seller = "SELLER",
        Operator = "OPERATOR",
        System = "SYSTEM",
    }
}

/// A platform-stated next step for the seller with its due time
/// (`seller_next_action_response[]`).
#[derive(Debug, Clone, PartialEq)]
pub struct SellerNextAction {
    pub action: String,
    pub deadline: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReturnLineItem {
    pub id: String,
    pub order_line_item_id: String,
    pub sku_id: SkuId,
    pub product_name: String,
    pub refund_amount: Option<Money>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AfterSalesCase {
    pub id: CaseId,
    pub shop_id: ShopId,
    pub order_id: OrderId,
    pub kind: AfterSalesKind,
    pub status: ReturnStatus,
    pub arbitration_status: Option<ArbitrationStatus>,
    pub role: Option<ActorRole>,
    pub reason: Option<String>,
    pub reason_text: Option<String>,
    pub refund_total: Option<Money>,
    pub next_actions: Vec<SellerNextAction>,
    pub line_items: Vec<ReturnLineItem>,
    pub return_tracking_number: Option<String>,
    pub create_time: Timestamp,
    pub update_time: Timestamp,
}

platform_enum! {
    pub enum CancelStatus {
        Pending = "CANCELLATION_REQUEST_PENDING",
        Success = "CANCELLATION_REQUEST_SUCCESS",
        Cancelled = "CANCELLATION_REQUEST_CANCELLED" | "CANCELLATION_REQUEST_CANCEL",
        Complete = "CANCELLATION_REQUEST_COMPLETE",
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Cancellation {
    pub id: CancellationId,
    pub shop_id: ShopId,
    pub order_id: OrderId,
    /// `CANCEL`, `BUYER_CANCEL` or a newer spelling, kept verbatim.
    pub cancel_type: String,
    pub status: CancelStatus,
    pub role: Option<ActorRole>,
    pub reason: Option<String>,
    pub reason_text: Option<String>,
    pub refund_total: Option<Money>,
    pub next_actions: Vec<SellerNextAction>,
    pub create_time: Timestamp,
    pub update_time: Timestamp,
}
