-- Repeat purchases by week without a query per order: for every order of a known buyer,
-- its creation bucket counts the order and whether the buyer's next order in the shop
-- (the earliest one created strictly later) came within 30, 60 and 90 days. The weekly
-- scorecard sums these buckets.
--
-- An order arriving at time t becomes the "next order" of the buyer's orders at the latest
-- time p before t (unless another order already sits at t), replacing their old next m
-- (the earliest order after t, or none); it leaves again the same way. So each write
-- touches the order's own bucket and the one bucket of its predecessors, found through
-- the (shop_id, buyer_id, create_time) index of 0009. The order itself is excluded from
-- every lookup by id, which lets an update run as "remove the old row, add the new one".
-- Writers of one buyer's orders take a transaction-scoped advisory lock on the buyer, so
-- two processes adding orders of the same buyer see each other's rows.

CREATE TABLE repeat_buckets (
    shop_id TEXT NOT NULL,
    bucket BIGINT NOT NULL,
    orders BIGINT NOT NULL,
    repeat_30d BIGINT NOT NULL,
    repeat_60d BIGINT NOT NULL,
    repeat_90d BIGINT NOT NULL,
    PRIMARY KEY (shop_id, bucket)
);

INSERT INTO repeat_buckets (shop_id, bucket, orders, repeat_30d, repeat_60d, repeat_90d)
    SELECT shop_id, create_time / 900000, COUNT(*),
        SUM(CASE WHEN next_time - create_time <= 2592000000 THEN 1 ELSE 0 END),
        SUM(CASE WHEN next_time - create_time <= 5184000000 THEN 1 ELSE 0 END),
        SUM(CASE WHEN next_time - create_time <= 7776000000 THEN 1 ELSE 0 END)
    FROM (SELECT o.shop_id, o.create_time,
            (SELECT MIN(n.create_time) FROM orders n
             WHERE n.shop_id = o.shop_id AND n.buyer_id = o.buyer_id
               AND n.create_time > o.create_time) AS next_time
        FROM orders o WHERE o.buyer_id <> '') placed
    GROUP BY shop_id, create_time / 900000;

-- Moves one order's contribution in (direction 1) or out (direction -1).
CREATE FUNCTION shopcare_repeat_move(o_shop TEXT, o_buyer TEXT, o_time BIGINT, o_id TEXT,
        direction INT) RETURNS void AS $$
BEGIN
    IF o_buyer = '' THEN
        RETURN;
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('shopcare_repeat'), hashtext(o_shop || '/' || o_buyer));
    IF direction > 0 THEN
        INSERT INTO repeat_buckets (shop_id, bucket, orders, repeat_30d, repeat_60d, repeat_90d)
            SELECT o_shop, o_time / 900000, 1, COALESCE((gap <= 2592000000)::int, 0), COALESCE((gap <= 5184000000)::int, 0), COALESCE((gap <= 7776000000)::int, 0)
            FROM (SELECT (SELECT MIN(create_time) FROM orders WHERE shop_id = o_shop AND buyer_id = o_buyer AND create_time > o_time AND order_id <> o_id) - o_time AS gap) AS x
            ON CONFLICT (shop_id, bucket) DO UPDATE SET
                orders = repeat_buckets.orders + 1,
                repeat_30d = repeat_buckets.repeat_30d + EXCLUDED.repeat_30d,
                repeat_60d = repeat_buckets.repeat_60d + EXCLUDED.repeat_60d,
                repeat_90d = repeat_buckets.repeat_90d + EXCLUDED.repeat_90d;
    ELSE
        UPDATE repeat_buckets SET orders = repeat_buckets.orders - 1,
                repeat_30d = repeat_buckets.repeat_30d - COALESCE((x.gap <= 2592000000)::int, 0),
                repeat_60d = repeat_buckets.repeat_60d - COALESCE((x.gap <= 5184000000)::int, 0),
                repeat_90d = repeat_buckets.repeat_90d - COALESCE((x.gap <= 7776000000)::int, 0)
            FROM (SELECT (SELECT MIN(create_time) FROM orders WHERE shop_id = o_shop AND buyer_id = o_buyer AND create_time > o_time AND order_id <> o_id) - o_time AS gap) AS x
            WHERE repeat_buckets.shop_id = o_shop AND repeat_buckets.bucket = o_time / 900000;
    END IF;
    -- The predecessors' next order moves between o_time and m.
    UPDATE repeat_buckets SET
                repeat_30d = repeat_buckets.repeat_30d + direction * x.c * (COALESCE(((o_time - x.p) <= 2592000000)::int, 0) - COALESCE(((x.m - x.p) <= 2592000000)::int, 0)),
                repeat_60d = repeat_buckets.repeat_60d + direction * x.c * (COALESCE(((o_time - x.p) <= 5184000000)::int, 0) - COALESCE(((x.m - x.p) <= 5184000000)::int, 0)),
                repeat_90d = repeat_buckets.repeat_90d + direction * x.c * (COALESCE(((o_time - x.p) <= 7776000000)::int, 0) - COALESCE(((x.m - x.p) <= 7776000000)::int, 0))
        FROM (SELECT p, m, (SELECT COUNT(*) FROM orders
                    WHERE shop_id = o_shop AND buyer_id = o_buyer AND create_time = p AND order_id <> o_id) AS c
            FROM (SELECT (SELECT MAX(create_time) FROM orders WHERE shop_id = o_shop AND buyer_id = o_buyer AND create_time < o_time AND order_id <> o_id) AS p, (SELECT MIN(create_time) FROM orders WHERE shop_id = o_shop AND buyer_id = o_buyer AND create_time > o_time AND order_id <> o_id) AS m) AS edges) AS x
        WHERE x.p IS NOT NULL
            AND repeat_buckets.shop_id = o_shop AND repeat_buckets.bucket = x.p / 900000
            AND NOT EXISTS (SELECT 1 FROM orders WHERE shop_id = o_shop AND buyer_id = o_buyer AND create_time = o_time AND order_id <> o_id);
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION shopcare_repeat_buckets() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM shopcare_repeat_move(OLD.shop_id, OLD.buyer_id, OLD.create_time, OLD.order_id, -1);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM shopcare_repeat_move(NEW.shop_id, NEW.buyer_id, NEW.create_time, NEW.order_id, 1);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER orders_repeat_insert_delete
    AFTER INSERT OR DELETE ON orders
    FOR EACH ROW EXECUTE FUNCTION shopcare_repeat_buckets();

CREATE TRIGGER orders_repeat_update
    AFTER UPDATE OF shop_id, buyer_id, create_time ON orders
    FOR EACH ROW
    WHEN (OLD.shop_id IS DISTINCT FROM NEW.shop_id OR OLD.buyer_id IS DISTINCT FROM NEW.buyer_id
        OR OLD.create_time IS DISTINCT FROM NEW.create_time)
    EXECUTE FUNCTION shopcare_repeat_buckets();
