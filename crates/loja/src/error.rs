//! The Loja error envelope (ecommloja-api.md §1.5):
//! `{"success": false, "errors": [...], "data": []}`.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use crate::dto::EmptyList;
use crate::envelope::render;

/// Why a Loja request failed. Messages are the documented strings, verbatim.
#[derive(Debug, thiserror::Error)]
pub enum LojaError {
    /// A documented failure: its status and its `errors` strings.
    #[error("{status}: {messages:?}")]
    Documented {
        /// HTTP status as the doc shows it.
        status: StatusCode,
        /// The `errors` array.
        messages: Vec<String>,
    },
    /// A documented failure whose `errors` are not an array of strings:
    /// objects (`product/insertgridproduct`, E11) or a bare string
    /// (`brand/insert`, E48).
    #[error("{status}: {errors}")]
    Objects {
        /// HTTP status as the doc shows it.
        status: StatusCode,
        /// The `errors` array.
        errors: Value,
    },
    /// Missing, malformed, unknown or revoked store token.
    #[error("invalid token")]
    InvalidToken,
    /// No endpoint at this path.
    #[error("endpoint not found")]
    RouteNotFound,
    /// A known endpoint called with another method.
    #[error("wrong method, needed {needed}")]
    WrongMethod {
        /// The documented method, `GET` or `POST`.
        needed: &'static str,
        /// The status the doc shows for this endpoint.
        status: StatusCode,
    },
    /// The body is over the limit.
    #[error("payload too large")]
    PayloadTooLarge,
    /// An `Idempotency-Key` the request cannot be served under (issue #8).
    #[error("idempotency key: {0:?}")]
    Idempotency(vitrine_core::idempotency::KeyProblem),
    /// The request did not finish within the server's request timeout.
    #[error("request timeout")]
    Timeout,
    /// The caller spent its requests for this window.
    #[error("too many requests")]
    TooManyRequests {
        /// Seconds until the window resets.
        retry_after: u64,
    },
    /// The documented failure of endpoints whose only error is
    /// `500 {"success": false, "errors": [], "data": []}` (§1.5). Not logged
    /// as an internal error: it is the client's mistake.
    #[error("documented failure")]
    Failed,
    /// The database cannot serve now (disk full, read-only, server gone,
    /// every connection busy): 503, retry later.
    #[error("database unavailable: {0}")]
    Unavailable(vitrine_store::Outage),
    /// Anything unexpected: logged, answered with the documented 500 and empty errors.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Seconds a client is told to wait after a 503 (`Retry-After`).
const RETRY_AFTER_UNAVAILABLE: u32 = 5;

/// E24's refusal of a row it cannot apply.
pub(crate) const CANNOT_UPDATE: &str = "This product can NOT be updated!";

impl LojaError {
    /// A documented failure with one message.
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self::Documented {
            status,
            messages: vec![message.into()],
        }
    }

    /// A documented failure whose `errors` are the typed `errors` (the
    /// refused items of E10/E11, the bare string of E48).
    pub(crate) fn objects(status: StatusCode, errors: &impl serde::Serialize) -> Self {
        match serde_json::to_value(errors) {
            Ok(errors) => Self::Objects { status, errors },
            Err(e) => Self::Internal(Box::new(e)),
        }
    }

    /// `404` with one message.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, message)
    }

    /// `400` with one message.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, message)
    }

    /// The body this error answers, as JSON (the OpenAPI document's
    /// examples are the server's own answers).
    pub(crate) fn body(&self) -> Value {
        let errors = match self {
            Self::Objects { errors, .. } => errors.clone(),
            _ => Value::from(self.parts().1),
        };
        serde_json::json!({ "success": false, "errors": errors, "data": [] })
    }

    fn parts(&self) -> (StatusCode, Vec<String>) {
        match self {
            Self::Objects { status, .. } => (*status, Vec::new()),
            Self::Documented { status, messages } => (*status, messages.clone()),
            Self::InvalidToken => (StatusCode::UNAUTHORIZED, vec!["Invalid token".into()]),
            Self::RouteNotFound => (StatusCode::NOT_FOUND, vec!["Endpoint not found".into()]),
            Self::WrongMethod { needed, status } => {
                (*status, vec![format!("Invalid request - Needed: {needed}")])
            }
            Self::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                vec!["Request body too large".into()],
            ),
            Self::Idempotency(problem) => {
                use vitrine_core::idempotency::KeyProblem;
                match problem {
                    KeyProblem::Malformed => (
                        StatusCode::BAD_REQUEST,
                        vec!["Invalid Idempotency-Key: use 1 to 255 printable ASCII characters".into()],
                    ),
                    KeyProblem::Reused => (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        vec!["Idempotency-Key already used with a different request".into()],
                    ),
                    KeyProblem::InProgress => (
                        StatusCode::CONFLICT,
                        vec!["A request with this Idempotency-Key is still in progress; retry shortly".into()],
                    ),
                }
            }
            Self::Timeout => (StatusCode::REQUEST_TIMEOUT, vec!["Request timeout".into()]),
            Self::TooManyRequests { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                vec!["Too many requests".into()],
            ),
            Self::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                vec!["Service temporarily unavailable, try again shortly".into()],
            ),
            Self::Internal(_) | Self::Failed => (StatusCode::INTERNAL_SERVER_ERROR, Vec::new()),
        }
    }
}

/// A store lookup whose `NotFound` (the store's one convention for a row
/// the tenant does not have) answers the endpoint's documented error.
pub(crate) trait OrMissing<T> {
    /// `missing()` for `NotFound`; other store errors as usual.
    fn or_missing(self, missing: impl FnOnce() -> LojaError) -> Result<T, LojaError>;
}

impl<T> OrMissing<T> for Result<T, vitrine_store::Error> {
    fn or_missing(self, missing: impl FnOnce() -> LojaError) -> Result<T, LojaError> {
        match self {
            Ok(found) => Ok(found),
            Err(vitrine_store::Error::NotFound) => Err(missing()),
            Err(e) => Err(e.into()),
        }
    }
}

impl From<vitrine_store::Error> for LojaError {
    /// Store failures a handler did not map to a documented message are
    /// internal (each endpoint words its own not-found), except an outage
    /// of the database: 503.
    fn from(e: vitrine_store::Error) -> Self {
        match e {
            vitrine_store::Error::Unavailable { outage, cause } => {
                tracing::warn!(%outage, error = ?cause, "database unavailable");
                Self::Unavailable(outage)
            }
            other => Self::Internal(Box::new(other)),
        }
    }
}

/// A use case's answer in this face's words: the shop's refusals are the
/// documented (or [CHOICE]) strings below, verbatim. A not-found is worded
/// by each endpoint ([`OrMissing`]); one it did not word is internal.
impl From<vitrine_app::Error> for LojaError {
    fn from(e: vitrine_app::Error) -> Self {
        use vitrine_app::shop::Refusal as R;
        use vitrine_app::Error as A;
        match e {
            // [CHOICE]: the doc has no error for these.
            A::Shop(R::Inactive { sku }) => {
                Self::bad_request(format!("Inactive product for SKU {sku}"))
            }
            A::Shop(R::OutOfStock { sku }) => {
                Self::bad_request(format!("Insufficient stock for SKU {sku}"))
            }
            A::Shop(R::TooLarge) => Self::bad_request("Order value too large"),
            // E63, E64.
            A::Shop(R::CartNotFound) => crate::routes::cart::cart_not_found(),
            // E31: 400 naming both statuses.
            A::Shop(R::Transition(refused)) => Self::bad_request(refused.to_string()),
            // E24.
            A::Shop(R::StockOnUnits { .. }) => Self::bad_request(CANNOT_UPDATE),
            A::Invalid(problems) | A::Rule(problems) => Self::Documented {
                status: StatusCode::BAD_REQUEST,
                messages: problems.into_iter().map(|p| p.message).collect(),
            },
            A::Conflict(problem) => Self::bad_request(problem.message),
            A::Unavailable(outage) => Self::Unavailable(outage),
            A::Internal(cause) => Self::Internal(cause),
            not_found @ A::NotFound => Self::Internal(Box::new(not_found)),
        }
    }
}

impl<T> OrMissing<T> for Result<T, vitrine_app::Error> {
    fn or_missing(self, missing: impl FnOnce() -> LojaError) -> Result<T, LojaError> {
        match self {
            Ok(done) => Ok(done),
            Err(vitrine_app::Error::NotFound) => Err(missing()),
            Err(e) => Err(e.into()),
        }
    }
}

impl IntoResponse for LojaError {
    fn into_response(self) -> Response {
        if let Self::Internal(cause) = &self {
            tracing::error!(error = ?cause, "loja api request failed");
        }
        if let Self::Objects { status, errors } = &self {
            return render(*status, false, errors, &EmptyList);
        }
        let (status, messages) = self.parts();
        let mut response = render(status, false, &messages, &EmptyList);
        if let Self::TooManyRequests { retry_after } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        if let Self::Unavailable(outage) = self {
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(RETRY_AFTER_UNAVAILABLE),
            );
            // For the server's health check (the last write's outcome).
            response.extensions_mut().insert(outage);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitrine_app::shop::Refusal;
    use vitrine_core::order::{transition, Status};

    fn answer(e: vitrine_app::Error) -> (StatusCode, Vec<String>) {
        LojaError::from(e).parts()
    }

    /// The shop's refusals keep the Loja API's strings, whichever use case
    /// answers them (checkout, `order/insert`, the cart, E31).
    #[test]
    fn shop_refusals_answer_the_documented_strings() {
        let shop = vitrine_app::Error::Shop;
        let sku = || "ABC-1".to_owned();
        let bad = |m: &str| (StatusCode::BAD_REQUEST, vec![m.to_owned()]);
        assert_eq!(
            answer(shop(Refusal::Inactive { sku: sku() })),
            bad("Inactive product for SKU ABC-1")
        );
        assert_eq!(
            answer(shop(Refusal::OutOfStock { sku: sku() })),
            bad("Insufficient stock for SKU ABC-1")
        );
        assert_eq!(
            answer(shop(Refusal::TooLarge)),
            bad("Order value too large")
        );
        assert_eq!(
            answer(shop(Refusal::CartNotFound)),
            (StatusCode::UNAUTHORIZED, vec!["Cart not found".to_owned()])
        );
        let st = |c| Status::from_code(c).expect("status");
        let refused = transition(st(8), st(3)).expect_err("a cancelled order is not paid");
        assert_eq!(
            answer(shop(Refusal::Transition(refused))),
            bad("Invalid status change: 8 (Cancelado) to 3 (Pagamento Confirmado)")
        );
        assert_eq!(
            answer(shop(Refusal::StockOnUnits { sku: sku() })),
            bad("This product can NOT be updated!")
        );
    }

    /// A not-found the endpoint did not word is an internal error (each
    /// endpoint says what was not found, `OrMissing`).
    #[test]
    fn a_not_found_is_worded_by_the_endpoint() {
        let missing: Result<(), vitrine_app::Error> = Err(vitrine_app::Error::NotFound);
        let e = missing
            .or_missing(|| LojaError::not_found("Order not Found!"))
            .expect_err("not found");
        assert_eq!(
            e.parts(),
            (StatusCode::NOT_FOUND, vec!["Order not Found!".to_owned()])
        );
        assert!(matches!(
            LojaError::from(vitrine_app::Error::NotFound),
            LojaError::Internal(_)
        ));
    }
}
