//! How the Loja API writes values (ecommloja-api.md §1.6): nearly every
//! scalar as a string, flags as "0"/"1", datetimes as store-local
//! `YYYY-MM-DD HH:MM:SS`.

use axum::http::{header, uri::Authority, HeaderMap};
use chrono::{DateTime, FixedOffset, Utc};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use vitrine_core::ids::StoreId;

/// Brazil's official time (UTC−3, no daylight saving since 2019) — the
/// store-local time the doc's examples are written in.
const STORE_OFFSET_SECONDS: i32 = -3 * 3600;

/// `"2021-12-16 17:47:58"` in store-local time.
pub fn datetime(t: DateTime<Utc>) -> String {
    let offset = FixedOffset::east_opt(STORE_OFFSET_SECONDS)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
    t.with_timezone(&offset)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The UTC instant of a store-local wall-clock time.
pub fn from_local(t: chrono::NaiveDateTime) -> DateTime<Utc> {
    let utc = t - chrono::Duration::seconds(i64::from(STORE_OFFSET_SECONDS));
    DateTime::from_naive_utc_and_offset(utc, Utc)
}

/// Where the client of this request reaches vitrine, `http://host:port`:
/// the `Host` it sent (if it is a valid authority) and `https` behind a
/// proxy that says so with `X-Forwarded-Proto`. `""` without a usable
/// `Host`: image URLs are then root-relative (`/media/…`).
pub fn origin(headers: &HeaderMap) -> String {
    let Some(host) = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<Authority>().ok())
        .filter(|a| !a.as_str().contains('@'))
    else {
        return String::new();
    };
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(',').next())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

/// What a bare file name keeps unescaped in a URL path segment.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// A stored image as a URL a client can fetch (§3.2): an http(s) URL kept
/// verbatim; a path (`media/<key>`, as vitrine stores uploads, served by
/// `GET /media/…`) under `origin`; a bare file name (a global variety's
/// `image`, E01) in the media folder `folder` (`<store>/…/`); `""` stays
/// `""`. Client-given names are percent-encoded segment by segment.
pub fn image_url(origin: &str, stored: &str, folder: &str) -> String {
    if stored.is_empty() || stored.starts_with("http://") || stored.starts_with("https://") {
        return stored.to_owned();
    }
    let path = stored.trim_start_matches('/');
    let encoded: Vec<String> = path
        .split('/')
        .map(|seg| utf8_percent_encode(seg, SEGMENT).to_string())
        .collect();
    if encoded.len() > 1 {
        format!("{origin}/{}", encoded.join("/"))
    } else {
        format!("{origin}/media/{folder}{}", encoded.join("/"))
    }
}

/// Renders a store's stored image paths as URLs for this request's client
/// ([`image_url`]): every image field of the Loja API goes through it.
pub(crate) struct ImageUrls {
    origin: String,
    /// Where a global variety's bare file name lives (E01 `varieties_info`).
    variety_folder: String,
}

impl ImageUrls {
    /// The URLs of `store`'s images for a client that reaches vitrine at
    /// `origin` ([`origin`]).
    pub(crate) fn new(origin: &str, store: StoreId) -> Self {
        Self {
            origin: origin.to_owned(),
            variety_folder: variation_folder(store),
        }
    }

    /// The URL of a stored image (`""` when there is none).
    pub(crate) fn url(&self, stored: &str) -> String {
        image_url(&self.origin, stored, &self.variety_folder)
    }
}

/// The media folder of a store's variation (and variety) images.
pub(crate) fn variation_folder(store: StoreId) -> String {
    format!("{store}/produtos_imagens/produtos_variacao/")
}

/// `"1"` or `"0"`.
pub fn flag(b: bool) -> &'static str {
    if b {
        "1"
    } else {
        "0"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn datetimes_are_store_local() {
        let t = Utc
            .with_ymd_and_hms(2021, 12, 16, 20, 47, 58)
            .single()
            .expect("valid");
        assert_eq!(datetime(t), "2021-12-16 17:47:58");
    }

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().expect("header value"));
        }
        h
    }

    #[test]
    fn the_origin_is_the_host_the_client_used() {
        assert_eq!(
            origin(&headers(&[("host", "127.0.0.1:8080")])),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            origin(&headers(&[
                ("host", "loja.example.com"),
                ("x-forwarded-proto", "HTTPS, http")
            ])),
            "https://loja.example.com"
        );
        for bad in ["", "a b", "x/y", "user@host", "évil"] {
            assert_eq!(origin(&headers(&[("host", bad)])), "", "{bad:?}");
        }
        assert_eq!(origin(&HeaderMap::new()), "");
    }

    #[test]
    fn images_render_as_urls_a_client_can_fetch() {
        let o = "http://127.0.0.1:8080";
        let folder = "s1/produtos_imagens/produtos_variacao/";
        assert_eq!(
            image_url(o, "media/s1/produtos_imagens/a123.png", folder),
            "http://127.0.0.1:8080/media/s1/produtos_imagens/a123.png"
        );
        assert_eq!(
            image_url(o, "https://cdn.example.com/x.png", folder),
            "https://cdn.example.com/x.png"
        );
        assert_eq!(image_url(o, "", folder), "");
        assert_eq!(
            image_url(o, "Sem título.png", folder),
            "http://127.0.0.1:8080/media/s1/produtos_imagens/produtos_variacao/Sem%20t%C3%ADtulo.png"
        );
        assert_eq!(
            image_url("", "azul.png", folder),
            "/media/s1/produtos_imagens/produtos_variacao/azul.png"
        );
        assert_eq!(
            image_url(o, "loja/uploads/cor.png", folder),
            "http://127.0.0.1:8080/loja/uploads/cor.png",
            "another stored path: under the root, as the doc shows host/path"
        );
    }
}
