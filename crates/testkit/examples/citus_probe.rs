//! Which of vitrine's tables Citus can distribute as the schema stands
//! (issue 13): on a fresh database of the harness's Citus cluster, after
//! vitrine's migrations, every table with `account_id` is offered to
//! `create_distributed_table(t, 'account_id', colocate_with => …)` and every
//! other table to `create_reference_table(t)`, and Citus's answer is
//! reported beside what in the table's definition stands in the way
//! (unique keys without `account_id`, foreign keys, triggers).
//!
//! `bench/citus-probe.sh` runs it and keeps the report in
//! `bench/citus-probe.md`; alone: `cargo run -p vitrine-testkit --example
//! citus_probe` (Markdown on stdout).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use sqlx::{Connection, PgConnection, Row};
use vitrine_testkit::Backend;

/// How a table is offered to Citus.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Plan {
    Distributed,
    Reference,
}

struct Table {
    name: String,
    plan: Plan,
    /// What stands in the way, read from the catalog.
    findings: Vec<String>,
    /// Citus's answer: `Ok` or its error.
    outcome: Option<Result<(), String>>,
}

/// A foreign key, taken off before the tables are distributed and put
/// back after.
struct ForeignKey {
    table: String,
    name: String,
    target: String,
    definition: String,
    outcome: Option<Result<(), String>>,
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let db = vitrine_testkit::database(Backend::Citus).await;
    let mut conn = PgConnection::connect(&db.url()).await?;
    let mut tables = read_tables(&mut conn).await?;
    for table in tables.values_mut() {
        table.findings = findings(&mut conn, table).await?;
    }
    // Citus refuses a foreign key between a distributed table and a local
    // one in either direction, so with the keys in place one refusal
    // (`stores`) would cascade to every table. The keys come off first and
    // go back one by one, each with its own answer.
    let mut keys = read_foreign_keys(&mut conn).await?;
    for key in &keys {
        sqlx::query(&format!(
            "ALTER TABLE {} DROP CONSTRAINT {}",
            key.table, key.name
        ))
        .execute(&mut conn)
        .await?;
    }
    let mut colocate: Option<String> = None;
    let names: Vec<String> = tables.keys().cloned().collect();
    for name in names {
        let plan = tables[&name].plan;
        let sql = match (plan, &colocate) {
            (Plan::Reference, _) => format!("SELECT create_reference_table('{name}')"),
            (Plan::Distributed, Some(first)) => format!(
                "SELECT create_distributed_table('{name}', 'account_id', colocate_with => '{first}')"
            ),
            (Plan::Distributed, None) => format!(
                "SELECT create_distributed_table('{name}', 'account_id', colocate_with => 'none')"
            ),
        };
        let outcome = match sqlx::query(&sql).execute(&mut conn).await {
            Ok(_) => {
                if plan == Plan::Distributed && colocate.is_none() {
                    colocate = Some(name.clone());
                }
                Ok(())
            }
            Err(e) => Err(error_text(&e)),
        };
        if let Some(t) = tables.get_mut(&name) {
            t.outcome = Some(outcome);
        }
    }
    for key in &mut keys {
        let sql = format!(
            "ALTER TABLE {} ADD CONSTRAINT {} {}",
            key.table, key.name, key.definition
        );
        key.outcome = Some(
            sqlx::query(&sql)
                .execute(&mut conn)
                .await
                .map(|_| ())
                .map_err(|e| error_text(&e)),
        );
    }
    let version: String =
        sqlx::query_scalar("SELECT extversion FROM pg_extension WHERE extname = 'citus'")
            .fetch_one(&mut conn)
            .await?;
    let _ = conn.close().await;
    print!("{}", report(&tables, &keys, &version));
    Ok(())
}

async fn read_foreign_keys(conn: &mut PgConnection) -> sqlx::Result<Vec<ForeignKey>> {
    let rows = sqlx::query(
        "SELECT c.conrelid::regclass::text AS table, c.conname::text AS name, \
                c.confrelid::regclass::text AS target, pg_get_constraintdef(c.oid) AS def \
         FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace \
         WHERE n.nspname = 'public' AND c.contype = 'f' ORDER BY 1, 2",
    )
    .fetch_all(&mut *conn)
    .await?;
    Ok(rows
        .into_iter()
        .map(|row| ForeignKey {
            table: row.get("table"),
            name: row.get("name"),
            target: row.get("target"),
            definition: row.get("def"),
            outcome: None,
        })
        .collect())
}

async fn read_tables(conn: &mut PgConnection) -> sqlx::Result<BTreeMap<String, Table>> {
    let rows = sqlx::query(
        "SELECT c.relname::text AS name, \
                EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid \
                        AND a.attname = 'account_id' AND NOT a.attisdropped) AS tenant \
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition \
         ORDER BY 1",
    )
    .fetch_all(&mut *conn)
    .await?;
    let mut tables = BTreeMap::new();
    for row in rows {
        let name: String = row.get("name");
        let tenant: bool = row.get("tenant");
        tables.insert(
            name.clone(),
            Table {
                name,
                plan: if tenant {
                    Plan::Distributed
                } else {
                    Plan::Reference
                },
                findings: Vec::new(),
                outcome: None,
            },
        );
    }
    Ok(tables)
}

/// Unique keys without `account_id`, and triggers, of a table to distribute.
async fn findings(conn: &mut PgConnection, table: &Table) -> sqlx::Result<Vec<String>> {
    let mut out = Vec::new();
    if table.plan == Plan::Distributed {
        let unique = sqlx::query(
            "SELECT i.indexrelid::regclass::text AS name, i.indisprimary AS primary, \
                    pg_get_indexdef(i.indexrelid) AS def, \
                    EXISTS (SELECT 1 FROM unnest(i.indkey) k JOIN pg_attribute a \
                            ON a.attrelid = i.indrelid AND a.attnum = k \
                            WHERE a.attname = 'account_id') AS has_account \
             FROM pg_index i WHERE i.indrelid = $1::regclass AND i.indisunique ORDER BY 1",
        )
        .bind(&table.name)
        .fetch_all(&mut *conn)
        .await?;
        for row in unique {
            if !row.get::<bool, _>("has_account") {
                let kind = if row.get::<bool, _>("primary") {
                    "primary key"
                } else {
                    "unique key"
                };
                let def: String = row.get("def");
                out.push(format!(
                    "{kind} without account_id: `{}`",
                    def.split(" USING ").nth(1).map_or(def.as_str(), |d| d)
                ));
            }
        }
    }
    let triggers: Vec<String> = sqlx::query_scalar(
        "SELECT tgname::text FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal ORDER BY 1",
    )
    .bind(&table.name)
    .fetch_all(&mut *conn)
    .await?;
    for t in triggers {
        out.push(format!("trigger `{t}`"));
    }
    Ok(out)
}

fn error_text(e: &sqlx::Error) -> String {
    match e {
        sqlx::Error::Database(db) => {
            let mut text = db.message().to_owned();
            if let Some(pg) = db.try_downcast_ref::<sqlx::postgres::PgDatabaseError>() {
                if let Some(detail) = pg.detail() {
                    let _ = write!(text, " — {detail}");
                }
                if let Some(hint) = pg.hint() {
                    let _ = write!(text, " (hint: {hint})");
                }
            }
            text
        }
        other => other.to_string(),
    }
}

fn report(tables: &BTreeMap<String, Table>, keys: &[ForeignKey], version: &str) -> String {
    let ok = |plan: Plan| {
        tables
            .values()
            .filter(|t| t.plan == plan && matches!(t.outcome, Some(Ok(()))))
            .count()
    };
    let of = |plan: Plan| tables.values().filter(|t| t.plan == plan).count();
    let keys_ok = keys
        .iter()
        .filter(|k| matches!(k.outcome, Some(Ok(()))))
        .count();
    let distributed = |name: &str| {
        tables
            .get(name)
            .is_some_and(|t| t.plan == Plan::Distributed && matches!(t.outcome, Some(Ok(()))))
    };
    // A table is ready when it distributes and all its foreign keys hold.
    let ready = tables
        .values()
        .filter(|t| t.plan == Plan::Distributed && matches!(t.outcome, Some(Ok(()))))
        .filter(|t| {
            keys.iter()
                .filter(|k| k.table == t.name)
                .all(|k| matches!(k.outcome, Some(Ok(()))))
        })
        .count();
    let mut out = String::new();
    let _ = writeln!(out, "# Citus distribution probe\n");
    let _ = writeln!(
        out,
        "Citus {version}, a coordinator and two workers (the test harness's cluster), a fresh \
         database after vitrine's migrations; `bench/citus-probe.sh` writes this file. Every \
         foreign key was taken off; each table with `account_id` was offered to \
         `create_distributed_table(t, 'account_id', colocate_with => <the first one \
         distributed>)` and each other table to `create_reference_table(t)`; then each foreign \
         key was put back. Citus refuses a foreign key between a distributed table and a local \
         one in either direction, so with the keys in place one refusal spreads to every table \
         that references, or is referenced by, the refused one.\n"
    );
    let _ = writeln!(
        out,
        "- tenant tables (with `account_id`) that distribute: **{} of {}**; that distribute \
         with all their foreign keys back: **{ready}**\n\
         - other tables that become reference tables: **{} of {}**\n\
         - foreign keys put back: **{keys_ok} of {}**\n",
        ok(Plan::Distributed),
        of(Plan::Distributed),
        ok(Plan::Reference),
        of(Plan::Reference),
        keys.len()
    );
    let _ = writeln!(out, "## Tables\n");
    let _ = writeln!(out, "| table | offered as | Citus's answer | in the way |");
    let _ = writeln!(out, "|---|---|---|---|");
    for t in tables.values() {
        let plan = match t.plan {
            Plan::Distributed => "distributed",
            Plan::Reference => "reference",
        };
        let answer = match &t.outcome {
            Some(Ok(())) => "ok".to_owned(),
            Some(Err(e)) => format!("refused: {e}"),
            None => "not tried".to_owned(),
        };
        let findings = if t.findings.is_empty() {
            "—".to_owned()
        } else {
            t.findings.join("; ")
        };
        let _ = writeln!(
            out,
            "| `{}` | {plan} | {} | {} |",
            t.name,
            cell(&answer),
            cell(&findings)
        );
    }
    let _ = writeln!(out, "\n## Foreign keys\n");
    let _ = writeln!(
        out,
        "| table | foreign key | target distributed | Citus's answer |"
    );
    let _ = writeln!(out, "|---|---|---|---|");
    for k in keys {
        let answer = match &k.outcome {
            Some(Ok(())) => "ok".to_owned(),
            Some(Err(e)) => format!("refused: {e}"),
            None => "not tried".to_owned(),
        };
        let target = if distributed(&k.target) {
            "yes".to_owned()
        } else {
            match tables.get(&k.target).map(|t| t.plan) {
                Some(Plan::Reference) => "reference".to_owned(),
                _ => "no (local)".to_owned(),
            }
        };
        let _ = writeln!(
            out,
            "| `{}` | `{}` | {target} | {} |",
            k.table,
            cell(&k.definition),
            cell(&answer)
        );
    }
    out
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
