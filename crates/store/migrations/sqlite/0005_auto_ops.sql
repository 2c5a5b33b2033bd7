-- SQLite twin of postgres/0005_auto_ops.sql: UUIDs as BLOBs, timestamps
-- and dates as TEXT, BIGINT and BOOLEAN as INTEGER.
-- Auto API operations: activities, financial records and webhooks with
-- their outbox (ecosys-auto-api.md §4.4–§4.6). Keys lead with account_id;
-- references are composite foreign keys to the same account's rows.

CREATE TABLE activities (
    account_id      BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id              BLOB NOT NULL,
    title           TEXT NOT NULL,
    kind            TEXT NOT NULL,
    description     TEXT,
    due_date        TEXT,
    status          TEXT NOT NULL,
    completed_at    TEXT,
    client_id       BLOB,
    vehicle_id      BLOB,
    deal_id         BLOB,
    store_id        BLOB,
    responsible_id  TEXT,
    -- When the scheduler announced activity.due_soon / activity.overdue
    -- for the current due date (once each; cleared when it moves).
    due_soon_sent_at TEXT,
    overdue_sent_at  TEXT,
    search_text     TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id),
    FOREIGN KEY (account_id, vehicle_id) REFERENCES vehicles (account_id, id),
    FOREIGN KEY (account_id, deal_id) REFERENCES deals (account_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id)
);
CREATE INDEX activities_due ON activities (account_id, due_date, id);
CREATE INDEX activities_created ON activities (account_id, created_at, id);
CREATE INDEX activities_status ON activities (account_id, status, due_date);
CREATE INDEX activities_client ON activities (account_id, client_id);
CREATE INDEX activities_vehicle ON activities (account_id, vehicle_id);
CREATE INDEX activities_deal ON activities (account_id, deal_id);
-- The scheduler's scan: pending activities with a due date, across accounts.
CREATE INDEX activities_reminders ON activities (due_date)
    WHERE status = 'pending' AND due_date IS NOT NULL;

CREATE TABLE financial_records (
    account_id     BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id             BLOB NOT NULL,
    kind           TEXT NOT NULL,
    category       TEXT NOT NULL,
    description    TEXT,
    amount_cents   INTEGER NOT NULL,
    status         TEXT NOT NULL,
    payment_method TEXT,
    due_date       TEXT,
    paid_at        TEXT,
    vehicle_id     BLOB,
    deal_id        BLOB,
    client_id      BLOB,
    store_id       BLOB,
    -- The day the record counts for in periods: due_date, or the day it
    -- was created (UTC) when it has none (§4.5 `from`/`to`).
    created_on     TEXT NOT NULL,
    period_date    TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, vehicle_id) REFERENCES vehicles (account_id, id),
    FOREIGN KEY (account_id, deal_id) REFERENCES deals (account_id, id),
    FOREIGN KEY (account_id, client_id) REFERENCES clients (account_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id)
);
CREATE INDEX financial_created ON financial_records (account_id, created_at, id);
CREATE INDEX financial_period ON financial_records (account_id, period_date, kind);
CREATE INDEX financial_vehicle ON financial_records (account_id, vehicle_id);
CREATE INDEX financial_deal ON financial_records (account_id, deal_id);
CREATE INDEX financial_client ON financial_records (account_id, client_id);

CREATE TABLE webhooks (
    account_id           BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id                   BLOB NOT NULL,
    url                  TEXT NOT NULL,
    events               TEXT NOT NULL,
    active               INTEGER NOT NULL,
    -- Kept as is: it signs every delivery, so it cannot be only a hash.
    -- Returned once, on creation (docs/security.md).
    secret               TEXT NOT NULL,
    consecutive_failures INTEGER NOT NULL,
    disabled_at          TEXT,
    last_triggered_at    TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE INDEX webhooks_created ON webhooks (account_id, created_at, id);

-- The outbox: one row per event, written in the transaction of the change
-- that caused it. `body` is the exact JSON delivered (and signed).
CREATE TABLE webhook_events (
    account_id BLOB NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id         BLOB NOT NULL,
    event_type TEXT NOT NULL,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (account_id, id)
);
CREATE INDEX webhook_events_created ON webhook_events (account_id, created_at);

-- One event for one subscribed endpoint, fanned out in the same
-- transaction. A worker claims a due row (FOR UPDATE SKIP LOCKED on
-- PostgreSQL) by setting claim_token and a lease (claimed_until), commits,
-- then calls the endpoint; a crashed worker's claim is retried after the
-- lease.
CREATE TABLE webhook_deliveries (
    account_id      BLOB NOT NULL,
    id              BLOB NOT NULL,
    webhook_id      BLOB NOT NULL,
    event_id        BLOB NOT NULL,
    status          TEXT NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT NOT NULL,
    claimed_until   TEXT,
    claim_token     BLOB,
    delivered_at    TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (account_id, id),
    UNIQUE (account_id, webhook_id, event_id),
    FOREIGN KEY (account_id, webhook_id) REFERENCES webhooks (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, event_id) REFERENCES webhook_events (account_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_deliveries_webhook ON webhook_deliveries (account_id, webhook_id, created_at);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
    WHERE status = 'pending';

-- Every try: HTTP status (none on a network error), latency, the start of
-- the response or the error.
CREATE TABLE webhook_attempts (
    account_id       BLOB NOT NULL,
    id               BLOB NOT NULL,
    delivery_id      BLOB NOT NULL,
    webhook_id       BLOB NOT NULL,
    attempt          INTEGER NOT NULL,
    succeeded        INTEGER NOT NULL,
    status_code      INTEGER,
    latency_ms       INTEGER NOT NULL,
    response_excerpt TEXT,
    error            TEXT,
    created_at       TEXT NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, delivery_id) REFERENCES webhook_deliveries (account_id, id) ON DELETE CASCADE
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (account_id, delivery_id, attempt);
