//! The review inbox pages: one shop's reviews or every permitted shop's, with the
//! reputation filters, each review's classification and the phrases that decided it,
//! the linked order, tracking and after-sales case, and the work on it: mark handled
//! (one or in bulk), flag as a report candidate, and reply.
//!
//! The reply editor checks the text live against the compliance guard
//! (`POST /api/v1/compliance/check`, a few lines of plain JS) and highlights each finding
//! in the text. The server checks again when the reply is sent: a blocked reply is stored
//! as a blocked draft and never counts as a reply, whatever the browser did.

use super::auth::CurrentSession;
use super::pages::{not_found, permitted_shops, visible_shop};
use super::{layout, ConsoleState, CSRF_FIELD};
use crate::access::Viewer;
use crate::error::HttpError;
use crate::text_api::verdict_json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use chrono::{NaiveDate, TimeZone};
use chrono_tz::Tz;
use maud::{html, Markup};
use shopcare_core::classify::RootCause;
use shopcare_core::compliance::{check, draft_review_reply, Finding, TextKind};
use shopcare_core::{OrderId, Shop, ShopId, Timestamp};
use shopcare_store::{AnalysisFilter, OrderCase, ReviewFilter, StoredReviewAnalysis};
use std::collections::HashMap;

/// Reviews one inbox page shows.
const PAGE_SIZE: u32 = 50;

/// The inbox filters as the form sends them: every field a string, empty meaning "any".
#[derive(Debug, Default, Clone, serde::Deserialize)]
pub struct InboxQuery {
    /// `1`..`5`, or `negative` for 1–2★.
    #[serde(default)]
    pub stars: String,
    #[serde(default)]
    pub root_cause: String,
    /// `yes` / `no`.
    #[serde(default)]
    pub seller_related: String,
    #[serde(default)]
    pub language: String,
    /// `yes` / `no`.
    #[serde(default)]
    pub replied: String,
    /// `yes` / `no`.
    #[serde(default)]
    pub handled: String,
    #[serde(default)]
    pub sku: String,
    /// `YYYY-MM-DD`, a day in the shop's zone (UTC on the all-shops page).
    #[serde(default)]
    pub from: String,
    /// `YYYY-MM-DD`, inclusive.
    #[serde(default)]
    pub until: String,
    /// Set after a reply went out: the review it answered.
    #[serde(default)]
    pub sent: String,
}

fn yes_no(value: &str) -> Result<Option<bool>, String> {
    match value {
        "" => Ok(None),
        "yes" => Ok(Some(true)),
        "no" => Ok(Some(false)),
        other => Err(format!("{other:?} is not yes or no")),
    }
}

fn day_start(value: &str, zone: Tz) -> Result<Option<Timestamp>, String> {
    if value.is_empty() {
        return Ok(None);
    }
    let date = NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .map_err(|_| format!("{value:?} is not a date (YYYY-MM-DD)"))?;
    let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    // The earliest instant of that local day (a DST gap at midnight moves it later).
    Ok(zone
        .from_local_datetime(&midnight)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(midnight + chrono::Duration::hours(1)))
                .earliest()
        })
        .map(|time| time.with_timezone(&chrono::Utc)))
}

/// The store filter for `query` over `shop_ids`; a message for the reader on bad input.
fn analysis_filter(
    query: &InboxQuery,
    shop_ids: Option<Vec<ShopId>>,
    zone: Tz,
) -> Result<AnalysisFilter, String> {
    let (min_rating, max_rating) = match query.stars.as_str() {
        "" => (None, None),
        "negative" => (Some(1), Some(2)),
        stars => match stars.parse::<u8>() {
            Ok(stars @ 1..=5) => (Some(stars), Some(stars)),
            _ => return Err(format!("{stars:?} is not a star rating")),
        },
    };
    let root_cause = match query.root_cause.as_str() {
        "" => None,
        cause => Some(
            RootCause::parse(cause)
                .map_err(|_| format!("{cause:?} is not a root cause"))?
                .as_str()
                .to_owned(),
        ),
    };
    let until = day_start(&query.until, zone)?.map(|start| start + chrono::Duration::days(1));
    Ok(AnalysisFilter {
        shop_ids,
        review_id: None,
        min_rating,
        max_rating,
        root_cause,
        seller_related: yes_no(&query.seller_related)?,
        language: (!query.language.trim().is_empty()).then(|| query.language.trim().to_owned()),
        sku_id: (!query.sku.trim().is_empty()).then(|| query.sku.trim().to_owned()),
        from: day_start(&query.from, zone)?,
        until,
        handled: yes_no(&query.handled)?,
        replied: yes_no(&query.replied)?,
        limit: PAGE_SIZE,
    })
}

/// A span of `text` to mark: UTF-8 byte offsets, a CSS class and a tooltip.
pub(super) struct Span {
    pub start: usize,
    pub end: usize,
    pub class: &'static str,
    pub title: String,
}

/// `text` with `spans` wrapped in `<mark>`. Spans that overlap an earlier one, run past
/// the end or cut a UTF-8 character are left out rather than trusted.
pub(super) fn highlighted(text: &str, mut spans: Vec<Span>) -> Markup {
    spans.sort_by_key(|span| (span.start, span.end));
    let mut pieces: Vec<(Option<&Span>, &str)> = Vec::new();
    let mut at = 0;
    for span in &spans {
        if span.start < at || span.end <= span.start {
            continue;
        }
        let (Some(before), Some(marked)) =
            (text.get(at..span.start), text.get(span.start..span.end))
        else {
            continue;
        };
        pieces.push((None, before));
        pieces.push((Some(span), marked));
        at = span.end;
    }
    pieces.push((None, text.get(at..).unwrap_or_default()));
    html! {
        @for (span, piece) in pieces {
            @match span {
                Some(span) => mark class=(span.class) title=(span.title) { (piece) },
                None => (piece),
            }
        }
    }
}

fn finding_spans(findings: &[Finding]) -> Vec<Span> {
    findings
        .iter()
        .map(|finding| Span {
            start: finding.start,
            end: finding.end,
            class: "finding",
            title: format!("{}: {}", finding.rule.as_str(), finding.message),
        })
        .collect()
}

fn evidence_spans(evidence_json: &str) -> Vec<Span> {
    let evidence: Vec<serde_json::Value> = serde_json::from_str(evidence_json).unwrap_or_default();
    evidence
        .iter()
        .filter_map(|item| {
            Some(Span {
                start: usize::try_from(item["start"].as_u64()?).ok()?,
                end: usize::try_from(item["end"].as_u64()?).ok()?,
                class: "evidence",
                title: format!("signal: {}", item["signal"].as_str().unwrap_or("?")),
            })
        })
        .collect()
}

/// Everything shown with one review besides its analysis.
struct Linked {
    text: Option<String>,
    order: Option<shopcare_core::Order>,
    last_tracking: Option<(String, Timestamp)>,
    cases: Vec<OrderCase>,
}

async fn linked(
    state: &ConsoleState,
    rows: &[StoredReviewAnalysis],
) -> Result<HashMap<String, Linked>, HttpError> {
    // Texts: one query per shop over the listed reviews' time span.
    let mut texts: HashMap<String, String> = HashMap::new();
    let mut shops: Vec<&ShopId> = rows.iter().map(|row| &row.analysis.shop_id).collect();
    shops.sort();
    shops.dedup();
    for shop in shops {
        let times = rows
            .iter()
            .filter(|row| &row.analysis.shop_id == shop)
            .map(|row| row.analysis.review_time);
        let (Some(first), Some(last)) = (times.clone().min(), times.max()) else {
            continue;
        };
        for review in state
            .store
            .list_reviews(&ReviewFilter {
                shop_ids: Some(vec![shop.clone()]),
                created_from: Some(first),
                created_before: Some(last + chrono::Duration::milliseconds(1)),
                ..ReviewFilter::default()
            })
            .await?
        {
            texts.insert(review.id.to_string(), review.text);
        }
    }
    let order_ids: Vec<String> = rows
        .iter()
        .filter_map(|row| row.analysis.order_id.clone())
        .collect();
    let mut cases: HashMap<String, Vec<OrderCase>> = HashMap::new();
    for case in state.store.cases_of_orders(&order_ids).await? {
        cases.entry(case.order_id.clone()).or_default().push(case);
    }
    let mut linked = HashMap::with_capacity(rows.len());
    for row in rows {
        let analysis = &row.analysis;
        let (order, last_tracking, order_cases) = match &analysis.order_id {
            Some(order_id) => {
                let id = OrderId::new(order_id.as_str());
                let order = state
                    .store
                    .get_order(&id)
                    .await?
                    .filter(|order| order.shop_id == analysis.shop_id);
                let last_tracking = if order.is_some() {
                    state
                        .store
                        .tracking_events(&id)
                        .await?
                        .into_iter()
                        .max_by_key(|event| event.time)
                        .map(|event| (event.description, event.time))
                } else {
                    None
                };
                let order_cases = cases
                    .get(order_id)
                    .map(|list| {
                        list.iter()
                            .filter(|case| order.is_some() && !case.case_id.is_empty())
                            .cloned()
                            .collect()
                    })
                    .unwrap_or_default();
                (order, last_tracking, order_cases)
            }
            None => (None, None, Vec::new()),
        };
        linked.insert(
            analysis.review_id.clone(),
            Linked {
                text: texts.get(&analysis.review_id).cloned(),
                order,
                last_tracking,
                cases: order_cases,
            },
        );
    }
    Ok(linked)
}

fn stars(rating: u8) -> String {
    let rating = usize::from(rating.min(5));
    format!("{}{}", "★".repeat(rating), "☆".repeat(5 - rating))
}

fn select(name: &str, label: &str, current: &str, options: &[(&str, &str)]) -> Markup {
    html! {
        label {
            (label)
            select name=(name) {
                @for (value, text) in options {
                    option value=(value) selected[*value == current] { (text) }
                }
            }
        }
    }
}

fn filters_form(action: &str, query: &InboxQuery, date_zone: &str) -> Markup {
    let causes: Vec<(&str, &str)> = std::iter::once(("", "any"))
        .chain(
            RootCause::ALL
                .iter()
                .map(|cause| (cause.as_str(), cause.as_str())),
        )
        .collect();
    let any_yes_no = [("", "any"), ("yes", "yes"), ("no", "no")];
    html! {
        form class="filters" method="get" action=(action) aria-label="Filter reviews" {
            (select("stars", "Stars", &query.stars, &[("", "any"), ("negative", "1–2★"), ("1", "1★"), ("2", "2★"), ("3", "3★"), ("4", "4★"), ("5", "5★")]))
            (select("root_cause", "Root cause", &query.root_cause, &causes))
            (select("seller_related", "Seller-related", &query.seller_related, &any_yes_no))
            label { "Language" input name="language" value=(query.language) size="5" placeholder="en"; }
            (select("replied", "Replied", &query.replied, &any_yes_no))
            (select("handled", "Handled", &query.handled, &any_yes_no))
            label { "SKU" input name="sku" value=(query.sku) size="12"; }
            label { "From (" (date_zone) ")" input type="date" name="from" value=(query.from); }
            label { "Until" input type="date" name="until" value=(query.until); }
            button type="submit" { "Filter" }
            a href=(action) { "Clear" }
        }
    }
}

/// The review's card: analysis, text with evidence marked, links, actions, reply editor.
fn review_card(
    row: &StoredReviewAnalysis,
    shop: &Shop,
    linked: Option<&Linked>,
    csrf_token: &str,
    back: &str,
    show_shop: bool,
) -> Markup {
    let analysis = &row.analysis;
    let base = format!("/shops/{}/reviews/{}", shop.id.as_str(), analysis.review_id);
    let draft = draft_review_reply(
        &analysis.root_cause,
        &analysis.language,
        analysis.order_id.as_deref(),
    );
    let editor_id = format!("reply-{}", analysis.review_id);
    html! {
        article class="review" id={ "review-" (analysis.review_id) } aria-labelledby={ "title-" (analysis.review_id) } {
            header {
                input type="checkbox" form="bulk" name="review_id" value={ (shop.id.as_str()) "/" (analysis.review_id) }
                    aria-label={ "Select review " (analysis.review_id) };
                strong id={ "title-" (analysis.review_id) } aria-label={ (analysis.rating) " of 5 stars" } { (stars(analysis.rating)) }
                @if show_shop { span { (shop.name) } }
                span class="meta" { "Review " span class="mono" { (analysis.review_id) } " · " (layout::time_in(analysis.review_time, shop.time_zone)) }
                span class="tag" { (analysis.root_cause) }
                @if analysis.seller_related { span class="tag bad" { "seller-related" } } @else { span class="tag" { "not seller-related" } }
                span class="tag" { "lang " (analysis.language) }
                span class="meta" { "confidence " (format!("{:.0}", analysis.confidence_permille as f64 / 10.0)) " %" }
                @if !analysis.sku_id.is_empty() { span class="meta" { "SKU " span class="mono" { (analysis.sku_id) } } }
                @if row.handled_at.is_some() { span class="tag good" { "handled" } }
                @if row.replied { span class="tag good" { "replied" } }
                @if row.report_candidate { span class="tag bad" { "report candidate" } }
            }
            @match linked.and_then(|linked| linked.text.as_deref()) {
                Some(text) if !text.is_empty() => blockquote { (highlighted(text, evidence_spans(&analysis.evidence))) },
                _ => p class="meta" { "(no text)" },
            }
            @if let Some(linked) = linked {
                p class="meta" {
                    @if let Some(order) = &linked.order {
                        "Order " span class="mono" { (order.id.as_str()) } " · " (order.status.as_str())
                        @if let (Some(due), Some(shipped)) = (order.ship_by_time, order.shipped_time) {
                            @if shipped > due { " · " span class="alert" { "shipped late" } } @else { " · shipped on time" }
                        }
                        @if let Some((last, at)) = &linked.last_tracking {
                            " · tracking: " (last) " (" (layout::time_in(*at, shop.time_zone)) ")"
                        }
                    } @else if let Some(order_id) = &analysis.order_id {
                        "Order " span class="mono" { (order_id) } " (not synced)"
                    } @else {
                        "No linked order"
                    }
                    @for case in &linked.cases {
                        " · case " a href={ "/shops/" (shop.id.as_str()) "/cases#case-" (case.case_id) } { (case.case_id) } " (" (case.kind.to_lowercase().replace('_', " ")) ", " (case.status.to_lowercase().replace('_', " ")) ")"
                    }
                }
            }
            div class="actions" {
                form method="post" action={ (base) "/handled" } {
                    input type="hidden" name=(CSRF_FIELD) value=(csrf_token);
                    input type="hidden" name="back" value=(back);
                    input type="hidden" name="value" value=(if row.handled_at.is_some() { "false" } else { "true" });
                    button type="submit" class=[row.handled_at.is_some().then_some("link")] {
                        @if row.handled_at.is_some() { "Reopen" } @else { "Mark handled" }
                    }
                }
                form method="post" action={ (base) "/report-candidate" } {
                    input type="hidden" name=(CSRF_FIELD) value=(csrf_token);
                    input type="hidden" name="back" value=(back);
                    input type="hidden" name="value" value=(if row.report_candidate { "false" } else { "true" });
                    button type="submit" class="link" {
                        @if row.report_candidate { "Withdraw report flag" } @else { "Flag as report candidate" }
                    }
                }
            }
            @if !row.replied {
                details class="editor" {
                    summary { "Reply" }
                    (reply_form(&base, shop, &editor_id, &draft, csrf_token, back, None))
                }
            }
        }
    }
}

/// The reply editor. `findings` are the server's, after a blocked send.
fn reply_form(
    base: &str,
    shop: &Shop,
    editor_id: &str,
    text: &str,
    csrf_token: &str,
    back: &str,
    findings: Option<&[Finding]>,
) -> Markup {
    html! {
        form method="post" action={ (base) "/reply" } class="reply" data-market=(shop.region) {
            input type="hidden" name=(CSRF_FIELD) value=(csrf_token);
            input type="hidden" name="back" value=(back);
            label for=(editor_id) { "Your reply (checked by the compliance guard as you type)" }
            textarea id=(editor_id) name="text" rows="5" { (text) }
            p class="meta" { "Preview with findings highlighted:" }
            div class="preview" aria-live="polite" {
                @if let Some(findings) = findings { (highlighted(text, finding_spans(findings))) } @else { (text) }
            }
            ul class="findings" aria-live="polite" {
                @if let Some(findings) = findings {
                    @for finding in findings {
                        li { strong { (finding.rule.as_str()) } " “" (finding.excerpt) "”: " (finding.message) " " span class="meta" { (finding.suggestion) } }
                    }
                }
            }
            button type="submit" class="send" disabled[findings.is_some_and(|findings| !findings.is_empty())] { "Send reply" }
        }
    }
}

/// Live compliance feedback for every reply editor on the page. Offsets from the guard
/// are UTF-8 byte offsets, so the text is encoded to bytes and sliced there, never by
/// JavaScript string index.
const REPLY_SCRIPT: &str = r#"
(function () {
  var token = document.querySelector('meta[name="csrf-token"]').content;
  var encoder = new TextEncoder(), decoder = new TextDecoder();
  function render(preview, text, findings) {
    var bytes = encoder.encode(text), at = 0;
    preview.textContent = '';
    findings.slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (f) {
      if (f.start < at || f.end <= f.start || f.end > bytes.length) { return; }
      preview.appendChild(document.createTextNode(decoder.decode(bytes.slice(at, f.start))));
      var mark = document.createElement('mark');
      mark.className = 'finding';
      mark.title = f.rule + ': ' + f.message;
      mark.textContent = decoder.decode(bytes.slice(f.start, f.end));
      preview.appendChild(mark);
      at = f.end;
    });
    preview.appendChild(document.createTextNode(decoder.decode(bytes.slice(at))));
  }
  document.querySelectorAll('form.reply').forEach(function (form) {
    var area = form.querySelector('textarea'), preview = form.querySelector('.preview');
    var list = form.querySelector('.findings'), send = form.querySelector('button.send');
    var timer = null, sequence = 0;
    function run() {
      var mine = ++sequence, text = area.value;
      fetch('/api/v1/compliance/check', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'content-type': 'application/json', 'x-csrf-token': token },
        body: JSON.stringify({ text: text, kind: 'review_reply', market: form.dataset.market })
      }).then(function (response) { return response.json(); }).then(function (verdict) {
        if (mine !== sequence) { return; }
        var findings = verdict.findings || [];
        render(preview, text, findings);
        list.textContent = '';
        findings.forEach(function (f) {
          var item = document.createElement('li'), rule = document.createElement('strong');
          rule.textContent = f.rule;
          item.appendChild(rule);
          item.appendChild(document.createTextNode(' “' + f.excerpt + '”: ' + f.message + ' — ' + f.suggestion));
          list.appendChild(item);
        });
        send.disabled = !verdict.ok || text.trim() === '';
        form.dataset.checked = verdict.ok ? 'ok' : 'blocked';
      });
    }
    area.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(run, 250); });
    run();
  });
})();
"#;

async fn inbox(
    state: ConsoleState,
    viewer: Viewer,
    session: CurrentSession,
    shop: Option<Shop>,
    query: InboxQuery,
) -> Result<Response, HttpError> {
    let shops = permitted_shops(&state, &viewer).await?;
    let (shop_ids, zone, action) = match &shop {
        Some(shop) => (
            Some(vec![shop.id.clone()]),
            shop.time_zone,
            format!("/shops/{}/reviews", shop.id.as_str()),
        ),
        None => (
            Some(shops.iter().map(|shop| shop.id.clone()).collect()),
            chrono_tz::UTC,
            "/reviews".to_owned(),
        ),
    };
    let filter = analysis_filter(&query, shop_ids, zone);
    let rows = match &filter {
        Ok(filter) => state.store.list_review_analyses(filter).await?,
        Err(_) => Vec::new(),
    };
    let linked = linked(&state, &rows).await?;
    let by_id: HashMap<&str, &Shop> = shops.iter().map(|shop| (shop.id.as_str(), shop)).collect();
    let back = back_url(&action, &query);
    let title = match &shop {
        Some(shop) => format!("Review inbox · {}", shop.name),
        None => "Review inbox · all shops".to_owned(),
    };
    let body = html! {
        h1 { (title) }
        @if !query.sent.is_empty() {
            p class="notice" role="status" { "Reply to review " (query.sent) " passed the compliance check and was recorded." }
        }
        (filters_form(&action, &query, zone.name()))
        @if let Err(message) = &filter {
            p class="notice" role="alert" { "Filter not applied: " (message) }
        }
        form id="bulk" method="post" action="/reviews/bulk-handled" class="actions" {
            input type="hidden" name=(CSRF_FIELD) value=(session.csrf_token);
            input type="hidden" name="back" value=(back);
            span class="meta" { (rows.len()) " reviews shown (newest first, at most " (PAGE_SIZE) ")" }
            button type="submit" { "Mark selected handled" }
        }
        @for row in &rows {
            @if let Some(review_shop) = by_id.get(row.analysis.shop_id.as_str()) {
                (review_card(row, review_shop, linked.get(&row.analysis.review_id), &session.csrf_token, &back, shop.is_none()))
            }
        }
        @if rows.is_empty() { p { "No review matches these filters." } }
    };
    let page = layout::page_with_script(
        &title,
        &viewer,
        &session.csrf_token,
        &shops,
        body,
        Some(REPLY_SCRIPT),
    );
    Ok(Html(page.into_string()).into_response())
}

/// The inbox URL with the current filters, to come back to after an action.
fn back_url(action: &str, query: &InboxQuery) -> String {
    let mut url = url::form_urlencoded::Serializer::new(String::new());
    for (key, value) in [
        ("stars", &query.stars),
        ("root_cause", &query.root_cause),
        ("seller_related", &query.seller_related),
        ("language", &query.language),
        ("replied", &query.replied),
        ("handled", &query.handled),
        ("sku", &query.sku),
        ("from", &query.from),
        ("until", &query.until),
    ] {
        if !value.is_empty() {
            url.append_pair(key, value);
        }
    }
    let query = url.finish();
    if query.is_empty() {
        action.to_owned()
    } else {
        format!("{action}?{query}")
    }
}

/// Where to go after a form post: the page it came from if that is a local inbox page,
/// else `fallback` (never another site).
fn safe_back(back: Option<&str>, fallback: &str) -> String {
    match back {
        Some(back)
            if back.starts_with('/')
                && !back.starts_with("//")
                && !back.contains('\\')
                && (back.starts_with("/reviews") || back.starts_with("/shops/")) =>
        {
            back.to_owned()
        }
        _ => fallback.to_owned(),
    }
}

fn with_anchor(back: &str, review_id: &str) -> String {
    format!("{back}#review-{review_id}")
}

/// `GET /reviews`: every permitted shop's reviews.
pub async fn all_reviews_page(
    State(state): State<ConsoleState>,
    Extension(viewer): Extension<Viewer>,
    Extension(session): Extension<CurrentSession>,
    Query(query): Query<InboxQuery>,
) -> Response {
    inbox(state, viewer, session, None, query)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// `GET /shops/{shop_id}/reviews`.
pub async fn shop_reviews_page(
    State(state): State<ConsoleState>,
    Extension(viewer): Extension<Viewer>,
    Extension(session): Extension<CurrentSession>,
    Path(shop_id): Path<String>,
    Query(query): Query<InboxQuery>,
) -> Response {
    let shop = match visible_shop(&state, &viewer, &shop_id).await {
        Ok(shop) => shop,
        Err(response) => return response,
    };
    inbox(state, viewer, session, Some(shop), query)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// The review if it belongs to `shop` (which the caller checked the viewer may see).
async fn review_of_shop(
    state: &ConsoleState,
    shop: &Shop,
    review_id: &str,
) -> Result<Option<StoredReviewAnalysis>, HttpError> {
    Ok(state
        .store
        .list_review_analyses(&AnalysisFilter {
            shop_ids: Some(vec![shop.id.clone()]),
            review_id: Some(review_id.to_owned()),
            limit: 1,
            ..AnalysisFilter::default()
        })
        .await?
        .into_iter()
        .next())
}

/// The fields of a url-encoded form body (repeated keys kept).
fn form_fields(body: &[u8]) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// The form's `value`: `true` / `false`, `None` for anything else.
fn flag(fields: &[(String, String)]) -> Option<bool> {
    match field(fields, "value") {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    }
}

/// `POST /shops/{shop_id}/reviews/{review_id}/{handled|report-candidate}`.
pub async fn set_review_flag(
    State(state): State<ConsoleState>,
    Extension(viewer): Extension<Viewer>,
    Path((shop_id, review_id, which)): Path<(String, String, String)>,
    body: Bytes,
) -> Response {
    let shop = match visible_shop(&state, &viewer, &shop_id).await {
        Ok(shop) => shop,
        Err(response) => return response,
    };
    let fields = form_fields(&body);
    let Some(value) = flag(&fields) else {
        return HttpError::bad_request("bad_value", "value must be true or false").into_response();
    };
    let done = async {
        if review_of_shop(&state, &shop, &review_id).await?.is_none() {
            return Ok(false);
        }
        match which.as_str() {
            "handled" => {
                state
                    .store
                    .set_review_handled(&review_id, value.then(|| state.clock.now()))
                    .await?;
            }
            "report-candidate" => {
                state.store.set_report_candidate(&review_id, value).await?;
            }
            _ => return Ok(false),
        }
        Ok::<_, HttpError>(true)
    };
    match done.await {
        Ok(true) => {
            let fallback = format!("/shops/{}/reviews", shop.id.as_str());
            let back = safe_back(field(&fields, "back"), &fallback);
            Redirect::to(&with_anchor(&back, &review_id)).into_response()
        }
        Ok(false) => not_found(),
        Err(error) => error.into_response(),
    }
}

/// `POST /reviews/bulk-handled`: marks every selected review (`review_id` =
/// `shop/review`, repeated) handled. Reviews of shops the viewer may not see are refused
/// as a whole, before anything changes.
pub async fn bulk_handled(
    State(state): State<ConsoleState>,
    Extension(viewer): Extension<Viewer>,
    body: Bytes,
) -> Response {
    let fields = form_fields(&body);
    let mut selected = Vec::new();
    for (key, value) in &fields {
        if key != "review_id" {
            continue;
        }
        let Some((shop_id, review_id)) = value.split_once('/') else {
            return HttpError::bad_request("bad_review_id", "expected SHOP/REVIEW").into_response();
        };
        if !viewer.can_see(&ShopId::new(shop_id)) {
            return not_found();
        }
        selected.push((ShopId::new(shop_id), review_id.to_owned()));
    }
    let done = async {
        let now = state.clock.now();
        for (shop_id, review_id) in &selected {
            let rows = state
                .store
                .list_review_analyses(&AnalysisFilter {
                    shop_ids: Some(vec![shop_id.clone()]),
                    review_id: Some(review_id.clone()),
                    limit: 1,
                    ..AnalysisFilter::default()
                })
                .await?;
            if rows.is_empty() {
                return Ok(false);
            }
        }
        for (_, review_id) in &selected {
            state.store.set_review_handled(review_id, Some(now)).await?;
        }
        Ok::<_, HttpError>(true)
    };
    match done.await {
        Ok(true) => Redirect::to(&safe_back(field(&fields, "back"), "/reviews")).into_response(),
        Ok(false) => not_found(),
        Err(error) => error.into_response(),
    }
}

/// `POST /shops/{shop_id}/reviews/{review_id}/reply`: checks the text again on the server;
/// a blocked reply is kept as a blocked draft and the editor comes back with the findings
/// highlighted (422), a clean one is recorded as the reply.
pub async fn send_reply(
    State(state): State<ConsoleState>,
    Extension(viewer): Extension<Viewer>,
    Extension(session): Extension<CurrentSession>,
    Path((shop_id, review_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let shop = match visible_shop(&state, &viewer, &shop_id).await {
        Ok(shop) => shop,
        Err(response) => return response,
    };
    let fields = form_fields(&body);
    let text = field(&fields, "text").unwrap_or_default().to_owned();
    let fallback = format!("/shops/{}/reviews", shop.id.as_str());
    let back = safe_back(field(&fields, "back"), &fallback);
    let result = async {
        let Some(row) = review_of_shop(&state, &shop, &review_id).await? else {
            return Ok(not_found());
        };
        if text.trim().is_empty() {
            return Ok(HttpError::bad_request("empty_reply", "the reply is empty").into_response());
        }
        let verdict = check(&text, TextKind::ReviewReply, Some(&shop.region));
        let findings_json = verdict_json(&verdict)["findings"].to_string();
        state
            .store
            .add_reply_draft(
                &review_id,
                &text,
                !verdict.ok,
                &findings_json,
                state.clock.now(),
            )
            .await?;
        if verdict.ok {
            let separator = if back.contains('?') { '&' } else { '?' };
            let url = format!("{back}{separator}sent={review_id}");
            return Ok(Redirect::to(&with_anchor(&url, &review_id)).into_response());
        }
        let shops = permitted_shops(&state, &viewer).await?;
        let base = format!("/shops/{}/reviews/{}", shop.id.as_str(), review_id);
        let body = html! {
            h1 { "Reply blocked" }
            p class="notice" role="alert" {
                "This reply was not sent: the compliance guard found " (verdict.findings.len())
                " problem(s), highlighted below. Change the text and send again."
            }
            p class="meta" { "Review " span class="mono" { (review_id) } " · " (stars(row.analysis.rating)) " · " (row.analysis.root_cause) }
            (reply_form(&base, &shop, &format!("reply-{review_id}"), &text, &session.csrf_token, &back, Some(&verdict.findings)))
            p { a href=(back) { "Back to the inbox" } }
        };
        let page = layout::page_with_script(
            "Reply blocked",
            &viewer,
            &session.csrf_token,
            &shops,
            body,
            Some(REPLY_SCRIPT),
        );
        Ok::<_, HttpError>(
            (StatusCode::UNPROCESSABLE_ENTITY, Html(page.into_string())).into_response(),
        )
    };
    result.await.unwrap_or_else(IntoResponse::into_response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlighting_follows_byte_offsets_and_skips_spans_that_cut_a_character() {
        // "ğ", "ı" and "é" are two bytes each: offsets are bytes, not characters.
        let text = "Dağıtım gecikti, café ok";
        let start = text.find("café").unwrap();
        let spans = vec![
            Span {
                start,
                end: start + "café".len(),
                class: "finding",
                title: "t".into(),
            },
            // Cuts "ğ" in half: dropped, not a panic.
            Span {
                start: 2,
                end: 3,
                class: "finding",
                title: "bad".into(),
            },
        ];
        let html = highlighted(text, spans).into_string();
        assert_eq!(
            html,
            "Dağıtım gecikti, <mark class=\"finding\" title=\"t\">café</mark> ok"
        );
    }

    #[test]
    fn filters_parse_the_form_and_refuse_nonsense() {
        let query = InboxQuery {
            stars: "negative".into(),
            root_cause: "late_dispatch".into(),
            seller_related: "yes".into(),
            from: "2026-11-01".into(),
            until: "2026-11-02".into(),
            ..InboxQuery::default()
        };
        let filter = analysis_filter(&query, None, chrono_tz::Asia::Bangkok).unwrap();
        assert_eq!((filter.min_rating, filter.max_rating), (Some(1), Some(2)));
        assert_eq!(filter.seller_related, Some(true));
        // Bangkok is UTC+7: the local day starts at 17:00 UTC the day before.
        assert_eq!(
            filter.from.unwrap().to_rfc3339(),
            "2026-10-31T17:00:00+00:00"
        );
        assert_eq!(
            filter.until.unwrap().to_rfc3339(),
            "2026-11-02T17:00:00+00:00"
        );
        for bad in [
            InboxQuery {
                stars: "6".into(),
                ..InboxQuery::default()
            },
            InboxQuery {
                root_cause: "moon".into(),
                ..InboxQuery::default()
            },
            InboxQuery {
                replied: "maybe".into(),
                ..InboxQuery::default()
            },
            InboxQuery {
                from: "yesterday".into(),
                ..InboxQuery::default()
            },
        ] {
            assert!(
                analysis_filter(&bad, None, chrono_tz::UTC).is_err(),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_way_back_never_leaves_the_console() {
        assert_eq!(
            safe_back(Some("/shops/S1/reviews?stars=1"), "/x"),
            "/shops/S1/reviews?stars=1"
        );
        assert_eq!(safe_back(Some("//evil.example/"), "/x"), "/x");
        assert_eq!(safe_back(Some("https://evil.example/"), "/x"), "/x");
        assert_eq!(safe_back(None, "/x"), "/x");
    }
}
