//! The review inbox JSON API: reviews across the shops a viewer may see, each with its
//! analysis and the linked order and tracking; mark handled, flag report candidates,
//! reply drafts (kept blocked when the compliance guard finds problems) and a suggested
//! reply. A review of a shop the viewer may not see answers 404.

use crate::access::Viewer;
use crate::clock::Clock;
use crate::error::HttpError;
use crate::text_api::verdict_json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::{json, Value};
use shopcare_core::compliance::{check, draft_review_reply, TextKind};
use shopcare_core::{tracking_idle_hours, OrderId, ShopId};
use shopcare_store::{AnalysisFilter, ReviewFilter, Store, StoredReviewAnalysis};
use std::sync::Arc;

/// Most reviews one page returns.
const MAX_PAGE: u32 = 200;

#[derive(Clone)]
pub struct ReviewInboxState {
    pub store: Arc<dyn Store>,
    pub clock: Arc<dyn Clock>,
}

pub fn router(state: ReviewInboxState) -> Router {
    Router::new()
        .route("/api/v1/reviews", get(list))
        .route("/api/v1/reviews/{review_id}/handled", post(mark_handled))
        .route(
            "/api/v1/reviews/{review_id}/report-candidate",
            post(flag_report_candidate),
        )
        .route("/api/v1/reviews/{review_id}/reply-draft", post(reply_draft))
        .route(
            "/api/v1/reviews/{review_id}/suggested-reply",
            get(suggested_reply),
        )
        .with_state(state)
}

/// Query parameters of `GET /api/v1/reviews`.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub shop: Option<String>,
    /// Exact stars; or a range with `min_stars` / `max_stars`.
    pub stars: Option<u8>,
    pub min_stars: Option<u8>,
    pub max_stars: Option<u8>,
    pub root_cause: Option<String>,
    pub seller_related: Option<bool>,
    pub language: Option<String>,
    pub replied: Option<bool>,
    pub sku: Option<String>,
    /// RFC 3339 instants; `until` is exclusive.
    pub from: Option<DateTime<Utc>>,
    pub until: Option<DateTime<Utc>>,
    pub handled: Option<bool>,
    pub limit: Option<u32>,
}

fn filter_for(viewer: &Viewer, query: &ListQuery) -> Result<AnalysisFilter, HttpError> {
    let shop_ids = match &query.shop {
        Some(shop) => {
            let shop_id = ShopId::new(shop.as_str());
            viewer.require_shop(&shop_id)?;
            Some(vec![shop_id])
        }
        None => viewer.shop_filter(),
    };
    if let Some(stars) = query.stars.or(query.min_stars).or(query.max_stars) {
        if !(1..=5).contains(&stars) {
            return Err(HttpError::bad_request("bad_stars", "stars are 1 to 5"));
        }
    }
    Ok(AnalysisFilter {
        shop_ids,
        review_id: None,
        min_rating: query.stars.or(query.min_stars),
        max_rating: query.stars.or(query.max_stars),
        root_cause: query.root_cause.clone(),
        seller_related: query.seller_related,
        language: query.language.clone(),
        sku_id: query.sku.clone(),
        from: query.from,
        until: query.until,
        handled: query.handled,
        replied: query.replied,
        limit: query.limit.unwrap_or(50).clamp(1, MAX_PAGE),
    })
}

/// The review with its analysis, text, order and tracking summary.
async fn review_json(
    store: &Arc<dyn Store>,
    row: &StoredReviewAnalysis,
) -> Result<Value, HttpError> {
    let analysis = &row.analysis;
    let text = store
        .list_reviews(&ReviewFilter {
            shop_ids: Some(vec![analysis.shop_id.clone()]),
            created_from: Some(analysis.review_time),
            created_before: Some(analysis.review_time + Duration::milliseconds(1)),
            ..ReviewFilter::default()
        })
        .await?
        .into_iter()
        .find(|review| review.id.as_str() == analysis.review_id)
        .map(|review| review.text);
    let (order, tracking) = match &analysis.order_id {
        Some(order_id) => {
            let order_id = OrderId::new(order_id.as_str());
            let order = store.get_order(&order_id).await?.map(|order| {
                json!({
                    "order_id": order.id,
                    "status": order.status.as_str(),
                    "ship_by_time": order.ship_by_time,
                    "shipped_time": order.shipped_time,
                    "delivery_time": order.delivery_time,
                    "shipped_late": match (order.ship_by_time, order.shipped_time) {
                        (Some(due), Some(shipped)) => Some(shipped > due),
                        _ => None,
                    },
                    "shipping_provider": order.shipping_provider,
                })
            });
            let events = store.tracking_events(&order_id).await?;
            let tracking = events.iter().max_by_key(|event| event.time).map(|last| {
                json!({
                    "events": events.len(),
                    "last_event": last.description,
                    "last_event_time": last.time,
                    "idle_hours_at_review": tracking_idle_hours(&events, analysis.review_time),
                })
            });
            (order, tracking)
        }
        None => (None, None),
    };
    let evidence: Value = serde_json::from_str(&analysis.evidence).unwrap_or(Value::Null);
    Ok(json!({
        "review_id": analysis.review_id,
        "shop_id": analysis.shop_id,
        "order_id": analysis.order_id,
        "product_id": analysis.product_id,
        "sku_id": analysis.sku_id,
        "stars": analysis.rating,
        "text": text,
        "review_time": analysis.review_time,
        "analysis": {
            "sentiment": analysis.sentiment,
            "root_cause": analysis.root_cause,
            "seller_related": analysis.seller_related,
            "language": analysis.language,
            "confidence": analysis.confidence_permille as f64 / 1000.0,
            "evidence": evidence,
        },
        "handled_at": row.handled_at,
        "report_candidate": row.report_candidate,
        "replied": row.replied,
        "order": order,
        "tracking": tracking,
    }))
}

async fn list(
    viewer: Viewer,
    State(state): State<ReviewInboxState>,
    Query(query): Query<ListQuery>,
) -> Result<Json<Value>, HttpError> {
    let filter = filter_for(&viewer, &query)?;
    let rows = state.store.list_review_analyses(&filter).await?;
    let mut reviews = Vec::with_capacity(rows.len());
    for row in &rows {
        reviews.push(review_json(&state.store, row).await?);
    }
    Ok(Json(json!({ "reviews": reviews })))
}

/// The review `review_id` if the viewer may see its shop; 404 otherwise.
async fn visible_review(
    store: &Arc<dyn Store>,
    viewer: &Viewer,
    review_id: &str,
) -> Result<StoredReviewAnalysis, HttpError> {
    let rows = store
        .list_review_analyses(&AnalysisFilter {
            review_id: Some(review_id.to_owned()),
            shop_ids: viewer.shop_filter(),
            limit: 1,
            ..AnalysisFilter::default()
        })
        .await?;
    rows.into_iter()
        .next()
        .ok_or_else(|| HttpError::not_found("no such review"))
}

/// A JSON body that may be left out entirely (then every field takes its default).
fn optional_body<T: Default + serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, HttpError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body)
        .map_err(|error| HttpError::bad_request("bad_body", format!("invalid JSON body: {error}")))
}

#[derive(Debug, Default, Deserialize)]
pub struct HandledRequest {
    /// Defaults to true; false reopens the review.
    pub handled: Option<bool>,
}

async fn mark_handled(
    viewer: Viewer,
    State(state): State<ReviewInboxState>,
    Path(review_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, HttpError> {
    visible_review(&state.store, &viewer, &review_id).await?;
    let body: HandledRequest = optional_body(&body)?;
    let handled = body.handled.unwrap_or(true);
    let at = handled.then(|| state.clock.now());
    state.store.set_review_handled(&review_id, at).await?;
    Ok(Json(json!({"review_id": review_id, "handled_at": at})))
}

#[derive(Debug, Default, Deserialize)]
pub struct ReportCandidateRequest {
    /// Defaults to true; false withdraws the flag.
    pub candidate: Option<bool>,
}

async fn flag_report_candidate(
    viewer: Viewer,
    State(state): State<ReviewInboxState>,
    Path(review_id): Path<String>,
    body: Bytes,
) -> Result<Json<Value>, HttpError> {
    visible_review(&state.store, &viewer, &review_id).await?;
    let body: ReportCandidateRequest = optional_body(&body)?;
    let candidate = body.candidate.unwrap_or(true);
    state
        .store
        .set_report_candidate(&review_id, candidate)
        .await?;
    Ok(Json(
        json!({"review_id": review_id, "report_candidate": candidate}),
    ))
}

#[derive(Debug, Deserialize)]
pub struct ReplyDraftRequest {
    pub text: String,
}

async fn reply_draft(
    viewer: Viewer,
    State(state): State<ReviewInboxState>,
    Path(review_id): Path<String>,
    Json(request): Json<ReplyDraftRequest>,
) -> Result<(StatusCode, Json<Value>), HttpError> {
    let review = visible_review(&state.store, &viewer, &review_id).await?;
    if request.text.trim().is_empty() {
        return Err(HttpError::bad_request("empty_reply", "the reply is empty"));
    }
    let market = state
        .store
        .get_shop(&review.analysis.shop_id)
        .await?
        .map(|shop| shop.region);
    let verdict = check(&request.text, TextKind::ReviewReply, market.as_deref());
    let verdict = verdict_json(&verdict);
    let blocked = verdict["ok"] != Value::Bool(true);
    let draft = state
        .store
        .add_reply_draft(
            &review_id,
            &request.text,
            blocked,
            &verdict["findings"].to_string(),
            state.clock.now(),
        )
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "draft_id": draft.draft_id,
            "review_id": draft.review_id,
            "text": draft.text,
            "state": if blocked { "blocked" } else { "ready" },
            "compliance": verdict,
        })),
    ))
}

async fn suggested_reply(
    viewer: Viewer,
    State(state): State<ReviewInboxState>,
    Path(review_id): Path<String>,
) -> Result<Json<Value>, HttpError> {
    let review = visible_review(&state.store, &viewer, &review_id).await?;
    let analysis = &review.analysis;
    let text = draft_review_reply(
        &analysis.root_cause,
        &analysis.language,
        analysis.order_id.as_deref(),
    );
    Ok(Json(json!({
        "review_id": analysis.review_id,
        "language": analysis.language,
        "root_cause": analysis.root_cause,
        "text": text,
    })))
}
