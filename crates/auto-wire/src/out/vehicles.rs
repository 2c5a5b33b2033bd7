//! `/vehicles` on the wire (ecosys-auto-api.md §4.2): a vehicle and the
//! embedded `client {id, name}` that deals share.

use serde::Serialize;
use vitrine_core::ids::ClientId;
use vitrine_core::money::Money;
use vitrine_core::records::VehicleRecord;

use crate::{money, timestamp};

/// The embedded `client {id, name}` (G6).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ClientSummary {
    id: String,
    name: Option<String>,
}

impl ClientSummary {
    pub(crate) fn new(id: ClientId, name: Option<String>) -> Self {
        Self {
            id: id.to_string(),
            name,
        }
    }
}

/// A vehicle on the wire: every field, `null` where unset (G5), with both
/// `client_id` and the embedded `client` (G6).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VehicleOut {
    id: String,
    title: String,
    brand: Option<String>,
    model: Option<String>,
    version: Option<String>,
    year_model: Option<i32>,
    year_manufacture: Option<i32>,
    #[serde(serialize_with = "money::opt")]
    #[schema(value_type = Option<f64>)]
    price: Option<Money>,
    #[serde(serialize_with = "money::opt")]
    #[schema(value_type = Option<f64>)]
    purchase_price: Option<Money>,
    mileage: Option<i64>,
    color: Option<String>,
    fuel: Option<String>,
    transmission: Option<String>,
    plate: Option<String>,
    phase: String,
    status: String,
    store_id: String,
    client_id: Option<String>,
    client: Option<ClientSummary>,
    fipe_code: Option<String>,
    #[serde(serialize_with = "money::opt")]
    #[schema(value_type = Option<f64>)]
    fipe_price: Option<Money>,
    body_type: Option<String>,
    doors: Option<i32>,
    engine: Option<String>,
    chassis: Option<String>,
    renavam: Option<String>,
    description: Option<String>,
    features: Option<Vec<String>>,
    photos: Option<Vec<String>>,
    created_at: String,
    updated_at: String,
}

impl From<VehicleRecord> for VehicleOut {
    fn from(r: VehicleRecord) -> Self {
        let v = r.vehicle;
        Self {
            id: r.id.to_string(),
            title: v.title,
            brand: v.brand,
            model: v.model,
            version: v.version,
            year_model: v.year_model,
            year_manufacture: v.year_manufacture,
            price: v.price,
            purchase_price: v.purchase_price,
            mileage: v.mileage,
            color: v.color,
            fuel: v.fuel,
            transmission: v.transmission,
            plate: v.plate,
            phase: v.phase.as_str().to_owned(),
            status: v.status.as_str().to_owned(),
            store_id: v.store_id.to_string(),
            client_id: v.client_id.map(|c| c.to_string()),
            client: v.client_id.map(|c| ClientSummary::new(c, r.client_name)),
            fipe_code: v.fipe_code,
            fipe_price: v.fipe_price,
            body_type: v.body_type,
            doors: v.doors,
            engine: v.engine,
            chassis: v.chassis,
            renavam: v.renavam,
            description: v.description,
            features: v.features,
            photos: v.photos,
            created_at: timestamp(r.created_at),
            updated_at: timestamp(r.updated_at),
        }
    }
}
