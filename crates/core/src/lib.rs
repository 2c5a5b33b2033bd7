//! Domain types and rules of vitrine. No I/O, no async: everything here is a
//! plain function or type that the faces, the panel and the store build on.

pub mod activity;
pub mod catalog;
pub mod client;
pub mod clock;
pub mod credentials;
pub mod deal;
pub mod doc;
pub mod error;
pub mod filters;
pub mod financial;
pub mod idempotency;
pub mod ids;
pub mod listing;
pub mod media;
pub mod money;
pub mod order;
pub mod promotions;
pub mod rate_limit;
pub mod records;
pub mod tags;
pub mod tenancy;
pub mod text;
pub mod time_zone;
pub mod vehicle;
pub mod webhook;

pub use error::{Error, FieldError};
