-- Orders by creation time and reviews by review time in 15-minute UTC buckets (the
-- buckets of 0002: every local midnight is on a quarter hour, so any shop's weeks are
-- whole bucket ranges). The weekly scorecard and the star-rating trend sum a few
-- thousand of these rows instead of reading every order and review text of 12 weeks.
-- Kept by triggers inside the writing transaction, like 0002.

CREATE TABLE order_buckets (
    shop_id TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    orders INTEGER NOT NULL,
    shipped INTEGER NOT NULL,
    cancelled INTEGER NOT NULL,
    PRIMARY KEY (shop_id, bucket)
) WITHOUT ROWID;

CREATE TABLE review_buckets (
    shop_id TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    reviews INTEGER NOT NULL,
    star_sum INTEGER NOT NULL,
    text_chars INTEGER NOT NULL,
    PRIMARY KEY (shop_id, bucket)
) WITHOUT ROWID;

INSERT INTO order_buckets (shop_id, bucket, orders, shipped, cancelled)
    SELECT shop_id, create_time / 900000, COUNT(*),
        SUM(CASE WHEN shipped_time IS NOT NULL THEN 1 ELSE 0 END),
        SUM(CASE WHEN status IN ('CANCELLED', 'CANCEL') THEN 1 ELSE 0 END)
    FROM orders GROUP BY shop_id, create_time / 900000;

INSERT INTO review_buckets (shop_id, bucket, reviews, star_sum, text_chars)
    SELECT shop_id, created_at / 900000, COUNT(*), SUM(rating), SUM(LENGTH(text))
    FROM reviews GROUP BY shop_id, created_at / 900000;

CREATE TRIGGER orders_buckets_insert AFTER INSERT ON orders
BEGIN
    INSERT INTO order_buckets (shop_id, bucket, orders, shipped, cancelled)
        VALUES (NEW.shop_id, NEW.create_time / 900000, 1,
            NEW.shipped_time IS NOT NULL, NEW.status IN ('CANCELLED', 'CANCEL'))
        ON CONFLICT (shop_id, bucket) DO UPDATE SET orders = orders + 1,
            shipped = shipped + excluded.shipped, cancelled = cancelled + excluded.cancelled;
END;

CREATE TRIGGER orders_buckets_update
AFTER UPDATE OF shop_id, create_time, shipped_time, status ON orders
WHEN OLD.shop_id IS NOT NEW.shop_id OR OLD.create_time IS NOT NEW.create_time
    OR (OLD.shipped_time IS NULL) IS NOT (NEW.shipped_time IS NULL)
    OR (OLD.status IN ('CANCELLED', 'CANCEL')) IS NOT (NEW.status IN ('CANCELLED', 'CANCEL'))
BEGIN
    UPDATE order_buckets SET orders = orders - 1,
            shipped = shipped - (OLD.shipped_time IS NOT NULL),
            cancelled = cancelled - (OLD.status IN ('CANCELLED', 'CANCEL'))
        WHERE shop_id = OLD.shop_id AND bucket = OLD.create_time / 900000;
    INSERT INTO order_buckets (shop_id, bucket, orders, shipped, cancelled)
        VALUES (NEW.shop_id, NEW.create_time / 900000, 1,
            NEW.shipped_time IS NOT NULL, NEW.status IN ('CANCELLED', 'CANCEL'))
        ON CONFLICT (shop_id, bucket) DO UPDATE SET orders = orders + 1,
            shipped = shipped + excluded.shipped, cancelled = cancelled + excluded.cancelled;
END;

CREATE TRIGGER orders_buckets_delete AFTER DELETE ON orders
BEGIN
    UPDATE order_buckets SET orders = orders - 1,
            shipped = shipped - (OLD.shipped_time IS NOT NULL),
            cancelled = cancelled - (OLD.status IN ('CANCELLED', 'CANCEL'))
        WHERE shop_id = OLD.shop_id AND bucket = OLD.create_time / 900000;
END;

CREATE TRIGGER reviews_buckets_insert AFTER INSERT ON reviews
BEGIN
    INSERT INTO review_buckets (shop_id, bucket, reviews, star_sum, text_chars)
        VALUES (NEW.shop_id, NEW.created_at / 900000, 1, NEW.rating, LENGTH(NEW.text))
        ON CONFLICT (shop_id, bucket) DO UPDATE SET reviews = reviews + 1,
            star_sum = star_sum + excluded.star_sum,
            text_chars = text_chars + excluded.text_chars;
END;

CREATE TRIGGER reviews_buckets_update
AFTER UPDATE OF shop_id, created_at, rating, text ON reviews
WHEN OLD.shop_id IS NOT NEW.shop_id OR OLD.created_at IS NOT NEW.created_at
    OR OLD.rating IS NOT NEW.rating OR OLD.text IS NOT NEW.text
BEGIN
    UPDATE review_buckets SET reviews = reviews - 1, star_sum = star_sum - OLD.rating,
            text_chars = text_chars - LENGTH(OLD.text)
        WHERE shop_id = OLD.shop_id AND bucket = OLD.created_at / 900000;
    INSERT INTO review_buckets (shop_id, bucket, reviews, star_sum, text_chars)
        VALUES (NEW.shop_id, NEW.created_at / 900000, 1, NEW.rating, LENGTH(NEW.text))
        ON CONFLICT (shop_id, bucket) DO UPDATE SET reviews = reviews + 1,
            star_sum = star_sum + excluded.star_sum,
            text_chars = text_chars + excluded.text_chars;
END;

CREATE TRIGGER reviews_buckets_delete AFTER DELETE ON reviews
BEGIN
    UPDATE review_buckets SET reviews = reviews - 1, star_sum = star_sum - OLD.rating,
            text_chars = text_chars - LENGTH(OLD.text)
        WHERE shop_id = OLD.shop_id AND bucket = OLD.created_at / 900000;
END;
