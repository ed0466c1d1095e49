//! Review ingest: the one path every review source (file imports, the demo, typed or
//! pasted reviews, future API sources) goes through.
//!
//! [`ingest_reviews`] upserts the reviews with `Store::apply`, classifies each one with
//! the facts of its order (shipped after the ship-by time? tracking stalled?), stores the
//! analysis (whose triggers keep the metric aggregates current) and raises alerts:
//! every new or changed 1–2★ review (unless it is an old one back-filled by an
//! import), and a cluster alert when 3 or more seller-related
//! negatives with the same root cause hit the same SKU within 7 days.

use crate::alerts::{enqueue_alert, AlertRequest};
use chrono::Duration;
use shopcare_core::classify::{classify, Classification, ClassifyInput, OrderFacts};
use shopcare_core::{tracking_idle_hours, Review, ShopId, Timestamp};
use shopcare_store::{
    AnalysisFilter, ApplyOutcome, Record, ReviewAnalysisRecord, ReviewFilter, Store, StoreResult,
};
use std::collections::HashMap;
use std::sync::Arc;

/// Hours without a carrier scan after which tracking counts as stalled.
pub const TRACKING_STALLED_HOURS: i64 = 72;
/// Seller-related negatives with one root cause on one SKU that make a cluster.
pub const CLUSTER_SIZE: usize = 3;
/// The window a cluster must fall in.
pub const CLUSTER_DAYS: i64 = 7;
/// Reviews older than this when they arrive (a back-filled history import) are analysed
/// and counted but raise no alert: the team reads them in the inbox instead of being paged.
pub const ALERT_MAX_AGE_DAYS: i64 = 14;

/// What one ingest did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct IngestReport {
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Analyses that were new or changed.
    pub analysed: u64,
    /// Alerts newly enqueued (negative reviews and clusters).
    pub alerts: u64,
}

/// Upserts, classifies and analyses `reviews`, and raises their alerts (see module docs).
pub async fn ingest_reviews(
    store: &Arc<dyn Store>,
    reviews: &[Review],
    now: Timestamp,
) -> StoreResult<IngestReport> {
    let records: Vec<Record> = reviews.iter().cloned().map(Record::Review).collect();
    let outcome: ApplyOutcome = store.apply(&records, None).await?;
    let mut report = IngestReport {
        inserted: outcome.inserted,
        updated: outcome.updated,
        unchanged: outcome.unchanged,
        ..IngestReport::default()
    };

    let markets: HashMap<ShopId, String> = store
        .list_shops()
        .await?
        .into_iter()
        .map(|shop| (shop.id, shop.region))
        .collect();
    let mut analyses = Vec::with_capacity(reviews.len());
    for review in reviews {
        let facts = order_facts(store, review).await?;
        let classification = classify(&ClassifyInput {
            text: review.text.clone(),
            rating: Some(review.rating.stars()),
            market: markets.get(&review.shop_id).cloned(),
            order: facts,
        });
        analyses.push(analysis_record(review, &classification, now));
    }
    let changed = store.save_review_analyses(&analyses).await?;
    for (analysis, changed) in analyses.iter().zip(changed) {
        if !changed {
            continue;
        }
        report.analysed += 1;
        let recent = analysis.review_time >= now - Duration::days(ALERT_MAX_AGE_DAYS);
        if analysis.rating <= 2 && recent {
            report.alerts += raise_review_alerts(store, analysis, now).await?;
        }
    }
    Ok(report)
}

/// The facts of the review's order the classifier uses, if the order is known.
async fn order_facts(store: &Arc<dyn Store>, review: &Review) -> StoreResult<Option<OrderFacts>> {
    let Some(order_id) = &review.order_id else {
        return Ok(None);
    };
    let Some(order) = store.get_order(order_id).await? else {
        return Ok(None);
    };
    let shipped_late = match (order.ship_by_time, order.shipped_time) {
        (Some(due), Some(shipped)) => Some(shipped > due),
        _ => None,
    };
    let events = store.tracking_events(order_id).await?;
    let tracking_stalled = if events.is_empty() {
        None
    } else {
        // Judged at the time the buyer wrote, not now: that is what they complained about.
        Some(
            tracking_idle_hours(&events, review.created_at)
                .is_some_and(|hours| hours > TRACKING_STALLED_HOURS),
        )
    };
    Ok(Some(OrderFacts {
        shipped_late,
        tracking_stalled,
        delivered: Some(order.delivery_time.is_some()),
    }))
}

fn analysis_record(
    review: &Review,
    classification: &Classification,
    now: Timestamp,
) -> ReviewAnalysisRecord {
    let evidence: Vec<serde_json::Value> = classification
        .evidence
        .iter()
        .map(|evidence| {
            serde_json::json!({
                "phrase": evidence.phrase,
                "start": evidence.start,
                "end": evidence.end,
                "signal": evidence.signal.as_str(),
            })
        })
        .collect();
    ReviewAnalysisRecord {
        review_id: review.id.to_string(),
        shop_id: review.shop_id.clone(),
        order_id: review.order_id.as_ref().map(ToString::to_string),
        product_id: review
            .product_id
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        sku_id: review
            .sku_id
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default(),
        rating: review.rating.stars(),
        review_time: review.created_at,
        sentiment: classification.sentiment.as_str().to_owned(),
        root_cause: classification.root_cause.as_str().to_owned(),
        seller_related: classification.seller_related,
        language: classification.language.to_owned(),
        confidence_permille: (f64::from(classification.confidence.clamp(0.0, 1.0)) * 1000.0).round()
            as i64,
        evidence: serde_json::Value::Array(evidence).to_string(),
        analysed_at: now,
    }
}

/// Quotes at most this many characters of a review in an alert.
const QUOTE_CHARS: usize = 280;

fn quote(text: &str) -> String {
    let mut quoted: String = text.chars().take(QUOTE_CHARS).collect();
    if text.chars().count() > QUOTE_CHARS {
        quoted.push('…');
    }
    quoted
}

/// Enqueues the alert for one negative review and, if it completes one, a cluster alert.
/// Returns how many alerts were new.
async fn raise_review_alerts(
    store: &Arc<dyn Store>,
    analysis: &ReviewAnalysisRecord,
    now: Timestamp,
) -> StoreResult<u64> {
    let mut raised = 0;
    let sku = if analysis.sku_id.is_empty() {
        "no SKU".to_owned()
    } else {
        format!("SKU {}", analysis.sku_id)
    };
    let alert = AlertRequest {
        shop_id: analysis.shop_id.clone(),
        kind: "negative_review".to_owned(),
        title: format!(
            "{}★ review on {} ({})",
            analysis.rating, sku, analysis.root_cause
        ),
        text: format!(
            "New {}★ review in shop {} on {}. Root cause: {}{}. Review {}.",
            analysis.rating,
            analysis.shop_id,
            sku,
            analysis.root_cause,
            if analysis.seller_related {
                " (seller-related)"
            } else {
                " (logistics, excluded from SNRR)"
            },
            analysis.review_id
        ),
        subject_id: analysis.review_id.clone(),
    };
    let version = analysis.review_time.timestamp_millis().to_string();
    if enqueue_alert(store, &alert, &version, now).await? {
        raised += 1;
    }
    if !analysis.seller_related || analysis.sku_id.is_empty() {
        return Ok(raised);
    }
    let cluster = store
        .list_review_analyses(&AnalysisFilter {
            shop_ids: Some(vec![analysis.shop_id.clone()]),
            max_rating: Some(2),
            root_cause: Some(analysis.root_cause.clone()),
            seller_related: Some(true),
            sku_id: Some(analysis.sku_id.clone()),
            from: Some(analysis.review_time - Duration::days(CLUSTER_DAYS)),
            until: Some(analysis.review_time + Duration::milliseconds(1)),
            limit: 20,
            ..AnalysisFilter::default()
        })
        .await?;
    if cluster.len() < CLUSTER_SIZE {
        return Ok(raised);
    }
    let window_start = analysis.review_time - Duration::days(CLUSTER_DAYS);
    let texts: HashMap<String, String> = store
        .list_reviews(&ReviewFilter {
            shop_ids: Some(vec![analysis.shop_id.clone()]),
            max_rating: Some(2),
            created_from: Some(window_start),
            created_before: Some(analysis.review_time + Duration::milliseconds(1)),
            ..ReviewFilter::default()
        })
        .await?
        .into_iter()
        .map(|review| (review.id.to_string(), review.text))
        .collect();
    let quotes: Vec<String> = cluster
        .iter()
        .map(|review| {
            let text = texts
                .get(&review.analysis.review_id)
                .map_or(String::new(), |text| quote(text));
            format!(
                "> {}★ ({}): {text}",
                review.analysis.rating, review.analysis.review_id
            )
        })
        .collect();
    let alert = AlertRequest {
        shop_id: analysis.shop_id.clone(),
        kind: "review_cluster".to_owned(),
        title: format!(
            "{} {} complaints on SKU {} within {CLUSTER_DAYS} days",
            cluster.len(),
            analysis.root_cause,
            analysis.sku_id
        ),
        text: format!(
            "{} seller-related negative reviews with root cause {} on SKU {} in shop {} \
             within {CLUSTER_DAYS} days: this is a product or listing problem, not bad luck.\n{}",
            cluster.len(),
            analysis.root_cause,
            analysis.sku_id,
            analysis.shop_id,
            quotes.join("\n")
        ),
        subject_id: format!("{}:{}", analysis.sku_id, analysis.root_cause),
    };
    // One cluster alert per SKU and cause per 7-day period.
    let period = analysis.review_time.timestamp_millis() / (CLUSTER_DAYS * 86_400_000);
    if enqueue_alert(store, &alert, &period.to_string(), now).await? {
        raised += 1;
    }
    Ok(raised)
}
