//! `Idempotency-Key` on every POST of both APIs (issue #8, docs/idempotency.md).
//!
//! A POST carrying the header gets a [`Gate`] in its extensions. Its face
//! opens the gate once the request's credential has authenticated and its
//! body is read within that endpoint's own limit (issue 12, item 7: an
//! unauthenticated request claims nothing and has nothing buffered for it).
//! The gate claims `(credential, key)` in the database (store
//! `idempotency`: a row inserted with `ON CONFLICT DO NOTHING`), so one
//! request does the work whichever node it reaches. A 2xx response is
//! stored and replayed, byte for byte, to every retry with the same
//! request for 24 hours; any other outcome (4xx, 5xx, a panic, a timeout,
//! a dropped connection) releases the claim so a retry runs again. A
//! duplicate that arrives while the first is running waits for its result,
//! up to a bound, then gets a 409.
//!
//! A request is fingerprinted with an HMAC-SHA256 under a key made once
//! per database (`server_secrets`, item 8), and the endpoints whose bodies
//! or answers carry credentials (sign-in, sign-up, webhook registration
//! with its signing secret) are left out: nothing of them is stored.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::OnceCell;
use tokio::time::Instant;
use uuid::Uuid;
use vitrine_auto::AutoError;
use vitrine_core::credentials::random_base62;
use vitrine_core::idempotency::{
    is_valid_key, Entering, Entry, Gate, Gatekeeper, KeyProblem, HEADER, KEY_LIFETIME,
};
use vitrine_loja::LojaError;
use vitrine_store::idempotency::{KeyRecord, StoredResponse};
use vitrine_store::Store;

/// Set on a response served from the stored first answer.
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// How the middleware behaves; built once per app.
#[derive(Clone)]
pub struct Idempotency {
    store: Store,
    /// A running claim older than this belongs to a request that died with
    /// its node; another request may take it over.
    stale_after: Duration,
    /// How long a duplicate waits for the first request's answer.
    max_wait: Duration,
    claims: Arc<AtomicU64>,
    /// The fingerprint key of this database, read on first use.
    fingerprint_key: Arc<OnceCell<Vec<u8>>>,
}

/// Name of the fingerprint key in `server_secrets`.
const FINGERPRINT_KEY: &str = "idempotency-fingerprint";

/// Purge expired keys after this many claims on a node.
const PURGE_EVERY: u64 = 200;

impl Idempotency {
    /// `request_timeout` bounds how long a claim can legitimately run (the
    /// timeout cancels its request); `None` means requests never time out.
    pub fn new(store: Store, request_timeout: Option<Duration>) -> Self {
        let (stale_after, max_wait) = match request_timeout {
            Some(t) => (t + Duration::from_secs(30), (t * 3 / 4).min(MAX_WAIT)),
            None => (Duration::from_secs(600), MAX_WAIT),
        };
        Self {
            store,
            stale_after,
            max_wait,
            claims: Arc::new(AtomicU64::new(0)),
            fingerprint_key: Arc::new(OnceCell::new()),
        }
    }

    /// The HMAC key of this database: made by the first node that needs
    /// it, read back by every other (so all fingerprint alike).
    async fn fingerprint_key(&self) -> vitrine_store::Result<&[u8]> {
        let key = self
            .fingerprint_key
            .get_or_try_init(|| async {
                let candidate = random_base62(FINGERPRINT_KEY_LEN);
                self.store
                    .server_secret(FINGERPRINT_KEY, candidate.as_bytes())
                    .await
            })
            .await?;
        Ok(key)
    }
}

/// Length of a generated fingerprint key (base62 characters, ~256 bits).
const FINGERPRINT_KEY_LEN: usize = 43;

/// Longest wait of a duplicate for the first request's answer.
const MAX_WAIT: Duration = Duration::from_secs(10);

/// Which envelope a refusal wears, by path prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Face {
    Auto,
    Loja,
    Panel,
}

impl Face {
    pub(crate) fn of(path: &str) -> Self {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if under("/api/v1") || under("/v1") {
            Self::Auto
        } else if under("/painel") {
            Self::Panel
        } else {
            Self::Loja
        }
    }

    fn refuse(self, problem: KeyProblem) -> Response {
        match self {
            Self::Auto => AutoError::Idempotency(problem).into_response(),
            _ => LojaError::Idempotency(problem).into_response(),
        }
    }

    /// A store failure: 503 for an outage, else 500.
    fn store_failure(self, e: vitrine_store::Error) -> Response {
        match self {
            Self::Auto => AutoError::from(e).into_response(),
            _ => LojaError::from(e).into_response(),
        }
    }
}

/// Endpoints left out of idempotency: their bodies or answers carry a
/// credential (a password, a customer JWT, a webhook signing secret), which
/// must not sit in `idempotency_keys` for a day. The header is ignored
/// there; each runs every time (docs/idempotency.md).
fn carries_credentials(face: Face, path: &str) -> bool {
    match face {
        Face::Auto => {
            let rest = path
                .strip_prefix("/api/v1")
                .or_else(|| path.strip_prefix("/v1"))
                .unwrap_or(path);
            rest == "/webhooks"
        }
        Face::Loja => {
            let path = path.trim_end_matches('/').to_ascii_lowercase();
            path == "/client/clientlogin" || path == "/client/register"
        }
        Face::Panel => false,
    }
}

/// The middleware (`axum::middleware::from_fn_with_state`): gives a keyed
/// POST its [`Gate`], then stores or releases what the gate claimed.
pub async fn guard(State(idem): State<Idempotency>, mut req: Request, next: Next) -> Response {
    let face = Face::of(req.uri().path());
    if req.method() != Method::POST || face == Face::Panel {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(HEADER) else {
        return next.run(req).await;
    };
    if carries_credentials(face, req.uri().path()) {
        return next.run(req).await;
    }
    let key =
        is_valid_key(key.as_bytes()).then(|| String::from_utf8_lossy(key.as_bytes()).into_owned());
    let held = Arc::new(Mutex::new(None));
    let keeper = Keeper {
        idem,
        face,
        key,
        method: req.method().clone(),
        path: req.uri().path().to_owned(),
        query: req.uri().query().map(str::to_owned),
        held: held.clone(),
    };
    req.extensions_mut().insert(Gate::<Response>::new(keeper));
    let response = next.run(req).await;
    let claimed = held.lock().unwrap_or_else(PoisonError::into_inner).take();
    let Some(mut held) = claimed else {
        return response;
    };
    if !response.status().is_success() {
        held.release().await;
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = ?e, "could not read a response to store it");
            held.release().await;
            return (StatusCode::INTERNAL_SERVER_ERROR, "").into_response();
        }
    };
    held.complete(parts.status, &parts.headers, &bytes).await;
    Response::from_parts(parts, Body::from(bytes))
}

/// One keyed request's side of the gate.
struct Keeper {
    idem: Idempotency,
    face: Face,
    /// `None`: the header is malformed (refused once authenticated).
    key: Option<String>,
    method: Method,
    path: String,
    query: Option<String>,
    /// The claim this request holds, for the middleware to settle.
    held: Arc<Mutex<Option<Held>>>,
}

impl Gatekeeper<Response> for Keeper {
    fn enter<'a>(&'a self, caller: &'a str, body: &'a [u8]) -> Entering<'a, Response> {
        Box::pin(self.claim(caller, body))
    }
}

impl Keeper {
    async fn claim(&self, scope: &str, body: &[u8]) -> Entry<Response> {
        let (idem, face) = (&self.idem, self.face);
        let Some(key) = &self.key else {
            return Entry::Answer(face.refuse(KeyProblem::Malformed));
        };
        let fingerprint = match idem.fingerprint_key().await {
            Ok(secret) => fingerprint(
                secret,
                &self.method,
                &self.path,
                self.query.as_deref(),
                body,
            ),
            Err(e) => return Entry::Answer(face.store_failure(e)),
        };
        let claim = Uuid::new_v4();
        let deadline = Instant::now() + idem.max_wait;
        let mut pause = Duration::from_millis(10);
        loop {
            match attempt(idem, scope, key, &fingerprint, claim).await {
                Err(e) => return Entry::Answer(face.store_failure(e)),
                Ok(Attempt::Claimed) => break,
                Ok(Attempt::Replay(record)) => return Entry::Answer(replay(record)),
                Ok(Attempt::Reused) => return Entry::Answer(face.refuse(KeyProblem::Reused)),
                Ok(Attempt::Again) => continue,
                Ok(Attempt::Busy) => {
                    if Instant::now() >= deadline {
                        return Entry::Answer(face.refuse(KeyProblem::InProgress));
                    }
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_millis(200));
                }
            }
        }
        // Held from here: dropped with the request (a timeout, a client
        // gone) it releases the claim.
        *self.held.lock().unwrap_or_else(PoisonError::into_inner) = Some(Held {
            store: idem.store.clone(),
            scope: scope.to_owned(),
            key: key.clone(),
            claim,
            armed: true,
        });
        if idem.claims.fetch_add(1, Ordering::Relaxed) % PURGE_EVERY == PURGE_EVERY - 1 {
            tokio::spawn(purge(idem.store.clone()));
        }
        Entry::Proceed
    }
}

enum Attempt {
    Claimed,
    Replay(KeyRecord),
    Reused,
    Busy,
    Again,
}

async fn attempt(
    idem: &Idempotency,
    scope: &str,
    key: &str,
    fingerprint: &str,
    claim: Uuid,
) -> vitrine_store::Result<Attempt> {
    let mut conn = idem.store.conn().await?;
    let mut repo = conn.idempotency();
    if repo.claim(scope, key, fingerprint, claim).await? {
        return Ok(Attempt::Claimed);
    }
    let Some(record) = repo.find(scope, key).await? else {
        // Released between the two statements: claim again.
        return Ok(Attempt::Again);
    };
    let now = vitrine_store::now();
    if record.created_at < now - KEY_LIFETIME {
        repo.forget_expired(scope, key, now - KEY_LIFETIME).await?;
        return Ok(Attempt::Again);
    }
    if record.fingerprint != fingerprint {
        return Ok(Attempt::Reused);
    }
    if record.is_done() {
        return Ok(Attempt::Replay(record));
    }
    let stale_before = now - idem.stale_after;
    if record.claimed_at < stale_before {
        tracing::warn!("taking over a stale idempotency claim");
        return Ok(
            if repo
                .take_over(scope, key, record.claim, stale_before, claim)
                .await?
            {
                Attempt::Claimed
            } else {
                Attempt::Again
            },
        );
    }
    Ok(Attempt::Busy)
}

/// A claim held by the running request. Dropped while armed (a panic, a
/// timeout, a client gone), it releases the claim from a spawned task.
struct Held {
    store: Store,
    scope: String,
    key: String,
    claim: Uuid,
    armed: bool,
}

impl Held {
    async fn release(&mut self) {
        self.armed = false;
        if let Err(e) = release(&self.store, &self.scope, &self.key, self.claim).await {
            tracing::error!(error = ?e, "could not release an idempotency claim");
        }
    }

    async fn complete(&mut self, status: StatusCode, headers: &HeaderMap, body: &Bytes) {
        let headers = stored_headers(headers);
        let response = StoredResponse {
            status: status.as_u16(),
            headers: &headers,
            body,
        };
        let stored = async {
            let mut conn = self.store.conn().await?;
            conn.idempotency()
                .complete(&self.scope, &self.key, self.claim, response)
                .await
        }
        .await;
        match stored {
            Ok(true) => self.armed = false,
            Ok(false) => {
                self.armed = false;
                tracing::warn!("idempotency claim was taken over before the response was stored");
            }
            // The work is done and the client gets its answer; the claim
            // is released so a retry is not refused until it goes stale.
            Err(e) => {
                tracing::error!(error = ?e, "could not store an idempotent response");
                self.release().await;
            }
        }
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let (store, scope, key, claim) = (
            self.store.clone(),
            std::mem::take(&mut self.scope),
            std::mem::take(&mut self.key),
            self.claim,
        );
        if let Ok(rt) = tokio::runtime::Handle::try_current() {
            rt.spawn(async move {
                if let Err(e) = release(&store, &scope, &key, claim).await {
                    tracing::error!(error = ?e, "could not release an idempotency claim");
                }
            });
        }
    }
}

async fn release(store: &Store, scope: &str, key: &str, claim: Uuid) -> vitrine_store::Result<()> {
    let mut conn = store.conn().await?;
    conn.idempotency().release(scope, key, claim).await
}

async fn purge(store: Store) {
    let before = vitrine_store::now() - KEY_LIFETIME;
    let purged = async {
        let mut conn = store.conn().await?;
        conn.idempotency().purge_expired(before).await
    }
    .await;
    match purged {
        Ok(n) => tracing::debug!(purged = n, "expired idempotency keys purged"),
        Err(e) => tracing::warn!(error = ?e, "could not purge expired idempotency keys"),
    }
}

/// Headers that belong to one transmission, not to the answer.
fn per_transmission(name: &HeaderName) -> bool {
    let name = name.as_str();
    matches!(
        name,
        "content-length"
            | "transfer-encoding"
            | "connection"
            | "date"
            | "set-cookie"
            | "retry-after"
            | "x-request-id"
    ) || name.starts_with("x-ratelimit-")
}

fn stored_headers(headers: &HeaderMap) -> String {
    let pairs: Vec<(&str, &str)> = headers
        .iter()
        .filter(|(name, _)| !per_transmission(name))
        .filter_map(|(name, value)| Some((name.as_str(), value.to_str().ok()?)))
        .collect();
    serde_json::to_string(&pairs).unwrap_or_else(|_| "[]".to_owned())
}

fn replay(record: KeyRecord) -> Response {
    let status = record
        .status
        .and_then(|s| u16::try_from(s).ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let mut response = Response::new(Body::from(record.body.unwrap_or_default()));
    *response.status_mut() = status;
    let pairs: Vec<(String, String)> = record
        .headers
        .as_deref()
        .and_then(|h| serde_json::from_str(h).ok())
        .unwrap_or_default();
    let headers = response.headers_mut();
    for (name, value) in pairs {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            headers.append(name, value);
        }
    }
    headers.insert(REPLAYED, HeaderValue::from_static("true"));
    response
}

/// HMAC-SHA256, under this database's key, of what makes two requests
/// the same request: method, path, query string and body. Without the key
/// a stored fingerprint cannot be matched against guessed bodies.
fn fingerprint(
    secret: &[u8],
    method: &Method,
    path: &str,
    query: Option<&str>,
    body: &[u8],
) -> String {
    let mut mac =
        <Hmac<Sha256> as Mac>::new_from_slice(secret).expect("HMAC takes a key of any length");
    mac.update(method.as_str().as_bytes());
    mac.update(b"\n");
    mac.update(path.as_bytes());
    mac.update(b"\n");
    mac.update(query.unwrap_or_default().as_bytes());
    mac.update(b"\n");
    mac.update(body);
    hex(&mac.finalize().into_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use axum::http::header;

    use super::*;

    #[test]
    fn faces_by_prefix() {
        for (path, face) in [
            ("/api/v1/clients", Face::Auto),
            ("/v1/clients", Face::Auto),
            ("/v1", Face::Auto),
            ("/v10/x", Face::Loja),
            ("/painel/clientes", Face::Panel),
            ("/product/insert", Face::Loja),
        ] {
            assert_eq!(Face::of(path), face, "{path}");
        }
    }

    #[test]
    fn transmission_headers_are_not_stored() {
        let mut h = HeaderMap::new();
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        h.insert(
            header::LOCATION,
            HeaderValue::from_static("/api/v1/clients/1"),
        );
        h.insert(header::DATE, HeaderValue::from_static("x"));
        h.insert("x-ratelimit-remaining", HeaderValue::from_static("3"));
        assert_eq!(
            stored_headers(&h),
            r#"[["content-type","application/json"],["location","/api/v1/clients/1"]]"#
        );
    }
}
