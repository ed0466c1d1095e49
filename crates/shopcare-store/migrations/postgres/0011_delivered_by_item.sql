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
-- * line items arriving or leaving while their order is delivered add or remove the
--   order's product/SKU when no other unit of it was there before / is left after.
--   PostgreSQL fires row triggers at the end of the statement, when every row of a
--   multi-row INSERT or DELETE is already written, so these are statement triggers
--   over the transition tables: they see exactly which rows the statement wrote.
-- Line items are replaced, never updated in place.

CREATE INDEX orders_by_shop_delivery_time ON orders (shop_id, delivery_time)
    WHERE delivery_time IS NOT NULL;

CREATE TABLE delivered_product_days (
    shop_id TEXT NOT NULL,
    utc_day BIGINT NOT NULL,
    product_id TEXT NOT NULL,
    orders BIGINT NOT NULL,
    PRIMARY KEY (shop_id, utc_day, product_id)
);

CREATE TABLE delivered_sku_days (
    shop_id TEXT NOT NULL,
    utc_day BIGINT NOT NULL,
    product_id TEXT NOT NULL,
    sku_id TEXT NOT NULL,
    orders BIGINT NOT NULL,
    PRIMARY KEY (shop_id, utc_day, product_id, sku_id)
);

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

CREATE FUNCTION shopcare_delivered_item_days() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.delivery_time IS NOT NULL THEN
        UPDATE delivered_product_days b SET orders = b.orders - 1
            FROM (SELECT DISTINCT product_id FROM order_line_items
                WHERE order_id = OLD.order_id) items
            WHERE b.shop_id = OLD.shop_id AND b.utc_day = OLD.delivery_time / 86400000
            AND b.product_id = items.product_id;
        UPDATE delivered_sku_days b SET orders = b.orders - 1
            FROM (SELECT DISTINCT product_id, sku_id FROM order_line_items
                WHERE order_id = OLD.order_id) items
            WHERE b.shop_id = OLD.shop_id AND b.utc_day = OLD.delivery_time / 86400000
            AND b.product_id = items.product_id AND b.sku_id = items.sku_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.delivery_time IS NOT NULL THEN
        INSERT INTO delivered_product_days (shop_id, utc_day, product_id, orders)
            SELECT DISTINCT NEW.shop_id, NEW.delivery_time / 86400000, product_id, 1
            FROM order_line_items WHERE order_id = NEW.order_id
            ON CONFLICT (shop_id, utc_day, product_id)
            DO UPDATE SET orders = delivered_product_days.orders + 1;
        INSERT INTO delivered_sku_days (shop_id, utc_day, product_id, sku_id, orders)
            SELECT DISTINCT NEW.shop_id, NEW.delivery_time / 86400000, product_id, sku_id, 1
            FROM order_line_items WHERE order_id = NEW.order_id
            ON CONFLICT (shop_id, utc_day, product_id, sku_id)
            DO UPDATE SET orders = delivered_sku_days.orders + 1;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

-- A row trigger on UPDATE OF fires even when the value did not change; the WHEN keeps
-- the counts from moving out and back in for every status change.
CREATE TRIGGER orders_delivered_item_days_update
    AFTER UPDATE OF delivery_time, shop_id ON orders
    FOR EACH ROW
    WHEN (OLD.delivery_time IS DISTINCT FROM NEW.delivery_time
        OR OLD.shop_id IS DISTINCT FROM NEW.shop_id)
    EXECUTE FUNCTION shopcare_delivered_item_days();

CREATE TRIGGER orders_delivered_item_days_insert_delete
    AFTER INSERT OR DELETE ON orders
    FOR EACH ROW EXECUTE FUNCTION shopcare_delivered_item_days();

CREATE FUNCTION shopcare_delivered_items_inserted() RETURNS trigger AS $$
BEGIN
    -- (order, product) pairs this statement brought into a delivered order, unless a
    -- unit of the same product was already in it before the statement.
    INSERT INTO delivered_product_days (shop_id, utc_day, product_id, orders)
        SELECT o.shop_id, o.delivery_time / 86400000, added.product_id, COUNT(*)
        FROM (SELECT DISTINCT order_id, product_id FROM inserted_items) added
        JOIN orders o ON o.order_id = added.order_id AND o.delivery_time IS NOT NULL
        WHERE NOT EXISTS (SELECT 1 FROM order_line_items l
            WHERE l.order_id = added.order_id AND l.product_id = added.product_id
            AND NOT EXISTS (SELECT 1 FROM inserted_items i
                WHERE i.order_id = l.order_id AND i.position = l.position))
        GROUP BY o.shop_id, o.delivery_time / 86400000, added.product_id
        ON CONFLICT (shop_id, utc_day, product_id)
        DO UPDATE SET orders = delivered_product_days.orders + EXCLUDED.orders;
    INSERT INTO delivered_sku_days (shop_id, utc_day, product_id, sku_id, orders)
        SELECT o.shop_id, o.delivery_time / 86400000, added.product_id, added.sku_id, COUNT(*)
        FROM (SELECT DISTINCT order_id, product_id, sku_id FROM inserted_items) added
        JOIN orders o ON o.order_id = added.order_id AND o.delivery_time IS NOT NULL
        WHERE NOT EXISTS (SELECT 1 FROM order_line_items l
            WHERE l.order_id = added.order_id AND l.product_id = added.product_id
            AND l.sku_id = added.sku_id
            AND NOT EXISTS (SELECT 1 FROM inserted_items i
                WHERE i.order_id = l.order_id AND i.position = l.position))
        GROUP BY o.shop_id, o.delivery_time / 86400000, added.product_id, added.sku_id
        ON CONFLICT (shop_id, utc_day, product_id, sku_id)
        DO UPDATE SET orders = delivered_sku_days.orders + EXCLUDED.orders;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE FUNCTION shopcare_delivered_items_deleted() RETURNS trigger AS $$
BEGIN
    -- (order, product) pairs whose last unit in a delivered order this statement removed.
    UPDATE delivered_product_days b SET orders = b.orders - gone.orders
        FROM (SELECT o.shop_id, o.delivery_time / 86400000 AS utc_day, removed.product_id,
                COUNT(*) AS orders
            FROM (SELECT DISTINCT order_id, product_id FROM deleted_items) removed
            JOIN orders o ON o.order_id = removed.order_id AND o.delivery_time IS NOT NULL
            WHERE NOT EXISTS (SELECT 1 FROM order_line_items l
                WHERE l.order_id = removed.order_id AND l.product_id = removed.product_id)
            GROUP BY o.shop_id, o.delivery_time / 86400000, removed.product_id) gone
        WHERE b.shop_id = gone.shop_id AND b.utc_day = gone.utc_day
        AND b.product_id = gone.product_id;
    UPDATE delivered_sku_days b SET orders = b.orders - gone.orders
        FROM (SELECT o.shop_id, o.delivery_time / 86400000 AS utc_day, removed.product_id,
                removed.sku_id, COUNT(*) AS orders
            FROM (SELECT DISTINCT order_id, product_id, sku_id FROM deleted_items) removed
            JOIN orders o ON o.order_id = removed.order_id AND o.delivery_time IS NOT NULL
            WHERE NOT EXISTS (SELECT 1 FROM order_line_items l
                WHERE l.order_id = removed.order_id AND l.product_id = removed.product_id
                AND l.sku_id = removed.sku_id)
            GROUP BY o.shop_id, o.delivery_time / 86400000, removed.product_id,
                removed.sku_id) gone
        WHERE b.shop_id = gone.shop_id AND b.utc_day = gone.utc_day
        AND b.product_id = gone.product_id AND b.sku_id = gone.sku_id;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER order_line_items_delivered_inserted
    AFTER INSERT ON order_line_items
    REFERENCING NEW TABLE AS inserted_items
    FOR EACH STATEMENT EXECUTE FUNCTION shopcare_delivered_items_inserted();

CREATE TRIGGER order_line_items_delivered_deleted
    AFTER DELETE ON order_line_items
    REFERENCING OLD TABLE AS deleted_items
    FOR EACH STATEMENT EXECUTE FUNCTION shopcare_delivered_items_deleted();
