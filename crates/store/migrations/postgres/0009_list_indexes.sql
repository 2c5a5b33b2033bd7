-- The Auto API's most common vehicle list (status and brand filters, newest
-- first, bench/README.md): one index gives the page in order and bounds the
-- COUNT(*) to the matching rows of one account.
CREATE INDEX vehicles_status_brand ON vehicles (account_id, status, brand_key, created_at);
