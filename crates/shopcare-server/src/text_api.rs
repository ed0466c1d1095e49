//! The text engines over JSON: review classification and the compliance guard, shared
//! by the CLI (`shopcare classify`, `shopcare lint`) and the HTTP API
//! (`POST /api/v1/compliance/check`). Core types stay free of wire formats; this module
//! is where they meet JSON.

use crate::error::HttpError;
use axum::Json;
use serde::Deserialize;
use serde_json::{json, Value};
use shopcare_core::classify::{self, Classification, ClassifyInput, OrderFacts};
use shopcare_core::compliance::{self, TextKind, Verdict};

/// One `shopcare classify` input line.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClassifyLine {
    pub id: Value,
    pub text: String,
    #[serde(default)]
    pub rating: Option<u8>,
    #[serde(default)]
    pub market: Option<String>,
    #[serde(default)]
    pub order: Option<OrderFactsLine>,
    /// Labels, in evaluation files; ignored when classifying.
    #[serde(default)]
    pub expected: Option<Value>,
}

#[derive(Debug, Default, Deserialize)]
pub struct OrderFactsLine {
    #[serde(default)]
    pub shipped_late: Option<bool>,
    #[serde(default)]
    pub tracking_stalled: Option<bool>,
    #[serde(default)]
    pub delivered: Option<bool>,
}

impl ClassifyLine {
    pub fn to_input(&self) -> ClassifyInput {
        ClassifyInput {
            text: self.text.clone(),
            rating: self.rating,
            market: self.market.clone(),
            order: self.order.as_ref().map(|order| OrderFacts {
                shipped_late: order.shipped_late,
                tracking_stalled: order.tracking_stalled,
                delivered: order.delivered,
            }),
        }
    }
}

pub fn classification_json(id: &Value, classification: &Classification) -> Value {
    let evidence: Vec<Value> = classification
        .evidence
        .iter()
        .map(|evidence| {
            json!({
                "phrase": evidence.phrase,
                "start": evidence.start,
                "end": evidence.end,
                "signal": evidence.signal.as_str(),
            })
        })
        .collect();
    json!({
        "id": id,
        "sentiment": classification.sentiment.as_str(),
        "root_cause": classification.root_cause.as_str(),
        "seller_related": classification.seller_related,
        "language": classification.language,
        "confidence": (f64::from(classification.confidence) * 1000.0).round() / 1000.0,
        "evidence": evidence,
    })
}

/// One `shopcare lint` input line.
#[derive(Debug, Deserialize)]
pub struct LintLine {
    pub id: Value,
    pub kind: String,
    pub text: String,
    #[serde(default)]
    pub market: Option<String>,
    /// Expected rules, in evaluation files.
    #[serde(default)]
    pub expected: Option<Vec<String>>,
}

pub fn verdict_json(verdict: &Verdict) -> Value {
    let findings: Vec<Value> = verdict
        .findings
        .iter()
        .map(|finding| {
            json!({
                "rule": finding.rule.as_str(),
                "start": finding.start,
                "end": finding.end,
                "excerpt": finding.excerpt,
                "message": finding.message,
                "suggestion": finding.suggestion,
            })
        })
        .collect();
    json!({"ok": verdict.ok, "findings": findings})
}

#[derive(Debug, Deserialize)]
pub struct CheckRequest {
    pub text: String,
    pub kind: String,
    #[serde(default)]
    pub market: Option<String>,
}

/// `POST /api/v1/compliance/check`: the console's live feedback.
pub async fn check_route(Json(request): Json<CheckRequest>) -> Result<Json<Value>, HttpError> {
    let kind = TextKind::parse(&request.kind).map_err(|_| {
        HttpError::bad_request(
            "unknown_kind",
            "kind must be review_reply, review_request, chat_message or listing",
        )
    })?;
    let verdict = compliance::check(&request.text, kind, request.market.as_deref());
    Ok(Json(verdict_json(&verdict)))
}

/// Classifies one line's input.
pub fn classify_line(line: &ClassifyLine) -> Value {
    classification_json(&line.id, &classify::classify(&line.to_input()))
}
