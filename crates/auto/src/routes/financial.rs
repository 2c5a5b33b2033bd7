//! `/financial` — ecosys-auto-api.md §4.5 (OLD endpoints, NEW
//! enumerations): income and expense records and `GET /financial/summary`.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use serde::Serialize;
use vitrine_core::financial::{
    self, Category, FinancialRecord, FinancialStatus, PaymentMethod, RecordType,
};
use vitrine_core::ids::{ClientId, DealId, FinancialId, StoreId, VehicleId};
use vitrine_core::money::Money;
use vitrine_core::text::{self, MAX_TEXT};
use vitrine_core::webhook;
use vitrine_core::FieldError;
use vitrine_store::financial::{FinancialEntry, FinancialFilter, FinancialSort};

use super::refs::{self, path_id};
use crate::envelope::{Created, Data, Page, Pagination};
use crate::events;
use crate::extract::{ApiKeyAuth, AutoJson};
use crate::openapi::{ListParams, Paged, Success};
use crate::wire::body::{Body, Fields, Mode, Reference};
use crate::wire::inputs::FinancialIn;
use crate::wire::query::ListQuery;
use crate::wire::{date, money, timestamp};
use crate::{AutoError, AutoState};

/// A financial record on the wire: every field, `null` where unset.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct FinancialOut {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    category: &'static str,
    description: Option<String>,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    amount: Money,
    status: &'static str,
    payment_method: Option<&'static str>,
    due_date: Option<String>,
    paid_at: Option<String>,
    vehicle_id: Option<String>,
    deal_id: Option<String>,
    client_id: Option<String>,
    store_id: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<FinancialEntry> for FinancialOut {
    fn from(e: FinancialEntry) -> Self {
        let r = e.record;
        Self {
            id: e.id.to_string(),
            kind: r.kind.as_str(),
            category: r.category.as_str(),
            description: r.description,
            amount: r.amount,
            status: r.status.as_str(),
            payment_method: r.payment_method.map(PaymentMethod::as_str),
            due_date: r.due_date.map(date),
            paid_at: r.paid_at.map(timestamp),
            vehicle_id: r.vehicle_id.map(|v| v.to_string()),
            deal_id: r.deal_id.map(|d| d.to_string()),
            client_id: r.client_id.map(|c| c.to_string()),
            store_id: r.store_id.map(|s| s.to_string()),
            created_at: timestamp(e.created_at),
            updated_at: timestamp(e.updated_at),
        }
    }
}

/// Applies a body to a record, then the rules no single field can check
/// (category of the type, amount above zero) when those fields are sound.
fn read_record(body: &mut Body, r: &mut FinancialRecord) {
    body.parsed_required("type", &mut r.kind, |s| RecordType::parse("type", s));
    body.parsed_required("category", &mut r.category, |s| {
        Category::parse("category", s)
    });
    body.opt_text("description", MAX_TEXT, &mut r.description);
    let mut amount = (body.mode() == Mode::Update).then_some(r.amount);
    body.opt_money("amount", &mut amount);
    body.parsed("status", &mut r.status, |s| {
        FinancialStatus::parse("status", s)
    });
    body.opt_parsed("payment_method", &mut r.payment_method, |s| {
        PaymentMethod::parse("payment_method", s)
    });
    body.opt_parsed("due_date", &mut r.due_date, |s| text::date("due_date", s));
    body.opt_parsed("paid_at", &mut r.paid_at, |s| {
        vitrine_core::activity::parse_instant("paid_at", s)
    });
    body.reference("vehicle_id", &mut r.vehicle_id, Reference::Vehicle);
    body.reference("deal_id", &mut r.deal_id, Reference::Deal);
    body.reference("client_id", &mut r.client_id, Reference::Client);
    body.reference("store_id", &mut r.store_id, Reference::Store);
    match amount {
        Some(a) => r.amount = a,
        None if !body.problems.iter().any(|p| p.field == "amount") => {
            body.problems.push(FieldError::required("amount"));
        }
        None => {}
    }
    let sound = !body
        .problems
        .iter()
        .any(|p| matches!(p.field.as_str(), "type" | "category" | "amount"));
    if sound {
        if let Err(problems) = r.check() {
            body.problems.extend(problems);
        }
    }
}

const SORTS: [(&str, FinancialSort); 5] = [
    ("created_at", FinancialSort::CreatedAt),
    ("updated_at", FinancialSort::UpdatedAt),
    ("amount", FinancialSort::Amount),
    ("due_date", FinancialSort::DueDate),
    ("paid_at", FinancialSort::PaidAt),
];

/// The period and link filters of `GET /financial` (§4.5), shared with
/// the panel's list.
pub fn financial_filter(q: &mut ListQuery) -> FinancialFilter {
    FinancialFilter {
        kind: q.parsed("type", RecordType::parse),
        category: q.parsed("category", Category::parse),
        status: q.parsed("status", FinancialStatus::parse),
        payment_method: q.parsed("payment_method", PaymentMethod::parse),
        vehicle_id: q.id::<VehicleId>("vehicle_id"),
        deal_id: q.id::<DealId>("deal_id"),
        client_id: q.id::<ClientId>("client_id"),
        store_id: q.id::<StoreId>("store_id"),
        from: q.date("from"),
        to: q.date("to"),
    }
}

/// `GET /financial` — §4.5 list filters.
#[utoipa::path(
    get,
    path = "/financial",
    tag = "financial",
    params(ListParams, ("type" = Option<String>, Query, description = "Filter by `type`"), ("category" = Option<String>, Query, description = "Filter by `category`"), ("status" = Option<String>, Query, description = "Filter by `status`"), ("payment_method" = Option<String>, Query, description = "Filter by `payment_method`"), ("vehicle_id" = Option<String>, Query, description = "Filter by `vehicle_id`"), ("deal_id" = Option<String>, Query, description = "Filter by `deal_id`"), ("client_id" = Option<String>, Query, description = "Filter by `client_id`"), ("store_id" = Option<String>, Query, description = "Filter by `store_id`"), ("from" = Option<String>, Query, description = "Filter by `from`"), ("to" = Option<String>, Query, description = "Filter by `to`")),
    responses((status = 200, description = "A page of financial records", body = Paged<FinancialOut>))
)]
pub async fn list_financial(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    RawQuery(raw): RawQuery,
) -> Result<Page<FinancialOut>, AutoError> {
    let mut q = ListQuery::parse(raw.as_deref())?;
    let filter = financial_filter(&mut q);
    let paging = q.paging();
    let sort = q.sort(&SORTS, FinancialSort::CreatedAt);
    q.finish()?;
    let mut conn = app.store.conn().await?;
    let (items, total) = conn
        .financial()
        .list(
            auth.account_id,
            &filter,
            sort.field,
            sort.descending,
            paging.limit,
            paging.offset(),
        )
        .await?;
    Ok(Page {
        items: items.into_iter().map(FinancialOut::from).collect(),
        pagination: Pagination::new(paging.page, paging.limit, total),
    })
}

/// `POST /financial` — 201; emits `financial.created` (and
/// `financial.paid` when created paid).
#[utoipa::path(
    post,
    path = "/financial",
    tag = "financial",
    request_body(content = FinancialIn, description = "The fields to set (JSON object)"),
    responses((status = 201, description = "The record created", body = Success<FinancialOut>))
)]
pub async fn create_financial(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    AutoJson(fields): AutoJson<Fields>,
) -> Result<Created<FinancialOut>, AutoError> {
    let mut body = Body::new(fields, Mode::Create);
    let mut record = FinancialRecord {
        kind: RecordType::Revenue,
        category: Category::VendaVeiculo,
        description: None,
        amount: Money::from_cents(0),
        status: FinancialStatus::Pending,
        payment_method: None,
        due_date: None,
        paid_at: None,
        vehicle_id: None,
        deal_id: None,
        client_id: None,
        store_id: None,
    };
    read_record(&mut body, &mut record);
    let references = body.finish()?;
    record.settle(None, vitrine_store::now());
    let mut tx = app.store.begin().await?;
    refs::verify(&mut tx, auth.account_id, &references).await?;
    let saved = tx
        .financial()
        .insert(auth.account_id, FinancialId::new(), &record)
        .await?;
    let out = FinancialOut::from(saved);
    let mut names = vec!["financial.created"];
    if record.status == FinancialStatus::Paid {
        names.push("financial.paid");
    }
    events::emit(&mut tx, auth.account_id, &names, &out).await?;
    tx.commit().await?;
    Ok(Created(out))
}

/// `GET /financial/:id` — extension (§4.5).
#[utoipa::path(
    get,
    path = "/financial/{id}",
    tag = "financial",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    responses((status = 200, description = "The record", body = Success<FinancialOut>))
)]
pub async fn get_financial(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Data<FinancialOut>, AutoError> {
    let id: FinancialId = path_id(id)?;
    let mut conn = app.store.conn().await?;
    Ok(Data(
        conn.financial().get(auth.account_id, id).await?.into(),
    ))
}

/// `PUT|PATCH /financial/:id` — partial update (§3.12); emits
/// `financial.updated` (and `financial.paid`).
#[utoipa::path(
    method(put, patch),
    path = "/financial/{id}",
    tag = "financial",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    request_body(content = FinancialIn, description = "The fields to set (JSON object)"),
    responses((status = 200, description = "The record updated", body = Success<FinancialOut>))
)]
pub async fn update_financial(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
    body: Result<AutoJson<Fields>, AutoError>,
) -> Result<Data<FinancialOut>, AutoError> {
    let id: FinancialId = path_id(id)?;
    let mut tx = app.store.begin().await?;
    let before = tx
        .financial()
        .get_for_update(auth.account_id, id)
        .await?
        .record;
    // The id answers first: a foreign or unknown id is 404 whatever the body.
    let AutoJson(fields) = body?;
    let mut body = Body::new(fields, Mode::Update);
    let mut record = before.clone();
    read_record(&mut body, &mut record);
    let references = body.finish()?;
    refs::verify(&mut tx, auth.account_id, &references).await?;
    record.settle(Some(before.status), vitrine_store::now());
    let saved = tx.financial().update(auth.account_id, id, &record).await?;
    let out = FinancialOut::from(saved);
    let names = webhook::financial_update_events(&before, &record);
    events::emit(&mut tx, auth.account_id, &names, &out).await?;
    tx.commit().await?;
    Ok(Data(out))
}

/// Amounts per type on the wire.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ByTypeOut {
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    revenue: Money,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    expense: Money,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    cost: Money,
}

impl From<financial::ByType> for ByTypeOut {
    fn from(t: financial::ByType) -> Self {
        Self {
            revenue: Money::from_cents(t.revenue),
            expense: Money::from_cents(t.expense),
            cost: Money::from_cents(t.cost),
        }
    }
}

/// The summary's period, echoed.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PeriodOut {
    from: Option<String>,
    to: Option<String>,
}

/// A category total.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct CategoryOut {
    #[serde(rename = "type")]
    kind: &'static str,
    category: &'static str,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    total: Money,
    count: i64,
}

/// The margin of one sold vehicle.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VehicleMarginOut {
    vehicle_id: String,
    title: String,
    #[serde(serialize_with = "money::opt")]
    #[schema(value_type = Option<f64>)]
    purchase_price: Option<Money>,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    sale_value: Money,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    expenses: Money,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    margin: Money,
}

/// `GET /financial/summary` on the wire (§4.5 shape, plus `cancelled`,
/// `commissions` and `vehicles`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SummaryOut {
    period: PeriodOut,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    revenue: Money,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    expense: Money,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    cost: Money,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    profit: Money,
    paid: ByTypeOut,
    pending: ByTypeOut,
    cancelled: ByTypeOut,
    by_category: Vec<CategoryOut>,
    #[serde(serialize_with = "money::one")]
    #[schema(value_type = f64)]
    commissions: Money,
    vehicles: Vec<VehicleMarginOut>,
}

/// `GET /financial/summary` — totals by type, category and status over a
/// period (`from`, `to` on the due date or the creation day; `store_id`);
/// cancelled records are left out of the totals. Commissions are the
/// `comissao`, `financiamento` and `seguro` revenue. A vehicle is sold in
/// the period when a `venda-veiculo` record links it; its margin is that
/// sale − its purchase price − its expense and cost records.
#[utoipa::path(
    get,
    path = "/financial/summary",
    tag = "financial",
    params(("from" = Option<String>, Query, description = "Filter by `from`"), ("to" = Option<String>, Query, description = "Filter by `to`"), ("store_id" = Option<String>, Query, description = "Filter by `store_id`")),
    responses((status = 200, description = "Totals over the period", body = Success<SummaryOut>))
)]
pub async fn financial_summary(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    RawQuery(raw): RawQuery,
) -> Result<Data<SummaryOut>, AutoError> {
    let mut q = ListQuery::parse(raw.as_deref())?;
    let filter = FinancialFilter {
        store_id: q.id::<StoreId>("store_id"),
        from: q.date("from"),
        to: q.date("to"),
        ..FinancialFilter::default()
    };
    q.finish()?;
    let mut conn = app.store.conn().await?;
    let groups = conn
        .financial()
        .group_totals(auth.account_id, &filter)
        .await?;
    let sold = conn
        .financial()
        .sold_vehicles(auth.account_id, &filter)
        .await?;
    let s = financial::summarize(&groups, sold);
    let m = Money::from_cents;
    Ok(Data(SummaryOut {
        period: PeriodOut {
            from: filter.from.map(date),
            to: filter.to.map(date),
        },
        revenue: m(s.totals.revenue),
        expense: m(s.totals.expense),
        cost: m(s.totals.cost),
        profit: m(s.totals.profit()),
        paid: s.paid.into(),
        pending: s.pending.into(),
        cancelled: s.cancelled.into(),
        by_category: s
            .by_category
            .iter()
            .map(|c| CategoryOut {
                kind: c.kind.as_str(),
                category: c.category.as_str(),
                total: m(c.cents),
                count: c.count,
            })
            .collect(),
        commissions: m(s.commissions),
        vehicles: s
            .vehicles
            .into_iter()
            .map(|v| VehicleMarginOut {
                vehicle_id: v.vehicle.vehicle_id.to_string(),
                title: v.vehicle.title,
                purchase_price: v.vehicle.purchase,
                sale_value: m(v.vehicle.sale_cents),
                expenses: m(v.vehicle.expenses_cents),
                margin: m(v.margin_cents),
            })
            .collect(),
    }))
}
