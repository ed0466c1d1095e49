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
@media (max-width: 700px) { header.top { padding: 10px 12px; } main { padding: 12px; } .cards { grid-template-columns: 1fr; } header.top .who { margin-left: 0; } }
"#;

/// Appends the reader's local time to each `<time>`'s tooltip (the page shows shop time).
const SCRIPT: &str = r#"
document.querySelectorAll('time[datetime]').forEach(function (el) {
  var when = new Date(el.dateTime);
  if (!isNaN(when)) { el.title = el.title + ' · your time: ' + when.toLocaleString(); }
});
"#;

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
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
            (head(title))
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
    html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body {
                a class="skip" href="#content" { "Skip to content" }
                header class="top" {
                    a class="brand" href="/" { "shopcare" }
                    nav aria-label="Shops" {
                        ul {
                            li { a href="/" { "Overview" } }
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
