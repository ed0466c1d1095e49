-- Reputation: review analysis, incremental metric aggregates, alert channels, inbox state.
--
-- Aggregates are kept in 15-minute UTC buckets (shopcare_core::metrics::BUCKET_MILLIS):
-- every zone's local midnight is on a quarter hour, so any shop's calendar window is a
-- whole range of buckets. They are maintained by triggers inside the writing transaction,
-- so `apply` (orders) and the analysis upsert (reviews) need no extra code and a crash
-- can never leave them out of step with the rows they count.

CREATE TABLE review_analysis (
    review_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    order_id TEXT,
    product_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    rating INTEGER NOT NULL,
    review_time INTEGER NOT NULL,
    sentiment TEXT NOT NULL,
    root_cause TEXT NOT NULL,
    seller_related INTEGER NOT NULL,
    language TEXT NOT NULL,
    confidence_permille INTEGER NOT NULL,
    evidence TEXT NOT NULL,
    analysed_at INTEGER NOT NULL,
    handled_at INTEGER,
    report_candidate INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX review_analysis_by_shop_time ON review_analysis (shop_id, review_time);

CREATE TABLE delivered_order_buckets (
    shop_id TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    orders INTEGER NOT NULL,
    PRIMARY KEY (shop_id, bucket)
);

CREATE TABLE negative_review_buckets (
    shop_id TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    root_cause TEXT NOT NULL,
    seller_related INTEGER NOT NULL,
    reviews INTEGER NOT NULL,
    PRIMARY KEY (shop_id, bucket, product_id, sku_id, root_cause, seller_related)
);

CREATE TABLE alert_channels (
    channel_id INTEGER PRIMARY KEY AUTOINCREMENT,
    shop_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    secret TEXT,
    smtp_server TEXT,
    create_time INTEGER NOT NULL
);
CREATE INDEX alert_channels_by_shop ON alert_channels (shop_id);

-- One row per alert and channel delivered: a retried alert skips channels already served.
CREATE TABLE alert_deliveries (
    alert_key TEXT NOT NULL,
    channel_id INTEGER NOT NULL,
    delivered_at INTEGER NOT NULL,
    PRIMARY KEY (alert_key, channel_id)
);

CREATE TABLE review_reply_drafts (
    draft_id INTEGER PRIMARY KEY AUTOINCREMENT,
    review_id TEXT NOT NULL,
    text TEXT NOT NULL,
    blocked INTEGER NOT NULL,
    findings TEXT NOT NULL,
    create_time INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX review_reply_drafts_by_review ON review_reply_drafts (review_id);

INSERT INTO delivered_order_buckets (shop_id, bucket, orders)
    SELECT shop_id, delivery_time / 900000, COUNT(*) FROM orders
    WHERE delivery_time IS NOT NULL GROUP BY shop_id, delivery_time / 900000;

CREATE TRIGGER orders_delivered_insert AFTER INSERT ON orders
WHEN NEW.delivery_time IS NOT NULL
BEGIN
    INSERT INTO delivered_order_buckets (shop_id, bucket, orders)
        VALUES (NEW.shop_id, NEW.delivery_time / 900000, 1)
        ON CONFLICT (shop_id, bucket) DO UPDATE SET orders = orders + 1;
END;

CREATE TRIGGER orders_delivered_update AFTER UPDATE OF delivery_time, shop_id ON orders
WHEN OLD.delivery_time IS NOT NEW.delivery_time OR OLD.shop_id IS NOT NEW.shop_id
BEGIN
    UPDATE delivered_order_buckets SET orders = orders - 1
        WHERE OLD.delivery_time IS NOT NULL AND shop_id = OLD.shop_id
        AND bucket = OLD.delivery_time / 900000;
    INSERT INTO delivered_order_buckets (shop_id, bucket, orders)
        SELECT NEW.shop_id, NEW.delivery_time / 900000, 1 WHERE NEW.delivery_time IS NOT NULL
        ON CONFLICT (shop_id, bucket) DO UPDATE SET orders = orders + 1;
END;

CREATE TRIGGER orders_delivered_delete AFTER DELETE ON orders
WHEN OLD.delivery_time IS NOT NULL
BEGIN
    UPDATE delivered_order_buckets SET orders = orders - 1
        WHERE shop_id = OLD.shop_id AND bucket = OLD.delivery_time / 900000;
END;

CREATE TRIGGER review_analysis_negative_insert AFTER INSERT ON review_analysis
WHEN NEW.rating <= 2
BEGIN
    INSERT INTO negative_review_buckets (shop_id, bucket, product_id, sku_id, root_cause,
            seller_related, reviews)
        VALUES (NEW.shop_id, NEW.review_time / 900000, NEW.product_id, NEW.sku_id,
            NEW.root_cause, NEW.seller_related, 1)
        ON CONFLICT (shop_id, bucket, product_id, sku_id, root_cause, seller_related)
        DO UPDATE SET reviews = reviews + 1;
END;

CREATE TRIGGER review_analysis_negative_update AFTER UPDATE ON review_analysis
BEGIN
    UPDATE negative_review_buckets SET reviews = reviews - 1
        WHERE OLD.rating <= 2 AND shop_id = OLD.shop_id
        AND bucket = OLD.review_time / 900000 AND product_id = OLD.product_id
        AND sku_id = OLD.sku_id AND root_cause = OLD.root_cause
        AND seller_related = OLD.seller_related;
    INSERT INTO negative_review_buckets (shop_id, bucket, product_id, sku_id, root_cause,
            seller_related, reviews)
        SELECT NEW.shop_id, NEW.review_time / 900000, NEW.product_id, NEW.sku_id,
            NEW.root_cause, NEW.seller_related, 1 WHERE NEW.rating <= 2
        ON CONFLICT (shop_id, bucket, product_id, sku_id, root_cause, seller_related)
        DO UPDATE SET reviews = reviews + 1;
END;

CREATE TRIGGER review_analysis_negative_delete AFTER DELETE ON review_analysis
WHEN OLD.rating <= 2
BEGIN
    UPDATE negative_review_buckets SET reviews = reviews - 1
        WHERE shop_id = OLD.shop_id AND bucket = OLD.review_time / 900000
        AND product_id = OLD.product_id AND sku_id = OLD.sku_id
        AND root_cause = OLD.root_cause AND seller_related = OLD.seller_related;
END;
