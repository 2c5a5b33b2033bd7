//! The time as the store keeps it.

use chrono::{DateTime, SubsecRound, Utc};

/// The current time as stored: UTC, microsecond precision (PostgreSQL's), so
/// a value reads back equal to what was written on either backend.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}
