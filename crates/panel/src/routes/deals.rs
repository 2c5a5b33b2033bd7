//! Negócios: the deals kanban, one column per pipeline phase, with the
//! won/lost deals in "Fechados". Moving and closing go through the same
//! core rules (`Deal::settle`, `webhook::deal_update_events`), the same
//! `tx.deals()` calls and the same outbox events as the Auto API's
//! `PATCH /deals/:id`, so a change here fires `deal.phase_changed`,
//! `deal.won` or `deal.lost` exactly like one made through the API, and
//! the stock follows the sale the same way (`vitrine_auto_wire::stock`).

use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_auto_wire::DealOut;
use vitrine_core::deal::{Deal, DealPhase, DealStatus};
use vitrine_core::ids::{AccountId, DealId};
use vitrine_core::money::Money;
use vitrine_core::text::{self, MAX_TEXT};
use vitrine_core::{webhook, FieldError};
use vitrine_store::deals::{DealFilter, DealRecord, DealSort};
use vitrine_store::Tx;

use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::pages::{brl, brl_opt, csrf_field, layout, Section};
use crate::session::Signed;
use crate::PanelState;

/// How many deals of each status the board loads.
const BOARD_LIMIT: u32 = 500;

/// Column titles: the known phases in Portuguese, any other phase (the
/// vocabulary is open, §4.3) as it was sent.
fn phase_label(p: &DealPhase) -> &str {
    match p {
        DealPhase::Lead => "Lead",
        DealPhase::Contato => "Contato",
        DealPhase::Visita => "Visita",
        DealPhase::TestDrive => "Test drive",
        DealPhase::Proposta => "Proposta",
        DealPhase::Negociacao => "Negociação",
        DealPhase::Fechamento => "Fechamento",
        DealPhase::Other(label) => label.as_str(),
    }
}

/// A column's id: the phase with anything but letters, digits and `_`
/// as `-` (a phase may hold spaces; an id may not).
fn column_id(p: &DealPhase) -> String {
    p.as_str()
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The board's columns: the known phases in pipeline order, then every
/// other phase an open deal is in, alphabetically.
fn columns(open: &[DealRecord]) -> Vec<DealPhase> {
    let mut extra: Vec<DealPhase> = open
        .iter()
        .map(|r| r.deal.phase.clone())
        .filter(|p| !p.is_known())
        .collect();
    extra.sort_by(|a, b| a.as_str().cmp(b.as_str()));
    extra.dedup();
    DealPhase::KNOWN.iter().cloned().chain(extra).collect()
}

async fn deals_with_status(
    state: &PanelState,
    account: AccountId,
    status: DealStatus,
) -> Result<Vec<DealRecord>, PanelError> {
    let filter = DealFilter {
        status: Some(status),
        ..DealFilter::default()
    };
    let (items, _) = state
        .store
        .conn()
        .await?
        .deals()
        .list(account, &filter, DealSort::UpdatedAt, true, BOARD_LIMIT, 0)
        .await?;
    Ok(items)
}

fn card(signed: &Signed, r: &DealRecord, phases: &[DealPhase]) -> Markup {
    let id = r.id.to_string();
    let d = &r.deal;
    html! {
        article.deal id={ "deal-" (id) } data-phase=(d.phase.as_str()) data-status=(d.status.as_str()) {
            h3 { (d.title) }
            p.muted { (r.client_name.as_deref().unwrap_or("Sem cliente")) }
            p.value { (brl_opt(d.value)) }
            @if d.status == DealStatus::Ativo {
                form.inline method="post" action={ "/painel/negocios/" (id) "/fase" } {
                    (csrf_field(&signed.csrf))
                    label.sr for={ "phase-" (id) } { "Fase" }
                    select id={ "phase-" (id) } name="phase" {
                        @for p in phases {
                            option value=(p.as_str()) selected[*p == d.phase] { (phase_label(p)) }
                        }
                    }
                    button.small type="submit" id={ "mover-" (id) } { "Mover" }
                }
                form.inline method="post" action={ "/painel/negocios/" (id) "/ganho" } {
                    (csrf_field(&signed.csrf))
                    label.sr for={ "value-" (id) } { "Valor final" }
                    input type="text" inputmode="decimal" id={ "value-" (id) } name="value"
                        placeholder="Valor final" value=[d.value.map(|v| brl(v).trim_start_matches("R$ ").to_owned())];
                    button.small type="submit" id={ "ganho-" (id) } { "Ganho" }
                }
                form.inline method="post" action={ "/painel/negocios/" (id) "/perdido" } {
                    (csrf_field(&signed.csrf))
                    label.sr for={ "loss-" (id) } { "Motivo da perda" }
                    input type="text" id={ "loss-" (id) } name="loss_reason" placeholder="Motivo da perda" maxlength=(MAX_TEXT);
                    button.small type="submit" id={ "perdido-" (id) } { "Perdido" }
                }
            } @else if d.status == DealStatus::Ganho {
                p.badge.won { "Ganho" }
            } @else {
                p.badge.lost { "Perdido" @if let Some(why) = &d.loss_reason { ": " (why) } }
            }
        }
    }
}

/// GET /painel/negocios — the kanban.
pub async fn board(State(state): State<PanelState>, signed: Signed) -> Result<Markup, PanelError> {
    let open = deals_with_status(&state, signed.account, DealStatus::Ativo).await?;
    let mut closed = deals_with_status(&state, signed.account, DealStatus::Ganho).await?;
    closed.extend(deals_with_status(&state, signed.account, DealStatus::Perdido).await?);
    closed.sort_by_key(|r| std::cmp::Reverse(r.updated_at));
    let phases = columns(&open);
    Ok(layout(
        "Negócios",
        Some((&signed, Section::Deals)),
        html! {
            h1 { "Negócios" }
            div.kanban {
                @for phase in &phases {
                    @let cards: Vec<&DealRecord> = open.iter().filter(|r| r.deal.phase == *phase).collect();
                    section.column id={ "fase-" (column_id(phase)) } data-phase=(phase.as_str()) {
                        h2 { (phase_label(phase)) " " span.count { (cards.len()) } }
                        @for r in cards { (card(&signed, r, &phases)) }
                    }
                }
                section.column id="fechados" {
                    h2 { "Fechados" " " span.count { (closed.len()) } }
                    @for r in &closed { (card(&signed, r, &phases)) }
                }
            }
        },
    ))
}

/// The move form.
#[derive(Debug, Deserialize)]
pub struct PhaseForm {
    #[serde(default)]
    phase: String,
}

/// The won form: the final value (empty keeps the deal's value).
#[derive(Debug, Deserialize)]
pub struct WonForm {
    #[serde(default)]
    value: String,
}

/// The lost form.
#[derive(Debug, Deserialize)]
pub struct LostForm {
    #[serde(default)]
    loss_reason: String,
}

/// Loads the deal (scoped to the account, locked), applies `change`, settles
/// the close timestamps and stores it with its events, like the Auto API's
/// update: one transaction for the change and its outbox rows. The id
/// answers first: a foreign or unknown id is the 404 page whatever the form.
async fn change_deal(
    state: &PanelState,
    account: AccountId,
    id: DealId,
    change: impl FnOnce(&mut Deal) -> Result<(), FieldError>,
) -> Result<Response, PanelError> {
    let mut tx: Tx = state.store.begin().await?;
    let mut deal = tx.deals().get_for_update(account, id).await?.deal;
    let previous = deal.clone();
    change(&mut deal).map_err(invalid)?;
    deal.settle(Some(previous.status), vitrine_store::now());
    let saved = tx.deals().update(account, id, &deal).await?;
    let out = DealOut::from(saved);
    let names = webhook::deal_update_events(&previous, &deal);
    crate::events::emit(&mut tx, account, &names, &out).await?;
    let (before, after) = (previous.sold_vehicle(), deal.sold_vehicle());
    crate::events::follow_sale(&mut tx, account, before, after).await?;
    tx.commit().await?;
    Ok(Redirect::to("/painel/negocios").into_response())
}

/// POST /painel/negocios/{id}/fase — moves the deal to another phase.
pub async fn move_deal(
    State(state): State<PanelState>,
    IdPath(id): IdPath<DealId>,
    SignedForm { signed, form }: SignedForm<PhaseForm>,
) -> Result<Response, PanelError> {
    change_deal(&state, signed.account, id, |d| {
        d.phase = DealPhase::parse("phase", &form.phase)?;
        Ok(())
    })
    .await
}

/// A final value as typed in the panel: `142900`, `142900.00`,
/// `142.900,00` or `142900,00`.
fn parse_value(raw: &str) -> Result<Option<Money>, FieldError> {
    let raw = raw.trim().trim_start_matches("R$").trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let literal = if raw.contains(',') {
        raw.replace('.', "").replace(',', ".")
    } else {
        raw.to_owned()
    };
    Money::parse_literal(&literal).map(Some).map_err(|_| {
        FieldError::invalid(
            "value",
            "Valor final inválido: use reais com até duas casas decimais, como 142.900,00",
        )
    })
}

/// POST /painel/negocios/{id}/ganho — marks the deal won, with its final value.
pub async fn mark_deal_won(
    State(state): State<PanelState>,
    IdPath(id): IdPath<DealId>,
    SignedForm { signed, form }: SignedForm<WonForm>,
) -> Result<Response, PanelError> {
    change_deal(&state, signed.account, id, |d| {
        if let Some(value) = parse_value(&form.value)? {
            d.value = Some(value);
        }
        d.status = DealStatus::Ganho;
        Ok(())
    })
    .await
}

/// POST /painel/negocios/{id}/perdido — marks the deal lost, with the reason.
pub async fn mark_deal_lost(
    State(state): State<PanelState>,
    IdPath(id): IdPath<DealId>,
    SignedForm { signed, form }: SignedForm<LostForm>,
) -> Result<Response, PanelError> {
    change_deal(&state, signed.account, id, |d| {
        if let Some(reason) = text::optional_text("loss_reason", &form.loss_reason, MAX_TEXT)? {
            d.loss_reason = Some(reason);
        }
        d.status = DealStatus::Perdido;
        Ok(())
    })
    .await
}

fn invalid(e: FieldError) -> PanelError {
    PanelError::Invalid(vec![e.message])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_values_as_people_type_them() {
        let cents = |s: &str| parse_value(s).map(|m| m.map(Money::cents));
        assert_eq!(cents("142.900,00"), Ok(Some(14_290_000)));
        assert_eq!(cents("R$ 142.900,50"), Ok(Some(14_290_050)));
        assert_eq!(cents("142900,5"), Ok(Some(14_290_050)));
        assert_eq!(cents("142900.00"), Ok(Some(14_290_000)));
        assert_eq!(cents("142900"), Ok(Some(14_290_000)));
        assert_eq!(cents("  "), Ok(None), "empty keeps the deal's value");
        for bad in ["-10", "1,234", "doze mil", "10,00,00"] {
            assert!(cents(bad).is_err(), "{bad}");
        }
    }
}
