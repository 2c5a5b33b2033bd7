//! The catalogue's writes that carry a rule of their own: a sellable
//! unit's stock and prices, changed by `product/bulkUpdate` (E24) and by
//! the panel's unit form on a product's page.

use vitrine_core::catalog::{ProductType, StockPriceChange};
use vitrine_core::ids::ShopScope;
use vitrine_store::products::{SkuKind, SkuOwner};
use vitrine_store::Tx;

use super::Refusal;
use crate::{Error, Result};

/// Sets the stock and prices `change` gives (a `None` keeps the value) of
/// the unit `sku` names: a simple product, or a variation or grid. A
/// product with variations or grids has no stock of its own — its units
/// do (E24) — so its SKU is refused with [`Refusal::StockOnUnits`], even
/// for an empty change, and nothing is written.
pub async fn set_stock_prices(
    tx: &mut Tx,
    scope: ShopScope,
    sku: &str,
    owner: &SkuOwner,
    change: &StockPriceChange,
) -> Result<()> {
    match owner.kind {
        SkuKind::Product => {
            let product = tx.products().get(scope, owner.product_id).await?;
            if product.product_type != ProductType::Simple {
                return Err(Error::Shop(Refusal::StockOnUnits {
                    sku: sku.to_owned(),
                }));
            }
            if !change.is_empty() {
                tx.products()
                    .set_stock_prices(scope, product.id, change)
                    .await?;
            }
        }
        SkuKind::Variation | SkuKind::Grid => {
            if !change.is_empty() {
                let grid = owner.kind == SkuKind::Grid;
                tx.variations()
                    .set_stock_prices(scope, sku, grid, change)
                    .await?;
            }
        }
    }
    Ok(())
}
