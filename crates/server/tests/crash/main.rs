//! Crash test (issue #8): the built `vitrine` binary under a write load on
//! both APIs is killed with SIGKILL at a random moment, restarted on the
//! same data, and every write that was answered 2xx must be there, read
//! back through the APIs. A keyed request answered 2xx before the crash
//! gets the same answer after it.
//!
//! `cargo test -p vitrine-server --test crash` runs 3 short rounds per
//! backend; `VITRINE_CRASH_ROUNDS=50 bench/crash.sh` runs longer, and
//! `VITRINE_CRASH_SEED` replays a run's kill moments.

use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};
use vitrine_testkit::{Backend, TestDb};

const BIN: &str = env!("CARGO_BIN_EXE_vitrine");
const WRITERS: usize = 4;
const PASSWORD: &str = "senha-do-cliente";

/// Credentials from `vitrine admin bootstrap --json`.
#[derive(Clone)]
struct Tenant {
    store_id: String,
    api_key: String,
    loja_token: String,
}

/// A write the server acknowledged with a 2xx.
#[derive(Debug, Clone)]
enum Write {
    Client { id: String, name: String },
    Vehicle { id: String, title: String },
    Product { sku: String },
    Customer { email: String },
}

/// A keyed request acknowledged with a 2xx, and what it got.
#[derive(Debug, Clone)]
struct Keyed {
    key: String,
    body: Vec<u8>,
    status: u16,
    text: String,
}

#[derive(Default)]
struct Ledger {
    writes: Mutex<Vec<Write>>,
    keyed: Mutex<Vec<Keyed>>,
    failed: AtomicU64,
}

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

fn bootstrap(db: &TestDb) -> Tenant {
    let out = vitrine(
        db,
        &[
            "admin",
            "bootstrap",
            "--account",
            "Revenda Crash",
            "--store",
            "Matriz",
            "--email",
            "dono@example.com",
            "--password",
            "senha-segura-1",
            "--json",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    let field = |k: &str| v[k].as_str().expect(k).to_owned();
    Tenant {
        store_id: field("store_id"),
        api_key: field("api_key"),
        loja_token: field("loja_token"),
    }
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

impl Server {
    /// SIGKILL: no shutdown, no flush, no graceful anything.
    fn crash(mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().expect("reaped");
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}

async fn start(db: &TestDb) -> Server {
    let port = free_port();
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("VITRINE_DATA_DIR", db.data_dir.path())
        .env_remove("VITRINE_DATABASE_URL")
        // The load would spend the default budget; limits are not under test.
        .env("VITRINE_RATE_LIMIT_PER_MINUTE", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null());
    if std::env::var_os("VITRINE_TEST_LOG").is_none() {
        cmd.stderr(Stdio::null());
    }
    if let Some(url) = &db.database_url {
        cmd.env("VITRINE_DATABASE_URL", url);
    }
    let mut child = cmd.spawn().expect("serve starts");
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    let client = reqwest::Client::new();
    loop {
        if let Ok(r) = client.get(format!("{base}/healthz")).send().await {
            if r.status() == 200 {
                break;
            }
        }
        assert!(Instant::now() < deadline, "server did not come up");
        assert!(
            child.try_wait().expect("wait").is_none(),
            "server exited early"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Server { child, base }
}

/// xorshift64*: kill moments that a seed reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn between(&mut self, low: u64, high: u64) -> u64 {
        low + self.next() % (high - low)
    }
}

/// One request of the load; `Some` if it was answered 2xx.
async fn one_write(
    http: &reqwest::Client,
    base: &str,
    t: &Tenant,
    n: u64,
    ledger: &Ledger,
) -> Result<(), reqwest::Error> {
    let auto = format!("Bearer {}", t.api_key);
    let loja = format!("Basic {}", t.loja_token);
    let slot = n % 8;
    match slot {
        0..=2 => {
            let name = format!("Cliente {n}");
            let body = serde_json::to_vec(&json!({"type": "PF", "name": name})).expect("json");
            let mut req = http
                .post(format!("{base}/api/v1/clients"))
                .header("authorization", &auto)
                .header("content-type", "application/json");
            // One client write in three carries a key.
            let key = (slot == 0).then(|| format!("crash-{n}"));
            if let Some(key) = &key {
                req = req.header("idempotency-key", key);
            }
            let resp = req.body(body.clone()).send().await?;
            let status = resp.status().as_u16();
            let text = resp.text().await?;
            if (200..300).contains(&status) {
                let v: Value = serde_json::from_str(&text).expect("json answer");
                let id = v["data"]["id"].as_str().expect("id").to_owned();
                ledger
                    .writes
                    .lock()
                    .expect("lock")
                    .push(Write::Client { id, name });
                if let Some(key) = key {
                    ledger.keyed.lock().expect("lock").push(Keyed {
                        key,
                        body,
                        status,
                        text,
                    });
                }
            }
        }
        3 | 4 => {
            let title = format!("Veículo {n}");
            let resp = http
                .post(format!("{base}/api/v1/vehicles"))
                .header("authorization", &auto)
                .json(&json!({"title": title, "store_id": t.store_id}))
                .send()
                .await?;
            if resp.status().is_success() {
                let v: Value = resp.json().await?;
                let id = v["data"]["id"].as_str().expect("id").to_owned();
                ledger
                    .writes
                    .lock()
                    .expect("lock")
                    .push(Write::Vehicle { id, title });
            }
        }
        5 | 6 => {
            let sku = format!("SKU-{n}");
            let resp = http
                .post(format!("{base}/product/insert"))
                .header("authorization", &loja)
                .form(&[("name", format!("Produto {n}")), ("sku", sku.clone())])
                .send()
                .await?;
            if resp.status().is_success() {
                let _ = resp.bytes().await?;
                ledger
                    .writes
                    .lock()
                    .expect("lock")
                    .push(Write::Product { sku });
            }
        }
        _ => {
            let email = format!("cliente{n}@example.com");
            let resp = http
                .post(format!("{base}/client/register"))
                .header("authorization", &loja)
                .form(&[
                    ("name", "Cliente Loja"),
                    ("email", &email),
                    ("pass", PASSWORD),
                    ("type", "1"),
                    ("cpf", "999.999.999-99"),
                    ("cellphone", "(38)98989-8989"),
                ])
                .send()
                .await?;
            if resp.status().is_success() {
                let _ = resp.bytes().await?;
                ledger
                    .writes
                    .lock()
                    .expect("lock")
                    .push(Write::Customer { email });
            }
        }
    }
    Ok(())
}

/// What the read-back answer must show.
type Check = Box<dyn Fn(&Value) -> bool>;

/// Is an acknowledged write there? Read back through the API that made it.
async fn present(http: &reqwest::Client, base: &str, t: &Tenant, write: &Write) -> bool {
    let auto = format!("Bearer {}", t.api_key);
    let loja = format!("Basic {}", t.loja_token);
    let (req, check): (reqwest::RequestBuilder, Check) = match write {
        Write::Client { id, name } => {
            let name = name.clone();
            (
                http.get(format!("{base}/api/v1/clients/{id}"))
                    .header("authorization", &auto),
                Box::new(move |v| v["data"]["name"] == name.as_str()),
            )
        }
        Write::Vehicle { id, title } => {
            let title = title.clone();
            (
                http.get(format!("{base}/api/v1/vehicles/{id}"))
                    .header("authorization", &auto),
                Box::new(move |v| v["data"]["title"] == title.as_str()),
            )
        }
        Write::Product { sku } => {
            let sku = sku.clone();
            (
                http.get(format!("{base}/product/findbysku"))
                    .query(&[("sku", &sku)])
                    .header("authorization", &loja),
                Box::new(move |v| v["data"]["sku"] == sku.as_str()),
            )
        }
        Write::Customer { email } => (
            http.post(format!("{base}/client/clientlogin"))
                .header("authorization", &loja)
                .form(&[("email", email.as_str()), ("pass", PASSWORD)]),
            Box::new(|v| v["data"]["token"].is_string()),
        ),
    };
    let resp = req.send().await.expect("the restarted server answers");
    let ok = resp.status().is_success();
    let v: Value = resp.json().await.unwrap_or(Value::Null);
    ok && check(&v)
}

async fn crash_and_recover(backend: Backend) {
    let rounds: usize = std::env::var("VITRINE_CRASH_ROUNDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let seed = std::env::var("VITRINE_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .expect("clock")
                .as_nanos() as u64
                | 1
        });
    let mut rng = Rng(seed);
    let db = vitrine_testkit::database(backend).await;
    let t = bootstrap(&db);
    let http = reqwest::Client::new();
    let counter = Arc::new(AtomicU64::new(0));
    let mut all = Vec::new();
    let mut keyed_total = 0;
    let mut server = start(&db).await;
    for round in 1..=rounds {
        let ledger = Arc::new(Ledger::default());
        let stop = Arc::new(AtomicBool::new(false));
        let mut writers = Vec::new();
        for _ in 0..WRITERS {
            let (ledger, stop, counter, t) =
                (ledger.clone(), stop.clone(), counter.clone(), t.clone());
            let base = server.base.clone();
            writers.push(tokio::spawn(async move {
                let http = reqwest::Client::new();
                while !stop.load(Ordering::Relaxed) {
                    let n = counter.fetch_add(1, Ordering::Relaxed);
                    if one_write(&http, &base, &t, n, &ledger).await.is_err() {
                        ledger.failed.fetch_add(1, Ordering::Relaxed);
                        // The server is gone: nothing more to acknowledge.
                        tokio::time::sleep(Duration::from_millis(20)).await;
                    }
                }
            }));
        }
        let kill_after = Duration::from_millis(rng.between(400, 2500));
        tokio::time::sleep(kill_after).await;
        server.crash();
        stop.store(true, Ordering::Relaxed);
        for w in writers {
            w.await.expect("writer");
        }

        server = start(&db).await;
        let writes = ledger.writes.lock().expect("lock").clone();
        let mut missing = Vec::new();
        for w in &writes {
            if !present(&http, &server.base, &t, w).await {
                missing.push(w.clone());
            }
        }
        assert!(
            missing.is_empty(),
            "{backend:?} round {round} (seed {seed}): acknowledged writes lost after SIGKILL: {missing:?}"
        );
        let keyed = ledger.keyed.lock().expect("lock").clone();
        for k in &keyed {
            let again = http
                .post(format!("{}/api/v1/clients", server.base))
                .header("authorization", format!("Bearer {}", t.api_key))
                .header("content-type", "application/json")
                .header("idempotency-key", &k.key)
                .body(k.body.clone())
                .send()
                .await
                .expect("answer");
            assert_eq!(again.status().as_u16(), k.status, "key {}", k.key);
            assert_eq!(
                again
                    .headers()
                    .get("idempotent-replayed")
                    .and_then(|v| v.to_str().ok()),
                Some("true"),
                "key {}",
                k.key
            );
            assert_eq!(again.text().await.expect("body"), k.text, "key {}", k.key);
        }
        println!(
            "{backend:?} round {round}: killed after {} ms; {} writes acknowledged and verified, {} keyed answers replayed, {} requests cut by the crash",
            kill_after.as_millis(),
            writes.len(),
            keyed.len(),
            ledger.failed.load(Ordering::Relaxed),
        );
        all.extend(writes);
        keyed_total += keyed.len();
    }
    // Everything acknowledged in any round survived the later crashes too.
    for w in &all {
        assert!(
            present(&http, &server.base, &t, w).await,
            "{backend:?} (seed {seed}): {w:?} lost in a later round"
        );
    }
    let verified_total = all.len();
    println!(
        "{backend:?}: {rounds} rounds (seed {seed}), {verified_total} acknowledged writes verified, {keyed_total} keyed answers replayed"
    );
    assert!(verified_total > 0, "the load wrote nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_loses_no_acknowledged_write_sqlite() {
    crash_and_recover(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigkill_loses_no_acknowledged_write_postgres() {
    crash_and_recover(Backend::Postgres).await;
}
