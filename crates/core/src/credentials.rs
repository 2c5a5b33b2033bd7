//! Secrets: API keys, store credentials, passwords.
//!
//! API keys and client secrets are long random strings, so a single SHA-256
//! is a sufficient hash (as crates.io does for its tokens): there is nothing
//! to brute-force. Passwords are chosen by people and get argon2id.
//! Only hashes and short display prefixes are ever stored.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::sync::{Condvar, Mutex, OnceLock, PoisonError};

use argon2::Argon2;
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use rand::distributions::Alphanumeric;
use rand::rngs::OsRng;
use rand::Rng;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Every production API key starts with this.
pub const API_KEY_PREFIX: &str = "ea_live_";
/// Random base62 characters after the prefix.
const API_KEY_RANDOM_LEN: usize = 40;
/// Characters of the key kept in clear so people can tell keys apart.
const DISPLAY_PREFIX_LEN: usize = API_KEY_PREFIX.len() + 6;

/// A freshly minted secret: the plaintext is shown once, then dropped.
#[derive(Clone)]
pub struct Minted {
    /// The full secret, to print once.
    pub plaintext: String,
    /// What is stored: SHA-256, lowercase hex.
    pub hash: String,
}

impl std::fmt::Debug for Minted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Minted")
            .field("plaintext", &"<redacted>")
            .field("hash", &self.hash)
            .finish()
    }
}

/// A new Auto API key and its display prefix.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    /// Plaintext and hash.
    pub secret: Minted,
    /// The first characters, e.g. `ea_live_a1B2c3`.
    pub display_prefix: String,
}

/// Mints an `ea_live_` key with 40 random base62 characters (~238 bits).
pub fn mint_api_key() -> NewApiKey {
    let plaintext = format!("{API_KEY_PREFIX}{}", random_base62(API_KEY_RANDOM_LEN));
    NewApiKey {
        display_prefix: plaintext[..DISPLAY_PREFIX_LEN].to_owned(),
        secret: Minted {
            hash: hash_secret(&plaintext),
            plaintext,
        },
    }
}

/// A new Loja credential pair.
#[derive(Debug, Clone)]
pub struct NewStoreCredentials {
    /// Public identifier, stored in clear.
    pub client_id: String,
    /// The secret, shown once, stored hashed.
    pub client_secret: Minted,
}

impl NewStoreCredentials {
    /// The token the Loja API expects: `base64(client_id:client_secret)`.
    pub fn loja_token(&self) -> String {
        loja_token(&self.client_id, &self.client_secret.plaintext)
    }
}

/// Mints a client id (`vcl_` + 24 base62) and a 48-character secret.
pub fn mint_store_credentials() -> NewStoreCredentials {
    let secret = random_base62(48);
    NewStoreCredentials {
        client_id: format!("vcl_{}", random_base62(24)),
        client_secret: Minted {
            hash: hash_secret(&secret),
            plaintext: secret,
        },
    }
}

/// `base64(client_id:client_secret)`, standard alphabet with padding.
pub fn loja_token(client_id: &str, client_secret: &str) -> String {
    STANDARD.encode(format!("{client_id}:{client_secret}"))
}

/// SHA-256 of a high-entropy secret, lowercase hex.
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Does `candidate` hash to `stored_hash`? Compared in constant time.
pub fn secret_matches(candidate: &str, stored_hash: &str) -> bool {
    let computed = hash_secret(candidate);
    computed.as_bytes().ct_eq(stored_hash.as_bytes()).into()
}

/// Splits a Loja token into `(client_id, client_secret)`.
///
/// Accepts the standard and URL-safe alphabets, with or without padding
/// (ecommloja-api.md §1.2.1). `None` when it is not base64 of `x:y`.
pub fn parse_loja_token(token: &str) -> Option<(String, String)> {
    use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let token = token.trim();
    let bytes = [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
        .iter()
        .find_map(|engine| engine.decode(token).ok())?;
    let text = String::from_utf8(bytes).ok()?;
    let (id, secret) = text.split_once(':')?;
    if id.is_empty() || secret.is_empty() {
        return None;
    }
    Some((id.to_owned(), secret.to_owned()))
}

/// How many argon2 computations may run at once in the process: one per
/// core. Each takes 19 MiB and a core for tens of milliseconds, so a burst
/// of sign-ins queues here instead of taking the machine's memory and CPU.
/// The functions below block while they wait: call them off async workers.
struct Gate {
    running: Mutex<usize>,
    freed: Condvar,
    max: usize,
}

impl Gate {
    fn global() -> &'static Gate {
        static GATE: OnceLock<Gate> = OnceLock::new();
        GATE.get_or_init(|| Gate {
            running: Mutex::new(0),
            freed: Condvar::new(),
            max: std::thread::available_parallelism().map_or(2, |n| n.get()),
        })
    }

    fn run<T>(&self, work: impl FnOnce() -> T) -> T {
        {
            let mut running = self.running.lock().unwrap_or_else(PoisonError::into_inner);
            while *running >= self.max {
                running = self
                    .freed
                    .wait(running)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            *running += 1;
        }
        let out = work();
        *self.running.lock().unwrap_or_else(PoisonError::into_inner) -= 1;
        self.freed.notify_one();
        out
    }
}

/// Hashes a person's password with argon2id (the crate's defaults:
/// m=19 MiB, t=2, p=1, the OWASP minimum), PHC string format. Blocks.
pub fn hash_password(password: &str) -> Result<String, PasswordError> {
    let salt = SaltString::generate(&mut OsRng);
    Gate::global().run(|| {
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|_| PasswordError)
    })
}

/// Checks a password against a stored PHC string (constant time inside
/// argon2). Blocks.
pub fn verify_password(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|parsed| {
            Gate::global().run(|| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
        })
        .unwrap_or(false)
}

/// [`verify_password`] against the stored hash of the person who signs in,
/// or, when there is no such person, against a decoy hash (and `false`):
/// an unknown email costs the same argon2 work as a wrong password, so the
/// answer's timing does not tell which emails exist. Blocks.
pub fn verify_sign_in(password: &str, stored: Option<&str>) -> bool {
    static DECOY: OnceLock<String> = OnceLock::new();
    match stored {
        Some(stored) => verify_password(password, stored),
        None => {
            let decoy =
                DECOY.get_or_init(|| hash_password("vitrine decoy password").unwrap_or_default());
            // The result is meaningless; the work is the point.
            std::hint::black_box(verify_password(password, decoy));
            false
        }
    }
}

/// Hashing failed (only on absurd inputs such as a password over 4 GiB).
#[derive(Debug, thiserror::Error)]
#[error("password could not be hashed")]
pub struct PasswordError;

/// `len` random characters from `[A-Za-z0-9]`, from the OS generator.
pub fn random_base62(len: usize) -> String {
    OsRng
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn api_keys_have_the_documented_shape_and_only_hash_is_kept() {
        let key = mint_api_key();
        let p = &key.secret.plaintext;
        assert!(p.starts_with("ea_live_"));
        assert_eq!(p.len(), 8 + 40);
        assert!(p[8..].chars().all(|c| c.is_ascii_alphanumeric()));
        assert!(p.starts_with(&key.display_prefix));
        assert_eq!(key.secret.hash.len(), 64);
        assert!(!key.secret.hash.contains(&p[8..]));
        assert!(secret_matches(p, &key.secret.hash));
        assert!(!secret_matches(&format!("{p}x"), &key.secret.hash));
        assert!(
            !format!("{key:?}").contains(p.as_str()),
            "Debug hides the key"
        );
    }

    #[test]
    fn two_keys_differ() {
        assert_ne!(
            mint_api_key().secret.plaintext,
            mint_api_key().secret.plaintext
        );
    }

    #[test]
    fn loja_tokens_round_trip_in_every_alphabet() {
        let creds = mint_store_credentials();
        let token = creds.loja_token();
        let (id, secret) = parse_loja_token(&token).expect("parses");
        assert_eq!(id, creds.client_id);
        assert_eq!(secret, creds.client_secret.plaintext);
        // "a?>:b" encodes with '+' / '/' in the standard alphabet.
        let std = STANDARD.encode("a?>:b~?");
        let url = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode("a?>:b~?");
        assert_ne!(std, url);
        for t in [std, url] {
            assert_eq!(
                parse_loja_token(&t),
                Some(("a?>".to_owned(), "b~?".to_owned()))
            );
        }
    }

    #[test]
    fn malformed_loja_tokens_are_refused() {
        for (token, why) in [
            ("", "empty"),
            ("%%%", "not base64"),
            (&STANDARD.encode("no-colon"), "no separator"),
            (&STANDARD.encode(":secret"), "empty client id"),
            (&STANDARD.encode("id:"), "empty secret"),
        ] {
            assert_eq!(parse_loja_token(token), None, "{why}");
        }
    }

    #[test]
    fn passwords_use_argon2id_and_verify() {
        let hash = hash_password("s3nha forte").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("s3nha forte", &hash));
        assert!(!verify_password("s3nha fraca", &hash));
        assert!(!verify_password("s3nha forte", "not a phc string"));
    }

    #[test]
    fn unknown_people_cost_a_verification_and_never_match() {
        let hash = hash_password("s3nha forte").expect("hash");
        assert!(verify_sign_in("s3nha forte", Some(&hash)));
        assert!(!verify_sign_in("s3nha fraca", Some(&hash)));
        assert!(!verify_sign_in("s3nha forte", None));
        assert!(!verify_sign_in("vitrine decoy password", None));
    }

    #[test]
    fn the_gate_runs_at_most_max_at_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let gate = Gate {
            running: Mutex::new(0),
            freed: Condvar::new(),
            max: 2,
        };
        let (now, peak) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    gate.run(|| {
                        let n = now.fetch_add(1, Ordering::SeqCst) + 1;
                        peak.fetch_max(n, Ordering::SeqCst);
                        std::thread::sleep(std::time::Duration::from_millis(20));
                        now.fetch_sub(1, Ordering::SeqCst);
                    })
                });
            }
        });
        assert_eq!(peak.load(Ordering::SeqCst), 2);
    }
}
