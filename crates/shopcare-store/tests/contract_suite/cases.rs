//! The contract cases. Each takes a fresh store (or its [`TestDb`] when it must look
//! underneath the store) and asserts behaviour every backend must share.

use super::fixtures::{case, order, review, tracking_events, ts};
use super::{Backend, TestDb};
use chrono::Duration;
use shopcare_core::{
    AfterSalesKind, CancelStatus, Cancellation, Conversation, Message, OrderStatus, Package,
    PackageStatus, Product, ReturnStatus, SenderRole, ShopId, Sku, TrackingStage,
};
use shopcare_store::{
    ApplyOutcome, InboundWebhook, JobClaim, JobCounts, NewJob, Record, ReviewFilter,
    SellerCredentials, Store, StoreError, SummaryOptions, SyncCheckpoint, SyncResource,
    WaitingCase,
};
use std::collections::HashSet;
use std::sync::Arc;

fn outcome(inserted: u64, updated: u64, unchanged: u64) -> ApplyOutcome {
    ApplyOutcome {
        inserted,
        updated,
        unchanged,
    }
}

fn new_job(key: &str, due_at: i64, max_attempts: u32) -> NewJob {
    NewJob {
        kind: "alert".to_owned(),
        dedupe_key: key.to_owned(),
        payload: format!("payload of {key}"),
        due_at: ts(due_at),
        max_attempts,
    }
}

fn job_claim(worker: &str, now: i64, lease_seconds: i64, limit: u32) -> JobClaim {
    JobClaim {
        worker: worker.to_owned(),
        now: ts(now),
        lease: Duration::seconds(lease_seconds),
        limit,
        kinds: None,
    }
}

fn webhook(notification_id: &str, body: &str) -> InboundWebhook {
    InboundWebhook {
        notification_id: notification_id.to_owned(),
        event_type: 1,
        shop_id: Some(ShopId::new("shop-1")),
        timestamp: Some(1_700_000_000),
        body: body.to_owned(),
        received_at: ts(1_700_000_005),
    }
}

pub async fn upserts_are_idempotent(store: Arc<dyn Store>) {
    let records: Vec<Record> = (0..50)
        .map(|index| {
            Record::Order(order(
                &format!("o{index}"),
                "shop-1",
                1_700_000_100,
                1 + index % 3,
            ))
        })
        .collect();
    assert_eq!(
        store.apply(&records, None).await.unwrap(),
        outcome(50, 0, 0)
    );
    assert_eq!(
        store.apply(&records, None).await.unwrap(),
        outcome(0, 0, 50)
    );
    let counts = store.entity_counts().await.unwrap();
    assert_eq!(counts.orders, 50);
    let stored = store.get_order(&"o4".into()).await.unwrap().unwrap();
    assert_eq!(stored, order("o4", "shop-1", 1_700_000_100, 2));
    assert_eq!(store.get_order(&"missing".into()).await.unwrap(), None);
}

pub async fn older_update_time_never_overwrites_newer(store: Arc<dyn Store>) {
    let mut newer = order("o1", "shop-1", 1_700_000_200, 3);
    newer.status = OrderStatus::InTransit;
    let mut older = order("o1", "shop-1", 1_700_000_100, 1);
    older.status = OrderStatus::AwaitingShipment;
    let mut same_time = newer.clone();
    same_time.status = OrderStatus::Delivered;

    assert_eq!(
        store
            .apply(&[Record::Order(newer.clone())], None)
            .await
            .unwrap(),
        outcome(1, 0, 0)
    );
    assert_eq!(
        store.apply(&[Record::Order(older)], None).await.unwrap(),
        outcome(0, 0, 1)
    );
    assert_eq!(
        store
            .apply(&[Record::Order(same_time)], None)
            .await
            .unwrap(),
        outcome(0, 0, 1)
    );
    assert_eq!(store.get_order(&"o1".into()).await.unwrap().unwrap(), newer);

    // A newer version replaces the row and its line items (3 become 1).
    let mut newest = order("o1", "shop-1", 1_700_000_300, 1);
    newest.status = OrderStatus::Delivered;
    newest.delivery_time = Some(ts(1_700_000_290));
    assert_eq!(
        store
            .apply(&[Record::Order(newest.clone())], None)
            .await
            .unwrap(),
        outcome(0, 1, 0)
    );
    assert_eq!(
        store.get_order(&"o1".into()).await.unwrap().unwrap(),
        newest
    );

    // The same guard holds for cases, and their next actions follow the winning version.
    let open = case(
        "c1",
        "shop-1",
        ReturnStatus::RequestPending,
        1_700_000_500,
        &[1_700_100_000],
    );
    let stale = case(
        "c1",
        "shop-1",
        ReturnStatus::RequestComplete,
        1_700_000_400,
        &[],
    );
    store
        .apply(&[Record::Case(open.clone()), Record::Case(stale)], None)
        .await
        .unwrap();
    assert_eq!(store.get_case(&"c1".into()).await.unwrap().unwrap(), open);
}

pub async fn unknown_enum_strings_round_trip_verbatim(store: Arc<dyn Store>) {
    let mut unusual = order("o1", "shop-1", 1_700_000_100, 1);
    unusual.status = OrderStatus::parse("AWAITING_PICKUP_V2");
    unusual.line_items[0].package_status = Some(PackageStatus::parse("HANDED_TO_DRONE"));
    let mut cancelled = order("o2", "shop-1", 1_700_000_100, 1);
    cancelled.status = OrderStatus::parse("CANCEL");
    let mut odd_case = case(
        "c1",
        "shop-1",
        ReturnStatus::parse("PARTIALLY_REFUNDED_V3"),
        1_700_000_100,
        &[],
    );
    odd_case.kind = AfterSalesKind::parse("PRICE_ADJUSTMENT");
    store
        .apply(
            &[
                Record::Order(unusual.clone()),
                Record::Order(cancelled),
                Record::Case(odd_case.clone()),
            ],
            None,
        )
        .await
        .unwrap();
    let stored = store.get_order(&"o1".into()).await.unwrap().unwrap();
    assert_eq!(stored.status.as_str(), "AWAITING_PICKUP_V2");
    assert!(!stored.status.is_known());
    assert_eq!(
        stored.line_items[0]
            .package_status
            .as_ref()
            .unwrap()
            .as_str(),
        "HANDED_TO_DRONE"
    );
    assert_eq!(stored, unusual);
    let stored = store.get_order(&"o2".into()).await.unwrap().unwrap();
    assert_eq!(stored.status, OrderStatus::Cancelled);
    let stored = store.get_case(&"c1".into()).await.unwrap().unwrap();
    assert_eq!(stored.status.as_str(), "PARTIALLY_REFUNDED_V3");
    assert_eq!(stored.kind.as_str(), "PRICE_ADJUSTMENT");
    assert_eq!(stored, odd_case);
}

pub async fn every_record_kind_round_trips(store: Arc<dyn Store>) {
    let shop = ShopId::new("shop-1");
    let package = Package {
        id: "pkg-1".into(),
        shop_id: shop.clone(),
        order_ids: vec!["o1".into(), "o2".into()],
        status: PackageStatus::Processing,
        tracking_number: Some("9400111".to_owned()),
        shipping_provider: Some("USPS".to_owned()),
        create_time: ts(1_700_000_000),
        update_time: ts(1_700_000_100),
    };
    let cancellation = Cancellation {
        id: "x1".into(),
        shop_id: shop.clone(),
        order_id: "o1".into(),
        cancel_type: "BUYER_CANCEL".to_owned(),
        status: CancelStatus::Pending,
        role: None,
        reason: Some("Changed my mind".to_owned()),
        reason_text: None,
        refund_total: None,
        next_actions: vec![shopcare_core::SellerNextAction {
            action: "SELLER_RESPOND_CANCEL".to_owned(),
            deadline: Some(ts(1_700_050_000)),
        }],
        create_time: ts(1_700_000_000),
        update_time: ts(1_700_000_100),
    };
    let conversation = Conversation {
        id: "conv-1".into(),
        shop_id: shop.clone(),
        buyer: Some("buyer-o1".into()),
        create_time: ts(1_700_000_000),
        update_time: ts(1_700_000_100),
    };
    let message = Message {
        id: "m1".into(),
        conversation_id: "conv-1".into(),
        shop_id: shop.clone(),
        index: 1,
        sender_role: SenderRole::Buyer,
        kind: "TEXT".to_owned(),
        text: "Where is my kettle?".to_owned(),
        create_time: ts(1_700_000_050),
        is_visible: true,
    };
    let product = Product {
        id: "p1".into(),
        shop_id: shop.clone(),
        title: "Ceramic pour-over kettle".to_owned(),
        status: "ACTIVATE".to_owned(),
        skus: vec![Sku {
            id: "sku-1".into(),
            seller_sku: "KETTLE-0".to_owned(),
            price: Some(shopcare_core::Money::parse("12.95", "USD").unwrap()),
        }],
        create_time: ts(1_700_000_000),
        update_time: ts(1_700_000_100),
    };
    let mut full_case = case(
        "c1",
        "shop-1",
        ReturnStatus::AwaitingBuyerShip,
        1_700_000_100,
        &[1_700_090_000],
    );
    full_case.line_items.push(shopcare_core::ReturnLineItem {
        id: "rli-1".to_owned(),
        order_line_item_id: "o1-0".to_owned(),
        sku_id: "sku-1".into(),
        product_name: "Ceramic pour-over kettle".to_owned(),
        refund_amount: Some(shopcare_core::Money::parse("12.95", "USD").unwrap()),
    });
    let events = tracking_events(
        "o1",
        &[
            (1_700_000_200, "Parcel picked up by carrier"),
            (1_700_000_900, "Departed sorting hub"),
        ],
    );
    let records = vec![
        Record::Order(order("o1", "shop-1", 1_700_000_100, 2)),
        Record::Package(package),
        Record::Tracking {
            order_id: "o1".into(),
            shop_id: shop.clone(),
            events: events.clone(),
        },
        Record::Case(full_case.clone()),
        Record::Cancellation(cancellation),
        Record::Conversation(conversation),
        Record::Message(message.clone()),
        Record::Product(product),
        Record::Review(review("r1", "shop-1", 4, 1_700_000_300)),
    ];
    assert_eq!(store.apply(&records, None).await.unwrap(), outcome(9, 0, 0));
    assert_eq!(store.apply(&records, None).await.unwrap(), outcome(0, 0, 9));
    let counts = store.entity_counts().await.unwrap();
    assert_eq!(
        (
            counts.orders,
            counts.packages,
            counts.tracking_events,
            counts.cases,
            counts.cancellations
        ),
        (1, 1, 2, 1, 1)
    );
    assert_eq!(
        (
            counts.conversations,
            counts.messages,
            counts.products,
            counts.reviews
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(
        store.get_case(&"c1".into()).await.unwrap().unwrap(),
        full_case
    );
    assert_eq!(store.tracking_events(&"o1".into()).await.unwrap(), events);

    // A recalled message is rewritten although messages carry no update time.
    let mut recalled = message;
    recalled.is_visible = false;
    assert_eq!(
        store
            .apply(&[Record::Message(recalled)], None)
            .await
            .unwrap(),
        outcome(0, 1, 0)
    );
}

pub async fn tracking_history_is_replaced_only_by_a_newer_one(store: Arc<dyn Store>) {
    let shop = ShopId::new("shop-1");
    let tracking = |scans: &[(i64, &str)]| Record::Tracking {
        order_id: "o1".into(),
        shop_id: shop.clone(),
        events: tracking_events("o1", scans),
    };
    let two = [(100, "Label created"), (200, "Departed sorting hub")];
    let three = [
        (100, "Label created"),
        (150, "Picked up"),
        (200, "Departed sorting hub"),
    ];
    let later = [(100, "Label created"), (300, "Delivered to recipient")];
    assert_eq!(
        store.apply(&[tracking(&two)], None).await.unwrap(),
        outcome(1, 0, 0)
    );
    // Same latest scan but more scans: a back-filled scan is accepted.
    assert_eq!(
        store.apply(&[tracking(&three)], None).await.unwrap(),
        outcome(0, 1, 0)
    );
    assert_eq!(
        store.apply(&[tracking(&two)], None).await.unwrap(),
        outcome(0, 0, 1)
    );
    assert_eq!(store.tracking_events(&"o1".into()).await.unwrap().len(), 3);
    assert_eq!(
        store.apply(&[tracking(&later)], None).await.unwrap(),
        outcome(0, 1, 0)
    );
    let stored = store.tracking_events(&"o1".into()).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(stored[1].stage, TrackingStage::Delivered);
}

pub async fn apply_and_checkpoint_commit_together(db: &TestDb) {
    let store = db.open().await;
    let shop = ShopId::new("shop-1");
    let checkpoint = |page: &str| SyncCheckpoint {
        shop_id: shop.clone(),
        resource: SyncResource::Orders,
        window_start: ts(1_700_000_000),
        window_end: ts(1_700_086_400),
        page_token: Some(page.to_owned()),
        synced_until: Some(ts(1_699_999_999)),
    };
    assert_eq!(
        store
            .sync_checkpoint(&shop, SyncResource::Orders)
            .await
            .unwrap(),
        None
    );
    store
        .apply(
            &[Record::Order(order("o1", "shop-1", 1_700_000_100, 1))],
            Some(&checkpoint("page-2")),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .sync_checkpoint(&shop, SyncResource::Orders)
            .await
            .unwrap(),
        Some(checkpoint("page-2"))
    );
    assert_eq!(
        store
            .sync_checkpoint(&shop, SyncResource::Returns)
            .await
            .unwrap(),
        None
    );

    // Make the database refuse one order, then send it after a good one.
    match db.backend {
        Backend::Sqlite => {
            db.raw_execute(
                "CREATE TRIGGER refuse_poison BEFORE INSERT ON orders
                 WHEN NEW.order_id = 'poison' BEGIN SELECT RAISE(ABORT, 'poison order'); END;",
            )
            .await
        }
        Backend::Postgres => {
            db.raw_execute(
                "CREATE FUNCTION refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN RAISE EXCEPTION 'poison order'; END $$;
                 CREATE TRIGGER refuse_poison BEFORE INSERT ON orders FOR EACH ROW
                 WHEN (NEW.order_id = 'poison') EXECUTE FUNCTION refuse_poison();",
            )
            .await
        }
    }
    let failed = store
        .apply(
            &[
                Record::Order(order("o2", "shop-1", 1_700_000_100, 2)),
                Record::Order(order("poison", "shop-1", 1_700_000_100, 1)),
            ],
            Some(&checkpoint("page-3")),
        )
        .await;
    assert!(matches!(failed, Err(StoreError::Database(_))), "{failed:?}");
    assert_eq!(store.get_order(&"o2".into()).await.unwrap(), None);
    assert_eq!(
        store
            .sync_checkpoint(&shop, SyncResource::Orders)
            .await
            .unwrap(),
        Some(checkpoint("page-2"))
    );
    // The store is still usable after the rolled-back batch.
    store
        .apply(
            &[Record::Order(order("o2", "shop-1", 1_700_000_100, 2))],
            Some(&checkpoint("page-3")),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .sync_checkpoint(&shop, SyncResource::Orders)
            .await
            .unwrap()
            .unwrap()
            .page_token
            .as_deref(),
        Some("page-3")
    );
}

pub async fn webhook_events_are_deduplicated_with_one_job_each(store: Arc<dyn Store>) {
    let first = webhook("n-1", r#"{"type":1,"first":true}"#);
    let duplicate = webhook("n-1", r#"{"type":1,"first":false}"#);
    let second = webhook("n-2", r#"{"type":1}"#);
    let new = store
        .record_webhook_events(&[first.clone(), duplicate.clone(), second])
        .await
        .unwrap();
    assert_eq!(new, vec![true, false, true]);
    assert_eq!(
        store.record_webhook_events(&[duplicate]).await.unwrap(),
        vec![false]
    );
    assert_eq!(store.webhook_event("n-1").await.unwrap(), Some(first));
    assert_eq!(store.webhook_event("n-9").await.unwrap(), None);
    assert_eq!(store.job_counts(None).await.unwrap().pending, 2);

    let mut claim = job_claim("worker-a", 1_700_000_005, 60, 10);
    claim.kinds = Some(vec![shopcare_store::WEBHOOK_JOB_KIND.to_owned()]);
    let jobs = store.claim_jobs(&claim).await.unwrap();
    let payloads: Vec<&str> = jobs.iter().map(|job| job.payload.as_str()).collect();
    assert_eq!(payloads, vec!["n-1", "n-2"]);
    assert_eq!(jobs[0].dedupe_key, shopcare_store::webhook_job_key("n-1"));
    assert_eq!(jobs[0].dedupe_key, "webhook:n-1");
}

pub async fn jobs_are_deduplicated_by_key(store: Arc<dyn Store>) {
    let new = store
        .enqueue_jobs(&[
            new_job("a", 100, 3),
            new_job("b", 100, 3),
            new_job("a", 50, 3),
        ])
        .await
        .unwrap();
    assert_eq!(new, vec![true, true, false]);
    assert_eq!(
        store.enqueue_jobs(&[new_job("b", 10, 3)]).await.unwrap(),
        vec![false]
    );
    // A finished job's key stays taken: at most one job per key, ever.
    let claimed = store
        .claim_jobs(&job_claim("w", 100, 60, 10))
        .await
        .unwrap();
    assert_eq!(claimed.len(), 2);
    assert!(store
        .complete_job(claimed[0].id, "w", ts(101))
        .await
        .unwrap());
    assert_eq!(
        store
            .enqueue_jobs(&[new_job(&claimed[0].dedupe_key, 200, 3)])
            .await
            .unwrap(),
        vec![false]
    );
    assert_eq!(
        store.job_counts(None).await.unwrap(),
        JobCounts {
            pending: 0,
            leased: 1,
            done: 1,
            dead: 0
        }
    );
}

pub async fn jobs_are_leased_and_reclaimed_after_expiry(store: Arc<dyn Store>) {
    store.enqueue_jobs(&[new_job("j", 1_000, 5)]).await.unwrap();
    assert!(
        store
            .claim_jobs(&job_claim("a", 999, 60, 10))
            .await
            .unwrap()
            .is_empty(),
        "not due yet"
    );
    let claimed = store
        .claim_jobs(&job_claim("a", 1_000, 60, 10))
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].attempts, 1);
    assert_eq!(claimed[0].payload, "payload of j");
    assert_eq!(claimed[0].due_at, ts(1_000));
    assert_eq!(store.job_counts(None).await.unwrap().leased, 1);
    assert!(
        store
            .claim_jobs(&job_claim("b", 1_030, 60, 10))
            .await
            .unwrap()
            .is_empty(),
        "lease held"
    );
    let reclaimed = store
        .claim_jobs(&job_claim("b", 1_061, 60, 10))
        .await
        .unwrap();
    assert_eq!(reclaimed.len(), 1);
    assert_eq!(reclaimed[0].id, claimed[0].id);
    assert_eq!(reclaimed[0].attempts, 2);
    assert!(
        !store
            .complete_job(claimed[0].id, "a", ts(1_062))
            .await
            .unwrap(),
        "lease lost"
    );
    assert!(
        !store
            .fail_job(claimed[0].id, "a", "late", None)
            .await
            .unwrap(),
        "lease lost"
    );
    assert!(store
        .complete_job(claimed[0].id, "b", ts(1_063))
        .await
        .unwrap());
    assert!(
        !store
            .complete_job(claimed[0].id, "b", ts(1_064))
            .await
            .unwrap(),
        "already done"
    );
    assert_eq!(
        store.job_counts(None).await.unwrap(),
        JobCounts {
            pending: 0,
            leased: 0,
            done: 1,
            dead: 0
        }
    );
}

pub async fn concurrent_claimers_never_share_a_job(store: Arc<dyn Store>) {
    let jobs: Vec<NewJob> = (0..300)
        .map(|index| new_job(&format!("k{index}"), 100, 3))
        .collect();
    store.enqueue_jobs(&jobs).await.unwrap();
    let mut workers = Vec::new();
    for worker in 0..4 {
        let store = store.clone();
        workers.push(tokio::spawn(async move {
            let mut mine = Vec::new();
            loop {
                let claimed = store
                    .claim_jobs(&job_claim(&format!("w{worker}"), 200, 600, 7))
                    .await
                    .unwrap();
                if claimed.is_empty() {
                    break;
                }
                mine.extend(claimed.into_iter().map(|job| job.id));
                tokio::task::yield_now().await;
            }
            mine
        }));
    }
    let mut seen = HashSet::new();
    let mut total = 0;
    for worker in workers {
        for id in worker.await.unwrap() {
            total += 1;
            assert!(seen.insert(id), "job {id} was handed to two workers");
        }
    }
    assert_eq!(total, 300);
    assert_eq!(store.job_counts(None).await.unwrap().leased, 300);
}

pub async fn failed_jobs_retry_then_die(store: Arc<dyn Store>) {
    store
        .enqueue_jobs(&[
            new_job("retry", 100, 2),
            new_job("fatal", 100, 5),
            new_job("crash", 100, 1),
        ])
        .await
        .unwrap();
    let claimed = store
        .claim_jobs(&job_claim("w", 100, 60, 10))
        .await
        .unwrap();
    let id_of = |key: &str| claimed.iter().find(|job| job.dedupe_key == key).unwrap().id;
    assert!(store
        .fail_job(id_of("retry"), "w", "timeout", Some(ts(150)))
        .await
        .unwrap());
    assert!(store
        .fail_job(id_of("fatal"), "w", "bad payload", None)
        .await
        .unwrap());
    assert!(
        !store
            .fail_job(id_of("retry"), "w", "twice", Some(ts(150)))
            .await
            .unwrap(),
        "no longer leased"
    );
    assert_eq!(
        store.job_counts(None).await.unwrap(),
        JobCounts {
            pending: 1,
            leased: 1,
            done: 0,
            dead: 1
        }
    );

    assert!(
        store
            .claim_jobs(&job_claim("w", 149, 60, 10))
            .await
            .unwrap()
            .is_empty(),
        "retry not due"
    );
    // "crash" had one attempt and its worker never came back: its expired lease buries it.
    let retried = store
        .claim_jobs(&job_claim("w", 200, 60, 10))
        .await
        .unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!(retried[0].dedupe_key, "retry");
    assert_eq!(retried[0].attempts, 2);
    assert_eq!(
        store.job_counts(None).await.unwrap(),
        JobCounts {
            pending: 0,
            leased: 1,
            done: 0,
            dead: 2
        }
    );
    // Out of attempts: dead even though a retry time was offered.
    assert!(store
        .fail_job(retried[0].id, "w", "timeout again", Some(ts(300)))
        .await
        .unwrap());
    assert!(store
        .claim_jobs(&job_claim("w", 400, 60, 10))
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store.job_counts(None).await.unwrap(),
        JobCounts {
            pending: 0,
            leased: 0,
            done: 0,
            dead: 3
        }
    );
}

fn credentials() -> SellerCredentials {
    SellerCredentials {
        open_id: "open-1".to_owned(),
        seller_name: "Kettle Co".to_owned(),
        base_region: "US".to_owned(),
        access_token: "ROW_access_PLAINTEXT_4f8a".to_owned(),
        access_token_expires_at: ts(1_700_600_000),
        refresh_token: "ROW_refresh_PLAINTEXT_91cc".to_owned(),
        refresh_token_expires_at: ts(1_730_000_000),
        shop_ids: vec!["shop-1".into(), "shop-2".into()],
    }
}

pub async fn tokens_are_encrypted_at_rest(db: &TestDb) {
    let store = db.open().await;
    let saved = credentials();
    store.save_seller_credentials(&saved).await.unwrap();
    let raw = db
        .raw_texts("SELECT access_token FROM seller_credentials UNION ALL SELECT refresh_token FROM seller_credentials")
        .await;
    assert_eq!(raw.len(), 2);
    for value in &raw {
        assert!(value.starts_with("v1:"), "{value}");
        assert!(
            !value.contains("PLAINTEXT"),
            "plaintext token in the database"
        );
    }
    let whole_rows = db
        .raw_texts("SELECT open_id || seller_name || access_token || refresh_token FROM seller_credentials")
        .await;
    assert!(!whole_rows[0].contains("PLAINTEXT"));

    assert_eq!(
        store.seller_credentials("open-1").await.unwrap(),
        Some(saved.clone())
    );
    assert_eq!(
        store.credentials_for_shop(&"shop-2".into()).await.unwrap(),
        Some(saved.clone())
    );
    assert_eq!(
        store.credentials_for_shop(&"shop-9".into()).await.unwrap(),
        None
    );
    assert_eq!(
        store.list_seller_credentials().await.unwrap(),
        vec![saved.clone()]
    );

    // Re-authorising with fewer shops moves the links.
    let mut narrower = saved.clone();
    narrower.shop_ids = vec!["shop-2".into()];
    narrower.access_token = "ROW_access_PLAINTEXT_new".to_owned();
    store.save_seller_credentials(&narrower).await.unwrap();
    assert_eq!(
        store.credentials_for_shop(&"shop-1".into()).await.unwrap(),
        None
    );
    assert_eq!(
        store.seller_credentials("open-1").await.unwrap(),
        Some(narrower)
    );

    drop(store);
    let wrong_key = shopcare_store::SecretKey::generate();
    let store = db.open_with_key(&wrong_key).await;
    assert!(matches!(
        store.seller_credentials("open-1").await,
        Err(StoreError::Decrypt)
    ));
}

pub async fn shop_summary_counts_a_hand_built_shop(store: Arc<dyn Store>) {
    let hour = 3_600;
    let now = 1_700_500_000;
    let mut records = vec![
        // Reviews: 3 in the last 24 h (2 negative), 1 older, 1 in another shop.
        Record::Review(review("r1", "shop-1", 1, now - hour)),
        Record::Review(review("r2", "shop-1", 2, now - 23 * hour)),
        Record::Review(review("r3", "shop-1", 5, now - 2 * hour)),
        Record::Review(review("r4", "shop-1", 1, now - 25 * hour)),
        Record::Review(review("r5", "shop-2", 1, now - hour)),
        // Cases: two open (one without deadline), one closed, one other shop.
        Record::Case(case(
            "c-late",
            "shop-1",
            ReturnStatus::AwaitingBuyerShip,
            now - hour,
            &[now + 48 * hour, now + 5 * hour],
        )),
        Record::Case(case(
            "c-soon",
            "shop-1",
            ReturnStatus::RequestPending,
            now - hour,
            &[now + 2 * hour],
        )),
        Record::Case(case(
            "c-none",
            "shop-1",
            ReturnStatus::BuyerShippedItem,
            now - hour,
            &[],
        )),
        Record::Case(case(
            "c-done",
            "shop-1",
            ReturnStatus::RequestComplete,
            now - hour,
            &[now + hour],
        )),
        Record::Case(case(
            "c-other",
            "shop-2",
            ReturnStatus::RequestPending,
            now - hour,
            &[now + hour],
        )),
    ];
    // Orders: ship-by in 5 h (risk), in 30 h (fine), 2 h ago (late), late but shipped,
    // late but in another status.
    let dispatch = |id: &str, ship_by: i64, shipped: bool, status: OrderStatus| {
        let mut order = order(id, "shop-1", now - hour, 1);
        order.ship_by_time = Some(ts(ship_by));
        order.shipped_time = shipped.then(|| ts(ship_by - hour));
        order.status = status;
        Record::Order(order)
    };
    records.push(dispatch(
        "o-risk",
        now + 5 * hour,
        false,
        OrderStatus::AwaitingShipment,
    ));
    records.push(dispatch(
        "o-partial",
        now + 20 * hour,
        false,
        OrderStatus::PartiallyShipping,
    ));
    records.push(dispatch(
        "o-fine",
        now + 30 * hour,
        false,
        OrderStatus::AwaitingShipment,
    ));
    records.push(dispatch(
        "o-late",
        now - 2 * hour,
        false,
        OrderStatus::AwaitingShipment,
    ));
    records.push(dispatch(
        "o-shipped",
        now - 2 * hour,
        true,
        OrderStatus::AwaitingShipment,
    ));
    records.push(dispatch(
        "o-transit",
        now - 80 * hour,
        true,
        OrderStatus::InTransit,
    ));
    records.push(dispatch(
        "o-done",
        now - 80 * hour,
        true,
        OrderStatus::Delivered,
    ));
    // Tracking: stalled 80 h, fresh 10 h, delivered long ago, order marked delivered.
    let shop = ShopId::new("shop-1");
    let tracking = |order_id: &str, time: i64, description: &str| Record::Tracking {
        order_id: order_id.into(),
        shop_id: shop.clone(),
        events: tracking_events(
            order_id,
            &[(time - hour, "Label created"), (time, description)],
        ),
    };
    records.push(tracking(
        "o-transit",
        now - 80 * hour,
        "Departed sorting hub",
    ));
    records.push(tracking("o-fresh", now - 10 * hour, "Departed sorting hub"));
    records.push(tracking(
        "o-arrived",
        now - 90 * hour,
        "Delivered to recipient",
    ));
    records.push(tracking("o-done", now - 90 * hour, "Arrived at facility"));
    store.apply(&records, None).await.unwrap();

    let summary = store
        .shop_summary(&shop, ts(now), &SummaryOptions::default())
        .await
        .unwrap();
    assert_eq!(summary.shop_id, shop);
    assert_eq!((summary.new_reviews, summary.new_negative_reviews), (3, 2));
    assert_eq!(
        (summary.orders_at_dispatch_risk, summary.orders_past_ship_by),
        (2, 1)
    );
    assert_eq!(summary.stalled_tracking, 1);
    assert_eq!(
        summary.waiting_cases,
        vec![
            WaitingCase {
                case_id: "c-soon".into(),
                kind: AfterSalesKind::ReturnAndRefund,
                status: ReturnStatus::RequestPending,
                deadline: Some(ts(now + 2 * hour))
            },
            WaitingCase {
                case_id: "c-late".into(),
                kind: AfterSalesKind::ReturnAndRefund,
                status: ReturnStatus::AwaitingBuyerShip,
                deadline: Some(ts(now + 5 * hour))
            },
            WaitingCase {
                case_id: "c-none".into(),
                kind: AfterSalesKind::ReturnAndRefund,
                status: ReturnStatus::BuyerShippedItem,
                deadline: None
            },
        ]
    );
    let wider = SummaryOptions {
        new_review_hours: 48,
        dispatch_risk_hours: 36,
        stalled_tracking_hours: 5,
        list_waiting_cases: false,
    };
    let summary = store.shop_summary(&shop, ts(now), &wider).await.unwrap();
    assert!(summary.waiting_cases.is_empty(), "asked not to list cases");
    assert_eq!((summary.new_reviews, summary.new_negative_reviews), (4, 3));
    assert_eq!(summary.orders_at_dispatch_risk, 3);
    assert_eq!(summary.stalled_tracking, 2);
}

pub async fn reviews_are_listed_by_filter(store: Arc<dyn Store>) {
    let records: Vec<Record> = [
        review("r1", "shop-1", 1, 1_000),
        review("r2", "shop-1", 5, 2_000),
        review("r3", "shop-2", 2, 3_000),
        review("r4", "shop-3", 4, 4_000),
    ]
    .into_iter()
    .map(Record::Review)
    .collect();
    store.apply(&records, None).await.unwrap();
    let ids = |reviews: Vec<shopcare_core::Review>| -> Vec<String> {
        reviews
            .into_iter()
            .map(|review| review.id.into_string())
            .collect()
    };
    assert_eq!(
        ids(store.list_reviews(&ReviewFilter::default()).await.unwrap()),
        ["r4", "r3", "r2", "r1"]
    );
    let negative_in_two_shops = ReviewFilter {
        shop_ids: Some(vec!["shop-1".into(), "shop-2".into()]),
        max_rating: Some(2),
        ..ReviewFilter::default()
    };
    assert_eq!(
        ids(store.list_reviews(&negative_in_two_shops).await.unwrap()),
        ["r3", "r1"]
    );
    let window = ReviewFilter {
        min_rating: Some(2),
        created_from: Some(ts(2_000)),
        created_before: Some(ts(4_000)),
        limit: Some(1),
        ..ReviewFilter::default()
    };
    assert_eq!(ids(store.list_reviews(&window).await.unwrap()), ["r3"]);
    let none = ReviewFilter {
        shop_ids: Some(vec![]),
        ..ReviewFilter::default()
    };
    assert!(store.list_reviews(&none).await.unwrap().is_empty());
    let stored = store
        .list_reviews(&ReviewFilter {
            shop_ids: Some(vec!["shop-3".into()]),
            ..ReviewFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(stored, vec![review("r4", "shop-3", 4, 4_000)]);
}

pub async fn shops_round_trip(store: Arc<dyn Store>) {
    let shop = |id: &str, name: &str| shopcare_core::Shop {
        id: id.into(),
        cipher: format!("cipher-{id}"),
        name: name.to_owned(),
        region: "TH".to_owned(),
        currency: shopcare_core::Currency::parse("THB").unwrap(),
        time_zone: chrono_tz::Asia::Bangkok,
    };
    store
        .upsert_shops(&[shop("s2", "Two"), shop("s1", "One")])
        .await
        .unwrap();
    store
        .upsert_shops(&[shop("s1", "One renamed")])
        .await
        .unwrap();
    assert_eq!(
        store.list_shops().await.unwrap(),
        vec![shop("s1", "One renamed"), shop("s2", "Two")]
    );
    assert_eq!(
        store.get_shop(&"s2".into()).await.unwrap(),
        Some(shop("s2", "Two"))
    );
    assert_eq!(store.get_shop(&"s3".into()).await.unwrap(), None);
}

pub async fn migrations_run_twice_are_a_no_op(db: &TestDb) {
    let store = db.open().await;
    store
        .apply(
            &[Record::Order(order("o1", "shop-1", 1_700_000_100, 2))],
            None,
        )
        .await
        .unwrap();
    drop(store);
    let migrations_sql =
        "SELECT CAST(version AS TEXT) || ':' || name || ':' || CAST(applied_at AS TEXT)
        FROM schema_migrations ORDER BY version";
    let applied = db.raw_texts(migrations_sql).await;
    assert!(applied[0].starts_with("1:0001_initial:"), "{applied:?}");
    // Two processes starting at once: both open, neither re-applies anything.
    let (first, second) = tokio::join!(db.open(), db.open());
    assert_eq!(
        first
            .get_order(&"o1".into())
            .await
            .unwrap()
            .unwrap()
            .line_items
            .len(),
        2
    );
    assert_eq!(second.entity_counts().await.unwrap().orders, 1);
    // Same rows, same applied_at: nothing ran again.
    assert_eq!(db.raw_texts(migrations_sql).await, applied);
}

/// Applies `sequence` (order id index, update time) one record per batch, shuffled into
/// batches of mixed orders, and checks the newest version of each order is stored.
pub async fn newest_version_wins(
    store: Arc<dyn Store>,
    prefix: &str,
    sequence: &[(usize, i64)],
    batch_size: usize,
) {
    let mut expected: std::collections::HashMap<usize, (i64, usize)> = Default::default();
    let records: Vec<Record> = sequence
        .iter()
        .enumerate()
        .map(|(position, &(index, update_time))| {
            // The first record with the highest update time wins; equal times are unchanged.
            let entry = expected.entry(index).or_insert((update_time, position));
            if update_time > entry.0 {
                *entry = (update_time, position);
            }
            let mut version = order(
                &format!("{prefix}-{index}"),
                "shop-1",
                update_time,
                1 + position % 3,
            );
            version.buyer = format!("buyer-at-{position}").into();
            Record::Order(version)
        })
        .collect();
    for batch in records.chunks(batch_size.max(1)) {
        store.apply(batch, None).await.unwrap();
    }
    for (index, (update_time, position)) in expected {
        let stored = store
            .get_order(&format!("{prefix}-{index}").into())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.update_time, ts(update_time));
        assert_eq!(stored.buyer.as_str(), format!("buyer-at-{position}"));
        assert_eq!(stored.line_items.len(), 1 + position % 3);
    }
}

pub async fn random_upsert_sequences_keep_the_newest(store: Arc<dyn Store>) {
    use rand::{Rng, SeedableRng};
    let mut random = rand::rngs::StdRng::seed_from_u64(0x5eed);
    for round in 0..5 {
        let sequence: Vec<(usize, i64)> = (0..200)
            .map(|_| {
                (
                    random.gen_range(0..20),
                    1_700_000_000 + random.gen_range(0..50),
                )
            })
            .collect();
        newest_version_wins(
            store.clone(),
            &format!("round{round}"),
            &sequence,
            random.gen_range(1..200),
        )
        .await;
    }
}
