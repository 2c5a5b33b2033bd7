//! Shared set-up for Loja tests.

use serde_json::Value;
use vitrine_core::catalog::ProductType;
use vitrine_core::ids::{ProductId, ShopScope};
use vitrine_store::products::ProductFields;
use vitrine_testkit::{Reply, Tenant, TestApp};

/// The tenant's store, as the store's repositories take it.
pub fn scope(t: &Tenant) -> ShopScope {
    ShopScope::new(
        t.account_id.parse().expect("account"),
        t.store_id.parse().expect("store"),
    )
}

/// A type-1 product inserted through the store (the catalogue endpoints
/// have their own tests); returns its id.
pub async fn product(
    app: &TestApp,
    t: &Tenant,
    sku: &str,
    price: i64,
    promo: i64,
    stock: i64,
) -> ProductId {
    let fields = ProductFields {
        name: format!("Produto {sku}"),
        url: format!("produto-{sku}"),
        price,
        promotional_price: promo,
        stock,
        status: true,
        ..ProductFields::default()
    };
    let mut tx = app.store.begin().await.expect("tx");
    let p = tx
        .products()
        .insert(scope(t), sku, ProductType::Simple, &fields)
        .await
        .expect("insert product");
    tx.commit().await.expect("commit");
    p.id
}

/// The keys of a JSON object, in order.
pub fn keys(v: &Value) -> Vec<&str> {
    v.as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect()
}

/// Every value of the object is a JSON string (the Loja wire rule).
pub fn all_strings(v: &Value) -> bool {
    v.as_object()
        .expect("an object")
        .values()
        .all(Value::is_string)
}

/// The exact body of a success without data.
pub const OK_EMPTY: &str = r#"{"success":true,"errors":[],"data":[]}"#;

/// The documented 500 of endpoints that document no other failure.
pub const FAILED_500: &str = r#"{"success":false,"errors":[],"data":[]}"#;

/// Asserts a documented error: status and the single message, verbatim.
pub fn assert_error(reply: &Reply, status: u16, message: &str) {
    assert_eq!(reply.status, status, "{}", reply.text);
    assert_eq!(
        reply.text,
        format!(r#"{{"success":false,"errors":["{message}"],"data":[]}}"#),
        "body"
    );
}

/// Fetches an image URL the Loja API rendered: it must be an absolute URL
/// of this server (what a client can fetch), answered without credentials.
pub async fn fetch(app: &TestApp, url: &str) -> (u16, Option<String>, Vec<u8>) {
    let path = url
        .strip_prefix(&app.base_url)
        .unwrap_or_else(|| panic!("{url} is not a URL of {}", app.base_url));
    assert!(path.starts_with("/media/"), "{url}");
    app.get_bytes(path).await
}
