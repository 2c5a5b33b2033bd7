//! Domain types and rules of vitrine. No I/O, no async: everything here is a
//! plain function or type that the faces, the panel and the store build on.

pub mod catalog;
pub mod credentials;
pub mod error;
pub mod ids;
pub mod media;
pub mod tags;
pub mod tenancy;

pub use error::{Error, FieldError};
pub mod doc;
