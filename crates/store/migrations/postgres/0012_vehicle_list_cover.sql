-- The vehicle list's COUNT(*) with year and price filters read every
-- matching row of the table (~1 ms per request on 10,000 vehicles per
-- account, bench/results.md); with those two columns in the index it
-- counts from the index alone. `id` after `created_at` gives the page's
-- whole order (newest first, then id), so the planner walks this index
-- for the page too instead of the account's every vehicle by date.
DROP INDEX vehicles_status_brand;
CREATE INDEX vehicles_status_brand
    ON vehicles (account_id, status, brand_key, created_at, id, year_model, price_cents);
