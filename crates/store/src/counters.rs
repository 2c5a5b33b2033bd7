//! Per-store integer ids for catalogue rows. The Loja API shows small
//! integer ids (`"id": "20"`), so each (account, store, entity) has a
//! counter bumped inside the writing transaction: the row lock (PostgreSQL)
//! or the write lock (SQLite) serialises concurrent inserts.

use vitrine_core::ids::ShopScope;

use crate::backend::on_db;
use crate::{Db, Result};

/// The next id of `entity` (a table name) in one store, starting at 1.
/// Repositories of other catalogue tables (brands, manufacturers, tags,
/// images…) call this with their own table name.
pub(crate) async fn next_id(db: &mut Db<'_>, scope: ShopScope, entity: &str) -> Result<i64> {
    // Same upsert syntax on both backends (SQLite ≥ 3.35 for RETURNING).
    let sql = "INSERT INTO catalog_counters (account_id, store_id, entity, last_id) VALUES ($1, $2, $3, 1) \
               ON CONFLICT (account_id, store_id, entity) DO UPDATE SET last_id = catalog_counters.last_id + 1 \
               RETURNING last_id";
    let (id,): (i64,) = on_db!(*db, c => sqlx::query_as(sql)
        .bind(scope.account.0).bind(scope.store.0).bind(entity)
        .fetch_one(c).await)?;
    Ok(id)
}
