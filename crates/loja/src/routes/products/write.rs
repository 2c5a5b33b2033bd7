//! Product writes: E08 `insert`, E09 `update`, E13 `deletebysku`.

use axum::http::StatusCode;
use vitrine_core::catalog::{parse_int, sku as valid_sku, slug, ProductType};
use vitrine_core::ids::{BrandId, ManufacturerId};
use vitrine_store::products::ProductFields;
use vitrine_store::Error as StoreError;

use super::units::{check_units, nested_unit, write_units, ItemProblem, NestedUnit};
use crate::endpoints::{Ctx, Reply};
use crate::params::Params;
use crate::{envelope, LojaError};

const NOT_FOUND: &str = "Product not found";

fn sku_taken() -> LojaError {
    LojaError::new(StatusCode::NOT_ACCEPTABLE, "SKU already registered")
}

/// Overlays the product fields that were sent on `f`; unsent or
/// unparseable values keep what `f` had (E08 defaults, E09 stored values).
fn apply_fields(p: &Params, f: &mut ProductFields) {
    let texts: [(&str, &mut String); 14] = [
        ("barcode", &mut f.barcode),
        ("short_description", &mut f.short_description),
        ("unit_measurement", &mut f.unit_measurement),
        ("description", &mut f.description),
        ("specifications", &mut f.specifications),
        ("warranty", &mut f.warranty),
        ("manufacturer_code", &mut f.manufacturer_code),
        ("variety_title", &mut f.variety_title),
        ("grid_title", &mut f.grid_title),
        ("configurable_title", &mut f.configurable_title),
        ("meta_description", &mut f.meta_description),
        ("meta_title", &mut f.meta_title),
        ("meta_keys", &mut f.meta_keys),
        ("name", &mut f.name),
    ];
    for (key, slot) in texts {
        if let Some(v) = p.text(key) {
            *slot = v;
        }
    }
    let ints: [(&str, &mut i64); 7] = [
        ("stock", &mut f.stock),
        ("height", &mut f.height),
        ("length", &mut f.length),
        ("width", &mut f.width),
        ("fitting_difference", &mut f.fitting_difference),
        ("deadline", &mut f.deadline),
        ("sort", &mut f.sort),
    ];
    for (key, slot) in ints {
        if let Some(v) = p.int(key) {
            *slot = v;
        }
    }
    let money: [(&str, &mut i64); 3] = [
        ("price", &mut f.price),
        ("promotional_price", &mut f.promotional_price),
        ("multiple_price", &mut f.multiple_price),
    ];
    for (key, slot) in money {
        if let Some(v) = p.money(key) {
            *slot = v;
        }
    }
    if let Some(v) = p.weight("weight") {
        f.weight = v;
    }
    let flags: [(&str, &mut bool); 7] = [
        ("available", &mut f.available),
        ("budget", &mut f.budget),
        ("hide_price", &mut f.hide_price),
        ("obs_box", &mut f.obs_box),
        ("illustrative_picture", &mut f.illustrative_picture),
        ("multiple", &mut f.multiple),
        ("status", &mut f.status),
    ];
    for (key, slot) in flags {
        if let Some(v) = p.flag(key) {
            *slot = v;
        }
    }
    // `manufacturer` and `brand` are ids; 0 means none.
    if let Some(v) = p.int("manufacturer") {
        f.manufacturer_id = (v > 0).then_some(ManufacturerId(v));
    }
    if let Some(v) = p.int("brand") {
        f.brand_id = (v > 0).then_some(BrandId(v));
    }
    // Undocumented optional `url` (spec I-37).
    if let Some(v) = p.text("url") {
        f.url = slug(&v);
    }
}

/// A `product/insert` request read from its parameters.
struct InsertRequest {
    sku: String,
    product_type: ProductType,
    fields: ProductFields,
    units: Vec<NestedUnit>,
    grid: bool,
}

impl InsertRequest {
    /// Reads the request; a missing name or SKU, or a type other than
    /// 1, 3, 4, is the documented 400.
    fn parse(p: &Params) -> Result<Self, LojaError> {
        let name = p
            .text("name")
            .ok_or_else(|| LojaError::bad_request("Invalid Name"))?;
        let sku = p
            .text("sku")
            .as_deref()
            .and_then(valid_sku)
            .ok_or_else(|| LojaError::bad_request("Invalid SKU"))?;
        let product_type = match p.text("type") {
            None => ProductType::Simple,
            Some(t) => parse_int(&t)
                .and_then(ProductType::from_code)
                .ok_or_else(|| LojaError::bad_request("Invalid Type"))?,
        };
        let mut fields = ProductFields {
            url: slug(&name),
            name,
            available: true,
            ..ProductFields::default()
        };
        apply_fields(p, &mut fields);
        // variety_data counts for type 4 only, grid_data for type 3 only.
        let (list, grid) = match product_type {
            ProductType::Variation => (Some("variety_data"), false),
            ProductType::Grid => (Some("grid_data"), true),
            ProductType::Simple => (None, false),
        };
        let units = list
            .and_then(|l| p.list(l))
            .unwrap_or_default()
            .into_iter()
            .map(|(k, item)| nested_unit(k, item, grid))
            .collect();
        Ok(Self {
            sku,
            product_type,
            fields,
            units,
            grid,
        })
    }
}

/// The one documented answer for refused nested items, most telling first.
fn first_problem(problems: &[ItemProblem]) -> Option<LojaError> {
    [
        (ItemProblem::SkuTaken, StatusCode::NOT_ACCEPTABLE),
        (ItemProblem::InvalidSku, StatusCode::BAD_REQUEST),
        (ItemProblem::VarietyNotFound, StatusCode::NOT_FOUND),
        (ItemProblem::GridNotFound, StatusCode::NOT_FOUND),
    ]
    .into_iter()
    .find(|(problem, _)| problems.contains(problem))
    .map(|(problem, status)| LojaError::new(status, problem.message()))
}

/// E08 `POST product/insert` (201): a product with its `variety_data`
/// (type 4) or `grid_data` (type 3), all or nothing.
pub(crate) fn insert_product(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let req = InsertRequest::parse(&ctx.params)?;
        let mut tx = ctx.state.store.begin().await?;
        if tx.products().sku_owner(scope, &req.sku).await?.is_some() {
            return Err(sku_taken());
        }
        let problems =
            check_units(&mut tx, ctx.scope, &req.units, Some(&req.sku), req.grid).await?;
        if let Some(refused) = first_problem(&problems.concat()) {
            return Err(refused);
        }
        let product = match tx
            .products()
            .insert(scope, &req.sku, req.product_type, &req.fields)
            .await
        {
            Err(StoreError::Conflict { .. }) => return Err(sku_taken()),
            other => other?,
        };
        write_units(&mut tx, ctx.scope, product.id, &req.units, req.grid).await?;
        tx.commit().await?;
        Ok(envelope::created())
    })
}

/// E09 `POST product/update`: the main product named by `sku` (query
/// string first, "O SKU deve ser enviado por GET"); only sent fields change,
/// `type` never does.
pub(crate) fn update_product(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let not_found = || LojaError::not_found(NOT_FOUND);
        let sku = ctx.params.text_query_first("sku").ok_or_else(not_found)?;
        let mut tx = ctx.state.store.begin().await?;
        let product = tx
            .products()
            .find_by_sku(scope, &sku)
            .await?
            .ok_or_else(not_found)?;
        let mut fields = product.fields.clone();
        apply_fields(&ctx.params, &mut fields);
        match tx.products().update(scope, product.id, &fields).await {
            // Extension: a url another product already has.
            Err(StoreError::Conflict { .. }) => {
                return Err(LojaError::new(
                    StatusCode::NOT_ACCEPTABLE,
                    "URL already registered",
                ))
            }
            other => other?,
        };
        tx.commit().await?;
        Ok(envelope::done())
    })
}

/// E13 `GET product/deletebysku`: the product and, by cascade, its
/// variations, grids, SKUs, category links, comments and relations.
pub(crate) fn delete_by_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let not_found = || LojaError::not_found(NOT_FOUND);
        let sku = ctx.params.text("sku").ok_or_else(not_found)?;
        let mut tx = ctx.state.store.begin().await?;
        let id = tx
            .products()
            .find_id_by_sku(scope, &sku)
            .await?
            .ok_or_else(not_found)?;
        let files = tx.images().paths_of_product(scope, id).await?;
        tx.products().delete(scope, id).await?;
        tx.commit().await?;
        // The rows are gone; their files follow (after the commit, so a
        // rolled-back delete never loses an image).
        for path in &files {
            crate::routes::images::discard(&ctx.state, path).await;
        }
        Ok(envelope::done())
    })
}
