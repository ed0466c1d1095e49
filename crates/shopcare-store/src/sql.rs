//! SQL shared by both backends, written with PostgreSQL's `$N` placeholders; the SQLite
//! backend rewrites them to SQLite's equivalent `?N` (see [`to_sqlite`]).
//!
//! Every entity upsert has the same shape: `INSERT ... ON CONFLICT (id) DO UPDATE ...
//! WHERE <guard> RETURNING revision`. The guard is "the incoming version is strictly
//! newer" (equal means unchanged), so replaying a batch is a no-op. The returned
//! revision (1 for a new row) tells inserted from updated without a read; no row
//! returned means the guard refused. Both engines support exactly this syntax.

use crate::encode::Param;
use shopcare_core::ReturnStatus;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Rewrites `$N` placeholders to `?N`. The statements here contain no other `$`.
pub(crate) fn to_sqlite(sql: &str) -> Cow<'_, str> {
    if sql.contains('$') {
        Cow::Owned(sql.replace('$', "?"))
    } else {
        Cow::Borrowed(sql)
    }
}

// ---- shops and credentials ---------------------------------------------------------------

pub(crate) const UPSERT_SHOP: &str =
    "INSERT INTO shops (shop_id, cipher, name, region, currency, time_zone)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (shop_id) DO UPDATE SET cipher = excluded.cipher, name = excluded.name,
        region = excluded.region, currency = excluded.currency, time_zone = excluded.time_zone";

pub(crate) const SHOP_COLUMNS: &str =
    "SELECT shop_id, cipher, name, region, currency, time_zone FROM shops";

pub(crate) const UPSERT_SELLER: &str =
    "INSERT INTO seller_credentials (open_id, seller_name, base_region,
        access_token, access_token_expires_at, refresh_token, refresh_token_expires_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (open_id) DO UPDATE SET seller_name = excluded.seller_name,
        base_region = excluded.base_region, access_token = excluded.access_token,
        access_token_expires_at = excluded.access_token_expires_at,
        refresh_token = excluded.refresh_token,
        refresh_token_expires_at = excluded.refresh_token_expires_at";

pub(crate) const DELETE_SELLER_SHOPS: &str = "DELETE FROM seller_shops WHERE open_id = $1";

pub(crate) const LINK_SELLER_SHOP: &str =
    "INSERT INTO seller_shops (shop_id, open_id) VALUES ($1, $2)
    ON CONFLICT (shop_id) DO UPDATE SET open_id = excluded.open_id";

pub(crate) const SELLER_COLUMNS: &str = "SELECT open_id, seller_name, base_region, access_token,
    access_token_expires_at, refresh_token, refresh_token_expires_at FROM seller_credentials";

pub(crate) const SELLER_SHOP_IDS: &str =
    "SELECT shop_id FROM seller_shops WHERE open_id = $1 ORDER BY shop_id";

pub(crate) const SELLER_FOR_SHOP: &str = "SELECT open_id FROM seller_shops WHERE shop_id = $1";

// ---- orders --------------------------------------------------------------------------------

pub(crate) const UPSERT_ORDER: &str = "INSERT INTO orders (order_id, shop_id, status, buyer_id,
        create_time, update_time, paid_time, ship_by_time, shipped_time, delivery_time,
        total_amount, total_currency, cancel_reason, cancellation_initiator, shipping_provider,
        tracking_number, is_replacement_order, package_ids)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
    ON CONFLICT (order_id) DO UPDATE SET shop_id = excluded.shop_id, status = excluded.status,
        buyer_id = excluded.buyer_id, create_time = excluded.create_time,
        update_time = excluded.update_time, paid_time = excluded.paid_time,
        ship_by_time = excluded.ship_by_time, shipped_time = excluded.shipped_time,
        delivery_time = excluded.delivery_time, total_amount = excluded.total_amount,
        total_currency = excluded.total_currency, cancel_reason = excluded.cancel_reason,
        cancellation_initiator = excluded.cancellation_initiator,
        shipping_provider = excluded.shipping_provider,
        tracking_number = excluded.tracking_number,
        is_replacement_order = excluded.is_replacement_order,
        package_ids = excluded.package_ids, revision = orders.revision + 1
    WHERE excluded.update_time > orders.update_time
    RETURNING revision";

/// SQLite's order path, step 1: insert the order if it is new. SQLite evaluates
/// `RETURNING` through a temporary table per execution, which costs more than the
/// insert itself on a bulk import, so the SQLite backend tells inserted from updated by
/// the changed-row count of this statement and of [`UPDATE_NEWER_ORDER`] instead.
pub(crate) const INSERT_NEW_ORDER: &str = "INSERT INTO orders (order_id, shop_id, status, buyer_id,
        create_time, update_time, paid_time, ship_by_time, shipped_time, delivery_time,
        total_amount, total_currency, cancel_reason, cancellation_initiator, shipping_provider,
        tracking_number, is_replacement_order, package_ids)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
    ON CONFLICT (order_id) DO NOTHING";

/// Orders inserted per statement on SQLite's bulk path.
pub(crate) const ORDER_CHUNK_ROWS: usize = 32;

/// A multi-row [`INSERT_NEW_ORDER`] of [`ORDER_CHUNK_ROWS`] orders returning the ids it
/// inserted: one statement (and one `RETURNING` table) per chunk instead of per order.
pub(crate) static INSERT_NEW_ORDER_CHUNK: LazyLock<String> = LazyLock::new(|| {
    let head = multi_row_head(INSERT_NEW_ORDER);
    format!(
        "{head}VALUES {} ON CONFLICT (order_id) DO NOTHING RETURNING order_id",
        placeholder_rows(ORDER_CHUNK_ROWS, ORDER_COLUMN_COUNT)
    )
});

/// Columns of one `orders` row, in `encode::order_params` order.
const ORDER_COLUMN_COUNT: usize = 18;

/// The part of a single-row SQLite insert before `VALUES`, as `INSERT OR FAIL`. A
/// multi-row statement that may abort makes SQLite copy every page it touches into a
/// statement journal first, to undo just that statement; FAIL keeps the rows already
/// written instead, and any failure rolls the whole transaction back anyway. The
/// journal copies were 7–14 % of a bulk import (1 M orders: 23.2 → 21.6 s).
fn multi_row_head(single_row_insert: &str) -> String {
    let (head, _) = single_row_insert
        .split_once("VALUES")
        .unwrap_or((single_row_insert, ""));
    head.replacen("INSERT INTO", "INSERT OR FAIL INTO", 1)
}

/// `($1, ..., $w), ($w+1, ...), ...` for `rows` rows of `width` placeholders.
fn placeholder_rows(rows: usize, width: usize) -> String {
    let rows: Vec<String> = (0..rows)
        .map(|row| {
            let placeholders: Vec<String> = (1..=width)
                .map(|column| format!("${}", row * width + column))
                .collect();
            format!("({})", placeholders.join(", "))
        })
        .collect();
    rows.join(", ")
}

/// SQLite's order path, step 2 (only when step 1 found the order): the guarded update.
/// Same parameters as [`INSERT_NEW_ORDER`].
pub(crate) const UPDATE_NEWER_ORDER: &str = "UPDATE orders SET shop_id = $2, status = $3,
        buyer_id = $4, create_time = $5, update_time = $6, paid_time = $7, ship_by_time = $8,
        shipped_time = $9, delivery_time = $10, total_amount = $11, total_currency = $12,
        cancel_reason = $13, cancellation_initiator = $14, shipping_provider = $15,
        tracking_number = $16, is_replacement_order = $17, package_ids = $18,
        revision = revision + 1
    WHERE order_id = $1 AND update_time < $6";

/// Columns of one `order_line_items` row, in `encode::line_item_params` order.
const LINE_ITEM_COLUMN_COUNT: usize = 14;

/// Line items inserted per statement on SQLite's bulk path.
pub(crate) const LINE_ITEM_CHUNK_ROWS: usize = 64;

/// A multi-row insert of [`LINE_ITEM_CHUNK_ROWS`] line items: one statement execution
/// instead of 64 cuts the per-statement overhead that dominates small rows.
pub(crate) static INSERT_LINE_ITEM_CHUNK: LazyLock<String> = LazyLock::new(|| {
    let head = multi_row_head(INSERT_LINE_ITEM);
    format!(
        "{head}VALUES {}",
        placeholder_rows(LINE_ITEM_CHUNK_ROWS, LINE_ITEM_COLUMN_COUNT)
    )
});

pub(crate) const DELETE_LINE_ITEMS: &str = "DELETE FROM order_line_items WHERE order_id = $1";

pub(crate) const INSERT_LINE_ITEM: &str = "INSERT INTO order_line_items (order_id, position,
        line_item_id, shop_id, product_id, sku_id, product_name, sku_name, seller_sku,
        sale_price_amount, sale_price_currency, package_id, package_status, display_status)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)";

pub(crate) const SELECT_ORDER: &str = "SELECT order_id, shop_id, status, buyer_id, create_time,
        update_time, paid_time, ship_by_time, shipped_time, delivery_time, total_amount,
        total_currency, cancel_reason, cancellation_initiator, shipping_provider, tracking_number,
        is_replacement_order, package_ids
    FROM orders WHERE order_id = $1";

pub(crate) const SELECT_LINE_ITEMS: &str = "SELECT line_item_id, product_id, sku_id, product_name,
        sku_name, seller_sku, sale_price_amount, sale_price_currency, package_id, package_status,
        display_status
    FROM order_line_items WHERE order_id = $1 ORDER BY position";

// ---- packages and tracking -------------------------------------------------------------------

pub(crate) const UPSERT_PACKAGE: &str = "INSERT INTO packages (package_id, shop_id, status,
        tracking_number, shipping_provider, order_ids, create_time, update_time)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
    ON CONFLICT (package_id) DO UPDATE SET shop_id = excluded.shop_id, status = excluded.status,
        tracking_number = excluded.tracking_number, shipping_provider = excluded.shipping_provider,
        order_ids = excluded.order_ids, create_time = excluded.create_time,
        update_time = excluded.update_time, revision = packages.revision + 1
    WHERE excluded.update_time > packages.update_time
    RETURNING revision";

/// A tracking history replaces the stored one when its latest scan is later, or equally
/// late with more scans (a carrier back-filling a scan at the same minute).
pub(crate) const UPSERT_TRACKING: &str = "INSERT INTO order_tracking (order_id, shop_id,
        last_event_time, last_stage, event_count)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (order_id) DO UPDATE SET shop_id = excluded.shop_id,
        last_event_time = excluded.last_event_time, last_stage = excluded.last_stage,
        event_count = excluded.event_count, revision = order_tracking.revision + 1
    WHERE excluded.event_count > 0 AND (order_tracking.last_event_time IS NULL
        OR excluded.last_event_time > order_tracking.last_event_time
        OR (excluded.last_event_time = order_tracking.last_event_time
            AND excluded.event_count > order_tracking.event_count))
    RETURNING revision";

pub(crate) const DELETE_TRACKING_EVENTS: &str = "DELETE FROM tracking_events WHERE order_id = $1";

pub(crate) const INSERT_TRACKING_EVENT: &str = "INSERT INTO tracking_events (order_id, position,
        shop_id, description, stage, event_time)
    VALUES ($1, $2, $3, $4, $5, $6)";

pub(crate) const SELECT_TRACKING_EVENTS: &str = "SELECT description, stage, event_time
    FROM tracking_events WHERE order_id = $1 ORDER BY event_time, position";

// ---- after-sales -------------------------------------------------------------------------------

pub(crate) const UPSERT_CASE: &str = "INSERT INTO after_sales_cases (case_id, shop_id, order_id,
        kind, status, arbitration_status, role, reason, reason_text, refund_total_amount,
        refund_total_currency, return_tracking_number, create_time, update_time)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
    ON CONFLICT (case_id) DO UPDATE SET shop_id = excluded.shop_id, order_id = excluded.order_id,
        kind = excluded.kind, status = excluded.status,
        arbitration_status = excluded.arbitration_status, role = excluded.role,
        reason = excluded.reason, reason_text = excluded.reason_text,
        refund_total_amount = excluded.refund_total_amount,
        refund_total_currency = excluded.refund_total_currency,
        return_tracking_number = excluded.return_tracking_number,
        create_time = excluded.create_time, update_time = excluded.update_time,
        revision = after_sales_cases.revision + 1
    WHERE excluded.update_time > after_sales_cases.update_time
    RETURNING revision";

pub(crate) const DELETE_CASE_NEXT_ACTIONS: &str =
    "DELETE FROM case_next_actions WHERE case_id = $1";

pub(crate) const INSERT_CASE_NEXT_ACTION: &str = "INSERT INTO case_next_actions (case_id, position,
        action, deadline) VALUES ($1, $2, $3, $4)";

pub(crate) const DELETE_CASE_LINE_ITEMS: &str = "DELETE FROM case_line_items WHERE case_id = $1";

pub(crate) const INSERT_CASE_LINE_ITEM: &str = "INSERT INTO case_line_items (case_id, position,
        return_line_item_id, order_line_item_id, sku_id, product_name, refund_amount,
        refund_currency) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

pub(crate) const SELECT_CASE: &str = "SELECT case_id, shop_id, order_id, kind, status,
        arbitration_status, role, reason, reason_text, refund_total_amount, refund_total_currency,
        return_tracking_number, create_time, update_time
    FROM after_sales_cases WHERE case_id = $1";

pub(crate) const SELECT_CASE_NEXT_ACTIONS: &str =
    "SELECT action, deadline FROM case_next_actions WHERE case_id = $1 ORDER BY position";

pub(crate) const SELECT_CASE_LINE_ITEMS: &str = "SELECT return_line_item_id, order_line_item_id,
        sku_id, product_name, refund_amount, refund_currency
    FROM case_line_items WHERE case_id = $1 ORDER BY position";

pub(crate) const UPSERT_CANCELLATION: &str = "INSERT INTO cancellations (cancellation_id, shop_id,
        order_id, cancel_type, status, role, reason, reason_text, refund_total_amount,
        refund_total_currency, create_time, update_time)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
    ON CONFLICT (cancellation_id) DO UPDATE SET shop_id = excluded.shop_id,
        order_id = excluded.order_id, cancel_type = excluded.cancel_type,
        status = excluded.status, role = excluded.role, reason = excluded.reason,
        reason_text = excluded.reason_text, refund_total_amount = excluded.refund_total_amount,
        refund_total_currency = excluded.refund_total_currency,
        create_time = excluded.create_time, update_time = excluded.update_time,
        revision = cancellations.revision + 1
    WHERE excluded.update_time > cancellations.update_time
    RETURNING revision";

pub(crate) const DELETE_CANCELLATION_NEXT_ACTIONS: &str =
    "DELETE FROM cancellation_next_actions WHERE cancellation_id = $1";

pub(crate) const INSERT_CANCELLATION_NEXT_ACTION: &str = "INSERT INTO cancellation_next_actions
        (cancellation_id, position, action, deadline) VALUES ($1, $2, $3, $4)";

// ---- chats, products, reviews ------------------------------------------------------------------

pub(crate) const UPSERT_CONVERSATION: &str = "INSERT INTO conversations (conversation_id, shop_id,
        buyer_id, create_time, update_time)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (conversation_id) DO UPDATE SET shop_id = excluded.shop_id,
        buyer_id = excluded.buyer_id, create_time = excluded.create_time,
        update_time = excluded.update_time, revision = conversations.revision + 1
    WHERE excluded.update_time > conversations.update_time
    RETURNING revision";

/// Messages have no update time: a message is rewritten only when what the buyer sees
/// changed (a recalled message turns invisible; a decoded text was corrected).
pub(crate) const UPSERT_MESSAGE: &str =
    "INSERT INTO messages (message_id, conversation_id, shop_id,
        message_index, sender_role, kind, text, create_time, is_visible)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (message_id) DO UPDATE SET conversation_id = excluded.conversation_id,
        shop_id = excluded.shop_id, message_index = excluded.message_index,
        sender_role = excluded.sender_role, kind = excluded.kind, text = excluded.text,
        create_time = excluded.create_time, is_visible = excluded.is_visible,
        revision = messages.revision + 1
    WHERE excluded.text <> messages.text OR excluded.is_visible <> messages.is_visible
        OR excluded.kind <> messages.kind OR excluded.sender_role <> messages.sender_role
    RETURNING revision";

pub(crate) const UPSERT_PRODUCT: &str = "INSERT INTO products (product_id, shop_id, title, status,
        create_time, update_time)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (product_id) DO UPDATE SET shop_id = excluded.shop_id, title = excluded.title,
        status = excluded.status, create_time = excluded.create_time,
        update_time = excluded.update_time, revision = products.revision + 1
    WHERE excluded.update_time > products.update_time
    RETURNING revision";

pub(crate) const DELETE_SKUS: &str = "DELETE FROM skus WHERE product_id = $1";

pub(crate) const INSERT_SKU: &str = "INSERT INTO skus (product_id, position, sku_id, seller_sku,
        price_amount, price_currency) VALUES ($1, $2, $3, $4, $5, $6)";

/// Reviews carry no edit time, so `created_at` is the version: a re-import of the same
/// review is unchanged, and only a later `created_at` (the platform re-dates an edited
/// review) replaces it.
pub(crate) const UPSERT_REVIEW: &str = "INSERT INTO reviews (review_id, shop_id, order_id,
        product_id, sku_id, rating, text, created_at, source)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (review_id) DO UPDATE SET shop_id = excluded.shop_id,
        order_id = excluded.order_id, product_id = excluded.product_id,
        sku_id = excluded.sku_id, rating = excluded.rating, text = excluded.text,
        created_at = excluded.created_at, source = excluded.source,
        revision = reviews.revision + 1
    WHERE excluded.created_at > reviews.created_at
    RETURNING revision";

pub(crate) const REVIEW_COLUMNS: &str = "SELECT review_id, shop_id, order_id, product_id, sku_id,
    rating, text, created_at, source FROM reviews";

// ---- checkpoints ---------------------------------------------------------------------------------

pub(crate) const UPSERT_CHECKPOINT: &str = "INSERT INTO sync_checkpoints (shop_id, resource,
        window_start, window_end, page_token, synced_until)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (shop_id, resource) DO UPDATE SET window_start = excluded.window_start,
        window_end = excluded.window_end, page_token = excluded.page_token,
        synced_until = excluded.synced_until";

pub(crate) const SELECT_CHECKPOINT: &str = "SELECT window_start, window_end, page_token,
    synced_until FROM sync_checkpoints WHERE shop_id = $1 AND resource = $2";

// ---- counts and summary -----------------------------------------------------------------------------

pub(crate) const ENTITY_COUNTS: &str = "SELECT
    (SELECT COUNT(*) FROM shops),
    (SELECT COUNT(*) FROM orders),
    (SELECT COUNT(*) FROM packages),
    (SELECT COUNT(*) FROM tracking_events),
    (SELECT COUNT(*) FROM after_sales_cases),
    (SELECT COUNT(*) FROM cancellations),
    (SELECT COUNT(*) FROM conversations),
    (SELECT COUNT(*) FROM messages),
    (SELECT COUNT(*) FROM products),
    (SELECT COUNT(*) FROM reviews)";

/// `$1` shop, `$2` window start (inclusive), `$3` now (inclusive).
pub(crate) const SUMMARY_REVIEWS: &str = "SELECT COUNT(*), COUNT(*) FILTER (WHERE rating <= 2)
    FROM reviews WHERE shop_id = $1 AND created_at >= $2 AND created_at <= $3";

/// `$1` shop, `$2` now, `$3` now + risk window. Late: ship-by already passed; at risk:
/// ship-by between now and the end of the window. The WHERE matches the partial index.
pub(crate) const SUMMARY_DISPATCH: &str = "SELECT
        COUNT(*) FILTER (WHERE ship_by_time >= $2 AND ship_by_time <= $3),
        COUNT(*) FILTER (WHERE ship_by_time < $2)
    FROM orders
    WHERE shop_id = $1 AND status IN ('AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING')
        AND shipped_time IS NULL AND ship_by_time IS NOT NULL";

/// `$1` shop, `$2` idle cut-off. Stalled: the latest scan is older than the cut-off, it
/// is not a final scan, and the order (when known) is not delivered, completed or cancelled.
pub(crate) const SUMMARY_STALLED: &str = "SELECT COUNT(*)
    FROM order_tracking t LEFT JOIN orders o ON o.order_id = t.order_id
    WHERE t.shop_id = $1 AND t.last_event_time < $2
        AND t.last_stage NOT IN ('delivered', 'returned')
        AND (o.order_id IS NULL OR (o.delivery_time IS NULL
            AND o.status NOT IN ('DELIVERED', 'COMPLETED', 'CANCELLED')))";

/// Open cases of `$1` with their earliest next-action deadline. Closed statuses come from
/// `ReturnStatus::is_closed`, so the core stays the one place that defines "closed".
pub(crate) static SUMMARY_OPEN_CASES: LazyLock<String> = LazyLock::new(|| {
    let closed: Vec<String> = ReturnStatus::KNOWN
        .iter()
        .filter(|status| status.is_closed())
        .map(|status| format!("'{}'", status.as_str()))
        .collect();
    format!(
        "SELECT c.case_id, c.kind, c.status,
            (SELECT MIN(a.deadline) FROM case_next_actions a WHERE a.case_id = c.case_id)
        FROM after_sales_cases c
        WHERE c.shop_id = $1 AND c.status NOT IN ({})",
        closed.join(", ")
    )
});

// ---- webhooks and jobs ------------------------------------------------------------------------------------

pub(crate) const INSERT_WEBHOOK_EVENT: &str = "INSERT INTO webhook_events (notification_id,
        event_type, shop_id, event_timestamp, body, received_at)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (notification_id) DO NOTHING";

pub(crate) const SELECT_WEBHOOK_EVENT: &str = "SELECT notification_id, event_type, shop_id,
    event_timestamp, body, received_at FROM webhook_events WHERE notification_id = $1";

pub(crate) const INSERT_JOB: &str = "INSERT INTO jobs (kind, dedupe_key, payload, due_at,
        max_attempts)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (dedupe_key) DO NOTHING";

/// `$1` now. A job whose lease expired after its last allowed attempt is dead: the worker
/// holding it crashed every time, and claiming it again would exceed `max_attempts`.
pub(crate) const BURY_EXHAUSTED_JOBS: &str = "UPDATE jobs SET state = 'dead',
        last_error = COALESCE(last_error, 'lease expired on the final attempt'),
        leased_by = NULL, lease_expires_at = NULL
    WHERE state = 'queued' AND leased_by IS NOT NULL AND lease_expires_at <= $1
        AND attempts >= max_attempts";

pub(crate) const JOB_RETURNING: &str =
    "RETURNING job_id, kind, dedupe_key, payload, due_at, attempts, max_attempts";

/// `$1` job, `$2` worker, `$3` now.
pub(crate) const COMPLETE_JOB: &str = "UPDATE jobs SET state = 'done', leased_by = NULL,
        lease_expires_at = NULL, completed_at = $3
    WHERE job_id = $1 AND leased_by = $2 AND state = 'queued'";

/// `$1` job, `$2` worker, `$3` error, `$4` retry time or NULL. Out of attempts means dead
/// even when a retry time is given: `max_attempts` is the job's own promise.
pub(crate) const FAIL_JOB: &str = "UPDATE jobs SET
        state = CASE WHEN $4 IS NULL OR attempts >= max_attempts THEN 'dead' ELSE 'queued' END,
        due_at = COALESCE($4, due_at), last_error = $3, leased_by = NULL,
        lease_expires_at = NULL
    WHERE job_id = $1 AND leased_by = $2 AND state = 'queued'";

pub(crate) const JOB_COUNTS: &str = "SELECT
        COUNT(*) FILTER (WHERE state = 'queued' AND leased_by IS NULL),
        COUNT(*) FILTER (WHERE state = 'queued' AND leased_by IS NOT NULL),
        COUNT(*) FILTER (WHERE state = 'done'),
        COUNT(*) FILTER (WHERE state = 'dead')
    FROM jobs WHERE $1 IS NULL OR kind = $1";

/// The `list_reviews` query for `filter`: newest first, ties by id.
pub(crate) fn review_query(filter: &crate::ReviewFilter) -> (String, Vec<Param<'_>>) {
    let mut conditions: Vec<String> = Vec::new();
    let mut params: Vec<Param<'_>> = Vec::new();
    // The placeholder of the param just pushed.
    let next = |params: &[Param<'_>]| format!("${}", params.len());
    if let Some(shop_ids) = &filter.shop_ids {
        if shop_ids.is_empty() {
            conditions.push("1 = 0".to_owned());
        } else {
            let mut placeholders = Vec::with_capacity(shop_ids.len());
            for shop_id in shop_ids {
                params.push(Param::text(shop_id.as_str()));
                placeholders.push(next(&params));
            }
            conditions.push(format!("shop_id IN ({})", placeholders.join(", ")));
        }
    }
    if let Some(min_rating) = filter.min_rating {
        params.push(Param::int(i64::from(min_rating)));
        conditions.push(format!("rating >= {}", next(&params)));
    }
    if let Some(max_rating) = filter.max_rating {
        params.push(Param::int(i64::from(max_rating)));
        conditions.push(format!("rating <= {}", next(&params)));
    }
    if let Some(created_from) = filter.created_from {
        params.push(Param::time(created_from));
        conditions.push(format!("created_at >= {}", next(&params)));
    }
    if let Some(created_before) = filter.created_before {
        params.push(Param::time(created_before));
        conditions.push(format!("created_at < {}", next(&params)));
    }
    let mut query = REVIEW_COLUMNS.to_owned();
    if !conditions.is_empty() {
        query.push_str(" WHERE ");
        query.push_str(&conditions.join(" AND "));
    }
    query.push_str(" ORDER BY created_at DESC, review_id");
    if let Some(limit) = filter.limit {
        params.push(Param::int(i64::from(limit)));
        query.push_str(&format!(" LIMIT {}", next(&params)));
    }
    (query, params)
}
