//! Panel users.

use uuid::Uuid;

use crate::backend::on_db;
use crate::{Db, Result};

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
}
