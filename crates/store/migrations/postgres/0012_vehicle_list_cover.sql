-- The vehicle list's COUNT(*) with year and price filters read every
-- matching row of the table (~1 ms per request on 10,000 vehicles per
-- account, bench/results.md); with those two columns in the index it
-- counts from the index alone, and the page still walks it newest first.
DROP INDEX vehicles_status_brand;
CREATE INDEX vehicles_status_brand
    ON vehicles (account_id, status, brand_key, created_at, year_model, price_cents);
