//! Sales-pipeline deals of an account (Auto API `/deals`).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use vitrine_core::deal::{Deal, DealPhase, DealStatus};
use vitrine_core::ids::{AccountId, ClientId, DealId, StoreId, VehicleId};
use vitrine_core::money::Money;

use crate::backend::on_db;
use crate::filter::{
    decode, list_to_text, text_to_list, Bind, ListQuery, Plan, SortColumn, SortKey, Total, Where,
};
use crate::list_counts::{self, Counted, Slot, Statuses, Tally};
use crate::{now, Db, Error, Result};

pub use vitrine_core::filters::{DealFilter, DealSort};
pub use vitrine_core::records::DealRecord;

impl SortColumn for DealSort {
    /// Each has an index `(account_id, <column>, id)` (migration 0019).
    fn key(self) -> SortKey {
        match self {
            Self::CreatedAt => SortKey::time("created_at"),
            Self::UpdatedAt => SortKey::time("updated_at"),
            Self::Title => SortKey::text("title"),
            Self::Value => SortKey::optional("value_cents"),
            Self::Phase => SortKey::text("phase"),
            Self::Probability => SortKey::optional("probability"),
            Self::ExpectedCloseDate => SortKey::optional("expected_close_date"),
        }
    }
}

/// Repository of deals.
pub struct Deals<'c>(pub(crate) Db<'c>);

const DATA: [&str; 17] = [
    "title",
    "value_cents",
    "phase",
    "probability",
    "status",
    "loss_reason",
    "client_id",
    "vehicle_id",
    "store_id",
    "source",
    "tags",
    "description",
    "expected_close_date",
    "responsible_id",
    "won_at",
    "lost_at",
    "search_text",
];

macro_rules! bind_data {
    ($q:expr, $d:expr) => {{
        let d: &Deal = $d;
        $q.bind(d.title.clone())
            .bind(d.value.map(Money::cents))
            .bind(d.phase.as_str())
            .bind(d.probability)
            .bind(d.status.as_str())
            .bind(d.loss_reason.clone())
            .bind(d.client_id.map(|c| c.0))
            .bind(d.vehicle_id.map(|v| v.0))
            .bind(d.store_id.map(|s| s.0))
            .bind(d.source.clone())
            .bind(list_to_text(&d.tags))
            .bind(d.description.clone())
            .bind(d.expected_close_date)
            .bind(d.responsible_id.clone())
            .bind(d.won_at)
            .bind(d.lost_at)
            .bind(d.search_document())
    }};
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    title: String,
    value_cents: Option<i64>,
    phase: String,
    probability: Option<i32>,
    status: String,
    loss_reason: Option<String>,
    client_id: Option<Uuid>,
    vehicle_id: Option<Uuid>,
    store_id: Option<Uuid>,
    source: Option<String>,
    tags: String,
    description: Option<String>,
    expected_close_date: Option<NaiveDate>,
    responsible_id: Option<String>,
    won_at: Option<DateTime<Utc>>,
    lost_at: Option<DateTime<Utc>>,
    client_name: Option<String>,
    vehicle_title: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for DealRecord {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        Ok(Self {
            id: DealId(r.id),
            deal: Deal {
                title: r.title,
                value: r.value_cents.map(Money::from_cents),
                phase: decode(DealPhase::from_wire(&r.phase), "deals.phase")?,
                probability: r.probability,
                status: decode(DealStatus::from_wire(&r.status), "deals.status")?,
                loss_reason: r.loss_reason,
                client_id: r.client_id.map(ClientId),
                vehicle_id: r.vehicle_id.map(VehicleId),
                store_id: r.store_id.map(StoreId),
                source: r.source,
                tags: text_to_list(&r.tags)?,
                description: r.description,
                expected_close_date: r.expected_close_date,
                responsible_id: r.responsible_id,
                won_at: r.won_at,
                lost_at: r.lost_at,
            },
            client_name: r.client_name,
            vehicle_title: r.vehicle_title,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const SELECT: &str = "SELECT d.id, d.title, d.value_cents, d.phase, d.probability, d.status, \
    d.loss_reason, d.client_id, d.vehicle_id, d.store_id, d.source, d.tags, d.description, \
    d.expected_close_date, d.responsible_id, d.won_at, d.lost_at, \
    c.name AS client_name, v.title AS vehicle_title, d.created_at, d.updated_at \
    FROM deals d \
    LEFT JOIN clients c ON c.account_id = d.account_id AND c.id = d.client_id \
    LEFT JOIN vehicles v ON v.account_id = d.account_id AND v.id = d.vehicle_id";

impl Deals<'_> {
    /// Adds a deal.
    pub async fn insert(
        &mut self,
        account: AccountId,
        id: DealId,
        deal: &Deal,
    ) -> Result<DealRecord> {
        let placeholders: Vec<String> = (4..4 + DATA.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "INSERT INTO deals (account_id, id, created_at, updated_at, {}) VALUES ($1, $2, $3, $3, {})",
            DATA.join(", "),
            placeholders.join(", ")
        );
        on_db!(self.0, c => {
            let q = sqlx::query(&sql).bind(account.0).bind(id.0).bind(now());
            bind_data!(q, deal).execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
        list_counts::moved(&mut self.0, account, Counted::Deals, None, Some(slot(deal))).await?;
        self.get(account, id).await
    }

    /// The list slot a stored deal counts in, locked until the
    /// transaction ends (see `Vehicles::stored_slot`).
    async fn stored_slot(&mut self, account: AccountId, id: DealId) -> Result<Option<Slot>> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE",
            Db::Sqlite(_) => "",
        };
        let sql =
            format!("SELECT store_id, status FROM deals WHERE account_id = $1 AND id = $2{lock}");
        let row: Option<(Option<Uuid>, String)> = on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(account.0).bind(id.0).fetch_optional(c).await)?;
        Ok(row.map(|(store, status)| Slot::new(store, &status)))
    }

    /// Replaces a deal's data; `NotFound` for another account's id.
    /// Run it inside a transaction (it keeps the list's counts).
    pub async fn update(
        &mut self,
        account: AccountId,
        id: DealId,
        deal: &Deal,
    ) -> Result<DealRecord> {
        let sets: Vec<String> = DATA
            .iter()
            .enumerate()
            .map(|(i, col)| format!("{col} = ${}", i + 4))
            .collect();
        let sql = format!(
            "UPDATE deals SET updated_at = $3, {} WHERE account_id = $1 AND id = $2",
            sets.join(", ")
        );
        let Some(before) = self.stored_slot(account, id).await? else {
            return Err(Error::NotFound);
        };
        let done = on_db!(self.0, c => {
            let q = sqlx::query(&sql).bind(account.0).bind(id.0).bind(now());
            bind_data!(q, deal).execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
        if done == 0 {
            return Err(Error::NotFound);
        }
        list_counts::moved(
            &mut self.0,
            account,
            Counted::Deals,
            Some(before),
            Some(slot(deal)),
        )
        .await?;
        self.get(account, id).await
    }

    /// One deal of the account.
    pub async fn get(&mut self, account: AccountId, id: DealId) -> Result<DealRecord> {
        let sql = format!("{SELECT} WHERE d.account_id = $1 AND d.id = $2");
        let row: Row = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Whether the account has this deal.
    pub async fn exists(&mut self, account: AccountId, id: DealId) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM deals WHERE account_id = $1 AND id = $2";
        let n: i64 = on_db!(self.0, c => sqlx::query_scalar(sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        Ok(n > 0)
    }

    /// One deal, locked until the transaction ends (see
    /// `Clients::get_for_update`).
    pub async fn get_for_update(&mut self, account: AccountId, id: DealId) -> Result<DealRecord> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE OF d",
            Db::Sqlite(_) => "",
        };
        let sql = format!("{SELECT} WHERE d.account_id = $1 AND d.id = $2{lock}");
        let row: Row = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// The phases the account's deals with `status` are in, in order. A
    /// loose scan of the `deals_board` index: one probe per phase, however
    /// many deals (the vocabulary is open, so the kanban asks which
    /// columns exist).
    pub async fn phases_in_use(
        &mut self,
        account: AccountId,
        status: DealStatus,
    ) -> Result<Vec<DealPhase>> {
        let sql = "WITH RECURSIVE p(phase) AS ( \
                     SELECT MIN(phase) FROM deals WHERE account_id = $1 AND status = $2 \
                     UNION ALL \
                     SELECT (SELECT MIN(d.phase) FROM deals d \
                             WHERE d.account_id = $1 AND d.status = $2 AND d.phase > p.phase) \
                     FROM p WHERE p.phase IS NOT NULL) \
                   SELECT phase FROM p WHERE phase IS NOT NULL";
        let rows: Vec<String> = on_db!(self.0, c => sqlx::query_scalar(sql)
            .bind(account.0).bind(status.as_str()).fetch_all(c).await)?;
        rows.iter()
            .map(|p| decode(DealPhase::from_wire(p), "deals.phase"))
            .collect()
    }

    /// A page of the account's deals and the count of all matches.
    pub async fn list(
        &mut self,
        account: AccountId,
        filter: &DealFilter,
        sort: DealSort,
        descending: bool,
        limit: u32,
        offset: i64,
    ) -> Result<(Vec<DealRecord>, u64)> {
        let query = list_query(account, filter, sort, descending, limit, offset);
        let (rows, total) = query.run::<Row>(&mut self.0, account).await?;
        let items = rows
            .into_iter()
            .map(DealRecord::try_from)
            .collect::<Result<_>>()?;
        Ok((items, total))
    }

    /// How the database plans each statement [`Deals::list`] runs with
    /// these arguments (tests check that no list sorts the account).
    pub async fn list_plans(
        &mut self,
        account: AccountId,
        filter: &DealFilter,
        sort: DealSort,
        descending: bool,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<Plan>> {
        list_query(account, filter, sort, descending, limit, offset)
            .plans(&mut self.0, account)
            .await
    }
}

/// The status the default list leaves out (§3.13).
const ARCHIVED: &str = "arquivado";

/// The list slot a deal counts in.
fn slot(d: &Deal) -> Slot {
    Slot::new(d.store_id.map(|s| s.0), d.status.as_str())
}

/// The statements of a deal list. The total is kept (`list_counts`) for
/// the unfiltered list and the `status` and `store_id` filters.
fn list_query(
    account: AccountId,
    filter: &DealFilter,
    sort: DealSort,
    descending: bool,
    limit: u32,
    offset: i64,
) -> ListQuery {
    let text = |s: &Option<String>| s.as_ref().map(|v| Bind::Text(v.clone()));
    let mut w = Where::tenant("d", account.0);
    match filter.status {
        Some(s) => w.cmp("d.status", "=", Some(Bind::Text(s.as_str().into()))),
        None => w.and(&format!("d.status <> '{ARCHIVED}'")),
    }
    w.cmp(
        "d.phase",
        "=",
        filter.phase.as_ref().map(|v| Bind::Text(v.as_str().into())),
    );
    w.cmp(
        "d.client_id",
        "=",
        filter.client_id.map(|v| Bind::Uuid(v.0)),
    );
    w.cmp(
        "d.vehicle_id",
        "=",
        filter.vehicle_id.map(|v| Bind::Uuid(v.0)),
    );
    w.cmp("d.store_id", "=", filter.store_id.map(|v| Bind::Uuid(v.0)));
    w.cmp("d.responsible_id", "=", text(&filter.responsible_id));
    // String filters compare case-insensitively (§3.8).
    w.cmp(
        "LOWER(d.source)",
        "=",
        filter
            .source
            .as_deref()
            .map(|s| Bind::Text(s.to_lowercase())),
    );
    w.cmp(
        "d.value_cents",
        ">=",
        filter.min_value.map(|m| Bind::Int(m.cents())),
    );
    w.cmp(
        "d.value_cents",
        "<=",
        filter.max_value.map(|m| Bind::Int(m.cents())),
    );
    w.cmp("d.created_at", ">=", filter.created_from.map(Bind::Time));
    w.cmp("d.created_at", "<", filter.created_before.map(Bind::Time));
    w.search("d.search_text", filter.search.as_ref());
    // Every field named, so that a new filter decides here how it counts.
    let DealFilter {
        status,
        store_id,
        phase,
        client_id,
        vehicle_id,
        responsible_id,
        source,
        min_value,
        max_value,
        created_from,
        created_before,
        search,
    } = filter;
    let only_kept = phase.is_none()
        && client_id.is_none()
        && vehicle_id.is_none()
        && responsible_id.is_none()
        && source.is_none()
        && min_value.is_none()
        && max_value.is_none()
        && created_from.is_none()
        && created_before.is_none()
        && search.is_none();
    let total = if only_kept {
        Total::Kept(Tally {
            list: Counted::Deals,
            statuses: match status {
                Some(s) => Statuses::Is(s.as_str().to_owned()),
                None => Statuses::Not(ARCHIVED),
            },
            store: store_id.map(|s| s.0),
        })
    } else {
        Total::Counted
    };
    ListQuery {
        select: SELECT,
        from: "deals d",
        alias: "d",
        conditions: w,
        key: sort.key(),
        descending,
        limit,
        offset,
        total,
    }
}
