//! Products of the Loja catalogue (types 1, 3, 4) and the store's single
//! SKU namespace across products, variations and grids (ecommloja-api.md
//! §1.8): every SKU is claimed in `catalog_skus`, whose primary key refuses
//! a duplicate whichever table the SKU belongs to.

use chrono::{DateTime, Utc};
use vitrine_core::catalog::{fold, slug_candidate, ProductType, StockPriceChange};
use vitrine_core::ids::{BrandId, ManufacturerId, ProductId, ShopScope};

use crate::backend::on_db;
use crate::counters::next_id;
use crate::{now, Db, Error, Result};

/// The editable fields of a product, as stored (money in centavos,
/// weight in thousandths of a kilogram).
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct ProductFields {
    /// Name.
    pub name: String,
    /// Barcode.
    pub barcode: String,
    /// Short description (HTML kept verbatim).
    pub short_description: String,
    /// Price, centavos.
    pub price: i64,
    /// Promotional price, centavos (0 = none).
    pub promotional_price: i64,
    /// Url slug, unique in the store.
    pub url: String,
    /// Stock.
    pub stock: i64,
    /// Purchasable regardless of stock.
    pub available: bool,
    /// Sold by quote.
    pub budget: bool,
    /// Price hidden in the storefront.
    pub hide_price: bool,
    /// Weight, thousandths of a kilogram.
    pub weight: i64,
    /// Height, cm.
    pub height: i64,
    /// Length, cm.
    pub length: i64,
    /// Width, cm.
    pub width: i64,
    /// Stacking difference, cm.
    pub fitting_difference: i64,
    /// Handling time, days.
    pub deadline: i64,
    /// Unit of measure.
    pub unit_measurement: String,
    /// Description (HTML kept verbatim).
    pub description: String,
    /// Specifications.
    pub specifications: String,
    /// Warranty.
    pub warranty: String,
    /// Manufacturer (`None` = none).
    pub manufacturer_id: Option<ManufacturerId>,
    /// The manufacturer's own code.
    pub manufacturer_code: String,
    /// Brand (`None` = none).
    pub brand_id: Option<BrandId>,
    /// Label of the variety selector (type 3).
    pub variety_title: String,
    /// Label of the grid selector (type 3).
    pub grid_title: String,
    /// Label of the variation selector (type 4).
    pub configurable_title: String,
    /// SEO description.
    pub meta_description: String,
    /// SEO title.
    pub meta_title: String,
    /// SEO keywords.
    pub meta_keys: String,
    /// Listing order.
    pub sort: i64,
    /// Observations box shown.
    pub obs_box: bool,
    /// "Illustrative picture" notice shown.
    pub illustrative_picture: bool,
    /// Sold in multiples.
    pub multiple: bool,
    /// Price of a multiple, centavos.
    pub multiple_price: i64,
    /// Active.
    pub status: bool,
}

/// A product as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Product {
    /// Per-store id.
    pub id: ProductId,
    /// SKU.
    pub sku: String,
    /// Simple (1), grid (3) or variation (4).
    #[sqlx(try_from = "i16")]
    pub product_type: ProductType,
    /// The editable fields.
    #[sqlx(flatten)]
    pub fields: ProductFields,
    /// Creation time.
    pub register_date: DateTime<Utc>,
    /// Last change.
    pub last_update: DateTime<Utc>,
}

/// What a SKU names in the store's single namespace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkuKind {
    /// A main product (any type).
    Product,
    /// A product-variation of a type-4 product.
    Variation,
    /// A product-grid of a type-3 product.
    Grid,
}

impl SkuKind {
    fn code(self) -> i16 {
        match self {
            Self::Product => 1,
            Self::Variation => 4,
            Self::Grid => 3,
        }
    }

    fn from_code(code: i16) -> Self {
        match code {
            4 => Self::Variation,
            3 => Self::Grid,
            _ => Self::Product,
        }
    }
}

/// The owner of a SKU: its kind and the main product it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkuOwner {
    /// What the SKU names.
    pub kind: SkuKind,
    /// The main product (the product itself for `SkuKind::Product`).
    pub product_id: ProductId,
}

pub(crate) const COLUMNS: &str = "id, sku, type AS product_type, name, barcode, short_description, \
    price, promotional_price, url, stock, available, budget, hide_price, weight, height, length, width, \
    fitting_difference, deadline, unit_measurement, description, specifications, warranty, \
    manufacturer_id, manufacturer_code, brand_id, variety_title, grid_title, configurable_title, \
    meta_description, meta_title, meta_keys, sort, obs_box, illustrative_picture, multiple, \
    multiple_price, status, register_date, last_update";

/// Repository of products.
pub struct Products<'c>(pub(crate) Db<'c>);

/// Binds the editable fields in `ProductFields` order after `$1..$n` of the caller.
macro_rules! bind_fields {
    ($q:expr, $f:expr) => {
        $q.bind(&$f.name)
            .bind(fold(&$f.name))
            .bind(&$f.barcode)
            .bind(&$f.short_description)
            .bind($f.price)
            .bind($f.promotional_price)
            .bind(&$f.url)
            .bind($f.stock)
            .bind($f.available)
            .bind($f.budget)
            .bind($f.hide_price)
            .bind($f.weight)
            .bind($f.height)
            .bind($f.length)
            .bind($f.width)
            .bind($f.fitting_difference)
            .bind($f.deadline)
            .bind(&$f.unit_measurement)
            .bind(&$f.description)
            .bind(&$f.specifications)
            .bind(&$f.warranty)
            .bind($f.manufacturer_id)
            .bind(&$f.manufacturer_code)
            .bind($f.brand_id)
            .bind(&$f.variety_title)
            .bind(&$f.grid_title)
            .bind(&$f.configurable_title)
            .bind(&$f.meta_description)
            .bind(&$f.meta_title)
            .bind(&$f.meta_keys)
            .bind($f.sort)
            .bind($f.obs_box)
            .bind($f.illustrative_picture)
            .bind($f.multiple)
            .bind($f.multiple_price)
            .bind($f.status)
    };
}

const FIELD_NAMES: [&str; 36] = [
    "name",
    "name_search",
    "barcode",
    "short_description",
    "price",
    "promotional_price",
    "url",
    "stock",
    "available",
    "budget",
    "hide_price",
    "weight",
    "height",
    "length",
    "width",
    "fitting_difference",
    "deadline",
    "unit_measurement",
    "description",
    "specifications",
    "warranty",
    "manufacturer_id",
    "manufacturer_code",
    "brand_id",
    "variety_title",
    "grid_title",
    "configurable_title",
    "meta_description",
    "meta_title",
    "meta_keys",
    "sort",
    "obs_box",
    "illustrative_picture",
    "multiple",
    "multiple_price",
    "status",
];

impl Products<'_> {
    /// Inserts a product and claims its SKU. `fields.url` is the wished
    /// slug; when another product of the store has it, `<url>-<sku>` and
    /// then `<url>-<sku>-2`, … are tried (E08). A taken SKU is
    /// `Conflict { what: "sku" }`.
    pub async fn insert(
        &mut self,
        scope: ShopScope,
        sku: &str,
        product_type: ProductType,
        fields: &ProductFields,
    ) -> Result<Product> {
        if self.sku_owner(scope, sku).await?.is_some() {
            return Err(Error::Conflict { what: "sku" });
        }
        let mut fields = fields.clone();
        fields.url = self.free_url(scope, &fields.url, sku).await?;
        let id = ProductId(next_id(&mut self.0, scope, "products").await?);
        let at = now();
        let placeholders: Vec<String> = (0..FIELD_NAMES.len())
            .map(|i| format!("${}", i + 8))
            .collect();
        let sql = format!(
            "INSERT INTO products (account_id, store_id, id, sku, type, register_date, last_update, {}) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, {}) RETURNING {COLUMNS}",
            FIELD_NAMES.join(", "),
            placeholders.join(", ")
        );
        let product: Product = on_db!(self.0, c => {
            let q = sqlx::query_as(&sql)
                .bind(scope.account.0).bind(scope.store.0).bind(id).bind(sku).bind(product_type.code()).bind(at).bind(at);
            bind_fields!(q, fields).fetch_one(c).await
        })
        .map_err(Error::unique_as("sku"))?;
        self.claim_sku(scope, sku, SkuKind::Product, id).await?;
        Ok(product)
    }

    async fn free_url(&mut self, scope: ShopScope, wished: &str, sku: &str) -> Result<String> {
        if !self.url_taken(scope, wished).await? {
            return Ok(wished.to_owned());
        }
        let base = format!("{wished}-{}", vitrine_core::catalog::slug(sku));
        let mut attempt = 1;
        loop {
            let candidate = slug_candidate(&base, attempt);
            if !self.url_taken(scope, &candidate).await? {
                return Ok(candidate);
            }
            attempt += 1;
        }
    }

    async fn url_taken(&mut self, scope: ShopScope, url: &str) -> Result<bool> {
        let sql = "SELECT id FROM products WHERE account_id = $1 AND store_id = $2 AND url = $3";
        let found: Option<(i64,)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(url).fetch_optional(c).await)?;
        Ok(found.is_some())
    }

    /// Claims `sku` for a product, variation or grid of `product_id`.
    /// A taken SKU is `Conflict { what: "sku" }`.
    pub async fn claim_sku(
        &mut self,
        scope: ShopScope,
        sku: &str,
        kind: SkuKind,
        product_id: ProductId,
    ) -> Result<()> {
        let sql = "INSERT INTO catalog_skus (account_id, store_id, sku, kind, product_id) VALUES ($1, $2, $3, $4, $5)";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(sku).bind(kind.code()).bind(product_id)
            .execute(c).await.map(|r| r.rows_affected()))
        .map_err(Error::unique_as("sku"))?;
        Ok(())
    }

    /// Frees a variation's or grid's SKU (a product's goes with its row).
    pub async fn release_sku(&mut self, scope: ShopScope, sku: &str) -> Result<()> {
        let sql = "DELETE FROM catalog_skus WHERE account_id = $1 AND store_id = $2 AND sku = $3";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(sku)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// What `sku` names in the store, if anything.
    pub async fn sku_owner(&mut self, scope: ShopScope, sku: &str) -> Result<Option<SkuOwner>> {
        let sql = "SELECT kind, product_id FROM catalog_skus WHERE account_id = $1 AND store_id = $2 AND sku = $3";
        let found: Option<(i16, ProductId)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(sku).fetch_optional(c).await)?;
        Ok(found.map(|(kind, product_id)| SkuOwner {
            kind: SkuKind::from_code(kind),
            product_id,
        }))
    }

    /// The id of the main product with this SKU; variation and grid SKUs
    /// are not products and give `None`. For image, brand, manufacturer and
    /// tag endpoints that act on a product by SKU.
    pub async fn find_id_by_sku(
        &mut self,
        scope: ShopScope,
        sku: &str,
    ) -> Result<Option<ProductId>> {
        let sql = "SELECT id FROM products WHERE account_id = $1 AND store_id = $2 AND sku = $3";
        let found: Option<(ProductId,)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(sku).fetch_optional(c).await)?;
        Ok(found.map(|(id,)| id))
    }

    /// The main product with this SKU.
    pub async fn find_by_sku(&mut self, scope: ShopScope, sku: &str) -> Result<Option<Product>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM products WHERE account_id = $1 AND store_id = $2 AND sku = $3"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(sku).fetch_optional(c).await)?)
    }

    /// The first product (by id) whose name equals `name` ignoring case and
    /// accents (`"tinta latex"` finds `"Tinta Látex"`).
    pub async fn find_by_name(&mut self, scope: ShopScope, name: &str) -> Result<Option<Product>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM products WHERE account_id = $1 AND store_id = $2 AND name_search = $3 \
             ORDER BY id LIMIT 1"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(fold(name.trim())).fetch_optional(c).await)?)
    }

    /// Products whose name contains every word of `query`, ignoring case
    /// and accents (`"latex tinta"` finds `"Tinta Látex"`), by id, one page.
    /// Served by a trigram index on both backends (migration 0008).
    pub async fn search(
        &mut self,
        scope: ShopScope,
        query: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Product>> {
        // LIKE's wildcards are dropped from the words rather than escaped:
        // an ESCAPE clause keeps SQLite's FTS5 from using its index.
        let words: Vec<String> = fold(query)
            .split_whitespace()
            .map(|w| w.replace(['%', '_', '\\'], ""))
            .filter(|w| !w.is_empty())
            .map(|w| format!("%{w}%"))
            .collect();
        if words.is_empty() {
            return Ok(Vec::new());
        }
        let terms: Vec<String> = (0..words.len())
            .map(|i| format!("name_search LIKE ${}", i + 3))
            .collect();
        let terms = terms.join(" AND ");
        let sql = match self.0 {
            // The FTS5 trigram table answers LIKE from its index and gives
            // the candidate rowids; the unary `+` keeps SQLite from walking
            // the store's rows through the tenant index (for its `id`
            // order) and testing each against the candidates.
            Db::Sqlite(_) => format!(
                "SELECT {COLUMNS} FROM products WHERE +account_id = $1 AND +store_id = $2 \
                 AND rowid IN (SELECT rowid FROM products_search WHERE {terms}) \
                 ORDER BY id LIMIT {limit} OFFSET {offset}"
            ),
            // pg_trgm's GIN index answers LIKE on the column itself.
            Db::Postgres(_) => format!(
                "SELECT {COLUMNS} FROM products WHERE account_id = $1 AND store_id = $2 AND {terms} \
                 ORDER BY id LIMIT {limit} OFFSET {offset}"
            ),
        };
        crate::backend::fetch_in_store!(self.0, &sql, scope, &words).map_err(Error::from)
    }

    /// The store's products by id, one page (the panel's list without a search).
    pub async fn list(
        &mut self,
        scope: ShopScope,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<Product>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM products WHERE account_id = $1 AND store_id = $2 \
             ORDER BY id LIMIT $3 OFFSET $4"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(limit).bind(offset).fetch_all(c).await)?)
    }

    /// How many products the store has (the panel list's total).
    pub async fn count(&mut self, scope: ShopScope) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM products WHERE account_id = $1 AND store_id = $2";
        Ok(on_db!(self.0, c => sqlx::query_scalar(sql)
            .bind(scope.account.0).bind(scope.store.0).fetch_one(c).await)?)
    }

    /// One product by id; `NotFound` when the store has none with it.
    pub async fn get(&mut self, scope: ShopScope, id: ProductId) -> Result<Product> {
        let sql = format!(
            "SELECT {COLUMNS} FROM products WHERE account_id = $1 AND store_id = $2 AND id = $3"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).fetch_one(c).await)?)
    }

    /// The products with these ids (at most [`MAX_BATCH`](crate::MAX_BATCH)),
    /// in no particular order; unknown ids are left out.
    pub async fn get_many(&mut self, scope: ShopScope, ids: &[ProductId]) -> Result<Vec<Product>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM products WHERE account_id = $1 AND store_id = $2 AND id IN ({})",
            crate::backend::placeholders(3, ids.len())
        );
        Ok(crate::backend::fetch_in_store!(self.0, &sql, scope, ids)?)
    }

    /// Replaces the editable fields of a product (the caller merged what
    /// was sent into what was stored). A url taken by another product is
    /// `Conflict { what: "url" }`.
    pub async fn update(
        &mut self,
        scope: ShopScope,
        id: ProductId,
        fields: &ProductFields,
    ) -> Result<Product> {
        let sets: Vec<String> = FIELD_NAMES
            .iter()
            .enumerate()
            .map(|(i, name)| format!("{name} = ${}", i + 5))
            .collect();
        let sql = format!(
            "UPDATE products SET last_update = $4, {} WHERE account_id = $1 AND store_id = $2 AND id = $3 \
             RETURNING {COLUMNS}",
            sets.join(", ")
        );
        on_db!(self.0, c => {
            let q = sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(id).bind(now());
            bind_fields!(q, fields).fetch_optional(c).await
        })
        .map_err(Error::unique_as("url"))?
        .ok_or(Error::NotFound)
    }

    /// Changes stock and prices of a type-1 product (bulkUpdate); `None`
    /// leaves a value as it is.
    pub async fn set_stock_prices(
        &mut self,
        scope: ShopScope,
        id: ProductId,
        change: &StockPriceChange,
    ) -> Result<()> {
        let sql = "UPDATE products SET stock = COALESCE($4, stock), price = COALESCE($5, price), \
                   promotional_price = COALESCE($6, promotional_price), last_update = $7 \
                   WHERE account_id = $1 AND store_id = $2 AND id = $3";
        let n = on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(change.stock).bind(change.price).bind(change.promotional_price).bind(now())
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Sets or clears (`None`) a product's brand.
    pub async fn set_brand(
        &mut self,
        scope: ShopScope,
        id: ProductId,
        brand_id: Option<BrandId>,
    ) -> Result<()> {
        self.set_reference(scope, id, "brand_id", brand_id.map(|b| b.0))
            .await
    }

    /// Sets or clears (`None`) a product's manufacturer.
    pub async fn set_manufacturer(
        &mut self,
        scope: ShopScope,
        id: ProductId,
        manufacturer_id: Option<ManufacturerId>,
    ) -> Result<()> {
        self.set_reference(scope, id, "manufacturer_id", manufacturer_id.map(|m| m.0))
            .await
    }

    async fn set_reference(
        &mut self,
        scope: ShopScope,
        id: ProductId,
        column: &'static str,
        value: Option<i64>,
    ) -> Result<()> {
        let sql = format!(
            "UPDATE products SET {column} = $4, last_update = $5 WHERE account_id = $1 AND store_id = $2 AND id = $3"
        );
        let n = on_db!(self.0, c => sqlx::query(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(value).bind(now())
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Deletes a product; its variations, grids, SKU claims, category
    /// links, comments and related links go with it (foreign-key cascades).
    pub async fn delete(&mut self, scope: ShopScope, id: ProductId) -> Result<()> {
        let sql = "DELETE FROM products WHERE account_id = $1 AND store_id = $2 AND id = $3";
        let n = on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }
}
