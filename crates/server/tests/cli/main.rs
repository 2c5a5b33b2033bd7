//! The command-line contract (ARCHITECTURE.md): the built `vitrine` binary,
//! run as a user would, on SQLite and on PostgreSQL.

mod first_run;
mod logs;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use first_run::{
    first_run_errors_name_their_cause, reset_password_gives_a_new_one_and_ends_sessions,
    serve_takes_host_names_and_a_metrics_listener,
};
use logs::secrets_never_reach_the_logs;
use serde_json::Value;
use vitrine_testkit::{Backend, TestDb};

const BIN: &str = env!("CARGO_BIN_EXE_vitrine");

fn vitrine(db: &TestDb, args: &[&str]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env("VITRINE_DATA_DIR", db.data_dir.path())
        .env_remove("VITRINE_DATABASE_URL")
        .env("RUST_LOG", "warn");
    if let Some(url) = &db.database_url {
        cmd.env("VITRINE_DATABASE_URL", url);
    }
    cmd.output().expect("vitrine runs")
}

fn stdout_json(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn bootstrap(db: &TestDb, email: &str) -> Output {
    vitrine(
        db,
        &[
            "admin",
            "bootstrap",
            "--account",
            "Revenda Teste",
            "--store",
            "Matriz",
            "--email",
            email,
            "--password",
            "senha-segura-1",
            "--json",
        ],
    )
}

/// Every byte the database holds, as text: the SQLite files, or each
/// PostgreSQL table's rows rendered as text.
async fn database_contents(db: &TestDb) -> String {
    match &db.database_url {
        None => ["vitrine.db", "vitrine.db-wal"]
            .iter()
            .filter_map(|f| std::fs::read(db.data_dir.path().join(f)).ok())
            .map(|bytes| String::from_utf8_lossy(&bytes).into_owned())
            .collect(),
        Some(url) => {
            use sqlx::Connection;
            let mut conn = sqlx::PgConnection::connect(url).await.expect("connect");
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
            )
            .fetch_all(&mut conn)
            .await
            .expect("tables");
            let mut all = String::new();
            for t in tables {
                let rows: Option<String> =
                    sqlx::query_scalar(&format!("SELECT string_agg(t::text, ' ') FROM \"{t}\" t"))
                        .fetch_one(&mut conn)
                        .await
                        .expect("dump table");
                all.push_str(&rows.unwrap_or_default());
            }
            all
        }
    }
}

async fn bootstrap_prints_seven_fields_and_stores_no_secret(backend: Backend) {
    let db = vitrine_testkit::database(backend).await;
    let out = bootstrap(&db, "dono@example.com");
    let json = stdout_json(&out);
    let fields = [
        "account_id",
        "store_id",
        "user_email",
        "api_key",
        "client_id",
        "client_secret",
        "loja_token",
    ];
    let obj = json.as_object().expect("an object");
    assert_eq!(obj.keys().map(String::as_str).collect::<Vec<_>>(), fields);
    assert!(obj.values().all(Value::is_string));
    let api_key = json["api_key"].as_str().expect("key");
    assert!(api_key.starts_with("ea_live_") && api_key.len() >= 8 + 32);
    assert_eq!(json["user_email"], "dono@example.com");

    let contents = database_contents(&db).await;
    assert!(
        contents.contains(json["client_id"].as_str().expect("id")),
        "the dump does see the data"
    );
    for secret in [
        &api_key[8..],
        json["client_secret"].as_str().expect("secret"),
        "senha-segura-1",
    ] {
        assert!(!contents.contains(secret), "a secret is stored in clear");
    }

    let again = bootstrap(&db, "DONO@example.com");
    assert_eq!(again.status.code(), Some(1));
    let err = String::from_utf8_lossy(&again.stderr);
    assert!(err.contains("dono@example.com already exists"), "{err}");
    assert!(again.stdout.is_empty());
}

async fn keys_and_stores_commands(backend: Backend) {
    let db = vitrine_testkit::database(backend).await;
    let boot = stdout_json(&bootstrap(&db, "keys@example.com"));
    let account = boot["account_id"].as_str().expect("account");

    let created = stdout_json(&vitrine(
        &db,
        &[
            "keys",
            "create",
            "--account",
            account,
            "--name",
            "ERP",
            "--json",
        ],
    ));
    let listed = stdout_json(&vitrine(
        &db,
        &["keys", "list", "--account", account, "--json"],
    ));
    let rows = listed.as_array().expect("array");
    assert_eq!(rows.len(), 2);
    let erp = rows
        .iter()
        .find(|k| k["name"] == "ERP")
        .expect("ERP key listed");
    assert_eq!(erp["id"], created["id"]);
    assert!(created["api_key"]
        .as_str()
        .expect("key")
        .starts_with(erp["prefix"].as_str().expect("prefix")));
    assert!(erp["revoked_at"].is_null());
    assert!(
        !listed
            .to_string()
            .contains(&created["api_key"].as_str().expect("key")[8..]),
        "list never shows keys"
    );

    let revoked = vitrine(
        &db,
        &[
            "keys",
            "revoke",
            "--account",
            account,
            "--key",
            created["id"].as_str().expect("id"),
        ],
    );
    assert!(
        revoked.status.success(),
        "{}",
        String::from_utf8_lossy(&revoked.stderr)
    );
    let listed = stdout_json(&vitrine(
        &db,
        &["keys", "list", "--account", account, "--json"],
    ));
    let erp = listed
        .as_array()
        .expect("array")
        .iter()
        .find(|k| k["name"] == "ERP")
        .cloned()
        .expect("still listed");
    assert!(erp["revoked_at"].is_string());

    let other = stdout_json(&bootstrap(&db, "other@example.com"));
    let foreign = vitrine(
        &db,
        &[
            "keys",
            "revoke",
            "--account",
            other["account_id"].as_str().expect("id"),
            "--key",
            created["id"].as_str().expect("id"),
        ],
    );
    assert_eq!(
        foreign.status.code(),
        Some(1),
        "another account cannot revoke the key"
    );

    let store = stdout_json(&vitrine(
        &db,
        &[
            "stores",
            "create",
            "--account",
            account,
            "--name",
            "Filial",
            "--json",
        ],
    ));
    assert!(store["loja_token"].is_string());
    let stores = stdout_json(&vitrine(
        &db,
        &["stores", "list", "--account", account, "--json"],
    ));
    let names: Vec<&str> = stores
        .as_array()
        .expect("array")
        .iter()
        .map(|s| s["name"].as_str().expect("name"))
        .collect();
    assert_eq!(names, ["Matriz", "Filial"]);

    let bad = vitrine(&db, &["stores", "list", "--account", "not-a-uuid"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--account"));
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

/// Starts `vitrine serve --demo`; returns it and its first stdout line.
async fn serve_demo(db: &TestDb) -> (Server, Option<Value>) {
    let port = free_port();
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
        .env("VITRINE_DATA_DIR", db.data_dir.path())
        .env_remove("VITRINE_DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(url) = &db.database_url {
        cmd.env("VITRINE_DATABASE_URL", url);
    }
    let mut child = cmd.spawn().expect("serve starts");
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    let client = reqwest::Client::new();
    loop {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            assert_eq!(r.status(), 200);
            break;
        }
        assert!(Instant::now() < deadline, "server did not come up");
        assert!(
            child.try_wait().expect("wait").is_none(),
            "server exited early"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Credentials are printed before the server starts listening, so by
    // now the first line (if any) is in the pipe; close our end to read it.
    let stdout = child.stdout.take().expect("stdout");
    let first = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        let mut reader = BufReader::new(stdout);
        // A non-empty line is the JSON; EOF never comes while serving, so
        // only read when something was printed.
        let printed = reader.fill_buf().map(|b| !b.is_empty()).unwrap_or(false);
        if printed {
            let _ = reader.read_line(&mut line);
        }
        line
    });
    let line = tokio::time::timeout(Duration::from_secs(2), first)
        .await
        .ok()
        .and_then(Result::ok)
        .unwrap_or_default();
    let json = (!line.trim().is_empty())
        .then(|| serde_json::from_str(&line).expect("demo output is JSON"));
    (Server { child, base }, json)
}

async fn demo_prints_working_credentials_once_and_data_survives(backend: Backend) {
    let db = vitrine_testkit::database(backend).await;
    let (mut server, printed) = serve_demo(&db).await;
    let creds = printed.expect("an empty database prints demo credentials");
    for field in [
        "account_id",
        "store_id",
        "user_email",
        "api_key",
        "client_id",
        "client_secret",
        "loja_token",
    ] {
        assert!(creds[field].is_string(), "{field} missing");
    }
    assert_eq!(creds["panel_url"], format!("{}/painel", server.base));
    let client = reqwest::Client::new();
    let auto = client
        .get(format!("{}/api/v1/stores", server.base))
        .bearer_auth(creds["api_key"].as_str().expect("key"))
        .send()
        .await
        .expect("auto call");
    assert_eq!(auto.status(), 200);
    let stores: Value = auto.json().await.expect("json");
    assert_eq!(stores["data"][0]["id"], creds["store_id"]);
    let loja = client
        .get(format!("{}/design/getDesignforProducts", server.base))
        .header(
            "Authorization",
            creds["loja_token"].as_str().expect("token"),
        )
        .send()
        .await
        .expect("loja call");
    assert_eq!(loja.status(), 200);

    // Sample data in both faces.
    let vehicles: Value = client
        .get(format!("{}/api/v1/vehicles", server.base))
        .bearer_auth(creds["api_key"].as_str().expect("key"))
        .send()
        .await
        .expect("vehicles")
        .json()
        .await
        .expect("json");
    assert_eq!(vehicles["pagination"]["total"], 3, "{vehicles}");
    let product: Value = client
        .get(format!("{}/product/findbysku?sku=DEMO-001", server.base))
        .header(
            "Authorization",
            creds["loja_token"].as_str().expect("token"),
        )
        .send()
        .await
        .expect("product")
        .json()
        .await
        .expect("json");
    assert_eq!(product["data"]["name"], "Fone de Ouvidos Bluetooth");
    // The quickstart's first step works on the demo: its CPF is not taken.
    let quickstart = client
        .post(format!("{}/api/v1/clients", server.base))
        .bearer_auth(creds["api_key"].as_str().expect("key"))
        .json(&serde_json::json!({"type": "PF", "name": "João da Silva", "email": "joao.silva@email.com",
            "cpf": "123.456.789-00", "phone": "+55 11 99999-8888", "segment": "premium"}))
        .send()
        .await
        .expect("create client");
    assert_eq!(quickstart.status(), 201);

    // SIGTERM: a graceful stop with exit status 0.
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill")
        .success());
    let status = server.child.wait().expect("exits");
    assert!(status.success(), "graceful shutdown exits 0, got {status}");

    let (server, printed) = serve_demo(&db).await;
    assert!(
        printed.is_none(),
        "a database with data prints nothing secret"
    );
    let again = client
        .get(format!("{}/api/v1/stores", server.base))
        .bearer_auth(creds["api_key"].as_str().expect("key"))
        .send()
        .await
        .expect("auto call");
    assert_eq!(again.status(), 200, "the demo key survives a restart");
}

macro_rules! both {
    ($($name:ident),*) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() { super::$name(vitrine_testkit::Backend::Sqlite).await }
            #[tokio::test]
            async fn postgres() { super::$name(vitrine_testkit::Backend::Postgres).await }
        }
    )*};
}

both!(
    bootstrap_prints_seven_fields_and_stores_no_secret,
    keys_and_stores_commands,
    demo_prints_working_credentials_once_and_data_survives,
    secrets_never_reach_the_logs,
    first_run_errors_name_their_cause,
    serve_takes_host_names_and_a_metrics_listener,
    reset_password_gives_a_new_one_and_ends_sessions
);
