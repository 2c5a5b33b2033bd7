//! Manufacturers of a store (ecommloja-api.md §3.5). A product points at
//! one through `products.manufacturer_id`; names are unique per store,
//! ignoring case, because the API finds, updates and deletes them by name.

use chrono::{DateTime, Utc};
use vitrine_core::ids::{ManufacturerId, ShopScope};

use crate::backend::on_db;
use crate::counters::next_id;
use crate::{now, Db, Error, Result};

/// The editable fields of a manufacturer.
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct ManufacturerFields {
    /// Name (unique in the store, ignoring case).
    pub name: String,
    /// Url slug.
    pub url: String,
    /// Free code.
    pub code: String,
    /// Description.
    pub description: String,
    /// SEO title.
    pub meta_title: String,
    /// SEO description.
    pub meta_description: String,
    /// SEO keywords (`keywords` on input).
    pub meta_keys: String,
    /// Active.
    pub status: bool,
}

/// A manufacturer as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Manufacturer {
    /// Per-store id.
    pub id: ManufacturerId,
    /// Editable fields.
    #[sqlx(flatten)]
    pub fields: ManufacturerFields,
    /// Creation time.
    pub insert_date: DateTime<Utc>,
    /// Last change.
    pub last_update: DateTime<Utc>,
}

/// Repository of manufacturers.
pub struct Manufacturers<'c>(pub(crate) Db<'c>);

const COLUMNS: &str =
    "id, name, url, code, description, meta_title, meta_description, meta_keys, status, insert_date, last_update";

impl Manufacturers<'_> {
    /// Adds a manufacturer; a name already used (ignoring case) is `Conflict { what: "name" }`.
    pub async fn insert(
        &mut self,
        scope: ShopScope,
        f: &ManufacturerFields,
    ) -> Result<Manufacturer> {
        let id = next_id(&mut self.0, scope, "manufacturers").await?;
        let sql = format!(
            "INSERT INTO manufacturers (account_id, store_id, id, name, name_key, url, code, description, meta_title, \
             meta_description, meta_keys, status, insert_date, last_update) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING {COLUMNS}"
        );
        on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(&f.name).bind(f.name.to_lowercase()).bind(&f.url)
            .bind(&f.code).bind(&f.description).bind(&f.meta_title).bind(&f.meta_description).bind(&f.meta_keys)
            .bind(f.status).bind(now())
            .fetch_one(c).await)
        .map_err(Error::unique_as("name"))
    }

    /// Replaces the editable fields (the caller merged what was sent).
    pub async fn update(
        &mut self,
        scope: ShopScope,
        id: ManufacturerId,
        f: &ManufacturerFields,
    ) -> Result<Manufacturer> {
        let sql = format!(
            "UPDATE manufacturers SET name = $4, name_key = $5, url = $6, code = $7, description = $8, \
             meta_title = $9, meta_description = $10, meta_keys = $11, status = $12, last_update = $13 \
             WHERE account_id = $1 AND store_id = $2 AND id = $3 RETURNING {COLUMNS}"
        );
        on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(&f.name).bind(f.name.to_lowercase()).bind(&f.url)
            .bind(&f.code).bind(&f.description).bind(&f.meta_title).bind(&f.meta_description).bind(&f.meta_keys)
            .bind(f.status).bind(now())
            .fetch_optional(c).await)
        .map_err(Error::unique_as("name"))?
        .ok_or(Error::NotFound)
    }

    /// One manufacturer by id; `NotFound` when the store has none with it.
    pub async fn get(&mut self, scope: ShopScope, id: ManufacturerId) -> Result<Manufacturer> {
        let sql = format!("SELECT {COLUMNS} FROM manufacturers WHERE account_id = $1 AND store_id = $2 AND id = $3");
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(id).fetch_one(c).await)?,
        )
    }

    /// The manufacturer with this name, ignoring case.
    pub async fn find_by_name(
        &mut self,
        scope: ShopScope,
        name: &str,
    ) -> Result<Option<Manufacturer>> {
        let sql =
            format!("SELECT {COLUMNS} FROM manufacturers WHERE account_id = $1 AND store_id = $2 AND name_key = $3");
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(name.trim().to_lowercase()).fetch_optional(c).await)?)
    }

    /// Every manufacturer of the store, by id.
    pub async fn list(&mut self, scope: ShopScope) -> Result<Vec<Manufacturer>> {
        let sql = format!("SELECT {COLUMNS} FROM manufacturers WHERE account_id = $1 AND store_id = $2 ORDER BY id");
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).fetch_all(c).await)?,
        )
    }

    /// Deletes a manufacturer; products pointing at it lose their manufacturer.
    pub async fn delete(&mut self, scope: ShopScope, id: ManufacturerId) -> Result<()> {
        let deleted = on_db!(self.0, c => {
            sqlx::query("UPDATE products SET manufacturer_id = NULL WHERE account_id = $1 AND store_id = $2 AND manufacturer_id = $3")
                .bind(scope.account.0).bind(scope.store.0).bind(id).execute(&mut *c).await.map(|r| r.rows_affected())?;
            sqlx::query("DELETE FROM manufacturers WHERE account_id = $1 AND store_id = $2 AND id = $3")
                .bind(scope.account.0).bind(scope.store.0).bind(id).execute(&mut *c).await.map(|r| r.rows_affected())?
        });
        if deleted == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }
}
