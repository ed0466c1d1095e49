//! Values passed to and returned by the [`crate::Store`] trait.

use shopcare_core::{
    AfterSalesCase, Cancellation, Conversation, Message, Order, OrderId, Package, Product, Review,
    ShopId, Timestamp, TrackingEvent,
};

/// One thing to upsert. Sync, webhooks and imports all write through this.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Order(Order),
    Package(Package),
    /// The full tracking history of one order; replaces what was stored when newer.
    Tracking {
        order_id: OrderId,
        shop_id: ShopId,
        events: Vec<TrackingEvent>,
    },
    Case(AfterSalesCase),
    Cancellation(Cancellation),
    Conversation(Conversation),
    Message(Message),
    Product(Product),
    Review(Review),
}

/// A resource synced from the Partner API, each with its own checkpoint per shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SyncResource {
    Orders,
    Packages,
    Returns,
    Cancellations,
    Conversations,
    Products,
}

impl SyncResource {
    pub const ALL: [SyncResource; 6] = [
        SyncResource::Orders,
        SyncResource::Packages,
        SyncResource::Returns,
        SyncResource::Cancellations,
        SyncResource::Conversations,
        SyncResource::Products,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SyncResource::Orders => "orders",
            SyncResource::Packages => "packages",
            SyncResource::Returns => "returns",
            SyncResource::Cancellations => "cancellations",
            SyncResource::Conversations => "conversations",
            SyncResource::Products => "products",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|resource| resource.as_str() == value)
    }
}

/// Where a shop's sync of one resource stands. A sync walks `update_time` windows
/// `[window_start, window_end)`; inside a window it follows the platform's cursor.
/// Saved with each page, so a killed sync resumes exactly where it stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncCheckpoint {
    pub shop_id: ShopId,
    pub resource: SyncResource,
    pub window_start: Timestamp,
    pub window_end: Timestamp,
    /// Cursor of the next page inside the window; `None` when the window is finished.
    pub page_token: Option<String>,
    /// Everything updated before this instant is in the store.
    pub synced_until: Option<Timestamp>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ApplyOutcome {
    pub inserted: u64,
    pub updated: u64,
    /// Same or older `update_time` than stored: nothing changed.
    pub unchanged: u64,
}

impl std::iter::Sum for ApplyOutcome {
    fn sum<I: Iterator<Item = Self>>(outcomes: I) -> Self {
        let mut total = Self::default();
        for outcome in outcomes {
            total += outcome;
        }
        total
    }
}

impl std::ops::AddAssign for ApplyOutcome {
    fn add_assign(&mut self, other: Self) {
        self.inserted += other.inserted;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
    }
}

/// A seller's OAuth grant. Tokens are plaintext here and encrypted by the store.
#[derive(Clone, PartialEq, Eq)]
pub struct SellerCredentials {
    pub open_id: String,
    pub seller_name: String,
    pub base_region: String,
    pub access_token: String,
    pub access_token_expires_at: Timestamp,
    pub refresh_token: String,
    pub refresh_token_expires_at: Timestamp,
    pub shop_ids: Vec<ShopId>,
}

impl std::fmt::Debug for SellerCredentials {
    // Tokens never reach logs.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SellerCredentials")
            .field("open_id", &self.open_id)
            .field("seller_name", &self.seller_name)
            .field("access_token_expires_at", &self.access_token_expires_at)
            .field("shop_ids", &self.shop_ids)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ReviewFilter {
    pub shop_ids: Option<Vec<ShopId>>,
    pub min_rating: Option<u8>,
    pub max_rating: Option<u8>,
    pub created_from: Option<Timestamp>,
    pub created_before: Option<Timestamp>,
    pub limit: Option<u32>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EntityCounts {
    pub shops: u64,
    pub orders: u64,
    pub packages: u64,
    pub tracking_events: u64,
    pub cases: u64,
    pub cancellations: u64,
    pub conversations: u64,
    pub messages: u64,
    pub products: u64,
    pub reviews: u64,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SummaryOptions {
    /// "New" reviews are those created in the last this many hours.
    pub new_review_hours: i64,
    /// An order is at risk of late dispatch when its ship-by time is within this many hours.
    pub dispatch_risk_hours: i64,
    /// Tracking idle this long (hours) counts as stalled.
    pub stalled_tracking_hours: i64,
    /// Whether to list the open cases (`ShopSummary::waiting_cases`); a caller with its
    /// own case queue skips reading thousands of rows it would not show.
    pub list_waiting_cases: bool,
}

impl Default for SummaryOptions {
    fn default() -> Self {
        Self {
            new_review_hours: 24,
            dispatch_risk_hours: 24,
            stalled_tracking_hours: 72,
            list_waiting_cases: true,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ShopSummary {
    pub shop_id: ShopId,
    pub new_reviews: u64,
    pub new_negative_reviews: u64,
    /// Open after-sales cases with the platform deadline, soonest first (empty unless
    /// `SummaryOptions::list_waiting_cases`).
    pub waiting_cases: Vec<WaitingCase>,
    pub orders_at_dispatch_risk: u64,
    pub orders_past_ship_by: u64,
    pub stalled_tracking: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WaitingCase {
    pub case_id: shopcare_core::CaseId,
    pub kind: shopcare_core::AfterSalesKind,
    pub status: shopcare_core::ReturnStatus,
    pub deadline: Option<Timestamp>,
}

/// A verified webhook delivery, as received.
#[derive(Debug, Clone, PartialEq)]
pub struct InboundWebhook {
    /// `tts_notification_id`, or a digest of the body when the platform omitted it.
    pub notification_id: String,
    pub event_type: i64,
    pub shop_id: Option<ShopId>,
    pub timestamp: Option<i64>,
    /// The exact bytes received (UTF-8 JSON).
    pub body: String,
    pub received_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewJob {
    /// What to do, e.g. `webhook`, `sync_shop`, `alert`, `timeline_message`.
    pub kind: String,
    /// At most one job per key, ever: re-enqueueing the same key is a no-op.
    pub dedupe_key: String,
    pub payload: String,
    pub due_at: Timestamp,
    pub max_attempts: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct JobClaim {
    pub worker: String,
    pub now: Timestamp,
    pub lease: chrono::Duration,
    pub limit: u32,
    pub kinds: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub id: i64,
    pub kind: String,
    pub dedupe_key: String,
    pub payload: String,
    pub due_at: Timestamp,
    /// Attempts including the current one.
    pub attempts: u32,
    pub max_attempts: u32,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JobCounts {
    pub pending: u64,
    pub leased: u64,
    pub done: u64,
    pub dead: u64,
}
