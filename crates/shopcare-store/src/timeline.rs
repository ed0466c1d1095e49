//! The post-purchase timeline's persistence: per-shop settings, per-SKU settings, the
//! shops' own message templates, and the message log — one row per order and trigger,
//! so however often the planner runs and however often the process restarts, an order
//! gets each message at most once. Also the few reads of synced entities the planner
//! needs about an order (its cases, cancellations and the buyer's conversation).

use crate::StoreResult;
use async_trait::async_trait;
use shopcare_core::timeline::{CaseFact, SkuSettings, TimelineSettings};
use shopcare_core::{CancelStatus, OrderId, ShopId, Timestamp};

/// Where a logged timeline message is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimelineMessageState {
    /// Planned and waiting for its send job.
    Queued,
    /// The send call is being made; a crash here must not lead to a second send.
    Sending,
    /// The platform accepted it.
    Sent,
    /// Not sent: something made it pointless (cancellation, refund, open case).
    Suppressed,
    /// Not sent: the compliance guard refused the rendered text.
    Blocked,
    /// Not sent: the platform refused it, or the outcome of a send is unknown.
    Failed,
}

impl TimelineMessageState {
    pub fn as_str(self) -> &'static str {
        match self {
            TimelineMessageState::Queued => "queued",
            TimelineMessageState::Sending => "sending",
            TimelineMessageState::Sent => "sent",
            TimelineMessageState::Suppressed => "suppressed",
            TimelineMessageState::Blocked => "blocked",
            TimelineMessageState::Failed => "failed",
        }
    }

    pub fn parse(value: &str) -> Option<Self> {
        Some(match value {
            "queued" => TimelineMessageState::Queued,
            "sending" => TimelineMessageState::Sending,
            "sent" => TimelineMessageState::Sent,
            "suppressed" => TimelineMessageState::Suppressed,
            "blocked" => TimelineMessageState::Blocked,
            "failed" => TimelineMessageState::Failed,
            _ => return None,
        })
    }
}

/// One row of the message log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineMessageRecord {
    pub order_id: OrderId,
    /// The trigger's stable name (`delivered`, ...).
    pub trigger: String,
    pub shop_id: ShopId,
    pub state: TimelineMessageState,
    pub due_at: Timestamp,
    pub template_key: String,
    /// The text as planned (re-rendered at send time).
    pub text: String,
    /// Why it was planned, or why it was not sent.
    pub reason: String,
    pub conversation_id: Option<String>,
    pub message_id: Option<String>,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

/// A shop's own template for one trigger and language (validated before saving).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineTemplateRecord {
    pub shop_id: ShopId,
    pub trigger: String,
    pub language: String,
    pub body: String,
    pub updated_at: Timestamp,
}

/// What the planner needs about an order beyond the order and its tracking.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderTimelineContext {
    pub cases: Vec<CaseFact>,
    pub cancellations: Vec<CancelStatus>,
    /// The buyer's newest conversation with the shop, if any.
    pub conversation_id: Option<String>,
    /// The newest buyer or seller message in that conversation is the buyer's.
    pub unresolved_chat: bool,
}

#[async_trait]
pub trait TimelineStore: Send + Sync {
    /// A shop's settings; `None` when it never saved any (use the region's defaults).
    async fn timeline_settings(&self, shop_id: &ShopId) -> StoreResult<Option<TimelineSettings>>;
    async fn save_timeline_settings(
        &self,
        shop_id: &ShopId,
        settings: &TimelineSettings,
        at: Timestamp,
    ) -> StoreResult<()>;

    async fn timeline_sku_settings(&self, shop_id: &ShopId) -> StoreResult<Vec<SkuSettings>>;
    async fn save_timeline_sku_settings(
        &self,
        shop_id: &ShopId,
        sku: &SkuSettings,
        at: Timestamp,
    ) -> StoreResult<()>;

    /// Inserts or replaces the template of (shop, trigger, language).
    async fn save_timeline_template(&self, template: &TimelineTemplateRecord) -> StoreResult<()>;
    async fn timeline_templates(
        &self,
        shop_id: &ShopId,
    ) -> StoreResult<Vec<TimelineTemplateRecord>>;

    /// Logs a message unless (order, trigger) is logged already; returns whether it was new.
    async fn record_timeline_message(&self, message: &TimelineMessageRecord) -> StoreResult<bool>;

    /// Moves a message from `from` to `to`, with the reason and the platform's ids.
    /// Returns false when it was not in `from` (another worker moved it first).
    #[allow(clippy::too_many_arguments)]
    async fn transition_timeline_message(
        &self,
        order_id: &OrderId,
        trigger: &str,
        from: TimelineMessageState,
        to: TimelineMessageState,
        reason: Option<&str>,
        conversation_id: Option<&str>,
        message_id: Option<&str>,
        at: Timestamp,
    ) -> StoreResult<bool>;

    async fn timeline_message(
        &self,
        order_id: &OrderId,
        trigger: &str,
    ) -> StoreResult<Option<TimelineMessageRecord>>;

    /// The log of one shop (or all), by due time.
    async fn timeline_messages(
        &self,
        shop_id: Option<&ShopId>,
    ) -> StoreResult<Vec<TimelineMessageRecord>>;

    /// Orders of a shop (or all) created or updated since `since`, in id order.
    async fn timeline_order_ids(
        &self,
        shop_id: Option<&ShopId>,
        since: Timestamp,
    ) -> StoreResult<Vec<OrderId>>;

    async fn order_timeline_context(&self, order_id: &OrderId)
        -> StoreResult<OrderTimelineContext>;
}

// ---- SQL and row codecs shared by both backends -------------------------------------------

use crate::encode::{Param, RowReader};
use crate::StoreError;
use chrono::NaiveTime;
use shopcare_core::timeline::QuietHours;
use shopcare_core::{AfterSalesKind, ReturnStatus, SkuId};
use std::collections::BTreeMap;

pub(crate) const SELECT_SETTINGS: &str = "SELECT enabled, stall_hours, quiet_start, quiet_end,
        language, processing_days, help_day, usage_windows, default_usage_window_days,
        replenishment_percent, tracking_link_pattern
    FROM timeline_settings WHERE shop_id = $1";

pub(crate) const UPSERT_SETTINGS: &str = "INSERT INTO timeline_settings
        (shop_id, enabled, stall_hours, quiet_start, quiet_end, language, processing_days,
         help_day, usage_windows, default_usage_window_days, replenishment_percent,
         tracking_link_pattern, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    ON CONFLICT (shop_id) DO UPDATE SET enabled = excluded.enabled,
        stall_hours = excluded.stall_hours, quiet_start = excluded.quiet_start,
        quiet_end = excluded.quiet_end, language = excluded.language,
        processing_days = excluded.processing_days, help_day = excluded.help_day,
        usage_windows = excluded.usage_windows,
        default_usage_window_days = excluded.default_usage_window_days,
        replenishment_percent = excluded.replenishment_percent,
        tracking_link_pattern = excluded.tracking_link_pattern,
        updated_at = excluded.updated_at";

pub(crate) const SELECT_SKUS: &str = "SELECT sku_id, category, common_confusion, help_message,
        depletion_cycle_days
    FROM timeline_sku_settings WHERE shop_id = $1 ORDER BY sku_id";

pub(crate) const UPSERT_SKU: &str = "INSERT INTO timeline_sku_settings
        (shop_id, sku_id, category, common_confusion, help_message, depletion_cycle_days,
         updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (shop_id, sku_id) DO UPDATE SET category = excluded.category,
        common_confusion = excluded.common_confusion, help_message = excluded.help_message,
        depletion_cycle_days = excluded.depletion_cycle_days, updated_at = excluded.updated_at";

pub(crate) const UPSERT_TEMPLATE: &str = "INSERT INTO timeline_templates
        (shop_id, trigger_name, language, body, updated_at)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (shop_id, trigger_name, language) DO UPDATE SET body = excluded.body,
        updated_at = excluded.updated_at";

pub(crate) const SELECT_TEMPLATES: &str = "SELECT shop_id, trigger_name, language, body, updated_at
    FROM timeline_templates WHERE shop_id = $1 ORDER BY trigger_name, language";

pub(crate) const INSERT_MESSAGE: &str = "INSERT INTO timeline_messages
        (order_id, trigger_name, shop_id, state, due_at, template_key, text, reason,
         conversation_id, message_id, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
    ON CONFLICT (order_id, trigger_name) DO NOTHING";

/// `$1` order, `$2` trigger, `$3` from, `$4` to, `$5` reason (kept when NULL),
/// `$6` conversation, `$7` message id, `$8` time.
pub(crate) const TRANSITION_MESSAGE: &str = "UPDATE timeline_messages SET
        state = $4,
        reason = COALESCE($5, reason),
        conversation_id = COALESCE($6, conversation_id),
        message_id = COALESCE($7, message_id),
        updated_at = $8
    WHERE order_id = $1 AND trigger_name = $2 AND state = $3";

const MESSAGE_COLUMNS: &str = "SELECT order_id, trigger_name, shop_id, state, due_at,
        template_key, text, reason, conversation_id, message_id, created_at, updated_at
    FROM timeline_messages";

pub(crate) static SELECT_MESSAGE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!("{MESSAGE_COLUMNS} WHERE order_id = $1 AND trigger_name = $2")
});
pub(crate) static SELECT_MESSAGES_OF_SHOP: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| {
        format!("{MESSAGE_COLUMNS} WHERE shop_id = $1 ORDER BY due_at, order_id, trigger_name")
    });
pub(crate) static SELECT_ALL_MESSAGES: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| {
        format!("{MESSAGE_COLUMNS} ORDER BY due_at, order_id, trigger_name")
    });

pub(crate) const SELECT_ORDER_IDS_OF_SHOP: &str = "SELECT order_id FROM orders
    WHERE shop_id = $1 AND (create_time >= $2 OR update_time >= $2) ORDER BY order_id";
pub(crate) const SELECT_ALL_ORDER_IDS: &str = "SELECT order_id FROM orders
    WHERE create_time >= $1 OR update_time >= $1 ORDER BY order_id";

pub(crate) const SELECT_ORDER_CASES: &str =
    "SELECT kind, status FROM after_sales_cases WHERE order_id = $1 ORDER BY case_id";
pub(crate) const SELECT_ORDER_CANCELLATIONS: &str =
    "SELECT status FROM cancellations WHERE order_id = $1 ORDER BY cancellation_id";
pub(crate) const SELECT_BUYER_CONVERSATION: &str = "SELECT c.conversation_id
    FROM conversations c JOIN orders o ON o.shop_id = c.shop_id AND o.buyer_id = c.buyer_id
    WHERE o.order_id = $1 ORDER BY c.update_time DESC, c.conversation_id LIMIT 1";
/// The newest message from the buyer or the shop side (system notices and robots aside).
pub(crate) const SELECT_LAST_SENDER: &str = "SELECT sender_role FROM messages
    WHERE conversation_id = $1 AND sender_role IN ('BUYER', 'SHOP', 'CUSTOMER_SERVICE')
    ORDER BY message_index DESC LIMIT 1";

fn time_of_day(time: NaiveTime) -> String {
    time.format("%H:%M").to_string()
}

fn days_param(days: u32) -> Param<'static> {
    Param::int(i64::from(days))
}

fn days_from(row: &impl RowReader, index: usize) -> StoreResult<u32> {
    let value = row.int(index)?;
    u32::try_from(value)
        .map_err(|_| StoreError::Corrupt(format!("timeline number out of range: {value}")))
}

pub(crate) fn settings_params<'a>(
    shop_id: &'a ShopId,
    settings: &'a TimelineSettings,
    at: Timestamp,
) -> StoreResult<[Param<'a>; 13]> {
    let windows = serde_json::to_string(&settings.usage_window_days_by_category)
        .map_err(|error| StoreError::Database(format!("usage windows: {error}")))?;
    Ok([
        Param::text(shop_id.as_str()),
        Param::Bool(settings.enabled),
        days_param(settings.stall_hours),
        Param::owned(time_of_day(settings.quiet_hours.start)),
        Param::owned(time_of_day(settings.quiet_hours.end)),
        Param::text(&settings.language),
        days_param(settings.processing_days),
        days_param(settings.help_day),
        Param::owned(windows),
        days_param(settings.default_usage_window_days),
        days_param(settings.replenishment_percent),
        Param::opt_text(settings.tracking_link_pattern.as_deref()),
        Param::time(at),
    ])
}

pub(crate) fn settings_from_row(row: &impl RowReader) -> StoreResult<TimelineSettings> {
    let quiet_hours = QuietHours::parse(&row.text(2)?, &row.text(3)?)
        .map_err(|error| StoreError::Corrupt(format!("timeline quiet hours: {error}")))?;
    let windows: BTreeMap<String, u32> = serde_json::from_str(&row.text(7)?)
        .map_err(|error| StoreError::Corrupt(format!("timeline usage windows: {error}")))?;
    Ok(TimelineSettings {
        enabled: row.boolean(0)?,
        stall_hours: days_from(row, 1)?,
        quiet_hours,
        language: row.text(4)?,
        processing_days: days_from(row, 5)?,
        help_day: days_from(row, 6)?,
        usage_window_days_by_category: windows,
        default_usage_window_days: days_from(row, 8)?,
        replenishment_percent: days_from(row, 9)?,
        tracking_link_pattern: row.opt_text(10)?,
    })
}

pub(crate) fn sku_params<'a>(
    shop_id: &'a ShopId,
    sku: &'a SkuSettings,
    at: Timestamp,
) -> [Param<'a>; 7] {
    [
        Param::text(shop_id.as_str()),
        Param::text(sku.sku_id.as_str()),
        Param::opt_text(sku.category.as_deref()),
        Param::opt_text(sku.common_confusion.as_deref()),
        Param::Bool(sku.help_message),
        Param::Int(sku.depletion_cycle_days.map(i64::from)),
        Param::time(at),
    ]
}

pub(crate) fn sku_from_row(row: &impl RowReader) -> StoreResult<SkuSettings> {
    Ok(SkuSettings {
        sku_id: SkuId::new(row.text(0)?),
        category: row.opt_text(1)?,
        common_confusion: row.opt_text(2)?,
        help_message: row.boolean(3)?,
        depletion_cycle_days: match row.opt_int(4)? {
            Some(_) => Some(days_from(row, 4)?),
            None => None,
        },
    })
}

pub(crate) fn template_params(template: &TimelineTemplateRecord) -> [Param<'_>; 5] {
    [
        Param::text(template.shop_id.as_str()),
        Param::text(&template.trigger),
        Param::text(&template.language),
        Param::text(&template.body),
        Param::time(template.updated_at),
    ]
}

pub(crate) fn template_from_row(row: &impl RowReader) -> StoreResult<TimelineTemplateRecord> {
    Ok(TimelineTemplateRecord {
        shop_id: ShopId::new(row.text(0)?),
        trigger: row.text(1)?,
        language: row.text(2)?,
        body: row.text(3)?,
        updated_at: row.time(4)?,
    })
}

pub(crate) fn message_params(message: &TimelineMessageRecord) -> [Param<'_>; 12] {
    [
        Param::text(message.order_id.as_str()),
        Param::text(&message.trigger),
        Param::text(message.shop_id.as_str()),
        Param::text(message.state.as_str()),
        Param::time(message.due_at),
        Param::text(&message.template_key),
        Param::text(&message.text),
        Param::text(&message.reason),
        Param::opt_text(message.conversation_id.as_deref()),
        Param::opt_text(message.message_id.as_deref()),
        Param::time(message.created_at),
        Param::time(message.updated_at),
    ]
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn transition_params<'a>(
    order_id: &'a OrderId,
    trigger: &'a str,
    from: TimelineMessageState,
    to: TimelineMessageState,
    reason: Option<&'a str>,
    conversation_id: Option<&'a str>,
    message_id: Option<&'a str>,
    at: Timestamp,
) -> [Param<'a>; 8] {
    [
        Param::text(order_id.as_str()),
        Param::text(trigger),
        Param::text(from.as_str()),
        Param::text(to.as_str()),
        Param::opt_text(reason),
        Param::opt_text(conversation_id),
        Param::opt_text(message_id),
        Param::time(at),
    ]
}

pub(crate) fn message_from_row(row: &impl RowReader) -> StoreResult<TimelineMessageRecord> {
    let state = row.text(3)?;
    Ok(TimelineMessageRecord {
        order_id: OrderId::new(row.text(0)?),
        trigger: row.text(1)?,
        shop_id: ShopId::new(row.text(2)?),
        state: TimelineMessageState::parse(&state)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown timeline state {state:?}")))?,
        due_at: row.time(4)?,
        template_key: row.text(5)?,
        text: row.text(6)?,
        reason: row.text(7)?,
        conversation_id: row.opt_text(8)?,
        message_id: row.opt_text(9)?,
        created_at: row.time(10)?,
        updated_at: row.time(11)?,
    })
}

pub(crate) fn case_fact_from_row(row: &impl RowReader) -> StoreResult<CaseFact> {
    Ok(CaseFact {
        kind: AfterSalesKind::parse(&row.text(0)?),
        status: ReturnStatus::parse(&row.text(1)?),
    })
}

pub(crate) fn cancel_status_from_row(row: &impl RowReader) -> StoreResult<CancelStatus> {
    Ok(CancelStatus::parse(&row.text(0)?))
}
