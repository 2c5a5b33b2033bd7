//! Sign-in throttling: at most [`MAX_FAILURES`] failed attempts per email and
//! client address within [`WINDOW`]; then sign-in is refused until the oldest
//! failure leaves the window. Failures are stored in the database (so the
//! limit holds across app nodes); this module holds the rule.

use chrono::{DateTime, Duration, Utc};

/// Failed attempts allowed within the window.
pub const MAX_FAILURES: i64 = 5;
/// How far back failures count.
pub const WINDOW: Duration = Duration::minutes(15);

/// The earliest failure time that still counts at `now`.
pub fn window_start(now: DateTime<Utc>) -> DateTime<Utc> {
    now - WINDOW
}

/// Is sign-in refused, given the failures counted since [`window_start`]?
pub fn is_locked(failures_in_window: i64) -> bool {
    failures_in_window >= MAX_FAILURES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fifth_failure_locks() {
        assert!(!is_locked(0));
        assert!(!is_locked(4));
        assert!(is_locked(5));
        assert!(is_locked(50));
    }

    #[test]
    fn the_window_is_fifteen_minutes() {
        let now = DateTime::parse_from_rfc3339("2026-01-10T12:00:00Z")
            .map(|t| t.with_timezone(&Utc))
            .expect("valid time");
        let start = window_start(now);
        assert_eq!(now - start, Duration::minutes(15));
        // A failure exactly at the start still counts (`>=` in the query);
        // one a second earlier no longer does.
        assert!(now - Duration::seconds(900) >= start);
        assert!(now - Duration::seconds(901) < start);
    }
}
