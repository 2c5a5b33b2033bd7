//! Sales (promotions) of a store (ecommloja-api.md E37): stored, echoed,
//! and read by checkout, which applies the live ones
//! (`vitrine_core::promotions`).

use chrono::{DateTime, Utc};
use vitrine_core::ids::{CategoryId, SaleId, ShopScope, SubcategoryId};

use crate::backend::on_db;
use crate::counters::next_id;
use crate::{now, Db, Result};

/// The fields of a sale as sent and stored.
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct SaleFields {
    /// Name.
    pub name: String,
    /// Url slug.
    pub url: String,
    /// Category, 0 = all.
    pub category_id: CategoryId,
    /// Subcategory narrowing it, 0 = none.
    pub subcategory_id: SubcategoryId,
    /// `aplication` [sic] code.
    pub aplication: i64,
    /// Sale type code.
    pub sale_type: i64,
    /// Value, centavos.
    pub sale_value: i64,
    /// Minimum quantity.
    pub product_amount: i64,
    /// Minimum order value, centavos.
    pub minimum_value_order: i64,
    /// Store-local start, `YYYY-MM-DD HH:MM:SS`.
    pub start_date: String,
    /// Store-local end, `YYYY-MM-DD HH:MM:SS`.
    pub end_date: String,
    /// Comments.
    pub comments: String,
    /// Active.
    pub status: bool,
}

/// A sale with its category's name (`None` for store-wide or a category
/// that no longer exists).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Sale {
    /// Per-store id.
    pub id: SaleId,
    /// The sale's fields.
    #[sqlx(flatten)]
    pub fields: SaleFields,
    /// Name of the linked category.
    pub category_name: Option<String>,
    /// Creation time.
    pub date_register: DateTime<Utc>,
    /// Last change.
    pub last_update: DateTime<Utc>,
}

/// Repository of sales.
pub struct Sales<'c>(pub(crate) Db<'c>);

impl Sales<'_> {
    /// Adds a sale.
    pub async fn insert(&mut self, scope: ShopScope, f: &SaleFields) -> Result<SaleId> {
        let id = SaleId(next_id(&mut self.0, scope, "sales").await?);
        let at = now();
        let sql = "INSERT INTO sales (account_id, store_id, id, name, url, category_id, subcategory_id, aplication, \
                   sale_type, sale_value, product_amount, minimum_value_order, start_date, end_date, comments, \
                   date_register, last_update, status) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(&f.name).bind(&f.url).bind(f.category_id)
            .bind(f.subcategory_id).bind(f.aplication).bind(f.sale_type).bind(f.sale_value)
            .bind(f.product_amount).bind(f.minimum_value_order).bind(&f.start_date).bind(&f.end_date)
            .bind(&f.comments).bind(at).bind(at).bind(f.status)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(id)
    }

    /// The sales of a category plus the store-wide ones, by id.
    pub async fn for_category(
        &mut self,
        scope: ShopScope,
        category_id: CategoryId,
    ) -> Result<Vec<Sale>> {
        let sql = "SELECT s.id, s.name, s.url, s.category_id, s.subcategory_id, s.aplication, s.sale_type, \
                   s.sale_value, s.product_amount, s.minimum_value_order, s.start_date, s.end_date, s.comments, \
                   s.status, c.name AS category_name, s.date_register, s.last_update \
                   FROM sales s LEFT JOIN categories c \
                   ON c.account_id = s.account_id AND c.store_id = s.store_id AND c.id = s.category_id \
                   WHERE s.account_id = $1 AND s.store_id = $2 AND (s.category_id = $3 OR s.category_id = 0) \
                   ORDER BY s.id";
        Ok(
            on_db!(self.0, c => sqlx::query_as(sql).bind(scope.account.0).bind(scope.store.0).bind(category_id).fetch_all(c).await)?,
        )
    }

    /// Every sale of the store, by id (checkout picks the live ones).
    pub async fn all(&mut self, scope: ShopScope) -> Result<Vec<SaleFields>> {
        let sql = "SELECT name, url, category_id, subcategory_id, aplication, sale_type, sale_value, product_amount, \
                   minimum_value_order, start_date, end_date, comments, status FROM sales \
                   WHERE account_id = $1 AND store_id = $2 ORDER BY id";
        Ok(
            on_db!(self.0, c => sqlx::query_as(sql).bind(scope.account.0).bind(scope.store.0).fetch_all(c).await)?,
        )
    }
}
