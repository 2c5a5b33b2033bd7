//! The store's global varieties (options such as colour "Azul", E05) and
//! global grids (sizes such as "M", E07), which product variations and
//! product grids reference.

use vitrine_core::catalog::fold;
use vitrine_core::ids::{GridId, ShopScope, VarietyId};

use crate::backend::on_db;
use crate::counters::next_id;
use crate::{Db, Result};

/// A global variety.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Variety {
    /// Per-store id.
    pub id: VarietyId,
    /// Name (not unique).
    pub name: String,
    /// Image file name.
    pub image: String,
    /// First colour.
    pub color1: String,
    /// Second colour.
    pub color2: String,
    /// 0 text, 1 image, 2 one colour, 3 two colours.
    pub icon_type: i16,
    /// Order.
    pub sort: i64,
    /// Active.
    pub status: bool,
}

/// A new global variety (the `product/insertvariety` extension).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NewVariety {
    /// Name.
    pub name: String,
    /// Image file name.
    pub image: String,
    /// First colour.
    pub color1: String,
    /// Second colour.
    pub color2: String,
    /// Icon type code.
    pub icon_type: i16,
    /// Order.
    pub sort: i64,
    /// Active.
    pub status: bool,
}

/// A global grid.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Grid {
    /// Per-store id.
    pub id: GridId,
    /// Name (not unique).
    pub name: String,
    /// Order.
    pub sort: i64,
    /// Active.
    pub status: bool,
}

const VARIETY_COLUMNS: &str = "id, name, image, color1, color2, icon_type, sort, status";
const GRID_COLUMNS: &str = "id, name, sort, status";

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
pub(crate) fn like_pattern(term: &str) -> String {
    let mut out = String::from("%");
    for c in fold(term.trim()).chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// Repository of global varieties and grids.
pub struct Varieties<'c>(pub(crate) Db<'c>);

impl Varieties<'_> {
    /// Adds a global variety.
    pub async fn insert_variety(&mut self, scope: ShopScope, new: &NewVariety) -> Result<Variety> {
        let id = next_id(&mut self.0, scope, "varieties").await?;
        let sql = format!(
            "INSERT INTO varieties (account_id, store_id, id, name, name_search, image, color1, color2, icon_type, sort, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING {VARIETY_COLUMNS}"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(&new.name).bind(fold(&new.name))
            .bind(&new.image).bind(&new.color1).bind(&new.color2).bind(new.icon_type)
            .bind(new.sort).bind(new.status)
            .fetch_one(c).await)?)
    }

    /// Varieties whose name contains `term` (case- and accent-insensitive),
    /// all of them for `None`, by id.
    pub async fn search_varieties(
        &mut self,
        scope: ShopScope,
        term: Option<&str>,
    ) -> Result<Vec<Variety>> {
        let sql = format!(
            "SELECT {VARIETY_COLUMNS} FROM varieties WHERE account_id = $1 AND store_id = $2 \
             AND name_search LIKE $3 ESCAPE '\\' ORDER BY id"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(like_pattern(term.unwrap_or("")))
            .fetch_all(c).await)?)
    }

    /// One variety by id; `NotFound` when the store has none with it.
    pub async fn get_variety(&mut self, scope: ShopScope, id: VarietyId) -> Result<Variety> {
        let sql = format!(
            "SELECT {VARIETY_COLUMNS} FROM varieties WHERE account_id = $1 AND store_id = $2 AND id = $3"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).fetch_one(c).await)?)
    }

    /// The varieties with these ids (at most [`MAX_BATCH`](crate::MAX_BATCH)),
    /// in no particular order; unknown ids are left out.
    pub async fn find_varieties(
        &mut self,
        scope: ShopScope,
        ids: &[VarietyId],
    ) -> Result<Vec<Variety>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {VARIETY_COLUMNS} FROM varieties WHERE account_id = $1 AND store_id = $2 AND id IN ({})",
            crate::backend::placeholders(3, ids.len())
        );
        Ok(crate::backend::fetch_in_store!(self.0, &sql, scope, ids)?)
    }

    /// Adds a global grid.
    pub async fn insert_grid(
        &mut self,
        scope: ShopScope,
        name: &str,
        sort: i64,
        status: bool,
    ) -> Result<Grid> {
        let id = next_id(&mut self.0, scope, "grids").await?;
        let sql = format!(
            "INSERT INTO grids (account_id, store_id, id, name, name_search, sort, status) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING {GRID_COLUMNS}"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(name).bind(fold(name))
            .bind(sort).bind(status)
            .fetch_one(c).await)?)
    }

    /// Grids whose name contains `term`, all for `None`, by id.
    pub async fn search_grids(
        &mut self,
        scope: ShopScope,
        term: Option<&str>,
    ) -> Result<Vec<Grid>> {
        let sql = format!(
            "SELECT {GRID_COLUMNS} FROM grids WHERE account_id = $1 AND store_id = $2 \
             AND name_search LIKE $3 ESCAPE '\\' ORDER BY id"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(like_pattern(term.unwrap_or("")))
            .fetch_all(c).await)?)
    }

    /// One grid by id; `NotFound` when the store has none with it.
    pub async fn get_grid(&mut self, scope: ShopScope, id: GridId) -> Result<Grid> {
        let sql = format!(
            "SELECT {GRID_COLUMNS} FROM grids WHERE account_id = $1 AND store_id = $2 AND id = $3"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).fetch_one(c).await)?)
    }
}
