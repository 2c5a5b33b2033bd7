//! Failed panel sign-ins per email and client address, so throttling holds
//! across app nodes. The rule (how many, over which window) is the panel's;
//! this only records and counts.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::backend::on_db;
use crate::{now, Db, Result};

/// Repository of failed sign-ins.
pub struct LoginFailures<'c>(pub(crate) Db<'c>);

impl LoginFailures<'_> {
    /// Records one failure now.
    pub async fn record(&mut self, email: &str, ip: &str) -> Result<()> {
        let sql =
            "INSERT INTO panel_login_failures (id, email, ip, failed_at) VALUES ($1, $2, $3, $4)";
        on_db!(self.0, c => sqlx::query(sql).bind(Uuid::now_v7()).bind(email).bind(ip).bind(now())
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Failures for `email` from `ip` at or after `since`.
    pub async fn count_since(
        &mut self,
        email: &str,
        ip: &str,
        since: DateTime<Utc>,
    ) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM panel_login_failures WHERE email = $1 AND ip = $2 AND failed_at >= $3";
        Ok(
            on_db!(self.0, c => sqlx::query_scalar(sql).bind(email).bind(ip).bind(since).fetch_one(c).await)?,
        )
    }

    /// Forgets the failures of `email` from `ip` (after a successful sign-in)
    /// and any failure older than `before` (housekeeping).
    pub async fn clear(&mut self, email: &str, ip: &str, before: DateTime<Utc>) -> Result<()> {
        let sql =
            "DELETE FROM panel_login_failures WHERE (email = $1 AND ip = $2) OR failed_at < $3";
        on_db!(self.0, c => sqlx::query(sql).bind(email).bind(ip).bind(before)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}
