//! `/activities` — ecosys-auto-api.md §4.4 (OLD endpoints, recommended
//! model): tasks, calls, visits and test drives linked to a client, vehicle
//! or deal; hard delete (§3.13).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use vitrine_app::crm::activities;
use vitrine_app::Draft;
use vitrine_core::activity::{self, Activity, ActivityStatus};
use vitrine_core::filters::ActivitySort;
use vitrine_core::ids::ActivityId;
use vitrine_core::listing::Sort;
use vitrine_core::text::{MAX_NAME, MAX_TEXT};

use super::params::path_id;
use crate::extract::{ApiKeyAuth, AutoJson};
use crate::openapi::{ListParams, Paged, Success};
use crate::AutoError;
use crate::AutoState;
use vitrine_auto_wire::body::{Body, Fields, Mode, Reference};
use vitrine_auto_wire::envelope::{Created, Data, Page, Pagination};
use vitrine_auto_wire::inputs::ActivityIn;
use vitrine_auto_wire::lists::{activity_filter, ACTIVITY_SORTS};
use vitrine_auto_wire::out::{ActivityOut, DeletedOut};
use vitrine_auto_wire::query::ListQuery;

/// Applies a body to an activity.
fn read_activity(body: &mut Body, a: &mut Activity) {
    body.text("title", MAX_NAME, &mut a.title);
    body.parsed("type", &mut a.kind, |s| activity::parse_type("type", s));
    body.opt_text("description", MAX_TEXT, &mut a.description);
    body.opt_parsed("due_date", &mut a.due_date, |s| {
        activity::parse_instant("due_date", s)
    });
    body.parsed("status", &mut a.status, |s| {
        ActivityStatus::parse_input("status", s)
    });
    body.reference("client_id", &mut a.client_id, Reference::Client);
    body.reference("vehicle_id", &mut a.vehicle_id, Reference::Vehicle);
    body.reference("deal_id", &mut a.deal_id, Reference::Deal);
    body.reference("store_id", &mut a.store_id, Reference::Store);
    body.user_reference("responsible_id", &mut a.responsible_id);
}

/// `GET /activities` — §4.4 list filters: `status`, `type`, `client_id`,
/// `vehicle_id`, `deal_id`, `store_id`, `responsible_id`, `due_from`,
/// `due_to` (a day is inclusive), `overdue=true`, `search`, `sort`
/// (default `due_date`, ascending, undated last).
#[utoipa::path(
    get,
    path = "/activities",
    tag = "activities",
    params(ListParams, ("type" = Option<String>, Query, description = "Filter by `type`"), ("status" = Option<String>, Query, description = "Filter by `status`"), ("client_id" = Option<String>, Query, description = "Filter by `client_id`"), ("vehicle_id" = Option<String>, Query, description = "Filter by `vehicle_id`"), ("deal_id" = Option<String>, Query, description = "Filter by `deal_id`"), ("store_id" = Option<String>, Query, description = "Filter by `store_id`"), ("responsible_id" = Option<String>, Query, description = "Filter by `responsible_id`"), ("due_from" = Option<String>, Query, description = "Filter by `due_from`"), ("due_to" = Option<String>, Query, description = "Filter by `due_to`"), ("overdue" = Option<String>, Query, description = "Filter by `overdue`")),
    responses((status = 200, description = "A page of activities", body = Paged<ActivityOut>))
)]
pub async fn list_activities(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    RawQuery(raw): RawQuery,
) -> Result<Page<ActivityOut>, AutoError> {
    let mut q = ListQuery::parse(raw.as_deref())?;
    let filter = activity_filter(&mut q);
    let paging = q.paging();
    let sort = q.sort_or(
        &ACTIVITY_SORTS,
        Sort {
            field: ActivitySort::DueDate,
            descending: false,
        },
    );
    q.finish_known()?;
    let mut conn = app.store.conn().await?;
    let (items, total) = conn
        .activities()
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
        items: items.into_iter().map(ActivityOut::from).collect(),
        pagination: Pagination::new(paging.page, paging.limit, total),
    })
}

/// `POST /activities` — 201; emits `activity.created`.
#[utoipa::path(
    post,
    path = "/activities",
    tag = "activities",
    request_body(content = ActivityIn, description = "The fields to set (JSON object)"),
    responses((status = 201, description = "The activity created", body = Success<ActivityOut>))
)]
pub async fn create_activity(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    AutoJson(fields): AutoJson<Fields>,
) -> Result<Created<ActivityOut>, AutoError> {
    let mut body = Body::new(fields, Mode::Create);
    let mut activity = Activity::new(String::new());
    read_activity(&mut body, &mut activity);
    let references = body.finish()?;
    let mut tx = app.store.begin().await?;
    let draft = Draft::new(activity, references);
    let saved = activities::create(&mut tx, auth.account_id, draft).await?;
    tx.commit().await?;
    Ok(Created(saved.into()))
}

/// `GET /activities/:id` — extension (§4.4).
#[utoipa::path(
    get,
    path = "/activities/{id}",
    tag = "activities",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    responses((status = 200, description = "The activity", body = Success<ActivityOut>))
)]
pub async fn get_activity(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Data<ActivityOut>, AutoError> {
    let id: ActivityId = path_id(id)?;
    let mut conn = app.store.conn().await?;
    Ok(Data(
        conn.activities().get(auth.account_id, id).await?.into(),
    ))
}

/// `PUT|PATCH /activities/:id` — partial update (§3.12); emits
/// `activity.updated` (and `activity.completed`). Moving the due date
/// re-arms the due-soon and overdue reminders.
#[utoipa::path(
    method(put, patch),
    path = "/activities/{id}",
    tag = "activities",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    request_body(content = ActivityIn, description = "The fields to set (JSON object)"),
    responses((status = 200, description = "The activity updated", body = Success<ActivityOut>))
)]
pub async fn update_activity(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
    body: Result<AutoJson<Fields>, AutoError>,
) -> Result<Data<ActivityOut>, AutoError> {
    let id: ActivityId = path_id(id)?;
    let mut tx = app.store.begin().await?;
    let current = activities::lock(&mut tx, auth.account_id, id).await?;
    // The id answers first: a foreign or unknown id is 404 whatever the body.
    let AutoJson(fields) = body?;
    let mut body = Body::new(fields, Mode::Update);
    let mut activity = current.activity.clone();
    read_activity(&mut body, &mut activity);
    let references = body.finish()?;
    let draft = Draft::new(activity, references);
    let saved = activities::update(&mut tx, auth.account_id, current, draft).await?;
    tx.commit().await?;
    Ok(Data(saved.into()))
}

/// `DELETE /activities/:id` — hard delete (§3.13): `{id, deleted: true}`;
/// a second call is 404. Emits `activity.deleted` with the last state.
#[utoipa::path(
    delete,
    path = "/activities/{id}",
    tag = "activities",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    responses((status = 200, description = "`{id, deleted: true}`", body = Success<DeletedOut>))
)]
pub async fn delete_activity(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Data<DeletedOut>, AutoError> {
    let id: ActivityId = path_id(id)?;
    let mut tx = app.store.begin().await?;
    activities::delete(&mut tx, auth.account_id, id).await?;
    tx.commit().await?;
    Ok(Data(DeletedOut::new(id)))
}
