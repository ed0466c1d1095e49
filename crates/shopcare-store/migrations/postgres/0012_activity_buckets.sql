-- Orders by creation time and reviews by review time in 15-minute UTC buckets (the
-- buckets of 0002: every local midnight is on a quarter hour, so any shop's weeks are
-- whole bucket ranges). The weekly scorecard and the star-rating trend sum a few
-- thousand of these rows instead of reading every order and review text of 12 weeks.
-- Kept by triggers inside the writing transaction, like 0002.

CREATE TABLE order_buckets (
    shop_id TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    orders BIGINT NOT NULL,
    shipped BIGINT NOT NULL,
    cancelled BIGINT NOT NULL,
    PRIMARY KEY (shop_id, bucket)
);

CREATE TABLE review_buckets (
    shop_id TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    reviews BIGINT NOT NULL,
    star_sum BIGINT NOT NULL,
    text_chars BIGINT NOT NULL,
    PRIMARY KEY (shop_id, bucket)
);

INSERT INTO order_buckets (shop_id, bucket, orders, shipped, cancelled)
    SELECT shop_id, create_time / 900000, COUNT(*),
        SUM(CASE WHEN shipped_time IS NOT NULL THEN 1 ELSE 0 END),
        SUM(CASE WHEN status IN ('CANCELLED', 'CANCEL') THEN 1 ELSE 0 END)
    FROM orders GROUP BY shop_id, create_time / 900000;

INSERT INTO review_buckets (shop_id, bucket, reviews, star_sum, text_chars)
    SELECT shop_id, created_at / 900000, COUNT(*), SUM(rating), SUM(LENGTH(text))
    FROM reviews GROUP BY shop_id, created_at / 900000;

CREATE FUNCTION shopcare_order_buckets() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE order_buckets SET orders = orders - 1,
                shipped = shipped - (CASE WHEN OLD.shipped_time IS NOT NULL THEN 1 ELSE 0 END),
                cancelled = cancelled
                    - (CASE WHEN OLD.status IN ('CANCELLED', 'CANCEL') THEN 1 ELSE 0 END)
            WHERE shop_id = OLD.shop_id AND bucket = OLD.create_time / 900000;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO order_buckets (shop_id, bucket, orders, shipped, cancelled)
            VALUES (NEW.shop_id, NEW.create_time / 900000, 1,
                CASE WHEN NEW.shipped_time IS NOT NULL THEN 1 ELSE 0 END,
                CASE WHEN NEW.status IN ('CANCELLED', 'CANCEL') THEN 1 ELSE 0 END)
            ON CONFLICT (shop_id, bucket) DO UPDATE SET
                orders = order_buckets.orders + 1,
                shipped = order_buckets.shipped + EXCLUDED.shipped,
                cancelled = order_buckets.cancelled + EXCLUDED.cancelled;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER orders_buckets_insert_delete
    AFTER INSERT OR DELETE ON orders
    FOR EACH ROW EXECUTE FUNCTION shopcare_order_buckets();

CREATE TRIGGER orders_buckets_update
    AFTER UPDATE OF shop_id, create_time, shipped_time, status ON orders
    FOR EACH ROW
    WHEN (OLD.shop_id IS DISTINCT FROM NEW.shop_id
        OR OLD.create_time IS DISTINCT FROM NEW.create_time
        OR (OLD.shipped_time IS NULL) IS DISTINCT FROM (NEW.shipped_time IS NULL)
        OR (OLD.status IN ('CANCELLED', 'CANCEL'))
            IS DISTINCT FROM (NEW.status IN ('CANCELLED', 'CANCEL')))
    EXECUTE FUNCTION shopcare_order_buckets();

CREATE FUNCTION shopcare_review_buckets() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE review_buckets SET reviews = reviews - 1, star_sum = star_sum - OLD.rating,
                text_chars = text_chars - LENGTH(OLD.text)
            WHERE shop_id = OLD.shop_id AND bucket = OLD.created_at / 900000;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO review_buckets (shop_id, bucket, reviews, star_sum, text_chars)
            VALUES (NEW.shop_id, NEW.created_at / 900000, 1, NEW.rating, LENGTH(NEW.text))
            ON CONFLICT (shop_id, bucket) DO UPDATE SET
                reviews = review_buckets.reviews + 1,
                star_sum = review_buckets.star_sum + EXCLUDED.star_sum,
                text_chars = review_buckets.text_chars + EXCLUDED.text_chars;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER reviews_buckets_insert_delete
    AFTER INSERT OR DELETE ON reviews
    FOR EACH ROW EXECUTE FUNCTION shopcare_review_buckets();

CREATE TRIGGER reviews_buckets_update
    AFTER UPDATE OF shop_id, created_at, rating, text ON reviews
    FOR EACH ROW
    WHEN (OLD.shop_id IS DISTINCT FROM NEW.shop_id
        OR OLD.created_at IS DISTINCT FROM NEW.created_at
        OR OLD.rating IS DISTINCT FROM NEW.rating OR OLD.text IS DISTINCT FROM NEW.text)
    EXECUTE FUNCTION shopcare_review_buckets();
