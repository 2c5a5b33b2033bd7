//! `pagination.total` read from the kept counts (issue 16.4, docs/api.md
//! "Totals"): exact under concurrent creates, status changes, archives and
//! deletes, and filled by migration 0019 for the records an existing
//! database already holds. The reference is always the rows themselves:
//! every page of the same list walked and counted.

use std::borrow::Cow;
use std::path::Path;

use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use sqlx::{PgPool, SqlitePool};
use tokio::task::JoinSet;
use uuid::Uuid;
use vitrine_core::ids::{AccountId, StoreId};
use vitrine_store::activities::{ActivityFilter, ActivitySort};
use vitrine_store::clients::{ClientFilter, ClientSort};
use vitrine_store::deals::{DealFilter, DealSort};
use vitrine_store::financial::{FinancialFilter, FinancialSort};
use vitrine_store::vehicles::{VehicleFilter, VehicleSort};
use vitrine_store::Store;
use vitrine_testkit::{both_backends, json, Backend, Method, Tenant, TestApp, Value};

/// Every item of `path` (a list URL with a query), walked page by page.
async fn walked(app: &TestApp, key: &str, path: &str) -> u64 {
    let mut n = 0;
    for page in 1.. {
        let url = format!("{path}&limit=100&page={page}");
        let r = app.auto(key, Method::GET, &url, None).await;
        assert_eq!(r.status, 200, "{url}: {}", r.text);
        let got = r.body["data"].as_array().expect("data").len() as u64;
        n += got;
        if got < 100 {
            break;
        }
    }
    n
}

/// The `pagination.total` of `path`.
async fn total(app: &TestApp, key: &str, path: &str) -> u64 {
    let url = format!("{path}&limit=1");
    let r = app.auto(key, Method::GET, &url, None).await;
    assert_eq!(r.status, 200, "{url}: {}", r.text);
    r.body["pagination"]["total"].as_u64().expect("total")
}

/// Each list's total agrees with its rows, for the filters the kept counts
/// answer; returns the unfiltered totals (clients, vehicles, deals,
/// activities, financial).
async fn assert_totals_exact(app: &TestApp, t: &Tenant, second_store: &str) -> [u64; 5] {
    let key = &t.api_key;
    let s1 = &t.store_id;
    let s2 = second_store;
    let lists: [(&str, Vec<String>); 5] = [
        (
            "/api/v1/clients",
            vec![
                "?".into(),
                "?status=active".into(),
                "?status=inactive".into(),
                format!("?store_id={s1}"),
                format!("?store_id={s2}&status=active"),
            ],
        ),
        (
            "/api/v1/vehicles",
            vec![
                "?".into(),
                "?status=ativo".into(),
                "?status=arquivado".into(),
                "?status=vendido".into(),
                "?status=consignado".into(),
                format!("?store_id={s1}"),
                format!("?store_id={s2}"),
                format!("?store_id={s2}&status=ativo"),
            ],
        ),
        (
            "/api/v1/deals",
            vec![
                "?".into(),
                "?status=ativo".into(),
                "?status=arquivado".into(),
                format!("?store_id={s1}"),
            ],
        ),
        (
            "/api/v1/activities",
            vec![
                "?".into(),
                "?status=pending".into(),
                "?status=completed".into(),
                format!("?store_id={s2}"),
            ],
        ),
        (
            "/api/v1/financial",
            vec![
                "?".into(),
                "?status=pending".into(),
                "?status=cancelled".into(),
                format!("?store_id={s1}"),
            ],
        ),
    ];
    let mut unfiltered = [0; 5];
    for (i, (list, queries)) in lists.iter().enumerate() {
        for q in queries {
            let path = format!("{list}{q}");
            let rows = walked(app, key, &path).await;
            assert_eq!(total(app, key, &path).await, rows, "{path}");
            if q == "?" {
                unfiltered[i] = rows;
            }
        }
    }
    unfiltered
}

/// A second store of the tenant's account.
async fn second_store(app: &TestApp, t: &Tenant) -> String {
    let account = AccountId(t.account_id.parse().expect("account id"));
    let mut tx = app.store.begin().await.expect("begin");
    let store = tx
        .stores()
        .insert(account, StoreId::new(), "Filial Centro")
        .await
        .expect("store");
    tx.commit().await.expect("commit");
    store.id.to_string()
}

/// One write; every write of these tests succeeds.
async fn send(app: Arc<TestApp>, key: String, method: Method, path: String, body: Option<Value>) {
    let r = app.auto(&key, method.clone(), &path, body.as_ref()).await;
    assert!(
        (200..300).contains(&r.status),
        "{method} {path}: {} {}",
        r.status,
        r.text
    );
}

/// One round of creates of every list, all at once: the new ids per list
/// (clients, vehicles, deals, activities, financial).
async fn create_round(app: &Arc<TestApp>, t: &Tenant, s2: &str, round: usize) -> Vec<Vec<String>> {
    let stores = [t.store_id.clone(), s2.to_owned()];
    let statuses = ["ativo", "ativo", "reservado", "consignado"];
    let mut bodies: Vec<(usize, &str, Value)> = Vec::new();
    for i in 0..10 {
        let mut body = json!({"type": "PF", "name": format!("Cliente {round}-{i}")});
        if i % 3 != 0 {
            body["store_id"] = json!(stores[i % 2]);
        }
        bodies.push((0, "/api/v1/clients", body));
    }
    for i in 0..16 {
        let body = json!({
            "title": format!("Carro {round}-{i}"),
            "store_id": stores[i % 2],
            "status": statuses[i % 4],
        });
        bodies.push((1, "/api/v1/vehicles", body));
    }
    for i in 0..8 {
        let mut body = json!({"title": format!("Negócio {round}-{i}")});
        if i % 2 == 0 {
            body["store_id"] = json!(stores[0]);
        }
        bodies.push((2, "/api/v1/deals", body));
    }
    for i in 0..10 {
        let mut body = json!({"title": format!("Ligar {round}-{i}")});
        if i % 2 == 0 {
            body["store_id"] = json!(stores[1]);
        }
        bodies.push((3, "/api/v1/activities", body));
    }
    for i in 0..8 {
        let mut body = json!({"type": "expense", "category": "marketing", "amount": 100 + i});
        if i % 2 == 1 {
            body["store_id"] = json!(stores[0]);
        }
        bodies.push((4, "/api/v1/financial", body));
    }
    let mut set = JoinSet::new();
    for (list, path, body) in bodies {
        let (app, key) = (Arc::clone(app), t.api_key.clone());
        set.spawn(async move {
            let r = app.auto(&key, Method::POST, path, Some(&body)).await;
            assert_eq!(r.status, 201, "POST {path}: {}", r.text);
            (list, r.body["data"]["id"].as_str().expect("id").to_owned())
        });
    }
    let mut ids = vec![Vec::new(); 5];
    while let Some(done) = set.join_next().await {
        let (list, id) = done.expect("create");
        ids[list].push(id);
    }
    ids
}

async fn counts_stay_exact_under_concurrent_writes(app: TestApp) {
    let app = Arc::new(app);
    let t = app.tenant().await;
    let s2 = second_store(&app, &t).await;
    let first = create_round(&app, &t, &s2, 1).await;
    let (clients, vehicles, deals, activities, financial) =
        (&first[0], &first[1], &first[2], &first[3], &first[4]);
    assert_eq!(assert_totals_exact(&app, &t, &s2).await, [10, 16, 8, 10, 8]);

    // At once: a second round of creates, and archives, status changes,
    // moves between stores, deactivations, deletes and cancellations of
    // the first round's records.
    let mut changes = Vec::new();
    for id in &vehicles[..6] {
        changes.push((Method::DELETE, format!("/api/v1/vehicles/{id}"), None));
    }
    for id in &vehicles[6..9] {
        let body = json!({"status": "vendido"});
        changes.push((Method::PUT, format!("/api/v1/vehicles/{id}"), Some(body)));
    }
    for id in &vehicles[9..11] {
        let body = json!({"store_id": s2, "status": "ativo"});
        changes.push((Method::PATCH, format!("/api/v1/vehicles/{id}"), Some(body)));
    }
    for id in &clients[..4] {
        changes.push((Method::DELETE, format!("/api/v1/clients/{id}"), None));
    }
    for id in &clients[4..6] {
        let body = json!({"store_id": s2});
        changes.push((Method::PATCH, format!("/api/v1/clients/{id}"), Some(body)));
    }
    for id in &deals[..3] {
        changes.push((Method::DELETE, format!("/api/v1/deals/{id}"), None));
    }
    for id in &activities[..5] {
        changes.push((Method::DELETE, format!("/api/v1/activities/{id}"), None));
    }
    for id in &activities[5..7] {
        let body = json!({"status": "completed"});
        changes.push((Method::PUT, format!("/api/v1/activities/{id}"), Some(body)));
    }
    for id in &financial[..3] {
        let body = json!({"status": "cancelled"});
        changes.push((Method::PUT, format!("/api/v1/financial/{id}"), Some(body)));
    }
    let mut set = JoinSet::new();
    for (method, path, body) in changes {
        set.spawn(send(
            Arc::clone(&app),
            t.api_key.clone(),
            method,
            path,
            body,
        ));
    }
    let second = create_round(&app, &t, &s2, 2).await;
    while let Some(done) = set.join_next().await {
        done.expect("write");
    }
    assert_eq!(second.iter().map(Vec::len).sum::<usize>(), 52);

    // Clients: deactivated ones still listed; vehicles: 6 archived left
    // the default list; deals: 3 archived; activities: 5 deleted.
    assert_eq!(
        assert_totals_exact(&app, &t, &s2).await,
        [20, 26, 13, 15, 16]
    );
}

both_backends!(counts_stay_exact_under_concurrent_writes);

/// A pool on either backend for the statements the repositories cannot
/// run before migration 0019.
enum Raw {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A value to bind in [`Raw::exec`].
enum Val {
    Id(Uuid),
    MaybeId(Option<Uuid>),
    Text(&'static str),
    Int(i64),
    Now,
    Day(NaiveDate),
}

macro_rules! bind_vals {
    ($q:expr, $vals:expr) => {{
        let mut q = $q;
        for v in $vals {
            q = match v {
                Val::Id(x) => q.bind(*x),
                Val::MaybeId(x) => q.bind(*x),
                Val::Text(x) => q.bind(*x),
                Val::Int(x) => q.bind(*x),
                Val::Now => q.bind(Utc::now()),
                Val::Day(x) => q.bind(*x),
            };
        }
        q
    }};
}

impl Raw {
    async fn exec(&self, sql: &str, vals: &[Val]) {
        match self {
            Raw::Sqlite(p) => {
                bind_vals!(sqlx::query(sql), vals)
                    .execute(p)
                    .await
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
            Raw::Postgres(p) => {
                bind_vals!(sqlx::query(sql), vals)
                    .execute(p)
                    .await
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
        }
    }
}

/// An empty database migrated up to 0018, the schema before the counts.
async fn database_before_counts(backend: Backend) -> (String, Raw, tempfile::TempDir) {
    let db = vitrine_testkit::database(backend).await;
    let url = db.url();
    let dir = format!(
        "{}/../store/migrations/{}",
        env!("CARGO_MANIFEST_DIR"),
        match backend {
            Backend::Sqlite => "sqlite",
            Backend::Postgres | Backend::Citus => "postgres",
        }
    );
    let mut migrator = sqlx::migrate::Migrator::new(Path::new(&dir))
        .await
        .expect("migrations");
    migrator.migrations = Cow::Owned(
        migrator
            .migrations
            .iter()
            .filter(|m| m.version < 19)
            .cloned()
            .collect(),
    );
    let raw = match backend {
        Backend::Sqlite => {
            use std::str::FromStr;
            let opts = sqlx::sqlite::SqliteConnectOptions::from_str(&url)
                .expect("sqlite url")
                .create_if_missing(true)
                .foreign_keys(true);
            let pool = SqlitePool::connect_with(opts).await.expect("sqlite");
            migrator.run(&pool).await.expect("migrate to 0018");
            Raw::Sqlite(pool)
        }
        Backend::Postgres | Backend::Citus => {
            let pool = PgPool::connect(&url).await.expect("postgres");
            // The harness's databases come migrated: start over empty.
            sqlx::query("DROP SCHEMA public CASCADE")
                .execute(&pool)
                .await
                .expect("drop schema");
            sqlx::query("CREATE SCHEMA public")
                .execute(&pool)
                .await
                .expect("create schema");
            migrator.run(&pool).await.expect("migrate to 0018");
            Raw::Postgres(pool)
        }
    };
    (url, raw, db.data_dir)
}

/// Rows as an older vitrine wrote them: two accounts, one with two
/// stores; every list with several statuses, with and without a store.
async fn old_rows(raw: &Raw) -> (AccountId, StoreId, StoreId) {
    let (a, b) = (Uuid::now_v7(), Uuid::now_v7());
    let (s1, s2, sb) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    for account in [a, b] {
        raw.exec(
            "INSERT INTO accounts (id, name, created_at) VALUES ($1, 'Conta', $2)",
            &[Val::Id(account), Val::Now],
        )
        .await;
    }
    for (account, store) in [(a, s1), (a, s2), (b, sb)] {
        raw.exec(
            "INSERT INTO stores (account_id, id, name, created_at) VALUES ($1, $2, 'Loja', $3)",
            &[Val::Id(account), Val::Id(store), Val::Now],
        )
        .await;
    }
    let day = NaiveDate::from_ymd_opt(2026, 2, 1).expect("day");
    for (account, stores) in [(a, [s1, s2]), (b, [sb, sb])] {
        for i in 0..23usize {
            let store = stores[i % 2];
            let maybe = (i % 3 != 0).then_some(store);
            let vehicle = ["ativo", "ativo", "vendido", "arquivado", "consignado"][i % 5];
            raw.exec(
                "INSERT INTO vehicles (account_id, id, title, store_id, phase, status, search_text, created_at, updated_at) \
                 VALUES ($1, $2, 'Carro', $3, 'entrada', $4, 'carro', $5, $5)",
                &[Val::Id(account), Val::Id(Uuid::now_v7()), Val::Id(store), Val::Text(vehicle), Val::Now],
            )
            .await;
            let client = ["active", "active", "inactive"][i % 3];
            raw.exec(
                "INSERT INTO clients (account_id, id, kind, name, status, store_id, tags, search_text, created_at, updated_at) \
                 VALUES ($1, $2, 'PF', 'Cliente', $3, $4, '[]', 'cliente', $5, $5)",
                &[Val::Id(account), Val::Id(Uuid::now_v7()), Val::Text(client), Val::MaybeId(maybe), Val::Now],
            )
            .await;
            let deal = ["ativo", "ganho", "arquivado", "ativo"][i % 4];
            raw.exec(
                "INSERT INTO deals (account_id, id, title, phase, status, store_id, tags, search_text, created_at, updated_at) \
                 VALUES ($1, $2, 'Negócio', 'lead', $3, $4, '[]', 'negocio', $5, $5)",
                &[Val::Id(account), Val::Id(Uuid::now_v7()), Val::Text(deal), Val::MaybeId(maybe), Val::Now],
            )
            .await;
            let activity = ["pending", "completed", "cancelled"][i % 3];
            raw.exec(
                "INSERT INTO activities (account_id, id, title, kind, status, store_id, search_text, created_at, updated_at) \
                 VALUES ($1, $2, 'Ligar', 'tarefa', $3, $4, 'ligar', $5, $5)",
                &[Val::Id(account), Val::Id(Uuid::now_v7()), Val::Text(activity), Val::MaybeId(maybe), Val::Now],
            )
            .await;
            let record = ["pending", "paid", "cancelled", "pending"][i % 4];
            raw.exec(
                "INSERT INTO financial_records (account_id, id, kind, category, amount_cents, status, store_id, \
                 created_on, period_date, created_at, updated_at) \
                 VALUES ($1, $2, 'expense', 'marketing', $3, $4, $5, $6, $6, $7, $7)",
                &[
                    Val::Id(account),
                    Val::Id(Uuid::now_v7()),
                    Val::Int(1_000 + i as i64),
                    Val::Text(record),
                    Val::MaybeId(maybe),
                    Val::Day(day),
                    Val::Now,
                ],
            )
            .await;
        }
    }
    (AccountId(a), StoreId(s1), StoreId(s2))
}

/// The total the store reports and the rows it lists (limit 100), for one
/// list and filter.
macro_rules! total_and_rows {
    ($conn:expr, $repo:ident, $account:expr, $filter:expr, $sort:expr) => {{
        let (rows, total) = $conn
            .$repo()
            .list($account, &$filter, $sort, true, 100, 0)
            .await
            .expect("list");
        (total, rows.len() as u64)
    }};
}

async fn migration_fills_counts_of_existing_records(backend: Backend) {
    let (url, raw, _dir) = database_before_counts(backend).await;
    let (account, s1, s2) = old_rows(&raw).await;
    match raw {
        Raw::Sqlite(p) => p.close().await,
        Raw::Postgres(p) => p.close().await,
    }
    let store = Store::connect(&url, 2).await.expect("connect");
    store.migrate().await.expect("migrations from 0019 apply");
    let mut conn = store.conn().await.expect("conn");

    let mut checked = Vec::new();
    for store_id in [None, Some(s1), Some(s2)] {
        let vehicles = [None, Some("ativo"), Some("arquivado"), Some("consignado")];
        for status in vehicles {
            let filter = VehicleFilter {
                status: status.map(|s| {
                    vitrine_core::vehicle::VehicleStatus::parse("status", s).expect("status")
                }),
                store_id,
                ..VehicleFilter::default()
            };
            let got = total_and_rows!(conn, vehicles, account, filter, VehicleSort::CreatedAt);
            checked.push(("vehicles", format!("{status:?} {store_id:?}"), got));
        }
        let filter = ClientFilter {
            store_id,
            ..ClientFilter::default()
        };
        let got = total_and_rows!(conn, clients, account, filter, ClientSort::CreatedAt);
        checked.push(("clients", format!("{store_id:?}"), got));
        let filter = DealFilter {
            store_id,
            ..DealFilter::default()
        };
        let got = total_and_rows!(conn, deals, account, filter, DealSort::CreatedAt);
        checked.push(("deals", format!("{store_id:?}"), got));
        let filter = ActivityFilter {
            store_id,
            ..ActivityFilter::default()
        };
        let got = total_and_rows!(conn, activities, account, filter, ActivitySort::DueDate);
        checked.push(("activities", format!("{store_id:?}"), got));
        let filter = FinancialFilter {
            store_id,
            ..FinancialFilter::default()
        };
        let got = total_and_rows!(conn, financial, account, filter, FinancialSort::CreatedAt);
        checked.push(("financial", format!("{store_id:?}"), got));
    }
    for (list, filter, (total, rows)) in &checked {
        assert_eq!(total, rows, "{list} {filter}");
    }
    // The other account's rows are not counted in this one's.
    let unfiltered: Vec<u64> = checked
        .iter()
        .filter(|(_, f, _)| f == "None" || f == "None None")
        .map(|(_, _, (total, _))| *total)
        .collect();
    // 23 rows each; vehicles without the 4 archived, deals without 6.
    assert_eq!(unfiltered, [19, 23, 17, 23, 23]);
    drop(conn);
    store.close().await;
}

#[tokio::test]
async fn migration_fills_counts_of_existing_records_sqlite() {
    migration_fills_counts_of_existing_records(Backend::Sqlite).await;
}

#[tokio::test]
async fn migration_fills_counts_of_existing_records_postgres() {
    migration_fills_counts_of_existing_records(Backend::Postgres).await;
}
