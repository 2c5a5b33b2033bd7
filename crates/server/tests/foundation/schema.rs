//! The two migration folders describe one schema. Once both are applied,
//! every table must have, on SQLite and on PostgreSQL:
//! - the same columns in the same order, each of the same type *class*
//!   ([`Class`]; the map is also in `crates/store/migrations/README.md`),
//!   the same NOT NULL, the same default and no explicit collation;
//! - the same primary key, UNIQUE and CHECK constraints;
//! - the same named indexes: columns or expressions in order, direction,
//!   operator class, uniqueness, access method and partial predicate;
//! - the same foreign keys: columns, referenced table and columns, ON DELETE
//!   and ON UPDATE;
//! - the same triggers (by name; a trigger's body is SQL on SQLite and a
//!   PL/pgSQL function on PostgreSQL).
//!
//! Expressions (defaults, index keys, predicates, CHECKs) are compared as
//! SQL trees after normalisation, not as text: PostgreSQL prints
//! `((status <> ALL (ARRAY['a'::text, 'b'::text])))` for the
//! `status NOT IN ('a', 'b')` that SQLite keeps verbatim, and `false` for
//! SQLite's `0`.
//!
//! Deliberate differences, each with its reason, are listed in
//! [`SQLITE_ONLY`] and [`POSTGRES_ONLY`]; nothing else may differ. A SQLite
//! column guarded by the two triggers of [`not_null_guards`] counts as
//! NOT NULL.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::ControlFlow;

use sqlparser::ast::{
    visit_expressions_mut, BinaryOperator, ColumnOption, CreateIndex, Expr, Ident, InTarget,
    OrderBySort, Statement, TableConstraint, UnaryOperator, Value, ValueWithSpan,
};
use sqlparser::dialect::{Dialect, PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;
use sqlx::Connection;
use vitrine_testkit::{Backend, Method, TestApp};

/// Objects only the SQLite folder has: product search is an FTS5 virtual
/// table (with its shadow tables) kept in step by triggers, where PostgreSQL
/// has a trigram index on `products.name_search` (0008).
const SQLITE_ONLY: &[&str] = &[
    "table products_search",
    "trigger products.products_search_insert",
    "trigger products.products_search_delete",
    "trigger products.products_search_update",
];

/// Objects only the PostgreSQL folder has (the other side of 0008).
const POSTGRES_ONLY: &[&str] = &["index products.products_name_trgm"];

/// What a column holds, independent of how each backend spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Integer,
    Bool,
    Text,
    Uuid,
    Bytes,
    Timestamp,
    Date,
    Float,
}

impl Class {
    /// The class of a PostgreSQL type (`information_schema.columns.data_type`).
    /// A type missing here has no agreed SQLite twin: add it to the map (and
    /// to the README) deliberately rather than let it pass.
    fn of_postgres(data_type: &str) -> Result<Class, String> {
        Ok(match data_type {
            "smallint" | "integer" | "bigint" => Class::Integer,
            "boolean" => Class::Bool,
            "text" => Class::Text,
            "uuid" => Class::Uuid,
            "bytea" => Class::Bytes,
            "timestamp with time zone" => Class::Timestamp,
            "date" => Class::Date,
            "double precision" | "real" => Class::Float,
            other => {
                return Err(format!(
                    "PostgreSQL type `{other}` has no twin in the type map \
                     (money is BIGINT centavos, instants TIMESTAMPTZ, text TEXT)"
                ))
            }
        })
    }

    /// The declared SQLite type that stores this class.
    fn sqlite_type(self) -> &'static str {
        match self {
            Class::Integer | Class::Bool => "INTEGER",
            Class::Text | Class::Timestamp | Class::Date => "TEXT",
            Class::Uuid | Class::Bytes => "BLOB",
            Class::Float => "REAL",
        }
    }
}

/// One column as a backend declares it: SQLite's declared type or
/// PostgreSQL's `data_type`, its nullability and its default, as read.
#[derive(Debug, Clone)]
struct RawColumn {
    name: String,
    declared: String,
    not_null: bool,
    default: Option<String>,
    /// An explicit collation (`COLLATE …`); none is the backend's default.
    collation: Option<String>,
}

/// One named index, parsed from its `CREATE INDEX` statement.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Index {
    unique: bool,
    method: String,
    /// Normalised key expressions, in order, with their direction.
    keys: Vec<String>,
    /// The normalised partial-index predicate.
    predicate: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct ForeignKey {
    columns: Vec<String>,
    table: String,
    referenced: Vec<String>,
    on_delete: String,
    on_update: String,
}

/// What one backend's catalog says about one table, before the columns'
/// types are compared across backends.
#[derive(Debug, Clone, Default)]
struct Table {
    columns: Vec<RawColumn>,
    primary_key: Vec<String>,
    unique: BTreeSet<Vec<String>>,
    /// `CREATE INDEX` statements, by index name, as the catalog prints them.
    indexes: BTreeMap<String, String>,
    foreign_keys: BTreeSet<ForeignKey>,
    /// CHECK constraints' expressions, as the catalog prints them.
    checks: Vec<String>,
    /// Trigger names, with SQLite's `CREATE TRIGGER` text (PostgreSQL's
    /// are compared by name only: their bodies are PL/pgSQL functions).
    triggers: BTreeMap<String, String>,
}

type Schema = BTreeMap<String, Table>;

/// A row of `pragma_foreign_key_list`.
#[derive(sqlx::FromRow)]
struct SqliteForeignKey {
    id: i64,
    target: String,
    source: String,
    referenced: Option<String>,
    on_update: String,
    on_delete: String,
}

/// A row of `information_schema.columns`.
#[derive(sqlx::FromRow)]
struct PgColumn {
    table_name: String,
    name: String,
    declared: String,
    not_null: bool,
    default_value: Option<String>,
    collation: Option<String>,
}

/// A primary key, UNIQUE, FOREIGN KEY or CHECK constraint, key columns in
/// key order.
#[derive(sqlx::FromRow)]
struct PgConstraint {
    table_name: String,
    kind: String,
    columns: Vec<String>,
    target: Option<String>,
    referenced: Vec<String>,
    on_delete: String,
    on_update: String,
    definition: String,
}

fn migration_names(dir: &str) -> Vec<String> {
    let path = format!("{}/../store/migrations/{dir}", env!("CARGO_MANIFEST_DIR"));
    let mut names: Vec<String> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{path}: {e}"))
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sql"))
        .collect();
    names.sort();
    names
}

async fn sqlite_schema(url: &str) -> Schema {
    let mut conn = sqlx::SqliteConnection::connect(url).await.expect("sqlite");
    // Tables, without SQLite's own, sqlx's ledger, and the FTS5 tables
    // (the virtual table and the shadow tables named after it).
    let tables: Vec<(String, String)> = sqlx::query_as(
        "SELECT m.name, m.sql FROM sqlite_master m \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name NOT LIKE '_sqlx%' \
         AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.sql LIKE 'CREATE VIRTUAL%' \
                         AND m.name <> v.name AND substr(m.name, 1, length(v.name) + 1) = v.name || '_') \
         ORDER BY m.name",
    )
    .fetch_all(&mut conn)
    .await
    .expect("sqlite tables");
    let mut schema = Schema::new();
    for (table, sql) in tables {
        let mut t = Table::default();
        // The FTS5 table is compared by name only (it is SQLITE_ONLY).
        let (collations, checks) = if sql.starts_with("CREATE VIRTUAL TABLE") {
            Default::default()
        } else {
            sqlite_table_clauses(&sql)
        };
        t.checks = checks;
        let columns: Vec<(String, String, bool, Option<String>, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?) ORDER BY cid",
        )
        .bind(&table)
        .fetch_all(&mut conn)
        .await
        .expect("sqlite columns");
        let mut primary_key: Vec<(i64, String)> = Vec::new();
        for (name, declared, not_null, default, pk) in columns {
            if pk > 0 {
                primary_key.push((pk, name.clone()));
            }
            t.columns.push(RawColumn {
                collation: collations.get(&name).cloned(),
                name,
                declared: declared.to_ascii_uppercase(),
                not_null,
                default,
            });
        }
        primary_key.sort();
        t.primary_key = primary_key.into_iter().map(|(_, name)| name).collect();

        // Indexes: `c` are CREATE INDEX statements, `u` UNIQUE constraints,
        // `pk` the primary key's own index (already read above).
        let indexes: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT l.name, l.origin, m.sql FROM pragma_index_list(?) l \
             LEFT JOIN sqlite_master m ON m.type = 'index' AND m.name = l.name",
        )
        .bind(&table)
        .fetch_all(&mut conn)
        .await
        .expect("sqlite indexes");
        for (name, origin, sql) in indexes {
            match origin.as_str() {
                "c" => {
                    t.indexes.insert(
                        name.clone(),
                        sql.unwrap_or_else(|| panic!("{name}: no SQL")),
                    );
                }
                "u" => {
                    let columns: Vec<(String,)> =
                        sqlx::query_as("SELECT name FROM pragma_index_info(?) ORDER BY seqno")
                            .bind(&name)
                            .fetch_all(&mut conn)
                            .await
                            .expect("sqlite unique columns");
                    t.unique.insert(columns.into_iter().map(|(c,)| c).collect());
                }
                _ => {}
            }
        }

        let fks: Vec<SqliteForeignKey> = sqlx::query_as(
            "SELECT id, \"table\" AS target, \"from\" AS source, \"to\" AS referenced, \
                    on_update, on_delete \
             FROM pragma_foreign_key_list(?) ORDER BY id, seq",
        )
        .bind(&table)
        .fetch_all(&mut conn)
        .await
        .expect("sqlite foreign keys");
        let mut by_id: BTreeMap<i64, ForeignKey> = BTreeMap::new();
        for row in fks {
            let fk = by_id.entry(row.id).or_insert_with(|| ForeignKey {
                columns: Vec::new(),
                table: row.target.clone(),
                referenced: Vec::new(),
                on_delete: row.on_delete.to_ascii_uppercase(),
                on_update: row.on_update.to_ascii_uppercase(),
            });
            fk.columns.push(row.source);
            // `REFERENCES t` without columns names t's primary key:
            // resolved below, once every table's key is known.
            fk.referenced.extend(row.referenced);
        }
        t.foreign_keys = by_id.into_values().collect();

        let triggers: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?",
        )
        .bind(&table)
        .fetch_all(&mut conn)
        .await
        .expect("sqlite triggers");
        t.triggers = triggers.into_iter().collect();
        apply_not_null_guards(&table, &mut t);
        schema.insert(table, t);
    }
    // Implicit references to a primary key.
    let keys: BTreeMap<String, Vec<String>> = schema
        .iter()
        .map(|(name, t)| (name.clone(), t.primary_key.clone()))
        .collect();
    for t in schema.values_mut() {
        t.foreign_keys = std::mem::take(&mut t.foreign_keys)
            .into_iter()
            .map(|mut fk| {
                if fk.referenced.is_empty() {
                    fk.referenced = keys.get(&fk.table).cloned().unwrap_or_default();
                }
                fk
            })
            .collect();
    }
    schema
}

/// Explicit collations by column, and CHECK expressions, of a SQLite
/// `CREATE TABLE` statement (the catalog has no pragma for either).
fn sqlite_table_clauses(sql: &str) -> (BTreeMap<String, String>, Vec<String>) {
    let statements = Parser::parse_sql(&SQLiteDialect {}, sql)
        .unwrap_or_else(|e| panic!("cannot parse `{sql}`: {e}"));
    let Some(Statement::CreateTable(create)) = statements.into_iter().next() else {
        panic!("not a CREATE TABLE: {sql}");
    };
    let mut collations = BTreeMap::new();
    let mut checks = Vec::new();
    for column in &create.columns {
        for option in &column.options {
            match &option.option {
                ColumnOption::Collation(name) => {
                    collations.insert(column.name.value.clone(), name.to_string());
                }
                ColumnOption::Check(check) => checks.push(check.expr.to_string()),
                _ => {}
            }
        }
    }
    for constraint in &create.constraints {
        if let TableConstraint::Check(check) = constraint {
            checks.push(check.expr.to_string());
        }
    }
    (collations, checks)
}

/// The two triggers that make a SQLite column NOT NULL where the column
/// cannot be redeclared: SQLite has no `ALTER COLUMN … SET NOT NULL`, and a
/// table that others reference with `ON DELETE CASCADE` cannot be rebuilt
/// inside a migration's transaction (dropping it would delete its
/// dependants' rows). `crates/store/migrations/README.md` shows the pattern.
fn not_null_guards(table: &str, column: &str) -> [(String, String); 2] {
    let body = format!(
        "WHEN NEW.{column} IS NULL BEGIN SELECT RAISE(ABORT, \
         'NOT NULL constraint failed: {table}.{column}'); END"
    );
    [
        (
            format!("{table}_{column}_not_null_insert"),
            format!("CREATE TRIGGER {table}_{column}_not_null_insert BEFORE INSERT ON {table} {body}"),
        ),
        (
            format!("{table}_{column}_not_null_update"),
            format!(
                "CREATE TRIGGER {table}_{column}_not_null_update BEFORE UPDATE OF {column} ON {table} {body}"
            ),
        ),
    ]
}

/// SQL text with its whitespace collapsed.
fn words(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A column guarded by both [`not_null_guards`], exactly as written there,
/// is NOT NULL; the guards are then not triggers to compare.
fn apply_not_null_guards(table: &str, t: &mut Table) {
    for column in &mut t.columns {
        let guards = not_null_guards(table, &column.name);
        let guarded = guards
            .iter()
            .all(|(name, sql)| t.triggers.get(name).is_some_and(|s| words(s) == words(sql)));
        if guarded {
            column.not_null = true;
            for (name, _) in &guards {
                t.triggers.remove(name);
            }
        }
    }
}

/// `pg_constraint.confdeltype` / `confupdtype` as SQLite spells the action.
fn postgres_action(code: &str) -> String {
    match code {
        "a" => "NO ACTION",
        "r" => "RESTRICT",
        "c" => "CASCADE",
        "n" => "SET NULL",
        "d" => "SET DEFAULT",
        other => panic!("unknown referential action {other}"),
    }
    .to_owned()
}

async fn postgres_schema(url: &str) -> Schema {
    let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
    let columns: Vec<PgColumn> = sqlx::query_as(
        "SELECT c.table_name::text AS table_name, c.column_name::text AS name, \
                c.data_type::text AS declared, c.is_nullable = 'NO' AS not_null, \
                c.column_default::text AS default_value, c.collation_name::text AS collation \
         FROM information_schema.columns c \
         JOIN information_schema.tables t USING (table_schema, table_name) \
         WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' \
           AND c.table_name NOT LIKE '_sqlx%' \
         ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(&mut conn)
    .await
    .expect("postgres columns");
    let mut schema = Schema::new();
    for c in columns {
        schema
            .entry(c.table_name)
            .or_default()
            .columns
            .push(RawColumn {
                name: c.name,
                declared: c.declared,
                not_null: c.not_null,
                default: c.default_value,
                collation: c.collation,
            });
    }

    // Primary keys, UNIQUE and FOREIGN KEY constraints, columns in key order.
    let constraints: Vec<PgConstraint> = sqlx::query_as(
        "SELECT t.relname::text AS table_name, c.contype::text AS kind, \
                    ARRAY(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, i) \
                          JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n \
                          ORDER BY k.i) AS columns, \
                    f.relname::text AS target, \
                    ARRAY(SELECT a.attname::text FROM unnest(c.confkey) WITH ORDINALITY k(n, i) \
                          JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.n \
                          ORDER BY k.i) AS referenced, \
                    c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update, \
                    pg_get_constraintdef(c.oid) AS definition \
             FROM pg_constraint c \
             JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             LEFT JOIN pg_class f ON f.oid = c.confrelid \
             WHERE n.nspname = 'public' AND t.relname NOT LIKE '_sqlx%' \
               AND c.contype IN ('p', 'u', 'f', 'c')",
    )
    .fetch_all(&mut conn)
    .await
    .expect("postgres constraints");
    for c in constraints {
        let t = schema.entry(c.table_name).or_default();
        match c.kind.as_str() {
            "p" => t.primary_key = c.columns,
            "u" => {
                t.unique.insert(c.columns);
            }
            "c" => t.checks.push(
                c.definition
                    .strip_prefix("CHECK ")
                    .unwrap_or(&c.definition)
                    .to_owned(),
            ),
            _ => {
                t.foreign_keys.insert(ForeignKey {
                    columns: c.columns,
                    table: c.target.expect("referenced table"),
                    referenced: c.referenced,
                    on_delete: postgres_action(&c.on_delete),
                    on_update: postgres_action(&c.on_update),
                });
            }
        }
    }

    // Indexes that back no constraint, as CREATE INDEX statements.
    let indexes: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT t.relname::text, i.relname::text, pg_get_indexdef(x.indexrelid) \
         FROM pg_index x \
         JOIN pg_class i ON i.oid = x.indexrelid \
         JOIN pg_class t ON t.oid = x.indrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND t.relname NOT LIKE '_sqlx%' \
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)",
    )
    .fetch_all(&mut conn)
    .await
    .expect("postgres indexes");
    for (table, name, sql) in indexes {
        schema.entry(table).or_default().indexes.insert(name, sql);
    }

    let triggers: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT t.relname::text, g.tgname::text, pg_get_triggerdef(g.oid) FROM pg_trigger g \
         JOIN pg_class t ON t.oid = g.tgrelid \
         JOIN pg_namespace n ON n.oid = t.relnamespace \
         WHERE n.nspname = 'public' AND NOT g.tgisinternal",
    )
    .fetch_all(&mut conn)
    .await
    .expect("postgres triggers");
    for (table, name, definition) in triggers {
        schema
            .entry(table)
            .or_default()
            .triggers
            .insert(name, definition);
    }
    schema
}

/// Rewrites an expression so that the two backends' spellings of one
/// meaning print alike. `booleans` are the table's boolean columns.
fn normalise(expr: &mut Expr, booleans: &BTreeSet<String>) {
    let _ = visit_expressions_mut(expr, |e| {
        // Post-order: the children are normalised already.
        let taken = std::mem::replace(e, Expr::value(Value::Null));
        *e = match taken {
            // PostgreSQL parenthesises every operation.
            Expr::Nested(inner) => *inner,
            // … and casts every literal to its column's type (`'a'::text`).
            Expr::Cast { expr, .. } => *expr,
            // `x <> ALL (ARRAY[…])` is how PostgreSQL prints `x NOT IN (…)`,
            // `x = ANY (ARRAY[…])` how it prints `x IN (…)`.
            Expr::AllOp {
                left,
                compare_op: BinaryOperator::NotEq,
                right,
            } => match *right {
                Expr::Array(array) => in_list(left, array.elem, true),
                right => Expr::AllOp {
                    left,
                    compare_op: BinaryOperator::NotEq,
                    right: Box::new(right),
                },
            },
            Expr::AnyOp {
                left,
                compare_op: BinaryOperator::Eq,
                right,
                is_some,
            } => match *right {
                Expr::Array(array) => in_list(left, array.elem, false),
                right => Expr::AnyOp {
                    left,
                    compare_op: BinaryOperator::Eq,
                    right: Box::new(right),
                    is_some,
                },
            },
            // SQLite stores booleans as 0/1 and spells `WHERE open` as
            // `WHERE open = 1`.
            Expr::Value(ValueWithSpan {
                value: Value::Boolean(b),
                ..
            }) => Expr::value(Value::Number(u8::from(b).to_string(), false)),
            Expr::BinaryOp { left, op, right }
                if op == BinaryOperator::Eq && is_boolean(&left, booleans) =>
            {
                match right.to_string().as_str() {
                    "1" => *left,
                    "0" => Expr::UnaryOp {
                        op: UnaryOperator::Not,
                        expr: left,
                    },
                    _ => Expr::BinaryOp { left, op, right },
                }
            }
            // With the source's parentheses gone, put back one pair around
            // every operation inside another, so that the printed text
            // keeps the tree: `(a OR b) AND c` is not `a OR (b AND c)`.
            Expr::BinaryOp { left, op, right } => Expr::BinaryOp {
                left: grouped(left),
                op,
                right: grouped(right),
            },
            Expr::UnaryOp { op, expr } => Expr::UnaryOp {
                op,
                expr: grouped(expr),
            },
            Expr::Identifier(ident) => Expr::Identifier(plain(ident)),
            Expr::CompoundIdentifier(idents) => {
                Expr::CompoundIdentifier(idents.into_iter().map(plain).collect())
            }
            other => other,
        };
        ControlFlow::<()>::Continue(())
    });
}

fn grouped(expr: Box<Expr>) -> Box<Expr> {
    if matches!(*expr, Expr::BinaryOp { .. } | Expr::UnaryOp { .. }) {
        Box::new(Expr::Nested(expr))
    } else {
        expr
    }
}

fn in_list(expr: Box<Expr>, list: Vec<Expr>, negated: bool) -> Expr {
    Expr::In {
        expr,
        target: InTarget::List(list),
        negated,
        global: false,
    }
}

fn is_boolean(expr: &Expr, booleans: &BTreeSet<String>) -> bool {
    matches!(expr, Expr::Identifier(ident) if booleans.contains(&ident.value.to_ascii_lowercase()))
}

/// An identifier without quotes (PostgreSQL quotes keywords such as
/// `"position"`), in lower case.
fn plain(ident: Ident) -> Ident {
    Ident::new(ident.value.to_ascii_lowercase())
}

fn parse_expr(dialect: &dyn Dialect, sql: &str, booleans: &BTreeSet<String>) -> String {
    let mut expr = Parser::new(dialect)
        .try_with_sql(sql)
        .and_then(|mut p| p.parse_expr())
        .unwrap_or_else(|e| panic!("cannot parse `{sql}`: {e}"));
    normalise(&mut expr, booleans);
    expr.to_string()
}

fn parse_index(dialect: &dyn Dialect, sql: &str, booleans: &BTreeSet<String>) -> Index {
    let statements =
        Parser::parse_sql(dialect, sql).unwrap_or_else(|e| panic!("cannot parse `{sql}`: {e}"));
    let Some(Statement::CreateIndex(CreateIndex {
        unique,
        using,
        mut columns,
        mut predicate,
        ..
    })) = statements.into_iter().next()
    else {
        panic!("not a CREATE INDEX: {sql}");
    };
    let keys = columns
        .iter_mut()
        .map(|c| {
            normalise(&mut c.column.expr, booleans);
            let direction = match c.column.options.sort {
                Some(OrderBySort::Desc) => " DESC",
                _ => "",
            };
            let class = c
                .operator_class
                .as_ref()
                .map(|o| format!(" {o}"))
                .unwrap_or_default();
            format!("{}{class}{direction}", c.column.expr)
        })
        .collect();
    if let Some(p) = predicate.as_mut() {
        normalise(p, booleans);
    }
    Index {
        unique,
        // SQLite has one access method; PostgreSQL names it.
        method: using
            .map(|u| u.to_string().to_ascii_lowercase())
            .unwrap_or_else(|| "btree".to_owned()),
        keys,
        predicate: predicate.map(|p| p.to_string()),
    }
}

/// Every difference between the two schemas, one line each.
fn drifts(lite: &Schema, pg: &Schema) -> Vec<String> {
    let mut out = Vec::new();
    let excepted = |list: &[&str], what: String| list.contains(&what.as_str());
    let names: BTreeSet<&String> = lite.keys().chain(pg.keys()).collect();
    for name in names {
        let (l, p) = match (lite.get(name), pg.get(name)) {
            (Some(l), Some(p)) => (l, p),
            (Some(_), None) if excepted(SQLITE_ONLY, format!("table {name}")) => continue,
            (Some(_), None) => {
                out.push(format!("table {name}: only on SQLite"));
                continue;
            }
            (None, Some(_)) => {
                out.push(format!("table {name}: only on PostgreSQL"));
                continue;
            }
            (None, None) => unreachable!("a name of one of them"),
        };
        let mut booleans = BTreeSet::new();

        // Columns: names in order, then per column class, NOT NULL, default.
        let lnames: Vec<&str> = l.columns.iter().map(|c| c.name.as_str()).collect();
        let pnames: Vec<&str> = p.columns.iter().map(|c| c.name.as_str()).collect();
        if lnames != pnames {
            out.push(format!(
                "table {name}: columns SQLite {lnames:?}, PostgreSQL {pnames:?}"
            ));
        }
        for pc in &p.columns {
            let Some(lc) = l.columns.iter().find(|c| c.name == pc.name) else {
                continue;
            };
            let col = format!("column {name}.{}", pc.name);
            let class = match Class::of_postgres(&pc.declared) {
                Ok(class) => class,
                Err(e) => {
                    out.push(format!("{col}: {e}"));
                    continue;
                }
            };
            if class == Class::Bool {
                booleans.insert(pc.name.clone());
            }
            if lc.declared != class.sqlite_type() {
                out.push(format!(
                    "{col}: PostgreSQL {} ({class:?}) is SQLite {}, found {}",
                    pc.declared,
                    class.sqlite_type(),
                    lc.declared
                ));
            }
            // SQLite's rowid alias (a lone INTEGER PRIMARY KEY) is never
            // NULL, though the catalog does not say so. Any other primary
            // key column is nullable on SQLite unless declared NOT NULL,
            // while PostgreSQL makes it NOT NULL by itself.
            let rowid = l.primary_key == [pc.name.as_str()] && lc.declared == "INTEGER";
            let lite_not_null = lc.not_null || rowid;
            if lite_not_null != pc.not_null {
                out.push(format!(
                    "{col}: NOT NULL on {} only",
                    if lite_not_null {
                        "SQLite"
                    } else {
                        "PostgreSQL"
                    }
                ));
            }
            // Any explicit collation is a drift: SQLite's (BINARY, NOCASE,
            // RTRIM) and PostgreSQL's (ICU, libc) share no name.
            if lc.collation.is_some() || pc.collation.is_some() {
                out.push(format!(
                    "{col}: collation SQLite {:?}, PostgreSQL {:?}",
                    lc.collation, pc.collation
                ));
            }
        }
        for pc in &p.columns {
            let Some(lc) = l.columns.iter().find(|c| c.name == pc.name) else {
                continue;
            };
            let ld = lc
                .default
                .as_deref()
                .map(|d| parse_expr(&SQLiteDialect {}, d, &booleans));
            let pd = pc
                .default
                .as_deref()
                .map(|d| parse_expr(&PostgreSqlDialect {}, d, &booleans));
            // A boolean default is `0`/`1` on SQLite, `false`/`true` on
            // PostgreSQL: the literal normalisation covers it.
            if ld != pd {
                out.push(format!(
                    "column {name}.{}: default SQLite {ld:?}, PostgreSQL {pd:?}",
                    pc.name
                ));
            }
        }

        if l.primary_key != p.primary_key {
            out.push(format!(
                "table {name}: primary key SQLite {:?}, PostgreSQL {:?}",
                l.primary_key, p.primary_key
            ));
        }
        if l.unique != p.unique {
            out.push(format!(
                "table {name}: UNIQUE constraints SQLite {:?}, PostgreSQL {:?}",
                l.unique, p.unique
            ));
        }
        for fk in l.foreign_keys.symmetric_difference(&p.foreign_keys) {
            let side = if l.foreign_keys.contains(fk) {
                "SQLite"
            } else {
                "PostgreSQL"
            };
            out.push(format!("table {name}: foreign key only on {side}: {fk:?}"));
        }

        let index_names: BTreeSet<&String> = l.indexes.keys().chain(p.indexes.keys()).collect();
        for index in index_names {
            let what = format!("index {name}.{index}");
            match (l.indexes.get(index), p.indexes.get(index)) {
                (Some(ls), Some(ps)) => {
                    let li = parse_index(&SQLiteDialect {}, ls, &booleans);
                    let pi = parse_index(&PostgreSqlDialect {}, ps, &booleans);
                    if li != pi {
                        out.push(format!("{what}: SQLite {li:?}, PostgreSQL {pi:?}"));
                    }
                }
                (Some(_), None) if excepted(SQLITE_ONLY, what.clone()) => {}
                (None, Some(_)) if excepted(POSTGRES_ONLY, what.clone()) => {}
                (Some(_), None) => out.push(format!("{what}: only on SQLite")),
                (None, Some(_)) => out.push(format!("{what}: only on PostgreSQL")),
                (None, None) => unreachable!("a name of one of them"),
            }
        }

        let mut lchecks: Vec<String> = l
            .checks
            .iter()
            .map(|c| parse_expr(&SQLiteDialect {}, c, &booleans))
            .collect();
        let mut pchecks: Vec<String> = p
            .checks
            .iter()
            .map(|c| parse_expr(&PostgreSqlDialect {}, c, &booleans))
            .collect();
        lchecks.sort();
        pchecks.sort();
        if lchecks != pchecks {
            out.push(format!(
                "table {name}: CHECK constraints SQLite {lchecks:?}, PostgreSQL {pchecks:?}"
            ));
        }

        let trigger_names: BTreeSet<&String> = l.triggers.keys().chain(p.triggers.keys()).collect();
        for trigger in trigger_names {
            let what = format!("trigger {name}.{trigger}");
            match (
                l.triggers.contains_key(trigger),
                p.triggers.contains_key(trigger),
            ) {
                (true, true) => {}
                (true, false) if excepted(SQLITE_ONLY, what.clone()) => {}
                (false, true) if excepted(POSTGRES_ONLY, what.clone()) => {}
                (true, false) => out.push(format!("{what}: only on SQLite")),
                (false, true) => out.push(format!("{what}: only on PostgreSQL")),
                (false, false) => unreachable!("a name of one of them"),
            }
        }
    }
    out
}

#[tokio::test]
async fn both_backends_have_the_same_migrations_and_schema() {
    assert_eq!(migration_names("sqlite"), migration_names("postgres"));
    let sqlite = vitrine_testkit::spawn(Backend::Sqlite).await;
    let postgres = vitrine_testkit::spawn(Backend::Postgres).await;
    let lite = sqlite_schema(&sqlite.database_url).await;
    let pg = postgres_schema(&postgres.database_url).await;

    // The catalogs were read, not found empty.
    let clients = &lite["clients"];
    assert!(
        clients.indexes.contains_key("clients_cpf_unique"),
        "{clients:?}"
    );
    assert_eq!(lite["stores"].primary_key, ["account_id", "id"]);
    assert_eq!(pg["stores"].primary_key, ["account_id", "id"]);
    assert!(
        !pg["vehicles"].foreign_keys.is_empty(),
        "{:?}",
        pg["vehicles"]
    );

    let found = drifts(&lite, &pg);
    assert!(
        found.is_empty(),
        "the twin migration folders drifted:\n{}",
        found.join("\n")
    );
}

/// Runs one statement on the test server's database, whichever it is.
async fn execute(app: &TestApp, sql: &str) -> Result<u64, sqlx::Error> {
    match app.backend {
        Backend::Sqlite => {
            let mut conn = sqlx::SqliteConnection::connect(&app.database_url).await?;
            sqlx::query(sql)
                .execute(&mut conn)
                .await
                .map(|r| r.rows_affected())
        }
        Backend::Postgres | Backend::Citus => {
            let mut conn = sqlx::PgConnection::connect(&app.database_url).await?;
            sqlx::query(sql)
                .execute(&mut conn)
                .await
                .map(|r| r.rows_affected())
        }
    }
}

/// SQLite's message (from its constraint or from the 0020 guard triggers)
/// or PostgreSQL's SQLSTATE 23502.
fn is_not_null_violation(err: &sqlx::Error) -> bool {
    match err.as_database_error() {
        Some(db) => {
            db.code().as_deref() == Some("23502")
                || db.message().starts_with("NOT NULL constraint failed")
        }
        None => false,
    }
}

/// A key is never NULL, on either backend (before 0020, SQLite took all
/// three of these).
async fn null_keys_are_refused(app: TestApp) {
    let refused = [
        "INSERT INTO accounts (id, name, created_at) VALUES (NULL, 'sem id', '2025-01-01T00:00:00Z')",
        "INSERT INTO server_secrets (name, secret, created_at) VALUES (NULL, '', '2025-01-01T00:00:00Z')",
        "INSERT INTO panel_secrets (name, secret, created_at) VALUES (NULL, '', '2025-01-01T00:00:00Z')",
    ];
    for sql in refused {
        let err = execute(&app, sql).await.expect_err(sql);
        assert!(is_not_null_violation(&err), "{sql}: {err}");
    }
    let t = app.tenant().await;
    let update = "UPDATE accounts SET id = NULL";
    let err = execute(&app, update).await.expect_err(update);
    assert!(is_not_null_violation(&err), "{update}: {err}");

    // Nothing was written: the tenant still signs in to the API, and no
    // row has a NULL key.
    let reply = app
        .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    for table in [
        "accounts WHERE id",
        "server_secrets WHERE name",
        "panel_secrets WHERE name",
    ] {
        let sql = format!("DELETE FROM {table} IS NULL");
        assert_eq!(execute(&app, &sql).await.expect(&sql), 0, "{sql}");
    }
}

vitrine_testkit::both_backends!(null_keys_are_refused);

/// 0020 rebuilds two SQLite tables: a database migrated up to 0019 keeps
/// their rows (and its accounts). The older migrations are copied to a
/// folder of their own and applied first, then the whole folder. SQLite
/// only: the PostgreSQL 0020 changes nothing, and the harness's PostgreSQL
/// databases are clones of a template that has every migration.
#[tokio::test]
async fn sqlite_keys_made_not_null_keep_their_rows() {
    let all = format!("{}/../store/migrations/sqlite", env!("CARGO_MANIFEST_DIR"));
    let before = tempfile::tempdir().expect("temp dir");
    for name in migration_names("sqlite") {
        if name.as_str() < "0020" {
            std::fs::copy(format!("{all}/{name}"), before.path().join(&name)).expect("copy");
        }
    }
    let older = sqlx::migrate::Migrator::new(before.path())
        .await
        .expect("0001-0019");
    let every = sqlx::migrate::Migrator::new(std::path::Path::new(&all))
        .await
        .expect("every migration");

    let db = vitrine_testkit::database(Backend::Sqlite).await;
    let opts = db
        .url()
        .parse::<sqlx::sqlite::SqliteConnectOptions>()
        .expect("url")
        .create_if_missing(true)
        .foreign_keys(true);
    let mut conn = sqlx::SqliteConnection::connect_with(&opts)
        .await
        .expect("sqlite");
    older.run(&mut conn).await.expect("0001-0019");
    let at = "'2025-01-01T00:00:00Z'";
    for sql in [
        format!("INSERT INTO accounts (id, name, created_at) VALUES (x'0123456789abcdef0123456789abcdef', 'Revenda', {at})"),
        format!("INSERT INTO stores (account_id, id, name, created_at) VALUES (x'0123456789abcdef0123456789abcdef', x'00', 'Matriz', {at})"),
        format!("INSERT INTO server_secrets (name, secret, created_at) VALUES ('idempotency-fingerprint', x'6b', {at})"),
        format!("INSERT INTO panel_secrets (name, secret, created_at) VALUES ('sign-in', 's', {at})"),
    ] {
        sqlx::query(&sql).execute(&mut conn).await.expect(&sql);
    }
    every.run(&mut conn).await.expect("0020");
    let read = "SELECT (SELECT name FROM accounts) || '/' || (SELECT name FROM stores) || '/' || \
                (SELECT name || '=' || hex(secret) FROM server_secrets) || '/' || \
                (SELECT name || '=' || secret FROM panel_secrets)";
    let found: String = sqlx::query_scalar(read)
        .fetch_one(&mut conn)
        .await
        .expect(read);
    assert_eq!(found, "Revenda/Matriz/idempotency-fingerprint=6B/sign-in=s");
}

/// The normalisation makes the two spellings of one predicate equal, and
/// only those.
#[test]
fn predicates_compare_by_meaning() {
    let booleans: BTreeSet<String> = ["open".to_owned()].into();
    let pg = |sql: &str| parse_expr(&PostgreSqlDialect {}, sql, &booleans);
    let lite = |sql: &str| parse_expr(&SQLiteDialect {}, sql, &booleans);
    assert_eq!(
        pg("((plate_key IS NOT NULL) AND (status <> ALL (ARRAY['vendido'::text, 'arquivado'::text])))"),
        lite("plate_key IS NOT NULL AND status NOT IN ('vendido', 'arquivado')")
    );
    assert_eq!(pg("open"), lite("open = 1"));
    assert_eq!(pg("(NOT open)"), lite("open = 0"));
    assert_eq!(pg("false"), lite("0"));
    assert_eq!(pg("''::text"), lite("''"));
    assert_eq!(pg("\"position\""), lite("position"));
    assert_ne!(pg("(status = 'pending'::text)"), lite("status = 'failed'"));
    assert_ne!(
        pg("(status <> ALL (ARRAY['vendido'::text]))"),
        lite("status IN ('vendido')")
    );
    assert_ne!(pg("'0'::text"), lite("0"));
    // Parentheses that change the meaning are kept.
    assert_eq!(pg("((a OR b) AND c)"), lite("(a OR b) AND c"));
    assert_ne!(pg("((a OR b) AND c)"), lite("a OR b AND c"));
    assert_eq!(pg("((a AND b) AND c)"), lite("a AND b AND c"));
}

/// Each kind of difference is reported, and nothing else.
#[test]
fn drifts_name_each_difference() {
    let column = |name: &str, declared: &str, not_null: bool, default: Option<&str>| RawColumn {
        name: name.to_owned(),
        declared: declared.to_owned(),
        not_null,
        default: default.map(str::to_owned),
        collation: None,
    };
    let fk = |on_delete: &str| ForeignKey {
        columns: vec!["account_id".to_owned()],
        table: "accounts".to_owned(),
        referenced: vec!["id".to_owned()],
        on_delete: on_delete.to_owned(),
        on_update: "NO ACTION".to_owned(),
    };
    let lite = Table {
        columns: vec![
            column("account_id", "BLOB", true, None),
            column("open", "INTEGER", true, Some("1")),
            column("note", "TEXT", false, Some("''")),
        ],
        primary_key: vec!["account_id".to_owned()],
        indexes: [(
            "t_open".to_owned(),
            "CREATE INDEX t_open ON t (account_id) WHERE open = 1".to_owned(),
        )]
        .into(),
        foreign_keys: [fk("CASCADE")].into(),
        ..Table::default()
    };
    let same = Table {
        columns: vec![
            column("account_id", "uuid", true, None),
            column("open", "boolean", true, Some("true")),
            column("note", "text", false, Some("''::text")),
        ],
        indexes: [(
            "t_open".to_owned(),
            "CREATE INDEX t_open ON public.t USING btree (account_id) WHERE open".to_owned(),
        )]
        .into(),
        ..lite.clone()
    };
    let schema = |t: &Table| Schema::from([("t".to_owned(), t.clone())]);
    assert_eq!(drifts(&schema(&lite), &schema(&same)), Vec::<String>::new());

    let other = Table {
        columns: vec![
            column("account_id", "uuid", true, None),
            column("open", "text", false, Some("'1'::text")),
            column("note", "text", false, Some("'-'::text")),
        ],
        indexes: [(
            "t_open".to_owned(),
            "CREATE INDEX t_open ON public.t USING btree (account_id) WHERE (NOT open)".to_owned(),
        )]
        .into(),
        foreign_keys: [fk("SET NULL")].into(),
        checks: vec!["((note <> ''::text))".to_owned()],
        ..same.clone()
    };
    let found = drifts(&schema(&lite), &schema(&other));
    assert_eq!(found.len(), 8, "{found:#?}");
    for expected in [
        "column t.open: PostgreSQL text (Text) is SQLite TEXT, found INTEGER",
        "column t.open: NOT NULL on SQLite only",
        "column t.open: default SQLite Some(\"1\"), PostgreSQL Some(\"'1'\")",
        "column t.note: default SQLite Some(\"''\"), PostgreSQL Some(\"'-'\")",
        "table t: foreign key only on SQLite",
        "table t: foreign key only on PostgreSQL",
        "table t: CHECK constraints SQLite [], PostgreSQL [\"note <> ''\"]",
        "index t.t_open: SQLite",
    ] {
        assert!(
            found.iter().any(|f| f.starts_with(expected)),
            "{expected} not in {found:#?}"
        );
    }
}

/// Only the exact guard pair makes a SQLite column NOT NULL.
#[test]
fn not_null_guards_must_be_exact() {
    let table = |triggers: BTreeMap<String, String>| Table {
        columns: vec![RawColumn {
            name: "id".to_owned(),
            declared: "BLOB".to_owned(),
            not_null: false,
            default: None,
            collation: None,
        }],
        triggers,
        ..Table::default()
    };
    let guards: BTreeMap<String, String> = not_null_guards("t", "id").into();
    let mut guarded = table(guards.clone());
    apply_not_null_guards("t", &mut guarded);
    assert!(guarded.columns[0].not_null);
    assert!(guarded.triggers.is_empty());

    // Half a guard (inserts only), or a guard that lets NULL through.
    let mut half = guards.clone();
    half.remove("t_id_not_null_update");
    let mut loose = guards;
    loose.insert(
        "t_id_not_null_update".to_owned(),
        "CREATE TRIGGER t_id_not_null_update BEFORE UPDATE OF id ON t WHEN 0 \
         BEGIN SELECT RAISE(ABORT, 'NOT NULL constraint failed: t.id'); END"
            .to_owned(),
    );
    for triggers in [half, loose] {
        let mut t = table(triggers.clone());
        apply_not_null_guards("t", &mut t);
        assert!(!t.columns[0].not_null, "{triggers:?}");
        assert_eq!(t.triggers, triggers);
    }
}
