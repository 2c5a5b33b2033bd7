//! `Idempotency-Key` claims and stored responses (issue #8).
//!
//! The row is the lock: [`Idempotency::claim`] inserts it with
//! `ON CONFLICT DO NOTHING`, so of any number of requests with one key, on
//! any number of nodes, exactly one gets `true` and does the work. Each
//! statement runs on its own (autocommit): a claim must be visible to the
//! other nodes at once, and the stored response must be durable before the
//! client sees it. The rules (what is stale, how long to wait, what to
//! store) are the server's; this only records.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::backend::on_db;
use crate::{now, Db, Result};

/// A key's row as another request finds it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyRecord {
    /// SHA-256 of the request that claimed the key.
    pub fingerprint: String,
    /// `running` or `done`.
    pub state: String,
    /// Who holds the claim (see [`Idempotency::take_over`]).
    pub claim: Uuid,
    /// Stored status (`done` only).
    pub status: Option<i32>,
    /// Stored headers, a JSON array of `[name, value]` (`done` only).
    pub headers: Option<String>,
    /// Stored body bytes (`done` only).
    pub body: Option<Vec<u8>>,
    /// First use: the key expires 24 hours later.
    pub created_at: DateTime<Utc>,
    /// When the current claim was taken.
    pub claimed_at: DateTime<Utc>,
}

impl KeyRecord {
    /// Has the first request finished and stored its response?
    pub fn is_done(&self) -> bool {
        self.state == DONE
    }
}

const RUNNING: &str = "running";
const DONE: &str = "done";

/// The response to store for a key.
#[derive(Debug, Clone, Copy)]
pub struct StoredResponse<'a> {
    /// HTTP status.
    pub status: u16,
    /// JSON array of `[name, value]` pairs.
    pub headers: &'a str,
    /// The body, byte for byte.
    pub body: &'a [u8],
}

/// Repository of idempotency keys.
pub struct Idempotency<'c>(pub(crate) Db<'c>);

impl Idempotency<'_> {
    /// Claims `(scope, key)` for the request `fingerprint` as `claim`;
    /// `false` when the key already has a row (someone else's claim or a
    /// stored response: see [`Idempotency::find`]).
    pub async fn claim(
        &mut self,
        scope: &str,
        key: &str,
        fingerprint: &str,
        claim: Uuid,
    ) -> Result<bool> {
        let at = now();
        let sql = "INSERT INTO idempotency_keys \
                   (scope, idem_key, fingerprint, state, claim, created_at, claimed_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (scope, idem_key) DO NOTHING";
        let inserted = on_db!(self.0, c => sqlx::query(sql)
            .bind(scope).bind(key).bind(fingerprint).bind(RUNNING).bind(claim).bind(at)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(inserted == 1)
    }

    /// The key's row, if any.
    pub async fn find(&mut self, scope: &str, key: &str) -> Result<Option<KeyRecord>> {
        let sql =
            "SELECT fingerprint, state, claim, status, headers, body, created_at, claimed_at \
                   FROM idempotency_keys WHERE scope = $1 AND idem_key = $2";
        Ok(on_db!(self.0, c => sqlx::query_as(sql).bind(scope).bind(key).fetch_optional(c).await)?)
    }

    /// Replaces a running claim `stale` taken before `before` (its request
    /// died with its node) by `claim`; `true` if this caller now holds it.
    pub async fn take_over(
        &mut self,
        scope: &str,
        key: &str,
        stale: Uuid,
        before: DateTime<Utc>,
        claim: Uuid,
    ) -> Result<bool> {
        let sql = "UPDATE idempotency_keys SET claim = $1, claimed_at = $2 \
                   WHERE scope = $3 AND idem_key = $4 AND state = $5 AND claim = $6 AND claimed_at < $7";
        let updated = on_db!(self.0, c => sqlx::query(sql)
            .bind(claim).bind(now()).bind(scope).bind(key).bind(RUNNING).bind(stale).bind(before)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(updated == 1)
    }

    /// Stores the response of the request holding `claim`; `false` if the
    /// claim was lost meanwhile (taken over as stale).
    pub async fn complete(
        &mut self,
        scope: &str,
        key: &str,
        claim: Uuid,
        response: StoredResponse<'_>,
    ) -> Result<bool> {
        let sql = "UPDATE idempotency_keys SET state = $1, status = $2, headers = $3, body = $4 \
                   WHERE scope = $5 AND idem_key = $6 AND state = $7 AND claim = $8";
        let updated = on_db!(self.0, c => sqlx::query(sql)
            .bind(DONE).bind(i32::from(response.status)).bind(response.headers).bind(response.body)
            .bind(scope).bind(key).bind(RUNNING).bind(claim)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(updated == 1)
    }

    /// Gives up a running claim (the request failed, or was cancelled), so
    /// a retry can do the work.
    pub async fn release(&mut self, scope: &str, key: &str, claim: Uuid) -> Result<()> {
        let sql = "DELETE FROM idempotency_keys \
                   WHERE scope = $1 AND idem_key = $2 AND state = $3 AND claim = $4";
        on_db!(self.0, c => sqlx::query(sql).bind(scope).bind(key).bind(RUNNING).bind(claim)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Forgets the key if it was first used before `before` (expired).
    pub async fn forget_expired(
        &mut self,
        scope: &str,
        key: &str,
        before: DateTime<Utc>,
    ) -> Result<()> {
        let sql =
            "DELETE FROM idempotency_keys WHERE scope = $1 AND idem_key = $2 AND created_at < $3";
        on_db!(self.0, c => sqlx::query(sql).bind(scope).bind(key).bind(before)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Deletes every key first used before `before`; returns how many.
    pub async fn purge_expired(&mut self, before: DateTime<Utc>) -> Result<u64> {
        let sql = "DELETE FROM idempotency_keys WHERE created_at < $1";
        Ok(
            on_db!(self.0, c => sqlx::query(sql).bind(before).execute(c).await.map(|r| r.rows_affected()))?,
        )
    }
}
