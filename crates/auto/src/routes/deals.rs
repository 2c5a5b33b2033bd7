//! `/deals` — ecosys-auto-api.md §4.3.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use serde::Serialize;
use vitrine_core::deal::{parse_probability, Deal, DealPhase, DealStatus};
use vitrine_core::ids::{ClientId, DealId, StoreId, VehicleId};
use vitrine_core::money::Money;
use vitrine_core::text::{self, MAX_NAME, MAX_SHORT, MAX_TEXT};
use vitrine_core::webhook;
use vitrine_store::deals::{DealFilter, DealRecord, DealSort};

use super::refs::{self, path_id};
use super::vehicles::ClientSummary;
use crate::envelope::{Created, Data, Page, Pagination};
use crate::events;
use crate::extract::{ApiKeyAuth, AutoJson};
use crate::openapi::{ListParams, Paged, Success};
use crate::wire::body::{Body, Fields, Mode, Reference};
use crate::wire::inputs::{DealIn, PhaseIn};
use crate::wire::query::ListQuery;
use crate::wire::{date, money, timestamp};
use crate::{AutoError, AutoState};

/// The embedded `vehicle {id, title}` (§4.3, G21).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VehicleSummary {
    id: String,
    title: Option<String>,
}

/// A deal on the wire: every field, `null` where unset (G5).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DealOut {
    id: String,
    title: String,
    #[serde(serialize_with = "money::opt")]
    #[schema(value_type = Option<f64>)]
    value: Option<Money>,
    phase: &'static str,
    probability: Option<i32>,
    status: &'static str,
    loss_reason: Option<String>,
    client_id: Option<String>,
    client: Option<ClientSummary>,
    vehicle_id: Option<String>,
    vehicle: Option<VehicleSummary>,
    store_id: Option<String>,
    source: Option<String>,
    tags: Vec<String>,
    description: Option<String>,
    expected_close_date: Option<String>,
    responsible_id: Option<String>,
    won_at: Option<String>,
    lost_at: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<DealRecord> for DealOut {
    fn from(r: DealRecord) -> Self {
        let d = r.deal;
        Self {
            id: r.id.to_string(),
            title: d.title,
            value: d.value,
            phase: d.phase.as_str(),
            probability: d.probability,
            status: d.status.as_str(),
            loss_reason: d.loss_reason,
            client_id: d.client_id.map(|c| c.to_string()),
            client: d.client_id.map(|c| ClientSummary::new(c, r.client_name)),
            vehicle_id: d.vehicle_id.map(|v| v.to_string()),
            vehicle: d.vehicle_id.map(|v| VehicleSummary {
                id: v.to_string(),
                title: r.vehicle_title,
            }),
            store_id: d.store_id.map(|s| s.to_string()),
            source: d.source,
            tags: d.tags,
            description: d.description,
            expected_close_date: d.expected_close_date.map(date),
            responsible_id: d.responsible_id,
            won_at: d.won_at.map(timestamp),
            lost_at: d.lost_at.map(timestamp),
            created_at: timestamp(r.created_at),
            updated_at: timestamp(r.updated_at),
        }
    }
}

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
    body.opt_text("responsible_id", MAX_SHORT, &mut d.responsible_id);
}

const SORTS: [(&str, DealSort); 7] = [
    ("created_at", DealSort::CreatedAt),
    ("updated_at", DealSort::UpdatedAt),
    ("title", DealSort::Title),
    ("value", DealSort::Value),
    ("phase", DealSort::Phase),
    ("probability", DealSort::Probability),
    ("expected_close_date", DealSort::ExpectedCloseDate),
];

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
    let from = q.date("from");
    let to = q.date("to");
    let filter = DealFilter {
        status: q.parsed("status", DealStatus::parse),
        phase: q.parsed("phase", DealPhase::parse),
        client_id: q.id::<ClientId>("client_id"),
        vehicle_id: q.id::<VehicleId>("vehicle_id"),
        store_id: q.id::<StoreId>("store_id"),
        responsible_id: q.text("responsible_id"),
        source: q.text("source"),
        min_value: q.money("min_value"),
        max_value: q.money("max_value"),
        created_from: from.map(ListQuery::day_start),
        // `to` is inclusive: everything before the next day starts.
        created_before: to.and_then(|d| d.succ_opt()).map(ListQuery::day_start),
        search: q.search(),
    };
    let paging = q.paging();
    let sort = q.sort(&SORTS, DealSort::CreatedAt);
    q.finish()?;
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
    deal.settle(None, vitrine_store::now());
    let mut tx = app.store.begin().await?;
    refs::verify(&mut tx, auth.account_id, &references).await?;
    let saved = tx
        .deals()
        .insert(auth.account_id, DealId::new(), &deal)
        .await?;
    let out = DealOut::from(saved);
    events::emit(&mut tx, auth.account_id, &["deal.created"], &out).await?;
    tx.commit().await?;
    Ok(Created(out))
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
    let mut deal = tx.deals().get_for_update(auth.account_id, id).await?.deal;
    let previous = deal.clone();
    let before = deal.status;
    // The id answers first: a foreign or unknown id is 404 whatever the body.
    let AutoJson(fields) = body?;
    let mut body = Body::new(fields, Mode::Update);
    read_deal(&mut body, &mut deal);
    let references = body.finish()?;
    refs::verify(&mut tx, auth.account_id, &references).await?;
    deal.settle(Some(before), vitrine_store::now());
    let saved = tx.deals().update(auth.account_id, id, &deal).await?;
    let out = DealOut::from(saved);
    let names = webhook::deal_update_events(&previous, &deal);
    events::emit(&mut tx, auth.account_id, &names, &out).await?;
    tx.commit().await?;
    Ok(Data(out))
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
    let mut deal = tx.deals().get_for_update(auth.account_id, id).await?.deal;
    let previous = deal.clone();
    // Create mode: here `phase` is required even though deals default it.
    // The id answers first: a foreign or unknown id is 404 whatever the body.
    let AutoJson(fields) = body?;
    let mut body = Body::new(fields, Mode::Create);
    body.parsed_required("phase", &mut deal.phase, |s| DealPhase::parse("phase", s));
    body.finish()?;
    let saved = tx.deals().update(auth.account_id, id, &deal).await?;
    let out = DealOut::from(saved);
    let names = webhook::deal_update_events(&previous, &deal);
    events::emit(&mut tx, auth.account_id, &names, &out).await?;
    tx.commit().await?;
    Ok(Data(out))
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
    let mut deal = tx.deals().get_for_update(auth.account_id, id).await?.deal;
    let previous = deal.clone();
    let before = deal.status;
    deal.status = DealStatus::Arquivado;
    deal.settle(Some(before), vitrine_store::now());
    let saved = tx.deals().update(auth.account_id, id, &deal).await?;
    let out = DealOut::from(saved);
    let names = webhook::deal_update_events(&previous, &deal);
    events::emit(&mut tx, auth.account_id, &names, &out).await?;
    tx.commit().await?;
    Ok(Data(out))
}
