//! The Loja API face (ecommloja-api.md): every endpoint is a two-segment
//! root path (`/product/findbysku`) matched case-insensitively, answered in
//! the `{"success":…,"errors":[…],"data":…}` envelope with numbers as strings.
//!
//! The server hands every request no other face claimed to [`dispatch`].

pub mod auth;
mod dto;
mod endpoints;
pub mod envelope;
pub mod error;
mod files;
pub mod jwt;
pub mod openapi;
pub mod params;
mod routes;
pub mod wire;

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use vitrine_core::ids::{CustomerId, StoreId};
use vitrine_core::rate_limit::Budgets;
use vitrine_store::media::Media;
use vitrine_store::Store;

pub use error::LojaError;

/// Whose budget a Loja request spends: the store credentials that signed
/// it, or, on customer-JWT endpoints, that customer of that store (each
/// shopper of a storefront has a budget of their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Caller {
    /// A store token, by its credential id.
    Credential(uuid::Uuid),
    /// A customer JWT.
    Customer(StoreId, CustomerId),
}

impl Caller {
    /// The name `Idempotency-Key`s of this caller are kept under: the
    /// credential's id or the customer, never a secret. However the store
    /// token is presented, it is one caller.
    pub fn idempotency_scope(&self) -> String {
        match self {
            Self::Credential(id) => format!("loja-credential:{id}"),
            Self::Customer(store, customer) => format!("loja-customer:{store}:{customer}"),
        }
    }
}

/// What Loja handlers share.
#[derive(Clone, Debug)]
pub struct LojaState {
    /// The database.
    pub store: Store,
    /// Uploaded images.
    pub media: Media,
    /// Largest accepted request body (JSON or form), in bytes.
    pub body_limit: usize,
    /// Largest accepted body of an upload endpoint, in bytes.
    pub upload_limit: usize,
    /// Lifetime of a customer JWT (`client/clientlogin`).
    pub customer_token_ttl: std::time::Duration,
    /// Requests per caller and per account per minute, counted on this node.
    pub limiter: Arc<Budgets<Caller>>,
}

/// The metrics label of the endpoint that answered (its lowercase path), set
/// as a response extension because Loja routing happens outside axum's router.
#[derive(Debug, Clone, Copy)]
pub struct RouteLabel(pub &'static str);

/// The Loja face as a service: `GET /openapi/loja.json` (the document of
/// the endpoint table), and every other path through [`dispatch`].
pub fn router(state: LojaState) -> axum::Router {
    axum::Router::new()
        .route("/openapi/loja.json", axum::routing::get(openapi_json))
        .fallback(dispatch)
        .with_state(state)
}

async fn openapi_json() -> Response {
    (
        [(axum::http::header::CONTENT_TYPE, "application/json")],
        openapi::document_json(),
    )
        .into_response()
}

/// `GET /media/{*path}`: the stored images, at the paths Loja responses give.
pub fn media_router(state: LojaState) -> axum::Router {
    axum::Router::new()
        .route("/media/{*path}", axum::routing::get(files::get_media))
        .with_state(state)
}

/// Routes a request by its lowercased path, then checks method, store
/// token and parameters in the order the spec gives (§1.5).
pub async fn dispatch(State(state): State<LojaState>, req: Request) -> Response {
    let path = endpoints::normalize(req.uri().path());
    let Some(candidates) = endpoints::find(&path) else {
        return LojaError::RouteNotFound.into_response();
    };
    let label = RouteLabel(candidates.path);
    let mut response = match candidates.for_method(req.method()) {
        Err(wrong) => wrong.into_response(),
        Ok(endpoint) => endpoints::run(endpoint, state, req)
            .await
            .unwrap_or_else(IntoResponse::into_response),
    };
    response.extensions_mut().insert(label);
    response
}
