//! Product images (ecommloja-api.md §3.2): a main product's gallery rows,
//! and the single `image` of each variation and grid row.

use vitrine_core::ids::{ImageId, ProductGridId, ProductId, ShopScope, VariationId};

use crate::backend::on_db;
use crate::counters::next_id;
use crate::{Db, Error, Result};

/// A gallery image as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Image {
    /// Per-store id.
    pub id: ImageId,
    /// Owning product.
    pub product_id: ProductId,
    /// Caption (`subtitle` on input).
    pub label: String,
    /// Media path shown by the API.
    pub image: String,
    /// Last segment of `image`.
    pub file_name: String,
    /// Main image of the product.
    pub main: bool,
    /// Shown on mouse-over.
    pub hover: bool,
    /// Order.
    pub sort: i64,
    /// Active.
    pub status: bool,
}

/// A new gallery image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewImage {
    /// Caption.
    pub label: String,
    /// Media path.
    pub image: String,
    /// Last segment of the path.
    pub file_name: String,
    /// Main image (clears the flag on the product's other images).
    pub main: bool,
    /// Hover image (clears the flag on the others).
    pub hover: bool,
    /// Order.
    pub sort: i64,
    /// Active.
    pub status: bool,
}

/// Which single-image sellable unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// A row of `product_variations`.
    Variation,
    /// A row of `product_grids`.
    Grid,
}

impl Unit {
    fn table(self) -> &'static str {
        match self {
            Unit::Variation => "product_variations",
            Unit::Grid => "product_grids",
        }
    }
}

/// A variation or a grid: a sellable unit with a single image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitKey {
    /// A product variation.
    Variation(VariationId),
    /// A product grid.
    Grid(ProductGridId),
}

impl UnitKey {
    fn of(unit: Unit, id: i64) -> Self {
        match unit {
            Unit::Variation => Self::Variation(VariationId(id)),
            Unit::Grid => Self::Grid(ProductGridId(id)),
        }
    }

    fn table_and_id(self) -> (&'static str, i64) {
        match self {
            Self::Variation(id) => (Unit::Variation.table(), id.0),
            Self::Grid(id) => (Unit::Grid.table(), id.0),
        }
    }
}

impl UnitKey {
    /// The variation's or grid's id alone, as E25 shows it.
    pub fn id(self) -> i64 {
        self.table_and_id().1
    }
}

/// A variation's or grid's image slot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitImage {
    /// The variation or grid.
    pub key: UnitKey,
    /// Its image path (`""` when it has none).
    pub image: String,
}

/// Repository of images.
pub struct Images<'c>(pub(crate) Db<'c>);

const COLUMNS: &str = "id, product_id, label, image, file_name, main, hover, sort, status";

impl Images<'_> {
    /// Appends an image to a product's gallery.
    pub async fn insert(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
        new: &NewImage,
    ) -> Result<Image> {
        for (flag, column) in [(new.main, "main"), (new.hover, "hover")] {
            if flag {
                let sql = format!(
                    "UPDATE product_images SET {column} = $4 WHERE account_id = $1 AND store_id = $2 AND product_id = $3"
                );
                on_db!(self.0, c => sqlx::query(&sql).bind(scope.account.0).bind(scope.store.0).bind(product_id).bind(false)
                    .execute(c).await.map(|r| r.rows_affected()))?;
            }
        }
        let id = next_id(&mut self.0, scope, "product_images").await?;
        let sql = format!(
            "INSERT INTO product_images (account_id, store_id, id, product_id, label, image, file_name, main, hover, \
             sort, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {COLUMNS}"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(product_id).bind(&new.label).bind(&new.image)
            .bind(&new.file_name).bind(new.main).bind(new.hover).bind(new.sort).bind(new.status)
            .fetch_one(c).await)?)
    }

    /// A product's gallery, by `sort` then id.
    pub async fn for_product(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
    ) -> Result<Vec<Image>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM product_images WHERE account_id = $1 AND store_id = $2 AND product_id = $3 \
             ORDER BY sort, id"
        );
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(product_id).fetch_all(c).await)?,
        )
    }

    /// The galleries of several products (at most
    /// [`MAX_BATCH`](crate::MAX_BATCH)), by product, then as [`Self::for_product`].
    pub async fn for_products(
        &mut self,
        scope: ShopScope,
        product_ids: &[ProductId],
    ) -> Result<Vec<Image>> {
        if product_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM product_images WHERE account_id = $1 AND store_id = $2 \
             AND product_id IN ({}) ORDER BY product_id, sort, id",
            crate::backend::placeholders(3, product_ids.len())
        );
        Ok(crate::backend::fetch_in_store!(
            self.0,
            &sql,
            scope,
            product_ids
        )?)
    }

    /// Every image path a product holds: its gallery and the images of its
    /// variations and grids (to delete the files with the product).
    pub async fn paths_of_product(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
    ) -> Result<Vec<String>> {
        let sql = "SELECT image FROM product_images WHERE account_id = $1 AND store_id = $2 AND product_id = $3 \
                   UNION ALL SELECT image FROM product_variations \
                   WHERE account_id = $1 AND store_id = $2 AND product_id = $3 AND image <> '' \
                   UNION ALL SELECT image FROM product_grids \
                   WHERE account_id = $1 AND store_id = $2 AND product_id = $3 AND image <> ''";
        let rows: Vec<(String,)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(product_id).fetch_all(c).await)?;
        Ok(rows.into_iter().map(|(p,)| p).collect())
    }

    /// Deletes one image of a product; returns it (for its file).
    pub async fn delete(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
        id: ImageId,
    ) -> Result<Image> {
        let sql = format!(
            "DELETE FROM product_images WHERE account_id = $1 AND store_id = $2 AND product_id = $3 AND id = $4 \
             RETURNING {COLUMNS}"
        );
        on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(product_id).bind(id)
            .fetch_optional(c).await)?
        .ok_or(Error::NotFound)
    }

    /// Deletes the gallery images with this file name (or full path).
    pub async fn delete_by_name(&mut self, scope: ShopScope, name: &str) -> Result<Vec<Image>> {
        let sql = format!(
            "DELETE FROM product_images WHERE account_id = $1 AND store_id = $2 AND (file_name = $3 OR image = $3) \
             RETURNING {COLUMNS}"
        );
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(name).fetch_all(c).await)?,
        )
    }

    /// The variation or grid of kind `unit` with this SKU, if any.
    pub async fn unit_by_sku(
        &mut self,
        scope: ShopScope,
        unit: Unit,
        sku: &str,
    ) -> Result<Option<UnitImage>> {
        let sql = format!(
            "SELECT id, image FROM {} WHERE account_id = $1 AND store_id = $2 AND sku = $3",
            unit.table()
        );
        let found: Option<(i64, String)> = on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(sku).fetch_optional(c).await)?;
        Ok(found.map(|(id, image)| UnitImage {
            key: UnitKey::of(unit, id),
            image,
        }))
    }

    /// Sets (or clears with `""`) a variation's or grid's image.
    pub async fn set_unit(&mut self, scope: ShopScope, key: UnitKey, image: &str) -> Result<()> {
        let (table, id) = key.table_and_id();
        let sql = format!(
            "UPDATE {table} SET image = $4 WHERE account_id = $1 AND store_id = $2 AND id = $3"
        );
        let n = on_db!(self.0, c => sqlx::query(&sql).bind(scope.account.0).bind(scope.store.0).bind(id).bind(image)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Units of `unit` whose image is this file name or path.
    pub async fn units_by_image(
        &mut self,
        scope: ShopScope,
        unit: Unit,
        name: &str,
    ) -> Result<Vec<UnitImage>> {
        let sql = format!(
            "SELECT id, image FROM {} WHERE account_id = $1 AND store_id = $2 AND image <> '' \
             AND (image = $3 OR image LIKE $4 ESCAPE '\\') ORDER BY id",
            unit.table()
        );
        let suffix = format!("%/{}", crate::tags::escape_like(name));
        let rows: Vec<(i64, String)> = on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(name).bind(suffix).fetch_all(c).await)?;
        Ok(rows
            .into_iter()
            .map(|(id, image)| UnitImage {
                key: UnitKey::of(unit, id),
                image,
            })
            .collect())
    }
}
