//! [`AccountStore`] for [`SqliteStore`].

use super::{execute, query_all, query_one, SqliteStore};
use crate::accounts::{queries, rows};
use crate::encode::{Param, RowReader};
use crate::{AccountStore, ChecklistTick, SessionRecord, StoreResult, UserAccount};
use async_trait::async_trait;
use shopcare_core::{ShopId, Timestamp};

#[async_trait]
impl AccountStore for SqliteStore {
    async fn create_user(&self, user: &UserAccount) -> StoreResult<bool> {
        let shops = rows::shops_column(&user.shops);
        self.write(|connection| {
            let changed = execute(
                connection,
                queries::INSERT_USER,
                &[
                    Param::text(&user.username),
                    Param::text(&user.password_hash),
                    Param::text(user.role.as_str()),
                    Param::text(&shops),
                    Param::time(user.created_at),
                ],
            )?;
            Ok(changed == 1)
        })
    }

    async fn get_user(&self, username: &str) -> StoreResult<Option<UserAccount>> {
        self.read(|connection| {
            query_one(
                connection,
                &format!("{} WHERE username = $1", queries::USER_COLUMNS),
                &[Param::text(username)],
                |row| rows::user_from_row(row),
            )
        })
    }

    async fn list_users(&self) -> StoreResult<Vec<UserAccount>> {
        self.read(|connection| {
            query_all(
                connection,
                &format!("{} ORDER BY username", queries::USER_COLUMNS),
                &[],
                |row| rows::user_from_row(row),
            )
        })
    }

    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()> {
        self.write(|connection| {
            execute(
                connection,
                queries::INSERT_SESSION,
                &[
                    Param::text(&session.key),
                    Param::text(&session.username),
                    Param::text(&session.csrf_token),
                    Param::time(session.created_at),
                    Param::time(session.expires_at),
                ],
            )?;
            Ok(())
        })
    }

    async fn get_session(&self, key: &str, now: Timestamp) -> StoreResult<Option<SessionRecord>> {
        self.read(|connection| {
            query_one(
                connection,
                queries::GET_SESSION,
                &[Param::text(key), Param::time(now)],
                |row| rows::session_from_row(row),
            )
        })
    }

    async fn delete_session(&self, key: &str) -> StoreResult<()> {
        self.write(|connection| {
            execute(connection, queries::DELETE_SESSION, &[Param::text(key)])?;
            Ok(())
        })
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        self.write(|connection| {
            let removed = execute(
                connection,
                queries::DELETE_EXPIRED_SESSIONS,
                &[Param::time(now)],
            )?;
            Ok(removed as u64)
        })
    }

    async fn record_login_failure(
        &self,
        throttle_key: &str,
        now: Timestamp,
        window_start: Timestamp,
    ) -> StoreResult<u32> {
        self.write(|connection| {
            let count = query_one(
                connection,
                queries::RECORD_FAILURE,
                &[
                    Param::text(throttle_key),
                    Param::time(now),
                    Param::time(window_start),
                ],
                |row| row.int(0),
            )?;
            Ok(rows::failures(count.unwrap_or(1)))
        })
    }

    async fn login_failures(
        &self,
        throttle_key: &str,
        window_start: Timestamp,
    ) -> StoreResult<u32> {
        self.read(|connection| {
            let count = query_one(
                connection,
                queries::GET_FAILURES,
                &[Param::text(throttle_key), Param::time(window_start)],
                |row| row.int(0),
            )?;
            Ok(rows::failures(count.unwrap_or(0)))
        })
    }

    async fn clear_login_failures(&self, throttle_key: &str) -> StoreResult<()> {
        self.write(|connection| {
            execute(
                connection,
                queries::CLEAR_FAILURES,
                &[Param::text(throttle_key)],
            )?;
            Ok(())
        })
    }

    async fn checklist_ticks(
        &self,
        shop_id: &ShopId,
        day: &str,
    ) -> StoreResult<Vec<ChecklistTick>> {
        self.read(|connection| {
            query_all(
                connection,
                queries::CHECKLIST_TICKS,
                &[Param::text(shop_id.as_str()), Param::text(day)],
                |row| rows::tick_from_row(row),
            )
        })
    }

    async fn set_checklist_tick(
        &self,
        shop_id: &ShopId,
        day: &str,
        item: &str,
        tick: Option<&ChecklistTick>,
    ) -> StoreResult<()> {
        self.write(|connection| {
            match tick {
                Some(tick) => execute(
                    connection,
                    queries::UPSERT_TICK,
                    &[
                        Param::text(shop_id.as_str()),
                        Param::text(day),
                        Param::text(item),
                        Param::text(&tick.ticked_by),
                        Param::time(tick.ticked_at),
                    ],
                )?,
                None => execute(
                    connection,
                    queries::DELETE_TICK,
                    &[
                        Param::text(shop_id.as_str()),
                        Param::text(day),
                        Param::text(item),
                    ],
                )?,
            };
            Ok(())
        })
    }
}
