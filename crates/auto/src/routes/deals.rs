//! `/deals` — ecosys-auto-api.md §4.3.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use vitrine_app::crm::deals;
use vitrine_app::Draft;
use vitrine_core::deal::{parse_probability, Deal, DealPhase, DealStatus};
use vitrine_core::filters::DealSort;
use vitrine_core::ids::DealId;
use vitrine_core::text::{self, MAX_NAME, MAX_SHORT, MAX_TEXT};

use super::params::path_id;
use crate::extract::{ApiKeyAuth, AutoJson};
use crate::openapi::{ListParams, Paged, Success};
use crate::AutoError;
use crate::AutoState;
use vitrine_auto_wire::body::{Body, Fields, Mode, Reference};
use vitrine_auto_wire::envelope::{Created, Data, Page, Pagination};
use vitrine_auto_wire::inputs::{DealIn, PhaseIn};
use vitrine_auto_wire::lists::{deal_filter, DEAL_SORTS};
use vitrine_auto_wire::out::DealOut;
use vitrine_auto_wire::query::ListQuery;

/// Applies a body to a deal.
fn read_deal(body: &mut Body, d: &mut Deal) {
    body.text("title", MAX_NAME, &mut d.title);
    body.opt_money("value", &mut d.value);
    body.parsed("phase", &mut d.phase, |s| DealPhase::parse("phase", s));
    body.opt_int("probability", &mut d.probability, |n| {
        parse_probability("probability", n)
    });
    body.parsed("status", &mut d.status, |s| DealStatus::parse("status", s));
    body.opt_text("loss_reason", MAX_TEXT, &mut d.loss_reason);
    body.reference("client_id", &mut d.client_id, Reference::Client);
    body.reference("vehicle_id", &mut d.vehicle_id, Reference::Vehicle);
    body.reference("store_id", &mut d.store_id, Reference::Store);
    body.opt_text("source", MAX_SHORT, &mut d.source);
    body.list("tags", MAX_SHORT, &mut d.tags);
    body.opt_text("description", MAX_TEXT, &mut d.description);
    body.opt_parsed("expected_close_date", &mut d.expected_close_date, |s| {
        text::date("expected_close_date", s)
    });
    body.user_reference("responsible_id", &mut d.responsible_id);
}

/// `GET /deals` — §4.3 "GET /deals: query parameters".
#[utoipa::path(
    get,
    path = "/deals",
    tag = "deals",
    params(ListParams, ("status" = Option<String>, Query, description = "Filter by `status`"), ("phase" = Option<String>, Query, description = "Filter by `phase`"), ("source" = Option<String>, Query, description = "Filter by `source`"), ("client_id" = Option<String>, Query, description = "Filter by `client_id`"), ("vehicle_id" = Option<String>, Query, description = "Filter by `vehicle_id`"), ("store_id" = Option<String>, Query, description = "Filter by `store_id`"), ("responsible_id" = Option<String>, Query, description = "Filter by `responsible_id`"), ("min_value" = Option<String>, Query, description = "Filter by `min_value`"), ("max_value" = Option<String>, Query, description = "Filter by `max_value`"), ("from" = Option<String>, Query, description = "Filter by `from`"), ("to" = Option<String>, Query, description = "Filter by `to`")),
    responses((status = 200, description = "A page of deals", body = Paged<DealOut>))
)]
pub async fn list_deals(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    RawQuery(raw): RawQuery,
) -> Result<Page<DealOut>, AutoError> {
    let mut q = ListQuery::parse(raw.as_deref())?;
    let filter = deal_filter(&mut q);
    let paging = q.paging();
    let sort = q.sort(&DEAL_SORTS, DealSort::CreatedAt);
    q.finish_known()?;
    let mut conn = app.store.conn().await?;
    let (items, total) = conn
        .deals()
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
        items: items.into_iter().map(DealOut::from).collect(),
        pagination: Pagination::new(paging.page, paging.limit, total),
    })
}

/// `POST /deals` — §4.3 "POST /deals: request body"; 201.
#[utoipa::path(
    post,
    path = "/deals",
    tag = "deals",
    request_body(content = DealIn, description = "The fields to set (JSON object)"),
    responses((status = 201, description = "The deal created", body = Success<DealOut>))
)]
pub async fn create_deal(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    AutoJson(fields): AutoJson<Fields>,
) -> Result<Created<DealOut>, AutoError> {
    let mut body = Body::new(fields, Mode::Create);
    let mut deal = Deal::new(String::new());
    read_deal(&mut body, &mut deal);
    let references = body.finish()?;
    let mut tx = app.store.begin().await?;
    let saved = deals::create(&mut tx, auth.account_id, Draft::new(deal, references)).await?;
    tx.commit().await?;
    Ok(Created(saved.into()))
}

/// `GET /deals/:id` — §4.3 endpoints table (served on both prefixes).
#[utoipa::path(
    get,
    path = "/deals/{id}",
    tag = "deals",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    responses((status = 200, description = "The deal", body = Success<DealOut>))
)]
pub async fn get_deal(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Data<DealOut>, AutoError> {
    let id: DealId = path_id(id)?;
    let mut conn = app.store.conn().await?;
    Ok(Data(conn.deals().get(auth.account_id, id).await?.into()))
}

/// `PUT|PATCH /deals/:id` — update, move and close (§4.3 "Closing and
/// moving deals"): `{status: "ganho", value}` wins, `{status: "perdido",
/// loss_reason}` loses, `{phase}` moves.
#[utoipa::path(
    method(put, patch),
    path = "/deals/{id}",
    tag = "deals",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    request_body(content = DealIn, description = "The fields to set (JSON object)"),
    responses((status = 200, description = "The deal updated, moved, won or lost", body = Success<DealOut>))
)]
pub async fn update_deal(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
    body: Result<AutoJson<Fields>, AutoError>,
) -> Result<Data<DealOut>, AutoError> {
    let id: DealId = path_id(id)?;
    let mut tx = app.store.begin().await?;
    let current = deals::lock(&mut tx, auth.account_id, id).await?;
    // The id answers first: a foreign or unknown id is 404 whatever the body.
    let AutoJson(fields) = body?;
    let mut body = Body::new(fields, Mode::Update);
    let mut deal = current.deal.clone();
    read_deal(&mut body, &mut deal);
    let references = body.finish()?;
    let draft = Draft::new(deal, references);
    let saved = deals::update(&mut tx, auth.account_id, current, draft).await?;
    tx.commit().await?;
    Ok(Data(saved.into()))
}

/// `PUT /deals/:id/phase` — the OLD "move in pipeline" call: body
/// `{"phase": "<phase>"}`, required; other fields are ignored.
#[utoipa::path(
    put,
    path = "/deals/{id}/phase",
    tag = "deals",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    request_body(content = PhaseIn, description = "The new phase"),
    responses((status = 200, description = "The deal in its new phase", body = Success<DealOut>))
)]
pub async fn move_deal_phase(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
    body: Result<AutoJson<Fields>, AutoError>,
) -> Result<Data<DealOut>, AutoError> {
    let id: DealId = path_id(id)?;
    let mut tx = app.store.begin().await?;
    let current = deals::lock(&mut tx, auth.account_id, id).await?;
    // Create mode: here `phase` is required even though deals default it.
    // The id answers first: a foreign or unknown id is 404 whatever the body.
    let AutoJson(fields) = body?;
    let mut body = Body::new(fields, Mode::Create);
    let mut phase = current.deal.phase.clone();
    body.parsed_required("phase", &mut phase, |s| DealPhase::parse("phase", s));
    body.finish()?;
    let saved = deals::move_phase(&mut tx, auth.account_id, current, phase).await?;
    tx.commit().await?;
    Ok(Data(saved.into()))
}

/// `DELETE /deals/:id` — archives (§3.13): 200 with the deal.
#[utoipa::path(
    delete,
    path = "/deals/{id}",
    tag = "deals",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    responses((status = 200, description = "The deal, now archived", body = Success<DealOut>))
)]
pub async fn archive_deal(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Data<DealOut>, AutoError> {
    let id: DealId = path_id(id)?;
    let mut tx = app.store.begin().await?;
    let saved = deals::archive(&mut tx, auth.account_id, id).await?;
    tx.commit().await?;
    Ok(Data(saved.into()))
}
