//! Loja API: every case runs on SQLite, on PostgreSQL and on Citus.

vitrine_testkit::on_citus!(yes);

mod banners;
mod brands;
mod bulk;
mod cart;
mod categories;
mod customers;
mod extras;
mod fixtures;
mod image_urls;
mod images;
mod json_bodies;
mod manufacturers;
mod orders;
mod orders_cap;
mod products;
mod race;
mod repository;
mod restock;
mod retention;
mod sales;
mod search;
mod selling;
mod sessions;
mod shoppers;
mod tags;
mod units;

use serde_json::Value;
use vitrine_testkit::{Reply, TestApp};

/// The body as compact JSON text, keys in the order they were sent: the
/// contract includes key order and JSON types, so examples compare as text.
pub fn text(reply: &Reply) -> String {
    serde_json::to_string(&reply.body).expect("json")
}

/// The documented error envelope with one message.
pub fn error_body(message: &str) -> String {
    serde_json::to_string(&serde_json::json!({
        "success": false, "errors": [message], "data": []
    }))
    .expect("json")
}

/// `{"success":true,"errors":[],"data":[]}`.
pub const DONE: &str = r#"{"success":true,"errors":[],"data":[]}"#;

/// One table-driven bad-input row: reason, form, status, message.
pub type BadInput<'a> = (&'a str, &'a [(&'a str, &'a str)], u16, &'a str);

/// Asserts status and exact body text.
#[track_caller]
pub fn expect(reply: &Reply, status: u16, body: &str) {
    assert_eq!(
        (reply.status, text(reply).as_str()),
        (status, body),
        "unexpected reply"
    );
}

/// The doc's simple product (L140–185) as `product/insert` form fields.
pub const FONE: &[(&str, &str)] = &[
    ("name", "Fone de Ouvidos Bluetooth"),
    ("sku", "123123"),
    ("barcode", "fasdaa45"),
    ("short_description", "<p>Fone de Ouvidos Bluetooth</p>"),
    ("price", "150.23"),
    ("stock", "2"),
    ("weight", "0.200"),
    ("height", "10"),
    ("length", "20"),
    ("width", "30"),
    ("fitting_difference", "10"),
    ("deadline", "2"),
    ("description", "<p>Fone de Ouvidos Bluetooth</p>"),
    ("warranty", "<p>90 Dias</p>"),
    ("manufacturer", "3"),
    ("brand", "13"),
    ("meta_description", "Meta Descrição do Produto Simples"),
    ("meta_title", "Meta Título do Produto Simples"),
    ("meta_keys", "Palavras Chaves do Produto Simples"),
    ("type", "1"),
    ("status", "1"),
    ("url", "produtos-simples"),
];

/// Creates global varieties (by name) and grids (by name) through the
/// extension endpoints; ids are 1, 2, … in order.
pub async fn seed_options(app: &TestApp, token: &str, varieties: &[&str], grids: &[&str]) {
    for name in varieties {
        let r = app
            .loja_form(
                token,
                "/product/insertvariety",
                &[("name", name), ("status", "1")],
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    for name in grids {
        let r = app
            .loja_form(
                token,
                "/product/insertgrid",
                &[("name", name), ("status", "1")],
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
}

/// `data` of a successful reply.
pub fn data(reply: &Reply) -> &Value {
    assert_eq!(reply.status, 200, "{}", reply.text);
    &reply.body["data"]
}
