//! The OpenAPI documents of both faces: what they say (3.1, every route
//! served is documented and every documented operation is served), and
//! schemathesis run against each on a fresh server, on SQLite and on
//! PostgreSQL. Install schemathesis with `python3 -m pip install
//! schemathesis` (`scripts/test` does it when it is missing).

vitrine_testkit::on_citus!(not_yet);

mod snapshot;

use std::collections::BTreeSet;
use std::time::Instant;

use reqwest::Method;
use serde_json::{json, Value};
use vitrine_server::app::Settings;
use vitrine_testkit::{spawn_with, Backend, Tenant, TestApp};

/// Test cases per operation and phase: enough to find server errors and
/// schema violations, small enough that both faces on both backends take a
/// few minutes on two cores. `VITRINE_SCHEMATHESIS_EXAMPLES` overrides it
/// for a deeper run by hand.
const MAX_EXAMPLES: &str = "30";

/// Every Auto route, as `routes::router` registers it.
const AUTO_ROUTES: &[(&str, &str)] = &[
    ("get", "/stores"),
    ("get", "/clients"),
    ("post", "/clients"),
    ("get", "/clients/{id}"),
    ("put", "/clients/{id}"),
    ("patch", "/clients/{id}"),
    ("delete", "/clients/{id}"),
    ("get", "/clients/{id}/vehicles"),
    ("get", "/vehicles"),
    ("post", "/vehicles"),
    ("get", "/vehicles/{id}"),
    ("put", "/vehicles/{id}"),
    ("patch", "/vehicles/{id}"),
    ("delete", "/vehicles/{id}"),
    ("get", "/deals"),
    ("post", "/deals"),
    ("get", "/deals/{id}"),
    ("put", "/deals/{id}"),
    ("patch", "/deals/{id}"),
    ("delete", "/deals/{id}"),
    ("put", "/deals/{id}/phase"),
    ("get", "/activities"),
    ("post", "/activities"),
    ("get", "/activities/{id}"),
    ("put", "/activities/{id}"),
    ("patch", "/activities/{id}"),
    ("delete", "/activities/{id}"),
    ("get", "/financial"),
    ("post", "/financial"),
    ("get", "/financial/summary"),
    ("get", "/financial/{id}"),
    ("put", "/financial/{id}"),
    ("patch", "/financial/{id}"),
    ("get", "/webhooks"),
    ("post", "/webhooks"),
    ("get", "/webhooks/{id}"),
    ("put", "/webhooks/{id}"),
    ("patch", "/webhooks/{id}"),
    ("delete", "/webhooks/{id}"),
    ("get", "/webhooks/{id}/deliveries"),
    ("get", "/webhooks/{id}/deliveries/{delivery_id}"),
    ("post", "/webhooks/{id}/deliveries/{delivery_id}/redeliver"),
];

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// `(method, path)` of every operation of a document.
fn operations(doc: &Value) -> BTreeSet<(String, String)> {
    let mut ops = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if item.get(method).is_some() {
                ops.insert((method.to_owned(), path.clone()));
            }
        }
    }
    ops
}

async fn get_json(app: &TestApp, path: &str) -> Value {
    let reply = app.call(Method::GET, path, None, None).await;
    assert_eq!(reply.status, 200, "GET {path}: {}", reply.text);
    assert!(
        reply
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/json")),
        "GET {path} is JSON"
    );
    reply.body
}

/// A little data, so lists have items whose shape the checks validate.
async fn seed(app: &TestApp, t: &Tenant) {
    let key = &t.api_key;
    let client = app
        .auto(
            key,
            Method::POST,
            "/api/v1/clients",
            Some(
                &json!({"type": "pf", "name": "Maria Souza", "email": "maria@example.com",
                "tags": ["vip"], "address": {"city": "Campinas", "state": "SP"}}),
            ),
        )
        .await;
    assert_eq!(client.status, 201, "{}", client.text);
    let client_id = client.body["data"]["id"].as_str().expect("id").to_owned();
    let vehicle = app
        .auto(
            key,
            Method::POST,
            "/api/v1/vehicles",
            Some(
                &json!({"title": "Jeep Compass", "store_id": t.store_id, "brand": "Jeep",
                "price": 189990.5, "year_model": 2025, "client_id": client_id}),
            ),
        )
        .await;
    assert_eq!(vehicle.status, 201, "{}", vehicle.text);
    let vehicle_id = vehicle.body["data"]["id"].as_str().expect("id").to_owned();
    for (path, body) in [
        (
            "/api/v1/deals",
            json!({"title": "Compass para Maria", "client_id": client_id,
                "vehicle_id": vehicle_id, "value": 185000}),
        ),
        (
            "/api/v1/activities",
            json!({"title": "Ligar para Maria", "type": "ligacao", "client_id": client_id,
                "due_date": "2030-01-10T14:00:00Z"}),
        ),
        (
            "/api/v1/financial",
            json!({"type": "revenue", "category": "venda-veiculo", "amount": 185000,
                "vehicle_id": vehicle_id, "status": "paid"}),
        ),
        (
            "/api/v1/webhooks",
            json!({"url": "http://127.0.0.1:9/hook", "events": ["client.created"]}),
        ),
    ] {
        let reply = app.auto(key, Method::POST, path, Some(&body)).await;
        assert_eq!(reply.status, 201, "POST {path}: {}", reply.text);
    }
    let product = app
        .loja_form(
            &t.loja_token,
            "/product/insert",
            &[
                ("name", "Camiseta Azul"),
                ("sku", "CAM-AZ"),
                ("price", "59.90"),
                ("stock", "10"),
                // Active: an inactive product cannot be put in a cart.
                ("status", "1"),
            ],
        )
        .await;
    assert_eq!(product.status, 201, "{}", product.text);
    let brand = app
        .loja_form(&t.loja_token, "/brand/insert", &[("name", "Marca Boa")])
        .await;
    assert_eq!(brand.status, 200, "{}", brand.text);
}

/// Per-operation settings for schemathesis: the operations whose document
/// lists a `500` (the Loja spec's documented failure for bad input) may
/// answer it.
fn schemathesis_config(doc: &Value) -> String {
    let mut toml = String::new();
    for (method, path) in operations(doc) {
        if doc["paths"][&path][&method]["responses"]
            .get("500")
            .is_some()
        {
            toml.push_str(&format!(
                "[[operations]]\ninclude-path = \"{path}\"\ninclude-method = \"{}\"\n\
                 checks.not_a_server_error.expected-statuses = [\"2xx\", \"3xx\", \"4xx\", \"500\"]\n\n",
                method.to_ascii_uppercase()
            ));
        }
    }
    toml
}

/// Runs schemathesis against one document; panics with its report unless
/// it passes.
async fn schemathesis(
    app: &TestApp,
    doc_path: &str,
    base: &str,
    auth: &str,
    config: &str,
    filter: &[&str],
) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config_file = dir.path().join("schemathesis.toml");
    std::fs::write(&config_file, config).expect("write config");
    let started = Instant::now();
    let output = tokio::process::Command::new("python3")
        .args(["-m", "schemathesis.cli", "--no-color", "--config-file"])
        .arg(&config_file)
        .args([
            "run",
            &format!("{}{doc_path}", app.base_url),
            "--url",
            &format!("{}{base}", app.base_url),
            "--header",
            &format!("Authorization: {auth}"),
            "--checks",
            "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
            // The coverage phase trips over an internal error of hypothesis
            // on some Python versions; examples, fuzzing and stateful
            // (links between operations) still run.
            "--phases",
            "examples,fuzzing,stateful",
            "--max-examples",
            &std::env::var("VITRINE_SCHEMATHESIS_EXAMPLES").unwrap_or_else(|_| MAX_EXAMPLES.into()),
            "--workers",
            "2",
            "--seed",
            "20261124",
            "--generation-database",
            "none",
            "--exclude-deprecated",
        ])
        .args(filter)
        .current_dir(dir.path())
        .output()
        .await
        .expect("python3 runs (is schemathesis installed? python3 -m pip install schemathesis)");
    let report = String::from_utf8_lossy(&output.stdout);
    let summary: Vec<&str> = report
        .lines()
        .filter(|l| l.contains("generated,") || (l.starts_with('=') && l.contains(" in ")))
        .collect();
    println!(
        "schemathesis {doc_path} {filter:?} on {:?}: {:?} in {:.1}s: {}",
        app.backend,
        output.status,
        started.elapsed().as_secs_f64(),
        summary.join(" | ")
    );
    assert!(
        output.status.success(),
        "schemathesis found problems in {doc_path}:\n{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn documents_hold_and_schemathesis_passes(backend: Backend) {
    let app = spawn_with(
        backend,
        Settings {
            // Hundreds of requests a minute from one credential.
            rate_limit_per_minute: 0,
            // The seed's webhook points to 127.0.0.1.
            ..vitrine_testkit::settings()
        },
    )
    .await;
    let t = app.tenant().await;
    seed(&app, &t).await;

    // Auto: 3.1, served the same under both prefixes, every route documented.
    let auto = get_json(&app, "/api/v1/openapi.json").await;
    assert_eq!(auto, get_json(&app, "/v1/openapi.json").await);
    assert!(auto["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.1")));
    let expected: BTreeSet<(String, String)> = AUTO_ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    assert_eq!(operations(&auto), expected);
    assert!(auto["components"]["securitySchemes"]["apiKey"].is_object());
    // Every documented operation is served: without a key it is the
    // envelope's 401, never the router's 404 or 405.
    for (method, path) in operations(&auto) {
        let concrete = path
            .replace("{id}", "01a20cae-ccc6-7192-a53c-eeaba183b30b")
            .replace("{delivery_id}", "01a20cae-ccc6-7192-a53c-eeaba183b30b");
        let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).expect("method");
        let reply = app
            .call(method.clone(), &format!("/api/v1{concrete}"), None, None)
            .await;
        assert_eq!(reply.status, 401, "{method} {path}: {}", reply.text);
        assert_eq!(reply.body["error"]["code"], "UNAUTHORIZED");
    }

    // Loja: 3.1, one operation per row of the endpoint table, each served.
    let loja = get_json(&app, "/openapi/loja.json").await;
    assert!(loja["openapi"]
        .as_str()
        .is_some_and(|v| v.starts_with("3.1")));
    let loja_ops = operations(&loja);
    // One operation per row of `endpoints::table` (a new row adds one here).
    assert_eq!(loja_ops.len(), 79, "rows of the endpoint table");
    for (method, path) in [
        ("get", "/product/findbysku"),
        ("post", "/product/insert"),
        ("post", "/image/insertbyproductsku"),
        ("get", "/cart/findcartbyhash"),
        ("post", "/cart/findcartbyhash"),
        ("post", "/client/clientlogin"),
    ] {
        assert!(
            loja_ops.contains(&(method.to_owned(), path.to_owned())),
            "{method} {path}"
        );
    }
    for (method, path) in &loja_ops {
        let method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).expect("method");
        let reply = app.call(method.clone(), path, None, None).await;
        assert_ne!(
            reply.body["errors"],
            json!(["Endpoint not found"]),
            "{method} {path} is served"
        );
        assert!(
            reply.status == 401 || path == "/client/clientlogin" || path == "/client/register",
            "{method} {path} without a token: {} {}",
            reply.status,
            reply.text
        );
    }

    // /docs works from the binary alone: the page and its assets.
    // Each page starts Swagger UI from a script file of its own (the CSP
    // allows no inline script), which names both documents.
    for (path, start) in [
        ("/docs", "/docs/start/auto.js"),
        ("/docs/loja", "/docs/start/loja.js"),
    ] {
        let page = app.call(Method::GET, path, None, None).await;
        assert_eq!(page.status, 200, "{path}");
        assert!(page.text.contains(start), "{path}: {}", page.text);
        assert!(!page.text.contains("https://"), "no outside asset");
        let script = app.call(Method::GET, start, None, None).await;
        assert_eq!(script.status, 200, "{start}");
        assert!(script.text.contains("/api/v1/openapi.json"), "{start}");
        assert!(script.text.contains("/openapi/loja.json"), "{start}");
        assert!(
            !script.text.contains("https://"),
            "{start}: no outside asset"
        );
    }
    let (status, content_type, bytes) = app.get_bytes("/docs/assets/swagger-ui-bundle.js").await;
    assert_eq!(status, 200);
    assert!(content_type.is_some_and(|c| c.contains("javascript")));
    assert!(bytes.len() > 100_000);

    schemathesis(
        &app,
        "/api/v1/openapi.json",
        "/api/v1",
        &format!("Bearer {}", t.api_key),
        &schemathesis_config(&auto),
        &[],
    )
    .await;
    schemathesis(
        &app,
        "/openapi/loja.json",
        "",
        &format!("Basic {}", t.loja_token),
        &schemathesis_config(&loja),
        &["--exclude-path-regex", "^/cart/"],
    )
    .await;
    // The cart endpoints take a customer's JWT instead of the store token.
    let jwt = customer_with_cart(&app, &t).await;
    schemathesis(
        &app,
        "/openapi/loja.json",
        "",
        &format!("Bearer {jwt}"),
        &schemathesis_config(&loja),
        &["--include-path-regex", "^/cart/"],
    )
    .await;
}

/// A customer registered and logged in through the Loja API, with the
/// seeded product in an open cart; returns its JWT.
async fn customer_with_cart(app: &TestApp, t: &Tenant) -> String {
    let pass = "senha-do-cliente";
    let registered = app
        .loja_form(
            &t.loja_token,
            "/client/register",
            &[
                ("type", "1"),
                ("name", "Hugo Cliente"),
                ("email", "hugo@example.com"),
                ("pass", pass),
                ("cpf", "529.982.247-25"),
            ],
        )
        .await;
    assert_eq!(registered.status, 201, "{}", registered.text);
    let login = app
        .loja_form(
            &t.loja_token,
            "/client/clientlogin",
            &[("email", "hugo@example.com"), ("pass", pass)],
        )
        .await;
    assert_eq!(login.status, 200, "{}", login.text);
    let jwt = login.body["data"]["token"]
        .as_str()
        .expect("a JWT")
        .to_owned();
    let added = app
        .call(
            Method::POST,
            "/cart/addproduct",
            Some(&format!("Bearer {jwt}")),
            Some(&json!({"sku": "CAM-AZ", "quantity": 1})),
        )
        .await;
    assert_eq!(added.status, 200, "{}", added.text);
    jwt
}

mod documents {
    use super::{documents_hold_and_schemathesis_passes, Backend};

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        documents_hold_and_schemathesis_passes(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        documents_hold_and_schemathesis_passes(Backend::Postgres).await;
    }
}
