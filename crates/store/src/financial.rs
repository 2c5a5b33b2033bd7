//! Financial records of an account (Auto API `/financial`) and the
//! grouped sums behind `GET /financial/summary`.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use vitrine_core::financial::{
    Category, FinancialRecord, FinancialStatus, GroupTotal, PaymentMethod, RecordType, SoldVehicle,
};
use vitrine_core::ids::{AccountId, ClientId, DealId, FinancialId, StoreId, VehicleId};
use vitrine_core::money::Money;

use crate::backend::on_db;
use crate::filter::{bind_all, decode, Bind, ListQuery, Plan, SortColumn, SortKey, Total, Where};
use crate::list_counts::{self, Counted, Slot, Statuses, Tally};
use crate::{now, Db, Error, Result};

pub use vitrine_core::filters::{FinancialFilter, FinancialSort};
pub use vitrine_core::records::FinancialEntry;

impl SortColumn for FinancialSort {
    /// Each has an index `(account_id, <column>, id)` (migration 0019).
    fn key(self) -> SortKey {
        match self {
            Self::CreatedAt => SortKey::time("created_at"),
            Self::UpdatedAt => SortKey::time("updated_at"),
            Self::Amount => SortKey::int("amount_cents"),
            Self::DueDate => SortKey::optional("due_date"),
            Self::PaidAt => SortKey::optional("paid_at"),
        }
    }
}

/// Repository of financial records.
pub struct Financial<'c>(pub(crate) Db<'c>);

const DATA: [&str; 12] = [
    "kind",
    "category",
    "description",
    "amount_cents",
    "status",
    "payment_method",
    "due_date",
    "paid_at",
    "vehicle_id",
    "deal_id",
    "client_id",
    "store_id",
];

macro_rules! bind_data {
    ($q:expr, $r:expr) => {{
        let r: &FinancialRecord = $r;
        $q.bind(r.kind.as_str())
            .bind(r.category.as_str())
            .bind(r.description.clone())
            .bind(r.amount.cents())
            .bind(r.status.as_str())
            .bind(r.payment_method.map(PaymentMethod::as_str))
            .bind(r.due_date)
            .bind(r.paid_at)
            .bind(r.vehicle_id.map(|v| v.0))
            .bind(r.deal_id.map(|d| d.0))
            .bind(r.client_id.map(|c| c.0))
            .bind(r.store_id.map(|s| s.0))
    }};
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    kind: String,
    category: String,
    description: Option<String>,
    amount_cents: i64,
    status: String,
    payment_method: Option<String>,
    due_date: Option<NaiveDate>,
    paid_at: Option<DateTime<Utc>>,
    vehicle_id: Option<Uuid>,
    deal_id: Option<Uuid>,
    client_id: Option<Uuid>,
    store_id: Option<Uuid>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for FinancialEntry {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        let payment_method = match r.payment_method {
            Some(p) => Some(decode(
                PaymentMethod::from_wire(&p),
                "financial_records.payment_method",
            )?),
            None => None,
        };
        Ok(Self {
            id: FinancialId(r.id),
            record: FinancialRecord {
                kind: decode(RecordType::from_wire(&r.kind), "financial_records.kind")?,
                category: decode(
                    Category::from_wire(&r.category),
                    "financial_records.category",
                )?,
                description: r.description,
                amount: Money::from_cents(r.amount_cents),
                status: decode(
                    FinancialStatus::from_wire(&r.status),
                    "financial_records.status",
                )?,
                payment_method,
                due_date: r.due_date,
                paid_at: r.paid_at,
                vehicle_id: r.vehicle_id.map(VehicleId),
                deal_id: r.deal_id.map(DealId),
                client_id: r.client_id.map(ClientId),
                store_id: r.store_id.map(StoreId),
            },
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const SELECT: &str = "SELECT f.id, f.kind, f.category, f.description, f.amount_cents, \
    f.status, f.payment_method, f.due_date, f.paid_at, f.vehicle_id, f.deal_id, f.client_id, \
    f.store_id, f.created_at, f.updated_at FROM financial_records f";

/// A sum of `amount_cents` that cannot overflow: SQLite's `SUM` of
/// integers fails past `i64` and PostgreSQL's cast back to `BIGINT` does
/// too (issue 12.11: a 500 with huge amounts). Each amount is split at
/// 10^9 centavos; the two partial sums stay far inside `i64` for any
/// count of bounded amounts (≤ 10^15 centavos each), and
/// [`total`] joins them in `i128`.
fn split_sum(expr: &str, alias: &str) -> String {
    format!(
        "CAST(COALESCE(SUM({expr} / 1000000000), 0) AS BIGINT) AS {alias}_hi, \
         CAST(COALESCE(SUM({expr} % 1000000000), 0) AS BIGINT) AS {alias}_lo"
    )
}

/// The two halves of a [`split_sum`].
fn total(hi: i64, lo: i64) -> i128 {
    i128::from(hi) * 1_000_000_000 + i128::from(lo)
}

#[derive(sqlx::FromRow)]
struct GroupRow {
    kind: String,
    category: String,
    status: String,
    cents_hi: i64,
    cents_lo: i64,
    count: i64,
}

#[derive(sqlx::FromRow)]
struct SoldRow {
    id: Uuid,
    title: String,
    purchase_cents: Option<i64>,
    sale_hi: i64,
    sale_lo: i64,
    expenses_hi: i64,
    expenses_lo: i64,
}

impl Financial<'_> {
    /// Adds a record.
    pub async fn insert(
        &mut self,
        account: AccountId,
        id: FinancialId,
        record: &FinancialRecord,
    ) -> Result<FinancialEntry> {
        let at = now();
        let today = at.date_naive();
        let placeholders: Vec<String> = (6..6 + DATA.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "INSERT INTO financial_records (account_id, id, created_at, updated_at, created_on, period_date, {}) \
             VALUES ($1, $2, $3, $3, $4, $5, {})",
            DATA.join(", "),
            placeholders.join(", ")
        );
        on_db!(self.0, c => {
            let q = sqlx::query(&sql)
                .bind(account.0)
                .bind(id.0)
                .bind(at)
                .bind(today)
                .bind(record.due_date.unwrap_or(today));
            bind_data!(q, record).execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
        list_counts::moved(
            &mut self.0,
            account,
            Counted::Financial,
            None,
            Some(slot(record)),
        )
        .await?;
        self.get(account, id).await
    }

    /// The list slot a stored record counts in, locked until the
    /// transaction ends (see `Vehicles::stored_slot`).
    async fn stored_slot(&mut self, account: AccountId, id: FinancialId) -> Result<Option<Slot>> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE",
            Db::Sqlite(_) => "",
        };
        let sql = format!(
            "SELECT store_id, status FROM financial_records WHERE account_id = $1 AND id = $2{lock}"
        );
        let row: Option<(Option<Uuid>, String)> = on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(account.0).bind(id.0).fetch_optional(c).await)?;
        Ok(row.map(|(store, status)| Slot::new(store, &status)))
    }

    /// Replaces a record's data; `NotFound` for another account's id. Run
    /// it inside a transaction (it keeps the list's counts).
    pub async fn update(
        &mut self,
        account: AccountId,
        id: FinancialId,
        record: &FinancialRecord,
    ) -> Result<FinancialEntry> {
        let sets: Vec<String> = DATA
            .iter()
            .enumerate()
            .map(|(i, col)| format!("{col} = ${}", i + 5))
            .collect();
        let sql = format!(
            "UPDATE financial_records SET updated_at = $3, period_date = COALESCE($4, created_on), {} \
             WHERE account_id = $1 AND id = $2",
            sets.join(", ")
        );
        let Some(before) = self.stored_slot(account, id).await? else {
            return Err(Error::NotFound);
        };
        let done = on_db!(self.0, c => {
            let q = sqlx::query(&sql)
                .bind(account.0)
                .bind(id.0)
                .bind(now())
                .bind(record.due_date);
            bind_data!(q, record).execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
        if done == 0 {
            return Err(Error::NotFound);
        }
        list_counts::moved(
            &mut self.0,
            account,
            Counted::Financial,
            Some(before),
            Some(slot(record)),
        )
        .await?;
        self.get(account, id).await
    }

    /// One record of the account.
    pub async fn get(&mut self, account: AccountId, id: FinancialId) -> Result<FinancialEntry> {
        let sql = format!("{SELECT} WHERE f.account_id = $1 AND f.id = $2");
        let row: Row = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// One record, locked until the transaction ends.
    pub async fn get_for_update(
        &mut self,
        account: AccountId,
        id: FinancialId,
    ) -> Result<FinancialEntry> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE",
            Db::Sqlite(_) => "",
        };
        let sql = format!("{SELECT} WHERE f.account_id = $1 AND f.id = $2{lock}");
        let row: Row = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    fn conditions(account: AccountId, filter: &FinancialFilter) -> Where {
        let mut w = Where::tenant("f", account.0);
        let text = |s: &'static str| Bind::Text(s.to_owned());
        w.cmp("f.kind", "=", filter.kind.map(|v| text(v.as_str())));
        w.cmp("f.category", "=", filter.category.map(|v| text(v.as_str())));
        w.cmp("f.status", "=", filter.status.map(|v| text(v.as_str())));
        w.cmp(
            "f.payment_method",
            "=",
            filter.payment_method.map(|v| text(v.as_str())),
        );
        w.cmp(
            "f.vehicle_id",
            "=",
            filter.vehicle_id.map(|v| Bind::Uuid(v.0)),
        );
        w.cmp("f.deal_id", "=", filter.deal_id.map(|v| Bind::Uuid(v.0)));
        w.cmp(
            "f.client_id",
            "=",
            filter.client_id.map(|v| Bind::Uuid(v.0)),
        );
        w.cmp("f.store_id", "=", filter.store_id.map(|v| Bind::Uuid(v.0)));
        w.cmp("f.period_date", ">=", filter.from.map(Bind::Date));
        w.cmp("f.period_date", "<=", filter.to.map(Bind::Date));
        w
    }

    /// A page of the account's records and the count of all matches. The
    /// total is kept (`list_counts`) for the unfiltered list and the
    /// `status` and `store_id` filters.
    pub async fn list(
        &mut self,
        account: AccountId,
        filter: &FinancialFilter,
        sort: FinancialSort,
        descending: bool,
        limit: u32,
        offset: i64,
    ) -> Result<(Vec<FinancialEntry>, u64)> {
        let query = list_query(account, filter, sort, descending, limit, offset);
        let (rows, total) = query.run::<Row>(&mut self.0, account).await?;
        let items = rows
            .into_iter()
            .map(FinancialEntry::try_from)
            .collect::<Result<_>>()?;
        Ok((items, total))
    }

    /// How the database plans each statement [`Financial::list`] runs with
    /// these arguments (tests check that no list sorts the account).
    pub async fn list_plans(
        &mut self,
        account: AccountId,
        filter: &FinancialFilter,
        sort: FinancialSort,
        descending: bool,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<Plan>> {
        list_query(account, filter, sort, descending, limit, offset)
            .plans(&mut self.0, account)
            .await
    }

    /// Sums and counts per type, category and status of the records in the
    /// period (`filter.from`/`to`/`store_id`), cancelled included (core
    /// decides what counts).
    pub async fn group_totals(
        &mut self,
        account: AccountId,
        filter: &FinancialFilter,
    ) -> Result<Vec<GroupTotal>> {
        let w = Self::conditions(account, filter);
        let sql = format!(
            "SELECT f.kind, f.category, f.status, {}, \
             COUNT(*) AS count FROM financial_records f WHERE {} \
             GROUP BY f.kind, f.category, f.status",
            split_sum("f.amount_cents", "cents"),
            w.sql()
        );
        let rows: Vec<GroupRow> = on_db!(self.0, c => bind_all!(sqlx::query_as(&sql), w.binds.clone()).fetch_all(&mut *c).await)?;
        rows.into_iter()
            .map(|r| {
                Ok(GroupTotal {
                    kind: decode(RecordType::from_wire(&r.kind), "financial_records.kind")?,
                    category: decode(
                        Category::from_wire(&r.category),
                        "financial_records.category",
                    )?,
                    status: decode(
                        FinancialStatus::from_wire(&r.status),
                        "financial_records.status",
                    )?,
                    cents: total(r.cents_hi, r.cents_lo),
                    count: r.count,
                })
            })
            .collect()
    }

    /// The vehicles sold in the period: those with a *paid*
    /// `venda-veiculo` record in it (a pending sale has not sold the car,
    /// issue 16.3), with that sale's sum, the purchase price, and the sum
    /// of every non-cancelled expense or cost linked to the vehicle
    /// (whatever its date: preparation precedes the sale).
    pub async fn sold_vehicles(
        &mut self,
        account: AccountId,
        filter: &FinancialFilter,
    ) -> Result<Vec<SoldVehicle>> {
        let mut w = Self::conditions(account, filter);
        w.and("f.category = 'venda-veiculo' AND f.status = 'paid' AND f.vehicle_id IS NOT NULL");
        // The vehicle's expenses, one half of the split sum at a time (a
        // scalar subquery yields one value).
        let expenses = |part: &str| {
            format!(
                "(SELECT CAST(COALESCE(SUM(x.amount_cents {part} 1000000000), 0) AS BIGINT) \
                 FROM financial_records x WHERE x.account_id = v.account_id AND x.vehicle_id = v.id \
                 AND x.kind IN ('expense', 'cost') AND x.status <> 'cancelled')"
            )
        };
        let sql = format!(
            "SELECT v.id, v.title, v.purchase_cents, s.sale_hi, s.sale_lo, \
             {} AS expenses_hi, {} AS expenses_lo \
             FROM (SELECT f.vehicle_id, {} \
                   FROM financial_records f WHERE {} GROUP BY f.vehicle_id) s \
             JOIN vehicles v ON v.account_id = $1 AND v.id = s.vehicle_id \
             ORDER BY v.title, v.id",
            expenses("/"),
            expenses("%"),
            split_sum("f.amount_cents", "sale"),
            w.sql()
        );
        let rows: Vec<SoldRow> = on_db!(self.0, c => bind_all!(sqlx::query_as(&sql), w.binds.clone()).fetch_all(&mut *c).await)?;
        Ok(rows
            .into_iter()
            .map(|r| SoldVehicle {
                vehicle_id: VehicleId(r.id),
                title: r.title,
                purchase: r.purchase_cents.map(Money::from_cents),
                sale_cents: total(r.sale_hi, r.sale_lo),
                expenses_cents: total(r.expenses_hi, r.expenses_lo),
            })
            .collect())
    }
}

/// The list slot a record counts in.
fn slot(r: &FinancialRecord) -> Slot {
    Slot::new(r.store_id.map(|s| s.0), r.status.as_str())
}

/// The statements of a record list.
fn list_query(
    account: AccountId,
    filter: &FinancialFilter,
    sort: FinancialSort,
    descending: bool,
    limit: u32,
    offset: i64,
) -> ListQuery {
    // Every field named, so that a new filter decides here how it counts.
    let FinancialFilter {
        status,
        store_id,
        kind,
        category,
        payment_method,
        vehicle_id,
        deal_id,
        client_id,
        from,
        to,
    } = filter;
    let only_kept = kind.is_none()
        && category.is_none()
        && payment_method.is_none()
        && vehicle_id.is_none()
        && deal_id.is_none()
        && client_id.is_none()
        && from.is_none()
        && to.is_none();
    let total = if only_kept {
        Total::Kept(Tally {
            list: Counted::Financial,
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
        from: "financial_records f",
        alias: "f",
        conditions: Financial::conditions(account, filter),
        key: sort.key(),
        descending,
        limit,
        offset,
        total,
    }
}
