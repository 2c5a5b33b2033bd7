//! Secrets the panel keys its HMACs with (the sign-in form's CSRF token),
//! one row per name, created once by whichever node needs it first and
//! shared by every node. Stored in clear: they must sign.

use crate::backend::on_db;
use crate::{now, Db, Result};

/// Repository of the panel's server secrets.
pub struct PanelSecrets<'c>(pub(crate) Db<'c>);

impl PanelSecrets<'_> {
    /// The secret called `name`, if it was created.
    pub async fn get(&mut self, name: &str) -> Result<Option<String>> {
        let sql = "SELECT secret FROM panel_secrets WHERE name = $1";
        Ok(on_db!(self.0, c => sqlx::query_scalar(sql).bind(name).fetch_optional(&mut *c).await)?)
    }

    /// The secret called `name`, storing `candidate` if there is none yet.
    /// Two nodes racing both get the one that was stored first.
    pub async fn get_or_insert(&mut self, name: &str, candidate: &str) -> Result<String> {
        let insert = "INSERT INTO panel_secrets (name, secret, created_at) VALUES ($1, $2, $3) \
                      ON CONFLICT (name) DO NOTHING";
        let select = "SELECT secret FROM panel_secrets WHERE name = $1";
        Ok(on_db!(self.0, c => {
            sqlx::query(insert).bind(name).bind(candidate).bind(now()).execute(&mut *c).await?;
            sqlx::query_scalar(select).bind(name).fetch_one(&mut *c).await
        })?)
    }
}
