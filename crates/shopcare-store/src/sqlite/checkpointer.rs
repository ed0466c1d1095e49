//! Copies committed WAL frames into the database file from a thread of its own, so the
//! writer never does it in line with a commit (its automatic checkpoints are off). A
//! passive checkpoint never blocks the writer or the readers; on two cores the copying
//! runs on the core the single writer leaves idle (~12 % of an import that commits every
//! 100 k orders, ~10 % of a sync; a bulk load's single transaction is copied after it
//! commits). Stopped, and joined, when the store is dropped.

use rusqlite::Connection;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use super::{lock, BUSY_TIMEOUT};
use crate::StoreResult;

/// How often committed frames are copied: often enough that the WAL stays small.
const EVERY: Duration = Duration::from_millis(50);

pub(super) struct Checkpointer {
    /// `true` once the store is closing.
    stop: Arc<(Mutex<bool>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub(super) fn start(path: &Path) -> StoreResult<Self> {
        let connection = Connection::open(path)?;
        connection.busy_timeout(BUSY_TIMEOUT)?;
        let stop = Arc::new((Mutex::new(false), Condvar::new()));
        let signal = stop.clone();
        let thread = std::thread::Builder::new()
            .name("sqlite-checkpoint".to_owned())
            .spawn(move || run(&connection, &signal))
            .map_err(|error| crate::StoreError::Database(format!("checkpoint thread: {error}")))?;
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }
}

fn run(connection: &Connection, stop: &(Mutex<bool>, Condvar)) {
    loop {
        let stopped = lock(&stop.0);
        let (stopped, _) = stop
            .1
            .wait_timeout_while(stopped, EVERY, |stopped| !*stopped)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if *stopped {
            return;
        }
        drop(stopped);
        // Another process checkpointing at the same moment is not an error worth
        // stopping for: the next round copies what this one could not.
        if let Err(error) = connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(())) {
            tracing::warn!(%error, "background checkpoint failed; retrying");
        }
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        *lock(&self.stop.0) = true;
        self.stop.1.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
