//! Sellable units (ecommloja-api.md §4.3: a type-1 product, a product
//! variation or a product grid) and their stock.
//!
//! Taking stock is one guarded statement, `UPDATE … SET stock = stock - n
//! WHERE … AND stock >= n`, whose affected-row count says whether the units
//! were there: the check and the decrement cannot be split by another
//! transaction on any node, so stock never goes below zero — except for a
//! product marked `available` ([`StockRule::Backorder`]), which sells
//! regardless of stock: its stock may go negative.

use vitrine_core::catalog::ProductType;
use vitrine_core::ids::{ProductGridId, ProductId, ShopScope, VariationId};
use vitrine_core::order::{sale_rule, StockRule, Unsellable};

use crate::backend::on_db;
use crate::products::{Product, Products, SkuKind};
use crate::variations::{ProductGrid, Variation, Variations};
use crate::{Db, Result};

/// Which row holds a unit's stock. Ordered (products, variations, grids,
/// then by id): writers that touch several units take them in this order,
/// so they never wait on each other in a cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum UnitRef {
    /// A type-1 product.
    Product(ProductId),
    /// A product variation (type 4).
    Variation(VariationId),
    /// A product grid (type 3).
    Grid(ProductGridId),
}

impl UnitRef {
    fn table(self) -> (&'static str, i64) {
        match self {
            Self::Product(id) => ("products", id.0),
            Self::Variation(id) => ("product_variations", id.0),
            Self::Grid(id) => ("product_grids", id.0),
        }
    }
}

/// A sellable unit with its product and, for type 3/4, its variation or grid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sellable {
    /// The row holding stock.
    pub unit: UnitRef,
    /// The main product.
    pub product: Product,
    /// The variation, for a type-4 unit.
    pub variation: Option<Variation>,
    /// The grid, for a type-3 unit.
    pub grid: Option<ProductGrid>,
}

impl Sellable {
    /// The unit's SKU.
    pub fn sku(&self) -> &str {
        match (&self.variation, &self.grid) {
            (Some(v), _) => &v.unit.sku,
            (_, Some(g)) => &g.unit.sku,
            _ => &self.product.sku,
        }
    }

    /// Whether it may be bought and how its stock is taken (core
    /// [`sale_rule`]): the product and its variation or grid must be
    /// active; the product's `available` flag covers all its units.
    pub fn sale_rule(&self) -> std::result::Result<StockRule, Unsellable> {
        let unit_active = match (&self.variation, &self.grid) {
            (Some(v), _) => v.unit.status,
            (_, Some(g)) => g.unit.status,
            _ => true,
        };
        sale_rule(
            self.product.fields.status,
            unit_active,
            self.product.fields.available,
        )
    }

    /// `(price, promotional_price)` of the unit, centavos.
    pub fn prices(&self) -> (i64, i64) {
        match (&self.variation, &self.grid) {
            (Some(v), _) => (v.unit.price, v.unit.promotional_price),
            (_, Some(g)) => (g.unit.price, g.unit.promotional_price),
            _ => (
                self.product.fields.price,
                self.product.fields.promotional_price,
            ),
        }
    }
}

/// Repository of sellable units and their stock.
pub struct Stock<'c>(pub(crate) Db<'c>);

impl Stock<'_> {
    fn db(&mut self) -> Db<'_> {
        match &mut self.0 {
            Db::Sqlite(c) => Db::Sqlite(c),
            Db::Postgres(c) => Db::Postgres(c),
        }
    }

    /// The sellable unit with this SKU. A type-3 or type-4 parent is not
    /// sellable itself (its stock lives on its grids or variations): `None`.
    pub async fn sellable(&mut self, scope: ShopScope, sku: &str) -> Result<Option<Sellable>> {
        let Some(owner) = Products(self.db()).sku_owner(scope, sku).await? else {
            return Ok(None);
        };
        let product = Products(self.db()).get(scope, owner.product_id).await?;
        Ok(match owner.kind {
            SkuKind::Product if product.product_type == ProductType::Simple => Some(Sellable {
                unit: UnitRef::Product(product.id),
                product,
                variation: None,
                grid: None,
            }),
            SkuKind::Product => None,
            SkuKind::Variation => Variations(self.db())
                .variation_by_sku(scope, sku)
                .await?
                .map(|v| Sellable {
                    unit: UnitRef::Variation(v.id),
                    product,
                    variation: Some(v),
                    grid: None,
                }),
            SkuKind::Grid => Variations(self.db())
                .grid_by_sku(scope, sku)
                .await?
                .map(|g| Sellable {
                    unit: UnitRef::Grid(g.id),
                    product,
                    variation: None,
                    grid: Some(g),
                }),
        })
    }

    /// Takes `quantity` units: under [`StockRule::Limited`] only if that
    /// many are there (`false`, and nothing changed, when they are not);
    /// under [`StockRule::Backorder`] whatever the stock (`false` only when
    /// the unit is gone, or when the stock could not go that far below
    /// zero without overflowing). `quantity` is positive.
    pub async fn take(
        &mut self,
        scope: ShopScope,
        unit: UnitRef,
        quantity: i64,
        rule: StockRule,
    ) -> Result<bool> {
        let (table, id) = unit.table();
        // `stock >= $6` (i64::MIN + n) keeps `stock - n` in range.
        let sql = format!(
            "UPDATE {table} SET stock = stock - $4 \
             WHERE account_id = $1 AND store_id = $2 AND id = $3 AND (stock >= $4 OR ($5 AND stock >= $6))"
        );
        let floor = i64::MIN.saturating_add(quantity);
        let affected = on_db!(self.0, c => sqlx::query(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(quantity).bind(rule == StockRule::Backorder)
            .bind(floor)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(affected == 1)
    }

    /// Gives `quantity` (positive) units back, the stock saturating at
    /// `i64::MAX` rather than overflowing (a stock set that high by a
    /// client); `false` when the unit no longer exists.
    pub async fn give_back(
        &mut self,
        scope: ShopScope,
        unit: UnitRef,
        quantity: i64,
    ) -> Result<bool> {
        let (table, id) = unit.table();
        let sql = format!(
            "UPDATE {table} SET stock = CASE WHEN stock > $5 THEN $6 ELSE stock + $4 END \
             WHERE account_id = $1 AND store_id = $2 AND id = $3"
        );
        let ceiling = i64::MAX.saturating_sub(quantity);
        let affected = on_db!(self.0, c => sqlx::query(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(quantity).bind(ceiling).bind(i64::MAX)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(affected == 1)
    }
}
