//! Webhook events of what the panel changes: the Auto API's own events
//! and payloads (`vitrine_auto_wire::events`), queued in the caller's
//! transaction exactly as the API queues them.

use serde::Serialize;
use vitrine_core::ids::{AccountId, VehicleId};
use vitrine_store::Tx;

use crate::PanelError;

/// Queues `names` with `data` as their payload, in `tx`.
pub(crate) async fn emit<T: Serialize>(
    tx: &mut Tx,
    account: AccountId,
    names: &[&str],
    data: &T,
) -> Result<(), PanelError> {
    vitrine_auto_wire::events::emit(tx, account, names, data)
        .await
        .map_err(|e| PanelError::Internal(format!("webhook event not queued: {e:?}")))
}

/// The stock follows the sale, exactly as the Auto API applies it
/// (`vitrine_auto_wire::stock::follow_sale`): the vehicle a deal or record
/// sold `before` and `after` its write, already written in `tx`.
pub(crate) async fn follow_sale(
    tx: &mut Tx,
    account: AccountId,
    before: Option<VehicleId>,
    after: Option<VehicleId>,
) -> Result<(), PanelError> {
    use vitrine_auto_wire::AutoError;
    vitrine_auto_wire::stock::follow_sale(tx, account, before, after)
        .await
        .map_err(|e| match e {
            AutoError::Duplicate(problem) => PanelError::Invalid(vec![problem.message]),
            other => PanelError::Internal(format!("stock not updated: {other:?}")),
        })
}
