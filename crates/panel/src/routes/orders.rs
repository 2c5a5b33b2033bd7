//! Loja › Pedidos: a store's orders with filters (status, date range,
//! customer), an order's page (items, totals, customer, address) and the
//! status change, which is the shop's one status-change use case
//! (`vitrine_app::shop::orders::change_status`: the core state machine and
//! the stock-retention effects of the Loja API's `order/changestatus`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use chrono::NaiveDate;
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_app::shop::orders::{change_status as change, Restock};
use vitrine_core::ids::{OrderId, ShopScope, StoreId};
use vitrine_core::order::{payment_method_name, transition, Status};
use vitrine_core::time_zone::TimeZone;
use vitrine_core::FieldError;
use vitrine_store::customers::Customer;
use vitrine_store::orders::{Order, OrderLine, OrderSearch, OrderSummary};
use vitrine_store::stores::StoreRow;
use vitrine_store::Optional;

use super::commit_or_problems;
use super::store_scope::{
    cents, encode, offset_of, page_number, pager, store_and_all, store_switcher, Filters, PageAt,
    StoreItemPath, PAGE_SIZE,
};
use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::input::FormErrors;
use crate::notice::Notice;
use crate::pages::{csrf_field, layout, when, Section};
use crate::session::Signed;
use crate::PanelState;

/// The list's query string, as typed.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    de: String,
    #[serde(default)]
    ate: String,
    #[serde(default)]
    cliente: String,
    #[serde(default)]
    pagina: String,
}

impl ListQuery {
    /// The filters the store understands: the dates are the account's
    /// local days, from midnight to midnight in its zone, both inclusive;
    /// a date that does not parse is ignored.
    fn search(&self, zone: TimeZone) -> OrderSearch {
        let day = |raw: &str| NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d").ok();
        OrderSearch {
            from: day(&self.de).map(|d| zone.day_start(d)),
            // The end date is inclusive: before the next local midnight.
            until: day(&self.ate).map(|d| zone.day_end(d)),
            status: self
                .status
                .trim()
                .parse::<i64>()
                .ok()
                .and_then(Status::from_code)
                .map(Status::code),
            customer: Some(self.cliente.trim().to_owned()).filter(|c| !c.is_empty()),
        }
    }

    /// The query string of these filters on page `page`.
    fn href(&self, base: &str, page: i64) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("status", &self.status),
            ("de", &self.de),
            ("ate", &self.ate),
            ("cliente", &self.cliente),
        ] {
            if !v.trim().is_empty() {
                parts.push(format!("{k}={}", encode(v.trim())));
            }
        }
        parts.push(format!("pagina={page}"));
        format!("{base}?{}", parts.join("&"))
    }
}

/// The status form.
#[derive(Debug, Default, Deserialize)]
pub struct StatusForm {
    #[serde(default)]
    status: String,
}

fn all_statuses() -> impl Iterator<Item = Status> {
    (1..=10).filter_map(Status::from_code)
}

/// The statuses an order in `current` may move to (core's state machine),
/// the current one first: the select offers nothing the rule refuses.
fn allowed_moves(current: Status) -> impl Iterator<Item = Status> {
    std::iter::once(current)
        .chain(all_statuses().filter(move |to| *to != current && transition(current, *to).is_ok()))
}

fn status_name(code: i16) -> String {
    Status::from_code(i64::from(code))
        .map(|s| s.name().to_owned())
        .unwrap_or_else(|| format!("Status {code}"))
}

fn status_badge(code: i16) -> Markup {
    let class = match Status::from_code(i64::from(code)).map(Status::stock_phase) {
        Some(vitrine_core::order::StockPhase::Released) => "badge lost",
        Some(vitrine_core::order::StockPhase::Retained) => "badge off",
        _ => "badge",
    };
    html! { span class=(class) data-status=(code) { (status_name(code)) } }
}

fn orders_href(store: impl std::fmt::Display) -> String {
    format!("/painel/lojas/{store}/pedidos")
}

fn list_page(
    signed: &Signed,
    store: &StoreRow,
    all: &[StoreRow],
    query: &ListQuery,
    at: PageAt,
    orders: &[OrderSummary],
) -> Markup {
    let base = orders_href(store.id);
    let chosen = query.search(signed.zone).status;
    layout(
        &format!("Pedidos · {}", store.name),
        Some((signed, Section::Orders)),
        html! {
            h1 { "Pedidos › " (store.name) }
            (store_switcher(store, all, "pedidos"))
            section.card {
                form.filters method="get" action=(base) {
                    div {
                        label for="filtro-status" { "Status" }
                        select id="filtro-status" name="status" {
                            option value="" selected[chosen.is_none()] { "Todos" }
                            @for s in all_statuses() {
                                option value=(s.code()) selected[chosen == Some(s.code())] { (s.code()) " · " (s.name()) }
                            }
                        }
                    }
                    div {
                        label for="filtro-de" { "De" }
                        input type="date" id="filtro-de" name="de" value=(query.de);
                    }
                    div {
                        label for="filtro-ate" { "Até" }
                        input type="date" id="filtro-ate" name="ate" value=(query.ate);
                    }
                    div {
                        label for="filtro-cliente" { "Cliente" }
                        input type="text" id="filtro-cliente" name="cliente" value=(query.cliente) placeholder="Nome ou e-mail";
                    }
                    div.actions { button type="submit" id="filtrar" { "Filtrar" } a href=(base) { "Limpar" } }
                }
                p.muted { "Datas no fuso da conta (" (signed.zone) "): cada dia vai de meia-noite a meia-noite no horário local, e as duas datas entram no filtro." }
            }
            section.card {
                @if orders.is_empty() {
                    p.muted { "Nenhum pedido encontrado." }
                } @else {
                    table id="pedidos" {
                        thead { tr { th { "Pedido" } th { "Data" } th { "Cliente" } th { "Valor" } th { "Status" } } }
                        tbody {
                            @for o in orders {
                                tr id={ "pedido-" (o.id) } {
                                    td data-label="Pedido" { a href={ (base) "/" (o.id) } { "#" (o.id) } }
                                    td data-label="Data" { (when(o.date, signed.zone)) }
                                    td data-label="Cliente" {
                                        @if o.customer_name.is_empty() { span.muted { "Cliente " (o.customer_id) } }
                                        @else { (o.customer_name) br; span.muted { (o.customer_email) } }
                                    }
                                    td data-label="Valor" { (cents(o.value)) }
                                    td data-label="Status" { (status_badge(o.status)) }
                                }
                            }
                        }
                    }
                }
                (pager(at, |n| query.href(&base, n)))
            }
        },
    )
}

/// GET /painel/pedidos — the first store's orders.
pub async fn first_store_orders(
    State(state): State<PanelState>,
    signed: Signed,
) -> Result<Redirect, PanelError> {
    super::store_scope::first_store(&state, signed.account, "pedidos").await
}

/// GET /painel/lojas/{store_id}/pedidos?status=&de=&ate=&cliente=&pagina=
/// — newest first; another account's store is a 404 page.
pub async fn list_orders(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(store_id): IdPath<StoreId>,
    Filters(query): Filters<ListQuery>,
) -> Result<Markup, PanelError> {
    let (store, all) = store_and_all(&state, signed.account, store_id).await?;
    let page = page_number(&query.pagina);
    let search = query.search(signed.zone);
    let mut conn = state.store.conn().await?;
    let scope = ShopScope::new(signed.account, store_id);
    let mut orders = conn
        .orders()
        .search(scope, &search, PAGE_SIZE + 1, offset_of(page))
        .await?;
    let total = conn.orders().count(scope, &search).await?;
    drop(conn);
    let has_next = orders.len() > PAGE_SIZE as usize;
    orders.truncate(PAGE_SIZE as usize);
    let at = PageAt {
        number: page,
        has_next,
        total: Some(total),
    };
    Ok(list_page(&signed, &store, &all, &query, at, &orders))
}

/// Everything the order page shows.
struct Detail {
    order: Order,
    lines: Vec<OrderLine>,
    customer: Option<Customer>,
}

async fn load(
    state: &PanelState,
    signed: &Signed,
    store: StoreId,
    id: OrderId,
) -> Result<Detail, PanelError> {
    let scope = ShopScope::new(signed.account, store);
    let mut conn = state.store.conn().await?;
    let order = conn.orders().get(scope, id).await?;
    let lines = conn.orders().lines_of(scope, &[id]).await?;
    let customer = conn
        .customers()
        .get(scope, order.fields.customer_id)
        .await
        .optional()?;
    Ok(Detail {
        order,
        lines,
        customer,
    })
}

fn line_unit(l: &OrderLine) -> String {
    if !l.grid_sku.is_empty() {
        format!("{} › {} ({})", l.variety, l.grid, l.grid_sku)
    } else if !l.variety_sku.is_empty() {
        format!("{} ({})", l.variety, l.variety_sku)
    } else {
        String::new()
    }
}

fn order_page(signed: &Signed, store: &StoreRow, d: &Detail, errors: &FormErrors) -> Markup {
    let o = &d.order;
    let f = &o.fields;
    let base = orders_href(store.id);
    let current = Status::from_code(i64::from(f.status));
    layout(
        &format!("Pedido #{}", o.id),
        Some((signed, Section::Orders)),
        html! {
            p.muted { a href=(base) { "‹ Pedidos de " (store.name) } }
            h1 { "Pedido #" (o.id) " " span id="pedido-status" { (status_badge(f.status)) } }
            (errors.summary())
            section.card {
                h2 { "Status" }
                form method="post" action={ (base) "/" (o.id) "/status" } {
                    (csrf_field(&signed.csrf))
                    label for="novo-status" { "Novo status" }
                    select id="novo-status" name="status" {
                        @if let Some(current) = current {
                            @for s in allowed_moves(current) {
                                option value=(s.code()) selected[s == current] { (s.code()) " · " (s.name()) }
                            }
                        }
                    }
                    (errors.at("status"))
                    div.actions { button type="submit" id="alterar-status" { "Alterar status" } }
                }
                p.muted { "A mesma regra da API da loja: um pedido pago não volta a aguardar pagamento e um cancelado ou recusado não é reaberto; pagar consome o estoque retido, cancelar o devolve." }
            }
            section.card {
                h2 { "Itens" }
                table id="itens" {
                    thead { tr { th { "Produto" } th { "SKU" } th { "Qtd." } th { "Preço" } th { "Total" } } }
                    tbody {
                        @for l in &d.lines {
                            @let unit_price = vitrine_core::order::unit_price(l.price, l.promotional_price.unwrap_or(0));
                            tr {
                                td data-label="Produto" { (l.product_name) @let u = line_unit(l); @if !u.is_empty() { br; span.muted { (u) } } }
                                td data-label="SKU" { code { (l.sku) } }
                                td data-label="Qtd." { (l.quantity) }
                                td data-label="Preço" { (cents(unit_price)) }
                                td data-label="Total" { (cents(vitrine_core::order::line_total(l.price, l.promotional_price.unwrap_or(0), l.quantity))) }
                            }
                        }
                    }
                }
                dl.facts.totals {
                    dt { "Itens" } dd { (cents(f.items_total)) }
                    dt { "Frete" } dd { (cents(f.shipping)) }
                    dt { "Desconto" } dd { "− " (cents(f.discount)) }
                    dt { "Total" } dd id="pedido-total" { strong { (cents(f.value)) } }
                }
            }
            section.card {
                h2 { "Cliente e entrega" }
                dl.facts {
                    dt { "Cliente" }
                    dd id="pedido-cliente" {
                        @if let Some(c) = &d.customer {
                            (c.fields.name) br; span.muted { (c.fields.email) }
                            @if !c.fields.cellphone.is_empty() { br; span.muted { (c.fields.cellphone) } }
                        } @else { span.muted { "Cliente " (f.customer_id) " (removido)" } }
                    }
                    dt { "Endereço" }
                    dd {
                        (f.street) ", " (f.number)
                        @if !f.address_details.is_empty() { " — " (f.address_details) }
                        br; (f.neighborhood) ", " (f.city) "/" (f.state) " · CEP " (f.cep)
                    }
                    dt { "Data" } dd { (when(f.date, signed.zone)) }
                    dt { "Pagamento" }
                    dd { (payment_method_name(f.payment_method).unwrap_or("—"))
                        @if f.installments > 0 { " · " (f.installments) "× de " (cents(f.value_installments)) } }
                    @if let Some(delivery) = &f.delivery_name { dt { "Entrega" } dd { (delivery) } }
                    @if !f.tracking_code.is_empty() { dt { "Rastreio" } dd { code { (f.tracking_code) } } }
                    dt { "Canal" } dd { (f.channel) }
                    @if !f.note.is_empty() { dt { "Observação" } dd { (f.note) } }
                }
            }
        },
    )
}

/// GET /painel/lojas/{store_id}/pedidos/{id} — another account's store or
/// order is a 404 page.
pub async fn show_order(
    State(state): State<PanelState>,
    signed: Signed,
    path: StoreItemPath<OrderId>,
) -> Result<Markup, PanelError> {
    let (store, _) = store_and_all(&state, signed.account, path.store).await?;
    let detail = load(&state, &signed, path.store, path.id).await?;
    Ok(order_page(&signed, &store, &detail, &FormErrors::none()))
}

/// POST /painel/lojas/{store_id}/pedidos/{id}/status — an illegal change
/// re-renders the page with the core's message (422) and changes nothing.
pub async fn change_order_status(
    State(state): State<PanelState>,
    path: StoreItemPath<OrderId>,
    SignedForm { signed, form }: SignedForm<StatusForm>,
) -> Result<Response, PanelError> {
    let (store, _) = store_and_all(&state, signed.account, path.store).await?;
    let to = form
        .status
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(Status::from_code);
    let problems = match to {
        None => vec![FieldError::invalid(
            "status",
            "Status inválido: escolha um dos status oferecidos.",
        )],
        Some(to) => {
            let mut tx = state.store.begin().await?;
            let done = change(
                &mut tx,
                path.scope(signed.account),
                path.id,
                to,
                Restock::Yes,
            )
            .await;
            match commit_or_problems(tx, done).await? {
                Ok(_) => {
                    return Ok(Notice::OrderStatusChanged
                        .redirect(&signed, &format!("{}/{}", orders_href(store.id), path.id))
                        .into_response());
                }
                Err(problems) => problems,
            }
        }
    };
    let detail = load(&state, &signed, path.store, path.id).await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        order_page(&signed, &store, &detail, &FormErrors::new(&[], &problems)),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(code: i64) -> Status {
        Status::from_code(code).expect("status")
    }

    #[test]
    fn the_select_offers_only_the_allowed_moves() {
        let codes = |s: Status| allowed_moves(s).map(Status::code).collect::<Vec<_>>();
        assert_eq!(codes(st(1)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(codes(st(3)), [3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(codes(st(8)), [8, 4]);
        // The refusal's wording is the use case's
        // (`vitrine_app::shop::Refusal::problem`, tested there).
    }
}
