//! Database outages (issue 12, item 6): while the database cannot take
//! writes (SQLite: the disk is full; PostgreSQL: the server is gone or
//! drops its connections) every face answers 503 in its own envelope,
//! `/healthz` says so and nothing is written; once the condition clears,
//! writes succeed again on every pooled connection.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::{JoinHandle, JoinSet};
use vitrine_server::app::{self, Settings};
use vitrine_store::Store;
use vitrine_testkit::{Backend, TestApp};

const AUTO_503: &str = r#"{"success":false,"error":{"code":"SERVICE_UNAVAILABLE","message":"Serviço temporariamente indisponível; tente novamente em instantes"}}"#;
const LOJA_503: &str = r#"{"success":false,"errors":["Service temporarily unavailable, try again shortly"],"data":[]}"#;

/// Notes long enough to need new database pages (a page is 4 KiB).
fn long_notes() -> String {
    "Cliente com histórico longo. ".repeat(340)
}

async fn create_client(
    http: &reqwest::Client,
    base: &str,
    key: &str,
    body: &Value,
) -> (u16, String, Option<String>) {
    let r = http
        .post(format!("{base}/api/v1/clients"))
        .bearer_auth(key)
        .json(body)
        .send()
        .await
        .expect("request reaches the server");
    let status = r.status().as_u16();
    let retry = r
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (status, r.text().await.expect("body"), retry)
}

async fn client_total(http: &reqwest::Client, base: &str, key: &str) -> i64 {
    let r = http
        .get(format!("{base}/api/v1/clients?limit=1"))
        .bearer_auth(key)
        .send()
        .await
        .expect("list");
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.expect("json");
    body["pagination"]["total"].as_i64().expect("total")
}

async fn health(http: &reqwest::Client, base: &str) -> (u16, Value) {
    let r = http
        .get(format!("{base}/healthz"))
        .send()
        .await
        .expect("healthz");
    (r.status().as_u16(), r.json().await.expect("json"))
}

/// Sets `max_page_count` on every connection of the server's pool (it has
/// eight): at the file's current size, any write that needs a new page
/// fails with `SQLITE_FULL`, as on a full disk; at SQLite's maximum, the
/// disk has room again. Connections the pool opens later (it replaces the
/// ones a failed write broke) have no limit, so the disk is "filled"
/// again before each write meant to fail.
async fn set_sqlite_room(store: &Store, full: bool) {
    let mut conns = Vec::new();
    for _ in 0..8 {
        conns.push(store.conn().await.expect("a pooled connection"));
    }
    for conn in &mut conns {
        let vitrine_store::Conn::Sqlite(c) = conn else {
            panic!("a SQLite store");
        };
        let pages: i64 = sqlx::query_scalar("PRAGMA page_count")
            .fetch_one(&mut **c)
            .await
            .expect("page count");
        let limit = if full { pages } else { 1_073_741_823 };
        sqlx::query(&format!("PRAGMA max_page_count = {limit}"))
            .execute(&mut **c)
            .await
            .expect("max page count");
    }
}

/// Eight writes at once, three times: every pooled connection serves one.
async fn writes_succeed_on_every_connection(http: &reqwest::Client, base: &str, key: &str) {
    for round in 0..3 {
        let writes = (0..8).map(|i| {
            let body = json!({"type": "PF", "name": format!("Depois {round}-{i}")});
            async move { create_client(http, base, key, &body).await }
        });
        for (status, text, _) in futures_util::future::join_all(writes).await {
            assert_eq!(status, 201, "round {round}: {text}");
        }
    }
}

#[tokio::test]
async fn sqlite_disk_full_then_room_again() {
    let app: TestApp = vitrine_testkit::spawn(Backend::Sqlite).await;
    let t = app.tenant().await;
    let http = reqwest::Client::new();
    let base = app.base_url.as_str();
    let panel = PanelVisitor::signed_in(base, &t.email, &t.password).await;
    let (status, text, _) = create_client(
        &http,
        base,
        &t.api_key,
        &json!({"type": "PF", "name": "Antes"}),
    )
    .await;
    assert_eq!(status, 201, "{text}");

    let big = json!({"type": "PF", "name": "Cheio", "notes": long_notes()});
    for attempt in 0..3 {
        set_sqlite_room(&app.store, true).await;
        let (status, text, retry) = create_client(&http, base, &t.api_key, &big).await;
        assert_eq!(
            (status, text.as_str()),
            (503, AUTO_503),
            "attempt {attempt}"
        );
        assert_eq!(retry.as_deref(), Some("5"));
    }
    set_sqlite_room(&app.store, true).await;
    let loja = app
        .loja_form(
            &t.loja_token,
            "/product/insert",
            &[
                ("name", "Cheio"),
                ("sku", "CHEIO-1"),
                ("description", &long_notes()),
            ],
        )
        .await;
    assert_eq!((loja.status, loja.text.as_str()), (503, LOJA_503));
    set_sqlite_room(&app.store, true).await;
    let page = panel
        .post(
            "/painel/atividades",
            &[
                ("title", "Ligar"),
                ("type", "ligacao"),
                ("due_date", "2026-02-04T10:30"),
                ("client_id", ""),
                ("vehicle_id", ""),
                ("description", &long_notes()),
            ],
        )
        .await;
    assert_eq!(page.0, 503, "{}", page.1);
    assert!(page.1.contains("Serviço indisponível"), "{}", page.1);
    assert!(page.1.contains("Nada foi salvo"), "{}", page.1);

    let (status, body) = health(&http, base).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(
        body,
        json!({"status": "unavailable", "database": "writes_failing", "reason": "disk full"})
    );
    assert_eq!(
        client_total(&http, base, &t.api_key).await,
        1,
        "nothing written"
    );
    let found = app
        .loja_get(&t.loja_token, "/product/findbysku?sku=CHEIO-1")
        .await;
    assert_eq!(found.status, 404, "{}", found.text);

    // Room again: every connection writes, health is back.
    set_sqlite_room(&app.store, false).await;
    writes_succeed_on_every_connection(&http, base, &t.api_key).await;
    let (status, text, _) = create_client(&http, base, &t.api_key, &big).await;
    assert_eq!(status, 201, "{text}");
    assert_eq!(
        health(&http, base).await,
        (200, json!({"status": "ok", "database": "ok"}))
    );
    assert_eq!(client_total(&http, base, &t.api_key).await, 1 + 24 + 1);
}

/// A TCP hop between the server and PostgreSQL that the test can take
/// down (connections refused, open ones cut) and bring back on the same
/// address, as a database server stopping and starting looks.
struct Hop {
    addr: SocketAddr,
    target: SocketAddr,
    running: Mutex<Option<JoinHandle<()>>>,
    pipes: Arc<Mutex<JoinSet<()>>>,
}

impl Hop {
    async fn start(target: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let hop = Self {
            addr: listener.local_addr().expect("addr"),
            target,
            running: Mutex::new(None),
            pipes: Arc::new(Mutex::new(JoinSet::new())),
        };
        hop.serve(listener);
        hop
    }

    fn serve(&self, listener: TcpListener) {
        let (target, pipes) = (self.target, self.pipes.clone());
        let task = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let mut pipes = pipes.lock().expect("pipes");
                pipes.spawn(async move {
                    if let Ok(mut outbound) = TcpStream::connect(target).await {
                        let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
                    }
                });
            }
        });
        *self.running.lock().expect("running") = Some(task);
    }

    async fn down(&self) {
        let task = self.running.lock().expect("running").take();
        if let Some(task) = task {
            task.abort();
            let _ = task.await;
        }
        self.pipes.lock().expect("pipes").abort_all();
    }

    async fn up(&self) {
        let listener = TcpListener::bind(self.addr).await.expect("rebind");
        self.serve(listener);
    }
}

#[tokio::test]
async fn postgres_gone_then_back() {
    let db = vitrine_testkit::database(Backend::Postgres).await;
    let real = db.database_url.clone().expect("a PostgreSQL url");
    let authority = real
        .split('@')
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .expect("host:port")
        .to_owned();
    let target: SocketAddr = authority.parse().expect("an address");
    let hop = Hop::start(target).await;
    let url = real.replacen(&authority, &hop.addr.to_string(), 1);
    let store = Store::connect(&url, 8).await.expect("connects");
    let media_dir = tempfile::tempdir().expect("media dir");
    let media = vitrine_store::media::Media::local(media_dir.path()).expect("media");
    let router = app::build(store.clone(), media, &Settings::default());
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    tokio::spawn(app::serve(listener, router, std::future::pending()));
    let plan = vitrine_server::cli::bootstrap(
        &store,
        &vitrine_core::tenancy::BootstrapRequest {
            account_name: "Conta".into(),
            store_name: "Loja".into(),
            email: "dono@example.com".into(),
            password: "senha-de-teste".into(),
        },
    )
    .await
    .expect("bootstrap");
    let key = plan.api_key.secret.plaintext.clone();
    let token = plan.credentials.loja_token();
    let http = reqwest::Client::new();
    let (status, text, _) =
        create_client(&http, &base, &key, &json!({"type": "PF", "name": "Antes"})).await;
    assert_eq!(status, 201, "{text}");

    hop.down().await;
    for attempt in 0..3 {
        let started = std::time::Instant::now();
        let (status, text, retry) = create_client(
            &http,
            &base,
            &key,
            &json!({"type": "PF", "name": "Durante"}),
        )
        .await;
        eprintln!(
            "attempt {attempt} while down: {status} in {:?}",
            started.elapsed()
        );
        assert_eq!(
            (status, text.as_str()),
            (503, AUTO_503),
            "attempt {attempt}"
        );
        assert_eq!(retry.as_deref(), Some("5"));
    }
    let loja = http
        .get(format!("{base}/design/getDesignforProducts"))
        .header("authorization", format!("Basic {token}"))
        .send()
        .await
        .expect("loja");
    assert_eq!(loja.status(), 503);
    assert_eq!(loja.text().await.expect("body"), LOJA_503);
    let (status, body) = health(&http, &base).await;
    assert_eq!(
        (status, &body["status"]),
        (503, &json!("unavailable")),
        "{body}"
    );

    hop.up().await;
    // The first requests after the server is back may still meet the
    // last probe's answer (at most a second old).
    let mut back =
        create_client(&http, &base, &key, &json!({"type": "PF", "name": "Depois"})).await;
    for _ in 0..40 {
        if back.0 != 503 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        back = create_client(&http, &base, &key, &json!({"type": "PF", "name": "Depois"})).await;
    }
    assert_eq!(back.0, 201, "{}", back.1);
    writes_succeed_on_every_connection(&http, &base, &key).await;
    assert_eq!(
        health(&http, &base).await,
        (200, json!({"status": "ok", "database": "ok"}))
    );
    assert_eq!(client_total(&http, &base, &key).await, 1 + 1 + 24);

    // The server ends every connection (a restart, an administrator):
    // the pool replaces them and the next writes succeed.
    {
        use sqlx::Connection;
        let mut admin = sqlx::PgConnection::connect(&real).await.expect("admin");
        sqlx::query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .execute(&mut admin)
        .await
        .expect("terminate");
    }
    writes_succeed_on_every_connection(&http, &base, &key).await;
    assert_eq!(client_total(&http, &base, &key).await, 1 + 1 + 24 + 24);
    store.close().await;
}

/// The panel through HTTP, signed in, with the session's CSRF token.
struct PanelVisitor {
    client: reqwest::Client,
    base: String,
    csrf: String,
}

fn csrf_in(page: &str) -> String {
    let at = page.find("name=\"csrf\"").expect("a csrf field");
    let tag_start = page[..at].rfind("<input").expect("input tag");
    let tag = &page[tag_start..tag_start + page[tag_start..].find('>').expect("tag end")];
    let value = tag.split("value=\"").nth(1).expect("value");
    value[..value.find('"').expect("quote")].to_owned()
}

impl PanelVisitor {
    async fn signed_in(base: &str, email: &str, password: &str) -> Self {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let form = client
            .get(format!("{base}/painel/entrar"))
            .send()
            .await
            .expect("sign-in page")
            .text()
            .await
            .expect("html");
        let signed = client
            .post(format!("{base}/painel/entrar"))
            .form(&[
                ("csrf", csrf_in(&form).as_str()),
                ("email", email),
                ("password", password),
            ])
            .send()
            .await
            .expect("sign in");
        assert_eq!(signed.status(), 303);
        let page = client
            .get(format!("{base}/painel/atividades"))
            .send()
            .await
            .expect("a page")
            .text()
            .await
            .expect("html");
        Self {
            csrf: csrf_in(&page),
            client,
            base: base.to_owned(),
        }
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> (u16, String) {
        let mut form = vec![("csrf", self.csrf.as_str())];
        form.extend_from_slice(fields);
        let r = self
            .client
            .post(format!("{}{path}", self.base))
            .form(&form)
            .send()
            .await
            .expect("post");
        (r.status().as_u16(), r.text().await.expect("html"))
    }
}
