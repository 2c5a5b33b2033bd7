-- State of the server itself, shared by every node over one database
-- (issue 12). Neither is a tenant table.
--
-- Secrets the server makes once per database and every node reads back:
-- `idempotency-fingerprint` keys the HMAC-SHA256 that fingerprints
-- Idempotency-Key requests (docs/idempotency.md), so the fingerprints of
-- bodies cannot be recomputed from the idempotency table alone.
CREATE TABLE server_secrets (
    name       TEXT PRIMARY KEY,
    secret     BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- The one row `/healthz` writes after a failed write (disk full, read-only
-- database, I/O error) to learn whether writes succeed again.
CREATE TABLE health_probe (
    id        INTEGER PRIMARY KEY,
    probed_at TIMESTAMPTZ NOT NULL
);
