//! `/activities` — ecosys-auto-api.md §4.4 (OLD endpoints, recommended
//! model): tasks, calls, visits and test drives linked to a client, vehicle
//! or deal; hard delete (§3.13).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use serde::Serialize;
use vitrine_core::activity::{self, Activity, ActivityStatus};
use vitrine_core::ids::{ActivityId, ClientId, DealId, StoreId, VehicleId};
use vitrine_core::listing::Sort;
use vitrine_core::text::{MAX_NAME, MAX_SHORT, MAX_TEXT};
use vitrine_core::webhook;
use vitrine_store::activities::{ActivityFilter, ActivityRecord, ActivitySort};

use super::refs::{self, path_id};
use crate::envelope::{Created, Data, Page, Pagination};
use crate::events;
use crate::extract::{ApiKeyAuth, AutoJson};
use crate::openapi::{ListParams, Paged, Success};
use crate::wire::body::{Body, Fields, Mode, Reference};
use crate::wire::inputs::ActivityIn;
use crate::wire::query::ListQuery;
use crate::wire::timestamp;
use crate::{AutoError, AutoState};

/// An activity on the wire: every field, `null` where unset (G5), plus
/// `overdue` (pending and past due, computed when rendered).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActivityOut {
    id: String,
    title: String,
    #[serde(rename = "type")]
    kind: String,
    description: Option<String>,
    due_date: Option<String>,
    status: &'static str,
    overdue: bool,
    completed_at: Option<String>,
    client_id: Option<String>,
    vehicle_id: Option<String>,
    deal_id: Option<String>,
    store_id: Option<String>,
    responsible_id: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<ActivityRecord> for ActivityOut {
    fn from(r: ActivityRecord) -> Self {
        let a = r.activity;
        Self {
            id: r.id.to_string(),
            overdue: activity::is_overdue(a.status, a.due_date, vitrine_store::now()),
            title: a.title,
            kind: a.kind,
            description: a.description,
            due_date: a.due_date.map(timestamp),
            status: a.status.as_str(),
            completed_at: a.completed_at.map(timestamp),
            client_id: a.client_id.map(|c| c.to_string()),
            vehicle_id: a.vehicle_id.map(|v| v.to_string()),
            deal_id: a.deal_id.map(|d| d.to_string()),
            store_id: a.store_id.map(|s| s.to_string()),
            responsible_id: a.responsible_id,
            created_at: timestamp(r.created_at),
            updated_at: timestamp(r.updated_at),
        }
    }
}

/// `{"id": …, "deleted": true}` (§3.13).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeletedOut {
    id: String,
    deleted: bool,
}

impl DeletedOut {
    /// The answer for a hard-deleted record.
    pub fn new(id: impl ToString) -> Self {
        Self {
            id: id.to_string(),
            deleted: true,
        }
    }
}

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
    body.opt_text("responsible_id", MAX_SHORT, &mut a.responsible_id);
}

const SORTS: [(&str, ActivitySort); 5] = [
    ("due_date", ActivitySort::DueDate),
    ("created_at", ActivitySort::CreatedAt),
    ("updated_at", ActivitySort::UpdatedAt),
    ("title", ActivitySort::Title),
    ("status", ActivitySort::Status),
];

/// The filters of `GET /activities` (§4.4) read from its query; the
/// panel's list reads the same parameters through this function.
pub fn activity_filter(q: &mut ListQuery) -> ActivityFilter {
    let due_from = q.instant("due_from").map(|(t, _)| t);
    // A bare day as the upper bound includes that whole day.
    let due_before = q.instant("due_to").map(|(t, day)| {
        if day {
            t + chrono::Duration::days(1)
        } else {
            t + chrono::Duration::microseconds(1)
        }
    });
    let overdue = q.flag("overdue");
    ActivityFilter {
        status: q.parsed("status", ActivityStatus::parse_input),
        kind: q.text("type").map(|t| t.to_lowercase()),
        client_id: q.id::<ClientId>("client_id"),
        vehicle_id: q.id::<VehicleId>("vehicle_id"),
        deal_id: q.id::<DealId>("deal_id"),
        store_id: q.id::<StoreId>("store_id"),
        responsible_id: q.text("responsible_id"),
        due_from,
        due_before,
        overdue_at: (overdue == Some(true)).then(vitrine_store::now),
        search: q.search(),
    }
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
        &SORTS,
        Sort {
            field: ActivitySort::DueDate,
            descending: false,
        },
    );
    q.finish()?;
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
    activity.settle(None, vitrine_store::now());
    let mut tx = app.store.begin().await?;
    refs::verify(&mut tx, auth.account_id, &references).await?;
    let saved = tx
        .activities()
        .insert(auth.account_id, ActivityId::new(), &activity)
        .await?;
    let out = ActivityOut::from(saved);
    events::emit(&mut tx, auth.account_id, &["activity.created"], &out).await?;
    tx.commit().await?;
    Ok(Created(out))
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
    let before = tx
        .activities()
        .get_for_update(auth.account_id, id)
        .await?
        .activity;
    // The id answers first: a foreign or unknown id is 404 whatever the body.
    let AutoJson(fields) = body?;
    let mut body = Body::new(fields, Mode::Update);
    let mut activity = before.clone();
    read_activity(&mut body, &mut activity);
    let references = body.finish()?;
    refs::verify(&mut tx, auth.account_id, &references).await?;
    activity.settle(Some(before.status), vitrine_store::now());
    let rearm = activity.rescheduled(&before);
    let saved = tx
        .activities()
        .update(auth.account_id, id, &activity, rearm)
        .await?;
    let out = ActivityOut::from(saved);
    let names = webhook::activity_update_events(&before, &activity);
    events::emit(&mut tx, auth.account_id, &names, &out).await?;
    tx.commit().await?;
    Ok(Data(out))
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
    let last = tx.activities().get_for_update(auth.account_id, id).await?;
    tx.activities().delete(auth.account_id, id).await?;
    let out = ActivityOut::from(last);
    events::emit(&mut tx, auth.account_id, &["activity.deleted"], &out).await?;
    tx.commit().await?;
    Ok(Data(DeletedOut::new(id)))
}
