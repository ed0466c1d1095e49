//! The support desk over its JSON API, on a real store synced from the platform double:
//! conversations become tickets, operators see only their shops, saved replies are
//! validated when saved, a non-compliant reply is blocked and never queued, a compliant
//! one is sent once through the Partner API by the durable job (the double records it),
//! and the checklist runs in order and feeds the VoC log.

use axum::http::StatusCode;
use shopcare_core::ShopId;
use shopcare_platform_double::{DoubleConfig, PlatformDouble, World, WorldConfig};
use shopcare_server::access::{ShopScope, Viewer};
use shopcare_server::clock::{Clock, ManualClock, SystemClock};
use shopcare_server::jobs::JobRunner;
use shopcare_server::platform::PlatformAccess;
use shopcare_server::support::{SupportDesk, SUPPORT_REPLY_JOB};
use shopcare_server::support_api::{router, SupportState};
use shopcare_server::support_jobs::SupportReplyHandler;
use shopcare_server::sync::{SyncEngine, SyncOptions};
use shopcare_store::{
    open_store, IssueReportRecord, JobClaim, SecretKey, Store, SupportReplyState, TicketFilter,
};
use shopcare_tiktok::{ClientConfig, TikTokClient};
use std::sync::Arc;

async fn call(
    router: &axum::Router,
    method: &str,
    uri: &str,
    body: Option<serde_json::Value>,
) -> (StatusCode, serde_json::Value) {
    use tower::ServiceExt;
    let request = axum::http::Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(axum::body::Body::from(
            body.map(|body| body.to_string()).unwrap_or_default(),
        ))
        .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 22)
        .await
        .unwrap();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, json)
}

fn operator(shop: &ShopId) -> Viewer {
    Viewer {
        username: "ops".to_owned(),
        scope: ShopScope::Only([shop.clone()].into_iter().collect()),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tickets_replies_and_checklist_over_the_api_with_one_send_through_the_partner_api() {
    let double = PlatformDouble::start(DoubleConfig {
        app_key: "k".to_owned(),
        app_secret: "s".to_owned(),
        seller_auth_code: "code".to_owned(),
        world: WorldConfig {
            shops: 1,
            orders: 300,
            days: 30,
            seed: 5,
            as_of: chrono::Utc::now().date_naive(),
        },
        ..DoubleConfig::default()
    })
    .await
    .expect("double");
    let directory = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", directory.path().join("store.db").display());
    let store: Arc<dyn Store> = open_store(&url, &SecretKey::generate()).await.unwrap();
    let client = TikTokClient::new(ClientConfig {
        api_base_url: double.base_url(),
        auth_base_url: double.base_url(),
        ..ClientConfig::new("k", "s")
    })
    .unwrap();
    let system_clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let access = PlatformAccess::new(store.clone(), client, system_clock.clone());
    let shops = access.connect("code").await.expect("connect");
    let shop_id = shops[0].id.clone();
    SyncEngine::new(access.clone(), system_clock, SyncOptions::default())
        .sync_shop(&shop_id)
        .await
        .expect("sync");

    let now = chrono::Utc::now();
    let state = SupportState {
        desk: SupportDesk::new(store.clone()),
        clock: Arc::new(ManualClock::new(now)),
    };
    let app = router(state.clone()).layer(axum::Extension(operator(&shop_id)));
    let stranger = router(state).layer(axum::Extension(operator(&ShopId::new("other"))));

    let (status, body) = call(&app, "GET", "/api/v1/tickets", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let tickets = body["tickets"].as_array().unwrap();
    assert!(!tickets.is_empty(), "synced conversations become tickets");
    assert!(tickets
        .iter()
        .all(|ticket| ticket["shop_id"] == shop_id.as_str()));
    assert!(
        tickets
            .iter()
            .all(|ticket| ["normal", "high", "urgent"]
                .contains(&ticket["priority"].as_str().unwrap()))
    );
    let conversation_id = tickets[0]["conversation_id"].as_str().unwrap().to_owned();
    let ticket_uri = format!("/api/v1/tickets/{conversation_id}");

    let (status, detail) = call(&app, "GET", &ticket_uri, None).await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    assert_eq!(detail["next_step"], "acknowledge");
    assert!(!detail["messages"].as_array().unwrap().is_empty());

    // Another operator's view: every route 404s, and their ticket list is empty.
    let (status, _) = call(&stranger, "GET", &ticket_uri, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let shop_tickets = format!("/api/v1/shops/{shop_id}/tickets");
    let (status, _) = call(&stranger, "GET", &shop_tickets, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = call(&stranger, "GET", "/api/v1/tickets", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body["tickets"].as_array().unwrap().is_empty());
    let replies_uri = format!("{ticket_uri}/replies");
    let (status, _) = call(
        &stranger,
        "POST",
        &replies_uri,
        Some(serde_json::json!({"text": "Hello"})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Saved replies: an unknown variable is refused at save time.
    let saved_uri = format!("/api/v1/shops/{shop_id}/saved-replies");
    let (status, body) = call(
        &app,
        "POST",
        &saved_uri,
        Some(serde_json::json!({
            "name": "greeting", "category": "shipping", "language": "en",
            "body": "Hi {buyer_first_name}, checking now."
        })),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "invalid_saved_reply");
    let (status, saved) = call(
        &app,
        "POST",
        &saved_uri,
        Some(serde_json::json!({
            "name": "tracking check", "category": "shipping", "language": "en",
            "body": "Thanks for your message about order {order_id}. We are checking the \
                     tracking with the carrier and will update you here within \
                     {response_hours} hours."
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{saved}");
    let (_, listed) = call(&app, "GET", &saved_uri, None).await;
    assert_eq!(listed["saved_replies"].as_array().unwrap().len(), 1);

    // A reply that moves the buyer off the platform is blocked and never queued.
    let (status, body) = call(
        &app,
        "POST",
        &replies_uri,
        Some(serde_json::json!({"text": "Message me on WhatsApp +1 415 555 0100 instead"})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "blocked_by_compliance");
    assert_eq!(
        store.job_counts(Some(SUPPORT_REPLY_JOB)).await.unwrap(),
        Default::default()
    );

    // A missing variable is an error; the filled-in saved reply is queued once per key.
    let reply_body = serde_json::json!({
        "saved_reply_id": saved["reply_id"],
        "values": {"order_id": "576000123", "response_hours": "12"},
        "command_key": "first-answer",
    });
    let (status, _) = call(
        &app,
        "POST",
        &replies_uri,
        Some(serde_json::json!({"saved_reply_id": saved["reply_id"], "values": {}})),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, queued) = call(&app, "POST", &replies_uri, Some(reply_body.clone())).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
    let (status, again) = call(&app, "POST", &replies_uri, Some(reply_body)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["reply_id"], queued["reply_id"]);
    let reply_id = queued["reply_id"].as_str().unwrap().to_owned();
    let text = queued["text"].as_str().unwrap().to_owned();
    assert!(text.contains("order 576000123") && text.contains("within 12 hours"));

    let runner = JobRunner::new(store.clone(), "test")
        .with_handler(Arc::new(SupportReplyHandler::new(access)));
    let report = runner.tick(now).await.unwrap();
    assert_eq!((report.claimed, report.succeeded), (1, 1));
    let sent = store.support_reply(&reply_id).await.unwrap().unwrap();
    assert_eq!(sent.state, SupportReplyState::Sent);
    assert_eq!(sent.reply.agent, "ops");
    let message_id = sent.message_id.clone().expect("the platform's message id");
    // The double holds exactly one message with that text, under that id, from the shop.
    double.with_world(|world| {
        let matching: Vec<u32> = world
            .custom_texts
            .iter()
            .filter(|(_, stored)| **stored == text)
            .map(|(index, _)| *index)
            .collect();
        assert_eq!(matching.len(), 1);
        assert_eq!(World::message_id(matching[0]).to_string(), message_id);
    });
    assert_eq!(runner.tick(now).await.unwrap().claimed, 0, "sent once");
    assert_eq!(
        store.reply_agents(&shop_id).await.unwrap(),
        vec![(message_id, "ops".to_owned())]
    );

    // The checklist runs in order; tagging the root cause files a VoC report.
    let checklist_uri = format!("{ticket_uri}/checklist");
    let (status, body) = call(
        &app,
        "POST",
        &checklist_uri,
        Some(serde_json::json!({"step": "diagnose", "detail": "carrier delay"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let (status, _) = call(
        &app,
        "PATCH",
        &ticket_uri,
        Some(serde_json::json!({"category": "product_issue", "assigned_agent": "ops"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for (step, detail, skipped) in [
        ("acknowledge", Some("answer within 12 hours"), false),
        ("collect_proof", None, true),
        ("diagnose", Some("defect"), false),
        ("resolution", Some("replacement part"), false),
        ("confirm_in_writing", None, false),
        ("root_cause_tag", Some("fragile_part"), false),
    ] {
        let (status, body) = call(
            &app,
            "POST",
            &checklist_uri,
            Some(serde_json::json!({"step": step, "detail": detail, "skipped": skipped})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{step}: {body}");
    }
    let ticket = store.ticket(&conversation_id).await.unwrap().unwrap();
    assert_eq!(ticket.state, "solved");
    assert_eq!(ticket.root_cause_tag.as_deref(), Some("fragile_part"));
    assert_eq!(ticket.checklist.len(), 6);
    let solved = store
        .list_tickets(&TicketFilter {
            shops: None,
            state: Some("solved".to_owned()),
        })
        .await
        .unwrap();
    assert_eq!(solved.len(), 1);
    let (status, voc) = call(&app, "GET", &format!("/api/v1/shops/{shop_id}/voc"), None).await;
    assert_eq!(status, StatusCode::OK, "{voc}");
    assert_eq!(voc["weekly"][0]["category"], "product_issue");
    assert_eq!(voc["weekly"][0]["root_cause"], "fragile_part");

    // The response report is served per shop and refuses other operators.
    let stats_uri = format!("/api/v1/shops/{shop_id}/support-stats");
    let (status, stats) = call(&app, "GET", &stats_uri, None).await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    assert_eq!(stats["shop_id"], shop_id.as_str());
    assert!(stats["inquiries"].as_u64().is_some());
    let (status, _) = call(&stranger, "GET", &stats_uri, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

fn chat_report(
    shop: &ShopId,
    conversation: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> IssueReportRecord {
    IssueReportRecord {
        shop_id: shop.clone(),
        reported_at: at,
        category: "product_issue".to_owned(),
        root_cause: "cracked_lid".to_owned(),
        sku_id: Some("sku-lid".to_owned()),
        source: "chat".to_owned(),
        source_id: conversation.to_owned(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn several_buyers_reporting_one_defect_raise_one_alert_a_week() {
    let directory = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", directory.path().join("store.db").display());
    let store: Arc<dyn Store> = open_store(&url, &SecretKey::generate()).await.unwrap();
    let desk = SupportDesk::new(store.clone());
    let shop = ShopId::new("shop-1");
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-11T10:00:00Z")
        .unwrap()
        .to_utc();
    let hours_ago = |hours: i64| now - chrono::Duration::hours(hours);
    let alerts = || async { store.job_counts(Some("alert")).await.unwrap().pending };

    // Two buyers are not yet a pattern; a report from last month does not count.
    store
        .add_issue_reports(&[
            chat_report(&shop, "c1", hours_ago(50)),
            chat_report(&shop, "c2", hours_ago(20)),
            chat_report(&shop, "c0", hours_ago(24 * 30)),
        ])
        .await
        .unwrap();
    assert_eq!(desk.alert_escalations(&shop, now).await.unwrap(), 0);
    assert_eq!(alerts().await, 0);

    // A third buyer within the week escalates, once.
    store
        .add_issue_reports(&[chat_report(&shop, "c3", hours_ago(2))])
        .await
        .unwrap();
    assert_eq!(desk.alert_escalations(&shop, now).await.unwrap(), 1);
    assert_eq!(desk.alert_escalations(&shop, now).await.unwrap(), 0);
    store
        .add_issue_reports(&[chat_report(&shop, "c4", hours_ago(1))])
        .await
        .unwrap();
    assert_eq!(
        desk.alert_escalations(&shop, now).await.unwrap(),
        0,
        "same week"
    );
    assert_eq!(alerts().await, 1);

    let claimed = store
        .claim_jobs(&JobClaim {
            worker: "test".to_owned(),
            now,
            lease: chrono::Duration::minutes(1),
            limit: 10,
            kinds: Some(vec!["alert".to_owned()]),
        })
        .await
        .unwrap();
    let alert: serde_json::Value = serde_json::from_str(&claimed[0].payload).unwrap();
    assert_eq!(alert["kind"], "defect_escalation");
    assert_eq!(alert["shop_id"], "shop-1");
    assert!(
        alert["title"].as_str().unwrap().contains("sku-lid"),
        "{alert}"
    );

    // The next week it is news again while the reports keep coming.
    let next_week = now + chrono::Duration::days(6);
    store
        .add_issue_reports(&[
            chat_report(&shop, "c5", next_week - chrono::Duration::hours(30)),
            chat_report(&shop, "c6", next_week - chrono::Duration::hours(20)),
            chat_report(&shop, "c7", next_week - chrono::Duration::hours(3)),
        ])
        .await
        .unwrap();
    assert_eq!(desk.alert_escalations(&shop, next_week).await.unwrap(), 1);
}

fn chat_records(
    id: &str,
    messages: &[(&str, shopcare_core::SenderRole, &str)],
) -> Vec<shopcare_store::Record> {
    use shopcare_core::{BuyerId, Conversation, ConversationId, Message, MessageId};
    use shopcare_store::Record;
    let time = |text: &str| text.parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    let mut records = vec![Record::Conversation(Conversation {
        id: ConversationId::new(id),
        shop_id: ShopId::new("id-1"),
        buyer: Some(BuyerId::new(format!("buyer-{id}"))),
        create_time: time(messages[0].2),
        update_time: time(messages[messages.len() - 1].2),
    })];
    for (index, (message_id, role, at)) in messages.iter().enumerate() {
        records.push(Record::Message(Message {
            id: MessageId::new(*message_id),
            conversation_id: ConversationId::new(id),
            shop_id: ShopId::new("id-1"),
            index: index as i64,
            sender_role: role.clone(),
            kind: "TEXT".to_owned(),
            text: "text".to_owned(),
            create_time: time(at),
            is_visible: true,
        }));
    }
    records
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn weekly_first_response_is_the_median_of_each_local_week() {
    use shopcare_core::SenderRole::{Buyer, Shop as Seller};
    let directory = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", directory.path().join("store.db").display());
    let store: Arc<dyn Store> = open_store(&url, &SecretKey::generate()).await.unwrap();
    let shop = shopcare_core::Shop {
        id: ShopId::new("id-1"),
        cipher: "cipher".to_owned(),
        name: "Toko".to_owned(),
        region: "ID".to_owned(),
        currency: shopcare_core::Currency::parse("IDR").unwrap(),
        time_zone: chrono_tz::Asia::Jakarta,
    };
    store
        .upsert_shops(std::slice::from_ref(&shop))
        .await
        .unwrap();
    let mut records = Vec::new();
    // Week of Monday 2 March (Jakarta): answers after 1 h, 3 h and 8 h → median 3 h.
    records.extend(chat_records(
        "a",
        &[
            ("a1", Buyer, "2026-03-02T03:00:00Z"),
            ("a2", Seller, "2026-03-02T04:00:00Z"),
        ],
    ));
    records.extend(chat_records(
        "b",
        &[
            ("b1", Buyer, "2026-03-04T03:00:00Z"),
            ("b2", Seller, "2026-03-04T06:00:00Z"),
        ],
    ));
    records.extend(chat_records(
        "c",
        &[
            ("c1", Buyer, "2026-03-06T01:00:00Z"),
            ("c2", Seller, "2026-03-06T09:00:00Z"),
        ],
    ));
    // Sunday 8 March 23:30 Jakarta is still the first week; answered after 30 min.
    records.extend(chat_records(
        "d",
        &[
            ("d1", Buyer, "2026-03-08T16:30:00Z"),
            ("d2", Seller, "2026-03-08T17:00:00Z"),
        ],
    ));
    // Week of 9 March: one inquiry answered after 20 h.
    records.extend(chat_records(
        "e",
        &[
            ("e1", Buyer, "2026-03-10T02:00:00Z"),
            ("e2", Seller, "2026-03-10T22:00:00Z"),
        ],
    ));
    store.apply(&records, None).await.unwrap();

    let date = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    let medians = SupportDesk::new(store.clone())
        .weekly_first_response(
            &shop,
            &[date("2026-03-09"), date("2026-03-16"), date("2026-03-23")],
        )
        .await
        .unwrap();
    let hours = |minutes: i64| Some(chrono::Duration::minutes(minutes));
    // Four answers in the first week: 30 min, 1 h, 3 h, 8 h; the nearest-rank median
    // is the second.
    assert_eq!(medians[0], hours(60));
    assert_eq!(medians[1], hours(20 * 60));
    assert_eq!(medians[2], None, "no inquiries that week");
}
