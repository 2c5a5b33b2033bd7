//! Password-guessing limits of the panel (sign-in, and the current password
//! of the password change): the rule and the one function that applies it.
//!
//! Each attempt is counted twice — for its email from its client address,
//! and for its email from every address — *before* the password is
//! checked, in one short write transaction ([`claim`]). The counts live in
//! the database, so the limits hold across app nodes and concurrent
//! requests: of a burst of attempts, only the first [`MAX_PER_PEER`] are
//! checked. A window is fixed: it starts with the first attempt after the
//! previous window ran out and lasts [`WINDOW`]; refused attempts do not
//! extend it.
//!
//! The per-email ceiling stops an attacker who rotates addresses (every
//! IPv6 /64 counts as one address, since one subscriber holds a whole /64).
//! Its cost, documented in docs/security.md: anyone who knows an email can
//! keep its owner from signing in for one window at a time, by failing
//! [`MAX_PER_EMAIL`] times; sessions already open are not affected.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use vitrine_store::login_failures::Attempt;
use vitrine_store::Store;

use crate::error::PanelError;

/// Attempts allowed per email from one client address within a window.
pub const MAX_PER_PEER: i64 = 5;
/// Attempts allowed per email from every address together within a window.
pub const MAX_PER_EMAIL: i64 = 20;
/// How long a window lasts.
pub const WINDOW: Duration = Duration::minutes(15);
/// The counter scope of "every address".
pub const EVERY_PEER: &str = "*";

/// The key an address is counted under: an IPv4 address as is (an
/// IPv4-mapped IPv6 address as its IPv4), an IPv6 address by its /64.
pub fn peer_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                let prefix = std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0);
                format!("{prefix}/64")
            }
        },
    }
}

/// The counters' window start before which a counter starts over at `now`.
pub fn window_cutoff(now: DateTime<Utc>) -> DateTime<Utc> {
    now - WINDOW
}

/// What the throttle says about one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Check the password.
    Check,
    /// Refused unchecked, until the given time.
    Locked {
        /// When the window that refused it runs out.
        until: DateTime<Utc>,
    },
}

/// The verdict for an attempt counted `peer` from its address; `email`
/// is its count over every address, when that was counted (an attempt
/// refused by its address's limit is not counted for the email, so one
/// address alone cannot lock the email out everywhere).
pub fn verdict(peer: Attempt, email: Option<Attempt>) -> Verdict {
    if peer.attempts > MAX_PER_PEER {
        return Verdict::Locked {
            until: peer.window_start + WINDOW,
        };
    }
    match email {
        Some(email) if email.attempts > MAX_PER_EMAIL => Verdict::Locked {
            until: email.window_start + WINDOW,
        },
        _ => Verdict::Check,
    }
}

/// Whole minutes (at least one) from `now` until `until`, for the message.
pub fn minutes_left(now: DateTime<Utc>, until: DateTime<Utc>) -> i64 {
    let seconds = (until - now).num_seconds().max(1);
    (seconds + 59) / 60
}

/// The message shown next to the password field of a refused attempt.
pub fn locked_message(now: DateTime<Utc>, until: DateTime<Utc>) -> String {
    let minutes = minutes_left(now, until);
    let unit = if minutes == 1 { "minuto" } else { "minutos" };
    format!(
        "Muitas tentativas sem sucesso. Por segurança, aguarde {minutes} {unit} e tente novamente."
    )
}

/// Counts one attempt for `email` from `peer` before its password is
/// checked, and says whether to check it. Stale counters are purged after
/// the count, on their own.
pub async fn claim(store: &Store, email: &str, peer: &str) -> Result<Verdict, PanelError> {
    let now = vitrine_store::now();
    let cutoff = window_cutoff(now);
    let mut tx = store.begin().await?;
    let from_peer = tx.login_failures().claim(email, peer, now, cutoff).await?;
    let for_email = if from_peer.attempts > MAX_PER_PEER {
        None
    } else {
        Some(
            tx.login_failures()
                .claim(email, EVERY_PEER, now, cutoff)
                .await?,
        )
    };
    tx.commit().await?;
    let mut tx = store.begin().await?;
    tx.login_failures().purge_stale(cutoff).await?;
    tx.commit().await?;
    Ok(verdict(from_peer, for_email))
}

/// After the password matched: this address's failures are forgiven and
/// the attempt is given back to the email's ceiling (failures from
/// elsewhere still count). Inside the caller's transaction.
pub async fn succeeded(
    tx: &mut vitrine_store::Tx,
    email: &str,
    peer: &str,
) -> Result<(), PanelError> {
    tx.login_failures().forgive(email, peer).await?;
    tx.login_failures().give_back(email, EVERY_PEER).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .expect("valid time")
    }

    fn attempt(attempts: i64) -> Attempt {
        Attempt {
            attempts,
            window_start: at("2026-01-10T12:00:00Z"),
        }
    }

    #[test]
    fn the_sixth_attempt_from_one_address_is_refused() {
        assert_eq!(verdict(attempt(1), Some(attempt(1))), Verdict::Check);
        assert_eq!(verdict(attempt(5), Some(attempt(5))), Verdict::Check);
        assert_eq!(
            verdict(attempt(6), None),
            Verdict::Locked {
                until: at("2026-01-10T12:15:00Z")
            }
        );
    }

    #[test]
    fn the_email_has_a_ceiling_over_every_address() {
        assert_eq!(verdict(attempt(1), Some(attempt(20))), Verdict::Check);
        assert!(matches!(
            verdict(attempt(1), Some(attempt(21))),
            Verdict::Locked { .. }
        ));
    }

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        let key = |s: &str| peer_key(s.parse().expect("ip"));
        assert_eq!(key("203.0.113.7"), "203.0.113.7");
        assert_eq!(key("::ffff:203.0.113.7"), "203.0.113.7");
        assert_eq!(key("2001:db8:1:2::1"), "2001:db8:1:2::/64");
        assert_eq!(
            key("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            "2001:db8:1:2::/64",
            "every address of a /64 is one peer"
        );
        assert_ne!(key("2001:db8:1:3::1"), key("2001:db8:1:2::1"));
        assert_eq!(key("::1"), "::/64");
    }

    #[test]
    fn the_window_is_fifteen_minutes_and_the_message_counts_down() {
        let now = at("2026-01-10T12:00:00Z");
        assert_eq!(now - window_cutoff(now), Duration::minutes(15));
        let until = at("2026-01-10T12:15:00Z");
        assert_eq!(minutes_left(now, until), 15);
        assert_eq!(minutes_left(at("2026-01-10T12:14:01Z"), until), 1);
        assert_eq!(minutes_left(until, until), 1, "never zero");
        assert_eq!(
            locked_message(at("2026-01-10T12:14:30Z"), until),
            "Muitas tentativas sem sucesso. Por segurança, aguarde 1 minuto e tente novamente."
        );
    }
}
