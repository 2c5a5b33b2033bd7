//! The customer's cart (ecommloja-api.md §3.10): E64 `GET
//! cart/findcartbyhash`, the SH-CartProduct shape shared with E65, and the
//! extensions that fill a cart (docs/loja-extensions.md): `cart/addproduct`,
//! `cart/updatequantity`, `cart/removeproduct`. All need the customer JWT.

use serde_json::{json, Map, Value};
use vitrine_core::catalog::{format_money, format_money_short, format_weight};
use vitrine_core::ids::{AccountId, StoreId};
use vitrine_core::order::{cart_hash, cents_to_f64, line_total};
use vitrine_store::carts::{Cart, CartLine};
use vitrine_store::stock::Sellable;
use vitrine_store::Db;

use super::products::s;
use crate::endpoints::{Ctx, Reply};
use crate::jwt::CustomerAuth;
use crate::{envelope, wire, LojaError};

/// 401 `"Cart not found"` (E63, E64).
pub(crate) fn cart_not_found() -> LojaError {
    LojaError::new(axum::http::StatusCode::UNAUTHORIZED, "Cart not found")
}

/// The customer of a JWT endpoint (the dispatcher verified it).
pub(crate) fn customer_of(ctx: &Ctx) -> Result<CustomerAuth, LojaError> {
    ctx.customer.ok_or(LojaError::InvalidToken)
}

/// A cart line with its sellable unit as it is now.
pub(crate) struct LoadedLine {
    pub line: CartLine,
    pub unit: Sellable,
    /// The product's main image path, `""` if none.
    pub image: String,
}

impl LoadedLine {
    /// `stipulated_price`: effective unit price × quantity, centavos.
    pub fn total(&self) -> i64 {
        let (price, promo) = self.unit.prices();
        line_total(price, promo, self.line.quantity)
    }
}

/// A cart's lines with their units; lines whose unit was deleted are left out.
pub(crate) async fn load_lines(
    db: &mut Db<'_>,
    account: AccountId,
    store: StoreId,
    cart_id: i64,
) -> Result<Vec<LoadedLine>, LojaError> {
    let lines = db.reborrow().carts().lines(account, store, cart_id).await?;
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let Some(unit) = db
            .reborrow()
            .stock()
            .sellable(account, store, &line.sku)
            .await?
        else {
            continue;
        };
        let images = db
            .reborrow()
            .images()
            .for_product(account, store, unit.product.id)
            .await?;
        let image = images
            .iter()
            .find(|i| i.main)
            .or_else(|| images.first())
            .map(|i| i.image.clone())
            .unwrap_or_default();
        out.push(LoadedLine { line, unit, image });
    }
    Ok(out)
}

/// SH-CartProduct (L4621–4645).
pub(crate) fn render_line(l: &LoadedLine) -> Value {
    let p = &l.unit.product;
    let mut m = Map::new();
    m.insert("id".into(), s(p.id));
    m.insert("cart_p_id".into(), s(l.line.id));
    m.insert("name".into(), s(&p.fields.name));
    m.insert("type".into(), s(p.product_type));
    m.insert("status".into(), s(wire::flag(p.fields.status)));
    m.insert("quantity".into(), s(l.line.quantity));
    match (&l.unit.variation, &l.unit.grid) {
        (Some(v), _) => {
            let u = &v.unit;
            m.insert(
                "variety".into(),
                json!({
                    "variety_id": s(v.variety_id), "sku": u.sku, "name": v.variety_name,
                    "price": format_money_short(u.price),
                    "promotional_price": format_money(u.promotional_price),
                    "stock": s(u.stock), "weight": format_weight(u.weight), "height": s(u.height),
                    "length": s(u.length), "width": s(u.width), "status": wire::flag(u.status),
                    "product_id": s(v.product_id), "configurable_product_id": s(v.id),
                }),
            );
        }
        (_, Some(g)) => {
            let u = &g.unit;
            m.insert("variety".into(), Value::Array(Vec::new()));
            m.insert(
                "grid".into(),
                json!({
                    "grid_id": s(g.grid_id), "variety_id": s(g.variety_id), "sku": u.sku,
                    "variety_name": g.variety_name, "grid_name": g.grid_name,
                    "price": format_money(u.price), "promotional_price": format_money(u.promotional_price),
                    "stock": s(u.stock), "weight": format_weight(u.weight), "height": s(u.height),
                    "length": s(u.length), "width": s(u.width), "status": wire::flag(u.status),
                    "product_id": s(g.product_id), "grid_product_id": s(g.id),
                }),
            );
        }
        _ => {
            m.insert("variety".into(), Value::Array(Vec::new()));
        }
    }
    m.insert("product_images".into(), s(&l.image));
    m.insert("stipulated_price".into(), json!(cents_to_f64(l.total())));
    Value::Object(m)
}

/// E64's `data`: the cart, its lines and `price` (a float).
fn render_cart(cart: &Cart, lines: &[LoadedLine]) -> Value {
    let total: i64 = lines.iter().map(LoadedLine::total).sum();
    json!({
        "id": s(cart.id),
        "hash": cart.hash,
        "user_id": s(cart.customer_id),
        "date_register": wire::datetime(cart.date_register),
        "products": lines.iter().map(render_line).collect::<Vec<_>>(),
        "price": price_value(total),
    })
}

/// A float money field: `0` (integer, as the doc shows an empty cart) or the float.
pub(crate) fn price_value(cents: i64) -> Value {
    if cents == 0 {
        json!(0)
    } else {
        json!(cents_to_f64(cents))
    }
}

/// E64 `GET cart/findcartbyhash`: an open cart of the JWT's customer by
/// `hash`; another customer's cart, a closed or unknown one is 401
/// `"Cart not found"`.
pub(crate) fn find_cart_by_hash(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let who = customer_of(&ctx)?;
        let (a, st) = (who.store.account_id, who.store.store_id);
        let hash = ctx.params.text("hash").ok_or_else(cart_not_found)?;
        let mut conn = ctx.state.store.conn().await?;
        let cart = conn
            .carts()
            .open_by_hash(a, st, &hash)
            .await?
            .filter(|c| c.customer_id == who.customer_id)
            .ok_or_else(cart_not_found)?;
        let lines = load_lines(&mut conn.db(), a, st, cart.id).await?;
        Ok(envelope::ok(&render_cart(&cart, &lines)))
    })
}

/// 404 `"Product not found"`: no sellable unit has the SKU.
fn product_not_found() -> LojaError {
    LojaError::not_found("Product not found")
}

/// The quantity sent: a positive integer (default 1 when `allow_default`).
fn quantity(ctx: &Ctx, allow_default: bool) -> Result<i64, LojaError> {
    match ctx.params.int("quantity") {
        Some(q) if q > 0 => Ok(q),
        None if allow_default && ctx.params.text("quantity").is_none() => Ok(1),
        _ => Err(LojaError::bad_request("Invalid quantity")),
    }
}

/// Extension `POST cart/addproduct` (`sku`, `quantity` = 1): adds units of
/// a type-1 product, a variation or a grid to the customer's open cart,
/// opening one if needed. Stock is not checked here (the doc's cart holds
/// 15 units of a stock of 10); checkout checks it. Answers the cart (E64's shape).
pub(crate) fn add_product(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let who = customer_of(&ctx)?;
        let (a, st) = (who.store.account_id, who.store.store_id);
        let sku = ctx.params.text("sku").ok_or_else(product_not_found)?;
        let qty = quantity(&ctx, true)?;
        let mut tx = ctx.state.store.begin().await?;
        let unit = tx
            .stock()
            .sellable(a, st, &sku)
            .await?
            .ok_or_else(product_not_found)?;
        let cart = tx
            .carts()
            .open_or_create(a, st, who.customer_id, &cart_hash())
            .await?;
        tx.carts().add(a, st, cart.id, &unit, qty).await?;
        let lines = load_lines(&mut tx.db(), a, st, cart.id).await?;
        tx.commit().await?;
        Ok(envelope::ok(&render_cart(&cart, &lines)))
    })
}

/// Extension `POST cart/updatequantity` (`sku`, `quantity` ≥ 1).
pub(crate) fn update_quantity(ctx: Ctx) -> Reply {
    Box::pin(async move { change_line(ctx, true).await })
}

/// Extension `POST cart/removeproduct` (`sku`).
pub(crate) fn remove_product(ctx: Ctx) -> Reply {
    Box::pin(async move { change_line(ctx, false).await })
}

async fn change_line(ctx: Ctx, set: bool) -> Result<axum::response::Response, LojaError> {
    let who = customer_of(&ctx)?;
    let (a, st) = (who.store.account_id, who.store.store_id);
    let sku = ctx.params.text("sku").ok_or_else(product_not_found)?;
    let qty = if set { quantity(&ctx, false)? } else { 0 };
    let mut tx = ctx.state.store.begin().await?;
    let cart = tx
        .carts()
        .open_of(a, st, who.customer_id)
        .await?
        .ok_or_else(cart_not_found)?;
    let changed = if set {
        tx.carts().set_quantity(a, st, cart.id, &sku, qty).await?
    } else {
        tx.carts().remove(a, st, cart.id, &sku).await?
    };
    if !changed {
        return Err(product_not_found());
    }
    let lines = load_lines(&mut tx.db(), a, st, cart.id).await?;
    tx.commit().await?;
    Ok(envelope::ok(&render_cart(&cart, &lines)))
}
