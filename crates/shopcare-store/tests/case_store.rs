//! Contract tests for [`CaseStore`]: the case event log, the seller-action outbox, evidence,
//! warnings and observations behave the same on SQLite (always) and PostgreSQL (when
//! `SHOPCARE_TEST_POSTGRES_URL` is set).

mod contract_suite;

use contract_suite::fixtures::{case, ts};
use contract_suite::TestDb;
use shopcare_core::{CancelStatus, Cancellation, Money, ReturnStatus, SellerNextAction, ShopId};
use shopcare_store::{
    CaseActionState, CaseEvidence, CaseIdFilter, CaseObservation, NewCaseAction, NewCaseEvent,
    Record, Store,
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
    events_append_in_time_order_and_derived_ones_deduplicate,
    a_repeated_command_returns_the_same_action,
    action_states_move_forward_and_confirmed_sticks,
    evidence_is_listed_per_case,
    each_warning_is_recorded_once,
    case_ids_filter_by_shop_status_and_observation,
    open_cancellations_are_read_back_with_their_deadlines,
    queue_cases_bring_each_case_with_its_actions_events_and_evidence,
);

fn event(case_id: &str, at: i64, action: &str, dedupe_key: Option<&str>) -> NewCaseEvent {
    NewCaseEvent {
        case_id: case_id.to_owned(),
        shop_id: ShopId::new("shop-1"),
        at: ts(at),
        actor: "SELLER".to_owned(),
        action: action.to_owned(),
        detail: Some(r#"{"reason":"used item"}"#.to_owned()),
        evidence: vec!["img-1".to_owned(), "https://example.test/p.jpg".to_owned()],
        comment: Some("checked at the warehouse".to_owned()),
        dedupe_key: dedupe_key.map(str::to_owned),
    }
}

fn action(command_key: &str, action_id: &str) -> NewCaseAction {
    NewCaseAction {
        action_id: action_id.to_owned(),
        command_key: command_key.to_owned(),
        case_id: "case-1".to_owned(),
        shop_id: ShopId::new("shop-1"),
        action: "REJECT_RETURN".to_owned(),
        payload: r#"{"reject_reason":"used"}"#.to_owned(),
        requested_by: "ops".to_owned(),
        created_at: ts(1_700_000_100),
    }
}

async fn events_append_in_time_order_and_derived_ones_deduplicate(store: Arc<dyn Store>) {
    let added = store
        .append_case_events(&[
            event("case-1", 300, "rejected", None),
            event("case-1", 100, "opened", Some("opened:case-1")),
            event("case-2", 200, "opened", Some("opened:case-2")),
        ])
        .await
        .unwrap();
    assert_eq!(added, vec![true, true, true]);
    let replay = store
        .append_case_events(&[
            event("case-1", 100, "opened", Some("opened:case-1")),
            event("case-1", 300, "rejected", None),
        ])
        .await
        .unwrap();
    assert_eq!(
        replay,
        vec![false, true],
        "only keyed events are deduplicated"
    );
    let events = store.case_events("case-1").await.unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.event.action.as_str()).collect();
    assert_eq!(actions, vec!["opened", "rejected", "rejected"]);
    assert_eq!(
        events[0].event,
        event("case-1", 100, "opened", Some("opened:case-1"))
    );
    assert_eq!(
        store
            .count_case_events(&ShopId::new("shop-1"), "opened")
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        store
            .count_case_events(&ShopId::new("shop-2"), "opened")
            .await
            .unwrap(),
        0
    );
}

async fn a_repeated_command_returns_the_same_action(store: Arc<dyn Store>) {
    let (first, new) = store
        .create_case_action(&action("cmd-1", "uuid-a"))
        .await
        .unwrap();
    assert!(new);
    assert_eq!(first.state, CaseActionState::Pending);
    assert_eq!(first.attempts, 0);
    // The same command with a fresh key maps to the stored action and its original key.
    let (again, new) = store
        .create_case_action(&action("cmd-1", "uuid-b"))
        .await
        .unwrap();
    assert!(!new);
    assert_eq!(again.action.action_id, "uuid-a");
    assert!(store.case_action("uuid-b").await.unwrap().is_none());
    let (_, new) = store
        .create_case_action(&action("cmd-2", "uuid-c"))
        .await
        .unwrap();
    assert!(new);
    let ids: Vec<String> = store
        .case_actions("case-1")
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action.action_id)
        .collect();
    assert_eq!(ids, vec!["uuid-a", "uuid-c"]);
}

async fn action_states_move_forward_and_confirmed_sticks(store: Arc<dyn Store>) {
    store
        .create_case_action(&action("cmd-1", "uuid-a"))
        .await
        .unwrap();
    store
        .update_case_action("uuid-a", CaseActionState::Pending, Some("HTTP 503"), ts(10))
        .await
        .unwrap();
    let stored = store.case_action("uuid-a").await.unwrap().unwrap();
    assert_eq!(
        (stored.state, stored.attempts),
        (CaseActionState::Pending, 1)
    );
    assert_eq!(stored.last_error.as_deref(), Some("HTTP 503"));
    store
        .update_case_action("uuid-a", CaseActionState::Sent, None, ts(20))
        .await
        .unwrap();
    let stored = store.case_action("uuid-a").await.unwrap().unwrap();
    assert_eq!((stored.state, stored.attempts), (CaseActionState::Sent, 2));
    assert_eq!(stored.sent_at, Some(ts(20)));
    assert_eq!(stored.last_error, None);
    store
        .update_case_action("uuid-a", CaseActionState::Confirmed, None, ts(30))
        .await
        .unwrap();
    store
        .update_case_action("uuid-a", CaseActionState::Failed, Some("late"), ts(40))
        .await
        .unwrap();
    let stored = store.case_action("uuid-a").await.unwrap().unwrap();
    assert_eq!(stored.state, CaseActionState::Confirmed);
    assert_eq!(stored.settled_at, Some(ts(30)));
    assert_eq!(stored.sent_at, Some(ts(20)));
}

async fn evidence_is_listed_per_case(store: Arc<dyn Store>) {
    let photo = CaseEvidence {
        case_id: "case-1".to_owned(),
        shop_id: ShopId::new("shop-1"),
        kind: "photo".to_owned(),
        reference: "img-77".to_owned(),
        note: Some("scratch on the lid".to_owned()),
        added_by: "ops".to_owned(),
        added_at: ts(50),
    };
    let scan = CaseEvidence {
        kind: "tracking_scan".to_owned(),
        reference: "https://carrier.test/scan/1".to_owned(),
        note: None,
        added_at: ts(60),
        ..photo.clone()
    };
    store.add_case_evidence(&scan).await.unwrap();
    store.add_case_evidence(&photo).await.unwrap();
    assert_eq!(
        store.case_evidence("case-1").await.unwrap(),
        vec![photo, scan]
    );
    assert!(store.case_evidence("case-2").await.unwrap().is_empty());
}

async fn each_warning_is_recorded_once(store: Arc<dyn Store>) {
    assert!(store
        .record_case_warning("case-1", 720, ts(1000), ts(1))
        .await
        .unwrap());
    assert!(!store
        .record_case_warning("case-1", 720, ts(1000), ts(2))
        .await
        .unwrap());
    assert!(store
        .record_case_warning("case-1", 120, ts(1000), ts(3))
        .await
        .unwrap());
    // A new deadline (a new stage) warns again.
    assert!(store
        .record_case_warning("case-1", 720, ts(5000), ts(4))
        .await
        .unwrap());
}

async fn case_ids_filter_by_shop_status_and_observation(store: Arc<dyn Store>) {
    store
        .apply(
            &[
                Record::Case(case(
                    "c-1",
                    "shop-1",
                    ReturnStatus::RequestPending,
                    1_700_000_100,
                    &[],
                )),
                Record::Case(case(
                    "c-2",
                    "shop-1",
                    ReturnStatus::RequestComplete,
                    1_700_000_100,
                    &[],
                )),
                Record::Case(case(
                    "c-3",
                    "shop-2",
                    ReturnStatus::RequestPending,
                    1_700_000_100,
                    &[],
                )),
            ],
            None,
        )
        .await
        .unwrap();
    let all = store.case_ids(&CaseIdFilter::default()).await.unwrap();
    assert_eq!(all, vec!["c-1", "c-2", "c-3"]);
    let open_in_shop_1 = store
        .case_ids(&CaseIdFilter {
            shops: Some(vec![ShopId::new("shop-1")]),
            exclude_statuses: vec![ReturnStatus::RequestComplete.as_str().to_owned()],
            only_unobserved: false,
        })
        .await
        .unwrap();
    assert_eq!(open_in_shop_1, vec!["c-1"]);
    let none = store
        .case_ids(&CaseIdFilter {
            shops: Some(Vec::new()),
            ..CaseIdFilter::default()
        })
        .await
        .unwrap();
    assert!(none.is_empty());

    let observation = CaseObservation {
        case_id: "c-1".to_owned(),
        shop_id: ShopId::new("shop-1"),
        status: ReturnStatus::RequestPending.as_str().to_owned(),
        seller_due_at: Some(ts(1_700_100_000)),
        observed_at: ts(1_700_000_200),
    };
    store.save_case_observation(&observation).await.unwrap();
    assert_eq!(
        store.case_observation("c-1").await.unwrap(),
        Some(observation.clone())
    );
    let unobserved = CaseIdFilter {
        only_unobserved: true,
        ..CaseIdFilter::default()
    };
    assert_eq!(
        store.case_ids(&unobserved).await.unwrap(),
        vec!["c-2", "c-3"]
    );
    // A newer status from a sync makes the case unobserved again.
    store
        .apply(
            &[Record::Case(case(
                "c-1",
                "shop-1",
                ReturnStatus::RequestSuccess,
                1_700_000_300,
                &[],
            ))],
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        store.case_ids(&unobserved).await.unwrap(),
        vec!["c-1", "c-2", "c-3"]
    );
}

fn cancellation(id: &str, shop: &str, status: CancelStatus, created: i64) -> Cancellation {
    Cancellation {
        id: id.into(),
        shop_id: ShopId::new(shop),
        order_id: format!("order-of-{id}").into(),
        cancel_type: "BUYER_CANCEL".to_owned(),
        status,
        role: None,
        reason: Some("Ordered by mistake".to_owned()),
        reason_text: Some("Wrong size picked".to_owned()),
        refund_total: Some(Money::parse("19.90", "USD").expect("money")),
        next_actions: vec![SellerNextAction {
            action: "SELLER_RESPOND_CANCEL".to_owned(),
            deadline: Some(ts(created + 172_800)),
        }],
        create_time: ts(created),
        update_time: ts(created + 10),
    }
}

async fn open_cancellations_are_read_back_with_their_deadlines(store: Arc<dyn Store>) {
    let pending = cancellation("x-2", "shop-1", CancelStatus::Pending, 1_700_000_000);
    store
        .apply(
            &[
                Record::Cancellation(pending.clone()),
                Record::Cancellation(cancellation(
                    "x-1",
                    "shop-1",
                    CancelStatus::Other("CANCELLATION_REQUEST_NEW_STATE".to_owned()),
                    1_699_000_000,
                )),
                Record::Cancellation(cancellation(
                    "x-3",
                    "shop-1",
                    CancelStatus::Success,
                    1_700_000_000,
                )),
                Record::Cancellation(cancellation(
                    "x-4",
                    "shop-2",
                    CancelStatus::Pending,
                    1_700_000_000,
                )),
            ],
            None,
        )
        .await
        .unwrap();
    // Unknown statuses stay visible; final ones leave; oldest first.
    assert_eq!(
        store.open_cancellation_ids(None).await.unwrap(),
        vec!["x-1", "x-2", "x-4"]
    );
    assert_eq!(
        store
            .open_cancellation_ids(Some(&[ShopId::new("shop-1")]))
            .await
            .unwrap(),
        vec!["x-1", "x-2"]
    );
    assert!(store
        .open_cancellation_ids(Some(&[]))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(store.get_cancellation("x-2").await.unwrap(), Some(pending));
    assert_eq!(store.get_cancellation("nope").await.unwrap(), None);

    assert_eq!(store.unobserved_cancellation_ids().await.unwrap().len(), 4);
    store
        .save_case_observation(&CaseObservation {
            case_id: "x-2".to_owned(),
            shop_id: ShopId::new("shop-1"),
            status: CancelStatus::Pending.as_str().to_owned(),
            seller_due_at: None,
            observed_at: ts(1_700_000_200),
        })
        .await
        .unwrap();
    assert_eq!(
        store.unobserved_cancellation_ids().await.unwrap(),
        vec!["x-1", "x-3", "x-4"]
    );
}

async fn queue_cases_bring_each_case_with_its_actions_events_and_evidence(store: Arc<dyn Store>) {
    let pending = case(
        "q-1",
        "shop-1",
        ReturnStatus::RequestPending,
        1_700_000_100,
        &[1_700_100_000, 1_700_200_000],
    );
    store
        .apply(
            &[
                Record::Case(pending.clone()),
                Record::Case(case(
                    "q-2",
                    "shop-1",
                    ReturnStatus::RequestComplete,
                    1_700_000_100,
                    &[],
                )),
                Record::Case(case(
                    "q-3",
                    "shop-2",
                    ReturnStatus::BuyerShippedItem,
                    1_700_000_100,
                    &[],
                )),
            ],
            None,
        )
        .await
        .unwrap();
    store
        .append_case_events(&[
            event("q-1", 200, "opened", Some("opened:q-1")),
            event("q-1", 100, "status_changed", None),
            event("q-3", 100, "opened", None),
        ])
        .await
        .unwrap();
    store
        .add_case_evidence(&CaseEvidence {
            case_id: "q-1".to_owned(),
            shop_id: ShopId::new("shop-1"),
            kind: "item_photos".to_owned(),
            reference: "img-9".to_owned(),
            note: None,
            added_by: "ops".to_owned(),
            added_at: ts(1_700_000_300),
        })
        .await
        .unwrap();

    let queue = store
        .queue_cases(&CaseIdFilter {
            exclude_statuses: vec![ReturnStatus::RequestComplete.as_str().to_owned()],
            ..CaseIdFilter::default()
        })
        .await
        .unwrap();
    let ids: Vec<&str> = queue.iter().map(|open| open.case.id.as_str()).collect();
    assert_eq!(ids, vec!["q-1", "q-3"]);
    let first = &queue[0];
    assert_eq!(
        first.case.next_actions, pending.next_actions,
        "both deadlines, in order"
    );
    assert_eq!(first.case.refund_total, pending.refund_total);
    let actions: Vec<&str> = first
        .events
        .iter()
        .map(|stored| stored.event.action.as_str())
        .collect();
    assert_eq!(actions, vec!["status_changed", "opened"], "in time order");
    assert_eq!(first.evidence.len(), 1);
    assert_eq!(first.evidence[0].reference, "img-9");
    assert_eq!(queue[1].events.len(), 1);
    assert!(queue[1].evidence.is_empty());

    let shop_two = store
        .queue_cases(&CaseIdFilter {
            shops: Some(vec![ShopId::new("shop-2")]),
            ..CaseIdFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(shop_two.len(), 1);
    assert_eq!(shop_two[0].case.id.as_str(), "q-3");
    // The queue is the same as reading each case alone.
    let alone = store.get_case(&pending.id).await.unwrap().unwrap();
    assert_eq!(first.case.next_actions, alone.next_actions);
    assert_eq!(first.case.status, alone.status);
}
