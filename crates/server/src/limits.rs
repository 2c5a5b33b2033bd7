//! Request limits beyond the body size (issue #8, docs/configuration.md):
//! a deadline per request, answered in the face's envelope. The header
//! size limit and the header read timeout (slow clients) are connection
//! settings applied by [`crate::app::serve_with`].

use std::time::Duration;

use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use vitrine_auto::AutoError;
use vitrine_loja::LojaError;

use crate::idempotency::Face;

/// Cancels a request still running after `limit` (its transaction rolls
/// back as the handler is dropped) and answers 408 in the envelope of the
/// face the path belongs to.
pub async fn request_timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    let face = Face::of(req.uri().path());
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_ms = limit.as_millis(), "request timed out");
            match face {
                Face::Auto => AutoError::Timeout.into_response(),
                Face::Loja => LojaError::Timeout.into_response(),
                Face::Panel => (
                    StatusCode::REQUEST_TIMEOUT,
                    "A requisição excedeu o tempo limite do servidor.",
                )
                    .into_response(),
            }
        }
    }
}
