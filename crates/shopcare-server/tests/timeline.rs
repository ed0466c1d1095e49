//! The post-purchase timeline against the platform double, with an injected clock: the
//! planner job and the send job run through `JobRunner::tick(now)`; the double records
//! every signed chat send it accepts. Each trigger fires once at its moment pushed out of
//! the buyer's quiet hours; a restart mid-schedule loses and repeats nothing; a
//! cancellation that arrives after scheduling stops the queued message.

use chrono::{Duration, TimeZone};
use shopcare_core::timeline::{SkuSettings, TimelineSettings};
use shopcare_core::{
    BuyerId, CancelStatus, Cancellation, LineItem, Order, OrderId, OrderStatus, Shop, SkuId,
    Timestamp, TrackingEvent, TrackingStage,
};
use shopcare_platform_double::{DoubleConfig, DoubleHandle, PlatformDouble, World, WorldConfig};
use shopcare_server::clock::SystemClock;
use shopcare_server::jobs::JobRunner;
use shopcare_server::platform::PlatformAccess;
use shopcare_server::timeline::Timeline;
use shopcare_server::timeline_jobs::{
    schedule_timeline_plan, TimelineMessageHandler, TimelinePlanHandler,
};
use shopcare_store::{open_store, Record, SecretKey, Store, TimelineMessageState};
use shopcare_tiktok::{ClientConfig, TikTokClient};
use std::sync::Arc;

const APP_KEY: &str = "timelinekey";
const APP_SECRET: &str = "timeline-secret";

struct Harness {
    double: DoubleHandle,
    store: Arc<dyn Store>,
    access: PlatformAccess,
    shop: Shop,
    _directory: tempfile::TempDir,
}

async fn harness() -> Harness {
    let double = PlatformDouble::start(DoubleConfig {
        app_key: APP_KEY.to_owned(),
        app_secret: APP_SECRET.to_owned(),
        seller_auth_code: "code".to_owned(),
        world: WorldConfig {
            shops: 1,
            orders: 40,
            days: 10,
            seed: 5,
            as_of: chrono::Utc::now().date_naive(),
        },
        ..DoubleConfig::default()
    })
    .await
    .expect("double");
    let directory = tempfile::tempdir().expect("temporary directory");
    let url = format!(
        "sqlite://{}",
        directory.path().join("shopcare.db").display()
    );
    let store = open_store(&url, &SecretKey::generate())
        .await
        .expect("store");
    let client = TikTokClient::new(ClientConfig {
        api_base_url: double.base_url(),
        auth_base_url: double.base_url(),
        ..ClientConfig::new(APP_KEY, APP_SECRET)
    })
    .expect("client");
    let access = PlatformAccess::new(store.clone(), client, Arc::new(SystemClock));
    let shop = access.connect("code").await.expect("connect")[0].clone();
    let mut settings = TimelineSettings::for_region(&shop.region);
    settings.language = "en".to_owned();
    settings.default_usage_window_days = 10;
    store
        .save_timeline_settings(&shop.id, &settings, chrono::Utc::now())
        .await
        .expect("settings");
    store
        .save_timeline_sku_settings(
            &shop.id,
            &SkuSettings {
                sku_id: SkuId::new("SKU-BRUSH"),
                category: None,
                common_confusion: Some("the brushing angle".to_owned()),
                help_message: true,
                depletion_cycle_days: Some(20),
            },
            chrono::Utc::now(),
        )
        .await
        .expect("sku");
    Harness {
        double,
        store,
        access,
        shop,
        _directory: directory,
    }
}

impl Harness {
    /// A fresh runner, as after a process restart.
    fn runner(&self, name: &str) -> JobRunner {
        let timeline = Timeline::new(self.store.clone());
        JobRunner::new(self.store.clone(), name)
            .with_handler(Arc::new(TimelinePlanHandler::new(
                timeline.clone(),
                Duration::minutes(5),
            )))
            .with_handler(Arc::new(TimelineMessageHandler::new(
                timeline,
                self.access.clone(),
            )))
    }

    /// A local time in the shop's zone, `day` days after 1 June 2026.
    fn local(&self, day: i64, hour: u32, minute: u32) -> Timestamp {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date") + Duration::days(day);
        self.shop
            .time_zone
            .from_local_datetime(&date.and_hms_opt(hour, minute, 0).expect("time"))
            .earliest()
            .expect("unambiguous")
            .with_timezone(&chrono::Utc)
    }

    /// The `index`-th order of the double's world in this shop, with its buyer's user id.
    fn world_order(&self, index: usize) -> (String, String) {
        self.double.with_world(|world| {
            let (position, order) = world
                .orders
                .iter()
                .enumerate()
                .filter(|(_, order)| order.shop == 0)
                .nth(index)
                .expect("enough orders");
            (
                World::order_id(position as u32).to_string(),
                World::buyer_user_id(order.buyer).to_string(),
            )
        })
    }

    fn order(&self, index: usize, paid: Timestamp, revision: i64) -> Order {
        let (order_id, buyer) = self.world_order(index);
        Order {
            id: OrderId::new(order_id.clone()),
            shop_id: self.shop.id.clone(),
            status: OrderStatus::AwaitingShipment,
            buyer: BuyerId::new(buyer),
            create_time: paid - Duration::minutes(2),
            update_time: paid + Duration::seconds(revision),
            paid_time: Some(paid),
            ship_by_time: None,
            shipped_time: None,
            delivery_time: None,
            total: None,
            cancel_reason: None,
            cancellation_initiator: None,
            shipping_provider: Some("Carrier".to_owned()),
            tracking_number: Some(format!("TRK{order_id}")),
            is_replacement_order: false,
            line_items: vec![LineItem {
                id: format!("{order_id}-1").into(),
                product_id: "P-1".into(),
                sku_id: SkuId::new("SKU-BRUSH"),
                product_name: "Bamboo toothbrush set".to_owned(),
                sku_name: "Soft".to_owned(),
                seller_sku: "BRUSH".to_owned(),
                sale_price: None,
                package_id: None,
                package_status: None,
                display_status: None,
            }],
            package_ids: Vec::new(),
        }
    }

    async fn apply(&self, records: Vec<Record>) {
        self.store.apply(&records, None).await.expect("apply");
    }

    async fn tracking(&self, order: &Order, scans: &[(TrackingStage, Timestamp)]) {
        let events = scans
            .iter()
            .map(|(stage, time)| TrackingEvent {
                order_id: order.id.clone(),
                description: stage.as_str().to_owned(),
                stage: *stage,
                time: *time,
            })
            .collect();
        self.apply(vec![Record::Tracking {
            order_id: order.id.clone(),
            shop_id: self.shop.id.clone(),
            events,
        }])
        .await;
    }

    /// One pass at `now`: the planner job runs, then the send jobs it enqueued.
    async fn pass(&self, runner: &JobRunner, now: Timestamp) {
        schedule_timeline_plan(&self.store, now)
            .await
            .expect("schedule planner");
        runner.tick(now).await.expect("plan tick");
        runner.tick(now).await.expect("send tick");
    }

    /// Chat messages the double accepted, in order: (conversation path, body).
    fn chat_sends(&self) -> Vec<(String, String)> {
        self.double
            .received_writes()
            .into_iter()
            .filter(|write| write.method == "POST" && write.path.ends_with("/messages"))
            .inspect(|write| {
                assert!(
                    write.query.iter().any(|(name, _)| name == "sign"),
                    "every send is signed: {write:?}"
                );
            })
            .map(|write| (write.path, write.body))
            .collect()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_trigger_fires_once_at_its_moment_across_restarts() {
    let harness = harness().await;
    let paid = harness.local(0, 23, 0);
    let mut order = harness.order(0, paid, 0);
    harness.apply(vec![Record::Order(order.clone())]).await;
    let mut runner = harness.runner("worker-1");

    // Paid at 23:00 local: quiet until 09:00.
    harness.pass(&runner, harness.local(0, 23, 1)).await;
    assert!(
        harness.chat_sends().is_empty(),
        "nothing during quiet hours"
    );
    harness.pass(&runner, harness.local(1, 8, 59)).await;
    assert!(harness.chat_sends().is_empty());
    harness.pass(&runner, harness.local(1, 9, 0)).await;
    let sends = harness.chat_sends();
    assert_eq!(sends.len(), 1, "{sends:?}");
    assert!(sends[0]
        .1
        .contains("Thanks for your order of Bamboo toothbrush set"));

    let label = harness.local(1, 12, 0);
    harness
        .tracking(&order, &[(TrackingStage::LabelCreated, label)])
        .await;
    harness.pass(&runner, harness.local(1, 12, 5)).await;
    let sends = harness.chat_sends();
    assert_eq!(sends.len(), 2, "{sends:?}");
    assert!(sends[1].1.contains("shipping label"));
    assert!(sends[1].1.contains(&format!("TRK{}", order.id)));

    // Restart, then the first carrier scan.
    drop(runner);
    runner = harness.runner("worker-2");
    let scan = harness.local(1, 18, 0);
    harness
        .tracking(
            &order,
            &[
                (TrackingStage::LabelCreated, label),
                (TrackingStage::PickedUp, scan),
            ],
        )
        .await;
    harness.pass(&runner, harness.local(1, 18, 1)).await;
    harness.pass(&runner, harness.local(1, 18, 2)).await;
    let sends = harness.chat_sends();
    assert_eq!(sends.len(), 3, "{sends:?}");
    assert!(sends[2].1.contains("carrier has scanned"));

    // Delivered at 22:30 local: queued for 09:00, and the process restarts in between.
    let delivered = harness.local(3, 22, 30);
    order.status = OrderStatus::Delivered;
    order.delivery_time = Some(delivered);
    order.update_time += Duration::days(3);
    harness.apply(vec![Record::Order(order.clone())]).await;
    harness
        .tracking(
            &order,
            &[
                (TrackingStage::LabelCreated, label),
                (TrackingStage::PickedUp, scan),
                (TrackingStage::Delivered, delivered),
            ],
        )
        .await;
    harness.pass(&runner, harness.local(3, 22, 31)).await;
    assert_eq!(harness.chat_sends().len(), 3);
    drop(runner);
    runner = harness.runner("worker-3");
    harness.pass(&runner, harness.local(4, 9, 0)).await;
    harness.pass(&runner, harness.local(4, 9, 10)).await;
    let sends = harness.chat_sends();
    assert_eq!(sends.len(), 4, "{sends:?}");
    assert!(sends[3].1.contains("has been delivered"));

    // Help on day 3 after delivery (22:30 → 09:00 next morning), once.
    harness.pass(&runner, harness.local(6, 22, 30)).await;
    assert_eq!(harness.chat_sends().len(), 4);
    harness.pass(&runner, harness.local(7, 9, 0)).await;
    harness.pass(&runner, harness.local(8, 9, 0)).await;
    let sends = harness.chat_sends();
    assert_eq!(sends.len(), 5, "{sends:?}");
    assert!(sends[4].1.contains("the brushing angle"));

    // Review request after the 10-day usage window.
    harness.pass(&runner, harness.local(13, 22, 29)).await;
    assert_eq!(harness.chat_sends().len(), 5);
    harness.pass(&runner, harness.local(14, 9, 0)).await;
    let sends = harness.chat_sends();
    assert_eq!(sends.len(), 6, "{sends:?}");
    assert!(sends[5].1.contains("honest review"));

    // Replenishment at 70 % of a 20-day cycle: 14 days after delivery.
    harness.pass(&runner, harness.local(18, 9, 0)).await;
    harness.pass(&runner, harness.local(19, 9, 0)).await;
    let sends = harness.chat_sends();
    assert_eq!(sends.len(), 7, "{sends:?}");
    assert!(sends[6].1.contains("running low"));
    // All to the same conversation, which shopcare opened once per send at most.
    assert!(sends.iter().all(|(path, _)| *path == sends[0].0));

    let log = harness
        .store
        .timeline_messages(Some(&harness.shop.id))
        .await
        .expect("log");
    assert_eq!(log.len(), 7);
    assert!(log
        .iter()
        .all(|row| row.state == TimelineMessageState::Sent && row.message_id.is_some()));
    assert!(log.iter().all(|row| row.trigger != "tracking_stalled"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stalled_tracking_is_noted_and_a_late_cancellation_stops_queued_messages() {
    let harness = harness().await;
    let runner = harness.runner("worker-1");

    // Order A: picked up at 14:00 on day 0, then silence for 48 h.
    let paid = harness.local(0, 10, 0);
    let stalled = harness.order(0, paid, 0);
    harness.apply(vec![Record::Order(stalled.clone())]).await;
    harness
        .tracking(
            &stalled,
            &[
                (TrackingStage::LabelCreated, harness.local(0, 12, 0)),
                (TrackingStage::PickedUp, harness.local(0, 14, 0)),
            ],
        )
        .await;
    harness.pass(&runner, harness.local(0, 14, 1)).await;
    assert_eq!(harness.chat_sends().len(), 3, "confirmation, label, scan");
    harness.pass(&runner, harness.local(2, 13, 59)).await;
    assert_eq!(harness.chat_sends().len(), 3);
    harness.pass(&runner, harness.local(2, 14, 0)).await;
    harness.pass(&runner, harness.local(2, 18, 0)).await;
    let sends = harness.chat_sends();
    assert_eq!(sends.len(), 4, "{sends:?}");
    assert!(sends[3].1.contains("has not changed for a while"));

    // Order B: label created at 22:00 (queued for 09:00); a cancellation request comes
    // in at 02:00; nothing more is sent for it.
    let paid = harness.local(3, 10, 0);
    let cancelled = harness.order(1, paid, 0);
    harness.apply(vec![Record::Order(cancelled.clone())]).await;
    harness.pass(&runner, harness.local(3, 10, 1)).await;
    assert_eq!(harness.chat_sends().len(), 5, "B's confirmation");
    harness
        .tracking(
            &cancelled,
            &[(TrackingStage::LabelCreated, harness.local(3, 22, 0))],
        )
        .await;
    harness.pass(&runner, harness.local(3, 22, 1)).await;
    let queued = harness
        .store
        .timeline_message(&cancelled.id, "label_created")
        .await
        .expect("read")
        .expect("queued");
    assert_eq!(queued.state, TimelineMessageState::Queued);
    harness
        .apply(vec![Record::Cancellation(Cancellation {
            id: "cancel-b".into(),
            shop_id: harness.shop.id.clone(),
            order_id: cancelled.id.clone(),
            cancel_type: "BUYER_CANCEL".to_owned(),
            status: CancelStatus::Pending,
            role: None,
            reason: None,
            reason_text: None,
            refund_total: None,
            next_actions: Vec::new(),
            create_time: harness.local(4, 2, 0),
            update_time: harness.local(4, 2, 0),
        })])
        .await;
    harness.pass(&runner, harness.local(4, 9, 0)).await;
    harness
        .tracking(
            &cancelled,
            &[
                (TrackingStage::LabelCreated, harness.local(3, 22, 0)),
                (TrackingStage::PickedUp, harness.local(4, 12, 0)),
            ],
        )
        .await;
    harness.pass(&runner, harness.local(4, 12, 1)).await;
    harness.pass(&runner, harness.local(7, 12, 1)).await;
    assert_eq!(
        harness.chat_sends().len(),
        5,
        "nothing after the cancellation"
    );
    let label = harness
        .store
        .timeline_message(&cancelled.id, "label_created")
        .await
        .expect("read")
        .expect("logged");
    assert_eq!(label.state, TimelineMessageState::Suppressed);
    assert!(label.reason.contains("cancellation"), "{}", label.reason);
    assert!(harness
        .store
        .timeline_message(&cancelled.id, "first_carrier_scan")
        .await
        .expect("read")
        .is_none());
}
