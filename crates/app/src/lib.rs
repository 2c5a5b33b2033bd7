//! The use cases of vitrine: one function per command, called by every
//! face that offers it — the Auto API, the Loja API, the panel, the CLI,
//! `serve --demo` and the test harness — so a rule is written once.
//!
//! A use case takes the write transaction (or the [`Store`] when it must
//! do work outside one: resolving a webhook host, hashing a password), the
//! tenant's account and a [`Draft`] whose fields the face already read
//! with core's rules. It checks what needs the database (the records the
//! input names are the account's, uniqueness), applies the rules that
//! follow the change, writes, and queues the webhook events in the same
//! transaction. It answers a domain record or one [`Error`], which each
//! face maps once into its own envelope or page.
//!
//! [`Store`]: vitrine_store::Store

pub mod crm;
mod draft;
mod error;
mod events;
pub mod finance;
mod refs;
pub mod shop;
mod stock;
pub mod tenancy;
pub mod webhooks;

pub use draft::{Draft, Locked};
pub use error::{Error, Result};
