//! The Auto API v1 wire format (ecosys-auto-api.md), apart from its
//! routes: what a request reads (bodies field by field, list queries and
//! each list's filters, the request schemas of the OpenAPI document), what
//! a response writes (every resource's DTO, the `{"success":…,"data":…}`
//! envelope, [`AutoError`] and its error body), money and time rendering,
//! the webhook events (the same DTOs, enqueued to the outbox), and the
//! webhook endpoint writes both the API and the panel make, with the
//! policy of where deliveries may go.
//!
//! `vitrine-auto` serves it; the panel renders and emits the same shapes
//! and reads the same list filters, so both depend on this crate and not
//! on each other.

pub mod body;
pub mod envelope;
pub mod error;
pub mod events;
pub mod inputs;
pub mod lists;
pub mod money;
pub mod out;
pub mod query;
pub mod refs;
pub mod stock;
pub mod webhooks;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

pub use error::AutoError;
pub use lists::{activity_filter, financial_filter, vehicle_filter};
pub use out::{ActivityOut, ClientOut, DealOut, FinancialOut, VehicleOut};

/// Renders a timestamp as the docs do: `2026-02-04T10:30:00Z` (§3.10).
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Renders a date as `YYYY-MM-DD` (§3.10).
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
