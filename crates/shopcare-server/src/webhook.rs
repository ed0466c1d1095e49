//! `POST /webhooks/tiktok`: verify, make durable, answer — then process later.
//!
//! Order of checks: size (413, enforced by the body limit) → signature (401) → JSON
//! (400). A valid event is handed to the group committer, which writes many events in
//! one transaction; the handler answers 200 only after its event is committed. The
//! fetch of the changed object happens afterwards in a `webhook` job, so the platform
//! gets its answer well inside 3 s whatever the Partner API is doing.

use crate::error::HttpError;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use shopcare_core::{ShopId, Timestamp};
use shopcare_store::{InboundWebhook, Store};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// Largest body accepted; bigger ones get 413.
pub const MAX_WEBHOOK_BYTES: usize = 1024 * 1024;

/// Most events written in one transaction.
const MAX_GROUP: usize = 1024;

/// App credentials the platform signs webhooks with.
#[derive(Clone)]
pub struct WebhookCredentials {
    pub app_key: String,
    pub app_secret: String,
}

impl std::fmt::Debug for WebhookCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookCredentials")
            .field("app_key", &self.app_key)
            .finish_non_exhaustive()
    }
}

struct PendingEvent {
    event: InboundWebhook,
    durable: oneshot::Sender<Result<bool, String>>,
}

/// Hands events to the group committer and waits until they are durable.
#[derive(Clone)]
pub struct WebhookIngest {
    sender: mpsc::Sender<PendingEvent>,
}

impl WebhookIngest {
    /// Starts the group-commit task on the current runtime.
    pub fn spawn(store: Arc<dyn Store>) -> Self {
        let (sender, receiver) = mpsc::channel(MAX_GROUP * 8);
        tokio::spawn(group_commit(store, receiver));
        Self { sender }
    }

    /// Returns once the event is committed: `Ok(true)` if new, `Ok(false)` if a re-delivery.
    pub async fn record(&self, event: InboundWebhook) -> Result<bool, String> {
        let (durable, committed) = oneshot::channel();
        self.sender
            .send(PendingEvent { event, durable })
            .await
            .map_err(|_| "webhook committer stopped".to_owned())?;
        committed
            .await
            .map_err(|_| "webhook committer stopped".to_owned())?
    }
}

async fn group_commit(store: Arc<dyn Store>, mut receiver: mpsc::Receiver<PendingEvent>) {
    let mut group = Vec::with_capacity(MAX_GROUP);
    while receiver.recv_many(&mut group, MAX_GROUP).await > 0 {
        let events: Vec<InboundWebhook> =
            group.iter().map(|pending| pending.event.clone()).collect();
        let outcome = store.record_webhook_events(&events).await;
        match outcome {
            Ok(new_flags) => {
                for (pending, is_new) in group.drain(..).zip(new_flags) {
                    let _ = pending.durable.send(Ok(is_new));
                }
            }
            Err(error) => {
                tracing::error!(%error, events = group.len(), "could not store webhook events");
                for pending in group.drain(..) {
                    let _ = pending.durable.send(Err(error.to_string()));
                }
            }
        }
    }
}

#[derive(Deserialize)]
struct Envelope {
    #[serde(rename = "type")]
    event_type: i64,
    tts_notification_id: Option<String>,
    shop_id: Option<serde_json::Value>,
    timestamp: Option<i64>,
}

/// Parses a verified body into what is stored. Errors are client errors (400).
pub fn parse_webhook(body: &[u8], received_at: Timestamp) -> Result<InboundWebhook, String> {
    let text = std::str::from_utf8(body).map_err(|_| "body is not UTF-8".to_owned())?;
    let envelope: Envelope =
        serde_json::from_str(text).map_err(|error| format!("malformed webhook JSON: {error}"))?;
    let shop_id = match envelope.shop_id {
        Some(serde_json::Value::String(id)) => Some(ShopId::new(id)),
        Some(serde_json::Value::Number(id)) => Some(ShopId::new(id.to_string())),
        _ => None,
    };
    // Some platform examples omit the id; the body digest keeps re-deliveries idempotent.
    let notification_id = envelope
        .tts_notification_id
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| format!("sha256:{}", hex::encode(Sha256::digest(body))));
    Ok(InboundWebhook {
        notification_id,
        event_type: envelope.event_type,
        shop_id,
        timestamp: envelope.timestamp,
        body: text.to_owned(),
        received_at,
    })
}

/// State the webhook route needs.
#[derive(Clone)]
pub struct WebhookState {
    pub credentials: Option<WebhookCredentials>,
    pub ingest: WebhookIngest,
    pub clock: Arc<dyn crate::clock::Clock>,
}

pub async fn receive(
    State(state): State<WebhookState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, HttpError> {
    let Some(credentials) = &state.credentials else {
        return Err(HttpError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "webhooks_not_configured",
            "set SHOPCARE_TIKTOK_APP_KEY and SHOPCARE_TIKTOK_APP_SECRET to receive webhooks",
        ));
    };
    let signature = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if !shopcare_tiktok::signing::verify_webhook(
        &credentials.app_key,
        &credentials.app_secret,
        &body,
        signature,
    ) {
        return Err(HttpError::new(
            StatusCode::UNAUTHORIZED,
            "bad_signature",
            "Authorization is not the HMAC-SHA256 of app_key + body",
        ));
    }
    let event = parse_webhook(&body, state.clock.now())
        .map_err(|message| HttpError::bad_request("malformed_webhook", message))?;
    state
        .ingest
        .record(event)
        .await
        .map_err(HttpError::internal)?;
    Ok(StatusCode::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_notification_id_falls_back_to_a_stable_digest() {
        let body = br#"{"type":1,"shop_id":"7","timestamp":5,"data":{}}"#;
        let first = parse_webhook(body, chrono::Utc::now()).unwrap();
        let second = parse_webhook(body, chrono::Utc::now()).unwrap();
        assert!(first.notification_id.starts_with("sha256:"));
        assert_eq!(first.notification_id, second.notification_id);
        assert_eq!(first.shop_id, Some(ShopId::new("7")));
    }

    #[test]
    fn malformed_and_typeless_bodies_are_rejected() {
        assert!(parse_webhook(b"{not json", chrono::Utc::now()).is_err());
        assert!(parse_webhook(br#"{"shop_id":"1"}"#, chrono::Utc::now()).is_err());
        assert!(parse_webhook(&[0xff, 0xfe], chrono::Utc::now()).is_err());
    }
}
