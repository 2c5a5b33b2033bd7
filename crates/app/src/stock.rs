//! The stock follows the sale (docs/api.md, "The stock follows the sale";
//! issue 16.2), for every use case that writes a sale — deals and
//! financial records, whichever face asked:
//!
//! - a deal that becomes won (`ganho`) with a vehicle, or a *paid*
//!   `venda-veiculo` record linked to a vehicle, marks that vehicle sold:
//!   status `vendido`, phase `vendido` (`entregue` stays);
//! - when that sale is cancelled — the deal reopened or lost, the record
//!   cancelled or no longer paid, the link moved to another vehicle — the
//!   vehicle gets back the status and phase the sale replaced, unless
//!   another sale still holds it or its status was changed by hand since
//!   (and if another in-stock vehicle took its plate meanwhile, the
//!   cancellation is refused: a conflict on `plate`);
//! - each change of the vehicle queues its events (`vehicle.updated`, and
//!   `vehicle.sold` when it becomes sold) in the same transaction, with the
//!   vehicle as `GET /vehicles/:id` renders it.
//!
//! The rules are core's (`Deal::sold_vehicle`,
//! `FinancialRecord::sold_vehicle`, `stock_moves`, `Vehicle::mark_sold`,
//! `Vehicle::return_to_stock`); the writes are the store's
//! (`Vehicles::sell`, `Vehicles::release`).

use vitrine_auto_wire::VehicleOut;
use vitrine_core::ids::{AccountId, VehicleId};
use vitrine_core::vehicle::stock_moves;
use vitrine_core::webhook;
use vitrine_core::FieldError;
use vitrine_store::Tx;

use crate::{events, Error, Result};

/// Applies a sale's change to the stock: `before`/`after` are the vehicle
/// the record (deal or financial record) sold before and after its write,
/// which must already be written in `tx`.
pub(crate) async fn follow_sale(
    tx: &mut Tx,
    account: AccountId,
    before: Option<VehicleId>,
    after: Option<VehicleId>,
) -> Result<()> {
    let moves = stock_moves(before, after);
    if let Some(id) = moves.release {
        let released = tx.vehicles().release(account, id).await.map_err(|e| match e {
            // Back in stock it would hold its plate again, which another
            // in-stock vehicle took meanwhile (Decision 2): nothing written.
            vitrine_store::Error::Conflict { what } => Error::Conflict(FieldError {
                field: what.to_owned(),
                kind: "duplicate",
                message: "O veículo vendido não pode voltar ao estoque: outro veículo em estoque já tem a placa dele".to_owned(),
                allowed: Vec::new(),
            }),
            other => other.into(),
        })?;
        if let Some((was, now)) = released {
            let names = webhook::vehicle_update_events(&was, &now.vehicle);
            events::emit(tx, account, &names, &VehicleOut::from(now)).await?;
        }
    }
    if let Some(id) = moves.sell {
        if let Some((was, now)) = tx.vehicles().sell(account, id).await? {
            let names = webhook::vehicle_update_events(&was, &now.vehicle);
            events::emit(tx, account, &names, &VehicleOut::from(now)).await?;
        }
    }
    Ok(())
}
