//! Painel: the server-rendered web panel, served by the vitrine binary under
//! `/painel`, in Brazilian Portuguese.
//!
//! Pages are maud templates (checked at compile time); the one stylesheet
//! and the one script are embedded in the binary. Sessions and sign-in
//! throttling live in the database, so any app node serves any request.
//! Every action is a use case of `vitrine-app`, the same function the Auto
//! API and the CLI call; every query is scoped by the session's account.

mod assets;
mod charts;
mod csrf;
mod error;
mod extract;
mod flash;
mod input;
mod listing;
mod notice;
mod pages;
mod picker;
mod routes;
mod session;
mod throttle;

use vitrine_store::Store;

pub use error::PanelError;
pub use session::is_https;

/// What the panel's handlers share.
#[derive(Clone)]
pub struct PanelState {
    /// The database.
    pub store: Store,
    /// Where webhook endpoints may point (the Auto API's rule).
    pub webhook_targets: vitrine_app::webhooks::TargetPolicy,
}

/// The panel's router, to be nested under `/painel`.
pub fn router(state: PanelState) -> axum::Router {
    routes::router(state)
}
