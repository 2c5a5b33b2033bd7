//! Orders (ecommloja-api.md §3.3): E29 `order/findbyid`, E30
//! `order/findbyfilter` and the SH-Order shape here; E31
//! `order/changestatus` with the stock-retention transitions of E23 in
//! [`status`]; the `order/insert` extension for orders that come from
//! other channels (docs/loja-extensions.md) in [`insert`].

mod insert;
mod status;

pub(crate) use insert::insert_order;
pub(crate) use status::change_status;

use chrono::{NaiveDate, NaiveDateTime};
use vitrine_core::ids::{OrderId, ShopScope};
use vitrine_core::time_zone::TimeZone;
use vitrine_store::orders::{Order, OrderFilter, OrderLine};
use vitrine_store::{Db, Optional};

use crate::dto::orders::{OrderOut, OrderProduct};
use crate::endpoints::{Ctx, Reply};
use crate::error::OrMissing;
use crate::{envelope, LojaError};

/// SH-Order (L2263–2333); `with_id` adds `"id"` after `"error"` (E30).
async fn render_order(
    db: &mut Db<'_>,
    scope: ShopScope,
    order: &Order,
    lines: &[OrderLine],
    with_id: bool,
) -> Result<OrderOut, LojaError> {
    let f = &order.fields;
    let customer = db
        .reborrow()
        .customers()
        .get(scope, f.customer_id)
        .await
        .optional()?;
    let mut products = Vec::with_capacity(lines.len());
    for l in lines {
        let unit_sku = [&l.grid_sku, &l.variety_sku, &l.sku]
            .into_iter()
            .find(|sku| !sku.is_empty())
            .cloned()
            .unwrap_or_default();
        let unit = db.reborrow().stock().sellable(scope, &unit_sku).await?;
        products.push(OrderProduct::new(l, unit.as_ref()));
    }
    Ok(OrderOut::new(order, customer.as_ref(), products, with_id))
}

/// E29 `GET order/findbyid` (`id`): 404 `"Order not found[<id>]"`.
pub(crate) fn find_by_id(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let raw = ctx.params.text("id").unwrap_or_default();
        let not_found = || LojaError::not_found(format!("Order not found[{raw}]"));
        let id = ctx.params.int("id").map(OrderId).ok_or_else(not_found)?;
        let mut conn = ctx.state.store.conn().await?;
        let order = conn.orders().get(scope, id).await.or_missing(not_found)?;
        let lines = conn.orders().lines_of(scope, &[id]).await?;
        let data = render_order(&mut conn.db(), scope, &order, &lines, false).await?;
        Ok(envelope::ok(&data))
    })
}

/// A store-local date filter as a UTC bound, in the account's time zone
/// (Conta → Fuso horário, default America/Sao_Paulo; ecommloja-api.md
/// §1.6: datetimes are store-local): a date means its local midnight
/// (`end` = the next local midnight, so the day is inclusive), a datetime
/// itself (`end` = the next second).
fn local_bound(
    raw: Option<String>,
    end: bool,
    zone: TimeZone,
) -> Option<chrono::DateTime<chrono::Utc>> {
    let text = raw?;
    let text = text.trim();
    match NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S") {
        Ok(t) => {
            let at = if end {
                t + chrono::Duration::seconds(1)
            } else {
                t
            };
            zone.instant(at)
        }
        Err(_) => {
            let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
            Some(if end {
                zone.day_end(day)
            } else {
                zone.day_start(day)
            })
        }
    }
}

/// E30 `GET order/findbyfilter`: by `date_start`, `date_end`, `status`,
/// `payment_method` and the extension `before_id` (AND); the newest 500
/// matching, by ascending id (a client pages back with `before_id` = the
/// smallest id it got); none → the last 50.
pub(crate) fn find_by_filter(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let p = &ctx.params;
        let mut conn = ctx.state.store.conn().await?;
        let zone = conn.accounts().zone(scope.account).await?;
        let filter = OrderFilter {
            from: local_bound(p.text("date_start"), false, zone),
            until: local_bound(p.text("date_end"), true, zone),
            status: p.int("status").and_then(|c| i16::try_from(c).ok()),
            payment_method: p.int("payment_method"),
            before_id: p.int("before_id").map(OrderId),
        };
        let orders = conn.orders().filter(scope, &filter).await?;
        if orders.is_empty() {
            return Err(LojaError::not_found("Orders not found"));
        }
        let ids: Vec<OrderId> = orders.iter().map(|o| o.id).collect();
        let lines = conn.orders().lines_of(scope, &ids).await?;
        let mut data = Vec::with_capacity(orders.len());
        for order in &orders {
            let mine: Vec<OrderLine> = lines
                .iter()
                .filter(|l| l.order_id == order.id)
                .cloned()
                .collect();
            if mine.is_empty() {
                return Err(LojaError::not_found(format!(
                    "Products not found in order {}",
                    order.id
                )));
            }
            data.push(render_order(&mut conn.db(), scope, order, &mine, true).await?);
        }
        Ok(envelope::ok(&data))
    })
}
