//! `Idempotency-Key` rules shared by both APIs (issue #8): which keys are
//! accepted, how long a key is remembered, and why a keyed request can be
//! refused. The claim itself lives in the database (store `idempotency`),
//! the middleware that applies it in the server.

/// The request header that carries the key.
pub const HEADER: &str = "idempotency-key";

/// Longest accepted key, in bytes.
pub const MAX_KEY_LEN: usize = 255;

/// How long a key is remembered after its first use.
pub const KEY_LIFETIME: std::time::Duration = std::time::Duration::from_secs(24 * 3600);

/// Why a request carrying an `Idempotency-Key` was refused. Each face
/// renders it in its own envelope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyProblem {
    /// Empty, longer than [`MAX_KEY_LEN`], or not printable ASCII (400).
    Malformed,
    /// The key was first used with another request (another method, path,
    /// query or body) within its lifetime (422).
    Reused,
    /// The first request with this key is still running after the bounded
    /// wait (409); retrying later returns its response.
    InProgress,
}

/// An answer the server has already chosen for a keyed request (a stored
/// replay or a refusal), carried in the request's extensions to the face,
/// which gives it only once the request's credential authenticates: a
/// revoked key or rotated token gets its 401, never a stored answer, and a
/// replay spends rate-limit budget like any request. `R` is the face's
/// response type (core has no HTTP).
#[derive(Debug)]
pub struct Preempt<R>(std::sync::Arc<std::sync::Mutex<Option<R>>>);

impl<R> Clone for Preempt<R> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<R> Preempt<R> {
    /// Wraps the chosen answer.
    pub fn new(answer: R) -> Self {
        Self(std::sync::Arc::new(std::sync::Mutex::new(Some(answer))))
    }

    /// The answer, once.
    pub fn take(&self) -> Option<R> {
        self.0.lock().ok()?.take()
    }
}

/// 1 to [`MAX_KEY_LEN`] printable ASCII characters (space through `~`).
pub fn is_valid_key(key: &[u8]) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_LEN && key.iter().all(|b| (0x20..=0x7e).contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_printable_ascii() {
        for (key, ok, why) in [
            (&b"a"[..], true, "one character"),
            (b"5f7c2e1a-9b1d-4c6e-8f00-1234567890ab", true, "a UUID"),
            (b"order 42 / retry", true, "spaces and punctuation"),
            (b"", false, "empty"),
            (b"tab\there", false, "control character"),
            ("chave-ç".as_bytes(), false, "not ASCII"),
        ] {
            assert_eq!(is_valid_key(key), ok, "{why}");
        }
        assert!(is_valid_key(&[b'k'; MAX_KEY_LEN]), "at the limit");
        assert!(!is_valid_key(&[b'k'; MAX_KEY_LEN + 1]), "over the limit");
    }
}
