//! The Auto API's responses: every resource as `GET /<resource>/:id`
//! renders it (and webhook events carry it), one module per resource, each
//! with its `From` the record (core's `records`).

mod activities;
mod clients;
mod deals;
mod financial;
mod stores;
mod vehicles;
mod webhooks;

use serde::Serialize;

pub use activities::ActivityOut;
pub use clients::{AddressOut, ClientOut};
pub use deals::{DealOut, VehicleSummary};
pub use financial::{
    ByTypeOut, CategoryOut, FinancialOut, PeriodOut, SummaryOut, VehicleMarginOut,
};
pub use stores::StoreOut;
pub use vehicles::{ClientSummary, VehicleOut};
pub use webhooks::{AttemptOut, DeliveryOut, WebhookOut};

/// `{"id": …, "deleted": true}` (§3.13).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeletedOut {
    id: String,
    deleted: bool,
}

impl DeletedOut {
    /// The answer for a hard-deleted record.
    pub fn new(id: impl ToString) -> Self {
        Self {
            id: id.to_string(),
            deleted: true,
        }
    }
}
