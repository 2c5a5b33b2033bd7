//! Lookups by a variation's or grid's own SKU: E16
//! `findvarietyandparentbyvariety`, E17 `findgridandparentbygrid`, E18/E19
//! `constructUrlVariety`.

use super::unit_url;
use crate::dto::products::{GridAndParent, GridDetail, VariationAndParent, VariationDetail};
use crate::endpoints::{Ctx, Reply};
use crate::{envelope, LojaError};

/// E16 `GET product/findvarietyandparentbyvariety`.
pub(crate) fn find_variety_and_parent(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let not_found = || LojaError::not_found("Variety not found");
        let sku = ctx.params.text("variety_sku").ok_or_else(not_found)?;
        let mut conn = ctx.state.store.conn().await?;
        let v = conn
            .variations()
            .variation_by_sku(ctx.scope, &sku)
            .await?
            .ok_or_else(not_found)?;
        let data = VariationAndParent {
            variety: VariationDetail::new(&ctx.image_urls(), &v),
            parent_sku: v.parent_sku.clone(),
        };
        Ok(envelope::ok(&data))
    })
}

/// E17 `GET product/findgridandparentbygrid`.
pub(crate) fn find_grid_and_parent(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let not_found = || LojaError::not_found("Grid not found!");
        let sku = ctx.params.text("grid_sku").ok_or_else(not_found)?;
        let mut conn = ctx.state.store.conn().await?;
        let g = conn
            .variations()
            .grid_by_sku(ctx.scope, &sku)
            .await?
            .ok_or_else(not_found)?;
        let data = GridAndParent {
            grid: GridDetail::new(&ctx.image_urls(), &g),
            parent_sku: g.parent_sku.clone(),
        };
        Ok(envelope::ok(&data))
    })
}

/// E18/E19 `GET product/constructUrlVariety`: `<parent url>-<unit sku>`
/// for `variety_sku`, else for `grid_sku`.
pub(crate) fn construct_url_variety(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let mut conn = ctx.state.store.conn().await?;
        let (product_id, sku) = if let Some(sku) = ctx.params.text("variety_sku") {
            let v = conn.variations().variation_by_sku(scope, &sku).await?;
            let v = v.ok_or_else(|| LojaError::not_found("Variety not found!"))?;
            (v.product_id, sku)
        } else if let Some(sku) = ctx.params.text("grid_sku") {
            let g = conn.variations().grid_by_sku(scope, &sku).await?;
            let g = g.ok_or_else(|| LojaError::not_found("Grid not found!"))?;
            (g.product_id, sku)
        } else {
            return Err(LojaError::not_found("Variety not found!"));
        };
        let parent = conn.products().get(scope, product_id).await?;
        Ok(envelope::ok(&unit_url(&parent.fields.url, &sku)))
    })
}
