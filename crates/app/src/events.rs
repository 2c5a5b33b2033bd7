//! Webhook events, written to the outbox in the use case's transaction so
//! an event commits with its change or not at all: the payload of
//! ecosys-auto-api.md §4.6 (`{id, event, created_at, data}`, `data` the
//! resource exactly as `GET /<resource>/:id` renders it — the Auto wire
//! DTOs), whichever face made the change.

use serde::Serialize;
use vitrine_auto_wire::timestamp;
use vitrine_core::ids::{AccountId, EventId};
use vitrine_store::Tx;

use crate::{Error, Result};

#[derive(Serialize)]
struct Payload<'a, T> {
    id: String,
    event: &'a str,
    created_at: String,
    data: &'a T,
}

/// Writes one event per name in `events`, each carrying `data`.
pub(crate) async fn emit<T: Serialize>(
    tx: &mut Tx,
    account: AccountId,
    events: &[&str],
    data: &T,
) -> Result<()> {
    for event in events {
        let id = EventId::new();
        let at = vitrine_store::now();
        let body = serde_json::to_string(&Payload {
            id: id.to_string(),
            event,
            created_at: timestamp(at),
            data,
        })
        .map_err(|e| Error::Internal(Box::new(e)))?;
        tx.outbox().enqueue(account, id, event, &body, at).await?;
    }
    Ok(())
}
