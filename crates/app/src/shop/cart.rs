//! The customer's cart as the shop sells it: each line with its unit as it
//! is now. The Loja face renders it (E64) and checkout ([`super::checkout`])
//! turns it into an order from the same lines.

use vitrine_core::ids::{CartId, ShopScope};
use vitrine_core::order::checked_line_total;
use vitrine_store::carts::CartLine;
use vitrine_store::stock::Sellable;
use vitrine_store::Db;

use crate::Result;

/// A cart line with its sellable unit as it is now.
#[derive(Debug, Clone)]
pub struct CartUnit {
    /// The line as stored.
    pub line: CartLine,
    /// Its unit, read now (prices, status, stock).
    pub unit: Sellable,
}

impl CartUnit {
    /// Effective unit price × quantity, centavos; `None` when it cannot be
    /// summed (`order::checked_line_total`).
    pub fn total(&self) -> Option<i64> {
        let (price, promo) = self.unit.prices();
        checked_line_total(price, promo, self.line.quantity)
    }
}

/// A cart's lines with their units; a line whose unit was deleted since is
/// left out (it can be neither shown nor sold).
pub async fn units(db: &mut Db<'_>, scope: ShopScope, cart_id: CartId) -> Result<Vec<CartUnit>> {
    let lines = db.reborrow().carts().lines(scope, cart_id).await?;
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if let Some(unit) = db.reborrow().stock().sellable(scope, &line.sku).await? {
            out.push(CartUnit { line, unit });
        }
    }
    Ok(out)
}
