//! Clientes: the list and a create form for PF/PJ. Documents go through the
//! same core parsing as the Auto API's `POST /clients` (`parse_cpf`,
//! `parse_cnpj` with the account's strictness), the same duplicate check
//! and the same `client.created` outbox event.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_auto_wire::ClientOut;
use vitrine_core::client::{parse_cnpj, parse_cpf, Client, ClientStatus, ClientType};
use vitrine_core::doc::Strictness;
use vitrine_core::ids::{AccountId, ClientId};
use vitrine_core::text::{self, MAX_NAME, MAX_PHONE};
use vitrine_core::FieldError;
use vitrine_store::clients::{ClientFilter, ClientRecord, ClientSort, TakenDocument};

use crate::error::PanelError;
use crate::extract::SignedForm;
use crate::pages::{alert, csrf_field, layout, Section};
use crate::session::Signed;
use crate::PanelState;

/// How many clients the list shows (newest first).
const LIST_LIMIT: u32 = 200;

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

fn list_page(
    signed: &Signed,
    clients: &[ClientRecord],
    form: &ClientForm,
    errors: &[String],
) -> Markup {
    let pj = form.kind.eq_ignore_ascii_case("PJ");
    layout(
        "Clientes",
        Some((signed, Section::Clients)),
        html! {
            h1 { "Clientes" }
            section.card {
                @if clients.is_empty() {
                    p.muted { "Nenhum cliente ainda." }
                } @else {
                    table id="clientes" {
                        thead { tr { th { "Nome" } th { "Tipo" } th { "Documento" } th { "Status" } } }
                        tbody {
                            @for r in clients {
                                @let c = &r.client;
                                tr {
                                    td data-label="Nome" { (c.name) }
                                    td data-label="Tipo" { (c.kind.as_str()) }
                                    td data-label="Documento" { (c.cpf.as_deref().or(c.cnpj.as_deref()).unwrap_or("—")) }
                                    td data-label="Status" { (status_label(c.status)) }
                                }
                            }
                        }
                    }
                }
            }
            section.card {
                h2 { "Novo cliente" }
                (alert("error", errors))
                form method="post" action="/painel/clientes" {
                    (csrf_field(&signed.csrf))
                    label for="client-type" { "Tipo" }
                    select id="client-type" name="type" {
                        option value="PF" selected[!pj] { "Pessoa física (CPF)" }
                        option value="PJ" selected[pj] { "Pessoa jurídica (CNPJ)" }
                    }
                    label for="client-name" { "Nome" }
                    input type="text" id="client-name" name="name" required maxlength=(MAX_NAME) value=(form.name);
                    label for="client-document" { "CPF ou CNPJ" }
                    input type="text" id="client-document" name="document" data-doc-mask="client-type" value=(form.document);
                    label for="client-email" { "E-mail" }
                    input type="email" id="client-email" name="email" maxlength=(MAX_NAME) value=(form.email);
                    label for="client-phone" { "Telefone" }
                    input type="tel" id="client-phone" name="phone" maxlength=(MAX_PHONE) value=(form.phone);
                    div.actions { button type="submit" id="criar-cliente" { "Criar cliente" } }
                }
            }
        },
    )
}

async fn list(state: &PanelState, account: AccountId) -> Result<Vec<ClientRecord>, PanelError> {
    let (items, _) = state
        .store
        .conn()
        .await?
        .clients()
        .list(
            account,
            &ClientFilter::default(),
            ClientSort::CreatedAt,
            true,
            LIST_LIMIT,
            0,
        )
        .await?;
    Ok(items)
}

/// GET /painel/clientes
pub async fn list_clients(
    State(state): State<PanelState>,
    signed: Signed,
) -> Result<Markup, PanelError> {
    let clients = list(&state, signed.account).await?;
    Ok(list_page(&signed, &clients, &ClientForm::default(), &[]))
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
/// the form again with the messages (422) and writes nothing.
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
    let client = read_form(&form, strictness);
    let mut tx = state.store.begin().await?;
    let problems = match client {
        Ok(client) => match tx
            .clients()
            .taken_document(signed.account, &client, None)
            .await?
        {
            Some(TakenDocument::Cpf) => vec![text::duplicate("cpf")],
            Some(TakenDocument::Cnpj) => vec![text::duplicate("cnpj")],
            None => {
                let saved = tx
                    .clients()
                    .insert(signed.account, ClientId::new(), &client)
                    .await?;
                let out = ClientOut::from(saved);
                crate::events::emit(&mut tx, signed.account, &["client.created"], &out).await?;
                tx.commit().await?;
                return Ok(Redirect::to("/painel/clientes").into_response());
            }
        },
        Err(problems) => problems,
    };
    drop(tx);
    let clients = list(&state, signed.account).await?;
    let errors: Vec<String> = problems.into_iter().map(|p| p.message).collect();
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        list_page(&signed, &clients, &form, &errors),
    )
        .into_response())
}
