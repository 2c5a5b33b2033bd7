//! The request bodies as the OpenAPI document describes them (§4.1–§4.6).
//!
//! Handlers read bodies field by field (`wire::body`), so these types are
//! never deserialised: they only give the document each body's fields,
//! their JSON types and, for closed vocabularies, the wire values taken
//! from the same `WIRE` lists the parsers check against. Every field is
//! optional here: creation requires some (the handler answers 400 naming
//! each missing one), updates change only what is sent (§3.12).

use utoipa::openapi::schema::{ObjectBuilder, Type};
use utoipa::openapi::Object;
use utoipa::ToSchema;
use vitrine_core::activity::ActivityStatus;
use vitrine_core::client::{ClientStatus, ClientType, Segment};
use vitrine_core::deal::{DealPhase, DealStatus};
use vitrine_core::financial::{Category, FinancialStatus, PaymentMethod, RecordType};
use vitrine_core::vehicle::{VehiclePhase, VehicleStatus};
use vitrine_core::webhook::EVENTS;

/// The fields each body requires on creation (`POST`), by schema name:
/// the document says so on the create operations (`openapi::Conventions`).
pub const REQUIRED_ON_CREATE: &[(&str, &[&str])] = &[
    ("ClientIn", &["type", "name"]),
    ("VehicleIn", &["title", "store_id"]),
    ("DealIn", &["title"]),
    ("ActivityIn", &["title"]),
    ("FinancialIn", &["type", "category", "amount"]),
    ("WebhookIn", &["url", "events"]),
];

/// A string schema limited to the given wire values.
fn one_of(values: &'static [&'static str]) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .build()
}

/// A string schema of an open vocabulary: any non-empty label, the known
/// values named in the description (and given as examples).
fn open(values: &'static [&'static str]) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(1))
        .max_length(Some(vitrine_core::text::MAX_LABEL))
        .description(Some(format!(
            "Vocabulário aberto: qualquer texto não vazio (guardado em minúsculas); valores conhecidos: {}",
            values.join(", ")
        )))
        .examples(values.iter().copied())
        .build()
}

fn vehicle_phase() -> Object {
    open(VehiclePhase::WIRE)
}

fn vehicle_status() -> Object {
    open(VehicleStatus::WIRE)
}

fn deal_phase() -> Object {
    open(DealPhase::WIRE)
}

macro_rules! wire_values {
    ($($fn:ident => $values:expr;)*) => {$(
        fn $fn() -> Object {
            one_of($values)
        }
    )*};
}

wire_values! {
    client_type => ClientType::WIRE;
    client_status => ClientStatus::WIRE;
    segment => Segment::WIRE;
    deal_status => DealStatus::WIRE;
    activity_status => ActivityStatus::WIRE;
    record_type => RecordType::WIRE;
    category => Category::WIRE;
    financial_status => FinancialStatus::WIRE;
    payment_method => PaymentMethod::WIRE;
}

fn events() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(one_of(&EVENTS))
        .build()
}

/// A postal address.
#[derive(Debug, ToSchema)]
pub struct AddressIn {
    pub street: Option<String>,
    pub number: Option<String>,
    pub complement: Option<String>,
    pub neighborhood: Option<String>,
    pub city: Option<String>,
    /// Two-letter state (`SP`).
    pub state: Option<String>,
    /// CEP, `12345-678` or 8 digits.
    pub zip_code: Option<String>,
    pub country: Option<String>,
}

/// `POST /clients`, `PUT|PATCH /clients/{id}`: `type` and `name` required
/// on creation.
#[derive(Debug, ToSchema)]
pub struct ClientIn {
    #[schema(rename = "type", schema_with = client_type)]
    pub kind: Option<String>,
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub mobile_phone: Option<String>,
    pub whatsapp: Option<String>,
    /// With or without mask; check digits verified.
    pub cpf: Option<String>,
    pub rg: Option<String>,
    /// `YYYY-MM-DD`.
    pub birth_date: Option<String>,
    pub gender: Option<String>,
    pub marital_status: Option<String>,
    pub nationality: Option<String>,
    /// With or without mask; check digits verified.
    pub cnpj: Option<String>,
    pub legal_name: Option<String>,
    pub trade_name: Option<String>,
    pub state_registration: Option<String>,
    #[schema(schema_with = segment)]
    pub segment: Option<String>,
    pub source: Option<String>,
    #[schema(schema_with = client_status)]
    pub status: Option<String>,
    pub store_id: Option<String>,
    pub address: Option<AddressIn>,
    pub notes: Option<String>,
    pub tags: Option<Vec<String>>,
}

/// `POST /vehicles`, `PUT|PATCH /vehicles/{id}`: `title` and `store_id`
/// required on creation (`/v1` falls back to the first store).
#[derive(Debug, ToSchema)]
pub struct VehicleIn {
    pub title: Option<String>,
    pub store_id: Option<String>,
    pub brand: Option<String>,
    pub model: Option<String>,
    pub version: Option<String>,
    pub year_model: Option<i32>,
    pub year_manufacture: Option<i32>,
    /// Two decimals at most.
    pub price: Option<f64>,
    pub purchase_price: Option<f64>,
    pub mileage: Option<i64>,
    pub color: Option<String>,
    pub fuel: Option<String>,
    pub transmission: Option<String>,
    /// Mercosul (`ABC1D23`) or old (`ABC-1234`).
    pub plate: Option<String>,
    pub client_id: Option<String>,
    #[schema(schema_with = vehicle_phase)]
    pub phase: Option<String>,
    #[schema(schema_with = vehicle_status)]
    pub status: Option<String>,
    pub fipe_code: Option<String>,
    pub fipe_price: Option<f64>,
    pub body_type: Option<String>,
    pub doors: Option<i32>,
    pub engine: Option<String>,
    pub chassis: Option<String>,
    pub renavam: Option<String>,
    pub description: Option<String>,
    pub features: Option<Vec<String>>,
    pub photos: Option<Vec<String>>,
}

/// `POST /deals`, `PUT|PATCH /deals/{id}`: `title` required on creation;
/// `status: "ganho"` wins, `"perdido"` with `loss_reason` loses.
#[derive(Debug, ToSchema)]
pub struct DealIn {
    pub title: Option<String>,
    pub value: Option<f64>,
    #[schema(schema_with = deal_phase)]
    pub phase: Option<String>,
    pub probability: Option<i32>,
    #[schema(schema_with = deal_status)]
    pub status: Option<String>,
    pub loss_reason: Option<String>,
    pub client_id: Option<String>,
    pub vehicle_id: Option<String>,
    pub store_id: Option<String>,
    pub source: Option<String>,
    pub tags: Option<Vec<String>>,
    pub description: Option<String>,
    /// `YYYY-MM-DD`.
    pub expected_close_date: Option<String>,
    pub responsible_id: Option<String>,
}

/// `PUT /deals/{id}/phase`.
#[derive(Debug, ToSchema)]
pub struct PhaseIn {
    #[schema(schema_with = deal_phase)]
    pub phase: String,
}

/// `POST /activities`, `PUT|PATCH /activities/{id}`: `title` required on
/// creation.
#[derive(Debug, ToSchema)]
pub struct ActivityIn {
    pub title: Option<String>,
    /// `ligacao`, `whatsapp`, `email`, `reuniao`, `visita`, `test_drive`,
    /// `tarefa`, or another short slug.
    #[schema(rename = "type")]
    pub kind: Option<String>,
    pub description: Option<String>,
    /// RFC 3339 or `YYYY-MM-DD`.
    pub due_date: Option<String>,
    #[schema(schema_with = activity_status)]
    pub status: Option<String>,
    pub client_id: Option<String>,
    pub vehicle_id: Option<String>,
    pub deal_id: Option<String>,
    pub store_id: Option<String>,
    pub responsible_id: Option<String>,
}

/// `POST /financial`, `PUT|PATCH /financial/{id}`: `type`, `category` and
/// `amount` required on creation.
#[derive(Debug, ToSchema)]
pub struct FinancialIn {
    #[schema(rename = "type", schema_with = record_type)]
    pub kind: Option<String>,
    #[schema(schema_with = category)]
    pub category: Option<String>,
    pub description: Option<String>,
    /// Positive, two decimals at most.
    pub amount: Option<f64>,
    #[schema(schema_with = financial_status)]
    pub status: Option<String>,
    #[schema(schema_with = payment_method)]
    pub payment_method: Option<String>,
    /// `YYYY-MM-DD`.
    pub due_date: Option<String>,
    /// RFC 3339 or `YYYY-MM-DD`.
    pub paid_at: Option<String>,
    pub vehicle_id: Option<String>,
    pub deal_id: Option<String>,
    pub client_id: Option<String>,
    pub store_id: Option<String>,
}

/// `POST /webhooks`, `PUT|PATCH /webhooks/{id}`: `url` and `events`
/// required on creation.
#[derive(Debug, ToSchema)]
pub struct WebhookIn {
    /// `http` or `https`.
    pub url: Option<String>,
    #[schema(schema_with = events)]
    pub events: Option<Vec<String>>,
    pub active: Option<bool>,
}
