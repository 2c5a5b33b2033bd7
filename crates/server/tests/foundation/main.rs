//! Foundation: health, metrics, authentication of both faces, envelopes,
//! routing rules, tenancy. Every case runs on SQLite, on PostgreSQL and on
//! Citus.

vitrine_testkit::on_citus!(yes);

mod auth;
mod idempotency;
mod limits;
mod list_plans;
mod outages;
mod routing;
mod schema;
mod statistics;
mod storage;
