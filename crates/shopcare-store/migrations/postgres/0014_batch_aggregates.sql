-- 0007 and 0009 both created an index on orders (shop_id, buyer_id, create_time); every
-- order paid for the second copy. (PostgreSQL keeps its statement-level insert triggers:
-- they already count a whole batch at once; see the SQLite migration of this number.)
DROP INDEX IF EXISTS support_orders_by_buyer;
