//! `shopcare import orders FILE.jsonl`: one Partner-API-shaped order per line plus
//! `shop_id`. Lines are parsed on a blocking thread while the previous batch is
//! written, so parsing and writing overlap.

use super::{ImportError, ImportReport, RowProblem};
use shopcare_core::ShopId;
use shopcare_store::{Record, Store};
use shopcare_tiktok::dto::{order_from_dto, OrderDto};
use std::io::BufRead;
use std::sync::Arc;

/// Orders per transaction: big enough to amortise the commit, small enough to stream.
pub const BATCH_SIZE: usize = 10_000;

struct ParsedBatch {
    records: Vec<Record>,
    problems: Vec<RowProblem>,
    lines: u64,
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

/// Imports orders from a JSONL reader. With `strict`, nothing is written when any line
/// is bad (the file is held in memory until the last line is checked).
pub async fn import_orders<R: BufRead + Send + 'static>(
    store: &Arc<dyn Store>,
    reader: R,
    strict: bool,
) -> Result<ImportReport, ImportError> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Result<ParsedBatch, ImportError>>(1);
    let parser = tokio::task::spawn_blocking(move || {
        let mut batch = ParsedBatch {
            records: Vec::with_capacity(BATCH_SIZE),
            problems: Vec::new(),
            lines: 0,
        };
        for (index, line) in reader.lines().enumerate() {
            let line_number = index as u64 + 1;
            let line = match line {
                Ok(line) => line,
                Err(error) if error.kind() == std::io::ErrorKind::InvalidData => {
                    batch.problems.push(RowProblem {
                        line: line_number,
                        column: None,
                        message: "line is not valid UTF-8".to_owned(),
                    });
                    continue;
                }
                Err(error) => {
                    let _ = sender.blocking_send(Err(ImportError::Read {
                        path: "input".to_owned(),
                        source: error,
                    }));
                    return;
                }
            };
            if line.trim().is_empty() {
                continue;
            }
            batch.lines += 1;
            match parse_line(line_number, &line) {
                Ok(record) => batch.records.push(record),
                Err(problem) => batch.problems.push(problem),
            }
            if batch.records.len() == BATCH_SIZE {
                let full = std::mem::replace(
                    &mut batch,
                    ParsedBatch {
                        records: Vec::with_capacity(BATCH_SIZE),
                        problems: Vec::new(),
                        lines: 0,
                    },
                );
                if sender.blocking_send(Ok(full)).is_err() {
                    return;
                }
            }
        }
        let _ = sender.blocking_send(Ok(batch));
    });

    let mut report = ImportReport::default();
    let mut held_back = Vec::new();
    while let Some(batch) = receiver.recv().await {
        let batch = batch?;
        report.rows_read += batch.lines;
        report.problems.extend(batch.problems);
        if strict {
            // Keep everything until the whole file is known to be clean.
            held_back.extend(batch.records);
            continue;
        }
        if !batch.records.is_empty() {
            let outcome = store.apply(&batch.records, None).await?;
            report.inserted += outcome.inserted;
            report.updated += outcome.updated;
            report.unchanged += outcome.unchanged;
        }
    }
    parser
        .await
        .map_err(|error| ImportError::Format(format!("order parser failed: {error}")))?;
    if strict {
        if !report.problems.is_empty() {
            report.rejected = true;
            return Ok(report);
        }
        for chunk in held_back.chunks(BATCH_SIZE) {
            let outcome = store.apply(chunk, None).await?;
            report.inserted += outcome.inserted;
            report.updated += outcome.updated;
            report.unchanged += outcome.unchanged;
        }
    }
    Ok(report)
}
