//! Rate limits (ecosys-auto-api.md §3.9): per Auto API key and per Loja
//! credential, a fixed one-minute window counted by each node.
//!
//! Each case runs a second node with a limit of 3 on the test's database;
//! the first node (default settings) reads state back and shows that
//! another node keeps its own count. No case waits for a window to end.

use std::time::{SystemTime, UNIX_EPOCH};

use vitrine_server::app::Settings;
use vitrine_testkit::{both_backends, json, spawn_second, Method, Reply, TestApp};

const LIMIT: u32 = 3;

async fn limited(app: &TestApp, limit: u32) -> TestApp {
    let settings = Settings {
        rate_limit_per_minute: limit,
        ..Settings::default()
    };
    spawn_second(app, settings).await
}

fn header(reply: &Reply, name: &str) -> Option<String> {
    reply
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn number(reply: &Reply, name: &str) -> i64 {
    header(reply, name)
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{name} missing or not a number: {:?}", reply.headers))
}

fn now() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    i64::try_from(secs).expect("fits")
}

/// The three headers of an admitted request, with `remaining` left.
fn assert_quota(reply: &Reply, remaining: i64, why: &str) {
    assert_ne!(reply.status, 429, "{why}: {}", reply.text);
    assert_eq!(
        number(reply, "x-ratelimit-limit"),
        i64::from(LIMIT),
        "{why}"
    );
    assert_eq!(number(reply, "x-ratelimit-remaining"), remaining, "{why}");
    let reset = number(reply, "x-ratelimit-reset");
    let now = now();
    assert!(
        reset > now - 1 && reset <= now + 60,
        "{why}: reset {reset} within the next minute of {now}"
    );
    assert_eq!(header(reply, "retry-after"), None, "{why}");
}

/// A refused request: 429, `Retry-After` within the window, `Remaining` 0.
fn assert_refused(reply: &Reply, why: &str) {
    assert_eq!(reply.status, 429, "{why}: {}", reply.text);
    let retry = number(reply, "retry-after");
    assert!((1..=60).contains(&retry), "{why}: Retry-After {retry}");
    assert_eq!(number(reply, "x-ratelimit-remaining"), 0, "{why}");
    assert_eq!(
        number(reply, "x-ratelimit-limit"),
        i64::from(LIMIT),
        "{why}"
    );
}

const AUTO_429: &str = r#"{"success":false,"error":{"code":"RATE_LIMIT_EXCEEDED","message":"Limite de requisições excedido"}}"#;
const LOJA_429: &str = r#"{"success":false,"errors":["Too many requests"],"data":[]}"#;

async fn auto_counts_down_then_refuses(app: TestApp) {
    let node = limited(&app, LIMIT).await;
    let t = app.tenant().await;
    // Both prefixes spend the same key's budget.
    for (path, remaining) in [
        ("/api/v1/stores", 2),
        ("/v1/stores", 1),
        ("/api/v1/stores", 0),
    ] {
        let reply = node.auto(&t.api_key, Method::GET, path, None).await;
        assert_eq!(reply.status, 200, "{path}: {}", reply.text);
        assert_quota(&reply, remaining, path);
    }
    let refused = node
        .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_refused(&refused, "fourth request");
    assert_eq!(refused.text, AUTO_429);

    // A bad key is a 401 without quota headers, and costs nobody.
    let bad = node
        .auto("ea_live_nao_existe", Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(bad.status, 401, "{}", bad.text);
    assert_eq!(header(&bad, "x-ratelimit-remaining"), None);

    // Another node counts on its own (documented as per node).
    let elsewhere = app
        .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(elsewhere.status, 200, "{}", elsewhere.text);
    assert_eq!(number(&elsewhere, "x-ratelimit-limit"), 600);
}

async fn loja_counts_down_then_refuses(app: TestApp) {
    let node = limited(&app, LIMIT).await;
    let t = app.tenant().await;
    // Two ways to present the same credentials: one budget.
    let by_param = format!("/product/findbyname?name=x&token={}", t.loja_token);
    for (remaining, reply) in [
        (2, node.loja_get(&t.loja_token, "/manufacturer/list").await),
        (1, node.call(Method::GET, &by_param, None, None).await),
        (0, node.loja_get(&t.loja_token, "/manufacturer/list").await),
    ] {
        // Not-found answers are authenticated responses too.
        assert!(reply.status == 200 || reply.status == 404, "{}", reply.text);
        assert_quota(&reply, remaining, "loja");
    }
    let refused = node.loja_get(&t.loja_token, "/manufacturer/list").await;
    assert_refused(&refused, "fourth request");
    assert_eq!(refused.text, LOJA_429);

    let bad = node.loja_get("bm9wZTpub3Bl", "/manufacturer/list").await;
    assert_eq!(bad.status, 401, "{}", bad.text);
    assert_eq!(header(&bad, "x-ratelimit-remaining"), None);
}

async fn refused_writes_write_nothing(app: TestApp) {
    let node = limited(&app, LIMIT).await;
    let t = app.tenant().await;
    for _ in 0..LIMIT {
        let r = node
            .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let r = node.loja_get(&t.loja_token, "/manufacturer/list").await;
        assert_ne!(r.status, 429, "{}", r.text);
    }
    let client = json!({"type": "PF", "name": "João da Silva"});
    let refused = node
        .auto(&t.api_key, Method::POST, "/api/v1/clients", Some(&client))
        .await;
    assert_refused(&refused, "auto POST");
    assert_eq!(refused.text, AUTO_429);
    let refused = node
        .loja_form(&t.loja_token, "/brand/insert", &[("name", "Logitech")])
        .await;
    assert_refused(&refused, "loja POST");
    assert_eq!(refused.text, LOJA_429);

    // Read back through the unlimited node: nothing was created.
    let clients = app
        .auto(&t.api_key, Method::GET, "/api/v1/clients", None)
        .await;
    assert_eq!(clients.status, 200, "{}", clients.text);
    assert_eq!(clients.body["data"], json!([]), "{}", clients.text);
    let brands = app.loja_get(&t.loja_token, "/brand/findbyname").await;
    assert_eq!(
        brands.text, r#"{"success":false,"errors":["Brand not found"],"data":[]}"#,
        "no brand stored"
    );
}

async fn each_credential_has_its_own_budget(app: TestApp) {
    let node = limited(&app, LIMIT).await;
    let a = app.tenant().await;
    let b = app.tenant().await;
    for _ in 0..LIMIT {
        let r = node
            .auto(&a.api_key, Method::GET, "/api/v1/stores", None)
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let r = node.loja_get(&a.loja_token, "/manufacturer/list").await;
        assert_ne!(r.status, 429, "{}", r.text);
    }
    let spent = node
        .auto(&a.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(spent.status, 429, "{}", spent.text);
    let spent = node.loja_get(&a.loja_token, "/manufacturer/list").await;
    assert_eq!(spent.status, 429, "{}", spent.text);

    let other = node
        .auto(&b.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(other.status, 200, "{}", other.text);
    assert_quota(&other, 2, "another tenant's key");
    let other = node.loja_get(&b.loja_token, "/manufacturer/list").await;
    assert_quota(&other, 2, "another store's credentials");
}

/// A customer registered and logged in on `app` (not on the limited node,
/// so setting up spends none of its budget); returns the JWT.
async fn shopper(app: &TestApp, t: &vitrine_testkit::Tenant, email: &str) -> String {
    let pass = "senha-do-cliente";
    let form = [
        ("name", "Hugo Desenvolvedor"),
        ("email", email),
        ("pass", pass),
        ("type", "1"),
        ("cpf", "999.999.999-99"),
        ("cellphone", "(38)98989-8989"),
    ];
    let r = app
        .loja_form(&t.loja_token, "/client/register", &form)
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = app
        .loja_form(
            &t.loja_token,
            "/client/clientlogin",
            &[("email", email), ("pass", pass)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"]["token"]
        .as_str()
        .expect("a token")
        .to_owned()
}

async fn each_customer_has_its_own_budget(app: TestApp) {
    let node = limited(&app, LIMIT).await;
    let t = app.tenant().await;
    let hugo = shopper(&app, &t, "hugo@email.com").await;
    let ana = shopper(&app, &t, "ana@email.com").await;
    let cart = |jwt: &str| {
        let auth = format!("Bearer {jwt}");
        let node = &node;
        async move {
            node.call(
                Method::GET,
                "/cart/findcartbyhash?hash=x",
                Some(&auth),
                None,
            )
            .await
        }
    };
    for remaining in [2, 1, 0] {
        let r = cart(&hugo).await;
        assert_quota(&r, remaining, "customer JWT");
    }
    let refused = cart(&hugo).await;
    assert_refused(&refused, "fourth customer request");
    assert_eq!(refused.text, LOJA_429);

    assert_quota(&cart(&ana).await, 2, "another customer");
    let store = node.loja_get(&t.loja_token, "/manufacturer/list").await;
    assert_quota(&store, 2, "the store's own credentials");
}

async fn zero_disables_the_limit(app: TestApp) {
    let node = limited(&app, 0).await;
    let t = app.tenant().await;
    for _ in 0..20 {
        let r = node
            .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(header(&r, "x-ratelimit-limit"), None, "no headers when off");
        let r = node.loja_get(&t.loja_token, "/manufacturer/list").await;
        assert_ne!(r.status, 429, "{}", r.text);
        assert_eq!(header(&r, "x-ratelimit-limit"), None, "no headers when off");
    }
}

both_backends!(
    auto_counts_down_then_refuses,
    loja_counts_down_then_refuses,
    refused_writes_write_nothing,
    each_credential_has_its_own_budget,
    each_customer_has_its_own_budget,
    zero_disables_the_limit,
);
