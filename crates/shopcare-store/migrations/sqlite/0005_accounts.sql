-- Console accounts, sessions, login throttling and daily checklist ticks.
CREATE TABLE console_users (
    username TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL,
    shops TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE console_sessions (
    session_key TEXT PRIMARY KEY,
    username TEXT NOT NULL REFERENCES console_users (username) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
);
CREATE INDEX console_sessions_expiry ON console_sessions (expires_at);

CREATE TABLE login_failures (
    throttle_key TEXT PRIMARY KEY,
    failures INTEGER NOT NULL,
    window_start INTEGER NOT NULL
);

CREATE TABLE checklist_ticks (
    shop_id TEXT NOT NULL,
    day TEXT NOT NULL,
    item TEXT NOT NULL,
    ticked_by TEXT NOT NULL,
    ticked_at INTEGER NOT NULL,
    PRIMARY KEY (shop_id, day, item)
);
