//! A tiny `WHERE` builder for list queries whose filters are optional: it
//! numbers the `$n` placeholders in order of appearance (which both
//! backends accept) and keeps the values to bind, so the same clause serves
//! a page query and its `COUNT(*)`.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

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

/// The column a list's sort field orders by (the sort enums are core's;
/// their columns are the store's).
pub(crate) trait SortColumn {
    /// The column, in the list's table.
    fn column(self) -> &'static str;
}

/// Columns that are `NOT NULL` in every table a list sorts (the default
/// sorts): their order needs no nulls-last term, and without it the page
/// is read from the `(account_id, created_at, id)`-style index in order
/// instead of sorting every row of the account.
const NEVER_NULL: [&str; 2] = ["created_at", "updated_at"];

/// `ORDER BY` for a sort column: nulls last on both backends (they differ
/// by default), ties broken by id in the same direction so pages are stable.
pub(crate) fn order_by(alias: &str, column: &str, descending: bool) -> String {
    let dir = if descending { "DESC" } else { "ASC" };
    if NEVER_NULL.contains(&column) {
        return format!("ORDER BY {alias}.{column} {dir}, {alias}.id {dir}");
    }
    format!("ORDER BY ({alias}.{column} IS NULL), {alias}.{column} {dir}, {alias}.id {dir}")
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
