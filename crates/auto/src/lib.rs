//! The Auto API v1 face (ecosys-auto-api.md): the routes and their
//! handlers, the extractors that authenticate an API key and read JSON
//! bodies, [`AutoError`] (every failure's status, code and message), and
//! the assembly of the OpenAPI document. Handlers read the wire format
//! (`vitrine-auto-wire`) into core drafts, call the use case
//! (`vitrine-app`) and render its answer in the envelope.
//!
//! The server mounts [`router`] under `/api/v1` and under the alias `/v1`.

pub mod error;
pub mod extract;
pub mod openapi;
mod routes;

use std::sync::Arc;

use axum::http::header::CONTENT_TYPE;
use axum::Router;
use vitrine_core::ids::ApiKeyId;
use vitrine_core::rate_limit::Budgets;
use vitrine_store::Store;

pub use error::AutoError;

/// What Auto handlers share.
#[derive(Clone, Debug)]
pub struct AutoState {
    /// The database.
    pub store: Store,
    /// Requests per API key and per account per minute
    /// (ecosys-auto-api.md §3.9), counted on this node.
    pub limiter: Arc<Budgets<ApiKeyId>>,
    /// Where webhook endpoints may point (checked on registration).
    pub webhook_targets: vitrine_app::webhooks::TargetPolicy,
}

/// Every Auto API route and `GET /openapi.json` (the document of them all), with this face's fallbacks for unknown paths and
/// wrong methods, ready to be nested under a prefix.
pub fn router(state: AutoState) -> Router {
    let (routes, mut doc) = routes::router().split_for_parts();
    // Now that every operation is in, add what they all share.
    utoipa::Modify::modify(&openapi::Conventions, &mut doc);
    let doc: Arc<str> = match doc.to_json() {
        Ok(json) => json.into(),
        Err(e) => {
            tracing::error!(error = ?e, "could not render the Auto OpenAPI document");
            "{}".into()
        }
    };
    routes
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            extract::pass_idempotency_gate,
        ))
        .route(
            "/openapi.json",
            axum::routing::get(move || {
                let doc = doc.clone();
                async move { ([(CONTENT_TYPE, "application/json")], doc.to_string()) }
            }),
        )
        .fallback(error::route_not_found)
        .method_not_allowed_fallback(error::method_not_allowed)
        .with_state(state)
}
