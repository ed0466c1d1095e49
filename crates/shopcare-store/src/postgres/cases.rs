//! [`CaseStore`] for PostgreSQL: the shared SQL of `crate::cases` on the pool.

use super::{execute, query_all, query_one, PostgresStore};
use crate::cases::{self as sql, CaseActionRecord, CaseActionState, CaseEvidence, CaseIdFilter};
use crate::cases::{
    CaseObservation, CaseStore, NewCaseAction, NewCaseEvent, QueueCase, StoredCaseEvent,
};
use crate::encode::{Param, RowReader};
use crate::StoreResult;
use async_trait::async_trait;
use shopcare_core::{Cancellation, ShopId, Timestamp};

#[async_trait]
impl CaseStore for PostgresStore {
    async fn append_case_events(&self, events: &[NewCaseEvent]) -> StoreResult<Vec<bool>> {
        super::retry_conflicts(|| async {
            let mut transaction = self.pool.begin().await?;
            let mut added = Vec::with_capacity(events.len());
            for event in events {
                let params = sql::event_params(event);
                added.push(execute(&mut transaction, sql::INSERT_EVENT, &params).await? > 0);
            }
            transaction.commit().await?;
            Ok(added)
        })
        .await
    }

    async fn case_events(&self, case_id: &str) -> StoreResult<Vec<StoredCaseEvent>> {
        let mut connection = self.pool.acquire().await?;
        query_all(
            &mut connection,
            sql::SELECT_EVENTS,
            &[Param::text(case_id)],
            sql::event_from_row,
        )
        .await
    }

    async fn count_case_events(&self, shop_id: &ShopId, action: &str) -> StoreResult<u64> {
        let mut connection = self.pool.acquire().await?;
        let count = query_one(
            &mut connection,
            sql::COUNT_EVENTS,
            &[Param::text(shop_id.as_str()), Param::text(action)],
            |row| row.int(0),
        )
        .await?;
        Ok(crate::encode::count(count.unwrap_or(0)))
    }

    async fn create_case_action(
        &self,
        action: &NewCaseAction,
    ) -> StoreResult<(CaseActionRecord, bool)> {
        super::retry_conflicts(|| async {
            let mut transaction = self.pool.begin().await?;
            let params = sql::action_params(action);
            let inserted = execute(&mut transaction, sql::INSERT_ACTION, &params).await? > 0;
            let stored = query_one(
                &mut transaction,
                &sql::SELECT_ACTION_BY_COMMAND,
                &[Param::text(&action.command_key)],
                sql::action_from_row,
            )
            .await?
            .ok_or_else(|| crate::StoreError::Database("case action vanished".to_owned()))?;
            transaction.commit().await?;
            Ok((stored, inserted))
        })
        .await
    }

    async fn case_action(&self, action_id: &str) -> StoreResult<Option<CaseActionRecord>> {
        let mut connection = self.pool.acquire().await?;
        query_one(
            &mut connection,
            &sql::SELECT_ACTION,
            &[Param::text(action_id)],
            sql::action_from_row,
        )
        .await
    }

    async fn case_actions(&self, case_id: &str) -> StoreResult<Vec<CaseActionRecord>> {
        let mut connection = self.pool.acquire().await?;
        query_all(
            &mut connection,
            &sql::SELECT_ACTIONS_OF_CASE,
            &[Param::text(case_id)],
            sql::action_from_row,
        )
        .await
    }

    async fn update_case_action(
        &self,
        action_id: &str,
        state: CaseActionState,
        error: Option<&str>,
        at: Timestamp,
    ) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        if state == CaseActionState::Confirmed {
            let params = [Param::text(action_id), Param::time(at)];
            execute(&mut connection, sql::CONFIRM_ACTION, &params).await?;
        } else {
            let params = [
                Param::text(action_id),
                Param::text(state.as_str()),
                Param::opt_text(error),
                Param::time(at),
            ];
            execute(&mut connection, sql::UPDATE_ACTION, &params).await?;
        }
        Ok(())
    }

    async fn add_case_evidence(&self, evidence: &CaseEvidence) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        let params = sql::evidence_params(evidence);
        execute(&mut connection, sql::INSERT_EVIDENCE, &params).await?;
        Ok(())
    }

    async fn case_evidence(&self, case_id: &str) -> StoreResult<Vec<CaseEvidence>> {
        let mut connection = self.pool.acquire().await?;
        query_all(
            &mut connection,
            sql::SELECT_EVIDENCE,
            &[Param::text(case_id)],
            sql::evidence_from_row,
        )
        .await
    }

    async fn record_case_warning(
        &self,
        case_id: &str,
        lead_minutes: i64,
        due_at: Timestamp,
        at: Timestamp,
    ) -> StoreResult<bool> {
        let mut connection = self.pool.acquire().await?;
        let params = [
            Param::text(case_id),
            Param::int(lead_minutes),
            Param::time(due_at),
            Param::time(at),
        ];
        Ok(execute(&mut connection, sql::INSERT_WARNING, &params).await? > 0)
    }

    async fn case_observation(&self, case_id: &str) -> StoreResult<Option<CaseObservation>> {
        let mut connection = self.pool.acquire().await?;
        query_one(
            &mut connection,
            sql::SELECT_OBSERVATION,
            &[Param::text(case_id)],
            sql::observation_from_row,
        )
        .await
    }

    async fn save_case_observation(&self, observation: &CaseObservation) -> StoreResult<()> {
        let mut connection = self.pool.acquire().await?;
        let params = sql::observation_params(observation);
        execute(&mut connection, sql::UPSERT_OBSERVATION, &params).await?;
        Ok(())
    }

    async fn case_ids(&self, filter: &CaseIdFilter) -> StoreResult<Vec<String>> {
        let (query, params) = sql::case_ids_query(filter);
        let mut connection = self.pool.acquire().await?;
        query_all(&mut connection, &query, &params, |row| row.text(0)).await
    }

    async fn queue_cases(&self, filter: &CaseIdFilter) -> StoreResult<Vec<QueueCase>> {
        let (ids_query, params) = sql::case_ids_query(filter);
        // One snapshot for the ids, the cases and their children.
        let mut transaction = self.snapshot().await?;
        let ids = query_all(&mut transaction, &ids_query, &params, |row| row.text(0)).await?;
        let (mut cases, mut actions) = (Vec::new(), Vec::new());
        let (mut events, mut evidence) = (Vec::new(), Vec::new());
        for chunk in ids.chunks(sql::QUEUE_ID_CHUNK) {
            let [case_query, action_query, event_query, evidence_query] =
                sql::queue_chunk_queries(chunk.len());
            let ids: Vec<Param<'_>> = chunk.iter().map(|id| Param::text(id)).collect();
            cases.extend(
                query_all(&mut transaction, &case_query, &ids, |row| {
                    crate::encode::case_from_row(row)
                })
                .await?,
            );
            actions.extend(
                query_all(&mut transaction, &action_query, &ids, |row| {
                    Ok((row.text(2)?, crate::encode::next_action_from_row(row)?))
                })
                .await?,
            );
            events.extend(
                query_all(&mut transaction, &event_query, &ids, sql::event_from_row).await?,
            );
            evidence.extend(
                query_all(
                    &mut transaction,
                    &evidence_query,
                    &ids,
                    sql::evidence_from_row,
                )
                .await?,
            );
        }
        transaction.commit().await?;
        Ok(sql::assemble_queue(cases, actions, events, evidence))
    }

    async fn open_cancellation_ids(&self, shops: Option<&[ShopId]>) -> StoreResult<Vec<String>> {
        let (query, params) = sql::open_cancellations_query(shops);
        let mut connection = self.pool.acquire().await?;
        query_all(&mut connection, &query, &params, |row| row.text(0)).await
    }

    async fn unobserved_cancellation_ids(&self) -> StoreResult<Vec<String>> {
        let mut connection = self.pool.acquire().await?;
        query_all(&mut connection, sql::UNOBSERVED_CANCELLATIONS, &[], |row| {
            row.text(0)
        })
        .await
    }

    async fn get_cancellation(&self, cancellation_id: &str) -> StoreResult<Option<Cancellation>> {
        let id = [Param::text(cancellation_id)];
        let mut connection = self.pool.acquire().await?;
        let cancellation = query_one(
            &mut connection,
            sql::SELECT_CANCELLATION,
            &id,
            sql::cancellation_from_row,
        )
        .await?;
        let Some(mut cancellation) = cancellation else {
            return Ok(None);
        };
        cancellation.next_actions = query_all(
            &mut connection,
            sql::SELECT_CANCELLATION_NEXT_ACTIONS,
            &id,
            crate::encode::next_action_from_row,
        )
        .await?;
        Ok(Some(cancellation))
    }
}
