//! Products, variations and grids (ecommloja-api.md §3.1, E01–E24), one
//! module per action group, and the wire shapes they share (§3.0): every
//! key in documented order, numbers as strings (§1.6).

pub(crate) mod bulk;
pub(crate) mod extras;
pub(crate) mod listing;
pub(crate) mod options;
pub(crate) mod read;
pub(crate) mod search;
pub(crate) mod unit_lookups;
pub(crate) mod units;
pub(crate) mod write;

use serde_json::{Map, Value};
use vitrine_core::catalog::{format_money, format_money_short, format_weight};
use vitrine_store::products::Product;
use vitrine_store::variations::{ProductGrid, UnitFields, Variation};

/// A value rendered as a JSON string.
pub(crate) fn s(v: impl ToString) -> Value {
    Value::String(v.to_string())
}

/// A flag rendered `"1"` / `"0"`.
pub(crate) fn flag(b: bool) -> Value {
    s(if b { "1" } else { "0" })
}

/// SH-ProductBasic without `parent` / `children`: `stock` is a JSON integer.
pub(crate) fn basic(p: &Product) -> Map<String, Value> {
    let f = &p.fields;
    let mut m = Map::new();
    m.insert("name".into(), s(&f.name));
    m.insert("sku".into(), s(&p.sku));
    m.insert("barcode".into(), s(&f.barcode));
    m.insert("price".into(), s(format_money(f.price)));
    m.insert(
        "promotional_price".into(),
        s(format_money(f.promotional_price)),
    );
    m.insert("stock".into(), Value::from(f.stock));
    m.insert("weight".into(), s(format_weight(f.weight)));
    m.insert("height".into(), s(f.height));
    m.insert("length".into(), s(f.length));
    m.insert("width".into(), s(f.width));
    m.insert("type".into(), s(p.product_type));
    m.insert("status".into(), flag(f.status));
    m
}

/// SH-ProductFull without `parent` / `children`.
pub(crate) fn full(p: &Product) -> Map<String, Value> {
    let f = &p.fields;
    let mut m = Map::new();
    m.insert("name".into(), s(&f.name));
    m.insert("sku".into(), s(&p.sku));
    m.insert("barcode".into(), s(&f.barcode));
    m.insert("short_description".into(), s(&f.short_description));
    m.insert("price".into(), s(format_money(f.price)));
    m.insert(
        "promotional_price".into(),
        s(format_money(f.promotional_price)),
    );
    m.insert("url".into(), s(&f.url));
    m.insert("stock".into(), s(f.stock));
    m.insert("available".into(), flag(f.available));
    m.insert("budget".into(), flag(f.budget));
    m.insert("hide_price".into(), flag(f.hide_price));
    m.insert("weight".into(), s(format_weight(f.weight)));
    m.insert("height".into(), s(f.height));
    m.insert("length".into(), s(f.length));
    m.insert("width".into(), s(f.width));
    m.insert("fitting_difference".into(), s(f.fitting_difference));
    m.insert("deadline".into(), s(f.deadline));
    m.insert("unit_measurement".into(), s(&f.unit_measurement));
    m.insert("description".into(), s(&f.description));
    m.insert("specifications".into(), s(&f.specifications));
    m.insert("warranty".into(), s(&f.warranty));
    m.insert(
        "manufacturer".into(),
        s(f.manufacturer_id.map_or(0, |m| m.0)),
    );
    m.insert("manufacturer_code".into(), s(&f.manufacturer_code));
    m.insert("brand".into(), s(f.brand_id.map_or(0, |b| b.0)));
    m.insert("variety_title".into(), s(&f.variety_title));
    m.insert("grid_title".into(), s(&f.grid_title));
    m.insert("configurable_title".into(), s(&f.configurable_title));
    m.insert("meta_description".into(), s(&f.meta_description));
    m.insert("meta_title".into(), s(&f.meta_title));
    m.insert("meta_keys".into(), s(&f.meta_keys));
    m.insert("type".into(), s(p.product_type));
    m.insert("sort".into(), s(f.sort));
    m.insert("obs_box".into(), flag(f.obs_box));
    m.insert("illustrative_picture".into(), flag(f.illustrative_picture));
    m.insert("multiple".into(), flag(f.multiple));
    m.insert("multiple_price".into(), s(format_money(f.multiple_price)));
    m.insert("status".into(), flag(f.status));
    m
}

/// The basic or full product shape.
pub(crate) fn shape(p: &Product, min: bool) -> Map<String, Value> {
    if min {
        basic(p)
    } else {
        full(p)
    }
}

/// Puts a variation's or grid's own values over its parent's shape (E02:
/// a unit found by SKU is described in the parent's key set).
pub(crate) fn overlay_unit(m: &mut Map<String, Value>, name: String, unit: &UnitFields, min: bool) {
    m.insert("name".into(), s(name));
    m.insert("sku".into(), s(&unit.sku));
    m.insert("price".into(), s(format_money(unit.price)));
    m.insert(
        "promotional_price".into(),
        s(format_money(unit.promotional_price)),
    );
    let stock = if min {
        Value::from(unit.stock)
    } else {
        s(unit.stock)
    };
    m.insert("stock".into(), stock);
    m.insert("weight".into(), s(format_weight(unit.weight)));
    m.insert("height".into(), s(unit.height));
    m.insert("length".into(), s(unit.length));
    m.insert("width".into(), s(unit.width));
    m.insert("status".into(), flag(unit.status));
}

/// SH-VariationRow: `price` in the shortest decimal form.
pub(crate) fn variation_row(v: &Variation) -> Value {
    let u = &v.unit;
    let mut m = Map::new();
    m.insert("sku".into(), s(&u.sku));
    m.insert("name".into(), s(&v.variety_name));
    m.insert("price".into(), s(format_money_short(u.price)));
    m.insert(
        "promotional_price".into(),
        s(format_money(u.promotional_price)),
    );
    measures(&mut m, u);
    Value::Object(m)
}

/// SH-GridRow.
pub(crate) fn grid_row(g: &ProductGrid) -> Value {
    let u = &g.unit;
    let mut m = Map::new();
    m.insert("sku".into(), s(&u.sku));
    m.insert("variety_name".into(), s(&g.variety_name));
    m.insert("grid_name".into(), s(&g.grid_name));
    m.insert("price".into(), s(format_money(u.price)));
    m.insert(
        "promotional_price".into(),
        s(format_money(u.promotional_price)),
    );
    measures(&mut m, u);
    Value::Object(m)
}

/// `stock`, `weight`, `height`, `length`, `width`, `status` of a unit.
fn measures(m: &mut Map<String, Value>, u: &UnitFields) {
    m.insert("stock".into(), s(u.stock));
    m.insert("weight".into(), s(format_weight(u.weight)));
    m.insert("height".into(), s(u.height));
    m.insert("length".into(), s(u.length));
    m.insert("width".into(), s(u.width));
    m.insert("status".into(), flag(u.status));
}

/// `<parent url>-<unit sku>` (E18/E19, E01 `url_variety`).
pub(crate) fn unit_url(parent_url: &str, sku: &str) -> String {
    format!("{parent_url}-{sku}")
}
