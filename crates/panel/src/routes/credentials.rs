//! Loja → API: generate or rotate a store's Client ID and Client Secret.
//! The secret and the derived token are shown once; rotation revokes the
//! previous pair in the same transaction (as `vitrine stores rotate-credentials`),
//! which breaks the live store at once, so it is asked for on a
//! confirmation page first.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_app::tenancy as tenants;
use vitrine_core::credentials::NewStoreCredentials;
use vitrine_core::ids::StoreId;
use vitrine_store::credentials::Credential;
use vitrine_store::stores::Store as StoreRow;

use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::pages::{copy_field, csrf_field, layout, when, when_opt, Section};
use crate::session::Signed;
use crate::PanelState;

/// The rotate form: `confirmar` is sent only by the confirmation page's
/// button; without it a store with live credentials keeps them.
#[derive(Debug, Deserialize)]
pub struct RotateForm {
    #[serde(default)]
    confirmar: String,
}

fn api_path(id: impl std::fmt::Display) -> String {
    format!("/painel/lojas/{id}/api")
}

fn confirm_path(id: impl std::fmt::Display) -> String {
    format!("/painel/lojas/{id}/api/rotacionar")
}

fn credentials_page(
    signed: &Signed,
    store: &StoreRow,
    creds: &[Credential],
    minted: Option<&NewStoreCredentials>,
) -> Markup {
    let id = store.id.to_string();
    let active = creds.iter().find(|c| c.revoked_at.is_none());
    layout(
        &format!("API da loja {}", store.name),
        Some((signed, Section::Stores)),
        html! {
            h1 { "Loja › " (store.name) " › API" }
            @if let Some(minted) = minted {
                section.card {
                    div.alert.secret role="alert" {
                        p { "Copie o Client Secret e o token agora: eles não serão mostrados de novo." }
                    }
                    (copy_field("client-id", "Client ID", &minted.client_id))
                    (copy_field("client-secret", "Client Secret", &minted.client_secret.plaintext))
                    (copy_field("loja-token", "Token (base64 de client_id:client_secret)", &minted.loja_token()))
                    p.muted { "Envie o token no cabeçalho " code { "Authorization: Basic <token>" } "." }
                }
            }
            section.card {
                (copy_field("store-id", "ID da loja", &id))
                h2 { "Credenciais ativas" }
                @if let Some(active) = active {
                    p { "Client ID: " code id="active-client-id" { (active.client_id) } }
                    p.muted { "Criadas em " (when(active.created_at, signed.zone)) " · último uso: " (when_opt(active.last_used_at, signed.zone)) }
                    // A GET to the confirmation page: nothing happens yet.
                    form method="get" action=(confirm_path(store.id)) {
                        div.actions { button.danger type="submit" id="gerar-credenciais" { "Rotacionar credenciais" } }
                    }
                    p.muted { "Rotacionar gera um novo par e revoga o anterior imediatamente." }
                } @else {
                    p.muted { "Esta loja ainda não tem credenciais ativas." }
                    form method="post" action=(api_path(store.id)) {
                        (csrf_field(&signed.csrf))
                        div.actions { button type="submit" id="gerar-credenciais" { "Gerar credenciais" } }
                    }
                }
            }
        },
    )
}

fn confirm_page(signed: &Signed, store: &StoreRow, active: &Credential) -> Markup {
    layout(
        "Rotacionar credenciais",
        Some((signed, Section::Stores)),
        html! {
            h1 { "Loja › " (store.name) " › API › Rotacionar" }
            section.card.narrow {
                h2 { "Rotacionar as credenciais da loja «" (store.name) "»?" }
                p {
                    "O par atual (Client ID " code { (active.client_id) } ") deixa de funcionar imediatamente: "
                    "a loja e toda integração que usa o token atual passam a receber 401 até receberem o novo token. "
                    "Não é possível desfazer."
                }
                form method="post" action=(api_path(store.id)) {
                    (csrf_field(&signed.csrf))
                    input type="hidden" name="confirmar" value="sim";
                    div.actions {
                        button.danger type="submit" id="confirmar-rotacao" { "Rotacionar agora" }
                        " "
                        a href=(api_path(store.id)) id="cancelar" { "Cancelar" }
                    }
                }
            }
        },
    )
}

/// GET /painel/lojas/{id}/api — another account's store is a 404 page.
pub async fn show_credentials(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(id): IdPath<StoreId>,
) -> Result<Markup, PanelError> {
    let mut conn = state.store.conn().await?;
    let store = conn.stores().get(signed.account, id).await?;
    let creds = conn
        .credentials()
        .list_for_store(signed.account, id)
        .await?;
    Ok(credentials_page(&signed, &store, &creds, None))
}

/// GET /painel/lojas/{id}/api/rotacionar — asks before rotating; a store
/// without live credentials has nothing to break and goes back to its page.
pub async fn confirm_rotation(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(id): IdPath<StoreId>,
) -> Result<Response, PanelError> {
    let mut conn = state.store.conn().await?;
    let store = conn.stores().get(signed.account, id).await?;
    let creds = conn
        .credentials()
        .list_for_store(signed.account, id)
        .await?;
    Ok(match creds.iter().find(|c| c.revoked_at.is_none()) {
        Some(active) => confirm_page(&signed, &store, active).into_response(),
        None => Redirect::to(&api_path(id)).into_response(),
    })
}

/// POST /painel/lojas/{id}/api — issue a pair; when the store has one
/// already, only with `confirmar` (revoking it in the same transaction),
/// else to the confirmation page with nothing changed.
pub async fn rotate_credentials(
    State(state): State<PanelState>,
    IdPath(id): IdPath<StoreId>,
    SignedForm { mut signed, form }: SignedForm<RotateForm>,
) -> Result<Response, PanelError> {
    let mut tx = state.store.begin().await?;
    let store = tx.stores().get(signed.account, id).await?;
    if form.confirmar != "sim" {
        let creds = tx.credentials().list_for_store(signed.account, id).await?;
        if creds.iter().any(|c| c.revoked_at.is_none()) {
            // Dropping the transaction rolls it back: nothing was written.
            return Ok(Redirect::to(&confirm_path(id)).into_response());
        }
    }
    let rotated = tenants::rotate_credentials(&mut tx, signed.account, id).await?;
    let (minted, revoked) = (rotated.credentials, rotated.revoked);
    let creds = tx.credentials().list_for_store(signed.account, id).await?;
    tx.commit().await?;
    signed.flash = Some(if revoked > 0 {
        "Credenciais rotacionadas: o par anterior foi revogado e já não funciona.".to_owned()
    } else {
        "Credenciais geradas.".to_owned()
    });
    Ok((
        StatusCode::CREATED,
        credentials_page(&signed, &store, &creds, Some(&minted)),
    )
        .into_response())
}
