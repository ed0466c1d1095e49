//! The after-sales desk's JSON API: the queue, one case, seller commands (into the
//! outbox), evidence attachments and per-shop KPIs. Every handler takes the [`Viewer`]
//! and answers 404 for cases and shops it may not see.

use crate::access::Viewer;
use crate::cases::{AppealError, AppealRequest, CaseCommand, CaseDesk, EvidenceInput};
use crate::clock::Clock;
use crate::error::HttpError;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use shopcare_core::ShopId;
use std::sync::Arc;

#[derive(Clone)]
pub struct CasesState {
    pub desk: CaseDesk,
    pub clock: Arc<dyn Clock>,
}

pub fn router(state: CasesState) -> Router {
    Router::new()
        .route("/api/v1/cases", get(queue))
        .route("/api/v1/cases/{case_id}", get(detail))
        .route("/api/v1/cases/{case_id}/actions", post(act))
        .route("/api/v1/cases/{case_id}/evidence", post(attach_evidence))
        .route("/api/v1/cases/{case_id}/appeal-draft", post(appeal_draft))
        .route("/api/v1/shops/{shop_id}/case-kpis", get(kpis))
        .with_state(state)
}

#[derive(Debug, Deserialize)]
pub struct QueueQuery {
    pub shop: Option<String>,
}

/// The shops to show: the viewer's, narrowed to `shop` when given (404 if not theirs).
fn scope(viewer: &Viewer, shop: Option<&str>) -> Result<Option<Vec<ShopId>>, HttpError> {
    match shop {
        Some(shop) => {
            let shop = ShopId::new(shop);
            viewer.require_shop(&shop)?;
            Ok(Some(vec![shop]))
        }
        None => Ok(viewer.shop_filter()),
    }
}

async fn queue(
    State(state): State<CasesState>,
    viewer: Viewer,
    Query(query): Query<QueueQuery>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let shops = scope(&viewer, query.shop.as_deref())?;
    let now = state.clock.now();
    state.desk.observe(now).await?;
    let cases = state.desk.queue(shops, now).await?;
    Ok(Json(serde_json::json!({ "now": now, "cases": cases })))
}

async fn detail(
    State(state): State<CasesState>,
    viewer: Viewer,
    Path(case_id): Path<String>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let now = state.clock.now();
    state.desk.observe(now).await?;
    let shops = viewer.shop_filter();
    let detail = state
        .desk
        .detail(&case_id, shops.as_deref(), now)
        .await?
        .ok_or_else(|| HttpError::not_found("no such case"))?;
    Ok(Json(
        serde_json::to_value(detail).map_err(HttpError::internal)?,
    ))
}

async fn appeal_draft(
    State(state): State<CasesState>,
    viewer: Viewer,
    Path(case_id): Path<String>,
    Json(request): Json<AppealRequest>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let shops = viewer.shop_filter();
    let draft = state
        .desk
        .appeal_draft(&case_id, shops.as_deref(), &request, state.clock.now())
        .await
        .map_err(|error| match error {
            AppealError::UnknownDispute(_) => {
                HttpError::bad_request("unknown_dispute", error.to_string())
            }
            AppealError::Store(error) => error.into(),
        })?
        .ok_or_else(|| HttpError::not_found("no such case"))?;
    Ok(Json(
        serde_json::to_value(draft).map_err(HttpError::internal)?,
    ))
}

async fn act(
    State(state): State<CasesState>,
    viewer: Viewer,
    Path(case_id): Path<String>,
    Json(command): Json<CaseCommand>,
) -> Result<(StatusCode, Json<serde_json::Value>), HttpError> {
    let now = state.clock.now();
    state.desk.observe(now).await?;
    let shops = viewer.shop_filter();
    let outcome = state
        .desk
        .act(&case_id, shops.as_deref(), &command, &viewer.username, now)
        .await?;
    let status = if outcome.new {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(serde_json::to_value(outcome).map_err(HttpError::internal)?),
    ))
}

async fn attach_evidence(
    State(state): State<CasesState>,
    viewer: Viewer,
    Path(case_id): Path<String>,
    Json(body): Json<EvidenceInput>,
) -> Result<(StatusCode, Json<serde_json::Value>), HttpError> {
    let shops = viewer.shop_filter();
    let evidence = state
        .desk
        .attach_evidence(
            &case_id,
            shops.as_deref(),
            &body,
            &viewer.username,
            state.clock.now(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(serde_json::to_value(evidence).map_err(HttpError::internal)?),
    ))
}

async fn kpis(
    State(state): State<CasesState>,
    viewer: Viewer,
    Path(shop_id): Path<String>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let shop_id = ShopId::new(shop_id);
    viewer.require_shop(&shop_id)?;
    state.desk.observe(state.clock.now()).await?;
    let kpis = state.desk.kpis(&shop_id).await?;
    Ok(Json(
        serde_json::to_value(kpis).map_err(HttpError::internal)?,
    ))
}
