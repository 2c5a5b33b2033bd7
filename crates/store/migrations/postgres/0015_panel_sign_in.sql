-- Panel sign-in throttling counted before the password is checked (issue
-- 12.3), and the server secret that signs the sign-in form's CSRF cookie
-- (issue 12.16).

-- One counter per (email, peer) and one per email over every peer
-- (peer = '*'). An attempt is counted with one upsert that returns the new
-- count — the row lock orders concurrent attempts — and only then is the
-- password checked; a sign-in that succeeds gives its count back. The
-- window is fixed: it starts at the first attempt after the last one ran
-- out. Not a tenant table: the account is unknown when a sign-in starts.
CREATE TABLE panel_login_attempts (
    email        TEXT NOT NULL,
    -- The client address (IPv4, or the IPv6 /64), or '*' for the email's
    -- ceiling over every address.
    peer         TEXT NOT NULL,
    window_start TIMESTAMPTZ NOT NULL,
    attempts     BIGINT NOT NULL,
    PRIMARY KEY (email, peer)
);
-- Counters whose window ran out are purged by time.
CREATE INDEX panel_login_attempts_window ON panel_login_attempts (window_start);

-- The failures log it replaces: it was read before the password check and
-- written after, so a burst of concurrent attempts all passed the check.
DROP TABLE panel_login_failures;

-- Secrets the panel keys HMACs with, created once (INSERT … ON CONFLICT DO
-- NOTHING) by the first node that needs one and shared by every node.
-- Stored in clear: they must sign. Replacing a row invalidates what it
-- signed (sign-in forms open at that moment must be reloaded).
CREATE TABLE panel_secrets (
    name       TEXT PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);
