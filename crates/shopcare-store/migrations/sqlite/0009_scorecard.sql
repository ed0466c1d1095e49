-- 0009: the scorecard's repeat-purchase query finds each order's next order of the same buyer.
CREATE INDEX orders_by_shop_buyer_time ON orders (shop_id, buyer_id, create_time);
