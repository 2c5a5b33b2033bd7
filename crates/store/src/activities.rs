//! Activities of an account (Auto API `/activities`) and the scheduler's
//! scan for due-soon and overdue reminders.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use vitrine_core::activity::{Activity, ActivityStatus, Reminder};
use vitrine_core::ids::{AccountId, ActivityId, ClientId, DealId, StoreId, VehicleId};
use vitrine_core::text;

use crate::backend::on_db;
use crate::filter::{decode, Bind, ListQuery, Plan, SortColumn, SortKey, Total, Where};
use crate::list_counts::{self, Counted, Slot, Statuses, Tally};
use crate::{now, Db, Error, Result};

pub use vitrine_core::filters::{ActivityFilter, ActivitySort};
pub use vitrine_core::records::ActivityRecord;

impl SortColumn for ActivitySort {
    /// Each has an index `(account_id, <column>, id)` (migration 0019).
    fn key(self) -> SortKey {
        match self {
            Self::DueDate => SortKey::optional("due_date"),
            Self::CreatedAt => SortKey::time("created_at"),
            Self::UpdatedAt => SortKey::time("updated_at"),
            Self::Title => SortKey::text("title"),
            Self::Status => SortKey::text("status"),
        }
    }
}

/// Repository of activities.
pub struct Activities<'c>(pub(crate) Db<'c>);

const DATA: [&str; 12] = [
    "title",
    "kind",
    "description",
    "due_date",
    "status",
    "completed_at",
    "client_id",
    "vehicle_id",
    "deal_id",
    "store_id",
    "responsible_id",
    "search_text",
];

fn search_document(a: &Activity) -> String {
    text::search_document([Some(a.title.as_str()), a.description.as_deref()])
}

macro_rules! bind_data {
    ($q:expr, $a:expr) => {{
        let a: &Activity = $a;
        $q.bind(a.title.clone())
            .bind(a.kind.clone())
            .bind(a.description.clone())
            .bind(a.due_date)
            .bind(a.status.as_str())
            .bind(a.completed_at)
            .bind(a.client_id.map(|c| c.0))
            .bind(a.vehicle_id.map(|v| v.0))
            .bind(a.deal_id.map(|d| d.0))
            .bind(a.store_id.map(|s| s.0))
            .bind(a.responsible_id.clone())
            .bind(search_document(a))
    }};
}

#[derive(sqlx::FromRow)]
struct Row {
    account_id: Uuid,
    id: Uuid,
    title: String,
    kind: String,
    description: Option<String>,
    due_date: Option<DateTime<Utc>>,
    status: String,
    completed_at: Option<DateTime<Utc>>,
    client_id: Option<Uuid>,
    vehicle_id: Option<Uuid>,
    deal_id: Option<Uuid>,
    store_id: Option<Uuid>,
    responsible_id: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for ActivityRecord {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        Ok(Self {
            id: ActivityId(r.id),
            activity: Activity {
                title: r.title,
                kind: r.kind,
                description: r.description,
                due_date: r.due_date,
                status: decode(ActivityStatus::from_wire(&r.status), "activities.status")?,
                completed_at: r.completed_at,
                client_id: r.client_id.map(ClientId),
                vehicle_id: r.vehicle_id.map(VehicleId),
                deal_id: r.deal_id.map(DealId),
                store_id: r.store_id.map(StoreId),
                responsible_id: r.responsible_id,
            },
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const SELECT: &str = "SELECT a.account_id, a.id, a.title, a.kind, a.description, a.due_date, \
    a.status, a.completed_at, a.client_id, a.vehicle_id, a.deal_id, a.store_id, \
    a.responsible_id, a.created_at, a.updated_at FROM activities a";

/// A reminder the scheduler must announce, claimed in its transaction.
#[derive(Debug, Clone)]
pub struct DueReminder {
    /// The account.
    pub account: AccountId,
    /// The activity.
    pub record: ActivityRecord,
    /// Which one.
    pub reminder: Reminder,
}

impl Activities<'_> {
    /// Adds an activity.
    pub async fn insert(
        &mut self,
        account: AccountId,
        id: ActivityId,
        activity: &Activity,
    ) -> Result<ActivityRecord> {
        let placeholders: Vec<String> = (4..4 + DATA.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "INSERT INTO activities (account_id, id, created_at, updated_at, {}) VALUES ($1, $2, $3, $3, {})",
            DATA.join(", "),
            placeholders.join(", ")
        );
        on_db!(self.0, c => {
            let q = sqlx::query(&sql).bind(account.0).bind(id.0).bind(now());
            bind_data!(q, activity).execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
        list_counts::moved(
            &mut self.0,
            account,
            Counted::Activities,
            None,
            Some(slot(activity)),
        )
        .await?;
        self.get(account, id).await
    }

    /// The list slot a stored activity counts in, locked until the
    /// transaction ends (see `Vehicles::stored_slot`).
    async fn stored_slot(&mut self, account: AccountId, id: ActivityId) -> Result<Option<Slot>> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE",
            Db::Sqlite(_) => "",
        };
        let sql = format!(
            "SELECT store_id, status FROM activities WHERE account_id = $1 AND id = $2{lock}"
        );
        let row: Option<(Option<Uuid>, String)> = on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(account.0).bind(id.0).fetch_optional(c).await)?;
        Ok(row.map(|(store, status)| Slot::new(store, &status)))
    }

    /// Replaces an activity's data; `rearm` clears the sent reminders (the
    /// due date moved). `NotFound` for another account's id. Run it inside
    /// a transaction (it keeps the list's counts).
    pub async fn update(
        &mut self,
        account: AccountId,
        id: ActivityId,
        activity: &Activity,
        rearm: bool,
    ) -> Result<ActivityRecord> {
        let sets: Vec<String> = DATA
            .iter()
            .enumerate()
            .map(|(i, col)| format!("{col} = ${}", i + 4))
            .collect();
        let rearm_sql = if rearm {
            ", due_soon_sent_at = NULL, overdue_sent_at = NULL"
        } else {
            ""
        };
        let sql = format!(
            "UPDATE activities SET updated_at = $3, {}{rearm_sql} WHERE account_id = $1 AND id = $2",
            sets.join(", ")
        );
        let Some(before) = self.stored_slot(account, id).await? else {
            return Err(Error::NotFound);
        };
        let done = on_db!(self.0, c => {
            let q = sqlx::query(&sql).bind(account.0).bind(id.0).bind(now());
            bind_data!(q, activity).execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
        if done == 0 {
            return Err(Error::NotFound);
        }
        list_counts::moved(
            &mut self.0,
            account,
            Counted::Activities,
            Some(before),
            Some(slot(activity)),
        )
        .await?;
        self.get(account, id).await
    }

    /// One activity of the account.
    pub async fn get(&mut self, account: AccountId, id: ActivityId) -> Result<ActivityRecord> {
        let sql = format!("{SELECT} WHERE a.account_id = $1 AND a.id = $2");
        let row: Row = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// One activity, locked until the transaction ends.
    pub async fn get_for_update(
        &mut self,
        account: AccountId,
        id: ActivityId,
    ) -> Result<ActivityRecord> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE",
            Db::Sqlite(_) => "",
        };
        let sql = format!("{SELECT} WHERE a.account_id = $1 AND a.id = $2{lock}");
        let row: Row = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Deletes an activity for good (§3.13); `NotFound` when there is none.
    /// Run it inside a transaction (it keeps the list's counts).
    pub async fn delete(&mut self, account: AccountId, id: ActivityId) -> Result<()> {
        let sql =
            "DELETE FROM activities WHERE account_id = $1 AND id = $2 RETURNING store_id, status";
        let deleted: Option<(Option<Uuid>, String)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(account.0).bind(id.0).fetch_optional(c).await)?;
        let Some((store, status)) = deleted else {
            return Err(Error::NotFound);
        };
        list_counts::moved(
            &mut self.0,
            account,
            Counted::Activities,
            Some(Slot::new(store, &status)),
            None,
        )
        .await
    }

    /// A page of the account's activities and the count of all matches.
    pub async fn list(
        &mut self,
        account: AccountId,
        filter: &ActivityFilter,
        sort: ActivitySort,
        descending: bool,
        limit: u32,
        offset: i64,
    ) -> Result<(Vec<ActivityRecord>, u64)> {
        let query = list_query(account, filter, sort, descending, limit, offset);
        let (rows, total) = query.run::<Row>(&mut self.0, account).await?;
        let items = rows
            .into_iter()
            .map(ActivityRecord::try_from)
            .collect::<Result<_>>()?;
        Ok((items, total))
    }

    /// How the database plans each statement [`Activities::list`] runs
    /// with these arguments (tests check that no list sorts the account).
    pub async fn list_plans(
        &mut self,
        account: AccountId,
        filter: &ActivityFilter,
        sort: ActivitySort,
        descending: bool,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<Plan>> {
        list_query(account, filter, sort, descending, limit, offset)
            .plans(&mut self.0, account)
            .await
    }

    /// Scheduler, across accounts: claims up to `limit` pending activities
    /// whose reminder is due at `now` (due within `soon_until` for
    /// due-soon) and not yet announced, marking each as announced. Rows are
    /// locked with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so two nodes
    /// never announce the same one; the caller enqueues the events in the
    /// same transaction.
    pub async fn claim_reminders(
        &mut self,
        now: DateTime<Utc>,
        soon_until: DateTime<Utc>,
        limit: i64,
    ) -> Result<Vec<DueReminder>> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE SKIP LOCKED",
            Db::Sqlite(_) => "",
        };
        let mut out = Vec::new();
        for (reminder, cond, column) in [
            (
                Reminder::Overdue,
                "a.due_date <= $1 AND a.overdue_sent_at IS NULL",
                "overdue_sent_at",
            ),
            (
                Reminder::DueSoon,
                "a.due_date > $1 AND a.due_date <= $3 AND a.due_soon_sent_at IS NULL",
                "due_soon_sent_at",
            ),
        ] {
            // The overdue scan has no upper bound; it still binds one ($3)
            // so both scans share their placeholders.
            let upper = if reminder == Reminder::Overdue {
                now
            } else {
                soon_until
            };
            let sql = format!(
                "{SELECT} WHERE a.status = 'pending' AND a.due_date IS NOT NULL AND {cond} \
                 AND $3 >= $1 ORDER BY a.due_date LIMIT $2{lock}"
            );
            let rows: Vec<Row> = on_db!(self.0, c => sqlx::query_as(&sql).bind(now).bind(limit).bind(upper).fetch_all(&mut *c).await)?;
            let mark =
                format!("UPDATE activities SET {column} = $3 WHERE account_id = $1 AND id = $2");
            for row in rows {
                let account = AccountId(row.account_id);
                on_db!(self.0, c => sqlx::query(&mark).bind(row.account_id).bind(row.id).bind(now).execute(&mut *c).await.map(|r| r.rows_affected()))?;
                // An activity found overdue at first sight never gets due-soon.
                if reminder == Reminder::Overdue {
                    let skip = "UPDATE activities SET due_soon_sent_at = COALESCE(due_soon_sent_at, $3) WHERE account_id = $1 AND id = $2";
                    on_db!(self.0, c => sqlx::query(skip).bind(row.account_id).bind(row.id).bind(now).execute(&mut *c).await.map(|r| r.rows_affected()))?;
                }
                out.push(DueReminder {
                    account,
                    record: row.try_into()?,
                    reminder,
                });
            }
        }
        Ok(out)
    }
}

/// The list slot an activity counts in.
fn slot(a: &Activity) -> Slot {
    Slot::new(a.store_id.map(|s| s.0), a.status.as_str())
}

/// The statements of an activity list. The total is kept (`list_counts`)
/// for the unfiltered list and the `status` and `store_id` filters.
fn list_query(
    account: AccountId,
    filter: &ActivityFilter,
    sort: ActivitySort,
    descending: bool,
    limit: u32,
    offset: i64,
) -> ListQuery {
    let mut w = Where::tenant("a", account.0);
    w.cmp(
        "a.status",
        "=",
        filter.status.map(|s| Bind::Text(s.as_str().into())),
    );
    w.cmp("a.kind", "=", filter.kind.clone().map(Bind::Text));
    w.cmp(
        "a.client_id",
        "=",
        filter.client_id.map(|v| Bind::Uuid(v.0)),
    );
    w.cmp(
        "a.vehicle_id",
        "=",
        filter.vehicle_id.map(|v| Bind::Uuid(v.0)),
    );
    w.cmp("a.deal_id", "=", filter.deal_id.map(|v| Bind::Uuid(v.0)));
    w.cmp("a.store_id", "=", filter.store_id.map(|v| Bind::Uuid(v.0)));
    w.cmp(
        "a.responsible_id",
        "=",
        filter.responsible_id.clone().map(Bind::Text),
    );
    w.cmp("a.due_date", ">=", filter.due_from.map(Bind::Time));
    w.cmp("a.due_date", "<", filter.due_before.map(Bind::Time));
    if let Some(at) = filter.overdue_at {
        // vitrine_core::activity::is_overdue: pending and due by now.
        w.and("a.status = 'pending'");
        w.cmp("a.due_date", "<=", Some(Bind::Time(at)));
    }
    w.search("a.search_text", filter.search.as_ref());
    // Every field named, so that a new filter decides here how it counts.
    let ActivityFilter {
        status,
        store_id,
        kind,
        client_id,
        vehicle_id,
        deal_id,
        responsible_id,
        due_from,
        due_before,
        overdue_at,
        search,
    } = filter;
    let only_kept = kind.is_none()
        && client_id.is_none()
        && vehicle_id.is_none()
        && deal_id.is_none()
        && responsible_id.is_none()
        && due_from.is_none()
        && due_before.is_none()
        && overdue_at.is_none()
        && search.is_none();
    let total = if only_kept {
        Total::Kept(Tally {
            list: Counted::Activities,
            statuses: match status {
                Some(s) => Statuses::Is(s.as_str().to_owned()),
                None => Statuses::Any,
            },
            store: store_id.map(|s| s.0),
        })
    } else {
        Total::Counted
    };
    ListQuery {
        select: SELECT,
        from: "activities a",
        alias: "a",
        conditions: w,
        key: sort.key(),
        descending,
        limit,
        offset,
        total,
    }
}
