//! Periodic upkeep of the database: fresh planner statistics.
//!
//! SQLite plans with the statistics `PRAGMA optimize` records, and a table
//! that grew a hundredfold since they were taken can be planned as if it
//! were still small. `Store::optimize` re-analyses only what changed a lot,
//! so running it every few minutes costs nothing on a quiet database.

use std::time::Duration;

use vitrine_store::Store;

/// How often the statistics are refreshed.
pub const EVERY: Duration = Duration::from_secs(10 * 60);

/// Refreshes the statistics every `every` until the store closes.
pub async fn run(store: Store, every: Duration) {
    let mut tick = tokio::time::interval(every);
    // The first tick is immediate; start-up has just optimised.
    tick.tick().await;
    loop {
        tick.tick().await;
        if store.is_closed() {
            return;
        }
        if let Err(e) = store.optimize().await {
            tracing::warn!(error = %e, "refreshing the planner's statistics failed");
        }
    }
}
