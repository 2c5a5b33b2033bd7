//! E31 `POST order/changestatus`: the one status change of every face
//! ([`vitrine_app::shop::orders::change_status`], with the stock retention
//! of E23 and the restock of a cancelled sale).

use vitrine_app::shop::orders::{change_status as change, Restock};
use vitrine_core::ids::OrderId;
use vitrine_core::order::Status;

use crate::endpoints::{Ctx, Reply};
use crate::error::OrMissing;
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
        let restock = match ctx.params.flag("restock").unwrap_or(true) {
            true => Restock::Yes,
            false => Restock::No,
        };
        let mut tx = ctx.state.store.begin().await?;
        change(&mut tx, scope, id, to, restock)
            .await
            .or_missing(not_found)?;
        tx.commit().await?;
        Ok(envelope::done())
    })
}
