-- After-sales desk: case event log, seller-action outbox, evidence, warnings, observations.
CREATE TABLE case_events (
    event_id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL,
    shop_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT,
    evidence TEXT NOT NULL,
    comment TEXT,
    dedupe_key TEXT UNIQUE
);
CREATE INDEX case_events_by_case ON case_events (case_id, at);
CREATE INDEX case_events_by_shop_action ON case_events (shop_id, action);

CREATE TABLE case_actions (
    action_id TEXT PRIMARY KEY,
    command_key TEXT NOT NULL UNIQUE,
    case_id TEXT NOT NULL,
    shop_id TEXT NOT NULL,
    action TEXT NOT NULL,
    payload TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    settled_at INTEGER
);
CREATE INDEX case_actions_by_case ON case_actions (case_id, created_at);

CREATE TABLE case_evidence (
    evidence_id INTEGER PRIMARY KEY,
    case_id TEXT NOT NULL,
    shop_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    reference TEXT NOT NULL,
    note TEXT,
    added_by TEXT NOT NULL,
    added_at INTEGER NOT NULL
);
CREATE INDEX case_evidence_by_case ON case_evidence (case_id);

CREATE TABLE case_warnings (
    case_id TEXT NOT NULL,
    lead_minutes INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    raised_at INTEGER NOT NULL,
    PRIMARY KEY (case_id, lead_minutes, due_at)
);

CREATE TABLE case_observations (
    case_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    status TEXT NOT NULL,
    seller_due_at INTEGER,
    observed_at INTEGER NOT NULL
);
