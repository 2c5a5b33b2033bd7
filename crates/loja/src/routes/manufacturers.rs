//! Manufacturers (ecommloja-api.md §3.5, E38–E45).

use vitrine_core::catalog::{parse_int, slug};
use vitrine_core::ids::ManufacturerId;
use vitrine_store::manufacturers::ManufacturerFields;
use vitrine_store::Optional;

use crate::dto::catalog::{ManufacturerOrAll, ManufacturerOut};
use crate::endpoints::{Ctx, Reply};
use crate::error::OrMissing;
use crate::params::Params;
use crate::{envelope, LojaError};

const NOT_FOUND: &str = "Manufacturer not found";

/// Overlays the sent text fields on `f` (`keywords` is stored as `meta_keys`).
fn apply_texts(params: &Params, f: &mut ManufacturerFields) {
    for (name, field) in [
        ("url", &mut f.url),
        ("code", &mut f.code),
        ("description", &mut f.description),
        ("meta_title", &mut f.meta_title),
        ("meta_description", &mut f.meta_description),
        ("keywords", &mut f.meta_keys),
    ] {
        if let Some(value) = params.text(name) {
            *field = value;
        }
    }
}

/// E38 `POST /manufacturer/insert` — 201; 400 "Invalid Name" for a missing
/// or duplicate name.
pub(crate) fn insert(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let invalid = || LojaError::bad_request("Invalid Name");
        let name = ctx.params.text("name").ok_or_else(invalid)?;
        let mut fields = ManufacturerFields {
            url: slug(&name),
            name,
            status: true,
            ..ManufacturerFields::default()
        };
        apply_texts(&ctx.params, &mut fields);
        let scope = ctx.scope;
        let mut tx = ctx.state.store.begin().await?;
        match tx.manufacturers().insert(scope, &fields).await {
            Err(vitrine_store::Error::Conflict { .. }) => return Err(invalid()),
            other => other?,
        };
        tx.commit().await?;
        Ok(envelope::created())
    })
}

/// E39 `GET /manufacturer/deleteByName` — products lose the reference.
pub(crate) fn delete_by_name(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let not_found = || LojaError::not_found(NOT_FOUND);
        let name = ctx.params.text("name").ok_or_else(not_found)?;
        let scope = ctx.scope;
        let mut tx = ctx.state.store.begin().await?;
        let found = tx
            .manufacturers()
            .find_by_name(scope, &name)
            .await?
            .ok_or_else(not_found)?;
        tx.manufacturers().delete(scope, found.id).await?;
        tx.commit().await?;
        Ok(envelope::done())
    })
}

/// E40 ≡ E42 `GET /manufacturer/findByName` — one object by name, or every
/// manufacturer when no name is sent.
pub(crate) fn find_by_name(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let not_found = || LojaError::not_found(NOT_FOUND);
        let scope = ctx.scope;
        let mut conn = ctx.state.store.conn().await?;
        match ctx.params.text("name") {
            Some(name) => {
                let found = conn
                    .manufacturers()
                    .find_by_name(scope, &name)
                    .await?
                    .ok_or_else(not_found)?;
                Ok(envelope::ok(&ManufacturerOrAll::One((&found).into())))
            }
            None => {
                let all = conn.manufacturers().list(scope).await?;
                if all.is_empty() {
                    return Err(not_found());
                }
                Ok(envelope::ok(&ManufacturerOrAll::All(
                    all.iter().map(ManufacturerOut::from).collect(),
                )))
            }
        }
    })
}

/// E41 `GET /manufacturer/list`.
pub(crate) fn list(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let mut conn = ctx.state.store.conn().await?;
        let all = conn.manufacturers().list(ctx.scope).await?;
        if all.is_empty() {
            return Err(LojaError::not_found("Manufacturers not found"));
        }
        Ok(envelope::ok(
            &all.iter().map(ManufacturerOut::from).collect::<Vec<_>>(),
        ))
    })
}

/// E43 `POST /manufacturer/update` — found by `name` (or by `id` /
/// `manufacturer_id`, which makes `name` the new name); every failure is
/// the documented 500 with empty errors.
pub(crate) fn update(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let name = ctx.params.text("name").ok_or(LojaError::Failed)?;
        let id = ctx
            .params
            .text("id")
            .or_else(|| ctx.params.text("manufacturer_id"))
            .map(|raw| parse_int(&raw).map(ManufacturerId).ok_or(LojaError::Failed))
            .transpose()?;
        let scope = ctx.scope;
        let mut tx = ctx.state.store.begin().await?;
        let found = match id {
            Some(id) => tx.manufacturers().get(scope, id).await.optional()?,
            None => tx.manufacturers().find_by_name(scope, &name).await?,
        }
        .ok_or(LojaError::Failed)?;
        let mut fields = found.fields.clone();
        fields.name = name;
        apply_texts(&ctx.params, &mut fields);
        match tx.manufacturers().update(scope, found.id, &fields).await {
            Err(vitrine_store::Error::Conflict { .. } | vitrine_store::Error::NotFound) => {
                return Err(LojaError::Failed)
            }
            other => other?,
        };
        tx.commit().await?;
        Ok(envelope::done())
    })
}

/// E44 `POST /manufacturer/linkProduct` — every failure is the documented 500.
pub(crate) fn link_product(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let sku = ctx.params.text("product_sku").ok_or(LojaError::Failed)?;
        let id = ctx
            .params
            .int("manufacturer_id")
            .map(ManufacturerId)
            .ok_or(LojaError::Failed)?;
        let scope = ctx.scope;
        let mut tx = ctx.state.store.begin().await?;
        let product = tx
            .products()
            .find_id_by_sku(scope, &sku)
            .await?
            .ok_or(LojaError::Failed)?;
        tx.manufacturers()
            .get(scope, id)
            .await
            .or_missing(|| LojaError::Failed)?;
        tx.products()
            .set_manufacturer(scope, product, Some(id))
            .await?;
        tx.commit().await?;
        Ok(envelope::done())
    })
}

/// E45 `POST /manufacturer/unlinkproduct`.
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
        tx.products().set_manufacturer(scope, product, None).await?;
        tx.commit().await?;
        Ok(envelope::done())
    })
}
