//! E31 `POST order/changestatus` and the stock effect of a status change (E23).

use vitrine_core::ids::{AccountId, StoreId};
use vitrine_core::order::{transition, Status, StockEffect};
use vitrine_store::Tx;

use crate::endpoints::{Ctx, Reply};
use crate::{envelope, LojaError};

/// Applies a status change's stock effect to the order's retention records.
pub(super) async fn apply_effect(
    tx: &mut Tx,
    account: AccountId,
    store: StoreId,
    order_id: i64,
    effect: StockEffect,
) -> Result<(), LojaError> {
    if effect == StockEffect::None {
        return Ok(());
    }
    if effect == StockEffect::Release {
        // In `UnitRef` order, as checkout takes them (no lock cycles).
        let mut held: Vec<_> = tx
            .orders()
            .held_by(account, store, order_id)
            .await?
            .into_iter()
            .filter_map(|h| h.unit().map(|unit| (unit, h.stock)))
            .collect();
        held.sort_unstable();
        for (unit, quantity) in held {
            // A unit deleted since is simply not found: nothing to give back (E23).
            tx.stock().give_back(account, store, unit, quantity).await?;
        }
    }
    tx.orders().drop_held(account, store, order_id).await?;
    Ok(())
}

/// E31 `POST order/changestatus` (`id`, `new_status` 1–10): locks the
/// order, refuses illegal transitions (400 naming both statuses), consumes
/// or releases the retained stock, sets the status.
pub(crate) fn change_status(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let (a, st) = (ctx.auth.account_id, ctx.auth.store_id);
        let not_found = || LojaError::not_found("Order not Found!");
        let to = ctx
            .params
            .int("new_status")
            .and_then(Status::from_code)
            .ok_or_else(|| LojaError::bad_request("Invalid status"))?;
        let id = ctx.params.int("id").ok_or_else(not_found)?;
        let mut tx = ctx.state.store.begin().await?;
        let from = tx
            .orders()
            .lock_status(a, st, id)
            .await?
            .ok_or_else(not_found)?;
        let from = Status::from_code(i64::from(from))
            .ok_or_else(|| LojaError::Internal("stored order status out of range".into()))?;
        let effect = transition(from, to).map_err(|e| LojaError::bad_request(e.to_string()))?;
        apply_effect(&mut tx, a, st, id, effect).await?;
        tx.orders().set_status(a, st, id, to.code()).await?;
        tx.commit().await?;
        Ok(envelope::done())
    })
}
