//! The Auto API error: every failure, its status, code and message in one
//! `match` (ecosys-auto-api.md §3.4–§3.6).

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Map, Value};
use vitrine_core::FieldError;

/// Why an Auto API request failed.
#[derive(Debug, thiserror::Error)]
pub enum AutoError {
    /// Missing, malformed, unknown or revoked API key.
    #[error("unauthorized: {0}")]
    Unauthorized(&'static str),
    /// Unknown id, another account's id, or a malformed id.
    #[error("not found")]
    NotFound,
    /// No route at this path.
    #[error("route not found")]
    RouteNotFound,
    /// A known path with the wrong method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// Syntax, type, enum, format or missing-field problems (400).
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// A business rule refused the request, e.g. an unknown reference (422).
    #[error("business rule failed")]
    Unprocessable(Vec<FieldError>),
    /// A uniqueness rule (409).
    #[error("duplicate entry")]
    Duplicate(FieldError),
    /// The body is over the limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// An `Idempotency-Key` the request cannot be served under (issue #8).
    #[error("idempotency key: {0:?}")]
    Idempotency(vitrine_core::idempotency::KeyProblem),
    /// The request did not finish within the server's request timeout.
    #[error("request timeout")]
    Timeout,
    /// The key spent its requests for this window (§3.9).
    #[error("rate limit exceeded")]
    RateLimited {
        /// Seconds until the window resets.
        retry_after: u64,
    },
    /// The database cannot serve now (disk full, read-only, server gone,
    /// every connection busy): 503, retry later.
    #[error("database unavailable: {0}")]
    Unavailable(vitrine_store::Outage),
    /// Anything unexpected; logged, answered with a fixed sentence.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Seconds a client is told to wait after a 503 (`Retry-After`).
pub const RETRY_AFTER_UNAVAILABLE: u32 = 5;

/// The reads a handler makes itself (lists, `GET /…/:id`) fail as a use
/// case would.
impl From<vitrine_store::Error> for AutoError {
    fn from(e: vitrine_store::Error) -> Self {
        vitrine_app::Error::from(e).into()
    }
}

/// A use case's answer, in this face's vocabulary: field problems are 400,
/// a refused business rule 422 and a uniqueness rule 409 (§3.5).
impl From<vitrine_app::Error> for AutoError {
    fn from(e: vitrine_app::Error) -> Self {
        use vitrine_app::Error as A;
        match e {
            A::Invalid(problems) => Self::Validation(problems),
            A::NotFound => Self::NotFound,
            A::Conflict(problem) => Self::Duplicate(problem),
            A::Rule(problems) => Self::Unprocessable(problems),
            A::Shop(refusal) => Self::Unprocessable(vec![refusal.problem()]),
            A::Unavailable(outage) => Self::Unavailable(outage),
            A::Internal(cause) => Self::Internal(cause),
        }
    }
}

impl From<vitrine_core::Error> for AutoError {
    fn from(e: vitrine_core::Error) -> Self {
        match e {
            vitrine_core::Error::Invalid(problems) => Self::Validation(problems),
        }
    }
}

impl AutoError {
    fn parts(&self) -> (StatusCode, &'static str, String, Option<Value>) {
        match self {
            Self::Unauthorized(msg) => (
                StatusCode::UNAUTHORIZED,
                "UNAUTHORIZED",
                (*msg).to_owned(),
                None,
            ),
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "Recurso não encontrado".to_owned(),
                None,
            ),
            Self::RouteNotFound => (
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "Rota não encontrada".to_owned(),
                None,
            ),
            Self::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "METHOD_NOT_ALLOWED",
                "Método não permitido para esta rota".to_owned(),
                None,
            ),
            Self::Validation(problems) => {
                field_errors(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", problems)
            }
            Self::Unprocessable(problems) => field_errors(
                StatusCode::UNPROCESSABLE_ENTITY,
                "VALIDATION_ERROR",
                problems,
            ),
            Self::Duplicate(problem) => field_errors(
                StatusCode::CONFLICT,
                "DUPLICATE_ENTRY",
                std::slice::from_ref(problem),
            ),
            Self::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "PAYLOAD_TOO_LARGE",
                "Corpo da requisição excede o limite permitido".to_owned(),
                None,
            ),
            Self::Idempotency(problem) => {
                use vitrine_core::idempotency::KeyProblem;
                let details = Some(json!({"header": "Idempotency-Key"}));
                match problem {
                    KeyProblem::Malformed => (
                        StatusCode::BAD_REQUEST,
                        "INVALID_IDEMPOTENCY_KEY",
                        "Idempotency-Key deve ter de 1 a 255 caracteres ASCII imprimíveis"
                            .to_owned(),
                        details,
                    ),
                    KeyProblem::Reused => (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "IDEMPOTENCY_KEY_REUSED",
                        "Esta Idempotency-Key já foi usada com outra requisição".to_owned(),
                        details,
                    ),
                    KeyProblem::InProgress => (
                        StatusCode::CONFLICT,
                        "IDEMPOTENCY_KEY_IN_PROGRESS",
                        "Uma requisição com esta Idempotency-Key ainda está em andamento; tente novamente em instantes".to_owned(),
                        details,
                    ),
                }
            }
            Self::Timeout => (
                StatusCode::REQUEST_TIMEOUT,
                "REQUEST_TIMEOUT",
                "A requisição excedeu o tempo limite do servidor".to_owned(),
                None,
            ),
            Self::RateLimited { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                "RATE_LIMIT_EXCEEDED",
                "Limite de requisições excedido".to_owned(),
                None,
            ),
            Self::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                "Serviço temporariamente indisponível; tente novamente em instantes".to_owned(),
                None,
            ),
            Self::Internal(_) => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_ERROR",
                "Erro interno do servidor".to_owned(),
                None,
            ),
        }
    }
}

/// The first problem is the message and `details {field, type}` (with
/// `allowed`, the accepted values, for an `enum` problem, §3.4); when there
/// are more, `details.errors` lists them all so a client fixes them at once.
fn field_errors(
    status: StatusCode,
    code: &'static str,
    problems: &[FieldError],
) -> (StatusCode, &'static str, String, Option<Value>) {
    let Some(first) = problems.first() else {
        return (status, code, "Requisição inválida".to_owned(), None);
    };
    let mut details = Map::new();
    details.insert("field".into(), first.field.clone().into());
    details.insert("type".into(), first.kind.into());
    if !first.allowed.is_empty() {
        details.insert("allowed".into(), first.allowed.clone().into());
    }
    if problems.len() > 1 {
        let all = problems
            .iter()
            .map(|p| {
                let mut one = json!({"field": p.field, "type": p.kind, "message": p.message});
                if !p.allowed.is_empty() {
                    one["allowed"] = p.allowed.clone().into();
                }
                one
            })
            .collect();
        details.insert("errors".into(), Value::Array(all));
    }
    (
        status,
        code,
        first.message.clone(),
        Some(Value::Object(details)),
    )
}

impl IntoResponse for AutoError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(error = ?cause, "auto api request failed");
        }
        let (status, code, message, details) = self.parts();
        let mut error = Map::new();
        error.insert("code".into(), code.into());
        error.insert("message".into(), message.into());
        if let Some(details) = details {
            error.insert("details".into(), details);
        }
        let body = json!({"success": false, "error": error});
        let mut response = (status, Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        if let Self::RateLimited { retry_after } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, header::HeaderValue::from(retry_after));
        }
        if let Self::Unavailable(outage) = self {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from(RETRY_AFTER_UNAVAILABLE),
            );
            // For the server's health check (the last write's outcome).
            response.extensions_mut().insert(outage);
        }
        response
    }
}

/// Fallback for unknown paths under the Auto prefixes.
pub async fn route_not_found() -> AutoError {
    AutoError::RouteNotFound
}

/// Fallback for a known path with the wrong method.
pub async fn method_not_allowed() -> AutoError {
    AutoError::MethodNotAllowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_use_case_answer_has_its_documented_status() {
        let problem = || FieldError::invalid("plate", "Placa inválida");
        for (e, status, code, why) in [
            (
                vitrine_app::Error::Invalid(vec![problem()]),
                StatusCode::BAD_REQUEST,
                "VALIDATION_ERROR",
                "a field rule (§3.5)",
            ),
            (
                vitrine_app::Error::Rule(vec![problem()]),
                StatusCode::UNPROCESSABLE_ENTITY,
                "VALIDATION_ERROR",
                "an unknown reference, a refused target (Decision 1)",
            ),
            (
                vitrine_app::Error::Conflict(problem()),
                StatusCode::CONFLICT,
                "DUPLICATE_ENTRY",
                "a uniqueness rule (Decision 2)",
            ),
            (
                vitrine_app::Error::NotFound,
                StatusCode::NOT_FOUND,
                "NOT_FOUND",
                "another account's id too (Decision 4)",
            ),
            (
                vitrine_app::Error::Unavailable(vitrine_store::Outage::DiskFull),
                StatusCode::SERVICE_UNAVAILABLE,
                "SERVICE_UNAVAILABLE",
                "retry later",
            ),
            (
                vitrine_app::Error::Internal("boom".into()),
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL_ERROR",
                "a fixed sentence",
            ),
        ] {
            let (s, c, message, details) = AutoError::from(e).parts();
            assert_eq!((s, c), (status, code), "{why}");
            if status.is_client_error() && status != StatusCode::NOT_FOUND {
                assert_eq!(message, "Placa inválida", "{why}");
                assert_eq!(details.expect("details")["field"], "plate", "{why}");
            }
        }
    }
}
