//! Banners (ecommloja-api.md §3.9): E62 `banner/findBannerByFilter` and
//! the upload extension `banner/insert` (docs/loja-extensions.md). Images
//! go through the same media store, checks and paths as product images,
//! under `<store id>/banners/`.

use axum::response::Response;
use vitrine_core::catalog::local_datetime;
use vitrine_store::banners::{BannerFields, BannerFilter, Device};

use super::images::{discard, incoming, save_in, Incoming};
use super::products::options::created_with_id;
use crate::dto::media::BannerOut;
use crate::endpoints::{Ctx, Reply};
use crate::{envelope, wire, LojaError};

/// The end date of a banner sent without one (the doc's example).
const FOREVER: &str = "3000-12-31 23:59:59";

/// A date filter as store-local text: a date alone is its start of day
/// (`end`: its last second).
fn date_filter(raw: Option<String>, end: bool) -> Option<String> {
    let raw = raw?;
    let trimmed = raw.trim();
    let at = local_datetime(trimmed)?;
    if end && trimmed.len() == 10 {
        return Some(format!("{trimmed} 23:59:59"));
    }
    Some(at)
}

/// E62 `GET banner/findBannerByFilter` (`date_start`, `date_end`,
/// `status`, `device` SM/M/SD/D): an array, by sort then id; with no
/// filter the last 6 active banners. None: 404 `"Banner not found"`.
pub(crate) fn find_banner_by_filter(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let p = &ctx.params;
        let device = match p
            .text("device")
            .as_deref()
            .map(str::to_ascii_uppercase)
            .as_deref()
        {
            Some("SM") => Some(Device::MobileOnly),
            Some("M") => Some(Device::Mobile),
            Some("SD") => Some(Device::DesktopOnly),
            Some("D") => Some(Device::Desktop),
            _ => None,
        };
        let filter = BannerFilter {
            start_from: date_filter(p.text("date_start"), false),
            end_until: date_filter(p.text("date_end"), true),
            status: p.flag("status"),
            device,
        };
        let mut conn = ctx.state.store.conn().await?;
        let banners = conn.banners().find(ctx.scope, &filter).await?;
        if banners.is_empty() {
            return Err(LojaError::not_found("Banner not found"));
        }
        let urls = ctx.image_urls();
        Ok(envelope::ok(
            &banners
                .iter()
                .map(|b| BannerOut::new(&urls, b))
                .collect::<Vec<_>>(),
        ))
    })
}

/// The file name and extension (with its dot) of a stored path.
fn name_and_extension(path: &str) -> (String, String) {
    let name = path.rsplit('/').next().unwrap_or(path).to_owned();
    let extension = name
        .rfind('.')
        .map(|i| name[i..].to_owned())
        .unwrap_or_default();
    (name, extension)
}

/// Extension `POST banner/insert` (multipart or base64): `image`
/// (desktop) and/or `mobile_image`, `link`, `subtitle`, `type` (1),
/// `main`, `sort`, `date_start` (now), `date_end` (3000-12-31 23:59:59),
/// `search_category_flag`, `status` (0). 201 with the new `id`.
pub(crate) fn insert_banner(ctx: Ctx) -> Reply {
    Box::pin(async move { insert(ctx).await })
}

fn optional_image(ctx: &Ctx, field: &str) -> Result<Option<Incoming>, LojaError> {
    if ctx.params.file(field).is_none() && ctx.params.text(field).is_none() {
        return Ok(None);
    }
    incoming(ctx, field).map(Some)
}

async fn insert(ctx: Ctx) -> Result<Response, LojaError> {
    let desktop = optional_image(&ctx, "image")?;
    let mobile = optional_image(&ctx, "mobile_image")?;
    if desktop.is_none() && mobile.is_none() {
        return Err(LojaError::bad_request("Invalid image"));
    }
    let p = &ctx.params;
    let date_start = match p.text("date_start") {
        Some(raw) => local_datetime(&raw).ok_or_else(|| LojaError::bad_request("Invalid date"))?,
        None => wire::datetime(chrono::Utc::now()),
    };
    let date_end = match p.text("date_end") {
        Some(raw) => local_datetime(&raw).ok_or_else(|| LojaError::bad_request("Invalid date"))?,
        None => FOREVER.to_owned(),
    };
    // The link is rendered by the storefront: only http(s), never
    // `javascript:` (the one URL rule of both APIs and the panel).
    let link = match p.text("link") {
        Some(raw) => vitrine_core::text::http_url("link", &raw)
            .map_err(|_| LojaError::bad_request("Invalid link"))?,
        None => String::new(),
    };
    let folder = format!("{}/banners/", ctx.scope.store);
    let mut saved = Vec::new();
    let mut fields = BannerFields {
        link,
        subtitle: p.text("subtitle").unwrap_or_default(),
        banner_type: p.int("type").unwrap_or(1),
        main: p.flag("main").unwrap_or(false),
        sort: p.int("sort").unwrap_or(0),
        date_start,
        date_end,
        search_category_flag: p.flag("search_category_flag").unwrap_or(false),
        status: p.flag("status").unwrap_or(false),
        ..BannerFields::default()
    };
    if let Some(img) = desktop {
        let path = save_in(&ctx.state, &folder, img).await?;
        (fields.name, fields.extension) = name_and_extension(&path);
        fields.desktop_path.clone_from(&path);
        saved.push(path);
    }
    if let Some(img) = mobile {
        let path = match save_in(&ctx.state, &folder, img).await {
            Ok(path) => path,
            Err(e) => {
                for path in &saved {
                    discard(&ctx.state, path).await;
                }
                return Err(e);
            }
        };
        (fields.mobile_name, fields.mobile_extension) = name_and_extension(&path);
        fields.mobile_path.clone_from(&path);
        saved.push(path);
    }
    let written = async {
        let mut tx = ctx.state.store.begin().await?;
        let id = tx.banners().insert(ctx.scope, &fields).await?;
        tx.commit().await?;
        Ok::<_, LojaError>(id)
    }
    .await;
    match written {
        Ok(id) => Ok(created_with_id(id)),
        Err(e) => {
            // Nothing points at the new files: do not leave them behind.
            for path in &saved {
                discard(&ctx.state, path).await;
            }
            Err(e)
        }
    }
}
