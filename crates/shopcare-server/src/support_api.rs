//! The support desk's JSON API: tickets (list, detail, update, checklist, replies), saved
//! replies, chat flags, the response-time report and the VoC log. Every handler takes the
//! [`Viewer`]; shops and tickets outside the viewer's scope answer 404.

use crate::access::Viewer;
use crate::clock::Clock;
use crate::error::HttpError;
use crate::support::{
    report_json, FlagInput, ReplyInput, SavedReplyInput, StepInput, SupportDesk, SupportError,
    TicketUpdate, VocEntryInput,
};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use shopcare_core::support::ResponseRules;
use shopcare_core::ShopId;
use std::sync::Arc;

#[derive(Clone)]
pub struct SupportState {
    pub desk: SupportDesk,
    pub clock: Arc<dyn Clock>,
}

pub fn router(state: SupportState) -> Router {
    Router::new()
        .route("/api/v1/tickets", get(all_tickets))
        .route(
            "/api/v1/tickets/{conversation_id}",
            get(detail).patch(update),
        )
        .route(
            "/api/v1/tickets/{conversation_id}/checklist",
            axum::routing::post(record_step),
        )
        .route(
            "/api/v1/tickets/{conversation_id}/replies",
            axum::routing::post(send_reply),
        )
        .route("/api/v1/shops/{shop_id}/tickets", get(shop_tickets))
        .route(
            "/api/v1/shops/{shop_id}/saved-replies",
            get(saved_replies).post(save_saved_reply),
        )
        .route(
            "/api/v1/shops/{shop_id}/chat-flags",
            axum::routing::post(set_flag),
        )
        .route("/api/v1/shops/{shop_id}/support-stats", get(stats))
        .route(
            "/api/v1/shops/{shop_id}/voc",
            get(voc_log).post(save_voc_entry),
        )
        .with_state(state)
}

impl From<SupportError> for HttpError {
    fn from(error: SupportError) -> Self {
        match error {
            SupportError::NotFound(what) => HttpError::not_found(format!("no such {what}")),
            SupportError::Invalid(message) => HttpError::bad_request("invalid", message),
            SupportError::SavedReply(error) => HttpError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_saved_reply",
                error.to_string(),
            ),
            SupportError::Checklist(error) => {
                HttpError::new(StatusCode::CONFLICT, "checklist", error.to_string())
            }
            SupportError::Blocked(findings) => {
                let rules: Vec<String> = findings
                    .iter()
                    .map(|finding| format!("{}: {}", finding.rule, finding.message))
                    .collect();
                HttpError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "blocked_by_compliance",
                    format!("not sent: {}", rules.join("; ")),
                )
            }
            SupportError::Store(error) => HttpError::internal(error),
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct TicketQuery {
    pub state: Option<String>,
}

fn json(value: impl serde::Serialize) -> Result<Json<serde_json::Value>, HttpError> {
    Ok(Json(
        serde_json::to_value(value).map_err(HttpError::internal)?,
    ))
}

async fn all_tickets(
    State(state): State<SupportState>,
    viewer: Viewer,
    Query(query): Query<TicketQuery>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let tickets = state
        .desk
        .tickets(viewer.shop_filter(), query.state, state.clock.now())
        .await?;
    Ok(Json(serde_json::json!({ "tickets": tickets })))
}

async fn shop_tickets(
    State(state): State<SupportState>,
    viewer: Viewer,
    Path(shop_id): Path<String>,
    Query(query): Query<TicketQuery>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let shop_id = ShopId::new(shop_id);
    viewer.require_shop(&shop_id)?;
    let tickets = state
        .desk
        .tickets(Some(vec![shop_id]), query.state, state.clock.now())
        .await?;
    Ok(Json(serde_json::json!({ "tickets": tickets })))
}

async fn detail(
    State(state): State<SupportState>,
    viewer: Viewer,
    Path(conversation_id): Path<String>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let shops = viewer.shop_filter();
    let view = state
        .desk
        .ticket_detail(&conversation_id, shops.as_deref(), state.clock.now())
        .await?;
    json(view)
}

async fn update(
    State(state): State<SupportState>,
    viewer: Viewer,
    Path(conversation_id): Path<String>,
    Json(body): Json<TicketUpdate>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let shops = viewer.shop_filter();
    let ticket = state
        .desk
        .update_ticket(&conversation_id, shops.as_deref(), &body, state.clock.now())
        .await?;
    json(ticket)
}

async fn record_step(
    State(state): State<SupportState>,
    viewer: Viewer,
    Path(conversation_id): Path<String>,
    Json(body): Json<StepInput>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let shops = viewer.shop_filter();
    let ticket = state
        .desk
        .record_step(
            &conversation_id,
            shops.as_deref(),
            &body,
            &viewer.username,
            state.clock.now(),
        )
        .await?;
    json(ticket)
}

async fn send_reply(
    State(state): State<SupportState>,
    viewer: Viewer,
    Path(conversation_id): Path<String>,
    Json(body): Json<ReplyInput>,
) -> Result<(StatusCode, Json<serde_json::Value>), HttpError> {
    let shops = viewer.shop_filter();
    let (reply, new) = state
        .desk
        .send_reply(
            &conversation_id,
            shops.as_deref(),
            &body,
            &viewer.username,
            state.clock.now(),
        )
        .await?;
    let status = if new {
        StatusCode::ACCEPTED
    } else {
        StatusCode::OK
    };
    Ok((status, json(reply)?))
}

async fn saved_replies(
    State(state): State<SupportState>,
    viewer: Viewer,
    Path(shop_id): Path<String>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let shop_id = ShopId::new(shop_id);
    viewer.require_shop(&shop_id)?;
    let replies = state.desk.saved_replies(&shop_id).await?;
    Ok(Json(serde_json::json!({ "saved_replies": replies })))
}

async fn save_saved_reply(
    State(state): State<SupportState>,
    viewer: Viewer,
    Path(shop_id): Path<String>,
    Json(body): Json<SavedReplyInput>,
) -> Result<(StatusCode, Json<serde_json::Value>), HttpError> {
    let shop_id = ShopId::new(shop_id);
    viewer.require_shop(&shop_id)?;
    let reply = state
        .desk
        .save_saved_reply(&shop_id, &body, &viewer.username, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, json(reply)?))
}

async fn set_flag(
    State(state): State<SupportState>,
    viewer: Viewer,
    Path(shop_id): Path<String>,
    Json(body): Json<FlagInput>,
) -> Result<StatusCode, HttpError> {
    let shop_id = ShopId::new(shop_id);
    viewer.require_shop(&shop_id)?;
    state
        .desk
        .set_flag(&shop_id, &body, state.clock.now())
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Deserialize)]
pub struct StatsQuery {
    /// The window is the 30 complete local days before this date (default: today).
    pub as_of: Option<chrono::NaiveDate>,
}

async fn stats(
    State(state): State<SupportState>,
    viewer: Viewer,
    Path(shop_id): Path<String>,
    Query(query): Query<StatsQuery>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let shop_id = ShopId::new(shop_id);
    viewer.require_shop(&shop_id)?;
    let shop = state
        .desk
        .store()
        .get_shop(&shop_id)
        .await?
        .ok_or_else(|| HttpError::not_found("no such shop"))?;
    let as_of = query.as_of.unwrap_or_else(|| {
        state
            .clock
            .now()
            .with_timezone(&shop.time_zone)
            .date_naive()
    });
    let report = state
        .desk
        .response_stats(&shop, as_of, &ResponseRules::default())
        .await?;
    Ok(Json(report_json(&shop, &report)))
}

async fn voc_log(
    State(state): State<SupportState>,
    viewer: Viewer,
    Path(shop_id): Path<String>,
) -> Result<Json<serde_json::Value>, HttpError> {
    let shop_id = ShopId::new(shop_id);
    viewer.require_shop(&shop_id)?;
    let log = state.desk.voc_log(&shop_id, state.clock.now()).await?;
    Ok(Json(log))
}

async fn save_voc_entry(
    State(state): State<SupportState>,
    viewer: Viewer,
    Path(shop_id): Path<String>,
    Json(body): Json<VocEntryInput>,
) -> Result<(StatusCode, Json<serde_json::Value>), HttpError> {
    let shop_id = ShopId::new(shop_id);
    viewer.require_shop(&shop_id)?;
    let entry = state
        .desk
        .save_voc_entry(&shop_id, &body, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, json(entry)?))
}
