//! The support desk's persistence: tickets (state, category, priority, agent, checklist),
//! saved replies, the chat flags the platform does not give us (holiday-mode and chatbot
//! periods, blocked buyers, broadcast and auto-reply markers), the reply outbox (which
//! agent sent which message), issue reports and the voice-of-customer log — plus the
//! read queries the response-time engine and ticket context need.

use crate::encode::{Param, RowReader};
use crate::{StoreError, StoreResult};
use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use shopcare_core::support::ChatThread;
use shopcare_core::{
    BuyerId, Conversation, ConversationId, Message, MessageId, SenderRole, ShopId, Timestamp,
};

/// One checklist step as stored (the core `ChecklistEntry`, by name).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketStepRecord {
    pub step: String,
    pub done_at: Timestamp,
    pub by: String,
    pub detail: Option<String>,
    pub skipped: bool,
}

/// A ticket: one per conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRecord {
    pub conversation_id: String,
    pub shop_id: ShopId,
    pub buyer_id: Option<String>,
    /// `open` or `solved`.
    pub state: String,
    /// The category an agent confirmed (or the suggestion until then).
    pub category: Option<String>,
    pub suggested_category: Option<String>,
    /// `normal`, `high` or `urgent`.
    pub priority: String,
    pub priority_reasons: Vec<String>,
    pub assigned_agent: Option<String>,
    pub order_id: Option<String>,
    pub sku_id: Option<String>,
    pub root_cause_tag: Option<String>,
    pub checklist: Vec<TicketStepRecord>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// Which tickets [`SupportStore::list_tickets`] returns.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TicketFilter {
    /// `None`: every shop.
    pub shops: Option<Vec<ShopId>>,
    pub state: Option<String>,
}

/// A saved reply for the composer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedReplyRecord {
    pub reply_id: String,
    /// `None`: offered for every shop.
    pub shop_id: Option<ShopId>,
    pub name: String,
    pub category: String,
    pub language: String,
    pub body: String,
    pub updated_by: String,
    pub updated_at: Timestamp,
}

/// A holiday-mode or chatbot period of a shop.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatPeriodRecord {
    pub shop_id: ShopId,
    /// `holiday_mode` or `chatbot`.
    pub kind: String,
    pub starts_at: Timestamp,
    pub ends_at: Option<Timestamp>,
}

/// A marker on a message: `broadcast` or `auto_reply`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageMarkRecord {
    pub message_id: String,
    pub shop_id: ShopId,
    pub mark: String,
}

/// Where an outgoing reply is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SupportReplyState {
    Pending,
    Sent,
    Failed,
}

impl SupportReplyState {
    pub fn as_str(self) -> &'static str {
        match self {
            SupportReplyState::Pending => "pending",
            SupportReplyState::Sent => "sent",
            SupportReplyState::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "pending" => SupportReplyState::Pending,
            "sent" => SupportReplyState::Sent,
            "failed" => SupportReplyState::Failed,
            _ => return None,
        })
    }
}

/// A chat reply to send, written before the Partner API is called.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewSupportReply {
    pub reply_id: String,
    /// The same command twice maps to one reply.
    pub command_key: String,
    pub conversation_id: String,
    pub shop_id: ShopId,
    pub text: String,
    /// The shopcare user sending it.
    pub agent: String,
    pub created_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SupportReplyRecord {
    #[serde(flatten)]
    pub reply: NewSupportReply,
    pub state: SupportReplyState,
    /// The platform's id of the sent message.
    pub message_id: Option<String>,
    pub attempts: u32,
    pub last_error: Option<String>,
    pub sent_at: Option<Timestamp>,
}

/// A buyer reporting a problem (ticket, chat, comment or review) for the VoC log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IssueReportRecord {
    pub shop_id: ShopId,
    pub reported_at: Timestamp,
    pub category: String,
    pub root_cause: String,
    pub sku_id: Option<String>,
    /// `chat`, `comment` or `review`.
    pub source: String,
    pub source_id: String,
}

/// A voice-of-customer entry: an issue, who fixes it and when the fix shipped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VocEntryRecord {
    pub entry_id: String,
    pub shop_id: ShopId,
    pub category: String,
    pub root_cause: String,
    pub sku_ids: Vec<String>,
    /// `ops`, `creative` or `supplier`.
    pub fix_owner: Option<String>,
    pub fix_shipped_on: Option<chrono::NaiveDate>,
    pub note: Option<String>,
    pub updated_at: Timestamp,
}

/// What the store knows about a buyer in one shop, for a ticket's context and priority.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerContext {
    pub latest_order_id: Option<String>,
    pub tracking_number: Option<String>,
    pub carrier: Option<String>,
    /// The first SKU of the latest order.
    pub sku_id: Option<String>,
    pub lowest_review_stars: Option<u8>,
    /// The buyer's after-sales cases: id, platform status, seller deadline if observed.
    pub cases: Vec<(String, String, Option<Timestamp>)>,
}

#[async_trait]
pub trait SupportStore: Send + Sync {
    // ---- tickets ------------------------------------------------------------------------

    /// Creates the ticket, or replaces it (keyed by conversation).
    async fn save_ticket(&self, ticket: &TicketRecord) -> StoreResult<()>;
    /// Creates the ticket unless its conversation has one; returns whether it was new.
    async fn create_ticket(&self, ticket: &TicketRecord) -> StoreResult<bool>;
    async fn ticket(&self, conversation_id: &str) -> StoreResult<Option<TicketRecord>>;
    /// Tickets matching `filter`, most recently updated first.
    async fn list_tickets(&self, filter: &TicketFilter) -> StoreResult<Vec<TicketRecord>>;
    /// Conversations of `shops` (all when `None`) with no ticket yet, oldest first.
    async fn conversations_without_ticket(
        &self,
        shops: Option<&[ShopId]>,
        limit: u32,
    ) -> StoreResult<Vec<String>>;

    // ---- chats ----------------------------------------------------------------------------

    /// A conversation and all its messages.
    async fn chat_thread(&self, conversation_id: &str) -> StoreResult<Option<ChatThread>>;
    /// The shop's conversations that have a message in `[from, until)`, with every
    /// message created before `until`.
    async fn chat_threads(
        &self,
        shop_id: &ShopId,
        from: Timestamp,
        until: Timestamp,
    ) -> StoreResult<Vec<ChatThread>>;
    async fn buyer_context(&self, shop_id: &ShopId, buyer_id: &str) -> StoreResult<BuyerContext>;

    // ---- flags ----------------------------------------------------------------------------

    async fn add_chat_period(&self, period: &ChatPeriodRecord) -> StoreResult<()>;
    async fn chat_periods(&self, shop_id: &ShopId) -> StoreResult<Vec<ChatPeriodRecord>>;
    /// Blocks (or unblocks) a buyer of a shop.
    async fn set_buyer_blocked(
        &self,
        shop_id: &ShopId,
        buyer_id: &str,
        blocked: bool,
        at: Timestamp,
    ) -> StoreResult<()>;
    async fn blocked_buyers(&self, shop_id: &ShopId) -> StoreResult<Vec<String>>;
    /// Marks messages; a message keeps its first mark.
    async fn mark_messages(&self, marks: &[MessageMarkRecord]) -> StoreResult<()>;
    async fn message_marks(&self, shop_id: &ShopId) -> StoreResult<Vec<MessageMarkRecord>>;

    // ---- saved replies ------------------------------------------------------------------

    async fn save_saved_reply(&self, reply: &SavedReplyRecord) -> StoreResult<()>;
    async fn saved_reply(&self, reply_id: &str) -> StoreResult<Option<SavedReplyRecord>>;
    /// Replies for `shop_id` (its own and the all-shop ones), by category and name.
    async fn saved_replies(&self, shop_id: &ShopId) -> StoreResult<Vec<SavedReplyRecord>>;
    async fn delete_saved_reply(&self, reply_id: &str) -> StoreResult<bool>;

    // ---- reply outbox ---------------------------------------------------------------------

    /// Writes a reply unless one with the same `command_key` exists; returns the stored
    /// reply and whether it is new.
    async fn create_support_reply(
        &self,
        reply: &NewSupportReply,
    ) -> StoreResult<(SupportReplyRecord, bool)>;
    async fn support_reply(&self, reply_id: &str) -> StoreResult<Option<SupportReplyRecord>>;
    /// Records an attempt: `Sent` with the platform's message id, `Failed`, or still
    /// `Pending` with the error. A sent reply is never moved back.
    async fn update_support_reply(
        &self,
        reply_id: &str,
        state: SupportReplyState,
        message_id: Option<&str>,
        error: Option<&str>,
        at: Timestamp,
    ) -> StoreResult<()>;
    /// `(platform message id, agent)` of the shop's sent replies.
    async fn reply_agents(&self, shop_id: &ShopId) -> StoreResult<Vec<(String, String)>>;

    // ---- voice of customer ----------------------------------------------------------------

    /// Adds reports; one `(source, source_id, root_cause)` is kept once. Returns how many
    /// were new.
    async fn add_issue_reports(&self, reports: &[IssueReportRecord]) -> StoreResult<u64>;
    async fn issue_reports(
        &self,
        shops: Option<&[ShopId]>,
        since: Timestamp,
    ) -> StoreResult<Vec<IssueReportRecord>>;
    async fn save_voc_entry(&self, entry: &VocEntryRecord) -> StoreResult<()>;
    async fn voc_entries(&self, shops: Option<&[ShopId]>) -> StoreResult<Vec<VocEntryRecord>>;
    /// Dated order lines, after-sales requests and 1–2★ reviews of `sku_ids` in one shop
    /// within `[from, until)`, for a fix's before/after comparison.
    async fn sku_activity(
        &self,
        shop_id: &ShopId,
        sku_ids: &[String],
        from: Timestamp,
        until: Timestamp,
    ) -> StoreResult<SkuActivity>;
}

/// Dated events per SKU (`(sku_id, time)`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkuActivity {
    /// One entry per order line (the platform repeats lines instead of a quantity).
    pub order_lines: Vec<(String, Timestamp)>,
    /// One entry per after-sales request and SKU of its order.
    pub requests: Vec<(String, Timestamp)>,
    /// Reviews of 1–2 stars that name the SKU.
    pub negative_reviews: Vec<(String, Timestamp)>,
}

// ---- SQL and row codecs shared by both backends -------------------------------------------

const TICKET_COLUMNS: &str = "conversation_id, shop_id, buyer_id, state, category,
        suggested_category, priority, priority_reasons, assigned_agent, order_id, sku_id,
        root_cause_tag, checklist, created_at, updated_at";

pub(crate) static SAVE_TICKET: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "INSERT INTO support_tickets ({TICKET_COLUMNS})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
        ON CONFLICT (conversation_id) DO UPDATE SET shop_id = excluded.shop_id,
            buyer_id = excluded.buyer_id, state = excluded.state,
            category = excluded.category, suggested_category = excluded.suggested_category,
            priority = excluded.priority, priority_reasons = excluded.priority_reasons,
            assigned_agent = excluded.assigned_agent, order_id = excluded.order_id,
            sku_id = excluded.sku_id, root_cause_tag = excluded.root_cause_tag,
            checklist = excluded.checklist, updated_at = excluded.updated_at"
    )
});

pub(crate) static CREATE_TICKET: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "INSERT INTO support_tickets ({TICKET_COLUMNS})
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
        ON CONFLICT (conversation_id) DO NOTHING"
    )
});

pub(crate) static SELECT_TICKET: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("SELECT {TICKET_COLUMNS} FROM support_tickets WHERE conversation_id = $1")
});

pub(crate) fn ticket_params(ticket: &TicketRecord) -> StoreResult<Vec<Param<'_>>> {
    let checklist = serde_json::to_string(&ticket.checklist)
        .map_err(|error| StoreError::Database(format!("encoding a checklist: {error}")))?;
    Ok(vec![
        Param::text(&ticket.conversation_id),
        Param::text(ticket.shop_id.as_str()),
        Param::opt_text(ticket.buyer_id.as_deref()),
        Param::text(&ticket.state),
        Param::opt_text(ticket.category.as_deref()),
        Param::opt_text(ticket.suggested_category.as_deref()),
        Param::text(&ticket.priority),
        Param::owned(crate::encode::ids_to_json(&ticket.priority_reasons)),
        Param::opt_text(ticket.assigned_agent.as_deref()),
        Param::opt_text(ticket.order_id.as_deref()),
        Param::opt_text(ticket.sku_id.as_deref()),
        Param::opt_text(ticket.root_cause_tag.as_deref()),
        Param::owned(checklist),
        Param::time(ticket.created_at),
        Param::time(ticket.updated_at),
    ])
}

pub(crate) fn ticket_from_row(row: &impl RowReader) -> StoreResult<TicketRecord> {
    let checklist: Vec<TicketStepRecord> = serde_json::from_str(&row.text(12)?)
        .map_err(|error| StoreError::Corrupt(format!("ticket checklist: {error}")))?;
    Ok(TicketRecord {
        conversation_id: row.text(0)?,
        shop_id: ShopId::new(row.text(1)?),
        buyer_id: row.opt_text(2)?,
        state: row.text(3)?,
        category: row.opt_text(4)?,
        suggested_category: row.opt_text(5)?,
        priority: row.text(6)?,
        priority_reasons: crate::encode::ids_from_json(&row.text(7)?)?,
        assigned_agent: row.opt_text(8)?,
        order_id: row.opt_text(9)?,
        sku_id: row.opt_text(10)?,
        root_cause_tag: row.opt_text(11)?,
        checklist,
        created_at: row.time(13)?,
        updated_at: row.time(14)?,
    })
}

/// The `list_tickets` query for `filter`, with its parameters.
pub(crate) fn list_tickets_query(filter: &TicketFilter) -> (String, Vec<Param<'_>>) {
    let mut sql = format!("SELECT {TICKET_COLUMNS} FROM support_tickets WHERE 1 = 1");
    let mut params: Vec<Param<'_>> = Vec::new();
    push_shop_filter(&mut sql, &mut params, "shop_id", filter.shops.as_deref());
    if let Some(state) = &filter.state {
        params.push(Param::text(state));
        sql.push_str(&format!(" AND state = ${}", params.len()));
    }
    sql.push_str(" ORDER BY updated_at DESC, conversation_id");
    (sql, params)
}

/// Conversations with no ticket; `$1` is the limit.
pub(crate) fn conversations_without_ticket_query(
    shops: Option<&[ShopId]>,
    limit: u32,
) -> (String, Vec<Param<'_>>) {
    let mut params = vec![Param::int(i64::from(limit))];
    let mut sql = String::from(
        "SELECT c.conversation_id FROM conversations c
        LEFT JOIN support_tickets t ON t.conversation_id = c.conversation_id
        WHERE t.conversation_id IS NULL",
    );
    push_shop_filter(&mut sql, &mut params, "c.shop_id", shops);
    sql.push_str(" ORDER BY c.create_time, c.conversation_id LIMIT $1");
    (sql, params)
}

/// Adds `AND column IN (...)` for a shop filter (`None`: no condition; empty: nothing).
fn push_shop_filter<'a>(
    sql: &mut String,
    params: &mut Vec<Param<'a>>,
    column: &str,
    shops: Option<&'a [ShopId]>,
) {
    let Some(shops) = shops else { return };
    if shops.is_empty() {
        sql.push_str(" AND 1 = 0");
        return;
    }
    let mut names = Vec::with_capacity(shops.len());
    for shop in shops {
        params.push(Param::text(shop.as_str()));
        names.push(format!("${}", params.len()));
    }
    sql.push_str(&format!(" AND {column} IN ({})", names.join(", ")));
}

pub(crate) const SELECT_CONVERSATION: &str =
    "SELECT conversation_id, shop_id, buyer_id, create_time, update_time
    FROM conversations WHERE conversation_id = $1";

const MESSAGE_COLUMNS: &str = "SELECT message_id, conversation_id, shop_id, message_index,
        sender_role, kind, text, create_time, is_visible FROM messages";

pub(crate) static SELECT_MESSAGES_OF_CONVERSATION: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| {
        format!("{MESSAGE_COLUMNS} WHERE conversation_id = $1 ORDER BY message_index")
    });

/// `$1` shop, `$2` from, `$3` until.
const CONVERSATIONS_IN_WINDOW: &str = "SELECT DISTINCT conversation_id FROM messages
    WHERE shop_id = $1 AND create_time >= $2 AND create_time < $3";

pub(crate) static SELECT_CONVERSATIONS_IN_WINDOW: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| {
        format!(
            "SELECT conversation_id, shop_id, buyer_id, create_time, update_time
            FROM conversations WHERE conversation_id IN ({CONVERSATIONS_IN_WINDOW})
            ORDER BY conversation_id"
        )
    });

pub(crate) static SELECT_MESSAGES_IN_WINDOW: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| {
        format!(
            "{MESSAGE_COLUMNS} WHERE conversation_id IN ({CONVERSATIONS_IN_WINDOW})
            AND create_time < $3 ORDER BY conversation_id, message_index"
        )
    });

pub(crate) fn conversation_from_row(row: &impl RowReader) -> StoreResult<Conversation> {
    Ok(Conversation {
        id: ConversationId::new(row.text(0)?),
        shop_id: ShopId::new(row.text(1)?),
        buyer: row.opt_text(2)?.map(BuyerId::new),
        create_time: row.time(3)?,
        update_time: row.time(4)?,
    })
}

pub(crate) fn message_from_row(row: &impl RowReader) -> StoreResult<Message> {
    Ok(Message {
        id: MessageId::new(row.text(0)?),
        conversation_id: ConversationId::new(row.text(1)?),
        shop_id: ShopId::new(row.text(2)?),
        index: row.int(3)?,
        sender_role: SenderRole::parse(&row.text(4)?),
        kind: row.text(5)?,
        text: row.text(6)?,
        create_time: row.time(7)?,
        is_visible: row.boolean(8)?,
    })
}

/// Pairs conversations with their messages (both sorted by conversation id).
pub(crate) fn group_threads(
    conversations: Vec<Conversation>,
    messages: Vec<Message>,
) -> Vec<ChatThread> {
    let mut by_conversation: std::collections::HashMap<ConversationId, Vec<Message>> =
        std::collections::HashMap::new();
    for message in messages {
        by_conversation
            .entry(message.conversation_id.clone())
            .or_default()
            .push(message);
    }
    conversations
        .into_iter()
        .map(|conversation| ChatThread {
            messages: by_conversation.remove(&conversation.id).unwrap_or_default(),
            conversation,
        })
        .collect()
}

/// `$1` shop, `$2` buyer.
pub(crate) const SELECT_LATEST_ORDER: &str =
    "SELECT o.order_id, o.tracking_number, o.shipping_provider,
        (SELECT MIN(l.sku_id) FROM order_line_items l WHERE l.order_id = o.order_id)
    FROM orders o WHERE o.shop_id = $1 AND o.buyer_id = $2
    ORDER BY o.create_time DESC, o.order_id DESC LIMIT 1";

pub(crate) const SELECT_LOWEST_STARS: &str = "SELECT MIN(r.rating) FROM reviews r
    JOIN orders o ON o.order_id = r.order_id
    WHERE o.shop_id = $1 AND o.buyer_id = $2";

pub(crate) const SELECT_BUYER_CASES: &str =
    "SELECT c.case_id, c.status, ob.seller_due_at FROM after_sales_cases c
    JOIN orders o ON o.order_id = c.order_id
    LEFT JOIN case_observations ob ON ob.case_id = c.case_id
    WHERE o.shop_id = $1 AND o.buyer_id = $2 ORDER BY c.case_id";

pub(crate) const INSERT_PERIOD: &str =
    "INSERT INTO support_chat_periods (shop_id, kind, starts_at, ends_at)
    VALUES ($1, $2, $3, $4)";

pub(crate) const SELECT_PERIODS: &str =
    "SELECT shop_id, kind, starts_at, ends_at FROM support_chat_periods
    WHERE shop_id = $1 ORDER BY starts_at, kind";

pub(crate) fn period_params(period: &ChatPeriodRecord) -> [Param<'_>; 4] {
    [
        Param::text(period.shop_id.as_str()),
        Param::text(&period.kind),
        Param::time(period.starts_at),
        Param::opt_time(period.ends_at),
    ]
}

pub(crate) fn period_from_row(row: &impl RowReader) -> StoreResult<ChatPeriodRecord> {
    Ok(ChatPeriodRecord {
        shop_id: ShopId::new(row.text(0)?),
        kind: row.text(1)?,
        starts_at: row.time(2)?,
        ends_at: row.opt_time(3)?,
    })
}

pub(crate) const BLOCK_BUYER: &str =
    "INSERT INTO support_blocked_buyers (shop_id, buyer_id, blocked_at) VALUES ($1, $2, $3)
    ON CONFLICT (shop_id, buyer_id) DO NOTHING";

pub(crate) const UNBLOCK_BUYER: &str =
    "DELETE FROM support_blocked_buyers WHERE shop_id = $1 AND buyer_id = $2";

pub(crate) const SELECT_BLOCKED: &str =
    "SELECT buyer_id FROM support_blocked_buyers WHERE shop_id = $1 ORDER BY buyer_id";

pub(crate) const INSERT_MARK: &str =
    "INSERT INTO support_message_marks (message_id, shop_id, mark) VALUES ($1, $2, $3)
    ON CONFLICT (message_id) DO NOTHING";

pub(crate) const SELECT_MARKS: &str = "SELECT message_id, shop_id, mark
    FROM support_message_marks WHERE shop_id = $1 ORDER BY message_id";

pub(crate) fn mark_params(mark: &MessageMarkRecord) -> [Param<'_>; 3] {
    [
        Param::text(&mark.message_id),
        Param::text(mark.shop_id.as_str()),
        Param::text(&mark.mark),
    ]
}

pub(crate) fn mark_from_row(row: &impl RowReader) -> StoreResult<MessageMarkRecord> {
    Ok(MessageMarkRecord {
        message_id: row.text(0)?,
        shop_id: ShopId::new(row.text(1)?),
        mark: row.text(2)?,
    })
}

const SAVED_REPLY_COLUMNS: &str =
    "SELECT reply_id, shop_id, name, category, language, body, updated_by, updated_at
    FROM support_saved_replies";

pub(crate) const UPSERT_SAVED_REPLY: &str = "INSERT INTO support_saved_replies
        (reply_id, shop_id, name, category, language, body, updated_by, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (reply_id) DO UPDATE SET shop_id = excluded.shop_id, name = excluded.name,
        category = excluded.category, language = excluded.language, body = excluded.body,
        updated_by = excluded.updated_by, updated_at = excluded.updated_at";

pub(crate) static SELECT_SAVED_REPLY: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("{SAVED_REPLY_COLUMNS} WHERE reply_id = $1"));

pub(crate) static SELECT_SAVED_REPLIES: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| {
        format!(
            "{SAVED_REPLY_COLUMNS} WHERE shop_id = $1 OR shop_id IS NULL
            ORDER BY category, language, name, reply_id"
        )
    });

pub(crate) const DELETE_SAVED_REPLY: &str = "DELETE FROM support_saved_replies WHERE reply_id = $1";

pub(crate) fn saved_reply_params(reply: &SavedReplyRecord) -> [Param<'_>; 8] {
    [
        Param::text(&reply.reply_id),
        Param::opt_text(reply.shop_id.as_ref().map(ShopId::as_str)),
        Param::text(&reply.name),
        Param::text(&reply.category),
        Param::text(&reply.language),
        Param::text(&reply.body),
        Param::text(&reply.updated_by),
        Param::time(reply.updated_at),
    ]
}

pub(crate) fn saved_reply_from_row(row: &impl RowReader) -> StoreResult<SavedReplyRecord> {
    Ok(SavedReplyRecord {
        reply_id: row.text(0)?,
        shop_id: row.opt_text(1)?.map(ShopId::new),
        name: row.text(2)?,
        category: row.text(3)?,
        language: row.text(4)?,
        body: row.text(5)?,
        updated_by: row.text(6)?,
        updated_at: row.time(7)?,
    })
}

pub(crate) const INSERT_REPLY: &str = "INSERT INTO support_replies
        (reply_id, command_key, conversation_id, shop_id, text, agent, state, created_at)
    VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7)
    ON CONFLICT (command_key) DO NOTHING";

const REPLY_COLUMNS: &str = "SELECT reply_id, command_key, conversation_id, shop_id, text,
        agent, created_at, state, message_id, attempts, last_error, sent_at
    FROM support_replies";

pub(crate) static SELECT_REPLY_BY_COMMAND: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("{REPLY_COLUMNS} WHERE command_key = $1"));

pub(crate) static SELECT_REPLY: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| format!("{REPLY_COLUMNS} WHERE reply_id = $1"));

/// `$1` id, `$2` state, `$3` message id, `$4` error, `$5` time.
pub(crate) const UPDATE_REPLY: &str = "UPDATE support_replies SET
        state = $2,
        message_id = COALESCE($3, message_id),
        attempts = attempts + 1,
        last_error = $4,
        sent_at = CASE WHEN $2 = 'sent' THEN $5 ELSE sent_at END
    WHERE reply_id = $1 AND state <> 'sent'";

pub(crate) const SELECT_REPLY_AGENTS: &str = "SELECT message_id, agent FROM support_replies
    WHERE shop_id = $1 AND state = 'sent' AND message_id IS NOT NULL ORDER BY message_id";

pub(crate) fn reply_params(reply: &NewSupportReply) -> [Param<'_>; 7] {
    [
        Param::text(&reply.reply_id),
        Param::text(&reply.command_key),
        Param::text(&reply.conversation_id),
        Param::text(reply.shop_id.as_str()),
        Param::text(&reply.text),
        Param::text(&reply.agent),
        Param::time(reply.created_at),
    ]
}

pub(crate) fn reply_from_row(row: &impl RowReader) -> StoreResult<SupportReplyRecord> {
    let state = row.text(7)?;
    Ok(SupportReplyRecord {
        reply: NewSupportReply {
            reply_id: row.text(0)?,
            command_key: row.text(1)?,
            conversation_id: row.text(2)?,
            shop_id: ShopId::new(row.text(3)?),
            text: row.text(4)?,
            agent: row.text(5)?,
            created_at: row.time(6)?,
        },
        state: SupportReplyState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown support reply state {state:?}")))?,
        message_id: row.opt_text(8)?,
        attempts: u32::try_from(row.int(9)?).unwrap_or(u32::MAX),
        last_error: row.opt_text(10)?,
        sent_at: row.opt_time(11)?,
    })
}

pub(crate) const INSERT_ISSUE_REPORT: &str = "INSERT INTO support_issue_reports
        (shop_id, reported_at, category, root_cause, sku_id, source, source_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (source, source_id, root_cause) DO NOTHING";

pub(crate) fn issue_report_params(report: &IssueReportRecord) -> [Param<'_>; 7] {
    [
        Param::text(report.shop_id.as_str()),
        Param::time(report.reported_at),
        Param::text(&report.category),
        Param::text(&report.root_cause),
        Param::opt_text(report.sku_id.as_deref()),
        Param::text(&report.source),
        Param::text(&report.source_id),
    ]
}

/// `$1` since, then the shop filter.
pub(crate) fn issue_reports_query(
    shops: Option<&[ShopId]>,
    since: Timestamp,
) -> (String, Vec<Param<'_>>) {
    let mut params = vec![Param::time(since)];
    let mut sql = String::from(
        "SELECT shop_id, reported_at, category, root_cause, sku_id, source, source_id
        FROM support_issue_reports WHERE reported_at >= $1",
    );
    push_shop_filter(&mut sql, &mut params, "shop_id", shops);
    sql.push_str(" ORDER BY reported_at, source, source_id");
    (sql, params)
}

pub(crate) fn issue_report_from_row(row: &impl RowReader) -> StoreResult<IssueReportRecord> {
    Ok(IssueReportRecord {
        shop_id: ShopId::new(row.text(0)?),
        reported_at: row.time(1)?,
        category: row.text(2)?,
        root_cause: row.text(3)?,
        sku_id: row.opt_text(4)?,
        source: row.text(5)?,
        source_id: row.text(6)?,
    })
}

pub(crate) const UPSERT_VOC_ENTRY: &str = "INSERT INTO support_voc_entries
        (entry_id, shop_id, category, root_cause, sku_ids, fix_owner, fix_shipped_on, note,
         updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (entry_id) DO UPDATE SET shop_id = excluded.shop_id,
        category = excluded.category, root_cause = excluded.root_cause,
        sku_ids = excluded.sku_ids, fix_owner = excluded.fix_owner,
        fix_shipped_on = excluded.fix_shipped_on, note = excluded.note,
        updated_at = excluded.updated_at";

pub(crate) fn voc_entry_params(entry: &VocEntryRecord) -> [Param<'_>; 9] {
    [
        Param::text(&entry.entry_id),
        Param::text(entry.shop_id.as_str()),
        Param::text(&entry.category),
        Param::text(&entry.root_cause),
        Param::owned(crate::encode::ids_to_json(&entry.sku_ids)),
        Param::opt_text(entry.fix_owner.as_deref()),
        Param::Text(
            entry
                .fix_shipped_on
                .map(|day| std::borrow::Cow::Owned(day.to_string())),
        ),
        Param::opt_text(entry.note.as_deref()),
        Param::time(entry.updated_at),
    ]
}

pub(crate) fn voc_entries_query(shops: Option<&[ShopId]>) -> (String, Vec<Param<'_>>) {
    let mut params = Vec::new();
    let mut sql = String::from(
        "SELECT entry_id, shop_id, category, root_cause, sku_ids, fix_owner, fix_shipped_on,
            note, updated_at
        FROM support_voc_entries WHERE 1 = 1",
    );
    push_shop_filter(&mut sql, &mut params, "shop_id", shops);
    sql.push_str(" ORDER BY shop_id, category, root_cause, entry_id");
    (sql, params)
}

pub(crate) fn voc_entry_from_row(row: &impl RowReader) -> StoreResult<VocEntryRecord> {
    let fix_shipped_on = row
        .opt_text(6)?
        .map(|day| {
            day.parse::<chrono::NaiveDate>()
                .map_err(|error| StoreError::Corrupt(format!("fix date {day:?}: {error}")))
        })
        .transpose()?;
    Ok(VocEntryRecord {
        entry_id: row.text(0)?,
        shop_id: ShopId::new(row.text(1)?),
        category: row.text(2)?,
        root_cause: row.text(3)?,
        sku_ids: crate::encode::ids_from_json(&row.text(4)?)?,
        fix_owner: row.opt_text(5)?,
        fix_shipped_on,
        note: row.opt_text(7)?,
        updated_at: row.time(8)?,
    })
}

/// The three `sku_activity` queries, each with `$1` shop, `$2` from, `$3` until, then SKUs.
pub(crate) fn sku_activity_queries<'a>(
    shop_id: &'a ShopId,
    sku_ids: &'a [String],
    from: Timestamp,
    until: Timestamp,
) -> ([String; 3], Vec<Param<'a>>) {
    let mut params = vec![
        Param::text(shop_id.as_str()),
        Param::time(from),
        Param::time(until),
    ];
    let mut names = Vec::with_capacity(sku_ids.len());
    for sku in sku_ids {
        params.push(Param::text(sku));
        names.push(format!("${}", params.len()));
    }
    let skus = if names.is_empty() {
        "NULL".to_owned()
    } else {
        names.join(", ")
    };
    (
        [
            format!(
                "SELECT l.sku_id, o.create_time FROM order_line_items l
                JOIN orders o ON o.order_id = l.order_id
                WHERE o.shop_id = $1 AND o.create_time >= $2 AND o.create_time < $3
                AND l.sku_id IN ({skus}) ORDER BY o.create_time, l.sku_id"
            ),
            format!(
                "SELECT DISTINCT l.sku_id, c.create_time, c.case_id FROM after_sales_cases c
                JOIN order_line_items l ON l.order_id = c.order_id
                WHERE c.shop_id = $1 AND c.create_time >= $2 AND c.create_time < $3
                AND l.sku_id IN ({skus}) ORDER BY c.create_time, l.sku_id, c.case_id"
            ),
            format!(
                "SELECT sku_id, created_at FROM reviews
                WHERE shop_id = $1 AND created_at >= $2 AND created_at < $3 AND rating <= 2
                AND sku_id IN ({skus}) ORDER BY created_at, sku_id"
            ),
        ],
        params,
    )
}
