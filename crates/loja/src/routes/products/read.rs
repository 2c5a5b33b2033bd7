//! Product lookups: E02 `findbysku`, E03 `findbyname`, E12
//! `findcategoriesbysku`.

use vitrine_core::catalog::ProductType;
use vitrine_core::ids::ShopScope;
use vitrine_store::categories::CategoryRef;
use vitrine_store::products::{Product, SkuKind};
use vitrine_store::{Conn, Optional};

use crate::dto::catalog::{AnyCategory, CategoryLink};
use crate::dto::products::{Child, GridRow, ProductFound, VariationRow};
use crate::dto::Int;
use crate::endpoints::{Ctx, Reply};
use crate::{envelope, LojaError};

const NOT_FOUND: &str = "Product not found";

/// `min` absent means basic (spec E02: the unlabelled example is basic).
fn wants_min(ctx: &Ctx) -> bool {
    ctx.params.flag("min").unwrap_or(true)
}

/// A main product with `parent: []` and its variations or grids as `children`.
async fn describe_product(
    conn: &mut Conn,
    scope: ShopScope,
    product: &Product,
    min: bool,
) -> Result<ProductFound, LojaError> {
    let children: Vec<Child> = match product.product_type {
        ProductType::Variation => conn
            .variations()
            .variations_of(scope, product.id)
            .await?
            .iter()
            .map(|v| Child::Variation(VariationRow::from(v)))
            .collect(),
        ProductType::Grid => conn
            .variations()
            .grids_of(scope, product.id)
            .await?
            .iter()
            .map(|g| Child::Grid(GridRow::from(g)))
            .collect(),
        ProductType::Simple => Vec::new(),
    };
    Ok(ProductFound::product(product, min, children))
}

/// Whatever `sku` names — product, variation or grid — in the E02 shape;
/// `None` when the store has no such SKU.
async fn describe_sku(
    conn: &mut Conn,
    scope: ShopScope,
    sku: &str,
    min: bool,
) -> Result<Option<ProductFound>, LojaError> {
    let Some(owner) = conn.products().sku_owner(scope, sku).await? else {
        return Ok(None);
    };
    let parent = conn.products().get(scope, owner.product_id).await?;
    let (name, unit) = match owner.kind {
        SkuKind::Product => return describe_product(conn, scope, &parent, min).await.map(Some),
        SkuKind::Variation => {
            let Some(v) = conn.variations().variation_by_sku(scope, sku).await? else {
                return Ok(None);
            };
            (
                format!("{} - {}", parent.fields.name, v.variety_name),
                v.unit,
            )
        }
        SkuKind::Grid => {
            let Some(g) = conn.variations().grid_by_sku(scope, sku).await? else {
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
    Ok(Some(ProductFound::unit(&parent, min, name, &unit)))
}

/// E02 `GET product/findbysku`: a product, variation or grid by SKU.
pub(crate) fn find_by_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let sku = ctx
            .params
            .text("sku")
            .ok_or_else(|| LojaError::not_found(NOT_FOUND))?;
        let mut conn = ctx.state.store.conn().await?;
        let found = describe_sku(&mut conn, ctx.scope, &sku, wants_min(&ctx)).await?;
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
        let scope = ctx.scope;
        let mut conn = ctx.state.store.conn().await?;
        if let Some(product) = conn.products().find_by_name(scope, &value).await? {
            let data = describe_product(&mut conn, ctx.scope, &product, min).await?;
            return Ok(envelope::ok(&data));
        }
        if from_sku {
            if let Some(data) = describe_sku(&mut conn, ctx.scope, &value, min).await? {
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
        let scope = ctx.scope;
        let mut conn = ctx.state.store.conn().await?;
        let id = conn
            .products()
            .find_id_by_sku(scope, &sku)
            .await?
            .ok_or_else(invalid)?;
        let links = conn.categories().links_of(scope, id).await?;
        let mut data = Vec::with_capacity(links.len());
        for link in links {
            let shaped = match link {
                CategoryRef::Category(id) => conn
                    .categories()
                    .get_category(scope, id)
                    .await
                    .optional()?
                    .map(|c| AnyCategory::Category((&c).into())),
                CategoryRef::Subcategory(id) => conn
                    .categories()
                    .get_subcategory(scope, id)
                    .await
                    .optional()?
                    .map(|c| AnyCategory::Subcategory((&c).into())),
            };
            // A link to a category that no longer exists is not shown.
            let Some(category_data) = shaped else {
                continue;
            };
            data.push(CategoryLink {
                category_id: Int(link.id()),
                category_data,
                category_type: link.kind().code(),
            });
        }
        Ok(envelope::ok(&data))
    })
}
