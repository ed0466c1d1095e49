//! Every gateway check of reference §10, through raw HTTP requests.

use crate::harness::*;
use reqwest::Method;
use serde_json::json;

const SEARCH: &str = "/order/202309/orders/search";

async fn app() -> TestApp {
    spawn(config(300)).await
}

#[tokio::test]
async fn a_correct_request_succeeds_with_the_envelope() {
    let app = app().await;
    let (status, answer) = app
        .call(Method::POST, SEARCH, 0)
        .param("page_size", "5")
        .json(json!({}))
        .send(&app)
        .await;
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["code"], 0);
    assert_eq!(answer["message"], "Success");
    assert!(answer["request_id"]
        .as_str()
        .is_some_and(|id| id.len() >= 20));
    assert_eq!(answer["data"]["orders"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn a_bad_sign_is_401_with_106001() {
    let app = app().await;
    let (status, answer) = app
        .call(Method::POST, SEARCH, 0)
        .param("page_size", "5")
        .sign(SignMode::Wrong)
        .send(&app)
        .await;
    assert_eq!(
        (status, answer["code"].as_u64()),
        (401, Some(106_001)),
        "{answer}"
    );
}

#[tokio::test]
async fn a_body_changed_after_signing_fails_the_sign() {
    let app = app().await;
    let (status, answer) = app
        .call(Method::POST, SEARCH, 0)
        .param("page_size", "5")
        .json(json!({"order_status": "DELIVERED"}))
        .send_body_instead(br#"{"order_status":"COMPLETED"}"#)
        .send(&app)
        .await;
    assert_eq!((status, answer["code"].as_u64()), (401, Some(106_001)));
}

#[tokio::test]
async fn stale_and_future_timestamps_are_rejected() {
    let app = app().await;
    for timestamp in [now() - 400, now() + 120] {
        let (status, answer) = app
            .call(Method::POST, SEARCH, 0)
            .param("page_size", "5")
            .param("timestamp", &timestamp.to_string())
            .send(&app)
            .await;
        assert_eq!(
            (status, answer["code"].as_u64()),
            (400, Some(36_009_004)),
            "{answer}"
        );
        assert!(answer["message"].as_str().unwrap().contains("timestamp"));
    }
    // Inside the window (4 minutes old, 20 seconds ahead) is fine.
    for timestamp in [now() - 240, now() + 20] {
        let (_, answer) = app
            .call(Method::POST, SEARCH, 0)
            .param("page_size", "5")
            .param("timestamp", &timestamp.to_string())
            .send(&app)
            .await;
        assert_eq!(answer["code"], 0, "{answer}");
    }
}

#[tokio::test]
async fn a_missing_sign_or_app_key_is_36009004() {
    let app = app().await;
    let (status, answer) = app
        .call(Method::POST, SEARCH, 0)
        .param("page_size", "5")
        .sign(SignMode::Missing)
        .send(&app)
        .await;
    assert_eq!((status, answer["code"].as_u64()), (400, Some(36_009_004)));
    let (_, answer) = app
        .call(Method::POST, SEARCH, 0)
        .param("page_size", "5")
        .param("app_key", "someone-else")
        .send(&app)
        .await;
    assert_eq!(answer["code"], 36_009_004);
    assert!(answer["message"].as_str().unwrap().contains("app_key"));
}

#[tokio::test]
async fn a_missing_cipher_on_a_shop_endpoint_is_106013() {
    let app = app().await;
    let (status, answer) = Call::new(Method::POST, SEARCH)
        .param("page_size", "5")
        .token(&app.token)
        .send(&app)
        .await;
    assert_eq!(
        (status, answer["code"].as_u64()),
        (400, Some(106_013)),
        "{answer}"
    );
}

#[tokio::test]
async fn a_cipher_the_token_does_not_own_is_101000() {
    let app = app().await;
    let (_, answer) = app
        .call(Method::POST, SEARCH, 0)
        .param("page_size", "5")
        .param("shop_cipher", "ROW_notoneofours")
        .send(&app)
        .await;
    assert_eq!(answer["code"], 101_000, "{answer}");
}

#[tokio::test]
async fn a_cipher_on_the_shops_endpoint_is_not_allowed() {
    let app = app().await;
    let (status, answer) = app
        .call(Method::GET, "/authorization/202309/shops", 0)
        .send(&app)
        .await;
    assert_eq!((status, answer["code"].as_u64()), (400, Some(36_009_004)));
    let (_, answer) = Call::new(Method::GET, "/authorization/202309/shops")
        .token(&app.token)
        .send(&app)
        .await;
    assert_eq!(answer["code"], 0, "{answer}");
    let shops = answer["data"]["shops"].as_array().unwrap();
    assert_eq!(shops.len(), 3);
    assert_eq!(shops[0]["cipher"], app.shops[0].cipher.as_str());
    assert_eq!(shops[0]["id"], app.shops[0].id.as_str());
}

#[tokio::test]
async fn unknown_paths_are_404_and_wrong_methods_36009010() {
    let app = app().await;
    let (status, answer) = app
        .call(Method::GET, "/order/202309/nothing_here", 0)
        .send(&app)
        .await;
    assert_eq!((status, answer["code"].as_u64()), (404, Some(36_009_009)));
    let (status, answer) = app
        .call(Method::POST, "/order/v2/orders/search", 0)
        .send(&app)
        .await;
    assert_eq!((status, answer["code"].as_u64()), (404, Some(36_009_009)));
    let (_, answer) = app.call(Method::GET, SEARCH, 0).send(&app).await;
    assert_eq!(answer["code"], 36_009_010, "{answer}");
}

#[tokio::test]
async fn any_six_digit_version_is_served() {
    let app = app().await;
    let order_id = app.double.with_world(|world| {
        let index = world
            .orders
            .iter()
            .position(|order| order.shop == 1)
            .unwrap();
        shopcare_platform_double::World::order_id(index as u32).to_string()
    });
    for version in ["202309", "202507"] {
        let (_, answer) = app
            .call(Method::GET, &format!("/order/{version}/orders"), 1)
            .param("ids", &order_id)
            .send(&app)
            .await;
        assert_eq!(answer["code"], 0, "{answer}");
        assert_eq!(answer["data"]["orders"][0]["id"], order_id.as_str());
    }
}

#[tokio::test]
async fn bad_and_expired_tokens_are_refused_and_refresh_recovers() {
    let app = app().await;
    let (_, answer) = app
        .call(Method::POST, SEARCH, 0)
        .param("page_size", "5")
        .token("TTP_made_up")
        .send(&app)
        .await;
    assert_eq!(answer["code"], 36_009_004);

    app.control("/_double/tokens/expire", json!({})).await;
    let (_, answer) = app
        .call(Method::POST, SEARCH, 0)
        .param("page_size", "5")
        .send(&app)
        .await;
    assert_eq!(answer["code"], 105_002, "{answer}");

    let first: serde_json::Value = app
        .http
        .get(format!(
            "{}/api/v2/token/get?app_key={APP_KEY}&app_secret={APP_SECRET}&auth_code={AUTH_CODE}&grant_type=authorized_code",
            app.double.base_url()
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        first["code"], 36_004_004,
        "the code was used by spawn(): {first}"
    );
}

#[tokio::test]
async fn refresh_issues_a_new_access_token_with_absolute_expiries() {
    let config = config(100);
    let double = shopcare_platform_double::PlatformDouble::start(config)
        .await
        .unwrap();
    let http = reqwest::Client::new();
    let get = |url: String| {
        let http = http.clone();
        async move {
            http.get(url)
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()
        }
    };
    let token = get(format!(
        "{}/api/v2/token/get?app_key={APP_KEY}&app_secret={APP_SECRET}&auth_code={AUTH_CODE}&grant_type=authorization_code",
        double.base_url()
    ))
    .await;
    assert_eq!(
        token["code"], 36_009_004,
        "the grant type is spelled authorized_code"
    );
    let token = get(format!(
        "{}/api/v2/token/get?app_key={APP_KEY}&app_secret={APP_SECRET}&auth_code={AUTH_CODE}&grant_type=authorized_code",
        double.base_url()
    ))
    .await;
    assert_eq!(token["code"], 0);
    let data = &token["data"];
    let expiry = data["access_token_expire_in"].as_i64().unwrap();
    assert!(expiry > now() + 6 * 86_400 && expiry <= now() + 7 * 86_400 + 5);
    assert_eq!(data["user_type"], 0);
    let refresh = data["refresh_token"].as_str().unwrap();
    let refreshed = get(format!(
        "{}/api/v2/token/refresh?app_key={APP_KEY}&app_secret={APP_SECRET}&refresh_token={refresh}&grant_type=refresh_token",
        double.base_url()
    ))
    .await;
    assert_eq!(refreshed["code"], 0, "{refreshed}");
    assert_ne!(refreshed["data"]["access_token"], data["access_token"]);
    assert_eq!(refreshed["data"]["refresh_token"], data["refresh_token"]);
    double.shutdown().await;
}

#[tokio::test]
async fn checks_run_in_the_documented_order() {
    let app = app().await;
    // A stale timestamp is reported before a bad sign.
    let (_, answer) = app
        .call(Method::POST, SEARCH, 0)
        .param("timestamp", &(now() - 1_000).to_string())
        .sign(SignMode::Wrong)
        .send(&app)
        .await;
    assert_eq!(answer["code"], 36_009_004);
    // A missing cipher is reported before a bad sign.
    let (_, answer) = Call::new(Method::POST, SEARCH)
        .token(&app.token)
        .sign(SignMode::Wrong)
        .send(&app)
        .await;
    assert_eq!(answer["code"], 106_013);
    // The route is checked before anything else.
    let (_, answer) = Call::new(Method::GET, "/nothing/202309/here")
        .sign(SignMode::Missing)
        .send(&app)
        .await;
    assert_eq!(answer["code"], 36_009_009);
}

#[tokio::test]
async fn page_sizes_out_of_range_are_invalid_parameters() {
    let app = app().await;
    for size in ["0", "101", "x"] {
        let (_, answer) = app
            .call(Method::POST, SEARCH, 0)
            .param("page_size", size)
            .send(&app)
            .await;
        assert_eq!(answer["code"], 36_009_004, "page_size {size}: {answer}");
    }
    let (_, answer) = app
        .call(Method::POST, "/return_refund/202309/returns/search", 0)
        .param("page_size", "5")
        .send(&app)
        .await;
    assert_eq!(answer["code"], 36_009_004, "returns pages are 10-50");
}

#[tokio::test]
async fn faults_inject_429_with_retry_after_and_503() {
    let app = app().await;
    app.control(
        "/_double/faults",
        json!({"rate_limit_next": 2, "retry_after_seconds": 7, "unavailable_next": 1}),
    )
    .await;
    let url = format!("{}/authorization/202309/shops", app.double.base_url());
    for _ in 0..2 {
        let response = app.http.get(&url).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 429);
        assert_eq!(response.headers()["retry-after"], "7");
        let answer: serde_json::Value = response.json().await.unwrap();
        assert_eq!(answer["code"], 36_009_002);
    }
    let response = app.http.get(&url).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 503);
    let (_, answer) = Call::new(Method::GET, "/authorization/202309/shops")
        .token(&app.token)
        .send(&app)
        .await;
    assert_eq!(answer["code"], 0, "faults are used up: {answer}");
}
