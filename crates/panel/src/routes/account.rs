//! Configurações → Conta: the account's name and the strict CPF/CNPJ toggle.

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;

use crate::error::PanelError;
use crate::extract::SignedForm;
use crate::pages::{csrf_field, layout, when, Section};
use crate::session::Signed;
use crate::PanelState;

/// The settings form: an unchecked checkbox sends nothing.
#[derive(Debug, Deserialize)]
pub struct AccountForm {
    #[serde(default)]
    strict_documents: Option<String>,
}

/// GET /painel/configuracoes/conta
pub async fn account_page(
    State(state): State<PanelState>,
    signed: Signed,
) -> Result<Markup, PanelError> {
    let account = state
        .store
        .conn()
        .await?
        .accounts()
        .get(signed.account)
        .await?;
    Ok(layout(
        "Conta",
        Some((&signed, Section::Account)),
        html! {
            h1 { "Configurações › Conta" }
            section.card {
                p { strong { (account.name) } }
                p.muted { "ID da conta: " code { (account.id) } " · criada em " (when(account.created_at, signed.zone)) }
                form method="post" action="/painel/configuracoes/conta" {
                    (csrf_field(&signed.csrf))
                    label.check for="strict-documents" {
                        input type="checkbox" id="strict-documents" name="strict_documents" value="1" checked[account.strict_documents];
                        "Exigir CPF/CNPJ com dígitos verificadores válidos na API Auto"
                    }
                    div.actions { button type="submit" id="salvar-conta" { "Salvar" } }
                }
            }
        },
    ))
}

/// POST /painel/configuracoes/conta
pub async fn update_account(
    State(state): State<PanelState>,
    SignedForm { signed, form }: SignedForm<AccountForm>,
) -> Result<Response, PanelError> {
    let mut tx = state.store.begin().await?;
    tx.accounts()
        .set_strict_documents(signed.account, form.strict_documents.is_some())
        .await?;
    tx.commit().await?;
    Ok(Redirect::to("/painel/configuracoes/conta").into_response())
}
