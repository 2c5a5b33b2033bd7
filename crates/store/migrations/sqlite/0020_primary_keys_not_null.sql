-- SQLite twin of postgres/0020_primary_keys_not_null.sql.
-- On SQLite a PRIMARY KEY column other than a lone INTEGER one does not
-- imply NOT NULL (a quirk SQLite keeps for compatibility), so three keys
-- declared without it accepted NULL here where PostgreSQL refuses it:
-- accounts.id (0001), server_secrets.name (0014), panel_secrets.name
-- (0015). Found by the parity test (crates/server/tests/foundation/schema.rs).

-- No table references the two secret tables: rebuild them with the key
-- declared NOT NULL. A row named NULL could never be read (every read is
-- `WHERE name = $1`), so it is not carried over.
CREATE TABLE server_secrets_new (
    name       TEXT NOT NULL PRIMARY KEY,
    secret     BLOB NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO server_secrets_new (name, secret, created_at)
    SELECT name, secret, created_at FROM server_secrets WHERE name IS NOT NULL;
DROP TABLE server_secrets;
ALTER TABLE server_secrets_new RENAME TO server_secrets;

CREATE TABLE panel_secrets_new (
    name       TEXT NOT NULL PRIMARY KEY,
    secret     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
INSERT INTO panel_secrets_new (name, secret, created_at)
    SELECT name, secret, created_at FROM panel_secrets WHERE name IS NOT NULL;
DROP TABLE panel_secrets;
ALTER TABLE panel_secrets_new RENAME TO panel_secrets;

-- accounts cannot be rebuilt here: every tenant table references it ON
-- DELETE CASCADE, and a migration runs in a transaction, where foreign keys
-- cannot be switched off, so dropping the old table would delete every
-- tenant's rows. Two triggers refuse a NULL id instead, with SQLite's own
-- NOT NULL message (the pattern crates/store/migrations/README.md gives).
CREATE TRIGGER accounts_id_not_null_insert BEFORE INSERT ON accounts
WHEN NEW.id IS NULL
BEGIN
    SELECT RAISE(ABORT, 'NOT NULL constraint failed: accounts.id');
END;
CREATE TRIGGER accounts_id_not_null_update BEFORE UPDATE OF id ON accounts
WHEN NEW.id IS NULL
BEGIN
    SELECT RAISE(ABORT, 'NOT NULL constraint failed: accounts.id');
END;
