-- Delivered orders per product and per SKU by UTC day (delivery_time / 86 400 000), so
-- the metrics can give each product and SKU its own SNRR without scanning a window's
-- orders. Days, not the 15-minute buckets of 0002: per SKU, quarter hours hold about one
-- order each, so such buckets would be as many rows as the orders themselves. A window
-- in a shop's time zone rarely starts on a UTC midnight; the store reads its whole UTC
-- days here and counts the two partial days at its ends from the orders themselves,
-- through the delivery-time index below. An order counts once for each product and each
-- SKU it contains, however many units of it (the platform repeats line items per unit).
--
-- Two writers move these counts, each inside the writing transaction:
-- * an order's delivery time (or shop) changing moves the order's current products and
--   SKUs from the old day to the new one;
-- * a line item arriving or leaving while its order is delivered adds or removes the
--   order's product/SKU when it is the first unit in or the last unit out.
-- SQLite fires row triggers as each row is written, so "first in" and "last out" are
-- exact even inside a multi-row INSERT or DELETE. Line items are replaced, never
-- updated in place.

CREATE INDEX orders_by_shop_delivery_time ON orders (shop_id, delivery_time)
    WHERE delivery_time IS NOT NULL;

CREATE TABLE delivered_product_days (
    shop_id TEXT NOT NULL,
    utc_day INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    orders INTEGER NOT NULL,
    PRIMARY KEY (shop_id, utc_day, product_id)
) WITHOUT ROWID;

CREATE TABLE delivered_sku_days (
    shop_id TEXT NOT NULL,
    utc_day INTEGER NOT NULL,
    product_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    orders INTEGER NOT NULL,
    PRIMARY KEY (shop_id, utc_day, product_id, sku_id)
) WITHOUT ROWID;

INSERT INTO delivered_product_days (shop_id, utc_day, product_id, orders)
    SELECT o.shop_id, o.delivery_time / 86400000, l.product_id, COUNT(DISTINCT o.order_id)
    FROM orders o JOIN order_line_items l ON l.order_id = o.order_id
    WHERE o.delivery_time IS NOT NULL
    GROUP BY o.shop_id, o.delivery_time / 86400000, l.product_id;

INSERT INTO delivered_sku_days (shop_id, utc_day, product_id, sku_id, orders)
    SELECT o.shop_id, o.delivery_time / 86400000, l.product_id, l.sku_id,
        COUNT(DISTINCT o.order_id)
    FROM orders o JOIN order_line_items l ON l.order_id = o.order_id
    WHERE o.delivery_time IS NOT NULL
    GROUP BY o.shop_id, o.delivery_time / 86400000, l.product_id, l.sku_id;

CREATE TRIGGER orders_delivered_items_insert AFTER INSERT ON orders
WHEN NEW.delivery_time IS NOT NULL
BEGIN
    INSERT INTO delivered_product_days (shop_id, utc_day, product_id, orders)
        SELECT DISTINCT NEW.shop_id, NEW.delivery_time / 86400000, product_id, 1
        FROM order_line_items WHERE order_id = NEW.order_id
        ON CONFLICT (shop_id, utc_day, product_id) DO UPDATE SET orders = orders + 1;
    INSERT INTO delivered_sku_days (shop_id, utc_day, product_id, sku_id, orders)
        SELECT DISTINCT NEW.shop_id, NEW.delivery_time / 86400000, product_id, sku_id, 1
        FROM order_line_items WHERE order_id = NEW.order_id
        ON CONFLICT (shop_id, utc_day, product_id, sku_id) DO UPDATE SET orders = orders + 1;
END;

CREATE TRIGGER orders_delivered_items_update AFTER UPDATE OF delivery_time, shop_id ON orders
WHEN OLD.delivery_time IS NOT NEW.delivery_time OR OLD.shop_id IS NOT NEW.shop_id
BEGIN
    UPDATE delivered_product_days SET orders = orders - 1
        WHERE OLD.delivery_time IS NOT NULL AND shop_id = OLD.shop_id
        AND utc_day = OLD.delivery_time / 86400000
        AND product_id IN (SELECT product_id FROM order_line_items
            WHERE order_id = OLD.order_id);
    UPDATE delivered_sku_days SET orders = orders - 1
        WHERE OLD.delivery_time IS NOT NULL AND shop_id = OLD.shop_id
        AND utc_day = OLD.delivery_time / 86400000
        AND (product_id, sku_id) IN (SELECT product_id, sku_id FROM order_line_items
            WHERE order_id = OLD.order_id);
    INSERT INTO delivered_product_days (shop_id, utc_day, product_id, orders)
        SELECT DISTINCT NEW.shop_id, NEW.delivery_time / 86400000, product_id, 1
        FROM order_line_items WHERE order_id = NEW.order_id AND NEW.delivery_time IS NOT NULL
        ON CONFLICT (shop_id, utc_day, product_id) DO UPDATE SET orders = orders + 1;
    INSERT INTO delivered_sku_days (shop_id, utc_day, product_id, sku_id, orders)
        SELECT DISTINCT NEW.shop_id, NEW.delivery_time / 86400000, product_id, sku_id, 1
        FROM order_line_items WHERE order_id = NEW.order_id AND NEW.delivery_time IS NOT NULL
        ON CONFLICT (shop_id, utc_day, product_id, sku_id) DO UPDATE SET orders = orders + 1;
END;

CREATE TRIGGER orders_delivered_items_delete AFTER DELETE ON orders
WHEN OLD.delivery_time IS NOT NULL
BEGIN
    UPDATE delivered_product_days SET orders = orders - 1
        WHERE shop_id = OLD.shop_id AND utc_day = OLD.delivery_time / 86400000
        AND product_id IN (SELECT product_id FROM order_line_items
            WHERE order_id = OLD.order_id);
    UPDATE delivered_sku_days SET orders = orders - 1
        WHERE shop_id = OLD.shop_id AND utc_day = OLD.delivery_time / 86400000
        AND (product_id, sku_id) IN (SELECT product_id, sku_id FROM order_line_items
            WHERE order_id = OLD.order_id);
END;

-- A unit arriving in a delivered order: its product and SKU count once the first unit
-- of each is in. Undelivered orders, most line items while orders are first written,
-- stop at the WHEN.
CREATE TRIGGER line_items_delivered_insert AFTER INSERT ON order_line_items
WHEN EXISTS (SELECT 1 FROM orders WHERE order_id = NEW.order_id
    AND delivery_time IS NOT NULL)
BEGIN
    INSERT INTO delivered_product_days (shop_id, utc_day, product_id, orders)
        SELECT shop_id, delivery_time / 86400000, NEW.product_id, 1
        FROM orders WHERE order_id = NEW.order_id
        AND NOT EXISTS (SELECT 1 FROM order_line_items WHERE order_id = NEW.order_id
            AND product_id = NEW.product_id AND position <> NEW.position)
        ON CONFLICT (shop_id, utc_day, product_id) DO UPDATE SET orders = orders + 1;
    INSERT INTO delivered_sku_days (shop_id, utc_day, product_id, sku_id, orders)
        SELECT shop_id, delivery_time / 86400000, NEW.product_id, NEW.sku_id, 1
        FROM orders WHERE order_id = NEW.order_id
        AND NOT EXISTS (SELECT 1 FROM order_line_items WHERE order_id = NEW.order_id
            AND product_id = NEW.product_id AND sku_id = NEW.sku_id
            AND position <> NEW.position)
        ON CONFLICT (shop_id, utc_day, product_id, sku_id) DO UPDATE SET orders = orders + 1;
END;

-- A unit leaving a delivered order: its product and SKU stop counting with the last unit.
CREATE TRIGGER line_items_delivered_delete AFTER DELETE ON order_line_items
WHEN EXISTS (SELECT 1 FROM orders WHERE order_id = OLD.order_id
    AND delivery_time IS NOT NULL)
BEGIN
    UPDATE delivered_product_days SET orders = orders - 1
        WHERE product_id = OLD.product_id AND (shop_id, utc_day) IN (
            SELECT shop_id, delivery_time / 86400000 FROM orders
            WHERE order_id = OLD.order_id)
        AND NOT EXISTS (SELECT 1 FROM order_line_items WHERE order_id = OLD.order_id
            AND product_id = OLD.product_id);
    UPDATE delivered_sku_days SET orders = orders - 1
        WHERE product_id = OLD.product_id AND sku_id = OLD.sku_id AND (shop_id, utc_day) IN (
            SELECT shop_id, delivery_time / 86400000 FROM orders
            WHERE order_id = OLD.order_id)
        AND NOT EXISTS (SELECT 1 FROM order_line_items WHERE order_id = OLD.order_id
            AND product_id = OLD.product_id AND sku_id = OLD.sku_id);
END;
