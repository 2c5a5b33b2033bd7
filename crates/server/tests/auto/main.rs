//! Auto API v1 CRM (issue 3): clients, vehicles, deals. Every case runs on
//! SQLite and on PostgreSQL.

mod bad_input;
mod clients;
mod deals;
mod fixtures;
mod isolation;
mod node;
mod quickstart;
mod storage;
mod vehicles;
