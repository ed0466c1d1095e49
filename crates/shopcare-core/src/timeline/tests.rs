//! Planner tests: each trigger's moment, quiet hours, suppression and the guard.

use super::*;
use crate::{BuyerId, LineItem, LineItemId, ProductId, ShopId};
use chrono::{TimeZone, Timelike, Utc};
use proptest::prelude::*;

fn at(day: u32, hour: u32, minute: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 3, day, hour, minute, 0)
        .single()
        .expect("valid time")
}

fn line(sku: &str, product: &str) -> LineItem {
    LineItem {
        id: LineItemId::new(format!("L-{sku}")),
        product_id: ProductId::new(format!("P-{sku}")),
        sku_id: SkuId::new(sku),
        product_name: product.to_owned(),
        sku_name: "Blue".to_owned(),
        seller_sku: sku.to_owned(),
        sale_price: None,
        package_id: None,
        package_status: None,
        display_status: None,
    }
}

fn event(stage: TrackingStage, time: Timestamp) -> TrackingEvent {
    TrackingEvent {
        order_id: OrderId::new("O1"),
        description: stage.as_str().to_owned(),
        stage,
        time,
    }
}

/// An order paid 1 March 02:00 UTC (09:00 in Bangkok), label 2 March, first scan 3 March.
fn facts() -> OrderFacts {
    OrderFacts {
        order: Order {
            id: OrderId::new("O1"),
            shop_id: ShopId::new("S1"),
            status: OrderStatus::InTransit,
            buyer: BuyerId::new("B1"),
            create_time: at(1, 1, 55),
            update_time: at(3, 4, 0),
            paid_time: Some(at(1, 2, 0)),
            ship_by_time: None,
            shipped_time: Some(at(3, 4, 0)),
            delivery_time: None,
            total: None,
            cancel_reason: None,
            cancellation_initiator: None,
            shipping_provider: Some("Flash".to_owned()),
            tracking_number: Some("TH0001".to_owned()),
            is_replacement_order: false,
            line_items: vec![line("SKU-LAMP", "Desk lamp"), line("SKU-SERUM", "Serum")],
            package_ids: Vec::new(),
        },
        tracking: vec![
            event(TrackingStage::LabelCreated, at(2, 3, 0)),
            event(TrackingStage::PickedUp, at(3, 4, 0)),
        ],
        cases: Vec::new(),
        cancellations: Vec::new(),
        unresolved_chat: false,
        buyer_first_name: Some("Somchai".to_owned()),
        shop_name: "Lumen".to_owned(),
        market: "TH".to_owned(),
        buyer_time_zone: Tz::Asia__Bangkok,
    }
}

fn settings() -> TimelineSettings {
    let mut settings = TimelineSettings::for_region("TH");
    settings.language = "en".to_owned();
    settings
}

fn skus() -> BTreeMap<SkuId, SkuSettings> {
    let mut skus = BTreeMap::new();
    skus.insert(
        SkuId::new("SKU-LAMP"),
        SkuSettings {
            sku_id: SkuId::new("SKU-LAMP"),
            category: Some("electronics".to_owned()),
            common_confusion: Some("assembly".to_owned()),
            help_message: true,
            depletion_cycle_days: None,
        },
    );
    skus.insert(
        SkuId::new("SKU-SERUM"),
        SkuSettings {
            sku_id: SkuId::new("SKU-SERUM"),
            category: Some("skincare".to_owned()),
            common_confusion: None,
            help_message: false,
            depletion_cycle_days: Some(30),
        },
    );
    skus
}

fn plan(facts: &OrderFacts, now: Timestamp) -> OrderPlan {
    plan_order(facts, &settings(), &skus(), &ShopTemplates::default(), now)
}

fn delivered(mut facts: OrderFacts, time: Timestamp) -> OrderFacts {
    facts.order.status = OrderStatus::Delivered;
    facts.order.delivery_time = Some(time);
    facts.tracking.push(event(TrackingStage::Delivered, time));
    facts
}

#[test]
fn shipping_triggers_fire_at_their_events_outside_quiet_hours() {
    let early = plan(&facts(), at(1, 3, 0));
    let confirmation = early.message(Trigger::OrderConfirmation).expect("planned");
    // 02:00 UTC is 09:00 in Bangkok: the end of quiet hours, so unchanged.
    assert_eq!(confirmation.due_at, at(1, 2, 0));
    assert!(
        confirmation.text.contains("Desk lamp"),
        "{}",
        confirmation.text
    );
    assert!(confirmation.text.contains("2 days"));
    assert_eq!(confirmation.template_key, "order_confirmation:en");
    assert_eq!(confirmation.dedupe_key, "timeline:O1:order_confirmation");
    let plan = plan(&facts(), at(3, 5, 0));
    let label = plan.message(Trigger::LabelCreated).expect("label");
    assert_eq!(label.due_at, at(2, 3, 0));
    assert!(label.text.contains("TH0001"));
    assert_eq!(
        plan.message(Trigger::FirstCarrierScan)
            .expect("scan")
            .due_at,
        at(3, 4, 0)
    );
    assert!(plan.message(Trigger::Delivered).is_none());
    assert!(plan.message(Trigger::TrackingStalled).is_none());
}

#[test]
fn a_label_created_at_night_waits_for_the_morning_in_the_buyer_zone() {
    let mut facts = facts();
    // 16:30 UTC is 23:30 in Bangkok: quiet until 09:00 local = 02:00 UTC next day.
    facts.tracking[0].time = at(2, 16, 30);
    let plan = plan(&facts, at(3, 5, 0));
    let label = plan.message(Trigger::LabelCreated).expect("label");
    assert_eq!(label.eligible_at, at(2, 16, 30));
    assert_eq!(label.due_at, at(3, 2, 0));
}

#[test]
fn tracking_stalls_after_the_configured_hours_only() {
    let facts = facts();
    assert!(plan(&facts, at(5, 3, 59))
        .message(Trigger::TrackingStalled)
        .is_none());
    let stalled = plan(&facts, at(5, 4, 0));
    let message = stalled.message(Trigger::TrackingStalled).expect("stalled");
    assert_eq!(message.eligible_at, at(5, 4, 0));
    let mut longer = settings();
    longer.stall_hours = 72;
    let plan = plan_order(
        &facts,
        &longer,
        &skus(),
        &ShopTemplates::default(),
        at(5, 4, 0),
    );
    assert!(plan.message(Trigger::TrackingStalled).is_none());
}

#[test]
fn delivery_help_review_and_replenishment_follow_delivery() {
    let facts = delivered(facts(), at(6, 5, 0));
    let plan = plan(&facts, at(6, 6, 0));
    assert_eq!(
        plan.message(Trigger::Delivered).expect("delivered").due_at,
        at(6, 5, 0)
    );
    let help = plan.message(Trigger::HelpAfterDelivery).expect("help");
    assert_eq!(help.eligible_at, at(9, 5, 0));
    assert!(help.text.contains("assembly"), "{}", help.text);
    let review = plan.message(Trigger::ReviewRequest).expect("review");
    // The longest usage window of the order's SKUs: skincare, 14 days.
    assert_eq!(review.eligible_at, at(20, 5, 0));
    assert_eq!(review.template_key, "review_request:en");
    let refill = plan.message(Trigger::Replenishment).expect("refill");
    // 70 % of 30 days = 21 days.
    assert_eq!(refill.eligible_at, at(27, 5, 0));
    assert!(refill.text.contains("Serum"));
    // Delivered parcels never stall.
    assert!(plan.message(Trigger::TrackingStalled).is_none());
}

#[test]
fn help_is_only_for_flagged_skus() {
    let mut skus = skus();
    if let Some(lamp) = skus.get_mut(&SkuId::new("SKU-LAMP")) {
        lamp.help_message = false;
    }
    let facts = delivered(facts(), at(6, 5, 0));
    let plan = plan_order(
        &facts,
        &settings(),
        &skus,
        &ShopTemplates::default(),
        at(6, 6, 0),
    );
    assert!(plan.message(Trigger::HelpAfterDelivery).is_none());
}

#[test]
fn nothing_is_planned_after_a_cancellation_or_refund() {
    let mut cancelled = facts();
    cancelled.cancellations.push(CancelStatus::Pending);
    let plan = plan(&cancelled, at(3, 5, 0));
    assert!(plan.messages.is_empty());
    assert_eq!(plan.skipped.len(), 3, "{plan:?}");
    assert!(plan.skipped[0].reason.contains("cancellation"));

    let mut withdrawn = facts();
    withdrawn.cancellations.push(CancelStatus::Cancelled);
    // A withdrawn request stops nothing: label and first scan (confirmation is stale).
    assert_eq!(plan_order_count(&withdrawn), 2);

    let mut refunded = delivered(facts(), at(6, 5, 0));
    refunded.cases.push(CaseFact {
        kind: AfterSalesKind::Refund,
        status: ReturnStatus::RequestComplete,
    });
    let plan = self::plan(&refunded, at(6, 6, 0));
    assert!(plan.messages.is_empty(), "{plan:?}");

    let mut status_cancelled = facts();
    status_cancelled.order.status = OrderStatus::Cancelled;
    assert_eq!(plan_order_count(&status_cancelled), 0);
}

fn plan_order_count(facts: &OrderFacts) -> usize {
    plan(facts, at(3, 5, 0)).messages.len()
}

#[test]
fn review_request_waits_for_open_cases_and_unanswered_chats() {
    let mut with_case = delivered(facts(), at(6, 5, 0));
    with_case.cases.push(CaseFact {
        kind: AfterSalesKind::ReturnAndRefund,
        status: ReturnStatus::RequestPending,
    });
    let plan = plan(&with_case, at(20, 6, 0));
    assert!(plan.message(Trigger::ReviewRequest).is_none());
    assert!(plan
        .skipped(Trigger::ReviewRequest)
        .expect("skipped")
        .reason
        .contains("open"));
    assert!(plan
        .skipped(Trigger::HelpAfterDelivery)
        .expect("skipped")
        .reason
        .contains("open"));

    let mut with_chat = delivered(facts(), at(6, 5, 0));
    with_chat.unresolved_chat = true;
    let plan = self::plan(&with_chat, at(9, 6, 0));
    assert!(plan
        .skipped(Trigger::ReviewRequest)
        .expect("skipped")
        .reason
        .contains("unanswered"));
    assert!(plan.message(Trigger::HelpAfterDelivery).is_some());
}

#[test]
fn stale_moments_are_not_sent_late() {
    let plan = plan(&facts(), at(25, 0, 0));
    assert!(plan.message(Trigger::OrderConfirmation).is_none());
    assert!(plan
        .skipped(Trigger::OrderConfirmation)
        .expect("skipped")
        .reason
        .contains("too late"));
}

#[test]
fn shop_templates_replace_built_ins_and_blocked_texts_are_reported() {
    let mut templates = ShopTemplates::default();
    templates.insert(
        "en",
        validate_template(
            Trigger::Delivered,
            "Good news: {item} from {shop_name} arrived!",
        )
        .expect("valid"),
    );
    templates.insert(
        "en",
        validate_template(
            Trigger::ReviewRequest,
            "Leave us a 5-star review for {item} and get a free gift!",
        )
        .expect("valid syntax"),
    );
    let facts = delivered(facts(), at(6, 5, 0));
    let plan = plan_order(&facts, &settings(), &skus(), &templates, at(20, 6, 0));
    assert_eq!(
        plan.message(Trigger::Delivered).map(|m| m.text.as_str()),
        None,
        "delivered is stale on day 20"
    );
    let plan = plan_order(&facts, &settings(), &skus(), &templates, at(6, 6, 0));
    assert_eq!(
        plan.message(Trigger::Delivered)
            .unwrap_or_else(|| panic!("{plan:?}"))
            .text,
        "Good news: Desk lamp from Lumen arrived!"
    );
    let plan = plan_order(&facts, &settings(), &skus(), &templates, at(20, 6, 0));
    let blocked = plan.skipped(Trigger::ReviewRequest).expect("blocked");
    assert!(blocked.reason.contains("compliance"));
    assert!(!blocked.blocked_by.is_empty());
}

#[test]
fn settings_ranges_are_enforced() {
    let mut bad = settings();
    bad.stall_hours = 24;
    assert_eq!(bad.validate(), Err(TimelineError::StallHours(24)));
    let mut bad = settings();
    bad.help_day = 20;
    assert_eq!(bad.validate(), Err(TimelineError::HelpDay(20)));
    let mut bad = settings();
    bad.replenishment_percent = 90;
    assert_eq!(bad.validate(), Err(TimelineError::ReplenishmentPercent(90)));
    assert!(settings().validate().is_ok());
    assert!(Trigger::parse("delivery").is_err());
    assert_eq!(Trigger::parse("delivered"), Ok(Trigger::Delivered));
    assert!(QuietHours::parse("21:00", "9am").is_err());
}

#[test]
fn quiet_hours_that_do_not_cross_midnight_work_too() {
    let quiet = QuietHours::parse("12:00", "14:00").expect("valid");
    let zone = Tz::UTC;
    assert_eq!(after_quiet_hours(at(1, 12, 30), &quiet, zone), at(1, 14, 0));
    assert_eq!(after_quiet_hours(at(1, 14, 0), &quiet, zone), at(1, 14, 0));
    assert_eq!(
        after_quiet_hours(at(1, 11, 59), &quiet, zone),
        at(1, 11, 59)
    );
}

#[test]
fn quiet_hours_survive_a_daylight_saving_gap() {
    // Quiet until 02:30 local in New York on the spring-forward night (02:00–03:00 is missing).
    let quiet = QuietHours::parse("22:00", "02:30").expect("valid");
    let zone = Tz::America__New_York;
    let night = Utc
        .with_ymd_and_hms(2026, 3, 8, 5, 0, 0)
        .single()
        .expect("time");
    let due = after_quiet_hours(night, &quiet, zone);
    assert!(due > night);
    let local = due.with_timezone(&zone);
    assert!(local.hour() >= 3, "{local}");
}

proptest! {
    #[test]
    fn quiet_hours_never_move_back_nor_land_inside(
        minutes in 0i64..(60 * 24 * 400),
        start in 0u32..24,
        end in 0u32..24,
        zone_index in 0usize..4,
    ) {
        let zones = [Tz::Asia__Bangkok, Tz::America__Los_Angeles, Tz::Europe__Madrid, Tz::UTC];
        let zone = zones[zone_index];
        let quiet = QuietHours {
            start: NaiveTime::from_hms_opt(start, 0, 0).expect("hour"),
            end: NaiveTime::from_hms_opt(end, 0, 0).expect("hour"),
        };
        let time = at(1, 0, 0) + Duration::minutes(minutes);
        let due = after_quiet_hours(time, &quiet, zone);
        prop_assert!(due >= time);
        prop_assert!(due - time <= Duration::hours(25));
        prop_assert!(!quiet.contains(due.with_timezone(&zone).time()));
        if !quiet.contains(time.with_timezone(&zone).time()) {
            prop_assert_eq!(due, time);
        }
    }

    #[test]
    fn each_trigger_is_planned_at_most_once_and_due_after_eligible(
        hours in 0i64..(24 * 60),
        delivered_day in proptest::option::of(6u32..10),
    ) {
        let mut order = facts();
        if let Some(day) = delivered_day {
            order = delivered(order, at(day, 3, 0));
        }
        let now = at(1, 0, 0) + Duration::hours(hours);
        let plan = plan(&order, now);
        let mut seen = std::collections::BTreeSet::new();
        for message in &plan.messages {
            prop_assert!(seen.insert(message.trigger));
            prop_assert!(message.due_at >= message.eligible_at);
            prop_assert!(plan.skipped(message.trigger).is_none());
        }
    }

    #[test]
    fn rendering_a_valid_template_never_fails(text in "[a-z {}]{0,40}") {
        if let Ok(template) = validate_template(Trigger::Delivered, &text) {
            let rendered = template.render(&TemplateValues::default());
            let has_open_brace = rendered.contains('\u{7b}');
            let escaped = text.contains("\u{7b}\u{7b}");
            prop_assert!(!has_open_brace || escaped, "rendered {:?}", rendered);
        }
    }
}
