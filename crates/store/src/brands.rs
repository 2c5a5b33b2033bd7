//! Brands of a store (ecommloja-api.md §3.6). A product points at one
//! through `products.brand_id`.

use chrono::{DateTime, Utc};
use vitrine_core::ids::{BrandId, ShopScope};

use crate::backend::on_db;
use crate::counters::next_id;
use crate::{now, Db, Error, Result};

/// The editable fields of a brand.
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct BrandFields {
    /// Name.
    pub name: String,
    /// Url slug.
    pub url: String,
    /// Description.
    pub description: String,
    /// Sort order.
    pub sort: i64,
    /// Shown in the store menu.
    pub view_menu: bool,
    /// SEO description.
    pub meta_description: String,
    /// SEO title.
    pub meta_title: String,
    /// SEO keywords.
    pub meta_keys: String,
    /// Brand image path (stored, not rendered).
    pub image: String,
    /// Menu icon path (stored, not rendered).
    pub menu_icon: String,
    /// Desktop banner path (stored, not rendered).
    pub desktop_image: String,
    /// Mobile banner path (stored, not rendered).
    pub mobile_image: String,
    /// Active.
    pub status: bool,
}

/// A brand as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Brand {
    /// Per-store id.
    pub id: BrandId,
    /// Editable fields.
    #[sqlx(flatten)]
    pub fields: BrandFields,
    /// Creation time.
    pub date_register: DateTime<Utc>,
    /// Last change (`last_upload` on the wire, sic).
    pub last_upload: DateTime<Utc>,
}

/// Repository of brands.
pub struct Brands<'c>(pub(crate) Db<'c>);

const COLUMNS: &str = "id, name, url, description, sort, view_menu, meta_description, meta_title, meta_keys, \
                       image, menu_icon, desktop_image, mobile_image, status, date_register, last_upload";

impl Brands<'_> {
    /// Adds a brand.
    pub async fn insert(&mut self, scope: ShopScope, f: &BrandFields) -> Result<Brand> {
        let id = next_id(&mut self.0, scope, "brands").await?;
        let at = now();
        let sql = format!(
            "INSERT INTO brands (account_id, store_id, id, name, name_key, url, description, sort, view_menu, \
             meta_description, meta_title, meta_keys, image, menu_icon, desktop_image, mobile_image, status, \
             date_register, last_upload) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) \
             RETURNING {COLUMNS}"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(&f.name).bind(f.name.to_lowercase()).bind(&f.url)
            .bind(&f.description).bind(f.sort).bind(f.view_menu).bind(&f.meta_description).bind(&f.meta_title)
            .bind(&f.meta_keys).bind(&f.image).bind(&f.menu_icon).bind(&f.desktop_image).bind(&f.mobile_image)
            .bind(f.status).bind(at)
            .fetch_one(c).await)?)
    }

    /// Replaces a brand's editable fields (the caller merged what was sent).
    pub async fn update(
        &mut self,
        scope: ShopScope,
        id: BrandId,
        f: &BrandFields,
    ) -> Result<Brand> {
        let sql = format!(
            "UPDATE brands SET name = $4, name_key = $5, url = $6, description = $7, sort = $8, view_menu = $9, \
             meta_description = $10, meta_title = $11, meta_keys = $12, image = $13, menu_icon = $14, \
             desktop_image = $15, mobile_image = $16, status = $17, last_upload = $18 \
             WHERE account_id = $1 AND store_id = $2 AND id = $3 RETURNING {COLUMNS}"
        );
        on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(&f.name).bind(f.name.to_lowercase()).bind(&f.url)
            .bind(&f.description).bind(f.sort).bind(f.view_menu).bind(&f.meta_description).bind(&f.meta_title)
            .bind(&f.meta_keys).bind(&f.image).bind(&f.menu_icon).bind(&f.desktop_image).bind(&f.mobile_image)
            .bind(f.status).bind(now())
            .fetch_optional(c).await)?
        .ok_or(Error::NotFound)
    }

    /// One brand by id; `NotFound` when the store has none with it.
    pub async fn get(&mut self, scope: ShopScope, id: BrandId) -> Result<Brand> {
        let sql = format!(
            "SELECT {COLUMNS} FROM brands WHERE account_id = $1 AND store_id = $2 AND id = $3"
        );
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(id).fetch_one(c).await)?,
        )
    }

    /// Brands whose name equals `name` ignoring case, by id.
    pub async fn find_by_name(&mut self, scope: ShopScope, name: &str) -> Result<Vec<Brand>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM brands WHERE account_id = $1 AND store_id = $2 AND name_key = $3 ORDER BY id"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(name.trim().to_lowercase()).fetch_all(c).await)?)
    }

    /// Every brand of the store, by id.
    pub async fn list(&mut self, scope: ShopScope) -> Result<Vec<Brand>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM brands WHERE account_id = $1 AND store_id = $2 ORDER BY id"
        );
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).fetch_all(c).await)?,
        )
    }

    /// Deletes brands by id; products pointing at them lose their brand.
    /// Returns how many brands were deleted.
    pub async fn delete(&mut self, scope: ShopScope, ids: &[BrandId]) -> Result<u64> {
        let mut deleted = 0;
        for id in ids {
            on_db!(self.0, c => {
                sqlx::query("UPDATE products SET brand_id = NULL WHERE account_id = $1 AND store_id = $2 AND brand_id = $3")
                    .bind(scope.account.0).bind(scope.store.0).bind(id).execute(&mut *c).await.map(|r| r.rows_affected())?;
                deleted += sqlx::query("DELETE FROM brands WHERE account_id = $1 AND store_id = $2 AND id = $3")
                    .bind(scope.account.0).bind(scope.store.0).bind(id).execute(&mut *c).await.map(|r| r.rows_affected())?;
            });
        }
        Ok(deleted)
    }
}
