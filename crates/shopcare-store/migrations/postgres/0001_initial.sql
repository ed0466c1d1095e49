-- shopcare schema, PostgreSQL flavour. Append-only: never edit a released migration,
-- add a new numbered file instead. Kept column-for-column equal to
-- migrations/sqlite/0001_initial.sql.
--
-- Conventions: times are BIGINT Unix milliseconds (UTC); money is a decimal TEXT
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
);

-- Tokens hold `v1:` ciphertext only (see src/secret.rs), never plaintext.
CREATE TABLE seller_credentials (
    open_id TEXT PRIMARY KEY,
    seller_name TEXT NOT NULL,
    base_region TEXT NOT NULL,
    access_token TEXT NOT NULL,
    access_token_expires_at BIGINT NOT NULL,
    refresh_token TEXT NOT NULL,
    refresh_token_expires_at BIGINT NOT NULL
);

-- Which seller grant authorises each shop (one grant per shop; re-authorising moves it).
CREATE TABLE seller_shops (
    shop_id TEXT PRIMARY KEY,
    open_id TEXT NOT NULL REFERENCES seller_credentials (open_id) ON DELETE CASCADE
);
CREATE INDEX seller_shops_by_open_id ON seller_shops (open_id);

CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    status TEXT NOT NULL,
    buyer_id TEXT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    paid_time BIGINT,
    ship_by_time BIGINT,
    shipped_time BIGINT,
    delivery_time BIGINT,
    total_amount TEXT,
    total_currency TEXT,
    cancel_reason TEXT,
    cancellation_initiator TEXT,
    shipping_provider TEXT,
    tracking_number TEXT,
    is_replacement_order BOOLEAN NOT NULL,
    package_ids TEXT NOT NULL, -- JSON array of package ids
    revision BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX orders_by_shop_create_time ON orders (shop_id, create_time);
-- Only orders still waiting for dispatch are indexed: the summary's late-dispatch scan.
CREATE INDEX orders_awaiting_dispatch ON orders (shop_id, ship_by_time)
    WHERE status IN ('AWAITING_SHIPMENT', 'PARTIALLY_SHIPPING') AND shipped_time IS NULL;

-- One row per unit (the platform repeats line items instead of a quantity).
-- No foreign key to orders: only `apply` writes these rows, in the same transaction
-- as their order, and a parent check per row would tax the bulk-import path.
CREATE TABLE order_line_items (
    order_id TEXT NOT NULL,
    position BIGINT NOT NULL,
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
);
CREATE INDEX order_line_items_by_sku ON order_line_items (sku_id);

CREATE TABLE packages (
    package_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    status TEXT NOT NULL,
    tracking_number TEXT,
    shipping_provider TEXT,
    order_ids TEXT NOT NULL, -- JSON array of order ids
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX packages_by_shop_update_time ON packages (shop_id, update_time);

-- Per order: the newest scan, which decides whether a new history replaces the stored one.
CREATE TABLE order_tracking (
    order_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    last_event_time BIGINT,
    last_stage TEXT,
    event_count BIGINT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX order_tracking_by_shop_last_event ON order_tracking (shop_id, last_event_time);

CREATE TABLE tracking_events (
    order_id TEXT NOT NULL REFERENCES order_tracking (order_id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    shop_id TEXT NOT NULL,
    description TEXT NOT NULL,
    stage TEXT NOT NULL,
    event_time BIGINT NOT NULL,
    PRIMARY KEY (order_id, position)
);

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
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX after_sales_cases_by_shop_status ON after_sales_cases (shop_id, status);
CREATE INDEX after_sales_cases_by_shop_create_time ON after_sales_cases (shop_id, create_time);
CREATE INDEX after_sales_cases_by_order ON after_sales_cases (order_id);

CREATE TABLE case_next_actions (
    case_id TEXT NOT NULL REFERENCES after_sales_cases (case_id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    action TEXT NOT NULL,
    deadline BIGINT,
    PRIMARY KEY (case_id, position)
);

CREATE TABLE case_line_items (
    case_id TEXT NOT NULL REFERENCES after_sales_cases (case_id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    return_line_item_id TEXT NOT NULL,
    order_line_item_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    product_name TEXT NOT NULL,
    refund_amount TEXT,
    refund_currency TEXT,
    PRIMARY KEY (case_id, position)
);

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
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX cancellations_by_shop_create_time ON cancellations (shop_id, create_time);
CREATE INDEX cancellations_by_order ON cancellations (order_id);

CREATE TABLE cancellation_next_actions (
    cancellation_id TEXT NOT NULL REFERENCES cancellations (cancellation_id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    action TEXT NOT NULL,
    deadline BIGINT,
    PRIMARY KEY (cancellation_id, position)
);

CREATE TABLE conversations (
    conversation_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    buyer_id TEXT,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX conversations_by_shop_update_time ON conversations (shop_id, update_time);

CREATE TABLE messages (
    message_id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    shop_id TEXT NOT NULL,
    message_index BIGINT NOT NULL,
    sender_role TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    create_time BIGINT NOT NULL,
    is_visible BOOLEAN NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, message_index);
CREATE INDEX messages_by_shop_create_time ON messages (shop_id, create_time);

CREATE TABLE products (
    product_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    title TEXT NOT NULL,
    status TEXT NOT NULL,
    create_time BIGINT NOT NULL,
    update_time BIGINT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX products_by_shop_update_time ON products (shop_id, update_time);

CREATE TABLE skus (
    product_id TEXT NOT NULL REFERENCES products (product_id) ON DELETE CASCADE,
    position BIGINT NOT NULL,
    sku_id TEXT NOT NULL,
    seller_sku TEXT NOT NULL,
    price_amount TEXT,
    price_currency TEXT,
    PRIMARY KEY (product_id, position)
);
CREATE INDEX skus_by_sku ON skus (sku_id);

CREATE TABLE reviews (
    review_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    order_id TEXT,
    product_id TEXT,
    sku_id TEXT,
    rating BIGINT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    source TEXT NOT NULL,
    revision BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX reviews_by_shop_created_at ON reviews (shop_id, created_at);
CREATE INDEX reviews_by_product ON reviews (product_id);
CREATE INDEX reviews_by_sku ON reviews (sku_id);
CREATE INDEX reviews_by_order ON reviews (order_id);

CREATE TABLE sync_checkpoints (
    shop_id TEXT NOT NULL,
    resource TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    window_end BIGINT NOT NULL,
    page_token TEXT,
    synced_until BIGINT,
    PRIMARY KEY (shop_id, resource)
);

CREATE TABLE webhook_events (
    notification_id TEXT PRIMARY KEY,
    event_type BIGINT NOT NULL,
    shop_id TEXT,
    event_timestamp BIGINT,
    body TEXT NOT NULL,
    received_at BIGINT NOT NULL
);
CREATE INDEX webhook_events_by_shop_received_at ON webhook_events (shop_id, received_at);

-- Durable jobs. state: 'queued' (waiting or leased), 'done', 'dead'. A queued job is
-- leased while leased_by is set; an expired lease may be taken over by another worker.
CREATE TABLE jobs (
    job_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    dedupe_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',
    leased_by TEXT,
    lease_expires_at BIGINT,
    last_error TEXT,
    completed_at BIGINT
);
CREATE INDEX jobs_claimable ON jobs (due_at, job_id) WHERE state = 'queued';
