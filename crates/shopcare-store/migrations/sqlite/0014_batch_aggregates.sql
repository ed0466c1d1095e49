-- New orders no longer move the order aggregates one row at a time. The insert triggers
-- of 0002 (delivered orders), 0011 (delivered products and SKUs), 0012 (order buckets)
-- and 0013 (repeat purchases) cost about half of a bulk import: each fired a trigger
-- program per order and per line item. The store's batch writer, the only code that
-- inserts orders and line items, now counts each batch's new orders, and the line items
-- it writes for updated orders, with one grouped statement per aggregate before anything
-- else in the transaction updates an order (src/sqlite/aggregates.rs). The update and
-- delete triggers stay: they keep the counts exact for every other change.
-- IF EXISTS and two more names: databases made by development builds of 0011 had one
-- line-item insert trigger per aggregate.
DROP TRIGGER IF EXISTS orders_delivered_insert;
DROP TRIGGER IF EXISTS orders_delivered_items_insert;
DROP TRIGGER IF EXISTS line_items_delivered_insert;
DROP TRIGGER IF EXISTS line_items_delivered_product_insert;
DROP TRIGGER IF EXISTS line_items_delivered_sku_insert;
DROP TRIGGER IF EXISTS orders_buckets_insert;
DROP TRIGGER IF EXISTS orders_repeat_insert;
DROP TRIGGER IF EXISTS orders_repeat_insert_predecessors;

-- 0007 and 0009 both created an index on orders (shop_id, buyer_id, create_time); every
-- order paid for the second copy.
DROP INDEX IF EXISTS support_orders_by_buyer;
