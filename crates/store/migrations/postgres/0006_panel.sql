-- Panel sessions and sign-in throttling live in the database, so any app
-- node can serve any request (ARCHITECTURE.md, "Storage and scale").

-- A signed-in browser. The cookie holds a random token; only its SHA-256 is
-- kept here. The CSRF token is per session and sent in every form.
CREATE TABLE panel_sessions (
    account_id UUID NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    id         UUID NOT NULL,
    user_id    UUID NOT NULL,
    token_hash TEXT NOT NULL,
    csrf_token TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (account_id, id),
    FOREIGN KEY (account_id, user_id) REFERENCES users (account_id, id) ON DELETE CASCADE
);
-- A request presents the token before the account is known.
CREATE UNIQUE INDEX panel_sessions_token ON panel_sessions (token_hash);
-- Expired sessions are purged by time.
CREATE INDEX panel_sessions_expiry ON panel_sessions (expires_at);

-- Failed sign-ins per email and client address, counted over a sliding
-- window. Not a tenant table: the account is unknown when a sign-in fails.
CREATE TABLE panel_login_failures (
    id        UUID PRIMARY KEY,
    email     TEXT NOT NULL,
    ip        TEXT NOT NULL,
    failed_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX panel_login_failures_key ON panel_login_failures (email, ip, failed_at);
-- Old failures are purged by time.
CREATE INDEX panel_login_failures_time ON panel_login_failures (failed_at);
