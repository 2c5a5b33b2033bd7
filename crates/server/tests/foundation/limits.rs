//! Request limits: rate limits (ecosys-auto-api.md §3.9: per Auto API key
//! and per Loja credential, a fixed one-minute window counted by each
//! node), then the protections of issue #8 (header size, slow clients,
//! request timeout, deeply nested input).
//!
//! Each case runs a second node with a limit of 3 on the test's database;
//! the first node (default settings) reads state back and shows that
//! another node keeps its own count. No case waits for a window to end.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use vitrine_server::app::Settings;
use vitrine_testkit::{both_backends, json, spawn_second, Backend, Method, Reply, TestApp};

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

/// A raw HTTP/1.1 exchange: writes `request`, reads until the server
/// closes or `wait` passes; returns what came back.
async fn raw_exchange(app: &TestApp, request: &[u8], wait: Duration) -> (Vec<u8>, bool) {
    let addr = app.base_url.trim_start_matches("http://");
    let mut socket = TcpStream::connect(addr).await.expect("connect");
    socket.write_all(request).await.expect("write");
    let mut got = Vec::new();
    let closed = tokio::time::timeout(wait, async {
        let mut buf = [0_u8; 4096];
        loop {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .is_ok();
    (got, closed)
}

fn status_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .next()
        .unwrap_or_default()
        .to_owned()
}

async fn oversized_headers_get_431_and_the_server_goes_on(app: TestApp) {
    let big = "x".repeat(40 * 1024);
    let request = format!(
        "GET /healthz HTTP/1.1\r\nHost: vitrine\r\nX-Filler: {big}\r\nConnection: close\r\n\r\n"
    );
    let (reply, closed) = raw_exchange(&app, request.as_bytes(), Duration::from_secs(10)).await;
    assert!(
        status_line(&reply).starts_with("HTTP/1.1 431"),
        "{:?}",
        status_line(&reply)
    );
    assert!(closed, "the connection is closed after a 431");

    // Under the limit (32 KiB by default) is fine.
    let cookie = "c".repeat(16 * 1024);
    let fine = app
        .raw(
            Method::GET,
            "/healthz",
            &[("x-filler", &cookie)],
            Vec::new(),
        )
        .await;
    assert_eq!(fine.status, 200, "{}", fine.text);
    let t = app.tenant().await;
    let r = app
        .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(r.status, 200, "still serving: {}", r.text);
}

async fn slow_clients_are_disconnected_while_others_are_served(app: TestApp) {
    let settings = Settings {
        header_read_timeout: Duration::from_secs(1),
        ..Settings::default()
    };
    let node = spawn_second(&app, settings).await;
    let addr = node.base_url.trim_start_matches("http://").to_owned();
    // Half a request, then silence.
    let mut stalled = TcpStream::connect(&addr).await.expect("connect");
    stalled
        .write_all(b"POST /api/v1/clients HTTP/1.1\r\nHost: vitrine\r\nContent-Ty")
        .await
        .expect("write");
    // Others are served meanwhile.
    for _ in 0..3 {
        let ok = node.call(Method::GET, "/healthz", None, None).await;
        assert_eq!(ok.status, 200, "{}", ok.text);
    }
    // The stalled connection is closed by the server (an answer, if any,
    // is not a success), long before the client gives up.
    let mut got = Vec::new();
    let closed = tokio::time::timeout(Duration::from_secs(8), async {
        let mut buf = [0_u8; 1024];
        loop {
            match stalled.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => got.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await
    .is_ok();
    assert!(closed, "the slow client was disconnected");
    assert!(
        got.is_empty() || !status_line(&got).starts_with("HTTP/1.1 2"),
        "{:?}",
        String::from_utf8_lossy(&got)
    );
    // On a new connection: the harness's pooled one has been idle past the
    // timeout too, and the server closes idle connections alike.
    let (ok, _) = raw_exchange(
        &node,
        b"GET /healthz HTTP/1.1\r\nHost: vitrine\r\nConnection: close\r\n\r\n",
        Duration::from_secs(10),
    )
    .await;
    assert!(
        status_line(&ok).starts_with("HTTP/1.1 200"),
        "{:?}",
        status_line(&ok)
    );
}

/// Holds the tables a client or brand insert needs, from outside the server.
enum Blocker {
    Sqlite(sqlx::SqliteConnection),
    Postgres(sqlx::PgConnection),
}

async fn block_writes(app: &TestApp) -> Blocker {
    use sqlx::Connection;
    match app.backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&app.database_url)
                .await
                .expect("sqlite");
            sqlx::query("BEGIN IMMEDIATE")
                .execute(&mut c)
                .await
                .expect("write lock");
            Blocker::Sqlite(c)
        }
        Backend::Postgres | Backend::Citus => {
            let mut c = sqlx::PgConnection::connect(&app.database_url)
                .await
                .expect("postgres");
            sqlx::query("BEGIN").execute(&mut c).await.expect("begin");
            sqlx::query("LOCK TABLE clients, brands IN EXCLUSIVE MODE")
                .execute(&mut c)
                .await
                .expect("lock");
            Blocker::Postgres(c)
        }
    }
}

async fn unblock(blocker: Blocker) {
    match blocker {
        Blocker::Sqlite(mut c) => {
            sqlx::query("ROLLBACK")
                .execute(&mut c)
                .await
                .expect("rollback");
        }
        Blocker::Postgres(mut c) => {
            sqlx::query("ROLLBACK")
                .execute(&mut c)
                .await
                .expect("rollback");
        }
    }
}

async fn clients_of(app: &TestApp, key: &str) -> usize {
    let r = app.auto(key, Method::GET, "/api/v1/clients", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"].as_array().map_or(0, Vec::len)
}

async fn slow_requests_time_out_in_the_envelope(app: TestApp) {
    let t = app.tenant().await;
    let settings = Settings {
        request_timeout: Some(Duration::from_secs(2)),
        ..Settings::default()
    };
    let node = spawn_second(&app, settings).await;
    let body = json!({"type": "PF", "name": "Lenta"});
    let blocker = block_writes(&app).await;
    let auth = format!("Bearer {}", t.api_key);
    let keyed = [
        ("authorization", auth.as_str()),
        ("idempotency-key", "lenta"),
        ("content-type", "application/json"),
    ];
    let bytes = serde_json::to_vec(&body).expect("json");
    let (slow, duplicate) = tokio::join!(
        node.raw(Method::POST, "/api/v1/clients", &keyed, bytes.clone()),
        async {
            // After the first has claimed the key (PostgreSQL lets the
            // claim through; SQLite's single writer holds it back too).
            tokio::time::sleep(Duration::from_millis(300)).await;
            node.raw(Method::POST, "/api/v1/clients", &keyed, bytes.clone())
                .await
        }
    );
    assert_eq!(slow.status, 408, "{}", slow.text);
    assert_eq!(
        slow.text,
        r#"{"success":false,"error":{"code":"REQUEST_TIMEOUT","message":"A requisição excedeu o tempo limite do servidor"}}"#
    );
    if app.backend != Backend::Sqlite {
        // The duplicate waited for the first, then gave up before the timeout.
        assert_eq!(duplicate.status, 409, "{}", duplicate.text);
        assert_eq!(
            duplicate.body["error"]["code"], "IDEMPOTENCY_KEY_IN_PROGRESS",
            "{}",
            duplicate.text
        );
    } else {
        assert!(
            duplicate.status == 408 || duplicate.status == 409,
            "{}",
            duplicate.text
        );
    }
    let loja = node
        .loja_form(&t.loja_token, "/brand/insert", &[("name", "Lenta")])
        .await;
    assert_eq!(
        (loja.status, loja.text.as_str()),
        (
            408,
            r#"{"success":false,"errors":["Request timeout"],"data":[]}"#
        )
    );
    unblock(blocker).await;

    // The timed-out request wrote nothing and released its key: the retry runs.
    assert_eq!(clients_of(&app, &t.api_key).await, 0);
    let mut retry = node
        .raw(Method::POST, "/api/v1/clients", &keyed, bytes.clone())
        .await;
    for _ in 0..20 {
        // The release of a cancelled claim is asynchronous.
        if retry.status != 409 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        retry = node
            .raw(Method::POST, "/api/v1/clients", &keyed, bytes.clone())
            .await;
    }
    assert_eq!(retry.status, 201, "{}", retry.text);
    assert_eq!(clients_of(&app, &t.api_key).await, 1);
}

fn nested(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

async fn deeply_nested_input_is_a_clean_error(app: TestApp) {
    const DEPTH: usize = 10_000;
    let t = app.tenant().await;
    let auth = format!("Bearer {}", t.api_key);
    let headers = [
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
    ];
    // An unknown field is kept raw and never parsed, so it may pass.
    for (why, body, may_pass) in [
        ("whole body", nested(DEPTH), false),
        (
            "in a field",
            format!(r#"{{"type":"PF","name":{}}}"#, nested(DEPTH)),
            false,
        ),
        (
            "in an unknown field",
            format!(r#"{{"type":"PF","name":"Ana","x":{}}}"#, nested(DEPTH)),
            true,
        ),
    ] {
        let r = app
            .raw(Method::POST, "/api/v1/clients", &headers, body.into_bytes())
            .await;
        if may_pass && r.status == 201 {
            continue;
        }
        assert_eq!(r.status, 400, "{why}: {}", r.text);
        assert_eq!(r.body["success"], false, "{why}: {}", r.text);
        assert_eq!(r.body["error"]["code"], "VALIDATION_ERROR", "{why}");
    }

    let basic = format!("Basic {}", t.loja_token);
    let json_body = format!(r#"{{"name":{}}}"#, nested(DEPTH));
    let r = app
        .raw(
            Method::POST,
            "/brand/insert",
            &[
                ("authorization", &basic),
                ("content-type", "application/json"),
            ],
            json_body.into_bytes(),
        )
        .await;
    assert_eq!(
        (r.status, r.text.as_str()),
        (
            400,
            r#"{"success":false,"errors":["Invalid JSON body"],"data":[]}"#
        )
    );
    // PHP-style nested form keys: deeper than 64 levels are dropped, as PHP does.
    let form = format!("name{}=Logitech", "[a]".repeat(DEPTH));
    let r = app
        .raw(
            Method::POST,
            "/brand/insert",
            &[
                ("authorization", &basic),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            form.into_bytes(),
        )
        .await;
    assert_eq!(r.body["success"], false, "{}", r.text);
    assert!(
        r.status < 500 || r.status == 500 && r.body["errors"].is_array(),
        "{}",
        r.text
    );

    // Still serving.
    let r = app
        .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// Issue 12, item 17: the account has one budget whatever number of keys,
/// store credentials and customers it makes, across both APIs.
async fn an_account_has_one_budget_across_keys_and_faces(app: TestApp) {
    let node = spawn_second(
        &app,
        Settings {
            rate_limit_per_minute: 3,
            account_rate_limit_per_minute: 5,
            ..Settings::default()
        },
    )
    .await;
    let t = app.tenant().await;
    let account = t.account_id.parse().expect("account");
    let mut tx = app.store.begin().await.expect("tx");
    let mut keys = Vec::new();
    for name in ["B", "C"] {
        let key = vitrine_core::credentials::mint_api_key();
        tx.api_keys()
            .insert(account, name, &key)
            .await
            .expect("key");
        keys.push(key.secret.plaintext.clone());
    }
    tx.commit().await.expect("commit");
    let (b, c) = (&keys[0], &keys[1]);

    // Three of the first key's own three, then one of B's and one of the
    // store token's: the headers name the tighter budget.
    for remaining in [2, 1, 0] {
        let r = node
            .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(number(&r, "x-ratelimit-limit"), 3);
        assert_eq!(number(&r, "x-ratelimit-remaining"), remaining);
    }
    let r = node.auto(b, Method::GET, "/api/v1/stores", None).await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        (
            number(&r, "x-ratelimit-limit"),
            number(&r, "x-ratelimit-remaining")
        ),
        (5, 1),
        "the account's budget binds"
    );
    let r = node.loja_get(&t.loja_token, "/manufacturer/list").await;
    assert_ne!(r.status, 429, "{}", r.text);
    assert_eq!(number(&r, "x-ratelimit-remaining"), 0);

    // The account is spent: a fresh key, a write, the store token.
    let refused = node.auto(c, Method::GET, "/api/v1/stores", None).await;
    assert_eq!(refused.status, 429, "{}", refused.text);
    assert_eq!(refused.text, AUTO_429);
    assert!((1..=60).contains(&number(&refused, "retry-after")));
    assert_eq!(number(&refused, "x-ratelimit-limit"), 5);
    let write = node
        .auto(
            c,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PF", "name": "Não"})),
        )
        .await;
    assert_eq!(write.status, 429, "{}", write.text);
    let loja = node.loja_get(&t.loja_token, "/manufacturer/list").await;
    assert_eq!((loja.status, loja.text.as_str()), (429, LOJA_429));
    let clients = app
        .auto(&t.api_key, Method::GET, "/api/v1/clients", None)
        .await;
    assert_eq!(clients.body["data"], json!([]), "nothing written");

    // Another account is untouched.
    let other = app.tenant().await;
    let r = node
        .auto(&other.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}

/// Issue 12, item 17: requests that do not authenticate are counted per
/// client address; once an address has spent its budget its API requests
/// get 429 until the minute ends. Authenticated requests spend nothing.
async fn unauthenticated_requests_are_limited_per_address(app: TestApp) {
    let node = spawn_second(
        &app,
        Settings {
            address_rate_limit_per_minute: 3,
            ..Settings::default()
        },
    )
    .await;
    let t = app.tenant().await;
    for _ in 0..5 {
        let r = node
            .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
            .await;
        assert_eq!(
            r.status, 200,
            "authenticated requests spend nothing: {}",
            r.text
        );
    }
    let wrong = "ea_live_nao_existe_0000000000000000000000";
    let unauthenticated = [
        node.call(Method::GET, "/api/v1/stores", None, None).await,
        node.auto(wrong, Method::GET, "/api/v1/stores", None).await,
        node.loja_get("bm9wZTpub3Bl", "/manufacturer/list").await,
    ];
    for r in &unauthenticated {
        assert_eq!(r.status, 401, "{}", r.text);
    }
    // The health check, the docs and the panel are not counted, nor refused.
    assert_eq!(
        node.call(Method::GET, "/healthz", None, None).await.status,
        200
    );
    assert_eq!(
        node.call(Method::GET, "/painel/entrar", None, None)
            .await
            .status,
        200
    );

    let refused = node.call(Method::GET, "/api/v1/stores", None, None).await;
    assert_eq!((refused.status, refused.text.as_str()), (429, AUTO_429));
    assert!((1..=60).contains(&number(&refused, "retry-after")));
    let refused = node
        .call(Method::GET, "/manufacturer/list", None, None)
        .await;
    assert_eq!((refused.status, refused.text.as_str()), (429, LOJA_429));
    // The address is refused as a whole for the rest of the minute.
    let refused = node
        .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(refused.status, 429, "{}", refused.text);
    assert_eq!(
        node.call(Method::GET, "/painel/entrar", None, None)
            .await
            .status,
        200
    );
    assert_eq!(
        node.call(Method::GET, "/healthz", None, None).await.status,
        200
    );

    // Counted per node: the first node still answers 401, then 200.
    let elsewhere = app.call(Method::GET, "/api/v1/stores", None, None).await;
    assert_eq!(elsewhere.status, 401, "{}", elsewhere.text);
    let ok = app
        .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
}

both_backends!(
    an_account_has_one_budget_across_keys_and_faces,
    unauthenticated_requests_are_limited_per_address,
    oversized_headers_get_431_and_the_server_goes_on,
    slow_clients_are_disconnected_while_others_are_served,
    slow_requests_time_out_in_the_envelope,
    deeply_nested_input_is_a_clean_error,
    auto_counts_down_then_refuses,
    loja_counts_down_then_refuses,
    refused_writes_write_nothing,
    each_credential_has_its_own_budget,
    each_customer_has_its_own_budget,
    zero_disables_the_limit,
);
