//! Vehicles of the stock: `POST /vehicles`, `PUT|PATCH /vehicles/:id`,
//! `DELETE /vehicles/:id` and the panel's vehicle form.

use vitrine_auto_wire::VehicleOut;
use vitrine_core::ids::{AccountId, VehicleId};
use vitrine_core::records::VehicleRecord;
use vitrine_core::text;
use vitrine_core::vehicle::{Vehicle, VehicleStatus};
use vitrine_core::webhook;
use vitrine_store::Tx;

use crate::{events, refs, Draft, Error, Locked, Result};

/// A conflict on `plate` when another in-stock vehicle of the account has
/// it (Decision 2).
async fn refuse_duplicate(
    tx: &mut Tx,
    account: AccountId,
    vehicle: &Vehicle,
    except: Option<VehicleId>,
) -> Result<()> {
    if tx.vehicles().plate_taken(account, vehicle, except).await? {
        return Err(Error::Conflict(text::duplicate("plate")));
    }
    Ok(())
}

/// Adds a vehicle to the stock, with its `vehicle.created` event.
pub async fn create(
    tx: &mut Tx,
    account: AccountId,
    draft: Draft<Vehicle>,
) -> Result<VehicleRecord> {
    refs::verify(tx, account, &draft.references).await?;
    refuse_duplicate(tx, account, &draft.value, None).await?;
    let saved = tx
        .vehicles()
        .insert(account, VehicleId::new(), &draft.value)
        .await?;
    let out = VehicleOut::from(saved.clone());
    events::emit(tx, account, &["vehicle.created"], &out).await?;
    Ok(saved)
}

/// The vehicle, locked for a change in `tx`.
pub async fn lock(tx: &mut Tx, account: AccountId, id: VehicleId) -> Result<Locked<VehicleRecord>> {
    Ok(Locked(tx.vehicles().get_for_update(account, id).await?))
}

/// Saves the vehicle as `draft` has it, with the events of the change
/// (`vehicle.updated`, `.sold`, `.archived`).
pub async fn update(
    tx: &mut Tx,
    account: AccountId,
    current: Locked<VehicleRecord>,
    draft: Draft<Vehicle>,
) -> Result<VehicleRecord> {
    refs::verify(tx, account, &draft.references).await?;
    let id = current.0.id;
    refuse_duplicate(tx, account, &draft.value, Some(id)).await?;
    save(tx, account, current.0.vehicle, id, draft.value).await
}

/// Archives the vehicle (§3.13): idempotent; its deals are untouched.
pub async fn archive(tx: &mut Tx, account: AccountId, id: VehicleId) -> Result<VehicleRecord> {
    let before = lock(tx, account, id).await?.0.vehicle;
    let mut vehicle = before.clone();
    vehicle.status = VehicleStatus::Arquivado;
    save(tx, account, before, id, vehicle).await
}

async fn save(
    tx: &mut Tx,
    account: AccountId,
    before: Vehicle,
    id: VehicleId,
    vehicle: Vehicle,
) -> Result<VehicleRecord> {
    let saved = tx.vehicles().update(account, id, &vehicle).await?;
    let names = webhook::vehicle_update_events(&before, &vehicle);
    events::emit(tx, account, &names, &VehicleOut::from(saved.clone())).await?;
    Ok(saved)
}
