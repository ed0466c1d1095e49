//! `shopcare import orders FILE.jsonl`: one Partner-API-shaped order per line plus
//! `shop_id`. Lines are parsed on a blocking thread while the previous batch is
//! written, so parsing and writing overlap.

use super::{ImportError, ImportReport, RowProblem};
use shopcare_core::ShopId;
use shopcare_store::{ApplyOutcome, Record, Store};
use shopcare_tiktok::dto::{order_from_dto, OrderDto};
use std::io::BufRead;
use std::sync::Arc;

/// Orders per batch handed from the parser to the store: parsing and writing overlap
/// batch by batch, and at most three batches are in memory at once.
pub const BATCH_SIZE: usize = 5_000;

/// Orders per SQLite transaction. A commit writes every index page the transaction
/// dirtied, and random keys (buyers, SKUs) dirty a page per order: a 1 M-order import
/// committed every 10 k orders took 43 s, every 50 k 29 s.
const ORDERS_PER_COMMIT: usize = 100_000;

/// What the parser found besides the orders it handed on.
#[derive(Default)]
struct ParseSummary {
    lines: u64,
    problems: Vec<RowProblem>,
}

/// Parses one JSONL line into a record, or says what is wrong with it.
fn parse_line(line_number: u64, line: &str) -> Result<Record, RowProblem> {
    let problem = |column: Option<&str>, message: String| RowProblem {
        line: line_number,
        column: column.map(str::to_owned),
        message,
    };
    let mut order: OrderDto = serde_json::from_str(line)
        .map_err(|error| problem(None, format!("not a valid order object: {error}")))?;
    let shop_id = match order.shop_id.take().filter(|id| !id.is_empty()) {
        Some(id) => ShopId::new(id),
        None => {
            return Err(problem(
                Some("shop_id"),
                "missing or empty shop_id".to_owned(),
            ))
        }
    };
    let order =
        order_from_dto(&shop_id, order).map_err(|error| problem(None, error.to_string()))?;
    Ok(Record::Order(order))
}

/// Reads every line, handing the parsed orders to `deliver` in batches of
/// [`BATCH_SIZE`]; stops early when `deliver` returns false (the writer gave up).
fn parse_all<R: BufRead>(
    reader: R,
    mut deliver: impl FnMut(Vec<Record>) -> bool,
) -> Result<ParseSummary, ImportError> {
    let mut summary = ParseSummary::default();
    let mut batch = Vec::with_capacity(BATCH_SIZE);
    for (index, line) in reader.lines().enumerate() {
        let line_number = index as u64 + 1;
        let line = match line {
            Ok(line) => line,
            Err(error) if error.kind() == std::io::ErrorKind::InvalidData => {
                summary.problems.push(RowProblem {
                    line: line_number,
                    column: None,
                    message: "line is not valid UTF-8".to_owned(),
                });
                continue;
            }
            Err(error) => {
                return Err(ImportError::Read {
                    path: "input".to_owned(),
                    source: error,
                })
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        summary.lines += 1;
        match parse_line(line_number, &line) {
            Ok(record) => batch.push(record),
            Err(problem) => summary.problems.push(problem),
        }
        if batch.len() == BATCH_SIZE
            && !deliver(std::mem::replace(
                &mut batch,
                Vec::with_capacity(BATCH_SIZE),
            ))
        {
            return Ok(summary);
        }
    }
    if !batch.is_empty() {
        deliver(batch);
    }
    Ok(summary)
}

/// Imports orders from a JSONL reader. With `strict`, nothing is written when any line
/// is bad (the file is held in memory until the last line is checked).
pub async fn import_orders<R: BufRead + Send + 'static>(
    store: &Arc<dyn Store>,
    reader: R,
    strict: bool,
) -> Result<ImportReport, ImportError> {
    let parser_failed = |error: tokio::task::JoinError| {
        ImportError::Format(format!("order parser failed: {error}"))
    };
    let mut report = ImportReport::default();
    let outcome = if strict {
        let (summary, held) = tokio::task::spawn_blocking(move || {
            let mut held = Vec::new();
            parse_all(reader, |batch| {
                held.extend(batch);
                true
            })
            .map(|summary| (summary, held))
        })
        .await
        .map_err(parser_failed)??;
        report.rows_read = summary.lines;
        report.problems = summary.problems;
        if !report.problems.is_empty() {
            report.rejected = true;
            return Ok(report);
        }
        let mut outcome = ApplyOutcome::default();
        for chunk in held.chunks(BATCH_SIZE) {
            outcome += store.apply(chunk, None).await?;
        }
        outcome
    } else {
        let (sender, batches) = std::sync::mpsc::sync_channel::<Vec<Record>>(1);
        let parser = tokio::task::spawn_blocking(move || {
            parse_all(reader, |batch| sender.send(batch).is_ok())
        });
        // The parser stops when the store gives up; a read error ends the batches, and
        // what came before it is kept.
        let written = store.apply_all(batches, ORDERS_PER_COMMIT).await;
        let summary = parser.await.map_err(parser_failed)??;
        report.rows_read = summary.lines;
        report.problems = summary.problems;
        written?
    };
    report.inserted = outcome.inserted;
    report.updated = outcome.updated;
    report.unchanged = outcome.unchanged;
    Ok(report)
}
