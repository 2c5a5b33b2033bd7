//! The Auto API v1 wire format (ecosys-auto-api.md), apart from its
//! routes: what a request reads (bodies field by field, list queries and
//! each list's filters, the request schemas of the OpenAPI document) and
//! what a response writes (every resource's DTO — which is also the `data`
//! of its webhook events —, the `{"success":…,"data":…}` envelope), money
//! and time rendering. Pure format: it knows core's types and no database.
//!
//! `vitrine-auto` serves it; the panel reads the same list filters, and
//! the use cases (`vitrine-app`) render their webhook events with the same
//! DTOs, so all of them depend on this crate and not on each other.

pub mod body;
pub mod envelope;
pub mod inputs;
pub mod lists;
pub mod money;
pub mod out;
pub mod query;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

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
