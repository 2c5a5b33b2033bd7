//! SQLite's planner statistics (issue 16 item 7): a catalogue that grows
//! after the statistics were taken must not be planned as if it were small.

use vitrine_store::Conn;
use vitrine_testkit::{spawn, Backend, TestApp};

/// How the server's pooled connection and a fresh one plan the range
/// delete FTS5 runs when it merges segments.
async fn fts_delete_plans(app: &TestApp) -> Vec<String> {
    use sqlx::Connection;
    const SQL: &str =
        "EXPLAIN QUERY PLAN DELETE FROM products_search_data WHERE id >= 1 AND id <= 5";
    let mut plans = Vec::new();
    let Conn::Sqlite(mut pooled) = app.store.conn().await.expect("conn") else {
        panic!("a SQLite store");
    };
    let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(SQL)
        .fetch_all(&mut *pooled)
        .await
        .expect("plan");
    plans.extend(rows.into_iter().map(|r| r.3));
    let mut fresh = sqlx::SqliteConnection::connect(&app.database_url)
        .await
        .expect("sqlite");
    let rows: Vec<(i64, i64, i64, String)> = sqlx::query_as(SQL)
        .fetch_all(&mut fresh)
        .await
        .expect("plan");
    plans.extend(rows.into_iter().map(|r| r.3));
    plans
}

fn assert_searches(plans: &[String], when: &str) {
    assert_eq!(plans.len(), 2, "{when}: {plans:?}");
    for plan in plans {
        assert!(
            plan.starts_with("SEARCH products_search_data USING INTEGER PRIMARY KEY"),
            "{when}: {plans:?}"
        );
    }
}

/// Statistics taken on an empty catalogue (`products_search_data`: 2 rows)
/// made FTS5 prepare its range deletes as scans of the whole index, so
/// every product insert cost more as the catalogue grew (`vitrine dataset
/// catalog` fell to ~66 products/s at 308,000). After start-up and after
/// each refresh, every connection plans them as key ranges; the catalogue
/// tables are still analysed and search still works.
#[tokio::test]
async fn full_text_index_is_never_planned_as_small() {
    let app = spawn(Backend::Sqlite).await;
    assert_searches(&fts_delete_plans(&app).await, "after start-up");

    let t = app.tenant().await;
    for n in 0..30 {
        let sku = format!("STAT-{n}");
        let name = format!("Tinta Látex Acrílica {n}");
        let r = app
            .loja_form(
                &t.loja_token,
                "/product/insert",
                &[
                    ("sku", &sku),
                    ("name", &name),
                    ("type", "1"),
                    ("price", "10.00"),
                ],
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    app.store.optimize().await.expect("optimize");
    assert_searches(&fts_delete_plans(&app).await, "after a refresh");

    use sqlx::Connection;
    let mut c = sqlx::SqliteConnection::connect(&app.database_url)
        .await
        .expect("sqlite");
    let analysed: Vec<String> = sqlx::query_scalar("SELECT DISTINCT tbl FROM sqlite_stat1")
        .fetch_all(&mut c)
        .await
        .expect("sqlite_stat1");
    assert!(analysed.iter().any(|t| t == "products"), "{analysed:?}");

    let found = app
        .loja_get(&t.loja_token, "/product/search?q=acrilica%2017")
        .await;
    assert_eq!(found.status, 200, "{}", found.text);
    assert!(found.text.contains("STAT-17"), "{}", found.text);
}
