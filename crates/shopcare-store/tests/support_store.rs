//! Contract tests for [`SupportStore`]: tickets, chat reads, flags, saved replies, the reply
//! outbox and the VoC log behave the same on SQLite (always) and PostgreSQL (when
//! `SHOPCARE_TEST_POSTGRES_URL` is set).

mod contract_suite;

use contract_suite::fixtures::{case, order, review, ts};
use contract_suite::TestDb;
use shopcare_core::{
    BuyerId, Conversation, ConversationId, Message, MessageId, OrderId, ReturnStatus, SenderRole,
    ShopId,
};
use shopcare_store::{
    CaseObservation, ChatPeriodRecord, IssueReportRecord, MessageMarkRecord, NewSupportReply,
    Record, SavedReplyRecord, Store, SupportReplyState, TicketFilter, TicketRecord,
    TicketStepRecord, VocEntryRecord,
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
    tickets_are_created_once_replaced_on_save_and_filtered,
    chat_threads_hold_the_window_and_buyer_context_joins_orders_reviews_and_cases,
    flags_periods_blocks_and_marks_round_trip,
    saved_replies_are_listed_per_shop_with_the_shared_ones,
    a_repeated_reply_command_returns_the_same_reply_and_sent_sticks,
    issue_reports_deduplicate_and_voc_entries_round_trip,
);

fn ticket(conversation: &str, shop: &str, updated_at: i64) -> TicketRecord {
    TicketRecord {
        conversation_id: conversation.to_owned(),
        shop_id: ShopId::new(shop),
        buyer_id: Some("buyer-1".to_owned()),
        state: "open".to_owned(),
        category: None,
        suggested_category: Some("shipping".to_owned()),
        priority: "high".to_owned(),
        priority_reasons: vec!["negative_review".to_owned()],
        assigned_agent: None,
        order_id: Some("order-1".to_owned()),
        sku_id: None,
        root_cause_tag: None,
        checklist: Vec::new(),
        created_at: ts(1_700_000_000),
        updated_at: ts(updated_at),
    }
}

fn conversation(id: &str, shop: &str, buyer: &str, created: i64) -> Record {
    Record::Conversation(Conversation {
        id: ConversationId::new(id),
        shop_id: ShopId::new(shop),
        buyer: Some(BuyerId::new(buyer)),
        create_time: ts(created),
        update_time: ts(created),
    })
}

fn message(id: &str, conversation: &str, index: i64, role: SenderRole, at: i64) -> Record {
    Record::Message(Message {
        id: MessageId::new(id),
        conversation_id: ConversationId::new(conversation),
        shop_id: ShopId::new("shop-1"),
        index,
        sender_role: role,
        kind: "TEXT".to_owned(),
        text: format!("text of {id}"),
        create_time: ts(at),
        is_visible: index != 99,
    })
}

async fn tickets_are_created_once_replaced_on_save_and_filtered(store: Arc<dyn Store>) {
    store
        .apply(
            &[
                conversation("c1", "shop-1", "buyer-1", 1_700_000_000),
                conversation("c2", "shop-1", "buyer-2", 1_700_000_100),
                conversation("c3", "shop-2", "buyer-3", 1_700_000_200),
            ],
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        store.conversations_without_ticket(None, 10).await.unwrap(),
        vec!["c1", "c2", "c3"]
    );
    assert!(store
        .create_ticket(&ticket("c1", "shop-1", 1_700_000_500))
        .await
        .unwrap());
    let mut changed = ticket("c1", "shop-1", 1_700_000_900);
    changed.priority = "normal".to_owned();
    assert!(!store.create_ticket(&changed).await.unwrap());
    assert_eq!(
        store.ticket("c1").await.unwrap().unwrap().priority,
        "high",
        "create never overwrites"
    );
    changed.state = "solved".to_owned();
    changed.category = Some("product_issue".to_owned());
    changed.root_cause_tag = Some("fragile_part".to_owned());
    changed.assigned_agent = Some("ana".to_owned());
    changed.checklist = vec![TicketStepRecord {
        step: "acknowledge".to_owned(),
        done_at: ts(1_700_000_800),
        by: "ana".to_owned(),
        detail: Some("within 24 hours".to_owned()),
        skipped: false,
    }];
    store.save_ticket(&changed).await.unwrap();
    assert_eq!(store.ticket("c1").await.unwrap().unwrap(), changed);
    store
        .create_ticket(&ticket("c3", "shop-2", 1_700_000_600))
        .await
        .unwrap();

    assert_eq!(
        store
            .conversations_without_ticket(Some(&[ShopId::new("shop-1")]), 10)
            .await
            .unwrap(),
        vec!["c2"]
    );
    assert!(store
        .conversations_without_ticket(Some(&[]), 10)
        .await
        .unwrap()
        .is_empty());
    let all = store.list_tickets(&TicketFilter::default()).await.unwrap();
    let ids: Vec<&str> = all.iter().map(|t| t.conversation_id.as_str()).collect();
    assert_eq!(ids, vec!["c1", "c3"], "most recently updated first");
    let only_shop_2 = store
        .list_tickets(&TicketFilter {
            shops: Some(vec![ShopId::new("shop-2")]),
            state: None,
        })
        .await
        .unwrap();
    assert_eq!(only_shop_2.len(), 1);
    assert_eq!(only_shop_2[0].conversation_id, "c3");
    let solved = store
        .list_tickets(&TicketFilter {
            shops: None,
            state: Some("solved".to_owned()),
        })
        .await
        .unwrap();
    assert_eq!(solved.len(), 1);
    assert_eq!(solved[0].conversation_id, "c1");
    assert!(store.ticket("nope").await.unwrap().is_none());
}

async fn chat_threads_hold_the_window_and_buyer_context_joins_orders_reviews_and_cases(
    store: Arc<dyn Store>,
) {
    let mut buyer_order = order("o1", "shop-1", 1_700_000_500, 2);
    buyer_order.tracking_number = Some("TRK1".to_owned());
    let mut older = order("o0", "shop-1", 1_700_000_100, 1);
    older.buyer = buyer_order.buyer.clone();
    older.create_time = ts(1_600_000_000);
    let mut bad_review = review("r1", "shop-1", 2, 1_700_000_900);
    bad_review.order_id = Some(OrderId::new("o1"));
    let mut its_case = case("case-1", "shop-1", ReturnStatus::Other("X".into()), 1, &[]);
    its_case.order_id = OrderId::new("o1");
    its_case.status = ReturnStatus::parse("RETURN_OR_REFUND_REQUEST_PENDING");
    store
        .apply(
            &[
                Record::Order(buyer_order.clone()),
                Record::Order(older),
                Record::Review(bad_review),
                Record::Case(its_case),
                conversation("c1", "shop-1", "buyer-o1", 1_700_000_000),
                conversation("c2", "shop-1", "buyer-x", 1_700_000_000),
                message("m1", "c1", 1, SenderRole::Buyer, 1_700_000_000),
                message("m2", "c1", 2, SenderRole::Shop, 1_700_010_000),
                message("m3", "c1", 3, SenderRole::Buyer, 1_700_090_000),
                message("m4", "c2", 1, SenderRole::Buyer, 1_600_000_000),
                message("m5", "c1", 99, SenderRole::Robot, 1_700_020_000),
            ],
            None,
        )
        .await
        .unwrap();
    store
        .save_case_observation(&CaseObservation {
            case_id: "case-1".to_owned(),
            shop_id: ShopId::new("shop-1"),
            status: "RETURN_OR_REFUND_REQUEST_PENDING".to_owned(),
            seller_due_at: Some(ts(1_700_200_000)),
            observed_at: ts(1_700_100_000),
        })
        .await
        .unwrap();

    let threads = store
        .chat_threads(&ShopId::new("shop-1"), ts(1_699_999_000), ts(1_700_050_000))
        .await
        .unwrap();
    assert_eq!(threads.len(), 1, "c2 has no message in the window");
    let thread = &threads[0];
    assert_eq!(thread.conversation.buyer, Some(BuyerId::new("buyer-o1")));
    let ids: Vec<&str> = thread.messages.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(
        ids,
        vec!["m1", "m2", "m5"],
        "messages after `until` are left out"
    );
    assert_eq!(thread.messages[1].sender_role, SenderRole::Shop);
    assert!(!thread.messages[2].is_visible);

    let full = store.chat_thread("c1").await.unwrap().unwrap();
    assert_eq!(full.messages.len(), 4);
    assert!(store.chat_thread("none").await.unwrap().is_none());

    let context = store
        .buyer_context(&ShopId::new("shop-1"), "buyer-o1")
        .await
        .unwrap();
    assert_eq!(context.latest_order_id.as_deref(), Some("o1"));
    assert_eq!(context.tracking_number.as_deref(), Some("TRK1"));
    assert_eq!(context.carrier.as_deref(), Some("USPS"));
    assert_eq!(context.sku_id.as_deref(), Some("1729000000000000100"));
    assert_eq!(context.lowest_review_stars, Some(2));
    assert_eq!(
        context.cases,
        vec![(
            "case-1".to_owned(),
            "RETURN_OR_REFUND_REQUEST_PENDING".to_owned(),
            Some(ts(1_700_200_000))
        )]
    );
    let stranger = store
        .buyer_context(&ShopId::new("shop-2"), "buyer-o1")
        .await
        .unwrap();
    assert_eq!(stranger, Default::default(), "another shop sees nothing");
}

async fn flags_periods_blocks_and_marks_round_trip(store: Arc<dyn Store>) {
    let shop = ShopId::new("shop-1");
    let holiday = ChatPeriodRecord {
        shop_id: shop.clone(),
        kind: "holiday_mode".to_owned(),
        starts_at: ts(1_700_000_000),
        ends_at: Some(ts(1_700_100_000)),
    };
    let chatbot = ChatPeriodRecord {
        shop_id: shop.clone(),
        kind: "chatbot".to_owned(),
        starts_at: ts(1_600_000_000),
        ends_at: None,
    };
    store.add_chat_period(&holiday).await.unwrap();
    store.add_chat_period(&chatbot).await.unwrap();
    assert_eq!(
        store.chat_periods(&shop).await.unwrap(),
        vec![chatbot, holiday]
    );
    assert!(store
        .chat_periods(&ShopId::new("shop-2"))
        .await
        .unwrap()
        .is_empty());

    store
        .set_buyer_blocked(&shop, "troll", true, ts(1))
        .await
        .unwrap();
    store
        .set_buyer_blocked(&shop, "troll", true, ts(2))
        .await
        .unwrap();
    store
        .set_buyer_blocked(&shop, "other", true, ts(2))
        .await
        .unwrap();
    assert_eq!(
        store.blocked_buyers(&shop).await.unwrap(),
        vec!["other", "troll"]
    );
    store
        .set_buyer_blocked(&shop, "other", false, ts(3))
        .await
        .unwrap();
    assert_eq!(store.blocked_buyers(&shop).await.unwrap(), vec!["troll"]);

    let mark = |id: &str, mark: &str| MessageMarkRecord {
        message_id: id.to_owned(),
        shop_id: shop.clone(),
        mark: mark.to_owned(),
    };
    store
        .mark_messages(&[mark("m1", "broadcast"), mark("m2", "auto_reply")])
        .await
        .unwrap();
    store
        .mark_messages(&[mark("m1", "auto_reply")])
        .await
        .unwrap();
    assert_eq!(
        store.message_marks(&shop).await.unwrap(),
        vec![mark("m1", "broadcast"), mark("m2", "auto_reply")]
    );
}

async fn saved_replies_are_listed_per_shop_with_the_shared_ones(store: Arc<dyn Store>) {
    let reply = |id: &str, shop: Option<&str>, category: &str| SavedReplyRecord {
        reply_id: id.to_owned(),
        shop_id: shop.map(ShopId::new),
        name: format!("reply {id}"),
        category: category.to_owned(),
        language: "en".to_owned(),
        body: "We will reply within {response_hours} hours.".to_owned(),
        updated_by: "ana".to_owned(),
        updated_at: ts(1_700_000_000),
    };
    store
        .save_saved_reply(&reply("r1", Some("shop-1"), "usage"))
        .await
        .unwrap();
    store
        .save_saved_reply(&reply("r2", None, "shipping"))
        .await
        .unwrap();
    store
        .save_saved_reply(&reply("r3", Some("shop-2"), "shipping"))
        .await
        .unwrap();
    let mut edited = reply("r1", Some("shop-1"), "usage");
    edited.body = "Edited {item}".to_owned();
    store.save_saved_reply(&edited).await.unwrap();
    let listed = store.saved_replies(&ShopId::new("shop-1")).await.unwrap();
    let ids: Vec<&str> = listed.iter().map(|r| r.reply_id.as_str()).collect();
    assert_eq!(ids, vec!["r2", "r1"], "by category: shipping before usage");
    assert_eq!(listed[1], edited);
    assert_eq!(
        store.saved_reply("r2").await.unwrap().unwrap().shop_id,
        None
    );
    assert!(store.delete_saved_reply("r1").await.unwrap());
    assert!(!store.delete_saved_reply("r1").await.unwrap());
    assert!(store.saved_reply("r1").await.unwrap().is_none());
}

async fn a_repeated_reply_command_returns_the_same_reply_and_sent_sticks(store: Arc<dyn Store>) {
    let new_reply = NewSupportReply {
        reply_id: "reply-1".to_owned(),
        command_key: "c1:ana:abc".to_owned(),
        conversation_id: "c1".to_owned(),
        shop_id: ShopId::new("shop-1"),
        text: "We are on it and will answer within 24 hours.".to_owned(),
        agent: "ana".to_owned(),
        created_at: ts(1_700_000_000),
    };
    let (stored, new) = store.create_support_reply(&new_reply).await.unwrap();
    assert!(new);
    assert_eq!(stored.state, SupportReplyState::Pending);
    let mut again = new_reply.clone();
    again.reply_id = "reply-2".to_owned();
    let (stored, new) = store.create_support_reply(&again).await.unwrap();
    assert!(!new);
    assert_eq!(stored.reply.reply_id, "reply-1");

    store
        .update_support_reply(
            "reply-1",
            SupportReplyState::Pending,
            None,
            Some("timeout"),
            ts(1_700_000_010),
        )
        .await
        .unwrap();
    store
        .update_support_reply(
            "reply-1",
            SupportReplyState::Sent,
            Some("msg-9"),
            None,
            ts(1_700_000_020),
        )
        .await
        .unwrap();
    store
        .update_support_reply(
            "reply-1",
            SupportReplyState::Failed,
            None,
            Some("late"),
            ts(1_700_000_030),
        )
        .await
        .unwrap();
    let sent = store.support_reply("reply-1").await.unwrap().unwrap();
    assert_eq!(sent.state, SupportReplyState::Sent);
    assert_eq!(sent.message_id.as_deref(), Some("msg-9"));
    assert_eq!(sent.attempts, 2);
    assert_eq!(sent.sent_at, Some(ts(1_700_000_020)));
    assert_eq!(sent.last_error, None);
    assert_eq!(
        store.reply_agents(&ShopId::new("shop-1")).await.unwrap(),
        vec![("msg-9".to_owned(), "ana".to_owned())]
    );
    assert!(store
        .reply_agents(&ShopId::new("shop-2"))
        .await
        .unwrap()
        .is_empty());
}

async fn issue_reports_deduplicate_and_voc_entries_round_trip(store: Arc<dyn Store>) {
    let report = |source_id: &str, shop: &str, at: i64| IssueReportRecord {
        shop_id: ShopId::new(shop),
        reported_at: ts(at),
        category: "product_issue".to_owned(),
        root_cause: "fragile_part".to_owned(),
        sku_id: Some("sku-1".to_owned()),
        source: "chat".to_owned(),
        source_id: source_id.to_owned(),
    };
    let added = store
        .add_issue_reports(&[
            report("c1", "shop-1", 100),
            report("c2", "shop-1", 200),
            report("c1", "shop-1", 300),
            report("c9", "shop-2", 300),
        ])
        .await
        .unwrap();
    assert_eq!(added, 3);
    let shop_1 = store
        .issue_reports(Some(&[ShopId::new("shop-1")]), ts(150))
        .await
        .unwrap();
    assert_eq!(shop_1, vec![report("c2", "shop-1", 200)]);
    assert_eq!(store.issue_reports(None, ts(0)).await.unwrap().len(), 3);

    let entry = VocEntryRecord {
        entry_id: "voc-1".to_owned(),
        shop_id: ShopId::new("shop-1"),
        category: "product_issue".to_owned(),
        root_cause: "fragile_part".to_owned(),
        sku_ids: vec!["sku-1".to_owned(), "sku-2".to_owned()],
        fix_owner: Some("supplier".to_owned()),
        fix_shipped_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 3),
        note: Some("thicker hinge from batch 7".to_owned()),
        updated_at: ts(1_700_000_000),
    };
    store.save_voc_entry(&entry).await.unwrap();
    let mut unfixed = entry.clone();
    unfixed.entry_id = "voc-2".to_owned();
    unfixed.shop_id = ShopId::new("shop-2");
    unfixed.fix_owner = None;
    unfixed.fix_shipped_on = None;
    store.save_voc_entry(&unfixed).await.unwrap();
    assert_eq!(
        store
            .voc_entries(Some(&[ShopId::new("shop-1")]))
            .await
            .unwrap(),
        vec![entry]
    );
    assert_eq!(store.voc_entries(None).await.unwrap().len(), 2);
}
