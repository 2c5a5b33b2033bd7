//! The dealership CRM: clients, vehicles, deals and activities (Auto API
//! §4.1–§4.4 and the panel's screens for them).
//!
//! A use case takes the write transaction, the account and what the face
//! read from its input; it checks what needs the database (the references
//! are the account's records, uniqueness), applies the rules that follow a
//! change (close timestamps, the stock following a sale), writes, and
//! queues the webhook events in the same transaction. The caller commits.

pub mod activities;
pub mod clients;
pub mod deals;
pub mod vehicles;
