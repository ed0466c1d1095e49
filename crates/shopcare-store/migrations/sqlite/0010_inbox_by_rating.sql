-- The console's negatives views ("1-2 star reviews across my shops", the overview's
-- unanswered negatives) filter by rating: without this index they read every review of
-- every shop through review_analysis_by_shop_time and sorted them (0.5 s at 240 k
-- reviews); with it they read only the low-rated rows of each shop.

CREATE INDEX review_analysis_by_shop_rating_time ON review_analysis (shop_id, rating, review_time);
