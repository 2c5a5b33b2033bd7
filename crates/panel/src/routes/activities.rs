//! Atividades: the list with the Auto API's filters (status, type, due
//! period, overdue), a create form and "Concluir". Filters are read by
//! `vitrine_auto_wire::activity_filter`; creating and completing go through the
//! same core rules (`parse_type`, `parse_instant`, `Activity::settle`,
//! `webhook::activity_update_events`) and outbox events as
//! `POST /activities` and `PATCH /activities/:id`.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_auto_wire::body::Reference;
use vitrine_auto_wire::{refs, ActivityOut};
use vitrine_core::activity::{self, Activity, ActivityStatus, SUGGESTED_TYPES};
use vitrine_core::ids::{AccountId, ActivityId};
use vitrine_core::listing::Sort;
use vitrine_core::text::{self, MAX_NAME, MAX_TEXT};
use vitrine_core::{webhook, FieldError};
use vitrine_store::activities::{ActivityRecord, ActivitySort};
use vitrine_store::clients::{ClientFilter, ClientRecord, ClientSort};
use vitrine_store::vehicles::{VehicleFilter, VehicleRecord, VehicleSort};

use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::input::{self, Problems};
use crate::listing::{self, pager, pair, query_pairs};
use crate::pages::{alert, csrf_field, layout, when_opt, Section};
use crate::session::Signed;
use crate::PanelState;

/// Clients and vehicles offered in the form's selects.
const CHOICES: u32 = 200;

fn status_label(s: ActivityStatus) -> &'static str {
    match s {
        ActivityStatus::Pending => "Pendente",
        ActivityStatus::Completed => "Concluída",
        ActivityStatus::Cancelled => "Cancelada",
    }
}

fn type_label(t: &str) -> &str {
    match t {
        "ligacao" => "Ligação",
        "whatsapp" => "WhatsApp",
        "email" => "E-mail",
        "reuniao" => "Reunião",
        "visita" => "Visita",
        "test_drive" => "Test drive",
        "tarefa" => "Tarefa",
        other => other,
    }
}

/// The create form, as typed. `due_date` comes from a `datetime-local`
/// input (`2026-02-04T10:30`, read as UTC) or as RFC 3339.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActivityForm {
    title: String,
    #[serde(rename = "type")]
    kind: String,
    description: String,
    due_date: String,
    client_id: String,
    vehicle_id: String,
}

/// A `datetime-local` value as the RFC 3339 instant the API takes (the
/// panel shows times in UTC); anything else is left for the API's parser
/// to accept or refuse.
fn due_instant(raw: &str) -> String {
    let raw = raw.trim();
    let local = raw.len() == 16 && raw.as_bytes().get(10) == Some(&b'T');
    if local {
        format!("{raw}:00Z")
    } else {
        raw.to_owned()
    }
}

fn read_form(form: &ActivityForm) -> Result<Activity, Vec<FieldError>> {
    let mut p = Problems::default();
    let title = p
        .take(text::required_text("title", &form.title, MAX_NAME))
        .unwrap_or_default();
    let mut a = Activity::new(title);
    if !form.kind.trim().is_empty() {
        if let Some(kind) = p.take(activity::parse_type("type", &form.kind)) {
            a.kind = kind;
        }
    }
    a.description = p
        .take(text::optional_text(
            "description",
            &form.description,
            MAX_TEXT,
        ))
        .flatten();
    if !form.due_date.trim().is_empty() {
        a.due_date = p.take(activity::parse_instant(
            "due_date",
            &due_instant(&form.due_date),
        ));
    }
    a.client_id = p.take(input::id("client_id", &form.client_id)).flatten();
    a.vehicle_id = p.take(input::id("vehicle_id", &form.vehicle_id)).flatten();
    if p.is_empty() {
        Ok(a)
    } else {
        Err(p.0)
    }
}

struct Choices {
    clients: Vec<ClientRecord>,
    vehicles: Vec<VehicleRecord>,
}

async fn choices(state: &PanelState, account: AccountId) -> Result<Choices, PanelError> {
    let mut conn = state.store.conn().await?;
    let (clients, _) = conn
        .clients()
        .list(
            account,
            &ClientFilter::default(),
            ClientSort::Name,
            false,
            CHOICES,
            0,
        )
        .await?;
    let (vehicles, _) = conn
        .vehicles()
        .list(
            account,
            &VehicleFilter::default(),
            VehicleSort::Title,
            false,
            CHOICES,
            0,
        )
        .await?;
    Ok(Choices { clients, vehicles })
}

fn page(
    signed: &Signed,
    raw: Option<&str>,
    activities: &[ActivityRecord],
    footer: Markup,
    choices: &Choices,
    form: &ActivityForm,
    errors: &[String],
) -> Markup {
    let pairs = query_pairs(raw);
    let f = |name: &str| pair(&pairs, name).to_owned();
    let now = vitrine_store::now();
    layout(
        "Atividades",
        Some((signed, Section::Activities)),
        html! {
            h1 { "Atividades" }
            section.card {
                form.filters method="get" action="/painel/atividades" {
                    @if !f("vehicle_id").is_empty() {
                        input type="hidden" name="vehicle_id" value=(f("vehicle_id"));
                    }
                    div.field {
                        label for="f-status" { "Status" }
                        select id="f-status" name="status" {
                            option value="" { "Todos" }
                            @for s in ActivityStatus::ALL {
                                option value=(s.as_str()) selected[f("status") == s.as_str()] { (status_label(*s)) }
                            }
                        }
                    }
                    div.field {
                        label for="f-type" { "Tipo" }
                        select id="f-type" name="type" {
                            option value="" { "Todos" }
                            @for t in SUGGESTED_TYPES {
                                option value=(t) selected[f("type") == t] { (type_label(t)) }
                            }
                        }
                    }
                    div.field {
                        label for="f-due-from" { "Vence de" }
                        input type="date" id="f-due-from" name="due_from" value=(f("due_from"));
                    }
                    div.field {
                        label for="f-due-to" { "até" }
                        input type="date" id="f-due-to" name="due_to" value=(f("due_to"));
                    }
                    div.field {
                        label.check for="f-overdue" {
                            input type="checkbox" id="f-overdue" name="overdue" value="true" checked[f("overdue") == "true"];
                            "Só atrasadas"
                        }
                    }
                    div.actions {
                        button type="submit" id="filtrar" { "Filtrar" }
                        a href="/painel/atividades" { "Limpar" }
                    }
                }
            }
            section.card {
                @if activities.is_empty() {
                    p.muted { "Nenhuma atividade encontrada." }
                } @else {
                    table id="atividades" {
                        thead { tr { th { "Atividade" } th { "Tipo" } th { "Vence em" } th { "Status" } th { "Ações" } } }
                        tbody {
                            @for r in activities {
                                @let a = &r.activity;
                                @let late = activity::is_overdue(a.status, a.due_date, now);
                                tr id={ "atividade-" (r.id) } data-status=(a.status.as_str()) {
                                    td data-label="Atividade" {
                                        (a.title)
                                        @if let Some(d) = &a.description { br; small.muted { (d) } }
                                    }
                                    td data-label="Tipo" { (type_label(&a.kind)) }
                                    td data-label="Vence em" {
                                        (when_opt(a.due_date, signed.zone))
                                        @if late { " " span.badge.lost { "Atrasada" } }
                                    }
                                    td data-label="Status" { (status_label(a.status)) }
                                    td data-label="Ações" {
                                        @if a.status == ActivityStatus::Pending {
                                            form.inline method="post" action={ "/painel/atividades/" (r.id) "/concluir" } {
                                                (csrf_field(&signed.csrf))
                                                button.small type="submit" id={ "concluir-" (r.id) } { "Concluir" }
                                            }
                                        } @else {
                                            span.muted { (when_opt(a.completed_at, signed.zone)) }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                (footer)
            }
            section.card {
                h2 { "Nova atividade" }
                (alert("error", errors))
                form method="post" action="/painel/atividades" {
                    (csrf_field(&signed.csrf))
                    label for="a-title" { "Título" }
                    input type="text" id="a-title" name="title" required maxlength=(MAX_NAME) value=(form.title);
                    label for="a-type" { "Tipo" }
                    select id="a-type" name="type" {
                        @for t in SUGGESTED_TYPES {
                            option value=(t) selected[form.kind == t || (form.kind.is_empty() && t == activity::DEFAULT_TYPE)] { (type_label(t)) }
                        }
                    }
                    label for="a-due" { "Vence em (UTC)" }
                    input type="datetime-local" id="a-due" name="due_date" value=(form.due_date);
                    label for="a-client" { "Cliente" }
                    select id="a-client" name="client_id" {
                        option value="" { "Nenhum" }
                        @for c in &choices.clients {
                            @let id = c.id.to_string();
                            option value=(id) selected[form.client_id == id] { (c.client.name) }
                        }
                    }
                    label for="a-vehicle" { "Veículo" }
                    select id="a-vehicle" name="vehicle_id" {
                        option value="" { "Nenhum" }
                        @for v in &choices.vehicles {
                            @let id = v.id.to_string();
                            option value=(id) selected[form.vehicle_id == id] { (v.vehicle.title) }
                        }
                    }
                    label for="a-description" { "Descrição" }
                    textarea id="a-description" name="description" rows="3" maxlength=(MAX_TEXT) { (form.description) }
                    div.actions { button type="submit" id="criar-atividade" { "Criar atividade" } }
                }
            }
        },
    )
}

/// The list as `GET /api/v1/activities` reads its query (due date first).
async fn list(
    state: &PanelState,
    account: AccountId,
    raw: Option<&str>,
) -> Result<(Vec<ActivityRecord>, Markup), PanelError> {
    let mut q = listing::list_query(raw)?;
    let filter = vitrine_auto_wire::activity_filter(&mut q);
    let paging = q.paging();
    q.finish().map_err(listing::auto_problems)?;
    let sort = Sort {
        field: ActivitySort::DueDate,
        descending: false,
    };
    let (items, total) = state
        .store
        .conn()
        .await?
        .activities()
        .list(
            account,
            &filter,
            sort.field,
            sort.descending,
            paging.limit,
            paging.offset(),
        )
        .await?;
    let footer = pager("/painel/atividades", &query_pairs(raw), paging, total);
    Ok((items, footer))
}

/// GET /painel/atividades
pub async fn list_activities(
    State(state): State<PanelState>,
    signed: Signed,
    RawQuery(raw): RawQuery,
) -> Result<Markup, PanelError> {
    let (items, footer) = list(&state, signed.account, raw.as_deref()).await?;
    let choices = choices(&state, signed.account).await?;
    Ok(page(
        &signed,
        raw.as_deref(),
        &items,
        footer,
        &choices,
        &ActivityForm::default(),
        &[],
    ))
}

/// POST /painel/atividades — creates a pending activity and its
/// `activity.created` event; a rule broken shows the form again (422).
pub async fn create_activity(
    State(state): State<PanelState>,
    SignedForm { signed, form }: SignedForm<ActivityForm>,
) -> Result<Response, PanelError> {
    let problems = match read_form(&form) {
        Ok(mut activity) => {
            activity.settle(None, vitrine_store::now());
            let mut tx = state.store.begin().await?;
            let references: Vec<(String, Reference)> = [
                activity
                    .client_id
                    .map(|c| ("client_id".to_owned(), Reference::Client(c))),
                activity
                    .vehicle_id
                    .map(|v| ("vehicle_id".to_owned(), Reference::Vehicle(v))),
            ]
            .into_iter()
            .flatten()
            .collect();
            let missing = refs::missing(&mut tx, signed.account, &references).await?;
            if missing.is_empty() {
                let saved = tx
                    .activities()
                    .insert(signed.account, ActivityId::new(), &activity)
                    .await?;
                let out = ActivityOut::from(saved);
                crate::events::emit(&mut tx, signed.account, &["activity.created"], &out).await?;
                tx.commit().await?;
                return Ok(Redirect::to("/painel/atividades").into_response());
            }
            missing
        }
        Err(problems) => problems,
    };
    let (items, footer) = list(&state, signed.account, None).await?;
    let choices = choices(&state, signed.account).await?;
    let errors: Vec<String> = problems.into_iter().map(|p| p.message).collect();
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        page(&signed, None, &items, footer, &choices, &form, &errors),
    )
        .into_response())
}

/// The "Concluir" form carries only the CSRF token.
#[derive(Debug, Deserialize)]
pub struct DoneForm {}

/// POST /painel/atividades/{id}/concluir — marks the activity completed,
/// like `PATCH /activities/:id {"status": "completed"}`: `completed_at`
/// stamped, `activity.updated` and `activity.completed` emitted.
pub async fn complete_activity(
    State(state): State<PanelState>,
    IdPath(id): IdPath<ActivityId>,
    SignedForm { signed, .. }: SignedForm<DoneForm>,
) -> Result<Response, PanelError> {
    let mut tx = state.store.begin().await?;
    let before = tx
        .activities()
        .get_for_update(signed.account, id)
        .await?
        .activity;
    let mut activity = before.clone();
    activity.status = ActivityStatus::Completed;
    activity.settle(Some(before.status), vitrine_store::now());
    let rearm = activity.rescheduled(&before);
    let saved = tx
        .activities()
        .update(signed.account, id, &activity, rearm)
        .await?;
    let out = ActivityOut::from(saved);
    let names = webhook::activity_update_events(&before, &activity);
    crate::events::emit(&mut tx, signed.account, &names, &out).await?;
    tx.commit().await?;
    Ok(Redirect::to("/painel/atividades").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_local_due_time_is_read_as_utc() {
        assert_eq!(due_instant("2026-02-04T10:30"), "2026-02-04T10:30:00Z");
        assert_eq!(
            due_instant("2026-02-04T10:30:00-03:00"),
            "2026-02-04T10:30:00-03:00"
        );
        let form = ActivityForm {
            title: "Ligar".into(),
            due_date: "2026-02-04T10:30".into(),
            ..ActivityForm::default()
        };
        let a = read_form(&form).expect("valid");
        assert_eq!(a.kind, "tarefa");
        assert_eq!(
            a.due_date.map(|d| d.to_rfc3339()).as_deref(),
            Some("2026-02-04T10:30:00+00:00")
        );
    }
}
