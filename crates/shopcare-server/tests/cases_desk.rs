//! The after-sales desk against a real store (and the platform double where a call is
//! made): deadline warnings fire once per lead time, and an outbox action whose call
//! fails with a retryable error is retried by the job runner with the same idempotency key.

use chrono::TimeZone;
use shopcare_core::{
    AfterSalesCase, AfterSalesKind, CaseId, Currency, Money, ReturnStatus, SellerNextAction, Shop,
    ShopId, Timestamp,
};
use shopcare_platform_double::{DoubleConfig, Faults, PlatformDouble, WorldConfig};
use shopcare_server::case_jobs::CaseActionHandler;
use shopcare_server::cases::{CaseCommand, CaseDesk, CaseError};
use shopcare_server::clock::SystemClock;
use shopcare_server::jobs::{Backoff, JobRunner};
use shopcare_server::platform::PlatformAccess;
use shopcare_server::sync::{SyncEngine, SyncOptions};
use shopcare_store::{open_store, CaseActionState, Record, SecretKey, Store};
use shopcare_tiktok::{ClientConfig, RetryPolicy, TikTokClient};
use std::sync::Arc;
use std::time::Duration;

async fn temporary_store() -> (Arc<dyn Store>, tempfile::TempDir) {
    let directory = tempfile::tempdir().expect("temporary directory");
    let url = format!("sqlite://{}", directory.path().join("store.db").display());
    let store = open_store(&url, &SecretKey::generate())
        .await
        .expect("store");
    (store, directory)
}

fn at(hour: u32, minute: u32) -> Timestamp {
    chrono::Utc
        .with_ymd_and_hms(2026, 11, 20, hour, minute, 0)
        .unwrap()
}

fn pending_case(id: &str, due_at: Timestamp) -> AfterSalesCase {
    AfterSalesCase {
        id: CaseId::new(id),
        shop_id: ShopId::new("S1"),
        order_id: format!("order-{id}").into(),
        kind: AfterSalesKind::ReturnAndRefund,
        status: ReturnStatus::RequestPending,
        arbitration_status: None,
        role: None,
        reason: Some("ecom_order_delivered_refund_reason_damaged".to_owned()),
        reason_text: Some("Package or item damaged".to_owned()),
        refund_total: Some(Money::parse("40.00", "USD").expect("money")),
        next_actions: vec![SellerNextAction {
            action: "SELLER_RESPOND_RETURN".to_owned(),
            deadline: Some(due_at),
        }],
        line_items: Vec::new(),
        return_tracking_number: None,
        create_time: at(0, 0),
        update_time: at(0, 0),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_lead_time_warns_once_and_the_queue_sorts_by_time_left() {
    let (store, _directory) = temporary_store().await;
    store
        .upsert_shops(&[Shop {
            id: ShopId::new("S1"),
            cipher: "cipher".to_owned(),
            name: "Alpha".to_owned(),
            region: "US".to_owned(),
            currency: Currency::parse("USD").expect("currency"),
            time_zone: chrono_tz::America::New_York,
        }])
        .await
        .expect("shop");
    let late = at(23, 0);
    let soon = at(20, 0);
    store
        .apply(
            &[
                Record::Case(pending_case("late", late)),
                Record::Case(pending_case("soon", soon)),
            ],
            None,
        )
        .await
        .expect("cases");
    let desk = CaseDesk::new(store.clone());
    let queue = desk.queue(None, at(1, 0)).await.expect("queue");
    let order: Vec<&str> = queue.iter().map(|entry| entry.case_id.as_str()).collect();
    assert_eq!(order, vec!["soon", "late"]);
    assert_eq!(queue[0].due_at, Some(soon), "the platform's deadline wins");
    assert_eq!(queue[0].seconds_left, Some(19 * 3600));

    let alerts = || async {
        store
            .job_counts(Some(shopcare_server::alerts::ALERT_JOB))
            .await
            .expect("counts")
            .pending
    };
    assert_eq!(
        desk.raise_warnings(at(7, 0)).await.expect("warn"),
        0,
        "13 h left"
    );
    // 12 h before `soon`; `late` still has 15 h.
    assert_eq!(desk.raise_warnings(at(8, 0)).await.expect("warn"), 1);
    assert_eq!(
        desk.raise_warnings(at(8, 30)).await.expect("warn"),
        0,
        "warned once"
    );
    assert_eq!(
        desk.raise_warnings(at(11, 0)).await.expect("warn"),
        1,
        "12 h before late"
    );
    assert_eq!(alerts().await, 2);
    // 2 h before `soon`: the second lead time.
    assert_eq!(desk.raise_warnings(at(18, 30)).await.expect("warn"), 1);
    assert_eq!(desk.raise_warnings(at(19, 0)).await.expect("warn"), 0);
    assert_eq!(alerts().await, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_call_is_retried_with_the_same_key_and_sent_once() {
    let double = PlatformDouble::start(DoubleConfig {
        app_key: "k".to_owned(),
        app_secret: "s".to_owned(),
        seller_auth_code: "code".to_owned(),
        world: WorldConfig {
            shops: 1,
            orders: 200,
            days: 30,
            seed: 3,
            as_of: chrono::Utc::now().date_naive(),
        },
        ..DoubleConfig::default()
    })
    .await
    .expect("double");
    let (store, _directory) = temporary_store().await;
    let client = TikTokClient::new(ClientConfig {
        api_base_url: double.base_url(),
        auth_base_url: double.base_url(),
        retry: RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        },
        ..ClientConfig::new("k", "s")
    })
    .expect("client");
    let clock = Arc::new(SystemClock);
    let access = PlatformAccess::new(store.clone(), client, clock.clone());
    let shops = access.connect("code").await.expect("connect");
    let order_id = double.with_world(|world| {
        world
            .orders
            .iter()
            .enumerate()
            .find(|(index, order)| {
                order.status.as_str() == "DELIVERED"
                    && !world
                        .returns
                        .iter()
                        .any(|value| value.order == *index as u32)
            })
            .map(|(index, _)| shopcare_platform_double::World::order_id(index as u32).to_string())
            .expect("a delivered order")
    });
    let opened: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/_double/returns", double.base_url()))
        .json(&serde_json::json!({ "order_id": order_id }))
        .send()
        .await
        .expect("open")
        .json()
        .await
        .expect("json");
    let case_id = opened["return_id"].as_str().expect("id").to_owned();
    // The sync window ends before the current second: let the return's second pass.
    tokio::time::sleep(Duration::from_millis(1_100)).await;
    SyncEngine::new(access.clone(), clock, SyncOptions::default())
        .sync_shop(&shops[0].id)
        .await
        .expect("sync");
    let desk = CaseDesk::new(store.clone());
    let now = chrono::Utc::now();
    let approve = CaseCommand::Approve {
        decision: None,
        buyer_keep_item: None,
    };
    let outcome = desk
        .act(&case_id, None, &approve, "ops", now)
        .await
        .expect("act");
    let action_id = outcome.action.expect("an outbox action").action.action_id;
    assert!(outcome.new);
    let refused = desk
        .act(
            &case_id,
            Some(&[ShopId::new("other")]),
            &approve,
            "ops",
            now,
        )
        .await;
    assert!(
        matches!(refused, Err(CaseError::NotFound)),
        "other shops see nothing"
    );

    double.set_faults(Faults {
        unavailable_next: 1,
        ..Faults::default()
    });
    let runner = JobRunner::new(store.clone(), "test")
        .with_backoff(Backoff {
            base: chrono::Duration::seconds(1),
            max: chrono::Duration::seconds(1),
        })
        .with_handler(Arc::new(CaseActionHandler::new(access, desk.clone())));
    let first = runner.tick(now).await.expect("tick");
    assert_eq!((first.claimed, first.retried), (1, 1));
    let pending = store
        .case_action(&action_id)
        .await
        .expect("read")
        .expect("action");
    assert_eq!(pending.state, CaseActionState::Pending);
    assert!(pending.last_error.is_some());

    // The same command again maps to the same action; nothing new is queued.
    let again = desk
        .act(&case_id, None, &approve, "ops", now)
        .await
        .expect("act");
    assert!(!again.new);
    assert_eq!(again.action.expect("action").action.action_id, action_id);

    let second = runner
        .tick(now + chrono::Duration::seconds(5))
        .await
        .expect("tick");
    assert_eq!((second.claimed, second.succeeded), (1, 1));
    let sent = store
        .case_action(&action_id)
        .await
        .expect("read")
        .expect("action");
    assert_eq!(sent.state, CaseActionState::Sent);
    assert_eq!(sent.attempts, 2);
    let writes: Vec<_> = double
        .received_writes()
        .into_iter()
        .filter(|write| write.path.ends_with(&format!("/returns/{case_id}/approve")))
        .collect();
    assert!(!writes.is_empty());
    assert!(writes
        .iter()
        .all(|write| write.idempotency_key.as_deref() == Some(action_id.as_str())));
    assert_eq!(writes.iter().filter(|write| !write.replayed).count(), 1);
    let third = runner
        .tick(now + chrono::Duration::minutes(5))
        .await
        .expect("tick");
    assert_eq!(third.claimed, 0, "a sent action is not sent again");
    double.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_appeal_draft_quotes_the_attached_evidence_and_names_what_is_missing() {
    use shopcare_server::cases::{AppealError, AppealRequest, EvidenceInput};
    let (store, _directory) = temporary_store().await;
    store
        .upsert_shops(&[Shop {
            id: ShopId::new("S1"),
            cipher: "cipher".to_owned(),
            name: "Alpha".to_owned(),
            region: "US".to_owned(),
            currency: Currency::parse("USD").expect("currency"),
            time_zone: chrono_tz::America::New_York,
        }])
        .await
        .expect("shop");
    store
        .apply(&[Record::Case(pending_case("dmg", at(20, 0)))], None)
        .await
        .expect("case");
    let desk = CaseDesk::new(store.clone());
    desk.attach_evidence(
        "dmg",
        None,
        &EvidenceInput {
            kind: "packout_photo".to_owned(),
            reference: "img-packout-1".to_owned(),
            note: Some("sealed box, bubble wrap".to_owned()),
        },
        "owner",
        at(1, 0),
    )
    .await
    .expect("evidence");
    let request = AppealRequest {
        decision: "refund granted without the item returned".to_owned(),
        statement: "The parcel left our warehouse intact and weighed as expected.".to_owned(),
        dispute: None,
    };
    let draft = desk
        .appeal_draft("dmg", None, &request, at(2, 0))
        .await
        .expect("draft")
        .expect("case exists");
    // "Package or item damaged" → the damaged checklist: packout photo + tracking scans.
    assert_eq!(draft.dispute, "damaged");
    assert!(draft.text.contains("img-packout-1"), "{}", draft.text);
    assert!(draft.text.contains("sealed box, bubble wrap"));
    assert!(
        draft.text.contains("40 USD"),
        "amount at stake: {}",
        draft.text
    );
    assert_eq!(draft.missing_required, vec!["tracking_scans".to_owned()]);
    assert!(!draft.ready);

    // Another operator's shop: no draft. Unknown dispute type: a clear error.
    let other = [ShopId::new("S2")];
    assert!(desk
        .appeal_draft("dmg", Some(&other), &request, at(2, 0))
        .await
        .expect("no error")
        .is_none());
    let unclear = AppealRequest {
        dispute: Some("no_such_dispute".to_owned()),
        ..request
    };
    assert!(matches!(
        desk.appeal_draft("dmg", None, &unclear, at(2, 0)).await,
        Err(AppealError::UnknownDispute(_))
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reject_comment_that_breaks_the_rules_is_not_queued() {
    let (store, _directory) = temporary_store().await;
    store
        .upsert_shops(&[Shop {
            id: ShopId::new("S1"),
            cipher: "cipher".to_owned(),
            name: "Alpha".to_owned(),
            region: "US".to_owned(),
            currency: Currency::parse("USD").expect("currency"),
            time_zone: chrono_tz::America::New_York,
        }])
        .await
        .expect("shop");
    store
        .apply(&[Record::Case(pending_case("rej", at(20, 0)))], None)
        .await
        .expect("case");
    let desk = CaseDesk::new(store.clone());
    let reject = |comment: &str| CaseCommand::Reject {
        reason: "seller_reject_apply_product_has_been_used".to_owned(),
        comment: Some(comment.to_owned()),
        images: Vec::new(),
    };
    let blocked = desk
        .act(
            "rej",
            None,
            &reject("Message us on WhatsApp instead and we will sort it out"),
            "owner",
            at(1, 0),
        )
        .await;
    match blocked {
        Err(CaseError::Blocked(verdict)) => {
            assert!(verdict
                .findings
                .iter()
                .any(|finding| finding.rule.as_str() == "off_platform_redirect"));
        }
        other => panic!("expected a blocked comment, got {other:?}"),
    }
    assert!(store.case_actions("rej").await.expect("actions").is_empty());

    let sent = desk
        .act(
            "rej",
            None,
            &reject("The item was returned used; photos of the returned unit are attached."),
            "owner",
            at(1, 5),
        )
        .await
        .expect("a clean comment is queued");
    assert!(sent.new);
    assert_eq!(store.case_actions("rej").await.expect("actions").len(), 1);
}
