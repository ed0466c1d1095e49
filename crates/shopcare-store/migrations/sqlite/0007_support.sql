-- Support desk (issue 6, part 2): tickets, saved replies, chat flags, reply outbox,
-- issue reports and the voice-of-customer log.
CREATE TABLE support_tickets (
    conversation_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    buyer_id TEXT,
    state TEXT NOT NULL,
    category TEXT,
    suggested_category TEXT,
    priority TEXT NOT NULL,
    priority_reasons TEXT NOT NULL, -- JSON array of reason names
    assigned_agent TEXT,
    order_id TEXT,
    sku_id TEXT,
    root_cause_tag TEXT,
    checklist TEXT NOT NULL, -- JSON array of steps
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX support_tickets_by_shop_updated ON support_tickets (shop_id, updated_at);

CREATE TABLE support_saved_replies (
    reply_id TEXT PRIMARY KEY,
    shop_id TEXT,
    name TEXT NOT NULL,
    category TEXT NOT NULL,
    language TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX support_saved_replies_by_shop ON support_saved_replies (shop_id);

CREATE TABLE support_chat_periods (
    period_id INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER
);
CREATE INDEX support_chat_periods_by_shop ON support_chat_periods (shop_id, starts_at);

CREATE TABLE support_blocked_buyers (
    shop_id TEXT NOT NULL,
    buyer_id TEXT NOT NULL,
    blocked_at INTEGER NOT NULL,
    PRIMARY KEY (shop_id, buyer_id)
) WITHOUT ROWID;

CREATE TABLE support_message_marks (
    message_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    mark TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX support_message_marks_by_shop ON support_message_marks (shop_id);

CREATE TABLE support_replies (
    reply_id TEXT PRIMARY KEY,
    command_key TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL,
    shop_id TEXT NOT NULL,
    text TEXT NOT NULL,
    agent TEXT NOT NULL,
    state TEXT NOT NULL,
    message_id TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER
) WITHOUT ROWID;
CREATE INDEX support_replies_by_shop_state ON support_replies (shop_id, state);

CREATE TABLE support_issue_reports (
    report_id INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id TEXT NOT NULL,
    reported_at INTEGER NOT NULL,
    category TEXT NOT NULL,
    root_cause TEXT NOT NULL,
    sku_id TEXT,
    source TEXT NOT NULL,
    source_id TEXT NOT NULL,
    UNIQUE (source, source_id, root_cause)
);
CREATE INDEX support_issue_reports_by_time ON support_issue_reports (reported_at);

CREATE TABLE support_voc_entries (
    entry_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    category TEXT NOT NULL,
    root_cause TEXT NOT NULL,
    sku_ids TEXT NOT NULL, -- JSON array
    fix_owner TEXT,
    fix_shipped_on TEXT, -- YYYY-MM-DD, shop-local
    note TEXT,
    updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- A ticket's context looks up the buyer's orders in one shop.
CREATE INDEX support_orders_by_buyer ON orders (shop_id, buyer_id, create_time);
