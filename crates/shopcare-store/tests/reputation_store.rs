//! Contract tests for [`ReputationStore`] on SQLite (always) and PostgreSQL (when
//! `SHOPCARE_TEST_POSTGRES_URL` is set): the trigger-maintained aggregates equal a full
//! recount after random inserts, updates and deletes; analyses upsert by review time;
//! inbox filters, drafts and alert channels round-trip.

mod contract_suite;

use contract_suite::fixtures::{order, ts};
use contract_suite::TestDb;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use shopcare_core::metrics::BUCKET_MILLIS;
use shopcare_core::ShopId;
use shopcare_store::{
    AnalysisFilter, NegativeReviewCount, NewAlertChannel, Record, ReviewAnalysisRecord, Store,
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
    incremental_aggregates_equal_a_full_recount_after_random_changes,
    an_edit_from_one_to_four_stars_leaves_the_negatives,
    inbox_filters_drafts_and_channels_round_trip,
);

const SHOPS: [&str; 2] = ["shop-a", "shop-b"];
/// Base of all generated times: 2026-01-01T00:00:00Z in seconds.
const BASE: i64 = 1_767_225_600;
const SPAN_SECONDS: i64 = 10 * 86_400;

fn analysis(review_id: &str, shop: &str, rating: u8, at_seconds: i64) -> ReviewAnalysisRecord {
    ReviewAnalysisRecord {
        review_id: review_id.to_owned(),
        shop_id: ShopId::new(shop),
        order_id: None,
        product_id: "p1".to_owned(),
        sku_id: "s1".to_owned(),
        rating,
        review_time: ts(at_seconds),
        sentiment: "negative".to_owned(),
        root_cause: "product_quality".to_owned(),
        seller_related: true,
        language: "en".to_owned(),
        confidence_permille: 900,
        evidence: "[]".to_owned(),
        analysed_at: ts(at_seconds),
    }
}

async fn assert_aggregates_match_recount(store: &Arc<dyn Store>, step: usize) {
    let windows = [
        (BASE, BASE + SPAN_SECONDS),
        (BASE + 86_400, BASE + 3 * 86_400 + 900),
        (BASE + 5 * 3_600, BASE + 5 * 3_600 + 900),
        // Local midnights of a UTC+7 and a UTC-5 shop: partial UTC days at both ends.
        (BASE + 17 * 3_600, BASE + 6 * 86_400 + 5 * 3_600),
    ];
    for shop in SHOPS {
        let shop_id = ShopId::new(shop);
        for (start, end) in windows {
            let (start_ms, end_ms) = (start * 1000, end * 1000);
            assert_eq!(start_ms % BUCKET_MILLIS, 0);
            let incremental = store
                .delivered_orders_in_buckets(
                    &shop_id,
                    start_ms / BUCKET_MILLIS,
                    end_ms / BUCKET_MILLIS,
                )
                .await
                .unwrap();
            let recount = store
                .delivered_orders_by_scan(&shop_id, start_ms, end_ms)
                .await
                .unwrap();
            assert_eq!(
                incremental, recount,
                "delivered, step {step}, {shop} {start}..{end}"
            );
            let incremental: Vec<NegativeReviewCount> = store
                .negative_reviews_in_buckets(
                    &shop_id,
                    start_ms / BUCKET_MILLIS,
                    end_ms / BUCKET_MILLIS,
                )
                .await
                .unwrap();
            let recount = store
                .negative_reviews_by_scan(&shop_id, start_ms, end_ms)
                .await
                .unwrap();
            assert_eq!(
                incremental, recount,
                "negatives, step {step}, {shop} {start}..{end}"
            );
            let incremental = store
                .delivered_items_in_window(&shop_id, start_ms, end_ms)
                .await
                .unwrap();
            let recount = store
                .delivered_items_by_scan(&shop_id, start_ms, end_ms)
                .await
                .unwrap();
            assert_eq!(
                incremental, recount,
                "delivered per product and SKU, step {step}, {shop} {start}..{end}"
            );
        }
    }
}

async fn incremental_aggregates_equal_a_full_recount_after_random_changes(store: Arc<dyn Store>) {
    let mut random = StdRng::seed_from_u64(20_261_122);
    let mut order_versions = vec![0_i64; 40];
    let mut review_times = vec![0_i64; 40];
    let mut checked_nonzero = false;
    let mut checked_items = false;
    // Orders go in batches of 1 to ~60, so one batch often writes an order several times
    // and full 32-order chunks repeat ids.
    let mut batch: Vec<Record> = Vec::new();
    let mut batch_size = 1;
    for step in 0..400 {
        let index = random.gen_range(0..40);
        let shop = SHOPS[random.gen_range(0..SHOPS.len())];
        if random.gen_bool(0.5) {
            // Insert or update an order; a newer version may move or remove its delivery.
            order_versions[index] += 1;
            let mut changed = order(
                &format!("order-{index}"),
                shop,
                BASE + order_versions[index],
                1,
            );
            // Units of a few products and SKUs, often several of one SKU: the per-item
            // counts must count each order once per product and per SKU.
            let units = random.gen_range(0..5);
            changed.line_items.truncate(1);
            let template = changed.line_items.pop().expect("one line item");
            changed.line_items = (0..units)
                .map(|unit| {
                    let product = random.gen_range(0..2);
                    let mut item = template.clone();
                    item.id = format!("order-{index}-{unit}").into();
                    item.product_id = format!("p{product}").into();
                    item.sku_id = format!("p{product}-s{}", random.gen_range(0..2)).into();
                    item
                })
                .collect();
            changed.delivery_time = if random.gen_bool(0.7) {
                Some(ts(BASE + random.gen_range(0..SPAN_SECONDS)))
            } else {
                None
            };
            batch.push(Record::Order(changed));
        } else {
            // Insert, edit (stars, cause, SKU, time) or re-date a review analysis.
            review_times[index] = review_times[index].max(BASE + random.gen_range(0..SPAN_SECONDS));
            let mut record = analysis(
                &format!("review-{index}"),
                shop,
                random.gen_range(1..=5),
                review_times[index],
            );
            record.root_cause =
                ["product_quality", "delivery", "late_dispatch"][random.gen_range(0..3)].to_owned();
            record.seller_related = record.root_cause != "delivery";
            record.sku_id = format!("s{}", random.gen_range(0..3));
            store.save_review_analyses(&[record]).await.unwrap();
        }
        if batch.len() >= batch_size || step % 50 == 49 {
            store.apply(&batch, None).await.unwrap();
            batch.clear();
            batch_size = [1, 3, 8, 40, 60][random.gen_range(0..5)];
        }
        if step % 50 == 49 {
            assert_aggregates_match_recount(&store, step).await;
            let shop = ShopId::new(SHOPS[0]);
            let delivered = store
                .delivered_orders_by_scan(&shop, BASE * 1000, (BASE + SPAN_SECONDS) * 1000)
                .await
                .unwrap();
            checked_nonzero |= delivered > 0;
            let items = store
                .delivered_items_by_scan(&shop, BASE * 1000, (BASE + SPAN_SECONDS) * 1000)
                .await
                .unwrap();
            checked_items |= items.by_sku.len() > 1 && items.by_product.len() > 1;
        }
    }
    assert!(checked_nonzero, "the random walk delivered some orders");
    assert!(
        checked_items,
        "delivered orders held several products and SKUs"
    );
}

async fn an_edit_from_one_to_four_stars_leaves_the_negatives(store: Arc<dyn Store>) {
    let shop = ShopId::new("shop-a");
    let bucket_range = (
        BASE * 1000 / BUCKET_MILLIS,
        (BASE + SPAN_SECONDS) * 1000 / BUCKET_MILLIS,
    );
    let changed = store
        .save_review_analyses(&[analysis("r1", "shop-a", 1, BASE + 100)])
        .await
        .unwrap();
    assert_eq!(changed, vec![true]);
    let negatives = store
        .negative_reviews_in_buckets(&shop, bucket_range.0, bucket_range.1)
        .await
        .unwrap();
    assert_eq!(negatives.len(), 1);
    assert_eq!(negatives[0].reviews, 1);
    // The same verdict again changes nothing.
    let unchanged = store
        .save_review_analyses(&[analysis("r1", "shop-a", 1, BASE + 100)])
        .await
        .unwrap();
    assert_eq!(unchanged, vec![false]);
    // An older version never replaces a newer one.
    let older = store
        .save_review_analyses(&[analysis("r1", "shop-a", 5, BASE + 50)])
        .await
        .unwrap();
    assert_eq!(older, vec![false]);
    // The buyer edits to 4★ (the platform re-dates the review).
    let edited = store
        .save_review_analyses(&[analysis("r1", "shop-a", 4, BASE + 200)])
        .await
        .unwrap();
    assert_eq!(edited, vec![true]);
    let negatives = store
        .negative_reviews_in_buckets(&shop, bucket_range.0, bucket_range.1)
        .await
        .unwrap();
    assert!(negatives.is_empty(), "{negatives:?}");

    // An order delivered, then its delivery time removed.
    let mut delivered = order("o1", "shop-a", BASE, 1);
    delivered.delivery_time = Some(ts(BASE + 3_600));
    store
        .apply(&[Record::Order(delivered.clone())], None)
        .await
        .unwrap();
    assert_eq!(
        store
            .delivered_orders_in_buckets(&shop, bucket_range.0, bucket_range.1)
            .await
            .unwrap(),
        1
    );
    delivered.update_time = ts(BASE + 10);
    delivered.delivery_time = None;
    store
        .apply(&[Record::Order(delivered)], None)
        .await
        .unwrap();
    assert_eq!(
        store
            .delivered_orders_in_buckets(&shop, bucket_range.0, bucket_range.1)
            .await
            .unwrap(),
        0
    );
}

async fn inbox_filters_drafts_and_channels_round_trip(store: Arc<dyn Store>) {
    let mut thai = analysis("r-th", "shop-b", 2, BASE + 10);
    thai.language = "th".to_owned();
    thai.root_cause = "delivery".to_owned();
    thai.seller_related = false;
    store
        .save_review_analyses(&[
            analysis("r-1", "shop-a", 1, BASE + 20),
            analysis("r-5", "shop-a", 5, BASE + 30),
            thai,
        ])
        .await
        .unwrap();
    let visible = store
        .list_review_analyses(&AnalysisFilter {
            shop_ids: Some(vec![ShopId::new("shop-a")]),
            ..AnalysisFilter::default()
        })
        .await
        .unwrap();
    let ids: Vec<&str> = visible
        .iter()
        .map(|row| row.analysis.review_id.as_str())
        .collect();
    assert_eq!(ids, ["r-5", "r-1"]);
    // Counting matches the list, up to the limit.
    let shop_a = AnalysisFilter {
        shop_ids: Some(vec![ShopId::new("shop-a")]),
        ..AnalysisFilter::default()
    };
    assert_eq!(store.count_review_analyses(&shop_a).await.unwrap(), 2);
    let capped = AnalysisFilter {
        limit: 1,
        ..shop_a.clone()
    };
    assert_eq!(store.count_review_analyses(&capped).await.unwrap(), 1);
    let logistics = store
        .list_review_analyses(&AnalysisFilter {
            seller_related: Some(false),
            language: Some("th".to_owned()),
            max_rating: Some(2),
            ..AnalysisFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(logistics.len(), 1);
    assert_eq!(logistics[0].analysis.review_id, "r-th");
    assert!(!logistics[0].replied);

    assert!(store
        .set_review_handled("r-1", Some(ts(BASE + 99)))
        .await
        .unwrap());
    assert!(!store
        .set_review_handled("missing", Some(ts(BASE)))
        .await
        .unwrap());
    assert!(store.set_report_candidate("r-1", true).await.unwrap());
    let blocked = store
        .add_reply_draft(
            "r-1",
            "Call me on WhatsApp",
            true,
            "[\"off_platform\"]",
            ts(BASE + 100),
        )
        .await
        .unwrap();
    assert!(blocked.blocked);
    let unreplied = store
        .list_review_analyses(&AnalysisFilter {
            replied: Some(false),
            handled: Some(true),
            ..AnalysisFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(unreplied.len(), 1, "a blocked draft is not a reply");
    let unreplied_filter = AnalysisFilter {
        replied: Some(false),
        handled: Some(true),
        ..AnalysisFilter::default()
    };
    assert_eq!(
        store
            .count_review_analyses(&unreplied_filter)
            .await
            .unwrap(),
        1
    );
    assert!(unreplied[0].report_candidate);
    assert_eq!(unreplied[0].handled_at, Some(ts(BASE + 99)));
    store
        .add_reply_draft(
            "r-1",
            "Sorry, we will replace it.",
            false,
            "[]",
            ts(BASE + 101),
        )
        .await
        .unwrap();
    let replied = store
        .list_review_analyses(&AnalysisFilter {
            replied: Some(true),
            ..AnalysisFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(replied.len(), 1);
    assert_eq!(store.reply_drafts("r-1").await.unwrap().len(), 2);

    let channel = NewAlertChannel {
        shop_id: ShopId::new("shop-a"),
        kind: "webhook".to_owned(),
        target: "http://127.0.0.1:9/hook".to_owned(),
        secret: Some("s3cret".to_owned()),
        smtp_server: None,
    };
    let channel_id = store.add_alert_channel(&channel, ts(BASE)).await.unwrap();
    let channels = store.alert_channels(&ShopId::new("shop-a")).await.unwrap();
    assert_eq!(channels.len(), 1);
    assert_eq!(channels[0].channel_id, channel_id);
    assert_eq!(channels[0].channel, channel);
    assert!(store
        .alert_channels(&ShopId::new("shop-b"))
        .await
        .unwrap()
        .is_empty());
}
