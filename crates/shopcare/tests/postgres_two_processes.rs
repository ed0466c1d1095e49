//! PostgreSQL is how users outgrow one machine: two `shopcare serve` processes against
//! one database, webhooks delivered to both (as behind a load balancer, re-deliveries
//! included) and syncs spread over both, must store each event once, process it once,
//! and end with exactly the platform's orders. Runs when SHOPCARE_TEST_POSTGRES_URL is set.

mod support;

use shopcare_platform_double::Faults;
use sqlx::Connection;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};
use support::*;

struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("address")
        .port()
}

async fn wait_for_health(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline {
        if let Ok(response) = reqwest::get(format!("http://127.0.0.1:{port}/healthz")).await {
            if response.status().is_success() {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("shopcare serve on port {port} never became healthy");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_serve_processes_share_one_database_without_loss_or_duplicates() {
    let Ok(admin_url) = std::env::var("SHOPCARE_TEST_POSTGRES_URL") else {
        eprintln!("SHOPCARE_TEST_POSTGRES_URL is not set: two-process PostgreSQL test not run");
        return;
    };
    let schema = format!("shopcare_two_{:08x}", rand::random::<u32>());
    let mut admin = sqlx::PgConnection::connect(&admin_url)
        .await
        .expect("connect to PostgreSQL");
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&mut admin)
        .await
        .expect("schema");
    let separator = if admin_url.contains('?') { '&' } else { '?' };
    let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");

    let double = start_double(world(4, 1_200), Faults::default(), None).await;
    let dir = scratch();
    run_ok(shopcare(&double, dir.path()).args(["connect", "--auth-code", AUTH_CODE, "--db", &url]));

    // Both processes start at once: migrations and sync scheduling race on purpose.
    let ports = [free_port(), free_port()];
    let servers: Vec<Killed> = ports
        .iter()
        .map(|port| {
            Killed(
                shopcare(&double, dir.path())
                    .args([
                        "serve",
                        "--db",
                        &url,
                        "--listen",
                        &format!("127.0.0.1:{port}"),
                        "--sync-every",
                        "1",
                    ])
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .spawn()
                    .expect("serve starts"),
            )
        })
        .collect();
    for port in ports {
        wait_for_health(port).await;
    }

    // Webhooks: 40 distinct events, each delivered to both processes, some twice.
    let order_ids: Vec<String> = double.with_world(|world| {
        world
            .orders
            .iter()
            .enumerate()
            .filter(|(_, order)| order.shop == 0)
            .take(40)
            .map(|(index, _)| shopcare_platform_double::World::order_id(index as u32).to_string())
            .collect()
    });
    let shop_id = double.shops()[0].id.clone();
    let client = reqwest::Client::new();
    for (index, order_id) in order_ids.iter().enumerate() {
        let body = format!(
            r#"{{"type":1,"tts_notification_id":"two-proc-{index}","shop_id":"{shop_id}","timestamp":1700000300,"data":{{"order_id":"{order_id}","order_status":"IN_TRANSIT","update_time":1700000300}}}}"#
        );
        let signature =
            shopcare_tiktok::signing::webhook_signature(APP_KEY, APP_SECRET, body.as_bytes());
        let deliveries = if index % 5 == 0 { 3 } else { 2 };
        for delivery in 0..deliveries {
            let port = ports[delivery % 2];
            let status = client
                .post(format!("http://127.0.0.1:{port}/webhooks/tiktok"))
                .header("Authorization", &signature)
                .body(body.clone())
                .send()
                .await
                .expect("webhook sent")
                .status();
            assert_eq!(status, 200);
        }
    }

    // Wait until both the scheduled syncs and the webhook jobs are done.
    let total_orders = double.with_world(|world| world.orders.len()) as i64;
    let mut connection = sqlx::PgConnection::connect(&url).await.expect("connect");
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders")
            .fetch_one(&mut connection)
            .await
            .expect("count");
        // The periodic sweeps re-arm themselves forever, so they never settle.
        let open_jobs: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM jobs WHERE state NOT IN ('done', 'dead') \
             AND kind NOT IN ('case_timers', 'alert_digest', 'timeline_plan')",
        )
        .fetch_one(&mut connection)
        .await
        .expect("count jobs");
        if orders == total_orders && open_jobs == 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "not settled: {orders}/{total_orders} orders, {open_jobs} open jobs"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    let events: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM webhook_events WHERE notification_id LIKE 'two-proc-%'",
    )
    .fetch_one(&mut connection)
    .await
    .expect("events");
    assert_eq!(events, 40, "each event stored once");
    let webhook_jobs: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM jobs WHERE kind = 'webhook' AND state = 'done'")
            .fetch_one(&mut connection)
            .await
            .expect("jobs");
    assert_eq!(webhook_jobs, 40, "each event processed once");
    let sync_jobs: Vec<String> =
        sqlx::query_scalar("SELECT dedupe_key FROM jobs WHERE kind = 'sync_shop'")
            .fetch_all(&mut connection)
            .await
            .expect("sync jobs");
    let shops = double.shops().len();
    assert!(
        sync_jobs.len() >= shops && sync_jobs.len().is_multiple_of(shops),
        "one sync job per shop and interval: {sync_jobs:?}"
    );

    drop(servers);
    sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
        .execute(&mut admin)
        .await
        .expect("drop schema");
}
