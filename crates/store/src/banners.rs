//! Banners of a store (ecommloja-api.md E62). Dates are store-local
//! `YYYY-MM-DD HH:MM:SS` text, compared as text (the format sorts).

use vitrine_core::ids::{BannerId, ShopScope};

use crate::backend::on_db;
use crate::counters::next_id;
use crate::{Db, Result};

/// A banner's fields as sent and stored.
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct BannerFields {
    /// Desktop file name (`""` if none).
    pub name: String,
    /// Desktop file extension with its dot.
    pub extension: String,
    /// Mobile file name (`""` if none).
    pub mobile_name: String,
    /// Mobile file extension with its dot.
    pub mobile_extension: String,
    /// Stored desktop image path (as responses show it).
    pub desktop_path: String,
    /// Stored mobile image path.
    pub mobile_path: String,
    /// Where the banner links to.
    pub link: String,
    /// Subtitle.
    pub subtitle: String,
    /// Type code, echoed.
    pub banner_type: i64,
    /// Main flag.
    pub main: bool,
    /// Order.
    pub sort: i64,
    /// Store-local start.
    pub date_start: String,
    /// Store-local end.
    pub date_end: String,
    /// Flag, echoed.
    pub search_category_flag: bool,
    /// Active.
    pub status: bool,
}

/// A stored banner.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Banner {
    /// Per-store id.
    pub id: BannerId,
    /// Its fields.
    #[sqlx(flatten)]
    pub fields: BannerFields,
}

/// Which images a banner must have (E62 `device`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// Only a mobile image.
    MobileOnly,
    /// A mobile image (with or without a desktop one).
    Mobile,
    /// Only a desktop image.
    DesktopOnly,
    /// A desktop image (with or without a mobile one).
    Desktop,
}

/// What `banner/findBannerByFilter` selects by.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BannerFilter {
    /// `date_start` at or after (store-local text).
    pub start_from: Option<String>,
    /// `date_end` at or before (store-local text).
    pub end_until: Option<String>,
    /// Exact status.
    pub status: Option<bool>,
    /// Device class.
    pub device: Option<Device>,
}

/// How many active banners an unfiltered search returns.
pub const RECENT: i64 = 6;

const COLUMNS: &str =
    "id, name, extension, mobile_name, mobile_extension, desktop_path, mobile_path, link, \
    subtitle, type AS banner_type, main, sort, date_start, date_end, search_category_flag, status";

/// Repository of banners.
pub struct Banners<'c>(pub(crate) Db<'c>);

impl Banners<'_> {
    /// Adds a banner.
    pub async fn insert(&mut self, scope: ShopScope, f: &BannerFields) -> Result<BannerId> {
        let id = BannerId(next_id(&mut self.0, scope, "banners").await?);
        let sql = "INSERT INTO banners (account_id, store_id, id, name, extension, mobile_name, mobile_extension, \
                   desktop_path, mobile_path, link, subtitle, type, main, sort, date_start, date_end, \
                   search_category_flag, status) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(&f.name).bind(&f.extension).bind(&f.mobile_name)
            .bind(&f.mobile_extension).bind(&f.desktop_path).bind(&f.mobile_path).bind(&f.link)
            .bind(&f.subtitle).bind(f.banner_type).bind(f.main).bind(f.sort).bind(&f.date_start)
            .bind(&f.date_end).bind(f.search_category_flag).bind(f.status)
            .execute(c).await.map(|r| r.rows_affected()))?;
        Ok(id)
    }

    /// Banners matching `filter`, by sort then id; with no filter at all,
    /// the [`RECENT`] highest-id active ones.
    pub async fn find(&mut self, scope: ShopScope, filter: &BannerFilter) -> Result<Vec<Banner>> {
        let device = match filter.device {
            None => "",
            Some(Device::MobileOnly) => " AND mobile_name <> '' AND name = ''",
            Some(Device::Mobile) => " AND mobile_name <> ''",
            Some(Device::DesktopOnly) => " AND name <> '' AND mobile_name = ''",
            Some(Device::Desktop) => " AND name <> ''",
        };
        if *filter == BannerFilter::default() {
            let sql = format!(
                "SELECT * FROM (SELECT {COLUMNS} FROM banners WHERE account_id = $1 AND store_id = $2 \
                 AND status = $3 ORDER BY id DESC LIMIT $4) recent ORDER BY sort, id"
            );
            return Ok(on_db!(self.0, c => sqlx::query_as(&sql)
                .bind(scope.account.0).bind(scope.store.0).bind(true).bind(RECENT).fetch_all(c).await)?);
        }
        let sql = format!(
            "SELECT {COLUMNS} FROM banners WHERE account_id = $1 AND store_id = $2 \
             AND ($3 IS NULL OR date_start >= $3) AND ($4 IS NULL OR date_end <= $4) \
             AND ($5 IS NULL OR status = $5){device} ORDER BY sort, id"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(&filter.start_from).bind(&filter.end_until)
            .bind(filter.status).fetch_all(c).await)?)
    }
}
