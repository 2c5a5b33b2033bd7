//! The `vitrine` binary's library: configuration, the CLI, wiring of the
//! faces into one router, middleware and start-up. `main.rs` and the test
//! harness both go through [`app::build`] and [`app::serve`].

pub mod app;
pub mod cli;
pub mod config;
pub mod dataset;
pub mod demo;
pub mod docs;
mod health;
pub mod idempotency;
pub mod limits;
pub mod memory;
pub mod telemetry;
pub mod workers;
