//! Lookups by a variation's or grid's own SKU: E16
//! `findvarietyandparentbyvariety`, E17 `findgridandparentbygrid`, E18/E19
//! `constructUrlVariety`.

use serde_json::{Map, Value};
use vitrine_core::catalog::{format_money, format_money_short, format_weight};
use vitrine_store::variations::UnitFields;

use super::{flag, s, unit_url};
use crate::endpoints::{Ctx, Reply};
use crate::routes::images::ImageUrls;
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
        let u = &v.unit;
        let mut m = Map::new();
        m.insert("id".into(), s(v.id));
        m.insert("name".into(), s(&v.variety_name));
        m.insert("price".into(), s(format_money_short(u.price)));
        m.insert(
            "promotional_price".into(),
            s(format_money(u.promotional_price)),
        );
        m.insert("image".into(), s(ImageUrls::of(&ctx).url(&v.image)));
        unit_tail(&mut m, u);
        let mut data = Map::new();
        data.insert("variety".into(), Value::Object(m));
        data.insert("parent_sku".into(), s(&v.parent_sku));
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
        let u = &g.unit;
        let mut m = Map::new();
        m.insert("id".into(), s(g.id));
        m.insert("variety_name".into(), s(&g.variety_name));
        m.insert("grid_name".into(), s(&g.grid_name));
        m.insert("price".into(), s(format_money(u.price)));
        m.insert(
            "promotional_price".into(),
            s(format_money(u.promotional_price)),
        );
        m.insert("image".into(), s(ImageUrls::of(&ctx).url(&g.image)));
        unit_tail(&mut m, u);
        let mut data = Map::new();
        data.insert("grid".into(), Value::Object(m));
        data.insert("parent_sku".into(), s(&g.parent_sku));
        Ok(envelope::ok(&data))
    })
}

fn unit_tail(m: &mut Map<String, Value>, u: &UnitFields) {
    m.insert("stock".into(), s(u.stock));
    m.insert("weight".into(), s(format_weight(u.weight)));
    m.insert("height".into(), s(u.height));
    m.insert("length".into(), s(u.length));
    m.insert("width".into(), s(u.width));
    m.insert("status".into(), flag(u.status));
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
