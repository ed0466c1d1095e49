//! The hourly `alert_digest` sweep: a daily digest per shop for channels that asked for
//! one instead of single negative-review alerts, and the product flags (a product whose
//! complaints are mostly about the product itself → supplier check or delisting).
//!
//! Each run handles every shop, then arms the next hour's run. Both the digest (keyed by
//! shop and local date) and a product flag (keyed by product and ISO week) are ordinary
//! alerts, so they are sent once however often the sweep runs, restarts included.

use crate::alerts::{enqueue_alert, AlertRequest};
use crate::jobs::{JobError, JobHandler};
use crate::metrics::{shop_metrics, MetricTargets};
use async_trait::async_trait;
use chrono::{Datelike, Duration, NaiveDate, TimeZone, Timelike};
use shopcare_core::metrics::local_midnight_millis;
use shopcare_core::{Shop, Timestamp};
use shopcare_store::{AnalysisFilter, Job, NewJob, Store, StoreResult};
use std::collections::BTreeMap;
use std::sync::Arc;

pub const DIGEST_JOB: &str = "alert_digest";
/// Local hour from which yesterday's digest goes out.
pub const DIGEST_LOCAL_HOUR: u32 = 8;
/// Channel kinds ending in this receive the digest instead of single review alerts.
pub const DIGEST_CHANNEL_SUFFIX: &str = "_digest";
/// The most reviews a digest lists one by one.
const DIGEST_LISTED_REVIEWS: usize = 20;

/// Whether a channel of `channel_kind` takes alerts of `alert_kind`: digest channels get
/// the digest and the urgent alerts but not single negative reviews; the others get
/// everything but the digest.
pub fn channel_takes(channel_kind: &str, alert_kind: &str) -> bool {
    if channel_kind.ends_with(DIGEST_CHANNEL_SUFFIX) {
        alert_kind != "negative_review"
    } else {
        alert_kind != "digest"
    }
}

/// Enqueues the sweep of the hour `at` falls in (a no-op when it is known already).
pub async fn schedule_digest_sweep(store: &Arc<dyn Store>, at: Timestamp) -> StoreResult<bool> {
    let hour = at.timestamp().div_euclid(3600) * 3600;
    let due_at = chrono::DateTime::from_timestamp(hour, 0).unwrap_or(at);
    let job = NewJob {
        kind: DIGEST_JOB.to_owned(),
        dedupe_key: format!("{DIGEST_JOB}:{hour}"),
        payload: String::new(),
        due_at,
        max_attempts: 3,
    };
    Ok(store
        .enqueue_jobs(&[job])
        .await?
        .first()
        .copied()
        .unwrap_or(false))
}

pub struct DigestHandler {
    store: Arc<dyn Store>,
    targets: MetricTargets,
}

impl DigestHandler {
    pub fn new(store: Arc<dyn Store>, targets: MetricTargets) -> Self {
        Self { store, targets }
    }

    /// Raises what is due for every shop with an alert channel at `now`; returns how many
    /// alerts were new.
    pub async fn sweep(&self, now: Timestamp) -> StoreResult<u64> {
        let mut raised = 0;
        for shop in self.store.list_shops().await? {
            let channels = self.store.alert_channels(&shop.id).await?;
            if channels.is_empty() {
                continue;
            }
            let local_now = now.with_timezone(&shop.time_zone);
            let today = local_now.date_naive();
            if channels
                .iter()
                .any(|channel| channel.channel.kind.ends_with(DIGEST_CHANNEL_SUFFIX))
                && local_now.hour() >= DIGEST_LOCAL_HOUR
            {
                if let Some(yesterday) = today.pred_opt() {
                    raised += u64::from(self.raise_digest(&shop, yesterday, now).await?);
                }
            }
            raised += self.raise_product_flags(&shop, today, now).await?;
        }
        Ok(raised)
    }

    async fn raise_digest(&self, shop: &Shop, day: NaiveDate, now: Timestamp) -> StoreResult<bool> {
        let start = local_midnight_millis(shop.time_zone, day);
        let end = local_midnight_millis(shop.time_zone, day + Duration::days(1));
        let negatives = self
            .store
            .list_review_analyses(&AnalysisFilter {
                shop_ids: Some(vec![shop.id.clone()]),
                max_rating: Some(2),
                from: chrono::Utc.timestamp_millis_opt(start).single(),
                until: chrono::Utc.timestamp_millis_opt(end).single(),
                limit: 10_000,
                ..AnalysisFilter::default()
            })
            .await?;
        let metrics =
            shop_metrics(&self.store, shop, day + Duration::days(1), &self.targets).await?;
        let seller_related = negatives
            .iter()
            .filter(|review| review.analysis.seller_related)
            .count();
        let mut causes: BTreeMap<&str, usize> = BTreeMap::new();
        for review in &negatives {
            *causes
                .entry(review.analysis.root_cause.as_str())
                .or_default() += 1;
        }
        let mut causes: Vec<(&str, usize)> = causes.into_iter().collect();
        causes.sort_by(|left, right| right.1.cmp(&left.1).then(left.0.cmp(right.0)));
        let mut text = format!(
            "{} on {day}: {} new 1–2★ reviews ({seller_related} seller-related).",
            shop.name,
            negatives.len()
        );
        if !causes.is_empty() {
            let listed: Vec<String> = causes
                .iter()
                .map(|(cause, count)| format!("{cause} {count}"))
                .collect();
            text.push_str(&format!(" By cause: {}.", listed.join(", ")));
        }
        text.push_str(&format!(
            "\n30-day SNRR: {} ({}; room for {} more before a breach).",
            metrics
                .snrr_30d
                .map_or("no delivered orders".to_owned(), |rate| format!(
                    "{:.2} %",
                    rate * 100.0
                )),
            metrics.status,
            metrics.headroom
        ));
        for review in negatives.iter().take(DIGEST_LISTED_REVIEWS) {
            let sku = if review.analysis.sku_id.is_empty() {
                "no SKU"
            } else {
                review.analysis.sku_id.as_str()
            };
            text.push_str(&format!(
                "\n- {}★ {} on {sku} (review {})",
                review.analysis.rating, review.analysis.root_cause, review.analysis.review_id
            ));
        }
        if negatives.len() > DIGEST_LISTED_REVIEWS {
            text.push_str(&format!(
                "\n… and {} more in the review inbox.",
                negatives.len() - DIGEST_LISTED_REVIEWS
            ));
        }
        let alert = AlertRequest {
            shop_id: shop.id.clone(),
            kind: "digest".to_owned(),
            title: format!(
                "{}: {} negative reviews on {day}",
                shop.name,
                negatives.len()
            ),
            text,
            subject_id: day.to_string(),
        };
        enqueue_alert(&self.store, &alert, "", now).await
    }

    async fn raise_product_flags(
        &self,
        shop: &Shop,
        today: NaiveDate,
        now: Timestamp,
    ) -> StoreResult<u64> {
        // Up to now: the window ending tomorrow holds today's reviews so far.
        let metrics =
            shop_metrics(&self.store, shop, today + Duration::days(1), &self.targets).await?;
        let week = today.iso_week();
        let mut raised = 0;
        for product in metrics
            .products
            .iter()
            .filter(|product| product.flagged_for_supplier_check)
        {
            let alert = AlertRequest {
                shop_id: shop.id.clone(),
                kind: "product_flag".to_owned(),
                title: format!("Product {} needs a supplier check", product.product_id),
                text: format!(
                    "{} of the {} 1–2★ reviews of product {} in shop {} over the last 30 days \
                     are about the product itself (quality or not as described). Check the \
                     supplier's batch and the listing, or pull the product.",
                    product.product_related_negative_reviews,
                    product.negative_reviews,
                    product.product_id,
                    shop.name
                ),
                subject_id: product.product_id.clone(),
            };
            let suffix = format!("{}-W{:02}", week.year(), week.week());
            if enqueue_alert(&self.store, &alert, &suffix, now).await? {
                raised += 1;
            }
        }
        Ok(raised)
    }
}

#[async_trait]
impl JobHandler for DigestHandler {
    fn kind(&self) -> &'static str {
        DIGEST_JOB
    }

    async fn run(&self, _job: &Job, now: Timestamp) -> Result<(), JobError> {
        let raised = self.sweep(now).await.map_err(JobError::retry)?;
        if raised > 0 {
            tracing::info!(alerts = raised, "digest sweep raised alerts");
        }
        schedule_digest_sweep(&self.store, now + Duration::hours(1))
            .await
            .map_err(JobError::retry)?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_channels_get_the_digest_and_urgent_alerts_but_not_single_reviews() {
        assert!(channel_takes("webhook", "negative_review"));
        assert!(!channel_takes("webhook", "digest"));
        assert!(!channel_takes("email_digest", "negative_review"));
        assert!(channel_takes("email_digest", "digest"));
        assert!(channel_takes("webhook_digest", "case_deadline"));
        assert!(channel_takes("webhook", "product_flag"));
    }
}
