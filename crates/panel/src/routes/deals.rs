//! Negócios: the deals kanban, one column per pipeline phase, with the
//! won/lost deals in "Fechados", searchable and paged (each column shows
//! its total). Moving, closing and reopening are the use cases of
//! `vitrine_app::crm::deals`, behind the Auto API's `PATCH /deals/:id` too
//! (`Deal::settle`, `Deal::reopen`, the same outbox events), so a change
//! here fires `deal.phase_changed`, `deal.won` or `deal.lost` exactly like
//! one made through the API, and the stock follows the sale the same way.
//! Closing and reopening ask for confirmation first, on a page of their
//! own (no JavaScript needed).

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_app::crm::deals;
use vitrine_core::deal::{DealPhase, DealStatus};
use vitrine_core::filters::{DealFilter, DealSort};
use vitrine_core::ids::{AccountId, DealId};
use vitrine_core::listing::Paging;
use vitrine_core::money::Money;
use vitrine_core::records::DealRecord;
use vitrine_core::text::{self, MAX_TEXT};
use vitrine_core::FieldError;

use super::commit_or_problems;
use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::input::{self, FormErrors, Labels};
use crate::listing::{self, page_link, pair, query_pairs};
use crate::notice::Notice;
use crate::pages::{brl_opt, csrf_field, layout, Section};
use crate::session::Signed;
use crate::PanelState;

/// Cards per column on one page of the board.
const COLUMN_SIZE: u32 = 25;

/// The close forms' fields and their labels.
const LABELS: Labels = &[
    ("value", "Valor final"),
    ("loss_reason", "Motivo da perda"),
    ("phase", "Fase"),
    ("status", "Status"),
];

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
fn columns(in_use: Vec<DealPhase>) -> Vec<DealPhase> {
    let extra = in_use.into_iter().filter(|p| !p.is_known());
    DealPhase::KNOWN.iter().cloned().chain(extra).collect()
}

/// One page of the deals with `status` (and `phase`) matching the search,
/// most recently changed first, and how many there are in all.
async fn column(
    state: &PanelState,
    account: AccountId,
    base: &DealFilter,
    status: DealStatus,
    phase: Option<DealPhase>,
    paging: Paging,
) -> Result<(Vec<DealRecord>, u64), PanelError> {
    let filter = DealFilter {
        status: Some(status),
        phase,
        ..base.clone()
    };
    Ok(state
        .store
        .conn()
        .await?
        .deals()
        .list(
            account,
            &filter,
            DealSort::UpdatedAt,
            true,
            paging.limit,
            paging.offset(),
        )
        .await?)
}

/// A money value as the won form shows it (`142.900,00`).
fn value_text(v: Option<Money>) -> String {
    input::money_value(v)
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
                // Moving is harmless and undone the same way: one click.
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
                // Closing asks first: these open the confirmation page.
                form.inline method="get" action={ "/painel/negocios/" (id) "/ganho" } {
                    label.sr for={ "value-" (id) } { "Valor final" }
                    input type="text" inputmode="decimal" id={ "value-" (id) } name="value"
                        placeholder="Valor final" value=(value_text(d.value));
                    button.small.won type="submit" id={ "ganho-" (id) } { "Ganho…" }
                }
                form.inline method="get" action={ "/painel/negocios/" (id) "/perdido" } {
                    label.sr for={ "loss-" (id) } { "Motivo da perda" }
                    input type="text" id={ "loss-" (id) } name="loss_reason" placeholder="Motivo da perda" maxlength=(MAX_TEXT);
                    button.small.danger type="submit" id={ "perdido-" (id) } { "Perdido…" }
                }
            } @else {
                @if d.status == DealStatus::Ganho {
                    p.badge.won { "Ganho" }
                } @else {
                    p.badge.lost { "Perdido" @if let Some(why) = &d.loss_reason { ": " (why) } }
                }
                p { a.small href={ "/painel/negocios/" (id) "/reabrir" } id={ "reabrir-" (id) } { "Reabrir…" } }
            }
        }
    }
}

/// GET /painel/negocios?search=&page= — the kanban: each column the deals
/// of one phase (and "Fechados" the won and lost ones), a page of
/// [`COLUMN_SIZE`] each, with each column's total.
pub async fn board(
    State(state): State<PanelState>,
    signed: Signed,
    RawQuery(raw): RawQuery,
) -> Result<Markup, PanelError> {
    let pairs = query_pairs(raw.as_deref());
    let mut q = listing::list_query(raw.as_deref())?;
    let base = DealFilter {
        search: q.search(),
        ..DealFilter::default()
    };
    let paging = q.paging();
    q.finish()?;
    let paging = Paging {
        limit: COLUMN_SIZE,
        ..paging
    };
    let a = signed.account;
    let in_use = state
        .store
        .conn()
        .await?
        .deals()
        .phases_in_use(a, DealStatus::Ativo)
        .await?;
    let phases = columns(in_use);
    let mut columns = Vec::with_capacity(phases.len());
    let mut most = 0;
    for phase in &phases {
        let (cards, total) = column(
            &state,
            a,
            &base,
            DealStatus::Ativo,
            Some(phase.clone()),
            paging,
        )
        .await?;
        most = most.max(total);
        columns.push((phase.clone(), cards, total));
    }
    let (mut closed, won) = column(&state, a, &base, DealStatus::Ganho, None, paging).await?;
    let (lost_cards, lost) = column(&state, a, &base, DealStatus::Perdido, None, paging).await?;
    closed.extend(lost_cards);
    closed.sort_by_key(|r| std::cmp::Reverse(r.updated_at));
    most = most.max(won).max(lost);
    let search = pair(&pairs, "search").to_owned();
    let board = html! {
        div.kanban {
            @for (phase, cards, total) in &columns {
                section.column id={ "fase-" (column_id(phase)) } data-phase=(phase.as_str()) {
                    h2 { (phase_label(phase)) " " span.count { (total) } }
                    @for r in cards { (card(&signed, r, &phases)) }
                }
            }
            section.column id="fechados" {
                h2 { "Fechados" " " span.count { (won + lost) } }
                @for r in &closed { (card(&signed, r, &phases)) }
            }
        }
    };
    Ok(layout(
        "Negócios",
        Some((&signed, Section::Deals)),
        html! {
            h1 { "Negócios" }
            form.search method="get" action="/painel/negocios" {
                label.sr for="f-search" { "Busca" }
                input type="search" id="f-search" name="search" placeholder="Buscar pelo título ou descrição" value=(search);
                button type="submit" id="buscar" { "Buscar" }
            }
            (board)
            (board_pager(&pairs, paging, most))
        },
    ))
}

/// The board's pages: as many as its longest column needs (each column
/// heads its own total), shown only when there is more than one.
fn board_pager(pairs: &[(String, String)], paging: Paging, longest: u64) -> Markup {
    let pages = longest.div_ceil(u64::from(paging.limit)).max(1);
    let page = u64::from(paging.page);
    let base = "/painel/negocios";
    html! {
        @if pages > 1 || page > 1 {
            nav.pager aria-label="Paginação" {
                @if paging.page > 1 {
                    a rel="prev" href=(page_link(base, pairs, paging.page - 1)) { "‹ Anterior" }
                }
                span { "Página " (page) " de " (pages) }
                @if page < pages {
                    a rel="next" href=(page_link(base, pairs, paging.page + 1)) { "Próxima ›" }
                }
            }
        }
    }
}

/// The move form.
#[derive(Debug, Deserialize)]
pub struct PhaseForm {
    #[serde(default)]
    phase: String,
}

/// The won form: the final value (empty keeps the deal's value).
#[derive(Debug, Default, Deserialize)]
pub struct WonForm {
    #[serde(default)]
    value: String,
}

/// The lost form.
#[derive(Debug, Default, Deserialize)]
pub struct LostForm {
    #[serde(default)]
    loss_reason: String,
}

/// The reopen confirmation carries only the CSRF token.
#[derive(Debug, Deserialize)]
pub struct ReopenForm {}

/// POST /painel/negocios/{id}/fase — moves the deal to another phase.
pub async fn move_deal(
    State(state): State<PanelState>,
    IdPath(id): IdPath<DealId>,
    SignedForm { signed, form }: SignedForm<PhaseForm>,
) -> Result<Response, PanelError> {
    let mut tx = state.store.begin().await?;
    // The id answers first: a foreign id is the 404 page whatever the form.
    let current = deals::lock(&mut tx, signed.account, id).await?;
    let phase = DealPhase::parse("phase", &form.phase)
        .map_err(|e| PanelError::Invalid(FormErrors::new(LABELS, &[e]).messages()))?;
    let done = deals::move_phase(&mut tx, signed.account, current, phase).await;
    match commit_or_problems(tx, done).await? {
        Ok(_) => Ok(Notice::DealMoved
            .redirect(&signed, "/painel/negocios")
            .into_response()),
        Err(problems) => Err(PanelError::Invalid(
            FormErrors::new(LABELS, &problems).messages(),
        )),
    }
}

/// Which close a confirmation page is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Close {
    Won,
    Lost,
    Reopen,
}

/// The confirmation page of a close or a reopen: what will happen, the
/// field it takes (value, reason), its problems and the button that does it.
fn confirm_page(
    signed: &Signed,
    r: &DealRecord,
    close: Close,
    typed: &str,
    errors: &FormErrors,
) -> Markup {
    let d = &r.deal;
    let (title, path, button, id) = match close {
        Close::Won => (
            "Marcar como ganho?",
            "ganho",
            "Sim, marcar como ganho",
            "confirmar-ganho",
        ),
        Close::Lost => (
            "Marcar como perdido?",
            "perdido",
            "Sim, marcar como perdido",
            "confirmar-perda",
        ),
        Close::Reopen => (
            "Reabrir o negócio?",
            "reabrir",
            "Sim, reabrir",
            "confirmar-reabertura",
        ),
    };
    layout(
        title,
        Some((signed, Section::Deals)),
        html! {
            h1 { (title) }
            section.card {
                (errors.summary())
                p { strong { (d.title) } }
                p.muted { (r.client_name.as_deref().unwrap_or("Sem cliente")) " · " (phase_label(&d.phase)) " · " (brl_opt(d.value)) }
                form method="post" action={ "/painel/negocios/" (r.id) "/" (path) } {
                    (csrf_field(&signed.csrf))
                    @match close {
                        Close::Won => {
                            p { "O negócio sai do funil e vai para Fechados como ganho, com a data de hoje; os webhooks recebem " code { "deal.won" } "." }
                            label for="confirm-value" { "Valor final (R$)" }
                            input type="text" inputmode="decimal" id="confirm-value" name="value" value=(typed) placeholder="142.900,00";
                            (errors.at("value"))
                            p.muted { "Em branco mantém o valor do negócio." }
                        }
                        Close::Lost => {
                            p { "O negócio sai do funil e vai para Fechados como perdido; os webhooks recebem " code { "deal.lost" } "." }
                            label for="confirm-loss" { "Motivo da perda" }
                            input type="text" id="confirm-loss" name="loss_reason" value=(typed) maxlength=(MAX_TEXT);
                            (errors.at("loss_reason"))
                        }
                        Close::Reopen => {
                            p { "O negócio volta ao funil, na fase " strong { (phase_label(&d.phase)) } ", e deixa de contar como "
                                @if d.status == DealStatus::Ganho { "ganho" } @else { "perdido" } "." }
                            (errors.at("status"))
                        }
                    }
                    div.actions {
                        @if close == Close::Won {
                            button.won type="submit" id=(id) { (button) }
                        } @else if close == Close::Lost {
                            button.danger type="submit" id=(id) { (button) }
                        } @else {
                            button type="submit" id=(id) { (button) }
                        }
                        a href="/painel/negocios" { "Cancelar" }
                    }
                }
            }
        },
    )
}

async fn load(state: &PanelState, signed: &Signed, id: DealId) -> Result<DealRecord, PanelError> {
    Ok(state
        .store
        .conn()
        .await?
        .deals()
        .get(signed.account, id)
        .await?)
}

/// The query of a confirmation page (what the card's form carried).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Typed {
    value: String,
    loss_reason: String,
}

fn typed(raw: Option<&str>) -> Typed {
    raw.and_then(|r| serde_urlencoded::from_str(r).ok())
        .unwrap_or_default()
}

/// A final value as typed (the panel's money reader); empty keeps the deal's.
fn read_value(raw: &str) -> Result<Option<Money>, FieldError> {
    input::money("value", raw)
}

/// GET /painel/negocios/{id}/ganho?value= — asks before marking the deal
/// won; a value that is not an amount is already shown next to its field.
pub async fn confirm_won(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(id): IdPath<DealId>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PanelError> {
    let r = load(&state, &signed, id).await?;
    if r.deal.status != DealStatus::Ativo {
        return Ok(axum::response::Redirect::to("/painel/negocios").into_response());
    }
    let t = typed(raw.as_deref());
    let value = if t.value.trim().is_empty() {
        value_text(r.deal.value)
    } else {
        t.value
    };
    let errors = match read_value(&value) {
        Ok(_) => FormErrors::none(),
        Err(e) => FormErrors::new(LABELS, &[e]),
    };
    Ok(confirm_page(&signed, &r, Close::Won, &value, &errors).into_response())
}

/// GET /painel/negocios/{id}/perdido?loss_reason= — asks before marking the deal lost.
pub async fn confirm_lost(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(id): IdPath<DealId>,
    RawQuery(raw): RawQuery,
) -> Result<Response, PanelError> {
    let r = load(&state, &signed, id).await?;
    if r.deal.status != DealStatus::Ativo {
        return Ok(axum::response::Redirect::to("/painel/negocios").into_response());
    }
    let t = typed(raw.as_deref());
    Ok(confirm_page(
        &signed,
        &r,
        Close::Lost,
        &t.loss_reason,
        &FormErrors::none(),
    )
    .into_response())
}

/// GET /painel/negocios/{id}/reabrir — asks before reopening a closed deal.
pub async fn confirm_reopen(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(id): IdPath<DealId>,
) -> Result<Response, PanelError> {
    let r = load(&state, &signed, id).await?;
    if !matches!(r.deal.status, DealStatus::Ganho | DealStatus::Perdido) {
        return Ok(axum::response::Redirect::to("/painel/negocios").into_response());
    }
    Ok(confirm_page(&signed, &r, Close::Reopen, "", &FormErrors::none()).into_response())
}

/// A refused close: its confirmation page again, with the problem at the field (422).
async fn refused(
    state: &PanelState,
    signed: &Signed,
    id: DealId,
    close: Close,
    typed: &str,
    problems: &[FieldError],
) -> Result<Response, PanelError> {
    let r = load(state, signed, id).await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        confirm_page(signed, &r, close, typed, &FormErrors::new(LABELS, problems)),
    )
        .into_response())
}

/// POST /painel/negocios/{id}/ganho — marks the deal won, with its final value.
pub async fn mark_deal_won(
    State(state): State<PanelState>,
    IdPath(id): IdPath<DealId>,
    SignedForm { signed, form }: SignedForm<WonForm>,
) -> Result<Response, PanelError> {
    let value = match read_value(&form.value) {
        Ok(value) => value,
        Err(e) => return refused(&state, &signed, id, Close::Won, &form.value, &[e]).await,
    };
    let mut tx = state.store.begin().await?;
    let done = deals::close_won(&mut tx, signed.account, id, value).await;
    match commit_or_problems(tx, done).await? {
        Ok(_) => Ok(Notice::DealWon
            .redirect(&signed, "/painel/negocios")
            .into_response()),
        Err(p) => refused(&state, &signed, id, Close::Won, &form.value, &p).await,
    }
}

/// POST /painel/negocios/{id}/perdido — marks the deal lost, with the reason.
pub async fn mark_deal_lost(
    State(state): State<PanelState>,
    IdPath(id): IdPath<DealId>,
    SignedForm { signed, form }: SignedForm<LostForm>,
) -> Result<Response, PanelError> {
    let reason = match text::optional_text("loss_reason", &form.loss_reason, MAX_TEXT) {
        Ok(reason) => reason,
        Err(e) => return refused(&state, &signed, id, Close::Lost, &form.loss_reason, &[e]).await,
    };
    let mut tx = state.store.begin().await?;
    let done = deals::close_lost(&mut tx, signed.account, id, reason).await;
    match commit_or_problems(tx, done).await? {
        Ok(_) => Ok(Notice::DealLost
            .redirect(&signed, "/painel/negocios")
            .into_response()),
        Err(p) => refused(&state, &signed, id, Close::Lost, &form.loss_reason, &p).await,
    }
}

/// POST /painel/negocios/{id}/reabrir — reopens a won or lost deal
/// (`Deal::reopen`, the rule a `PATCH {"status": "ativo"}` follows):
/// `won_at`/`lost_at` cleared, `deal.updated` emitted.
pub async fn reopen_deal(
    State(state): State<PanelState>,
    IdPath(id): IdPath<DealId>,
    SignedForm { signed, .. }: SignedForm<ReopenForm>,
) -> Result<Response, PanelError> {
    let mut tx = state.store.begin().await?;
    let done = deals::reopen(&mut tx, signed.account, id).await;
    match commit_or_problems(tx, done).await? {
        Ok(_) => Ok(Notice::DealReopened
            .redirect(&signed, "/painel/negocios")
            .into_response()),
        Err(p) => refused(&state, &signed, id, Close::Reopen, "", &p).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_values_as_people_type_them() {
        let cents = |s: &str| read_value(s).map(|m| m.map(Money::cents));
        assert_eq!(cents("142.900,00"), Ok(Some(14_290_000)));
        assert_eq!(cents("R$ 142.900,50"), Ok(Some(14_290_050)));
        assert_eq!(cents("142900,5"), Ok(Some(14_290_050)));
        assert_eq!(cents("142900.00"), Ok(Some(14_290_000)));
        assert_eq!(cents("100.000"), Ok(Some(10_000_000)));
        assert_eq!(cents("  "), Ok(None), "empty keeps the deal's value");
        for bad in ["-10", "1,234", "doze mil", "10,00,00", "1.50.0"] {
            assert!(cents(bad).is_err(), "{bad}");
        }
        let e = read_value("1.50.0").expect_err("ambiguous");
        assert!(
            FormErrors::new(LABELS, &[e]).messages()[0].starts_with("Valor final deve ser"),
            "labelled"
        );
    }
}
