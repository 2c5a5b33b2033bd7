//! `/clients` — ecosys-auto-api.md §4.1.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use vitrine_app::crm::clients;
use vitrine_app::Draft;
use vitrine_core::client::{
    parse_cnpj, parse_cpf, parse_state, parse_zip, Client, ClientStatus, ClientType, Segment,
};
use vitrine_core::doc::Strictness;
use vitrine_core::filters::ClientSort;
use vitrine_core::ids::ClientId;
use vitrine_core::text::{self, MAX_NAME, MAX_PHONE, MAX_SHORT, MAX_TEXT};

use super::params::{path_id, strictness};
use super::vehicles;
use crate::extract::{ApiKeyAuth, AutoJson};
use crate::openapi::{ErrorBody, ListParams, Paged, Success};
use crate::AutoError;
use crate::AutoState;
use vitrine_auto_wire::body::{Body, Fields, Mode, Reference};
use vitrine_auto_wire::envelope::{Created, Data, Page, Pagination};
use vitrine_auto_wire::inputs::ClientIn;
use vitrine_auto_wire::lists::{client_filter, CLIENT_SORTS};
use vitrine_auto_wire::out::{ClientOut, VehicleOut};
use vitrine_auto_wire::query::ListQuery;

/// Applies a body to a client (creation starts from a blank one).
fn read_client(body: &mut Body, c: &mut Client, strictness: Strictness) {
    body.parsed_required("type", &mut c.kind, |s| ClientType::parse("type", s));
    body.text("name", MAX_NAME, &mut c.name);
    body.opt_text("display_name", MAX_NAME, &mut c.display_name);
    body.opt_parsed("email", &mut c.email, |s| {
        text::email("email", s).map(Option::unwrap_or_default)
    });
    body.opt_text("phone", MAX_PHONE, &mut c.phone);
    body.opt_text("mobile_phone", MAX_PHONE, &mut c.mobile_phone);
    body.opt_text("whatsapp", MAX_PHONE, &mut c.whatsapp);
    body.opt_parsed("cpf", &mut c.cpf, |s| parse_cpf("cpf", s, strictness));
    body.opt_text("rg", MAX_SHORT, &mut c.rg);
    body.opt_parsed("birth_date", &mut c.birth_date, |s| {
        text::date("birth_date", s)
    });
    body.opt_text("gender", MAX_SHORT, &mut c.gender);
    body.opt_text("marital_status", MAX_SHORT, &mut c.marital_status);
    body.opt_text("nationality", MAX_SHORT, &mut c.nationality);
    body.opt_parsed("cnpj", &mut c.cnpj, |s| parse_cnpj("cnpj", s, strictness));
    body.opt_text("legal_name", MAX_NAME, &mut c.legal_name);
    body.opt_text("trade_name", MAX_NAME, &mut c.trade_name);
    body.opt_text("state_registration", MAX_SHORT, &mut c.state_registration);
    body.opt_parsed("segment", &mut c.segment, |s| Segment::parse("segment", s));
    body.opt_text("source", MAX_SHORT, &mut c.source);
    body.parsed("status", &mut c.status, |s| {
        ClientStatus::parse("status", s)
    });
    body.reference("store_id", &mut c.store_id, Reference::Store);
    match body.object("address") {
        None => {}
        Some(None) => c.address = None,
        Some(Some(mut sub)) => {
            let mut a = c.address.clone().unwrap_or_default();
            sub.opt_text("street", MAX_NAME, &mut a.street);
            sub.opt_text("number", MAX_SHORT, &mut a.number);
            sub.opt_text("complement", MAX_NAME, &mut a.complement);
            sub.opt_text("neighborhood", MAX_SHORT, &mut a.neighborhood);
            sub.opt_text("city", MAX_SHORT, &mut a.city);
            sub.opt_parsed("state", &mut a.state, |s| parse_state("address.state", s));
            sub.opt_parsed("zip_code", &mut a.zip_code, |s| {
                parse_zip("address.zip_code", s)
            });
            sub.opt_text("country", MAX_SHORT, &mut a.country);
            body.absorb(sub);
            c.address = (!a.is_empty()).then_some(a);
        }
    }
    body.opt_text("notes", MAX_TEXT, &mut c.notes);
    body.list("tags", MAX_SHORT, &mut c.tags);
}

/// `GET /clients` — §4.1 "GET /clients: query parameters".
#[utoipa::path(
    get,
    path = "/clients",
    tag = "clients",
    params(ListParams, ("type" = Option<String>, Query, description = "Filter by `type`"), ("status" = Option<String>, Query, description = "Filter by `status`"), ("segment" = Option<String>, Query, description = "Filter by `segment`"), ("store_id" = Option<String>, Query, description = "Filter by `store_id`")),
    responses((status = 200, description = "A page of clients", body = Paged<ClientOut>))
)]
pub async fn list_clients(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    RawQuery(raw): RawQuery,
) -> Result<Page<ClientOut>, AutoError> {
    let mut q = ListQuery::parse(raw.as_deref())?;
    let filter = client_filter(&mut q);
    let paging = q.paging();
    let sort = q.sort(&CLIENT_SORTS, ClientSort::CreatedAt);
    q.finish_known()?;
    let mut conn = app.store.conn().await?;
    let (items, total) = conn
        .clients()
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
        items: items.into_iter().map(ClientOut::from).collect(),
        pagination: Pagination::new(paging.page, paging.limit, total),
    })
}

/// `POST /clients` — §4.1 "POST /clients: request body"; 201.
#[utoipa::path(
    post,
    path = "/clients",
    tag = "clients",
    request_body(content = ClientIn, description = "The fields to set (JSON object)"),
    responses((status = 201, description = "The client created", body = Success<ClientOut>), (status = 409, description = "`DUPLICATE_ENTRY`: another client holds this CPF/CNPJ", body = ErrorBody))
)]
pub async fn create_client(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    AutoJson(fields): AutoJson<Fields>,
) -> Result<Created<ClientOut>, AutoError> {
    let strictness = strictness(&app.store, auth.account_id).await?;
    let mut body = Body::new(fields, Mode::Create);
    let mut client = Client::new(ClientType::Pf, String::new());
    read_client(&mut body, &mut client, strictness);
    let references = body.finish()?;
    let mut tx = app.store.begin().await?;
    let saved = clients::create(&mut tx, auth.account_id, Draft::new(client, references)).await?;
    tx.commit().await?;
    Ok(Created(saved.into()))
}

/// `GET /clients/:id` — §4.1 "Other operations".
#[utoipa::path(
    get,
    path = "/clients/{id}",
    tag = "clients",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    responses((status = 200, description = "The client", body = Success<ClientOut>))
)]
pub async fn get_client(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Data<ClientOut>, AutoError> {
    let id: ClientId = path_id(id)?;
    let mut conn = app.store.conn().await?;
    let record = conn.clients().get(auth.account_id, id).await?;
    Ok(Data(record.into()))
}

/// `PUT|PATCH /clients/:id` — partial update (§3.12).
#[utoipa::path(
    method(put, patch),
    path = "/clients/{id}",
    tag = "clients",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    request_body(content = ClientIn, description = "The fields to set (JSON object)"),
    responses((status = 200, description = "The client updated", body = Success<ClientOut>), (status = 409, description = "`DUPLICATE_ENTRY`: another client holds this CPF/CNPJ", body = ErrorBody))
)]
pub async fn update_client(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
    body: Result<AutoJson<Fields>, AutoError>,
) -> Result<Data<ClientOut>, AutoError> {
    let id: ClientId = path_id(id)?;
    let strictness = strictness(&app.store, auth.account_id).await?;
    let mut tx = app.store.begin().await?;
    let current = clients::lock(&mut tx, auth.account_id, id).await?;
    // The id answers first: a foreign or unknown id is 404 whatever the body.
    let AutoJson(fields) = body?;
    let mut body = Body::new(fields, Mode::Update);
    let mut client = current.client.clone();
    read_client(&mut body, &mut client, strictness);
    let references = body.finish()?;
    let draft = Draft::new(client, references);
    let saved = clients::update(&mut tx, auth.account_id, current, draft).await?;
    tx.commit().await?;
    Ok(Data(saved.into()))
}

/// `DELETE /clients/:id` — deactivates (§3.13): 200 with the client.
#[utoipa::path(
    delete,
    path = "/clients/{id}",
    tag = "clients",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    responses((status = 200, description = "The client, now `inativo`", body = Success<ClientOut>))
)]
pub async fn deactivate_client(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Data<ClientOut>, AutoError> {
    let id: ClientId = path_id(id)?;
    let mut tx = app.store.begin().await?;
    let saved = clients::deactivate(&mut tx, auth.account_id, id).await?;
    tx.commit().await?;
    Ok(Data(saved.into()))
}

/// `GET /clients/:id/vehicles` — the client's vehicles, paginated and
/// filtered like `GET /vehicles` (§4.1 endpoints table).
#[utoipa::path(
    get,
    path = "/clients/{id}/vehicles",
    tag = "clients",
    params(("id" = String, Path, description = "The record's id (UUID)"), ListParams),
    responses((status = 200, description = "A page of the client's vehicles", body = Paged<VehicleOut>))
)]
pub async fn list_client_vehicles(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Page<VehicleOut>, AutoError> {
    let id: ClientId = path_id(id)?;
    let mut conn = app.store.conn().await?;
    if !conn.clients().exists(auth.account_id, id).await? {
        return Err(AutoError::NotFound);
    }
    drop(conn);
    vehicles::list(&app, auth.account_id, raw.as_deref(), Some(id)).await
}
