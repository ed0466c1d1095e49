//! Builders for the values the contract suite and the apply benchmark store.

use shopcare_core::{
    AfterSalesCase, AfterSalesKind, BuyerId, LineItem, Money, Order, OrderId, OrderStatus,
    PackageId, PackageStatus, Rating, ReturnStatus, Review, SellerNextAction, ShopId, Timestamp,
    TrackingEvent, TrackingStage,
};

/// A UTC instant `seconds` after the Unix epoch.
pub fn ts(seconds: i64) -> Timestamp {
    chrono::DateTime::from_timestamp(seconds, 0).expect("test times are in range")
}

/// An order awaiting shipment with `line_item_count` line items, versioned by `update_time`.
pub fn order(id: &str, shop_id: &str, update_time: i64, line_item_count: usize) -> Order {
    Order {
        id: OrderId::new(id),
        shop_id: ShopId::new(shop_id),
        status: OrderStatus::AwaitingShipment,
        buyer: BuyerId::new(format!("buyer-{id}")),
        create_time: ts(1_700_000_000),
        update_time: ts(update_time),
        paid_time: Some(ts(1_700_000_060)),
        ship_by_time: Some(ts(1_700_172_800)),
        shipped_time: None,
        delivery_time: None,
        total: Some(Money::parse("25.90", "USD").expect("valid money")),
        cancel_reason: None,
        cancellation_initiator: None,
        shipping_provider: Some("USPS".to_owned()),
        tracking_number: None,
        is_replacement_order: false,
        line_items: (0..line_item_count)
            .map(|index| LineItem {
                id: format!("{id}-{index}").into(),
                product_id: "1729000000000000001".into(),
                sku_id: format!("17290000000000001{:02}", index % 3).into(),
                product_name: "Ceramic pour-over kettle".to_owned(),
                sku_name: "Matte black".to_owned(),
                seller_sku: format!("KETTLE-{index}"),
                sale_price: Some(Money::parse("12.95", "USD").expect("valid money")),
                package_id: Some(PackageId::new(format!("pkg-{id}"))),
                package_status: Some(PackageStatus::ToFulfill),
                display_status: Some("AWAITING_SHIPMENT".to_owned()),
            })
            .collect(),
        package_ids: vec![PackageId::new(format!("pkg-{id}"))],
    }
}

/// A case with next actions due at the given times (seconds).
pub fn case(
    id: &str,
    shop_id: &str,
    status: ReturnStatus,
    update_time: i64,
    deadlines: &[i64],
) -> AfterSalesCase {
    AfterSalesCase {
        id: id.into(),
        shop_id: ShopId::new(shop_id),
        order_id: format!("order-of-{id}").into(),
        kind: AfterSalesKind::ReturnAndRefund,
        status,
        arbitration_status: None,
        role: None,
        reason: Some("Item damaged".to_owned()),
        reason_text: Some("Arrived with a cracked lid".to_owned()),
        refund_total: Some(Money::parse("12.95", "USD").expect("valid money")),
        next_actions: deadlines
            .iter()
            .map(|&deadline| SellerNextAction {
                action: "SELLER_RESPOND_RETURN".to_owned(),
                deadline: Some(ts(deadline)),
            })
            .collect(),
        line_items: Vec::new(),
        return_tracking_number: None,
        create_time: ts(1_700_000_000),
        update_time: ts(update_time),
    }
}

pub fn review(id: &str, shop_id: &str, stars: i64, created_at: i64) -> Review {
    Review {
        id: id.into(),
        shop_id: ShopId::new(shop_id),
        order_id: Some(OrderId::new(format!("order-of-{id}"))),
        product_id: Some("1729000000000000001".into()),
        sku_id: None,
        rating: Rating::new(stars).expect("stars in 1..=5"),
        text: format!("{stars} stars from review {id}"),
        created_at: ts(created_at),
        source: "csv".to_owned(),
    }
}

/// Tracking events at the given (seconds, description) points.
pub fn tracking_events(order_id: &str, scans: &[(i64, &str)]) -> Vec<TrackingEvent> {
    scans
        .iter()
        .map(|&(time, description)| TrackingEvent {
            order_id: OrderId::new(order_id),
            description: description.to_owned(),
            stage: TrackingStage::from_description(description),
            time: ts(time),
        })
        .collect()
}
