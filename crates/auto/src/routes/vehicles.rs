//! `/vehicles` — ecosys-auto-api.md §4.2 (and §6 for `/v1`).

use axum::extract::rejection::PathRejection;
use axum::extract::{OriginalUri, Path, RawQuery, State};
use chrono::Datelike;
use uuid::Uuid;
use vitrine_app::crm::vehicles;
use vitrine_app::Draft;
use vitrine_core::doc::Strictness;
use vitrine_core::filters::VehicleSort;
use vitrine_core::ids::{AccountId, ClientId, StoreId, VehicleId};
use vitrine_core::text::{MAX_NAME, MAX_SHORT, MAX_TEXT};
use vitrine_core::vehicle::{
    parse_chassis, parse_doors, parse_label, parse_mileage, parse_plate, parse_renavam, parse_year,
    Vehicle, VehiclePhase, VehicleStatus,
};

use super::params::{path_id, strictness};
use crate::extract::{ApiKeyAuth, AutoJson};
use crate::openapi::{ListParams, Paged, Success};
use crate::AutoError;
use crate::AutoState;
use vitrine_auto_wire::body::{Body, Fields, Mode, Reference};
use vitrine_auto_wire::envelope::{Created, Data, Page, Pagination};
use vitrine_auto_wire::inputs::VehicleIn;
use vitrine_auto_wire::lists::{vehicle_filter, VEHICLE_SORTS};
use vitrine_auto_wire::out::VehicleOut;
use vitrine_auto_wire::query::ListQuery;

/// Applies a body to a vehicle. `store` is the vehicle's store (`None`
/// on creation); `fallback` is the store used when the body has none (the
/// `/v1` default store, §6).
fn read_vehicle(
    body: &mut Body,
    v: &mut Vehicle,
    store: &mut Option<StoreId>,
    fallback: Option<StoreId>,
    strictness: Strictness,
) {
    let year = chrono::Utc::now().year();
    body.text("title", MAX_NAME, &mut v.title);
    match fallback {
        Some(default) if !body.has("store_id") => *store = Some(default),
        _ => body.required_reference("store_id", store, Reference::Store),
    }
    body.opt_text("brand", MAX_SHORT, &mut v.brand);
    body.opt_text("model", MAX_SHORT, &mut v.model);
    body.opt_text("version", MAX_SHORT, &mut v.version);
    body.opt_int("year_model", &mut v.year_model, |n| {
        parse_year("year_model", n, year)
    });
    body.opt_int("year_manufacture", &mut v.year_manufacture, |n| {
        parse_year("year_manufacture", n, year)
    });
    body.opt_money("price", &mut v.price);
    body.opt_money("purchase_price", &mut v.purchase_price);
    body.opt_int("mileage", &mut v.mileage, |n| parse_mileage("mileage", n));
    body.opt_text("color", MAX_SHORT, &mut v.color);
    body.opt_parsed("fuel", &mut v.fuel, |s| {
        parse_label("fuel", s).map(Option::unwrap_or_default)
    });
    body.opt_parsed("transmission", &mut v.transmission, |s| {
        parse_label("transmission", s).map(Option::unwrap_or_default)
    });
    body.opt_parsed("plate", &mut v.plate, |s| parse_plate("plate", s));
    body.reference("client_id", &mut v.client_id, Reference::Client);
    body.parsed("phase", &mut v.phase, |s| VehiclePhase::parse("phase", s));
    body.parsed("status", &mut v.status, |s| {
        VehicleStatus::parse("status", s)
    });
    body.opt_text("fipe_code", MAX_SHORT, &mut v.fipe_code);
    body.opt_money("fipe_price", &mut v.fipe_price);
    body.opt_parsed("body_type", &mut v.body_type, |s| {
        parse_label("body_type", s).map(Option::unwrap_or_default)
    });
    body.opt_int("doors", &mut v.doors, |n| parse_doors("doors", n));
    body.opt_text("engine", MAX_SHORT, &mut v.engine);
    body.opt_parsed("chassis", &mut v.chassis, |s| parse_chassis("chassis", s));
    body.opt_parsed("renavam", &mut v.renavam, |s| {
        parse_renavam("renavam", s, strictness)
    });
    body.opt_text("description", MAX_TEXT, &mut v.description);
    body.opt_list("features", MAX_NAME, &mut v.features);
    body.opt_urls("photos", &mut v.photos);
}

/// A vehicle list, for `GET /vehicles` and `GET /clients/:id/vehicles`
/// (`client` then overrides any `client_id` filter).
pub(crate) async fn list(
    app: &AutoState,
    account: AccountId,
    raw: Option<&str>,
    client: Option<ClientId>,
) -> Result<Page<VehicleOut>, AutoError> {
    let mut q = ListQuery::parse(raw)?;
    let mut filter = vehicle_filter(&mut q);
    if client.is_some() {
        filter.client_id = client;
    }
    let paging = q.paging();
    let sort = q.sort(&VEHICLE_SORTS, VehicleSort::CreatedAt);
    q.finish_known()?;
    let mut conn = app.store.conn().await?;
    let (items, total) = conn
        .vehicles()
        .list(
            account,
            &filter,
            sort.field,
            sort.descending,
            paging.limit,
            paging.offset(),
        )
        .await?;
    Ok(Page {
        items: items.into_iter().map(VehicleOut::from).collect(),
        pagination: Pagination::new(paging.page, paging.limit, total),
    })
}

/// `GET /vehicles` — §4.2 "GET /vehicles: query parameters".
#[utoipa::path(
    get,
    path = "/vehicles",
    tag = "vehicles",
    params(ListParams, ("status" = Option<String>, Query, description = "Filter by `status`"), ("phase" = Option<String>, Query, description = "Filter by `phase`"), ("brand" = Option<String>, Query, description = "Filter by `brand`"), ("model" = Option<String>, Query, description = "Filter by `model`"), ("color" = Option<String>, Query, description = "Filter by `color`"), ("fuel" = Option<String>, Query, description = "Filter by `fuel`"), ("transmission" = Option<String>, Query, description = "Filter by `transmission`"), ("store_id" = Option<String>, Query, description = "Filter by `store_id`"), ("client_id" = Option<String>, Query, description = "Filter by `client_id`"), ("price_min" = Option<String>, Query, description = "Filter by `price_min`"), ("price_max" = Option<String>, Query, description = "Filter by `price_max`"), ("year_min" = Option<String>, Query, description = "Filter by `year_min`"), ("year_max" = Option<String>, Query, description = "Filter by `year_max`")),
    responses((status = 200, description = "A page of vehicles", body = Paged<VehicleOut>))
)]
pub async fn list_vehicles(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    RawQuery(raw): RawQuery,
) -> Result<Page<VehicleOut>, AutoError> {
    list(&app, auth.account_id, raw.as_deref(), None).await
}

/// `POST /vehicles` — §4.2 "POST /vehicles: request body"; 201. On `/v1`
/// a missing `store_id` falls back to the account's first store (§6).
#[utoipa::path(
    post,
    path = "/vehicles",
    tag = "vehicles",
    request_body(content = VehicleIn, description = "The fields to set (JSON object)"),
    responses((status = 201, description = "The vehicle created", body = Success<VehicleOut>))
)]
pub async fn create_vehicle(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    OriginalUri(uri): OriginalUri,
    AutoJson(fields): AutoJson<Fields>,
) -> Result<Created<VehicleOut>, AutoError> {
    let strictness = strictness(&app.store, auth.account_id).await?;
    let fallback = if uri.path().starts_with("/v1/") {
        let mut conn = app.store.conn().await?;
        conn.stores()
            .list(auth.account_id)
            .await?
            .first()
            .map(|s| StoreId(s.id))
    } else {
        None
    };
    let mut body = Body::new(fields, Mode::Create);
    let mut store = None;
    let mut vehicle = Vehicle::new(String::new(), StoreId(Uuid::nil()));
    let defaults = vehicle.clone();
    read_vehicle(&mut body, &mut vehicle, &mut store, fallback, strictness);
    if let Err(e) = vehicle.reconcile_sale(&defaults) {
        body.problems.push(e);
    }
    let references = body.finish()?;
    // Once the body passed, `store_id` was sent (it is required): as an
    // id, or malformed, which names no store (the nil id neither) and is
    // answered `not_found` with the other references.
    vehicle.store_id = store.unwrap_or(StoreId(Uuid::nil()));
    let mut tx = app.store.begin().await?;
    let saved = vehicles::create(&mut tx, auth.account_id, Draft::new(vehicle, references)).await?;
    tx.commit().await?;
    Ok(Created(saved.into()))
}

/// `GET /vehicles/:id` — §4.2 "Other operations"; archived ones too.
#[utoipa::path(
    get,
    path = "/vehicles/{id}",
    tag = "vehicles",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    responses((status = 200, description = "The vehicle", body = Success<VehicleOut>))
)]
pub async fn get_vehicle(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Data<VehicleOut>, AutoError> {
    let id: VehicleId = path_id(id)?;
    let mut conn = app.store.conn().await?;
    Ok(Data(conn.vehicles().get(auth.account_id, id).await?.into()))
}

/// `PUT|PATCH /vehicles/:id` — partial update (§3.12); the quickstart's
/// `updateVehicle`.
#[utoipa::path(
    method(put, patch),
    path = "/vehicles/{id}",
    tag = "vehicles",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    request_body(content = VehicleIn, description = "The fields to set (JSON object)"),
    responses((status = 200, description = "The vehicle updated", body = Success<VehicleOut>))
)]
pub async fn update_vehicle(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
    body: Result<AutoJson<Fields>, AutoError>,
) -> Result<Data<VehicleOut>, AutoError> {
    let id: VehicleId = path_id(id)?;
    let strictness = strictness(&app.store, auth.account_id).await?;
    let mut tx = app.store.begin().await?;
    let current = vehicles::lock(&mut tx, auth.account_id, id).await?;
    // The id answers first: a foreign or unknown id is 404 whatever the body.
    let AutoJson(fields) = body?;
    let mut body = Body::new(fields, Mode::Update);
    let mut vehicle = current.vehicle.clone();
    let mut store = Some(vehicle.store_id);
    read_vehicle(&mut body, &mut vehicle, &mut store, None, strictness);
    if let Err(e) = vehicle.reconcile_sale(&current.vehicle) {
        body.problems.push(e);
    }
    let references = body.finish()?;
    if let Some(store) = store {
        vehicle.store_id = store;
    }
    let draft = Draft::new(vehicle, references);
    let saved = vehicles::update(&mut tx, auth.account_id, current, draft).await?;
    tx.commit().await?;
    Ok(Data(saved.into()))
}

/// `DELETE /vehicles/:id` — archives (§3.13): 200 with the vehicle,
/// idempotent; deals are untouched.
#[utoipa::path(
    delete,
    path = "/vehicles/{id}",
    tag = "vehicles",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    responses((status = 200, description = "The vehicle, now archived", body = Success<VehicleOut>))
)]
pub async fn archive_vehicle(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Data<VehicleOut>, AutoError> {
    let id: VehicleId = path_id(id)?;
    let mut tx = app.store.begin().await?;
    let saved = vehicles::archive(&mut tx, auth.account_id, id).await?;
    tx.commit().await?;
    Ok(Data(saved.into()))
}
