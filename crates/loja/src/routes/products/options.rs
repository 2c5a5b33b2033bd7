//! The store's global varieties and grids: E05 `findvariety`, E07
//! `findgrid`, and the extension endpoints that create them
//! (`product/insertvariety`, `product/insertgrid`; docs/loja-extensions.md),
//! since the doc can read them but not create them (G-01).

use vitrine_core::media::ImageKind;
use vitrine_store::varieties::NewVariety;

use crate::dto::products::{GridOut, VarietyOut};
use crate::dto::{Int, NewId};
use crate::endpoints::{Ctx, Reply};
use crate::routes::images::{discard, incoming, save_variety_image};
use crate::{envelope, LojaError};

/// E05 `GET product/findvariety`: SH-Variety rows whose name contains `name`.
pub(crate) fn find_variety(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let term = ctx.params.text("name");
        let urls = ctx.image_urls();
        let mut conn = ctx.state.store.conn().await?;
        let rows = conn
            .varieties()
            .search_varieties(ctx.scope, term.as_deref())
            .await?;
        if rows.is_empty() {
            return Err(LojaError::not_found("Varieties not found."));
        }
        let data: Vec<VarietyOut> = rows.iter().map(|v| VarietyOut::new(&urls, v)).collect();
        Ok(envelope::ok(&data))
    })
}

/// E07 `GET product/findgrid`: SH-Grid rows whose name contains `name`.
pub(crate) fn find_grid(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let term = ctx.params.text("name");
        let mut conn = ctx.state.store.conn().await?;
        let rows = conn
            .varieties()
            .search_grids(ctx.scope, term.as_deref())
            .await?;
        if rows.is_empty() {
            return Err(LojaError::not_found("Grids not found."));
        }
        let data: Vec<GridOut> = rows.iter().map(GridOut::from).collect();
        Ok(envelope::ok(&data))
    })
}

/// `201 {"success": true, "errors": [], "data": {"id": "<id>"}}`: the
/// extensions return the new id so a client can reference it.
pub(crate) fn created_with_id(id: impl Into<Int>) -> axum::response::Response {
    envelope::created_with(&NewId { id: id.into() })
}

/// A variety's `image`: an upload (multipart file, data-URI or base64,
/// checked by its bytes like product images) is stored in the store's
/// variation folder, where E01 shows it; an http(s) URL is kept as is; a
/// plain file name (no folder) is kept too, naming a file of that folder.
async fn variety_image(ctx: &Ctx) -> Result<String, LojaError> {
    let plain_name = |t: &str| !t.contains(['/', '\\']) && !t.chars().any(char::is_control);
    match ctx.params.text("image") {
        None if ctx.params.file("image").is_none() => Ok(String::new()),
        Some(text) if plain_name(&text) && ImageKind::from_extension(&text).is_some() => Ok(text),
        _ => save_variety_image(&ctx.state, ctx.scope.store, incoming(ctx, "image")?).await,
    }
}

/// Extension `POST product/insertvariety`: a global variety (`name`
/// required; `image` ([`variety_image`]), `color1`, `color2`, `icon_type`
/// 0–3, `sort`, `status`).
pub(crate) fn insert_variety(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let p = &ctx.params;
        let name = p
            .text("name")
            .ok_or_else(|| LojaError::bad_request("Invalid Name"))?;
        let icon_type = p.int("icon_type").unwrap_or(0);
        if !(0..=3).contains(&icon_type) {
            return Err(LojaError::bad_request("Invalid icon_type"));
        }
        let image = variety_image(&ctx).await?;
        let new = NewVariety {
            name,
            image: image.clone(),
            color1: p.text("color1").unwrap_or_default(),
            color2: p.text("color2").unwrap_or_default(),
            icon_type: i16::try_from(icon_type).unwrap_or(0),
            sort: p.int("sort").unwrap_or(0),
            status: p.flag("status").unwrap_or(false),
        };
        let written = async {
            let mut tx = ctx.state.store.begin().await?;
            let v = tx.varieties().insert_variety(ctx.scope, &new).await?;
            tx.commit().await?;
            Ok::<_, LojaError>(v.id)
        }
        .await;
        match written {
            Ok(id) => Ok(created_with_id(id)),
            Err(e) => {
                // Nothing points at an uploaded file: do not leave it behind.
                discard(&ctx.state, &image).await;
                Err(e)
            }
        }
    })
}

/// Extension `POST product/insertgrid`: a global grid (`name` required;
/// `sort`, `status`).
pub(crate) fn insert_grid(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let p = &ctx.params;
        let name = p
            .text("name")
            .ok_or_else(|| LojaError::bad_request("Invalid Name"))?;
        let mut tx = ctx.state.store.begin().await?;
        let g = tx
            .varieties()
            .insert_grid(
                ctx.scope,
                &name,
                p.int("sort").unwrap_or(0),
                p.flag("status").unwrap_or(false),
            )
            .await?;
        tx.commit().await?;
        Ok(created_with_id(g.id))
    })
}
