//! Pagination: every order exactly once, stable stateless tokens, filters.

use crate::harness::*;
use reqwest::Method;
use serde_json::json;
use std::collections::HashSet;

#[tokio::test]
async fn paging_through_every_shop_covers_all_orders_exactly_once() {
    let app = spawn(config(2_500)).await;
    let mut seen = HashSet::new();
    let mut total = 0;
    for shop in 0..3 {
        for (field, order) in [("update_time", "ASC"), ("create_time", "DESC")] {
            let ids = all_order_ids(&app, shop, field, order, json!({})).await;
            let unique: HashSet<&String> = ids.iter().collect();
            assert_eq!(unique.len(), ids.len(), "no order twice ({field} {order})");
            if field == "update_time" {
                total += ids.len();
                seen.extend(ids);
            }
        }
    }
    assert_eq!(total, 2_500);
    assert_eq!(seen.len(), 2_500);
}

#[tokio::test]
async fn pages_are_sorted_and_the_last_page_has_an_empty_token() {
    let app = spawn(config(400)).await;
    let mut previous = 0;
    let mut token = String::new();
    let mut pages = 0;
    loop {
        let mut call = app
            .call(Method::POST, "/order/202309/orders/search", 0)
            .param("page_size", "50")
            .param("sort_field", "update_time")
            .param("sort_order", "ASC");
        if !token.is_empty() {
            call = call.param("page_token", &token);
        }
        let (_, answer) = call.send(&app).await;
        assert_eq!(answer["code"], 0, "{answer}");
        for order in answer["data"]["orders"].as_array().unwrap() {
            let update_time = order["update_time"].as_i64().unwrap();
            assert!(update_time >= previous);
            previous = update_time;
        }
        pages += 1;
        token = answer["data"]["next_page_token"]
            .as_str()
            .unwrap()
            .to_string();
        if token.is_empty() {
            break;
        }
    }
    assert!(pages > 1);
}

#[tokio::test]
async fn a_saved_token_gives_the_same_page_again() {
    let app = spawn(config(600)).await;
    let first = |token: Option<String>| {
        let mut call = app
            .call(Method::POST, "/order/202309/orders/search", 0)
            .param("page_size", "20")
            .param("sort_field", "update_time")
            .param("sort_order", "ASC")
            .json(json!({"update_time_ge": 0}));
        if let Some(token) = token {
            call = call.param("page_token", &token);
        }
        call.send(&app)
    };
    let (_, page_one) = first(None).await;
    let token = page_one["data"]["next_page_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, again) = first(Some(token.clone())).await;
    let (_, and_again) = first(Some(token)).await;
    assert_eq!(again["data"]["orders"], and_again["data"]["orders"]);
    assert_ne!(again["data"]["orders"], page_one["data"]["orders"]);
}

#[tokio::test]
async fn a_token_used_with_another_filter_is_refused() {
    let app = spawn(config(300)).await;
    let (_, page) = app
        .call(Method::POST, "/order/202309/orders/search", 0)
        .param("page_size", "10")
        .json(json!({"update_time_ge": 1}))
        .send(&app)
        .await;
    let token = page["data"]["next_page_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, answer) = app
        .call(Method::POST, "/order/202309/orders/search", 0)
        .param("page_size", "10")
        .param("page_token", &token)
        .json(json!({"update_time_ge": 2}))
        .send(&app)
        .await;
    assert_eq!(answer["code"], 36_009_004, "{answer}");
}

#[tokio::test]
async fn time_windows_and_status_filters_select_exactly_the_matching_orders() {
    let app = spawn(config(1_500)).await;
    let (from, to) = app.double.with_world(|world| {
        let start = world.generated_at - 10 * 86_400;
        (start, start + 5 * 86_400)
    });
    let expected: HashSet<String> = app.double.with_world(|world| {
        (0..world.orders.len() as u32)
            .filter(|order| {
                let value = &world.orders[*order as usize];
                value.shop == 2
                    && value.update_time >= from
                    && value.update_time < to
                    && value.status.as_str() == "DELIVERED"
            })
            .map(|order| shopcare_platform_double::World::order_id(order).to_string())
            .collect()
    });
    assert!(!expected.is_empty());
    let ids = all_order_ids(
        &app,
        2,
        "update_time",
        "ASC",
        json!({"update_time_ge": from, "update_time_lt": to, "order_status": "DELIVERED"}),
    )
    .await;
    assert_eq!(ids.into_iter().collect::<HashSet<_>>(), expected);
}

#[tokio::test]
async fn returns_cancellations_packages_products_and_chats_page_to_the_end() {
    let app = spawn(config(3_000)).await;
    let expected = app.double.with_world(|world| {
        (
            world
                .returns
                .iter()
                .filter(|value| world.orders[value.order as usize].shop == 0)
                .count(),
            world
                .cancellations
                .iter()
                .filter(|value| world.orders[value.order as usize].shop == 0)
                .count(),
            world
                .conversations
                .iter()
                .filter(|value| value.shop == 0)
                .count(),
            world.shops[0].product_count as usize,
            world
                .orders
                .iter()
                .filter(|order| order.shop == 0)
                .map(|order| order.package_count() as usize)
                .sum::<usize>(),
        )
    });
    let walk = |path: &'static str, list: &'static str, size: &'static str, method: Method| {
        let app = &app;
        async move {
            let mut count = 0;
            let mut token = String::new();
            loop {
                let mut call = app.call(method.clone(), path, 0).param("page_size", size);
                if method == Method::POST {
                    call = call.json(json!({}));
                }
                if !token.is_empty() {
                    call = call.param("page_token", &token);
                }
                let (_, answer) = call.send(app).await;
                assert_eq!(answer["code"], 0, "{path}: {answer}");
                count += answer["data"][list].as_array().unwrap().len();
                token = answer["data"]["next_page_token"]
                    .as_str()
                    .unwrap()
                    .to_string();
                if token.is_empty() {
                    return count;
                }
            }
        }
    };
    assert_eq!(
        walk(
            "/return_refund/202309/returns/search",
            "return_orders",
            "50",
            Method::POST
        )
        .await,
        expected.0
    );
    assert_eq!(
        walk(
            "/return_refund/202309/cancellations/search",
            "cancellations",
            "50",
            Method::POST
        )
        .await,
        expected.1
    );
    assert_eq!(
        walk(
            "/customer_service/202309/conversations",
            "conversations",
            "20",
            Method::GET
        )
        .await,
        expected.2
    );
    assert_eq!(
        walk(
            "/product/202309/products/search",
            "products",
            "7",
            Method::POST
        )
        .await,
        expected.3
    );
    assert_eq!(
        walk(
            "/fulfillment/202309/packages/search",
            "packages",
            "50",
            Method::POST
        )
        .await,
        expected.4
    );
}
