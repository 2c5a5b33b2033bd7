//! Loja API: every case runs on SQLite and on PostgreSQL.

mod brands;
mod fixtures;
mod manufacturers;
mod tags;
