//! Clientes: the list (search, type and status filters, 20 a page with the
//! total — read by `vitrine_auto_wire::client_filter`, the reader of
//! `GET /clients`) and, on its own page, the create form for PF/PJ.
//! Documents go through the same core parsing as the Auto API's
//! `POST /clients` (`parse_cpf`, `parse_cnpj` with the account's
//! strictness), and the write is its use case
//! (`vitrine_app::crm::clients::create`: the same duplicate check and the
//! same `client.created` outbox event).

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_app::crm::clients;
use vitrine_app::Draft;
use vitrine_core::client::{parse_cnpj, parse_cpf, Client, ClientStatus, ClientType};
use vitrine_core::doc::Strictness;
use vitrine_core::filters::ClientSort;
use vitrine_core::text::{self, MAX_NAME, MAX_PHONE};
use vitrine_core::FieldError;

use super::commit_or_problems;
use crate::error::PanelError;
use crate::extract::SignedForm;
use crate::input::{FormErrors, Labels};
use crate::listing::{self, pager, pair, query_pairs};
use crate::notice::Notice;
use crate::pages::{csrf_field, layout, Section};
use crate::session::Signed;
use crate::PanelState;

/// The form's fields and their labels (messages name fields by these).
const LABELS: Labels = &[
    ("type", "Tipo"),
    ("name", "Nome"),
    ("document", "CPF ou CNPJ"),
    ("cpf", "CPF"),
    ("cnpj", "CNPJ"),
    ("email", "E-mail"),
    ("phone", "Telefone"),
];

/// The create form, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ClientForm {
    #[serde(default, rename = "type")]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    document: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
}

fn status_label(s: ClientStatus) -> &'static str {
    match s {
        ClientStatus::Active => "Ativo",
        ClientStatus::Inactive => "Inativo",
    }
}

/// GET /painel/clientes — newest first, 20 a page, with the total; the
/// search matches name, documents, e-mail and phone like `GET /clients?search=`.
pub async fn list_clients(
    State(state): State<PanelState>,
    signed: Signed,
    RawQuery(raw): RawQuery,
) -> Result<Markup, PanelError> {
    let mut q = listing::list_query(raw.as_deref())?;
    let filter = vitrine_auto_wire::lists::client_filter(&mut q);
    let paging = q.paging();
    q.finish()?;
    let (clients, total) = state
        .store
        .conn()
        .await?
        .clients()
        .list(
            signed.account,
            &filter,
            ClientSort::CreatedAt,
            true,
            paging.limit,
            paging.offset(),
        )
        .await?;
    let pairs = query_pairs(raw.as_deref());
    let f = |name: &str| pair(&pairs, name).to_owned();
    let filtered = ["search", "type", "status"]
        .iter()
        .any(|k| !f(k).trim().is_empty());
    Ok(layout(
        "Clientes",
        Some((&signed, Section::Clients)),
        html! {
            h1 { "Clientes" }
            p { a.button href="/painel/clientes/novo" id="novo-cliente" { "Novo cliente" } }
            section.card {
                form.filters method="get" action="/painel/clientes" {
                    div.field {
                        label for="f-search" { "Busca" }
                        input type="search" id="f-search" name="search" placeholder="Nome, CPF/CNPJ, e-mail, telefone" value=(f("search"));
                    }
                    div.field {
                        label for="f-type" { "Tipo" }
                        select id="f-type" name="type" {
                            option value="" { "Todos" }
                            option value="PF" selected[f("type") == "PF"] { "Pessoa física" }
                            option value="PJ" selected[f("type") == "PJ"] { "Pessoa jurídica" }
                        }
                    }
                    div.field {
                        label for="f-status" { "Status" }
                        select id="f-status" name="status" {
                            option value="" { "Todos" }
                            @for s in [ClientStatus::Active, ClientStatus::Inactive] {
                                option value=(s.as_str()) selected[f("status") == s.as_str()] { (status_label(s)) }
                            }
                        }
                    }
                    div.actions {
                        button type="submit" id="filtrar" { "Filtrar" }
                        a href="/painel/clientes" { "Limpar" }
                    }
                }
            }
            section.card {
                @if clients.is_empty() {
                    @if filtered { p.muted { "Nenhum cliente encontrado." } }
                    @else { p.muted { "Nenhum cliente ainda." } }
                } @else {
                    table id="clientes" {
                        thead { tr { th { "Nome" } th { "Tipo" } th { "Documento" } th { "Status" } } }
                        tbody {
                            @for r in &clients {
                                @let c = &r.client;
                                tr id={ "cliente-" (r.id) } {
                                    td data-label="Nome" { (c.name) }
                                    td data-label="Tipo" { (c.kind.as_str()) }
                                    td data-label="Documento" { (c.cpf.as_deref().or(c.cnpj.as_deref()).unwrap_or("—")) }
                                    td data-label="Status" { (status_label(c.status)) }
                                }
                            }
                        }
                    }
                }
                (pager("/painel/clientes", &pairs, paging, total))
            }
        },
    ))
}

fn form_page(signed: &Signed, form: &ClientForm, errors: &FormErrors) -> Markup {
    let pj = form.kind.eq_ignore_ascii_case("PJ");
    layout(
        "Novo cliente",
        Some((signed, Section::Clients)),
        html! {
            h1 { "Novo cliente" }
            section.card {
                (errors.summary())
                form method="post" action="/painel/clientes" {
                    (csrf_field(&signed.csrf))
                    label for="client-type" { "Tipo" }
                    select id="client-type" name="type" {
                        option value="PF" selected[!pj] { "Pessoa física (CPF)" }
                        option value="PJ" selected[pj] { "Pessoa jurídica (CNPJ)" }
                    }
                    (errors.at("type"))
                    label for="client-name" { "Nome" }
                    input type="text" id="client-name" name="name" required maxlength=(MAX_NAME) value=(form.name);
                    (errors.at("name"))
                    label for="client-document" { "CPF ou CNPJ" }
                    input type="text" id="client-document" name="document" data-doc-mask="client-type" value=(form.document);
                    (errors.at("cpf"))
                    (errors.at("cnpj"))
                    label for="client-email" { "E-mail" }
                    input type="email" id="client-email" name="email" maxlength=(MAX_NAME) value=(form.email);
                    (errors.at("email"))
                    label for="client-phone" { "Telefone" }
                    input type="tel" id="client-phone" name="phone" maxlength=(MAX_PHONE) value=(form.phone);
                    (errors.at("phone"))
                    div.actions {
                        button type="submit" id="criar-cliente" { "Criar cliente" }
                        a href="/painel/clientes" { "Cancelar" }
                    }
                }
            }
        },
    )
}

/// GET /painel/clientes/novo
pub async fn new_client(signed: Signed) -> Markup {
    form_page(&signed, &ClientForm::default(), &FormErrors::none())
}

/// The form as a client, every problem gathered (the Auto API's rules).
fn read_form(form: &ClientForm, strictness: Strictness) -> Result<Client, Vec<FieldError>> {
    let mut problems = Vec::new();
    let kind = ClientType::parse("type", form.kind.trim()).unwrap_or_else(|e| {
        problems.push(e);
        ClientType::Pf
    });
    let mut client = Client::new(kind, String::new());
    match text::required_text("name", &form.name, MAX_NAME) {
        Ok(name) => client.name = name,
        Err(e) => problems.push(e),
    }
    let document = form.document.trim();
    if !document.is_empty() {
        let parsed = match kind {
            ClientType::Pf => parse_cpf("cpf", document, strictness).map(|d| client.cpf = Some(d)),
            ClientType::Pj => {
                parse_cnpj("cnpj", document, strictness).map(|d| client.cnpj = Some(d))
            }
        };
        if let Err(e) = parsed {
            problems.push(e);
        }
    }
    match text::email("email", &form.email) {
        Ok(email) => client.email = email,
        Err(e) => problems.push(e),
    }
    match text::optional_text("phone", &form.phone, MAX_PHONE) {
        Ok(phone) => client.phone = phone,
        Err(e) => problems.push(e),
    }
    if problems.is_empty() {
        Ok(client)
    } else {
        Err(problems)
    }
}

/// POST /painel/clientes — creates a PF or PJ client; a rule broken shows
/// the form again (422) with each message next to its field and all of
/// them at the top, and writes nothing.
pub async fn create_client(
    State(state): State<PanelState>,
    SignedForm { signed, form }: SignedForm<ClientForm>,
) -> Result<Response, PanelError> {
    let strictness = state
        .store
        .conn()
        .await?
        .accounts()
        .strictness(signed.account)
        .await?;
    let problems = match read_form(&form, strictness) {
        Ok(client) => {
            let mut tx = state.store.begin().await?;
            let done =
                clients::create(&mut tx, signed.account, Draft::new(client, Vec::new())).await;
            match commit_or_problems(tx, done).await? {
                Ok(_) => {
                    return Ok(Notice::ClientCreated
                        .redirect(&signed, "/painel/clientes")
                        .into_response());
                }
                Err(problems) => problems,
            }
        }
        Err(problems) => problems,
    };
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        form_page(&signed, &form, &FormErrors::new(LABELS, &problems)),
    )
        .into_response())
}
