//! CSRF tokens. Signed-in forms carry the session's token in a hidden field;
//! the sign-in and sign-up forms (no session yet) use a double-submit
//! cookie whose token is signed.
//!
//! A plain double-submit cookie only proves that the form and the cookie
//! agree, so whoever can set a cookie on the panel's host (a sibling
//! subdomain, a network attacker on plain HTTP) could pick both and sign a
//! victim into the attacker's account. The sign-in token is therefore
//! `issued.nonce.mac`, the mac an HMAC-SHA256 under a server secret (the
//! `panel_secrets` row `login_csrf`, shared by every node) over the issue
//! time, the nonce and the client address it was issued to: a planted
//! token must have come from the server, for the victim's own address, in
//! the last [`LOGIN_TOKEN_TTL`].

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;
use vitrine_core::credentials::random_base62;
use vitrine_store::Store;

use crate::error::PanelError;

/// Name of the hidden form field holding the token.
pub const FIELD: &str = "csrf";
/// How long a sign-in form's token is accepted after it was issued.
pub const LOGIN_TOKEN_TTL: Duration = Duration::hours(2);
/// The `panel_secrets` row keying the sign-in tokens.
const LOGIN_SECRET: &str = "login_csrf";

/// A fresh token: 32 base62 characters (~190 bits).
pub fn new_token() -> String {
    random_base62(32)
}

/// Does the token sent with a form equal the expected one? Compared in
/// constant time so response timing tells nothing about the expected value;
/// an empty expectation never matches.
pub fn tokens_match(expected: &str, sent: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(sent.as_bytes()))
}

/// The server secret keying the sign-in tokens: created once (64 random
/// base62 characters, ~380 bits) by the first node that needs it.
#[derive(Clone)]
pub struct LoginKey(String);

impl std::fmt::Debug for LoginKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LoginKey(<redacted>)")
    }
}

impl LoginKey {
    /// Reads the key, creating it on first use.
    pub async fn load(store: &Store) -> Result<Self, PanelError> {
        if let Some(secret) = store
            .conn()
            .await?
            .panel_secrets()
            .get(LOGIN_SECRET)
            .await?
        {
            return Ok(Self(secret));
        }
        let mut tx = store.begin().await?;
        let secret = tx
            .panel_secrets()
            .get_or_insert(LOGIN_SECRET, &random_base62(64))
            .await?;
        tx.commit().await?;
        Ok(Self(secret))
    }

    fn mac(&self, issued: i64, nonce: &str, peer: &str) -> Hmac<Sha256> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.0.as_bytes())
            .expect("HMAC takes a key of any length");
        // Lengths are fixed or the field is last, so the message is unambiguous.
        mac.update(format!("vitrine-login-csrf|{issued}|{nonce}|{peer}").as_bytes());
        mac
    }

    /// A new sign-in token for a visitor at `peer`, issued at `now`.
    pub fn issue(&self, peer: &str, now: DateTime<Utc>) -> String {
        let issued = now.timestamp();
        let nonce = new_token();
        let tag = URL_SAFE_NO_PAD.encode(self.mac(issued, &nonce, peer).finalize().into_bytes());
        format!("{issued}.{nonce}.{tag}")
    }

    /// Was `token` issued by this server, to `peer`, less than
    /// [`LOGIN_TOKEN_TTL`] before `now`? (A token from a little in the
    /// future — a clock a minute ahead on another node — is accepted.)
    pub fn verify(&self, token: &str, peer: &str, now: DateTime<Utc>) -> bool {
        let mut parts = token.split('.');
        let (Some(issued), Some(nonce), Some(tag), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return false;
        };
        let (Ok(issued), Ok(tag)) = (issued.parse::<i64>(), URL_SAFE_NO_PAD.decode(tag)) else {
            return false;
        };
        let age = now.timestamp() - issued;
        if age > LOGIN_TOKEN_TTL.num_seconds() || age < -60 {
            return false;
        }
        self.mac(issued, nonce, peer).verify_slice(&tag).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_same_token_matches() {
        let token = new_token();
        assert_eq!(token.len(), 32);
        assert!(tokens_match(&token, &token.clone()));
        assert!(!tokens_match(&token, &new_token()));
        assert!(
            !tokens_match(&token, &token[..31]),
            "a prefix is not enough"
        );
        assert!(!tokens_match(&token, &format!("{token}x")));
        assert!(!tokens_match(&token, ""));
        assert!(!tokens_match("", ""), "no expected token, no match");
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .expect("valid time")
    }

    #[test]
    fn sign_in_tokens_are_bound_to_the_key_the_address_and_the_time() {
        let key = LoginKey("segredo-do-servidor".into());
        let now = at("2026-01-10T12:00:00Z");
        let token = key.issue("203.0.113.7", now);
        assert!(key.verify(&token, "203.0.113.7", now));
        assert!(key.verify(&token, "203.0.113.7", now + Duration::minutes(119)));
        assert!(
            !key.verify(&token, "203.0.113.7", now + Duration::minutes(121)),
            "expired"
        );
        assert!(
            !key.verify(&token, "198.51.100.1", now),
            "issued to another address"
        );
        let other = LoginKey("outro-servidor".into());
        assert!(!other.verify(&token, "203.0.113.7", now), "another key");
        // An attacker's own choice of token, as the old cookie allowed.
        assert!(!key.verify(&new_token(), "203.0.113.7", now));
        // Tampering with any part breaks the mac.
        let (issued, rest) = token.split_once('.').expect("issued");
        let later = format!("{}.{rest}", issued.parse::<i64>().expect("n") + 600);
        assert!(!key.verify(&later, "203.0.113.7", now + Duration::minutes(10)));
        assert!(!key.verify(&format!("{token}.x"), "203.0.113.7", now));
        assert!(!key.verify("", "203.0.113.7", now));
    }
}
