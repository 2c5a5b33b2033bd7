//! Foundation: health, metrics, authentication of both faces, envelopes,
//! routing rules, tenancy. Every case runs on SQLite and on PostgreSQL.

mod auth;
mod idempotency;
mod limits;
mod list_plans;
mod outages;
mod routing;
mod schema;
mod statistics;
mod storage;
