//! `/financial` — ecosys-auto-api.md §4.5 (OLD endpoints, NEW
//! enumerations): income and expense records and `GET /financial/summary`.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use vitrine_app::finance::records;
use vitrine_app::Draft;
use vitrine_core::filters::{FinancialFilter, FinancialSort};
use vitrine_core::financial::{
    self, Category, FinancialRecord, FinancialStatus, PaymentMethod, RecordType,
};
use vitrine_core::ids::{FinancialId, StoreId};
use vitrine_core::money::Money;
use vitrine_core::text::{self, MAX_TEXT};
use vitrine_core::FieldError;

use super::params::path_id;
use crate::extract::{ApiKeyAuth, AutoJson};
use crate::openapi::{Paged, SortedParams, Success};
use crate::AutoError;
use crate::AutoState;
use vitrine_auto_wire::body::{Body, Fields, Mode, Reference};
use vitrine_auto_wire::envelope::{Created, Data, Page, Pagination};
use vitrine_auto_wire::inputs::FinancialIn;
use vitrine_auto_wire::lists::{financial_filter, FINANCIAL_SORTS};
use vitrine_auto_wire::out::{FinancialOut, SummaryOut};
use vitrine_auto_wire::query::ListQuery;

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

/// `GET /financial` — §4.5 list filters.
#[utoipa::path(
    get,
    path = "/financial",
    tag = "financial",
    params(SortedParams, ("type" = Option<String>, Query, description = "Filter by `type`"), ("category" = Option<String>, Query, description = "Filter by `category`"), ("status" = Option<String>, Query, description = "Filter by `status`"), ("payment_method" = Option<String>, Query, description = "Filter by `payment_method`"), ("vehicle_id" = Option<String>, Query, description = "Filter by `vehicle_id`"), ("deal_id" = Option<String>, Query, description = "Filter by `deal_id`"), ("client_id" = Option<String>, Query, description = "Filter by `client_id`"), ("store_id" = Option<String>, Query, description = "Filter by `store_id`"), ("from" = Option<String>, Query, description = "Filter by `from`"), ("to" = Option<String>, Query, description = "Filter by `to`")),
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
    let sort = q.sort(&FINANCIAL_SORTS, FinancialSort::CreatedAt);
    q.finish_known()?;
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
    let mut tx = app.store.begin().await?;
    let saved = records::create(&mut tx, auth.account_id, Draft::new(record, references)).await?;
    tx.commit().await?;
    Ok(Created(saved.into()))
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
    let current = records::lock(&mut tx, auth.account_id, id).await?;
    // The id answers first: a foreign or unknown id is 404 whatever the body.
    let AutoJson(fields) = body?;
    let mut body = Body::new(fields, Mode::Update);
    let mut record = current.record.clone();
    read_record(&mut body, &mut record);
    let references = body.finish()?;
    let draft = Draft::new(record, references);
    let saved = records::update(&mut tx, auth.account_id, current, draft).await?;
    tx.commit().await?;
    Ok(Data(saved.into()))
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
    q.finish_known()?;
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
    Ok(Data(SummaryOut::new(filter.from, filter.to, s)))
}
