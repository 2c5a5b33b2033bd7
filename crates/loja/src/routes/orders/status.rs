//! E31 `POST order/changestatus`: the store's one status-change path
//! ([`vitrine_store::orders::change_status_with`], with the stock retention
//! of E23 and the restock of a cancelled sale).

use vitrine_core::ids::OrderId;
use vitrine_core::order::Status;
use vitrine_store::orders::{change_status_with as change, StatusChange};

use crate::endpoints::{Ctx, Reply};
use crate::{envelope, LojaError};

/// E31 `POST order/changestatus` (`id`, `new_status` 1–10, and the
/// extension `restock`, default 1): locks the order, refuses illegal
/// transitions (400 naming both statuses), consumes or releases the
/// retained stock — or, cancelling or refusing a sold order, puts its
/// units back unless `restock=0` — and sets the status.
pub(crate) fn change_status(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let not_found = || LojaError::not_found("Order not Found!");
        let to = ctx
            .params
            .int("new_status")
            .and_then(Status::from_code)
            .ok_or_else(|| LojaError::bad_request("Invalid status"))?;
        let id = ctx.params.int("id").map(OrderId).ok_or_else(not_found)?;
        let mut tx = ctx.state.store.begin().await?;
        let restock = ctx.params.flag("restock").unwrap_or(true);
        match change(&mut tx, scope, id, to, restock).await? {
            StatusChange::Changed { .. } => {}
            StatusChange::Missing => return Err(not_found()),
            StatusChange::Refused(e) => return Err(LojaError::bad_request(e.to_string())),
        }
        tx.commit().await?;
        Ok(envelope::done())
    })
}
