//! `GET /stores` on the wire (ecosys-auto-api.md, Decision 5; §4.7).

use serde::Serialize;
use vitrine_store::stores::StoreRow;

use crate::timestamp;

/// A store on the wire.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StoreOut {
    id: String,
    name: String,
    created_at: String,
}

impl From<StoreRow> for StoreOut {
    fn from(s: StoreRow) -> Self {
        Self {
            id: s.id.to_string(),
            name: s.name,
            created_at: timestamp(s.created_at),
        }
    }
}
