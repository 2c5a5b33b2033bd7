//! Inventory vehicles of an account (Auto API `/vehicles`).

use chrono::{DateTime, Utc};
use uuid::Uuid;
use vitrine_core::ids::{AccountId, ClientId, StoreId, VehicleId};
use vitrine_core::money::Money;
use vitrine_core::text::fold;
use vitrine_core::vehicle::{PreSale, Vehicle, VehiclePhase, VehicleStatus};

use crate::backend::on_db;
use crate::filter::{
    bind_all, decode, list_to_text, text_to_list, Bind, ListQuery, Plan, SortColumn, SortKey,
    Total, Where,
};
use crate::list_counts::{self, Counted, Slot, Statuses, Tally};
use crate::{now, Db, Error, Result};

pub use vitrine_core::filters::{VehicleFilter, VehicleSort};
pub use vitrine_core::records::VehicleRecord;

impl SortColumn for VehicleSort {
    /// Each has an index `(account_id, <column>, id)` (migration 0019).
    fn key(self) -> SortKey {
        match self {
            Self::CreatedAt => SortKey::time("created_at"),
            Self::UpdatedAt => SortKey::time("updated_at"),
            Self::Price => SortKey::optional("price_cents"),
            Self::YearModel => SortKey::optional("year_model"),
            Self::Mileage => SortKey::optional("mileage"),
            Self::Title => SortKey::text("title"),
            Self::Brand => SortKey::optional("brand_key"),
        }
    }
}

/// Repository of vehicles.
pub struct Vehicles<'c>(pub(crate) Db<'c>);

/// The placeholder `status` is bound to in `update` (`$4` is the first
/// data column).
const STATUS_ARG: usize = 4 + position(&DATA, "status");

/// The index of `name` in `columns` (at compile time).
const fn position(columns: &[&str], name: &str) -> usize {
    let mut i = 0;
    while i < columns.len() {
        let (a, b) = (columns[i].as_bytes(), name.as_bytes());
        if a.len() == b.len() {
            let mut j = 0;
            while j < a.len() && a[j] == b[j] {
                j += 1;
            }
            if j == a.len() {
                return i;
            }
        }
        i += 1;
    }
    panic!("no such column")
}

/// Data columns in bind order (after `account_id`, `id`, time).
const DATA: [&str; 31] = [
    "title",
    "store_id",
    "brand",
    "brand_key",
    "model",
    "model_key",
    "version",
    "year_model",
    "year_manufacture",
    "price_cents",
    "purchase_cents",
    "mileage",
    "color",
    "fuel",
    "transmission",
    "plate",
    "plate_key",
    "client_id",
    "phase",
    "status",
    "fipe_code",
    "fipe_cents",
    "body_type",
    "doors",
    "engine",
    "chassis",
    "renavam",
    "description",
    "features",
    "photos",
    "search_text",
];

macro_rules! bind_data {
    ($q:expr, $v:expr) => {{
        let v: &Vehicle = $v;
        $q.bind(v.title.clone())
            .bind(v.store_id.0)
            .bind(v.brand.clone())
            .bind(v.brand.as_deref().map(fold))
            .bind(v.model.clone())
            .bind(v.model.as_deref().map(fold))
            .bind(v.version.clone())
            .bind(v.year_model)
            .bind(v.year_manufacture)
            .bind(v.price.map(Money::cents))
            .bind(v.purchase_price.map(Money::cents))
            .bind(v.mileage)
            .bind(v.color.clone())
            .bind(v.fuel.clone())
            .bind(v.transmission.clone())
            .bind(v.plate.clone())
            .bind(v.plate_key())
            .bind(v.client_id.map(|c| c.0))
            .bind(v.phase.as_str())
            .bind(v.status.as_str())
            .bind(v.fipe_code.clone())
            .bind(v.fipe_price.map(Money::cents))
            .bind(v.body_type.clone())
            .bind(v.doors)
            .bind(v.engine.clone())
            .bind(v.chassis.clone())
            .bind(v.renavam.clone())
            .bind(v.description.clone())
            .bind(v.features.as_deref().map(list_to_text))
            .bind(v.photos.as_deref().map(list_to_text))
            .bind(v.search_document())
    }};
}

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    title: String,
    store_id: Uuid,
    brand: Option<String>,
    model: Option<String>,
    version: Option<String>,
    year_model: Option<i32>,
    year_manufacture: Option<i32>,
    price_cents: Option<i64>,
    purchase_cents: Option<i64>,
    mileage: Option<i64>,
    color: Option<String>,
    fuel: Option<String>,
    transmission: Option<String>,
    plate: Option<String>,
    client_id: Option<Uuid>,
    phase: String,
    status: String,
    fipe_code: Option<String>,
    fipe_cents: Option<i64>,
    body_type: Option<String>,
    doors: Option<i32>,
    engine: Option<String>,
    chassis: Option<String>,
    renavam: Option<String>,
    description: Option<String>,
    features: Option<String>,
    photos: Option<String>,
    client_name: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for VehicleRecord {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        let list = |t: Option<String>| t.as_deref().map(text_to_list).transpose();
        Ok(Self {
            id: VehicleId(r.id),
            vehicle: Vehicle {
                title: r.title,
                store_id: StoreId(r.store_id),
                brand: r.brand,
                model: r.model,
                version: r.version,
                year_model: r.year_model,
                year_manufacture: r.year_manufacture,
                price: r.price_cents.map(Money::from_cents),
                purchase_price: r.purchase_cents.map(Money::from_cents),
                mileage: r.mileage,
                color: r.color,
                fuel: r.fuel,
                transmission: r.transmission,
                plate: r.plate,
                client_id: r.client_id.map(ClientId),
                phase: decode(VehiclePhase::from_wire(&r.phase), "vehicles.phase")?,
                status: decode(VehicleStatus::from_wire(&r.status), "vehicles.status")?,
                fipe_code: r.fipe_code,
                fipe_price: r.fipe_cents.map(Money::from_cents),
                body_type: r.body_type,
                doors: r.doors,
                engine: r.engine,
                chassis: r.chassis,
                renavam: r.renavam,
                description: r.description,
                features: list(r.features)?,
                photos: list(r.photos)?,
            },
            client_name: r.client_name,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const SELECT: &str =
    "SELECT v.id, v.title, v.store_id, v.brand, v.model, v.version, v.year_model, \
    v.year_manufacture, v.price_cents, v.purchase_cents, v.mileage, v.color, v.fuel, \
    v.transmission, v.plate, v.client_id, v.phase, v.status, v.fipe_code, v.fipe_cents, \
    v.body_type, v.doors, v.engine, v.chassis, v.renavam, v.description, v.features, v.photos, \
    c.name AS client_name, v.created_at, v.updated_at \
    FROM vehicles v LEFT JOIN clients c ON c.account_id = v.account_id AND c.id = v.client_id";

impl Vehicles<'_> {
    /// Adds a vehicle. A plate held by another in-stock vehicle of the
    /// account is `Conflict { what: "plate" }` (callers check first with
    /// [`Vehicles::plate_taken`]).
    pub async fn insert(
        &mut self,
        account: AccountId,
        id: VehicleId,
        vehicle: &Vehicle,
    ) -> Result<VehicleRecord> {
        let placeholders: Vec<String> = (4..4 + DATA.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "INSERT INTO vehicles (account_id, id, created_at, updated_at, {}) VALUES ($1, $2, $3, $3, {})",
            DATA.join(", "),
            placeholders.join(", ")
        );
        on_db!(self.0, c => {
            let q = sqlx::query(&sql).bind(account.0).bind(id.0).bind(now());
            bind_data!(q, vehicle).execute(&mut *c).await.map(|r| r.rows_affected())
        })
        .map_err(Error::unique_as("plate"))?;
        list_counts::moved(
            &mut self.0,
            account,
            Counted::Vehicles,
            None,
            Some(slot(vehicle)),
        )
        .await?;
        self.get(account, id).await
    }

    /// The list slot a stored vehicle counts in, locked until the
    /// transaction ends (PostgreSQL; SQLite's writer is alone), so that a
    /// concurrent change of its status cannot be counted twice.
    async fn stored_slot(&mut self, account: AccountId, id: VehicleId) -> Result<Option<Slot>> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE",
            Db::Sqlite(_) => "",
        };
        let sql = format!(
            "SELECT store_id, status FROM vehicles WHERE account_id = $1 AND id = $2{lock}"
        );
        let row: Option<(Uuid, String)> = on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(account.0).bind(id.0).fetch_optional(c).await)?;
        Ok(row.map(|(store, status)| Slot::new(Some(store), &status)))
    }

    /// Replaces a vehicle's data; `NotFound` for another account's id.
    /// Run it inside a transaction (it keeps the list's counts).
    pub async fn update(
        &mut self,
        account: AccountId,
        id: VehicleId,
        vehicle: &Vehicle,
    ) -> Result<VehicleRecord> {
        let sets: Vec<String> = DATA
            .iter()
            .enumerate()
            .map(|(i, col)| format!("{col} = ${}", i + 4))
            .collect();
        // A status changed by hand forgets what a sale replaced (see
        // `release`): the right-hand side reads the row before the update.
        let Some(before) = self.stored_slot(account, id).await? else {
            return Err(Error::NotFound);
        };
        let sql = format!(
            "UPDATE vehicles SET updated_at = $3, \
             pre_sale_status = CASE WHEN status = ${s} THEN pre_sale_status ELSE NULL END, \
             pre_sale_phase = CASE WHEN status = ${s} THEN pre_sale_phase ELSE NULL END, \
             {} WHERE account_id = $1 AND id = $2",
            sets.join(", "),
            s = STATUS_ARG,
        );
        let done = on_db!(self.0, c => {
            let q = sqlx::query(&sql).bind(account.0).bind(id.0).bind(now());
            bind_data!(q, vehicle).execute(&mut *c).await.map(|r| r.rows_affected())
        })
        .map_err(Error::unique_as("plate"))?;
        if done == 0 {
            return Err(Error::NotFound);
        }
        list_counts::moved(
            &mut self.0,
            account,
            Counted::Vehicles,
            Some(before),
            Some(slot(vehicle)),
        )
        .await?;
        self.get(account, id).await
    }

    /// One vehicle of the account.
    pub async fn get(&mut self, account: AccountId, id: VehicleId) -> Result<VehicleRecord> {
        let sql = format!("{SELECT} WHERE v.account_id = $1 AND v.id = $2");
        let row: Row = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// One vehicle, locked until the transaction ends (see
    /// `Clients::get_for_update`).
    pub async fn get_for_update(
        &mut self,
        account: AccountId,
        id: VehicleId,
    ) -> Result<VehicleRecord> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE OF v",
            Db::Sqlite(_) => "",
        };
        let sql = format!("{SELECT} WHERE v.account_id = $1 AND v.id = $2{lock}");
        let row: Row = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Whether the account has this vehicle.
    pub async fn exists(&mut self, account: AccountId, id: VehicleId) -> Result<bool> {
        let sql = "SELECT COUNT(*) FROM vehicles WHERE account_id = $1 AND id = $2";
        let n: i64 = on_db!(self.0, c => sqlx::query_scalar(sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        Ok(n > 0)
    }

    /// Marks a vehicle sold because a sale (a won deal, a paid vehicle-sale
    /// record) now holds it, remembering what the sale replaced
    /// (`Vehicle::mark_sold`). The vehicle before and after, or `None`
    /// when nothing changed (already sold) or it is not the account's.
    pub async fn sell(
        &mut self,
        account: AccountId,
        id: VehicleId,
    ) -> Result<Option<(Vehicle, VehicleRecord)>> {
        let before = match self.get_for_update(account, id).await {
            Ok(r) => r.vehicle,
            Err(Error::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut vehicle = before.clone();
        let was = vehicle.mark_sold();
        if vehicle == before {
            return Ok(None);
        }
        let saved = self.update(account, id, &vehicle).await?;
        if let Some(was) = was {
            let sql = "UPDATE vehicles SET pre_sale_status = $3, pre_sale_phase = $4 \
                       WHERE account_id = $1 AND id = $2";
            on_db!(self.0, c => sqlx::query(sql)
                .bind(account.0).bind(id.0).bind(was.status.as_str()).bind(was.phase.as_str())
                .execute(c).await.map(|r| r.rows_affected()))?;
        }
        Ok(Some((before, saved)))
    }

    /// Puts a vehicle back in stock when a sale stopped holding it
    /// (a deal reopened or lost, a vehicle-sale record cancelled), unless
    /// another sale still holds it: the status and phase the sale replaced
    /// come back (`Vehicle::return_to_stock`). Call it after writing the
    /// sale's record, in the same transaction. The vehicle before and
    /// after, or `None` when nothing changed.
    pub async fn release(
        &mut self,
        account: AccountId,
        id: VehicleId,
    ) -> Result<Option<(Vehicle, VehicleRecord)>> {
        let before = match self.get_for_update(account, id).await {
            Ok(r) => r.vehicle,
            Err(Error::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        if self.held_by_sale(account, id).await? {
            return Ok(None);
        }
        let sql = "SELECT pre_sale_status, pre_sale_phase FROM vehicles WHERE account_id = $1 AND id = $2";
        let (status, phase): (Option<String>, Option<String>) = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(account.0).bind(id.0).fetch_one(c).await)?;
        let was = match (
            status.as_deref().and_then(VehicleStatus::from_wire),
            phase.as_deref().and_then(VehiclePhase::from_wire),
        ) {
            (Some(status), Some(phase)) => PreSale { status, phase },
            _ => return Ok(None),
        };
        let mut vehicle = before.clone();
        if !vehicle.return_to_stock(was) {
            return Ok(None);
        }
        // `update` forgets the pre-sale values: the status changed.
        let saved = self.update(account, id, &vehicle).await?;
        Ok(Some((before, saved)))
    }

    /// Whether a sale holds the vehicle: a won deal (or one archived after
    /// being won) or a paid `venda-veiculo` record linked to it (walks the
    /// `deals_vehicle` and `financial_vehicle` indexes).
    pub async fn held_by_sale(&mut self, account: AccountId, id: VehicleId) -> Result<bool> {
        let sql = "SELECT \
            (SELECT COUNT(*) FROM deals d WHERE d.account_id = $1 AND d.vehicle_id = $2 \
                AND (d.status = 'ganho' OR (d.status = 'arquivado' AND d.won_at IS NOT NULL))) + \
            (SELECT COUNT(*) FROM financial_records f WHERE f.account_id = $1 AND f.vehicle_id = $2 \
                AND f.category = 'venda-veiculo' AND f.status = 'paid')";
        let n: i64 = on_db!(self.0, c => sqlx::query_scalar(sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        Ok(n > 0)
    }

    /// Whether another in-stock vehicle of the account (other than
    /// `except`) holds `vehicle`'s plate (Decision 2). Only asked when
    /// `vehicle` itself is in stock.
    pub async fn plate_taken(
        &mut self,
        account: AccountId,
        vehicle: &Vehicle,
        except: Option<VehicleId>,
    ) -> Result<bool> {
        let Some(key) = vehicle.plate_key().filter(|_| vehicle.in_stock()) else {
            return Ok(false);
        };
        let except = except.map(|e| e.0).unwrap_or_else(Uuid::nil);
        let sql = "SELECT COUNT(*) FROM vehicles WHERE account_id = $1 AND plate_key = $2 \
                   AND status NOT IN ('vendido', 'arquivado') AND phase NOT IN ('vendido', 'entregue') \
                   AND id <> $3";
        let n: i64 = on_db!(self.0, c => sqlx::query_scalar(sql)
            .bind(account.0).bind(&key).bind(except).fetch_one(c).await)?;
        Ok(n > 0)
    }

    /// A page of the account's vehicles and the count of all matches.
    pub async fn list(
        &mut self,
        account: AccountId,
        filter: &VehicleFilter,
        sort: VehicleSort,
        descending: bool,
        limit: u32,
        offset: i64,
    ) -> Result<(Vec<VehicleRecord>, u64)> {
        let query = list_query(account, filter, sort, descending, limit, offset);
        let (rows, total) = query.run::<Row>(&mut self.0, account).await?;
        let items = rows
            .into_iter()
            .map(VehicleRecord::try_from)
            .collect::<Result<_>>()?;
        Ok((items, total))
    }

    /// How the database plans each statement [`Vehicles::list`] runs with
    /// these arguments (tests check that no list sorts the account).
    pub async fn list_plans(
        &mut self,
        account: AccountId,
        filter: &VehicleFilter,
        sort: VehicleSort,
        descending: bool,
        limit: u32,
        offset: i64,
    ) -> Result<Vec<Plan>> {
        list_query(account, filter, sort, descending, limit, offset)
            .plans(&mut self.0, account)
            .await
    }

    /// The panel's vehicle picker: up to `limit` of the account's vehicles
    /// in stock (not archived) matching `search` (any without one), by
    /// title then id. The `vehicles_title` index yields them in that
    /// order, so the query stops after `limit` matches instead of sorting
    /// the whole stock.
    pub async fn pick(
        &mut self,
        account: AccountId,
        search: Option<&(String, Option<String>)>,
        limit: u32,
    ) -> Result<Vec<VehicleRecord>> {
        let mut w = Where::tenant("v", account.0);
        w.and("v.status <> 'arquivado'");
        w.search("v.search_text", search);
        let l = w.arg(Bind::Int(i64::from(limit)));
        let sql = format!(
            "{SELECT} WHERE {} ORDER BY v.title, v.id LIMIT {l}",
            w.sql()
        );
        let rows: Vec<Row> = on_db!(self.0, c => bind_all!(sqlx::query_as(&sql), w.binds.clone()).fetch_all(&mut *c).await)?;
        rows.into_iter().map(VehicleRecord::try_from).collect()
    }
}

/// The status the default list leaves out (§3.13).
const ARCHIVED: &str = "arquivado";

/// The list slot a vehicle counts in.
fn slot(v: &Vehicle) -> Slot {
    Slot::new(Some(v.store_id.0), v.status.as_str())
}

/// The statements of a vehicle list. The total is kept (`list_counts`)
/// for the unfiltered list and the `status` and `store_id` filters.
fn list_query(
    account: AccountId,
    filter: &VehicleFilter,
    sort: VehicleSort,
    descending: bool,
    limit: u32,
    offset: i64,
) -> ListQuery {
    let text = |s: &Option<String>| s.as_ref().map(|v| Bind::Text(v.clone()));
    let mut w = Where::tenant("v", account.0);
    match &filter.status {
        Some(s) => w.cmp("v.status", "=", Some(Bind::Text(s.as_str().into()))),
        None => w.and(&format!("v.status <> '{ARCHIVED}'")),
    }
    w.cmp(
        "v.phase",
        "=",
        filter.phase.as_ref().map(|v| Bind::Text(v.as_str().into())),
    );
    w.cmp(
        "v.brand_key",
        "=",
        filter.brand.as_deref().map(|b| Bind::Text(fold(b))),
    );
    w.cmp(
        "v.model_key",
        "=",
        filter.model.as_deref().map(|m| Bind::Text(fold(m))),
    );
    w.cmp("v.fuel", "=", text(&filter.fuel));
    w.cmp("v.transmission", "=", text(&filter.transmission));
    w.cmp(
        "LOWER(v.color)",
        "=",
        filter
            .color
            .as_deref()
            .map(|c| Bind::Text(c.to_lowercase())),
    );
    w.cmp("v.year_model", ">=", filter.year_min.map(Bind::Int));
    w.cmp("v.year_model", "<=", filter.year_max.map(Bind::Int));
    w.cmp(
        "v.price_cents",
        ">=",
        filter.price_min.map(|m| Bind::Int(m.cents())),
    );
    w.cmp(
        "v.price_cents",
        "<=",
        filter.price_max.map(|m| Bind::Int(m.cents())),
    );
    w.cmp("v.store_id", "=", filter.store_id.map(|v| Bind::Uuid(v.0)));
    w.cmp(
        "v.client_id",
        "=",
        filter.client_id.map(|v| Bind::Uuid(v.0)),
    );
    w.search("v.search_text", filter.search.as_ref());
    // Every field named, so that a new filter decides here how it counts.
    let VehicleFilter {
        status,
        store_id,
        phase,
        brand,
        model,
        fuel,
        transmission,
        color,
        year_min,
        year_max,
        price_min,
        price_max,
        client_id,
        search,
    } = filter;
    let only_kept = phase.is_none()
        && brand.is_none()
        && model.is_none()
        && fuel.is_none()
        && transmission.is_none()
        && color.is_none()
        && year_min.is_none()
        && year_max.is_none()
        && price_min.is_none()
        && price_max.is_none()
        && client_id.is_none()
        && search.is_none();
    let total = if only_kept {
        Total::Kept(Tally {
            list: Counted::Vehicles,
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
        from: "vehicles v",
        alias: "v",
        conditions: w,
        key: sort.key(),
        descending,
        limit,
        offset,
        total,
    }
}
