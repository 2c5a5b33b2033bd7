//! Financeiro → Resumo: the figures of `GET /financial/summary` — the same
//! store queries folded by the same `financial::summarize` — with two
//! server-rendered SVG charts, income against expenses per month and the
//! margin of each sold vehicle.

use axum::extract::{RawQuery, State};
use chrono::{Datelike, Months, NaiveDate};
use maud::{html, Markup};
use vitrine_core::financial::{self, Cents, Summary};
use vitrine_core::ids::{AccountId, StoreId};
use vitrine_core::money::Money;
use vitrine_store::financial::FinancialFilter;

use super::financial::{category_label, subnav, type_label};
use crate::charts::{self, MarginBar, MonthBars};
use crate::error::PanelError;
use crate::listing::{self, pair, query_pairs};
use crate::pages::{brl, layout, Section};
use crate::session::Signed;
use crate::PanelState;

/// Longest period the monthly chart draws.
const MAX_MONTHS: usize = 24;
/// Months the summary shows by default (this one and the five before).
const DEFAULT_MONTHS: u32 = 6;

/// The months a period covers, first day of each, at most [`MAX_MONTHS`]
/// (the latest ones).
fn months(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let mut out = Vec::new();
    let mut m = from.with_day(1).unwrap_or(from);
    while m <= to {
        out.push(m);
        match m.checked_add_months(Months::new(1)) {
            Some(next) => m = next,
            None => break,
        }
    }
    let skip = out.len().saturating_sub(MAX_MONTHS);
    out.split_off(skip)
}

/// The default period: the first day of the month five months ago to
/// the last day of this month.
fn default_period(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let this = today.with_day(1).unwrap_or(today);
    let from = this
        .checked_sub_months(Months::new(DEFAULT_MONTHS - 1))
        .unwrap_or(this);
    let to = this
        .checked_add_months(Months::new(1))
        .and_then(|n| n.pred_opt())
        .unwrap_or(today);
    (from, to)
}

/// A total for the chart's geometry: totals are `i128` (they cannot
/// overflow), bars are drawn from `i64`, which only a total past
/// R$ 92 quadrillion would exceed (then the bar is drawn at that length).
fn chart_cents(cents: Cents) -> i64 {
    i64::try_from(cents).unwrap_or(if cents < 0 { i64::MIN } else { i64::MAX })
}

/// A total as `R$ 1.234,56`, `−R$ …` for a loss (exact for any total).
fn signed_total(cents: Cents) -> String {
    let abs = brl(Money::from_total_cents(cents.saturating_abs()));
    if cents < 0 {
        format!("−{abs}")
    } else {
        abs
    }
}

/// `GET /financial/summary`'s computation over one filter.
async fn summarize(
    conn: &mut vitrine_store::Conn,
    account: AccountId,
    filter: &FinancialFilter,
    vehicles: bool,
) -> Result<Summary, PanelError> {
    let groups = conn.financial().group_totals(account, filter).await?;
    let sold = if vehicles {
        conn.financial().sold_vehicles(account, filter).await?
    } else {
        Vec::new()
    };
    Ok(financial::summarize(&groups, sold))
}

/// GET /painel/financeiro/resumo — `from`, `to` (default: the last six
/// months) and `store_id`, read like the API's summary.
pub async fn summary(
    State(state): State<PanelState>,
    signed: Signed,
    RawQuery(raw): RawQuery,
) -> Result<Markup, PanelError> {
    let mut q = listing::list_query(raw.as_deref())?;
    let store_id = q.id::<StoreId>("store_id");
    let asked_from = q.date("from");
    let asked_to = q.date("to");
    q.finish()?;
    let (default_from, default_to) = default_period(vitrine_store::now().date_naive());
    let from = asked_from.unwrap_or(default_from);
    let to = asked_to.unwrap_or(default_to);
    let filter = FinancialFilter {
        store_id,
        from: Some(from),
        to: Some(to),
        ..FinancialFilter::default()
    };
    let mut conn = state.store.conn().await?;
    let stores = conn.stores().list(signed.account).await?;
    let s = summarize(&mut conn, signed.account, &filter, true).await?;
    let mut bars = Vec::new();
    for first in months(from, to) {
        let last = first
            .checked_add_months(Months::new(1))
            .and_then(|n| n.pred_opt())
            .unwrap_or(first);
        let month = FinancialFilter {
            from: Some(first.max(from)),
            to: Some(last.min(to)),
            ..filter.clone()
        };
        let m = summarize(&mut conn, signed.account, &month, false).await?;
        bars.push(MonthBars {
            label: first.format("%m/%Y").to_string(),
            income: chart_cents(m.totals.revenue),
            expense: chart_cents(m.totals.expense.saturating_add(m.totals.cost)),
        });
    }
    drop(conn);
    // Only known margins are drawn; an unknown one (no purchase price) is
    // never drawn as profit.
    let margins: Vec<MarginBar> = s
        .vehicles
        .iter()
        .filter_map(|v| {
            v.margin.ok().map(|cents| MarginBar {
                label: v.vehicle.title.clone(),
                cents: chart_cents(cents),
            })
        })
        .collect();
    let pairs = query_pairs(raw.as_deref());
    let chosen_store = pair(&pairs, "store_id").to_owned();
    let m = Money::from_total_cents;
    let figure = |id: &str, label: &str, cents: Cents| {
        html! {
            div.figure id=(id) data-cents=(cents) {
                span.label { (label) }
                strong { (signed_total(cents)) }
            }
        }
    };
    Ok(layout(
        "Financeiro · Resumo",
        Some((&signed, Section::Financial)),
        html! {
            h1 { "Financeiro" }
            (subnav("/painel/financeiro/resumo"))
            section.card {
                form.filters method="get" action="/painel/financeiro/resumo" {
                    div.field {
                        label for="s-from" { "De" }
                        input type="date" id="s-from" name="from" value=(from.format("%Y-%m-%d"));
                    }
                    div.field {
                        label for="s-to" { "Até" }
                        input type="date" id="s-to" name="to" value=(to.format("%Y-%m-%d"));
                    }
                    div.field {
                        label for="s-store" { "Loja" }
                        select id="s-store" name="store_id" {
                            option value="" { "Todas" }
                            @for st in &stores {
                                @let id = st.id.to_string();
                                option value=(id) selected[chosen_store == id] { (st.name) }
                            }
                        }
                    }
                    div.actions { button type="submit" id="atualizar-resumo" { "Atualizar" } }
                }
            }
            section.card {
                h2 { "De " (from.format("%d/%m/%Y")) " a " (to.format("%d/%m/%Y")) }
                div.figures {
                    (figure("resumo-receitas", "Receitas", s.totals.revenue))
                    (figure("resumo-despesas", "Despesas", s.totals.expense))
                    (figure("resumo-custos", "Custos", s.totals.cost))
                    (figure("resumo-lucro", "Lucro", s.totals.profit()))
                    (figure("resumo-comissoes", "Comissões", s.commissions))
                    (figure("resumo-pendente", "A receber", s.pending.revenue))
                }
                p.muted { "Lançamentos cancelados ficam fora dos totais. Pagos: receitas " (brl(m(s.paid.revenue))) ", despesas e custos " (brl(m(s.paid.expense.saturating_add(s.paid.cost)))) "." }
            }
            section.card {
                h2 { "Receitas e despesas por mês" }
                (charts::income_vs_expense(&bars))
            }
            section.card {
                h2 { "Margem por veículo vendido" }
                @if s.vehicles.is_empty() {
                    p.muted { "Nenhum veículo vendido no período (um lançamento pago de venda de veículo ligado ao veículo marca a venda)." }
                } @else {
                    (charts::margins(&margins))
                    table id="margens" {
                        thead { tr { th { "Veículo" } th { "Compra" } th { "Venda" } th { "Despesas" } th { "Margem" } } }
                        tbody {
                            @for v in &s.vehicles {
                                tr id={ "margem-" (v.vehicle.vehicle_id) } data-cents=[v.margin.ok()] {
                                    td data-label="Veículo" { a href={ "/painel/veiculos/" (v.vehicle.vehicle_id) } { (v.vehicle.title) } }
                                    td data-label="Compra" { (v.vehicle.purchase.map(brl).unwrap_or_else(|| "—".to_owned())) }
                                    td data-label="Venda" { (brl(m(v.vehicle.sale_cents))) }
                                    td data-label="Despesas" { (brl(m(v.vehicle.expenses_cents))) }
                                    td data-label="Margem" {
                                        @match v.margin {
                                            Ok(cents) => (signed_total(cents)),
                                            Err(why) => span.muted."margem-desconhecida" title=(why.message()) { "Desconhecida — " (why.message()) },
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            section.card {
                h2 { "Por categoria" }
                table id="por-categoria" {
                    thead { tr { th { "Categoria" } th { "Lançamentos" } th { "Total" } } }
                    tbody {
                        @for c in &s.by_category {
                            tr data-category=(c.category.as_str()) {
                                td data-label="Categoria" { (category_label(c.category)) " " span.muted { "(" (type_label(c.kind)) ")" } }
                                td data-label="Lançamentos" { (c.count) }
                                td data-label="Total" { (brl(m(c.cents))) }
                            }
                        }
                    }
                }
            }
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    #[test]
    fn periods_and_months() {
        assert_eq!(
            default_period(day(2026, 11, 24)),
            (day(2026, 6, 1), day(2026, 11, 30))
        );
        assert_eq!(
            months(day(2026, 11, 15), day(2027, 2, 1)),
            vec![
                day(2026, 11, 1),
                day(2026, 12, 1),
                day(2027, 1, 1),
                day(2027, 2, 1)
            ]
        );
        assert_eq!(months(day(2020, 1, 1), day(2026, 1, 1)).len(), MAX_MONTHS);
        assert!(months(day(2026, 2, 1), day(2026, 1, 1)).is_empty());
    }
}
