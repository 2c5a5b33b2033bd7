//! Sellable units of type-4 products (product variations) and type-3
//! products (product grids). Their SKUs live in the store's single SKU
//! namespace: inserts claim them, deletes release them.

use vitrine_core::catalog::StockPriceChange;
use vitrine_core::ids::{GridId, ProductGridId, ProductId, ShopScope, VariationId, VarietyId};

use crate::backend::on_db;
use crate::counters::next_id;
use crate::products::{Products, SkuKind};
use crate::{Db, Error, Result};

/// Stock, prices and measures shared by variations and grids.
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct UnitFields {
    /// SKU.
    pub sku: String,
    /// Price, centavos.
    pub price: i64,
    /// Promotional price, centavos.
    pub promotional_price: i64,
    /// Stock.
    pub stock: i64,
    /// Weight, thousandths of a kilogram.
    pub weight: i64,
    /// Height, cm.
    pub height: i64,
    /// Length, cm.
    pub length: i64,
    /// Width, cm.
    pub width: i64,
    /// Order.
    pub sort: i64,
    /// Active.
    pub status: bool,
}

/// A product variation with its global variety's name and parent's SKU.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Variation {
    /// Per-store id (`configurable_product_id`).
    pub id: VariationId,
    /// Parent product.
    pub product_id: ProductId,
    /// Global variety.
    pub variety_id: VarietyId,
    /// Global variety name.
    pub variety_name: String,
    /// Parent product SKU.
    pub parent_sku: String,
    /// Single image path (`""` if none).
    pub image: String,
    /// SKU, prices, stock, measures.
    #[sqlx(flatten)]
    pub unit: UnitFields,
}

/// A product grid with its variety's and grid's names and parent's SKU.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ProductGrid {
    /// Per-store id (`grid_product_id`).
    pub id: ProductGridId,
    /// Parent product.
    pub product_id: ProductId,
    /// Global variety.
    pub variety_id: VarietyId,
    /// Global grid.
    pub grid_id: GridId,
    /// Global variety name.
    pub variety_name: String,
    /// Global grid name.
    pub grid_name: String,
    /// Parent product SKU.
    pub parent_sku: String,
    /// Single image path (`""` if none).
    pub image: String,
    /// SKU, prices, stock, measures.
    #[sqlx(flatten)]
    pub unit: UnitFields,
}

const UNIT_COLUMNS: &str = "u.sku, u.price, u.promotional_price, u.stock, u.weight, u.height, u.length, u.width, u.sort, u.status";

fn variation_select() -> String {
    format!(
        "SELECT u.id, u.product_id, u.variety_id, v.name AS variety_name, p.sku AS parent_sku, u.image, {UNIT_COLUMNS} \
         FROM product_variations u \
         JOIN varieties v ON v.account_id = u.account_id AND v.store_id = u.store_id AND v.id = u.variety_id \
         JOIN products p ON p.account_id = u.account_id AND p.store_id = u.store_id AND p.id = u.product_id \
         WHERE u.account_id = $1 AND u.store_id = $2"
    )
}

fn grid_select() -> String {
    format!(
        "SELECT u.id, u.product_id, u.variety_id, u.grid_id, v.name AS variety_name, g.name AS grid_name, \
         p.sku AS parent_sku, u.image, {UNIT_COLUMNS} \
         FROM product_grids u \
         JOIN varieties v ON v.account_id = u.account_id AND v.store_id = u.store_id AND v.id = u.variety_id \
         JOIN grids g ON g.account_id = u.account_id AND g.store_id = u.store_id AND g.id = u.grid_id \
         JOIN products p ON p.account_id = u.account_id AND p.store_id = u.store_id AND p.id = u.product_id \
         WHERE u.account_id = $1 AND u.store_id = $2"
    )
}

/// Repository of product variations and product grids.
pub struct Variations<'c>(pub(crate) Db<'c>);

impl<'c> Variations<'c> {
    fn products(&mut self) -> Products<'_> {
        Products(match &mut self.0 {
            Db::Sqlite(c) => Db::Sqlite(c),
            Db::Postgres(c) => Db::Postgres(c),
        })
    }

    /// Adds a variation of global variety `variety_id` to product
    /// `product_id`, claiming its SKU (`Conflict { what: "sku" }` if taken).
    pub async fn insert_variation(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
        variety_id: VarietyId,
        unit: &UnitFields,
    ) -> Result<VariationId> {
        self.products()
            .claim_sku(scope, &unit.sku, SkuKind::Variation, product_id)
            .await?;
        let id = VariationId(next_id(&mut self.0, scope, "product_variations").await?);
        let sql = "INSERT INTO product_variations (account_id, store_id, id, product_id, variety_id, sku, price, \
                   promotional_price, stock, weight, height, length, width, sort, status) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(product_id).bind(variety_id)
            .bind(&unit.sku).bind(unit.price).bind(unit.promotional_price).bind(unit.stock)
            .bind(unit.weight).bind(unit.height).bind(unit.length).bind(unit.width)
            .bind(unit.sort).bind(unit.status)
            .execute(c).await.map(|r| r.rows_affected()))
        .map_err(Error::unique_as("sku"))?;
        Ok(id)
    }

    /// Adds a grid (variety × grid) to product `product_id`, claiming its SKU.
    pub async fn insert_grid(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
        variety_id: VarietyId,
        grid_id: GridId,
        unit: &UnitFields,
    ) -> Result<ProductGridId> {
        self.products()
            .claim_sku(scope, &unit.sku, SkuKind::Grid, product_id)
            .await?;
        let id = ProductGridId(next_id(&mut self.0, scope, "product_grids").await?);
        let sql = "INSERT INTO product_grids (account_id, store_id, id, product_id, variety_id, grid_id, sku, price, \
                   promotional_price, stock, weight, height, length, width, sort, status) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(product_id).bind(variety_id).bind(grid_id)
            .bind(&unit.sku).bind(unit.price).bind(unit.promotional_price).bind(unit.stock)
            .bind(unit.weight).bind(unit.height).bind(unit.length).bind(unit.width)
            .bind(unit.sort).bind(unit.status)
            .execute(c).await.map(|r| r.rows_affected()))
        .map_err(Error::unique_as("sku"))?;
        Ok(id)
    }

    /// The variations of a product, by sort then id.
    pub async fn variations_of(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
    ) -> Result<Vec<Variation>> {
        let sql = format!(
            "{} AND u.product_id = $3 ORDER BY u.sort, u.id",
            variation_select()
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(product_id).fetch_all(c).await)?)
    }

    /// The grids of a product, by id.
    pub async fn grids_of(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
    ) -> Result<Vec<ProductGrid>> {
        let sql = format!("{} AND u.product_id = $3 ORDER BY u.id", grid_select());
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(product_id).fetch_all(c).await)?)
    }

    /// The variations of several products (at most
    /// [`MAX_BATCH`](crate::MAX_BATCH)), by product, then as [`Self::variations_of`].
    pub async fn variations_of_many(
        &mut self,
        scope: ShopScope,
        product_ids: &[ProductId],
    ) -> Result<Vec<Variation>> {
        if product_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{} AND u.product_id IN ({}) ORDER BY u.product_id, u.sort, u.id",
            variation_select(),
            crate::backend::placeholders(3, product_ids.len())
        );
        Ok(crate::backend::fetch_in_store!(
            self.0,
            &sql,
            scope,
            product_ids
        )?)
    }

    /// The grids of several products (at most
    /// [`MAX_BATCH`](crate::MAX_BATCH)), by product, then as [`Self::grids_of`].
    pub async fn grids_of_many(
        &mut self,
        scope: ShopScope,
        product_ids: &[ProductId],
    ) -> Result<Vec<ProductGrid>> {
        if product_ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "{} AND u.product_id IN ({}) ORDER BY u.product_id, u.id",
            grid_select(),
            crate::backend::placeholders(3, product_ids.len())
        );
        Ok(crate::backend::fetch_in_store!(
            self.0,
            &sql,
            scope,
            product_ids
        )?)
    }

    /// The variation with this SKU.
    pub async fn variation_by_sku(
        &mut self,
        scope: ShopScope,
        sku: &str,
    ) -> Result<Option<Variation>> {
        let sql = format!("{} AND u.sku = $3", variation_select());
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(sku).fetch_optional(c).await)?)
    }

    /// The product grid with this SKU.
    pub async fn grid_by_sku(
        &mut self,
        scope: ShopScope,
        sku: &str,
    ) -> Result<Option<ProductGrid>> {
        let sql = format!("{} AND u.sku = $3", grid_select());
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(sku).fetch_optional(c).await)?)
    }

    /// Deletes the variation with this SKU and frees the SKU.
    pub async fn delete_variation(&mut self, scope: ShopScope, sku: &str) -> Result<()> {
        self.delete_unit(scope, sku, "product_variations").await
    }

    /// Deletes the product grid with this SKU and frees the SKU.
    pub async fn delete_grid(&mut self, scope: ShopScope, sku: &str) -> Result<()> {
        self.delete_unit(scope, sku, "product_grids").await
    }

    async fn delete_unit(
        &mut self,
        scope: ShopScope,
        sku: &str,
        table: &'static str,
    ) -> Result<()> {
        let sql =
            format!("DELETE FROM {table} WHERE account_id = $1 AND store_id = $2 AND sku = $3");
        let n = on_db!(self.0, c => sqlx::query(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(sku)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(Error::NotFound);
        }
        self.products().release_sku(scope, sku).await
    }

    /// Changes stock and prices of the variation or grid with this SKU
    /// (bulkUpdate); `None` leaves a value as it is.
    pub async fn set_stock_prices(
        &mut self,
        scope: ShopScope,
        sku: &str,
        grid: bool,
        change: &StockPriceChange,
    ) -> Result<()> {
        let table = if grid {
            "product_grids"
        } else {
            "product_variations"
        };
        let sql = format!(
            "UPDATE {table} SET stock = COALESCE($4, stock), price = COALESCE($5, price), \
             promotional_price = COALESCE($6, promotional_price) \
             WHERE account_id = $1 AND store_id = $2 AND sku = $3"
        );
        let n = on_db!(self.0, c => sqlx::query(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(sku).bind(change.stock).bind(change.price).bind(change.promotional_price)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Sets (or clears with `""`) the single image of the variation or
    /// grid with this SKU (for the image work, E26/E27).
    pub async fn set_image(
        &mut self,
        scope: ShopScope,
        sku: &str,
        grid: bool,
        image: &str,
    ) -> Result<()> {
        let table = if grid {
            "product_grids"
        } else {
            "product_variations"
        };
        let sql = format!(
            "UPDATE {table} SET image = $4 WHERE account_id = $1 AND store_id = $2 AND sku = $3"
        );
        let n = on_db!(self.0, c => sqlx::query(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(sku).bind(image)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if n == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }
}
