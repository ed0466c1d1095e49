//! `shopcare cases list` and `shopcare cases act` against the platform double, over real
//! HTTP: the queue is sorted by time left, and a rejection goes out once, with the outbox's
//! idempotency key, however often the command is repeated.

mod support;

use shopcare_platform_double::{DoubleHandle, Faults, World};
use support::*;

async fn open_return(double: &DoubleHandle, order_id: &str) -> String {
    let opened: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/_double/returns", double.base_url()))
        .json(&serde_json::json!({ "order_id": order_id }))
        .send()
        .await
        .expect("open return")
        .json()
        .await
        .expect("json");
    opened["return_id"].as_str().expect("return id").to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cases_are_listed_by_time_left_and_a_reject_is_sent_once() {
    let double = start_double(world(1, 300), Faults::default(), None).await;
    let dir = scratch();
    let url = sqlite_url(dir.path(), "cases.db");
    run_ok(shopcare(&double, dir.path()).args(["connect", "--auth-code", AUTH_CODE, "--db", &url]));
    let orders: Vec<String> = double.with_world(|world| {
        world
            .orders
            .iter()
            .enumerate()
            .filter(|(index, order)| {
                order.status.as_str() == "DELIVERED"
                    && !world
                        .returns
                        .iter()
                        .any(|value| value.order == *index as u32)
            })
            .map(|(index, _)| World::order_id(index as u32).to_string())
            .take(2)
            .collect()
    });
    let earlier = open_return(&double, &orders[0]).await;
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    let later = open_return(&double, &orders[1]).await;
    // The sync window ends before the current second.
    tokio::time::sleep(std::time::Duration::from_millis(1_100)).await;
    run_ok(shopcare(&double, dir.path()).args(["sync", "--db", &url]));

    let listed =
        run_ok(shopcare(&double, dir.path()).args(["cases", "list", "--db", &url, "--json"]));
    let queue: Vec<serde_json::Value> = serde_json::from_slice(&listed.stdout).expect("JSON queue");
    let pending: Vec<&serde_json::Value> = queue
        .iter()
        .filter(|entry| entry["case_id"] == earlier.as_str() || entry["case_id"] == later.as_str())
        .collect();
    assert_eq!(pending.len(), 2, "{queue:?}");
    assert_eq!(
        pending[0]["case_id"],
        earlier.as_str(),
        "the earlier deadline first"
    );
    let seconds: Vec<i64> = queue
        .iter()
        .filter_map(|entry| entry["seconds_left"].as_i64())
        .collect();
    assert!(
        seconds.windows(2).all(|pair| pair[0] <= pair[1]),
        "sorted: {seconds:?}"
    );

    let act = |double: &DoubleHandle| {
        run_ok(shopcare(double, dir.path()).args([
            "cases",
            "act",
            &earlier,
            "--reject",
            "seller_reject_apply_no_evidence",
            "--comment",
            "No photos of the damage were sent.",
            "--db",
            &url,
        ]))
    };
    let first: serde_json::Value =
        serde_json::from_slice(&act(&double).stdout).expect("action JSON");
    assert_eq!(first["state"], "sent");
    let action_id = first["action_id"].as_str().expect("action id").to_owned();
    let again: serde_json::Value =
        serde_json::from_slice(&act(&double).stdout).expect("action JSON");
    assert_eq!(
        again["action_id"],
        action_id.as_str(),
        "the same command, the same action"
    );
    let writes: Vec<_> = double
        .received_writes()
        .into_iter()
        .filter(|write| write.path.ends_with(&format!("/returns/{earlier}/reject")))
        .collect();
    assert_eq!(writes.len(), 1, "{writes:?}");
    assert_eq!(
        writes[0].idempotency_key.as_deref(),
        Some(action_id.as_str())
    );
    double.shutdown().await;
}
