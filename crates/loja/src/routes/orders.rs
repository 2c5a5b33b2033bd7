//! Orders (ecommloja-api.md §3.3): E29 `order/findbyid`, E30
//! `order/findbyfilter`, E31 `order/changestatus` with the stock-retention
//! transitions of E23, and the `order/insert` extension for orders that
//! come from other channels (docs/loja-extensions.md).

use axum::http::StatusCode;
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::{json, Map, Value};
use vitrine_core::catalog::{format_money, format_money_short, format_weight};
use vitrine_core::ids::{AccountId, StoreId};
use vitrine_core::order::{line_total, transition, Status, StockEffect, StockPhase};
use vitrine_store::customers::Customer;
use vitrine_store::orders::{Order, OrderFields, OrderFilter, OrderLine};
use vitrine_store::stock::Sellable;
use vitrine_store::{Db, Tx};

use super::placement::{place, Wanted};
use super::products::options::created_with_id;
use super::products::s;
use crate::endpoints::{Ctx, Reply};
use crate::{envelope, wire, LojaError};

/// The current measures of a line's unit; a deleted unit shows zeros (E29).
fn measures(unit: Option<&Sellable>) -> (String, String, String, String, String) {
    let Some(u) = unit else {
        let zero = || "0".to_owned();
        return (zero(), format_weight(0), zero(), zero(), zero());
    };
    let (stock, weight, height, length, width) = match (&u.variation, &u.grid) {
        (Some(v), _) => (
            v.unit.stock,
            v.unit.weight,
            v.unit.height,
            v.unit.length,
            v.unit.width,
        ),
        (_, Some(g)) => (
            g.unit.stock,
            g.unit.weight,
            g.unit.height,
            g.unit.length,
            g.unit.width,
        ),
        _ => {
            let f = &u.product.fields;
            (f.stock, f.weight, f.height, f.length, f.width)
        }
    };
    (
        stock.to_string(),
        format_weight(weight),
        height.to_string(),
        length.to_string(),
        width.to_string(),
    )
}

/// SH-OrderProduct (L2316–2330): the snapshot plus the unit's current stock and measures.
fn render_line(l: &OrderLine, unit: Option<&Sellable>) -> Value {
    let (stock, weight, height, length, width) = measures(unit);
    let money_or_null = |v: Option<i64>| v.map_or(Value::Null, |c| s(format_money(c)));
    let mut m = Map::new();
    m.insert("product_name".into(), s(&l.product_name));
    m.insert("sku".into(), s(&l.sku));
    m.insert("price".into(), s(format_money(l.price)));
    m.insert(
        "promotional_price".into(),
        money_or_null(l.promotional_price),
    );
    m.insert("stock".into(), s(stock));
    m.insert("weight".into(), s(weight));
    m.insert("height".into(), s(height));
    m.insert("length".into(), s(length));
    m.insert("width".into(), s(width));
    m.insert("type".into(), s(l.line_type));
    m.insert("quantity".into(), s(l.quantity));
    m.insert("multiple".into(), s(wire::flag(l.multiple)));
    m.insert("multiple_price".into(), money_or_null(l.multiple_price));
    if !l.grid_sku.is_empty() {
        m.insert("variety".into(), s(&l.variety));
        m.insert("grid".into(), s(&l.grid));
        m.insert("grid_sku".into(), s(&l.grid_sku));
    } else if !l.variety_sku.is_empty() {
        m.insert("variety".into(), s(&l.variety));
        m.insert("variety_sku".into(), s(&l.variety_sku));
    }
    Value::Object(m)
}

/// The `customer` object of SH-Order: the current customer record.
fn render_customer(c: Option<&Customer>) -> Value {
    let Some(c) = c else {
        return json!({});
    };
    let f = &c.fields;
    json!({
        "name": f.name, "type": s(f.customer_type), "company_name": f.company_name, "cpf": f.cpf,
        "rg": f.rg, "cnpj": f.cnpj, "gender": f.gender, "birth_date": f.birth_date,
        "establish_date": f.establish_date, "cellphone": f.cellphone, "telephone": f.telephone,
        "email": f.email, "cep": f.cep, "street": f.street, "number": f.number,
        "address_details": f.address_details, "neighborhood": f.neighborhood, "city": f.city,
        "state": f.state, "country": f.country, "note": f.note, "status": wire::flag(f.status),
    })
}

/// SH-Order (L2263–2333); `with_id` adds `"id"` after `"error"` (E30).
async fn render_order(
    db: &mut Db<'_>,
    account: AccountId,
    store: StoreId,
    order: &Order,
    lines: &[OrderLine],
    with_id: bool,
) -> Result<Value, LojaError> {
    let f = &order.fields;
    let customer = db
        .reborrow()
        .customers()
        .get(account, store, f.customer_id)
        .await?;
    let mut products = Vec::with_capacity(lines.len());
    for l in lines {
        let unit_sku = [&l.grid_sku, &l.variety_sku, &l.sku]
            .into_iter()
            .find(|sku| !sku.is_empty())
            .cloned()
            .unwrap_or_default();
        let unit = db
            .reborrow()
            .stock()
            .sellable(account, store, &unit_sku)
            .await?;
        products.push(render_line(l, unit.as_ref()));
    }
    let mut m = Map::new();
    m.insert("value".into(), s(format_money_short(f.value)));
    m.insert("status".into(), s(f.status));
    m.insert("payment_method".into(), s(f.payment_method));
    m.insert("payment_mode".into(), s(f.payment_mode));
    m.insert("discount".into(), s(format_money(f.discount)));
    m.insert("date".into(), s(wire::datetime(f.date)));
    m.insert("shipping".into(), s(format_money(f.shipping)));
    m.insert("estimated_delivery".into(), s(&f.estimated_delivery));
    m.insert("tracking_code".into(), s(&f.tracking_code));
    m.insert("tracking_link".into(), s(&f.tracking_link));
    m.insert("note".into(), s(&f.note));
    m.insert("delivery_note".into(), s(&f.delivery_note));
    m.insert("delivery_type".into(), json!(f.delivery_name));
    m.insert("installments".into(), s(f.installments));
    m.insert(
        "value_installments".into(),
        s(format_money(f.value_installments)),
    );
    m.insert("currency".into(), s(&f.currency));
    m.insert("currency_symbol".into(), s(&f.currency_symbol));
    m.insert(
        "order_address".into(),
        json!({
            "cep": f.cep, "street": f.street, "number": f.number, "address_details": f.address_details,
            "neighborhood": f.neighborhood, "city": f.city, "state": f.state, "country": f.country,
        }),
    );
    m.insert("customer".into(), render_customer(customer.as_ref()));
    m.insert("products".into(), Value::Array(products));
    m.insert("error".into(), Value::Array(Vec::new()));
    if with_id {
        m.insert("id".into(), s(order.id));
    }
    Ok(Value::Object(m))
}

/// E29 `GET order/findbyid` (`id`): 404 `"Order not found[<id>]"`.
pub(crate) fn find_by_id(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let (a, st) = (ctx.auth.account_id, ctx.auth.store_id);
        let raw = ctx.params.text("id").unwrap_or_default();
        let not_found = || LojaError::not_found(format!("Order not found[{raw}]"));
        let id = ctx.params.int("id").ok_or_else(not_found)?;
        let mut conn = ctx.state.store.conn().await?;
        let order = conn.orders().get(a, st, id).await?.ok_or_else(not_found)?;
        let lines = conn.orders().lines_of(a, st, &[id]).await?;
        let data = render_order(&mut conn.db(), a, st, &order, &lines, false).await?;
        Ok(envelope::ok(&data))
    })
}

/// A store-local date filter as a UTC bound: a date means its midnight
/// (`end` = the next midnight), a datetime itself (`end` = the next second).
fn local_bound(raw: Option<String>, end: bool) -> Option<chrono::DateTime<chrono::Utc>> {
    let text = raw?;
    let text = text.trim();
    let (at, step) = match NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S") {
        Ok(t) => (t, chrono::Duration::seconds(1)),
        Err(_) => (
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()?
                .and_hms_opt(0, 0, 0)?,
            chrono::Duration::days(1),
        ),
    };
    Some(wire::from_local(if end { at + step } else { at }))
}

/// E30 `GET order/findbyfilter`: by `date_start`, `date_end`, `status`,
/// `payment_method` (AND, ascending id, at most 500); none → the last 50.
pub(crate) fn find_by_filter(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let (a, st) = (ctx.auth.account_id, ctx.auth.store_id);
        let p = &ctx.params;
        let filter = OrderFilter {
            from: local_bound(p.text("date_start"), false),
            until: local_bound(p.text("date_end"), true),
            status: p.int("status").and_then(|c| i16::try_from(c).ok()),
            payment_method: p.int("payment_method"),
        };
        let mut conn = ctx.state.store.conn().await?;
        let orders = conn.orders().filter(a, st, &filter).await?;
        if orders.is_empty() {
            return Err(LojaError::not_found("Orders not found"));
        }
        let ids: Vec<i64> = orders.iter().map(|o| o.id).collect();
        let lines = conn.orders().lines_of(a, st, &ids).await?;
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
            data.push(render_order(&mut conn.db(), a, st, order, &mine, true).await?);
        }
        Ok(envelope::ok(&Value::Array(data)))
    })
}

/// Applies a status change's stock effect to the order's retention records.
async fn apply_effect(
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
        for held in tx.orders().held_by(account, store, order_id).await? {
            // A unit deleted since is simply dropped (E23).
            if let Some(unit) = held.unit() {
                tx.stock()
                    .give_back(account, store, unit, held.stock)
                    .await?;
            }
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

/// Extension `POST order/insert`: an order from another channel for
/// customer `customer_id`, lines `items[n][sku]`/`items[n][quantity]`,
/// optional `shipping`, `discount`, `status` (1 default; a paid status
/// consumes at once; 4 and 8 are refused), `payment_method`,
/// `payment_mode`, `delivery_type` (name), `estimated_delivery`, `note`,
/// `channel`. Stock is taken and retained as at checkout. 201 with `id`.
pub(crate) fn insert_order(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let (a, st) = (ctx.auth.account_id, ctx.auth.store_id);
        let p = &ctx.params;
        let status = match p.int("status") {
            None => Status::AWAITING_PAYMENT,
            Some(code) => Status::from_code(code)
                .filter(|s| s.stock_phase() != StockPhase::Released)
                .ok_or_else(|| LojaError::bad_request("Invalid status"))?,
        };
        let mut items = Vec::new();
        for (_, item) in p.list("items").unwrap_or_default() {
            let sku = item.text("sku").unwrap_or_default();
            let quantity = item.int("quantity").unwrap_or(1);
            if sku.is_empty() || quantity <= 0 {
                return Err(LojaError::bad_request("Invalid items"));
            }
            items.push((sku, quantity));
        }
        if items.is_empty() {
            return Err(LojaError::bad_request("Invalid items"));
        }
        let customer_id = p
            .int("customer_id")
            .ok_or_else(|| LojaError::not_found("Customer not found"))?;
        let mut tx = ctx.state.store.begin().await?;
        let customer = tx
            .customers()
            .get(a, st, customer_id)
            .await?
            .ok_or_else(|| LojaError::not_found("Customer not found"))?;
        let mut units = Vec::with_capacity(items.len());
        for (sku, quantity) in &items {
            let unit = tx
                .stock()
                .sellable(a, st, sku)
                .await?
                .ok_or_else(|| LojaError::not_found("Product not found"))?;
            units.push((unit, *quantity));
        }
        let items_total: i64 = units
            .iter()
            .map(|(u, q)| {
                let (price, promo) = u.prices();
                line_total(price, promo, *q)
            })
            .sum();
        let c = &customer.fields;
        let text = |k: &str, default: &str| p.text(k).unwrap_or_else(|| default.to_owned());
        let fields = OrderFields {
            customer_id,
            date: vitrine_store::now(),
            shipping: p.money("shipping").unwrap_or(0).max(0),
            discount: p.money("discount").unwrap_or(0).max(0),
            status: status.code(),
            payment_method: p.int("payment_method").unwrap_or(0),
            payment_mode: p.int("payment_mode").unwrap_or(0),
            estimated_delivery: text("estimated_delivery", ""),
            note: text("note", ""),
            delivery_name: p.text("delivery_type"),
            installments: p.int("installments").filter(|n| *n > 0).unwrap_or(0),
            currency: "BRL".to_owned(),
            currency_symbol: "R$".to_owned(),
            cep: text("cep", &c.cep),
            street: text("street", &c.street),
            number: text("number", &c.number),
            address_details: text("address_details", &c.address_details),
            neighborhood: text("neighborhood", &c.neighborhood),
            city: text("city", &c.city),
            state: text("state", &c.state),
            country: text("country", &c.country),
            channel: text("channel", "api"),
            ..OrderFields::default()
        };
        let wanted: Vec<Wanted<'_>> = units
            .iter()
            .map(|(unit, quantity)| Wanted {
                unit,
                quantity: *quantity,
            })
            .collect();
        let (id, _) = place(&mut tx, a, st, fields, &wanted, items_total).await?;
        // An order that arrives paid has sold its units already.
        let effect = transition(Status::AWAITING_PAYMENT, status)
            .map_err(|e| LojaError::new(StatusCode::BAD_REQUEST, e.to_string()))?;
        apply_effect(&mut tx, a, st, id, effect).await?;
        tx.commit().await?;
        Ok(created_with_id(id))
    })
}
