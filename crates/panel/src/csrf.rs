//! CSRF tokens. Signed-in forms carry the session's token in a hidden field;
//! the sign-in and sign-up forms (no session yet) use a double-submit cookie.

use subtle::ConstantTimeEq;
use vitrine_core::credentials::random_base62;

/// Name of the hidden form field holding the token.
pub const FIELD: &str = "csrf";

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
}
