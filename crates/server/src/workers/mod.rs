//! Background work of a node: webhook delivery, the activity reminder
//! scheduler and the database's upkeep.

pub mod maintenance;
pub mod webhooks;
