//! E65 `client/clientlogin` and the `client/register` extension.

use base64::Engine as _;
use serde_json::Value;
use vitrine_testkit::{both_backends, Method, TestApp};

use crate::fixtures::scope;
use crate::shoppers::{add, hugo, login, register, PASS};
use crate::{error_body, expect, text};

/// The login reply with its token replaced by `<JWT>`.
fn without_token(mut body: Value) -> String {
    body["data"]["token"] = Value::from("<JWT>");
    serde_json::to_string(&body).expect("json")
}

async fn login_replays_the_doc(app: TestApp) {
    let t = app.tenant().await;
    let id = register(&app, &t, "hugodev@email.com").await;
    assert_eq!(id, 1);
    // Email matching ignores case.
    let r = app
        .loja_form(
            &t.loja_token,
            "/client/clientlogin",
            &[("email", "HugoDev@Email.com"), ("pass", PASS)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let token = r.body["data"]["token"].as_str().expect("token");
    assert_eq!(token.matches('.').count(), 2, "a JWT");
    // HS256, the store and customer in the claims, 30 days by default.
    let part = |i: usize| -> Value {
        let seg = token.split('.').nth(i).expect("segment");
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(seg)
            .expect("base64url");
        serde_json::from_slice(&bytes).expect("json")
    };
    assert_eq!(part(0)["alg"], Value::from("HS256"));
    let claims = part(1);
    assert_eq!(claims["iss"], Value::from(t.store_id.clone()));
    assert_eq!(claims["id"], Value::from("1"));
    let left = claims["exp"].as_i64().expect("exp") - chrono::Utc::now().timestamp();
    assert!((30 * 86_400 - 60..=30 * 86_400).contains(&left), "{left}");
    assert_eq!(
        without_token(r.body.clone()),
        r#"{"success":true,"errors":[],"data":{"id":"1","name":"Hugo Desenvolvedor","email":"hugodev@email.com","token":"<JWT>","cep":"39400-160","street":"Rua Ouro Fino","number":"09","address_details":"","neighborhood":"Bairro Um de Abril","city":"Montes Claros","state":"MG","country":"Brasil","cellphone":"(38)98989-8989","telephone":"(38)98989-8989","hash_cart":"","products_cart":[],"total_quantity":0,"price":0}}"#
    );
    // Basic form (Min / min).
    for key in ["Min", "min"] {
        let r = app
            .loja_form(
                &t.loja_token,
                "/client/clientlogin",
                &[("email", "hugodev@email.com"), ("pass", PASS), (key, "1")],
            )
            .await;
        assert_eq!(
            without_token(r.body.clone()),
            r#"{"success":true,"errors":[],"data":{"id":"1","name":"Hugo Desenvolvedor","email":"hugodev@email.com","token":"<JWT>"}}"#
        );
    }
}

async fn login_shows_the_open_cart(app: TestApp) {
    let t = app.tenant().await;
    crate::fixtures::product(&app, &t, "INTELBRAS-00", 9_459, 0, 10).await;
    register(&app, &t, "hugodev@email.com").await;
    let (_, jwt) = login(&app, &t, "hugodev@email.com").await;
    let hash = add(&app, &jwt, "INTELBRAS-00", 1).await;
    assert_eq!(hash.len(), 24);
    let (r, _) = login(&app, &t, "hugodev@email.com").await;
    let data = &r.body["data"];
    assert_eq!(data["hash_cart"], Value::from(hash));
    assert_eq!(data["total_quantity"], Value::from(1));
    assert_eq!(data["price"], serde_json::json!(94.59));
    let line = &data["products_cart"][0];
    assert_eq!(line["stipulated_price"], serde_json::json!(94.59));
    assert_eq!(line["variety"], serde_json::json!([]));
    assert_eq!(line["quantity"], Value::from("1"));
}

async fn bad_logins_are_refused(app: TestApp) {
    let t = app.tenant().await;
    register(&app, &t, "hugodev@email.com").await;
    let other = app.tenant().await;
    type Case<'a> = (&'a str, &'a str, &'a [(&'a str, &'a str)]);
    let cases: &[Case<'_>] = &[
        (
            "wrong password",
            &t.loja_token,
            &[("email", "hugodev@email.com"), ("pass", "errada")],
        ),
        (
            "unknown email",
            &t.loja_token,
            &[("email", "ninguem@email.com"), ("pass", PASS)],
        ),
        ("missing fields", &t.loja_token, &[]),
        (
            "another store's token",
            &other.loja_token,
            &[("email", "hugodev@email.com"), ("pass", PASS)],
        ),
    ];
    for (reason, token, form) in cases {
        let r = app.loja_form(token, "/client/clientlogin", form).await;
        assert_eq!(
            (r.status, text(&r)),
            (401, error_body("Usar and password does not found")),
            "{reason}"
        );
    }
    // The doc's literal wrong-method answer (I-12).
    let r = app
        .call(
            Method::GET,
            "/client/clientlogin",
            Some(&format!("Basic {}", t.loja_token)),
            None,
        )
        .await;
    expect(&r, 401, &error_body("Invalid request - Needed: GET"));
    let r = app
        .loja_form("bm90OnZhbGlk", "/client/clientlogin", &[])
        .await;
    expect(&r, 401, &error_body("Invalid token"));
}

async fn registration_validates_and_hashes(app: TestApp) {
    let t = app.tenant().await;
    register(&app, &t, "hugodev@email.com").await;
    let mut fields = hugo("HUGODEV@email.com");
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app
        .loja_form(&t.loja_token, "/client/register", &form)
        .await;
    expect(&r, 400, &error_body("Email already registered"));
    fields.retain(|(k, _)| *k != "pass");
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app
        .loja_form(&t.loja_token, "/client/register", &form)
        .await;
    expect(&r, 400, &error_body("Invalid password"));
    let r = app
        .loja_form(
            &t.loja_token,
            "/client/register",
            &[("name", "Sem email"), ("pass", PASS)],
        )
        .await;
    expect(&r, 400, &error_body("Invalid email"));
    // The password is kept as an argon2id hash only.
    let mut conn = app.store.conn().await.expect("conn");
    let stored = conn
        .customers()
        .find_by_email(scope(&t), "hugodev@email.com")
        .await
        .expect("read")
        .expect("the first registration");
    assert!(stored.password_hash.starts_with("$argon2id$"));
    assert!(!stored.password_hash.contains(PASS));
    // The same email is free in another store.
    let other = app.tenant().await;
    assert_eq!(register(&app, &other, "hugodev@email.com").await, 1);
}

/// A burst of sign-ins (argon2 each, deliberately slow) is served whole:
/// no request times out waiting for a database connection, and the
/// catalogue answers in the middle of it.
async fn a_burst_of_logins_is_served(app: TestApp) {
    let t = app.tenant().await;
    register(&app, &t, "rajada@example.com").await;
    let logins = (0..24).map(|i| {
        let (app, t) = (&app, &t);
        async move {
            let pass = if i % 3 == 0 { "senha-errada" } else { PASS };
            let r = app
                .loja_form(
                    &t.loja_token,
                    "/client/clientlogin",
                    &[
                        ("email", "rajada@example.com"),
                        ("pass", pass),
                        ("min", "1"),
                    ],
                )
                .await;
            (pass == PASS, r.status)
        }
    });
    let design = app.loja_get(&t.loja_token, "/design/getDesignforProducts");
    let (results, design) = tokio::join!(futures_util::future::join_all(logins), design);
    assert_eq!(design.status, 200, "{}", design.text);
    for (right, status) in results {
        assert_eq!(status, if right { 200 } else { 401 });
    }
}

both_backends!(
    a_burst_of_logins_is_served,
    login_replays_the_doc,
    login_shows_the_open_cart,
    bad_logins_are_refused,
    registration_validates_and_hashes,
);
