//! Configurações → Lojas: list, create, rename; copy a store's id.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_app::tenancy as tenants;
use vitrine_core::ids::StoreId;
use vitrine_core::tenancy;
use vitrine_store::stores::Store as StoreRow;

use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::flash;
use crate::pages::{alert, copy_field, csrf_field, layout, when, Section};
use crate::session::Signed;
use crate::PanelState;

/// The name field of the create and rename forms.
#[derive(Debug, Deserialize)]
pub struct NameForm {
    #[serde(default)]
    name: String,
}

fn list_page(signed: &Signed, stores: &[StoreRow], errors: &[String]) -> Markup {
    layout(
        "Lojas",
        Some((signed, Section::Stores)),
        html! {
            h1 { "Configurações › Lojas" }
            section.card {
                table {
                    thead { tr { th { "Nome" } th { "ID da loja" } th { "Criada em" } th { "Ações" } } }
                    tbody {
                        @for store in stores {
                            @let id = store.id.to_string();
                            tr {
                                td data-label="Nome" { a href={ "/painel/configuracoes/lojas/" (id) } { (store.name) } }
                                td data-label="ID da loja" {
                                    code id={ "store-id-" (id) } { (id) }
                                    " "
                                    button.small type="button" data-copy={ "store-id-" (id) } { "Copiar" }
                                }
                                td data-label="Criada em" { (when(store.created_at, signed.zone)) }
                                td data-label="Ações" {
                                    a href={ "/painel/configuracoes/lojas/" (id) } { "Renomear" }
                                    " · "
                                    a href={ "/painel/lojas/" (id) "/api" } { "API da loja" }
                                    " · "
                                    a href={ "/painel/lojas/" (id) "/produtos" } { "Produtos" }
                                    " · "
                                    a href={ "/painel/lojas/" (id) "/pedidos" } { "Pedidos" }
                                }
                            }
                        }
                    }
                }
            }
            section.card {
                h2 { "Nova loja" }
                (alert("error", errors))
                form method="post" action="/painel/configuracoes/lojas" {
                    (csrf_field(&signed.csrf))
                    label for="store-name" { "Nome" }
                    input type="text" id="store-name" name="name" required maxlength=(tenancy::MAX_NAME_LEN);
                    div.actions { button type="submit" id="criar-loja" { "Criar loja" } }
                }
            }
        },
    )
}

/// GET /painel/configuracoes/lojas
pub async fn list_stores(
    State(state): State<PanelState>,
    signed: Signed,
) -> Result<Markup, PanelError> {
    let stores = state
        .store
        .conn()
        .await?
        .stores()
        .list(signed.account)
        .await?;
    Ok(list_page(&signed, &stores, &[]))
}

/// POST /painel/configuracoes/lojas — the name rule of `vitrine stores create`.
pub async fn create_store(
    State(state): State<PanelState>,
    SignedForm { signed, form }: SignedForm<NameForm>,
) -> Result<Response, PanelError> {
    let name = match tenancy::parse_name("name", &form.name) {
        Ok(name) => name,
        Err(vitrine_core::Error::Invalid(problems)) => {
            let stores = state
                .store
                .conn()
                .await?
                .stores()
                .list(signed.account)
                .await?;
            let errors: Vec<String> = problems.into_iter().map(|p| p.message).collect();
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                list_page(&signed, &stores, &errors),
            )
                .into_response());
        }
    };
    let mut tx = state.store.begin().await?;
    tenants::create_store(&mut tx, signed.account, &name).await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &signed,
        "/painel/configuracoes/lojas",
        &format!("Loja «{name}» criada."),
    ))
}

fn store_page(signed: &Signed, store: &StoreRow, errors: &[String]) -> Markup {
    let id = store.id.to_string();
    layout(
        &store.name,
        Some((signed, Section::Stores)),
        html! {
            h1 { "Loja › " (store.name) }
            section.card {
                (copy_field("store-id", "ID da loja", &id))
                p.muted { "Criada em " (when(store.created_at, signed.zone)) ". " a href={ "/painel/lojas/" (id) "/api" } { "Credenciais da API da loja" } " · " a href={ "/painel/lojas/" (id) "/produtos" } { "Produtos" } " · " a href={ "/painel/lojas/" (id) "/pedidos" } { "Pedidos" } }
            }
            section.card {
                h2 { "Renomear" }
                (alert("error", errors))
                form method="post" action={ "/painel/configuracoes/lojas/" (id) } {
                    (csrf_field(&signed.csrf))
                    label for="store-name" { "Nome" }
                    input type="text" id="store-name" name="name" value=(store.name) required maxlength=(tenancy::MAX_NAME_LEN);
                    div.actions { button type="submit" id="renomear-loja" { "Salvar nome" } }
                }
            }
        },
    )
}

/// GET /painel/configuracoes/lojas/{id} — another account's id is a 404 page.
pub async fn show_store(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(id): IdPath<StoreId>,
) -> Result<Markup, PanelError> {
    let store = state
        .store
        .conn()
        .await?
        .stores()
        .get(signed.account, id)
        .await?;
    Ok(store_page(&signed, &store, &[]))
}

/// POST /painel/configuracoes/lojas/{id} — rename.
pub async fn rename_store(
    State(state): State<PanelState>,
    IdPath(id): IdPath<StoreId>,
    SignedForm { signed, form }: SignedForm<NameForm>,
) -> Result<Response, PanelError> {
    let name = match tenancy::parse_name("name", &form.name) {
        Ok(name) => name,
        Err(vitrine_core::Error::Invalid(problems)) => {
            let store = state
                .store
                .conn()
                .await?
                .stores()
                .get(signed.account, id)
                .await?;
            let errors: Vec<String> = problems.into_iter().map(|p| p.message).collect();
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                store_page(&signed, &store, &errors),
            )
                .into_response());
        }
    };
    let mut tx = state.store.begin().await?;
    let store = tenants::rename_store(&mut tx, signed.account, id, &name).await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &signed,
        &format!("/painel/configuracoes/lojas/{}", store.id),
        &format!("Loja renomeada para «{}».", store.name),
    ))
}
