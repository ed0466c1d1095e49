//! The after-sales queue pages: one shop's open cases or every permitted shop's, most
//! urgent first, each with a live countdown to its deadline (the platform's, or the rule
//! table's when the platform sends none), the suggested action and its reason, the
//! evidence checklist, and the seller's actions. Actions go through
//! [`CaseDesk::act`](crate::cases::CaseDesk::act) exactly as the JSON API's do: into the
//! outbox, sent by the job runner.

use super::auth::CurrentSession;
use super::pages::{not_found, permitted_shops, queue_by_shop, visible_shop};
use super::{layout, ConsoleState, CSRF_FIELD};
use crate::access::Viewer;
use crate::cases::{CaseCommand, CaseDesk, CaseError, QueueEntry, QueueScope};
use crate::error::HttpError;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Extension;
use maud::{html, Markup};
use shopcare_core::{Shop, ShopId};
use std::collections::HashMap;

/// Ticks every countdown once a second from the deadline in its `data-due` attribute.
const COUNTDOWN_SCRIPT: &str = r#"
(function () {
  var clocks = document.querySelectorAll('[data-due]');
  function span(ms) {
    var minutes = Math.floor(Math.abs(ms) / 60000), days = Math.floor(minutes / 1440);
    var hours = Math.floor(minutes / 60) % 24, seconds = Math.floor(Math.abs(ms) / 1000) % 60;
    if (days > 0) { return days + ' d ' + hours + ' h'; }
    if (hours > 0) { return hours + ' h ' + (minutes % 60) + ' min'; }
    return (minutes % 60) + ' min ' + seconds + ' s';
  }
  function tick() {
    var now = Date.now();
    clocks.forEach(function (el) {
      var left = Date.parse(el.dataset.due) - now;
      el.textContent = left > 0 ? span(left) + ' left' : 'overdue by ' + span(left);
      el.classList.toggle('overdue', left <= 0);
    });
  }
  tick();
  setInterval(tick, 1000);
})();
"#;

#[derive(Debug, Default, serde::Deserialize)]
pub struct QueueQuery {
    /// Set after an action was queued: the case it was for.
    #[serde(default)]
    pub done: String,
    /// Set after an action was refused: why.
    #[serde(default)]
    pub error: String,
    /// `all`: every open case; otherwise the ones not waiting on the buyer.
    #[serde(default)]
    pub show: String,
    /// 1-based page of [`CASES_PER_PAGE`] cards.
    #[serde(default)]
    pub page: usize,
}

/// Case cards per queue page: a queue of thousands stays a page the browser can draw.
const CASES_PER_PAGE: usize = 100;

fn words(value: &str) -> String {
    value.to_lowercase().replace('_', " ")
}

fn case_card(entry: &QueueEntry, shop: &Shop, csrf_token: &str, show_shop: bool) -> Markup {
    let action = format!(
        "/shops/{}/cases/{}/actions",
        shop.id.as_str(),
        entry.case_id
    );
    let can_approve = entry
        .allowed_actions
        .iter()
        .any(|action| action.starts_with("APPROVE") && action != "OFFER_PARTIAL_REFUND");
    let can_reject = entry
        .allowed_actions
        .iter()
        .any(|action| action.starts_with("REJECT"));
    let can_partial = entry
        .allowed_actions
        .iter()
        .any(|action| action == "OFFER_PARTIAL_REFUND");
    html! {
        article class="case" id={ "case-" (entry.case_id) } aria-labelledby={ "case-title-" (entry.case_id) } {
            header {
                strong id={ "case-title-" (entry.case_id) } { "Case " span class="mono" { (entry.case_id) } }
                @if show_shop { span { (shop.name) } }
                span class="tag" { (words(&entry.kind)) }
                span class="meta" { (words(&entry.status)) " · " (entry.turn) "'s turn" }
                @match entry.due_at {
                    Some(due) => {
                        span class={ "countdown" @if entry.overdue { " overdue" } } data-due=(due.to_rfc3339()) {
                            (layout::time_left(entry.seconds_left.unwrap_or_default()))
                        }
                        span class="meta" { "due " (layout::time_in(due, shop.time_zone)) " · " (words(&entry.deadline_origin)) @if let Some(stage) = &entry.stage { " · " (words(stage)) } }
                    },
                    None => span class="meta" { "no deadline" },
                }
            }
            p class="meta" {
                "Order " span class="mono" { (entry.order_id) }
                @if let Some(reason) = &entry.reason { " · reason: " (reason) }
                @if let Some(refund) = &entry.refund_total { " · refund " (refund.amount) " " (refund.currency) }
            }
            @if let Some(discrepancy) = &entry.deadline_discrepancy {
                p class="notice" { "Deadline check: " (discrepancy) }
            }
            p { strong { "Suggested: " (words(&entry.suggestion.action)) } " — " (entry.suggestion.reason) }
            @if let Some(checklist) = &entry.checklist {
                div {
                    span class="meta" { "Evidence for a " (words(&checklist.dispute)) " dispute: " }
                    ul class="evidence" {
                        @for kind in &checklist.required {
                            @let have = checklist.attached.contains(kind);
                            li { (if have { "☑ " } else { "☐ " }) (words(kind)) " (required)" @if !have { " " span class="alert" { "missing" } } }
                        }
                        @for kind in &checklist.recommended {
                            li { (if checklist.attached.contains(kind) { "☑ " } else { "☐ " }) (words(kind)) " (recommended)" }
                        }
                    }
                }
            }
            @if can_approve || can_reject || can_partial {
                div class="actions" {
                    @if can_approve {
                        form method="post" action=(action) {
                            input type="hidden" name=(CSRF_FIELD) value=(csrf_token);
                            input type="hidden" name="type" value="approve";
                            button type="submit" { "Approve" }
                        }
                    }
                    @if can_partial {
                        form method="post" action=(action) {
                            input type="hidden" name=(CSRF_FIELD) value=(csrf_token);
                            input type="hidden" name="type" value="partial_refund";
                            label { "Amount " input name="amount" inputmode="decimal" size="7" required; }
                            button type="submit" class="link" { "Offer partial refund" }
                        }
                    }
                    @if can_reject {
                        form method="post" action=(action) {
                            input type="hidden" name=(CSRF_FIELD) value=(csrf_token);
                            input type="hidden" name="type" value="reject";
                            label { "Reason " input name="reason" size="18" required placeholder="platform reject reason"; }
                            label { "Comment " input name="comment" size="18"; }
                            button type="submit" class="link" { "Reject" }
                        }
                    }
                }
            } @else {
                p class="meta" { "Nothing for the seller to do in this status." }
            }
        }
    }
}

async fn queue_page(
    state: ConsoleState,
    viewer: Viewer,
    session: CurrentSession,
    shop: Option<Shop>,
    query: QueueQuery,
) -> Result<Response, HttpError> {
    let now = state.clock.now();
    let shops = permitted_shops(&state, &viewer).await?;
    let scope: Vec<ShopId> = match &shop {
        Some(shop) => vec![shop.id.clone()],
        None => shops.iter().map(|shop| shop.id.clone()).collect(),
    };
    let show_all = query.show == "all";
    let queue_scope = if show_all {
        QueueScope::Open
    } else {
        QueueScope::NotWaitingOnBuyer
    };
    let mut entries: Vec<QueueEntry> = queue_by_shop(&state, Some(scope), queue_scope, now)
        .await?
        .into_values()
        .flatten()
        .collect();
    // Most urgent first across shops; cases without a deadline last.
    entries.sort_by_key(|entry| (entry.due_at.is_none(), entry.due_at, entry.case_id.clone()));
    let by_id: HashMap<&str, &Shop> = shops.iter().map(|shop| (shop.id.as_str(), shop)).collect();
    let title = match &shop {
        Some(shop) => format!("After-sales queue · {}", shop.name),
        None => "After-sales queue · all shops".to_owned(),
    };
    let base = match &shop {
        Some(shop) => format!("/shops/{}/cases", shop.id.as_str()),
        None => "/cases".to_owned(),
    };
    let pages = entries.len().div_ceil(CASES_PER_PAGE).max(1);
    let page = query.page.clamp(1, pages);
    let overdue = entries.iter().filter(|entry| entry.overdue).count();
    let urgent = entries
        .iter()
        .filter(|entry| !entry.overdue && entry.seconds_left.is_some_and(|left| left < 12 * 3600))
        .count();
    let body = html! {
        h1 { (title) }
        @if !query.done.is_empty() {
            p class="notice" role="status" { "Action on case " (query.done) " queued; it is sent to the platform by the job runner." }
        }
        @if !query.error.is_empty() {
            p class="notice" role="alert" { "Not done: " (query.error) }
        }
        p class="actions" {
            @if show_all {
                a href={ (base) } { "Needs action" } " · " strong { "All open cases" }
            } @else {
                strong { "Needs action" } " · " a href={ (base) "?show=all" } { "All open cases (incl. waiting on the buyer)" }
            }
        }
        p class="meta" { (entries.len()) (if show_all { " open cases: " } else { " cases not waiting on the buyer: " }) (overdue) " overdue, " (urgent) " due within 12 h. Countdowns run live; deadlines in each shop's time zone." }
        @for entry in entries.iter().skip((page - 1) * CASES_PER_PAGE).take(CASES_PER_PAGE) {
            @if let Some(entry_shop) = by_id.get(entry.shop_id.as_str()) {
                (case_card(entry, entry_shop, &session.csrf_token, shop.is_none()))
            }
        }
        @if entries.is_empty() { p { "No open after-sales case." } }
        @if pages > 1 {
            nav class="actions" aria-label="Queue pages" {
                "Page " (page) " of " (pages) ":"
                @for number in 1..=pages {
                    @if number == page { " " strong { (number) } } @else {
                        " " a href={ (base) "?page=" (number) (if show_all { "&show=all" } else { "" }) } { (number) }
                    }
                }
            }
        }
    };
    let page = layout::page_with_script(
        &title,
        &viewer,
        &session.csrf_token,
        &shops,
        body,
        Some(COUNTDOWN_SCRIPT),
    );
    Ok(Html(page.into_string()).into_response())
}

/// `GET /cases`: every permitted shop's open cases.
pub async fn all_cases_page(
    State(state): State<ConsoleState>,
    Extension(viewer): Extension<Viewer>,
    Extension(session): Extension<CurrentSession>,
    Query(query): Query<QueueQuery>,
) -> Response {
    queue_page(state, viewer, session, None, query)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// `GET /shops/{shop_id}/cases`.
pub async fn shop_cases_page(
    State(state): State<ConsoleState>,
    Extension(viewer): Extension<Viewer>,
    Extension(session): Extension<CurrentSession>,
    Path(shop_id): Path<String>,
    Query(query): Query<QueueQuery>,
) -> Response {
    let shop = match visible_shop(&state, &viewer, &shop_id).await {
        Ok(shop) => shop,
        Err(response) => return response,
    };
    queue_page(state, viewer, session, Some(shop), query)
        .await
        .unwrap_or_else(IntoResponse::into_response)
}

/// The command a case form posts; `Err` with a message for the reader.
fn command_of(fields: &[(String, String)]) -> Result<CaseCommand, String> {
    let get = |name: &str| {
        fields
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.trim().to_owned())
            .filter(|value| !value.is_empty())
    };
    match get("type").as_deref() {
        Some("approve") => Ok(CaseCommand::Approve {
            decision: None,
            buyer_keep_item: None,
        }),
        Some("reject") => Ok(CaseCommand::Reject {
            reason: get("reason").ok_or("a reject reason is needed")?,
            comment: get("comment"),
            images: Vec::new(),
        }),
        Some("partial_refund") => Ok(CaseCommand::PartialRefund {
            amount: get("amount").ok_or("an amount is needed")?,
            currency: None,
        }),
        _ => Err("unknown action".to_owned()),
    }
}

/// `POST /shops/{shop_id}/cases/{case_id}/actions` (CSRF-checked by the middleware).
pub async fn act(
    State(state): State<ConsoleState>,
    Extension(viewer): Extension<Viewer>,
    Path((shop_id, case_id)): Path<(String, String)>,
    body: Bytes,
) -> Response {
    let shop = match visible_shop(&state, &viewer, &shop_id).await {
        Ok(shop) => shop,
        Err(response) => return response,
    };
    let page = format!("/shops/{}/cases", shop.id.as_str());
    let fields: Vec<(String, String)> = url::form_urlencoded::parse(&body)
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    let refused = |message: &str| {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("error", message)
            .finish();
        Redirect::to(&format!("{page}?{query}#case-{case_id}")).into_response()
    };
    let command = match command_of(&fields) {
        Ok(command) => command,
        Err(message) => return refused(&message),
    };
    let desk = CaseDesk::new(state.store.clone());
    let only_this_shop = [shop.id.clone()];
    match desk
        .act(
            &case_id,
            Some(&only_this_shop),
            &command,
            &viewer.username,
            state.clock.now(),
        )
        .await
    {
        Ok(_) => {
            let query = url::form_urlencoded::Serializer::new(String::new())
                .append_pair("done", &case_id)
                .finish();
            Redirect::to(&format!("{page}?{query}#case-{case_id}")).into_response()
        }
        Err(CaseError::NotFound) => not_found(),
        Err(CaseError::NotAllowed(message) | CaseError::BadCommand(message)) => refused(&message),
        Err(error @ CaseError::Blocked(_)) => refused(&error.to_string()),
        Err(CaseError::Store(error)) => HttpError::internal(error).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(key, value)| ((*key).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn forms_become_desk_commands_and_incomplete_ones_are_refused() {
        assert_eq!(
            command_of(&fields(&[
                ("type", "reject"),
                ("reason", "seller_reject_apply_product_damaged"),
                ("comment", "")
            ])),
            Ok(CaseCommand::Reject {
                reason: "seller_reject_apply_product_damaged".to_owned(),
                comment: None,
                images: Vec::new(),
            })
        );
        assert!(command_of(&fields(&[("type", "reject"), ("reason", "  ")])).is_err());
        assert!(command_of(&fields(&[("type", "partial_refund")])).is_err());
        assert!(command_of(&fields(&[("type", "launch")])).is_err());
        assert!(matches!(
            command_of(&fields(&[("type", "approve")])),
            Ok(CaseCommand::Approve { decision: None, .. })
        ));
    }
}
