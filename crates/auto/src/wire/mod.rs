//! Wire formats of the Auto API: body and query readers, money and time
//! rendering.

pub mod body;
pub mod inputs;
pub mod money;
pub mod query;

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// Renders a timestamp as the docs do: `2026-02-04T10:30:00Z` (§3.10).
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Renders a date as `YYYY-MM-DD` (§3.10).
pub fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
