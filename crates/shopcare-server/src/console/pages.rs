//! The signed-in pages: the overview of every permitted shop, a shop's page, and its
//! daily checklist (DOMAIN.md §8) with live counts and ticks stored per shop and day.

use super::auth::CurrentSession;
use super::{layout, ConsoleState};
use crate::access::Viewer;
use crate::cases::{CaseDesk, QueueEntry, QueueScope};
use crate::error::HttpError;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{html, Markup};
use shopcare_core::{Shop, ShopId, Timestamp};
use shopcare_store::{AnalysisFilter, ChecklistTick, ShopSummary, SummaryOptions};
use std::collections::HashMap;

/// Cases whose platform deadline falls within this many hours are flagged as urgent.
const URGENT_CASE_HOURS: i64 = 12;
/// The checklist's "after-sales near deadline" item counts cases due within this window.
const NEAR_DEADLINE_HOURS: i64 = 24;
/// How many waiting cases a shop card lists.
const CARD_CASES: usize = 3;

/// A daily checklist item: its key (stored with ticks), its wording, and its live count.
struct ChecklistItem {
    key: &'static str,
    label: &'static str,
    count: u64,
}

/// The daily routine of DOMAIN.md §8, each with the number that tells how much is left.
fn checklist_items(
    summary: &ShopSummary,
    queue: &[QueueEntry],
    now: Timestamp,
) -> Vec<ChecklistItem> {
    let near_deadline = queue
        .iter()
        .filter(|entry| {
            entry.due_at.is_some_and(|deadline| {
                deadline <= now + chrono::Duration::hours(NEAR_DEADLINE_HOURS)
            })
        })
        .count() as u64;
    vec![
        ChecklistItem {
            key: "new-reviews",
            label: "Read today's new reviews, newest first",
            count: summary.new_reviews,
        },
        ChecklistItem {
            key: "negative-details",
            label: "Go through the details of each 1–2★ review",
            count: summary.new_negative_reviews,
        },
        ChecklistItem {
            key: "reply-compliance",
            label: "Reply to the negative reviews, each reply passing the compliance check",
            count: summary.new_negative_reviews,
        },
        ChecklistItem {
            key: "dispatch-risk",
            label: "Ship the orders at risk of late dispatch (or already past ship-by)",
            count: summary.orders_at_dispatch_risk + summary.orders_past_ship_by,
        },
        ChecklistItem {
            key: "aftersales-deadlines",
            label: "Act on after-sales requests due within 24 hours",
            count: near_deadline,
        },
        ChecklistItem {
            key: "chat-spot-check",
            label: "Spot-check the buyer chats behind today's negative reviews",
            count: summary.new_negative_reviews,
        },
        ChecklistItem {
            key: "stalled-tracking",
            label: "Chase parcels whose tracking has stalled",
            count: summary.stalled_tracking,
        },
    ]
}

/// The shops `viewer` may see, in name order.
pub(super) async fn permitted_shops(
    state: &ConsoleState,
    viewer: &Viewer,
) -> Result<Vec<Shop>, HttpError> {
    let mut shops: Vec<Shop> = state
        .store
        .list_shops()
        .await?
        .into_iter()
        .filter(|shop| viewer.can_see(&shop.id))
        .collect();
    shops.sort_by(|left, right| left.name.cmp(&right.name).then(left.id.cmp(&right.id)));
    Ok(shops)
}

/// The shop, if it exists and `viewer` may see it; 404 alike otherwise, so an operator
/// cannot tell another team's shop from a missing one.
pub(super) async fn visible_shop(
    state: &ConsoleState,
    viewer: &Viewer,
    shop_id: &str,
) -> Result<Shop, Response> {
    let shop_id = ShopId::new(shop_id);
    if !viewer.can_see(&shop_id) {
        return Err(not_found());
    }
    match state.store.get_shop(&shop_id).await {
        Ok(Some(shop)) => Ok(shop),
        Ok(None) => Err(not_found()),
        Err(error) => Err(HttpError::internal(error).into_response()),
    }
}

pub(super) fn not_found() -> Response {
    let body = layout::bare(
        "Not found",
        html! { main { h1 { "Not found" } p { "There is no such page. " a href="/" { "Back to the overview" } } } },
    );
    (StatusCode::NOT_FOUND, Html(body.into_string())).into_response()
}

/// What the overview adds to the daily summary: the SNRR against its target, negatives
/// nobody has answered, and chats past the response target.
struct Standing {
    snrr_percent: Option<f64>,
    target_percent: f64,
    status: &'static str,
    headroom: u64,
    unreplied_negatives: u64,
    chats_past_target: u32,
}

/// Unanswered, unhandled 1–2★ reviews counted up to this many (the inbox lists them all).
const UNREPLIED_COUNT_CAP: u32 = 500;

async fn standing(
    state: &ConsoleState,
    shop: &Shop,
    now: Timestamp,
) -> Result<Standing, HttpError> {
    let today = now.with_timezone(&shop.time_zone).date_naive();
    let metrics = crate::metrics::shop_standing(&state.store, shop, today, &state.metric_targets)
        .await
        .map_err(HttpError::internal)?;
    let unreplied = state
        .store
        .count_review_analyses(&AnalysisFilter {
            shop_ids: Some(vec![shop.id.clone()]),
            max_rating: Some(2),
            handled: Some(false),
            replied: Some(false),
            limit: UNREPLIED_COUNT_CAP,
            ..AnalysisFilter::default()
        })
        .await
        .map_err(HttpError::internal)?;
    let chats_past_target = crate::support::SupportDesk::new(state.store.clone())
        .chats_past_target(shop, now)
        .await
        .map_err(HttpError::internal)?;
    Ok(Standing {
        snrr_percent: metrics.snrr_30d.map(|rate| rate * 100.0),
        target_percent: metrics.target_basis_points as f64 / 100.0,
        status: metrics.status,
        headroom: metrics.headroom,
        unreplied_negatives: unreplied,
        chats_past_target,
    })
}

fn standing_counts(standing: &Standing) -> Markup {
    let snrr = standing
        .snrr_percent
        .map_or_else(|| "—".to_owned(), |rate| format!("{rate:.2} %"));
    html! {
        dl class="counts" {
            dt { "SNRR (30 d) vs target" }
            dd class=[(standing.status != "ok").then_some("alert")] {
                (snrr) " / ≤ " (format!("{:.2} %", standing.target_percent)) " · " (standing.status)
                " · headroom " (standing.headroom)
            }
            dt { "1–2★ reviews waiting for a reply" }
            dd class=[(standing.unreplied_negatives > 0).then_some("alert")] {
                @if standing.unreplied_negatives >= u64::from(UNREPLIED_COUNT_CAP) { (UNREPLIED_COUNT_CAP) "+" } @else { (standing.unreplied_negatives) }
            }
            dt { "Chats past the 12 h response target" }
            dd class=[(standing.chats_past_target > 0).then_some("alert")] { (standing.chats_past_target) }
        }
    }
}

/// The summary's counts; `waiting_cases` is the number of cases the page's queue holds.
fn counts(summary: &ShopSummary, waiting_cases: usize) -> Markup {
    html! {
        dl class="counts" {
            dt { "New reviews (24 h)" } dd { (summary.new_reviews) }
            dt { "New 1–2★ reviews" } dd class=[(summary.new_negative_reviews > 0).then_some("alert")] { (summary.new_negative_reviews) }
            dt { "After-sales cases waiting" } dd { (waiting_cases) }
            dt { "Orders at risk of late dispatch" } dd class=[(summary.orders_at_dispatch_risk > 0).then_some("alert")] { (summary.orders_at_dispatch_risk) }
            dt { "Orders past ship-by" } dd class=[(summary.orders_past_ship_by > 0).then_some("alert")] { (summary.orders_past_ship_by) }
            dt { "Stalled tracking" } dd { (summary.stalled_tracking) }
        }
    }
}

/// The waiting cases of one shop with the deadline the desk computes (the platform's
/// own when it sends one, else the rule table's), soonest first.
pub(super) fn cases_table(
    entries: &[&QueueEntry],
    shop: &Shop,
    now: Timestamp,
    limit: usize,
) -> Markup {
    html! {
        @if entries.is_empty() {
            p class="meta" { "No after-sales case is waiting." }
        } @else {
            (layout::scroll("Waiting after-sales cases", html! {
                table class="compact" {
                    caption class="meta" { "Waiting after-sales cases, soonest deadline first" }
                    thead { tr { th scope="col" { "Case" } th scope="col" { "Kind" } th scope="col" { "Time left" } } }
                    tbody {
                        @for entry in entries.iter().take(limit) {
                            @let urgent = entry.due_at.is_some_and(|due| due <= now + chrono::Duration::hours(URGENT_CASE_HOURS));
                            tr class=[urgent.then_some("alert")] {
                                td class="mono" { a href={ "/shops/" (shop.id.as_str()) "/cases#case-" (entry.case_id) } { (entry.case_id) } }
                                td { (entry.kind.to_lowercase().replace('_', " ")) }
                                td {
                                    @match (entry.due_at, entry.seconds_left) {
                                        (Some(due), Some(seconds)) => {
                                            (layout::time_left(seconds)) br;
                                            span class="meta" { (layout::time_in(due, shop.time_zone)) }
                                        },
                                        _ => { "no deadline" },
                                    }
                                }
                            }
                        }
                    }
                }
            }))
            @if entries.len() > limit {
                p class="meta" { a href={ "/shops/" (shop.id.as_str()) "/cases" } { "All " (entries.len()) " waiting cases" } }
            }
        }
    }
}

/// The case queue of `shops` (`None`: every shop) in `scope`, grouped by shop id.
pub(super) async fn queue_by_shop(
    state: &ConsoleState,
    shops: Option<Vec<ShopId>>,
    scope: QueueScope,
    now: Timestamp,
) -> Result<HashMap<String, Vec<QueueEntry>>, HttpError> {
    let entries = CaseDesk::new(state.store.clone())
        .queue_in(shops, scope, now)
        .await?;
    let mut by_shop: HashMap<String, Vec<QueueEntry>> = HashMap::new();
    for entry in entries {
        by_shop
            .entry(entry.shop_id.clone())
            .or_default()
            .push(entry);
    }
    Ok(by_shop)
}

/// Links to a shop's working pages.
fn shop_links(shop: &Shop) -> Markup {
    let base = format!("/shops/{}", shop.id.as_str());
    html! {
        p class="actions" {
            a href={ (base) "/reviews" } { "Review inbox" }
            a href={ (base) "/cases" } { "After-sales queue" }
            a href={ (base) "/scorecard" } { "Weekly scorecard" }
            a href={ (base) "/checklist" } { "Daily checklist" }
        }
    }
}

/// `GET /`: every permitted shop at a glance.
pub async fn overview(
    State(state): State<ConsoleState>,
    Extension(viewer): Extension<Viewer>,
    Extension(session): Extension<CurrentSession>,
) -> Result<Html<String>, HttpError> {
    let now = state.clock.now();
    let shops = permitted_shops(&state, &viewer).await?;
    // The store's reads block their thread (SQLite), so each shop's figures and the
    // case queue are tasks of their own: on a multi-core runtime they run side by side.
    let queue_task = {
        let state = state.clone();
        // The shops on the page, listed: the store finds their open cases through its
        // (shop, status) index instead of reading every case.
        let filter = Some(shops.iter().map(|shop| shop.id.clone()).collect());
        tokio::spawn(async move {
            queue_by_shop(&state, filter, QueueScope::NotWaitingOnBuyer, now).await
        })
    };
    // The cards show the queue below, so the summary need not list the open cases.
    let without_case_list = SummaryOptions {
        list_waiting_cases: false,
        ..SummaryOptions::default()
    };
    let shop_tasks: Vec<_> = shops
        .iter()
        .map(|shop| {
            let (state, shop) = (state.clone(), shop.clone());
            tokio::spawn(async move {
                let summary = state
                    .store
                    .shop_summary(&shop.id, now, &without_case_list)
                    .await?;
                Ok::<_, HttpError>((summary, standing(&state, &shop, now).await?))
            })
        })
        .collect();
    let mut figures = Vec::with_capacity(shops.len());
    for task in shop_tasks {
        figures.push(task.await.map_err(HttpError::internal)??);
    }
    let queues = queue_task.await.map_err(HttpError::internal)??;
    let mut cards = Vec::with_capacity(shops.len());
    for (shop, (summary, standing)) in shops.iter().zip(&figures) {
        let entries: Vec<&QueueEntry> = queues
            .get(shop.id.as_str())
            .map(|queue| queue.iter().collect())
            .unwrap_or_default();
        cards.push(html! {
            section class="card" aria-labelledby={ "shop-" (shop.id.as_str()) } {
                h2 id={ "shop-" (shop.id.as_str()) } { a href={ "/shops/" (shop.id.as_str()) } { (shop.name) } }
                p class="meta" { (shop.region) " · " (shop.time_zone.name()) " · now " (layout::time_in(now, shop.time_zone)) }
                (standing_counts(standing))
                (counts(summary, entries.len()))
                (cases_table(&entries, shop, now, CARD_CASES))
                (shop_links(shop))
            }
        });
    }
    let body = html! {
        h1 { "Overview" }
        @if shops.is_empty() {
            p { "No shop is assigned to you yet." }
        }
        div class="cards" { @for card in &cards { (card) } }
    };
    Ok(Html(
        layout::page("Overview", &viewer, &session.csrf_token, &shops, body).into_string(),
    ))
}

/// `GET /shops/{shop_id}`.
pub async fn shop_page(
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
        let now = state.clock.now();
        let summary = state
            .store
            .shop_summary(&shop.id, now, &SummaryOptions::default())
            .await?;
        let shops = permitted_shops(&state, &viewer).await?;
        let queues =
            queue_by_shop(&state, Some(vec![shop.id.clone()]), QueueScope::Open, now).await?;
        let entries: Vec<&QueueEntry> = queues
            .get(shop.id.as_str())
            .map(|queue| queue.iter().collect())
            .unwrap_or_default();
        let body = html! {
            h1 { (shop.name) }
            p class="meta" { "Shop " (shop.id.as_str()) " · " (shop.region) " · " (shop.currency.as_str()) " · times in " (shop.time_zone.name()) }
            (shop_links(&shop))
            div class="card" { (counts(&summary, summary.waiting_cases.len())) }
            h2 { "After-sales cases" }
            (cases_table(&entries, &shop, now, usize::MAX))
        };
        Ok::<_, HttpError>(
            layout::page(&shop.name, &viewer, &session.csrf_token, &shops, body).into_string(),
        )
    };
    match rendered.await {
        Ok(page) => Html(page).into_response(),
        Err(error) => error.into_response(),
    }
}

/// The shop's calendar day at `now`, which names its checklist.
fn shop_day(shop: &Shop, now: Timestamp) -> String {
    now.with_timezone(&shop.time_zone)
        .format("%Y-%m-%d")
        .to_string()
}

/// `GET /shops/{shop_id}/checklist`: today's routine for the shop.
pub async fn checklist_page(
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
        let now = state.clock.now();
        let day = shop_day(&shop, now);
        let summary = state
            .store
            .shop_summary(&shop.id, now, &SummaryOptions::default())
            .await?;
        let ticks = state.store.checklist_ticks(&shop.id, &day).await?;
        let shops = permitted_shops(&state, &viewer).await?;
        let queues =
            queue_by_shop(&state, Some(vec![shop.id.clone()]), QueueScope::Open, now).await?;
        let queue = queues.get(shop.id.as_str()).map_or(&[][..], Vec::as_slice);
        let items = checklist_items(&summary, queue, now);
        let body = html! {
            h1 { "Daily checklist · " (shop.name) }
            p class="meta" { "Day " (day) " (" (shop.time_zone.name()) "). Counts are live; tick an item when it is done." }
            ul class="checklist" {
                @for item in &items {
                    @let tick = ticks.iter().find(|tick| tick.item == item.key);
                    li class=[tick.is_some().then_some("done")] {
                        span class="count" { (item.count) }
                        span class="what" { (item.label) }
                        @if let Some(tick) = tick {
                            span class="meta" { "done by " (tick.ticked_by) " at " (layout::time_in(tick.ticked_at, shop.time_zone)) }
                        }
                        form method="post" action={ "/shops/" (shop.id.as_str()) "/checklist/" (item.key) } {
                            input type="hidden" name="csrf_token" value=(session.csrf_token);
                            input type="hidden" name="done" value=(if tick.is_some() { "false" } else { "true" });
                            button type="submit" class=[tick.is_some().then_some("link")] {
                                @if tick.is_some() { "Undo" } @else { "Mark done" }
                            }
                        }
                    }
                }
            }
        };
        Ok::<_, HttpError>(
            layout::page(
                "Daily checklist",
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

#[derive(serde::Deserialize)]
pub struct TickForm {
    done: bool,
}

/// `POST /shops/{shop_id}/checklist/{item}` (CSRF-checked by the middleware).
pub async fn set_checklist_item(
    State(state): State<ConsoleState>,
    Extension(viewer): Extension<Viewer>,
    Path((shop_id, item)): Path<(String, String)>,
    Form(form): Form<TickForm>,
) -> Response {
    let shop = match visible_shop(&state, &viewer, &shop_id).await {
        Ok(shop) => shop,
        Err(response) => return response,
    };
    let known = checklist_items(
        &ShopSummary {
            shop_id: shop.id.clone(),
            new_reviews: 0,
            new_negative_reviews: 0,
            waiting_cases: Vec::new(),
            orders_at_dispatch_risk: 0,
            orders_past_ship_by: 0,
            stalled_tracking: 0,
        },
        &[],
        state.clock.now(),
    )
    .into_iter()
    .any(|known| known.key == item);
    if !known {
        return not_found();
    }
    let now = state.clock.now();
    let tick = ChecklistTick {
        item: item.clone(),
        ticked_by: viewer.username.clone(),
        ticked_at: now,
    };
    let day = shop_day(&shop, now);
    match state
        .store
        .set_checklist_tick(&shop.id, &day, &item, form.done.then_some(&tick))
        .await
    {
        Ok(()) => Redirect::to(&format!("/shops/{}/checklist", shop.id.as_str())).into_response(),
        Err(error) => HttpError::internal(error).into_response(),
    }
}
