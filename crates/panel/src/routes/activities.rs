//! Atividades: the list with the Auto API's filters (status, type, due
//! period in the account's local days, overdue, search), a create form on
//! its own page and "Concluir" after a confirmation. Filters are read by
//! `vitrine_auto_wire::activity_filter`; creating and completing are the
//! use cases behind `POST /activities` and `PATCH /activities/:id`
//! (`vitrine_app::crm::activities`: `Activity::settle`, the same outbox
//! events), the form read with the same core rules (`parse_type`). Times are typed and
//! shown in the account's time zone and stored in UTC.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_app::crm::activities;
use vitrine_app::Draft;
use vitrine_core::activity::{self, Activity, ActivityStatus, SUGGESTED_TYPES};
use vitrine_core::filters::ActivitySort;
use vitrine_core::ids::{AccountId, ActivityId, Reference};
use vitrine_core::listing::Sort;
use vitrine_core::records::ActivityRecord;
use vitrine_core::text::{self, MAX_NAME, MAX_TEXT};
use vitrine_core::time_zone::TimeZone;
use vitrine_core::FieldError;

use super::commit_or_problems;
use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::input::{self, FormErrors, Labels, Problems};
use crate::listing::{self, pager, pair, query_pairs};
use crate::notice::Notice;
use crate::pages::{csrf_field, layout, when, when_opt, Section};
use crate::picker::{self, Kind, Picker};
use crate::session::Signed;
use crate::PanelState;

/// The form's fields and their labels (messages name fields by these).
const LABELS: Labels = &[
    ("title", "Título"),
    ("type", "Tipo"),
    ("due_date", "Vence em"),
    ("client_id", "Cliente"),
    ("vehicle_id", "Veículo"),
    ("description", "Descrição"),
];

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

/// The create form, as typed. `due_date` is a wall-clock time in the
/// account's zone: a `datetime-local` value (`2026-12-10T14:00`) or the
/// Brazilian `10/12/2026 14:00`.
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
    client_search: String,
    vehicle_search: String,
    buscar: String,
}

fn read_form(form: &ActivityForm, zone: TimeZone) -> Result<Activity, Vec<FieldError>> {
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
    a.due_date = p
        .take(input::local_instant("due_date", &form.due_date, zone))
        .flatten();
    a.client_id = p.take(input::id("client_id", &form.client_id)).flatten();
    a.vehicle_id = p.take(input::id("vehicle_id", &form.vehicle_id)).flatten();
    if p.is_empty() {
        Ok(a)
    } else {
        Err(p.0)
    }
}

/// The clients and vehicles the form's pickers offer.
struct Choices {
    clients: picker::Options,
    vehicles: picker::Options,
}

async fn choices(
    state: &PanelState,
    account: AccountId,
    form: &ActivityForm,
) -> Result<Choices, PanelError> {
    Ok(Choices {
        clients: picker::options(state, account, Kind::Client, &form.client_search).await?,
        vehicles: picker::options(state, account, Kind::Vehicle, &form.vehicle_search).await?,
    })
}

fn list_page(
    signed: &Signed,
    raw: Option<&str>,
    activities: &[ActivityRecord],
    footer: Markup,
) -> Markup {
    let pairs = query_pairs(raw);
    let f = |name: &str| pair(&pairs, name).to_owned();
    let now = vitrine_store::now();
    layout(
        "Atividades",
        Some((signed, Section::Activities)),
        html! {
            h1 { "Atividades" }
            p { a.button href="/painel/atividades/nova" id="nova-atividade" { "Nova atividade" } }
            section.card {
                form.filters method="get" action="/painel/atividades" {
                    @if !f("vehicle_id").is_empty() {
                        input type="hidden" name="vehicle_id" value=(f("vehicle_id"));
                    }
                    div.field {
                        label for="f-search" { "Busca" }
                        input type="search" id="f-search" name="search" placeholder="Título ou descrição" value=(f("search"));
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
                p.muted { "Horários no fuso da conta (" (signed.zone) ")." }
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
                                            a.button.small href={ "/painel/atividades/" (r.id) "/concluir" } id={ "concluir-" (r.id) } { "Concluir…" }
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
        },
    )
}

fn form_page(
    signed: &Signed,
    form: &ActivityForm,
    choices: &Choices,
    errors: &FormErrors,
) -> Markup {
    let client = Picker {
        kind: Kind::Client,
        id: "a-client",
        name: "client_id",
        search_name: "client_search",
        label: "Cliente",
        search: &form.client_search,
        chosen: &form.client_id,
        chosen_label: None,
        options: &choices.clients,
    };
    let vehicle = Picker {
        kind: Kind::Vehicle,
        id: "a-vehicle",
        name: "vehicle_id",
        search_name: "vehicle_search",
        label: "Veículo",
        search: &form.vehicle_search,
        chosen: &form.vehicle_id,
        chosen_label: None,
        options: &choices.vehicles,
    };
    layout(
        "Nova atividade",
        Some((signed, Section::Activities)),
        html! {
            h1 { "Nova atividade" }
            section.card {
                (errors.summary())
                form method="post" action="/painel/atividades" {
                    (picker::default_submit("Criar atividade"))
                    (csrf_field(&signed.csrf))
                    label for="a-title" { "Título" }
                    input type="text" id="a-title" name="title" required maxlength=(MAX_NAME) value=(form.title);
                    (errors.at("title"))
                    label for="a-type" { "Tipo" }
                    select id="a-type" name="type" {
                        @for t in SUGGESTED_TYPES {
                            option value=(t) selected[form.kind == t || (form.kind.is_empty() && t == activity::DEFAULT_TYPE)] { (type_label(t)) }
                        }
                    }
                    (errors.at("type"))
                    label for="a-due" { "Vence em (" (signed.zone) ")" }
                    input type="datetime-local" id="a-due" name="due_date" value=(form.due_date) placeholder="10/12/2026 14:00";
                    (errors.at("due_date"))
                    (client.render())
                    (errors.at("client_id"))
                    (vehicle.render())
                    (errors.at("vehicle_id"))
                    label for="a-description" { "Descrição" }
                    textarea id="a-description" name="description" rows="3" maxlength=(MAX_TEXT) { (form.description) }
                    (errors.at("description"))
                    div.actions {
                        button type="submit" id="criar-atividade" { "Criar atividade" }
                        a href="/painel/atividades" { "Cancelar" }
                    }
                }
            }
        },
    )
}

/// The list as `GET /api/v1/activities` reads its query (due date first),
/// except that a bare day in `due_from`/`due_to` is the account's local
/// day, not a UTC one.
async fn list(
    state: &PanelState,
    signed: &Signed,
    raw: Option<&str>,
) -> Result<(Vec<ActivityRecord>, Markup), PanelError> {
    let mut q = listing::list_query(raw)?;
    let mut filter = vitrine_auto_wire::activity_filter(&mut q);
    let paging = q.paging();
    q.finish()?;
    let pairs = query_pairs(raw);
    let day = |name: &str| text::date(name, pair(&pairs, name).trim()).ok();
    if let Some(d) = day("due_from") {
        filter.due_from = Some(signed.zone.day_start(d));
    }
    if let Some(d) = day("due_to") {
        filter.due_before = Some(signed.zone.day_end(d));
    }
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
            signed.account,
            &filter,
            sort.field,
            sort.descending,
            paging.limit,
            paging.offset(),
        )
        .await?;
    let footer = pager("/painel/atividades", &pairs, paging, total);
    Ok((items, footer))
}

/// GET /painel/atividades
pub async fn list_activities(
    State(state): State<PanelState>,
    signed: Signed,
    RawQuery(raw): RawQuery,
) -> Result<Markup, PanelError> {
    let (items, footer) = list(&state, &signed, raw.as_deref()).await?;
    Ok(list_page(&signed, raw.as_deref(), &items, footer))
}

/// GET /painel/atividades/nova
pub async fn new_activity(
    State(state): State<PanelState>,
    signed: Signed,
) -> Result<Markup, PanelError> {
    let form = ActivityForm::default();
    let choices = choices(&state, signed.account, &form).await?;
    Ok(form_page(&signed, &form, &choices, &FormErrors::none()))
}

/// POST /painel/atividades — creates a pending activity and its
/// `activity.created` event; a rule broken shows the form again (422),
/// a picker's "Buscar" shows it with the matches (200); neither writes.
pub async fn create_activity(
    State(state): State<PanelState>,
    SignedForm { signed, form }: SignedForm<ActivityForm>,
) -> Result<Response, PanelError> {
    let problems = if !form.buscar.is_empty() {
        Vec::new()
    } else {
        match read_form(&form, signed.zone) {
            Ok(activity) => {
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
                let mut tx = state.store.begin().await?;
                let draft = Draft::new(activity, references);
                let done = activities::create(&mut tx, signed.account, draft).await;
                match commit_or_problems(tx, done).await? {
                    Ok(_) => {
                        return Ok(Notice::ActivityCreated
                            .redirect(&signed, "/painel/atividades")
                            .into_response());
                    }
                    Err(problems) => problems,
                }
            }
            Err(problems) => problems,
        }
    };
    let choices = choices(&state, signed.account, &form).await?;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let errors = FormErrors::new(LABELS, &problems);
    Ok((status, form_page(&signed, &form, &choices, &errors)).into_response())
}

/// GET /painel/atividades/{id}/concluir — asks before completing (a
/// completed activity stops its reminders); works without JavaScript.
pub async fn confirm_complete(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(id): IdPath<ActivityId>,
) -> Result<Response, PanelError> {
    let r = state
        .store
        .conn()
        .await?
        .activities()
        .get(signed.account, id)
        .await?;
    if r.activity.status != ActivityStatus::Pending {
        return Ok(Redirect::to("/painel/atividades").into_response());
    }
    let a = &r.activity;
    Ok(layout(
        "Concluir atividade",
        Some((&signed, Section::Activities)),
        html! {
            h1 { "Concluir atividade?" }
            section.card {
                p { strong { (a.title) } }
                p.muted { (type_label(&a.kind)) " · vence em " (when_opt(a.due_date, signed.zone)) }
                @if let Some(d) = &a.description { p { (d) } }
                p { "Marcar como concluída registra a data de conclusão (" (when(vitrine_store::now(), signed.zone)) ") e encerra os lembretes." }
                form method="post" action={ "/painel/atividades/" (r.id) "/concluir" } {
                    (csrf_field(&signed.csrf))
                    div.actions {
                        button type="submit" id="confirmar-conclusao" { "Sim, concluir" }
                        a href="/painel/atividades" { "Cancelar" }
                    }
                }
            }
        },
    )
    .into_response())
}

/// The "Concluir" confirmation carries only the CSRF token.
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
    activities::complete(&mut tx, signed.account, id).await?;
    tx.commit().await?;
    Ok(Notice::ActivityCompleted
        .redirect(&signed, "/painel/atividades")
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_due_time_is_read_in_the_accounts_zone() {
        let form = |due: &str| ActivityForm {
            title: "Ligar".into(),
            due_date: due.into(),
            ..ActivityForm::default()
        };
        let sp = TimeZone::default();
        for typed in ["2026-12-10T14:00", "10/12/2026 14:00"] {
            let a = read_form(&form(typed), sp).expect("valid");
            assert_eq!(a.kind, "tarefa");
            assert_eq!(
                a.due_date.map(|d| d.to_rfc3339()).as_deref(),
                Some("2026-12-10T17:00:00+00:00"),
                "{typed}"
            );
        }
        let e = read_form(&form("amanhã"), sp).expect_err("refused");
        assert_eq!(e[0].field, "due_date");
        assert_eq!(
            FormErrors::new(LABELS, &e).messages(),
            ["Vence em deve ser uma data e hora como 10/12/2026 14:00"]
        );
    }
}
