//! An independent client (PyPI `tiktok-shop-api`) against the double. Runs only where
//! `python3 -c "import tiktok_shop_api"` works (the lead's CI installs it); elsewhere
//! it says so and passes.

use crate::harness::*;
use serde_json::Value;

fn python_client_available() -> bool {
    std::process::Command::new("python3")
        .args(["-c", "import tiktok_shop_api"])
        .output()
        .is_ok_and(|output| output.status.success())
}

#[tokio::test]
async fn the_pypi_client_authorizes_pages_and_reads_through_the_double() {
    if !python_client_available() {
        eprintln!("skipped: python3 with tiktok_shop_api is not installed");
        return;
    }
    let double = shopcare_platform_double::PlatformDouble::start(config(900))
        .await
        .expect("double starts");
    let expected_orders =
        double.with_world(|world| world.orders.iter().filter(|order| order.shop == 0).count());
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/python_client.py");
    let base_url = double.base_url();
    let output = tokio::process::Command::new("python3")
        .args([script, &base_url, APP_KEY, APP_SECRET, AUTH_CODE])
        .output()
        .await
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "client failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let seen: Value = serde_json::from_slice(&output.stdout).expect("one JSON line");
    eprintln!("python client saw {seen}");
    assert_eq!(seen["shops"], 3);
    assert_eq!(seen["orders"], expected_orders);
    assert_eq!(seen["unique_orders"], expected_orders);
    assert_eq!(seen["detail"].as_array().map(Vec::len), Some(2));
    assert_eq!(seen["bad_secret_code"], 106_001);
    assert_eq!(seen["refreshed"], true);
    double.shutdown().await;
}
