//! Customer JWTs can be revoked (issue 12.15): `vitrine stores
//! rotate-credentials` ends every session of the store's customers, and a
//! customer's password change (`client/changepassword`) ends every session
//! of that customer. Both are checked on each request in the lookup that
//! reads the store's signing secret.

use std::process::Command;

use serde_json::{json, Value};
use vitrine_testkit::{both_backends, Reply, Tenant, TestApp};

use crate::shoppers::{add, jwt_get, jwt_post, login, shopper, PASS};
use crate::{error_body, expect};

/// The customer's cart read with `jwt`.
async fn cart(app: &TestApp, jwt: &str, hash: &str) -> Reply {
    jwt_get(app, jwt, &format!("/cart/findcartbyhash?hash={hash}")).await
}

#[track_caller]
fn refused(r: &Reply) {
    expect(r, 401, &error_body("Invalid token"));
}

/// `vitrine stores rotate-credentials` run against the test's database, as
/// an operator would; returns the new store token.
fn rotate(app: &TestApp, t: &Tenant) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args([
            "stores",
            "rotate-credentials",
            "--database-url",
            &app.database_url,
            "--account",
            &t.account_id,
            "--store",
            &t.store_id,
            "--json",
        ])
        .output()
        .expect("the vitrine binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed: Value = serde_json::from_slice(&out.stdout).expect("json");
    printed["loja_token"].as_str().expect("a token").to_owned()
}

async fn rotating_store_credentials_ends_customer_sessions(app: TestApp) {
    let t = app.tenant().await;
    crate::fixtures::product(&app, &t, "A", 1_000, 0, 10).await;
    let (_, ana) = shopper(&app, &t, "ana@email.com").await;
    let (_, bia) = shopper(&app, &t, "bia@email.com").await;
    let hash = add(&app, &ana, "A", 1).await;
    assert_eq!(cart(&app, &ana, &hash).await.status, 200);
    // Another store of another account is not touched.
    let other = app.tenant().await;
    let (_, outsider) = shopper(&app, &other, "ana@email.com").await;

    let token = rotate(&app, &t);
    // Before: both tokens kept working for their 30 days.
    refused(&cart(&app, &ana, &hash).await);
    refused(&jwt_post(&app, &bia, "/cart/addproduct", json!({"sku": "A"})).await);
    // The old store token is revoked; the new one logs customers in, and
    // their new tokens work; the cart is still there.
    refused(&app.loja_get(&t.loja_token, "/product/retainedstock").await);
    let r = app
        .loja_form(
            &token,
            "/client/clientlogin",
            &[("email", "ana@email.com"), ("pass", PASS)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let fresh = r.body["data"]["token"].as_str().expect("token").to_owned();
    let r = cart(&app, &fresh, &hash).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["data"]["products"][0]["quantity"], json!("1"));
    let r = jwt_get(&app, &outsider, "/cart/findcartbyhash?hash=x").await;
    expect(&r, 401, &error_body("Cart not found"));
}

async fn a_password_change_ends_that_customers_sessions(app: TestApp) {
    let t = app.tenant().await;
    crate::fixtures::product(&app, &t, "A", 1_000, 0, 10).await;
    let (_, ana) = shopper(&app, &t, "ana@email.com").await;
    let (_, ana_phone) = login(&app, &t, "ana@email.com").await;
    let (_, bia) = shopper(&app, &t, "bia@email.com").await;
    let hash = add(&app, &ana, "A", 2).await;
    let bia_hash = add(&app, &bia, "A", 1).await;

    // A wrong current password changes nothing.
    let r = jwt_post(
        &app,
        &ana,
        "/client/changepassword",
        json!({"pass": "not-it", "new_pass": "nova-senha-123"}),
    )
    .await;
    expect(&r, 401, &error_body("Usar and password does not found"));
    let r = jwt_post(
        &app,
        &ana,
        "/client/changepassword",
        json!({"pass": PASS, "new_pass": "curta"}),
    )
    .await;
    expect(&r, 400, &error_body("Invalid password"));
    assert_eq!(cart(&app, &ana_phone, &hash).await.status, 200);

    let r = jwt_post(
        &app,
        &ana,
        "/client/changepassword",
        json!({"pass": PASS, "new_pass": "nova-senha-123"}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let fresh = r.body["data"]["token"].as_str().expect("token").to_owned();
    // Every token issued before, on every device, is refused; the fresh
    // one works; another customer's session is untouched.
    refused(&cart(&app, &ana, &hash).await);
    refused(&cart(&app, &ana_phone, &hash).await);
    let r = cart(&app, &fresh, &hash).await;
    assert_eq!(
        r.body["data"]["products"][0]["quantity"],
        json!("2"),
        "{}",
        r.text
    );
    assert_eq!(cart(&app, &bia, &bia_hash).await.status, 200);
    // The old password no longer logs in; the new one does, and the
    // token it gives works.
    let r = app
        .loja_form(
            &t.loja_token,
            "/client/clientlogin",
            &[("email", "ana@email.com"), ("pass", PASS)],
        )
        .await;
    expect(&r, 401, &error_body("Usar and password does not found"));
    let r = app
        .loja_form(
            &t.loja_token,
            "/client/clientlogin",
            &[("email", "ana@email.com"), ("pass", "nova-senha-123")],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let again = r.body["data"]["token"].as_str().expect("token").to_owned();
    assert_eq!(cart(&app, &again, &hash).await.status, 200);
    // A refused token cannot change the password either.
    let r = jwt_post(
        &app,
        &ana,
        "/client/changepassword",
        json!({"pass": "nova-senha-123", "new_pass": "outra-senha-456"}),
    )
    .await;
    refused(&r);
}

both_backends!(
    rotating_store_credentials_ends_customer_sessions,
    a_password_change_ends_that_customers_sessions,
);
