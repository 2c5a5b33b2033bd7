//! Background work of a node: webhook delivery and the activity reminder
//! scheduler.

pub mod webhooks;
