//! Extractors that speak the Auto envelope: the API-key check and JSON bodies.

use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use vitrine_core::credentials::{hash_secret, secret_matches};
use vitrine_core::idempotency::{Entry, Gate};
use vitrine_core::ids::{AccountId, ApiKeyId};
use vitrine_core::rate_limit::QuotaSlot;
use vitrine_core::FieldError;

use crate::AutoError;
use crate::AutoState;

/// The account behind a valid `Authorization: Bearer ea_live_…` header.
#[derive(Debug, Clone, Copy)]
pub struct ApiKeyAuth {
    /// The tenant every query of this request is scoped to.
    pub account_id: AccountId,
    /// The key used.
    pub key_id: ApiKeyId,
}

const MISSING: &str = "Token de autenticação não fornecido";
const INVALID: &str = "API key inválida ou revogada";

impl FromRequestParts<AutoState> for ApiKeyAuth {
    type Rejection = AutoError;

    async fn from_request_parts(parts: &mut Parts, state: &AutoState) -> Result<Self, AutoError> {
        // Already checked (and counted) at the idempotency gate.
        if let Some(auth) = parts.extensions.get::<ApiKeyAuth>() {
            return Ok(*auth);
        }
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .ok_or(AutoError::Unauthorized(MISSING))?;
        let key = bearer_key(header.to_str().unwrap_or_default())
            .ok_or(AutoError::Unauthorized(INVALID))?;
        let mut conn = state.store.conn().await?;
        let found = conn.api_keys().find_by_hash(&hash_secret(key)).await?;
        // The lookup is by hash; the constant-time re-check keeps the rule
        // "compare secrets in constant time" true whatever the index does.
        let Some(found) =
            found.filter(|k| secret_matches(key, &k.key_hash) && k.revoked_at.is_none())
        else {
            return Err(AutoError::Unauthorized(INVALID));
        };
        let key_id = ApiKeyId(found.id);
        let account_id = AccountId(found.account_id);
        // Counted after authentication (a 401 costs nobody), before the
        // handler runs (a refused request writes nothing): the key's own
        // budget and its account's.
        state
            .limiter
            .admit(account_id, key_id, parts.extensions.get::<QuotaSlot>())
            .map_err(|retry_after| AutoError::RateLimited { retry_after })?;
        if let Err(e) = conn.api_keys().touch(&found).await {
            tracing::warn!(error = ?e, "could not record api key use");
        }
        Ok(Self { account_id, key_id })
    }
}

/// Passes a keyed request (one the server gave a [`Gate`]) through the
/// idempotency gate once its API key authenticates and its body is read
/// within this face's limit: a request that fails either is refused as the
/// handler would refuse it, and claims nothing. The authenticated key goes
/// on to the handler, whose extractor does not check (or count) it again.
pub(crate) async fn pass_idempotency_gate(
    State(state): State<AutoState>,
    req: Request,
    next: Next,
) -> Response {
    let Some(gate) = req.extensions().get::<Gate<Response>>().cloned() else {
        return next.run(req).await;
    };
    let (mut parts, body) = req.into_parts();
    let auth = match ApiKeyAuth::from_request_parts(&mut parts, &state).await {
        Ok(auth) => auth,
        Err(refused) => return refused.into_response(),
    };
    parts.extensions.insert(auth);
    let bytes = match Bytes::from_request(Request::from_parts(parts.clone(), body), &state).await {
        Ok(bytes) => bytes,
        Err(rejection) => return body_rejection(&rejection).into_response(),
    };
    match gate
        .enter(&format!("auto-key:{}", auth.key_id), &bytes)
        .await
    {
        Entry::Answer(answer) => answer,
        Entry::Proceed => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
    }
}

/// A body that could not be read: over the limit, or broken off.
fn body_rejection(rejection: &BytesRejection) -> AutoError {
    if rejection.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AutoError::PayloadTooLarge
    } else {
        AutoError::Validation(vec![FieldError::invalid(
            "body",
            "Corpo da requisição ilegível",
        )])
    }
}

/// The key of a `Bearer` header: scheme matched case-insensitively, spaces
/// trimmed, and only the documented key shapes (`ea_live_…`, `ea_test_…`).
fn bearer_key(value: &str) -> Option<&str> {
    let (scheme, key) = value.trim().split_once(char::is_whitespace)?;
    let key = key.trim();
    let shaped = (key.starts_with("ea_live_") || key.starts_with("ea_test_"))
        && key.len() > 8
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    (scheme.eq_ignore_ascii_case("bearer") && shaped).then_some(key)
}

/// A JSON body parsed whatever the `Content-Type` (the docs' client always
/// sends JSON), with every rejection in the Auto envelope.
#[derive(Debug)]
pub struct AutoJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for AutoJson<T> {
    type Rejection = AutoError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AutoError> {
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|rejection| body_rejection(&rejection))?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| AutoError::Validation(vec![json_problem(&e)]))?;
        // Trailing garbage after the JSON value is malformed input too.
        de.end().map_err(|_| {
            AutoError::Validation(vec![FieldError::invalid("body", "JSON malformado")])
        })?;
        Ok(Self(value))
    }
}

/// Names the field a serde error is about, in the documented vocabulary.
fn json_problem(e: &serde_path_to_error::Error<serde_json::Error>) -> FieldError {
    let inner = e.inner();
    let path = e.path().to_string();
    if inner.is_syntax() || inner.is_eof() {
        return FieldError::invalid("body", "JSON malformado");
    }
    let text = inner.to_string();
    if let Some(field) = text
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        let full = if path == "." {
            field.to_owned()
        } else {
            format!("{path}.{field}")
        };
        return FieldError::required(&full);
    }
    let field = if path == "." { "body".to_owned() } else { path };
    FieldError::invalid(
        &field,
        format!("Campo '{field}' com tipo ou valor inválido"),
    )
}

#[cfg(test)]
mod tests {
    use super::bearer_key;

    #[test]
    fn bearer_header_shapes() {
        for (header, expected, why) in [
            (
                "Bearer ea_live_abc123",
                Some("ea_live_abc123"),
                "documented form",
            ),
            (
                "bearer   ea_live_abc123  ",
                Some("ea_live_abc123"),
                "scheme case and spaces",
            ),
            (
                "Bearer ea_test_sua_chave_aqui",
                Some("ea_test_sua_chave_aqui"),
                "test prefix, underscores",
            ),
            ("Basic ea_live_abc123", None, "wrong scheme"),
            ("Bearer abc123", None, "no prefix"),
            ("Bearer ea_live_", None, "prefix only"),
            ("ea_live_abc123", None, "no scheme"),
            ("Bearer ea_live_a\u{e9}", None, "non-ascii"),
        ] {
            assert_eq!(bearer_key(header), expected, "{why}");
        }
    }
}
