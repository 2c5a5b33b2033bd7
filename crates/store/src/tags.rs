//! Tags of a store (ecommloja-api.md §3.7) and which apply to a product (E22).

use chrono::{DateTime, Utc};
use vitrine_core::ids::{CategoryId, ProductId, ShopScope, TagId};

use crate::backend::on_db;
use crate::counters::next_id;
use crate::{now, Db, Error, Result};

/// The editable fields of a tag (its type is fixed at creation).
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct TagFields {
    /// Name.
    pub name: String,
    /// Background colour, e.g. `#c67676`.
    pub bg_color: String,
    /// Text colour.
    pub txt_color: String,
    /// Category of a type-6 tag (0 otherwise).
    pub category_id: CategoryId,
    /// Days a type-2 tag applies after a product is registered.
    pub days: i64,
    /// Minimum price for types 3–5, centavos.
    pub minimum_price: i64,
    /// Active.
    pub status: bool,
}

/// A tag as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Tag {
    /// Per-store id.
    pub id: TagId,
    /// Url (unique in the store).
    pub url: String,
    /// Type code 1–6.
    pub tag_type: i16,
    /// Editable fields.
    #[sqlx(flatten)]
    pub fields: TagFields,
    /// Creation time.
    pub register_date: DateTime<Utc>,
    /// Last change.
    pub last_update: DateTime<Utc>,
}

/// Repository of tags.
pub struct Tags<'c>(pub(crate) Db<'c>);

const COLUMNS: &str =
    "id, url, tag_type, name, bg_color, txt_color, category_id, days, minimum_price, status, \
                       register_date, last_update";

impl Tags<'_> {
    /// Is this url used by a tag of the store?
    pub async fn url_taken(&mut self, scope: ShopScope, url: &str) -> Result<bool> {
        let sql = "SELECT id FROM tags WHERE account_id = $1 AND store_id = $2 AND url = $3";
        let found: Option<(i64,)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(url).fetch_optional(c).await)?;
        Ok(found.is_some())
    }

    /// Adds a tag with a url the caller checked is free.
    pub async fn insert(
        &mut self,
        scope: ShopScope,
        url: &str,
        tag_type: i16,
        f: &TagFields,
    ) -> Result<Tag> {
        let id = next_id(&mut self.0, scope, "tags").await?;
        let sql = format!(
            "INSERT INTO tags (account_id, store_id, id, name, name_key, url, bg_color, txt_color, tag_type, \
             category_id, days, minimum_price, status, register_date, last_update) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING {COLUMNS}"
        );
        on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(&f.name).bind(f.name.to_lowercase()).bind(url)
            .bind(&f.bg_color).bind(&f.txt_color).bind(tag_type).bind(f.category_id).bind(f.days)
            .bind(f.minimum_price).bind(f.status).bind(now())
            .fetch_one(c).await)
        .map_err(Error::unique_as("url"))
    }

    /// Replaces the editable fields (the caller merged what was sent).
    pub async fn update(&mut self, scope: ShopScope, id: TagId, f: &TagFields) -> Result<Tag> {
        let sql = format!(
            "UPDATE tags SET name = $4, name_key = $5, bg_color = $6, txt_color = $7, category_id = $8, days = $9, \
             minimum_price = $10, status = $11, last_update = $12 \
             WHERE account_id = $1 AND store_id = $2 AND id = $3 RETURNING {COLUMNS}"
        );
        on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(&f.name).bind(f.name.to_lowercase())
            .bind(&f.bg_color).bind(&f.txt_color).bind(f.category_id).bind(f.days).bind(f.minimum_price)
            .bind(f.status).bind(now())
            .fetch_optional(c).await)?
        .ok_or(Error::NotFound)
    }

    /// One tag by id; `NotFound` when the store has none with it.
    pub async fn get(&mut self, scope: ShopScope, id: TagId) -> Result<Tag> {
        let sql = format!(
            "SELECT {COLUMNS} FROM tags WHERE account_id = $1 AND store_id = $2 AND id = $3"
        );
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(id).fetch_one(c).await)?,
        )
    }

    /// Tags whose name contains `name`, ignoring case, by id.
    pub async fn search_name(&mut self, scope: ShopScope, name: &str) -> Result<Vec<Tag>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM tags WHERE account_id = $1 AND store_id = $2 AND name_key LIKE $3 ESCAPE '\\' \
             ORDER BY id"
        );
        let pattern = format!("%{}%", escape_like(&name.trim().to_lowercase()));
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(pattern).fetch_all(c).await)?,
        )
    }

    /// Tags with exactly this url.
    pub async fn find_by_url(&mut self, scope: ShopScope, url: &str) -> Result<Vec<Tag>> {
        let sql =
            format!("SELECT {COLUMNS} FROM tags WHERE account_id = $1 AND store_id = $2 AND url = $3 ORDER BY id");
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(url).fetch_all(c).await)?,
        )
    }

    /// Type-6 tags of a category, by id.
    pub async fn for_category(
        &mut self,
        scope: ShopScope,
        category_id: CategoryId,
    ) -> Result<Vec<Tag>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM tags WHERE account_id = $1 AND store_id = $2 AND tag_type = 6 AND category_id = $3 \
             ORDER BY id"
        );
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(category_id).fetch_all(c).await)?,
        )
    }

    /// Active tags of the store, by id (candidates for E22's rules).
    pub async fn active(&mut self, scope: ShopScope) -> Result<Vec<Tag>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM tags WHERE account_id = $1 AND store_id = $2 AND status = $3 ORDER BY id"
        );
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(true).fetch_all(c).await)?,
        )
    }

    /// Ids of the tags explicitly linked to a product.
    pub async fn linked_to(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
    ) -> Result<Vec<TagId>> {
        let sql = "SELECT tag_id FROM product_tags WHERE account_id = $1 AND store_id = $2 AND product_id = $3";
        let rows: Vec<(TagId,)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(product_id).fetch_all(c).await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Links a tag to a product (idempotent).
    pub async fn link(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
        tag_id: TagId,
    ) -> Result<()> {
        let sql = "INSERT INTO product_tags (account_id, store_id, product_id, tag_id) VALUES ($1, $2, $3, $4) \
                   ON CONFLICT DO NOTHING";
        on_db!(self.0, c => sqlx::query(sql).bind(scope.account.0).bind(scope.store.0).bind(product_id).bind(tag_id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Unlinks a tag from a product; `false` when there was no link.
    pub async fn unlink(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
        tag_id: TagId,
    ) -> Result<bool> {
        let sql = "DELETE FROM product_tags WHERE account_id = $1 AND store_id = $2 AND product_id = $3 AND tag_id = $4";
        let n = on_db!(self.0, c => sqlx::query(sql).bind(scope.account.0).bind(scope.store.0).bind(product_id).bind(tag_id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// Does a (type-1) category with this id exist in the store? Type-6
    /// tags must name one.
    pub async fn category_exists(
        &mut self,
        scope: ShopScope,
        category_id: CategoryId,
    ) -> Result<bool> {
        let sql = "SELECT id FROM categories WHERE account_id = $1 AND store_id = $2 AND id = $3";
        let found: Option<(i64,)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(category_id).fetch_optional(c).await)?;
        Ok(found.is_some())
    }

    /// Ids of the (type-1) categories a product is linked to, for type-6 tags.
    pub async fn product_categories(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
    ) -> Result<Vec<CategoryId>> {
        let sql = "SELECT category_id FROM product_categories \
                   WHERE account_id = $1 AND store_id = $2 AND product_id = $3 AND category_type = 1";
        let rows: Vec<(CategoryId,)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(product_id).fetch_all(c).await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// Deletes a tag and its product links.
    pub async fn delete(&mut self, scope: ShopScope, id: TagId) -> Result<()> {
        let n = on_db!(self.0, c => {
            sqlx::query("DELETE FROM product_tags WHERE account_id = $1 AND store_id = $2 AND tag_id = $3")
                .bind(scope.account.0).bind(scope.store.0).bind(id).execute(&mut *c).await.map(|r| r.rows_affected())?;
            sqlx::query("DELETE FROM tags WHERE account_id = $1 AND store_id = $2 AND id = $3")
                .bind(scope.account.0).bind(scope.store.0).bind(id).execute(&mut *c).await.map(|r| r.rows_affected())?
        });
        if n == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub(crate) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
