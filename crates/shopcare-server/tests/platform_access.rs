//! OAuth through the platform double: connect stores encrypted tokens and the shops;
//! a token close to expiry is refreshed ahead of time and what comes back is stored.

use shopcare_platform_double::{DoubleConfig, PlatformDouble, WorldConfig};
use shopcare_server::clock::{Clock, ManualClock};
use shopcare_server::platform::PlatformAccess;
use shopcare_store::{open_store, SecretKey};
use shopcare_tiktok::{ClientConfig, TikTokClient};
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tokens_are_refreshed_ahead_of_expiry_and_stored() {
    let double = PlatformDouble::start(DoubleConfig {
        app_key: "oauthkey".to_owned(),
        app_secret: "oauth-secret".to_owned(),
        seller_auth_code: "oauth-code".to_owned(),
        world: WorldConfig {
            shops: 3,
            orders: 50,
            days: 10,
            seed: 1,
            as_of: chrono::Utc::now().date_naive(),
        },
        access_token_lifetime_seconds: 3 * 86_400,
        ..DoubleConfig::default()
    })
    .await
    .expect("double");
    let dir = tempfile::tempdir().expect("dir");
    let store = open_store(
        &format!("sqlite://{}", dir.path().join("s.db").display()),
        &SecretKey::generate(),
    )
    .await
    .expect("store");
    let clock = ManualClock::new(chrono::Utc::now());
    let client = TikTokClient::new(ClientConfig {
        api_base_url: double.base_url(),
        auth_base_url: double.base_url(),
        ..ClientConfig::new("oauthkey", "oauth-secret")
    })
    .expect("client");
    let access = PlatformAccess::new(store.clone(), client, Arc::new(clock.clone()));

    let shops = access.connect("oauth-code").await.expect("connect");
    assert_eq!(shops.len(), 3);
    let regions: std::collections::BTreeSet<_> =
        shops.iter().map(|shop| shop.region.clone()).collect();
    assert_eq!(regions.len(), 3, "shops span several regions");
    let stored = store.list_shops().await.expect("shops");
    assert_eq!(stored.len(), 3);
    let first = store
        .credentials_for_shop(&shops[0].id)
        .await
        .expect("read")
        .expect("credentials");

    // Three days of validity, one day of margin: no refresh today...
    let token = access
        .shop_access(&shops[0].id)
        .await
        .expect("access")
        .access_token;
    assert_eq!(token, first.access_token);
    // ...but two and a half days later the token is refreshed before it expires.
    clock.advance(chrono::Duration::hours(60));
    let refreshed = access
        .shop_access(&shops[0].id)
        .await
        .expect("access")
        .access_token;
    assert_ne!(
        refreshed, first.access_token,
        "a new access token was fetched"
    );
    let saved = store
        .credentials_for_shop(&shops[1].id)
        .await
        .expect("read")
        .expect("credentials");
    assert_eq!(
        saved.access_token, refreshed,
        "the refreshed token is stored for every shop of the seller"
    );
    assert!(saved.access_token_expires_at > clock.now());
    double.shutdown().await;
}
