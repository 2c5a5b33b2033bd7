//! Webhooks: the account's endpoints with their delivery statistics, an
//! endpoint's deliveries log (status, tries, the last answer's HTTP code,
//! times) and "Reenviar", which queues a delivery again through the store
//! call behind the Auto API's `POST /webhooks/:id/deliveries/:id/redeliver`
//! (`Webhooks::redeliver`): due now, a fresh round of tries, sent by the
//! delivery worker like any other.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_core::ids::{DeliveryId, WebhookId};
use vitrine_core::webhook;
use vitrine_store::webhooks::{AttemptRecord, DeliveryRecord};

use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::listing::{self, pager, query_pairs};
use crate::pages::{csrf_field, layout, when, when_opt, Section};
use crate::session::Signed;
use crate::PanelState;

/// Endpoints listed (an account has a handful).
const ENDPOINTS: u32 = 100;

fn status_label(s: &str) -> &str {
    match s {
        "pending" => "Pendente",
        "delivered" => "Entregue",
        "failed" => "Falhou",
        other => other,
    }
}

fn rate(total: i64, failed: i64) -> String {
    webhook::success_rate_tenths(total, failed)
        .map(|t| format!("{},{} %", t / 10, t % 10))
        .unwrap_or_else(|| "—".to_owned())
}

/// GET /painel/webhooks — the endpoints (created through the API).
pub async fn list_webhooks(
    State(state): State<PanelState>,
    signed: Signed,
) -> Result<Markup, PanelError> {
    let (hooks, _) = state
        .store
        .conn()
        .await?
        .webhooks()
        .list(signed.account, ENDPOINTS, 0)
        .await?;
    Ok(layout(
        "Webhooks",
        Some((&signed, Section::Webhooks)),
        html! {
            h1 { "Webhooks" }
            section.card {
                @if hooks.is_empty() {
                    p.muted { "Nenhum webhook cadastrado. Cadastre endpoints pela API (" code { "POST /api/v1/webhooks" } ")." }
                } @else {
                    table id="webhooks" {
                        thead { tr { th { "URL" } th { "Eventos" } th { "Situação" } th { "Entregas" } th { "Sucesso" } th { "Último envio" } } }
                        tbody {
                            @for w in &hooks {
                                tr id={ "webhook-" (w.id) } {
                                    td data-label="URL" { a href={ "/painel/webhooks/" (w.id) } { code { (w.endpoint.url) } } }
                                    td data-label="Eventos" { (w.endpoint.events.join(", ")) }
                                    td data-label="Situação" {
                                        @if w.endpoint.active {
                                            span.badge { "Ativo" }
                                        } @else {
                                            span.badge.off { "Inativo" }
                                            @if let Some(at) = w.disabled_at { " " small.muted { "desativado em " (when(at, signed.zone)) } }
                                        }
                                    }
                                    td data-label="Entregas" { (w.total_deliveries) " (" (w.failed_deliveries) " falharam)" }
                                    td data-label="Sucesso" { (rate(w.total_deliveries, w.failed_deliveries)) }
                                    td data-label="Último envio" { (when_opt(w.last_triggered_at, signed.zone)) }
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}

/// One delivery and its last try.
struct Row {
    delivery: DeliveryRecord,
    last: Option<AttemptRecord>,
}

/// GET /painel/webhooks/{id} — the endpoint's deliveries, newest first,
/// with pagination; another account's endpoint is a 404 page.
pub async fn show_webhook(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(id): IdPath<WebhookId>,
    RawQuery(raw): RawQuery,
) -> Result<Markup, PanelError> {
    let mut q = listing::list_query(raw.as_deref())?;
    let paging = q.paging();
    q.finish().map_err(listing::auto_problems)?;
    let mut conn = state.store.conn().await?;
    let hook = conn.webhooks().get(signed.account, id).await?;
    let (deliveries, total) = conn
        .webhooks()
        .deliveries(signed.account, id, paging.limit, paging.offset())
        .await?;
    let mut rows = Vec::with_capacity(deliveries.len());
    for delivery in deliveries {
        let last = conn
            .webhooks()
            .attempts(signed.account, delivery.id)
            .await?
            .pop();
        rows.push(Row { delivery, last });
    }
    drop(conn);
    let base = format!("/painel/webhooks/{id}");
    Ok(layout(
        "Webhook",
        Some((&signed, Section::Webhooks)),
        html! {
            h1 { "Webhook › " code { (hook.endpoint.url) } }
            p { a href="/painel/webhooks" { "‹ Todos os webhooks" } }
            section.card {
                p {
                    "Eventos: " (hook.endpoint.events.join(", ")) ". "
                    @if hook.endpoint.active { "Ativo." } @else { "Inativo: os reenvios ficam na fila até ele ser reativado." }
                    " Sucesso: " (rate(hook.total_deliveries, hook.failed_deliveries)) "."
                }
            }
            section.card {
                h2 { "Entregas" }
                @if rows.is_empty() {
                    p.muted { "Nenhuma entrega ainda." }
                } @else {
                    table id="entregas" {
                        thead { tr { th { "Evento" } th { "Status" } th { "Tentativas" } th { "Resposta" } th { "Quando" } th { "Ações" } } }
                        tbody {
                            @for r in &rows {
                                @let d = &r.delivery;
                                tr id={ "entrega-" (d.id) } data-status=(d.status) {
                                    td data-label="Evento" { code { (d.event_type) } }
                                    td data-label="Status" {
                                        (status_label(&d.status))
                                        @if let Some(next) = d.next_attempt_at { br; small.muted { "próxima tentativa " (when(next, signed.zone)) } }
                                    }
                                    td data-label="Tentativas" { (d.attempts) }
                                    td data-label="Resposta" {
                                        @match &r.last {
                                            Some(a) => {
                                                @if let Some(code) = a.status_code { "HTTP " (code) } @else { "sem resposta" }
                                                " · " (a.latency_ms) " ms"
                                                @if let Some(e) = &a.error { br; small.muted { (e) } }
                                            }
                                            None => { "—" }
                                        }
                                    }
                                    td data-label="Quando" {
                                        (when(d.created_at, signed.zone))
                                        @if let Some(at) = d.delivered_at { br; small.muted { "entregue " (when(at, signed.zone)) } }
                                    }
                                    td data-label="Ações" {
                                        form.inline method="post" action={ (base) "/entregas/" (d.id) "/reenviar" } {
                                            (csrf_field(&signed.csrf))
                                            button.small type="submit" id={ "reenviar-" (d.id) } { "Reenviar" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                (pager(&base, &query_pairs(raw.as_deref()), paging, total))
            }
        },
    ))
}

/// The "Reenviar" form carries only the CSRF token.
#[derive(Debug, Deserialize)]
pub struct RedeliverForm {}

/// POST /painel/webhooks/{id}/entregas/{delivery_id}/reenviar — back to
/// the queue, due now. Ids not of this account are the 404 page.
pub async fn redeliver(
    State(state): State<PanelState>,
    path: Result<Path<(String, String)>, PathRejection>,
    SignedForm { signed, .. }: SignedForm<RedeliverForm>,
) -> Result<Response, PanelError> {
    let Path((hook, delivery)) = path.map_err(|_| PanelError::NotFound)?;
    let hook: WebhookId = hook.parse().map_err(|_| PanelError::NotFound)?;
    let delivery: DeliveryId = delivery.parse().map_err(|_| PanelError::NotFound)?;
    let mut tx = state.store.begin().await?;
    tx.webhooks()
        .redeliver(signed.account, hook, delivery)
        .await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/painel/webhooks/{hook}")).into_response())
}
