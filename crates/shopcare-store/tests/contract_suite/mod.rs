//! The shared contract suite: every [`Store`] implementation must pass the same cases.
//!
//! [`TestDb`] makes a fresh, isolated database per test: a temporary SQLite file, or,
//! when `SHOPCARE_TEST_POSTGRES_URL` is set, a new schema in that PostgreSQL database
//! (selected through the connection's `search_path`), so cases run in parallel.

#![allow(dead_code)] // Each test binary that includes this module uses a different part.

pub mod cases;
pub mod fixtures;

use shopcare_store::{open_store, SecretKey, Store};
use sqlx::Connection;
use std::sync::Arc;

pub const POSTGRES_URL_VARIABLE: &str = "SHOPCARE_TEST_POSTGRES_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// One test's private database.
pub struct TestDb {
    pub backend: Backend,
    pub url: String,
    pub secret_key: SecretKey,
    /// Keeps the SQLite file's directory alive for the test's duration.
    _directory: Option<tempfile::TempDir>,
    sqlite_path: Option<std::path::PathBuf>,
    /// PostgreSQL: the admin URL and the schema this test owns.
    postgres_schema: Option<(String, String)>,
}

impl TestDb {
    pub fn sqlite() -> TestDb {
        let directory = tempfile::tempdir().expect("temporary directory");
        let path = directory.path().join("store.db");
        TestDb {
            backend: Backend::Sqlite,
            url: format!("sqlite://{}", path.display()),
            secret_key: SecretKey::generate(),
            _directory: Some(directory),
            sqlite_path: Some(path),
            postgres_schema: None,
        }
    }

    /// `None` (and a note on stderr) when no PostgreSQL server was configured.
    pub async fn postgres() -> Option<TestDb> {
        let Ok(admin_url) = std::env::var(POSTGRES_URL_VARIABLE) else {
            eprintln!("{POSTGRES_URL_VARIABLE} is not set: PostgreSQL contract case not run");
            return None;
        };
        let schema = format!("shopcare_test_{:016x}", rand::random::<u64>());
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .expect("connect to the test PostgreSQL server");
        sqlx::query(&format!("CREATE SCHEMA {schema}"))
            .execute(&mut admin)
            .await
            .expect("create the test schema");
        let separator = if admin_url.contains('?') { '&' } else { '?' };
        let url = format!("{admin_url}{separator}options=-c%20search_path%3D{schema}");
        Some(TestDb {
            backend: Backend::Postgres,
            url,
            secret_key: SecretKey::generate(),
            _directory: None,
            sqlite_path: None,
            postgres_schema: Some((admin_url, schema)),
        })
    }

    pub async fn open(&self) -> Arc<dyn Store> {
        self.open_with_key(&self.secret_key).await
    }

    pub async fn open_with_key(&self, secret_key: &SecretKey) -> Arc<dyn Store> {
        open_store(&self.url, secret_key)
            .await
            .expect("open the test store")
    }

    /// Runs raw SQL statements outside the store (to inspect or sabotage it).
    pub async fn raw_execute(&self, sql: &str) {
        match self.backend {
            Backend::Sqlite => {
                let connection = self.sqlite_connection();
                connection.execute_batch(sql).expect("raw sqlite statement");
            }
            Backend::Postgres => {
                let mut connection = sqlx::PgConnection::connect(&self.url)
                    .await
                    .expect("raw postgres connection");
                sqlx::raw_sql(sql)
                    .execute(&mut connection)
                    .await
                    .expect("raw postgres statement");
            }
        }
    }

    /// The first column of every row of `sql`, which must select one TEXT column.
    pub async fn raw_texts(&self, sql: &str) -> Vec<String> {
        match self.backend {
            Backend::Sqlite => {
                let connection = self.sqlite_connection();
                let mut statement = connection.prepare(sql).expect("raw sqlite query");
                let rows = statement
                    .query_map([], |row| row.get::<_, String>(0))
                    .expect("raw sqlite rows");
                rows.collect::<Result<_, _>>().expect("raw sqlite values")
            }
            Backend::Postgres => {
                let mut connection = sqlx::PgConnection::connect(&self.url)
                    .await
                    .expect("raw postgres connection");
                sqlx::query_scalar(sql)
                    .fetch_all(&mut connection)
                    .await
                    .expect("raw postgres query")
            }
        }
    }

    fn sqlite_connection(&self) -> rusqlite::Connection {
        let path = self.sqlite_path.as_ref().expect("sqlite test database");
        let connection = rusqlite::Connection::open(path).expect("raw sqlite connection");
        connection
            .busy_timeout(std::time::Duration::from_secs(10))
            .expect("busy timeout");
        connection
    }

    /// Drops a PostgreSQL test schema (the SQLite directory goes with `self`).
    pub async fn cleanup(self) {
        if let Some((admin_url, schema)) = &self.postgres_schema {
            if let Ok(mut admin) = sqlx::PgConnection::connect(admin_url).await {
                let _ = sqlx::query(&format!("DROP SCHEMA {schema} CASCADE"))
                    .execute(&mut admin)
                    .await;
            }
        }
    }
}
