//! Carts and cart lines (ecommloja-api.md §4.1 Cart, CartLine; E63–E65).
//! A customer has at most one open cart; checkout closes it.

use chrono::{DateTime, Utc};
use vitrine_core::ids::{
    CartId, CartLineId, CustomerId, ProductGridId, ProductId, ShopScope, VariationId,
};

use crate::backend::on_db;
use crate::counters::next_id;
use crate::stock::{Sellable, UnitRef};
use crate::{now, Db, Result};

/// A cart.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Cart {
    /// Per-store id.
    pub id: CartId,
    /// Random hex hash, the cart's public name.
    pub hash: String,
    /// Owner.
    pub customer_id: CustomerId,
    /// Creation time.
    pub date_register: DateTime<Utc>,
    /// Still open (not yet an order).
    pub open: bool,
}

/// A cart line: which unit, how many.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct CartLine {
    /// Per-store id (`cart_p_id`).
    pub id: CartLineId,
    /// Main product.
    pub product_id: ProductId,
    /// Variation, for a type-4 unit.
    pub variation_id: Option<VariationId>,
    /// Grid, for a type-3 unit.
    pub grid_id: Option<ProductGridId>,
    /// The unit's SKU.
    pub sku: String,
    /// Units.
    pub quantity: i64,
}

const CART_COLUMNS: &str = "id, hash, customer_id, date_register, open";

/// Repository of carts.
pub struct Carts<'c>(pub(crate) Db<'c>);

impl Carts<'_> {
    /// The customer's open cart.
    pub async fn open_of(
        &mut self,
        scope: ShopScope,
        customer_id: CustomerId,
    ) -> Result<Option<Cart>> {
        let sql = format!(
            "SELECT {CART_COLUMNS} FROM carts WHERE account_id = $1 AND store_id = $2 AND customer_id = $3 \
             AND open = $4 ORDER BY id DESC LIMIT 1"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(customer_id).bind(true).fetch_optional(c).await)?)
    }

    /// The open cart with this hash.
    pub async fn open_by_hash(&mut self, scope: ShopScope, hash: &str) -> Result<Option<Cart>> {
        let sql = format!(
            "SELECT {CART_COLUMNS} FROM carts WHERE account_id = $1 AND store_id = $2 AND hash = $3 AND open = $4"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(hash.trim()).bind(true).fetch_optional(c).await)?)
    }

    /// The customer's open cart, opened now with `hash` if there is none.
    /// Two first adds racing end with the same cart: the partial unique
    /// index on open carts lets one insert win and the other read it.
    pub async fn open_or_create(
        &mut self,
        scope: ShopScope,
        customer_id: CustomerId,
        hash: &str,
    ) -> Result<Cart> {
        if let Some(cart) = self.open_of(scope, customer_id).await? {
            return Ok(cart);
        }
        let id = next_id(&mut self.0, scope, "carts").await?;
        let insert = match self.0 {
            Db::Sqlite(_) => "INSERT INTO carts (account_id, store_id, id, hash, customer_id, date_register, open) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (account_id, store_id, customer_id) WHERE open = 1 DO NOTHING",
            Db::Postgres(_) => "INSERT INTO carts (account_id, store_id, id, hash, customer_id, date_register, open) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) \
                 ON CONFLICT (account_id, store_id, customer_id) WHERE open DO NOTHING",
        };
        on_db!(self.0, c => sqlx::query(insert)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(hash).bind(customer_id).bind(now()).bind(true)
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.open_of(scope, customer_id)
            .await?
            .ok_or(crate::Error::NotFound)
    }

    /// A cart's lines by id.
    pub async fn lines(&mut self, scope: ShopScope, cart_id: CartId) -> Result<Vec<CartLine>> {
        let sql = "SELECT id, product_id, variation_id, grid_id, sku, quantity FROM cart_lines \
                   WHERE account_id = $1 AND store_id = $2 AND cart_id = $3 ORDER BY id";
        Ok(on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(cart_id).fetch_all(c).await)?)
    }

    /// Adds `quantity` units of a unit (`quantity` ≤ `max`): to its line
    /// if the cart has one, else as a new line. `false`, and nothing
    /// changed, when the line would pass `max` units. The bump is one
    /// guarded statement (`quantity <= max - n`), so concurrent adds can
    /// neither pass the cap nor overflow.
    pub async fn add(
        &mut self,
        scope: ShopScope,
        cart_id: CartId,
        unit: &Sellable,
        quantity: i64,
        max: i64,
    ) -> Result<bool> {
        let (product_id, sku) = (unit.product.id, unit.sku());
        if !(1..=max).contains(&quantity) {
            return Ok(false);
        }
        let bump = "UPDATE cart_lines SET quantity = quantity + $5 \
                    WHERE account_id = $1 AND store_id = $2 AND cart_id = $3 AND sku = $4 \
                    AND quantity <= $6 - $5";
        let bumped = on_db!(self.0, c => sqlx::query(bump)
            .bind(scope.account.0).bind(scope.store.0).bind(cart_id).bind(sku).bind(quantity).bind(max)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if bumped > 0 {
            return Ok(true);
        }
        if self.has_line(scope, cart_id, sku).await? {
            return Ok(false);
        }
        let (variation_id, grid_id) = match unit.unit {
            UnitRef::Product(_) => (None, None),
            UnitRef::Variation(id) => (Some(id), None),
            UnitRef::Grid(id) => (None, Some(id)),
        };
        let id = next_id(&mut self.0, scope, "cart_lines").await?;
        let sql = "INSERT INTO cart_lines (account_id, store_id, id, cart_id, product_id, variation_id, grid_id, sku, quantity) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(cart_id).bind(product_id).bind(variation_id)
            .bind(grid_id).bind(sku).bind(quantity)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(true)
    }

    /// Whether the cart has a line of `sku`.
    async fn has_line(&mut self, scope: ShopScope, cart_id: CartId, sku: &str) -> Result<bool> {
        let sql = "SELECT id FROM cart_lines \
                   WHERE account_id = $1 AND store_id = $2 AND cart_id = $3 AND sku = $4";
        let found: Option<(i64,)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(cart_id).bind(sku).fetch_optional(c).await)?;
        Ok(found.is_some())
    }

    /// Sets the quantity of the line of `sku`; `false` if there is none.
    pub async fn set_quantity(
        &mut self,
        scope: ShopScope,
        cart_id: CartId,
        sku: &str,
        quantity: i64,
    ) -> Result<bool> {
        let sql = "UPDATE cart_lines SET quantity = $5 \
                   WHERE account_id = $1 AND store_id = $2 AND cart_id = $3 AND sku = $4";
        let n = on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(cart_id).bind(sku).bind(quantity)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// Removes the line of `sku`; `false` if there is none.
    pub async fn remove(&mut self, scope: ShopScope, cart_id: CartId, sku: &str) -> Result<bool> {
        let sql =
            "DELETE FROM cart_lines WHERE account_id = $1 AND store_id = $2 AND cart_id = $3 AND sku = $4";
        let n = on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(cart_id).bind(sku)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n > 0)
    }

    /// Closes an open cart; `false` when it was already closed (another
    /// checkout of the same cart won).
    pub async fn close(&mut self, scope: ShopScope, cart_id: CartId) -> Result<bool> {
        let sql = "UPDATE carts SET open = $4 WHERE account_id = $1 AND store_id = $2 AND id = $3 AND open = $5";
        let n = on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(cart_id).bind(false).bind(true)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(n == 1)
    }
}
