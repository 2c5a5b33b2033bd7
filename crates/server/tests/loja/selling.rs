//! What may be sold, and in what amounts: inactive products are refused in
//! the cart and at checkout (issue 16.14); a product `available`
//! regardless of stock sells past it, its stock going negative (16.16);
//! cart quantities are capped and totals are checked, never wrapped
//! (12.11).

use serde_json::{json, Value};
use vitrine_core::order::{MAX_LINE_QUANTITY, MAX_TOTAL};
use vitrine_testkit::{both_backends, Tenant, TestApp};

use crate::fixtures::product;
use crate::orders::customer_735;
use crate::shoppers::{add, checkout_body, jwt_get, jwt_post};
use crate::{data, error_body, expect, DONE};

async fn stock(app: &TestApp, tok: &str, sku: &str) -> Value {
    let r = app
        .loja_get(tok, &format!("/product/findbysku?sku={sku}&min=1"))
        .await;
    data(&r)["stock"].clone()
}

async fn cart_lines(app: &TestApp, jwt: &str, hash: &str) -> Value {
    let r = jwt_get(app, jwt, &format!("/cart/findcartbyhash?hash={hash}")).await;
    data(&r)["products"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| json!([l["id"], l["quantity"]]))
        .collect()
}

async fn no_orders(app: &TestApp, tok: &str) {
    let r = app.loja_get(tok, "/order/findbyfilter").await;
    expect(&r, 404, &error_body("Orders not found"));
}

/// Sets a product's price straight in the store (a later price change
/// the cart cannot have checked).
async fn set_price(app: &TestApp, t: &Tenant, sku: &str, cents: i64) {
    let scope = crate::fixtures::scope(t);
    let mut tx = app.store.begin().await.expect("tx");
    let owner = tx
        .products()
        .sku_owner(scope, sku)
        .await
        .expect("lookup")
        .expect("a product");
    let mut p = tx
        .products()
        .get(scope, owner.product_id)
        .await
        .expect("product");
    p.fields.price = cents;
    tx.products()
        .update(scope, p.id, &p.fields)
        .await
        .expect("update");
    tx.commit().await.expect("commit");
}

async fn inactive_products_are_refused_in_the_cart_and_at_checkout(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    product(&app, &t, "ON", 1_000, 0, 10).await;
    product(&app, &t, "OFF", 1_000, 0, 10).await;
    let jwt = customer_735(&app, &t).await;
    let hash = add(&app, &jwt, "ON", 2).await;
    add(&app, &jwt, "OFF", 1).await;
    // Switched off after it went into the cart.
    let r = app
        .loja_form(tok, "/product/update?sku=OFF", &[("status", "0")])
        .await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Cart step: adding more, or setting its quantity, is refused.
    let inactive = error_body("Inactive product for SKU OFF");
    let r = jwt_post(&app, &jwt, "/cart/addproduct", json!({"sku": "OFF"})).await;
    expect(&r, 400, &inactive);
    let r = jwt_post(
        &app,
        &jwt,
        "/cart/updatequantity",
        json!({"sku": "OFF", "quantity": 5}),
    )
    .await;
    expect(&r, 400, &inactive);
    assert_eq!(
        cart_lines(&app, &jwt, &hash).await,
        json!([["1", "2"], ["2", "1"]]),
        "the cart is unchanged"
    );
    // Checkout step: the whole order is refused, nothing moves (before:
    // the inactive product was sold).
    let r = jwt_post(&app, &jwt, "/cart/findcartbyhash", checkout_body(&hash)).await;
    expect(&r, 400, &inactive);
    assert_eq!(stock(&app, tok, "ON").await, json!(10));
    assert_eq!(stock(&app, tok, "OFF").await, json!(10));
    no_orders(&app, tok).await;
    assert_eq!(
        cart_lines(&app, &jwt, &hash).await,
        json!([["1", "2"], ["2", "1"]])
    );
    // Orders from other channels follow the same rule.
    let r = app
        .loja_form(
            tok,
            "/order/insert",
            &[("customer_id", "1"), ("items[0][sku]", "OFF")],
        )
        .await;
    expect(&r, 400, &inactive);
    no_orders(&app, tok).await;
    // Removing the line is allowed; then the rest checks out.
    let r = jwt_post(&app, &jwt, "/cart/removeproduct", json!({"sku": "OFF"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = jwt_post(&app, &jwt, "/cart/findcartbyhash", checkout_body(&hash)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(stock(&app, tok, "ON").await, json!(8));

    // An inactive variation of an active product is refused too.
    crate::cart::seed_tinta(&app, tok).await;
    let r = app
        .loja_form(
            tok,
            "/product/insertvarietyproduct",
            &[
                ("sku", "TINTA-18L"),
                ("variety_data[0][id]", "1"),
                ("variety_data[0][sku]", "182578"),
                ("variety_data[0][price]", "10"),
                ("variety_data[0][status]", "0"),
            ],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = jwt_post(&app, &jwt, "/cart/addproduct", json!({"sku": "182578"})).await;
    expect(&r, 400, &error_body("Inactive product for SKU 182578"));
    let r = jwt_post(&app, &jwt, "/cart/addproduct", json!({"sku": "182577"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
}

async fn available_products_sell_past_their_stock(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    // `available` defaults to 1 (the doc): sold regardless of stock.
    let r = app
        .loja_form(
            tok,
            "/product/insert",
            &[
                ("name", "Sob encomenda"),
                ("sku", "ENC"),
                ("type", "1"),
                ("price", "10"),
                ("stock", "2"),
                ("status", "1"),
            ],
        )
        .await;
    expect(&r, 201, DONE);
    let r = app
        .loja_form(
            tok,
            "/product/insert",
            &[
                ("name", "Só do estoque"),
                ("sku", "EST"),
                ("type", "1"),
                ("price", "10"),
                ("stock", "2"),
                ("available", "0"),
                ("status", "1"),
            ],
        )
        .await;
    expect(&r, 201, DONE);
    let jwt = customer_735(&app, &t).await;
    let hash = add(&app, &jwt, "ENC", 5).await;
    // Before: 400 "Insufficient stock for SKU ENC".
    let r = jwt_post(&app, &jwt, "/cart/findcartbyhash", checkout_body(&hash)).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["data"]["order"]["value"], json!("50"));
    // The stock goes negative: 3 units sold ahead of stock.
    assert_eq!(stock(&app, tok, "ENC").await, json!(-3));
    let r = app.loja_get(tok, "/product/retainedstock").await;
    assert_eq!(data(&r)[0]["stock"], json!("5"));
    // Everything else unchanged: a product not available past its stock
    // is refused and nothing moves.
    let hash = add(&app, &jwt, "EST", 3).await;
    let r = jwt_post(&app, &jwt, "/cart/findcartbyhash", checkout_body(&hash)).await;
    expect(&r, 400, &error_body("Insufficient stock for SKU EST"));
    assert_eq!(stock(&app, tok, "EST").await, json!(2));
    // Cancelling gives the 5 units back: the backorder is gone.
    let r = app
        .loja_form(
            tok,
            "/order/changestatus",
            &[("id", "1"), ("new_status", "8")],
        )
        .await;
    expect(&r, 200, DONE);
    assert_eq!(stock(&app, tok, "ENC").await, json!(2));
}

async fn cart_quantities_are_capped_and_totals_never_wrap(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    product(&app, &t, "A", 1_000, 0, 100).await;
    product(&app, &t, "BIG", MAX_TOTAL, 0, 100).await;
    product(&app, &t, "ONE", 1, 0, 100).await;
    let jwt = customer_735(&app, &t).await;
    let max = MAX_LINE_QUANTITY.to_string();
    let hash = add(&app, &jwt, "A", MAX_LINE_QUANTITY).await;
    let invalid = error_body("Invalid quantity");
    // One more unit, or a quantity that overflowed `quantity + n` (before:
    // a 500), is refused and the line keeps its units.
    for q in [json!(1), json!(i64::MAX), json!("9223372036854775807")] {
        let r = jwt_post(
            &app,
            &jwt,
            "/cart/addproduct",
            json!({"sku": "A", "quantity": q}),
        )
        .await;
        expect(&r, 400, &invalid);
    }
    let r = jwt_post(
        &app,
        &jwt,
        "/cart/updatequantity",
        json!({"sku": "A", "quantity": MAX_LINE_QUANTITY + 1}),
    )
    .await;
    expect(&r, 400, &invalid);
    assert_eq!(cart_lines(&app, &jwt, &hash).await, json!([["1", max]]));
    let r = jwt_post(&app, &jwt, "/cart/removeproduct", json!({"sku": "A"})).await;
    assert_eq!(r.status, 200, "{}", r.text);

    // A total that cannot be summed is refused when it would be written:
    // BIG alone is the largest total there is; one centavo more is not.
    add(&app, &jwt, "BIG", 1).await;
    let r = jwt_post(&app, &jwt, "/cart/addproduct", json!({"sku": "ONE"})).await;
    expect(&r, 400, &invalid);
    let r = jwt_post(
        &app,
        &jwt,
        "/cart/updatequantity",
        json!({"sku": "BIG", "quantity": 2}),
    )
    .await;
    expect(&r, 400, &invalid);
    let r = jwt_get(&app, &jwt, &format!("/cart/findcartbyhash?hash={hash}")).await;
    assert_eq!(data(&r)["products"].as_array().map(Vec::len), Some(1));
    assert_eq!(data(&r)["price"], json!(9_999_999_999_999.99));

    let r = jwt_post(&app, &jwt, "/cart/removeproduct", json!({"sku": "BIG"})).await;
    assert_eq!(r.status, 200, "{}", r.text);

    // Prices raised after the units went in, each line past i64::MAX / 2:
    // the cart shows the limit, never a wrapped negative total (before:
    // the `.sum()` wrapped, and checkout sold at that sum), and checkout
    // refuses the order.
    add(&app, &jwt, "A", 1).await;
    add(&app, &jwt, "ONE", 1).await;
    set_price(&app, &t, "A", i64::MAX / 2 + 1).await;
    set_price(&app, &t, "ONE", i64::MAX / 2 + 1).await;
    let r = jwt_get(&app, &jwt, &format!("/cart/findcartbyhash?hash={hash}")).await;
    assert_eq!(data(&r)["price"], json!(9_999_999_999_999.99), "{}", r.text);
    let r = jwt_post(&app, &jwt, "/cart/findcartbyhash", checkout_body(&hash)).await;
    expect(&r, 400, &error_body("Order value too large"));
    assert_eq!(stock(&app, tok, "A").await, json!(100));
    no_orders(&app, tok).await;
    set_price(&app, &t, "A", 1_000).await;
    set_price(&app, &t, "ONE", 1).await;

    // Orders from other channels: quantities capped, shipping summed.
    for (reason, form, message) in [
        (
            "a line over the cap",
            vec![("items[0][sku]", "A"), ("items[0][quantity]", "10001")],
            "Invalid items",
        ),
        (
            "lines that cannot be summed",
            vec![("items[0][sku]", "BIG"), ("items[1][sku]", "ONE")],
            "Order value too large",
        ),
        (
            "a shipping that cannot be summed",
            vec![("items[0][sku]", "ONE"), ("shipping", "9999999999999.99")],
            "Order value too large",
        ),
    ] {
        let mut form = form;
        form.push(("customer_id", "1"));
        let r = app.loja_form(tok, "/order/insert", &form).await;
        assert_eq!(
            (r.status, r.text.clone()),
            (400, error_body(message)),
            "{reason}"
        );
    }
    no_orders(&app, tok).await;
    assert_eq!(stock(&app, tok, "ONE").await, json!(100));
}

both_backends!(
    inactive_products_are_refused_in_the_cart_and_at_checkout,
    available_products_sell_past_their_stock,
    cart_quantities_are_capped_and_totals_never_wrap,
);
