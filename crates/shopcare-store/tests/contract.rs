//! Runs the shared contract suite against SQLite (always) and PostgreSQL (when
//! `SHOPCARE_TEST_POSTGRES_URL` is set), one fresh database per test.

mod contract_suite;

use contract_suite::{cases, TestDb};

/// For each case name: `sqlite::name` and `postgres::name` tests. Cases listed under
/// `store:` take the opened store; those under `db:` take the [`TestDb`] itself.
macro_rules! contract_tests {
    (store: [$($store_case:ident),* $(,)?], db: [$($db_case:ident),* $(,)?] $(,)?) => {
        mod sqlite {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $store_case() {
                    let db = TestDb::sqlite();
                    cases::$store_case(db.open().await).await;
                    db.cleanup().await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $db_case() {
                    let db = TestDb::sqlite();
                    cases::$db_case(&db).await;
                    db.cleanup().await;
                }
            )*
        }

        mod postgres {
            use super::*;
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $store_case() {
                    let Some(db) = TestDb::postgres().await else { return };
                    cases::$store_case(db.open().await).await;
                    db.cleanup().await;
                }
            )*
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $db_case() {
                    let Some(db) = TestDb::postgres().await else { return };
                    cases::$db_case(&db).await;
                    db.cleanup().await;
                }
            )*
        }
    };
}

contract_tests! {
    store: [
        upserts_are_idempotent,
        older_update_time_never_overwrites_newer,
        unknown_enum_strings_round_trip_verbatim,
        every_record_kind_round_trips,
        tracking_history_is_replaced_only_by_a_newer_one,
        webhook_events_are_deduplicated_with_one_job_each,
        jobs_are_deduplicated_by_key,
        jobs_are_leased_and_reclaimed_after_expiry,
        concurrent_claimers_never_share_a_job,
        failed_jobs_retry_then_die,
        shop_summary_counts_a_hand_built_shop,
        reviews_are_listed_by_filter,
        shops_round_trip,
        random_upsert_sequences_keep_the_newest,
    ],
    db: [
        apply_and_checkpoint_commit_together,
        tokens_are_encrypted_at_rest,
        migrations_run_twice_are_a_no_op,
    ],
}

#[test]
fn unsupported_urls_are_rejected() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let result = runtime.block_on(shopcare_store::open_store(
        "mysql://localhost/shopcare",
        &shopcare_store::SecretKey::generate(),
    ));
    assert!(matches!(
        result,
        Err(shopcare_store::StoreError::UnsupportedUrl(_))
    ));
}

#[test]
fn in_memory_sqlite_works_for_tests() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store =
            shopcare_store::open_store("sqlite://:memory:", &shopcare_store::SecretKey::generate())
                .await
                .unwrap();
        cases::upserts_are_idempotent(store).await;
    });
}

mod property {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Random sequences of upserts with random update times end with the newest
        /// version stored, whatever the batching.
        #[test]
        fn newest_version_is_stored(
            sequence in prop::collection::vec((0usize..8, 0i64..20), 1..120),
            batch_size in 1usize..80,
        ) {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let sqlite = TestDb::sqlite();
                cases::newest_version_wins(sqlite.open().await, "p", &sequence, batch_size).await;
                if let Some(postgres) = TestDb::postgres().await {
                    cases::newest_version_wins(postgres.open().await, "p", &sequence, batch_size).await;
                    postgres.cleanup().await;
                }
            });
        }
    }
}
