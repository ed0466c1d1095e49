//! Conversion between core values and database columns, shared by both backends.
//!
//! Both backends bind the same [`Param`] arrays to the same SQL text (see `sql.rs`) and
//! decode rows through the [`RowReader`] trait, so a column added here is added for both.
//! Times are Unix milliseconds, money is a decimal string plus a currency column, and
//! platform enums are stored as their exact strings (unknown values survive verbatim).

use crate::{
    InboundWebhook, SecretKey, SellerCredentials, StoreError, StoreResult, SyncCheckpoint,
    SyncResource,
};
use shopcare_core::{
    ActorRole, AfterSalesCase, AfterSalesKind, ArbitrationStatus, BuyerId, Cancellation, CaseId,
    Conversation, Currency, LineItem, Message, Money, Order, OrderStatus, Package, PackageId,
    PackageStatus, Product, ProductId, Rating, ReturnLineItem, ReturnStatus, Review,
    SellerNextAction, Shop, ShopId, Sku, SkuId, Timestamp, TrackingEvent, TrackingStage,
};
use std::borrow::Cow;

/// One bound value. Borrowed text avoids copying strings on the bulk-import path.
#[derive(Debug, Clone)]
pub(crate) enum Param<'a> {
    Text(Option<Cow<'a, str>>),
    Int(Option<i64>),
    Bool(bool),
}

impl<'a> Param<'a> {
    pub(crate) fn text(value: &'a str) -> Self {
        Param::Text(Some(Cow::Borrowed(value)))
    }

    pub(crate) fn opt_text(value: Option<&'a str>) -> Self {
        Param::Text(value.map(Cow::Borrowed))
    }

    pub(crate) fn owned(value: String) -> Self {
        Param::Text(Some(Cow::Owned(value)))
    }

    pub(crate) fn int(value: i64) -> Self {
        Param::Int(Some(value))
    }

    pub(crate) fn time(value: Timestamp) -> Self {
        Param::Int(Some(to_millis(value)))
    }

    pub(crate) fn opt_time(value: Option<Timestamp>) -> Self {
        Param::Int(value.map(to_millis))
    }

    /// Two params: amount then currency (both NULL when absent).
    pub(crate) fn money(value: Option<&'a Money>) -> [Self; 2] {
        match value {
            Some(money) => [
                Param::owned(money.amount_string()),
                Param::text(money.currency().as_str()),
            ],
            None => [Param::Text(None), Param::Text(None)],
        }
    }
}

/// Reads columns by position from a backend's row type.
pub(crate) trait RowReader {
    fn opt_text(&self, index: usize) -> StoreResult<Option<String>>;
    fn opt_int(&self, index: usize) -> StoreResult<Option<i64>>;
    fn boolean(&self, index: usize) -> StoreResult<bool>;

    fn text(&self, index: usize) -> StoreResult<String> {
        self.opt_text(index)?
            .ok_or_else(|| StoreError::Corrupt(format!("column {index} is unexpectedly NULL")))
    }

    fn int(&self, index: usize) -> StoreResult<i64> {
        self.opt_int(index)?
            .ok_or_else(|| StoreError::Corrupt(format!("column {index} is unexpectedly NULL")))
    }

    fn time(&self, index: usize) -> StoreResult<Timestamp> {
        from_millis(self.int(index)?)
    }

    fn opt_time(&self, index: usize) -> StoreResult<Option<Timestamp>> {
        self.opt_int(index)?.map(from_millis).transpose()
    }

    /// Amount at `index`, currency at `index + 1`.
    fn money(&self, index: usize) -> StoreResult<Option<Money>> {
        match (self.opt_text(index)?, self.opt_text(index + 1)?) {
            (Some(amount), Some(currency)) => Money::parse(&amount, &currency)
                .map(Some)
                .map_err(|error| StoreError::Corrupt(format!("stored money: {error}"))),
            (None, None) => Ok(None),
            _ => Err(StoreError::Corrupt(
                "money amount and currency must both be set or both be NULL".into(),
            )),
        }
    }
}

pub(crate) fn to_millis(time: Timestamp) -> i64 {
    time.timestamp_millis()
}

pub(crate) fn from_millis(millis: i64) -> StoreResult<Timestamp> {
    chrono::DateTime::from_timestamp_millis(millis)
        .ok_or_else(|| StoreError::Corrupt(format!("time {millis} ms is out of range")))
}

pub(crate) fn ids_to_json<T: AsRef<str>>(ids: &[T]) -> String {
    let strings: Vec<&str> = ids.iter().map(AsRef::as_ref).collect();
    serde_json::to_string(&strings).unwrap_or_else(|_| "[]".to_owned())
}

pub(crate) fn ids_from_json<T: From<String>>(json: &str) -> StoreResult<Vec<T>> {
    let strings: Vec<String> = serde_json::from_str(json)
        .map_err(|error| StoreError::Corrupt(format!("stored id list: {error}")))?;
    Ok(strings.into_iter().map(T::from).collect())
}

pub(crate) fn stage_from_str(value: &str) -> TrackingStage {
    use TrackingStage::*;
    [
        LabelCreated,
        PickedUp,
        InTransit,
        OutForDelivery,
        Delivered,
        FailedAttempt,
        Returned,
    ]
    .into_iter()
    .find(|stage| stage.as_str() == value)
    .unwrap_or(Other)
}

// ---- shops and credentials --------------------------------------------------------------

pub(crate) fn shop_params(shop: &Shop) -> [Param<'_>; 6] {
    [
        Param::text(shop.id.as_str()),
        Param::text(&shop.cipher),
        Param::text(&shop.name),
        Param::text(&shop.region),
        Param::text(shop.currency.as_str()),
        Param::text(shop.time_zone.name()),
    ]
}

/// Decodes `sql::SHOP_COLUMNS`.
pub(crate) fn shop_from_row(row: &impl RowReader) -> StoreResult<Shop> {
    let currency = row.text(4)?;
    let time_zone = row.text(5)?;
    Ok(Shop {
        id: row.text(0)?.into(),
        cipher: row.text(1)?,
        name: row.text(2)?,
        region: row.text(3)?,
        currency: Currency::parse(&currency)
            .map_err(|error| StoreError::Corrupt(format!("stored shop currency: {error}")))?,
        time_zone: time_zone.parse().map_err(|_| {
            StoreError::Corrupt(format!("stored shop time zone {time_zone:?} is unknown"))
        })?,
    })
}

/// The associated data binding a sealed token to its seller and column.
fn token_context(field: &str, open_id: &str) -> String {
    format!("{field}:{open_id}")
}

/// Seals both tokens; the returned params never hold plaintext.
pub(crate) fn seller_params<'a>(
    credentials: &'a SellerCredentials,
    secret_key: &SecretKey,
) -> StoreResult<[Param<'a>; 7]> {
    let open_id = credentials.open_id.as_str();
    Ok([
        Param::text(open_id),
        Param::text(&credentials.seller_name),
        Param::text(&credentials.base_region),
        Param::owned(secret_key.encrypt(
            &credentials.access_token,
            &token_context("access_token", open_id),
        )?),
        Param::time(credentials.access_token_expires_at),
        Param::owned(secret_key.encrypt(
            &credentials.refresh_token,
            &token_context("refresh_token", open_id),
        )?),
        Param::time(credentials.refresh_token_expires_at),
    ])
}

/// Decodes `sql::SELLER_COLUMNS`, opening the sealed tokens.
pub(crate) fn seller_from_row(
    row: &impl RowReader,
    secret_key: &SecretKey,
    shop_ids: Vec<ShopId>,
) -> StoreResult<SellerCredentials> {
    let open_id = row.text(0)?;
    Ok(SellerCredentials {
        access_token: secret_key
            .decrypt(&row.text(3)?, &token_context("access_token", &open_id))?,
        refresh_token: secret_key
            .decrypt(&row.text(5)?, &token_context("refresh_token", &open_id))?,
        seller_name: row.text(1)?,
        base_region: row.text(2)?,
        access_token_expires_at: row.time(4)?,
        refresh_token_expires_at: row.time(6)?,
        shop_ids,
        open_id,
    })
}

pub(crate) fn checkpoint_params(checkpoint: &SyncCheckpoint) -> [Param<'_>; 6] {
    [
        Param::text(checkpoint.shop_id.as_str()),
        Param::text(checkpoint.resource.as_str()),
        Param::time(checkpoint.window_start),
        Param::time(checkpoint.window_end),
        Param::opt_text(checkpoint.page_token.as_deref()),
        Param::opt_time(checkpoint.synced_until),
    ]
}

/// Decodes `sql::SELECT_CHECKPOINT`.
pub(crate) fn checkpoint_from_row(
    shop_id: &ShopId,
    resource: SyncResource,
    row: &impl RowReader,
) -> StoreResult<SyncCheckpoint> {
    Ok(SyncCheckpoint {
        shop_id: shop_id.clone(),
        resource,
        window_start: row.time(0)?,
        window_end: row.time(1)?,
        page_token: row.opt_text(2)?,
        synced_until: row.opt_time(3)?,
    })
}

pub(crate) fn webhook_params(event: &InboundWebhook) -> [Param<'_>; 6] {
    [
        Param::text(&event.notification_id),
        Param::int(event.event_type),
        Param::opt_text(event.shop_id.as_ref().map(ShopId::as_str)),
        Param::Int(event.timestamp),
        Param::text(&event.body),
        Param::time(event.received_at),
    ]
}

/// Decodes `sql::SELECT_WEBHOOK_EVENT`.
pub(crate) fn webhook_from_row(row: &impl RowReader) -> StoreResult<InboundWebhook> {
    Ok(InboundWebhook {
        notification_id: row.text(0)?,
        event_type: row.int(1)?,
        shop_id: row.opt_text(2)?.map(ShopId::new),
        timestamp: row.opt_int(3)?,
        body: row.text(4)?,
        received_at: row.time(5)?,
    })
}

/// The `webhook` job recorded with a new event.
pub(crate) fn webhook_job_params(event: &InboundWebhook) -> [Param<'_>; 5] {
    [
        Param::text(crate::WEBHOOK_JOB_KIND),
        Param::owned(crate::webhook_job_key(&event.notification_id)),
        Param::text(&event.notification_id),
        Param::time(event.received_at),
        Param::int(i64::from(crate::WEBHOOK_JOB_MAX_ATTEMPTS)),
    ]
}

pub(crate) fn job_params(job: &crate::NewJob) -> [Param<'_>; 5] {
    [
        Param::text(&job.kind),
        Param::text(&job.dedupe_key),
        Param::text(&job.payload),
        Param::time(job.due_at),
        Param::int(i64::from(job.max_attempts)),
    ]
}

/// Decodes `sql::JOB_RETURNING`.
pub(crate) fn job_from_row(row: &impl RowReader) -> StoreResult<crate::Job> {
    let count = |index: usize| -> StoreResult<u32> {
        u32::try_from(row.int(index)?)
            .map_err(|_| StoreError::Corrupt(format!("job column {index} is out of range")))
    };
    Ok(crate::Job {
        id: row.int(0)?,
        kind: row.text(1)?,
        dedupe_key: row.text(2)?,
        payload: row.text(3)?,
        due_at: row.time(4)?,
        attempts: count(5)?,
        max_attempts: count(6)?,
    })
}

/// Decodes `sql::SUMMARY_OPEN_CASES`.
pub(crate) fn waiting_case_from_row(row: &impl RowReader) -> StoreResult<crate::WaitingCase> {
    Ok(crate::WaitingCase {
        case_id: row.text(0)?.into(),
        kind: AfterSalesKind::parse(&row.text(1)?),
        status: ReturnStatus::parse(&row.text(2)?),
        deadline: row.opt_time(3)?,
    })
}

/// Soonest deadline first; cases without one last; ties by id for a stable order.
pub(crate) fn sort_waiting_cases(cases: &mut [crate::WaitingCase]) {
    cases.sort_by(|left, right| {
        let key = |case: &crate::WaitingCase| (case.deadline.is_none(), case.deadline);
        key(left)
            .cmp(&key(right))
            .then_with(|| left.case_id.cmp(&right.case_id))
    });
}

/// Turns a COUNT(*) into the summary's unsigned count.
pub(crate) fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

// ---- orders -------------------------------------------------------------------------

pub(crate) fn order_params(order: &Order) -> [Param<'_>; 18] {
    let [total_amount, total_currency] = Param::money(order.total.as_ref());
    [
        Param::text(order.id.as_str()),
        Param::text(order.shop_id.as_str()),
        Param::text(order.status.as_str()),
        Param::text(order.buyer.as_str()),
        Param::time(order.create_time),
        Param::time(order.update_time),
        Param::opt_time(order.paid_time),
        Param::opt_time(order.ship_by_time),
        Param::opt_time(order.shipped_time),
        Param::opt_time(order.delivery_time),
        total_amount,
        total_currency,
        Param::opt_text(order.cancel_reason.as_deref()),
        Param::opt_text(order.cancellation_initiator.as_deref()),
        Param::opt_text(order.shipping_provider.as_deref()),
        Param::opt_text(order.tracking_number.as_deref()),
        Param::Bool(order.is_replacement_order),
        Param::owned(ids_to_json(&order.package_ids)),
    ]
}

pub(crate) fn line_item_params<'a>(
    order: &'a Order,
    position: usize,
    item: &'a LineItem,
) -> [Param<'a>; 14] {
    let [amount, currency] = Param::money(item.sale_price.as_ref());
    [
        Param::text(order.id.as_str()),
        Param::int(position as i64),
        Param::text(item.id.as_str()),
        Param::text(order.shop_id.as_str()),
        Param::text(item.product_id.as_str()),
        Param::text(item.sku_id.as_str()),
        Param::text(&item.product_name),
        Param::text(&item.sku_name),
        Param::text(&item.seller_sku),
        amount,
        currency,
        Param::opt_text(item.package_id.as_ref().map(PackageId::as_str)),
        Param::opt_text(item.package_status.as_ref().map(PackageStatus::as_str)),
        Param::opt_text(item.display_status.as_deref()),
    ]
}

/// Decodes `sql::ORDER_COLUMNS`; line items are read separately.
pub(crate) fn order_from_row(row: &impl RowReader) -> StoreResult<Order> {
    Ok(Order {
        id: row.text(0)?.into(),
        shop_id: row.text(1)?.into(),
        status: OrderStatus::parse(&row.text(2)?),
        buyer: BuyerId::new(row.text(3)?),
        create_time: row.time(4)?,
        update_time: row.time(5)?,
        paid_time: row.opt_time(6)?,
        ship_by_time: row.opt_time(7)?,
        shipped_time: row.opt_time(8)?,
        delivery_time: row.opt_time(9)?,
        total: row.money(10)?,
        cancel_reason: row.opt_text(12)?,
        cancellation_initiator: row.opt_text(13)?,
        shipping_provider: row.opt_text(14)?,
        tracking_number: row.opt_text(15)?,
        is_replacement_order: row.boolean(16)?,
        line_items: Vec::new(),
        package_ids: ids_from_json(&row.text(17)?)?,
    })
}

/// Decodes `sql::LINE_ITEM_COLUMNS`.
pub(crate) fn line_item_from_row(row: &impl RowReader) -> StoreResult<LineItem> {
    Ok(LineItem {
        id: row.text(0)?.into(),
        product_id: row.text(1)?.into(),
        sku_id: row.text(2)?.into(),
        product_name: row.text(3)?,
        sku_name: row.text(4)?,
        seller_sku: row.text(5)?,
        sale_price: row.money(6)?,
        package_id: row.opt_text(8)?.map(PackageId::new),
        package_status: row.opt_text(9)?.map(|status| PackageStatus::parse(&status)),
        display_status: row.opt_text(10)?,
    })
}

// ---- packages and tracking -----------------------------------------------------------

pub(crate) fn package_params(package: &Package) -> [Param<'_>; 8] {
    [
        Param::text(package.id.as_str()),
        Param::text(package.shop_id.as_str()),
        Param::text(package.status.as_str()),
        Param::opt_text(package.tracking_number.as_deref()),
        Param::opt_text(package.shipping_provider.as_deref()),
        Param::owned(ids_to_json(&package.order_ids)),
        Param::time(package.create_time),
        Param::time(package.update_time),
    ]
}

/// The summary row of a tracking history: `(last_event_time, last_stage, event_count)`.
/// The latest scan wins; among scans at the same instant the later one in the list wins.
pub(crate) fn tracking_summary(events: &[TrackingEvent]) -> (Option<i64>, Option<&'static str>) {
    let mut latest: Option<&TrackingEvent> = None;
    for event in events {
        if latest.is_none_or(|current| event.time >= current.time) {
            latest = Some(event);
        }
    }
    (
        latest.map(|event| to_millis(event.time)),
        latest.map(|event| event.stage.as_str()),
    )
}

pub(crate) fn tracking_event_from_row(
    order_id: &shopcare_core::OrderId,
    row: &impl RowReader,
) -> StoreResult<TrackingEvent> {
    Ok(TrackingEvent {
        order_id: order_id.clone(),
        description: row.text(0)?,
        stage: stage_from_str(&row.text(1)?),
        time: row.time(2)?,
    })
}

// ---- after-sales ---------------------------------------------------------------------

pub(crate) fn case_params(case: &AfterSalesCase) -> [Param<'_>; 14] {
    let [amount, currency] = Param::money(case.refund_total.as_ref());
    [
        Param::text(case.id.as_str()),
        Param::text(case.shop_id.as_str()),
        Param::text(case.order_id.as_str()),
        Param::text(case.kind.as_str()),
        Param::text(case.status.as_str()),
        Param::opt_text(
            case.arbitration_status
                .as_ref()
                .map(ArbitrationStatus::as_str),
        ),
        Param::opt_text(case.role.as_ref().map(ActorRole::as_str)),
        Param::opt_text(case.reason.as_deref()),
        Param::opt_text(case.reason_text.as_deref()),
        amount,
        currency,
        Param::opt_text(case.return_tracking_number.as_deref()),
        Param::time(case.create_time),
        Param::time(case.update_time),
    ]
}

/// Decodes `sql::CASE_COLUMNS`; next actions and line items are read separately.
pub(crate) fn case_from_row(row: &impl RowReader) -> StoreResult<AfterSalesCase> {
    Ok(AfterSalesCase {
        id: row.text(0)?.into(),
        shop_id: row.text(1)?.into(),
        order_id: row.text(2)?.into(),
        kind: AfterSalesKind::parse(&row.text(3)?),
        status: ReturnStatus::parse(&row.text(4)?),
        arbitration_status: row
            .opt_text(5)?
            .map(|value| ArbitrationStatus::parse(&value)),
        role: row.opt_text(6)?.map(|value| ActorRole::parse(&value)),
        reason: row.opt_text(7)?,
        reason_text: row.opt_text(8)?,
        refund_total: row.money(9)?,
        return_tracking_number: row.opt_text(11)?,
        create_time: row.time(12)?,
        update_time: row.time(13)?,
        next_actions: Vec::new(),
        line_items: Vec::new(),
    })
}

pub(crate) fn next_action_params<'a>(
    owner_id: &'a str,
    position: usize,
    action: &'a SellerNextAction,
) -> [Param<'a>; 4] {
    [
        Param::text(owner_id),
        Param::int(position as i64),
        Param::text(&action.action),
        Param::opt_time(action.deadline),
    ]
}

/// Decodes `(action, deadline)`.
pub(crate) fn next_action_from_row(row: &impl RowReader) -> StoreResult<SellerNextAction> {
    Ok(SellerNextAction {
        action: row.text(0)?,
        deadline: row.opt_time(1)?,
    })
}

pub(crate) fn case_line_item_params<'a>(
    case_id: &'a CaseId,
    position: usize,
    item: &'a ReturnLineItem,
) -> [Param<'a>; 8] {
    let [amount, currency] = Param::money(item.refund_amount.as_ref());
    [
        Param::text(case_id.as_str()),
        Param::int(position as i64),
        Param::text(&item.id),
        Param::text(&item.order_line_item_id),
        Param::text(item.sku_id.as_str()),
        Param::text(&item.product_name),
        amount,
        currency,
    ]
}

/// Decodes `sql::CASE_LINE_ITEM_COLUMNS`.
pub(crate) fn case_line_item_from_row(row: &impl RowReader) -> StoreResult<ReturnLineItem> {
    Ok(ReturnLineItem {
        id: row.text(0)?,
        order_line_item_id: row.text(1)?,
        sku_id: SkuId::new(row.text(2)?),
        product_name: row.text(3)?,
        refund_amount: row.money(4)?,
    })
}

pub(crate) fn cancellation_params(cancellation: &Cancellation) -> [Param<'_>; 12] {
    let [amount, currency] = Param::money(cancellation.refund_total.as_ref());
    [
        Param::text(cancellation.id.as_str()),
        Param::text(cancellation.shop_id.as_str()),
        Param::text(cancellation.order_id.as_str()),
        Param::text(&cancellation.cancel_type),
        Param::text(cancellation.status.as_str()),
        Param::opt_text(cancellation.role.as_ref().map(ActorRole::as_str)),
        Param::opt_text(cancellation.reason.as_deref()),
        Param::opt_text(cancellation.reason_text.as_deref()),
        amount,
        currency,
        Param::time(cancellation.create_time),
        Param::time(cancellation.update_time),
    ]
}

// ---- chats, products, reviews -----------------------------------------------------------

pub(crate) fn conversation_params(conversation: &Conversation) -> [Param<'_>; 5] {
    [
        Param::text(conversation.id.as_str()),
        Param::text(conversation.shop_id.as_str()),
        Param::opt_text(conversation.buyer.as_ref().map(BuyerId::as_str)),
        Param::time(conversation.create_time),
        Param::time(conversation.update_time),
    ]
}

pub(crate) fn message_params(message: &Message) -> [Param<'_>; 9] {
    [
        Param::text(message.id.as_str()),
        Param::text(message.conversation_id.as_str()),
        Param::text(message.shop_id.as_str()),
        Param::int(message.index),
        Param::text(message.sender_role.as_str()),
        Param::text(&message.kind),
        Param::text(&message.text),
        Param::time(message.create_time),
        Param::Bool(message.is_visible),
    ]
}

pub(crate) fn product_params(product: &Product) -> [Param<'_>; 6] {
    [
        Param::text(product.id.as_str()),
        Param::text(product.shop_id.as_str()),
        Param::text(&product.title),
        Param::text(&product.status),
        Param::time(product.create_time),
        Param::time(product.update_time),
    ]
}

pub(crate) fn sku_params<'a>(
    product_id: &'a ProductId,
    position: usize,
    sku: &'a Sku,
) -> [Param<'a>; 6] {
    let [amount, currency] = Param::money(sku.price.as_ref());
    [
        Param::text(product_id.as_str()),
        Param::int(position as i64),
        Param::text(sku.id.as_str()),
        Param::text(&sku.seller_sku),
        amount,
        currency,
    ]
}

pub(crate) fn review_params(review: &Review) -> [Param<'_>; 9] {
    [
        Param::text(review.id.as_str()),
        Param::text(review.shop_id.as_str()),
        Param::opt_text(review.order_id.as_ref().map(|id| id.as_str())),
        Param::opt_text(review.product_id.as_ref().map(|id| id.as_str())),
        Param::opt_text(review.sku_id.as_ref().map(|id| id.as_str())),
        Param::int(i64::from(review.rating.stars())),
        Param::text(&review.text),
        Param::time(review.created_at),
        Param::text(&review.source),
    ]
}

/// Decodes `sql::REVIEW_COLUMNS`.
pub(crate) fn review_from_row(row: &impl RowReader) -> StoreResult<Review> {
    let stars = row.int(5)?;
    Ok(Review {
        id: row.text(0)?.into(),
        shop_id: row.text(1)?.into(),
        order_id: row.opt_text(2)?.map(Into::into),
        product_id: row.opt_text(3)?.map(Into::into),
        sku_id: row.opt_text(4)?.map(Into::into),
        rating: Rating::new(stars)
            .map_err(|error| StoreError::Corrupt(format!("stored review: {error}")))?,
        text: row.text(6)?,
        created_at: row.time(7)?,
        source: row.text(8)?,
    })
}

/// What an upsert did, read from the `RETURNING revision` of the statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    Inserted,
    Updated,
    Unchanged,
}

impl Change {
    /// A new row starts at revision 1; no returned row means the guard refused the update.
    pub(crate) fn from_revision(revision: Option<i64>) -> Self {
        match revision {
            None => Change::Unchanged,
            Some(1) => Change::Inserted,
            Some(_) => Change::Updated,
        }
    }

    pub(crate) fn count_into(self, outcome: &mut crate::ApplyOutcome) {
        match self {
            Change::Inserted => outcome.inserted += 1,
            Change::Updated => outcome.updated += 1,
            Change::Unchanged => outcome.unchanged += 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_round_trip_through_their_strings() {
        for stage in [
            TrackingStage::LabelCreated,
            TrackingStage::Delivered,
            TrackingStage::Returned,
            TrackingStage::Other,
        ] {
            assert_eq!(stage_from_str(stage.as_str()), stage);
        }
        assert_eq!(stage_from_str("teleported"), TrackingStage::Other);
    }

    #[test]
    fn id_lists_round_trip_and_garbage_is_corrupt() {
        let ids = vec![PackageId::new("1"), PackageId::new("2")];
        let json = ids_to_json(&ids);
        assert_eq!(ids_from_json::<PackageId>(&json).unwrap(), ids);
        assert!(matches!(
            ids_from_json::<PackageId>("{"),
            Err(StoreError::Corrupt(_))
        ));
    }

    #[test]
    fn revision_tells_insert_from_update() {
        assert_eq!(Change::from_revision(Some(1)), Change::Inserted);
        assert_eq!(Change::from_revision(Some(4)), Change::Updated);
        assert_eq!(Change::from_revision(None), Change::Unchanged);
    }
}
