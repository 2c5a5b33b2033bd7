//! Orders: placing one with its stock retention (E23, shared by checkout
//! E63, the Loja `order/insert` extension and `serve --demo`) and the one
//! status change (Loja E31 `order/changestatus`, the panel's Pedidos).

use vitrine_core::ids::{OrderId, ShopScope};
use vitrine_core::order::{
    checked_line_total, installment_value, items_total, opening_effect, order_value, transition,
    Status, StockRule,
};
use vitrine_store::orders::{apply_stock_effect, OrderFields, OrderLine};
use vitrine_store::reviews::NewRetention;
use vitrine_store::stock::Sellable;
use vitrine_store::Tx;

use super::Refusal;
use crate::{Error, Result};

/// One line to sell: the unit as it is now, and how many.
#[derive(Debug, Clone, Copy)]
pub struct Wanted<'a> {
    /// The unit (product, variation or grid), read in the caller's
    /// transaction.
    pub unit: &'a Sellable,
    /// How many units; the face checked `order::line_quantity`.
    pub quantity: i64,
}

/// One line named by SKU (`order/insert`, the demo).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    /// The unit's SKU (a type-1 product, a variation or a grid).
    pub sku: String,
    /// How many units.
    pub quantity: i64,
}

/// An order as placed: its id and its final fields (totals computed).
#[derive(Debug, Clone)]
pub struct Placed {
    /// The new order's id.
    pub id: OrderId,
    /// The fields written, `items_total`, `value` and
    /// `value_installments` set from the lines.
    pub fields: OrderFields,
}

/// How a unit may be sold now (core `sale_rule`), or
/// [`Refusal::Inactive`] naming its SKU. The cart refuses an inactive
/// unit with the same rule.
pub fn sale_rule(unit: &Sellable) -> Result<StockRule> {
    unit.sale_rule().map_err(|_| {
        Error::Shop(Refusal::Inactive {
            sku: unit.sku().to_owned(),
        })
    })
}

/// The items total of these lines at their units' current prices, or
/// [`Refusal::TooLarge`].
pub fn wanted_total(wanted: &[Wanted<'_>]) -> Result<i64> {
    items_total(wanted.iter().map(|w| {
        let (price, promo) = w.unit.prices();
        checked_line_total(price, promo, w.quantity)
    }))
    .ok_or(Error::Shop(Refusal::TooLarge))
}

/// Places an order for lines named by SKU: each SKU must be a sellable
/// unit of the store (else [`Error::NotFound`], before anything is taken),
/// then as [`place_units`].
pub async fn place(
    tx: &mut Tx,
    scope: ShopScope,
    fields: OrderFields,
    lines: &[Line],
) -> Result<Placed> {
    let mut units = Vec::with_capacity(lines.len());
    for line in lines {
        let unit = tx
            .stock()
            .sellable(scope, &line.sku)
            .await?
            .ok_or(Error::NotFound)?;
        units.push((unit, line.quantity));
    }
    let wanted: Vec<Wanted<'_>> = units
        .iter()
        .map(|(unit, quantity)| Wanted {
            unit,
            quantity: *quantity,
        })
        .collect();
    place_units(tx, scope, fields, &wanted).await
}

/// Places an order for these units in `tx`: refuses inactive units and a
/// total that cannot be summed, takes each unit's stock with one guarded
/// statement (never below zero on any number of nodes, unless the product
/// is sold regardless of stock), in `UnitRef` order (two orders listing
/// the same units differently cannot deadlock), writes the order with its
/// totals and its purchase-time line snapshots, and retains the units
/// (E23). An order that starts paid (`fields.status` a confirmed status)
/// has sold its units at once; one cannot start cancelled or refused.
/// Nothing is written unless the caller commits.
pub async fn place_units(
    tx: &mut Tx,
    scope: ShopScope,
    mut fields: OrderFields,
    wanted: &[Wanted<'_>],
) -> Result<Placed> {
    let status = Status::from_code(i64::from(fields.status)).ok_or_else(|| {
        Error::Invalid(vec![vitrine_core::FieldError::invalid(
            "status",
            "Status inválido.",
        )])
    })?;
    let effect = opening_effect(status).map_err(|e| Error::Shop(Refusal::Transition(e)))?;
    let items = wanted_total(wanted)?;
    let value = order_value(items, fields.shipping, fields.discount)
        .ok_or(Error::Shop(Refusal::TooLarge))?;
    let mut rules = Vec::with_capacity(wanted.len());
    for w in wanted {
        rules.push((w, sale_rule(w.unit)?));
    }
    rules.sort_by_key(|(w, _)| w.unit.unit);
    for (w, rule) in rules {
        if !tx
            .stock()
            .take(scope, w.unit.unit, w.quantity, rule)
            .await?
        {
            return Err(Error::Shop(Refusal::OutOfStock {
                sku: w.unit.sku().to_owned(),
            }));
        }
    }
    fields.items_total = items;
    fields.value = value;
    fields.value_installments = installment_value(fields.value, fields.installments);
    let lines: Vec<OrderLine> = wanted.iter().map(snapshot).collect();
    let id = tx.orders().insert(scope, &fields, &lines).await?;
    for w in wanted {
        tx.reviews()
            .insert_retention(scope, &retention(id, w))
            .await?;
    }
    apply_stock_effect(tx, scope, id, effect).await?;
    Ok(Placed { id, fields })
}

/// What happens to a sold order's units when it is cancelled or refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restock {
    /// They go back to stock (the default).
    Yes,
    /// They stay out (damaged, lost): Loja `restock=0`.
    No,
}

/// Changes an order's status in `tx`: locks the order (another store's id
/// is [`Error::NotFound`]), asks the core state machine
/// (`order::transition`; a refused move is [`Refusal::Transition`] and
/// nothing is written), consumes, releases or restocks its units and sets
/// the status. Returns the status it had. The one path for the Loja API
/// (E31) and the panel.
pub async fn change_status(
    tx: &mut Tx,
    scope: ShopScope,
    id: OrderId,
    to: Status,
    restock: Restock,
) -> Result<Status> {
    let from = tx
        .orders()
        .lock_status(scope, id)
        .await?
        .ok_or(Error::NotFound)?;
    let from = Status::from_code(i64::from(from)).ok_or_else(|| {
        Error::Internal(format!("stored order status {from} out of range").into())
    })?;
    let effect = match transition(from, to) {
        Ok(effect) if restock == Restock::Yes => effect,
        Ok(effect) => effect.keeping_sold_units(),
        Err(refused) => return Err(Error::Shop(Refusal::Transition(refused))),
    };
    apply_stock_effect(tx, scope, id, effect).await?;
    tx.orders().set_status(scope, id, to.code()).await?;
    Ok(from)
}

/// The purchase-time snapshot of a line (SH-OrderProduct).
fn snapshot(w: &Wanted<'_>) -> OrderLine {
    let u = w.unit;
    let p = &u.product;
    let (price, promo) = u.prices();
    let mut line = OrderLine {
        // The order's id is not known yet: `Orders::insert` writes it.
        order_id: OrderId::default(),
        product_id: Some(p.id),
        variation_id: None,
        grid_id: None,
        product_name: p.fields.name.clone(),
        sku: p.sku.clone(),
        variety: String::new(),
        variety_sku: String::new(),
        grid: String::new(),
        grid_sku: String::new(),
        line_type: p.product_type,
        price,
        promotional_price: Some(promo),
        quantity: w.quantity,
        multiple: p.fields.multiple,
        multiple_price: Some(p.fields.multiple_price),
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

/// The retention record of a line (E23): the units the order holds.
fn retention(order_id: OrderId, w: &Wanted<'_>) -> NewRetention {
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
