//! Orders, their line items, packages and tracking events.

use super::{BuyerId, LineItemId, Money, OrderId, PackageId, ProductId, ShopId, SkuId, Timestamp};
use crate::platform_enum;

platform_enum! {
    /// Order status as the Partner API reports it. Webhook type 1 spells cancellation
    /// `CANCEL`; both spellings mean the same thing.
    pub enum OrderStatus {
        Unpaid = "UNPAID",
        OnHold = "ON_HOLD",
        AwaitingShipment = "AWAITING_SHIPMENT",
        PartiallyShipping = "PARTIALLY_SHIPPING",
        AwaitingCollection = "AWAITING_COLLECTION",
        InTransit = "IN_TRANSIT",
        Delivered = "DELIVERED",
        Completed = "COMPLETED",
        Cancelled = "CANCELLED" | "CANCEL",
    }
}

impl OrderStatus {
    /// The seller still has to hand the parcel over.
    pub fn awaiting_dispatch(&self) -> bool {
        matches!(
            self,
            OrderStatus::AwaitingShipment | OrderStatus::PartiallyShipping
        )
    }
}

platform_enum! {
    /// Package / line-item fulfilment status.
    pub enum PackageStatus {
        ToFulfill = "TO_FULFILL",
        Processing = "PROCESSING",
        Fulfilling = "FULFILLING",
        Completed = "COMPLETED",
        Cancelled = "CANCELLED" | "CANCEL",
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub id: OrderId,
    pub shop_id: ShopId,
    pub status: OrderStatus,
    pub buyer: BuyerId,
    pub create_time: Timestamp,
    /// Last platform change; an older `update_time` never overwrites a newer one.
    pub update_time: Timestamp,
    pub paid_time: Option<Timestamp>,
    /// Promised ready-to-ship time (the platform's `rts_sla_time`).
    pub ship_by_time: Option<Timestamp>,
    /// When the seller handed the parcel over (`rts_time`).
    pub shipped_time: Option<Timestamp>,
    pub delivery_time: Option<Timestamp>,
    pub total: Option<Money>,
    pub cancel_reason: Option<String>,
    pub cancellation_initiator: Option<String>,
    pub shipping_provider: Option<String>,
    pub tracking_number: Option<String>,
    pub is_replacement_order: bool,
    pub line_items: Vec<LineItem>,
    pub package_ids: Vec<PackageId>,
}

impl Order {
    /// Shipped after the promised time, or still not shipped and past it at `now`.
    pub fn shipped_late(&self, now: Timestamp) -> bool {
        match (self.ship_by_time, self.shipped_time) {
            (Some(due), Some(shipped)) => shipped > due,
            (Some(due), None) => self.status.awaiting_dispatch() && now > due,
            _ => false,
        }
    }
}

/// One unit of one SKU: the platform has no quantity field, it repeats line items.
#[derive(Debug, Clone, PartialEq)]
pub struct LineItem {
    pub id: LineItemId,
    pub product_id: ProductId,
    pub sku_id: SkuId,
    pub product_name: String,
    pub sku_name: String,
    pub seller_sku: String,
    pub sale_price: Option<Money>,
    pub package_id: Option<PackageId>,
    pub package_status: Option<PackageStatus>,
    pub display_status: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Package {
    pub id: PackageId,
    pub shop_id: ShopId,
    pub order_ids: Vec<OrderId>,
    pub status: PackageStatus,
    pub tracking_number: Option<String>,
    pub shipping_provider: Option<String>,
    pub create_time: Timestamp,
    pub update_time: Timestamp,
}

/// What a carrier scan means. "Label created" is not "in transit".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TrackingStage {
    LabelCreated,
    PickedUp,
    InTransit,
    OutForDelivery,
    Delivered,
    FailedAttempt,
    Returned,
    Other,
}

impl TrackingStage {
    pub fn as_str(self) -> &'static str {
        match self {
            TrackingStage::LabelCreated => "label_created",
            TrackingStage::PickedUp => "picked_up",
            TrackingStage::InTransit => "in_transit",
            TrackingStage::OutForDelivery => "out_for_delivery",
            TrackingStage::Delivered => "delivered",
            TrackingStage::FailedAttempt => "failed_attempt",
            TrackingStage::Returned => "returned",
            TrackingStage::Other => "other",
        }
    }

    /// Reads a carrier's free-text description. Carriers word these differently, so
    /// this matches on key phrases; order matters (a "delivery failed" is not "delivered").
    pub fn from_description(description: &str) -> Self {
        let text = description.to_lowercase();
        let has = |needles: &[&str]| needles.iter().any(|needle| text.contains(needle));
        if has(&[
            "return to sender",
            "returned to sender",
            "returning to seller",
            "dikembalikan",
        ]) {
            TrackingStage::Returned
        } else if has(&[
            "failed",
            "unsuccessful",
            "gagal",
            "không thành công",
            "ไม่สำเร็จ",
        ]) {
            TrackingStage::FailedAttempt
        } else if has(&[
            "out for delivery",
            "sedang diantar",
            "đang giao",
            "กำลังนำจ่าย",
        ]) {
            TrackingStage::OutForDelivery
        } else if has(&[
            "delivered",
            "terkirim",
            "diterima",
            "đã giao",
            "จัดส่งสำเร็จ",
            "entregado",
        ]) {
            TrackingStage::Delivered
        } else if has(&[
            "label created",
            "label printed",
            "shipping label",
            "awaiting pickup",
            "pre-transit",
        ]) {
            TrackingStage::LabelCreated
        } else if has(&[
            "picked up",
            "first scan",
            "accepted by carrier",
            "dijemput",
            "received by carrier",
        ]) {
            TrackingStage::PickedUp
        } else if has(&[
            "transit", "departed", "arrived", "sorting", "hub", "facility",
        ]) {
            TrackingStage::InTransit
        } else {
            TrackingStage::Other
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrackingEvent {
    pub order_id: OrderId,
    pub description: String,
    pub stage: TrackingStage,
    pub time: Timestamp,
}

/// Hours since the last carrier scan, if tracking is open (not delivered or returned).
pub fn tracking_idle_hours(events: &[TrackingEvent], now: Timestamp) -> Option<i64> {
    let last = events.iter().max_by_key(|event| event.time)?;
    if matches!(
        last.stage,
        TrackingStage::Delivered | TrackingStage::Returned
    ) {
        return None;
    }
    Some((now - last.time).num_hours())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_cancel_spellings_are_cancelled_and_unknowns_survive() {
        assert_eq!(OrderStatus::parse("CANCEL"), OrderStatus::Cancelled);
        assert_eq!(OrderStatus::parse("CANCELLED"), OrderStatus::Cancelled);
        assert_eq!(OrderStatus::Cancelled.as_str(), "CANCELLED");
        let unknown = OrderStatus::parse("AWAITING_PICKUP_V2");
        assert!(!unknown.is_known());
        assert_eq!(unknown.as_str(), "AWAITING_PICKUP_V2");
    }

    #[test]
    fn tracking_descriptions_map_to_stages() {
        use TrackingStage::*;
        for (text, stage) in [
            ("Shipping label created", LabelCreated),
            ("Parcel picked up by carrier", PickedUp),
            ("Departed sorting hub", InTransit),
            ("Out for delivery", OutForDelivery),
            ("Delivery failed: recipient absent", FailedAttempt),
            ("Delivered to recipient", Delivered),
            ("Returned to sender", Returned),
        ] {
            assert_eq!(TrackingStage::from_description(text), stage, "{text}");
        }
    }
}
