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

CREATE TABLE repeat_buckets (
    shop_id TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    orders INTEGER NOT NULL,
    repeat_30d INTEGER NOT NULL,
    repeat_60d INTEGER NOT NULL,
    repeat_90d INTEGER NOT NULL,
    PRIMARY KEY (shop_id, bucket)
) WITHOUT ROWID;

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

CREATE TRIGGER orders_repeat_insert AFTER INSERT ON orders
WHEN NEW.buyer_id <> ''
BEGIN
    INSERT INTO repeat_buckets (shop_id, bucket, orders, repeat_30d, repeat_60d, repeat_90d)
        SELECT NEW.shop_id, NEW.create_time / 900000, 1, COALESCE(gap <= 2592000000, 0), COALESCE(gap <= 5184000000, 0), COALESCE(gap <= 7776000000, 0)
        FROM (SELECT (SELECT MIN(create_time) FROM orders WHERE shop_id = NEW.shop_id AND buyer_id = NEW.buyer_id AND create_time > NEW.create_time AND order_id <> NEW.order_id) - NEW.create_time AS gap)
        WHERE NEW.buyer_id <> ''
        ON CONFLICT (shop_id, bucket) DO UPDATE SET orders = orders + 1,
            repeat_30d = repeat_30d + excluded.repeat_30d, repeat_60d = repeat_60d + excluded.repeat_60d, repeat_90d = repeat_90d + excluded.repeat_90d;
END;

-- Only an order with an earlier order of the same buyer has predecessors to move: most
-- orders skip the second half with one index probe.
CREATE TRIGGER orders_repeat_insert_predecessors AFTER INSERT ON orders
WHEN NEW.buyer_id <> '' AND EXISTS (SELECT 1 FROM orders WHERE shop_id = NEW.shop_id
    AND buyer_id = NEW.buyer_id AND create_time < NEW.create_time
    AND order_id <> NEW.order_id)
BEGIN
    UPDATE repeat_buckets SET
            repeat_30d = repeat_30d + x.c * (((NEW.create_time - x.p) <= 2592000000) - COALESCE((x.m - x.p) <= 2592000000, 0)),
            repeat_60d = repeat_60d + x.c * (((NEW.create_time - x.p) <= 5184000000) - COALESCE((x.m - x.p) <= 5184000000, 0)),
            repeat_90d = repeat_90d + x.c * (((NEW.create_time - x.p) <= 7776000000) - COALESCE((x.m - x.p) <= 7776000000, 0))
        FROM (SELECT p, m, (SELECT COUNT(*) FROM orders
                    WHERE shop_id = NEW.shop_id AND buyer_id = NEW.buyer_id AND create_time = p AND order_id <> NEW.order_id) AS c
            FROM (SELECT (SELECT MAX(create_time) FROM orders WHERE shop_id = NEW.shop_id AND buyer_id = NEW.buyer_id AND create_time < NEW.create_time AND order_id <> NEW.order_id) AS p, (SELECT MIN(create_time) FROM orders WHERE shop_id = NEW.shop_id AND buyer_id = NEW.buyer_id AND create_time > NEW.create_time AND order_id <> NEW.order_id) AS m)) AS x
        WHERE NEW.buyer_id <> '' AND x.p IS NOT NULL
            AND shop_id = NEW.shop_id AND bucket = x.p / 900000
            AND NOT EXISTS (SELECT 1 FROM orders
                WHERE shop_id = NEW.shop_id AND buyer_id = NEW.buyer_id AND create_time = NEW.create_time AND order_id <> NEW.order_id);
END;

CREATE TRIGGER orders_repeat_delete AFTER DELETE ON orders
WHEN OLD.buyer_id <> ''
BEGIN
    UPDATE repeat_buckets SET orders = orders - 1,
            repeat_30d = repeat_30d - COALESCE(x.gap <= 2592000000, 0),
            repeat_60d = repeat_60d - COALESCE(x.gap <= 5184000000, 0),
            repeat_90d = repeat_90d - COALESCE(x.gap <= 7776000000, 0)
        FROM (SELECT (SELECT MIN(create_time) FROM orders WHERE shop_id = OLD.shop_id AND buyer_id = OLD.buyer_id AND create_time > OLD.create_time AND order_id <> OLD.order_id) - OLD.create_time AS gap) AS x
        WHERE OLD.buyer_id <> '' AND shop_id = OLD.shop_id
            AND bucket = OLD.create_time / 900000;
    UPDATE repeat_buckets SET
            repeat_30d = repeat_30d + x.c * (COALESCE((x.m - x.p) <= 2592000000, 0) - ((OLD.create_time - x.p) <= 2592000000)),
            repeat_60d = repeat_60d + x.c * (COALESCE((x.m - x.p) <= 5184000000, 0) - ((OLD.create_time - x.p) <= 5184000000)),
            repeat_90d = repeat_90d + x.c * (COALESCE((x.m - x.p) <= 7776000000, 0) - ((OLD.create_time - x.p) <= 7776000000))
        FROM (SELECT p, m, (SELECT COUNT(*) FROM orders
                    WHERE shop_id = OLD.shop_id AND buyer_id = OLD.buyer_id AND create_time = p AND order_id <> OLD.order_id) AS c
            FROM (SELECT (SELECT MAX(create_time) FROM orders WHERE shop_id = OLD.shop_id AND buyer_id = OLD.buyer_id AND create_time < OLD.create_time AND order_id <> OLD.order_id) AS p, (SELECT MIN(create_time) FROM orders WHERE shop_id = OLD.shop_id AND buyer_id = OLD.buyer_id AND create_time > OLD.create_time AND order_id <> OLD.order_id) AS m)) AS x
        WHERE OLD.buyer_id <> '' AND x.p IS NOT NULL
            AND shop_id = OLD.shop_id AND bucket = x.p / 900000
            AND NOT EXISTS (SELECT 1 FROM orders
                WHERE shop_id = OLD.shop_id AND buyer_id = OLD.buyer_id AND create_time = OLD.create_time AND order_id <> OLD.order_id);
END;

CREATE TRIGGER orders_repeat_update AFTER UPDATE OF shop_id, buyer_id, create_time ON orders
WHEN OLD.shop_id IS NOT NEW.shop_id OR OLD.buyer_id IS NOT NEW.buyer_id
    OR OLD.create_time IS NOT NEW.create_time
BEGIN
    UPDATE repeat_buckets SET orders = orders - 1,
            repeat_30d = repeat_30d - COALESCE(x.gap <= 2592000000, 0),
            repeat_60d = repeat_60d - COALESCE(x.gap <= 5184000000, 0),
            repeat_90d = repeat_90d - COALESCE(x.gap <= 7776000000, 0)
        FROM (SELECT (SELECT MIN(create_time) FROM orders WHERE shop_id = OLD.shop_id AND buyer_id = OLD.buyer_id AND create_time > OLD.create_time AND order_id <> OLD.order_id) - OLD.create_time AS gap) AS x
        WHERE OLD.buyer_id <> '' AND shop_id = OLD.shop_id
            AND bucket = OLD.create_time / 900000;
    UPDATE repeat_buckets SET
            repeat_30d = repeat_30d + x.c * (COALESCE((x.m - x.p) <= 2592000000, 0) - ((OLD.create_time - x.p) <= 2592000000)),
            repeat_60d = repeat_60d + x.c * (COALESCE((x.m - x.p) <= 5184000000, 0) - ((OLD.create_time - x.p) <= 5184000000)),
            repeat_90d = repeat_90d + x.c * (COALESCE((x.m - x.p) <= 7776000000, 0) - ((OLD.create_time - x.p) <= 7776000000))
        FROM (SELECT p, m, (SELECT COUNT(*) FROM orders
                    WHERE shop_id = OLD.shop_id AND buyer_id = OLD.buyer_id AND create_time = p AND order_id <> OLD.order_id) AS c
            FROM (SELECT (SELECT MAX(create_time) FROM orders WHERE shop_id = OLD.shop_id AND buyer_id = OLD.buyer_id AND create_time < OLD.create_time AND order_id <> OLD.order_id) AS p, (SELECT MIN(create_time) FROM orders WHERE shop_id = OLD.shop_id AND buyer_id = OLD.buyer_id AND create_time > OLD.create_time AND order_id <> OLD.order_id) AS m)) AS x
        WHERE OLD.buyer_id <> '' AND x.p IS NOT NULL
            AND shop_id = OLD.shop_id AND bucket = x.p / 900000
            AND NOT EXISTS (SELECT 1 FROM orders
                WHERE shop_id = OLD.shop_id AND buyer_id = OLD.buyer_id AND create_time = OLD.create_time AND order_id <> OLD.order_id);
    INSERT INTO repeat_buckets (shop_id, bucket, orders, repeat_30d, repeat_60d, repeat_90d)
        SELECT NEW.shop_id, NEW.create_time / 900000, 1, COALESCE(gap <= 2592000000, 0), COALESCE(gap <= 5184000000, 0), COALESCE(gap <= 7776000000, 0)
        FROM (SELECT (SELECT MIN(create_time) FROM orders WHERE shop_id = NEW.shop_id AND buyer_id = NEW.buyer_id AND create_time > NEW.create_time AND order_id <> NEW.order_id) - NEW.create_time AS gap)
        WHERE NEW.buyer_id <> ''
        ON CONFLICT (shop_id, bucket) DO UPDATE SET orders = orders + 1,
            repeat_30d = repeat_30d + excluded.repeat_30d, repeat_60d = repeat_60d + excluded.repeat_60d, repeat_90d = repeat_90d + excluded.repeat_90d;
    UPDATE repeat_buckets SET
            repeat_30d = repeat_30d + x.c * (((NEW.create_time - x.p) <= 2592000000) - COALESCE((x.m - x.p) <= 2592000000, 0)),
            repeat_60d = repeat_60d + x.c * (((NEW.create_time - x.p) <= 5184000000) - COALESCE((x.m - x.p) <= 5184000000, 0)),
            repeat_90d = repeat_90d + x.c * (((NEW.create_time - x.p) <= 7776000000) - COALESCE((x.m - x.p) <= 7776000000, 0))
        FROM (SELECT p, m, (SELECT COUNT(*) FROM orders
                    WHERE shop_id = NEW.shop_id AND buyer_id = NEW.buyer_id AND create_time = p AND order_id <> NEW.order_id) AS c
            FROM (SELECT (SELECT MAX(create_time) FROM orders WHERE shop_id = NEW.shop_id AND buyer_id = NEW.buyer_id AND create_time < NEW.create_time AND order_id <> NEW.order_id) AS p, (SELECT MIN(create_time) FROM orders WHERE shop_id = NEW.shop_id AND buyer_id = NEW.buyer_id AND create_time > NEW.create_time AND order_id <> NEW.order_id) AS m)) AS x
        WHERE NEW.buyer_id <> '' AND x.p IS NOT NULL
            AND shop_id = NEW.shop_id AND bucket = x.p / 900000
            AND NOT EXISTS (SELECT 1 FROM orders
                WHERE shop_id = NEW.shop_id AND buyer_id = NEW.buyer_id AND create_time = NEW.create_time AND order_id <> NEW.order_id);
END;
