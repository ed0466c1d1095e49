//! [`CaseStore`] for SQLite: the shared SQL of `crate::cases`, run on the writer or a reader.

use super::{execute, query_all, query_one, SqliteStore};
use crate::cases::{self as sql, CaseActionRecord, CaseActionState, CaseEvidence, CaseIdFilter};
use crate::cases::{
    CaseObservation, CaseStore, NewCaseAction, NewCaseEvent, QueueCase, StoredCaseEvent,
};
use crate::encode::{Param, RowReader};
use crate::StoreResult;
use async_trait::async_trait;
use shopcare_core::{Cancellation, ShopId, Timestamp};

#[async_trait]
impl CaseStore for SqliteStore {
    async fn append_case_events(&self, events: &[NewCaseEvent]) -> StoreResult<Vec<bool>> {
        self.write(|connection| {
            let transaction = connection.transaction()?;
            let mut added = Vec::with_capacity(events.len());
            for event in events {
                added
                    .push(execute(&transaction, sql::INSERT_EVENT, &sql::event_params(event))? > 0);
            }
            transaction.commit()?;
            Ok(added)
        })
    }

    async fn case_events(&self, case_id: &str) -> StoreResult<Vec<StoredCaseEvent>> {
        self.read(|connection| {
            query_all(
                connection,
                sql::SELECT_EVENTS,
                &[Param::text(case_id)],
                |row| sql::event_from_row(row),
            )
        })
    }

    async fn count_case_events(&self, shop_id: &ShopId, action: &str) -> StoreResult<u64> {
        self.read(|connection| {
            let count = query_one(
                connection,
                sql::COUNT_EVENTS,
                &[Param::text(shop_id.as_str()), Param::text(action)],
                |row| row.int(0),
            )?;
            Ok(crate::encode::count(count.unwrap_or(0)))
        })
    }

    async fn create_case_action(
        &self,
        action: &NewCaseAction,
    ) -> StoreResult<(CaseActionRecord, bool)> {
        self.write(|connection| {
            let transaction = connection.transaction()?;
            let inserted = execute(
                &transaction,
                sql::INSERT_ACTION,
                &sql::action_params(action),
            )? > 0;
            let stored = query_one(
                &transaction,
                &sql::SELECT_ACTION_BY_COMMAND,
                &[Param::text(&action.command_key)],
                |row| sql::action_from_row(row),
            )?
            .ok_or_else(|| crate::StoreError::Database("case action vanished".to_owned()))?;
            transaction.commit()?;
            Ok((stored, inserted))
        })
    }

    async fn case_action(&self, action_id: &str) -> StoreResult<Option<CaseActionRecord>> {
        self.read(|connection| {
            query_one(
                connection,
                &sql::SELECT_ACTION,
                &[Param::text(action_id)],
                |row| sql::action_from_row(row),
            )
        })
    }

    async fn case_actions(&self, case_id: &str) -> StoreResult<Vec<CaseActionRecord>> {
        self.read(|connection| {
            query_all(
                connection,
                &sql::SELECT_ACTIONS_OF_CASE,
                &[Param::text(case_id)],
                |row| sql::action_from_row(row),
            )
        })
    }

    async fn update_case_action(
        &self,
        action_id: &str,
        state: CaseActionState,
        error: Option<&str>,
        at: Timestamp,
    ) -> StoreResult<()> {
        self.write(|connection| {
            if state == CaseActionState::Confirmed {
                execute(
                    connection,
                    sql::CONFIRM_ACTION,
                    &[Param::text(action_id), Param::time(at)],
                )?;
            } else {
                execute(
                    connection,
                    sql::UPDATE_ACTION,
                    &[
                        Param::text(action_id),
                        Param::text(state.as_str()),
                        Param::opt_text(error),
                        Param::time(at),
                    ],
                )?;
            }
            Ok(())
        })
    }

    async fn add_case_evidence(&self, evidence: &CaseEvidence) -> StoreResult<()> {
        self.write(|connection| {
            execute(
                connection,
                sql::INSERT_EVIDENCE,
                &sql::evidence_params(evidence),
            )?;
            Ok(())
        })
    }

    async fn case_evidence(&self, case_id: &str) -> StoreResult<Vec<CaseEvidence>> {
        self.read(|connection| {
            query_all(
                connection,
                sql::SELECT_EVIDENCE,
                &[Param::text(case_id)],
                |row| sql::evidence_from_row(row),
            )
        })
    }

    async fn record_case_warning(
        &self,
        case_id: &str,
        lead_minutes: i64,
        due_at: Timestamp,
        at: Timestamp,
    ) -> StoreResult<bool> {
        self.write(|connection| {
            let params = [
                Param::text(case_id),
                Param::int(lead_minutes),
                Param::time(due_at),
                Param::time(at),
            ];
            Ok(execute(connection, sql::INSERT_WARNING, &params)? > 0)
        })
    }

    async fn case_observation(&self, case_id: &str) -> StoreResult<Option<CaseObservation>> {
        self.read(|connection| {
            query_one(
                connection,
                sql::SELECT_OBSERVATION,
                &[Param::text(case_id)],
                |row| sql::observation_from_row(row),
            )
        })
    }

    async fn save_case_observation(&self, observation: &CaseObservation) -> StoreResult<()> {
        self.write(|connection| {
            execute(
                connection,
                sql::UPSERT_OBSERVATION,
                &sql::observation_params(observation),
            )?;
            Ok(())
        })
    }

    async fn case_ids(&self, filter: &CaseIdFilter) -> StoreResult<Vec<String>> {
        let (query, params) = sql::case_ids_query(filter);
        self.read(|connection| query_all(connection, &query, &params, |row| row.text(0)))
    }

    async fn queue_cases(&self, filter: &CaseIdFilter) -> StoreResult<Vec<QueueCase>> {
        let (ids_query, params) = sql::case_ids_query(filter);
        self.read(|connection| {
            // One snapshot for the ids, the cases and their children.
            let transaction = connection.unchecked_transaction()?;
            let ids = query_all(&transaction, &ids_query, &params, |row| row.text(0))?;
            let (mut cases, mut actions) = (Vec::new(), Vec::new());
            let (mut events, mut evidence) = (Vec::new(), Vec::new());
            for chunk in ids.chunks(sql::QUEUE_ID_CHUNK) {
                let [case_query, action_query, event_query, evidence_query] =
                    sql::queue_chunk_queries(chunk.len());
                let ids: Vec<Param<'_>> = chunk.iter().map(|id| Param::text(id)).collect();
                cases.extend(query_all(&transaction, &case_query, &ids, |row| {
                    crate::encode::case_from_row(row)
                })?);
                actions.extend(query_all(&transaction, &action_query, &ids, |row| {
                    Ok((row.text(2)?, crate::encode::next_action_from_row(row)?))
                })?);
                events.extend(query_all(&transaction, &event_query, &ids, |row| {
                    sql::event_from_row(row)
                })?);
                evidence.extend(query_all(&transaction, &evidence_query, &ids, |row| {
                    sql::evidence_from_row(row)
                })?);
            }
            Ok(sql::assemble_queue(cases, actions, events, evidence))
        })
    }

    async fn open_cancellation_ids(&self, shops: Option<&[ShopId]>) -> StoreResult<Vec<String>> {
        let (query, params) = sql::open_cancellations_query(shops);
        self.read(|connection| query_all(connection, &query, &params, |row| row.text(0)))
    }

    async fn unobserved_cancellation_ids(&self) -> StoreResult<Vec<String>> {
        self.read(|connection| {
            query_all(connection, sql::UNOBSERVED_CANCELLATIONS, &[], |row| {
                row.text(0)
            })
        })
    }

    async fn get_cancellation(&self, cancellation_id: &str) -> StoreResult<Option<Cancellation>> {
        let id = [Param::text(cancellation_id)];
        self.read(|connection| {
            let Some(mut cancellation) =
                query_one(connection, sql::SELECT_CANCELLATION, &id, |row| {
                    sql::cancellation_from_row(row)
                })?
            else {
                return Ok(None);
            };
            cancellation.next_actions = query_all(
                connection,
                sql::SELECT_CANCELLATION_NEXT_ACTIONS,
                &id,
                |row| crate::encode::next_action_from_row(row),
            )?;
            Ok(Some(cancellation))
        })
    }
}
