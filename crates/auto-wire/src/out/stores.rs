//! `GET /stores` on the wire (ecosys-auto-api.md, Decision 5; §4.7).

use chrono::{DateTime, Utc};
use serde::Serialize;
use vitrine_core::ids::StoreId;

use crate::timestamp;

/// A store on the wire.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct StoreOut {
    id: String,
    name: String,
    created_at: String,
}

impl StoreOut {
    /// The store `id`, named `name`, created at `created_at`.
    pub fn new(id: StoreId, name: String, created_at: DateTime<Utc>) -> Self {
        Self {
            id: id.to_string(),
            name,
            created_at: timestamp(created_at),
        }
    }
}
