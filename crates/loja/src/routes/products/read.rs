//! Product lookups: E02 `findbysku`, E03 `findbyname`, E12
//! `findcategoriesbysku`.

use serde_json::{Map, Value};
use vitrine_store::categories::{Category, Subcategory};
use vitrine_store::products::{Product, SkuKind};
use vitrine_store::Conn;

use super::{grid_row, overlay_unit, shape, variation_row};
use crate::auth::StoreAuth;
use crate::endpoints::{Ctx, Reply};
use crate::routes::categories::{category_shape, subcategory_shape};
use crate::{envelope, LojaError};

const NOT_FOUND: &str = "Product not found";

/// `min` absent means basic (spec E02: the unlabelled example is basic).
fn wants_min(ctx: &Ctx) -> bool {
    ctx.params.flag("min").unwrap_or(true)
}

/// A main product with `parent: []` and its variations or grids as `children`.
async fn describe_product(
    conn: &mut Conn,
    auth: StoreAuth,
    product: &Product,
    min: bool,
) -> Result<Value, LojaError> {
    let mut m = shape(product, min);
    let children: Vec<Value> = match product.product_type {
        4 => conn
            .variations()
            .variations_of(auth.account_id, auth.store_id, product.id)
            .await?
            .iter()
            .map(variation_row)
            .collect(),
        3 => conn
            .variations()
            .grids_of(auth.account_id, auth.store_id, product.id)
            .await?
            .iter()
            .map(grid_row)
            .collect(),
        _ => Vec::new(),
    };
    m.insert("parent".into(), Value::Array(Vec::new()));
    m.insert("children".into(), Value::Array(children));
    Ok(Value::Object(m))
}

/// Whatever `sku` names — product, variation or grid — in the E02 shape;
/// `None` when the store has no such SKU.
async fn describe_sku(
    conn: &mut Conn,
    auth: StoreAuth,
    sku: &str,
    min: bool,
) -> Result<Option<Value>, LojaError> {
    let (a, st) = (auth.account_id, auth.store_id);
    let Some(owner) = conn.products().sku_owner(a, st, sku).await? else {
        return Ok(None);
    };
    let parent = conn.products().get(a, st, owner.product_id).await?;
    let (name, unit) = match owner.kind {
        SkuKind::Product => return describe_product(conn, auth, &parent, min).await.map(Some),
        SkuKind::Variation => {
            let Some(v) = conn.variations().variation_by_sku(a, st, sku).await? else {
                return Ok(None);
            };
            (
                format!("{} - {}", parent.fields.name, v.variety_name),
                v.unit,
            )
        }
        SkuKind::Grid => {
            let Some(g) = conn.variations().grid_by_sku(a, st, sku).await? else {
                return Ok(None);
            };
            (
                format!(
                    "{} - {} - {}",
                    parent.fields.name, g.variety_name, g.grid_name
                ),
                g.unit,
            )
        }
    };
    let mut m = shape(&parent, min);
    overlay_unit(&mut m, name, &unit, min);
    m.insert("parent".into(), Value::Object(shape(&parent, min)));
    m.insert("children".into(), Value::Array(Vec::new()));
    Ok(Some(Value::Object(m)))
}

/// E02 `GET product/findbysku`: a product, variation or grid by SKU.
pub(crate) fn find_by_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let sku = ctx
            .params
            .text("sku")
            .ok_or_else(|| LojaError::not_found(NOT_FOUND))?;
        let mut conn = ctx.state.store.conn().await?;
        let found = describe_sku(&mut conn, ctx.auth, &sku, wants_min(&ctx)).await?;
        let data = found.ok_or_else(|| LojaError::not_found(NOT_FOUND))?;
        Ok(envelope::ok(&data))
    })
}

/// E03 `GET product/findbyname`: the first product (by id) with this name,
/// ignoring case and accents. The doc names the parameter `sku` (I-01):
/// its value is tried as a name, then as a SKU.
pub(crate) fn find_by_name(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let (value, from_sku) = match ctx.params.text("name") {
            Some(name) => (name, false),
            None => (
                ctx.params
                    .text("sku")
                    .ok_or_else(|| LojaError::not_found(NOT_FOUND))?,
                true,
            ),
        };
        let min = wants_min(&ctx);
        let (a, st) = (ctx.auth.account_id, ctx.auth.store_id);
        let mut conn = ctx.state.store.conn().await?;
        if let Some(product) = conn.products().find_by_name(a, st, &value).await? {
            let data = describe_product(&mut conn, ctx.auth, &product, min).await?;
            return Ok(envelope::ok(&data));
        }
        if from_sku {
            if let Some(data) = describe_sku(&mut conn, ctx.auth, &value, min).await? {
                return Ok(envelope::ok(&data));
            }
        }
        Err(LojaError::not_found(NOT_FOUND))
    })
}

/// E12 `GET product/findcategoriesbysku`: the product's category and
/// subcategory links in creation order.
pub(crate) fn find_categories_by_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let invalid = || LojaError::not_found("Invalid Product SKU");
        let sku = ctx.params.text("sku").ok_or_else(invalid)?;
        let (a, st) = (ctx.auth.account_id, ctx.auth.store_id);
        let mut conn = ctx.state.store.conn().await?;
        let id = conn
            .products()
            .find_id_by_sku(a, st, &sku)
            .await?
            .ok_or_else(invalid)?;
        let links = conn.categories().links_of(a, st, id).await?;
        let mut data = Vec::with_capacity(links.len());
        for (kind, category_id) in links {
            let shaped: Option<Map<String, Value>> = if kind == 1 {
                conn.categories()
                    .category(a, st, category_id)
                    .await?
                    .as_ref()
                    .map(|c: &Category| category_shape(c))
            } else {
                conn.categories()
                    .subcategory(a, st, category_id)
                    .await?
                    .as_ref()
                    .map(|c: &Subcategory| subcategory_shape(c))
            };
            // A link to a category that no longer exists is not shown.
            let Some(shaped) = shaped else { continue };
            let mut item = Map::new();
            item.insert("category_id".into(), super::s(category_id));
            item.insert("category_data".into(), Value::Object(shaped));
            item.insert("category_type".into(), Value::from(kind));
            data.push(Value::Object(item));
        }
        Ok(envelope::ok(&data))
    })
}
