//! Financeiro: the records list (the Auto API's filters, read by
//! `vitrine_auto::financial_filter`), a create form with the rules of
//! `POST /financial` (`FinancialRecord::check`, `settle`, the same events),
//! and the summary: the figures of `GET /financial/summary` — the same
//! store queries folded by the same `financial::summarize` — with two
//! server-rendered SVG charts, income against expenses per month and the
//! margin of each sold vehicle.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, Months, NaiveDate};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_auto::FinancialOut;
use vitrine_core::financial::{
    self, Category, FinancialRecord, FinancialStatus, PaymentMethod, RecordType, Summary,
};
use vitrine_core::ids::{AccountId, FinancialId, StoreId};
use vitrine_core::money::Money;
use vitrine_core::text::{self, MAX_TEXT};
use vitrine_core::{webhook, FieldError};
use vitrine_store::financial::{FinancialEntry, FinancialFilter, FinancialSort};
use vitrine_store::stores::Store as StoreRow;
use vitrine_store::vehicles::{VehicleFilter, VehicleRecord, VehicleSort};

use crate::charts::{self, MarginBar, MonthBars};
use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::input::{self, Problems};
use crate::listing::{self, pager, pair, query_pairs};
use crate::pages::{alert, brl, csrf_field, layout, Section};
use crate::session::Signed;
use crate::PanelState;

/// Vehicles offered in the form's select.
const CHOICES: u32 = 200;
/// Longest period the monthly chart draws.
const MAX_MONTHS: usize = 24;
/// Months the summary shows by default (this one and the five before).
const DEFAULT_MONTHS: u32 = 6;

fn type_label(t: RecordType) -> &'static str {
    match t {
        RecordType::Revenue => "Receita",
        RecordType::Expense => "Despesa",
        RecordType::Cost => "Custo",
    }
}

fn category_label(c: Category) -> &'static str {
    match c {
        Category::VendaVeiculo => "Venda de veículo",
        Category::Comissao => "Comissão",
        Category::Financiamento => "Financiamento",
        Category::Seguro => "Seguro",
        Category::Aluguel => "Aluguel",
        Category::Pessoal => "Pessoal",
        Category::Marketing => "Marketing",
        Category::Tecnologia => "Tecnologia",
        Category::Funilaria => "Funilaria",
        Category::Mecanica => "Mecânica",
        Category::Higienizacao => "Higienização",
        Category::Documentacao => "Documentação",
    }
}

fn status_label(s: FinancialStatus) -> &'static str {
    match s {
        FinancialStatus::Pending => "Pendente",
        FinancialStatus::Paid => "Pago",
        FinancialStatus::Cancelled => "Cancelado",
    }
}

fn method_label(m: PaymentMethod) -> &'static str {
    match m {
        PaymentMethod::Pix => "PIX",
        PaymentMethod::Boleto => "Boleto",
        PaymentMethod::Cartao => "Cartão",
        PaymentMethod::Transferencia => "Transferência",
        PaymentMethod::Financiamento => "Financiamento",
        PaymentMethod::Dinheiro => "Dinheiro",
        PaymentMethod::Cheque => "Cheque",
    }
}

/// The create form, as typed. The type follows from the category (each
/// category belongs to one type), so the two cannot disagree.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RecordForm {
    category: String,
    description: String,
    amount: String,
    status: String,
    payment_method: String,
    due_date: String,
    vehicle_id: String,
    store_id: String,
}

fn read_form(form: &RecordForm) -> Result<FinancialRecord, Vec<FieldError>> {
    let mut p = Problems::default();
    let category = if form.category.trim().is_empty() {
        p.0.push(FieldError::required("category"));
        None
    } else {
        p.take(Category::parse("category", &form.category))
    };
    let amount = match p.take(input::money("amount", &form.amount)) {
        Some(Some(a)) => Some(a),
        Some(None) => {
            p.0.push(FieldError::required("amount"));
            None
        }
        None => None,
    };
    let mut r = FinancialRecord {
        kind: category.map_or(RecordType::Revenue, Category::record_type),
        category: category.unwrap_or(Category::VendaVeiculo),
        description: p
            .take(text::optional_text(
                "description",
                &form.description,
                MAX_TEXT,
            ))
            .flatten(),
        amount: amount.unwrap_or(Money::from_cents(0)),
        status: FinancialStatus::Pending,
        payment_method: None,
        due_date: None,
        paid_at: None,
        vehicle_id: p.take(input::id("vehicle_id", &form.vehicle_id)).flatten(),
        deal_id: None,
        client_id: None,
        store_id: p.take(input::id("store_id", &form.store_id)).flatten(),
    };
    if !form.status.trim().is_empty() {
        r.status = p
            .take(FinancialStatus::parse("status", &form.status))
            .unwrap_or(r.status);
    }
    if !form.payment_method.trim().is_empty() {
        r.payment_method = p.take(PaymentMethod::parse("payment_method", &form.payment_method));
    }
    if !form.due_date.trim().is_empty() {
        r.due_date = p.take(text::date("due_date", &form.due_date));
    }
    if category.is_some() && amount.is_some() {
        if let Err(problems) = r.check() {
            p.0.extend(problems);
        }
    }
    if p.is_empty() {
        Ok(r)
    } else {
        Err(p.0)
    }
}

struct Choices {
    stores: Vec<StoreRow>,
    vehicles: Vec<VehicleRecord>,
}

async fn choices(state: &PanelState, account: AccountId) -> Result<Choices, PanelError> {
    let mut conn = state.store.conn().await?;
    let stores = conn.stores().list(account).await?;
    let (vehicles, _) = conn
        .vehicles()
        .list(
            account,
            &VehicleFilter::default(),
            VehicleSort::Title,
            false,
            CHOICES,
            0,
        )
        .await?;
    Ok(Choices { stores, vehicles })
}

fn subnav(current: &str) -> Markup {
    html! {
        nav.tabs {
            @for (href, label) in [("/painel/financeiro", "Lançamentos"), ("/painel/financeiro/resumo", "Resumo")] {
                @if href == current {
                    a.current href=(href) aria-current="page" { (label) }
                } @else {
                    a href=(href) { (label) }
                }
            }
        }
    }
}

fn list_page(
    signed: &Signed,
    raw: Option<&str>,
    records: &[FinancialEntry],
    footer: Markup,
    choices: &Choices,
    form: &RecordForm,
    errors: &[String],
) -> Markup {
    let pairs = query_pairs(raw);
    let f = |name: &str| pair(&pairs, name).to_owned();
    let status = if form.status.is_empty() {
        FinancialStatus::Pending.as_str()
    } else {
        form.status.as_str()
    };
    layout(
        "Financeiro",
        Some((signed, Section::Financial)),
        html! {
            h1 { "Financeiro" }
            (subnav("/painel/financeiro"))
            section.card {
                form.filters method="get" action="/painel/financeiro" {
                    @if !f("vehicle_id").is_empty() {
                        input type="hidden" name="vehicle_id" value=(f("vehicle_id"));
                    }
                    div.field {
                        label for="f-type" { "Tipo" }
                        select id="f-type" name="type" {
                            option value="" { "Todos" }
                            @for t in RecordType::ALL {
                                option value=(t.as_str()) selected[f("type") == t.as_str()] { (type_label(*t)) }
                            }
                        }
                    }
                    div.field {
                        label for="f-status" { "Status" }
                        select id="f-status" name="status" {
                            option value="" { "Todos" }
                            @for s in FinancialStatus::ALL {
                                option value=(s.as_str()) selected[f("status") == s.as_str()] { (status_label(*s)) }
                            }
                        }
                    }
                    div.field {
                        label for="f-from" { "De" }
                        input type="date" id="f-from" name="from" value=(f("from"));
                    }
                    div.field {
                        label for="f-to" { "Até" }
                        input type="date" id="f-to" name="to" value=(f("to"));
                    }
                    div.actions {
                        button type="submit" id="filtrar" { "Filtrar" }
                        a href="/painel/financeiro" { "Limpar" }
                    }
                }
            }
            section.card {
                @if records.is_empty() {
                    p.muted { "Nenhum lançamento encontrado." }
                } @else {
                    table id="lancamentos" {
                        thead { tr { th { "Categoria" } th { "Descrição" } th { "Valor" } th { "Status" } th { "Data" } } }
                        tbody {
                            @for e in records {
                                @let r = &e.record;
                                tr id={ "lancamento-" (e.id) } data-type=(r.kind.as_str()) {
                                    td data-label="Categoria" { (category_label(r.category)) " " span.muted { "(" (type_label(r.kind)) ")" } }
                                    td data-label="Descrição" { (r.description.as_deref().unwrap_or("—")) }
                                    td data-label="Valor" class=(if r.kind == RecordType::Revenue { "amount in" } else { "amount out" }) { (brl(r.amount)) }
                                    td data-label="Status" {
                                        (status_label(r.status))
                                        @if let Some(m) = r.payment_method { " · " (method_label(m)) }
                                        @if r.status == FinancialStatus::Pending {
                                            form.inline method="post" action={ "/painel/financeiro/" (e.id) "/pago" } {
                                                (csrf_field(&signed.csrf))
                                                " "
                                                button.small type="submit" id={ "pagar-" (e.id) } { "Marcar pago" }
                                            }
                                        }
                                    }
                                    td data-label="Data" {
                                        (r.due_date.unwrap_or_else(|| e.created_at.date_naive()).format("%d/%m/%Y"))
                                    }
                                }
                            }
                        }
                    }
                }
                (footer)
            }
            section.card {
                h2 { "Novo lançamento" }
                (alert("error", errors))
                form method="post" action="/painel/financeiro" {
                    (csrf_field(&signed.csrf))
                    label for="r-category" { "Categoria" }
                    select id="r-category" name="category" required {
                        @for t in RecordType::ALL {
                            optgroup label=(type_label(*t)) {
                                @for c in Category::ALL.iter().filter(|c| c.record_type() == *t) {
                                    option value=(c.as_str()) selected[form.category == c.as_str()] { (category_label(*c)) }
                                }
                            }
                        }
                    }
                    label for="r-amount" { "Valor (R$)" }
                    input type="text" inputmode="decimal" id="r-amount" name="amount" required placeholder="1.500,00" value=(form.amount);
                    label for="r-status" { "Status" }
                    select id="r-status" name="status" {
                        @for s in FinancialStatus::ALL {
                            option value=(s.as_str()) selected[status == s.as_str()] { (status_label(*s)) }
                        }
                    }
                    label for="r-method" { "Forma de pagamento" }
                    select id="r-method" name="payment_method" {
                        option value="" { "—" }
                        @for m in PaymentMethod::ALL {
                            option value=(m.as_str()) selected[form.payment_method == m.as_str()] { (method_label(*m)) }
                        }
                    }
                    label for="r-due" { "Vencimento" }
                    input type="date" id="r-due" name="due_date" value=(form.due_date);
                    label for="r-vehicle" { "Veículo" }
                    select id="r-vehicle" name="vehicle_id" {
                        option value="" { "Nenhum" }
                        @for v in &choices.vehicles {
                            @let id = v.id.to_string();
                            option value=(id) selected[form.vehicle_id == id] { (v.vehicle.title) }
                        }
                    }
                    label for="r-store" { "Loja" }
                    select id="r-store" name="store_id" {
                        option value="" { "Nenhuma" }
                        @for s in &choices.stores {
                            @let id = s.id.to_string();
                            option value=(id) selected[form.store_id == id] { (s.name) }
                        }
                    }
                    label for="r-description" { "Descrição" }
                    input type="text" id="r-description" name="description" maxlength=(MAX_TEXT) value=(form.description);
                    div.actions { button type="submit" id="criar-lancamento" { "Criar lançamento" } }
                }
            }
        },
    )
}

async fn list(
    state: &PanelState,
    account: AccountId,
    raw: Option<&str>,
) -> Result<(Vec<FinancialEntry>, Markup), PanelError> {
    let mut q = listing::list_query(raw)?;
    let filter = vitrine_auto::financial_filter(&mut q);
    let paging = q.paging();
    q.finish().map_err(listing::auto_problems)?;
    let (items, total) = state
        .store
        .conn()
        .await?
        .financial()
        .list(
            account,
            &filter,
            FinancialSort::CreatedAt,
            true,
            paging.limit,
            paging.offset(),
        )
        .await?;
    Ok((
        items,
        pager("/painel/financeiro", &query_pairs(raw), paging, total),
    ))
}

/// GET /painel/financeiro — the records, newest first.
pub async fn list_records(
    State(state): State<PanelState>,
    signed: Signed,
    RawQuery(raw): RawQuery,
) -> Result<Markup, PanelError> {
    let (items, footer) = list(&state, signed.account, raw.as_deref()).await?;
    let choices = choices(&state, signed.account).await?;
    Ok(list_page(
        &signed,
        raw.as_deref(),
        &items,
        footer,
        &choices,
        &RecordForm::default(),
        &[],
    ))
}

/// POST /painel/financeiro — creates the record (`paid_at` stamped when
/// created paid) and its `financial.created` / `financial.paid` events; a
/// rule broken shows the form again (422) and writes nothing.
pub async fn create_record(
    State(state): State<PanelState>,
    SignedForm { signed, form }: SignedForm<RecordForm>,
) -> Result<Response, PanelError> {
    let problems = match read_form(&form) {
        Ok(mut record) => {
            record.settle(None, vitrine_store::now());
            let mut tx = state.store.begin().await?;
            let mut missing = Vec::new();
            if let Some(v) = record.vehicle_id {
                if !tx.vehicles().exists(signed.account, v).await? {
                    missing.push(text::not_found("vehicle_id"));
                }
            }
            if let Some(s) = record.store_id {
                match tx.stores().get(signed.account, s).await {
                    Ok(_) => {}
                    Err(vitrine_store::Error::NotFound) => {
                        missing.push(text::not_found("store_id"));
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            if missing.is_empty() {
                let saved = tx
                    .financial()
                    .insert(signed.account, FinancialId::new(), &record)
                    .await?;
                let out = FinancialOut::from(saved);
                let mut names = vec!["financial.created"];
                if record.status == FinancialStatus::Paid {
                    names.push("financial.paid");
                }
                vitrine_auto::events::emit(&mut tx, signed.account, &names, &out)
                    .await
                    .map_err(|e| PanelError::Internal(format!("{e:?}")))?;
                tx.commit().await?;
                return Ok(Redirect::to("/painel/financeiro").into_response());
            }
            missing
        }
        Err(problems) => problems,
    };
    let (items, footer) = list(&state, signed.account, None).await?;
    let choices = choices(&state, signed.account).await?;
    let errors: Vec<String> = problems.into_iter().map(|p| p.message).collect();
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        list_page(&signed, None, &items, footer, &choices, &form, &errors),
    )
        .into_response())
}

/// The "Marcar pago" form carries only the CSRF token.
#[derive(Debug, Deserialize)]
pub struct PaidForm {}

/// POST /painel/financeiro/{id}/pago — like `PATCH /financial/:id
/// {"status": "paid"}`: `paid_at` stamped, `financial.updated` and
/// `financial.paid` emitted. Another account's id is the 404 page.
pub async fn mark_paid(
    State(state): State<PanelState>,
    IdPath(id): IdPath<FinancialId>,
    SignedForm { signed, .. }: SignedForm<PaidForm>,
) -> Result<Response, PanelError> {
    let mut tx = state.store.begin().await?;
    let before = tx
        .financial()
        .get_for_update(signed.account, id)
        .await?
        .record;
    let mut record = before.clone();
    record.status = FinancialStatus::Paid;
    record.settle(Some(before.status), vitrine_store::now());
    let saved = tx.financial().update(signed.account, id, &record).await?;
    let out = FinancialOut::from(saved);
    let names = webhook::financial_update_events(&before, &record);
    vitrine_auto::events::emit(&mut tx, signed.account, &names, &out)
        .await
        .map_err(|e| PanelError::Internal(format!("{e:?}")))?;
    tx.commit().await?;
    Ok(Redirect::to("/painel/financeiro").into_response())
}

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
    q.finish().map_err(listing::auto_problems)?;
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
            income: m.totals.revenue,
            expense: m.totals.expense.saturating_add(m.totals.cost),
        });
    }
    drop(conn);
    let margins: Vec<MarginBar> = s
        .vehicles
        .iter()
        .map(|v| MarginBar {
            label: v.vehicle.title.clone(),
            cents: v.margin_cents,
        })
        .collect();
    let pairs = query_pairs(raw.as_deref());
    let chosen_store = pair(&pairs, "store_id").to_owned();
    let m = Money::from_cents;
    let figure = |id: &str, label: &str, cents: i64| {
        html! {
            div.figure id=(id) data-cents=(cents) {
                span.label { (label) }
                strong { (charts::signed_brl(cents)) }
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
                @if margins.is_empty() {
                    p.muted { "Nenhum veículo vendido no período (um lançamento de venda de veículo ligado ao veículo marca a venda)." }
                } @else {
                    (charts::margins(&margins))
                    table id="margens" {
                        thead { tr { th { "Veículo" } th { "Compra" } th { "Venda" } th { "Despesas" } th { "Margem" } } }
                        tbody {
                            @for v in &s.vehicles {
                                tr id={ "margem-" (v.vehicle.vehicle_id) } data-cents=(v.margin_cents) {
                                    td data-label="Veículo" { a href={ "/painel/veiculos/" (v.vehicle.vehicle_id) } { (v.vehicle.title) } }
                                    td data-label="Compra" { (v.vehicle.purchase.map(brl).unwrap_or_else(|| "—".to_owned())) }
                                    td data-label="Venda" { (brl(m(v.vehicle.sale_cents))) }
                                    td data-label="Despesas" { (brl(m(v.vehicle.expenses_cents))) }
                                    td data-label="Margem" { (charts::signed_brl(v.margin_cents)) }
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

    #[test]
    fn the_type_follows_the_category() {
        let form = RecordForm {
            category: "funilaria".into(),
            amount: "1.500,00".into(),
            status: "paid".into(),
            ..RecordForm::default()
        };
        let r = read_form(&form).expect("valid");
        assert_eq!(r.kind, RecordType::Cost);
        assert_eq!(r.amount.cents(), 150_000);
        let zero = RecordForm {
            category: "aluguel".into(),
            amount: "0".into(),
            ..RecordForm::default()
        };
        let problems = read_form(&zero).expect_err("zero");
        assert_eq!(problems[0].message, "Campo 'amount' deve ser maior que 0");
    }
}
