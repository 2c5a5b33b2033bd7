//! Product images (ecommloja-api.md §3.2, E25–E28). Files go to the media
//! store under `<store id>/produtos_imagens/[produtos_variacao/|produtos_grade/]`,
//! are stored as `media/<that key>` and shown as the URL `GET /media/…`
//! serves them at ([`ImageUrls`]).

use axum::response::Response;
use base64::Engine as _;
use bytes::Bytes;
use chrono::Utc;
use vitrine_core::ids::{ImageId, ProductId, StoreId};
use vitrine_core::media::{random_digits, stored_name, ImageKind, MAX_IMAGE_BYTES};
use vitrine_store::images::{NewImage, Unit};
use vitrine_store::products::SkuKind;

use crate::dto::media::ImageOut;
use crate::endpoints::{Ctx, Reply};
use crate::{envelope, LojaError, LojaState};

/// The prefix of every stored media path (and of its URL).
const MEDIA: &str = "media/";

use crate::wire::variation_folder;

fn product_not_found() -> LojaError {
    LojaError::not_found("Product not found")
}

fn image_not_found() -> LojaError {
    LojaError::not_found("Image not found")
}

fn unit_of(kind: SkuKind) -> Option<Unit> {
    match kind {
        SkuKind::Product => None,
        SkuKind::Variation => Some(Unit::Variation),
        SkuKind::Grid => Some(Unit::Grid),
    }
}

/// E25 `GET /image/findbyproductsku` — a product's gallery, or a variation's
/// or grid's single image as a one-element array.
pub(crate) fn find_by_product_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let sku = ctx
            .params
            .text("product_sku")
            .ok_or_else(product_not_found)?;
        let scope = ctx.scope;
        let urls = ctx.image_urls();
        let mut conn = ctx.state.store.conn().await?;
        let owner = conn
            .products()
            .sku_owner(scope, &sku)
            .await?
            .ok_or_else(product_not_found)?;
        let data: Vec<ImageOut> = match unit_of(owner.kind) {
            None => {
                let images = conn.images().for_product(scope, owner.product_id).await?;
                images.iter().map(|i| ImageOut::new(&urls, i)).collect()
            }
            Some(unit) => {
                let slot = conn
                    .images()
                    .unit_by_sku(scope, unit, &sku)
                    .await?
                    .ok_or_else(product_not_found)?;
                if slot.image.is_empty() {
                    Vec::new()
                } else {
                    vec![ImageOut::of_unit(&urls, &slot)]
                }
            }
        };
        Ok(envelope::ok(&data))
    })
}

/// What was uploaded: bytes to store, or a URL kept verbatim.
pub(crate) enum Incoming {
    File {
        bytes: Bytes,
        kind: ImageKind,
        original: String,
    },
    Url(String),
}

/// Reads the image parameter `field`: a multipart file, a data-URI or
/// base64 string, or an http(s) URL kept as is (spec §3.2, E26). Files are
/// checked by their bytes, never by their name or declared type.
pub(crate) fn incoming(ctx: &Ctx, field: &str) -> Result<Incoming, LojaError> {
    let invalid = || LojaError::bad_request("Invalid image");
    let (bytes, original) = if let Some(file) = ctx.params.file(field) {
        (
            file.bytes.clone(),
            file.file_name.clone().unwrap_or_default(),
        )
    } else {
        let text = ctx.params.text(field).ok_or_else(invalid)?;
        if text.starts_with("http://") || text.starts_with("https://") {
            // Kept as a link the shop renders: the one URL rule of both
            // APIs and the panel (a host, no spaces or quotes).
            return vitrine_core::text::http_url(field, &text)
                .map(Incoming::Url)
                .map_err(|_| invalid());
        }
        let encoded = match text.strip_prefix("data:") {
            Some(rest) => rest
                .split_once(',')
                .map(|(_, b64)| b64)
                .ok_or_else(invalid)?,
            None => text.as_str(),
        };
        let decoded = base64::engine::general_purpose::STANDARD
            .decode(encoded.trim())
            .map_err(|_| invalid())?;
        (Bytes::from(decoded), String::new())
    };
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err(LojaError::PayloadTooLarge);
    }
    let kind = ImageKind::sniff(&bytes).ok_or_else(invalid)?;
    Ok(Incoming::File {
        bytes,
        kind,
        original,
    })
}

/// The media key of a stored path (`None` for URLs kept verbatim).
fn media_key(path: &str) -> Option<&str> {
    path.strip_prefix(MEDIA)
}

/// Stores an incoming image under the store's folder; returns the path to show.
async fn save(
    state: &LojaState,
    store: StoreId,
    unit: Option<Unit>,
    incoming: Incoming,
) -> Result<String, LojaError> {
    let folder = match unit {
        None => format!("{store}/produtos_imagens/"),
        Some(Unit::Variation) => variation_folder(store),
        Some(Unit::Grid) => format!("{store}/produtos_imagens/produtos_grade/"),
    };
    save_in(state, &folder, incoming).await
}

/// Stores a global variety's image (an upload) in the store's variation
/// folder, where E01 shows it; returns the path to keep.
pub(crate) async fn save_variety_image(
    state: &LojaState,
    store: StoreId,
    incoming: Incoming,
) -> Result<String, LojaError> {
    save_in(state, &variation_folder(store), incoming).await
}

/// Stores an incoming image under the media folder `folder` (ending in
/// `/`); returns the path to show (`media/<key>`, or the URL kept as is).
pub(crate) async fn save_in(
    state: &LojaState,
    folder: &str,
    incoming: Incoming,
) -> Result<String, LojaError> {
    match incoming {
        Incoming::Url(url) => Ok(url),
        Incoming::File {
            bytes,
            kind,
            original,
        } => {
            let name = stored_name(&original, kind, Utc::now().timestamp(), &random_digits(10));
            let key = format!("{folder}{name}");
            state
                .media
                .put(&key, bytes)
                .await
                .map_err(|e| LojaError::Internal(Box::new(e)))?;
            Ok(format!("{MEDIA}{key}"))
        }
    }
}

/// Deletes a stored file; a failure is logged, never surfaced (the row is gone).
pub(crate) async fn discard(state: &LojaState, path: &str) {
    if let Some(key) = media_key(path) {
        if let Err(e) = state.media.delete(key).await {
            tracing::warn!(error = ?e, "could not delete an image file");
        }
    }
}

/// E26 `POST /image/insertbyproductsku` — appends to a product's gallery, or
/// replaces a variation's or grid's single image. 200 with `data: []`.
pub(crate) fn insert_by_product_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let sku = ctx
            .params
            .text("product_sku")
            .ok_or_else(product_not_found)?;
        let scope = ctx.scope;
        let owner = {
            let mut conn = ctx.state.store.conn().await?;
            conn.products()
                .sku_owner(scope, &sku)
                .await?
                .ok_or_else(product_not_found)?
        };
        let incoming = incoming(&ctx, "image")?;
        let unit = unit_of(owner.kind);
        let path = save(&ctx.state, scope.store, unit, incoming).await?;
        let written = write_image(&ctx, owner.product_id, unit, &sku, &path).await;
        match written {
            Ok(replaced) => {
                if let Some(old) = replaced.filter(|old| !old.is_empty() && *old != path) {
                    discard(&ctx.state, &old).await;
                }
                Ok(envelope::done())
            }
            Err(e) => {
                // Nothing points at the new file: do not leave it behind.
                discard(&ctx.state, &path).await;
                Err(e)
            }
        }
    })
}

/// Records the image; returns the unit's previous image when one was replaced.
async fn write_image(
    ctx: &Ctx,
    product_id: ProductId,
    unit: Option<Unit>,
    sku: &str,
    path: &str,
) -> Result<Option<String>, LojaError> {
    let scope = ctx.scope;
    let mut tx = ctx.state.store.begin().await?;
    let replaced = match unit {
        None => {
            let file_name = path.rsplit('/').next().unwrap_or(path).to_owned();
            let new = NewImage {
                label: ctx.params.text("subtitle").unwrap_or_default(),
                image: path.to_owned(),
                file_name,
                main: ctx.params.flag("main").unwrap_or(false),
                hover: ctx.params.flag("hover").unwrap_or(false),
                sort: ctx.params.int("sort").unwrap_or(0),
                status: ctx.params.flag("status").unwrap_or(false),
            };
            tx.images().insert(scope, product_id, &new).await?;
            None
        }
        Some(unit) => {
            let slot = tx
                .images()
                .unit_by_sku(scope, unit, sku)
                .await?
                .ok_or_else(product_not_found)?;
            tx.images().set_unit(scope, slot.key, path).await?;
            Some(slot.image)
        }
    };
    tx.commit().await?;
    Ok(replaced)
}

/// E27 `POST /image/deleteByProductSku` — image `id` of a product, or the
/// single image of a variation or grid; the file goes too.
pub(crate) fn delete_by_product_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let sku = ctx
            .params
            .text("product_sku")
            .ok_or_else(product_not_found)?;
        let scope = ctx.scope;
        let mut tx = ctx.state.store.begin().await?;
        let owner = tx
            .products()
            .sku_owner(scope, &sku)
            .await?
            .ok_or_else(product_not_found)?;
        let removed = match unit_of(owner.kind) {
            None => {
                let id = ctx
                    .params
                    .int("id")
                    .filter(|id| *id > 0)
                    .map(ImageId)
                    .ok_or_else(image_not_found)?;
                match tx.images().delete(scope, owner.product_id, id).await {
                    Err(vitrine_store::Error::NotFound) => return Err(image_not_found()),
                    other => other?.image,
                }
            }
            Some(unit) => {
                let slot = tx
                    .images()
                    .unit_by_sku(scope, unit, &sku)
                    .await?
                    .ok_or_else(product_not_found)?;
                if slot.image.is_empty() {
                    return Err(image_not_found());
                }
                tx.images().set_unit(scope, slot.key, "").await?;
                slot.image
            }
        };
        tx.commit().await?;
        discard(&ctx.state, &removed).await;
        Ok(envelope::done())
    })
}

/// E28 `POST /image/deleteImageByName` — by file name (or full path) and
/// `image_type` 1 (product), 2 (variation) or 3 (grid).
pub(crate) fn delete_image_by_name(ctx: Ctx) -> Reply {
    Box::pin(async move { delete_by_name(ctx).await })
}

async fn delete_by_name(ctx: Ctx) -> Result<Response, LojaError> {
    let name = ctx.params.text("image_name").unwrap_or_default();
    let not_found = || LojaError::not_found(format!("Image not found. Image Name: {name}"));
    if name.is_empty() {
        return Err(not_found());
    }
    let scope = ctx.scope;
    let mut tx = ctx.state.store.begin().await?;
    let removed: Vec<String> = match ctx.params.int("image_type") {
        Some(1) => tx
            .images()
            .delete_by_name(scope, &name)
            .await?
            .into_iter()
            .map(|i| i.image)
            .collect(),
        Some(code @ (2 | 3)) => {
            let unit = if code == 2 {
                Unit::Variation
            } else {
                Unit::Grid
            };
            let slots = tx.images().units_by_image(scope, unit, &name).await?;
            for slot in &slots {
                tx.images().set_unit(scope, slot.key, "").await?;
            }
            slots.into_iter().map(|s| s.image).collect()
        }
        _ => Vec::new(),
    };
    if removed.is_empty() {
        return Err(not_found());
    }
    tx.commit().await?;
    for path in &removed {
        discard(&ctx.state, path).await;
    }
    Ok(envelope::done())
}
