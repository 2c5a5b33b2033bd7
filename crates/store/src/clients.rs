//! CRM clients of an account (Auto API `/clients`).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use vitrine_core::client::{Address, Client, ClientStatus, ClientType, Segment};
use vitrine_core::ids::{AccountId, ClientId, StoreId};

use crate::backend::on_db;
use crate::filter::{
    bind_all, decode, list_to_text, text_to_list, Bind, ListQuery, Plan, SortColumn, SortKey,
    Total, Where,
};
use crate::list_counts::{self, Counted, Slot, Statuses, Tally};
use crate::{now, Db, Error, Result};

pub use vitrine_core::filters::{ClientFilter, ClientSort};
pub use vitrine_core::records::ClientRecord;

impl SortColumn for ClientSort {
    /// Each has an index `(account_id, <column>, id)` (migration 0019).
    fn key(self) -> SortKey {
        match self {
            Self::CreatedAt => SortKey::time("created_at"),
            Self::UpdatedAt => SortKey::time("updated_at"),
            Self::Name => SortKey::text("name"),
            Self::Email => SortKey::optional("email"),
            Self::Segment => SortKey::optional("segment"),
            Self::Status => SortKey::text("status"),
        }
    }
}

/// Which document a duplicate check hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakenDocument {
    /// The CPF.
    Cpf,
    /// The CNPJ.
    Cnpj,
}

/// Repository of clients.
pub struct Clients<'c>(pub(crate) Db<'c>);

/// Data columns in bind order (after `account_id`, `id`, time).
const DATA: [&str; 34] = [
    "kind",
    "name",
    "display_name",
    "email",
    "phone",
    "mobile_phone",
    "whatsapp",
    "cpf",
    "cpf_key",
    "rg",
    "birth_date",
    "gender",
    "marital_status",
    "nationality",
    "cnpj",
    "cnpj_key",
    "legal_name",
    "trade_name",
    "state_registration",
    "segment",
    "source",
    "status",
    "store_id",
    "address_street",
    "address_number",
    "address_complement",
    "address_neighborhood",
    "address_city",
    "address_state",
    "address_zip_code",
    "address_country",
    "notes",
    "tags",
    "search_text",
];

/// Binds [`DATA`] in order.
macro_rules! bind_data {
    ($q:expr, $c:expr) => {{
        let c: &Client = $c;
        let a = c.address.clone().unwrap_or_default();
        $q.bind(c.kind.as_str())
            .bind(c.name.clone())
            .bind(c.display_name.clone())
            .bind(c.email.clone())
            .bind(c.phone.clone())
            .bind(c.mobile_phone.clone())
            .bind(c.whatsapp.clone())
            .bind(c.cpf.clone())
            .bind(c.cpf_key())
            .bind(c.rg.clone())
            .bind(c.birth_date)
            .bind(c.gender.clone())
            .bind(c.marital_status.clone())
            .bind(c.nationality.clone())
            .bind(c.cnpj.clone())
            .bind(c.cnpj_key())
            .bind(c.legal_name.clone())
            .bind(c.trade_name.clone())
            .bind(c.state_registration.clone())
            .bind(c.segment.map(Segment::as_str))
            .bind(c.source.clone())
            .bind(c.status.as_str())
            .bind(c.store_id.map(|s| s.0))
            .bind(a.street)
            .bind(a.number)
            .bind(a.complement)
            .bind(a.neighborhood)
            .bind(a.city)
            .bind(a.state)
            .bind(a.zip_code)
            .bind(a.country)
            .bind(c.notes.clone())
            .bind(list_to_text(&c.tags))
            .bind(c.search_document())
    }};
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    kind: String,
    name: String,
    display_name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    mobile_phone: Option<String>,
    whatsapp: Option<String>,
    cpf: Option<String>,
    rg: Option<String>,
    birth_date: Option<NaiveDate>,
    gender: Option<String>,
    marital_status: Option<String>,
    nationality: Option<String>,
    cnpj: Option<String>,
    legal_name: Option<String>,
    trade_name: Option<String>,
    state_registration: Option<String>,
    segment: Option<String>,
    source: Option<String>,
    status: String,
    store_id: Option<Uuid>,
    address_street: Option<String>,
    address_number: Option<String>,
    address_complement: Option<String>,
    address_neighborhood: Option<String>,
    address_city: Option<String>,
    address_state: Option<String>,
    address_zip_code: Option<String>,
    address_country: Option<String>,
    notes: Option<String>,
    tags: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for ClientRecord {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        let address = Address {
            street: r.address_street,
            number: r.address_number,
            complement: r.address_complement,
            neighborhood: r.address_neighborhood,
            city: r.address_city,
            state: r.address_state,
            zip_code: r.address_zip_code,
            country: r.address_country,
        };
        let segment = match r.segment.as_deref() {
            Some(s) => Some(decode(Segment::from_wire(s), "clients.segment")?),
            None => None,
        };
        Ok(Self {
            id: ClientId(r.id),
            client: Client {
                kind: decode(ClientType::from_wire(&r.kind), "clients.kind")?,
                name: r.name,
                display_name: r.display_name,
                email: r.email,
                phone: r.phone,
                mobile_phone: r.mobile_phone,
                whatsapp: r.whatsapp,
                cpf: r.cpf,
                rg: r.rg,
                birth_date: r.birth_date,
                gender: r.gender,
                marital_status: r.marital_status,
                nationality: r.nationality,
                cnpj: r.cnpj,
                legal_name: r.legal_name,
                trade_name: r.trade_name,
                state_registration: r.state_registration,
                segment,
                source: r.source,
                status: decode(ClientStatus::from_wire(&r.status), "clients.status")?,
                store_id: r.store_id.map(StoreId),
                address: (!address.is_empty()).then_some(address),
                notes: r.notes,
                tags: text_to_list(&r.tags)?,
            },
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const SELECT: &str =
    "SELECT c.id, c.kind, c.name, c.display_name, c.email, c.phone, c.mobile_phone, \
    c.whatsapp, c.cpf, c.rg, c.birth_date, c.gender, c.marital_status, c.nationality, c.cnpj, \
    c.legal_name, c.trade_name, c.state_registration, c.segment, c.source, c.status, c.store_id, \
    c.address_street, c.address_number, c.address_complement, c.address_neighborhood, \
    c.address_city, c.address_state, c.address_zip_code, c.address_country, c.notes, c.tags, \
    c.created_at, c.updated_at FROM clients c";

impl Clients<'_> {
    /// Adds a client. A CPF/CNPJ already held by another non-inactive client
    /// of the account is `Conflict { what: "cpf" | "cnpj" }` (the unique
    /// indexes; callers check first with [`Clients::taken_document`]).
    pub async fn insert(
        &mut self,
        account: AccountId,
        id: ClientId,
        client: &Client,
    ) -> Result<ClientRecord> {
        let placeholders: Vec<String> = (4..4 + DATA.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "INSERT INTO clients (account_id, id, created_at, updated_at, {}) VALUES ($1, $2, $3, $3, {})",
            DATA.join(", "),
            placeholders.join(", ")
        );
        let what = conflict_field(client);
        on_db!(self.0, c => {
            let q = sqlx::query(&sql).bind(account.0).bind(id.0).bind(now());
            bind_data!(q, client).execute(&mut *c).await.map(|r| r.rows_affected())
        })
        .map_err(Error::unique_as(what))?;
        list_counts::moved(
            &mut self.0,
            account,
            Counted::Clients,
            None,
            Some(slot(client)),
        )
        .await?;
        self.get(account, id).await
    }

    /// The list slot a stored client counts in, locked until the
    /// transaction ends (see `Vehicles::stored_slot`).
    async fn stored_slot(&mut self, account: AccountId, id: ClientId) -> Result<Option<Slot>> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE",
            Db::Sqlite(_) => "",
        };
        let sql =
            format!("SELECT store_id, status FROM clients WHERE account_id = $1 AND id = $2{lock}");
        let row: Option<(Option<Uuid>, String)> = on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(account.0).bind(id.0).fetch_optional(c).await)?;
        Ok(row.map(|(store, status)| Slot::new(store, &status)))
    }

    /// Replaces a client's data; `NotFound` for another account's id.
    /// Run it inside a transaction (it keeps the list's counts).
    pub async fn update(
        &mut self,
        account: AccountId,
        id: ClientId,
        client: &Client,
    ) -> Result<ClientRecord> {
        let sets: Vec<String> = DATA
            .iter()
            .enumerate()
            .map(|(i, col)| format!("{col} = ${}", i + 4))
            .collect();
        let sql = format!(
            "UPDATE clients SET updated_at = $3, {} WHERE account_id = $1 AND id = $2",
            sets.join(", ")
        );
        let what = conflict_field(client);
        let Some(before) = self.stored_slot(account, id).await? else {
            return Err(Error::NotFound);
        };
        let done = on_db!(self.0, c => {
            let q = sqlx::query(&sql).bind(account.0).bind(id.0).bind(now());
            bind_data!(q, client).execute(&mut *c).await.map(|r| r.rows_affected())
        })
        .map_err(Error::unique_as(what))?;
        if done == 0 {
            return Err(Error::NotFound);
        }
        list_counts::moved(
            &mut self.0,
            account,
            Counted::Clients,
            Some(before),
            Some(slot(client)),
        )
        .await?;
        self.get(account, id).await
    }

    /// One client of the account.
    pub async fn get(&mut self, account: AccountId, id: ClientId) -> Result<ClientRecord> {
        let sql = format!("{SELECT} WHERE c.account_id = $1 AND c.id = $2");
        let row: Row = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// One client, locked until the transaction ends (PostgreSQL; SQLite's
    /// `BEGIN IMMEDIATE` already serialises writers), for read-modify-write.
    pub async fn get_for_update(
        &mut self,
        account: AccountId,
        id: ClientId,
    ) -> Result<ClientRecord> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE",
            Db::Sqlite(_) => "",
        };
        let sql = format!("{SELECT} WHERE c.account_id = $1 AND c.id = $2{lock}");
        let row: Row = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Whether the account has this client.
    pub async fn exists(&mut self, account: AccountId, id: ClientId) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM clients WHERE account_id = $1 AND id = $2";
        let n: i64 = on_db!(self.0, c => sqlx::query_scalar(sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        Ok(n > 0)
    }

    /// Which of `client`'s documents another non-inactive client of the
    /// account (other than `except`) already holds (Decision 2).
    pub async fn taken_document(
        &mut self,
        account: AccountId,
        client: &Client,
        except: Option<ClientId>,
    ) -> Result<Option<TakenDocument>> {
        if !client.holds_documents() {
            return Ok(None);
        }
        let except = except.map(|e| e.0).unwrap_or_else(Uuid::nil);
        for (column, key, which) in [
            ("cpf_key", client.cpf_key(), TakenDocument::Cpf),
            ("cnpj_key", client.cnpj_key(), TakenDocument::Cnpj),
        ] {
            let Some(key) = key else { continue };
            let sql = format!(
                "SELECT COUNT(*) FROM clients WHERE account_id = $1 AND {column} = $2 \
                 AND status <> 'inactive' AND id <> $3"
            );
            let n: i64 = on_db!(self.0, c => sqlx::query_scalar(&sql)
                .bind(account.0).bind(&key).bind(except).fetch_one(c).await)?;
            if n > 0 {
                return Ok(Some(which));
            }
        }
        Ok(None)
    }

    /// A page of the account's clients and the count of all matches.
    pub async fn list(
        &mut self,
        account: AccountId,
        filter: &ClientFilter,
        sort: ClientSort,
        descending: bool,
        limit: u32,
        offset: i64,
    ) -> Result<(Vec<ClientRecord>, u64)> {
        let query = list_query(account, filter, sort, descending, limit, offset);
        let (rows, total) = query.run::<Row>(&mut self.0, account).await?;
        let items = rows
            .into_iter()
            .map(ClientRecord::try_from)
            .collect::<Result<_>>()?;
        Ok((items, total))
    }

    /// How the database plans each statement [`Clients::list`] runs with
    /// these arguments (tests check that no list sorts the account).
    pub async fn list_plans(
        &mut self,
        account: AccountId,
        filter: &ClientFilter,
        sort: ClientSort,
        descending: bool,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<Plan>> {
        list_query(account, filter, sort, descending, limit, offset)
            .plans(&mut self.0, account)
            .await
    }

    /// The panel's client picker: up to `limit` of the account's clients
    /// matching `search` (any without one), by name then id. The
    /// `clients_name` index yields them in that order, so the query stops
    /// after `limit` matches instead of sorting every client.
    pub async fn pick(
        &mut self,
        account: AccountId,
        search: Option<&(String, Option<String>)>,
        limit: u32,
    ) -> Result<Vec<ClientRecord>> {
        let mut w = Where::tenant("c", account.0);
        w.search("c.search_text", search);
        let l = w.arg(Bind::Int(i64::from(limit)));
        let sql = format!("{SELECT} WHERE {} ORDER BY c.name, c.id LIMIT {l}", w.sql());
        let rows: Vec<Row> = on_db!(self.0, c => bind_all!(sqlx::query_as(&sql), w.binds.clone()).fetch_all(&mut *c).await)?;
        rows.into_iter().map(ClientRecord::try_from).collect()
    }
}

/// The field a unique-index violation is reported on: without the
/// constraint name (SQLite does not give it) the CPF is the likelier one.
fn conflict_field(client: &Client) -> &'static str {
    if client.cpf.is_some() {
        "cpf"
    } else {
        "cnpj"
    }
}

/// The list slot a client counts in.
fn slot(c: &Client) -> Slot {
    Slot::new(c.store_id.map(|s| s.0), c.status.as_str())
}

/// The statements of a client list. The total is kept (`list_counts`)
/// for the unfiltered list and the `status` and `store_id` filters.
fn list_query(
    account: AccountId,
    filter: &ClientFilter,
    sort: ClientSort,
    descending: bool,
    limit: u32,
    offset: i64,
) -> ListQuery {
    let mut w = Where::tenant("c", account.0);
    w.cmp(
        "c.kind",
        "=",
        filter.kind.map(|v| Bind::Text(v.as_str().into())),
    );
    w.cmp(
        "c.status",
        "=",
        filter.status.map(|v| Bind::Text(v.as_str().into())),
    );
    w.cmp(
        "c.segment",
        "=",
        filter.segment.map(|v| Bind::Text(v.as_str().into())),
    );
    w.cmp("c.store_id", "=", filter.store_id.map(|v| Bind::Uuid(v.0)));
    w.search("c.search_text", filter.search.as_ref());
    // Every field named, so that a new filter decides here how it counts.
    let ClientFilter {
        kind,
        status,
        segment,
        store_id,
        search,
    } = filter;
    let total = if kind.is_none() && segment.is_none() && search.is_none() {
        Total::Kept(Tally {
            list: Counted::Clients,
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
        from: "clients c",
        alias: "c",
        conditions: w,
        key: sort.key(),
        descending,
        limit,
        offset,
        total,
    }
}
