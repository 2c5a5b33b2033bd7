//! Variations and grids of a product: E04 `findvarietybyproductsku`, E06
//! `findgridbyproductsku`, E10 `insertvarietyproduct`, E11
//! `insertgridproduct`, E14/E15 deletes; plus the nested-item rules E08
//! shares. Lookups by a unit's own SKU are in `unit_lookups`.

use axum::http::StatusCode;
use vitrine_core::catalog::{sku as valid_sku, ProductType};
use vitrine_core::ids::{GridId, ProductId, ShopScope, VarietyId};
use vitrine_store::images::Unit;
use vitrine_store::products::Product;
use vitrine_store::variations::UnitFields;
use vitrine_store::{Error as StoreError, Optional, Tx};

use crate::dto::products::{GridRow, ItemRefused, VariationRow};
use crate::endpoints::{Ctx, Reply};
use crate::params::Item;
use crate::{envelope, LojaError};

/// One `variety_data[]` / `grid_data[]` item as sent.
pub(crate) struct NestedUnit {
    /// Position (or PHP key) in the list.
    pub key: i64,
    /// Global variety (`id` for variations, `variety_id` for grids).
    pub variety_id: Option<VarietyId>,
    /// Global grid (grids only).
    pub grid_id: Option<GridId>,
    /// The unit's values; `sku` is empty when invalid.
    pub unit: UnitFields,
}

/// What can be wrong with one nested item, with its documented message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemProblem {
    InvalidSku,
    SkuTaken,
    VarietyNotFound,
    GridNotFound,
}

impl ItemProblem {
    pub(crate) fn message(self) -> &'static str {
        match self {
            Self::InvalidSku => "Invalid SKU",
            Self::SkuTaken => "SKU already registered",
            Self::VarietyNotFound => "Variety not found",
            Self::GridNotFound => "Grid not found",
        }
    }
}

/// Reads one nested item; unparseable optional values take their defaults.
pub(crate) fn nested_unit(key: i64, item: Item<'_>, grid: bool) -> NestedUnit {
    NestedUnit {
        key,
        variety_id: item
            .int(if grid { "variety_id" } else { "id" })
            .map(VarietyId),
        grid_id: if grid {
            item.int("grid_id").map(GridId)
        } else {
            None
        },
        unit: UnitFields {
            sku: item
                .text("sku")
                .as_deref()
                .and_then(valid_sku)
                .unwrap_or_default(),
            price: item.money("price").unwrap_or(0),
            promotional_price: item.money("promotional_price").unwrap_or(0),
            stock: item.int("stock").unwrap_or(0),
            weight: item.weight("weight").unwrap_or(0),
            height: item.int("height").unwrap_or(0),
            length: item.int("length").unwrap_or(0),
            width: item.int("width").unwrap_or(0),
            sort: item.int("sort").unwrap_or(0),
            status: item.flag("status").unwrap_or(false),
        },
    }
}

/// Checks every item before anything is written: SKU valid, free in the
/// store, not repeated in the request nor equal to `reserved` (the new
/// product's own SKU); the global variety (and grid) exist.
pub(crate) async fn check_units(
    tx: &mut Tx,
    scope: ShopScope,
    units: &[NestedUnit],
    reserved: Option<&str>,
    grid: bool,
) -> Result<Vec<Vec<ItemProblem>>, LojaError> {
    let mut seen: Vec<&str> = reserved.into_iter().collect();
    let mut all = Vec::with_capacity(units.len());
    for u in units {
        let mut problems = Vec::new();
        if u.unit.sku.is_empty() {
            problems.push(ItemProblem::InvalidSku);
        } else if seen.contains(&u.unit.sku.as_str())
            || tx.products().sku_owner(scope, &u.unit.sku).await?.is_some()
        {
            problems.push(ItemProblem::SkuTaken);
        }
        seen.push(&u.unit.sku);
        let variety_ok = match u.variety_id {
            Some(id) => tx
                .varieties()
                .get_variety(scope, id)
                .await
                .optional()?
                .is_some(),
            None => false,
        };
        if !variety_ok {
            problems.push(ItemProblem::VarietyNotFound);
        }
        if grid {
            let grid_ok = match u.grid_id {
                Some(id) => tx
                    .varieties()
                    .get_grid(scope, id)
                    .await
                    .optional()?
                    .is_some(),
                None => false,
            };
            if !grid_ok {
                problems.push(ItemProblem::GridNotFound);
            }
        }
        all.push(problems);
    }
    Ok(all)
}

/// Writes checked items under `product_id`.
pub(crate) async fn write_units(
    tx: &mut Tx,
    scope: ShopScope,
    product_id: ProductId,
    units: &[NestedUnit],
    grid: bool,
) -> Result<(), LojaError> {
    for u in units {
        // Checked by `check_units`: the variety (and grid) exist.
        let variety = u.variety_id.unwrap_or_default();
        let written = if grid {
            tx.variations()
                .insert_grid(
                    scope,
                    product_id,
                    variety,
                    u.grid_id.unwrap_or_default(),
                    &u.unit,
                )
                .await
                .map(|_| ())
        } else {
            tx.variations()
                .insert_variation(scope, product_id, variety, &u.unit)
                .await
                .map(|_| ())
        };
        match written {
            Ok(_) => {}
            // A SKU claimed between the check and the write (a concurrent request).
            Err(StoreError::Conflict { .. }) => {
                return Err(LojaError::new(
                    StatusCode::NOT_ACCEPTABLE,
                    "SKU already registered",
                ))
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

/// The main product a `product_sku` / `sku` / `product_name` names.
async fn product_from(
    ctx: &Ctx,
    names: &[&str],
    by_name: Option<&str>,
) -> Result<Option<Product>, LojaError> {
    let scope = ctx.scope;
    let mut conn = ctx.state.store.conn().await?;
    let Some((name, value)) = names
        .iter()
        .find_map(|n| ctx.params.text(n).map(|v| (*n, v)))
    else {
        return Ok(None);
    };
    if let Some(p) = conn.products().find_by_sku(scope, &value).await? {
        return Ok(Some(p));
    }
    if by_name == Some(name) {
        return Ok(conn.products().find_by_name(scope, &value).await?);
    }
    Ok(None)
}

/// E04 `GET product/findvarietybyproductsku`: the product's variations.
/// The doc names the parameter `product_name` (I-02); `product_sku` and
/// `sku` are accepted too, and a `product_name` is tried as a name last.
pub(crate) fn find_variety_by_product_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let product = product_from(
            &ctx,
            &["product_sku", "sku", "product_name"],
            Some("product_name"),
        )
        .await?
        .ok_or_else(|| LojaError::not_found("Product not found"))?;
        let mut conn = ctx.state.store.conn().await?;
        let rows = conn
            .variations()
            .variations_of(ctx.scope, product.id)
            .await?;
        Ok(envelope::ok(
            &rows.iter().map(VariationRow::from).collect::<Vec<_>>(),
        ))
    })
}

/// E06 `GET product/findgridbyproductsku`: the product's grids.
pub(crate) fn find_grid_by_product_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let product = product_from(&ctx, &["product_sku", "sku"], None)
            .await?
            .ok_or_else(|| LojaError::not_found("Product not found"))?;
        let mut conn = ctx.state.store.conn().await?;
        let rows = conn.variations().grids_of(ctx.scope, product.id).await?;
        Ok(envelope::ok(
            &rows.iter().map(GridRow::from).collect::<Vec<_>>(),
        ))
    })
}

/// The items of `list` or the documented 400 when absent or empty.
fn items(ctx: &Ctx, list: &str, grid: bool) -> Result<Vec<NestedUnit>, LojaError> {
    let items = ctx.params.list(list).unwrap_or_default();
    if items.is_empty() {
        return Err(LojaError::bad_request(format!("Invalid {list}")));
    }
    Ok(items
        .into_iter()
        .map(|(k, item)| nested_unit(k, item, grid))
        .collect())
}

/// Adds items to an existing product of `product_type`; per-item problems
/// answer 406 with one object per failing item, and nothing is written.
async fn insert_units(ctx: Ctx, grid: bool) -> Result<axum::response::Response, LojaError> {
    let scope = ctx.scope;
    let not_found = || LojaError::not_found("Product not found.");
    let sku = ctx.params.text("sku").ok_or_else(not_found)?;
    let list = if grid { "grid_data" } else { "variety_data" };
    let mut tx = ctx.state.store.begin().await?;
    let product = tx
        .products()
        .find_by_sku(scope, &sku)
        .await?
        .ok_or_else(not_found)?;
    let wanted = if grid {
        ProductType::Grid
    } else {
        ProductType::Variation
    };
    if product.product_type != wanted {
        return Err(not_found());
    }
    let units = items(&ctx, list, grid)?;
    let problems = check_units(&mut tx, ctx.scope, &units, None, grid).await?;
    let failing: Vec<ItemRefused> = units
        .iter()
        .zip(&problems)
        .filter(|(_, p)| !p.is_empty())
        .map(|(u, p)| ItemRefused {
            variety_id: u.variety_id.unwrap_or_default().0,
            grid_id: grid.then(|| u.grid_id.unwrap_or_default().0),
            grid_key: grid.then_some(u.key),
            variety_key: (!grid).then_some(u.key),
            errors: p.iter().map(|p| p.message()).collect(),
        })
        .collect();
    if !failing.is_empty() {
        return Err(LojaError::objects(StatusCode::NOT_ACCEPTABLE, &failing));
    }
    write_units(&mut tx, ctx.scope, product.id, &units, grid).await?;
    tx.commit().await?;
    Ok(envelope::created())
}

/// E10 `POST product/insertvarietyproduct`: variations for a type-4 product.
pub(crate) fn insert_variety_product(ctx: Ctx) -> Reply {
    Box::pin(insert_units(ctx, false))
}

/// E11 `POST product/insertgridproduct`: grids for a type-3 product.
pub(crate) fn insert_grid_product(ctx: Ctx) -> Reply {
    Box::pin(insert_units(ctx, true))
}

/// E14 `GET product/deletevarietybysku`.
pub(crate) fn delete_variety_by_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let not_found = || LojaError::not_found("Variety not found");
        let sku = ctx.params.text("sku").ok_or_else(not_found)?;
        let mut tx = ctx.state.store.begin().await?;
        let scope = ctx.scope;
        let image = tx
            .images()
            .unit_by_sku(scope, Unit::Variation, &sku)
            .await?
            .map(|u| u.image);
        match tx.variations().delete_variation(scope, &sku).await {
            Err(StoreError::NotFound) => return Err(not_found()),
            other => other?,
        }
        tx.commit().await?;
        if let Some(path) = image.filter(|p| !p.is_empty()) {
            crate::routes::images::discard(&ctx.state, &path).await;
        }
        Ok(envelope::done())
    })
}

/// E15 `GET product/deletegridbysku`.
pub(crate) fn delete_grid_by_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let not_found = || LojaError::not_found("Grid not found");
        let sku = ctx.params.text("sku").ok_or_else(not_found)?;
        let mut tx = ctx.state.store.begin().await?;
        let scope = ctx.scope;
        let image = tx
            .images()
            .unit_by_sku(scope, Unit::Grid, &sku)
            .await?
            .map(|u| u.image);
        match tx.variations().delete_grid(scope, &sku).await {
            Err(StoreError::NotFound) => return Err(not_found()),
            other => other?,
        }
        tx.commit().await?;
        if let Some(path) = image.filter(|p| !p.is_empty()) {
            crate::routes::images::discard(&ctx.state, &path).await;
        }
        Ok(envelope::done())
    })
}
