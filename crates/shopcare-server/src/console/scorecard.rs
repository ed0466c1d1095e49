//! The weekly scorecard of one shop (DOMAIN.md §8): SNRR, refund rate, first response
//! time, missing-parts cases, average rating and review depth, repeat-purchase rate at
//! 30/60/90 days, fulfilment rate and return rate over the last 12 complete weeks
//! (Monday to Monday in the shop's time zone), each with its target and a trend chart
//! drawn as server-rendered SVG; per SKU for the last complete week; and the same numbers
//! as CSV.
//!
//! First response time is the support desk's median, by the platform's rules, over each
//! week's buyer inquiries.

use super::auth::CurrentSession;
use super::pages::{permitted_shops, visible_shop};
use super::{layout, ConsoleState};
use crate::access::Viewer;
use crate::error::HttpError;
use crate::metrics::MetricTargets;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;
use chrono::{Datelike, Duration, NaiveDate};
use maud::{html, Markup};
use shopcare_core::metrics::{local_midnight_millis, window_before, Window};
use shopcare_core::{Shop, Timestamp};
use shopcare_store::{SkuScore, StoreResult};
use std::fmt::Write as _;
use std::sync::Arc;

/// Weeks on the scorecard.
pub const WEEKS: usize = 12;
/// SKUs listed in the per-SKU table (most units first).
const SKU_ROWS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Percent,
    Count,
    Hours,
    Stars,
    Characters,
}

/// Which way is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Better {
    Up,
    Down,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Metric {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: Unit,
    pub better: Better,
    /// The line drawn on the chart, in the metric's unit.
    pub target: Option<f64>,
    pub target_text: String,
    /// One value per week, oldest first; `None` when there is nothing to measure yet.
    pub values: Vec<Option<f64>>,
    pub note: Option<&'static str>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Scorecard {
    /// The Monday starting each week, oldest first.
    pub weeks: Vec<NaiveDate>,
    pub metrics: Vec<Metric>,
    /// Per-SKU counts of the last complete week.
    pub skus: Vec<SkuScore>,
}

fn ratio(numerator: u64, denominator: u64, scale: f64) -> Option<f64> {
    (denominator > 0).then(|| numerator as f64 / denominator as f64 * scale)
}

/// The 12 complete weeks before the one containing `now`, in the shop's zone.
pub fn week_starts(shop: &Shop, now: Timestamp) -> Vec<NaiveDate> {
    let today = now.with_timezone(&shop.time_zone).date_naive();
    let this_monday = today - Duration::days(i64::from(today.weekday().num_days_from_monday()));
    (0..WEEKS)
        .map(|week| this_monday - Duration::weeks((WEEKS - week) as i64))
        .collect()
}

/// Computes the scorecard of `shop` at `now`.
pub async fn scorecard(
    store: &Arc<dyn shopcare_store::Store>,
    shop: &Shop,
    targets: &MetricTargets,
    now: Timestamp,
) -> StoreResult<Scorecard> {
    let weeks = week_starts(shop, now);
    let week_ends: Vec<NaiveDate> = weeks
        .iter()
        .map(|start| *start + Duration::weeks(1))
        .collect();
    let edges: Vec<i64> = weeks
        .iter()
        .chain(week_ends.last())
        .map(|day| local_midnight_millis(shop.time_zone, *day))
        .collect();
    let orders = store.order_weeks(&shop.id, &edges).await?;
    let cases = store.case_weeks(&shop.id, &edges).await?;
    let reviews = store.review_weeks(&shop.id, &edges).await?;
    let repeats = store.repeat_weeks(&shop.id, &edges).await?;
    let week = |index: usize| {
        (
            orders
                .iter()
                .find(|row| row.week == index)
                .cloned()
                .unwrap_or_default(),
            cases
                .iter()
                .find(|row| row.week == index)
                .cloned()
                .unwrap_or_default(),
            reviews
                .iter()
                .find(|row| row.week == index)
                .cloned()
                .unwrap_or_default(),
            repeats
                .iter()
                .find(|row| row.week == index)
                .cloned()
                .unwrap_or_default(),
        )
    };
    let target = targets.for_market(&shop.region);
    // SNRR as the platform measures it: the 30 days before the end of each week. The
    // twelve windows overlap, so their buckets are read once and summed per window.
    let windows: Vec<Window> = week_ends
        .iter()
        .map(|end| window_before(shop.time_zone, *end, 30))
        .collect();
    let series = match (windows.first(), windows.last()) {
        (Some(first), Some(last)) => {
            store
                .snrr_buckets(&shop.id, first.start_bucket(), last.end_bucket())
                .await?
        }
        _ => Vec::new(),
    };
    let snrr: Vec<Option<f64>> = windows
        .iter()
        .map(|window| {
            let inside = series
                .iter()
                .filter(|row| (window.start_bucket()..window.end_bucket()).contains(&row.bucket));
            let (delivered, negatives) = inside.fold((0, 0), |(delivered, negatives), row| {
                (
                    delivered + row.delivered_orders,
                    negatives + row.seller_related_negative_reviews,
                )
            });
            ratio(negatives, delivered, 100.0)
        })
        .collect();
    let first_response: Vec<Option<f64>> = crate::support::SupportDesk::new(store.clone())
        .weekly_first_response(shop, &week_ends)
        .await
        .map_err(|error| match error {
            crate::support::SupportError::Store(error) => error,
            other => shopcare_store::StoreError::Corrupt(other.to_string()),
        })?
        .into_iter()
        .map(|median| median.map(|time| time.num_seconds() as f64 / 3600.0))
        .collect();
    let now_millis = now.timestamp_millis();
    let repeat = |days: i64, pick: fn(&shopcare_store::RepeatWeek) -> u64| -> Vec<Option<f64>> {
        (0..WEEKS)
            .map(|index| {
                // A week's buyers have had `days` days to come back only once the week
                // plus that span is over.
                let complete = edges[index + 1] + days * 86_400_000 <= now_millis;
                let (_, _, _, row) = week(index);
                if complete {
                    ratio(pick(&row), row.orders, 100.0)
                } else {
                    None
                }
            })
            .collect()
    };
    let series = |value: &dyn Fn(usize) -> Option<f64>| (0..WEEKS).map(value).collect::<Vec<_>>();
    let metrics = vec![
        Metric {
            key: "snrr",
            label: "Seller-related negative review rate (30 d)",
            unit: Unit::Percent,
            better: Better::Down,
            target: Some(target.max_basis_points as f64 / 100.0),
            target_text: format!("≤ {:.2} %", target.max_basis_points as f64 / 100.0),
            values: snrr,
            note: None,
        },
        Metric {
            key: "refund_rate",
            label: "Refund rate (refund requests / orders)",
            unit: Unit::Percent,
            better: Better::Down,
            target: Some(1.0),
            target_text: "down; seller-fault < 1 %".to_owned(),
            values: series(&|index| {
                let (orders, cases, _, _) = week(index);
                ratio(cases.refunds, orders.orders, 100.0)
            }),
            note: None,
        },
        Metric {
            key: "first_response_time",
            label: "First response time (median)",
            unit: Unit::Hours,
            better: Better::Down,
            target: Some(12.0),
            target_text: "< 12 h (aim: all chats within 24 h)".to_owned(),
            values: first_response,
            note: None,
        },
        Metric {
            key: "missing_parts_cases",
            label: "Missing-parts cases",
            unit: Unit::Count,
            better: Better::Down,
            target: None,
            target_text: "down".to_owned(),
            values: series(&|index| Some(week(index).1.missing_parts as f64)),
            note: None,
        },
        Metric {
            key: "average_rating",
            label: "Average rating",
            unit: Unit::Stars,
            better: Better::Up,
            target: None,
            target_text: "up".to_owned(),
            values: series(&|index| {
                let (_, _, reviews, _) = week(index);
                ratio(reviews.star_sum, reviews.reviews, 1.0)
            }),
            note: None,
        },
        Metric {
            key: "review_depth",
            label: "Review depth (characters per review)",
            unit: Unit::Characters,
            better: Better::Up,
            target: None,
            target_text: "up".to_owned(),
            values: series(&|index| {
                let (_, _, reviews, _) = week(index);
                ratio(reviews.text_chars, reviews.reviews, 1.0)
            }),
            note: None,
        },
        Metric {
            key: "repeat_30d",
            label: "Repeat purchase within 30 days",
            unit: Unit::Percent,
            better: Better::Up,
            target: None,
            target_text: "up".to_owned(),
            values: repeat(30, |row| row.repeat_30d),
            note: Some("Shown once the 30 days after the week are over."),
        },
        Metric {
            key: "repeat_60d",
            label: "Repeat purchase within 60 days",
            unit: Unit::Percent,
            better: Better::Up,
            target: None,
            target_text: "up".to_owned(),
            values: repeat(60, |row| row.repeat_60d),
            note: Some("Shown once the 60 days after the week are over."),
        },
        Metric {
            key: "repeat_90d",
            label: "Repeat purchase within 90 days",
            unit: Unit::Percent,
            better: Better::Up,
            target: None,
            target_text: "up".to_owned(),
            values: repeat(90, |row| row.repeat_90d),
            note: Some("Shown once the 90 days after the week are over."),
        },
        Metric {
            key: "fulfilment_rate",
            label: "Fulfilment rate (shipped / orders not cancelled)",
            unit: Unit::Percent,
            better: Better::Up,
            target: Some(95.0),
            target_text: "> 95 %".to_owned(),
            values: series(&|index| {
                let (orders, _, _, _) = week(index);
                ratio(
                    orders.shipped,
                    orders.orders.saturating_sub(orders.cancelled),
                    100.0,
                )
            }),
            note: None,
        },
        Metric {
            key: "return_rate",
            label: "Return rate (return requests / orders)",
            unit: Unit::Percent,
            better: Better::Down,
            target: Some(10.0),
            target_text: "typical 5–10 %".to_owned(),
            values: series(&|index| {
                let (orders, cases, _, _) = week(index);
                ratio(cases.returns, orders.orders, 100.0)
            }),
            note: None,
        },
    ];
    let last_week = (edges[WEEKS - 1], edges[WEEKS]);
    let mut skus = store.sku_scores(&shop.id, last_week.0, last_week.1).await?;
    skus.truncate(SKU_ROWS);
    Ok(Scorecard {
        weeks,
        metrics,
        skus,
    })
}

fn format_value(value: Option<f64>, unit: Unit) -> String {
    match (value, unit) {
        (None, _) => "—".to_owned(),
        (Some(value), Unit::Percent) => format!("{value:.2} %"),
        (Some(value), Unit::Count) => format!("{value:.0}"),
        (Some(value), Unit::Hours) => format!("{value:.1} h"),
        (Some(value), Unit::Stars) => format!("{value:.2} ★"),
        (Some(value), Unit::Characters) => format!("{value:.0}"),
    }
}

/// A 12-week line chart with the target as a dashed line; each point has a tooltip.
pub fn chart(metric: &Metric, weeks: &[NaiveDate]) -> Markup {
    const WIDTH: f64 = 360.0;
    const HEIGHT: f64 = 140.0;
    const LEFT: f64 = 44.0;
    const RIGHT: f64 = 8.0;
    const TOP: f64 = 10.0;
    const BOTTOM: f64 = 22.0;
    let known: Vec<f64> = metric.values.iter().flatten().copied().collect();
    let mut high = known.iter().copied().fold(f64::MIN, f64::max);
    let mut low = known.iter().copied().fold(f64::MAX, f64::min);
    if let Some(target) = metric.target {
        high = high.max(target);
        low = low.min(target);
    }
    if known.is_empty() {
        (low, high) = (0.0, 1.0);
    }
    low = low.min(0.0);
    if (high - low).abs() < f64::EPSILON {
        high = low + 1.0;
    }
    let count = metric.values.len().max(2);
    let x = |index: usize| LEFT + (WIDTH - LEFT - RIGHT) * index as f64 / (count - 1) as f64;
    let y = |value: f64| TOP + (HEIGHT - TOP - BOTTOM) * (1.0 - (value - low) / (high - low));
    // Gaps (weeks without a value) break the line rather than being drawn as zero.
    let mut path = String::new();
    let mut pen_down = false;
    for (index, value) in metric.values.iter().enumerate() {
        match value {
            Some(value) => {
                let command = if pen_down { 'L' } else { 'M' };
                let _ = write!(path, "{command}{:.1},{:.1} ", x(index), y(*value));
                pen_down = true;
            }
            None => pen_down = false,
        }
    }
    let summary = format!(
        "{}: 12-week trend, latest {}, target {}",
        metric.label,
        format_value(metric.values.last().copied().flatten(), metric.unit),
        metric.target_text
    );
    html! {
        svg class="chart" viewBox={ "0 0 " (WIDTH) " " (HEIGHT) } role="img" aria-label=(summary) data-metric=(metric.key) {
            title { (summary) }
            line x1=(LEFT) y1=(y(low)) x2=(WIDTH - RIGHT) y2=(y(low)) stroke="#767676" stroke-width="1" {}
            line x1=(LEFT) y1=(TOP) x2=(LEFT) y2=(y(low)) stroke="#767676" stroke-width="1" {}
            text x=(LEFT - 4.0) y=(TOP + 8.0) text-anchor="end" font-size="10" fill="#1a1a1a" { (format_value(Some(high), metric.unit)) }
            text x=(LEFT - 4.0) y=(y(low)) text-anchor="end" font-size="10" fill="#1a1a1a" { (format_value(Some(low), metric.unit)) }
            @if let (Some(first), Some(last)) = (weeks.first(), weeks.last()) {
                text x=(LEFT) y=(HEIGHT - 6.0) font-size="10" fill="#1a1a1a" { (first.format("%d %b")) }
                text x=(WIDTH - RIGHT) y=(HEIGHT - 6.0) text-anchor="end" font-size="10" fill="#1a1a1a" { (last.format("%d %b")) }
            }
            @if let Some(target) = metric.target {
                line class="target" x1=(LEFT) y1=(y(target)) x2=(WIDTH - RIGHT) y2=(y(target)) stroke="#8a1c00" stroke-width="1.5" stroke-dasharray="5 4" {
                    title { "target " (metric.target_text) }
                }
            }
            @if !path.is_empty() {
                path d=(path.trim_end()) fill="none" stroke="#0b4f9c" stroke-width="2" {}
            }
            @for (index, value) in metric.values.iter().enumerate() {
                @if let Some(value) = value {
                    circle cx=(format!("{:.1}", x(index))) cy=(format!("{:.1}", y(*value))) r="3" fill="#0b4f9c" {
                        title { "week of " (weeks.get(index).map(|day| day.to_string()).unwrap_or_default()) ": " (format_value(Some(*value), metric.unit)) }
                    }
                }
            }
            @if known.is_empty() {
                text x=(WIDTH / 2.0) y=(HEIGHT / 2.0) text-anchor="middle" font-size="12" fill="#4a4a4a" { "no data" }
            }
        }
    }
}

fn sku_table(skus: &[SkuScore], week: Option<&NaiveDate>) -> Markup {
    html! {
        @if skus.is_empty() {
            p class="meta" { "No SKU sold or reviewed that week." }
        } @else {
            (layout::scroll("Per-SKU scorecard", html! {
                table class="compact" {
                    caption class="meta" { "Per SKU, week of " (week.map(ToString::to_string).unwrap_or_default()) ", most units first" }
                    thead { tr {
                        th scope="col" { "SKU" } th scope="col" { "Units" } th scope="col" { "Refund rate" }
                        th scope="col" { "Return rate" } th scope="col" { "Missing parts" } th scope="col" { "Reviews" }
                        th scope="col" { "Avg rating" } th scope="col" { "Depth" }
                    } }
                    tbody {
                        @for sku in skus {
                            tr {
                                td { span class="mono" { (sku.sku_id) } @if !sku.name.is_empty() { br; span class="meta" { (sku.name) } } }
                                td { (sku.units) }
                                td { (format_value(ratio(sku.refund_cases, sku.orders, 100.0), Unit::Percent)) }
                                td { (format_value(ratio(sku.return_cases, sku.orders, 100.0), Unit::Percent)) }
                                td { (sku.missing_parts_cases) }
                                td { (sku.reviews) }
                                td { (format_value(ratio(sku.star_sum, sku.reviews, 1.0), Unit::Stars)) }
                                td { (format_value(ratio(sku.text_chars, sku.reviews, 1.0), Unit::Characters)) }
                            }
                        }
                    }
                }
            }))
        }
    }
}

/// `GET /shops/{shop_id}/scorecard`.
pub async fn scorecard_page(
    State(state): State<ConsoleState>,
    Extension(viewer): Extension<Viewer>,
    Extension(session): Extension<CurrentSession>,
    Path(shop_id): Path<String>,
) -> Response {
    let shop = match visible_shop(&state, &viewer, &shop_id).await {
        Ok(shop) => shop,
        Err(response) => return response,
    };
    let rendered = async {
        let card = scorecard(
            &state.store,
            &shop,
            &state.metric_targets,
            state.clock.now(),
        )
        .await?;
        let shops = permitted_shops(&state, &viewer).await?;
        let body = html! {
            h1 { "Weekly scorecard · " (shop.name) }
            p class="meta" {
                "The 12 complete weeks (Monday to Monday, " (shop.time_zone.name()) ") before this one. "
                a href={ "/shops/" (shop.id.as_str()) "/scorecard.csv" } { "Download as CSV" }
            }
            div class="metrics" {
                @for metric in &card.metrics {
                    section class="card" aria-labelledby={ "metric-" (metric.key) } {
                        h2 id={ "metric-" (metric.key) } { (metric.label) }
                        p class="meta" {
                            "Last week: " strong { (format_value(metric.values.last().copied().flatten(), metric.unit)) }
                            " · target " (metric.target_text)
                            " · " (if metric.better == Better::Up { "higher is better" } else { "lower is better" })
                        }
                        (chart(metric, &card.weeks))
                        @if let Some(note) = metric.note { p class="meta" { (note) } }
                    }
                }
            }
            h2 { "Per SKU" }
            (sku_table(&card.skus, card.weeks.last()))
        };
        Ok::<_, HttpError>(
            layout::page(
                "Weekly scorecard",
                &viewer,
                &session.csrf_token,
                &shops,
                body,
            )
            .into_string(),
        )
    };
    match rendered.await {
        Ok(page) => Html(page).into_response(),
        Err(error) => error.into_response(),
    }
}

/// The scorecard as CSV: one row per shop metric and week, then one row per SKU metric
/// of the last week. Empty value = nothing to measure.
pub fn scorecard_csv_text(card: &Scorecard) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(["scope", "metric", "week_start", "value", "target"])?;
    let plain = |value: Option<f64>| value.map(|value| format!("{value:.4}")).unwrap_or_default();
    for metric in &card.metrics {
        for (week, value) in card.weeks.iter().zip(&metric.values) {
            writer.write_record([
                "shop",
                metric.key,
                &week.to_string(),
                &plain(*value),
                &metric.target_text,
            ])?;
        }
    }
    if let Some(week) = card.weeks.last() {
        let week = week.to_string();
        for sku in &card.skus {
            let scope = format!("sku:{}", sku.sku_id);
            for (metric, value) in [
                ("units", Some(sku.units as f64)),
                ("refund_rate", ratio(sku.refund_cases, sku.orders, 100.0)),
                ("return_rate", ratio(sku.return_cases, sku.orders, 100.0)),
                ("missing_parts_cases", Some(sku.missing_parts_cases as f64)),
                ("reviews", Some(sku.reviews as f64)),
                ("average_rating", ratio(sku.star_sum, sku.reviews, 1.0)),
                ("review_depth", ratio(sku.text_chars, sku.reviews, 1.0)),
            ] {
                writer.write_record([scope.as_str(), metric, &week, &plain(value), ""])?;
            }
        }
    }
    let bytes = writer.into_inner().map_err(|error| error.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// `GET /shops/{shop_id}/scorecard.csv`.
pub async fn scorecard_csv(
    State(state): State<ConsoleState>,
    Extension(viewer): Extension<Viewer>,
    Path(shop_id): Path<String>,
) -> Response {
    let shop = match visible_shop(&state, &viewer, &shop_id).await {
        Ok(shop) => shop,
        Err(response) => return response,
    };
    let card = match scorecard(
        &state.store,
        &shop,
        &state.metric_targets,
        state.clock.now(),
    )
    .await
    {
        Ok(card) => card,
        Err(error) => return HttpError::internal(error).into_response(),
    };
    match scorecard_csv_text(&card) {
        Ok(text) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!(
                        "attachment; filename=\"scorecard-{}.csv\"",
                        shop.id.as_str()
                    ),
                ),
            ],
            text,
        )
            .into_response(),
        Err(error) => HttpError::internal(error).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(values: Vec<Option<f64>>) -> Metric {
        Metric {
            key: "refund_rate",
            label: "Refund rate",
            unit: Unit::Percent,
            better: Better::Down,
            target: Some(1.0),
            target_text: "< 1 %".to_owned(),
            values,
            note: None,
        }
    }

    #[test]
    fn the_chart_breaks_its_line_at_missing_weeks_and_draws_the_target() {
        let weeks: Vec<NaiveDate> = (0..4)
            .map(|week| NaiveDate::from_ymd_opt(2026, 10, 5).unwrap() + Duration::weeks(week))
            .collect();
        let svg = chart(&metric(vec![Some(0.5), Some(2.0), None, Some(1.5)]), &weeks).into_string();
        // Two moves: the line restarts after the gap instead of dropping to zero.
        let path = svg
            .split("path d=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(path.matches('M').count(), 2, "{path}");
        assert_eq!(path.matches('L').count(), 1, "{path}");
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("class=\"target\""));
        assert!(svg.contains("week of 2026-10-12: 2.00 %"));
    }

    #[test]
    fn weeks_are_the_twelve_complete_mondays_before_now_in_the_shop_zone() {
        let shop = Shop {
            id: shopcare_core::ShopId::new("S1"),
            cipher: String::new(),
            name: "S".to_owned(),
            region: "TH".to_owned(),
            currency: shopcare_core::Currency::parse("THB").unwrap(),
            time_zone: chrono_tz::Asia::Bangkok,
        };
        // Sunday 22 Nov 2026 20:00 UTC is already Monday 23 Nov in Bangkok.
        let now = chrono::DateTime::parse_from_rfc3339("2026-11-22T20:00:00Z")
            .unwrap()
            .with_timezone(&chrono::Utc);
        let weeks = week_starts(&shop, now);
        assert_eq!(weeks.len(), WEEKS);
        assert_eq!(weeks.last().unwrap().to_string(), "2026-11-16");
        assert_eq!(weeks.first().unwrap().to_string(), "2026-08-31");
    }

    #[test]
    fn csv_leaves_unmeasured_weeks_empty() {
        let card = Scorecard {
            weeks: vec![
                NaiveDate::from_ymd_opt(2026, 11, 9).unwrap(),
                NaiveDate::from_ymd_opt(2026, 11, 16).unwrap(),
            ],
            metrics: vec![metric(vec![None, Some(0.25)])],
            skus: Vec::new(),
        };
        let text = scorecard_csv_text(&card).unwrap();
        assert_eq!(
            text,
            "scope,metric,week_start,value,target\nshop,refund_rate,2026-11-09,,< 1 %\nshop,refund_rate,2026-11-16,0.2500,< 1 %\n"
        );
    }
}
