//! Set-up for customer, cart and order tests: customers registered through
//! `client/register`, logged in through `client/clientlogin`, and calls
//! that carry a customer JWT. For tests that need many customers or a
//! forged token, customers go straight through the store and tokens are
//! signed here with the store's secret.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{json, Value};
use vitrine_store::customers::CustomerFields;
use vitrine_testkit::{Method, Reply, Tenant, TestApp};

/// The password every test customer has.
pub const PASS: &str = "senha-do-cliente";

/// The doc's login example customer (L4698–4833) as `client/register` fields.
pub fn hugo(email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("name", "Hugo Desenvolvedor".into()),
        ("email", email.into()),
        ("pass", PASS.into()),
        ("type", "1".into()),
        ("cpf", "999.999.999-99".into()),
        ("birth_date", "2000-11-11".into()),
        ("cep", "39400-160".into()),
        ("street", "Rua Ouro Fino".into()),
        ("number", "09".into()),
        ("neighborhood", "Bairro Um de Abril".into()),
        ("city", "Montes Claros".into()),
        ("state", "MG".into()),
        ("country", "Brasil".into()),
        ("cellphone", "(38)98989-8989".into()),
        ("telephone", "(38)98989-8989".into()),
    ]
}

/// Registers a customer through `client/register`; returns its id.
pub async fn register(app: &TestApp, t: &Tenant, email: &str) -> i64 {
    let fields = hugo(email);
    let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app
        .loja_form(&t.loja_token, "/client/register", &form)
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["data"]["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("an id")
}

/// Logs in through `client/clientlogin`; returns the reply and the JWT.
pub async fn login(app: &TestApp, t: &Tenant, email: &str) -> (Reply, String) {
    let r = app
        .loja_form(
            &t.loja_token,
            "/client/clientlogin",
            &[("email", email), ("pass", PASS)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let token = r.body["data"]["token"]
        .as_str()
        .expect("a token")
        .to_owned();
    (r, token)
}

/// A registered, logged-in customer: `(id, jwt)`.
pub async fn shopper(app: &TestApp, t: &Tenant, email: &str) -> (i64, String) {
    let id = register(app, t, email).await;
    let (_, token) = login(app, t, email).await;
    (id, token)
}

/// GET with `Authorization: Bearer <jwt>`.
pub async fn jwt_get(app: &TestApp, jwt: &str, path: &str) -> Reply {
    app.call(Method::GET, path, Some(&format!("Bearer {jwt}")), None)
        .await
}

/// POST of a JSON body with `Authorization: Bearer <jwt>`.
pub async fn jwt_post(app: &TestApp, jwt: &str, path: &str, body: Value) -> Reply {
    app.call(
        Method::POST,
        path,
        Some(&format!("Bearer {jwt}")),
        Some(&body),
    )
    .await
}

/// Adds `quantity` units of `sku` to the customer's cart; returns the cart hash.
pub async fn add(app: &TestApp, jwt: &str, sku: &str, quantity: i64) -> String {
    let r = jwt_post(
        app,
        jwt,
        "/cart/addproduct",
        json!({"sku": sku, "quantity": quantity}),
    )
    .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"]["hash"].as_str().expect("hash").to_owned()
}

/// The checkout fields of the doc's example (L4469–4589).
pub fn checkout_body(hash: &str) -> Value {
    json!({
        "hash": hash, "ip_cliente": "127.0.0.1", "tipo_pagamento": "3", "modo_pagamento": "3",
        "tipo_entrega": "Correios - PAC", "codigo_frete": "8", "prazo_frete": "e",
    })
}

/// `n` customers written through the store (one password hash for all:
/// argon2 is slow on purpose); returns their ids.
pub async fn many_customers(app: &TestApp, t: &Tenant, n: usize) -> Vec<i64> {
    let scope = crate::fixtures::scope(t);
    let hash = vitrine_core::credentials::hash_password(PASS).expect("hash");
    let mut tx = app.store.begin().await.expect("tx");
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let fields = CustomerFields {
            customer_type: 1,
            name: format!("Cliente {i}"),
            email: format!("cliente{i}@example.com"),
            status: true,
            ..CustomerFields::default()
        };
        out.push(
            tx.customers()
                .insert(scope, &fields, &hash)
                .await
                .expect("customer")
                .0,
        );
    }
    tx.commit().await.expect("commit");
    out
}

/// A JWT for `customer` signed here with the store's secret: `exp` is now
/// + `expires_in` seconds (negative: already expired).
pub async fn mint(app: &TestApp, t: &Tenant, customer: i64, expires_in: i64) -> String {
    mint_with(app, t, customer, expires_in, Algorithm::HS256).await
}

/// As [`mint`], with another algorithm.
pub async fn mint_with(
    app: &TestApp,
    t: &Tenant,
    customer: i64,
    expires_in: i64,
    alg: Algorithm,
) -> String {
    let mut conn = app.store.conn().await.expect("conn");
    let secret = conn
        .customers()
        .jwt_secret(
            crate::fixtures::scope(t),
            "made-by-the-test-harness-0123456789",
        )
        .await
        .expect("secret");
    let exp = chrono::Utc::now().timestamp() + expires_in;
    let claims = json!({
        "iss": t.store_id, "acc": t.account_id, "id": customer.to_string(),
        "iat": "2023-01-03 15:29:36", "exp": exp,
    });
    jsonwebtoken::encode(
        &Header::new(alg),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("sign")
}
