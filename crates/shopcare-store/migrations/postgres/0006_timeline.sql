-- Post-purchase timeline: settings per shop and SKU, shop templates, the message log.
CREATE TABLE timeline_settings (
    shop_id TEXT PRIMARY KEY,
    enabled BOOLEAN NOT NULL,
    stall_hours BIGINT NOT NULL,
    quiet_start TEXT NOT NULL,
    quiet_end TEXT NOT NULL,
    language TEXT NOT NULL,
    processing_days BIGINT NOT NULL,
    help_day BIGINT NOT NULL,
    usage_windows TEXT NOT NULL, -- JSON object: category -> days
    default_usage_window_days BIGINT NOT NULL,
    replenishment_percent BIGINT NOT NULL,
    tracking_link_pattern TEXT,
    updated_at BIGINT NOT NULL
);

CREATE TABLE timeline_sku_settings (
    shop_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    category TEXT,
    common_confusion TEXT,
    help_message BOOLEAN NOT NULL,
    depletion_cycle_days BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (shop_id, sku_id)
);

CREATE TABLE timeline_templates (
    shop_id TEXT NOT NULL,
    trigger_name TEXT NOT NULL,
    language TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (shop_id, trigger_name, language)
);

-- One row per order and trigger, ever: the guarantee that no message is sent twice.
CREATE TABLE timeline_messages (
    order_id TEXT NOT NULL,
    trigger_name TEXT NOT NULL,
    shop_id TEXT NOT NULL,
    state TEXT NOT NULL,
    due_at BIGINT NOT NULL,
    template_key TEXT NOT NULL,
    text TEXT NOT NULL,
    reason TEXT NOT NULL,
    conversation_id TEXT,
    message_id TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (order_id, trigger_name)
);
CREATE INDEX timeline_messages_by_shop_due ON timeline_messages (shop_id, due_at);
