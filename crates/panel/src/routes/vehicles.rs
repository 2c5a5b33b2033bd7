//! Veículos: the stock list with the Auto API's filters and pagination,
//! and a vehicle's page. Filters are read by `vitrine_auto_wire::vehicle_filter`,
//! the reader of `GET /vehicles`, so a filter means the same on both. The
//! create and edit forms are in `vehicle_form`.

use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use maud::{html, Markup};
use vitrine_core::ids::{StoreId, VehicleId};
use vitrine_core::text;
use vitrine_core::vehicle::{VehiclePhase, VehicleStatus};
use vitrine_store::stores::Store as StoreRow;
use vitrine_store::vehicles::VehicleSort;

use crate::error::PanelError;
use crate::extract::IdPath;
use crate::input::{self, FormErrors, Labels, Problems};
use crate::listing::{self, pager, pair, query_pairs};
use crate::pages::{brl, brl_opt, layout, when, Section};
use crate::session::Signed;
use crate::PanelState;

/// Portuguese names of the known stock stages; any other stage (the
/// vocabulary is open, §4.2) as it was sent.
pub fn phase_label(p: &VehiclePhase) -> &str {
    match p {
        VehiclePhase::Entrada => "Entrada",
        VehiclePhase::Preparacao => "Preparação",
        VehiclePhase::Anunciado => "Anunciado",
        VehiclePhase::Reservado => "Reservado",
        VehiclePhase::Vendido => "Vendido",
        VehiclePhase::Entregue => "Entregue",
        VehiclePhase::Other(label) => label.as_str(),
    }
}

/// Portuguese names of the known listing statuses; any other status as it
/// was sent.
pub fn status_label(s: &VehicleStatus) -> &str {
    match s {
        VehicleStatus::Ativo => "Ativo",
        VehicleStatus::Disponivel => "Disponível",
        VehicleStatus::Reservado => "Reservado",
        VehicleStatus::Vendido => "Vendido",
        VehicleStatus::Arquivado => "Arquivado",
        VehicleStatus::Other(label) => label.as_str(),
    }
}

/// An optional number or id as text; empty when unset.
pub(super) fn shown<T: ToString>(v: Option<T>) -> String {
    v.map(|n| n.to_string()).unwrap_or_default()
}

/// The store's name among the account's stores.
pub(super) fn store_name(stores: &[StoreRow], id: StoreId) -> &str {
    stores
        .iter()
        .find(|s| s.id == id.0)
        .map(|s| s.name.as_str())
        .unwrap_or("—")
}

/// The list filters' labels (a refused price names its field by these).
const FILTER_LABELS: Labels = &[("price_min", "Preço de"), ("price_max", "Preço até")];

/// The list's query for the API's reader: the price bounds are typed the
/// Brazilian way in the panel (`100.000` is cem mil), so they are read by
/// the panel's money reader and handed on as plain literals.
fn api_query(pairs: &[(String, String)]) -> Result<String, Vec<vitrine_core::FieldError>> {
    let mut p = Problems::default();
    let mut out = Vec::with_capacity(pairs.len());
    for (k, v) in pairs {
        let v = if k == "price_min" || k == "price_max" {
            match p.take(input::money(k, v)) {
                Some(m) => m.map(|m| m.to_string()).unwrap_or_default(),
                None => continue,
            }
        } else {
            v.clone()
        };
        out.push((k.as_str(), v));
    }
    if p.is_empty() {
        Ok(serde_urlencoded::to_string(&out).unwrap_or_default())
    } else {
        Err(p.0)
    }
}

/// GET /painel/veiculos — the list, filtered like `GET /api/v1/vehicles`;
/// a price bound that is not an amount is shown next to its field (422).
pub async fn list_vehicles(
    State(state): State<PanelState>,
    signed: Signed,
    RawQuery(raw): RawQuery,
) -> Result<Response, PanelError> {
    let pairs = query_pairs(raw.as_deref());
    let (query, errors) = match api_query(&pairs) {
        Ok(q) => (q, FormErrors::none()),
        Err(problems) => (String::new(), FormErrors::new(FILTER_LABELS, &problems)),
    };
    let mut q = listing::list_query(Some(&query))?;
    let filter = vitrine_auto_wire::vehicle_filter(&mut q);
    let paging = q.paging();
    q.finish()?;
    let mut conn = state.store.conn().await?;
    let stores = conn.stores().list(signed.account).await?;
    let (vehicles, total) = if errors.is_empty() {
        conn.vehicles()
            .list(
                signed.account,
                &filter,
                VehicleSort::CreatedAt,
                true,
                paging.limit,
                paging.offset(),
            )
            .await?
    } else {
        (Vec::new(), 0)
    };
    drop(conn);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let f = |name: &str| pair(&pairs, name).to_owned();
    let page = layout(
        "Veículos",
        Some((&signed, Section::Vehicles)),
        html! {
            h1 { "Veículos" }
            p { a.button href="/painel/veiculos/novo" id="novo-veiculo" { "Novo veículo" } }
            section.card {
                (errors.summary())
                form.filters method="get" action="/painel/veiculos" {
                    div.field {
                        label for="f-search" { "Busca" }
                        input type="search" id="f-search" name="search" placeholder="Título, marca, modelo, placa" value=(f("search"));
                    }
                    div.field {
                        label for="f-store" { "Loja" }
                        select id="f-store" name="store_id" {
                            option value="" { "Todas" }
                            @for s in &stores {
                                @let id = s.id.to_string();
                                option value=(id) selected[f("store_id") == id] { (s.name) }
                            }
                        }
                    }
                    div.field {
                        label for="f-status" { "Status" }
                        select id="f-status" name="status" {
                            option value="" { "Todos, menos arquivados" }
                            @for s in VehicleStatus::KNOWN {
                                option value=(s.as_str()) selected[f("status") == s.as_str()] { (status_label(s)) }
                            }
                            // A status outside the known ones (open vocabulary) stays chosen.
                            @if let Some(other) = filter.status.as_ref().filter(|s| !s.is_known()) {
                                option value=(other.as_str()) selected { (status_label(other)) }
                            }
                        }
                    }
                    div.field {
                        label for="f-brand" { "Marca" }
                        input type="text" id="f-brand" name="brand" value=(f("brand"));
                    }
                    div.field {
                        label for="f-year-min" { "Ano modelo de" }
                        input type="number" id="f-year-min" name="year_min" inputmode="numeric" value=(f("year_min"));
                    }
                    div.field {
                        label for="f-year-max" { "até" }
                        input type="number" id="f-year-max" name="year_max" inputmode="numeric" value=(f("year_max"));
                    }
                    div.field {
                        label for="f-price-min" { "Preço de (R$)" }
                        input type="text" inputmode="decimal" id="f-price-min" name="price_min" placeholder="100.000,00" value=(f("price_min"));
                        (errors.at("price_min"))
                    }
                    div.field {
                        label for="f-price-max" { "até (R$)" }
                        input type="text" inputmode="decimal" id="f-price-max" name="price_max" placeholder="150.000,00" value=(f("price_max"));
                        (errors.at("price_max"))
                    }
                    div.actions {
                        button type="submit" id="filtrar" { "Filtrar" }
                        a href="/painel/veiculos" { "Limpar" }
                    }
                }
            }
            section.card {
                @if vehicles.is_empty() {
                    p.muted { "Nenhum veículo encontrado." }
                } @else {
                    table id="veiculos" {
                        thead { tr { th { "Veículo" } th { "Ano" } th { "Preço" } th { "Placa" } th { "Loja" } th { "Status" } } }
                        tbody {
                            @for r in &vehicles {
                                @let v = &r.vehicle;
                                tr id={ "veiculo-" (r.id) } {
                                    td data-label="Veículo" { a href={ "/painel/veiculos/" (r.id) } { (v.title) } }
                                    td data-label="Ano" { (shown(v.year_model)) }
                                    td data-label="Preço" { (brl_opt(v.price)) }
                                    td data-label="Placa" { (v.plate.as_deref().unwrap_or("—")) }
                                    td data-label="Loja" { (store_name(&stores, v.store_id)) }
                                    td data-label="Status" { (status_label(&v.status)) " · " (phase_label(&v.phase)) }
                                }
                            }
                        }
                    }
                }
                (pager("/painel/veiculos", &pairs, paging, total))
            }
        },
    );
    Ok((status, page).into_response())
}

/// GET /painel/veiculos/{id} — every field; another account's id is 404.
pub async fn show_vehicle(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(id): IdPath<VehicleId>,
) -> Result<Markup, PanelError> {
    let mut conn = state.store.conn().await?;
    let r = conn.vehicles().get(signed.account, id).await?;
    let stores = conn.stores().list(signed.account).await?;
    drop(conn);
    let v = &r.vehicle;
    let row = |label: &str, value: String| {
        html! { tr { th scope="row" { (label) } td { (value) } } }
    };
    let t = |o: &Option<String>| o.clone().unwrap_or_else(|| "—".to_owned());
    Ok(layout(
        &v.title,
        Some((&signed, Section::Vehicles)),
        html! {
            h1 { "Veículo › " (v.title) }
            p.actions {
                a.button href={ "/painel/veiculos/" (r.id) "/editar" } id="editar-veiculo" { "Editar" }
                a href={ "/painel/atividades?vehicle_id=" (r.id) } { "Atividades" }
                a href={ "/painel/financeiro?vehicle_id=" (r.id) } { "Lançamentos" }
                a href="/painel/veiculos" { "Voltar à lista" }
            }
            section.card {
                table.details id="veiculo" {
                    tbody {
                        (row("Loja", store_name(&stores, v.store_id).to_owned()))
                        (row("Cliente", r.client_name.clone().unwrap_or_else(|| "—".to_owned())))
                        (row("Fase", phase_label(&v.phase).to_owned()))
                        (row("Status", status_label(&v.status).to_owned()))
                        (row("Preço", brl_opt(v.price)))
                        (row("Preço de compra", brl_opt(v.purchase_price)))
                        (row("Marca", t(&v.brand)))
                        (row("Modelo", t(&v.model)))
                        (row("Versão", t(&v.version)))
                        (row("Ano", format!("{}/{}", shown(v.year_manufacture), shown(v.year_model))))
                        (row("Quilometragem", v.mileage.map(|k| format!("{} km", vitrine_core::money::brazilian_integer(k))).unwrap_or_else(|| "—".to_owned())))
                        (row("Cor", t(&v.color)))
                        (row("Combustível", t(&v.fuel)))
                        (row("Câmbio", t(&v.transmission)))
                        (row("Carroceria", t(&v.body_type)))
                        (row("Portas", v.doors.map(|d| d.to_string()).unwrap_or_else(|| "—".to_owned())))
                        (row("Motor", t(&v.engine)))
                        (row("Placa", t(&v.plate)))
                        (row("RENAVAM", t(&v.renavam)))
                        (row("Chassi", t(&v.chassis)))
                        (row("Código FIPE", t(&v.fipe_code)))
                        (row("Preço FIPE", v.fipe_price.map(brl).unwrap_or_else(|| "—".to_owned())))
                        (row("Opcionais", v.features.as_deref().map(|f| f.join(", ")).unwrap_or_else(|| "—".to_owned())))
                        (row("Criado em", when(r.created_at, signed.zone)))
                        (row("Atualizado em", when(r.updated_at, signed.zone)))
                    }
                }
                @if let Some(d) = &v.description { p { (d) } }
                @if let Some(photos) = &v.photos {
                    // Only http(s) URLs become links: a value stored before the URL
                    // check (`javascript:…`) is shown as text, never made clickable.
                    ul.photos {
                        @for url in photos {
                            li {
                                @if text::is_http_url(url) {
                                    a href=(url) rel="noreferrer" { (url) }
                                } @else {
                                    (url)
                                }
                            }
                        }
                    }
                }
            }
        },
    ))
}
