//! The command-line contract (ARCHITECTURE.md): the built `vitrine` binary,
//! run as a user would, on SQLite and on PostgreSQL.

mod demo;
mod first_run;
mod logs;

use std::process::{Child, Command, Output};

use demo::{
    demo_data_fills_the_screens, demo_prints_pretty_credentials_once_that_work_everywhere,
    quickstart_succeeds_on_a_demo_server,
};
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
    demo_prints_pretty_credentials_once_that_work_everywhere,
    demo_data_fills_the_screens,
    quickstart_succeeds_on_a_demo_server,
    secrets_never_reach_the_logs,
    first_run_errors_name_their_cause,
    serve_takes_host_names_and_a_metrics_listener,
    reset_password_gives_a_new_one_and_ends_sessions
);
