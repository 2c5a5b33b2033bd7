//! Panel sign-in attempts per email and scope (a client address, or every
//! address), counted in the database so throttling holds across app nodes.
//! The rule (how many, over which window, which scopes) is the panel's;
//! this only counts.
//!
//! An attempt is counted *before* its password is checked: [`claim`] is one
//! upsert that returns the new count, and the row lock it takes orders
//! concurrent attempts, so a burst cannot all read a count under the limit.
//! A sign-in that succeeds gives its attempt back ([`forgive`],
//! [`give_back`]).
//!
//! [`claim`]: LoginFailures::claim
//! [`forgive`]: LoginFailures::forgive
//! [`give_back`]: LoginFailures::give_back

use chrono::{DateTime, Utc};

use crate::backend::on_db;
use crate::{Db, Result};

/// An attempt as counted: its number within the counter's window, and when
/// that window started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Attempt {
    /// 1 for the first attempt of the window, and so on (this one included).
    pub attempts: i64,
    /// When the counter's window started.
    pub window_start: DateTime<Utc>,
}

/// Repository of sign-in attempt counters.
pub struct LoginFailures<'c>(pub(crate) Db<'c>);

/// Counters stale at `before` purged per call: the purge never waits and
/// never grows with the table.
const PURGE_BATCH: i64 = 500;

impl LoginFailures<'_> {
    /// Counts one attempt for (`email`, `scope`) at `now` and returns it. A
    /// counter whose window started before `window_cutoff` starts a new
    /// window at `now`. Run it in a write transaction and commit before the
    /// slow check: on PostgreSQL the upsert holds the row until commit, so
    /// concurrent attempts queue there and each reads the count the
    /// previous one wrote; SQLite's single writer does the same.
    pub async fn claim(
        &mut self,
        email: &str,
        scope: &str,
        now: DateTime<Utc>,
        window_cutoff: DateTime<Utc>,
    ) -> Result<Attempt> {
        // Every SET expression reads the row as it was (both backends).
        let sql = "INSERT INTO panel_login_attempts (email, peer, window_start, attempts) \
                   VALUES ($1, $2, $3, 1) \
                   ON CONFLICT (email, peer) DO UPDATE SET \
                   attempts = CASE WHEN panel_login_attempts.window_start < $4 THEN 1 \
                                   ELSE panel_login_attempts.attempts + 1 END, \
                   window_start = CASE WHEN panel_login_attempts.window_start < $4 THEN $3 \
                                       ELSE panel_login_attempts.window_start END \
                   RETURNING attempts, window_start";
        Ok(
            on_db!(self.0, c => sqlx::query_as(sql).bind(email).bind(scope).bind(now)
                .bind(window_cutoff).fetch_one(c).await)?,
        )
    }

    /// Forgets the counter of (`email`, `scope`): after a successful sign-in
    /// from that address, its earlier failures no longer count.
    pub async fn forgive(&mut self, email: &str, scope: &str) -> Result<()> {
        let sql = "DELETE FROM panel_login_attempts WHERE email = $1 AND peer = $2";
        on_db!(self.0, c => sqlx::query(sql).bind(email).bind(scope)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Gives one attempt back to (`email`, `scope`): the attempt succeeded,
    /// so it is not a failure, while the other attempts (from elsewhere)
    /// still count.
    pub async fn give_back(&mut self, email: &str, scope: &str) -> Result<()> {
        let sql = "UPDATE panel_login_attempts SET attempts = attempts - 1 \
                   WHERE email = $1 AND peer = $2 AND attempts > 0";
        on_db!(self.0, c => sqlx::query(sql).bind(email).bind(scope)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The counter of (`email`, `scope`), if any (what the throttle stands
    /// on; for tests and diagnostics).
    pub async fn get(&mut self, email: &str, scope: &str) -> Result<Option<Attempt>> {
        let sql = "SELECT attempts, window_start FROM panel_login_attempts \
                   WHERE email = $1 AND peer = $2";
        Ok(
            on_db!(self.0, c => sqlx::query_as(sql).bind(email).bind(scope)
            .fetch_optional(c).await)?,
        )
    }

    /// Deletes up to a batch of counters whose window started before
    /// `before`; returns how many. Run it on its own, outside the claim's
    /// transaction: on PostgreSQL it skips rows another attempt holds, so it
    /// never waits on (or deadlocks with) a sign-in.
    pub async fn purge_stale(&mut self, before: DateTime<Utc>) -> Result<u64> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE SKIP LOCKED",
            Db::Sqlite(_) => "",
        };
        let sql = format!(
            "DELETE FROM panel_login_attempts WHERE (email, peer) IN \
             (SELECT email, peer FROM panel_login_attempts WHERE window_start < $1 \
              LIMIT $2{lock})"
        );
        Ok(
            on_db!(self.0, c => sqlx::query(&sql).bind(before).bind(PURGE_BATCH)
            .execute(c).await.map(|r| r.rows_affected()))?,
        )
    }
}
