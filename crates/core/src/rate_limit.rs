//! Request limits per credential, per account and per client address: a
//! fixed one-minute window aligned to the clock (`[hh:mm:00, hh:mm+1:00)`),
//! counted in this process only.
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

use crate::ids::AccountId;

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
        self.check_at(key, unix_now())
    }

    /// Requests allowed per window; `0` when limits are off.
    pub fn limit(&self) -> u32 {
        self.limit
    }

    /// Has `key` spent its budget of the window holding `now`? Counts
    /// nothing. `Some(retry_after)` when it has.
    pub fn spent_at(&self, key: &K, now: i64) -> Option<u64> {
        if self.limit == 0 {
            return None;
        }
        let start = window_start(now);
        let window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        let count = if window.start == start {
            window.counts.get(key).copied().unwrap_or(0)
        } else {
            0
        };
        (count >= self.limit).then(|| retry_after(start, now))
    }

    /// [`RateLimiter::spent_at`] now.
    pub fn spent(&self, key: &K) -> Option<u64> {
        self.spent_at(key, unix_now())
    }

    /// Gives back one request of `key` counted in the window holding `now`
    /// (another budget refused it after this one admitted it).
    fn refund_at(&self, key: &K, now: i64) {
        let mut window = self.window.lock().unwrap_or_else(PoisonError::into_inner);
        if window.start == window_start(now) {
            if let Some(count) = window.counts.get_mut(key) {
                *count = count.saturating_sub(1);
            }
        }
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
            Some(retry_after(start, now))
        };
        Some(Quota {
            limit: self.limit,
            remaining: self.limit - *count,
            reset,
            retry_after,
        })
    }
}

/// Seconds from `now` to the end of the window that started at `start`
/// (at least 1).
fn retry_after(start: i64, now: i64) -> u64 {
    u64::try_from(start + WINDOW_SECS - now).unwrap_or(1).max(1)
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The budgets an authenticated request spends: its credential's (an API
/// key, a store credential, a customer) and its account's, shared by every
/// credential of the account in both APIs, so an account cannot widen its
/// budget by minting keys or customers.
#[derive(Debug)]
pub struct Budgets<K> {
    credential: RateLimiter<K>,
    account: Arc<RateLimiter<AccountId>>,
}

impl<K: Hash + Eq + Clone> Budgets<K> {
    /// `per_credential` requests per credential per minute (`0`: off) and
    /// the account limiter shared with the other face.
    pub fn new(per_credential: u32, account: Arc<RateLimiter<AccountId>>) -> Self {
        Self {
            credential: RateLimiter::new(per_credential),
            account,
        }
    }

    /// Admits one request of `credential` of `account`, recording in
    /// `slot` that the request authenticated and the tighter of the two
    /// quotas (for the `X-RateLimit-*` headers). `Err(retry_after)` when
    /// either budget is spent; then neither is charged.
    pub fn admit(
        &self,
        account: AccountId,
        credential: K,
        slot: Option<&QuotaSlot>,
    ) -> Result<(), u64> {
        self.admit_at(account, credential, slot, unix_now())
    }

    /// [`Budgets::admit`] at `now` (Unix seconds).
    pub fn admit_at(
        &self,
        account: AccountId,
        credential: K,
        slot: Option<&QuotaSlot>,
        now: i64,
    ) -> Result<(), u64> {
        if let Some(slot) = slot {
            slot.mark_authenticated();
        }
        let Some(own) = self.credential.check_at(credential.clone(), now) else {
            return self.account_only(account, slot, now);
        };
        if own.retry_after.is_some() {
            return refuse(own, slot);
        }
        let Some(shared) = self.account.check_at(account, now) else {
            return admit(own, slot);
        };
        if shared.retry_after.is_some() {
            self.credential.refund_at(&credential, now);
            return refuse(shared, slot);
        }
        admit(
            if shared.remaining < own.remaining {
                shared
            } else {
                own
            },
            slot,
        )
    }

    fn account_only(
        &self,
        account: AccountId,
        slot: Option<&QuotaSlot>,
        now: i64,
    ) -> Result<(), u64> {
        match self.account.check_at(account, now) {
            None => Ok(()),
            Some(q) if q.retry_after.is_some() => refuse(q, slot),
            Some(q) => admit(q, slot),
        }
    }
}

fn admit(quota: Quota, slot: Option<&QuotaSlot>) -> Result<(), u64> {
    if let Some(slot) = slot {
        slot.set(quota);
    }
    Ok(())
}

fn refuse(quota: Quota, slot: Option<&QuotaSlot>) -> Result<(), u64> {
    if let Some(slot) = slot {
        slot.set(quota);
    }
    Err(quota.retry_after.unwrap_or(1))
}

/// Carries what the face learnt of a request's credential (after
/// authentication, deep inside the handler's extractors) to the layers
/// around it: that it authenticated (the per-address budget counts only
/// requests that did not) and its [`Quota`] (the `X-RateLimit-*` headers).
/// The server puts one in each request's extensions; the faces fill it.
#[derive(Debug, Clone, Default)]
pub struct QuotaSlot(Arc<Mutex<Slot>>);

#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    authenticated: bool,
    quota: Option<Quota>,
}

impl QuotaSlot {
    /// Records the request's quota.
    pub fn set(&self, quota: Quota) {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).quota = Some(quota);
    }

    /// The recorded quota, if a face checked one.
    pub fn get(&self) -> Option<Quota> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner).quota
    }

    /// Records that the request's credential authenticated.
    pub fn mark_authenticated(&self) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .authenticated = true;
    }

    /// Did the request's credential authenticate?
    pub fn authenticated(&self) -> bool {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .authenticated
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

    fn account(n: u128) -> AccountId {
        AccountId(uuid::Uuid::from_u128(n))
    }

    #[test]
    fn an_account_has_one_budget_whatever_its_credentials() {
        let budgets = Budgets::new(3, Arc::new(RateLimiter::new(4)));
        let at = NOON + 10;
        let spend = |key| budgets.admit_at(account(1), key, None, at);
        assert_eq!(
            [spend("a"), spend("a"), spend("a")],
            [Ok(()), Ok(()), Ok(())]
        );
        assert_eq!(spend("a"), Err(50), "key a spent its own budget");
        assert_eq!(spend("b"), Ok(()), "the account's fourth request");
        assert_eq!(spend("c"), Err(50), "the account's budget is spent");
        // The refused request was given back to c's own budget.
        let c = budgets.credential.check_at("c", at);
        assert_eq!(c.map(|q| q.remaining), Some(2));
        // Another account is untouched.
        assert_eq!(budgets.admit_at(account(2), "z", None, at), Ok(()));
    }

    #[test]
    fn a_refusal_by_the_account_gives_the_credential_its_request_back() {
        let budgets = Budgets::new(2, Arc::new(RateLimiter::new(1)));
        assert_eq!(budgets.admit_at(account(1), "a", None, NOON), Ok(()));
        assert!(budgets.admit_at(account(1), "b", None, NOON).is_err());
        // b was not charged: where the account has room, b has both requests.
        assert!(budgets.admit_at(account(2), "b", None, NOON).is_ok());
        assert!(budgets.admit_at(account(3), "b", None, NOON).is_ok());
        assert!(budgets.admit_at(account(4), "b", None, NOON).is_err());
    }

    #[test]
    fn the_tighter_quota_is_reported_and_the_slot_knows_who_authenticated() {
        let budgets = Budgets::new(10, Arc::new(RateLimiter::new(3)));
        let slot = QuotaSlot::default();
        assert!(!slot.authenticated());
        assert!(budgets.admit_at(account(1), "a", Some(&slot), NOON).is_ok());
        assert!(slot.authenticated());
        let quota = slot.get().expect("a quota");
        assert_eq!((quota.limit, quota.remaining), (3, 2), "the account binds");
        let off = Budgets::new(0, Arc::new(RateLimiter::new(0)));
        let slot = QuotaSlot::default();
        assert!(off.admit_at(account(1), "a", Some(&slot), NOON).is_ok());
        assert!(slot.authenticated(), "authenticated even with limits off");
        assert_eq!(slot.get(), None);
    }

    #[test]
    fn spent_looks_without_counting() {
        let limiter = RateLimiter::new(2);
        assert_eq!(limiter.spent_at(&"k", NOON), None);
        let _ = limiter.check_at("k", NOON);
        assert_eq!(limiter.spent_at(&"k", NOON), None);
        let _ = limiter.check_at("k", NOON);
        assert_eq!(limiter.spent_at(&"k", NOON + 20), Some(40));
        assert_eq!(limiter.spent_at(&"k", NOON + 60), None, "a new window");
        assert_eq!(RateLimiter::new(0).spent_at(&"k", NOON), None);
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
