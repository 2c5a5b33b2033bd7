//! Exact totals of the Auto API lists without counting rows (issue 16.4).
//!
//! `pagination.total` of a list is the count of all its matches. Counting
//! them costs the whole account: one `COUNT(*)` over 100,000 index entries
//! takes milliseconds, far more than the 20-row page it comes with. So each
//! list keeps, in `list_counts`, how many of an account's records are in
//! each (store, status) slot, changed by the repository function that
//! writes the record, in the same transaction (no triggers: Citus
//! distributes the table by `account_id` like every tenant table). The
//! unfiltered list and the `status` and `store_id` filters sum a few slots
//! instead of counting rows; other filters count their matches
//! (docs/api.md, "Totals").
//!
//! Locks: a write locks the slots it changes until its transaction ends
//! (PostgreSQL row locks; SQLite's single writer). The slots of one write
//! go in one statement in key order, and a transaction that changes
//! several lists changes the vehicles' last (a sale writes its deal or
//! record, then the vehicle), so two writers never wait on each other in
//! a cycle.

use uuid::Uuid;
use vitrine_core::ids::AccountId;

use crate::backend::on_db;
use crate::filter::{bind_all, Bind};
use crate::{Db, Result};

/// The lists whose totals are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Counted {
    /// `GET /clients`.
    Clients,
    /// `GET /vehicles`.
    Vehicles,
    /// `GET /deals`.
    Deals,
    /// `GET /activities`.
    Activities,
    /// `GET /financial`.
    Financial,
}

impl Counted {
    /// The `list` column's value.
    fn as_str(self) -> &'static str {
        match self {
            Self::Clients => "clients",
            Self::Vehicles => "vehicles",
            Self::Deals => "deals",
            Self::Activities => "activities",
            Self::Financial => "financial",
        }
    }
}

/// Where one record counts: its store (the nil id when it has none) and
/// its status as stored.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Slot {
    store: Uuid,
    status: String,
}

impl Slot {
    /// The slot of a record in `store` (or none) with `status`.
    pub(crate) fn new(store: Option<Uuid>, status: &str) -> Self {
        Self {
            store: store.unwrap_or_else(Uuid::nil),
            status: status.to_owned(),
        }
    }
}

/// Records one write of a record of `list`: it counted in `before` and now
/// counts in `after` (`None`: it did not exist, or no longer does). Call
/// it inside the write's transaction, after the write.
pub(crate) async fn moved(
    db: &mut Db<'_>,
    account: AccountId,
    list: Counted,
    before: Option<Slot>,
    after: Option<Slot>,
) -> Result<()> {
    if before == after {
        return Ok(());
    }
    let mut changes: Vec<(Slot, i64)> = before
        .into_iter()
        .map(|s| (s, -1))
        .chain(after.into_iter().map(|s| (s, 1)))
        .collect();
    // Key order, so that concurrent writers lock slots in the same order.
    changes.sort();
    let mut binds = vec![Bind::Uuid(account.0), Bind::Text(list.as_str().to_owned())];
    let mut rows = Vec::new();
    for (slot, delta) in changes {
        let n = binds.len();
        rows.push(format!("($1, $2, ${}, ${}, ${})", n + 1, n + 2, n + 3));
        binds.push(Bind::Uuid(slot.store));
        binds.push(Bind::Text(slot.status));
        binds.push(Bind::Int(delta));
    }
    let sql = format!(
        "INSERT INTO list_counts (account_id, list, store_id, status, n) VALUES {} \
         ON CONFLICT (account_id, list, store_id, status) DO UPDATE SET n = list_counts.n + excluded.n",
        rows.join(", ")
    );
    on_db!(*db, c => bind_all!(sqlx::query(&sql), binds).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The statuses a total takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Statuses {
    /// Any status.
    Any,
    /// Exactly this one.
    Is(String),
    /// All but this one (archived records are left out of the default lists).
    Not(&'static str),
}

/// A total that the slots answer: the list's records with these statuses,
/// in one store or in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) list: Counted,
    pub(crate) statuses: Statuses,
    pub(crate) store: Option<Uuid>,
}

impl Tally {
    /// The statement summing the slots (one row per store and status in
    /// use, read off the primary key) and its values.
    pub(crate) fn statement(&self, account: AccountId) -> (String, Vec<Bind>) {
        let mut sql = "SELECT CAST(COALESCE(SUM(n), 0) AS BIGINT) FROM list_counts \
                       WHERE account_id = $1 AND list = $2"
            .to_owned();
        let mut binds = vec![
            Bind::Uuid(account.0),
            Bind::Text(self.list.as_str().to_owned()),
        ];
        if let Some(store) = self.store {
            binds.push(Bind::Uuid(store));
            sql.push_str(&format!(" AND store_id = ${}", binds.len()));
        }
        match &self.statuses {
            Statuses::Any => {}
            Statuses::Is(s) => {
                binds.push(Bind::Text(s.clone()));
                sql.push_str(&format!(" AND status = ${}", binds.len()));
            }
            Statuses::Not(s) => {
                binds.push(Bind::Text((*s).to_owned()));
                sql.push_str(&format!(" AND status <> ${}", binds.len()));
            }
        }
        (sql, binds)
    }
}
