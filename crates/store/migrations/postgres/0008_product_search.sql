-- Accent- and case-insensitive substring search over product names
-- (`products.name_search` holds the folded name): a trigram GIN index serves
-- `name_search LIKE '%term%'`. pg_trgm ships with PostgreSQL and is a
-- trusted extension (PostgreSQL 13+): the database owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX products_name_trgm ON products USING gin (name_search gin_trgm_ops);
