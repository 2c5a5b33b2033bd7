//! Financeiro → Lançamentos: the records list (the Auto API's filters,
//! read by `vitrine_auto_wire::financial_filter`), a create form with the rules
//! of `POST /financial` (`FinancialRecord::check`) and "Marcar pago", both
//! written by the use cases behind the API (`vitrine_app::finance::records`:
//! `settle`, the same events, the stock following the sale). The summary
//! is in `financial_summary`.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_app::finance::records;
use vitrine_app::Draft;
use vitrine_core::filters::FinancialSort;
use vitrine_core::financial::{
    Category, FinancialRecord, FinancialStatus, PaymentMethod, RecordType,
};
use vitrine_core::ids::{AccountId, FinancialId, Reference};
use vitrine_core::money::Money;
use vitrine_core::records::FinancialEntry;
use vitrine_core::text::{self, MAX_TEXT};
use vitrine_core::FieldError;
use vitrine_store::stores::Store as StoreRow;

use super::commit_or_problems;
use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::input::{self, FormErrors, Labels, Problems};
use crate::listing::{self, pager, pair, query_pairs};
use crate::notice::Notice;
use crate::pages::{brl, csrf_field, layout, Section};
use crate::picker::{self, Kind, Picker};
use crate::session::Signed;
use crate::PanelState;

/// The form's fields and their labels (messages name fields by these).
const LABELS: Labels = &[
    ("category", "Categoria"),
    ("type", "Tipo"),
    ("amount", "Valor"),
    ("status", "Status"),
    ("payment_method", "Forma de pagamento"),
    ("due_date", "Vencimento"),
    ("vehicle_id", "Veículo"),
    ("store_id", "Loja"),
    ("description", "Descrição"),
];

/// Portuguese names of the record types.
pub(super) fn type_label(t: RecordType) -> &'static str {
    match t {
        RecordType::Revenue => "Receita",
        RecordType::Expense => "Despesa",
        RecordType::Cost => "Custo",
    }
}

/// Portuguese names of the categories.
pub(super) fn category_label(c: Category) -> &'static str {
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
    vehicle_search: String,
    buscar: String,
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

/// The stores and the vehicles the form offers.
struct Choices {
    stores: Vec<StoreRow>,
    vehicles: picker::Options,
}

async fn choices(
    state: &PanelState,
    account: AccountId,
    form: &RecordForm,
) -> Result<Choices, PanelError> {
    let stores = state.store.conn().await?.stores().list(account).await?;
    let vehicles = picker::options(state, account, Kind::Vehicle, &form.vehicle_search).await?;
    Ok(Choices { stores, vehicles })
}

/// Lançamentos | Resumo.
pub(super) fn subnav(current: &str) -> Markup {
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
) -> Markup {
    let pairs = query_pairs(raw);
    let f = |name: &str| pair(&pairs, name).to_owned();
    layout(
        "Financeiro",
        Some((signed, Section::Financial)),
        html! {
            h1 { "Financeiro" }
            (subnav("/painel/financeiro"))
            p { a.button href="/painel/financeiro/novo" id="novo-lancamento" { "Novo lançamento" } }
            section.card {
                form.filters method="get" action="/painel/financeiro" {
                    @if !f("vehicle_id").is_empty() {
                        input type="hidden" name="vehicle_id" value=(f("vehicle_id"));
                    }
                    div.field {
                        label for="f-category" { "Categoria" }
                        select id="f-category" name="category" {
                            option value="" { "Todas" }
                            @for c in Category::ALL {
                                option value=(c.as_str()) selected[f("category") == c.as_str()] { (category_label(*c)) }
                            }
                        }
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
                                        (r.due_date.unwrap_or_else(|| signed.zone.day_of(e.created_at)).format("%d/%m/%Y"))
                                    }
                                }
                            }
                        }
                    }
                }
                (footer)
            }
        },
    )
}

fn form_page(signed: &Signed, form: &RecordForm, choices: &Choices, errors: &FormErrors) -> Markup {
    let status = if form.status.is_empty() {
        FinancialStatus::Pending.as_str()
    } else {
        form.status.as_str()
    };
    let vehicle = Picker {
        kind: Kind::Vehicle,
        id: "r-vehicle",
        name: "vehicle_id",
        search_name: "vehicle_search",
        label: "Veículo",
        search: &form.vehicle_search,
        chosen: &form.vehicle_id,
        chosen_label: None,
        options: &choices.vehicles,
    };
    layout(
        "Novo lançamento",
        Some((signed, Section::Financial)),
        html! {
            h1 { "Novo lançamento" }
            section.card {
                (errors.summary())
                form method="post" action="/painel/financeiro" {
                    (picker::default_submit("Criar lançamento"))
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
                    (errors.at("category"))
                    (errors.at("type"))
                    label for="r-amount" { "Valor (R$)" }
                    input type="text" inputmode="decimal" id="r-amount" name="amount" required placeholder="1.500,00" value=(form.amount);
                    (errors.at("amount"))
                    label for="r-status" { "Status" }
                    select id="r-status" name="status" {
                        @for s in FinancialStatus::ALL {
                            option value=(s.as_str()) selected[status == s.as_str()] { (status_label(*s)) }
                        }
                    }
                    (errors.at("status"))
                    label for="r-method" { "Forma de pagamento" }
                    select id="r-method" name="payment_method" {
                        option value="" { "—" }
                        @for m in PaymentMethod::ALL {
                            option value=(m.as_str()) selected[form.payment_method == m.as_str()] { (method_label(*m)) }
                        }
                    }
                    (errors.at("payment_method"))
                    label for="r-due" { "Vencimento" }
                    input type="date" id="r-due" name="due_date" value=(form.due_date);
                    (errors.at("due_date"))
                    (vehicle.render())
                    (errors.at("vehicle_id"))
                    label for="r-store" { "Loja" }
                    select id="r-store" name="store_id" {
                        option value="" { "Nenhuma" }
                        @for s in &choices.stores {
                            @let id = s.id.to_string();
                            option value=(id) selected[form.store_id == id] { (s.name) }
                        }
                    }
                    (errors.at("store_id"))
                    label for="r-description" { "Descrição" }
                    input type="text" id="r-description" name="description" maxlength=(MAX_TEXT) value=(form.description);
                    (errors.at("description"))
                    div.actions {
                        button type="submit" id="criar-lancamento" { "Criar lançamento" }
                        a href="/painel/financeiro" { "Cancelar" }
                    }
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
    let filter = vitrine_auto_wire::financial_filter(&mut q);
    let paging = q.paging();
    q.finish()?;
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
    Ok(list_page(&signed, raw.as_deref(), &items, footer))
}

/// GET /painel/financeiro/novo
pub async fn new_record(
    State(state): State<PanelState>,
    signed: Signed,
) -> Result<Markup, PanelError> {
    let form = RecordForm::default();
    let choices = choices(&state, signed.account, &form).await?;
    Ok(form_page(&signed, &form, &choices, &FormErrors::none()))
}

/// POST /painel/financeiro — creates the record (`paid_at` stamped when
/// created paid) and its `financial.created` / `financial.paid` events; a
/// rule broken shows the form again (422), a picker's "Buscar" shows it
/// with the matches (200); neither writes.
pub async fn create_record(
    State(state): State<PanelState>,
    SignedForm { signed, form }: SignedForm<RecordForm>,
) -> Result<Response, PanelError> {
    let problems = if !form.buscar.is_empty() {
        Vec::new()
    } else {
        match read_form(&form) {
            Ok(record) => {
                let references: Vec<(String, Reference)> = [
                    record
                        .vehicle_id
                        .map(|v| ("vehicle_id".to_owned(), Reference::Vehicle(v))),
                    record
                        .store_id
                        .map(|s| ("store_id".to_owned(), Reference::Store(s))),
                ]
                .into_iter()
                .flatten()
                .collect();
                let mut tx = state.store.begin().await?;
                let draft = Draft::new(record, references);
                let done = records::create(&mut tx, signed.account, draft).await;
                match commit_or_problems(tx, done).await? {
                    Ok(_) => {
                        return Ok(Notice::RecordCreated
                            .redirect(&signed, "/painel/financeiro")
                            .into_response());
                    }
                    Err(problems) => problems,
                }
            }
            Err(problems) => problems,
        }
    };
    let choices = choices(&state, signed.account, &form).await?;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let errors = FormErrors::new(LABELS, &problems);
    Ok((status, form_page(&signed, &form, &choices, &errors)).into_response())
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
    records::mark_paid(&mut tx, signed.account, id).await?;
    tx.commit().await?;
    Ok(Notice::RecordPaid
        .redirect(&signed, "/painel/financeiro")
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(
            FormErrors::new(LABELS, &problems).messages(),
            ["Valor deve ser maior que 0"]
        );
        let thousand = RecordForm {
            category: "aluguel".into(),
            amount: "1.500".into(),
            ..RecordForm::default()
        };
        assert_eq!(read_form(&thousand).expect("valid").amount.cents(), 150_000);
    }
}
