//! The sales pipeline: `POST /deals`, `PUT|PATCH /deals/:id`,
//! `PUT /deals/:id/phase`, `DELETE /deals/:id` and the panel's kanban
//! (move, won, lost, reopen). Every change settles the close timestamps
//! (`Deal::settle`), queues the events of the change (`deal.updated`,
//! `.phase_changed`, `.won`, `.lost`) and lets the stock follow the sale.

use vitrine_auto_wire::DealOut;
use vitrine_core::deal::{Deal, DealPhase, DealStatus};
use vitrine_core::ids::{AccountId, DealId};
use vitrine_core::money::Money;
use vitrine_core::records::DealRecord;
use vitrine_core::webhook;
use vitrine_store::Tx;

use crate::{events, refs, stock, Draft, Error, Locked, Result};

/// Opens a deal, with its `deal.created` event; a deal created won sells
/// its vehicle.
pub async fn create(tx: &mut Tx, account: AccountId, draft: Draft<Deal>) -> Result<DealRecord> {
    let mut deal = draft.value;
    deal.settle(None, vitrine_store::now());
    refs::verify(tx, account, &draft.references).await?;
    let saved = tx.deals().insert(account, DealId::new(), &deal).await?;
    let out = DealOut::from(saved.clone());
    events::emit(tx, account, &["deal.created"], &out).await?;
    stock::follow_sale(tx, account, None, deal.sold_vehicle()).await?;
    Ok(saved)
}

/// The deal, locked for a change in `tx`.
pub async fn lock(tx: &mut Tx, account: AccountId, id: DealId) -> Result<Locked<DealRecord>> {
    Ok(Locked(tx.deals().get_for_update(account, id).await?))
}

/// Saves the deal as `draft` has it: an update, a move, a close or a
/// reopening, whatever its fields say (§4.3 "Closing and moving deals").
pub async fn update(
    tx: &mut Tx,
    account: AccountId,
    current: Locked<DealRecord>,
    draft: Draft<Deal>,
) -> Result<DealRecord> {
    refs::verify(tx, account, &draft.references).await?;
    save(tx, account, current, draft.value).await
}

/// Moves the deal to another phase of the pipeline.
pub async fn move_phase(
    tx: &mut Tx,
    account: AccountId,
    current: Locked<DealRecord>,
    phase: DealPhase,
) -> Result<DealRecord> {
    let mut deal = current.deal.clone();
    deal.phase = phase;
    save(tx, account, current, deal).await
}

/// Marks the deal won, at `value` when one is given (else its own).
pub async fn close_won(
    tx: &mut Tx,
    account: AccountId,
    id: DealId,
    value: Option<Money>,
) -> Result<DealRecord> {
    let current = lock(tx, account, id).await?;
    let mut deal = current.deal.clone();
    if let Some(value) = value {
        deal.value = Some(value);
    }
    deal.status = DealStatus::Ganho;
    save(tx, account, current, deal).await
}

/// Marks the deal lost, for `reason` when one is given (else its own).
pub async fn close_lost(
    tx: &mut Tx,
    account: AccountId,
    id: DealId,
    reason: Option<String>,
) -> Result<DealRecord> {
    let current = lock(tx, account, id).await?;
    let mut deal = current.deal.clone();
    if let Some(reason) = reason {
        deal.loss_reason = Some(reason);
    }
    deal.status = DealStatus::Perdido;
    save(tx, account, current, deal).await
}

/// Reopens a won or lost deal in the phase it was in (`Deal::reopen`):
/// `won_at`/`lost_at` cleared, as a `PATCH {"status": "ativo"}` does. An
/// open or archived deal is refused ([`Error::Rule`] on `status`).
pub async fn reopen(tx: &mut Tx, account: AccountId, id: DealId) -> Result<DealRecord> {
    let current = lock(tx, account, id).await?;
    let mut deal = current.deal.clone();
    deal.reopen().map_err(Error::rule)?;
    save(tx, account, current, deal).await
}

/// Archives the deal (§3.13); a won deal keeps its sale.
pub async fn archive(tx: &mut Tx, account: AccountId, id: DealId) -> Result<DealRecord> {
    let current = lock(tx, account, id).await?;
    let mut deal = current.deal.clone();
    deal.status = DealStatus::Arquivado;
    save(tx, account, current, deal).await
}

/// Settles the close timestamps against the deal as it was, writes it,
/// queues the events of the change and lets the stock follow the sale.
async fn save(
    tx: &mut Tx,
    account: AccountId,
    current: Locked<DealRecord>,
    mut deal: Deal,
) -> Result<DealRecord> {
    let Locked(DealRecord {
        id, deal: previous, ..
    }) = current;
    deal.settle(Some(previous.status), vitrine_store::now());
    let saved = tx.deals().update(account, id, &deal).await?;
    let names = webhook::deal_update_events(&previous, &deal);
    events::emit(tx, account, &names, &DealOut::from(saved.clone())).await?;
    let (before, after) = (previous.sold_vehicle(), deal.sold_vehicle());
    stock::follow_sale(tx, account, before, after).await?;
    Ok(saved)
}
