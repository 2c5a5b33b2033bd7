//! `/deals` on the wire (ecosys-auto-api.md §4.3): a deal with its
//! embedded client and vehicle.

use serde::Serialize;
use vitrine_core::money::Money;
use vitrine_core::records::DealRecord;

use super::vehicles::ClientSummary;
use crate::{date, money, timestamp};

/// The embedded `vehicle {id, title}` (§4.3, G21).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct VehicleSummary {
    id: String,
    title: Option<String>,
}

/// A deal on the wire: every field, `null` where unset (G5).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DealOut {
    id: String,
    title: String,
    #[serde(serialize_with = "money::opt")]
    #[schema(value_type = Option<f64>)]
    value: Option<Money>,
    phase: String,
    probability: Option<i32>,
    status: &'static str,
    loss_reason: Option<String>,
    client_id: Option<String>,
    client: Option<ClientSummary>,
    vehicle_id: Option<String>,
    vehicle: Option<VehicleSummary>,
    store_id: Option<String>,
    source: Option<String>,
    tags: Vec<String>,
    description: Option<String>,
    expected_close_date: Option<String>,
    responsible_id: Option<String>,
    won_at: Option<String>,
    lost_at: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<DealRecord> for DealOut {
    fn from(r: DealRecord) -> Self {
        let d = r.deal;
        Self {
            id: r.id.to_string(),
            title: d.title,
            value: d.value,
            phase: d.phase.as_str().to_owned(),
            probability: d.probability,
            status: d.status.as_str(),
            loss_reason: d.loss_reason,
            client_id: d.client_id.map(|c| c.to_string()),
            client: d.client_id.map(|c| ClientSummary::new(c, r.client_name)),
            vehicle_id: d.vehicle_id.map(|v| v.to_string()),
            vehicle: d.vehicle_id.map(|v| VehicleSummary {
                id: v.to_string(),
                title: r.vehicle_title,
            }),
            store_id: d.store_id.map(|s| s.to_string()),
            source: d.source,
            tags: d.tags,
            description: d.description,
            expected_close_date: d.expected_close_date.map(date),
            responsible_id: d.responsible_id,
            won_at: d.won_at.map(timestamp),
            lost_at: d.lost_at.map(timestamp),
            created_at: timestamp(r.created_at),
            updated_at: timestamp(r.updated_at),
        }
    }
}
