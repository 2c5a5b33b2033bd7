//! The two backends behind one API.
//!
//! Queries use `$1` placeholders, which both SQLite and PostgreSQL accept, and
//! bind plain types whose encodings sort and compare the same on both
//! (UUIDs, `DateTime<Utc>`, integers, text). [`on_db!`] expands one query
//! block once per backend, so the SQL is written once and type-checked twice.

use std::future::Future;
use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{
    Connection as _, PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool,
    Transaction,
};

use crate::error::Outage;
use crate::{Error, Result};

/// Runs `$body` with `$c` bound to the live backend's `&mut Connection`.
macro_rules! on_db {
    ($db:expr, $c:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite(ref mut $c) => {
                let $c: &mut ::sqlx::SqliteConnection = &mut **$c;
                $body
            }
            $crate::Db::Postgres(ref mut $c) => {
                let $c: &mut ::sqlx::PgConnection = &mut **$c;
                $body
            }
        }
    };
}
pub(crate) use on_db;

/// Every row of `sql`, whose `$1` is the account, `$2` the store and
/// `$3…` the `values` in order (an `IN (…)` list, search words).
macro_rules! fetch_in_store {
    ($db:expr, $sql:expr, $account:expr, $store:expr, $values:expr) => {
        $crate::backend::on_db!($db, c => {
            let mut q = ::sqlx::query_as($sql).bind($account.0).bind($store.0);
            for value in $values {
                q = q.bind(value);
            }
            q.fetch_all(c).await
        })
    };
}
pub(crate) use fetch_in_store;

/// Most ids a batched read takes at once (well under SQLite's and
/// PostgreSQL's limits on bound parameters).
pub const MAX_BATCH: usize = 500;

/// `$from, $from+1, …` for an `IN (…)` list of `n` values.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Which database engine a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded, one file under the data dir.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

#[derive(Clone)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// The connection pool of the live backend. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pool: Pool,
    health: Arc<Health>,
}

/// What a store has learnt of its database, shared by its clones.
#[derive(Default)]
struct Health {
    /// The last write that failed because the storage could not take it
    /// ([`Outage::stops_writes`]), until a write succeeds (`/healthz`).
    write_failure: Mutex<Option<WriteFailure>>,
    /// The last connection attempt outside the pool (PostgreSQL only).
    last_probe: Mutex<Option<Probe>>,
    /// One probe at a time; the others wait and share its answer.
    probing: tokio::sync::Mutex<()>,
}

/// A write that failed for want of a working database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WriteFailure {
    /// What was wrong.
    pub outage: Outage,
    /// When it last happened.
    pub at: Instant,
}

#[derive(Debug, Clone, Copy)]
struct Probe {
    at: Instant,
    reachable: bool,
}

fn locked<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // Plain values behind the lock: still meaningful after a panic.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Health {
    fn observe(&self, e: &Error) {
        if let Some(outage) = e.outage() {
            self.note_outage(outage);
        }
    }

    fn note_outage(&self, outage: Outage) {
        if outage.stops_writes() {
            *locked(&self.write_failure) = Some(WriteFailure {
                outage,
                at: Instant::now(),
            });
        }
    }

    fn note_write_ok(&self) {
        *locked(&self.write_failure) = None;
    }
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Store({:?})", self.backend())
    }
}

/// A borrowed connection of either backend; what repositories run on.
pub enum Db<'c> {
    /// SQLite connection.
    Sqlite(&'c mut SqliteConnection),
    /// PostgreSQL connection.
    Postgres(&'c mut PgConnection),
}

impl Db<'_> {
    /// The same connection for a shorter borrow, so a function given a
    /// `&mut Db` can open several repositories in turn.
    pub fn reborrow(&mut self) -> Db<'_> {
        match self {
            Db::Sqlite(c) => Db::Sqlite(c),
            Db::Postgres(c) => Db::Postgres(c),
        }
    }
}

/// A write transaction. Dropping it without [`Tx::commit`] rolls back.
pub struct Tx {
    inner: TxInner,
    health: Arc<Health>,
}

enum TxInner {
    /// Started with `BEGIN IMMEDIATE`, so it holds SQLite's write lock from
    /// the start and a read-then-write never fails with `SQLITE_BUSY` midway.
    Sqlite(Transaction<'static, Sqlite>),
    /// A default (read committed) transaction; rows that must not race are
    /// locked with `SELECT … FOR UPDATE` by the repository that reads them.
    Postgres(Transaction<'static, Postgres>),
}

/// A pooled connection for reads that need no transaction.
pub enum Conn {
    /// SQLite.
    Sqlite(PoolConnection<Sqlite>),
    /// PostgreSQL.
    Postgres(PoolConnection<Postgres>),
}

impl Tx {
    /// The transaction's connection, for repositories.
    pub fn db(&mut self) -> Db<'_> {
        match &mut self.inner {
            TxInner::Sqlite(t) => Db::Sqlite(t),
            TxInner::Postgres(t) => Db::Postgres(t),
        }
    }

    /// Makes every write of this transaction durable. Its outcome is what
    /// `/healthz` knows of writes. A failed commit rolls back (sqlx does,
    /// as the transaction drops) and the pool discards the connection if
    /// the rollback could not run (see [`Store::connect`]).
    pub async fn commit(self) -> Result<()> {
        let Tx { inner, health } = self;
        let committed = match inner {
            TxInner::Sqlite(t) => t.commit().await,
            TxInner::Postgres(t) => t.commit().await,
        };
        match committed {
            Ok(()) => {
                health.note_write_ok();
                Ok(())
            }
            Err(e) => {
                let e = Error::from(e);
                health.observe(&e);
                Err(e)
            }
        }
    }
}

impl Conn {
    /// The connection, for repositories.
    pub fn db(&mut self) -> Db<'_> {
        match self {
            Conn::Sqlite(c) => Db::Sqlite(c),
            Conn::Postgres(c) => Db::Postgres(c),
        }
    }
}

/// Repository accessors, the same on a transaction and a plain connection:
/// `tx.api_keys().insert(…)`, `conn.stores().list(…)`.
macro_rules! repositories {
    ($($(#[$doc:meta])* $method:ident => $repo:ident;)*) => {
        impl<'c> Db<'c> {
            $($(#[$doc])* pub fn $method(self) -> crate::$method::$repo<'c> {
                crate::$method::$repo(self)
            })*
        }
        impl Tx {
            $($(#[$doc])* pub fn $method(&mut self) -> crate::$method::$repo<'_> {
                crate::$method::$repo(self.db())
            })*
        }
        impl Conn {
            $($(#[$doc])* pub fn $method(&mut self) -> crate::$method::$repo<'_> {
                crate::$method::$repo(self.db())
            })*
        }
    };
}

repositories! {
    /// Accounts (tenants).
    accounts => Accounts;
    /// Stores of an account.
    stores => Stores;
    /// Panel users.
    users => Users;
    /// Auto API keys.
    api_keys => ApiKeys;
    /// Loja API credentials.
    credentials => Credentials;
    /// Loja design settings.
    design => Design;
    /// Loja catalogue products and the store's SKU namespace.
    products => Products;
    /// Product variations and product grids (sellable units).
    variations => Variations;
    /// The store's global varieties and grids.
    varieties => Varieties;
    /// Loja brands.
    brands => Brands;
    /// Loja manufacturers.
    manufacturers => Manufacturers;
    /// Loja tags.
    tags => Tags;
    /// Product images.
    images => Images;
    /// Categories, subcategories and product links.
    categories => Categories;
    /// Product reviews, related products and stock retentions.
    reviews => Reviews;
    /// Auto API clients.
    clients => Clients;
    /// Auto API vehicles.
    vehicles => Vehicles;
    /// Auto API deals.
    deals => Deals;
    /// Sales (promotions).
    sales => Sales;
    /// Panel sessions.
    sessions => Sessions;
    /// Panel sign-in attempt counters (throttling).
    login_failures => LoginFailures;
    /// Secrets the panel signs with (shared by every node).
    panel_secrets => PanelSecrets;
    /// Loja customers and the store's JWT secret.
    customers => Customers;
    /// Carts and cart lines.
    carts => Carts;
    /// Orders, order lines and their stock retentions.
    orders => Orders;
    /// Sellable units and their stock.
    stock => Stock;
    /// Banners.
    banners => Banners;
    /// Auto API activities.
    activities => Activities;
    /// Auto API financial records.
    financial => Financial;
    /// Auto API webhook endpoints, deliveries and attempts.
    webhooks => Webhooks;
    /// The webhook outbox: events, fan-out, claims.
    outbox => Outbox;
    /// `Idempotency-Key` claims and stored responses.
    idempotency => Idempotency;
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Rows `ANALYZE` samples per index; 0 reads them all. Sampled statistics
/// proved too coarse: with a limit of 1,000, SQLite 3.46 scanned a million
/// links for a subcategory (922 ms) where full statistics give 7 ms
/// (bench/results.md). `PRAGMA optimize` re-analyses a table only when it
/// has changed a lot, so the full cost (~2.5 s per million rows) is rare.
const SQLITE_ANALYSIS_LIMIT: u32 = 0;

/// The row count recorded for the full-text index's tables (see
/// [`Store::optimize`]): what SQLite assumes of a table it knows nothing about.
const FTS_ROWS_ASSUMED: u32 = 1_000_000;

/// How long a SQLite writer waits for the lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How long a request waits for a pooled connection (all busy) before it
/// is answered 503.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

/// A PostgreSQL pool that has not handed out a connection this fast gets
/// a probe: one connection attempt outside the pool, which tells at once
/// whether the server is there (the pool retries refused connections until
/// its timeout).
const PROBE_AFTER: Duration = Duration::from_millis(250);

/// While the server is unreachable, requests are answered at once; one
/// probe this often finds out when it is back.
const PROBE_EVERY: Duration = Duration::from_secs(1);

/// Longest wait of a probe (a host that drops packets answers nothing).
const PROBE_TIMEOUT: Duration = Duration::from_secs(3);

/// Is this connection still inside a transaction, as sqlx counts, once
/// its rollback has run? Then it is broken for good: a statement that
/// failed with `SQLITE_FULL` or `SQLITE_IOERR` (or such a `COMMIT`) makes
/// SQLite roll the transaction back on its own, sqlx's `ROLLBACK` then
/// fails ("no transaction is active") and its count stays at one, so every
/// later `BEGIN IMMEDIATE` on that connection fails with
/// `InvalidSavePointStatement`. The pool checks before handing a
/// connection out (its release has flushed the rollback by then) and
/// discards such a connection; a fresh one replaces it.
fn healthy_between_transactions<C: sqlx::Connection>(conn: &C) -> bool {
    let inside = conn.is_in_transaction();
    if inside {
        tracing::warn!("discarding a pooled connection left inside a transaction");
    }
    !inside
}

impl Store {
    /// Opens a pool for `url`: `postgres://…`/`postgresql://…`, or
    /// `sqlite://path` / `sqlite:path` (the file is created if missing).
    ///
    /// PostgreSQL is tried once directly first, so an unreachable server is
    /// reported at once with its cause ("connection refused"), not as the
    /// pool's timeout ten seconds later.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url).map_err(|e| Error::Url(e.to_string()))?;
            PgConnection::connect_with(&opts).await?.close().await?;
            let pool = PgPoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .before_acquire(|conn, _| {
                    Box::pin(std::future::ready(Ok(healthy_between_transactions(conn))))
                })
                .connect_with(opts)
                .await?;
            Ok(Self {
                pool: Pool::Postgres(pool),
                health: Arc::default(),
            })
        } else if url.starts_with("sqlite:") {
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(|e| Error::Url(e.to_string()))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: an acknowledged write survives power loss, not only a crash.
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT);
            // No `optimize_on_close`: a connection closing on an empty
            // catalogue would record the FTS tables as tiny again (see
            // [`Store::optimize`]); the server runs `optimize` itself.
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections)
                .acquire_timeout(ACQUIRE_TIMEOUT)
                .before_acquire(|conn, _| {
                    Box::pin(std::future::ready(Ok(healthy_between_transactions(conn))))
                })
                .connect_with(opts)
                .await?;
            Ok(Self {
                pool: Pool::Sqlite(pool),
                health: Arc::default(),
            })
        } else {
            Err(Error::Url(
                "expected postgres://…, postgresql://… or sqlite:…".to_owned(),
            ))
        }
    }

    /// The SQLite URL of the default database file under `data_dir`.
    pub fn sqlite_url_in(data_dir: &Path) -> String {
        format!("sqlite://{}", data_dir.join("vitrine.db").display())
    }

    /// Applies pending migrations (embedded in the binary), then refreshes
    /// the query planner's statistics.
    pub async fn migrate(&self) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => SQLITE_MIGRATIONS.run(p).await?,
            Pool::Postgres(p) => POSTGRES_MIGRATIONS.run(p).await?,
        }
        self.optimize().await
    }

    /// Gathers planner statistics where they are missing or stale. SQLite
    /// has none until asked (`PRAGMA optimize`); PostgreSQL's autovacuum
    /// keeps its own. Without statistics SQLite picks by index shape and can
    /// walk a whole store's rows (bench/results.md), so the server calls
    /// this after migrations and then periodically.
    ///
    /// The full-text index's own tables are recorded as large whatever
    /// their size: FTS5 reads them only by key, and a count taken while the
    /// catalogue was empty (`products_search_data`: 2 rows) makes the
    /// planner prepare FTS5's range deletes as scans of the whole index.
    /// FTS5 flushes and merges at every statement of a write transaction,
    /// so each product insert read more pages as the catalogue grew
    /// (~0.1 ms per product on a fresh index, ~0.8 ms at 100,000 and
    /// 55,000 page reads a second; `vitrine dataset catalog` fell to ~66
    /// products/s at 308,000). Deleting the rows would not do: a connection
    /// keeps the estimates it loaded until it sees new ones. One
    /// transaction, so no connection ever loads the small count.
    pub async fn optimize(&self) -> Result<()> {
        if self.backend() != Backend::Sqlite {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        if let Db::Sqlite(c) = tx.db() {
            sqlx::query(&format!("PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}"))
                .execute(&mut *c)
                .await?;
            // 0x10002: analyse every table that needs it, not only those
            // this connection has queried.
            sqlx::query("PRAGMA optimize = 0x10002")
                .execute(&mut *c)
                .await?;
            let has_stats: Option<i64> = sqlx::query_scalar(
                "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'sqlite_stat1'",
            )
            .fetch_optional(&mut *c)
            .await?;
            if has_stats.is_some() {
                // The leading figure of `stat` is the row count; the rest
                // (rows per key prefix) stays as analysed.
                sqlx::query(
                    "UPDATE sqlite_stat1 SET stat = $1 || substr(stat, instr(stat || ' ', ' ')) \
                     WHERE EXISTS (SELECT 1 FROM sqlite_schema v \
                     WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL TABLE%fts5%' \
                     AND sqlite_stat1.tbl GLOB v.name || '_*')",
                )
                .bind(FTS_ROWS_ASSUMED.to_string())
                .execute(&mut *c)
                .await?;
                // Makes this connection load the statistics just written.
                sqlx::query("ANALYZE sqlite_schema")
                    .execute(&mut *c)
                    .await?;
            }
        }
        tx.commit().await
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        match &self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// Starts a write transaction.
    ///
    /// The start runs in a task of its own. sqlx 0.8's `begin` is not
    /// drop-safe (launchbadge/sqlx#3932): a request cancelled in the instant
    /// after the database ran `BEGIN` and before the `Transaction` existed
    /// (its client went away, its timeout fired) left the connection in the
    /// pool inside a transaction. On SQLite that connection kept the write
    /// lock and every other write failed after the busy timeout (seen under
    /// load: `InvalidSavePointStatement` and `PoolTimedOut` 500s). In its own
    /// task the start always completes; if nobody waits for it any more, the
    /// `Transaction` is dropped there and rolled back like any other.
    pub async fn begin(&self) -> Result<Tx> {
        let pool = self.pool.clone();
        let started = tokio::spawn(async move {
            Ok::<_, sqlx::Error>(match pool {
                Pool::Sqlite(p) => TxInner::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
                Pool::Postgres(p) => TxInner::Postgres(p.begin().await?),
            })
        });
        let started = self.watched(async move {
            match started.await {
                Ok(tx) => Ok(tx?),
                Err(e) => {
                    tracing::error!(error = %e, "the task starting a transaction failed");
                    Err(Error::Db(sqlx::Error::WorkerCrashed))
                }
            }
        });
        match started.await {
            Ok(inner) => Ok(Tx {
                inner,
                health: self.health.clone(),
            }),
            Err(e) => {
                self.health.observe(&e);
                Err(e)
            }
        }
    }

    /// Takes a connection for reads.
    pub async fn conn(&self) -> Result<Conn> {
        self.watched(async {
            Ok(match &self.pool {
                Pool::Sqlite(p) => Conn::Sqlite(p.acquire().await?),
                Pool::Postgres(p) => Conn::Postgres(p.acquire().await?),
            })
        })
        .await
    }

    /// Does the database answer? Used by `/healthz`.
    pub async fn ping(&self) -> Result<()> {
        let mut conn = self.conn().await?;
        on_db!(conn.db(), c => sqlx::query("SELECT 1").execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// Whether [`Store::close`] has been called.
    pub fn is_closed(&self) -> bool {
        match &self.pool {
            Pool::Sqlite(p) => p.is_closed(),
            Pool::Postgres(p) => p.is_closed(),
        }
    }

    /// The last write that failed because the storage is full, read-only
    /// or failing, unless a write has succeeded since.
    pub fn write_failure(&self) -> Option<WriteFailure> {
        *locked(&self.health.write_failure)
    }

    /// Records an outage seen elsewhere (a face answering 503 for a write
    /// whose statement failed), so `/healthz` knows of it too.
    pub fn note_outage(&self, outage: Outage) {
        self.health.note_outage(outage);
    }

    /// Writes one row in a transaction of its own: can writes succeed?
    /// Its outcome is recorded like any write's.
    pub async fn probe_writes(&self) -> Result<()> {
        let mut tx = self.begin().await?;
        let sql = "INSERT INTO health_probe (id, probed_at) VALUES (1, $1) \
                   ON CONFLICT (id) DO UPDATE SET probed_at = excluded.probed_at";
        let written = on_db!(tx.db(), c => sqlx::query(sql).bind(now()).execute(c).await.map(|r| r.rows_affected()));
        if let Err(e) = written {
            let e = Error::from(e);
            self.health.observe(&e);
            return Err(e);
        }
        tx.commit().await
    }

    /// The secret named `name` of this database (`server_secrets`): the
    /// first caller's `candidate` becomes it, on any node; every later
    /// call reads that one back.
    pub async fn server_secret(&self, name: &str, candidate: &[u8]) -> Result<Vec<u8>> {
        let mut conn = self.conn().await?;
        let insert = "INSERT INTO server_secrets (name, secret, created_at) VALUES ($1, $2, $3) \
                      ON CONFLICT (name) DO NOTHING";
        on_db!(conn.db(), c => sqlx::query(insert).bind(name).bind(candidate).bind(now())
            .execute(c).await.map(|r| r.rows_affected()))?;
        let select = "SELECT secret FROM server_secrets WHERE name = $1";
        Ok(on_db!(conn.db(), c => sqlx::query_scalar(select).bind(name).fetch_one(c).await)?)
    }

    /// Runs `work` (which takes a connection) and, on PostgreSQL, answers
    /// 503 at once instead when the server is unreachable: known from a
    /// probe less than [`PROBE_EVERY`] ago, or found by one made when
    /// `work` has not finished within [`PROBE_AFTER`]. SQLite has no
    /// server to lose.
    async fn watched<T>(&self, work: impl Future<Output = Result<T>>) -> Result<T> {
        let Pool::Postgres(pool) = &self.pool else {
            return work.await;
        };
        if self.known_unreachable(pool).await {
            return Err(unreachable());
        }
        let mut work = std::pin::pin!(work);
        tokio::select! {
            done = &mut work => return done,
            () = tokio::time::sleep(PROBE_AFTER) => {}
        }
        tokio::select! {
            done = &mut work => done,
            reachable = self.probe(pool) => if reachable { work.await } else { Err(unreachable()) },
        }
    }

    /// Was the server unreachable at the last probe, and still is? A probe
    /// older than [`PROBE_EVERY`] is made again.
    async fn known_unreachable(&self, pool: &PgPool) -> bool {
        match *locked(&self.health.last_probe) {
            Some(p) if !p.reachable && p.at.elapsed() < PROBE_EVERY => return true,
            Some(p) if !p.reachable => {}
            _ => return false,
        }
        !self.probe(pool).await
    }

    /// One connection attempt outside the pool: does the server answer?
    /// Callers arriving while a probe runs share its answer.
    async fn probe(&self, pool: &PgPool) -> bool {
        let asked = Instant::now();
        let _one_at_a_time = self.health.probing.lock().await;
        if let Some(p) = *locked(&self.health.last_probe) {
            if p.at >= asked {
                return p.reachable;
            }
        }
        let options = pool.connect_options();
        let reachable =
            match tokio::time::timeout(PROBE_TIMEOUT, PgConnection::connect_with(&options)).await {
                Ok(Ok(conn)) => {
                    let _ = conn.close().await;
                    true
                }
                // Refused, reset, timed out, shutting down: gone. Anything
                // else (a wrong password) is a server that answers.
                Ok(Err(e)) => Outage::of(&e) != Some(Outage::Unreachable),
                Err(_) => false,
            };
        if !reachable {
            tracing::warn!("the database server is unreachable; answering 503 until it is back");
        }
        *locked(&self.health.last_probe) = Some(Probe {
            at: Instant::now(),
            reachable,
        });
        reachable
    }

    /// Closes the pool, waiting for connections in use to come back.
    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

/// The answer while the database server is known to be unreachable.
fn unreachable() -> Error {
    Error::Unavailable {
        outage: Outage::Unreachable,
        cause: "the database server did not answer the last connection attempt".into(),
    }
}

pub use vitrine_core::clock::now;
