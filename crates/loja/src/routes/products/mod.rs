//! Products, variations and grids (ecommloja-api.md §3.1, E01–E24), one
//! module per action group; their wire shapes are in `crate::dto::products`.

pub(crate) mod bulk;
pub(crate) mod extras;
pub(crate) mod listing;
pub(crate) mod options;
pub(crate) mod read;
pub(crate) mod search;
pub(crate) mod unit_lookups;
pub(crate) mod units;
pub(crate) mod write;

/// `<parent url>-<unit sku>` (E18/E19, E01 `url_variety`).
pub(crate) fn unit_url(parent_url: &str, sku: &str) -> String {
    format!("{parent_url}-{sku}")
}
