//! Panel users.

use uuid::Uuid;
use vitrine_core::ids::{AccountId, UserId};

use crate::backend::on_db;
use crate::{Db, Error, Result};

/// What sign-in needs of a user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserLogin {
    /// Owning account.
    pub account_id: Uuid,
    /// Id.
    pub id: Uuid,
    /// Normalised email.
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
}

/// Repository of users.
pub struct Users<'c>(pub(crate) Db<'c>);

impl Users<'_> {
    /// Looks a user up by normalised email, before any account is known.
    pub async fn find_by_email(&mut self, email: &str) -> Result<Option<UserLogin>> {
        let sql = "SELECT account_id, id, email, password_hash FROM users WHERE email = $1";
        Ok(on_db!(self.0, c => sqlx::query_as(sql).bind(email).fetch_optional(c).await)?)
    }

    /// One user of the account; another account's user is `NotFound`.
    pub async fn get(&mut self, account: AccountId, id: UserId) -> Result<UserLogin> {
        let sql = "SELECT account_id, id, email, password_hash FROM users WHERE account_id = $1 AND id = $2";
        Ok(on_db!(self.0, c => sqlx::query_as(sql).bind(account.0).bind(id.0).fetch_one(c).await)?)
    }

    /// Replaces a user's password hash (argon2id PHC string from core).
    pub async fn set_password_hash(
        &mut self,
        account: AccountId,
        id: UserId,
        hash: &str,
    ) -> Result<()> {
        let sql = "UPDATE users SET password_hash = $3 WHERE account_id = $1 AND id = $2";
        let done = on_db!(self.0, c => sqlx::query(sql).bind(account.0).bind(id.0).bind(hash)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if done == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }
}
