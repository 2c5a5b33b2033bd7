//! Panel sessions: the hash of the cookie's token, the session's CSRF token
//! and its expiry. Stored here, not in process memory, so app nodes stay
//! stateless.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use vitrine_core::ids::{AccountId, UserId};

use crate::backend::on_db;
use crate::{now, Db, Result};

/// A live session and the user it signs in.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Session {
    /// The user's account: every panel query is scoped by it.
    pub account_id: Uuid,
    /// Session id.
    pub id: Uuid,
    /// The signed-in user.
    pub user_id: Uuid,
    /// The user's email, for the page header.
    pub email: String,
    /// The per-session CSRF token every form must send back.
    pub csrf_token: String,
    /// The account's time zone (IANA name), for the dates on every page.
    pub time_zone: String,
    /// When it stops being accepted.
    pub expires_at: DateTime<Utc>,
}

/// What to store for a new session (the token itself is never stored).
#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    /// Account of the user.
    pub account: AccountId,
    /// The user.
    pub user: UserId,
    /// SHA-256 of the cookie's token.
    pub token_hash: &'a str,
    /// The CSRF token.
    pub csrf_token: &'a str,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
}

/// Repository of panel sessions.
pub struct Sessions<'c>(pub(crate) Db<'c>);

impl Sessions<'_> {
    /// Stores a new session and returns its id.
    pub async fn insert(&mut self, new: &NewSession<'_>) -> Result<Uuid> {
        let id = Uuid::now_v7();
        let sql = "INSERT INTO panel_sessions (account_id, id, user_id, token_hash, csrf_token, created_at, expires_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7)";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(new.account.0).bind(id).bind(new.user.0).bind(new.token_hash)
            .bind(new.csrf_token).bind(now()).bind(new.expires_at)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(id)
    }

    /// The unexpired session whose token hashes to `token_hash`; this is
    /// the lookup that tells which account a request belongs to.
    pub async fn find_live(&mut self, token_hash: &str) -> Result<Option<Session>> {
        let sql = "SELECT s.account_id, s.id, s.user_id, u.email, s.csrf_token, a.time_zone, s.expires_at \
                   FROM panel_sessions s JOIN users u ON u.account_id = s.account_id AND u.id = s.user_id \
                   JOIN accounts a ON a.id = s.account_id \
                   WHERE s.token_hash = $1 AND s.expires_at > $2";
        Ok(
            on_db!(self.0, c => sqlx::query_as(sql).bind(token_hash).bind(now()).fetch_optional(c).await)?,
        )
    }

    /// Ends one session of the account (sign-out).
    pub async fn delete(&mut self, account: AccountId, id: Uuid) -> Result<u64> {
        let sql = "DELETE FROM panel_sessions WHERE account_id = $1 AND id = $2";
        Ok(
            on_db!(self.0, c => sqlx::query(sql).bind(account.0).bind(id)
            .execute(c).await.map(|r| r.rows_affected()))?,
        )
    }

    /// Ends every other session of a user (after a password change).
    pub async fn delete_others(
        &mut self,
        account: AccountId,
        user: UserId,
        keep: Uuid,
    ) -> Result<u64> {
        let sql = "DELETE FROM panel_sessions WHERE account_id = $1 AND user_id = $2 AND id <> $3";
        Ok(
            on_db!(self.0, c => sqlx::query(sql).bind(account.0).bind(user.0).bind(keep)
            .execute(c).await.map(|r| r.rows_affected()))?,
        )
    }

    /// Ends every session of a user (a password reset); returns how many.
    pub async fn delete_for_user(&mut self, account: AccountId, user: UserId) -> Result<u64> {
        let sql = "DELETE FROM panel_sessions WHERE account_id = $1 AND user_id = $2";
        Ok(
            on_db!(self.0, c => sqlx::query(sql).bind(account.0).bind(user.0)
            .execute(c).await.map(|r| r.rows_affected()))?,
        )
    }

    /// Deletes expired sessions of every account; returns how many.
    pub async fn purge_expired(&mut self) -> Result<u64> {
        let sql = "DELETE FROM panel_sessions WHERE expires_at <= $1";
        Ok(
            on_db!(self.0, c => sqlx::query(sql).bind(now()).execute(c).await.map(|r| r.rows_affected()))?,
        )
    }
}
