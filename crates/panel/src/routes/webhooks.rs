//! Webhooks: the account's endpoints with their health (counted try by
//! try), creating (the signing secret shown once), editing, disabling and
//! enabling one, its deliveries log, one delivery's payload and every
//! answer received (status and length, never the body), and "Reenviar".
//!
//! Every write is a use case behind the Auto API's `/webhooks` too
//! (`vitrine_app::webhooks`: the same target policy, endpoint cap and row
//! lock; redelivery like `POST /webhooks/:id/deliveries/:id/redeliver`).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_app::webhooks::{self as endpoints, create_endpoint, update_endpoint, EndpointPatch};
use vitrine_core::ids::{DeliveryId, WebhookId};
use vitrine_core::records::{AttemptRecord, DeliveryRecord, WebhookRecord};
use vitrine_core::time_zone::TimeZone;
use vitrine_core::webhook::{self, Endpoint, EVENTS, RESOURCES, WILDCARD};
use vitrine_core::FieldError;

use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::listing::{self, pager, query_pairs};
use crate::pages::{copy_field, csrf_field, layout, when, when_opt, Section};
use crate::session::Signed;
use crate::PanelState;

/// Endpoints listed: all of them (an account registers at most 16; one
/// from before the cap may have more).
const ENDPOINTS: u32 = 100;

fn status_label(s: &str) -> &str {
    match s {
        "pending" => "Pendente",
        "delivered" => "Entregue",
        "failed" => "Falhou",
        other => other,
    }
}

fn resource_label(r: &str) -> &str {
    match r {
        "vehicle" => "Veículos",
        "client" => "Clientes",
        "deal" => "Negócios",
        "activity" => "Atividades",
        "financial" => "Financeiro",
        other => other,
    }
}

fn rate(total: i64, failed: i64) -> String {
    webhook::success_rate_tenths(total, failed)
        .map(|t| format!("{},{} %", t / 10, t % 10))
        .unwrap_or_else(|| "—".to_owned())
}

/// The last try as a person reads it: the HTTP status or the error.
fn last_try(w: &WebhookRecord, zone: TimeZone) -> Markup {
    html! {
        @if w.total_attempts == 0 {
            "—"
        } @else {
            @if let Some(code) = w.last_status_code { "HTTP " (code) } @else { "sem resposta" }
            " · " (when_opt(w.last_triggered_at, zone))
            @if let Some(e) = &w.last_error { br; small.muted { (e) } }
        }
    }
}

fn situation(w: &WebhookRecord, zone: TimeZone) -> Markup {
    html! {
        @if w.endpoint.active {
            span.badge { "Ativo" }
        } @else {
            span.badge.off { "Inativo" }
            @if let Some(at) = w.disabled_at { " " small.muted { "desativado automaticamente em " (when(at, zone)) } }
        }
        @if w.slow_lane {
            " " span.badge.lost title="As últimas tentativas esgotaram o tempo: as entregas seguem uma de cada vez até ele voltar a responder a tempo." { "Fila lenta" }
        }
    }
}

/// GET /painel/webhooks — the endpoints and their health.
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
            p { a.button href="/painel/webhooks/novo" id="novo-webhook" { "Novo webhook" } }
            section.card {
                @if hooks.is_empty() {
                    p.muted { "Nenhum webhook cadastrado. Cadastre um aqui ou pela API (" code { "POST /api/v1/webhooks" } ")." }
                } @else {
                    table id="webhooks" {
                        thead { tr { th { "URL" } th { "Eventos" } th { "Situação" } th { "Tentativas" } th { "Última tentativa" } th { "Entregas" } th { "Sucesso" } } }
                        tbody {
                            @for w in &hooks {
                                tr id={ "webhook-" (w.id) } {
                                    td data-label="URL" { a href={ "/painel/webhooks/" (w.id) } { code { (w.endpoint.url) } } }
                                    td data-label="Eventos" { (w.endpoint.events.join(", ")) }
                                    td data-label="Situação" { (situation(w, signed.zone)) }
                                    td data-label="Tentativas" {
                                        (w.total_attempts) " (" (w.failed_attempts) " falharam)"
                                        @if w.consecutive_failures > 0 { br; small.muted { (w.consecutive_failures) " falhas seguidas" } }
                                    }
                                    td data-label="Última tentativa" { (last_try(w, signed.zone)) }
                                    td data-label="Entregas" { (w.total_deliveries) " (" (w.failed_deliveries) " falharam)" }
                                    td data-label="Sucesso" { (rate(w.total_deliveries, w.failed_deliveries)) }
                                }
                            }
                        }
                    }
                    p.muted { small { "Entregas que falharam são as que esgotaram as tentativas; as tentativas contam cada envio assim que acontece." } }
                }
            }
        },
    ))
}

/// The endpoint form, as typed.
#[derive(Debug, Default)]
struct EndpointForm {
    url: String,
    events: Vec<String>,
    secret: String,
}

impl EndpointForm {
    /// Reads the posted fields; `events` comes once per ticked box.
    fn from_fields(fields: &[(String, String)]) -> Self {
        let mut form = Self::default();
        for (k, v) in fields {
            match k.as_str() {
                "url" => v.clone_into(&mut form.url),
                "secret" => v.clone_into(&mut form.secret),
                "events" => form.events.push(v.clone()),
                _ => {}
            }
        }
        form
    }

    fn from_endpoint(e: &Endpoint) -> Self {
        Self {
            url: e.url.clone(),
            events: e.events.clone(),
            secret: String::new(),
        }
    }

    /// The URL and events with the Auto API's rules, every problem at once.
    fn read(
        &self,
        with_secret: bool,
    ) -> Result<(String, Vec<String>, Option<String>), Vec<FieldError>> {
        let mut problems = Vec::new();
        let url = if self.url.trim().is_empty() {
            problems.push(FieldError::required("url"));
            None
        } else {
            webhook::parse_url("url", &self.url)
                .map_err(|e| problems.push(e))
                .ok()
        };
        let events = webhook::parse_events("events", &self.events)
            .map_err(|e| problems.extend(e))
            .ok();
        let secret = if with_secret && !self.secret.trim().is_empty() {
            webhook::parse_secret("secret", &self.secret)
                .map_err(|e| problems.push(e))
                .ok()
        } else {
            None
        };
        match (url, events) {
            (Some(url), Some(events)) if problems.is_empty() => Ok((url, events, secret)),
            _ => Err(problems),
        }
    }
}

/// The messages about `field` (and its items, `events[2]`).
fn errors_for(problems: &[FieldError], field: &str) -> Markup {
    html! {
        @for p in problems.iter().filter(|p| p.field == field || p.field.starts_with(&format!("{field}["))) {
            p.field-error id={ (field) "-erro" } role="alert" { (p.message) }
        }
    }
}

fn form_page(
    signed: &Signed,
    editing: Option<&WebhookRecord>,
    form: &EndpointForm,
    problems: &[FieldError],
) -> Markup {
    let (title, action) = match editing {
        Some(w) => (
            "Editar webhook".to_owned(),
            format!("/painel/webhooks/{}", w.id),
        ),
        None => ("Novo webhook".to_owned(), "/painel/webhooks".to_owned()),
    };
    let ticked = |e: &str| form.events.iter().any(|x| x.trim() == e);
    let checkbox = |value: &str, label: Markup| {
        let id = format!("evento-{}", value.replace(['.', '*'], "-"));
        html! {
            label.check for=(id) {
                input type="checkbox" id=(id) name="events" value=(value) checked[ticked(value)];
                (label)
            }
        }
    };
    layout(
        &title,
        Some((signed, Section::Webhooks)),
        html! {
            h1 { (title) }
            section.card {
                @if !problems.is_empty() {
                    div.alert.error role="alert" { p { "Corrija os campos indicados abaixo." } }
                }
                form.webhook method="post" action=(action) {
                    (csrf_field(&signed.csrf))
                    label for="w-url" { "URL de destino" }
                    input type="text" inputmode="url" id="w-url" name="url" required maxlength=(webhook::MAX_URL) value=(form.url) placeholder="https://seu-app.com/api/webhooks";
                    (errors_for(problems, "url"))
                    p.muted { small { "Só endereços públicos da internet, sem usuário e senha na URL. O destino deve responder 2xx em até 10 segundos." } }
                    fieldset {
                        legend { "Eventos" }
                        (errors_for(problems, "events"))
                        (checkbox(WILDCARD, html! { "Todos os eventos (" code { "*" } ")" }))
                        @for r in RESOURCES {
                            @let all = format!("{r}.*");
                            div.events {
                                (checkbox(&all, html! { strong { (resource_label(r)) } " — todos (" code { (all) } ")" }))
                                @for e in EVENTS.iter().filter(|e| e.split('.').next() == Some(r)) {
                                    (checkbox(e, html! { code { (e) } }))
                                }
                            }
                        }
                    }
                    @if editing.is_none() {
                        label for="w-secret" { "Segredo de assinatura (opcional)" }
                        input type="text" id="w-secret" name="secret" maxlength="255" value=(form.secret) autocomplete="off";
                        (errors_for(problems, "secret"))
                        p.muted { small { "Deixe em branco para gerar um (" code { "whsec_…" } "). Ele é mostrado uma única vez, logo após salvar." } }
                    }
                    div.actions {
                        button type="submit" id="salvar-webhook" { "Salvar webhook" }
                        a href=(editing.map(|w| format!("/painel/webhooks/{}", w.id)).unwrap_or_else(|| "/painel/webhooks".to_owned())) { "Cancelar" }
                    }
                }
            }
        },
    )
}

/// The problems of a write the use case refused, for the form.
fn refusal(e: vitrine_app::Error) -> Result<Vec<FieldError>, PanelError> {
    Ok(e.into_problems()?)
}

/// GET /painel/webhooks/novo
pub async fn new_webhook(signed: Signed) -> Markup {
    form_page(&signed, None, &EndpointForm::default(), &[])
}

/// POST /painel/webhooks — registers through the API's use case; the page
/// shows the signing secret once.
pub async fn create_webhook(
    State(state): State<PanelState>,
    SignedForm { signed, form }: SignedForm<Vec<(String, String)>>,
) -> Result<Response, PanelError> {
    let form = EndpointForm::from_fields(&form);
    let refused = |problems: Vec<FieldError>| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&signed, None, &form, &problems),
        )
            .into_response()
    };
    let (url, events, secret) = match form.read(true) {
        Ok(read) => read,
        Err(problems) => return Ok(refused(problems)),
    };
    let endpoint = Endpoint {
        url,
        events,
        active: true,
    };
    let (saved, secret) = match create_endpoint(
        &state.store,
        &state.webhook_targets,
        signed.account,
        endpoint,
        secret,
    )
    .await
    {
        Ok(done) => done,
        Err(e) => return Ok(refused(refusal(e)?)),
    };
    let page = layout(
        "Webhook criado",
        Some((&signed, Section::Webhooks)),
        html! {
            h1 { "Webhook criado" }
            section.card {
                div.alert.secret role="alert" {
                    p { "Copie o segredo agora: ele não será mostrado de novo. Use-o para conferir a assinatura " code { "X-Vitrine-Signature" } " de cada entrega." }
                }
                (copy_field("webhook-secret", "Segredo de assinatura", &secret))
                p { "Destino: " code { (saved.endpoint.url) } }
                p { a href={ "/painel/webhooks/" (saved.id) } id="ver-webhook" { "Ver o webhook" } " · " a href="/painel/webhooks" { "Todos os webhooks" } }
            }
        },
    );
    Ok((StatusCode::CREATED, page).into_response())
}

/// GET /painel/webhooks/{id}/editar
pub async fn edit_webhook(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(id): IdPath<WebhookId>,
) -> Result<Markup, PanelError> {
    let hook = state
        .store
        .conn()
        .await?
        .webhooks()
        .get(signed.account, id)
        .await?;
    Ok(form_page(
        &signed,
        Some(&hook),
        &EndpointForm::from_endpoint(&hook.endpoint),
        &[],
    ))
}

/// POST /painel/webhooks/{id} — URL and events (on/off has its own
/// buttons); another account's id is the 404 page.
pub async fn update_webhook(
    State(state): State<PanelState>,
    IdPath(id): IdPath<WebhookId>,
    SignedForm { signed, form }: SignedForm<Vec<(String, String)>>,
) -> Result<Response, PanelError> {
    let hook = state
        .store
        .conn()
        .await?
        .webhooks()
        .get(signed.account, id)
        .await?;
    let form = EndpointForm::from_fields(&form);
    let refused = |problems: Vec<FieldError>| {
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            form_page(&signed, Some(&hook), &form, &problems),
        )
            .into_response()
    };
    let (url, events, _) = match form.read(false) {
        Ok(read) => read,
        Err(problems) => return Ok(refused(problems)),
    };
    let patch = EndpointPatch {
        url: Some(url),
        events: Some(events),
        active: None,
    };
    match update_endpoint(
        &state.store,
        &state.webhook_targets,
        signed.account,
        id,
        patch,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/painel/webhooks/{id}")).into_response()),
        Err(e) => Ok(refused(refusal(e)?)),
    }
}

/// The on/off forms carry only the CSRF token.
#[derive(Debug, Deserialize)]
pub struct ToggleForm {}

async fn set_active(
    state: &PanelState,
    signed: &Signed,
    id: WebhookId,
    active: bool,
) -> Result<Response, PanelError> {
    endpoints::set_active(&state.store, signed.account, id, active).await?;
    Ok(Redirect::to(&format!("/painel/webhooks/{id}")).into_response())
}

/// POST /painel/webhooks/{id}/desativar — nothing more is queued or sent.
pub async fn disable_webhook(
    State(state): State<PanelState>,
    IdPath(id): IdPath<WebhookId>,
    SignedForm { signed, .. }: SignedForm<ToggleForm>,
) -> Result<Response, PanelError> {
    set_active(&state, &signed, id, false).await
}

/// POST /painel/webhooks/{id}/ativar — back on; the failure streak starts
/// over and pending deliveries resume.
pub async fn enable_webhook(
    State(state): State<PanelState>,
    IdPath(id): IdPath<WebhookId>,
    SignedForm { signed, .. }: SignedForm<ToggleForm>,
) -> Result<Response, PanelError> {
    set_active(&state, &signed, id, true).await
}

/// One delivery and its last try.
struct Row {
    delivery: DeliveryRecord,
    last: Option<AttemptRecord>,
}

/// An answer as a person reads it: status and length, or why none came.
fn answer(a: &AttemptRecord) -> Markup {
    html! {
        @if let Some(code) = a.status_code { "HTTP " (code) } @else { "sem resposta" }
        @if let Some(n) = a.response_bytes { " · " (n) " bytes" }
        " · " (a.latency_ms) " ms"
        @if let Some(e) = &a.error { br; small.muted { (e) } }
    }
}

/// GET /painel/webhooks/{id} — the endpoint's health and its deliveries,
/// newest first, with pagination; another account's endpoint is a 404 page.
pub async fn show_webhook(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(id): IdPath<WebhookId>,
    RawQuery(raw): RawQuery,
) -> Result<Markup, PanelError> {
    let mut q = listing::list_query(raw.as_deref())?;
    let paging = q.paging();
    q.finish()?;
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
                dl.facts id="saude" {
                    dt { "Situação" } dd { (situation(&hook, signed.zone)) }
                    dt { "Eventos" } dd { (hook.endpoint.events.join(", ")) }
                    dt { "Tentativas" } dd { (hook.total_attempts) " (" (hook.failed_attempts) " falharam)" }
                    dt { "Falhas seguidas" } dd { (hook.consecutive_failures) }
                    dt { "Última tentativa" } dd { (last_try(&hook, signed.zone)) }
                    dt { "Entregas" } dd { (hook.total_deliveries) " (" (hook.failed_deliveries) " falharam)" }
                    dt { "Sucesso" } dd { (rate(hook.total_deliveries, hook.failed_deliveries)) }
                }
                @if !hook.endpoint.active {
                    p.muted { "Inativo: nada novo entra na fila e os reenvios esperam até ele ser reativado." }
                }
                div.actions {
                    a.button href={ (base) "/editar" } id="editar-webhook" { "Editar" }
                    @if hook.endpoint.active {
                        form.inline method="post" action={ (base) "/desativar" } {
                            (csrf_field(&signed.csrf))
                            button.danger type="submit" id="desativar-webhook" { "Desativar" }
                        }
                    } @else {
                        form.inline method="post" action={ (base) "/ativar" } {
                            (csrf_field(&signed.csrf))
                            button type="submit" id="ativar-webhook" { "Ativar" }
                        }
                    }
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
                                    td data-label="Evento" { a href={ (base) "/entregas/" (d.id) } { code { (d.event_type) } } }
                                    td data-label="Status" {
                                        (status_label(&d.status))
                                        @if let Some(next) = d.next_attempt_at { br; small.muted { "próxima tentativa " (when(next, signed.zone)) } }
                                    }
                                    td data-label="Tentativas" { (d.attempts) }
                                    td data-label="Resposta" {
                                        @match &r.last {
                                            Some(a) => { (answer(a)) }
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

fn ids(
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<(WebhookId, DeliveryId), PanelError> {
    let Path((hook, delivery)) = path.map_err(|_| PanelError::NotFound)?;
    let hook = hook.parse().map_err(|_| PanelError::NotFound)?;
    let delivery = delivery.parse().map_err(|_| PanelError::NotFound)?;
    Ok((hook, delivery))
}

/// GET /painel/webhooks/{id}/entregas/{delivery_id} — the event's payload
/// exactly as sent (and signed), and every try with the answer's status
/// and length. Ids not of this account are the 404 page.
pub async fn show_delivery(
    State(state): State<PanelState>,
    signed: Signed,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Markup, PanelError> {
    let (hook, id) = ids(path)?;
    let mut conn = state.store.conn().await?;
    let endpoint = conn.webhooks().get(signed.account, hook).await?;
    let delivery = conn.webhooks().delivery(signed.account, hook, id).await?;
    let body = conn.webhooks().event_body(signed.account, hook, id).await?;
    let attempts = conn.webhooks().attempts(signed.account, id).await?;
    drop(conn);
    // Shown indented; the bytes sent are the stored text itself.
    let shown = serde_json::from_str::<serde_json::Value>(&body)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or(body);
    let base = format!("/painel/webhooks/{hook}");
    Ok(layout(
        "Entrega",
        Some((&signed, Section::Webhooks)),
        html! {
            h1 { "Entrega › " code { (delivery.event_type) } }
            p { a href=(base) { "‹ " code { (endpoint.endpoint.url) } } }
            section.card {
                dl.facts {
                    dt { "Status" } dd id="status-entrega" { (status_label(&delivery.status)) }
                    dt { "Tentativas nesta rodada" } dd { (delivery.attempts) }
                    @if let Some(next) = delivery.next_attempt_at { dt { "Próxima tentativa" } dd { (when(next, signed.zone)) } }
                    dt { "Criada" } dd { (when(delivery.created_at, signed.zone)) }
                    @if let Some(at) = delivery.delivered_at { dt { "Entregue" } dd { (when(at, signed.zone)) } }
                    dt { "Id do evento" } dd { code { (delivery.event_id) } }
                }
                div.actions {
                    form.inline method="post" action={ (base) "/entregas/" (delivery.id) "/reenviar" } {
                        (csrf_field(&signed.csrf))
                        button type="submit" id="reenviar" { "Reenviar" }
                    }
                }
            }
            section.card {
                h2 { "Conteúdo enviado" }
                pre id="payload" { code { (shown) } }
            }
            section.card {
                h2 { "Respostas recebidas" }
                p.muted { small { "Guardamos o código HTTP e o tamanho de cada resposta, nunca o conteúdo." } }
                @if attempts.is_empty() {
                    p.muted { "Nenhuma tentativa ainda." }
                } @else {
                    table id="tentativas" {
                        thead { tr { th { "#" } th { "Quando" } th { "Resultado" } th { "Resposta" } } }
                        tbody {
                            @for a in &attempts {
                                tr id={ "tentativa-" (a.attempt) } {
                                    td data-label="#" { (a.attempt) }
                                    td data-label="Quando" { (when(a.created_at, signed.zone)) }
                                    td data-label="Resultado" { @if a.succeeded { "Sucesso" } @else { "Falha" } }
                                    td data-label="Resposta" { (answer(a)) }
                                }
                            }
                        }
                    }
                }
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
    let (hook, delivery) = ids(path)?;
    let mut tx = state.store.begin().await?;
    endpoints::redeliver(&mut tx, signed.account, hook, delivery).await?;
    tx.commit().await?;
    Ok(Redirect::to(&format!("/painel/webhooks/{hook}")).into_response())
}
