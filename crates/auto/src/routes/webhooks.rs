//! `/webhooks` — ecosys-auto-api.md §4.6: endpoints with their delivery
//! statistics, plus the extensions to read deliveries and their attempts
//! and to redeliver one by hand. The signing secret is shown once, in the
//! create response (docs/webhooks.md, docs/security.md).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use vitrine_app::webhooks::{self, create_endpoint, update_endpoint, EndpointPatch};
use vitrine_core::ids::{DeliveryId, WebhookId};
use vitrine_core::text::MAX_SHORT;
use vitrine_core::webhook::{self, Endpoint};

use super::params::path_id;
use crate::extract::{ApiKeyAuth, AutoJson};
use crate::openapi::{ListParams, Paged, Success};
use crate::AutoError;
use crate::AutoState;
use vitrine_auto_wire::body::{Body, Fields, Mode};
use vitrine_auto_wire::envelope::{Created, Data, Page, Pagination};
use vitrine_auto_wire::inputs::WebhookIn;
use vitrine_auto_wire::out::{AttemptOut, DeletedOut, DeliveryOut, WebhookOut};
use vitrine_auto_wire::query::ListQuery;

/// Reads what a body names: `url` and `events` required on creation,
/// `active` optional.
fn read_endpoint(body: &mut Body) -> EndpointPatch {
    let mut patch = EndpointPatch::default();
    let before = body.problems.len();
    let mut url = String::new();
    body.parsed_required("url", &mut url, |s| webhook::parse_url("url", s));
    if body.has("url") && body.problems.len() == before {
        patch.url = Some(url);
    }
    if body.has("events") {
        let mut items = Vec::new();
        let before = body.problems.len();
        body.list("events", MAX_SHORT, &mut items);
        if body.problems.len() == before {
            match webhook::parse_events("events", &items) {
                Ok(v) => patch.events = Some(v),
                Err(problems) => body.problems.extend(problems),
            }
        }
    } else if body.mode() == Mode::Create {
        body.problems
            .push(vitrine_core::FieldError::required("events"));
    }
    if body.has("active") {
        let mut active = true;
        body.boolean("active", &mut active);
        patch.active = Some(active);
    }
    patch
}

/// The body's problems (an unknown event name carries the accepted ones
/// in `details.allowed`, core's `parse_events`).
fn finish(body: Body) -> Result<(), AutoError> {
    body.finish()?;
    Ok(())
}

/// `GET /webhooks` — §4.6 list (with `pagination`, a superset).
#[utoipa::path(
    get,
    path = "/webhooks",
    tag = "webhooks",
    params(ListParams),
    responses((status = 200, description = "A page of webhook endpoints", body = Paged<WebhookOut>))
)]
pub async fn list_webhooks(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    RawQuery(raw): RawQuery,
) -> Result<Page<WebhookOut>, AutoError> {
    let mut q = ListQuery::parse(raw.as_deref())?;
    let paging = q.paging();
    q.finish()?;
    let mut conn = app.store.conn().await?;
    let (items, total) = conn
        .webhooks()
        .list(auth.account_id, paging.limit, paging.offset())
        .await?;
    Ok(Page {
        items: items.into_iter().map(WebhookOut::from).collect(),
        pagination: Pagination::new(paging.page, paging.limit, total),
    })
}

/// `POST /webhooks` — 201 with the signing secret, shown this once. The
/// target must be public (unless the server allows private targets), and
/// an account has at most 16 endpoints (422 past that).
#[utoipa::path(
    post,
    path = "/webhooks",
    tag = "webhooks",
    request_body(content = WebhookIn, description = "The fields to set (JSON object)"),
    responses((status = 201, description = "The endpoint created, with its `secret` (shown once)", body = Success<WebhookOut>))
)]
pub async fn create_webhook(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    AutoJson(fields): AutoJson<Fields>,
) -> Result<Created<WebhookOut>, AutoError> {
    let mut body = Body::new(fields, Mode::Create);
    let patch = read_endpoint(&mut body);
    let mut secret = None;
    body.opt_parsed("secret", &mut secret, |s| {
        webhook::parse_secret("secret", s)
    });
    finish(body)?;
    let endpoint = Endpoint {
        url: patch.url.unwrap_or_default(),
        events: patch.events.unwrap_or_default(),
        active: patch.active.unwrap_or(true),
    };
    let (saved, secret) = create_endpoint(
        &app.store,
        &app.webhook_targets,
        auth.account_id,
        endpoint,
        secret,
    )
    .await?;
    Ok(Created(WebhookOut::from(saved).with_secret(secret)))
}

/// `GET /webhooks/:id` — extension (§4.6); never the secret.
#[utoipa::path(
    get,
    path = "/webhooks/{id}",
    tag = "webhooks",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    responses((status = 200, description = "The endpoint", body = Success<WebhookOut>))
)]
pub async fn get_webhook(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Data<WebhookOut>, AutoError> {
    let id: WebhookId = path_id(id)?;
    let mut conn = app.store.conn().await?;
    Ok(Data(conn.webhooks().get(auth.account_id, id).await?.into()))
}

/// `PUT|PATCH /webhooks/:id` — extension: `url`, `events`, `active`.
/// Turning an endpoint back on clears its failure streak; a new URL is
/// checked like on creation.
#[utoipa::path(
    method(put, patch),
    path = "/webhooks/{id}",
    tag = "webhooks",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    request_body(content = WebhookIn, description = "The fields to set (JSON object)"),
    responses((status = 200, description = "The endpoint updated", body = Success<WebhookOut>))
)]
pub async fn update_webhook(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
    body: Result<AutoJson<Fields>, AutoError>,
) -> Result<Data<WebhookOut>, AutoError> {
    let id: WebhookId = path_id(id)?;
    // The id answers first: a foreign or unknown id is 404 whatever the body.
    app.store
        .conn()
        .await?
        .webhooks()
        .get(auth.account_id, id)
        .await?;
    let AutoJson(fields) = body?;
    let mut body = Body::new(fields, Mode::Update);
    let patch = read_endpoint(&mut body);
    finish(body)?;
    let saved =
        update_endpoint(&app.store, &app.webhook_targets, auth.account_id, id, patch).await?;
    Ok(Data(saved.into()))
}

/// `DELETE /webhooks/:id` — hard delete with its deliveries (§3.13).
#[utoipa::path(
    delete,
    path = "/webhooks/{id}",
    tag = "webhooks",
    params(("id" = String, Path, description = "The record's id (UUID)")),
    responses((status = 200, description = "`{id, deleted: true}`", body = Success<DeletedOut>))
)]
pub async fn delete_webhook(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Data<DeletedOut>, AutoError> {
    let id: WebhookId = path_id(id)?;
    let mut tx = app.store.begin().await?;
    webhooks::delete_endpoint(&mut tx, auth.account_id, id).await?;
    tx.commit().await?;
    Ok(Data(DeletedOut::new(id)))
}

/// `GET /webhooks/:id/deliveries` — extension: the endpoint's deliveries,
/// newest first.
#[utoipa::path(
    get,
    path = "/webhooks/{id}/deliveries",
    tag = "webhooks",
    params(("id" = String, Path, description = "The record's id (UUID)"), ListParams),
    responses((status = 200, description = "A page of the endpoint's deliveries, newest first", body = Paged<DeliveryOut>))
)]
pub async fn list_deliveries(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Page<DeliveryOut>, AutoError> {
    let id: WebhookId = path_id(id)?;
    let mut q = ListQuery::parse(raw.as_deref())?;
    let paging = q.paging();
    q.finish()?;
    let mut conn = app.store.conn().await?;
    conn.webhooks().get(auth.account_id, id).await?;
    let (items, total) = conn
        .webhooks()
        .deliveries(auth.account_id, id, paging.limit, paging.offset())
        .await?;
    Ok(Page {
        items: items.into_iter().map(DeliveryOut::from).collect(),
        pagination: Pagination::new(paging.page, paging.limit, total),
    })
}

fn delivery_path(
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<(WebhookId, DeliveryId), AutoError> {
    let Path((w, d)) = path.map_err(|_| AutoError::NotFound)?;
    let w = w.parse().map_err(|_| AutoError::NotFound)?;
    let d = d.parse().map_err(|_| AutoError::NotFound)?;
    Ok((w, d))
}

/// `GET /webhooks/:id/deliveries/:delivery_id` — extension: one delivery
/// with every attempt (status, latency, length of the answer, error).
#[utoipa::path(
    get,
    path = "/webhooks/{id}/deliveries/{delivery_id}",
    tag = "webhooks",
    params(("id" = String, Path, description = "The record's id (UUID)"), ("delivery_id" = String, Path, description = "The delivery's id (UUID)")),
    responses((status = 200, description = "The delivery with every attempt", body = Success<DeliveryOut>))
)]
pub async fn get_delivery(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Data<DeliveryOut>, AutoError> {
    let (webhook, id) = delivery_path(path)?;
    let mut conn = app.store.conn().await?;
    let delivery = conn
        .webhooks()
        .delivery(auth.account_id, webhook, id)
        .await?;
    let attempts = conn.webhooks().attempts(auth.account_id, id).await?;
    let attempts = attempts.into_iter().map(AttemptOut::from).collect();
    Ok(Data(DeliveryOut::from(delivery).with_attempts(attempts)))
}

/// `POST /webhooks/:id/deliveries/:delivery_id/redeliver` — extension:
/// queue the delivery again, due now, with a fresh round of tries. The
/// endpoint must be active for it to go out.
#[utoipa::path(
    post,
    path = "/webhooks/{id}/deliveries/{delivery_id}/redeliver",
    tag = "webhooks",
    params(("id" = String, Path, description = "The record's id (UUID)"), ("delivery_id" = String, Path, description = "The delivery's id (UUID)")),
    responses((status = 200, description = "The delivery, queued again", body = Success<DeliveryOut>))
)]
pub async fn redeliver(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Data<DeliveryOut>, AutoError> {
    let (webhook, id) = delivery_path(path)?;
    let mut tx = app.store.begin().await?;
    let saved = webhooks::redeliver(&mut tx, auth.account_id, webhook, id).await?;
    tx.commit().await?;
    Ok(Data(saved.into()))
}
