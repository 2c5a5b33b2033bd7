//! The customer's cart (ecommloja-api.md §3.10): E64 `GET
//! cart/findcartbyhash`, the SH-CartProduct shape shared with E65, and the
//! extensions that fill a cart (docs/loja-extensions.md): `cart/addproduct`,
//! `cart/updatequantity`, `cart/removeproduct`. All need the customer JWT.

use vitrine_app::shop::cart::units;
use vitrine_app::shop::orders::sale_rule;
use vitrine_core::ids::{CartId, ShopScope};
use vitrine_core::order::{
    cart_hash, checked_line_total, items_total, line_quantity, MAX_LINE_QUANTITY, MAX_TOTAL,
};
use vitrine_store::carts::{Cart, CartLine};
use vitrine_store::stock::Sellable;
use vitrine_store::Db;

use crate::dto::shop::{CartOut, CartProduct};
use crate::endpoints::{Ctx, Reply};
use crate::jwt::CustomerAuth;
use crate::wire::ImageUrls;
use crate::{envelope, LojaError};

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
    /// `stipulated_price`: effective unit price × quantity, centavos;
    /// `None` when it cannot be summed (`order::checked_line_total`).
    pub fn total(&self) -> Option<i64> {
        let (price, promo) = self.unit.prices();
        checked_line_total(price, promo, self.line.quantity)
    }
}

/// The cart's items total; `None` when the lines cannot be summed.
pub(crate) fn cart_total(lines: &[LoadedLine]) -> Option<i64> {
    items_total(lines.iter().map(LoadedLine::total))
}

/// A total as shown: a cart whose prices rose past [`MAX_TOTAL`] after its
/// units were added shows the limit (never a wrapped, negative sum) and
/// cannot be checked out.
fn shown(total: Option<i64>) -> i64 {
    total.unwrap_or(MAX_TOTAL)
}

/// A cart's lines with their units, as checkout sells them
/// (`vitrine_app::shop::cart::units`: lines whose unit was deleted are
/// left out), each with its main image.
pub(crate) async fn load_lines(
    db: &mut Db<'_>,
    scope: ShopScope,
    cart_id: CartId,
) -> Result<Vec<LoadedLine>, LojaError> {
    let lines = units(db, scope, cart_id).await?;
    let mut out = Vec::with_capacity(lines.len());
    for vitrine_app::shop::cart::CartUnit { line, unit } in lines {
        let images = db
            .reborrow()
            .images()
            .for_product(scope, unit.product.id)
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
pub(crate) fn render_line(urls: &ImageUrls, l: &LoadedLine) -> CartProduct {
    CartProduct::new(urls, &l.line, &l.unit, &l.image, shown(l.total()))
}

/// E64's `data`: the cart, its lines and `price` (a float).
fn render_cart(urls: &ImageUrls, cart: &Cart, lines: &[LoadedLine]) -> CartOut {
    CartOut::new(
        cart,
        lines.iter().map(|l| render_line(urls, l)).collect(),
        shown(cart_total(lines)),
    )
}

/// The cart's lines after a write, or 400 `"Invalid quantity"` when they
/// can no longer be summed (the caller drops its transaction: nothing is
/// written).
async fn summed_lines(
    db: &mut Db<'_>,
    scope: ShopScope,
    cart_id: CartId,
) -> Result<Vec<LoadedLine>, LojaError> {
    let lines = load_lines(db, scope, cart_id).await?;
    cart_total(&lines).ok_or_else(invalid_quantity)?;
    Ok(lines)
}

/// E64 `GET cart/findcartbyhash`: an open cart of the JWT's customer by
/// `hash`; another customer's cart, a closed or unknown one is 401
/// `"Cart not found"`.
pub(crate) fn find_cart_by_hash(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let who = customer_of(&ctx)?;
        let scope = who.store;
        let hash = ctx.params.text("hash").ok_or_else(cart_not_found)?;
        let mut conn = ctx.state.store.conn().await?;
        let cart = conn
            .carts()
            .open_by_hash(scope, &hash)
            .await?
            .filter(|c| c.customer_id == who.customer_id)
            .ok_or_else(cart_not_found)?;
        let lines = load_lines(&mut conn.db(), scope, cart.id).await?;
        Ok(envelope::ok(&render_cart(&ctx.image_urls(), &cart, &lines)))
    })
}

/// 404 `"Product not found"`: no sellable unit has the SKU.
fn product_not_found() -> LojaError {
    LojaError::not_found("Product not found")
}

/// 400 `"Invalid quantity"`.
fn invalid_quantity() -> LojaError {
    LojaError::bad_request("Invalid quantity")
}

/// The quantity sent: 1 to [`MAX_LINE_QUANTITY`] (default 1 when
/// `allow_default`).
fn quantity(ctx: &Ctx, allow_default: bool) -> Result<i64, LojaError> {
    match ctx.params.int("quantity") {
        Some(q) => line_quantity(q).ok_or_else(invalid_quantity),
        None if allow_default && ctx.params.text("quantity").is_none() => Ok(1),
        None => Err(invalid_quantity()),
    }
}

/// Extension `POST cart/addproduct` (`sku`, `quantity` = 1): adds units of
/// a type-1 product, a variation or a grid to the customer's open cart,
/// opening one if needed. Stock is not checked here (the doc's cart holds
/// 15 units of a stock of 10); checkout checks it. An inactive unit is
/// refused; a line holds at most [`MAX_LINE_QUANTITY`] units and the cart
/// must stay summable (400 `"Invalid quantity"`, nothing written).
/// Answers the cart (E64's shape).
pub(crate) fn add_product(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let who = customer_of(&ctx)?;
        let scope = who.store;
        let sku = ctx.params.text("sku").ok_or_else(product_not_found)?;
        let qty = quantity(&ctx, true)?;
        let mut tx = ctx.state.store.begin().await?;
        let unit = tx
            .stock()
            .sellable(scope, &sku)
            .await?
            .ok_or_else(product_not_found)?;
        // An inactive unit is refused as checkout refuses it.
        sale_rule(&unit)?;
        let cart = tx
            .carts()
            .open_or_create(scope, who.customer_id, &cart_hash())
            .await?;
        if !tx
            .carts()
            .add(scope, cart.id, &unit, qty, MAX_LINE_QUANTITY)
            .await?
        {
            return Err(invalid_quantity());
        }
        let lines = summed_lines(&mut tx.db(), scope, cart.id).await?;
        tx.commit().await?;
        Ok(envelope::ok(&render_cart(&ctx.image_urls(), &cart, &lines)))
    })
}

/// Extension `POST cart/updatequantity` (`sku`, `quantity` 1 to
/// [`MAX_LINE_QUANTITY`]); an inactive unit is refused.
pub(crate) fn update_quantity(ctx: Ctx) -> Reply {
    Box::pin(async move { change_line(ctx, true).await })
}

/// Extension `POST cart/removeproduct` (`sku`).
pub(crate) fn remove_product(ctx: Ctx) -> Reply {
    Box::pin(async move { change_line(ctx, false).await })
}

async fn change_line(ctx: Ctx, set: bool) -> Result<axum::response::Response, LojaError> {
    let who = customer_of(&ctx)?;
    let scope = who.store;
    let sku = ctx.params.text("sku").ok_or_else(product_not_found)?;
    let qty = if set { quantity(&ctx, false)? } else { 0 };
    let mut tx = ctx.state.store.begin().await?;
    let cart = tx
        .carts()
        .open_of(scope, who.customer_id)
        .await?
        .ok_or_else(cart_not_found)?;
    let changed = if set {
        tx.carts().set_quantity(scope, cart.id, &sku, qty).await?
    } else {
        tx.carts().remove(scope, cart.id, &sku).await?
    };
    if !changed {
        return Err(product_not_found());
    }
    if set {
        // More of an inactive unit is refused (the transaction is dropped).
        if let Some(unit) = tx.stock().sellable(scope, &sku).await? {
            sale_rule(&unit)?;
        }
    }
    let lines = if set {
        summed_lines(&mut tx.db(), scope, cart.id).await?
    } else {
        load_lines(&mut tx.db(), scope, cart.id).await?
    };
    tx.commit().await?;
    Ok(envelope::ok(&render_cart(&ctx.image_urls(), &cart, &lines)))
}
