//! E24 `POST product/bulkUpdate`: stock, price and promotional price of up
//! to 50 sellable units by SKU. Every row runs in its own transaction, so
//! one bad row never blocks the others; the answer is always `success:
//! true` with failed rows in `errors` and applied rows in `data`.

use axum::http::StatusCode;
use vitrine_app::shop::{catalog, Refusal};
use vitrine_core::catalog::{StockPriceChange, BULK_UPDATE_MAX};
use vitrine_core::ids::ShopScope;

use crate::dto::products::BulkRow;
use crate::endpoints::{Ctx, Reply};
use crate::error::CANNOT_UPDATE as CANNOT;
use crate::params::Item;
use crate::{envelope, LojaError, LojaState};

/// The outcome of one row: `code` and, on failure, its message.
async fn update_row(
    state: &LojaState,
    scope: ShopScope,
    sku: &str,
    item: Item<'_>,
) -> Result<(u16, Option<&'static str>), LojaError> {
    let mut tx = state.store.begin().await?;
    let Some(owner) = tx.products().sku_owner(scope, sku).await? else {
        return Ok((404, Some("Product not found")));
    };
    let Some(change) = StockPriceChange::parse(
        item.text("stock").as_deref(),
        item.text("price").as_deref(),
        item.text("promotional_price").as_deref(),
    ) else {
        return Ok((400, Some(CANNOT)));
    };
    match catalog::set_stock_prices(&mut tx, scope, sku, &owner, &change).await {
        Ok(()) => {}
        Err(vitrine_app::Error::Shop(Refusal::StockOnUnits { .. })) => {
            return Ok((400, Some(CANNOT)))
        }
        Err(e) => return Err(e.into()),
    }
    tx.commit().await?;
    Ok((200, None))
}

/// E24 handler.
pub(crate) fn bulk_update(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let inputs = ctx
            .params
            .list("inputs")
            .filter(|l| !l.is_empty())
            .ok_or_else(|| LojaError::bad_request("Invalid inputs"))?;
        if inputs.len() > BULK_UPDATE_MAX {
            return Err(LojaError::bad_request("Maximum of 50 records per request"));
        }
        let mut errors = Vec::new();
        let mut data = Vec::new();
        let mut rows: Vec<_> = inputs.into_iter().collect();
        rows.sort_by_key(|(k, _)| *k);
        for (key, item) in rows {
            let sku = item.text("sku");
            let outcome = match sku.as_deref() {
                None => (404, Some("Product not found")),
                Some(sku) => match update_row(&ctx.state, ctx.scope, sku, item).await {
                    Ok(outcome) => outcome,
                    Err(e) => {
                        // The row failed unexpectedly; the others still run.
                        tracing::error!(error = ?e, product_key = key, "bulk update row failed");
                        (500, None)
                    }
                },
            };
            let failed = (outcome.0 != 200).then(|| {
                outcome
                    .1
                    .map(|msg| vec![msg.to_owned()])
                    .unwrap_or_default()
            });
            let row = BulkRow {
                code: outcome.0,
                product_key: key,
                product_sku: sku,
                errors: failed,
            };
            if row.errors.is_some() {
                errors.push(row);
            } else {
                data.push(row);
            }
        }
        Ok(envelope::render(StatusCode::OK, true, &errors, &data))
    })
}
