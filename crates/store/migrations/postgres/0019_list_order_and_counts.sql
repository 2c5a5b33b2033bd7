-- Every documented sort of the Auto API lists walks an index in page order
-- (issue 16.4). A list sorts by one column, ties broken by id in the same
-- direction, so each sort column gets `(account_id, <column>, id)`: walked
-- forwards or backwards it yields the page in order, and the query stops
-- after the page's rows instead of sorting every row of the account. A
-- nullable column is read in two ranges of the same index, the rows with a
-- value then the NULLs (vitrine-store `filter::ListQuery`), so one index
-- serves both directions with nulls last. Indexes that served a filter and
-- the default sort gain `id` after `created_at` (or `due_date`) for the
-- same reason.

-- Vehicles: created_at (vehicles_created) and title (vehicles_title) had one.
CREATE INDEX vehicles_updated ON vehicles (account_id, updated_at, id);
CREATE INDEX vehicles_mileage ON vehicles (account_id, mileage, id);
DROP INDEX vehicles_price;
CREATE INDEX vehicles_price ON vehicles (account_id, price_cents, id);
DROP INDEX vehicles_year;
CREATE INDEX vehicles_year ON vehicles (account_id, year_model, id);
-- model_key after id: a brand and model filter is checked in the index.
DROP INDEX vehicles_brand;
CREATE INDEX vehicles_brand ON vehicles (account_id, brand_key, id, model_key);
DROP INDEX vehicles_status;
CREATE INDEX vehicles_status ON vehicles (account_id, status, created_at, id);
DROP INDEX vehicles_store;
CREATE INDEX vehicles_store ON vehicles (account_id, store_id, created_at, id);

-- Clients: created_at (clients_created) and name (clients_name) had one.
CREATE INDEX clients_updated ON clients (account_id, updated_at, id);
CREATE INDEX clients_email ON clients (account_id, email, id);
CREATE INDEX clients_by_segment ON clients (account_id, segment, id);
CREATE INDEX clients_by_status ON clients (account_id, status, id);
DROP INDEX clients_status;
CREATE INDEX clients_status ON clients (account_id, status, created_at, id);
DROP INDEX clients_segment;
CREATE INDEX clients_segment ON clients (account_id, segment, created_at, id);
DROP INDEX clients_kind;
CREATE INDEX clients_kind ON clients (account_id, kind, created_at, id);
DROP INDEX clients_store;
CREATE INDEX clients_store ON clients (account_id, store_id, created_at, id);

-- Deals: created_at (deals_created) had one.
CREATE INDEX deals_updated ON deals (account_id, updated_at, id);
CREATE INDEX deals_title ON deals (account_id, title, id);
CREATE INDEX deals_value ON deals (account_id, value_cents, id);
CREATE INDEX deals_by_phase ON deals (account_id, phase, id);
CREATE INDEX deals_probability ON deals (account_id, probability, id);
CREATE INDEX deals_expected_close ON deals (account_id, expected_close_date, id);
DROP INDEX deals_status;
CREATE INDEX deals_status ON deals (account_id, status, created_at, id);
DROP INDEX deals_phase;
CREATE INDEX deals_phase ON deals (account_id, phase, created_at, id);
DROP INDEX deals_store;
CREATE INDEX deals_store ON deals (account_id, store_id, created_at, id);

-- Activities: due_date (activities_due) and created_at (activities_created) had one.
CREATE INDEX activities_updated ON activities (account_id, updated_at, id);
CREATE INDEX activities_title ON activities (account_id, title, id);
CREATE INDEX activities_by_status ON activities (account_id, status, id);
DROP INDEX activities_status;
CREATE INDEX activities_status ON activities (account_id, status, due_date, id);
CREATE INDEX activities_store ON activities (account_id, store_id, due_date, id);

-- Financial records: created_at (financial_created) had one.
CREATE INDEX financial_updated ON financial_records (account_id, updated_at, id);
CREATE INDEX financial_amount ON financial_records (account_id, amount_cents, id);
CREATE INDEX financial_due ON financial_records (account_id, due_date, id);
CREATE INDEX financial_paid ON financial_records (account_id, paid_at, id);
CREATE INDEX financial_status ON financial_records (account_id, status, created_at, id);
CREATE INDEX financial_store ON financial_records (account_id, store_id, created_at, id);

-- `pagination.total` without counting rows (vitrine-store `list_counts`,
-- docs/api.md "Totals"): how many of an account's records of each list
-- are in each store (the nil id for records without one) and status.
-- The repository function that writes a record changes its slot in the
-- same transaction; no triggers, so that Citus can distribute the table
-- by account_id with the others. Filled here from the rows that exist.
CREATE TABLE list_counts (
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    list       TEXT NOT NULL,
    store_id   UUID NOT NULL,
    status     TEXT NOT NULL,
    n          BIGINT NOT NULL,
    PRIMARY KEY (account_id, list, store_id, status)
);
INSERT INTO list_counts (account_id, list, store_id, status, n)
    SELECT account_id, 'clients', COALESCE(store_id, '00000000-0000-0000-0000-000000000000'), status, COUNT(*)
    FROM clients GROUP BY account_id, 3, status;
INSERT INTO list_counts (account_id, list, store_id, status, n)
    SELECT account_id, 'vehicles', store_id, status, COUNT(*)
    FROM vehicles GROUP BY account_id, store_id, status;
INSERT INTO list_counts (account_id, list, store_id, status, n)
    SELECT account_id, 'deals', COALESCE(store_id, '00000000-0000-0000-0000-000000000000'), status, COUNT(*)
    FROM deals GROUP BY account_id, 3, status;
INSERT INTO list_counts (account_id, list, store_id, status, n)
    SELECT account_id, 'activities', COALESCE(store_id, '00000000-0000-0000-0000-000000000000'), status, COUNT(*)
    FROM activities GROUP BY account_id, 3, status;
INSERT INTO list_counts (account_id, list, store_id, status, n)
    SELECT account_id, 'financial', COALESCE(store_id, '00000000-0000-0000-0000-000000000000'), status, COUNT(*)
    FROM financial_records GROUP BY account_id, 3, status;
