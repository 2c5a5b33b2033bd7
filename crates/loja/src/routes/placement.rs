//! Placing an order inside the caller's transaction: refuse inactive
//! units, take each unit's stock with one guarded statement (never below
//! zero, on any number of nodes — unless the product is `available`
//! regardless of stock), snapshot the lines, write the order and its
//! retention records (E23). Shared by checkout (E63) and the
//! `order/insert` extension.

use vitrine_core::ids::{AccountId, StoreId};
use vitrine_core::order::{checked_line_total, installment_value, items_total, order_value};
use vitrine_store::orders::{OrderFields, OrderLine};
use vitrine_store::reviews::NewRetention;
use vitrine_store::stock::Sellable;
use vitrine_store::Tx;

use crate::routes::cart::unsellable;
use crate::LojaError;

/// One line to sell: the unit, how many, and the unit prices charged.
pub struct Wanted<'a> {
    pub unit: &'a Sellable,
    pub quantity: i64,
}

/// 400 `"Insufficient stock for SKU <sku>"` [CHOICE]: the doc has no
/// error for it.
fn out_of_stock(sku: &str) -> LojaError {
    LojaError::bad_request(format!("Insufficient stock for SKU {sku}"))
}

/// 400 `"Order value too large"` [CHOICE]: the lines, shipping or discount
/// cannot be summed (`order::items_total`, `order::order_value`).
pub(crate) fn too_large() -> LojaError {
    LojaError::bad_request("Order value too large")
}

/// The items total of these lines at their units' current prices, or 400
/// `"Order value too large"`.
pub(crate) fn wanted_total(wanted: &[Wanted<'_>]) -> Result<i64, LojaError> {
    items_total(wanted.iter().map(|w| {
        let (price, promo) = w.unit.prices();
        checked_line_total(price, promo, w.quantity)
    }))
    .ok_or_else(too_large)
}

/// The purchase-time snapshot of a line (SH-OrderProduct).
fn snapshot(w: &Wanted<'_>) -> OrderLine {
    let u = w.unit;
    let p = &u.product;
    let (price, promo) = u.prices();
    let mut line = OrderLine {
        product_id: Some(p.id),
        product_name: p.fields.name.clone(),
        sku: p.sku.clone(),
        line_type: p.product_type,
        price,
        promotional_price: Some(promo),
        quantity: w.quantity,
        multiple: p.fields.multiple,
        multiple_price: Some(p.fields.multiple_price),
        ..OrderLine::default()
    };
    if let Some(v) = &u.variation {
        line.variation_id = Some(v.id);
        line.variety.clone_from(&v.variety_name);
        line.variety_sku.clone_from(&v.unit.sku);
    }
    if let Some(g) = &u.grid {
        line.grid_id = Some(g.id);
        line.variety.clone_from(&g.variety_name);
        line.grid.clone_from(&g.grid_name);
        line.grid_sku.clone_from(&g.unit.sku);
    }
    line
}

fn retention(order_id: i64, w: &Wanted<'_>) -> NewRetention {
    let u = w.unit;
    NewRetention {
        order_id,
        product_id: Some(u.product.id),
        variation_id: u.variation.as_ref().map(|v| v.id),
        grid_id: u.grid.as_ref().map(|g| g.id),
        sku: u.product.sku.clone(),
        sku_variety: u
            .variation
            .as_ref()
            .map_or_else(|| "0".to_owned(), |v| v.unit.sku.clone()),
        sku_grid: u
            .grid
            .as_ref()
            .map_or_else(|| "0".to_owned(), |g| g.unit.sku.clone()),
        stock: w.quantity,
        product_type: u.product.product_type,
    }
}

/// Refuses inactive units, takes the stock (core `sale_rule`: only from
/// stock, or regardless of it for an `available` product), writes the
/// order (with `items_total` and `value` set from the lines,
/// `fields.shipping` and `fields.discount`) and retains its units. Returns
/// the order id and its final fields. Nothing is written unless the
/// caller commits.
pub async fn place(
    tx: &mut Tx,
    account: AccountId,
    store: StoreId,
    mut fields: OrderFields,
    wanted: &[Wanted<'_>],
) -> Result<(i64, OrderFields), LojaError> {
    let items = wanted_total(wanted)?;
    let value = order_value(items, fields.shipping, fields.discount).ok_or_else(too_large)?;
    let mut rules = Vec::with_capacity(wanted.len());
    for w in wanted {
        let rule = w
            .unit
            .sale_rule()
            .map_err(|why| unsellable(why, w.unit.sku()))?;
        rules.push((w, rule));
    }
    // Units are taken in `UnitRef` order, so two orders holding the same
    // units listed differently cannot deadlock on PostgreSQL.
    rules.sort_by_key(|(w, _)| w.unit.unit);
    for (w, rule) in rules {
        if !tx
            .stock()
            .take(account, store, w.unit.unit, w.quantity, rule)
            .await?
        {
            return Err(out_of_stock(w.unit.sku()));
        }
    }
    fields.items_total = items;
    fields.value = value;
    fields.value_installments = installment_value(fields.value, fields.installments);
    let lines: Vec<OrderLine> = wanted.iter().map(snapshot).collect();
    let id = tx.orders().insert(account, store, &fields, &lines).await?;
    for w in wanted {
        tx.reviews()
            .insert_retention(account, store, &retention(id, w))
            .await?;
    }
    Ok((id, fields))
}
