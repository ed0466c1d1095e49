//! Console accounts: users (argon2 password hashes, computed by the caller), server-side
//! sessions, failed-login counters for rate limiting, and the per-shop daily checklist ticks.
//!
//! The store never sees a plain password or a plain session id: callers pass the
//! password's argon2 hash and a digest of the session id, so a leaked database holds
//! nothing that signs anyone in.

use crate::StoreResult;
use async_trait::async_trait;
use shopcare_core::{ShopId, Timestamp};

/// What a user may do: owners see every shop, operators only their assigned ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountRole {
    Owner,
    Operator,
    /// A role string this version does not know; grants nothing.
    Other(String),
}

impl AccountRole {
    pub fn parse(text: &str) -> AccountRole {
        match text {
            "owner" => AccountRole::Owner,
            "operator" => AccountRole::Operator,
            other => AccountRole::Other(other.to_owned()),
        }
    }

    pub fn as_str(&self) -> &str {
        match self {
            AccountRole::Owner => "owner",
            AccountRole::Operator => "operator",
            AccountRole::Other(other) => other,
        }
    }
}

/// A console user as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserAccount {
    pub username: String,
    /// The PHC-format argon2 hash of the password.
    pub password_hash: String,
    pub role: AccountRole,
    /// The shops an operator is assigned to (ignored for owners).
    pub shops: Vec<ShopId>,
    pub created_at: Timestamp,
}

/// A signed-in session. `key` is a digest of the cookie's session id, never the id itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRecord {
    pub key: String,
    pub username: String,
    /// The token forms and `X-CSRF-Token` headers must echo.
    pub csrf_token: String,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// One ticked item of a shop's daily checklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistTick {
    pub item: String,
    pub ticked_by: String,
    pub ticked_at: Timestamp,
}

#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Adds a user; returns false (and changes nothing) if the name is taken.
    async fn create_user(&self, user: &UserAccount) -> StoreResult<bool>;
    async fn get_user(&self, username: &str) -> StoreResult<Option<UserAccount>>;
    async fn list_users(&self) -> StoreResult<Vec<UserAccount>>;

    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()>;
    /// The session under `key` if it has not expired at `now`.
    async fn get_session(&self, key: &str, now: Timestamp) -> StoreResult<Option<SessionRecord>>;
    async fn delete_session(&self, key: &str) -> StoreResult<()>;
    /// Drops sessions that expired before `now`; returns how many.
    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64>;

    /// Counts one failed login under `throttle_key` (e.g. `user:NAME` or `addr:IP`) in
    /// the window that started at or after `window_start`; a counter whose window began
    /// earlier restarts at 1. Returns the count in the current window.
    async fn record_login_failure(
        &self,
        throttle_key: &str,
        now: Timestamp,
        window_start: Timestamp,
    ) -> StoreResult<u32>;
    /// Failures under `throttle_key` counted since `window_start`.
    async fn login_failures(&self, throttle_key: &str, window_start: Timestamp)
        -> StoreResult<u32>;
    async fn clear_login_failures(&self, throttle_key: &str) -> StoreResult<()>;

    /// The ticked checklist items of `shop_id` on local calendar day `day` (YYYY-MM-DD).
    async fn checklist_ticks(&self, shop_id: &ShopId, day: &str)
        -> StoreResult<Vec<ChecklistTick>>;
    /// Ticks (or, with `tick = None`, unticks) `item` of `shop_id` on `day`.
    async fn set_checklist_tick(
        &self,
        shop_id: &ShopId,
        day: &str,
        item: &str,
        tick: Option<&ChecklistTick>,
    ) -> StoreResult<()>;
}

pub(crate) mod queries {
    //! SQL shared by both backends (`$n` placeholders; SQLite rewrites them).

    pub(crate) const INSERT_USER: &str =
        "INSERT INTO console_users (username, password_hash, role, shops, created_at)
        VALUES ($1, $2, $3, $4, $5) ON CONFLICT (username) DO NOTHING";
    pub(crate) const USER_COLUMNS: &str =
        "SELECT username, password_hash, role, shops, created_at FROM console_users";
    pub(crate) const INSERT_SESSION: &str =
        "INSERT INTO console_sessions (session_key, username, csrf_token, created_at, expires_at)
        VALUES ($1, $2, $3, $4, $5)";
    pub(crate) const GET_SESSION: &str =
        "SELECT session_key, username, csrf_token, created_at, expires_at FROM console_sessions
        WHERE session_key = $1 AND expires_at > $2";
    pub(crate) const DELETE_SESSION: &str = "DELETE FROM console_sessions WHERE session_key = $1";
    pub(crate) const DELETE_EXPIRED_SESSIONS: &str =
        "DELETE FROM console_sessions WHERE expires_at <= $1";
    pub(crate) const RECORD_FAILURE: &str =
        "INSERT INTO login_failures (throttle_key, failures, window_start) VALUES ($1, 1, $2)
        ON CONFLICT (throttle_key) DO UPDATE SET
            failures = CASE WHEN login_failures.window_start < $3 THEN 1
                ELSE login_failures.failures + 1 END,
            window_start = CASE WHEN login_failures.window_start < $3 THEN $2
                ELSE login_failures.window_start END
        RETURNING failures";
    pub(crate) const GET_FAILURES: &str =
        "SELECT failures FROM login_failures WHERE throttle_key = $1 AND window_start >= $2";
    pub(crate) const CLEAR_FAILURES: &str = "DELETE FROM login_failures WHERE throttle_key = $1";
    pub(crate) const CHECKLIST_TICKS: &str =
        "SELECT item, ticked_by, ticked_at FROM checklist_ticks
        WHERE shop_id = $1 AND day = $2 ORDER BY item";
    pub(crate) const UPSERT_TICK: &str =
        "INSERT INTO checklist_ticks (shop_id, day, item, ticked_by, ticked_at)
        VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (shop_id, day, item) DO UPDATE SET ticked_by = excluded.ticked_by,
            ticked_at = excluded.ticked_at";
    pub(crate) const DELETE_TICK: &str =
        "DELETE FROM checklist_ticks WHERE shop_id = $1 AND day = $2 AND item = $3";
}

pub(crate) mod rows {
    //! Row decoding shared by both backends.

    use super::{AccountRole, ChecklistTick, SessionRecord, UserAccount};
    use crate::encode::{from_millis, RowReader};
    use crate::{StoreError, StoreResult};
    use shopcare_core::ShopId;

    pub(crate) fn shops_column(shops: &[ShopId]) -> String {
        let ids: Vec<&str> = shops.iter().map(ShopId::as_str).collect();
        serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned())
    }

    pub(crate) fn user_from_row(row: &impl RowReader) -> StoreResult<UserAccount> {
        let shops: Vec<String> = serde_json::from_str(&row.text(3)?)
            .map_err(|error| StoreError::Corrupt(format!("user shops: {error}")))?;
        Ok(UserAccount {
            username: row.text(0)?,
            password_hash: row.text(1)?,
            role: AccountRole::parse(&row.text(2)?),
            shops: shops.into_iter().map(ShopId::new).collect(),
            created_at: from_millis(row.int(4)?)?,
        })
    }

    pub(crate) fn session_from_row(row: &impl RowReader) -> StoreResult<SessionRecord> {
        Ok(SessionRecord {
            key: row.text(0)?,
            username: row.text(1)?,
            csrf_token: row.text(2)?,
            created_at: from_millis(row.int(3)?)?,
            expires_at: from_millis(row.int(4)?)?,
        })
    }

    pub(crate) fn tick_from_row(row: &impl RowReader) -> StoreResult<ChecklistTick> {
        Ok(ChecklistTick {
            item: row.text(0)?,
            ticked_by: row.text(1)?,
            ticked_at: from_millis(row.int(2)?)?,
        })
    }

    pub(crate) fn failures(value: i64) -> u32 {
        u32::try_from(value.max(0)).unwrap_or(u32::MAX)
    }
}
