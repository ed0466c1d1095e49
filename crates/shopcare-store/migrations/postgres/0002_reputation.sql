-- Reputation: review analysis, incremental metric aggregates, alert channels, inbox state.
-- Same tables and semantics as the SQLite file; the aggregates are maintained by
-- triggers inside the writing transaction (see the SQLite file for why 15-minute buckets).

CREATE TABLE review_analysis (
    review_id TEXT PRIMARY KEY,
    shop_id TEXT NOT NULL,
    order_id TEXT,
    product_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    rating BIGINT NOT NULL,
    review_time BIGINT NOT NULL,
    sentiment TEXT NOT NULL,
    root_cause TEXT NOT NULL,
    seller_related BOOLEAN NOT NULL,
    language TEXT NOT NULL,
    confidence_permille BIGINT NOT NULL,
    evidence TEXT NOT NULL,
    analysed_at BIGINT NOT NULL,
    handled_at BIGINT,
    report_candidate BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX review_analysis_by_shop_time ON review_analysis (shop_id, review_time);

CREATE TABLE delivered_order_buckets (
    shop_id TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    orders BIGINT NOT NULL,
    PRIMARY KEY (shop_id, bucket)
);

CREATE TABLE negative_review_buckets (
    shop_id TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    product_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    root_cause TEXT NOT NULL,
    seller_related BOOLEAN NOT NULL,
    reviews BIGINT NOT NULL,
    PRIMARY KEY (shop_id, bucket, product_id, sku_id, root_cause, seller_related)
);

CREATE TABLE alert_channels (
    channel_id BIGSERIAL PRIMARY KEY,
    shop_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    target TEXT NOT NULL,
    secret TEXT,
    smtp_server TEXT,
    create_time BIGINT NOT NULL
);
CREATE INDEX alert_channels_by_shop ON alert_channels (shop_id);

-- One row per alert and channel delivered: a retried alert skips channels already served.
CREATE TABLE alert_deliveries (
    alert_key TEXT NOT NULL,
    channel_id BIGINT NOT NULL,
    delivered_at BIGINT NOT NULL,
    PRIMARY KEY (alert_key, channel_id)
);

CREATE TABLE review_reply_drafts (
    draft_id BIGSERIAL PRIMARY KEY,
    review_id TEXT NOT NULL,
    text TEXT NOT NULL,
    blocked BOOLEAN NOT NULL,
    findings TEXT NOT NULL,
    create_time BIGINT NOT NULL,
    sent_at BIGINT
);
CREATE INDEX review_reply_drafts_by_review ON review_reply_drafts (review_id);

INSERT INTO delivered_order_buckets (shop_id, bucket, orders)
    SELECT shop_id, delivery_time / 900000, COUNT(*) FROM orders
    WHERE delivery_time IS NOT NULL GROUP BY shop_id, delivery_time / 900000;

CREATE FUNCTION shopcare_delivered_order_buckets() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.delivery_time IS NOT NULL THEN
        UPDATE delivered_order_buckets SET orders = orders - 1
            WHERE shop_id = OLD.shop_id AND bucket = OLD.delivery_time / 900000;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.delivery_time IS NOT NULL THEN
        INSERT INTO delivered_order_buckets (shop_id, bucket, orders)
            VALUES (NEW.shop_id, NEW.delivery_time / 900000, 1)
            ON CONFLICT (shop_id, bucket)
            DO UPDATE SET orders = delivered_order_buckets.orders + 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER orders_delivered_buckets
    AFTER INSERT OR DELETE OR UPDATE OF delivery_time, shop_id ON orders
    FOR EACH ROW EXECUTE FUNCTION shopcare_delivered_order_buckets();

CREATE FUNCTION shopcare_negative_review_buckets() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.rating <= 2 THEN
        UPDATE negative_review_buckets SET reviews = reviews - 1
            WHERE shop_id = OLD.shop_id AND bucket = OLD.review_time / 900000
            AND product_id = OLD.product_id AND sku_id = OLD.sku_id
            AND root_cause = OLD.root_cause AND seller_related = OLD.seller_related;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.rating <= 2 THEN
        INSERT INTO negative_review_buckets (shop_id, bucket, product_id, sku_id, root_cause,
                seller_related, reviews)
            VALUES (NEW.shop_id, NEW.review_time / 900000, NEW.product_id, NEW.sku_id,
                NEW.root_cause, NEW.seller_related, 1)
            ON CONFLICT (shop_id, bucket, product_id, sku_id, root_cause, seller_related)
            DO UPDATE SET reviews = negative_review_buckets.reviews + 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER review_analysis_negative_buckets
    AFTER INSERT OR DELETE OR UPDATE ON review_analysis
    FOR EACH ROW EXECUTE FUNCTION shopcare_negative_review_buckets();
