//! Request limits per credential: a fixed one-minute window aligned to the
//! clock (`[hh:mm:00, hh:mm+1:00)`), counted in this process only.
//!
//! Aligned windows make every key share one window, so rolling over is
//! clearing one map: memory holds only the keys seen this minute. A
//! sliding window or GCRA (`governor`) smooths bursts better, but cannot
//! report "remaining in this window" and "resets at" the way the
//! `X-RateLimit-*` headers promise.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

/// Length of a window, in seconds.
pub const WINDOW_SECS: i64 = 60;

/// Start (Unix seconds) of the window holding `now`.
pub fn window_start(now: i64) -> i64 {
    now - now.rem_euclid(WINDOW_SECS)
}

/// Where a request stands against its limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Quota {
    /// Requests allowed per window.
    pub limit: u32,
    /// Requests left in this window after this one.
    pub remaining: u32,
    /// When the window ends (Unix seconds).
    pub reset: i64,
    /// Refused: seconds until the window ends (at least 1). `None` when admitted.
    pub retry_after: Option<u64>,
}

impl Quota {
    /// Is the request admitted?
    pub fn admitted(&self) -> bool {
        self.retry_after.is_none()
    }
}

/// Counts requests per key in the current window.
#[derive(Debug)]
pub struct RateLimiter<K> {
    limit: u32,
    window: Mutex<Window<K>>,
}

#[derive(Debug)]
struct Window<K> {
    start: i64,
    counts: HashMap<K, u32>,
}

impl<K: Hash + Eq> RateLimiter<K> {
    /// `limit` requests per key per minute; `0` admits everything.
    pub fn new(limit: u32) -> Self {
        Self {
            limit,
            window: Mutex::new(Window {
                start: i64::MIN,
                counts: HashMap::new(),
            }),
        }
    }

    /// Counts one request of `key` now; `None` when limits are off.
    pub fn check(&self, key: K) -> Option<Quota> {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        self.check_at(key, now)
    }

    /// Counts one request of `key` at `now` (Unix seconds). A refused
    /// request does not count: the budget stays spent, not overdrawn.
    pub fn check_at(&self, key: K, now: i64) -> Option<Quota> {
        if self.limit == 0 {
            return None;
        }
        let start = window_start(now);
        // A panic while holding the lock leaves plain counters behind,
        // still meaningful: keep using them.
        let mut window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        if window.start != start {
            window.start = start;
            window.counts.clear();
        }
        let count = window.counts.entry(key).or_insert(0);
        let reset = start + WINDOW_SECS;
        let retry_after = if *count < self.limit {
            *count += 1;
            None
        } else {
            Some(u64::try_from(reset - now).unwrap_or(1).max(1))
        };
        Some(Quota {
            limit: self.limit,
            remaining: self.limit - *count,
            reset,
            retry_after,
        })
    }
}

/// Carries the [`Quota`] of a request from the face that checked it (after
/// authentication, deep inside the handler's extractors) to the layer that
/// writes the `X-RateLimit-*` headers on the response. The server puts one
/// in each request's extensions; the faces fill it.
#[derive(Debug, Clone, Default)]
pub struct QuotaSlot(Arc<Mutex<Option<Quota>>>);

impl QuotaSlot {
    /// Records the request's quota.
    pub fn set(&self, quota: Quota) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(quota);
    }

    /// The recorded quota, if a face checked one.
    pub fn get(&self) -> Option<Quota> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-01-10T12:00:00Z
    const NOON: i64 = 1_768_046_400;

    #[test]
    fn windows_align_to_the_minute() {
        assert_eq!(NOON % 60, 0);
        assert_eq!(window_start(NOON), NOON);
        assert_eq!(window_start(NOON + 59), NOON);
        assert_eq!(window_start(NOON + 60), NOON + 60);
        assert_eq!(window_start(NOON - 1), NOON - 60);
        assert_eq!(window_start(-1), -60, "before the epoch too");
    }

    #[test]
    fn remaining_counts_down_then_refuses_until_the_reset() {
        let limiter = RateLimiter::new(3);
        let at = NOON + 15;
        let seen: Vec<_> = (0..4).map(|_| limiter.check_at("k", at)).collect();
        let remaining: Vec<_> = seen.iter().flatten().map(|q| q.remaining).collect();
        assert_eq!(remaining, [2, 1, 0, 0]);
        for quota in seen.iter().flatten() {
            assert_eq!(quota.limit, 3);
            assert_eq!(quota.reset, NOON + 60);
        }
        assert!(seen[..3].iter().flatten().all(Quota::admitted));
        assert_eq!(seen[3].and_then(|q| q.retry_after), Some(45));
    }

    #[test]
    fn retry_after_is_at_least_one_second() {
        let limiter = RateLimiter::new(1);
        let _ = limiter.check_at("k", NOON + 59);
        let refused = limiter.check_at("k", NOON + 59);
        assert_eq!(refused.and_then(|q| q.retry_after), Some(1));
    }

    #[test]
    fn the_next_window_starts_afresh() {
        let limiter = RateLimiter::new(2);
        let _ = limiter.check_at("k", NOON + 1);
        let _ = limiter.check_at("k", NOON + 2);
        assert!(!limiter
            .check_at("k", NOON + 59)
            .is_some_and(|q| q.admitted()));
        let next = limiter.check_at("k", NOON + 60);
        assert_eq!(
            next,
            Some(Quota {
                limit: 2,
                remaining: 1,
                reset: NOON + 120,
                retry_after: None
            })
        );
    }

    #[test]
    fn keys_have_separate_budgets() {
        let limiter = RateLimiter::new(1);
        assert!(limiter.check_at("a", NOON).is_some_and(|q| q.admitted()));
        assert!(limiter.check_at("b", NOON).is_some_and(|q| q.admitted()));
        assert!(!limiter.check_at("a", NOON).is_some_and(|q| q.admitted()));
    }

    #[test]
    fn zero_disables() {
        let limiter = RateLimiter::new(0);
        assert!((0..1000).all(|_| limiter.check_at("k", NOON).is_none()));
    }

    #[test]
    fn the_slot_carries_the_last_quota() {
        let slot = QuotaSlot::default();
        assert_eq!(slot.get(), None);
        let quota = RateLimiter::new(5).check_at("k", NOON);
        if let Some(q) = quota {
            slot.clone().set(q);
        }
        assert_eq!(slot.get(), quota);
    }
}
