//! Configurações → Conta: the account's name, the strict CPF/CNPJ toggle
//! and the time zone the panel reads and shows dates in.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_app::tenancy as tenants;
use vitrine_core::time_zone::{self, TimeZone};
use vitrine_store::accounts::Account;

use crate::error::PanelError;
use crate::extract::SignedForm;
use crate::input::{FormErrors, Labels};
use crate::notice::Notice;
use crate::pages::{csrf_field, layout, when, Section};
use crate::session::Signed;
use crate::PanelState;

const LABELS: Labels = &[("time_zone", "Fuso horário")];

/// The settings form: an unchecked checkbox sends nothing.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    strict_documents: Option<String>,
    time_zone: String,
}

fn page(signed: &Signed, account: &Account, form: &AccountForm, errors: &FormErrors) -> Markup {
    layout(
        "Conta",
        Some((signed, Section::Account)),
        html! {
            h1 { "Configurações › Conta" }
            section.card {
                (errors.summary())
                p { strong { (account.name) } }
                p.muted { "ID da conta: " code { (account.id) } " · criada em " (when(account.created_at, signed.zone)) }
                form method="post" action="/painel/configuracoes/conta" {
                    (csrf_field(&signed.csrf))
                    label.check for="strict-documents" {
                        input type="checkbox" id="strict-documents" name="strict_documents" value="1" checked[form.strict_documents.is_some()];
                        "Exigir CPF/CNPJ com dígitos verificadores válidos na API Auto"
                    }
                    label for="time-zone" { "Fuso horário" }
                    input type="text" id="time-zone" name="time_zone" list="fusos" required value=(form.time_zone) autocomplete="off";
                    datalist id="fusos" {
                        @for name in time_zone::BRAZIL { option value=(name) {} }
                    }
                    (errors.at("time_zone"))
                    p.muted {
                        "Um nome do banco de fusos IANA (" code { "America/Sao_Paulo" } ", " code { "America/Manaus" } ", …). "
                        "O painel mostra e lê datas e horas neste fuso; os filtros por dia dos pedidos (no painel e em "
                        code { "order/findbyfilter" } ") cortam o dia à meia-noite dele."
                    }
                    div.actions { button type="submit" id="salvar-conta" { "Salvar" } }
                }
            }
        },
    )
}

async fn account(state: &PanelState, signed: &Signed) -> Result<Account, PanelError> {
    Ok(state
        .store
        .conn()
        .await?
        .accounts()
        .get(signed.account)
        .await?)
}

/// GET /painel/configuracoes/conta
pub async fn account_page(
    State(state): State<PanelState>,
    signed: Signed,
) -> Result<Markup, PanelError> {
    let account = account(&state, &signed).await?;
    let form = AccountForm {
        strict_documents: account.strict_documents.then(|| "1".to_owned()),
        time_zone: account.zone().name().to_owned(),
    };
    Ok(page(&signed, &account, &form, &FormErrors::none()))
}

/// POST /painel/configuracoes/conta — a zone the IANA database does not
/// know is shown next to the field (422) and nothing is saved; a form
/// without the field keeps the zone.
pub async fn update_account(
    State(state): State<PanelState>,
    SignedForm { signed, form }: SignedForm<AccountForm>,
) -> Result<Response, PanelError> {
    let typed = Some(form.time_zone.trim()).filter(|z| !z.is_empty());
    let zone = match typed.map(|z| TimeZone::parse("time_zone", z)).transpose() {
        Ok(zone) => zone,
        Err(problem) => {
            let account = account(&state, &signed).await?;
            let errors = FormErrors::new(LABELS, &[problem]);
            return Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                page(&signed, &account, &form, &errors),
            )
                .into_response());
        }
    };
    let mut tx = state.store.begin().await?;
    let strict = form.strict_documents.is_some();
    tenants::configure_account(&mut tx, signed.account, strict, zone).await?;
    tx.commit().await?;
    Ok(Notice::AccountSaved
        .redirect(&signed, "/painel/configuracoes/conta")
        .into_response())
}
