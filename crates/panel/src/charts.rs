//! Charts as inline SVG rendered on the server: no script and no outside
//! file, so they work under the panel's `default-src 'self'` policy. Colours
//! are presentation attributes (inline `style` would be blocked). Amounts
//! arrive in centavos; only the geometry is computed in floating point.

use maud::{html, Markup};
use vitrine_core::money::Money;

use crate::pages::brl;

/// One month of the income-versus-expense chart, in centavos.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthBars {
    /// `11/2026`.
    pub label: String,
    /// Revenue.
    pub income: i64,
    /// Expenses and costs.
    pub expense: i64,
}

/// One sold vehicle's margin, in centavos (negative for a loss).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarginBar {
    /// The vehicle's title.
    pub label: String,
    /// The margin.
    pub cents: i64,
}

const INCOME: &str = "#0b6e4f";
const EXPENSE: &str = "#b42318";

fn ratio(part: i64, whole: i64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn px(v: f64) -> String {
    format!("{v:.1}")
}

/// Grouped bars per month: income (green) beside expense (red).
pub fn income_vs_expense(months: &[MonthBars]) -> Markup {
    const W: f64 = 480.0;
    const H: f64 = 240.0;
    const TOP: f64 = 24.0;
    const BOTTOM: f64 = 40.0;
    const LEFT: f64 = 8.0;
    let plot = H - TOP - BOTTOM;
    let max = months
        .iter()
        .flat_map(|m| [m.income, m.expense])
        .max()
        .unwrap_or(0)
        .max(1);
    let n = months.len().max(1);
    let slot = (W - 2.0 * LEFT) / n as f64;
    let bar = (slot * 0.35).min(36.0);
    html! {
        svg.chart id="grafico-mensal" viewBox={ "0 0 " (px(W)) " " (px(H)) } role="img"
            aria-labelledby="grafico-mensal-titulo" xmlns="http://www.w3.org/2000/svg" {
            title id="grafico-mensal-titulo" { "Receitas e despesas por mês" }
            line x1=(px(LEFT)) x2=(px(W - LEFT)) y1=(px(TOP + plot)) y2=(px(TOP + plot)) stroke="#d9dee7" {}
            @if max > 1 {
                line x1=(px(LEFT)) x2=(px(W - LEFT)) y1=(px(TOP)) y2=(px(TOP)) stroke="#d9dee7" stroke-dasharray="4 4" {}
                text x=(px(LEFT)) y=(px(TOP - 6.0)) font-size="13" fill="#5b6475" { (brl(Money::from_cents(max))) }
            }
            @for (i, m) in months.iter().enumerate() {
                @let x = LEFT + slot * i as f64 + slot / 2.0;
                @let hi = plot * ratio(m.income, max);
                @let he = plot * ratio(m.expense, max);
                g data-month=(m.label) data-income=(m.income) data-expense=(m.expense) {
                    rect.income x=(px(x - bar - 1.0)) y=(px(TOP + plot - hi)) width=(px(bar)) height=(px(hi)) fill=(INCOME) {
                        title { "Receitas " (m.label) ": " (brl(Money::from_cents(m.income))) }
                    }
                    rect.expense x=(px(x + 1.0)) y=(px(TOP + plot - he)) width=(px(bar)) height=(px(he)) fill=(EXPENSE) {
                        title { "Despesas " (m.label) ": " (brl(Money::from_cents(m.expense))) }
                    }
                    text x=(px(x)) y=(px(H - BOTTOM + 18.0)) text-anchor="middle" font-size="13" fill="#5b6475" { (m.label) }
                }
            }
            g font-size="13" fill="#1d2330" {
                rect x=(px(LEFT)) y=(px(H - 14.0)) width="10" height="10" fill=(INCOME) {}
                text x=(px(LEFT + 14.0)) y=(px(H - 5.0)) { "Receitas" }
                rect x=(px(LEFT + 90.0)) y=(px(H - 14.0)) width="10" height="10" fill=(EXPENSE) {}
                text x=(px(LEFT + 104.0)) y=(px(H - 5.0)) { "Despesas e custos" }
            }
        }
    }
}

/// Horizontal bars per sold vehicle around a zero line: gains to the
/// right in green, losses to the left in red.
pub fn margins(items: &[MarginBar]) -> Markup {
    const W: f64 = 480.0;
    const ROW: f64 = 30.0;
    const LABELS: f64 = 165.0;
    const RIGHT: f64 = 100.0;
    let h = ROW * items.len().max(1) as f64 + 10.0;
    let max = items
        .iter()
        .map(|m| m.cents.saturating_abs())
        .max()
        .unwrap_or(0)
        .max(1);
    let has_loss = items.iter().any(|m| m.cents < 0);
    let has_gain = items.iter().any(|m| m.cents > 0);
    let span = W - LABELS - RIGHT;
    // Where zero sits: the left edge when nothing is lost, the right edge
    // when nothing is gained, else the middle.
    let zero = match (has_loss, has_gain) {
        (false, _) => LABELS,
        (true, false) => LABELS + span,
        (true, true) => LABELS + span / 2.0,
    };
    let reach = if has_loss && has_gain {
        span / 2.0
    } else {
        span
    };
    html! {
        svg.chart id="grafico-margens" viewBox={ "0 0 " (px(W)) " " (px(h)) } role="img"
            aria-labelledby="grafico-margens-titulo" xmlns="http://www.w3.org/2000/svg" {
            title id="grafico-margens-titulo" { "Margem por veículo vendido" }
            line x1=(px(zero)) x2=(px(zero)) y1="0" y2=(px(h)) stroke="#d9dee7" {}
            @for (i, m) in items.iter().enumerate() {
                @let y = 5.0 + ROW * i as f64;
                @let len = reach * ratio(m.cents.saturating_abs(), max);
                @let x = if m.cents < 0 { zero - len } else { zero };
                g data-margin=(m.cents) {
                    text x=(px(LABELS - 8.0)) y=(px(y + ROW / 2.0 + 4.0)) text-anchor="end" font-size="13" fill="#1d2330" {
                        (short(&m.label))
                    }
                    rect x=(px(x)) y=(px(y + 4.0)) width=(px(len.max(1.0))) height=(px(ROW - 10.0))
                        fill=(if m.cents < 0 { EXPENSE } else { INCOME }) {
                        title { (m.label) ": " (signed_brl(m.cents)) }
                    }
                    text x=(px(W - RIGHT + 6.0)) y=(px(y + ROW / 2.0 + 4.0)) font-size="13" fill="#1d2330" {
                        (signed_brl(m.cents))
                    }
                }
            }
        }
    }
}

/// `R$ 1.500,00` or `−R$ 1.500,00`.
pub fn signed_brl(cents: i64) -> String {
    let abs = brl(Money::from_cents(cents.saturating_abs()));
    if cents < 0 {
        format!("−{abs}")
    } else {
        abs
    }
}

fn short(label: &str) -> String {
    const MAX: usize = 18;
    if label.chars().count() > MAX {
        let cut: String = label.chars().take(MAX - 1).collect();
        format!("{cut}…")
    } else {
        label.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_largest_amount() {
        let svg = income_vs_expense(&[
            MonthBars {
                label: "10/2026".into(),
                income: 100_000,
                expense: 50_000,
            },
            MonthBars {
                label: "11/2026".into(),
                income: 0,
                expense: 0,
            },
        ])
        .into_string();
        assert!(svg.starts_with("<svg"), "{svg}");
        // The plot is 176 high: the income fills it, the expense half of it.
        assert!(svg.contains("height=\"176.0\""), "{svg}");
        assert!(svg.contains("height=\"88.0\""), "{svg}");
        assert!(
            svg.contains(">R$ 1.000,00</text>"),
            "the scale's top is labelled"
        );
        assert!(svg.contains("Receitas 10/2026: R$ 1.000,00"));
        assert!(!svg.contains("style="), "no inline style under the CSP");
    }

    #[test]
    fn losses_go_left_of_zero() {
        let svg = margins(&[
            MarginBar {
                label: "Civic".into(),
                cents: 200_000,
            },
            MarginBar {
                label: "Onix".into(),
                cents: -100_000,
            },
        ])
        .into_string();
        assert!(svg.contains("−R$ 1.000,00"), "{svg}");
        assert!(svg.contains("R$ 2.000,00"));
        assert_eq!(signed_brl(-5), "−R$ 0,05");
        assert_eq!(
            short("Um título muito comprido para caber no gráfico"),
            "Um título muito c…"
        );
    }
}
