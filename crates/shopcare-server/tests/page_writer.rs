//! The sync's group commit against a real SQLite store: pages of two walks queued at
//! once share commits; when one page fails (here a page holding tracking events after
//! their table was dropped behind the store's back), its walk's later pages are refused
//! and its checkpoint stays at the last stored page, while the other walk's pages in the
//! same groups are all written.

use chrono::{TimeZone, Utc};
use shopcare_core::{
    BuyerId, Order, OrderId, OrderStatus, ShopId, Timestamp, TrackingEvent, TrackingStage,
};
use shopcare_server::page_writer::{PageStream, PageWriter};
use shopcare_store::{open_store, Record, SecretKey, Store, SyncCheckpoint, SyncResource};
use std::sync::Arc;

fn at(day: u32) -> Timestamp {
    Utc.with_ymd_and_hms(2026, 11, day, 0, 0, 0).unwrap()
}

fn order(id: &str, shop: &str) -> Record {
    Record::Order(Order {
        id: OrderId::new(id),
        shop_id: ShopId::new(shop),
        status: OrderStatus::AwaitingShipment,
        buyer: BuyerId::new(format!("buyer-{id}")),
        create_time: at(1),
        update_time: at(2),
        paid_time: None,
        ship_by_time: None,
        shipped_time: None,
        delivery_time: None,
        total: None,
        cancel_reason: None,
        cancellation_initiator: None,
        shipping_provider: None,
        tracking_number: None,
        is_replacement_order: false,
        line_items: Vec::new(),
        package_ids: Vec::new(),
    })
}

fn tracking(order_id: &str, shop: &str) -> Record {
    Record::Tracking {
        order_id: OrderId::new(order_id),
        shop_id: ShopId::new(shop),
        events: vec![TrackingEvent {
            order_id: OrderId::new(order_id),
            description: "picked up".to_owned(),
            stage: TrackingStage::PickedUp,
            time: at(3),
        }],
    }
}

fn checkpoint(shop: &str, next_page: &str) -> SyncCheckpoint {
    SyncCheckpoint {
        shop_id: ShopId::new(shop),
        resource: SyncResource::Orders,
        window_start: at(1),
        window_end: at(20),
        page_token: Some(next_page.to_owned()),
        synced_until: None,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_page_stops_its_walk_and_spares_the_other_shops() {
    let directory = tempfile::tempdir().expect("temporary directory");
    let path = directory.path().join("store.db");
    let store: Arc<dyn Store> = open_store(
        &format!("sqlite://{}", path.display()),
        &SecretKey::generate(),
    )
    .await
    .expect("store");
    rusqlite::Connection::open(&path)
        .expect("second connection")
        .execute_batch("DROP TABLE tracking_events")
        .expect("drop a table the store writes");

    let writer = Arc::new(PageWriter::new(store.clone()));
    let (failing, healthy) = (PageStream::new(), PageStream::new());
    // A page: its records, the shop and page token its checkpoint moves to, its walk.
    let page = |records: Vec<Record>, shop: &str, next: &str, stream: &Arc<PageStream>| {
        (records, checkpoint(shop, next), stream.clone())
    };
    let pages = vec![
        page(vec![order("a1", "shop-a")], "shop-a", "a-2", &failing),
        page(vec![order("b1", "shop-b")], "shop-b", "b-2", &healthy),
        page(
            vec![order("a2", "shop-a"), tracking("a2", "shop-a")],
            "shop-a",
            "a-3",
            &failing,
        ),
        page(vec![order("b2", "shop-b")], "shop-b", "b-3", &healthy),
        page(vec![order("a3", "shop-a")], "shop-a", "a-4", &failing),
        page(vec![order("b3", "shop-b")], "shop-b", "b-4", &healthy),
    ];
    // Two walks under way: the writer gathers pages of both before each commit.
    let (_walk_a, _walk_b) = (writer.producer(), writer.producer());
    let writes: Vec<_> = pages
        .into_iter()
        .map(|(records, checkpoint, stream)| {
            let writer = writer.clone();
            // Spawned in order, each queued before the next starts.
            let write =
                tokio::spawn(async move { writer.write(records, checkpoint, &stream).await });
            std::thread::sleep(std::time::Duration::from_millis(2));
            write
        })
        .collect();
    let mut results = Vec::new();
    for write in writes {
        results.push(write.await.expect("write task"));
    }
    let ok: Vec<bool> = results.iter().map(Result::is_ok).collect();
    assert_eq!(ok, [true, true, false, true, false, true], "{results:?}");

    for (id, stored) in [
        ("a1", true),
        ("a2", false),
        ("a3", false),
        ("b1", true),
        ("b2", true),
        ("b3", true),
    ] {
        let found = store.get_order(&OrderId::new(id)).await.unwrap().is_some();
        assert_eq!(found, stored, "order {id}");
    }
    let token = |shop: &str| {
        let store = store.clone();
        let shop = ShopId::new(shop);
        async move {
            store
                .sync_checkpoint(&shop, SyncResource::Orders)
                .await
                .unwrap()
                .and_then(|checkpoint| checkpoint.page_token)
        }
    };
    assert_eq!(token("shop-a").await.as_deref(), Some("a-2"));
    assert_eq!(token("shop-b").await.as_deref(), Some("b-4"));
}
