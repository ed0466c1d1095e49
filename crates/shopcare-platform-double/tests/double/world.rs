//! The generated world: every status, realistic ratings, complaints that follow the
//! order's history, texts in the shops' languages.

use crate::harness::world_config;
use shopcare_platform_double::phrases::Complaint;
use shopcare_platform_double::world::{
    order_flags, OrderIssue, OrderStatus, ReturnStatus, ReturnType,
};
use shopcare_platform_double::World;
use std::collections::HashSet;

fn world(orders: u64) -> World {
    let mut config = world_config(orders);
    config.shops = 9;
    World::generate(&config).unwrap()
}

#[test]
fn every_order_status_return_type_and_status_appears() {
    let world = world(20_000);
    assert_eq!(world.orders.len(), 20_000);
    let statuses: HashSet<OrderStatus> = world.orders.iter().map(|order| order.status).collect();
    for status in OrderStatus::ALL {
        assert!(statuses.contains(&status), "{status:?} missing");
    }
    let types: HashSet<ReturnType> = world
        .returns
        .iter()
        .map(|value| value.return_type)
        .collect();
    assert_eq!(types.len(), 3);
    let return_statuses: HashSet<ReturnStatus> =
        world.returns.iter().map(|value| value.status).collect();
    assert!(return_statuses.len() >= 13, "{return_statuses:?}");
    let settled = world
        .orders
        .iter()
        .filter(|order| {
            matches!(
                order.status,
                OrderStatus::Delivered | OrderStatus::Completed
            )
        })
        .count();
    assert!(
        settled * 100 / world.orders.len() > 60,
        "most orders are delivered or completed"
    );
    let late = world
        .orders
        .iter()
        .filter(|order| order.has_flag(order_flags::SHIPPED_LATE))
        .count();
    let shipped = world
        .orders
        .iter()
        .filter(|order| order.rts_time > 0)
        .count();
    let late_share = late as f64 / shipped as f64;
    assert!(
        (0.05..0.11).contains(&late_share),
        "late share {late_share}"
    );
}

#[test]
fn shops_span_regions_with_their_zone_currency_and_languages() {
    let world = world(500);
    let regions: HashSet<&str> = world.shops.iter().map(|shop| shop.region).collect();
    assert_eq!(regions.len(), 9);
    let thailand = world.shops.iter().find(|shop| shop.region == "TH").unwrap();
    assert_eq!(
        (thailand.currency, thailand.time_zone),
        ("THB", "Asia/Bangkok")
    );
    assert_eq!(thailand.languages[0], "th");
    for shop in &world.shops {
        assert!((18..=19).contains(&shop.id.len()) && shop.id.bytes().all(|b| b.is_ascii_digit()));
        assert!(shop.cipher.starts_with("ROW_") || shop.cipher.starts_with("US_"));
    }
}

#[test]
fn ratings_are_skewed_like_real_shops() {
    let world = world(30_000);
    let mut counts = [0usize; 6];
    for review in &world.reviews {
        counts[review.rating as usize] += 1;
    }
    let total = world.reviews.len() as f64;
    let share = |count: usize| count as f64 / total;
    assert!((0.6..0.8).contains(&share(counts[5])), "5★ {counts:?}");
    assert!((0.1..0.2).contains(&share(counts[4])), "4★ {counts:?}");
    assert!((0.03..0.1).contains(&share(counts[3])), "3★ {counts:?}");
    assert!(
        (0.05..0.14).contains(&share(counts[1] + counts[2])),
        "1–2★ {counts:?}"
    );
}

#[test]
fn complaints_follow_what_happened_to_the_order() {
    let world = world(30_000);
    let mut checked = 0;
    for review in &world.reviews {
        let order = &world.orders[review.order as usize];
        if review.rating == 5 {
            assert_eq!(review.complaint, Complaint::None);
            continue;
        }
        let expected = match order.issue {
            OrderIssue::Damaged => Some(Complaint::Damaged),
            OrderIssue::WrongVariant => Some(Complaint::WrongVariant),
            OrderIssue::MissingPart => Some(Complaint::MissingPart),
            _ => None,
        };
        if let Some(expected) = expected {
            assert_eq!(review.complaint, expected);
            checked += 1;
        } else if order.issue == OrderIssue::None && review.complaint == Complaint::ShippedLate {
            assert!(order.has_flag(order_flags::SHIPPED_LATE));
        } else if order.issue == OrderIssue::None && review.complaint == Complaint::StalledTracking
        {
            assert!(
                order.has_flag(order_flags::STALLED) || order.has_flag(order_flags::FAILED_ATTEMPT)
            );
        }
    }
    assert!(checked > 20);
}

#[test]
fn review_texts_are_in_the_shops_languages() {
    let world = world(3_000);
    let thai_shop = world
        .shops
        .iter()
        .position(|shop| shop.region == "TH")
        .unwrap() as u16;
    let thai_texts: Vec<String> = (0..world.reviews.len() as u32)
        .filter(|review| {
            world.orders[world.reviews[*review as usize].order as usize].shop == thai_shop
        })
        .map(|review| world.review_text(review))
        .collect();
    assert!(!thai_texts.is_empty());
    let in_thai = thai_texts
        .iter()
        .filter(|text| text.chars().any(|c| ('\u{0E00}'..='\u{0E7F}').contains(&c)))
        .count();
    assert!(
        in_thai * 2 > thai_texts.len(),
        "most Thai shop reviews are in Thai"
    );
    assert!(thai_texts.iter().all(|text| !text.trim().is_empty()));
}

#[test]
fn pending_returns_carry_a_future_seller_deadline() {
    let world = world(20_000);
    let pending: Vec<_> = world
        .returns
        .iter()
        .filter(|value| value.seller_action().is_some())
        .collect();
    assert!(!pending.is_empty());
    for value in pending {
        assert!(
            value.seller_deadline > world.generated_at,
            "deadline after now"
        );
        assert!(value.seller_deadline > value.create_time);
    }
}

#[test]
fn bad_configs_are_refused_with_a_reason() {
    let mut config = world_config(10);
    config.shops = 0;
    let error = World::generate(&config).unwrap_err();
    assert!(error.to_string().contains("shops"));
}
