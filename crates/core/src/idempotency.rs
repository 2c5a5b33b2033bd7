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

/// What a face does with a keyed request, as the server's [`Gate`] says.
#[derive(Debug)]
pub enum Entry<R> {
    /// Run the handler: the key is now claimed for this request.
    Proceed,
    /// Give this answer instead: the first request's stored answer, or a
    /// refusal (reused key, still in progress, malformed key, a database
    /// failure).
    Answer(R),
}

/// The boxed future of [`Gatekeeper::enter`].
pub type Entering<'a, R> =
    std::pin::Pin<Box<dyn std::future::Future<Output = Entry<R>> + Send + 'a>>;

/// The server's side of a [`Gate`].
pub trait Gatekeeper<R>: Send + Sync {
    /// Claims the key for `caller` (a stable name of the credential that
    /// authenticated, never a secret) and the request whose body is `body`.
    fn enter<'a>(&'a self, caller: &'a str, body: &'a [u8]) -> Entering<'a, R>;
}

/// The server's idempotency check of one keyed request, carried in the
/// request's extensions to the face. The face calls [`Gate::enter`] once
/// the credential has authenticated (and spent its rate-limit budget) and
/// the body is read within the endpoint's own limit: an unauthenticated
/// request never claims a key, never has its body buffered for it, and a
/// revoked key or rotated token gets its 401, never a stored answer. `R` is
/// the face's response type (core has no HTTP).
pub struct Gate<R>(std::sync::Arc<dyn Gatekeeper<R>>);

impl<R> Clone for Gate<R> {
    fn clone(&self) -> Self {
        Self(self.0.clone())
    }
}

impl<R> std::fmt::Debug for Gate<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Gate")
    }
}

impl<R> Gate<R> {
    /// Wraps the server's gatekeeper.
    pub fn new(keeper: impl Gatekeeper<R> + 'static) -> Self {
        Self(std::sync::Arc::new(keeper))
    }

    /// See [`Gatekeeper::enter`].
    pub async fn enter(&self, caller: &str, body: &[u8]) -> Entry<R> {
        self.0.enter(caller, body).await
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
