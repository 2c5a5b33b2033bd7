//! `/activities` on the wire (ecosys-auto-api.md §4.4).

use serde::Serialize;
use vitrine_core::activity;
use vitrine_core::records::ActivityRecord;

use crate::timestamp;

/// An activity on the wire: every field, `null` where unset (G5), plus
/// `overdue` (pending and past due, computed when rendered).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ActivityOut {
    id: String,
    title: String,
    #[serde(rename = "type")]
    kind: String,
    description: Option<String>,
    due_date: Option<String>,
    status: &'static str,
    overdue: bool,
    completed_at: Option<String>,
    client_id: Option<String>,
    vehicle_id: Option<String>,
    deal_id: Option<String>,
    store_id: Option<String>,
    responsible_id: Option<String>,
    created_at: String,
    updated_at: String,
}

impl From<ActivityRecord> for ActivityOut {
    fn from(r: ActivityRecord) -> Self {
        let a = r.activity;
        Self {
            id: r.id.to_string(),
            overdue: activity::is_overdue(a.status, a.due_date, vitrine_core::clock::now()),
            title: a.title,
            kind: a.kind,
            description: a.description,
            due_date: a.due_date.map(timestamp),
            status: a.status.as_str(),
            completed_at: a.completed_at.map(timestamp),
            client_id: a.client_id.map(|c| c.to_string()),
            vehicle_id: a.vehicle_id.map(|v| v.to_string()),
            deal_id: a.deal_id.map(|d| d.to_string()),
            store_id: a.store_id.map(|s| s.to_string()),
            responsible_id: a.responsible_id,
            created_at: timestamp(r.created_at),
            updated_at: timestamp(r.updated_at),
        }
    }
}
