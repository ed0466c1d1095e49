//! Every error path of the platform double, reached through our own client over real
//! HTTP: the client must turn each into the right typed error, or retry it away.

use shopcare_platform_double::{DoubleConfig, DoubleHandle, Faults, PlatformDouble, WorldConfig};
use shopcare_tiktok::dto::{OrderSearch, ReturnSearch};
use shopcare_tiktok::{ApiError, ClientConfig, RetryPolicy, TikTokClient};
use std::time::Duration;

const KEY: &str = "errkey";
const SECRET: &str = "err-secret";
const CODE: &str = "err-code";

async fn double() -> DoubleHandle {
    PlatformDouble::start(DoubleConfig {
        app_key: KEY.to_owned(),
        app_secret: SECRET.to_owned(),
        seller_auth_code: CODE.to_owned(),
        world: WorldConfig {
            shops: 2,
            orders: 300,
            days: 30,
            seed: 3,
            as_of: chrono::Utc::now().date_naive(),
        },
        ..DoubleConfig::default()
    })
    .await
    .expect("double starts")
}

fn client(double: &DoubleHandle, secret: &str, retry: RetryPolicy) -> TikTokClient {
    TikTokClient::new(ClientConfig {
        api_base_url: double.base_url(),
        auth_base_url: double.base_url(),
        retry,
        ..ClientConfig::new(KEY, secret)
    })
    .expect("client")
}

fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(2),
        max_jitter: Duration::from_millis(5),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_platform_error_becomes_its_typed_error() {
    let double = double().await;
    let good = client(&double, SECRET, fast_retries());
    let tokens = good
        .exchange_auth_code(CODE)
        .await
        .expect("first exchange works");

    // The authorization code is single-use.
    match good.exchange_auth_code(CODE).await {
        Err(ApiError::BadAuthCode { .. }) => {}
        other => panic!("reused code: {other:?}"),
    }

    // A wrong app secret signs wrongly.
    let wrong = client(&double, "not-the-secret", RetryPolicy::none());
    match wrong.authorized_shops(&tokens.access_token).await {
        Err(ApiError::BadSign { .. }) => {}
        other => panic!("bad sign: {other:?}"),
    }

    let shops = good
        .authorized_shops(&tokens.access_token)
        .await
        .expect("shops");
    assert_eq!(shops.len(), 2);
    let cipher = shops[0].cipher.clone().expect("cipher");

    // A token for another seller's cipher.
    let foreign = "ROW_NOT_THIS_SELLERS_CIPHER";
    match good
        .search_orders(
            foreign,
            &tokens.access_token,
            &OrderSearch::default(),
            10,
            None,
        )
        .await
    {
        Err(ApiError::WrongUserTypeOrShop { .. } | ApiError::InvalidRequest { .. }) => {}
        other => panic!("foreign cipher: {other:?}"),
    }

    // A made-up token.
    match good
        .search_orders(&cipher, "TTP_made_up", &OrderSearch::default(), 10, None)
        .await
    {
        Err(error) if error.code().is_some() => {}
        other => panic!("bad token: {other:?}"),
    }

    // Unknown return: a business error on HTTP 200 is still an error.
    let search = ReturnSearch {
        return_ids: vec!["1".to_owned()],
        ..ReturnSearch::default()
    };
    let page = good
        .search_returns(&cipher, &tokens.access_token, &search, 10, None)
        .await
        .expect("search works");
    assert!(page.return_orders.unwrap_or_default().is_empty());

    // Expired tokens are reported as such, and a refresh gives a working one.
    let response = reqwest::Client::new()
        .post(format!("{}/_double/tokens/expire", double.base_url()))
        .send()
        .await
        .expect("control route");
    assert!(response.status().is_success());
    match good
        .search_orders(
            &cipher,
            &tokens.access_token,
            &OrderSearch::default(),
            10,
            None,
        )
        .await
    {
        Err(error) if error.needs_token_refresh() => {}
        other => panic!("expired token: {other:?}"),
    }
    let refreshed = good
        .refresh_access_token(&tokens.refresh_token)
        .await
        .expect("refresh");
    assert!(refreshed.access_expires_at > chrono::Utc::now());
    good.search_orders(
        &cipher,
        &refreshed.access_token,
        &OrderSearch::default(),
        10,
        None,
    )
    .await
    .expect("the refreshed token works");

    // Page sizes outside the platform's range are refused before any request.
    match good
        .search_orders(
            &cipher,
            &refreshed.access_token,
            &OrderSearch::default(),
            101,
            None,
        )
        .await
    {
        Err(ApiError::InvalidArgument(_)) => {}
        other => panic!("page size: {other:?}"),
    }
    double.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rate_limits_and_outages_are_retried_away_or_reported() {
    let double = double().await;
    let good = client(&double, SECRET, fast_retries());
    let tokens = good.exchange_auth_code(CODE).await.expect("exchange");
    let cipher = good
        .authorized_shops(&tokens.access_token)
        .await
        .expect("shops")[0]
        .cipher
        .clone()
        .expect("cipher");

    // Two 429s (with Retry-After: 1) then success.
    double.set_faults(Faults {
        rate_limit_next: 2,
        retry_after_seconds: 1,
        ..Faults::default()
    });
    let page = good
        .search_orders(
            &cipher,
            &tokens.access_token,
            &OrderSearch::default(),
            20,
            None,
        )
        .await
        .expect("retried past the rate limit");
    assert!(!page.orders.unwrap_or_default().is_empty());

    // Two 503s then success.
    double.set_faults(Faults {
        unavailable_next: 2,
        ..Faults::default()
    });
    good.search_orders(
        &cipher,
        &tokens.access_token,
        &OrderSearch::default(),
        20,
        None,
    )
    .await
    .expect("retried past the outage");

    // More failures than attempts: the typed error comes back.
    double.set_faults(Faults {
        rate_limit_next: 10,
        ..Faults::default()
    });
    match good
        .search_orders(
            &cipher,
            &tokens.access_token,
            &OrderSearch::default(),
            20,
            None,
        )
        .await
    {
        Err(ApiError::RateLimited { .. }) => {}
        other => panic!("exhausted retries: {other:?}"),
    }
    double.set_faults(Faults {
        unavailable_next: 10,
        ..Faults::default()
    });
    match good
        .search_orders(
            &cipher,
            &tokens.access_token,
            &OrderSearch::default(),
            20,
            None,
        )
        .await
    {
        Err(error) => assert!(
            error.is_retryable(),
            "503 is reported as retryable: {error:?}"
        ),
        Ok(_) => panic!("ten 503s cannot succeed in four attempts"),
    }
    double.shutdown().await;
}
