-- Ingest speed: an index for the review-cluster check that runs for every new negative
-- review (same shop, same SKU, a 7-day window). Without it the check walked every
-- review of the shop in the window through review_analysis_by_shop_time, which made
-- importing a recent review export quadratic in the number of its negative reviews.

CREATE INDEX review_analysis_by_shop_sku_time ON review_analysis (shop_id, sku_id, review_time);
