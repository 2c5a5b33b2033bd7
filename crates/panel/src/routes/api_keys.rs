//! Configurações → API Keys: create (the key shown once), list, revoke
//! (after a confirmation page: revoking cannot be undone).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_app::tenancy as tenants;
use vitrine_core::ids::ApiKeyId;
use vitrine_core::tenancy;
use vitrine_store::api_keys::ApiKey;

use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::flash;
use crate::pages::{alert, copy_field, csrf_field, layout, when, when_opt, Section};
use crate::session::Signed;
use crate::PanelState;

const LIST: &str = "/painel/configuracoes/api-keys";

/// The create form's fields.
#[derive(Debug, Deserialize)]
pub struct CreateKeyForm {
    #[serde(default)]
    name: String,
}

/// The revoke form: `confirmar` is sent only by the confirmation page's
/// button; without it nothing is revoked.
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    confirmar: String,
}

fn revoke_path(id: impl std::fmt::Display) -> String {
    format!("{LIST}/{id}/revogar")
}

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
                form method="post" action=(LIST) {
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
                                tr id={ "key-" (key.id) } {
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
                                            // A GET to the confirmation page: nothing happens yet.
                                            form.inline method="get" action=(revoke_path(key.id)) {
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

fn confirm_page(signed: &Signed, key: &ApiKey) -> Markup {
    layout(
        "Revogar chave",
        Some((signed, Section::ApiKeys)),
        html! {
            h1 { "Configurações › API Keys › Revogar" }
            section.card.narrow {
                @if let Some(at) = key.revoked_at {
                    h2 { "A chave «" (key.name) "» já foi revogada" }
                    p.muted { "Revogada em " (when(at, signed.zone)) "." }
                    div.actions { a href=(LIST) { "Voltar às chaves" } }
                } @else {
                    h2 { "Revogar a chave «" (key.name) "»?" }
                    p { "A chave " code.prefix { (key.display_prefix) "…" } " deixa de funcionar imediatamente: toda integração que a usa passa a receber 401. Não é possível desfazer." }
                    form method="post" action=(revoke_path(key.id)) {
                        (csrf_field(&signed.csrf))
                        input type="hidden" name="confirmar" value="sim";
                        div.actions {
                            button.danger type="submit" id="confirmar-revogacao" { "Revogar a chave" }
                            " "
                            a href=(LIST) id="cancelar" { "Cancelar" }
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
    SignedForm { mut signed, form }: SignedForm<CreateKeyForm>,
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
    let mut tx = state.store.begin().await?;
    let (_, key) = tenants::create_key(&mut tx, signed.account, &name).await?;
    let keys = tx.api_keys().list(signed.account).await?;
    tx.commit().await?;
    signed.flash = Some(format!("Chave «{name}» criada."));
    Ok((
        StatusCode::CREATED,
        keys_page(&signed, &keys, Some(&key.secret.plaintext), &[]),
    )
        .into_response())
}

/// GET /painel/configuracoes/api-keys/{id}/revogar — asks before revoking;
/// another account's key is a 404 page.
pub async fn confirm_revoke_key(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(id): IdPath<ApiKeyId>,
) -> Result<Markup, PanelError> {
    let key = state
        .store
        .conn()
        .await?
        .api_keys()
        .get(signed.account, id)
        .await?;
    Ok(confirm_page(&signed, &key))
}

/// POST /painel/configuracoes/api-keys/{id}/revogar — with `confirmar`
/// (the confirmation page's button) revokes, else goes to the
/// confirmation page. Another account's key is a 404 page and stays
/// untouched.
pub async fn revoke_key(
    State(state): State<PanelState>,
    IdPath(id): IdPath<ApiKeyId>,
    SignedForm { signed, form }: SignedForm<RevokeForm>,
) -> Result<Response, PanelError> {
    if form.confirmar != "sim" {
        state
            .store
            .conn()
            .await?
            .api_keys()
            .get(signed.account, id)
            .await?;
        return Ok(Redirect::to(&revoke_path(id)).into_response());
    }
    let mut tx = state.store.begin().await?;
    let key = tenants::revoke_key(&mut tx, signed.account, id).await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &signed,
        LIST,
        &format!(
            "Chave «{}» revogada: as integrações que a usavam passam a receber 401.",
            key.name
        ),
    ))
}
