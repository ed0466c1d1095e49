-- shopcare schema, SQLite flavour. Append-only: never edit a released migration,
-- add a new numbered file instead. Kept column-for-column equal to
-- migrations/postgres/0001_initial.sql.
--
-- Conventions: times are INTEGER Unix milliseconds (UTC); money is a decimal TEXT
-- amount plus a TEXT currency; platform status strings are stored verbatim;
-- `revision` starts at 1 and grows by one per accepted update (it is how an upsert
-- tells "inserted" from "updated" without reading the row first).

CREATE TABLE shops (
    shop_id TEXT PRIMARY KEY,
    cipher TEXT NOT NULL,
    name TEXT NOT NULL,
    region TEXT NOT NULL,
    currency TEXT NOT NULL,
    time_zone TEXT NOT NULL
) WITHOUT ROWID;

-- Tokens hold `v1:` ciphertext only (see src/secret.rs), never plaintext.
CREATE TABLE seller_credentials (
    open_id TEXT PRIMARY KEY,
    seller_name TEXT NOT NULL,
    base_region TEXT NOT NULL,
    access_token TEXT NOT NULL,
    access_token_expires_at INTEGER NOT NULL,
    refresh_token TEXT NOT NULL,
    refresh_token_expires_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Which seller grant authorises each shop (one grant per shop; re-authorising moves it).
CREATE TABLE seller_shops (
    shop_id TEXT PRIMARY KEY,
    open_id TEXT NOT NULL REFERENCES seller_credentials (open_id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX seller_shops_by_open_id ON seller_shops (open_id);

CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    status TEXT NOT NULL,
    buyer_id TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    paid_time INTEGER,
    ship_by_time INTEGER,
    shipped_time INTEGER,
    delivery_time INTEGER,
    total_amount TEXT,
    total_currency TEXT,
    cancel_reason TEXT,
    cancellation_initiator TEXT,
    shipping_provider TEXT,
    tracking_number TEXT,
    is_replacement_order INTEGER NOT NULL,
    package_ids TEXT NOT NULL, -- JSON array of package ids
    revision INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
CREATE INDEX orders_by_shop_create_time ON orders (shop_id, create_time);
-- Only orders still waiting for dispatch are indexed: the summary's late-dispatch scan.
CREATE INDEX orders_awaiting_dispatch ON orders (shop_id, ship_by_time)
    WHERE status IN ('AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING') AND shipped_time IS NULL;

-- One row per unit (the platform repeats line items instead of a quantity).
-- No foreign key to orders: only `apply` writes these rows, in the same transaction
-- as their order, and a parent check per row would tax the bulk-import path.
CREATE TABLE order_line_items (
    order_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    line_item_id TEXT NOT NULL,
    shop_id TEXT NOT NULL,
    product_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    sku_name TEXT NOT NULL,
    seller_sku TEXT NOT NULL,
    sale_price_amount TEXT,
    sale_price_currency TEXT,
    package_id TEXT,
    package_status TEXT,
    display_status TEXT,
    PRIMARY KEY (order_id, position)
) WITHOUT ROWID;
CREATE INDEX order_line_items_by_sku ON order_line_items (sku_id);

CREATE TABLE packages (
    package_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    status TEXT NOT NULL,
    tracking_number TEXT,
    shipping_provider TEXT,
    order_ids TEXT NOT NULL, -- JSON array of order ids
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
CREATE INDEX packages_by_shop_update_time ON packages (shop_id, update_time);

-- Per order: the newest scan, which decides whether a new history replaces the stored one.
CREATE TABLE order_tracking (
    order_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    last_event_time INTEGER,
    last_stage TEXT,
    event_count INTEGER NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
CREATE INDEX order_tracking_by_shop_last_event ON order_tracking (shop_id, last_event_time);

CREATE TABLE tracking_events (
    order_id TEXT NOT NULL REFERENCES order_tracking (order_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    shop_id TEXT NOT NULL,
    description TEXT NOT NULL,
    stage TEXT NOT NULL,
    event_time INTEGER NOT NULL,
    PRIMARY KEY (order_id, position)
) WITHOUT ROWID;

CREATE TABLE after_sales_cases (
    case_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    arbitration_status TEXT,
    role TEXT,
    reason TEXT,
    reason_text TEXT,
    refund_total_amount TEXT,
    refund_total_currency TEXT,
    return_tracking_number TEXT,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
CREATE INDEX after_sales_cases_by_shop_status ON after_sales_cases (shop_id, status);
CREATE INDEX after_sales_cases_by_shop_create_time ON after_sales_cases (shop_id, create_time);
CREATE INDEX after_sales_cases_by_order ON after_sales_cases (order_id);

CREATE TABLE case_next_actions (
    case_id TEXT NOT NULL REFERENCES after_sales_cases (case_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    action TEXT NOT NULL,
    deadline INTEGER,
    PRIMARY KEY (case_id, position)
) WITHOUT ROWID;

CREATE TABLE case_line_items (
    case_id TEXT NOT NULL REFERENCES after_sales_cases (case_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    return_line_item_id TEXT NOT NULL,
    order_line_item_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    refund_amount TEXT,
    refund_currency TEXT,
    PRIMARY KEY (case_id, position)
) WITHOUT ROWID;

CREATE TABLE cancellations (
    cancellation_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    order_id TEXT NOT NULL,
    cancel_type TEXT NOT NULL,
    status TEXT NOT NULL,
    role TEXT,
    reason TEXT,
    reason_text TEXT,
    refund_total_amount TEXT,
    refund_total_currency TEXT,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
CREATE INDEX cancellations_by_shop_create_time ON cancellations (shop_id, create_time);
CREATE INDEX cancellations_by_order ON cancellations (order_id);

CREATE TABLE cancellation_next_actions (
    cancellation_id TEXT NOT NULL REFERENCES cancellations (cancellation_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    action TEXT NOT NULL,
    deadline INTEGER,
    PRIMARY KEY (cancellation_id, position)
) WITHOUT ROWID;

CREATE TABLE conversations (
    conversation_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    buyer_id TEXT,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
CREATE INDEX conversations_by_shop_update_time ON conversations (shop_id, update_time);

CREATE TABLE messages (
    message_id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    shop_id TEXT NOT NULL,
    message_index INTEGER NOT NULL,
    sender_role TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    is_visible INTEGER NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
CREATE INDEX messages_by_conversation ON messages (conversation_id, message_index);
CREATE INDEX messages_by_shop_create_time ON messages (shop_id, create_time);

CREATE TABLE products (
    product_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    update_time INTEGER NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
CREATE INDEX products_by_shop_update_time ON products (shop_id, update_time);

CREATE TABLE skus (
    product_id TEXT NOT NULL REFERENCES products (product_id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    sku_id TEXT NOT NULL,
    seller_sku TEXT NOT NULL,
    price_amount TEXT,
    price_currency TEXT,
    PRIMARY KEY (product_id, position)
) WITHOUT ROWID;
CREATE INDEX skus_by_sku ON skus (sku_id);

CREATE TABLE reviews (
    review_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    order_id TEXT,
    product_id TEXT,
    sku_id TEXT,
    rating INTEGER NOT NULL,
    text TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    source TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1
) WITHOUT ROWID;
CREATE INDEX reviews_by_shop_created_at ON reviews (shop_id, created_at);
CREATE INDEX reviews_by_product ON reviews (product_id);
CREATE INDEX reviews_by_sku ON reviews (sku_id);
CREATE INDEX reviews_by_order ON reviews (order_id);

CREATE TABLE sync_checkpoints (
    shop_id TEXT NOT NULL,
    resource TEXT NOT NULL,
    window_start INTEGER NOT NULL,
    window_end INTEGER NOT NULL,
    page_token TEXT,
    synced_until INTEGER,
    PRIMARY KEY (shop_id, resource)
) WITHOUT ROWID;

CREATE TABLE webhook_events (
    notification_id TEXT PRIMARY KEY,
    event_type INTEGER NOT NULL,
    shop_id TEXT,
    event_timestamp INTEGER,
    body TEXT NOT NULL,
    received_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX webhook_events_by_shop_received_at ON webhook_events (shop_id, received_at);

-- Durable jobs. state: 'queued' (waiting or leased), 'done', 'dead'. A queued job is
-- leased while leased_by is set; an expired lease may be taken over by another worker.
CREATE TABLE jobs (
    job_id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    leased_by TEXT,
    lease_expires_at INTEGER,
    last_error TEXT,
    completed_at INTEGER
);
CREATE INDEX jobs_claimable ON jobs (due_at, job_id) WHERE state = 'queued';
