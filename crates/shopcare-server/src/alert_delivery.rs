//! The `alert` job handler: delivers an [`AlertRequest`] to each channel its shop has
//! configured — an outgoing webhook (Slack-compatible JSON, HMAC-signed) and/or e-mail
//! over SMTP. Channels that asked for a daily digest skip single review alerts
//! (see `alert_digest`).
//!
//! Exactly once per channel: a delivery is recorded per (alert, channel) as soon as the
//! channel accepted it, so a retry (after another channel failed, or after a restart
//! that found the job's lease expired) skips channels already served. The one window
//! left is a crash between the receiver's acceptance and that record; receivers can
//! close it by deduplicating on the `X-Shopcare-Delivery` header (the alert's key).

use crate::alert_digest::{channel_takes, DIGEST_CHANNEL_SUFFIX};
use crate::alerts::{AlertRequest, ALERT_JOB};
use crate::jobs::{JobError, JobHandler};
use async_trait::async_trait;
use hmac::{Hmac, Mac};
use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sha2::Sha256;
use shopcare_core::Timestamp;
use shopcare_store::{AlertChannel, Job, Store};
use std::sync::Arc;
use std::time::Duration;

/// Header carrying `sha256=<hex HMAC-SHA256 of the body keyed with the channel secret>`.
pub const SIGNATURE_HEADER: &str = "X-Shopcare-Signature";
/// Header carrying the alert's unique key, for receivers that deduplicate.
pub const DELIVERY_HEADER: &str = "X-Shopcare-Delivery";
/// Sender of alert e-mails.
pub const ALERT_SENDER: &str = "shopcare alerts <alerts@shopcare.localhost>";
/// How long one channel may take to accept an alert.
const DELIVERY_TIMEOUT: Duration = Duration::from_secs(10);

/// `sha256=<hex>` for `body` under `secret`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC accepts keys of any size");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// The webhook body: Slack-compatible `text` plus the alert's fields.
pub fn webhook_body(alert: &AlertRequest, alert_key: &str) -> Vec<u8> {
    serde_json::json!({
        "text": format!("*{}*\n{}", alert.title, alert.text),
        "title": alert.title,
        "kind": alert.kind,
        "shop_id": alert.shop_id,
        "subject_id": alert.subject_id,
        "alert_key": alert_key,
    })
    .to_string()
    .into_bytes()
}

pub struct AlertHandler {
    store: Arc<dyn Store>,
    http: reqwest::Client,
}

impl AlertHandler {
    pub fn new(store: Arc<dyn Store>) -> Self {
        let http = reqwest::Client::builder()
            .timeout(DELIVERY_TIMEOUT)
            .build()
            .unwrap_or_default();
        Self { store, http }
    }

    async fn deliver(
        &self,
        channel: &AlertChannel,
        alert: &AlertRequest,
        alert_key: &str,
    ) -> Result<(), String> {
        let kind = channel.channel.kind.as_str();
        match kind.strip_suffix(DIGEST_CHANNEL_SUFFIX).unwrap_or(kind) {
            "webhook" => self.post_webhook(channel, alert, alert_key).await,
            "email" => send_email(channel, alert).await,
            other => Err(format!("unknown channel kind {other:?}")),
        }
    }

    async fn post_webhook(
        &self,
        channel: &AlertChannel,
        alert: &AlertRequest,
        alert_key: &str,
    ) -> Result<(), String> {
        let body = webhook_body(alert, alert_key);
        let secret = channel.channel.secret.as_deref().unwrap_or_default();
        let response = self
            .http
            .post(&channel.channel.target)
            .header("content-type", "application/json")
            .header(SIGNATURE_HEADER, signature(secret, &body))
            .header(DELIVERY_HEADER, alert_key)
            .body(body)
            .send()
            .await
            .map_err(|error| format!("webhook channel {}: {error}", channel.channel_id))?;
        if response.status().is_success() {
            Ok(())
        } else {
            Err(format!(
                "webhook channel {} answered {}",
                channel.channel_id,
                response.status()
            ))
        }
    }
}

async fn send_email(channel: &AlertChannel, alert: &AlertRequest) -> Result<(), String> {
    let server = channel
        .channel
        .smtp_server
        .as_deref()
        .ok_or_else(|| format!("e-mail channel {} has no SMTP server", channel.channel_id))?;
    let (host, port) = server
        .rsplit_once(':')
        .and_then(|(host, port)| Some((host, port.parse::<u16>().ok()?)))
        .ok_or_else(|| format!("SMTP server {server:?} is not HOST:PORT"))?;
    let message = Message::builder()
        .from(ALERT_SENDER.parse().map_err(|error| format!("{error}"))?)
        .to(channel
            .channel
            .target
            .parse()
            .map_err(|error| format!("address {:?}: {error}", channel.channel.target))?)
        .subject(alert.title.clone())
        .header(ContentType::TEXT_PLAIN)
        .body(alert.text.clone())
        .map_err(|error| format!("building the e-mail: {error}"))?;
    // This build speaks plain SMTP only, so it sends only to a loopback relay (a local
    // MTA that forwards over TLS): alert text must not cross a network unencrypted.
    let loopback = host == "127.0.0.1" || host == "localhost" || host == "::1";
    if !loopback {
        return Err(format!(
            "SMTP server {server:?} is not on loopback: relay through a local MTA"
        ));
    }
    let builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
        .port(port)
        .timeout(Some(DELIVERY_TIMEOUT));
    builder
        .build()
        .send(message)
        .await
        .map(|_| ())
        .map_err(|error| format!("e-mail channel {}: {error}", channel.channel_id))
}

#[async_trait]
impl JobHandler for AlertHandler {
    fn kind(&self) -> &'static str {
        ALERT_JOB
    }

    async fn run(&self, job: &Job, now: Timestamp) -> Result<(), JobError> {
        let alert: AlertRequest = serde_json::from_str(&job.payload)
            .map_err(|error| JobError::permanent(format!("bad alert payload: {error}")))?;
        let channels = self
            .store
            .alert_channels(&alert.shop_id)
            .await
            .map_err(JobError::retry)?;
        let mut failures = Vec::new();
        for channel in channels
            .iter()
            .filter(|channel| channel_takes(&channel.channel.kind, &alert.kind))
        {
            let delivered = self
                .store
                .alert_delivered(&job.dedupe_key, channel.channel_id)
                .await
                .map_err(JobError::retry)?;
            if delivered {
                continue;
            }
            match self.deliver(channel, &alert, &job.dedupe_key).await {
                Ok(()) => {
                    self.store
                        .record_alert_delivery(&job.dedupe_key, channel.channel_id, now)
                        .await
                        .map_err(JobError::retry)?;
                }
                Err(error) => failures.push(error),
            }
        }
        if failures.is_empty() {
            Ok(())
        } else {
            Err(JobError::retry(failures.join("; ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_are_hex_hmac_sha256_of_the_body() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
