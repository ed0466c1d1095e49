//! `shopcare connect` + `shopcare sync` against the platform double, over real HTTP.

mod support;

use shopcare_platform_double::Faults;
use support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_killed_mid_way_resumes_to_exactly_the_uninterrupted_content() {
    // The double reveals tracking events as its clock passes them: a world that ended a
    // month ago has no event falling between the reference sync and the resumed one.
    let settled_world = shopcare_platform_double::WorldConfig {
        as_of: chrono::Utc::now().date_naive() - chrono::Duration::days(30),
        ..world(3, 3_000)
    };
    let double = start_double(
        settled_world,
        Faults {
            delay_ms: 15,
            ..Faults::default()
        },
        None,
    )
    .await;
    add_auth_code(&double, "second-code").await;
    let dir = scratch();

    // Reference: one uninterrupted sync.
    let reference = dir.path().join("reference.db");
    let reference_url = sqlite_url(dir.path(), "reference.db");
    run_ok(shopcare(&double, dir.path()).args([
        "connect",
        "--auth-code",
        AUTH_CODE,
        "--db",
        &reference_url,
    ]));
    run_ok(shopcare(&double, dir.path()).args(["sync", "--db", &reference_url]));
    let total_orders = double.with_world(|world| world.orders.len()) as i64;
    assert_eq!(count_rows(&reference, "orders"), total_orders);

    // Interrupted: kill -9 once some pages are committed, then run again.
    let interrupted = dir.path().join("interrupted.db");
    let interrupted_url = sqlite_url(dir.path(), "interrupted.db");
    run_ok(shopcare(&double, dir.path()).args([
        "connect",
        "--auth-code",
        "second-code",
        "--db",
        &interrupted_url,
    ]));
    let mut child = shopcare(&double, dir.path())
        .args(["sync", "--db", &interrupted_url])
        .spawn()
        .expect("sync starts");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    loop {
        let committed = count_rows(&interrupted, "orders");
        if committed >= 500 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "sync made no progress"
        );
        assert!(
            child.try_wait().expect("child state").is_none(),
            "sync ended before it could be killed"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    child.kill().expect("kill -9");
    child.wait().expect("reaped");
    let partial = count_rows(&interrupted, "orders");
    assert!(
        partial < total_orders,
        "the kill came too late to test anything ({partial} orders)"
    );

    run_ok(shopcare(&double, dir.path()).args(["sync", "--db", &interrupted_url]));
    let expected = dump_entities(&reference);
    let actual = dump_entities(&interrupted);
    for ((table, expected_rows), (_, actual_rows)) in expected.iter().zip(&actual) {
        assert_eq!(
            expected_rows.len(),
            actual_rows.len(),
            "row count of {table}"
        );
        assert!(expected_rows == actual_rows, "content of {table} differs");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sync_is_incremental_and_a_second_run_changes_nothing() {
    let double = start_double(world(2, 800), Faults::default(), None).await;
    let dir = scratch();
    let url = sqlite_url(dir.path(), "shopcare.db");
    run_ok(shopcare(&double, dir.path()).args(["connect", "--auth-code", AUTH_CODE, "--db", &url]));
    let first = run_ok(shopcare(&double, dir.path()).args(["sync", "--db", &url, "--json"]));
    let second = run_ok(shopcare(&double, dir.path()).args(["sync", "--db", &url, "--json"]));
    let inserted = |output: &std::process::Output| -> u64 {
        let report: serde_json::Value =
            serde_json::from_slice(&output.stdout).expect("JSON report");
        report["shops"]
            .as_array()
            .expect("shops")
            .iter()
            .flat_map(|shop| shop["resources"].as_object().expect("resources").values())
            .map(|resource| {
                resource["inserted"].as_u64().unwrap_or(0)
                    + resource["updated"].as_u64().unwrap_or(0)
            })
            .sum()
    };
    assert!(inserted(&first) >= 800, "the first sync writes everything");
    assert_eq!(
        inserted(&second),
        0,
        "nothing changed on the platform, so nothing is written"
    );

    let shops =
        run_ok(shopcare(&double, dir.path()).args(["shops", "list", "--db", &url, "--json"]));
    let shops: serde_json::Value = serde_json::from_slice(&shops.stdout).expect("JSON");
    let listed: Vec<&str> = shops
        .as_array()
        .expect("array")
        .iter()
        .map(|shop| shop["id"].as_str().expect("id"))
        .collect();
    let expected: Vec<String> = double.shops().into_iter().map(|shop| shop.id).collect();
    assert_eq!(listed.len(), expected.len());
    for id in expected {
        assert!(listed.contains(&id.as_str()), "shop {id} listed");
    }
    assert!(shops[0]["time_zone"]
        .as_str()
        .is_some_and(|zone| zone.contains('/')));
}
