//! `Idempotency-Key` on every POST of both APIs (issue #8, docs/idempotency.md).
//!
//! A POST carrying the header claims `(credential, key)` in the database
//! before the handler runs (store `idempotency`: a row inserted with
//! `ON CONFLICT DO NOTHING`), so one request does the work whichever node
//! it reaches. A 2xx response is stored and replayed, byte for byte, to
//! every retry with the same request for 24 hours; any other outcome
//! (4xx, 5xx, a panic, a timeout, a dropped connection) releases the claim
//! so a retry runs again. A duplicate that arrives while the first is
//! running waits for its result, up to a bound, then gets a 409.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use tokio::time::Instant;
use uuid::Uuid;
use vitrine_auto::AutoError;
use vitrine_core::idempotency::{is_valid_key, KeyProblem, Preempt, HEADER, KEY_LIFETIME};
use vitrine_loja::LojaError;
use vitrine_store::idempotency::{KeyRecord, StoredResponse};
use vitrine_store::Store;

/// Set on a response served from the stored first answer.
pub const REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

/// How the middleware behaves; built once per app.
#[derive(Clone)]
pub struct Idempotency {
    store: Store,
    /// Largest request body buffered to fingerprint it.
    body_limit: usize,
    /// A running claim older than this belongs to a request that died with
    /// its node; another request may take it over.
    stale_after: Duration,
    /// How long a duplicate waits for the first request's answer.
    max_wait: Duration,
    claims: Arc<AtomicU64>,
}

/// Purge expired keys after this many claims on a node.
const PURGE_EVERY: u64 = 200;

impl Idempotency {
    /// `request_timeout` bounds how long a claim can legitimately run (the
    /// timeout cancels its request); `None` means requests never time out.
    pub fn new(store: Store, body_limit: usize, request_timeout: Option<Duration>) -> Self {
        let (stale_after, max_wait) = match request_timeout {
            Some(t) => (t + Duration::from_secs(30), (t * 3 / 4).min(MAX_WAIT)),
            None => (Duration::from_secs(600), MAX_WAIT),
        };
        Self {
            store,
            body_limit,
            stale_after,
            max_wait,
            claims: Arc::new(AtomicU64::new(0)),
        }
    }
}

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

    fn too_large(self) -> Response {
        match self {
            Self::Auto => AutoError::PayloadTooLarge.into_response(),
            _ => LojaError::PayloadTooLarge.into_response(),
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

/// The middleware (`axum::middleware::from_fn_with_state`).
pub async fn guard(State(idem): State<Idempotency>, req: Request, next: Next) -> Response {
    let face = Face::of(req.uri().path());
    if req.method() != Method::POST || face == Face::Panel {
        return next.run(req).await;
    }
    let Some(key) = req.headers().get(HEADER) else {
        return next.run(req).await;
    };
    if !is_valid_key(key.as_bytes()) {
        let refusal = face.refuse(KeyProblem::Malformed);
        return after_authentication(req, next, refusal).await;
    }
    let key = String::from_utf8_lossy(key.as_bytes()).into_owned();
    let (parts, body) = req.into_parts();
    // A body that cannot be read whole within the limit is over it (or its
    // client is gone and reads no answer).
    let Ok(bytes) = axum::body::to_bytes(body, idem.body_limit).await else {
        return face.too_large();
    };
    let scope = scope(&parts.headers, parts.uri.query(), &bytes).await;
    let fingerprint = fingerprint(&parts.method, parts.uri.path(), parts.uri.query(), &bytes);
    let claim = Uuid::new_v4();

    let deadline = Instant::now() + idem.max_wait;
    let mut pause = Duration::from_millis(10);
    loop {
        match attempt(&idem, &scope, &key, &fingerprint, claim).await {
            Err(e) => return face.store_failure(e),
            Ok(Attempt::Claimed) => break,
            Ok(Attempt::Replay(record)) => {
                let request = Request::from_parts(parts, Body::from(bytes));
                return after_authentication(request, next, replay(record)).await;
            }
            Ok(Attempt::Reused) => {
                let request = Request::from_parts(parts, Body::from(bytes));
                let refusal = face.refuse(KeyProblem::Reused);
                return after_authentication(request, next, refusal).await;
            }
            Ok(Attempt::Again) => continue,
            Ok(Attempt::Busy) => {
                if Instant::now() >= deadline {
                    let request = Request::from_parts(parts, Body::from(bytes));
                    let refusal = face.refuse(KeyProblem::InProgress);
                    return after_authentication(request, next, refusal).await;
                }
                tokio::time::sleep(pause).await;
                pause = (pause * 2).min(Duration::from_millis(200));
            }
        }
    }
    if idem.claims.fetch_add(1, Ordering::Relaxed) % PURGE_EVERY == PURGE_EVERY - 1 {
        tokio::spawn(purge(idem.store.clone()));
    }

    let mut held = Held {
        store: idem.store.clone(),
        scope,
        key,
        claim,
        armed: true,
    };
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
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

/// Sends the request on to its face with `answer` chosen: the face
/// authenticates it (and counts it against the credential's rate limit)
/// and then gives `answer` instead of running the handler, so a revoked
/// or rotated credential gets its 401, never a stored answer.
async fn after_authentication(mut req: Request, next: Next, answer: Response) -> Response {
    req.extensions_mut().insert(Preempt::new(answer));
    next.run(req).await
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

/// SHA-256 of what makes two requests the same request.
fn fingerprint(method: &Method, path: &str, query: Option<&str>, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(method.as_str());
    h.update(b"\n");
    h.update(path);
    h.update(b"\n");
    h.update(query.unwrap_or_default());
    h.update(b"\n");
    h.update(body);
    hex(&h.finalize())
}

/// SHA-256 of the credential that sent the request, so a key belongs to
/// one credential and no secret is stored. The credential is taken where
/// the faces look for it: `Authorization` (its scheme dropped, so the
/// Loja token as Basic, Bearer or bare is one credential), the Loja
/// custom headers, then the `token` / `access_token` parameters.
async fn scope(headers: &HeaderMap, query: Option<&str>, body: &Bytes) -> String {
    let material = credential(headers, query, body).await.unwrap_or_default();
    let mut h = Sha256::new();
    h.update(b"vitrine idempotency scope\0");
    h.update(material.as_bytes());
    hex(&h.finalize())
}

async fn credential(headers: &HeaderMap, query: Option<&str>, body: &Bytes) -> Option<String> {
    if let Some(token) = vitrine_loja::auth::presented_in_headers(headers) {
        return Some(token);
    }
    // Parameters, as the Loja face reads them (which needs the body parsed).
    let params = vitrine_loja::params::Params::parse(query, headers, body)
        .await
        .ok()?;
    vitrine_loja::auth::presented(headers, &params)
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
