//! [`AccountStore`] for [`PostgresStore`].

use super::{execute, query_all, query_one, PostgresStore};
use crate::accounts::{queries, rows};
use crate::encode::{Param, RowReader};
use crate::{AccountStore, ChecklistTick, SessionRecord, StoreResult, UserAccount};
use async_trait::async_trait;
use shopcare_core::{ShopId, Timestamp};

#[async_trait]
impl AccountStore for PostgresStore {
    async fn create_user(&self, user: &UserAccount) -> StoreResult<bool> {
        let shops = rows::shops_column(&user.shops);
        let mut connection = self.pool.acquire().await?;
        {
            let changed = execute(
                &mut connection,
                queries::INSERT_USER,
                &[
                    Param::text(&user.username),
                    Param::text(&user.password_hash),
                    Param::text(user.role.as_str()),
                    Param::text(&shops),
                    Param::time(user.created_at),
                ],
            )
            .await?;
            Ok(changed == 1)
        }
    }

    async fn get_user(&self, username: &str) -> StoreResult<Option<UserAccount>> {
        let mut connection = self.pool.acquire().await?;
        {
            query_one(
                &mut connection,
                &format!("{} WHERE username = $1", queries::USER_COLUMNS),
                &[Param::text(username)],
                rows::user_from_row,
            )
            .await
        }
    }

    async fn list_users(&self) -> StoreResult<Vec<UserAccount>> {
        let mut connection = self.pool.acquire().await?;
        {
            query_all(
                &mut connection,
                &format!("{} ORDER BY username", queries::USER_COLUMNS),
                &[],
                rows::user_from_row,
            )
            .await
        }
    }

    async fn create_session(&self, session: &SessionRecord) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        {
            execute(
                &mut connection,
                queries::INSERT_SESSION,
                &[
                    Param::text(&session.key),
                    Param::text(&session.username),
                    Param::text(&session.csrf_token),
                    Param::time(session.created_at),
                    Param::time(session.expires_at),
                ],
            )
            .await?;
            Ok(())
        }
    }

    async fn get_session(&self, key: &str, now: Timestamp) -> StoreResult<Option<SessionRecord>> {
        let mut connection = self.pool.acquire().await?;
        {
            query_one(
                &mut connection,
                queries::GET_SESSION,
                &[Param::text(key), Param::time(now)],
                rows::session_from_row,
            )
            .await
        }
    }

    async fn delete_session(&self, key: &str) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        {
            execute(
                &mut connection,
                queries::DELETE_SESSION,
                &[Param::text(key)],
            )
            .await?;
            Ok(())
        }
    }

    async fn delete_expired_sessions(&self, now: Timestamp) -> StoreResult<u64> {
        let mut connection = self.pool.acquire().await?;
        {
            let removed = execute(
                &mut connection,
                queries::DELETE_EXPIRED_SESSIONS,
                &[Param::time(now)],
            )
            .await?;
            Ok(removed)
        }
    }

    async fn record_login_failure(
        &self,
        throttle_key: &str,
        now: Timestamp,
        window_start: Timestamp,
    ) -> StoreResult<u32> {
        let mut connection = self.pool.acquire().await?;
        {
            let count = query_one(
                &mut connection,
                queries::RECORD_FAILURE,
                &[
                    Param::text(throttle_key),
                    Param::time(now),
                    Param::time(window_start),
                ],
                |row| row.int(0),
            )
            .await?;
            Ok(rows::failures(count.unwrap_or(1)))
        }
    }

    async fn login_failures(
        &self,
        throttle_key: &str,
        window_start: Timestamp,
    ) -> StoreResult<u32> {
        let mut connection = self.pool.acquire().await?;
        {
            let count = query_one(
                &mut connection,
                queries::GET_FAILURES,
                &[Param::text(throttle_key), Param::time(window_start)],
                |row| row.int(0),
            )
            .await?;
            Ok(rows::failures(count.unwrap_or(0)))
        }
    }

    async fn clear_login_failures(&self, throttle_key: &str) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        {
            execute(
                &mut connection,
                queries::CLEAR_FAILURES,
                &[Param::text(throttle_key)],
            )
            .await?;
            Ok(())
        }
    }

    async fn checklist_ticks(
        &self,
        shop_id: &ShopId,
        day: &str,
    ) -> StoreResult<Vec<ChecklistTick>> {
        let mut connection = self.pool.acquire().await?;
        {
            query_all(
                &mut connection,
                queries::CHECKLIST_TICKS,
                &[Param::text(shop_id.as_str()), Param::text(day)],
                rows::tick_from_row,
            )
            .await
        }
    }

    async fn set_checklist_tick(
        &self,
        shop_id: &ShopId,
        day: &str,
        item: &str,
        tick: Option<&ChecklistTick>,
    ) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        {
            match tick {
                Some(tick) => {
                    execute(
                        &mut connection,
                        queries::UPSERT_TICK,
                        &[
                            Param::text(shop_id.as_str()),
                            Param::text(day),
                            Param::text(item),
                            Param::text(&tick.ticked_by),
                            Param::time(tick.ticked_at),
                        ],
                    )
                    .await?
                }
                None => {
                    execute(
                        &mut connection,
                        queries::DELETE_TICK,
                        &[
                            Param::text(shop_id.as_str()),
                            Param::text(day),
                            Param::text(item),
                        ],
                    )
                    .await?
                }
            };
            Ok(())
        }
    }
}
