//! A private PostgreSQL cluster per test process.
//!
//! `initdb` and `postgres` refuse to run as root, so when the tests run as
//! root the cluster runs as the `postgres` user (or `nobody`). The server is
//! started by a small shell watchdog that stops it and removes its files
//! when this process exits, so no cluster outlives a test run.
//!
//! `VITRINE_TEST_DATABASE_URL` (an admin URL that may `CREATE DATABASE`)
//! replaces the private cluster. Without either, tests fail loudly: a run
//! that silently skipped PostgreSQL would prove nothing about it.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use tokio::sync::{Mutex, OnceCell};
use vitrine_store::Store;

/// Admin URL of the cluster (database `postgres`), without the database part.
fn server_url() -> &'static str {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var("VITRINE_TEST_DATABASE_URL") {
        Ok(url) if !url.trim().is_empty() => url.trim().trim_end_matches('/').to_owned(),
        _ => start_cluster()
            .unwrap_or_else(|e| panic!("cannot start the test PostgreSQL cluster: {e}")),
    })
}

pub(crate) fn with_db(server: &str, db: &str) -> String {
    // Replace the path (database) of postgres://user@host:port/db?params.
    let (base, query) = server.split_once('?').map_or((server, ""), |(b, q)| (b, q));
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    let base = match base[after_scheme..].find('/') {
        Some(i) => &base[..after_scheme + i],
        None => base,
    };
    if query.is_empty() {
        format!("{base}/{db}")
    } else {
        format!("{base}/{db}?{query}")
    }
}

const TEMPLATE: &str = "vitrine_template";

/// A new, migrated database cloned from a template migrated once per process.
pub(crate) async fn fresh_database() -> String {
    static TEMPLATE_READY: OnceCell<()> = OnceCell::const_new();
    // CREATE DATABASE … TEMPLATE fails if another session uses the template.
    static CREATE: Mutex<()> = Mutex::const_new(());
    let server = server_url();
    let _guard = CREATE.lock().await;
    TEMPLATE_READY
        .get_or_init(|| async {
            admin(server, &format!("DROP DATABASE IF EXISTS {TEMPLATE}")).await;
            admin(server, &format!("CREATE DATABASE {TEMPLATE}")).await;
            let template = Store::connect(&with_db(server, TEMPLATE), 1)
                .await
                .expect("template connection");
            template.migrate().await.expect("migrate template");
            template.close().await;
        })
        .await;
    let name = format!("vitrine_test_{}", uuid::Uuid::new_v4().simple());
    admin(
        server,
        &format!("CREATE DATABASE {name} TEMPLATE {TEMPLATE}"),
    )
    .await;
    with_db(server, &name)
}

/// Runs one statement on the `postgres` database (DDL outside transactions).
pub(crate) async fn admin(server: &str, sql: &str) {
    use sqlx::{Connection, Executor};
    let mut conn = sqlx::PgConnection::connect(&with_db(server, "postgres"))
        .await
        .unwrap_or_else(|e| panic!("admin connection to the test cluster: {e}"));
    conn.execute(sql)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = conn.close().await;
}

pub(crate) fn pg_bin_dir() -> Result<PathBuf, String> {
    if let Ok(dir) = std::env::var("VITRINE_PG_BIN") {
        return Ok(PathBuf::from(dir));
    }
    let mut candidates: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
                .collect()
        })
        .unwrap_or_default();
    candidates.sort();
    candidates
        .into_iter()
        .rev()
        .find(|p| p.join("initdb").exists())
        .ok_or_else(|| {
            "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin \
             (install the `postgresql` package, as scripts/test does, or set VITRINE_PG_BIN \
             or VITRINE_TEST_DATABASE_URL)"
                .to_owned()
        })
}

/// uid/gid to run the cluster as: ourselves, or a system user when root.
pub(crate) fn cluster_user() -> Result<Option<(u32, u32)>, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    let uid: u32 = status
        .lines()
        .find_map(|l| l.strip_prefix("Uid:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .ok_or("cannot read own uid")?;
    if uid != 0 {
        return Ok(None);
    }
    let passwd = std::fs::read_to_string("/etc/passwd").map_err(|e| e.to_string())?;
    for wanted in ["postgres", "nobody"] {
        for line in passwd.lines() {
            let f: Vec<&str> = line.split(':').collect();
            if f.len() > 3 && f[0] == wanted {
                if let (Ok(u), Ok(g)) = (f[2].parse(), f[3].parse()) {
                    return Ok(Some((u, g)));
                }
            }
        }
    }
    Err("running as root and neither `postgres` nor `nobody` exists".to_owned())
}

fn free_port() -> Result<u16, String> {
    let l = TcpListener::bind("127.0.0.1:0").map_err(|e| e.to_string())?;
    Ok(l.local_addr().map_err(|e| e.to_string())?.port())
}

pub(crate) fn as_user(cmd: &mut Command, user: Option<(u32, u32)>) -> &mut Command {
    if let Some((uid, gid)) = user {
        cmd.uid(uid).gid(gid);
    }
    cmd
}

fn start_cluster() -> Result<String, String> {
    let bin = pg_bin_dir()?;
    let user = cluster_user()?;
    let dir = node_dir("vitrine-pg-", user)?;
    let data = dir.join("data");
    initdb(&bin, &data, user)?;
    let port = start_node(&bin, &dir, &data, user, &[])?;
    Ok(format!("postgres://postgres@127.0.0.1:{port}/postgres"))
}

/// A temp dir for one server, owned by the cluster user. Kept on disk after
/// this function: the node's watchdog removes it on exit.
pub(crate) fn node_dir(prefix: &str, user: Option<(u32, u32)>) -> Result<PathBuf, String> {
    let dir = tempfile::Builder::new()
        .prefix(prefix)
        .tempdir()
        .map_err(|e| e.to_string())?
        .keep();
    if let Some((uid, gid)) = user {
        std::os::unix::fs::chown(&dir, Some(uid), Some(gid)).map_err(|e| e.to_string())?;
    }
    Ok(dir)
}

pub(crate) fn initdb(bin: &Path, data: &Path, user: Option<(u32, u32)>) -> Result<(), String> {
    let out = as_user(&mut Command::new(bin.join("initdb")), user)
        .args([
            "-D",
            &data.to_string_lossy(),
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
        ])
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("initdb: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "initdb failed: {}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    Ok(())
}

/// Starts a server on `data` (under `dir`) on a free port with the test
/// settings plus `settings` (`name=value`), and waits until it accepts
/// connections.
pub(crate) fn start_node(
    bin: &Path,
    dir: &Path,
    data: &Path,
    user: Option<(u32, u32)>,
    settings: &[&str],
) -> Result<u16, String> {
    let port = free_port()?;
    spawn_watchdog(bin, dir, data, port, user, settings)?;
    wait_ready(bin, dir, port)?;
    Ok(port)
}

fn spawn_watchdog(
    bin: &Path,
    dir: &Path,
    data: &Path,
    port: u16,
    user: Option<(u32, u32)>,
    settings: &[&str],
) -> Result<(), String> {
    // "$@" carries the extra settings, each as `-c name=value`.
    let script = r#"
"$PGBIN/postgres" -D "$PGDATA_DIR" -p "$PGPORT_NUM" -k "$PGDIR" \
  -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
  -c full_page_writes=off -c max_connections=300 -c shared_buffers=64MB "$@" \
  >"$PGDIR/server.log" 2>&1 &
pg=$!
while [ -d "/proc/$WATCH_PID" ] && kill -0 "$pg" 2>/dev/null; do sleep 0.5; done
kill -INT "$pg" 2>/dev/null
wait "$pg"
rm -rf "$PGDIR"
"#;
    let mut cmd = Command::new("sh");
    as_user(&mut cmd, user).arg("-c").arg(script).arg("sh");
    for setting in settings {
        cmd.arg("-c").arg(setting);
    }
    // The server's own libpq connections (Citus's, between nodes) read
    // files under $HOME: the node's dir, not the test runner's home.
    cmd.env("HOME", dir)
        .env("PGBIN", bin)
        .env("PGDATA_DIR", data)
        .env("PGDIR", dir)
        .env("PGPORT_NUM", port.to_string())
        .env("WATCH_PID", std::process::id().to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("start postgres: {e}"))?;
    Ok(())
}

/// Polls `pg_isready` (which, unlike a TCP connect, waits out recovery).
fn wait_ready(bin: &Path, dir: &Path, port: u16) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while Instant::now() < deadline {
        let ready = Command::new(bin.join("pg_isready"))
            .args(["-q", "-h", "127.0.0.1", "-p", &port.to_string()])
            .status()
            .is_ok_and(|s| s.success());
        if ready {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let log = std::fs::read_to_string(dir.join("server.log")).unwrap_or_default();
    Err(format!(
        "postgres did not accept connections within 60 s:\n{log}"
    ))
}
