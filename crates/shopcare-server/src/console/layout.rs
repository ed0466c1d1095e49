//! The page shell: head, navigation with the "Log out" control, styles and the small
//! script that adds the reader's own clock time to every timestamp's tooltip.

use super::CSRF_FIELD;
use crate::access::Viewer;
use chrono_tz::Tz;
use maud::{html, Markup, PreEscaped, DOCTYPE};
use shopcare_core::{Shop, Timestamp};

/// Plain CSS: system fonts, high-contrast colours (text #1a1a1a on white is 17:1),
/// visible focus rings, one column below 700 px.
const STYLE: &str = r#"
:root { --ink: #1a1a1a; --muted: #4a4a4a; --line: #c8c8c8; --accent: #0b4f9c; --warn: #8a1c00; --bg: #f6f6f4; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, input:focus-visible { outline: 3px solid #f2a900; outline-offset: 2px; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; }
header.top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 24px; padding: 10px 24px; background: #fff; border-bottom: 1px solid var(--line); }
header.top .brand { font-weight: 700; color: var(--ink); text-decoration: none; }
header.top nav ul { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; margin: 0; padding: 0; }
header.top .who { margin-left: auto; display: flex; align-items: center; gap: 12px; color: var(--muted); }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 48px; }
h1 { font-size: 1.6rem; margin: 8px 0 16px; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 16px; }
.card h2 { font-size: 1.2rem; margin: 0 0 4px; }
.meta { color: var(--muted); font-size: 0.9rem; margin: 0 0 12px; }
dl.counts { display: grid; grid-template-columns: 1fr auto; gap: 4px 12px; margin: 0 0 12px; }
dl.counts dt { color: var(--ink); } dl.counts dd { margin: 0; font-weight: 700; text-align: right; font-variant-numeric: tabular-nums; }
.alert { color: var(--warn); }
table { width: 100%; border-collapse: collapse; background: #fff; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
button { font: inherit; padding: 6px 14px; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
button.link { background: none; color: var(--accent); border-color: var(--line); }
ul.checklist { list-style: none; padding: 0; margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
ul.checklist li { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 16px; padding: 12px 16px; border-bottom: 1px solid var(--line); }
ul.checklist li:last-child { border-bottom: 0; }
ul.checklist .what { flex: 1 1 280px; } ul.checklist .count { font-weight: 700; min-width: 3ch; text-align: right; }
ul.checklist li.done .what { text-decoration: line-through; color: var(--muted); }
main.login { max-width: 360px; margin-top: 10vh; background: #fff; border: 1px solid var(--line); border-radius: 6px; }
main.login form { display: grid; gap: 8px; }
input { font: inherit; padding: 8px; border: 1px solid #767676; border-radius: 4px; }
.notice { background: #fff4e5; border: 1px solid #b35c00; padding: 8px; border-radius: 4px; }
.scroll { overflow-x: auto; max-width: 100%; -webkit-overflow-scrolling: touch; }
.scroll:focus-visible { outline: 3px solid #f2a900; }
table.compact { font-size: 0.9rem; }
table.compact th, table.compact td { padding: 4px 6px; }
table.compact th, table.compact td.mono { white-space: nowrap; }
caption { text-align: left; }
.mono { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 0.85rem; }
.tag { display: inline-block; padding: 0 6px; border-radius: 3px; background: #e8eef7; color: #0b2d57; font-size: 0.85rem; }
.tag.bad { background: #fbe4dc; color: #6e1600; } .tag.good { background: #dff1e1; color: #10461a; }
form.filters { display: flex; flex-wrap: wrap; gap: 8px 12px; align-items: flex-end; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px; margin: 0 0 16px; }
form.filters label { display: grid; gap: 2px; font-size: 0.9rem; color: var(--muted); }
form.filters input, form.filters select { padding: 4px 6px; min-width: 8ch; }
select, textarea { font: inherit; border: 1px solid #767676; border-radius: 4px; padding: 6px; }
article.review, article.case { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 16px; margin: 0 0 12px; }
article.review header, article.case header { display: flex; flex-wrap: wrap; gap: 4px 12px; align-items: baseline; }
article.review blockquote { margin: 8px 0; padding: 4px 12px; border-left: 4px solid var(--line); white-space: pre-wrap; overflow-wrap: anywhere; }
mark { background: #ffe08a; color: inherit; } mark.finding { background: #ffc9b8; outline: 2px solid var(--warn); }
.actions { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-top: 8px; }
.actions form { display: inline-flex; flex-wrap: wrap; gap: 6px; align-items: center; margin: 0; }
.editor textarea { width: 100%; min-height: 6em; }
.preview { white-space: pre-wrap; background: #fafafa; border: 1px dashed var(--line); padding: 6px 8px; min-height: 2em; overflow-wrap: anywhere; }
.findings li { color: var(--warn); }
button:disabled { background: #9a9a9a; border-color: #9a9a9a; cursor: not-allowed; }
.countdown { font-weight: 700; font-variant-numeric: tabular-nums; }
.overdue { color: var(--warn); }
.chart { width: 100%; max-width: 360px; height: auto; }
.metrics { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 16px; }
@media (max-width: 700px) { header.top { padding: 10px 12px; } main { padding: 12px; } .cards { grid-template-columns: 1fr; } header.top .who { margin-left: 0; } }
"#;

/// Appends the reader's local time (and UTC offset) to each `<time>`'s tooltip (the page
/// shows shop time).
const SCRIPT: &str = r#"
document.querySelectorAll('time[datetime]').forEach(function (el) {
  var when = new Date(el.dateTime);
  if (isNaN(when)) { return; }
  var minutes = -when.getTimezoneOffset();
  var sign = minutes < 0 ? '-' : '+';
  var abs = Math.abs(minutes);
  var offset = 'UTC' + sign + String(Math.floor(abs / 60)).padStart(2, '0') + ':' + String(abs % 60).padStart(2, '0');
  el.title = el.title + ' · your time: ' + when.toLocaleString() + ' (' + offset + ')';
});
"#;

fn head(title: &str, csrf_token: Option<&str>) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            @if let Some(token) = csrf_token {
                // Read by the page scripts that post JSON (the live compliance check).
                meta name="csrf-token" content=(token);
            }
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · shopcare" }
            style { (PreEscaped(STYLE)) }
        }
    }
}

/// A page without navigation (the sign-in form).
pub fn bare(title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title, None))
            body { (body) }
        }
    }
}

/// A signed-in page: navigation over the viewer's shops and the "Log out" control.
pub fn page(
    title: &str,
    viewer: &Viewer,
    csrf_token: &str,
    shops: &[Shop],
    body: Markup,
) -> Markup {
    page_with_script(title, viewer, csrf_token, shops, body, None)
}

/// [`page`] plus a page-specific script, run after the shared one.
pub fn page_with_script(
    title: &str,
    viewer: &Viewer,
    csrf_token: &str,
    shops: &[Shop],
    body: Markup,
    extra_script: Option<&str>,
) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title, Some(csrf_token)))
            body {
                a class="skip" href="#content" { "Skip to content" }
                header class="top" {
                    a class="brand" href="/" { "shopcare" }
                    nav aria-label="Shops" {
                        ul {
                            li { a href="/" { "Overview" } }
                            li { a href="/reviews" { "All reviews" } }
                            li { a href="/cases" { "All cases" } }
                            @for shop in shops {
                                li { a href={ "/shops/" (shop.id.as_str()) } { (shop.name) } }
                            }
                        }
                    }
                    div class="who" {
                        span { "Signed in as " strong { (viewer.username) } }
                        form method="post" action="/logout" {
                            input type="hidden" name=(CSRF_FIELD) value=(csrf_token);
                            button class="link" type="submit" { "Log out" }
                        }
                    }
                }
                main id="content" { (body) }
                script { (PreEscaped(SCRIPT)) }
                @if let Some(script) = extra_script {
                    script { (PreEscaped(script)) }
                }
            }
        }
    }
}

/// A time in the shop's zone; the tooltip gives UTC (the script adds the reader's time).
pub fn time_in(time: Timestamp, zone: Tz) -> Markup {
    let local = time.with_timezone(&zone);
    html! {
        time datetime=(time.to_rfc3339()) title={ "UTC " (time.format("%Y-%m-%d %H:%M")) } {
            (local.format("%a %d %b %H:%M")) " " (local.format("%Z"))
        }
    }
}

/// A table inside a horizontally scrollable, keyboard-focusable box, so wide tables never
/// push past their card on narrow screens.
pub fn scroll(label: &str, table: Markup) -> Markup {
    html! {
        div class="scroll" tabindex="0" role="region" aria-label=(label) { (table) }
    }
}

/// "3 h 20 min left", "2 d 4 h left" or "overdue by 40 min": the time left, at a glance.
pub fn time_left(seconds: i64) -> String {
    let overdue = seconds < 0;
    let minutes = seconds.unsigned_abs() / 60;
    let (days, hours, minutes) = (minutes / 1440, (minutes / 60) % 24, minutes % 60);
    let span = if days > 0 {
        format!("{days} d {hours} h")
    } else if hours > 0 {
        format!("{hours} h {minutes} min")
    } else {
        format!("{minutes} min")
    };
    if overdue {
        format!("overdue by {span}")
    } else {
        format!("{span} left")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_reads_naturally_on_both_sides_of_the_deadline() {
        assert_eq!(time_left(3 * 3600 + 20 * 60 + 5), "3 h 20 min left");
        assert_eq!(time_left(2 * 86_400 + 4 * 3600), "2 d 4 h left");
        assert_eq!(time_left(-40 * 60), "overdue by 40 min");
        assert_eq!(time_left(59), "0 min left");
    }
}
