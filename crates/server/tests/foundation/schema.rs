//! The two migration folders describe one schema: same file names, and once
//! applied, the same tables with the same columns. SQLite's search index
//! (an FTS5 virtual table and its shadow tables) stands for PostgreSQL's
//! trigram index and is not a table there.

use std::collections::BTreeMap;

use sqlx::Connection;
use vitrine_testkit::Backend;

fn migration_names(dir: &str) -> Vec<String> {
    let path = format!("{}/../store/migrations/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

type Schema = BTreeMap<String, Vec<String>>;

async fn sqlite_schema(url: &str) -> Schema {
    let mut conn = sqlx::SqliteConnection::connect(url).await.expect("sqlite");
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' \
         AND m.sql NOT LIKE 'CREATE VIRTUAL%' \
         AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.sql LIKE 'CREATE VIRTUAL%' \
                         AND substr(m.name, 1, length(v.name) + 1) = v.name || '_') \
         ORDER BY m.name, p.cid",
    )
    .fetch_all(&mut conn)
    .await
    .expect("sqlite schema");
    group(rows)
}

async fn postgres_schema(url: &str) -> Schema {
    let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name NOT LIKE '_sqlx%' ORDER BY table_name, ordinal_position",
    )
    .fetch_all(&mut conn)
    .await
    .expect("postgres schema");
    group(rows)
}

fn group(rows: Vec<(String, String)>) -> Schema {
    let mut schema = Schema::new();
    for (table, column) in rows {
        schema.entry(table).or_default().push(column);
    }
    schema
}

#[tokio::test]
async fn both_backends_have_the_same_migrations_and_schema() {
    assert_eq!(migration_names("sqlite"), migration_names("postgres"));
    let sqlite = vitrine_testkit::spawn(Backend::Sqlite).await;
    let postgres = vitrine_testkit::spawn(Backend::Postgres).await;
    let lite = sqlite_schema(&sqlite.database_url).await;
    let pg = postgres_schema(&postgres.database_url).await;
    assert!(lite.contains_key("api_keys"), "{lite:?}");
    assert_eq!(lite, pg);
}
