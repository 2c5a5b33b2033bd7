//! Financial records: `POST /financial`, `PUT|PATCH /financial/:id`, the
//! panel's form and "Marcar pago". `paid_at` follows the status
//! (`FinancialRecord::settle`), and a paid vehicle sale sells its vehicle.

use vitrine_auto_wire::FinancialOut;
use vitrine_core::financial::{FinancialRecord, FinancialStatus};
use vitrine_core::ids::{AccountId, FinancialId};
use vitrine_core::records::FinancialEntry;
use vitrine_core::webhook;
use vitrine_store::Tx;

use crate::{events, refs, stock, Draft, Locked, Result};

/// Creates a record (`paid_at` stamped when created paid), with
/// `financial.created` (and `financial.paid`).
pub async fn create(
    tx: &mut Tx,
    account: AccountId,
    draft: Draft<FinancialRecord>,
) -> Result<FinancialEntry> {
    let mut record = draft.value;
    record.settle(None, vitrine_store::now());
    refs::verify(tx, account, &draft.references).await?;
    let saved = tx
        .financial()
        .insert(account, FinancialId::new(), &record)
        .await?;
    let out = FinancialOut::from(saved.clone());
    let mut names = vec!["financial.created"];
    if record.status == FinancialStatus::Paid {
        names.push("financial.paid");
    }
    events::emit(tx, account, &names, &out).await?;
    stock::follow_sale(tx, account, None, record.sold_vehicle()).await?;
    Ok(saved)
}

/// The record, locked for a change in `tx`.
pub async fn lock(
    tx: &mut Tx,
    account: AccountId,
    id: FinancialId,
) -> Result<Locked<FinancialEntry>> {
    Ok(Locked(tx.financial().get_for_update(account, id).await?))
}

/// Saves the record as `draft` has it, with `financial.updated` (and
/// `financial.paid`).
pub async fn update(
    tx: &mut Tx,
    account: AccountId,
    current: Locked<FinancialEntry>,
    draft: Draft<FinancialRecord>,
) -> Result<FinancialEntry> {
    refs::verify(tx, account, &draft.references).await?;
    save(tx, account, current, draft.value).await
}

/// Marks the record paid, like `PATCH {"status": "paid"}`.
pub async fn mark_paid(tx: &mut Tx, account: AccountId, id: FinancialId) -> Result<FinancialEntry> {
    let current = lock(tx, account, id).await?;
    let mut record = current.record.clone();
    record.status = FinancialStatus::Paid;
    save(tx, account, current, record).await
}

async fn save(
    tx: &mut Tx,
    account: AccountId,
    current: Locked<FinancialEntry>,
    mut record: FinancialRecord,
) -> Result<FinancialEntry> {
    let Locked(FinancialEntry {
        id, record: before, ..
    }) = current;
    record.settle(Some(before.status), vitrine_store::now());
    let saved = tx.financial().update(account, id, &record).await?;
    let names = webhook::financial_update_events(&before, &record);
    events::emit(tx, account, &names, &FinancialOut::from(saved.clone())).await?;
    let (was, now) = (before.sold_vehicle(), record.sold_vehicle());
    stock::follow_sale(tx, account, was, now).await?;
    Ok(saved)
}
