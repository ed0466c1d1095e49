//! File imports: Partner-API-shaped orders as JSON Lines, and Seller Center review
//! exports as CSV or XLSX. Both report bad rows by line and column and write the good
//! ones (or nothing, with `strict`). Re-importing a file changes nothing: every row is
//! an idempotent upsert keyed by its platform id.

pub mod orders;
pub mod reviews;

/// One rejected row: where it is and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowProblem {
    /// 1-based line (JSONL, CSV: the line the row starts on) or row number (XLSX).
    pub line: u64,
    /// The column (header as written in the file) or JSON field at fault, if known.
    pub column: Option<String>,
    pub message: String,
}

impl std::fmt::Display for RowProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.column {
            Some(column) => write!(
                f,
                "line {}, column {:?}: {}",
                self.line, column, self.message
            ),
            None => write!(f, "line {}: {}", self.line, self.message),
        }
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub rows_read: u64,
    pub inserted: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub problems: Vec<RowProblem>,
    /// True when `strict` refused the whole file because of problems.
    pub rejected: bool,
}

impl ImportReport {
    pub fn written(&self) -> u64 {
        self.inserted + self.updated
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Format(String),
    #[error(transparent)]
    Store(#[from] shopcare_store::StoreError),
}
