-- Tenancy: accounts, their stores, panel users and credentials.
-- Every tenant table leads its primary key with account_id (the Citus
-- distribution column, see docs/deployment.md).

CREATE TABLE accounts (
    id               UUID PRIMARY KEY,
    name             TEXT NOT NULL,
    strict_documents BOOLEAN NOT NULL DEFAULT FALSE,
    created_at       TIMESTAMPTZ NOT NULL
);

CREATE TABLE stores (
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id         UUID NOT NULL,
    name       TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, id),
    UNIQUE (id)
);

CREATE TABLE users (
    account_id    UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id            UUID NOT NULL,
    email         TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, id)
);
-- Sign-in is by email alone, before the account is known.
CREATE UNIQUE INDEX users_email ON users (email);

CREATE TABLE api_keys (
    account_id     UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id             UUID NOT NULL,
    name           TEXT NOT NULL,
    display_prefix TEXT NOT NULL,
    key_hash       TEXT NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    last_used_at   TIMESTAMPTZ,
    revoked_at     TIMESTAMPTZ,
    PRIMARY KEY (account_id, id)
);
-- Authentication looks a key up by its hash, before the account is known.
CREATE UNIQUE INDEX api_keys_hash ON api_keys (key_hash);

CREATE TABLE store_credentials (
    account_id   UUID NOT NULL,
    id           UUID NOT NULL,
    store_id     UUID NOT NULL,
    client_id    TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX store_credentials_client_id ON store_credentials (client_id);
CREATE INDEX store_credentials_store ON store_credentials (account_id, store_id);

-- Loja design settings (ecommloja-api.md E61): overrides of the documented
-- defaults, one row per changed key.
CREATE TABLE design_settings (
    account_id UUID NOT NULL,
    store_id   UUID NOT NULL,
    key        TEXT NOT NULL,
    value      TEXT NOT NULL,
    PRIMARY KEY (account_id, store_id, key),
    FOREIGN KEY (account_id, store_id) REFERENCES stores (account_id, id) ON DELETE CASCADE
);
