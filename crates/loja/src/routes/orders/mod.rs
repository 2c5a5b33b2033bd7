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
use serde_json::{json, Map, Value};
use vitrine_core::catalog::{format_money, format_money_short, format_weight};
use vitrine_core::ids::{OrderId, ShopScope};
use vitrine_core::time_zone::TimeZone;
use vitrine_store::customers::Customer;
use vitrine_store::orders::{Order, OrderFilter, OrderLine};
use vitrine_store::stock::Sellable;
use vitrine_store::{Db, Optional};

use super::products::s;
use crate::endpoints::{Ctx, Reply};
use crate::error::OrMissing;
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
    scope: ShopScope,
    order: &Order,
    lines: &[OrderLine],
    with_id: bool,
) -> Result<Value, LojaError> {
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
        Ok(envelope::ok(&Value::Array(data)))
    })
}
