//! A private Citus cluster per test process: a coordinator and two workers,
//! each a PostgreSQL server started like the PostgreSQL cluster
//! ([`crate::postgres`]) with `shared_preload_libraries = 'citus'`.
//!
//! Citus does not propagate `CREATE DATABASE`: a database exists on every
//! node, each with the extension, and the coordinator's copy lists the
//! workers. So the harness prepares one template per node (`CREATE
//! EXTENSION citus` on each, then the coordinator's
//! `citus_set_coordinator_host` and `citus_add_node` for each worker, then
//! vitrine's migrations through the coordinator) and gives each test a
//! database cloned from the template on every node at once: the clones
//! carry the extension, the node list and whatever the template
//! distributed, and cost a file copy per node instead of a set-up.
//!
//! Every database with the extension gets a maintenance daemon on each
//! node, with connections to every other node. The template's are stopped
//! (`CREATE DATABASE … TEMPLATE` refuses while anyone uses the template;
//! a daemon stopped by `SIGTERM` is not restarted until someone connects),
//! and a test's database is dropped on every node once the last handle to
//! it goes (a background thread), so daemons do not pile up over a run.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Mutex as StdMutex, OnceLock};

use sqlx::{Connection, Executor};
use tokio::sync::{Mutex, OnceCell};
use vitrine_store::Store;

use crate::postgres::{as_user, cluster_user, initdb, node_dir, pg_bin_dir, start_node};

const TEMPLATE: &str = "vitrine_template";

/// Ports of the nodes: the coordinator first, then the workers.
struct Cluster {
    ports: [u16; 3],
}

impl Cluster {
    fn coordinator(&self) -> u16 {
        self.ports[0]
    }
}

fn url(port: u16, db: &str) -> String {
    format!("postgres://postgres@127.0.0.1:{port}/{db}")
}

fn cluster() -> &'static Cluster {
    static CLUSTER: OnceLock<Cluster> = OnceLock::new();
    CLUSTER.get_or_init(|| {
        start_cluster().unwrap_or_else(|e| panic!("cannot start the test Citus cluster: {e}"))
    })
}

fn start_cluster() -> Result<Cluster, String> {
    let bin = pg_bin_dir()?;
    let lib = citus_library(&bin)?;
    if !lib.exists() {
        return Err(format!(
            "Citus is not installed into this PostgreSQL ({} is missing): run \
             ../shared/vendor/citus/build.sh from the repository (scripts/test does)",
            lib.display()
        ));
    }
    let user = cluster_user()?;
    let dirs = [
        node_dir("vitrine-citus-", user)?,
        node_dir("vitrine-citus-", user)?,
        node_dir("vitrine-citus-", user)?,
    ];
    // One initdb, copied: initdb is most of a node's start-up time.
    initdb(&bin, &dirs[0].join("data"), user)?;
    for dir in &dirs[1..] {
        copy_data(&dirs[0].join("data"), &dir.join("data"), user)?;
    }
    let settings = [
        "shared_preload_libraries=citus",
        // One maintenance daemon per database with the extension, plus
        // Citus's own workers: room for the databases of a few live tests.
        "max_worker_processes=64",
    ];
    let started: Vec<Result<u16, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = dirs
            .iter()
            .map(|dir| {
                let bin = &bin;
                scope.spawn(move || start_node(bin, dir, &dir.join("data"), user, &settings))
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("node start panicked".into()))
            })
            .collect()
    });
    let mut ports = [0; 3];
    for (slot, port) in ports.iter_mut().zip(started) {
        *slot = port?;
    }
    Ok(Cluster { ports })
}

/// `citus.so` in the server's library directory (`pg_config --pkglibdir`).
fn citus_library(bin: &Path) -> Result<PathBuf, String> {
    let out = Command::new(bin.join("pg_config"))
        .arg("--pkglibdir")
        .output()
        .map_err(|e| format!("pg_config: {e}"))?;
    let dir = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    if !out.status.success() || dir.is_empty() {
        // Debian's layout when pg_config is not beside the server.
        let lib = bin.parent().map(|p| p.join("lib")).unwrap_or_default();
        return Ok(lib.join("citus.so"));
    }
    Ok(PathBuf::from(dir).join("citus.so"))
}

fn copy_data(from: &Path, to: &Path, user: Option<(u32, u32)>) -> Result<(), String> {
    let status = as_user(&mut Command::new("cp"), user)
        .arg("-a")
        .arg(from)
        .arg(to)
        .stdin(Stdio::null())
        .status()
        .map_err(|e| format!("cp: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("cp -a {} {} failed", from.display(), to.display()))
    }
}

/// Runs `statements` in order on one connection to `db` on the node at `port`.
async fn run(port: u16, db: &str, statements: &[String]) {
    if let Err(e) = try_run(port, db, statements).await {
        panic!("{e}");
    }
}

async fn try_run(port: u16, db: &str, statements: &[String]) -> Result<(), String> {
    let mut conn = sqlx::PgConnection::connect(&url(port, db))
        .await
        .map_err(|e| format!("connection to Citus node {port}/{db}: {e}"))?;
    for sql in statements {
        conn.execute(sql.as_str())
            .await
            .map_err(|e| format!("{sql} on node {port}: {e}"))?;
    }
    let _ = conn.close().await;
    Ok(())
}

/// Ends every session on the template (its maintenance daemon above all).
fn stop_template_sessions() -> String {
    format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE datname = '{TEMPLATE}' AND pid <> pg_backend_pid()"
    )
}

async fn prepare_template(cluster: &Cluster) {
    let fresh = [
        format!("DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"),
        format!("CREATE DATABASE {TEMPLATE}"),
    ];
    let extension = ["CREATE EXTENSION citus".to_owned()];
    let (fresh, extension) = (&fresh, &extension);
    let make = |port: u16| async move {
        run(port, "postgres", fresh).await;
        run(port, TEMPLATE, extension).await;
    };
    let [c, w1, w2] = cluster.ports;
    tokio::join!(make(c), make(w1), make(w2));
    let mut nodes = vec![format!(
        "SELECT citus_set_coordinator_host('127.0.0.1', {c})"
    )];
    for w in [w1, w2] {
        nodes.push(format!("SELECT citus_add_node('127.0.0.1', {w})"));
    }
    run(c, TEMPLATE, &nodes).await;
    let template = Store::connect(&url(c, TEMPLATE), 1)
        .await
        .expect("template connection");
    template
        .migrate()
        .await
        .expect("migrate the Citus template");
    template.close().await;
}

/// A test's database on every node; dropped everywhere when the last clone
/// of this handle goes.
#[derive(Debug)]
pub(crate) struct Lease {
    name: String,
}

impl Lease {
    /// The coordinator's URL of this database: what vitrine connects to.
    pub(crate) fn url(&self) -> String {
        url(cluster().coordinator(), &self.name)
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Ok(tx) = dropper().lock() {
            let _ = tx.send(std::mem::take(&mut self.name));
        }
    }
}

/// The background thread that drops finished tests' databases on every
/// node (with `FORCE`: a stopped server's pool may still be closing).
fn dropper() -> &'static StdMutex<mpsc::Sender<String>> {
    static DROPPER: OnceLock<StdMutex<mpsc::Sender<String>>> = OnceLock::new();
    DROPPER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<String>();
        std::thread::spawn(move || {
            let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            while let Ok(name) = rx.recv() {
                if let Err(e) = rt.block_on(drop_everywhere(&name)) {
                    // A leftover database costs disk until the run ends
                    // (the watchdogs remove the clusters), not a failure.
                    // Straight to stderr: this thread may have inherited a
                    // test's output capture.
                    use std::io::Write as _;
                    let _ = writeln!(
                        std::io::stderr(),
                        "citus test database {name} not dropped: {e}"
                    );
                }
            }
        });
        StdMutex::new(tx)
    })
}

/// Drops a test's database on every node. Each node's maintenance daemon
/// for it connects to the other nodes' copies and comes back after `FORCE`
/// ends its sessions, so connections are closed to it everywhere first.
async fn drop_everywhere(name: &str) -> Result<(), String> {
    let ports = cluster().ports;
    let close = [format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false")];
    let drop = [format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")];
    let (a, b, c) = tokio::join!(
        try_run(ports[0], "postgres", &close),
        try_run(ports[1], "postgres", &close),
        try_run(ports[2], "postgres", &close)
    );
    a.and(b).and(c)?;
    let (a, b, c) = tokio::join!(
        try_run(ports[0], "postgres", &drop),
        try_run(ports[1], "postgres", &drop),
        try_run(ports[2], "postgres", &drop)
    );
    a.and(b).and(c)
}

/// A new database with vitrine's schema on every node of the cluster.
pub(crate) async fn fresh_database() -> Lease {
    static TEMPLATE_READY: OnceCell<()> = OnceCell::const_new();
    // CREATE DATABASE … TEMPLATE fails if another session uses the template.
    static CREATE: Mutex<()> = Mutex::const_new(());
    let cluster = cluster();
    let _guard = CREATE.lock().await;
    TEMPLATE_READY
        .get_or_init(|| prepare_template(cluster))
        .await;
    let name = format!("vitrine_citus_{}", uuid::Uuid::new_v4().simple());
    // Every node's sessions on the template end before any clone starts:
    // the coordinator's daemon holds connections to the workers' templates.
    let stop = [stop_template_sessions()];
    let [c, w1, w2] = cluster.ports;
    tokio::join!(
        run(c, "postgres", &stop),
        run(w1, "postgres", &stop),
        run(w2, "postgres", &stop)
    );
    // FILE_COPY copies the template's files (about 70 ms a test here);
    // the default WAL_LOG strategy writes every block to the WAL (380 ms).
    let clone = [format!(
        "CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY"
    )];
    tokio::join!(
        run(c, "postgres", &clone),
        run(w1, "postgres", &clone),
        run(w2, "postgres", &clone)
    );
    Lease { name }
}
