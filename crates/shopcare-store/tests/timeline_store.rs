//! Contract tests for [`TimelineStore`]: settings, SKU settings, templates, the message
//! log (one row per order and trigger, states that only move from where they are) and the
//! order context reads, the same on SQLite (always) and PostgreSQL (when
//! `SHOPCARE_TEST_POSTGRES_URL` is set).

mod contract_suite;

use contract_suite::fixtures::{case, order, ts};
use contract_suite::TestDb;
use shopcare_core::timeline::{QuietHours, SkuSettings, TimelineSettings};
use shopcare_core::{
    AfterSalesKind, CancelStatus, Cancellation, Conversation, ConversationId, Message, MessageId,
    OrderId, ReturnStatus, SenderRole, ShopId, SkuId,
};
use shopcare_store::{
    Record, Store, TimelineMessageRecord, TimelineMessageState, TimelineTemplateRecord,
};
use std::sync::Arc;

macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let db = super::TestDb::sqlite();
                    super::$name(db.open().await).await;
                    db.cleanup().await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    let Some(db) = super::TestDb::postgres().await else { return };
                    super::$name(db.open().await).await;
                    db.cleanup().await;
                }
            )*
        }
    };
}

both_backends!(
    settings_round_trip_and_replace,
    sku_settings_and_templates_upsert_per_key,
    the_message_log_keeps_one_row_per_order_and_trigger,
    transitions_only_move_from_the_expected_state,
    order_context_reads_cases_cancellations_and_chat,
);

fn shop() -> ShopId {
    ShopId::new("shop-1")
}

async fn settings_round_trip_and_replace(store: Arc<dyn Store>) {
    assert_eq!(store.timeline_settings(&shop()).await.expect("read"), None);
    let mut settings = TimelineSettings::for_region("ID");
    settings.stall_hours = 60;
    settings.quiet_hours = QuietHours::parse("22:30", "08:15").expect("valid");
    settings.tracking_link_pattern = Some("https://track.example/{tracking_number}".into());
    store
        .save_timeline_settings(&shop(), &settings, ts(1_700_000_000))
        .await
        .expect("save");
    assert_eq!(
        store.timeline_settings(&shop()).await.expect("read"),
        Some(settings.clone())
    );
    settings.enabled = false;
    settings
        .usage_window_days_by_category
        .insert("toys".into(), 5);
    store
        .save_timeline_settings(&shop(), &settings, ts(1_700_000_100))
        .await
        .expect("replace");
    assert_eq!(
        store.timeline_settings(&shop()).await.expect("read"),
        Some(settings)
    );
    assert_eq!(
        store
            .timeline_settings(&ShopId::new("other"))
            .await
            .expect("read"),
        None
    );
}

async fn sku_settings_and_templates_upsert_per_key(store: Arc<dyn Store>) {
    let serum = SkuSettings {
        sku_id: SkuId::new("sku-b"),
        category: Some("skincare".into()),
        common_confusion: None,
        help_message: false,
        depletion_cycle_days: Some(30),
    };
    let mut lamp = SkuSettings {
        sku_id: SkuId::new("sku-a"),
        category: None,
        common_confusion: Some("assembly".into()),
        help_message: true,
        depletion_cycle_days: None,
    };
    for sku in [&serum, &lamp] {
        store
            .save_timeline_sku_settings(&shop(), sku, ts(1_700_000_000))
            .await
            .expect("save sku");
    }
    lamp.help_message = false;
    store
        .save_timeline_sku_settings(&shop(), &lamp, ts(1_700_000_001))
        .await
        .expect("update sku");
    assert_eq!(
        store.timeline_sku_settings(&shop()).await.expect("read"),
        vec![lamp, serum]
    );

    let template = |trigger: &str, language: &str, body: &str| TimelineTemplateRecord {
        shop_id: shop(),
        trigger: trigger.into(),
        language: language.into(),
        body: body.into(),
        updated_at: ts(1_700_000_000),
    };
    store
        .save_timeline_template(&template("delivered", "en", "first"))
        .await
        .expect("save");
    store
        .save_timeline_template(&template("delivered", "th", "ส่งถึงแล้ว {item}"))
        .await
        .expect("save");
    store
        .save_timeline_template(&template("delivered", "en", "second {item}"))
        .await
        .expect("replace");
    let stored = store.timeline_templates(&shop()).await.expect("read");
    assert_eq!(
        stored,
        vec![
            template("delivered", "en", "second {item}"),
            template("delivered", "th", "ส่งถึงแล้ว {item}"),
        ]
    );
    assert!(store
        .timeline_templates(&ShopId::new("other"))
        .await
        .expect("read")
        .is_empty());
}

fn message(order_id: &str, trigger: &str, due: i64) -> TimelineMessageRecord {
    TimelineMessageRecord {
        order_id: OrderId::new(order_id),
        trigger: trigger.into(),
        shop_id: shop(),
        state: TimelineMessageState::Queued,
        due_at: ts(due),
        template_key: format!("{trigger}:en"),
        text: "Your parcel has arrived.".into(),
        reason: "delivered".into(),
        conversation_id: None,
        message_id: None,
        created_at: ts(1_700_000_000),
        updated_at: ts(1_700_000_000),
    }
}

async fn the_message_log_keeps_one_row_per_order_and_trigger(store: Arc<dyn Store>) {
    assert!(store
        .record_timeline_message(&message("o-1", "delivered", 200))
        .await
        .expect("insert"));
    let mut again = message("o-1", "delivered", 999);
    again.text = "a different text".into();
    assert!(!store
        .record_timeline_message(&again)
        .await
        .expect("duplicate"));
    assert!(store
        .record_timeline_message(&message("o-1", "review_request", 100))
        .await
        .expect("other trigger"));
    assert!(store
        .record_timeline_message(&message("o-2", "delivered", 150))
        .await
        .expect("other order"));
    let stored = store
        .timeline_message(&OrderId::new("o-1"), "delivered")
        .await
        .expect("read")
        .expect("present");
    assert_eq!(stored, message("o-1", "delivered", 200));
    let log = store.timeline_messages(Some(&shop())).await.expect("log");
    let keys: Vec<(&str, &str)> = log
        .iter()
        .map(|row| (row.order_id.as_str(), row.trigger.as_str()))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("o-1", "review_request"),
            ("o-2", "delivered"),
            ("o-1", "delivered")
        ]
    );
    assert_eq!(store.timeline_messages(None).await.expect("all").len(), 3);
    assert!(store
        .timeline_messages(Some(&ShopId::new("other")))
        .await
        .expect("none")
        .is_empty());
}

async fn transitions_only_move_from_the_expected_state(store: Arc<dyn Store>) {
    let order_id = OrderId::new("o-1");
    store
        .record_timeline_message(&message("o-1", "delivered", 200))
        .await
        .expect("insert");
    let moved = store
        .transition_timeline_message(
            &order_id,
            "delivered",
            TimelineMessageState::Queued,
            TimelineMessageState::Sending,
            None,
            Some("conv-9"),
            None,
            ts(1_700_000_300),
        )
        .await
        .expect("to sending");
    assert!(moved);
    // A second worker holding a stale view cannot take it again.
    let again = store
        .transition_timeline_message(
            &order_id,
            "delivered",
            TimelineMessageState::Queued,
            TimelineMessageState::Sending,
            None,
            None,
            None,
            ts(1_700_000_301),
        )
        .await
        .expect("no-op");
    assert!(!again);
    assert!(store
        .transition_timeline_message(
            &order_id,
            "delivered",
            TimelineMessageState::Sending,
            TimelineMessageState::Sent,
            None,
            None,
            Some("msg-1"),
            ts(1_700_000_302),
        )
        .await
        .expect("to sent"));
    let stored = store
        .timeline_message(&order_id, "delivered")
        .await
        .expect("read")
        .expect("present");
    assert_eq!(stored.state, TimelineMessageState::Sent);
    assert_eq!(stored.conversation_id.as_deref(), Some("conv-9"));
    assert_eq!(stored.message_id.as_deref(), Some("msg-1"));
    assert_eq!(
        stored.reason, "delivered",
        "a NULL reason keeps the old one"
    );
    assert_eq!(stored.updated_at, ts(1_700_000_302));
    assert!(store
        .timeline_message(&order_id, "review_request")
        .await
        .expect("read")
        .is_none());
}

async fn order_context_reads_cases_cancellations_and_chat(store: Arc<dyn Store>) {
    let mut first = order("o-1", "shop-1", 1_700_000_500, 1);
    first.create_time = ts(1_700_000_000);
    let mut old = order("o-old", "shop-1", 1_600_000_000, 1);
    old.create_time = ts(1_600_000_000);
    let other_shop = order("o-x", "shop-2", 1_700_000_500, 1);
    let mut refund = case(
        "c-1",
        "shop-1",
        ReturnStatus::RequestPending,
        1_700_000_600,
        &[],
    );
    refund.order_id = OrderId::new("o-1");
    refund.kind = AfterSalesKind::Refund;
    let cancellation = Cancellation {
        id: "cancel-1".into(),
        shop_id: shop(),
        order_id: OrderId::new("o-1"),
        cancel_type: "BUYER_CANCEL".into(),
        status: CancelStatus::Pending,
        role: None,
        reason: None,
        reason_text: None,
        refund_total: None,
        next_actions: Vec::new(),
        create_time: ts(1_700_000_700),
        update_time: ts(1_700_000_700),
    };
    let conversation = Conversation {
        id: ConversationId::new("conv-1"),
        shop_id: shop(),
        buyer: Some(first.buyer.clone()),
        create_time: ts(1_700_000_100),
        update_time: ts(1_700_000_800),
    };
    let chat = |index: i64, role: SenderRole| Message {
        id: MessageId::new(format!("m-{index}")),
        conversation_id: ConversationId::new("conv-1"),
        shop_id: shop(),
        index,
        sender_role: role,
        kind: "TEXT".into(),
        text: format!("message {index}"),
        create_time: ts(1_700_000_100 + index),
        is_visible: true,
    };
    store
        .apply(
            &[
                Record::Order(first.clone()),
                Record::Order(old),
                Record::Order(other_shop),
                Record::Case(refund),
                Record::Cancellation(cancellation),
                Record::Conversation(conversation),
                Record::Message(chat(1, SenderRole::Shop)),
                Record::Message(chat(2, SenderRole::Buyer)),
                Record::Message(chat(3, SenderRole::System)),
            ],
            None,
        )
        .await
        .expect("apply");

    let ids = store
        .timeline_order_ids(Some(&shop()), ts(1_699_000_000))
        .await
        .expect("ids");
    assert_eq!(ids, vec![OrderId::new("o-1")]);
    let all = store
        .timeline_order_ids(None, ts(1_699_000_000))
        .await
        .expect("ids");
    assert_eq!(all, vec![OrderId::new("o-1"), OrderId::new("o-x")]);

    let context = store
        .order_timeline_context(&OrderId::new("o-1"))
        .await
        .expect("context");
    assert_eq!(context.cases.len(), 1);
    assert_eq!(context.cases[0].kind, AfterSalesKind::Refund);
    assert_eq!(context.cases[0].status, ReturnStatus::RequestPending);
    assert_eq!(context.cancellations, vec![CancelStatus::Pending]);
    assert_eq!(context.conversation_id.as_deref(), Some("conv-1"));
    assert!(
        context.unresolved_chat,
        "the buyer spoke last (system notes aside)"
    );

    store
        .apply(
            &[Record::Message(chat(4, SenderRole::CustomerService))],
            None,
        )
        .await
        .expect("answer");
    let answered = store
        .order_timeline_context(&OrderId::new("o-1"))
        .await
        .expect("context");
    assert!(!answered.unresolved_chat);

    let empty = store
        .order_timeline_context(&OrderId::new("o-x"))
        .await
        .expect("context");
    assert_eq!(empty, Default::default());
}
