//! First run and lost passwords (issue 16, items 20 and 23), with the
//! built binary: `serve` binds before it touches the database and names an
//! address in use; errors name their cause (a path, a refused connection,
//! an account that does not exist); `--listen` takes host names; metrics
//! answer on their own listener only; `users reset-password` gives a user
//! a new password and ends their sessions.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::redirect::Policy;
use vitrine_testkit::{Backend, TestDb};

use crate::{bootstrap, free_port, stdout_json, vitrine, Server, BIN};

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Empties a PostgreSQL test database (the harness hands out migrated
/// clones), so what a command creates can be seen.
async fn emptied(db: &TestDb) {
    if let Some(url) = &db.database_url {
        use sqlx::Connection;
        let mut c = sqlx::PgConnection::connect(url).await.expect("postgres");
        for sql in ["DROP SCHEMA public CASCADE", "CREATE SCHEMA public"] {
            sqlx::query(sql).execute(&mut c).await.expect(sql);
        }
    }
}

async fn postgres_tables(url: &str) -> i64 {
    use sqlx::Connection;
    let mut c = sqlx::PgConnection::connect(url).await.expect("postgres");
    sqlx::query_scalar(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'",
    )
    .fetch_one(&mut c)
    .await
    .expect("tables")
}

/// `vitrine serve` with `args`, waiting until `health_url` answers.
async fn serve(db: &TestDb, args: &[&str], health_url: &str) -> Server {
    let mut cmd = Command::new(BIN);
    cmd.arg("serve")
        .args(args)
        .env("VITRINE_DATA_DIR", db.data_dir.path())
        .env_remove("VITRINE_DATABASE_URL")
        .stdout(Stdio::null())
        .stderr(Stdio::null());
    if let Some(url) = &db.database_url {
        cmd.env("VITRINE_DATABASE_URL", url);
    }
    let mut child = cmd.spawn().expect("serve starts");
    let deadline = Instant::now() + Duration::from_secs(30);
    while reqwest::get(health_url).await.is_err() {
        assert!(Instant::now() < deadline, "server did not come up");
        assert!(
            child.try_wait().expect("wait").is_none(),
            "server exited early"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Server {
        child,
        base: String::new(),
    }
}

pub(crate) async fn first_run_errors_name_their_cause(backend: Backend) {
    // An address in use: refused before the database is created or migrated.
    let db = vitrine_testkit::database(backend).await;
    emptied(&db).await;
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let data_dir = db.data_dir.path().join("nova");
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", &addr])
        .env("VITRINE_DATA_DIR", &data_dir)
        .env_remove("VITRINE_DATABASE_URL")
        .env("RUST_LOG", "warn");
    if let Some(url) = &db.database_url {
        cmd.env("VITRINE_DATABASE_URL", url);
    }
    let out = cmd.output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("cannot listen on {addr} (--listen)")),
        "{err}"
    );
    assert!(err.contains("in use"), "{err}");
    match &db.database_url {
        None => assert!(!data_dir.exists(), "nothing created on disk"),
        Some(url) => assert_eq!(postgres_tables(url).await, 0, "nothing migrated"),
    }

    // An account that does not exist.
    let db = vitrine_testkit::database(backend).await;
    stdout_json(&bootstrap(&db, "dono@example.com"));
    let unknown = "00000000-0000-4000-8000-000000000001";
    for command in ["keys", "stores"] {
        let out = vitrine(&db, &[command, "list", "--account", unknown]);
        assert_eq!(out.status.code(), Some(1), "{command}");
        assert!(
            stderr(&out).contains(&format!("account {unknown} does not exist")),
            "{command}: {}",
            stderr(&out)
        );
        assert!(out.stdout.is_empty());
    }

    match backend {
        Backend::Sqlite => {
            // A data dir that cannot be made names its path.
            let file = db.data_dir.path().join("um-arquivo");
            std::fs::write(&file, b"x").expect("a file");
            let bad = file.join("dados");
            let out = Command::new(BIN)
                .args(["keys", "list", "--account", unknown, "--data-dir"])
                .arg(&bad)
                .env_remove("VITRINE_DATABASE_URL")
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(1));
            let err = stderr(&out);
            assert!(
                err.contains(&format!(
                    "cannot create the data directory {}",
                    bad.display()
                )),
                "{err}"
            );
        }
        Backend::Postgres | Backend::Citus => {
            // Nothing listens there: refused, at once, said so.
            let closed = format!("postgres://vitrine@127.0.0.1:{}/vitrine", free_port());
            let out = Command::new(BIN)
                .args([
                    "keys",
                    "list",
                    "--account",
                    unknown,
                    "--database-url",
                    &closed,
                ])
                .output()
                .expect("runs");
            assert_eq!(out.status.code(), Some(1));
            let err = stderr(&out).to_lowercase();
            assert!(err.contains("connection refused"), "{err}");
            assert!(err.contains("cannot open database"), "{err}");
        }
    }
}

pub(crate) async fn serve_takes_host_names_and_a_metrics_listener(backend: Backend) {
    let db = vitrine_testkit::database(backend).await;
    let (port, metrics_port) = (free_port(), free_port());
    let listen = format!("localhost:{port}");
    let metrics_listen = format!("127.0.0.1:{metrics_port}");
    let base = format!("http://localhost:{port}");
    let _server = serve(
        &db,
        &["--listen", &listen, "--metrics-listen", &metrics_listen],
        &format!("{base}/healthz"),
    )
    .await;
    let health = reqwest::get(format!("{base}/healthz"))
        .await
        .expect("health");
    assert_eq!(health.status(), 200);
    let metrics = reqwest::get(format!("http://{metrics_listen}/metrics"))
        .await
        .expect("metrics listener");
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.expect("text");
    assert!(
        text.contains(r#"http_requests_total{method="GET",route="/healthz",status="200"}"#),
        "{text}"
    );
    let public = reqwest::get(format!("{base}/metrics"))
        .await
        .expect("public");
    assert_eq!(public.status(), 404, "not on the public listener");
}

/// The `value` of the hidden CSRF field in a panel page.
pub(crate) fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\"").expect("a csrf field");
    let tag_start = page[..at].rfind("<input").expect("input tag");
    let tag = &page[tag_start..tag_start + page[tag_start..].find('>').expect("tag end")];
    let value = tag.split("value=\"").nth(1).expect("value");
    value[..value.find('"').expect("quote")].to_owned()
}

/// A fresh browser that signs in; `Some(client)` when it worked.
pub(crate) async fn sign_in(base: &str, email: &str, password: &str) -> Option<reqwest::Client> {
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client");
    let page = http
        .get(format!("{base}/painel/entrar"))
        .send()
        .await
        .expect("sign-in page")
        .text()
        .await
        .expect("html");
    let signed = http
        .post(format!("{base}/painel/entrar"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("email", email),
            ("password", password),
        ])
        .send()
        .await
        .expect("sign in");
    (signed.status() == 303).then_some(http)
}

/// Is this browser's session still open?
async fn signed_in(http: &reqwest::Client, base: &str) -> bool {
    let r = http
        .get(format!("{base}/painel/senha"))
        .send()
        .await
        .expect("a page");
    r.status() == 200
}

pub(crate) async fn reset_password_gives_a_new_one_and_ends_sessions(backend: Backend) {
    let db = vitrine_testkit::database(backend).await;
    let email = "dona@revenda.com.br";
    stdout_json(&bootstrap(&db, email));
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let _server = serve(
        &db,
        &["--listen", &format!("127.0.0.1:{port}")],
        &format!("{base}/healthz"),
    )
    .await;
    let laptop = sign_in(&base, email, "senha-segura-1")
        .await
        .expect("signs in");
    let phone = sign_in(&base, email, "senha-segura-1")
        .await
        .expect("signs in");
    assert!(signed_in(&laptop, &base).await && signed_in(&phone, &base).await);

    // No password given: one is made, printed once; both sessions end.
    let out = vitrine(
        &db,
        &[
            "users",
            "reset-password",
            "--email",
            "DONA@revenda.com.br",
            "--json",
        ],
    );
    let printed = stdout_json(&out);
    assert_eq!(printed["email"], email);
    assert_eq!(printed["sessions_ended"], 2);
    let new = printed["password"]
        .as_str()
        .expect("a new password")
        .to_owned();
    assert!(new.len() >= 16, "{new}");
    assert!(
        !signed_in(&laptop, &base).await,
        "the laptop's session ended"
    );
    assert!(!signed_in(&phone, &base).await, "the phone's session ended");
    assert!(
        sign_in(&base, email, "senha-segura-1").await.is_none(),
        "the old password is gone"
    );
    let fresh = sign_in(&base, email, &new)
        .await
        .expect("the new password works");
    assert!(signed_in(&fresh, &base).await);

    // A chosen password, in text: nothing secret is printed.
    let out = vitrine(
        &db,
        &[
            "users",
            "reset-password",
            "--email",
            email,
            "--password",
            "escolhida-pela-dona",
        ],
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 session(s) ended"), "{text}");
    assert!(!text.contains("escolhida-pela-dona"), "{text}");
    assert!(!signed_in(&fresh, &base).await);
    assert!(sign_in(&base, email, &new).await.is_none());
    assert!(sign_in(&base, email, "escolhida-pela-dona").await.is_some());

    // Refusals: an unknown email, a short password; nothing changes.
    for (args, message) in [
        (
            vec!["--email", "ninguem@example.com"],
            "no panel user has the email ninguem@example.com",
        ),
        (
            vec!["--email", email, "--password", "curta"],
            "--password: A senha deve ter pelo menos 8 caracteres",
        ),
    ] {
        let mut all = vec!["users", "reset-password"];
        all.extend(args);
        let out = vitrine(&db, &all);
        assert_eq!(out.status.code(), Some(1));
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
        assert!(out.stdout.is_empty());
    }
    assert!(sign_in(&base, email, "escolhida-pela-dona").await.is_some());
}
