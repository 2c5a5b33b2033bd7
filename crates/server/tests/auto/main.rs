//! Auto API v1 CRM (issue 3): clients, vehicles, deals; operations (issue
//! 6): activities, financial, webhooks. Every case runs on SQLite, on
//! PostgreSQL and on Citus.

vitrine_testkit::on_citus!(yes);

mod activities;
mod bad_input;
mod clients;
mod contract;
mod counts;
mod deals;
mod financial;
mod fixtures;
mod isolation;
mod node;
mod outbox;
mod quickstart;
mod receiver;
mod sorting;
mod stock;
mod storage;
mod vehicles;
mod webhooks;
