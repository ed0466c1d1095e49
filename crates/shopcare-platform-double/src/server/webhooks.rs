//! The webhook sender (reference §6): signed POSTs to the configured URL, re-sent on
//! anything but HTTP 200 at +2 min, +30 min, +3 h and +12 h (divided by `time_scale`),
//! always with the same `tts_notification_id`.

use super::signature::webhook_signature;
use super::state::{lock, Shared};
use serde::Serialize;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::mpsc::UnboundedReceiver;

/// Delays before each re-send, in platform seconds.
pub const RETRY_DELAYS_SECONDS: [u64; 4] = [120, 1_800, 10_800, 43_200];

/// The platform waits this long for an answer before counting a delivery as failed.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(3);

/// One notification to deliver.
#[derive(Debug, Clone)]
pub struct WebhookEvent {
    pub event_type: u32,
    pub shop_id: String,
    pub data: serde_json::Value,
}

/// One delivery attempt, as logged for tests.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookAttempt {
    pub notification_id: String,
    pub event_type: u32,
    /// 0 = first delivery, 1..=4 = re-sends.
    pub attempt: u32,
    /// HTTP status of the answer, `None` when there was none (connection error, timeout).
    pub status: Option<u16>,
    /// Milliseconds since the sender started.
    pub sent_at_millis: u64,
}

#[derive(Serialize)]
struct Envelope<'a> {
    #[serde(rename = "type")]
    event_type: u32,
    tts_notification_id: &'a str,
    shop_id: &'a str,
    timestamp: i64,
    data: &'a serde_json::Value,
}

/// Runs until the event channel closes: every event is delivered on its own task.
pub async fn run_sender(
    shared: Arc<Shared>,
    url: String,
    time_scale: f64,
    mut events: UnboundedReceiver<WebhookEvent>,
) {
    let client = reqwest::Client::builder()
        .timeout(ANSWER_TIMEOUT)
        .build()
        .unwrap_or_else(|_| reqwest::Client::new());
    let started = Instant::now();
    while let Some(event) = events.recv().await {
        let notification_id = shared.notification_id();
        let body = serde_json::to_vec(&Envelope {
            event_type: event.event_type,
            tts_notification_id: &notification_id,
            shop_id: &event.shop_id,
            timestamp: shared.now(),
            data: &event.data,
        })
        .expect("webhook envelopes always serialize");
        let copies = if lock(&shared.faults).duplicate_webhooks {
            2
        } else {
            1
        };
        for _ in 0..copies {
            tokio::spawn(deliver(
                shared.clone(),
                client.clone(),
                url.clone(),
                time_scale,
                started,
                notification_id.clone(),
                event.event_type,
                body.clone(),
            ));
        }
    }
}

#[allow(clippy::too_many_arguments)]
async fn deliver(
    shared: Arc<Shared>,
    client: reqwest::Client,
    url: String,
    time_scale: f64,
    started: Instant,
    notification_id: String,
    event_type: u32,
    body: Vec<u8>,
) {
    let authorization = webhook_signature(&shared.app_key, &shared.app_secret, &body);
    for attempt in 0..=RETRY_DELAYS_SECONDS.len() as u32 {
        if attempt > 0 {
            let delay = RETRY_DELAYS_SECONDS[attempt as usize - 1] as f64 / time_scale.max(1e-9);
            tokio::time::sleep(Duration::from_secs_f64(delay.min(86_400.0))).await;
        }
        let sent_at_millis = started.elapsed().as_millis() as u64;
        let answer = client
            .post(&url)
            .header("content-type", "application/json")
            .header("authorization", &authorization)
            .body(body.clone())
            .send()
            .await;
        let status = answer.ok().map(|response| response.status().as_u16());
        lock(&shared.webhook_attempts).push(WebhookAttempt {
            notification_id: notification_id.clone(),
            event_type,
            attempt,
            status,
            sent_at_millis,
        });
        if status == Some(200) {
            return;
        }
    }
}
