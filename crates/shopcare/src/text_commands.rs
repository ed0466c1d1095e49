//! `shopcare classify` and `shopcare lint`: JSON Lines in on stdin, JSON Lines out.
//! A bad line gets an error line with its number; the other lines still get answers.

use anyhow::Context;
use serde_json::json;
use shopcare_core::classify::{self, Expected, RootCause, Sentiment};
use shopcare_core::compliance::{self, EvalCase, Rule, TextKind};
use shopcare_server::text_api::{classify_line, verdict_json, ClassifyLine, LintLine};
use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

/// Exit status for bad input.
const BAD_INPUT: u8 = 2;

/// Yields `(line_number, text)` for each non-blank line, or the error for a line that
/// is not UTF-8.
fn lines(reader: impl BufRead) -> impl Iterator<Item = (u64, Result<String, String>)> {
    reader
        .split(b'\n')
        .enumerate()
        .map(|(index, bytes)| {
            let number = index as u64 + 1;
            let text = bytes
                .map_err(|error| format!("cannot read input: {error}"))
                .and_then(|bytes| {
                    String::from_utf8(bytes).map_err(|_| "line is not valid UTF-8".to_owned())
                });
            (
                number,
                text.map(|text| text.trim_end_matches('\r').to_owned()),
            )
        })
        .filter(|(_, text)| text.as_ref().map_or(true, |text| !text.trim().is_empty()))
}

fn error_line(out: &mut impl Write, line: u64, message: &str) -> std::io::Result<()> {
    writeln!(out, "{}", json!({"line": line, "error": message}))
}

pub fn classify_stdin() -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut bad = false;
    for (number, line) in lines(stdin) {
        let parsed = line.and_then(|text| {
            serde_json::from_str::<ClassifyLine>(&text)
                .map_err(|error| format!("not a classify request: {error}"))
        });
        match parsed {
            Ok(request) => writeln!(out, "{}", classify_line(&request))?,
            Err(message) => {
                bad = true;
                error_line(&mut out, number, &message)?;
            }
        }
    }
    out.flush()?;
    Ok(if bad {
        ExitCode::from(BAD_INPUT)
    } else {
        ExitCode::SUCCESS
    })
}

pub fn classify_eval(path: &Path) -> anyhow::Result<ExitCode> {
    let reader = std::io::BufReader::new(
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
    );
    let mut cases = Vec::new();
    for (number, line) in lines(reader) {
        let line = line.map_err(|message| anyhow::anyhow!("line {number}: {message}"))?;
        let request: ClassifyLine =
            serde_json::from_str(&line).with_context(|| format!("line {number}"))?;
        let expected = request
            .expected
            .as_ref()
            .with_context(|| format!("line {number}: no \"expected\" labels"))?;
        let label = |key: &str| {
            expected[key]
                .as_str()
                .with_context(|| format!("line {number}: expected.{key} missing"))
        };
        let expected = Expected {
            sentiment: Sentiment::parse(label("sentiment")?)
                .map_err(|error| anyhow::anyhow!("line {number}: {error}"))?,
            root_cause: RootCause::parse(label("root_cause")?)
                .map_err(|error| anyhow::anyhow!("line {number}: {error}"))?,
            seller_related: expected["seller_related"]
                .as_bool()
                .with_context(|| format!("line {number}: expected.seller_related missing"))?,
            language: label("language")?.to_owned(),
        };
        cases.push((request.to_input(), expected));
    }
    print!("{}", classify::evaluate(&cases));
    Ok(ExitCode::SUCCESS)
}

fn lint_request(text: &str) -> Result<(LintLine, TextKind), String> {
    let request: LintLine =
        serde_json::from_str(text).map_err(|error| format!("not a lint request: {error}"))?;
    let kind = TextKind::parse(&request.kind).map_err(|_| {
        format!(
            "unknown kind {:?}: expected review_reply, review_request, chat_message or listing",
            request.kind
        )
    })?;
    Ok((request, kind))
}

pub fn lint_stdin() -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin().lock();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let (mut bad, mut failed) = (false, false);
    for (number, line) in lines(stdin) {
        match line.and_then(|text| lint_request(&text)) {
            Ok((request, kind)) => {
                let verdict = compliance::check(&request.text, kind, request.market.as_deref());
                failed |= !verdict.ok;
                let mut answer = verdict_json(&verdict);
                answer["id"] = request.id;
                writeln!(out, "{answer}")?;
            }
            Err(message) => {
                bad = true;
                eprintln!("line {number}: {message}");
                error_line(&mut out, number, &message)?;
            }
        }
    }
    out.flush()?;
    Ok(match (bad, failed) {
        (true, _) => ExitCode::from(BAD_INPUT),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    })
}

pub fn lint_eval(path: &Path) -> anyhow::Result<ExitCode> {
    let reader = std::io::BufReader::new(
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?,
    );
    let mut cases = Vec::new();
    for (number, line) in lines(reader) {
        let line = line.map_err(|message| anyhow::anyhow!("line {number}: {message}"))?;
        let (request, kind) =
            lint_request(&line).map_err(|message| anyhow::anyhow!("line {number}: {message}"))?;
        let expected = request
            .expected
            .with_context(|| format!("line {number}: no \"expected\" rules"))?
            .iter()
            .map(|rule| {
                Rule::parse(rule)
                    .map_err(|_| anyhow::anyhow!("line {number}: unknown rule {rule:?}"))
            })
            .collect::<anyhow::Result<Vec<_>>>()?;
        cases.push(EvalCase {
            id: request
                .id
                .as_str()
                .map_or_else(|| request.id.to_string(), str::to_owned),
            kind,
            market: request.market,
            text: request.text,
            expected,
        });
    }
    print!("{}", compliance::evaluate(&cases));
    Ok(ExitCode::SUCCESS)
}
