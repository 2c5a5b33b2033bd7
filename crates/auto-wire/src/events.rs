//! Webhook events as the Auto API (and the panel, for the same changes)
//! write them to the outbox: the payload of ecosys-auto-api.md §4.6
//! (`{id, event, created_at, data}`, `data` the resource exactly as `GET
//! /<resource>/:id` renders it), enqueued in the caller's transaction so the
//! event commits with the change or not at all.

use serde::Serialize;
use vitrine_core::ids::{AccountId, EventId};
use vitrine_store::Tx;

use crate::timestamp;
use crate::AutoError;

#[derive(Serialize)]
struct Payload<'a, T> {
    id: String,
    event: &'a str,
    created_at: String,
    data: &'a T,
}

/// Writes one event per name in `events`, each carrying `data`.
pub async fn emit<T: Serialize>(
    tx: &mut Tx,
    account: AccountId,
    events: &[&str],
    data: &T,
) -> Result<(), AutoError> {
    for event in events {
        let id = EventId::new();
        let at = vitrine_store::now();
        let body = serde_json::to_string(&Payload {
            id: id.to_string(),
            event,
            created_at: timestamp(at),
            data,
        })
        .map_err(|e| AutoError::Internal(Box::new(e)))?;
        tx.outbox().enqueue(account, id, event, &body, at).await?;
    }
    Ok(())
}
