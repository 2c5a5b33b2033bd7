-- SQLite twin of postgres/0010_idempotency.sql.
-- Idempotency-Key (issue #8): the first request with a key claims it by
-- inserting this row (INSERT … ON CONFLICT DO NOTHING), so exactly one
-- request does the work whatever node it reaches; the response it gave is
-- stored here and replayed to retries for 24 hours.
--
-- Not a tenant table: a key belongs to the credential that sent it, known
-- only as a SHA-256 (`scope`), which leads the key as account_id leads
-- tenant keys. The credential itself is never stored.
CREATE TABLE idempotency_keys (
    scope       TEXT NOT NULL,
    idem_key    TEXT NOT NULL,
    -- SHA-256 of method, path, query and body: the same key with another
    -- request is refused.
    fingerprint TEXT NOT NULL,
    -- 'running' while the first request works, 'done' once answered.
    state       TEXT NOT NULL,
    -- Who holds a running claim; a stale claim (its node crashed) is taken
    -- over by swapping this value.
    claim       BLOB NOT NULL,
    -- The stored response (state 'done'): status, headers as a JSON array
    -- of [name, value] pairs, body bytes as sent.
    status      INTEGER,
    headers     TEXT,
    body        BLOB,
    created_at  TEXT NOT NULL,
    claimed_at  TEXT NOT NULL,
    PRIMARY KEY (scope, idem_key)
);
-- Keys expire 24 hours after their first use and are purged by time.
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
