//! Loja design settings: per-store overrides of documented defaults.

use vitrine_core::ids::ShopScope;

use crate::backend::on_db;
use crate::{Db, Result};

/// Repository of design settings.
pub struct Design<'c>(pub(crate) Db<'c>);

impl Design<'_> {
    /// The keys this store has changed, with their values.
    pub async fn overrides(&mut self, scope: ShopScope) -> Result<Vec<(String, String)>> {
        let sql = "SELECT key, value FROM design_settings WHERE account_id = $1 AND store_id = $2";
        Ok(
            on_db!(self.0, c => sqlx::query_as(sql).bind(scope.account.0).bind(scope.store.0).fetch_all(c).await)?,
        )
    }

    /// Sets one key for a store.
    pub async fn set(&mut self, scope: ShopScope, key: &str, value: &str) -> Result<()> {
        // Same upsert syntax on both backends (SQLite ≥ 3.24).
        let sql = "INSERT INTO design_settings (account_id, store_id, key, value) VALUES ($1, $2, $3, $4) \
                   ON CONFLICT (account_id, store_id, key) DO UPDATE SET value = excluded.value";
        on_db!(self.0, c => sqlx::query(sql).bind(scope.account.0).bind(scope.store.0).bind(key).bind(value).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}
