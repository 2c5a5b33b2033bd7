//! E64 `GET cart/findcartbyhash`, the cart extensions (`cart/addproduct`,
//! `cart/updatequantity`, `cart/removeproduct`) and the customer JWT.

use base64::Engine as _;
use jsonwebtoken::Algorithm;
use serde_json::{json, Value};
use vitrine_testkit::{both_backends, Method, TestApp};

use crate::shoppers::{add, jwt_get, jwt_post, mint, mint_with, shopper};
use crate::{error_body, expect, seed_options, text, DONE};

/// The doc's cart product (L4621–4645): type-4 "Tinta Latex…" with the
/// "Branco Neve" variation 182577 at 194.47, stock 10.
pub async fn seed_tinta(app: &TestApp, token: &str) {
    seed_options(app, token, &["Branco Neve"], &[]).await;
    let r = app
        .loja_form(
            token,
            "/product/insert",
            &[
                ("name", "Tinta Latex Acrilico Econômico 18L - Glasu"),
                ("sku", "TINTA-18L"),
                ("type", "4"),
                ("status", "1"),
                ("url", "tinta-latex"),
                ("variety_data[0][id]", "1"),
                ("variety_data[0][sku]", "182577"),
                ("variety_data[0][price]", "194.47"),
                ("variety_data[0][stock]", "10"),
                ("variety_data[0][status]", "1"),
            ],
        )
        .await;
    expect(&r, 201, DONE);
}

/// The body with `date_register` and `hash` masked.
fn masked(mut body: Value) -> String {
    body["data"]["date_register"] = Value::from("-");
    body["data"]["hash"] = Value::from("-");
    serde_json::to_string(&body).expect("json")
}

async fn cart_replays_the_doc(app: TestApp) {
    let t = app.tenant().await;
    seed_tinta(&app, &t.loja_token).await;
    let (_, jwt) = shopper(&app, &t, "hugodev@email.com").await;
    // Stock is not checked in the cart: 15 of a stock of 10 (as the doc shows).
    let hash = add(&app, &jwt, "182577", 10).await;
    let r = jwt_post(
        &app,
        &jwt,
        "/cart/addproduct",
        json!({"sku": "182577", "quantity": "5"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = jwt_get(&app, &jwt, &format!("/cart/findcartbyhash?hash={hash}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["data"]["hash"], Value::from(hash.clone()));
    assert_eq!(
        r.body["data"]["date_register"].as_str().map(str::len),
        Some(19)
    );
    assert_eq!(
        masked(r.body.clone()),
        r#"{"success":true,"errors":[],"data":{"id":"1","hash":"-","user_id":"1","date_register":"-","products":[{"id":"1","cart_p_id":"1","name":"Tinta Latex Acrilico Econômico 18L - Glasu","type":"4","status":"1","quantity":"15","variety":{"variety_id":"1","sku":"182577","name":"Branco Neve","price":"194.47","promotional_price":"0.00","stock":"10","weight":"0.000","height":"0","length":"0","width":"0","status":"1","product_id":"1","configurable_product_id":"1"},"product_images":"","stipulated_price":2917.05}],"price":2917.05}}"#
    );
    // Quantity set, then the line removed: an empty open cart.
    let r = jwt_post(
        &app,
        &jwt,
        "/cart/updatequantity",
        json!({"sku": "182577", "quantity": 2}),
    )
    .await;
    assert_eq!(r.body["data"]["price"], json!(388.94), "{}", r.text);
    let r = jwt_post(&app, &jwt, "/cart/removeproduct", json!({"sku": "182577"})).await;
    assert_eq!(r.body["data"]["products"], json!([]), "{}", r.text);
    assert_eq!(r.body["data"]["price"], json!(0));
    let r = jwt_post(&app, &jwt, "/cart/removeproduct", json!({"sku": "182577"})).await;
    expect(&r, 404, &error_body("Product not found"));
    let r = jwt_post(&app, &jwt, "/cart/addproduct", json!({"sku": "TINTA-18L"})).await;
    expect(&r, 404, &error_body("Product not found"));
    let r = jwt_post(
        &app,
        &jwt,
        "/cart/addproduct",
        json!({"sku": "182577", "quantity": 0}),
    )
    .await;
    expect(&r, 400, &error_body("Invalid quantity"));
}

async fn cart_errors_are_documented(app: TestApp) {
    let t = app.tenant().await;
    let (_, jwt) = shopper(&app, &t, "hugodev@email.com").await;
    let r = jwt_get(
        &app,
        &jwt,
        "/cart/findcartbyhash?hash=45cd08b12c69f9b89b6d8da1",
    )
    .await;
    expect(&r, 401, &error_body("Cart not found"));
    let r = jwt_get(&app, &jwt, "/cart/findcartbyhash").await;
    expect(&r, 401, &error_body("Cart not found"));
    let r = app
        .call(
            Method::PUT,
            "/cart/findcartbyhash",
            Some(&format!("Bearer {jwt}")),
            None,
        )
        .await;
    expect(&r, 401, &error_body("Invalid request - Needed: GET"));
    // The store token alone does not open a cart endpoint.
    let r = app
        .loja_get(&t.loja_token, "/cart/findcartbyhash?hash=x")
        .await;
    expect(&r, 401, &error_body("Invalid token"));
}

/// Re-encodes a token's payload with `change` applied, keeping its signature.
fn with_payload(token: &str, change: impl FnOnce(&mut Value)) -> String {
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let parts: Vec<&str> = token.split('.').collect();
    let mut payload: Value =
        serde_json::from_slice(&engine.decode(parts[1]).expect("b64")).expect("json");
    change(&mut payload);
    let encoded = engine.encode(serde_json::to_vec(&payload).expect("json"));
    format!("{}.{encoded}.{}", parts[0], parts[2])
}

async fn forged_and_foreign_tokens_are_refused(app: TestApp) {
    let t = app.tenant().await;
    seed_tinta(&app, &t.loja_token).await;
    let (a_id, a_jwt) = shopper(&app, &t, "a@email.com").await;
    let (b_id, b_jwt) = shopper(&app, &t, "b@email.com").await;
    let b_hash = add(&app, &b_jwt, "182577", 3).await;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;

    let mut tampered_signature = b_jwt.clone();
    let last = tampered_signature.pop().expect("a char");
    tampered_signature.push(if last == 'A' { 'B' } else { 'A' });
    let a_as_b = with_payload(&a_jwt, |p| p["id"] = Value::from(b_id.to_string()));
    let header_none = engine.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let payload_b = b_jwt.split('.').nth(1).expect("payload").to_owned();
    let alg_none = format!("{header_none}.{payload_b}.");
    let hs512 = mint_with(&app, &t, b_id, 3600, Algorithm::HS512).await;
    let expired = mint(&app, &t, b_id, -120).await;
    // Another store: its own token, and one that claims our store but is
    // signed with the other store's secret.
    let other = app.tenant().await;
    let (_, other_jwt) = shopper(&app, &other, "b@email.com").await;
    let claims_ours = with_payload(&other_jwt, |p| {
        p["iss"] = Value::from(t.store_id.clone());
        p["acc"] = Value::from(t.account_id.clone());
    });
    let cases = [
        ("tampered signature", tampered_signature),
        ("customer id changed", a_as_b),
        ("alg none", alg_none),
        ("HS512", hs512),
        ("expired", expired),
        ("other store's secret", claims_ours),
        ("not a JWT", t.loja_token.clone()),
    ];
    for (reason, token) in &cases {
        let r = jwt_get(&app, token, &format!("/cart/findcartbyhash?hash={b_hash}")).await;
        assert_eq!(
            (r.status, text(&r)),
            (401, error_body("Invalid token")),
            "{reason}"
        );
        let r = jwt_post(
            &app,
            token,
            "/cart/addproduct",
            json!({"sku": "182577", "quantity": 50}),
        )
        .await;
        assert_eq!(r.status, 401, "{reason}: {}", r.text);
    }
    // Another store's token, valid there, finds nothing here.
    let r = jwt_get(
        &app,
        &other_jwt,
        &format!("/cart/findcartbyhash?hash={b_hash}"),
    )
    .await;
    expect(&r, 401, &error_body("Cart not found"));
    // A store token sent beside a JWT must be of the JWT's store.
    let r = app
        .raw(
            Method::GET,
            &format!("/cart/findcartbyhash?hash={b_hash}"),
            &[
                ("authorization", &format!("Bearer {b_jwt}")),
                ("x-api-key", &other.loja_token),
            ],
            Vec::new(),
        )
        .await;
    expect(&r, 401, &error_body("Invalid token"));
    // Customer A cannot read B's cart.
    let r = jwt_get(&app, &a_jwt, &format!("/cart/findcartbyhash?hash={b_hash}")).await;
    expect(&r, 401, &error_body("Cart not found"));
    assert_eq!(a_id, 1);
    // A fresh valid token works, and B's cart is as it was.
    let fresh = mint(&app, &t, b_id, 3600).await;
    let r = jwt_get(&app, &fresh, &format!("/cart/findcartbyhash?hash={b_hash}")).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["data"]["products"][0]["quantity"], json!("3"));
    assert_eq!(r.body["data"]["products"].as_array().map(Vec::len), Some(1));
    let r = app
        .loja_get(&t.loja_token, "/product/findbysku?sku=182577&min=1")
        .await;
    assert_eq!(r.body["data"]["stock"], json!(10), "{}", r.text);
}

/// First adds racing open one cart between them, and every unit counts.
async fn concurrent_first_adds_share_one_cart(app: TestApp) {
    let t = app.tenant().await;
    crate::fixtures::product(&app, &t, "A", 1_000, 0, 5).await;
    let (_, jwt) = shopper(&app, &t, "hugodev@email.com").await;
    let app = std::sync::Arc::new(app);
    let mut set = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let (app, jwt) = (std::sync::Arc::clone(&app), jwt.clone());
        set.spawn(async move { add(&app, &jwt, "A", 1).await });
    }
    let mut hashes = Vec::new();
    while let Some(done) = set.join_next().await {
        hashes.push(done.expect("task"));
    }
    hashes.dedup();
    assert_eq!(hashes.len(), 1, "one open cart");
    let r = jwt_get(
        &app,
        &jwt,
        &format!("/cart/findcartbyhash?hash={}", hashes[0]),
    )
    .await;
    assert_eq!(
        r.body["data"]["products"][0]["quantity"],
        json!("10"),
        "{}",
        r.text
    );
}

/// The doc's token uses standard base64 with padding: accepted too.
async fn standard_base64_tokens_are_accepted(app: TestApp) {
    let t = app.tenant().await;
    let (_, jwt) = shopper(&app, &t, "hugodev@email.com").await;
    let standard: Vec<String> = jwt
        .split('.')
        .map(|seg| {
            let mut s = seg.replace('-', "+").replace('_', "/");
            while s.len() % 4 != 0 {
                s.push('=');
            }
            s
        })
        .collect();
    let r = jwt_get(&app, &standard.join("."), "/cart/findcartbyhash?hash=x").await;
    expect(&r, 401, &error_body("Cart not found"));
}

both_backends!(
    concurrent_first_adds_share_one_cart,
    standard_base64_tokens_are_accepted,
    cart_replays_the_doc,
    cart_errors_are_documented,
    forged_and_foreign_tokens_are_refused,
);
