//! Categories (type 1) and subcategories (type 2) of a store, with their
//! separate id spaces, and the product links between them
//! (ecommloja-api.md §3.4).

use vitrine_core::catalog::{fold, slug_candidate};
use vitrine_core::ids::{CategoryId, ProductId, ShopScope, SubcategoryId};

use crate::backend::on_db;
use crate::counters::next_id;
use crate::varieties::like_pattern;
use crate::{Db, Error, Result};

/// The fields shared by both kinds (subcategories store, but the API does
/// not render, description, meta, view_menu, hot_page and page_id).
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct CategoryFields {
    /// Name.
    pub name: String,
    /// Order.
    pub sort: i64,
    /// Description.
    pub description: String,
    /// Shown in the store menu.
    pub view_menu: bool,
    /// SEO description.
    pub meta_description: String,
    /// SEO title.
    pub meta_title: String,
    /// SEO keywords.
    pub meta_keys: String,
    /// 1 category, 2 institutional page (categories only).
    pub hot_page: i64,
    /// CMS page when `hot_page` = 2 (categories only).
    pub page_id: i64,
    /// Active.
    pub status: bool,
}

/// A category (type 1).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Category {
    /// Per-store id in the category id space.
    pub id: CategoryId,
    /// Url slug.
    pub url: String,
    /// Visit counter.
    pub visits: i64,
    /// Editable fields.
    #[sqlx(flatten)]
    pub fields: CategoryFields,
}

/// A subcategory (type 2): exactly one of `parent_id` (a category) and
/// `sub_parent_id` (a subcategory) is non-zero, as the wire shows them
/// (SH-Category2); [`Subcategory::parent`] says which.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Subcategory {
    /// Per-store id in the subcategory id space.
    pub id: SubcategoryId,
    /// Parent category, or 0.
    pub parent_id: CategoryId,
    /// Parent subcategory, or 0.
    pub sub_parent_id: SubcategoryId,
    /// Url slug.
    pub url: String,
    /// Editable fields (`hot_page`/`page_id` read as 0).
    #[sqlx(flatten)]
    pub fields: CategoryFields,
}

/// Category (1) or subcategory (2): the id space an id belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CategoryKind {
    /// Type 1.
    Category,
    /// Type 2.
    Subcategory,
}

impl CategoryKind {
    /// The wire and storage code.
    pub fn code(self) -> i16 {
        match self {
            Self::Category => 1,
            Self::Subcategory => 2,
        }
    }

    fn table(self) -> &'static str {
        match self {
            Self::Category => "categories",
            Self::Subcategory => "subcategories",
        }
    }
}

/// A category or a subcategory: an id in its own id space. What products
/// link to, subcategories hang under and urls name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CategoryRef {
    /// A category (type 1).
    Category(CategoryId),
    /// A subcategory (type 2).
    Subcategory(SubcategoryId),
}

impl CategoryRef {
    /// The id `id` of the space `kind` (as the Loja API sends the pair).
    pub fn new(kind: CategoryKind, id: i64) -> Self {
        match kind {
            CategoryKind::Category => Self::Category(CategoryId(id)),
            CategoryKind::Subcategory => Self::Subcategory(SubcategoryId(id)),
        }
    }

    /// Which id space.
    pub fn kind(self) -> CategoryKind {
        match self {
            Self::Category(_) => CategoryKind::Category,
            Self::Subcategory(_) => CategoryKind::Subcategory,
        }
    }

    /// The id within its space, as stored beside the kind's code and as the
    /// wire shows it beside its type.
    pub fn id(self) -> i64 {
        match self {
            Self::Category(id) => id.0,
            Self::Subcategory(id) => id.0,
        }
    }

    fn from_stored(code: i16, id: i64) -> Self {
        if code == CategoryKind::Subcategory.code() {
            Self::Subcategory(SubcategoryId(id))
        } else {
            Self::Category(CategoryId(id))
        }
    }
}

impl Subcategory {
    /// What it hangs under: a category or another subcategory.
    pub fn parent(&self) -> CategoryRef {
        if self.parent_id.0 != 0 {
            CategoryRef::Category(self.parent_id)
        } else {
            CategoryRef::Subcategory(self.sub_parent_id)
        }
    }
}

const CATEGORY_COLUMNS: &str =
    "id, url, visits, name, sort, description, view_menu, meta_description, \
    meta_title, meta_keys, hot_page, page_id, status";
const SUB_COLUMNS: &str = "id, parent_id, sub_parent_id, url, name, sort, description, view_menu, \
    meta_description, meta_title, meta_keys, CAST(0 AS BIGINT) AS hot_page, CAST(0 AS BIGINT) AS page_id, status";

/// Repository of categories, subcategories and product links.
pub struct Categories<'c>(pub(crate) Db<'c>);

impl Categories<'_> {
    async fn free_url(
        &mut self,
        scope: ShopScope,
        kind: CategoryKind,
        base: &str,
    ) -> Result<String> {
        let sql = format!(
            "SELECT id FROM {} WHERE account_id = $1 AND store_id = $2 AND url = $3",
            kind.table()
        );
        let mut attempt = 1;
        loop {
            let candidate = slug_candidate(base, attempt);
            let found: Option<(i64,)> = on_db!(self.0, c => sqlx::query_as(&sql)
                .bind(scope.account.0).bind(scope.store.0).bind(&candidate).fetch_optional(c).await)?;
            if found.is_none() {
                return Ok(candidate);
            }
            attempt += 1;
        }
    }

    /// Adds a category; `url` is made unique with `-2`, `-3`, …
    pub async fn insert_category(
        &mut self,
        scope: ShopScope,
        url: &str,
        fields: &CategoryFields,
    ) -> Result<Category> {
        let url = self.free_url(scope, CategoryKind::Category, url).await?;
        let id = next_id(&mut self.0, scope, "categories").await?;
        let sql = format!(
            "INSERT INTO categories (account_id, store_id, id, url, name, name_search, sort, description, view_menu, \
             meta_description, meta_title, meta_keys, hot_page, page_id, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING {CATEGORY_COLUMNS}"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(&url).bind(&fields.name).bind(fold(&fields.name))
            .bind(fields.sort).bind(&fields.description).bind(fields.view_menu).bind(&fields.meta_description)
            .bind(&fields.meta_title).bind(&fields.meta_keys).bind(fields.hot_page).bind(fields.page_id)
            .bind(fields.status)
            .fetch_one(c).await)?)
    }

    /// Adds a subcategory under a category or a subcategory; the caller
    /// checked the parent exists.
    pub async fn insert_subcategory(
        &mut self,
        scope: ShopScope,
        parent: CategoryRef,
        url: &str,
        fields: &CategoryFields,
    ) -> Result<Subcategory> {
        let url = self.free_url(scope, CategoryKind::Subcategory, url).await?;
        let id = next_id(&mut self.0, scope, "subcategories").await?;
        // Stored as the wire shows it: the other parent column is 0.
        let (parent_id, sub_parent_id) = match parent {
            CategoryRef::Category(id) => (id.0, 0),
            CategoryRef::Subcategory(id) => (0, id.0),
        };
        let sql = format!(
            "INSERT INTO subcategories (account_id, store_id, id, parent_id, sub_parent_id, url, name, name_search, \
             sort, description, view_menu, meta_description, meta_title, meta_keys, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING {SUB_COLUMNS}"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(parent_id).bind(sub_parent_id).bind(&url)
            .bind(&fields.name).bind(fold(&fields.name)).bind(fields.sort).bind(&fields.description)
            .bind(fields.view_menu).bind(&fields.meta_description).bind(&fields.meta_title)
            .bind(&fields.meta_keys).bind(fields.status)
            .fetch_one(c).await)?)
    }

    /// One category; `NotFound` when the store has none with this id.
    pub async fn get_category(&mut self, scope: ShopScope, id: CategoryId) -> Result<Category> {
        let sql = format!("SELECT {CATEGORY_COLUMNS} FROM categories WHERE account_id = $1 AND store_id = $2 AND id = $3");
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(id).fetch_one(c).await)?,
        )
    }

    /// One subcategory; `NotFound` when the store has none with this id.
    pub async fn get_subcategory(
        &mut self,
        scope: ShopScope,
        id: SubcategoryId,
    ) -> Result<Subcategory> {
        let sql = format!("SELECT {SUB_COLUMNS} FROM subcategories WHERE account_id = $1 AND store_id = $2 AND id = $3");
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(id).fetch_one(c).await)?,
        )
    }

    /// Whether the store has this category or subcategory.
    pub async fn exists(&mut self, scope: ShopScope, target: CategoryRef) -> Result<bool> {
        let sql = format!(
            "SELECT id FROM {} WHERE account_id = $1 AND store_id = $2 AND id = $3",
            target.kind().table()
        );
        let found: Option<(i64,)> = on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(target.id()).fetch_optional(c).await)?;
        Ok(found.is_some())
    }

    /// Categories and subcategories whose name contains `term` (case- and
    /// accent-insensitive; all for `None`), each by id.
    pub async fn search(
        &mut self,
        scope: ShopScope,
        term: Option<&str>,
    ) -> Result<(Vec<Category>, Vec<Subcategory>)> {
        let pattern = like_pattern(term.unwrap_or(""));
        let sql = format!(
            "SELECT {CATEGORY_COLUMNS} FROM categories WHERE account_id = $1 AND store_id = $2 \
             AND name_search LIKE $3 ESCAPE '\\' ORDER BY id"
        );
        let cats = on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(&pattern).fetch_all(c).await)?;
        let sql = format!(
            "SELECT {SUB_COLUMNS} FROM subcategories WHERE account_id = $1 AND store_id = $2 \
             AND name_search LIKE $3 ESCAPE '\\' ORDER BY id"
        );
        let subs = on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(&pattern).fetch_all(c).await)?;
        Ok((cats, subs))
    }

    /// The direct child subcategories of a category or subcategory, by id.
    pub async fn children(
        &mut self,
        scope: ShopScope,
        parent: CategoryRef,
    ) -> Result<Vec<Subcategory>> {
        let column = match parent.kind() {
            CategoryKind::Category => "parent_id",
            CategoryKind::Subcategory => "sub_parent_id",
        };
        let id = parent.id();
        let sql = format!(
            "SELECT {SUB_COLUMNS} FROM subcategories WHERE account_id = $1 AND store_id = $2 AND {column} = $3 ORDER BY id"
        );
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(id).fetch_all(c).await)?,
        )
    }

    /// Replaces a category's editable fields (the url is kept).
    pub async fn update_category(
        &mut self,
        scope: ShopScope,
        id: CategoryId,
        f: &CategoryFields,
    ) -> Result<()> {
        let sql = "UPDATE categories SET name = $4, name_search = $5, sort = $6, description = $7, view_menu = $8, \
                   meta_description = $9, meta_title = $10, meta_keys = $11, hot_page = $12, page_id = $13, status = $14 \
                   WHERE account_id = $1 AND store_id = $2 AND id = $3";
        let n = on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(&f.name).bind(fold(&f.name)).bind(f.sort)
            .bind(&f.description).bind(f.view_menu).bind(&f.meta_description).bind(&f.meta_title)
            .bind(&f.meta_keys).bind(f.hot_page).bind(f.page_id).bind(f.status)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Replaces a subcategory's editable fields (url and parent are kept).
    pub async fn update_subcategory(
        &mut self,
        scope: ShopScope,
        id: SubcategoryId,
        f: &CategoryFields,
    ) -> Result<()> {
        let sql = "UPDATE subcategories SET name = $4, name_search = $5, sort = $6, description = $7, view_menu = $8, \
                   meta_description = $9, meta_title = $10, meta_keys = $11, status = $12 \
                   WHERE account_id = $1 AND store_id = $2 AND id = $3";
        let n = on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(&f.name).bind(fold(&f.name)).bind(f.sort)
            .bind(&f.description).bind(f.view_menu).bind(&f.meta_description).bind(&f.meta_title)
            .bind(&f.meta_keys).bind(f.status)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Links a product to a category or subcategory; linking twice is a no-op.
    pub async fn link(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
        target: CategoryRef,
    ) -> Result<()> {
        let (kind, category_id) = (target.kind(), target.id());
        let sql = "SELECT id FROM product_categories WHERE account_id = $1 AND store_id = $2 AND product_id = $3 \
                   AND category_type = $4 AND category_id = $5";
        let found: Option<(i64,)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(product_id).bind(kind.code()).bind(category_id)
            .fetch_optional(c).await)?;
        if found.is_some() {
            return Ok(());
        }
        let id = next_id(&mut self.0, scope, "product_categories").await?;
        // The link carries the product's sort (kept in step by a trigger, 0011).
        let sql = "INSERT INTO product_categories \
                   (account_id, store_id, id, product_id, category_type, category_id, product_sort) \
                   SELECT $1, $2, $3, $4, $5, $6, p.sort FROM products p \
                   WHERE p.account_id = $1 AND p.store_id = $2 AND p.id = $4";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(product_id).bind(kind.code()).bind(category_id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Removes a link if it exists.
    pub async fn unlink(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
        target: CategoryRef,
    ) -> Result<()> {
        let (kind, category_id) = (target.kind(), target.id());
        let sql = "DELETE FROM product_categories WHERE account_id = $1 AND store_id = $2 AND product_id = $3 \
                   AND category_type = $4 AND category_id = $5";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(product_id).bind(kind.code()).bind(category_id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// What a product is linked to, in creation order.
    pub async fn links_of(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
    ) -> Result<Vec<CategoryRef>> {
        let sql = "SELECT category_type, category_id FROM product_categories \
                   WHERE account_id = $1 AND store_id = $2 AND product_id = $3 ORDER BY id";
        let rows: Vec<(i16, i64)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(product_id).fetch_all(c).await)?;
        Ok(rows
            .into_iter()
            .map(|(code, id)| CategoryRef::from_stored(code, id))
            .collect())
    }

    /// The ids of products linked to a category or subcategory, by product
    /// `sort` then id.
    pub async fn product_ids_in(
        &mut self,
        scope: ShopScope,
        target: CategoryRef,
        limit: i64,
    ) -> Result<Vec<ProductId>> {
        let (kind, category_id) = (target.kind(), target.id());
        // In `products.sort` order through the copy on the link (0011).
        let sql = "SELECT product_id FROM product_categories \
                   WHERE account_id = $1 AND store_id = $2 AND category_type = $3 AND category_id = $4 \
                   ORDER BY product_sort, product_id LIMIT $5";
        let rows: Vec<(ProductId,)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(kind.code()).bind(category_id).bind(limit).fetch_all(c).await)?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The subcategory with this url (exact first, then ignoring case), or
    /// else the category with it (E01).
    pub async fn find_by_url(
        &mut self,
        scope: ShopScope,
        url: &str,
    ) -> Result<Option<CategoryRef>> {
        for (kind, exact) in [
            (CategoryKind::Subcategory, true),
            (CategoryKind::Subcategory, false),
            (CategoryKind::Category, true),
            (CategoryKind::Category, false),
        ] {
            let condition = if exact {
                "url = $3"
            } else {
                "LOWER(url) = LOWER($3)"
            };
            let sql = format!(
                "SELECT id FROM {} WHERE account_id = $1 AND store_id = $2 AND {condition} ORDER BY id LIMIT 1",
                kind.table()
            );
            let found: Option<(i64,)> = on_db!(self.0, c => sqlx::query_as(&sql)
                .bind(scope.account.0).bind(scope.store.0).bind(url).fetch_optional(c).await)?;
            if let Some((id,)) = found {
                return Ok(Some(CategoryRef::new(kind, id)));
            }
        }
        Ok(None)
    }
}
