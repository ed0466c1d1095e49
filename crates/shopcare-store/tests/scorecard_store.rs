//! Contract tests for [`ScorecardStore`] on SQLite (always) and PostgreSQL (when
//! `SHOPCARE_TEST_POSTGRES_URL` is set): weekly counts fall in the right week and shop,
//! repeat purchases are found per buyer, per-SKU counts join orders and cases, and cases
//! are found by order.

mod contract_suite;

use contract_suite::fixtures::{case, order, review, ts};
use contract_suite::TestDb;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use shopcare_core::{AfterSalesKind, BuyerId, OrderStatus, ReturnStatus, ShopId};
use shopcare_store::{CaseWeek, OrderWeek, Record, RepeatWeek, ReviewWeek, Store};
use std::collections::HashMap;
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
    weekly_and_sku_counts_land_in_the_right_week_and_shop,
    weekly_order_and_review_counts_follow_random_changes,
);

/// 2026-01-05T00:00:00Z (a Monday), in seconds.
const MONDAY: i64 = 1_767_571_200;
const DAY: i64 = 86_400;

fn placed(id: &str, shop: &str, buyer: &str, day: i64, items: usize) -> shopcare_core::Order {
    let mut order = order(id, shop, MONDAY + day * DAY + 60, items);
    order.create_time = ts(MONDAY + day * DAY);
    order.buyer = BuyerId::new(buyer);
    order
}

async fn weekly_and_sku_counts_land_in_the_right_week_and_shop(store: Arc<dyn Store>) {
    let shop = ShopId::new("shop-a");
    let mut shipped = placed("o1", "shop-a", "buyer-x", 1, 2);
    shipped.shipped_time = Some(ts(MONDAY + 2 * DAY));
    let again = placed("o2", "shop-a", "buyer-x", 10, 1);
    let mut cancelled = placed("o3", "shop-a", "buyer-y", 2, 1);
    cancelled.status = OrderStatus::Cancelled;
    let other_shop = placed("o4", "shop-b", "buyer-x", 1, 1);
    let later = placed("o5", "shop-a", "buyer-w", 20, 1);
    let mut missing = case(
        "c1",
        "shop-a",
        ReturnStatus::RequestPending,
        MONDAY + 3 * DAY,
        &[],
    );
    missing.order_id = "o1".into();
    missing.reason = Some("Missing parts".to_owned());
    missing.create_time = ts(MONDAY + 3 * DAY);
    let mut refund = case(
        "c2",
        "shop-a",
        ReturnStatus::RequestPending,
        MONDAY + 8 * DAY,
        &[],
    );
    refund.kind = AfterSalesKind::Refund;
    refund.create_time = ts(MONDAY + 8 * DAY);
    let records = vec![
        Record::Order(shipped),
        Record::Order(again),
        Record::Order(cancelled),
        Record::Order(other_shop),
        Record::Order(later),
        Record::Case(missing),
        Record::Case(refund),
        Record::Review(review("r1", "shop-a", 4, MONDAY + DAY)),
        Record::Review(review("r2", "shop-a", 2, MONDAY + 9 * DAY)),
        Record::Review(review("r3", "shop-b", 1, MONDAY + DAY)),
    ];
    store.apply(&records, None).await.expect("applied");
    let edges: Vec<i64> = (0..3)
        .map(|week| (MONDAY + week * 7 * DAY) * 1000)
        .collect();

    assert_eq!(
        store.order_weeks(&shop, &edges).await.expect("orders"),
        vec![
            OrderWeek {
                week: 0,
                orders: 2,
                shipped: 1,
                cancelled: 1
            },
            OrderWeek {
                week: 1,
                orders: 1,
                shipped: 0,
                cancelled: 0
            },
        ]
    );
    assert_eq!(
        store.case_weeks(&shop, &edges).await.expect("cases"),
        vec![
            CaseWeek {
                week: 0,
                refunds: 1,
                returns: 1,
                missing_parts: 1
            },
            CaseWeek {
                week: 1,
                refunds: 1,
                returns: 0,
                missing_parts: 0
            },
        ]
    );
    let text_chars =
        |id: &str, stars: u64| format!("{stars} stars from review {id}").chars().count() as u64;
    assert_eq!(
        store.review_weeks(&shop, &edges).await.expect("reviews"),
        vec![
            ReviewWeek {
                week: 0,
                reviews: 1,
                star_sum: 4,
                text_chars: text_chars("r1", 4)
            },
            ReviewWeek {
                week: 1,
                reviews: 1,
                star_sum: 2,
                text_chars: text_chars("r2", 2)
            },
        ]
    );
    // o1's buyer came back 9 days later (o2); o3's never did; o4 is another shop's order.
    assert_eq!(
        store.repeat_weeks(&shop, &edges).await.expect("repeats"),
        vec![
            RepeatWeek {
                week: 0,
                orders: 2,
                repeat_30d: 1,
                repeat_60d: 1,
                repeat_90d: 1
            },
            RepeatWeek {
                week: 1,
                orders: 1,
                repeat_30d: 0,
                repeat_60d: 0,
                repeat_90d: 0
            },
        ]
    );

    let skus = store
        .sku_scores(&shop, edges[0], edges[2])
        .await
        .expect("skus");
    let units: Vec<(&str, u64, u64, u64)> = skus
        .iter()
        .map(|sku| {
            (
                sku.sku_id.as_str(),
                sku.units,
                sku.refund_cases,
                sku.missing_parts_cases,
            )
        })
        .collect();
    // o1 carries both SKUs (so c1 counts for both); o2 and o3 carry the first.
    assert_eq!(
        units,
        vec![
            ("1729000000000000100", 3, 1, 1),
            ("1729000000000000101", 1, 1, 1)
        ]
    );
    assert!(skus[0].name.contains("kettle"), "{}", skus[0].name);

    let cases = store
        .cases_of_orders(&["o1".to_owned(), "nope".to_owned()])
        .await
        .expect("cases of orders");
    assert_eq!(cases.len(), 1);
    assert_eq!(
        (cases[0].case_id.as_str(), cases[0].kind.as_str()),
        ("c1", "RETURN_AND_REFUND")
    );
    assert!(store.cases_of_orders(&[]).await.expect("none").is_empty());
}

/// Orders and reviews rewritten at random (moved between weeks, shops and buyers, shipped,
/// cancelled, re-rated, re-worded): the weekly counts and repeat purchases, kept
/// incrementally, always equal a count of what the test last wrote. Edges at UTC+7
/// midnights: not on UTC days.
async fn weekly_order_and_review_counts_follow_random_changes(store: Arc<dyn Store>) {
    let mut random = StdRng::seed_from_u64(20_261_206);
    let shops = ["shop-a", "shop-b"];
    let offset = -7 * 3_600;
    let edges: Vec<i64> = (0..4)
        .map(|week| (MONDAY + offset + week * 7 * DAY) * 1000)
        .collect();
    let in_week = |seconds: i64| {
        (0..3).find(|week| (edges[*week] / 1000..edges[week + 1] / 1000).contains(&seconds))
    };
    // id → (shop, create seconds, shipped, cancelled, buyer) and (shop, seconds, stars, text).
    let mut orders: HashMap<usize, (usize, i64, bool, bool, &str)> = HashMap::new();
    let mut reviews: HashMap<usize, (usize, i64, u64, String)> = HashMap::new();
    let mut versions = [0_i64; 20];
    let mut saw_repeats = false;
    // Writes go in batches of 1 to ~60 records, so one batch often inserts an order and
    // then rewrites it, or moves another order of the same buyer, and full 32-order
    // chunks repeat ids.
    let mut batch: Vec<Record> = Vec::new();
    let mut batch_size = 1;
    for step in 0..300 {
        let id = random.gen_range(0..20);
        let shop = random.gen_range(0..2);
        let seconds = MONDAY - DAY + random.gen_range(0..26 * DAY);
        if random.gen_bool(0.5) {
            versions[id] += 1;
            // Whole days, often the same day (ties), sometimes months before or after
            // the weeks, so repeats fall inside and outside 30, 60 and 90 days.
            let seconds = if random.gen_bool(0.6) {
                MONDAY + offset + random.gen_range(-1..22) * DAY
            } else {
                MONDAY + offset + random.gen_range(-100..120) * DAY
            };
            let buyer = ["buyer-x", "buyer-y", "buyer-z", ""][random.gen_range(0..4)];
            let mut order = placed(&format!("o{id}"), shops[shop], buyer, 0, 1);
            order.update_time = ts(MONDAY + versions[id]);
            order.create_time = ts(seconds);
            let shipped = random.gen_bool(0.5);
            order.shipped_time = shipped.then(|| ts(seconds + 3_600));
            let cancelled = random.gen_bool(0.3);
            if cancelled {
                order.status = OrderStatus::Cancelled;
            }
            batch.push(Record::Order(order));
            orders.insert(id, (shop, seconds, shipped, cancelled, buyer));
        } else {
            // A review only replaces the stored one when it is newer.
            let stars = random.gen_range(1..=5);
            let mut written = review(&format!("r{id}"), shops[shop], stars, seconds);
            written.text = "x".repeat(random.gen_range(0..40));
            let text = written.text.clone();
            batch.push(Record::Review(written));
            if reviews.get(&id).is_none_or(|stored| seconds > stored.1) {
                reviews.insert(id, (shop, seconds, stars as u64, text));
            }
        }
        if batch.len() >= batch_size || step % 30 == 29 {
            store.apply(&batch, None).await.unwrap();
            batch.clear();
            batch_size = [1, 3, 8, 40, 60][random.gen_range(0..5)];
        }
        if step % 30 != 29 {
            continue;
        }
        for (index, shop_name) in shops.iter().enumerate() {
            let mut expected_orders: Vec<OrderWeek> = (0..3)
                .map(|week| OrderWeek {
                    week,
                    ..OrderWeek::default()
                })
                .collect();
            for (shop, seconds, shipped, cancelled, _) in orders.values() {
                if let (true, Some(week)) = (*shop == index, in_week(*seconds)) {
                    expected_orders[week].orders += 1;
                    expected_orders[week].shipped += u64::from(*shipped);
                    expected_orders[week].cancelled += u64::from(*cancelled);
                }
            }
            expected_orders.retain(|week| week.orders > 0);
            let mut expected_reviews: Vec<ReviewWeek> = (0..3)
                .map(|week| ReviewWeek {
                    week,
                    ..ReviewWeek::default()
                })
                .collect();
            for (shop, seconds, stars, text) in reviews.values() {
                if let (true, Some(week)) = (*shop == index, in_week(*seconds)) {
                    expected_reviews[week].reviews += 1;
                    expected_reviews[week].star_sum += stars;
                    expected_reviews[week].text_chars += text.chars().count() as u64;
                }
            }
            expected_reviews.retain(|week| week.reviews > 0);
            let mut expected_repeats: Vec<RepeatWeek> = (0..3)
                .map(|week| RepeatWeek {
                    week,
                    ..RepeatWeek::default()
                })
                .collect();
            for (shop, seconds, _, _, buyer) in orders.values() {
                let (true, false, Some(week)) =
                    (*shop == index, buyer.is_empty(), in_week(*seconds))
                else {
                    continue;
                };
                let next = orders
                    .values()
                    .filter(|other| other.0 == index && other.4 == *buyer && other.1 > *seconds)
                    .map(|other| other.1)
                    .min();
                let row = &mut expected_repeats[week];
                row.orders += 1;
                if let Some(next) = next {
                    row.repeat_30d += u64::from(next - seconds <= 30 * DAY);
                    row.repeat_60d += u64::from(next - seconds <= 60 * DAY);
                    row.repeat_90d += u64::from(next - seconds <= 90 * DAY);
                }
            }
            expected_repeats.retain(|week| week.orders > 0);
            saw_repeats |= expected_repeats
                .iter()
                .any(|week| week.repeat_30d > 0 && week.repeat_90d > week.repeat_30d);
            let shop_id = ShopId::new(*shop_name);
            assert_eq!(
                store.repeat_weeks(&shop_id, &edges).await.unwrap(),
                expected_repeats,
                "repeats, step {step}, {shop_name}"
            );
            assert_eq!(
                store.order_weeks(&shop_id, &edges).await.unwrap(),
                expected_orders,
                "orders, step {step}, {shop_name}"
            );
            assert_eq!(
                store.review_weeks(&shop_id, &edges).await.unwrap(),
                expected_reviews,
                "reviews, step {step}, {shop_name}"
            );
        }
    }
    assert!(
        saw_repeats,
        "buyers came back within 30 days and within 90 only"
    );
}
