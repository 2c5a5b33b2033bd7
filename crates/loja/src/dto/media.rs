//! Product images and banners (§3.0 SH-Image; E25, E62).

use serde::Serialize;
use utoipa::ToSchema;
use vitrine_store::banners::Banner;
use vitrine_store::images::{Image, UnitImage};

use super::{Flag, Int};
use crate::wire::ImageUrls;

/// SH-Image with its id: a gallery image, or a variation's or grid's single
/// image (then main, active, first, without a label).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct ImageOut {
    pub id: Int,
    pub label: String,
    /// The image's URL.
    pub image: String,
    pub main: Flag,
    pub hover: Flag,
    pub sort: Int,
    pub status: Flag,
}

impl ImageOut {
    /// A gallery image.
    pub(crate) fn new(urls: &ImageUrls, i: &Image) -> Self {
        Self {
            id: i.id.into(),
            label: i.label.clone(),
            image: urls.url(&i.image),
            main: Flag(i.main),
            hover: Flag(i.hover),
            sort: Int(i.sort),
            status: Flag(i.status),
        }
    }

    /// A variation's or grid's image, shown like a gallery's main image.
    pub(crate) fn of_unit(urls: &ImageUrls, slot: &UnitImage) -> Self {
        Self {
            id: Int(slot.key.id()),
            label: String::new(),
            image: urls.url(&slot.image),
            main: Flag(true),
            hover: Flag(false),
            sort: Int(0),
            status: Flag(true),
        }
    }
}

/// E62: a banner (L4390–4468).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub(crate) struct BannerOut {
    pub id: Int,
    /// The desktop image's file name, `""` if none.
    pub name: String,
    /// With its dot, `".png"`.
    pub extension: String,
    /// The mobile image's file name, `""` if none.
    pub mobile_name: String,
    pub mobile_extension: String,
    pub link: String,
    pub subtitle: String,
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    pub banner_type: Int,
    pub main: Flag,
    pub sort: Int,
    /// Store-local `YYYY-MM-DD HH:MM:SS`.
    pub date_start: String,
    /// Store-local `YYYY-MM-DD HH:MM:SS`.
    pub date_end: String,
    pub search_category_flag: Flag,
    pub status: Flag,
    /// The mobile image's URL, `""` if none.
    pub url_image_mobile: String,
    /// The desktop image's URL, `""` if none.
    pub url_image_desktop: String,
}

impl BannerOut {
    pub(crate) fn new(urls: &ImageUrls, b: &Banner) -> Self {
        let f = &b.fields;
        Self {
            id: b.id.into(),
            name: f.name.clone(),
            extension: f.extension.clone(),
            mobile_name: f.mobile_name.clone(),
            mobile_extension: f.mobile_extension.clone(),
            link: f.link.clone(),
            subtitle: f.subtitle.clone(),
            banner_type: Int(f.banner_type),
            main: Flag(f.main),
            sort: Int(f.sort),
            date_start: f.date_start.clone(),
            date_end: f.date_end.clone(),
            search_category_flag: Flag(f.search_category_flag),
            status: Flag(f.status),
            url_image_mobile: urls.url(&f.mobile_path),
            url_image_desktop: urls.url(&f.desktop_path),
        }
    }
}
