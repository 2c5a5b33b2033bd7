//! A tiny `WHERE` builder for list queries whose filters are optional: it
//! numbers the `$n` placeholders in order of appearance (which both
//! backends accept) and keeps the values to bind, so the same clause serves
//! a page query and its `COUNT(*)`.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::backend::on_db;
use crate::list_counts::Tally;
use crate::Db;

/// A value to bind, of a type both backends encode alike.
#[derive(Debug, Clone)]
pub(crate) enum Bind {
    Uuid(Uuid),
    Text(String),
    Int(i64),
    Time(DateTime<Utc>),
    Date(NaiveDate),
}

/// The conditions of a tenant-scoped list, always starting with the tenant.
#[derive(Debug, Clone)]
pub(crate) struct Where {
    sql: String,
    pub(crate) binds: Vec<Bind>,
}

impl Where {
    /// `<alias>.account_id = $1`.
    pub(crate) fn tenant(alias: &str, account: Uuid) -> Self {
        Self {
            sql: format!("{alias}.account_id = $1"),
            binds: vec![Bind::Uuid(account)],
        }
    }

    /// Pushes a value and returns its placeholder.
    pub(crate) fn arg(&mut self, value: Bind) -> String {
        self.binds.push(value);
        format!("${}", self.binds.len())
    }

    /// `AND <condition>`; write placeholders with [`Where::arg`].
    pub(crate) fn and(&mut self, condition: &str) {
        self.sql.push_str(" AND ");
        self.sql.push_str(condition);
    }

    /// `AND <column> <op> $n` when `value` is set.
    pub(crate) fn cmp(&mut self, column: &str, op: &str, value: Option<Bind>) {
        if let Some(v) = value {
            let p = self.arg(v);
            self.and(&format!("{column} {op} {p}"));
        }
    }

    /// The `search_text` match: the folded term, or its digits when it looks
    /// like a document number.
    pub(crate) fn search(&mut self, column: &str, patterns: Option<&(String, Option<String>)>) {
        let Some((text, digits)) = patterns else {
            return;
        };
        let a = self.arg(Bind::Text(text.clone()));
        match digits {
            Some(d) => {
                let b = self.arg(Bind::Text(d.clone()));
                self.and(&format!(
                    "({column} LIKE {a} ESCAPE '\\' OR {column} LIKE {b} ESCAPE '\\')"
                ));
            }
            None => self.and(&format!("{column} LIKE {a} ESCAPE '\\'")),
        }
    }

    /// The clause, without the `WHERE` keyword.
    pub(crate) fn sql(&self) -> &str {
        &self.sql
    }
}

/// Binds every value of a [`Where`] (plus any extra) to a sqlx query; a
/// macro because the query type differs per backend inside `on_db!`.
macro_rules! bind_all {
    ($query:expr, $binds:expr) => {{
        let mut q = $query;
        for b in $binds {
            q = match b {
                $crate::filter::Bind::Uuid(v) => q.bind(v),
                $crate::filter::Bind::Text(v) => q.bind(v),
                $crate::filter::Bind::Int(v) => q.bind(v),
                $crate::filter::Bind::Time(v) => q.bind(v),
                $crate::filter::Bind::Date(v) => q.bind(v),
            };
        }
        q
    }};
}
pub(crate) use bind_all;

/// The sort key of a list's sort field (the sort enums are core's; their
/// columns are the store's).
pub(crate) trait SortColumn {
    /// The column and whether it may be NULL.
    fn key(self) -> SortKey;
}

/// A column a list sorts by, and whether it may be NULL (nulls sort last
/// in both directions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SortKey {
    /// The column, without the table alias.
    pub(crate) column: &'static str,
    /// Whether it may hold NULL.
    pub(crate) nullable: bool,
    /// For a `NOT NULL` column, a value below every stored one.
    floor: Floor,
}

/// The type of a `NOT NULL` sort column, for its [`SortKey`]'s floor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Floor {
    /// Nullable: the page's `IS NOT NULL` / `IS NULL` already bound it.
    None,
    Text,
    Time,
    Int,
}

impl SortKey {
    /// A `NOT NULL` timestamp set by the server (never before 1970).
    pub(crate) const fn time(column: &'static str) -> Self {
        Self::required(column, Floor::Time)
    }

    /// A `NOT NULL` text column.
    pub(crate) const fn text(column: &'static str) -> Self {
        Self::required(column, Floor::Text)
    }

    /// A `NOT NULL` integer column.
    pub(crate) const fn int(column: &'static str) -> Self {
        Self::required(column, Floor::Int)
    }

    const fn required(column: &'static str, floor: Floor) -> Self {
        Self {
            column,
            nullable: false,
            floor,
        }
    }

    /// A column that may be NULL.
    pub(crate) const fn optional(column: &'static str) -> Self {
        Self {
            column,
            nullable: true,
            floor: Floor::None,
        }
    }

    /// The always-true range `<column> >= <floor>` for a `NOT NULL`
    /// column. It changes no result; it tells the planner that the page
    /// is a range of the sort index. Without it, SQLite's planner, with
    /// statistics a few times off the table's size (`PRAGMA optimize`
    /// refreshes them only after a tenfold change), walked the status or
    /// client index of the account and sorted all of it: 100,000 vehicles
    /// of one account, ~130 ms a page instead of ~0.4 ms (bench/results.md).
    fn floor(self) -> Option<Bind> {
        match self.floor {
            Floor::None => None,
            Floor::Text => Some(Bind::Text(String::new())),
            Floor::Time => Some(Bind::Time(DateTime::<Utc>::UNIX_EPOCH)),
            Floor::Int => Some(Bind::Int(i64::MIN)),
        }
    }
}

/// How a list's `pagination.total` is found.
#[derive(Debug, Clone)]
pub(crate) enum Total {
    /// Summed from the kept counts (the unfiltered list, `status`, `store_id`).
    Kept(Tally),
    /// Counted from the matching rows (any other filter): an index of the
    /// filter bounds the count to the matches where there is one.
    Counted,
}

/// Everything one list request reads: a page of rows in the list's order,
/// and the total of its matches.
///
/// The page is read by walking an index of `(account_id, <sort column>,
/// id)` in the requested direction, so it stops after the page's rows
/// instead of sorting the account (every sort column has such an index).
/// A nullable column sorts its NULLs last in both directions, which no
/// single index walk yields in both: the rows with a value are read first
/// (`IS NOT NULL`, one range of the index), then, if the page is not full,
/// the rows without one (`IS NULL`, another range, already in `id`
/// order). Both are written `ORDER BY <column>, id` so that each matches
/// the index's order on either backend.
#[derive(Debug, Clone)]
pub(crate) struct ListQuery {
    /// `SELECT … FROM <table> <alias> [JOIN …]`, without `WHERE`.
    pub(crate) select: &'static str,
    /// `<table> <alias>`, for counting.
    pub(crate) from: &'static str,
    /// The table's alias in `select`.
    pub(crate) alias: &'static str,
    /// The tenant and the filters.
    pub(crate) conditions: Where,
    /// The sort column.
    pub(crate) key: SortKey,
    /// The direction.
    pub(crate) descending: bool,
    /// Rows per page.
    pub(crate) limit: u32,
    /// Rows skipped.
    pub(crate) offset: i64,
    /// Where the total comes from.
    pub(crate) total: Total,
}

/// One statement and its values.
type Statement = (String, Vec<Bind>);

impl ListQuery {
    /// The page statement over the rows matching `extra` (`IS NULL`, `IS
    /// NOT NULL` or nothing), in the list's order.
    fn page(&self, extra: &str, limit: i64, offset: i64) -> Statement {
        let mut w = self.conditions.clone();
        if !extra.is_empty() {
            w.and(&format!("{}.{} {extra}", self.alias, self.key.column));
        }
        if let Some(floor) = self.key.floor() {
            let f = w.arg(floor);
            w.and(&format!("{}.{} >= {f}", self.alias, self.key.column));
        }
        let l = w.arg(Bind::Int(limit));
        let o = w.arg(Bind::Int(offset));
        let dir = if self.descending { "DESC" } else { "ASC" };
        let (a, col) = (self.alias, self.key.column);
        let sql = format!(
            "{} WHERE {} ORDER BY {a}.{col} {dir}, {a}.id {dir} LIMIT {l} OFFSET {o}",
            self.select,
            w.sql()
        );
        (sql, w.binds)
    }

    /// How many of the first `within` rows with a value there are: asked
    /// only when a page starts past all of them, so it reads fewer rows
    /// than the page's offset skips anyway.
    fn valued_within(&self, within: i64) -> Statement {
        let mut w = self.conditions.clone();
        w.and(&format!("{}.{} IS NOT NULL", self.alias, self.key.column));
        let l = w.arg(Bind::Int(within));
        let sql = format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM {} WHERE {} LIMIT {l}) x",
            self.from,
            w.sql()
        );
        (sql, w.binds)
    }

    /// The statement finding the total.
    fn total_statement(&self, account: vitrine_core::ids::AccountId) -> Statement {
        match &self.total {
            Total::Kept(tally) => tally.statement(account),
            Total::Counted => (
                format!(
                    "SELECT COUNT(*) FROM {} WHERE {}",
                    self.from,
                    self.conditions.sql()
                ),
                self.conditions.binds.clone(),
            ),
        }
    }

    /// The page and the total.
    pub(crate) async fn run<R>(
        &self,
        db: &mut Db<'_>,
        account: vitrine_core::ids::AccountId,
    ) -> crate::Result<(Vec<R>, u64)>
    where
        R: Send + Unpin,
        R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
        R: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
    {
        let (sql, binds) = self.total_statement(account);
        let total: i64 =
            on_db!(*db, c => bind_all!(sqlx::query_scalar(&sql), binds).fetch_one(c).await)?;
        let limit = i64::from(self.limit);
        if !self.key.nullable {
            let (sql, binds) = self.page("", limit, self.offset);
            let rows = fetch(db, &sql, binds).await?;
            return Ok((rows, u64::try_from(total).unwrap_or(0)));
        }
        let (sql, binds) = self.page("IS NOT NULL", limit, self.offset);
        let mut rows: Vec<R> = fetch(db, &sql, binds).await?;
        let missing = limit - rows.len() as i64;
        if missing > 0 {
            // Rows with a value before the NULLs: `offset + rows` when the
            // page holds some of them, else fewer than `offset`.
            let nulls_offset = if rows.is_empty() && self.offset > 0 {
                let (sql, binds) = self.valued_within(self.offset);
                let valued: i64 = on_db!(*db, c => bind_all!(sqlx::query_scalar(&sql), binds).fetch_one(c).await)?;
                self.offset - valued
            } else {
                0
            };
            let (sql, binds) = self.page("IS NULL", missing, nulls_offset);
            rows.extend(fetch::<R>(db, &sql, binds).await?);
        }
        Ok((rows, u64::try_from(total).unwrap_or(0)))
    }

    /// Every statement [`ListQuery::run`] may run, with the database's plan
    /// of each (`EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` on PostgreSQL),
    /// for the tests that check that no list sorts.
    pub(crate) async fn plans(
        &self,
        db: &mut Db<'_>,
        account: vitrine_core::ids::AccountId,
    ) -> crate::Result<Vec<Plan>> {
        let limit = i64::from(self.limit);
        let mut statements = vec![self.total_statement(account)];
        if self.key.nullable {
            statements.push(self.page("IS NOT NULL", limit, self.offset));
            statements.push(self.valued_within(self.offset.max(1)));
            statements.push(self.page("IS NULL", limit, self.offset));
        } else {
            statements.push(self.page("", limit, self.offset));
        }
        let mut plans = Vec::new();
        for (sql, binds) in statements {
            let lines: Vec<String> = match db {
                Db::Sqlite(c) => {
                    let explain = format!("EXPLAIN QUERY PLAN {sql}");
                    let rows: Vec<(i64, i64, i64, String)> =
                        bind_all!(sqlx::query_as(&explain), binds)
                            .fetch_all(&mut **c)
                            .await?;
                    rows.into_iter().map(|r| r.3).collect()
                }
                Db::Postgres(c) => {
                    let explain = format!("EXPLAIN {sql}");
                    bind_all!(sqlx::query_scalar(&explain), binds)
                        .fetch_all(&mut **c)
                        .await?
                }
            };
            plans.push(Plan {
                sql,
                plan: lines.join("\n"),
            });
        }
        Ok(plans)
    }
}

/// A statement of a list and how the database plans it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// The statement.
    pub sql: String,
    /// The plan, one node per line.
    pub plan: String,
}

async fn fetch<R>(db: &mut Db<'_>, sql: &str, binds: Vec<Bind>) -> crate::Result<Vec<R>>
where
    R: Send + Unpin,
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>,
    R: for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    Ok(on_db!(*db, c => bind_all!(sqlx::query_as(sql), binds).fetch_all(c).await)?)
}

/// Tags, features and photos are stored as a JSON array in a TEXT column:
/// they are read whole and never filtered on.
pub(crate) fn list_to_text(items: &[String]) -> String {
    serde_json::to_string(items).unwrap_or_else(|_| "[]".to_owned())
}

/// The inverse of [`list_to_text`].
pub(crate) fn text_to_list(text: &str) -> crate::Result<Vec<String>> {
    serde_json::from_str(text).map_err(|e| crate::Error::Db(sqlx::Error::Decode(Box::new(e))))
}

/// A stored enum spelling that no longer parses is a corrupt row.
pub(crate) fn decode<T>(value: Option<T>, column: &str) -> crate::Result<T> {
    value.ok_or_else(|| {
        crate::Error::Db(sqlx::Error::Decode(
            format!("unexpected value in column {column}").into(),
        ))
    })
}
