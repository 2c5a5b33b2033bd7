//! Sales-pipeline deals of an account (Auto API `/deals`).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use vitrine_core::deal::{Deal, DealPhase, DealStatus};
use vitrine_core::ids::{AccountId, ClientId, DealId, StoreId, VehicleId};
use vitrine_core::money::Money;

use crate::backend::on_db;
use crate::filter::{
    bind_all, decode, list_to_text, order_by, text_to_list, Bind, SortColumn, Where,
};
use crate::{now, Db, Error, Result};

pub use vitrine_core::filters::{DealFilter, DealSort};
pub use vitrine_core::records::DealRecord;

impl SortColumn for DealSort {
    fn column(self) -> &'static str {
        match self {
            Self::CreatedAt => "created_at",
            Self::UpdatedAt => "updated_at",
            Self::Title => "title",
            Self::Value => "value_cents",
            Self::Phase => "phase",
            Self::Probability => "probability",
            Self::ExpectedCloseDate => "expected_close_date",
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
        self.get(account, id).await
    }

    /// Replaces a deal's data; `NotFound` for another account's id.
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
        let done = on_db!(self.0, c => {
            let q = sqlx::query(&sql).bind(account.0).bind(id.0).bind(now());
            bind_data!(q, deal).execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
        if done == 0 {
            return Err(Error::NotFound);
        }
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
        let text = |s: &Option<String>| s.as_ref().map(|v| Bind::Text(v.clone()));
        let mut w = Where::tenant("d", account.0);
        match filter.status {
            Some(s) => w.cmp("d.status", "=", Some(Bind::Text(s.as_str().into()))),
            None => w.and("d.status <> 'arquivado'"),
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
        let count_sql = format!("SELECT COUNT(*) FROM deals d WHERE {}", w.sql());
        let mut page = w.clone();
        let l = page.arg(Bind::Int(i64::from(limit)));
        let o = page.arg(Bind::Int(offset));
        let sql = format!(
            "{SELECT} WHERE {} {} LIMIT {l} OFFSET {o}",
            page.sql(),
            order_by("d", sort.column(), descending)
        );
        let total: i64 = on_db!(self.0, c => bind_all!(sqlx::query_scalar(&count_sql), w.binds.clone()).fetch_one(&mut *c).await)?;
        let rows: Vec<Row> = on_db!(self.0, c => bind_all!(sqlx::query_as(&sql), page.binds.clone()).fetch_all(&mut *c).await)?;
        let items = rows
            .into_iter()
            .map(DealRecord::try_from)
            .collect::<Result<_>>()?;
        Ok((items, u64::try_from(total).unwrap_or(0)))
    }
}
