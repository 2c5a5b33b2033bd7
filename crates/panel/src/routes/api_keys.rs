//! Configurações → API Keys: create (the key shown once), list, revoke.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_core::credentials::mint_api_key;
use vitrine_core::ids::ApiKeyId;
use vitrine_core::tenancy;
use vitrine_store::api_keys::ApiKey;

use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::pages::{alert, copy_field, csrf_field, layout, when, when_opt, Section};
use crate::session::Signed;
use crate::PanelState;

/// The create form's fields.
#[derive(Debug, Deserialize)]
pub struct CreateKeyForm {
    #[serde(default)]
    name: String,
}

/// The revoke form (its CSRF field only).
#[derive(Debug, Deserialize)]
pub struct RevokeForm {}

fn keys_page(signed: &Signed, keys: &[ApiKey], new_key: Option<&str>, errors: &[String]) -> Markup {
    layout(
        "API Keys",
        Some((signed, Section::ApiKeys)),
        html! {
            h1 { "Configurações › API Keys" }
            @if let Some(key) = new_key {
                section.card {
                    div.alert.secret role="alert" {
                        p { "Copie a chave agora: ela não será mostrada de novo." }
                    }
                    (copy_field("new-api-key", "Nova chave da API", key))
                }
            }
            section.card {
                h2 { "Nova chave" }
                (alert("error", errors))
                form method="post" action="/painel/configuracoes/api-keys" {
                    (csrf_field(&signed.csrf))
                    label for="key-name" { "Nome (para você reconhecer a chave)" }
                    input type="text" id="key-name" name="name" required maxlength=(tenancy::MAX_NAME_LEN);
                    div.actions { button type="submit" id="criar-chave" { "Criar chave" } }
                }
            }
            section.card {
                h2 { "Chaves" }
                @if keys.is_empty() {
                    p.muted { "Nenhuma chave." }
                } @else {
                    table {
                        thead { tr { th { "Nome" } th { "Prefixo" } th { "Criada em" } th { "Último uso" } th { "Situação" } th {} } }
                        tbody {
                            @for key in keys {
                                @let id = key.id.to_string();
                                tr id={ "key-" (id) } {
                                    td data-label="Nome" { (key.name) }
                                    td data-label="Prefixo" { code.prefix { (key.display_prefix) "…" } }
                                    td data-label="Criada em" { (when(key.created_at, signed.zone)) }
                                    td data-label="Último uso" { (when_opt(key.last_used_at, signed.zone)) }
                                    td data-label="Situação" {
                                        @if let Some(at) = key.revoked_at {
                                            span.badge.off { "Revogada em " (when(at, signed.zone)) }
                                        } @else {
                                            span.badge { "Ativa" }
                                        }
                                    }
                                    td {
                                        @if key.revoked_at.is_none() {
                                            form.inline method="post" action={ "/painel/configuracoes/api-keys/" (id) "/revogar" } {
                                                (csrf_field(&signed.csrf))
                                                button.danger.small type="submit" id={ "revogar-" (key.display_prefix) } { "Revogar" }
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// GET /painel/configuracoes/api-keys
pub async fn list_keys(
    State(state): State<PanelState>,
    signed: Signed,
) -> Result<Markup, PanelError> {
    let keys = state
        .store
        .conn()
        .await?
        .api_keys()
        .list(signed.account)
        .await?;
    Ok(keys_page(&signed, &keys, None, &[]))
}

/// POST /painel/configuracoes/api-keys — mints with core, stores with the
/// same repository as `vitrine keys create`; the page shows the key once.
pub async fn create_key(
    State(state): State<PanelState>,
    SignedForm { signed, form }: SignedForm<CreateKeyForm>,
) -> Result<Response, PanelError> {
    let name = match tenancy::parse_name("name", &form.name) {
        Ok(name) => name,
        Err(vitrine_core::Error::Invalid(problems)) => {
            let keys = state
                .store
                .conn()
                .await?
                .api_keys()
                .list(signed.account)
                .await?;
            let errors: Vec<String> = problems.into_iter().map(|p| p.message).collect();
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                keys_page(&signed, &keys, None, &errors),
            )
                .into_response());
        }
    };
    let key = mint_api_key();
    let mut tx = state.store.begin().await?;
    tx.api_keys().insert(signed.account, &name, &key).await?;
    let keys = tx.api_keys().list(signed.account).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        keys_page(&signed, &keys, Some(&key.secret.plaintext), &[]),
    )
        .into_response())
}

/// POST /painel/configuracoes/api-keys/{id}/revogar — another account's
/// key is a 404 page and stays untouched.
pub async fn revoke_key(
    State(state): State<PanelState>,
    IdPath(id): IdPath<ApiKeyId>,
    SignedForm { signed, .. }: SignedForm<RevokeForm>,
) -> Result<Response, PanelError> {
    let mut tx = state.store.begin().await?;
    tx.api_keys().revoke(signed.account, id).await?;
    tx.commit().await?;
    Ok(Redirect::to("/painel/configuracoes/api-keys").into_response())
}
