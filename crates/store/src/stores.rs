//! Stores (lojas) of an account.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use vitrine_core::ids::{AccountId, StoreId};

use crate::backend::on_db;
use crate::{now, Db, Error, Result};

/// A store (loja) of an account as stored. (`crate::Store` is the
/// database pool.)
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct StoreRow {
    /// Owning account.
    pub account_id: Uuid,
    /// Id (the `store_id` of the Auto API).
    pub id: Uuid,
    /// Display name.
    pub name: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// Repository of stores.
pub struct Stores<'c>(pub(crate) Db<'c>);

const COLUMNS: &str = "account_id, id, name, created_at";

impl Stores<'_> {
    /// Adds a store to an account.
    pub async fn insert(
        &mut self,
        account: AccountId,
        id: StoreId,
        name: &str,
    ) -> Result<StoreRow> {
        let sql = format!(
            "INSERT INTO stores (account_id, id, name, created_at) VALUES ($1, $2, $3, $4) RETURNING {COLUMNS}"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(account.0).bind(id.0).bind(name).bind(now())
            .fetch_one(c).await)?)
    }

    /// The account's stores, oldest first.
    pub async fn list(&mut self, account: AccountId) -> Result<Vec<StoreRow>> {
        let sql = format!("SELECT {COLUMNS} FROM stores WHERE account_id = $1 ORDER BY id");
        Ok(on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).fetch_all(c).await)?)
    }

    /// A page of the account's stores, oldest first (ids are v7), walking
    /// the primary key, and the count of all of them.
    pub async fn page(
        &mut self,
        account: AccountId,
        limit: u32,
        offset: i64,
    ) -> Result<(Vec<StoreRow>, u64)> {
        let sql = format!(
            "SELECT {COLUMNS} FROM stores WHERE account_id = $1 ORDER BY id LIMIT $2 OFFSET $3"
        );
        let count = "SELECT COUNT(*) FROM stores WHERE account_id = $1";
        let total: i64 = on_db!(self.0, c => sqlx::query_scalar(count).bind(account.0).fetch_one(&mut *c).await)?;
        let rows: Vec<StoreRow> = on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(account.0).bind(i64::from(limit)).bind(offset)
            .fetch_all(&mut *c).await)?;
        Ok((rows, u64::try_from(total).unwrap_or(0)))
    }

    /// One store of the account; another account's store is `NotFound`.
    pub async fn get(&mut self, account: AccountId, id: StoreId) -> Result<StoreRow> {
        let sql = format!("SELECT {COLUMNS} FROM stores WHERE account_id = $1 AND id = $2");
        Ok(on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).fetch_one(c).await)?)
    }

    /// Renames a store of the account.
    pub async fn rename(
        &mut self,
        account: AccountId,
        id: StoreId,
        name: &str,
    ) -> Result<StoreRow> {
        let sql = format!(
            "UPDATE stores SET name = $3 WHERE account_id = $1 AND id = $2 RETURNING {COLUMNS}"
        );
        on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).bind(name)
            .fetch_optional(c).await)?
        .ok_or(Error::NotFound)
    }
}
