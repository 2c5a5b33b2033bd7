//! Loja → API: generate or rotate a store's Client ID and Client Secret.
//! The secret and the derived token are shown once; rotation revokes the
//! previous pair in the same transaction (as `vitrine stores rotate-credentials`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_core::credentials::{mint_store_credentials, NewStoreCredentials};
use vitrine_core::ids::StoreId;
use vitrine_store::credentials::Credential;
use vitrine_store::stores::Store as StoreRow;

use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::pages::{copy_field, csrf_field, layout, when, when_opt, Section};
use crate::session::Signed;
use crate::PanelState;

/// The rotate form (its CSRF field only).
#[derive(Debug, Deserialize)]
pub struct RotateForm {}

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
                        p { "Copie o Client Secret e o token agora: eles não serão mostrados de novo. O par anterior foi revogado." }
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
                } @else {
                    p.muted { "Esta loja ainda não tem credenciais ativas." }
                }
                form method="post" action={ "/painel/lojas/" (id) "/api" } {
                    (csrf_field(&signed.csrf))
                    div.actions {
                        @if active.is_some() {
                            button.danger type="submit" id="gerar-credenciais" { "Rotacionar credenciais" }
                        } @else {
                            button type="submit" id="gerar-credenciais" { "Gerar credenciais" }
                        }
                    }
                }
                p.muted { "Rotacionar gera um novo par e revoga o anterior imediatamente." }
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

/// POST /painel/lojas/{id}/api — revoke the active pair, issue a new one.
pub async fn rotate_credentials(
    State(state): State<PanelState>,
    IdPath(id): IdPath<StoreId>,
    SignedForm { signed, .. }: SignedForm<RotateForm>,
) -> Result<Response, PanelError> {
    let minted = mint_store_credentials();
    let mut tx = state.store.begin().await?;
    let store = tx.stores().get(signed.account, id).await?;
    tx.credentials()
        .revoke_for_store(signed.account, id)
        .await?;
    tx.credentials().insert(signed.account, id, &minted).await?;
    let creds = tx.credentials().list_for_store(signed.account, id).await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        credentials_page(&signed, &store, &creds, Some(&minted)),
    )
        .into_response())
}
