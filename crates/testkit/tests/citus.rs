//! The Citus backend is a real cluster: every `::citus` case would prove
//! nothing if it quietly ran on one plain PostgreSQL server.

use std::time::{Duration, Instant};

use sqlx::{Connection, PgConnection};
use vitrine_testkit::Backend;

async fn connect(url: &str) -> PgConnection {
    PgConnection::connect(url).await.expect("coordinator")
}

async fn workers_answer(conn: &mut PgConnection, command: &str) -> Vec<String> {
    sqlx::query_scalar("SELECT result FROM run_command_on_workers($1) ORDER BY nodeport")
        .bind(command)
        .fetch_all(conn)
        .await
        .expect("run_command_on_workers")
}

#[tokio::test]
async fn a_test_database_lives_on_a_coordinator_and_two_workers() {
    let app = vitrine_testkit::spawn(Backend::Citus).await;
    let mut conn = connect(&app.database_url).await;
    let database: String = sqlx::query_scalar("SELECT current_database()::text")
        .fetch_one(&mut conn)
        .await
        .expect("name");
    let workers: i64 = sqlx::query_scalar("SELECT count(*) FROM citus_get_active_worker_nodes()")
        .fetch_one(&mut conn)
        .await
        .expect("workers");
    assert_eq!(workers, 2);
    // The test's own database exists on both workers, with the extension.
    assert_eq!(
        workers_answer(&mut conn, "SELECT current_database()").await,
        vec![database.clone(), database.clone()]
    );
    // vitrine's schema is there, and its tables stay local for now.
    let local: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_tables t WHERE t.schemaname = 'public' \
         AND t.tablename IN ('accounts', 'stores', 'products', 'vehicles') \
         AND NOT EXISTS (SELECT 1 FROM pg_dist_partition p WHERE p.logicalrelid = t.tablename::regclass)",
    )
    .fetch_one(&mut conn)
    .await
    .expect("tables");
    assert_eq!(local, 4);

    // A distributed table spreads its rows over both workers, and stays in
    // this test's database: another one does not see it.
    for sql in [
        "CREATE TABLE probe (account_id uuid NOT NULL, n int NOT NULL, PRIMARY KEY (account_id, n))",
        "SELECT create_distributed_table('probe', 'account_id', shard_count => 4)",
        "INSERT INTO probe SELECT gen_random_uuid(), g FROM generate_series(1, 200) g",
    ] {
        sqlx::query(sql).execute(&mut conn).await.expect(sql);
    }
    let per_worker = workers_answer(
        &mut conn,
        "SELECT coalesce(sum(n), 0) FROM (SELECT 1 AS n FROM pg_class WHERE relname LIKE 'probe\\_%' AND relkind = 'r') s",
    )
    .await;
    assert_eq!(
        per_worker,
        vec!["2".to_owned(), "2".to_owned()],
        "two shards on each worker"
    );
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM probe")
        .fetch_one(&mut conn)
        .await
        .expect("count");
    assert_eq!(rows, 200);
    let other = vitrine_testkit::spawn(Backend::Citus).await;
    let mut other_conn = connect(&other.database_url).await;
    let seen: Option<String> = sqlx::query_scalar("SELECT to_regclass('probe')::text")
        .fetch_one(&mut other_conn)
        .await
        .expect("regclass");
    assert_eq!(seen, None);
}

#[tokio::test]
async fn a_finished_tests_database_is_dropped_on_every_node() {
    let app = vitrine_testkit::spawn(Backend::Citus).await;
    let name: String = {
        let mut conn = connect(&app.database_url).await;
        sqlx::query_scalar("SELECT current_database()::text")
            .fetch_one(&mut conn)
            .await
            .expect("name")
    };
    drop(app);
    // Watched from another test database: the drop runs in the background.
    let watcher = vitrine_testkit::spawn(Backend::Citus).await;
    let mut conn = connect(&watcher.database_url).await;
    let check = format!("SELECT count(*) FROM pg_database WHERE datname = '{name}'");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let coordinator: i64 = sqlx::query_scalar(&check)
            .fetch_one(&mut conn)
            .await
            .expect("pg_database");
        let workers = workers_answer(&mut conn, &check).await;
        if coordinator == 0 && workers == ["0", "0"] {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{name} still exists: coordinator {coordinator}, workers {workers:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
