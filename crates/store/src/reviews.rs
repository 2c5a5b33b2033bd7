//! Product reviews (E20), related products (E21) and stock retentions
//! (E23): data the Loja API reads; reviews and relations are written by
//! documented extension endpoints, retentions by the order work.

use chrono::{DateTime, Utc};
use vitrine_core::catalog::ProductType;
use vitrine_core::ids::{
    CommentId, OrderId, ProductGridId, ProductId, RetentionId, ShopScope, VariationId,
};

use crate::backend::on_db;
use crate::counters::next_id;
use crate::products::{Product, COLUMNS};
use crate::{now, Db, Result};

/// A product review.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Comment {
    /// Per-store id.
    pub id: CommentId,
    /// Reviewer's name.
    pub customer_name: String,
    /// Reviewer's email.
    pub customer_email: String,
    /// 1–5.
    pub rating: i64,
    /// The text, verbatim.
    pub comment: String,
    /// When it was written.
    pub date: DateTime<Utc>,
}

/// A review to add.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewComment {
    /// Reviewer's name.
    pub customer_name: String,
    /// Reviewer's email.
    pub customer_email: String,
    /// 1–5.
    pub rating: i64,
    /// The text, verbatim.
    pub comment: String,
}

/// A retention record: stock held by an order awaiting a status change.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Retention {
    /// Per-store id.
    pub id: RetentionId,
    /// Main product SKU.
    pub sku: String,
    /// Variation SKU or `"0"`.
    pub sku_variety: String,
    /// Grid SKU or `"0"`.
    pub sku_grid: String,
    /// Quantity held.
    pub stock: i64,
    /// The product's type.
    #[sqlx(try_from = "i16")]
    pub product_type: ProductType,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

/// A retention to record when an order holds stock (the order work).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRetention {
    /// The order holding the stock.
    pub order_id: OrderId,
    /// Main product.
    pub product_id: Option<ProductId>,
    /// Variation, when a variation is held.
    pub variation_id: Option<VariationId>,
    /// Grid, when a grid is held.
    pub grid_id: Option<ProductGridId>,
    /// Main product SKU.
    pub sku: String,
    /// Variation SKU or `"0"`.
    pub sku_variety: String,
    /// Grid SKU or `"0"`.
    pub sku_grid: String,
    /// Quantity held.
    pub stock: i64,
    /// The product's type.
    pub product_type: ProductType,
}

/// Repository of reviews, related products and stock retentions.
pub struct Reviews<'c>(pub(crate) Db<'c>);

impl Reviews<'_> {
    /// Adds a review to a product.
    pub async fn insert_comment(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
        new: &NewComment,
    ) -> Result<CommentId> {
        let id = CommentId(next_id(&mut self.0, scope, "product_comments").await?);
        let sql = "INSERT INTO product_comments (account_id, store_id, id, product_id, customer_name, customer_email, \
                   rating, comment, date) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(product_id).bind(&new.customer_name).bind(&new.customer_email)
            .bind(new.rating).bind(&new.comment).bind(now())
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(id)
    }

    /// A product's reviews by date then id.
    pub async fn comments_of(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
    ) -> Result<Vec<Comment>> {
        let sql = "SELECT id, customer_name, customer_email, rating, comment, date FROM product_comments \
                   WHERE account_id = $1 AND store_id = $2 AND product_id = $3 ORDER BY date, id";
        Ok(
            on_db!(self.0, c => sqlx::query_as(sql).bind(scope.account.0).bind(scope.store.0).bind(product_id).fetch_all(c).await)?,
        )
    }

    /// Relates `related_id` to `product_id` (directional); twice is a no-op.
    pub async fn link_related(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
        related_id: ProductId,
    ) -> Result<()> {
        let position = next_id(&mut self.0, scope, "related_products").await?;
        let sql = "INSERT INTO related_products (account_id, store_id, product_id, related_product_id, position) \
                   VALUES ($1, $2, $3, $4, $5) ON CONFLICT (account_id, store_id, product_id, related_product_id) DO NOTHING";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(product_id).bind(related_id).bind(position)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The products related to a product, in the order they were related.
    pub async fn related_of(
        &mut self,
        scope: ShopScope,
        product_id: ProductId,
    ) -> Result<Vec<Product>> {
        let columns = COLUMNS
            .split(", ")
            .map(|c| format!("p.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {columns} FROM related_products r JOIN products p \
             ON p.account_id = r.account_id AND p.store_id = r.store_id AND p.id = r.related_product_id \
             WHERE r.account_id = $1 AND r.store_id = $2 AND r.product_id = $3 ORDER BY r.position"
        );
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(scope.account.0).bind(scope.store.0).bind(product_id).fetch_all(c).await)?,
        )
    }

    /// The store's retention records by creation then id.
    pub async fn retentions(&mut self, scope: ShopScope) -> Result<Vec<Retention>> {
        let sql = "SELECT id, sku, sku_variety, sku_grid, stock, type AS product_type, created_at FROM stock_retentions \
                   WHERE account_id = $1 AND store_id = $2 ORDER BY created_at, id";
        Ok(
            on_db!(self.0, c => sqlx::query_as(sql).bind(scope.account.0).bind(scope.store.0).fetch_all(c).await)?,
        )
    }

    /// Records stock held by an order.
    pub async fn insert_retention(
        &mut self,
        scope: ShopScope,
        new: &NewRetention,
    ) -> Result<RetentionId> {
        let id = RetentionId(next_id(&mut self.0, scope, "stock_retentions").await?);
        let sql = "INSERT INTO stock_retentions (account_id, store_id, id, order_id, product_id, variation_id, grid_id, \
                   sku, sku_variety, sku_grid, stock, type, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(new.order_id).bind(new.product_id)
            .bind(new.variation_id).bind(new.grid_id).bind(&new.sku).bind(&new.sku_variety)
            .bind(&new.sku_grid).bind(new.stock).bind(new.product_type.code()).bind(now())
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(id)
    }
}
