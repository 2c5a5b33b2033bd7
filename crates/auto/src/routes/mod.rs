//! Auto API routes, one module per resource.

mod stores;

use axum::routing::get;
use axum::Router;

use crate::AutoState;

pub(crate) fn router() -> Router<AutoState> {
    Router::new().route("/stores", get(stores::list_stores))
}
