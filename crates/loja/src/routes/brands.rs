//! Brands (ecommloja-api.md §3.6, E46–E53).

use axum::http::StatusCode;
use vitrine_core::catalog::slug;
use vitrine_core::ids::BrandId;
use vitrine_store::brands::BrandFields;

use crate::dto::catalog::{BrandOrAll, BrandOut};
use crate::endpoints::{Ctx, Reply};
use crate::error::OrMissing;
use crate::params::Params;
use crate::{envelope, LojaError};

const NOT_FOUND: &str = "Brand not found";

fn not_found() -> LojaError {
    LojaError::not_found(NOT_FOUND)
}

/// Overlays what was sent on `f`; unparseable optional values are skipped
/// (§1.3). `sort_key` is `sort` on insert and `order` on update (E53).
fn apply(params: &Params, f: &mut BrandFields, sort_key: &str) {
    for (name, field) in [
        ("name", &mut f.name),
        ("url", &mut f.url),
        ("description", &mut f.description),
        ("meta_description", &mut f.meta_description),
        ("meta_title", &mut f.meta_title),
        ("meta_keys", &mut f.meta_keys),
        ("image", &mut f.image),
        ("menu_icon", &mut f.menu_icon),
        ("desktop_image", &mut f.desktop_image),
        ("mobile_image", &mut f.mobile_image),
    ] {
        if let Some(value) = params.text(name) {
            *field = value;
        }
    }
    if let Some(sort) = params.int(sort_key) {
        f.sort = sort;
    }
    if let Some(v) = params.flag("view_menu") {
        f.view_menu = v;
    }
    if let Some(v) = params.flag("status") {
        f.status = v;
    }
}

/// E46 `GET /brand/deletebyid` — products lose the reference.
pub(crate) fn delete_by_id(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let id = ctx.params.int("id").map(BrandId).ok_or_else(not_found)?;
        let mut tx = ctx.state.store.begin().await?;
        if tx.brands().delete(ctx.scope, &[id]).await? == 0 {
            return Err(not_found());
        }
        tx.commit().await?;
        Ok(envelope::done())
    })
}

/// E47 `GET /brand/deletebyname` — deletes every brand with that name.
pub(crate) fn delete_by_name(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let name = ctx.params.text("name").ok_or_else(not_found)?;
        let scope = ctx.scope;
        let mut tx = ctx.state.store.begin().await?;
        let ids: Vec<BrandId> = tx
            .brands()
            .find_by_name(scope, &name)
            .await?
            .iter()
            .map(|b| b.id)
            .collect();
        if ids.is_empty() {
            return Err(not_found());
        }
        tx.brands().delete(scope, &ids).await?;
        tx.commit().await?;
        Ok(envelope::done())
    })
}

/// E48 `POST /brand/insert` — 200 (not 201); a missing name answers the
/// doc's only failure: 404 with `errors` as the bare string "brand not found".
pub(crate) fn insert(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let Some(name) = ctx.params.text("name") else {
            return Err(LojaError::objects(
                StatusCode::NOT_FOUND,
                &"brand not found",
            ));
        };
        let mut fields = BrandFields {
            url: slug(&name),
            name,
            status: true,
            ..BrandFields::default()
        };
        apply(&ctx.params, &mut fields, "sort");
        let mut tx = ctx.state.store.begin().await?;
        tx.brands().insert(ctx.scope, &fields).await?;
        tx.commit().await?;
        Ok(envelope::done())
    })
}

/// E49 `GET /brand/findbyid` — one object.
pub(crate) fn find_by_id(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let id = ctx.params.int("id").map(BrandId).ok_or_else(not_found)?;
        let mut conn = ctx.state.store.conn().await?;
        let brand = conn
            .brands()
            .get(ctx.scope, id)
            .await
            .or_missing(not_found)?;
        Ok(envelope::ok(&BrandOut::from(&brand)))
    })
}

/// E50 `GET /brand/findbyname` — the first brand with that name, or every
/// brand (an array) when no name is sent.
pub(crate) fn find_by_name(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let mut conn = ctx.state.store.conn().await?;
        match ctx.params.text("name") {
            Some(name) => {
                let found = conn.brands().find_by_name(scope, &name).await?;
                let first = found.first().ok_or_else(not_found)?;
                Ok(envelope::ok(&BrandOrAll::One(first.into())))
            }
            None => {
                let all = conn.brands().list(scope).await?;
                if all.is_empty() {
                    return Err(not_found());
                }
                Ok(envelope::ok(&BrandOrAll::All(
                    all.iter().map(BrandOut::from).collect(),
                )))
            }
        }
    })
}

/// E51 `POST /brand/linkProduct` — every failure is the documented 500.
pub(crate) fn link_product(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let sku = ctx.params.text("product_sku").ok_or(LojaError::Failed)?;
        let id = ctx
            .params
            .int("brand_id")
            .map(BrandId)
            .ok_or(LojaError::Failed)?;
        let scope = ctx.scope;
        let mut tx = ctx.state.store.begin().await?;
        let product = tx
            .products()
            .find_id_by_sku(scope, &sku)
            .await?
            .ok_or(LojaError::Failed)?;
        tx.brands()
            .get(scope, id)
            .await
            .or_missing(|| LojaError::Failed)?;
        tx.products().set_brand(scope, product, Some(id)).await?;
        tx.commit().await?;
        Ok(envelope::done())
    })
}

/// E52 `POST /brand/unlinkproduct`.
pub(crate) fn unlink_product(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let sku = ctx.params.text("product_sku").ok_or(LojaError::Failed)?;
        let scope = ctx.scope;
        let mut tx = ctx.state.store.begin().await?;
        let product = tx
            .products()
            .find_id_by_sku(scope, &sku)
            .await?
            .ok_or(LojaError::Failed)?;
        tx.products().set_brand(scope, product, None).await?;
        tx.commit().await?;
        Ok(envelope::done())
    })
}

/// E53 `POST /Brand/update` — only the fields sent change; `brand_id` from
/// the body, falling back to the query string; `order` maps to `sort`.
pub(crate) fn update(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let id = ctx
            .params
            .int("brand_id")
            .map(BrandId)
            .ok_or_else(not_found)?;
        let scope = ctx.scope;
        let mut tx = ctx.state.store.begin().await?;
        let brand = tx.brands().get(scope, id).await.or_missing(not_found)?;
        let mut fields = brand.fields.clone();
        apply(&ctx.params, &mut fields, "order");
        tx.brands().update(scope, id, &fields).await?;
        tx.commit().await?;
        Ok(envelope::done())
    })
}
