//! Group commit for the pages of concurrent shop syncs. Each shop's walk keeps a few
//! page writes waiting while it fetches the next page; the pages go in together through
//! [`Store::apply_group`], so the shops syncing at once share SQLite commits instead of
//! paying for one each. A commit writes out every page of a table or index it dirtied,
//! and pages sorted by update time insert orders at scattered ids, so one commit per
//! 100-order page made the writer the bottleneck of a sync.
//!
//! Pages are written in the order they arrive. A page that fails marks its walk
//! ([`PageStream`]) so nothing later of that walk is written: a checkpoint never moves
//! past a page that is not stored.

use shopcare_store::{ApplyOutcome, Record, Store, StoreError, StoreResult, SyncCheckpoint};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::{oneshot, Notify};

/// Pages per group at most: a bound on one transaction (6 400 orders), not a target. On a
/// 200 k-order sync 32 gave 16.5 k orders/s, 64 19.7 k; 128 (with 32 writes per walk)
/// 20.4 k, within noise, for 25 MB more.
const MAX_GROUP: usize = 64;
/// How long a group waits for the pages of shops still fetching: about one page fetch
/// from a nearby platform, and small next to a real one.
const GATHER: Duration = Duration::from_millis(10);

pub struct PageWriter {
    store: Arc<dyn Store>,
    queue: Mutex<Queue>,
    /// A page arrived or a shop stopped syncing.
    changed: Notify,
}

#[derive(Default)]
struct Queue {
    waiting: Vec<Page>,
    /// A task is writing groups until `waiting` is empty.
    writing: bool,
    /// Shop walks under way (see [`PageWriter::producer`]).
    producers: usize,
}

struct Page {
    records: Vec<Record>,
    checkpoint: SyncCheckpoint,
    stream: Arc<PageStream>,
    written: oneshot::Sender<StoreResult<ApplyOutcome>>,
}

/// One walk through a resource's pages: once a page of it failed, its later pages are
/// refused rather than written.
#[derive(Debug, Default)]
pub struct PageStream {
    failed: AtomicBool,
}

impl PageStream {
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }
}

impl PageWriter {
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            queue: Mutex::new(Queue::default()),
            changed: Notify::new(),
        }
    }

    /// Marks one shop walk as under way until the guard is dropped, so groups wait
    /// (briefly) for its pages.
    pub fn producer(&self) -> Producer<'_> {
        self.lock().producers += 1;
        Producer(self)
    }

    /// Writes `records` with `checkpoint`, after every page `stream` sent before, in a
    /// transaction perhaps shared with other shops' pages; returns this page's outcome
    /// once it is committed.
    pub async fn write(
        self: &Arc<Self>,
        records: Vec<Record>,
        checkpoint: SyncCheckpoint,
        stream: &Arc<PageStream>,
    ) -> StoreResult<ApplyOutcome> {
        let (written, outcome) = oneshot::channel();
        let start_writer = {
            let mut queue = self.lock();
            queue.waiting.push(Page {
                records,
                checkpoint,
                stream: stream.clone(),
                written,
            });
            !std::mem::replace(&mut queue.writing, true)
        };
        self.changed.notify_waiters();
        if start_writer {
            // A task of its own: each caller gets its outcome as soon as its group is
            // committed, not after every group queued behind it.
            let writer = self.clone();
            tokio::spawn(async move { writer.write_queue().await });
        }
        outcome.await.unwrap_or_else(|_| {
            Err(StoreError::Database(
                "the page writer stopped before this page was written".to_owned(),
            ))
        })
    }

    /// Writes groups until the queue is empty.
    async fn write_queue(&self) {
        let mut writing = Writing {
            writer: self,
            handed_back: false,
        };
        loop {
            self.gather().await;
            let group: Vec<Page> = {
                let mut queue = self.lock();
                if queue.waiting.is_empty() {
                    // Under the lock: a page arriving after this starts a new writer.
                    queue.writing = false;
                    writing.handed_back = true;
                    return;
                }
                let take = queue.waiting.len().min(MAX_GROUP);
                queue.waiting.drain(..take).collect()
            };
            self.write_group(group).await;
        }
    }

    /// Waits up to [`GATHER`] until there are as many pages waiting as shops syncing.
    async fn gather(&self) {
        let deadline = tokio::time::Instant::now() + GATHER;
        loop {
            // Registered before the check, so a page arriving in between still wakes us.
            let changed = self.changed.notified();
            {
                let queue = self.lock();
                if queue.waiting.len() >= queue.producers.clamp(1, MAX_GROUP) {
                    return;
                }
            }
            if tokio::time::timeout_at(deadline, changed).await.is_err() {
                return;
            }
        }
    }

    async fn write_group(&self, group: Vec<Page>) {
        let (refused, group): (Vec<Page>, Vec<Page>) = group
            .into_iter()
            .partition(|page| page.stream.failed.load(Ordering::SeqCst));
        for page in refused {
            refuse(page);
        }
        let batches: Vec<(&[Record], Option<&SyncCheckpoint>)> = group
            .iter()
            .map(|page| (page.records.as_slice(), Some(&page.checkpoint)))
            .collect();
        if batches.is_empty() {
            return;
        }
        match self.store.apply_group(&batches).await {
            Ok(outcomes) => {
                for (page, outcome) in group.into_iter().zip(outcomes) {
                    let _ = page.written.send(Ok(outcome));
                }
            }
            // One bad page must not fail other shops' pages: write each alone, in order.
            Err(_) if group.len() > 1 => {
                for page in group {
                    if page.stream.failed.load(Ordering::SeqCst) {
                        refuse(page);
                        continue;
                    }
                    let outcome = self
                        .store
                        .apply(&page.records, Some(&page.checkpoint))
                        .await;
                    if outcome.is_err() {
                        page.stream.failed.store(true, Ordering::SeqCst);
                    }
                    let _ = page.written.send(outcome);
                }
            }
            // A group of one page: its caller gets the store's own error.
            Err(error) => {
                if let Some(page) = group.into_iter().next() {
                    page.stream.failed.store(true, Ordering::SeqCst);
                    let _ = page.written.send(Err(error));
                }
            }
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Answers a page of a failed walk without writing it.
fn refuse(page: Page) {
    let _ = page.written.send(Err(StoreError::Database(
        "not written: an earlier page of this sync failed".to_owned(),
    )));
}

/// One shop walk under way; see [`PageWriter::producer`].
pub struct Producer<'a>(&'a PageWriter);

impl Drop for Producer<'_> {
    fn drop(&mut self) {
        self.0.lock().producers -= 1;
        self.0.changed.notify_waiters();
    }
}

/// The writer role. A writer stopped by a panic hands it back and fails the waiting
/// pages (their callers see an error) rather than leave them waiting for nobody.
struct Writing<'a> {
    writer: &'a PageWriter,
    handed_back: bool,
}

impl Drop for Writing<'_> {
    fn drop(&mut self) {
        if !self.handed_back {
            let mut queue = self.writer.lock();
            queue.writing = false;
            for page in queue.waiting.drain(..) {
                page.stream.failed.store(true, Ordering::SeqCst);
            }
        }
    }
}
