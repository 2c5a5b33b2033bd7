//! Persistence for vitrine on SQLite (embedded default) or PostgreSQL.
//!
//! [`Store`] is a concrete enum of pools, [`Tx`] a write transaction and
//! [`Conn`] a pooled read connection. Repositories are small structs over a
//! borrowed connection ([`Db`]); each query is written once and runs on
//! whichever backend is live (see [`backend`]). Every repository method takes
//! the tenant's `AccountId` and filters on it: there is no unscoped lookup
//! except for authentication, which starts from a secret's hash.

mod backend;
mod counters;
mod error;
mod filter;
mod list_counts;

pub mod accounts;
pub mod activities;
pub mod api_keys;
pub mod banners;
pub mod brands;
pub mod carts;
pub mod categories;
pub mod clients;
pub mod credentials;
pub mod customers;
pub mod deals;
pub mod design;
pub mod financial;
pub mod idempotency;
pub mod images;
pub mod login_failures;
pub mod manufacturers;
pub mod media;
pub mod orders;
pub mod outbox;
pub mod panel_secrets;
pub mod products;
pub mod reviews;
pub mod sales;
pub mod sessions;
pub mod stock;
pub mod stores;
pub mod tags;
pub mod users;
pub mod variations;
pub mod varieties;
pub mod vehicles;
pub mod webhooks;

pub use backend::{now, Backend, Conn, Db, Store, Tx, WriteFailure, MAX_BATCH};
pub use error::{Error, Outage};
pub use filter::Plan;

/// Result of a store operation.
pub type Result<T, E = Error> = std::result::Result<T, E>;
