//! The vehicle form, for creating and editing: every field goes through
//! the same core rules as `POST /vehicles` and `PATCH /vehicles/:id`
//! (`parse_plate`, `parse_renavam` with the account's strictness,
//! `parse_chassis`, …), and the write is their use case
//! (`vitrine_app::crm::vehicles`: the same reference and duplicate-plate
//! checks, the same outbox events).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use maud::{html, Markup};
use serde::Deserialize;
use uuid::Uuid;
use vitrine_app::crm::vehicles;
use vitrine_app::Draft;
use vitrine_core::doc::Strictness;
use vitrine_core::ids::{AccountId, Reference, StoreId, VehicleId};
use vitrine_core::records::VehicleRecord;
use vitrine_core::text::{self, MAX_NAME, MAX_SHORT, MAX_TEXT};
use vitrine_core::vehicle::{
    parse_chassis, parse_doors, parse_label, parse_mileage, parse_plate, parse_renavam, parse_year,
    Vehicle, VehiclePhase, VehicleStatus,
};
use vitrine_core::FieldError;
use vitrine_store::stores::Store as StoreRow;

use super::commit_or_problems;
use super::vehicles::{phase_label, shown, status_label};
use crate::error::PanelError;
use crate::extract::{IdPath, SignedForm};
use crate::input::{self, FormErrors, Labels, Problems};
use crate::notice::Notice;
use crate::pages::{csrf_field, layout, Section};
use crate::picker::{self, Kind, Picker};
use crate::session::Signed;
use crate::PanelState;

/// The form's fields and their labels (messages name fields by these).
const LABELS: Labels = &[
    ("title", "Título"),
    ("store_id", "Loja"),
    ("client_id", "Cliente"),
    ("phase", "Fase"),
    ("status", "Status"),
    ("price", "Preço de venda"),
    ("purchase_price", "Preço de compra"),
    ("brand", "Marca"),
    ("model", "Modelo"),
    ("version", "Versão"),
    ("year_model", "Ano modelo"),
    ("year_manufacture", "Ano de fabricação"),
    ("mileage", "Quilometragem"),
    ("color", "Cor"),
    ("fuel", "Combustível"),
    ("transmission", "Câmbio"),
    ("body_type", "Carroceria"),
    ("doors", "Portas"),
    ("engine", "Motor"),
    ("plate", "Placa"),
    ("renavam", "RENAVAM"),
    ("chassis", "Chassi (VIN)"),
    ("fipe_code", "Código FIPE"),
    ("fipe_price", "Preço FIPE"),
    ("description", "Descrição"),
    ("features", "Opcionais"),
    ("photos", "Fotos"),
];

fn label(field: &str) -> String {
    input::label_of(LABELS, field)
}

/// The create and edit form, every field as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VehicleForm {
    title: String,
    store_id: String,
    client_id: String,
    brand: String,
    model: String,
    version: String,
    year_model: String,
    year_manufacture: String,
    price: String,
    purchase_price: String,
    mileage: String,
    color: String,
    fuel: String,
    transmission: String,
    plate: String,
    phase: String,
    status: String,
    fipe_code: String,
    fipe_price: String,
    body_type: String,
    doors: String,
    engine: String,
    chassis: String,
    renavam: String,
    description: String,
    features: String,
    photos: String,
    /// The client picker's search box.
    client_search: String,
    /// Set by a picker's "Buscar" button: show the matches, save nothing.
    buscar: String,
}

fn text_of(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

impl From<&Vehicle> for VehicleForm {
    fn from(v: &Vehicle) -> Self {
        Self {
            title: v.title.clone(),
            store_id: v.store_id.to_string(),
            client_id: shown(v.client_id),
            brand: text_of(&v.brand),
            model: text_of(&v.model),
            version: text_of(&v.version),
            year_model: shown(v.year_model),
            year_manufacture: shown(v.year_manufacture),
            price: input::money_value(v.price),
            purchase_price: input::money_value(v.purchase_price),
            mileage: v
                .mileage
                .map(vitrine_core::money::brazilian_integer)
                .unwrap_or_default(),
            color: text_of(&v.color),
            fuel: text_of(&v.fuel),
            transmission: text_of(&v.transmission),
            plate: text_of(&v.plate),
            phase: v.phase.as_str().to_owned(),
            status: v.status.as_str().to_owned(),
            fipe_code: text_of(&v.fipe_code),
            fipe_price: input::money_value(v.fipe_price),
            body_type: text_of(&v.body_type),
            doors: shown(v.doors),
            engine: text_of(&v.engine),
            chassis: text_of(&v.chassis),
            renavam: text_of(&v.renavam),
            description: text_of(&v.description),
            features: v.features.as_deref().unwrap_or_default().join("\n"),
            photos: v.photos.as_deref().unwrap_or_default().join("\n"),
            client_search: String::new(),
            buscar: String::new(),
        }
    }
}

/// The form as a whole vehicle (the form shows every field, so a blank
/// field clears it), every problem gathered; the rules are the Auto API's.
fn read_form(form: &VehicleForm, strictness: Strictness) -> Result<Vehicle, Vec<FieldError>> {
    let year = chrono::Utc::now().year();
    let mut p = Problems::default();
    let title = p
        .take(text::required_text("title", &form.title, MAX_NAME))
        .unwrap_or_default();
    let store = match p.take(input::id::<StoreId>("store_id", &form.store_id)) {
        Some(Some(s)) => s,
        Some(None) => {
            p.0.push(FieldError::required("store_id"));
            StoreId(Uuid::nil())
        }
        None => StoreId(Uuid::nil()),
    };
    let mut v = Vehicle::new(title, store);
    let opt = |p: &mut Problems, field: &str, raw: &str, max: usize| {
        p.take(text::optional_text(field, raw, max)).flatten()
    };
    v.client_id = p.take(input::id("client_id", &form.client_id)).flatten();
    v.brand = opt(&mut p, "brand", &form.brand, MAX_SHORT);
    v.model = opt(&mut p, "model", &form.model, MAX_SHORT);
    v.version = opt(&mut p, "version", &form.version, MAX_SHORT);
    for (field, raw, target) in [
        ("year_model", &form.year_model, &mut v.year_model),
        (
            "year_manufacture",
            &form.year_manufacture,
            &mut v.year_manufacture,
        ),
    ] {
        *target = p
            .take(input::integer(field, raw))
            .flatten()
            .and_then(|n| p.take(parse_year(field, n, year)));
    }
    v.price = p.take(input::money("price", &form.price)).flatten();
    v.purchase_price = p
        .take(input::money("purchase_price", &form.purchase_price))
        .flatten();
    v.mileage = p
        .take(input::integer("mileage", &form.mileage))
        .flatten()
        .and_then(|n| p.take(parse_mileage("mileage", n)));
    v.color = opt(&mut p, "color", &form.color, MAX_SHORT);
    v.fuel = p.take(parse_label("fuel", &form.fuel)).flatten();
    v.transmission = p
        .take(parse_label("transmission", &form.transmission))
        .flatten();
    v.plate = non_blank(&form.plate).and_then(|s| p.take(parse_plate("plate", s)));
    if let Some(phase) = non_blank(&form.phase) {
        v.phase = p
            .take(VehiclePhase::parse("phase", phase))
            .unwrap_or(v.phase);
    }
    if let Some(status) = non_blank(&form.status) {
        v.status = p
            .take(VehicleStatus::parse("status", status))
            .unwrap_or(v.status);
    }
    v.fipe_code = opt(&mut p, "fipe_code", &form.fipe_code, MAX_SHORT);
    v.fipe_price = p
        .take(input::money("fipe_price", &form.fipe_price))
        .flatten();
    v.body_type = p.take(parse_label("body_type", &form.body_type)).flatten();
    v.doors = p
        .take(input::integer("doors", &form.doors))
        .flatten()
        .and_then(|n| p.take(parse_doors("doors", n)));
    v.engine = opt(&mut p, "engine", &form.engine, MAX_SHORT);
    v.chassis = non_blank(&form.chassis).and_then(|s| p.take(parse_chassis("chassis", s)));
    v.renavam =
        non_blank(&form.renavam).and_then(|s| p.take(parse_renavam("renavam", s, strictness)));
    v.description = opt(&mut p, "description", &form.description, MAX_TEXT);
    v.features = input::lines("features", &form.features, MAX_NAME, &mut p);
    v.photos = input::lines("photos", &form.photos, text::MAX_URL, &mut p);
    if let Some(photos) = &v.photos {
        for (i, url) in photos.iter().enumerate() {
            p.take(text::http_url(&format!("photos[{i}]"), url));
        }
    }
    if p.is_empty() {
        Ok(v)
    } else {
        Err(p.0)
    }
}

fn non_blank(s: &str) -> Option<&str> {
    Some(s).filter(|s| !s.trim().is_empty())
}

/// The records the form names, for the use case to check: the store and
/// the client are the account's.
fn references(v: &Vehicle) -> Vec<(String, Reference)> {
    let mut references = vec![("store_id".to_owned(), Reference::Store(v.store_id))];
    references.extend(
        v.client_id
            .map(|c| ("client_id".to_owned(), Reference::Client(c))),
    );
    references
}

async fn strictness(state: &PanelState, account: AccountId) -> Result<Strictness, PanelError> {
    Ok(state
        .store
        .conn()
        .await?
        .accounts()
        .strictness(account)
        .await?)
}

/// The stores and the clients the form offers (the clients matching the
/// picker's search, the first by name without one).
struct Choices {
    stores: Vec<StoreRow>,
    clients: picker::Options,
}

async fn choices(
    state: &PanelState,
    account: AccountId,
    form: &VehicleForm,
) -> Result<Choices, PanelError> {
    let stores = state.store.conn().await?.stores().list(account).await?;
    let clients = picker::options(state, account, Kind::Client, &form.client_search).await?;
    Ok(Choices { stores, clients })
}

fn form_page(
    signed: &Signed,
    editing: Option<&VehicleRecord>,
    form: &VehicleForm,
    choices: &Choices,
    errors: &FormErrors,
) -> Markup {
    let (title, action) = match editing {
        Some(r) => (
            format!("Editar {}", r.vehicle.title),
            format!("/painel/veiculos/{}", r.id),
        ),
        None => ("Novo veículo".to_owned(), "/painel/veiculos".to_owned()),
    };
    let text_field = |id: &str, name: &str, value: &str, max: usize| {
        html! {
            div.field {
                label for=(id) { (label(name)) }
                input type="text" id=(id) name=(name) maxlength=(max) value=(value);
                (errors.at(name))
            }
        }
    };
    let number_field = |id: &str, name: &str, value: &str, money: bool| {
        html! {
            div.field {
                label for=(id) { (label(name)) @if money { " (R$)" } }
                @if money {
                    input type="text" inputmode="decimal" id=(id) name=(name) value=(value) placeholder="142.900,00";
                } @else {
                    input type="text" inputmode="numeric" id=(id) name=(name) value=(value);
                }
                (errors.at(name))
            }
        }
    };
    let phase = non_blank(&form.phase).unwrap_or(VehiclePhase::Entrada.as_str());
    let status = non_blank(&form.status).unwrap_or(VehicleStatus::Ativo.as_str());
    let client = Picker {
        kind: Kind::Client,
        id: "v-client",
        name: "client_id",
        search_name: "client_search",
        label: "Cliente (opcional)",
        search: &form.client_search,
        chosen: &form.client_id,
        chosen_label: editing.and_then(|r| r.client_name.clone()),
        options: &choices.clients,
    };
    layout(
        &title,
        Some((signed, Section::Vehicles)),
        html! {
            h1 { (title) }
            section.card {
                (errors.summary())
                form.vehicle method="post" action=(action) {
                    (picker::default_submit("Salvar veículo"))
                    (csrf_field(&signed.csrf))
                    fieldset {
                        legend { "Anúncio" }
                        div.field.wide {
                            label for="v-title" { (label("title")) }
                            input type="text" id="v-title" name="title" required maxlength=(MAX_NAME) value=(form.title);
                            (errors.at("title"))
                        }
                        div.field {
                            label for="v-store" { (label("store_id")) }
                            select id="v-store" name="store_id" required {
                                @for s in &choices.stores {
                                    @let id = s.id.to_string();
                                    option value=(id) selected[form.store_id == id] { (s.name) }
                                }
                            }
                            (errors.at("store_id"))
                        }
                        div.field.wide {
                            (client.render())
                            (errors.at("client_id"))
                        }
                        div.field {
                            label for="v-phase" { (label("phase")) }
                            input type="text" id="v-phase" name="phase" list="v-phases" maxlength=(text::MAX_LABEL) value=(phase);
                            datalist id="v-phases" {
                                @for p in VehiclePhase::KNOWN {
                                    option value=(p.as_str()) { (phase_label(p)) }
                                }
                            }
                            (errors.at("phase"))
                        }
                        div.field {
                            label for="v-status" { (label("status")) }
                            input type="text" id="v-status" name="status" list="v-statuses" maxlength=(text::MAX_LABEL) value=(status);
                            datalist id="v-statuses" {
                                @for s in VehicleStatus::KNOWN {
                                    option value=(s.as_str()) { (status_label(s)) }
                                }
                            }
                            (errors.at("status"))
                        }
                        (number_field("v-price", "price", &form.price, true))
                        (number_field("v-purchase-price", "purchase_price", &form.purchase_price, true))
                    }
                    fieldset {
                        legend { "Veículo" }
                        (text_field("v-brand", "brand", &form.brand, MAX_SHORT))
                        (text_field("v-model", "model", &form.model, MAX_SHORT))
                        (text_field("v-version", "version", &form.version, MAX_SHORT))
                        (number_field("v-year-model", "year_model", &form.year_model, false))
                        (number_field("v-year-manufacture", "year_manufacture", &form.year_manufacture, false))
                        (number_field("v-mileage", "mileage", &form.mileage, false))
                        (text_field("v-color", "color", &form.color, MAX_SHORT))
                        (text_field("v-fuel", "fuel", &form.fuel, MAX_SHORT))
                        (text_field("v-transmission", "transmission", &form.transmission, MAX_SHORT))
                        (text_field("v-body-type", "body_type", &form.body_type, MAX_SHORT))
                        (number_field("v-doors", "doors", &form.doors, false))
                        (text_field("v-engine", "engine", &form.engine, MAX_SHORT))
                    }
                    fieldset {
                        legend { "Documentos e FIPE" }
                        (text_field("v-plate", "plate", &form.plate, 10))
                        (text_field("v-renavam", "renavam", &form.renavam, 20))
                        (text_field("v-chassis", "chassis", &form.chassis, 17))
                        (text_field("v-fipe-code", "fipe_code", &form.fipe_code, MAX_SHORT))
                        (number_field("v-fipe-price", "fipe_price", &form.fipe_price, true))
                    }
                    fieldset {
                        legend { "Descrição" }
                        div.field.wide {
                            label for="v-description" { (label("description")) }
                            textarea id="v-description" name="description" rows="4" maxlength=(MAX_TEXT) { (form.description) }
                            (errors.at("description"))
                        }
                        div.field.wide {
                            label for="v-features" { (label("features")) " (um por linha)" }
                            textarea id="v-features" name="features" rows="4" { (form.features) }
                            (errors.at("features"))
                        }
                        div.field.wide {
                            label for="v-photos" { (label("photos")) " (uma URL por linha)" }
                            textarea id="v-photos" name="photos" rows="3" { (form.photos) }
                            (errors.at("photos"))
                        }
                    }
                    div.actions {
                        button type="submit" id="salvar-veiculo" { "Salvar veículo" }
                        a href=(editing.map(|r| format!("/painel/veiculos/{}", r.id)).unwrap_or_else(|| "/painel/veiculos".to_owned())) { "Cancelar" }
                    }
                }
            }
        },
    )
}

/// GET /painel/veiculos/novo
pub async fn new_vehicle(
    State(state): State<PanelState>,
    signed: Signed,
) -> Result<Markup, PanelError> {
    let mut form = VehicleForm::default();
    let choices = choices(&state, signed.account, &form).await?;
    form.store_id = choices
        .stores
        .first()
        .map(|s| s.id.to_string())
        .unwrap_or_default();
    Ok(form_page(
        &signed,
        None,
        &form,
        &choices,
        &FormErrors::none(),
    ))
}

/// The form again: with the problems (422, nothing written), or after a
/// picker's "Buscar" with its matches (200, nothing written either).
async fn again(
    state: &PanelState,
    signed: &Signed,
    editing: Option<&VehicleRecord>,
    form: &VehicleForm,
    problems: &[FieldError],
) -> Result<Response, PanelError> {
    let choices = choices(state, signed.account, form).await?;
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let errors = FormErrors::new(LABELS, problems);
    Ok((status, form_page(signed, editing, form, &choices, &errors)).into_response())
}

/// POST /painel/veiculos — creates the vehicle and its `vehicle.created`
/// event; a rule broken shows the form again (422) and writes nothing.
pub async fn create_vehicle(
    State(state): State<PanelState>,
    SignedForm { signed, form }: SignedForm<VehicleForm>,
) -> Result<Response, PanelError> {
    if !form.buscar.is_empty() {
        return again(&state, &signed, None, &form, &[]).await;
    }
    let strictness = strictness(&state, signed.account).await?;
    let defaults = Vehicle::new(String::new(), StoreId(Uuid::nil()));
    let vehicle = match read_form(&form, strictness).and_then(|mut v| {
        v.reconcile_sale(&defaults).map_err(|e| vec![e])?;
        Ok(v)
    }) {
        Ok(v) => v,
        Err(problems) => return again(&state, &signed, None, &form, &problems).await,
    };
    let references = references(&vehicle);
    let draft = Draft::new(vehicle, references);
    let mut tx = state.store.begin().await?;
    let done = vehicles::create(&mut tx, signed.account, draft).await;
    match commit_or_problems(tx, done).await? {
        Ok(saved) => Ok(Notice::VehicleCreated
            .redirect(&signed, &format!("/painel/veiculos/{}", saved.id))
            .into_response()),
        Err(problems) => again(&state, &signed, None, &form, &problems).await,
    }
}

/// GET /painel/veiculos/{id}/editar
pub async fn edit_vehicle(
    State(state): State<PanelState>,
    signed: Signed,
    IdPath(id): IdPath<VehicleId>,
) -> Result<Markup, PanelError> {
    let r = state
        .store
        .conn()
        .await?
        .vehicles()
        .get(signed.account, id)
        .await?;
    let form = VehicleForm::from(&r.vehicle);
    let choices = choices(&state, signed.account, &form).await?;
    Ok(form_page(
        &signed,
        Some(&r),
        &form,
        &choices,
        &FormErrors::none(),
    ))
}

/// POST /painel/veiculos/{id} — saves the edit form, with the events of
/// `PATCH /vehicles/:id` (`vehicle.updated`, `.sold`, `.archived`). The id
/// answers first: a foreign id is the 404 page whatever the form.
pub async fn update_vehicle(
    State(state): State<PanelState>,
    IdPath(id): IdPath<VehicleId>,
    SignedForm { signed, form }: SignedForm<VehicleForm>,
) -> Result<Response, PanelError> {
    let strictness = strictness(&state, signed.account).await?;
    let mut tx = state.store.begin().await?;
    let current = vehicles::lock(&mut tx, signed.account, id).await?;
    let shown = current.record().clone();
    if !form.buscar.is_empty() {
        drop(tx);
        return again(&state, &signed, Some(&shown), &form, &[]).await;
    }
    let vehicle = match read_form(&form, strictness).and_then(|mut v| {
        v.reconcile_sale(&current.vehicle).map_err(|e| vec![e])?;
        Ok(v)
    }) {
        Ok(v) => v,
        Err(problems) => {
            drop(tx);
            return again(&state, &signed, Some(&shown), &form, &problems).await;
        }
    };
    let references = references(&vehicle);
    let draft = Draft::new(vehicle, references);
    let done = vehicles::update(&mut tx, signed.account, current, draft).await;
    match commit_or_problems(tx, done).await? {
        Ok(_) => Ok(Notice::VehicleSaved
            .redirect(&signed, &format!("/painel/veiculos/{id}"))
            .into_response()),
        Err(problems) => again(&state, &signed, Some(&shown), &form, &problems).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitrine_core::ids::UserId;
    use vitrine_core::time_zone::TimeZone;

    fn signed() -> Signed {
        Signed {
            account: AccountId(Uuid::nil()),
            user: UserId(Uuid::nil()),
            session_id: Uuid::nil(),
            email: "dona@revenda.com.br".into(),
            csrf: "token".into(),
            secure: false,
            flash: None,
            zone: TimeZone::default(),
        }
    }

    #[test]
    fn a_linked_client_outside_the_choices_stays_chosen() {
        let client = Uuid::now_v7().to_string();
        let form = VehicleForm {
            title: "Civic".into(),
            client_id: client.clone(),
            ..VehicleForm::default()
        };
        let none = Choices {
            stores: Vec::new(),
            clients: Vec::new(),
        };
        let page = form_page(&signed(), None, &form, &none, &FormErrors::none()).into_string();
        assert!(
            page.contains(&format!(
                "<option value=\"{client}\" selected>Escolhido</option>"
            )),
            "{page}"
        );
    }

    #[test]
    fn problems_are_shown_at_their_fields_by_label() {
        let form = VehicleForm {
            title: "Civic".into(),
            year_model: "dois mil".into(),
            price: "1.50.0".into(),
            ..VehicleForm::default()
        };
        let problems = read_form(&form, Strictness::Lenient).expect_err("invalid");
        let none = Choices {
            stores: Vec::new(),
            clients: Vec::new(),
        };
        let page = form_page(
            &signed(),
            None,
            &form,
            &none,
            &FormErrors::new(LABELS, &problems),
        )
        .into_string();
        assert!(
            page.contains("Ano modelo deve ser um número inteiro"),
            "{page}"
        );
        assert!(
            page.contains("Preço de venda deve ser um valor em reais"),
            "{page}"
        );
        assert!(!page.contains("'year_model'"), "no API keys in messages");
        let top = page.find("id=\"erros\"").expect("summary");
        assert!(
            top < page.find("id=\"v-title\"").expect("form"),
            "summary first"
        );
    }

    #[test]
    fn the_form_reads_every_problem_with_the_apis_rules() {
        let form = VehicleForm {
            title: " ".into(),
            plate: "ABCD123".into(),
            renavam: "12345678901".into(),
            doors: "quatro".into(),
            ..VehicleForm::default()
        };
        let fields: Vec<String> = read_form(&form, Strictness::Strict)
            .expect_err("invalid")
            .into_iter()
            .map(|p| p.field)
            .collect();
        assert_eq!(fields, ["title", "store_id", "plate", "doors", "renavam"]);
        let lenient = VehicleForm {
            title: "Civic".into(),
            store_id: Uuid::now_v7().to_string(),
            renavam: "12345678901".into(),
            price: "100.000".into(),
            mileage: "35.000".into(),
            ..VehicleForm::default()
        };
        let v = read_form(&lenient, Strictness::Lenient).expect("valid when lenient");
        assert_eq!(v.renavam.as_deref(), Some("12345678901"));
        assert_eq!(v.price.map(|m| m.cents()), Some(10_000_000), "cem mil");
        assert_eq!(v.mileage, Some(35_000));
        assert_eq!(
            (v.phase.clone(), v.status.clone()),
            (VehiclePhase::Entrada, VehicleStatus::Ativo)
        );
        assert_eq!(VehicleForm::from(&v).price, "100.000,00");
    }
}
