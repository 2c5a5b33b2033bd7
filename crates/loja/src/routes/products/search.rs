//! Extension `GET /product/search` (docs/loja-extensions.md): products whose
//! name contains every word of `q`, ignoring case and accents, 20 a page.

use crate::dto::products::ProductShape;
use crate::endpoints::{Ctx, Reply};
use crate::{envelope, LojaError};
use axum::http::StatusCode;

/// Rows per page, as E01.
const PAGE_SIZE: i64 = 20;

/// `q` (required), `offset` (zero-based page, default 0), `min` (basic or
/// full shape, as `findbysku`; basic by default).
pub(crate) fn search(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let query = ctx
            .params
            .text("q")
            .ok_or_else(|| LojaError::new(StatusCode::BAD_REQUEST, "Invalid search"))?;
        let page = ctx.params.int("offset").filter(|p| *p >= 0).unwrap_or(0);
        let min = ctx.params.int("min") != Some(0);
        let mut conn = ctx.state.store.conn().await?;
        let found = conn
            .products()
            .search(
                ctx.scope,
                &query,
                PAGE_SIZE,
                // A huge `offset` is a page past the end, not an overflow.
                page.saturating_mul(PAGE_SIZE),
            )
            .await?;
        if found.is_empty() {
            return Err(LojaError::not_found("Product not found"));
        }
        let rows: Vec<ProductShape> = found.iter().map(|p| ProductShape::of(p, min)).collect();
        Ok(envelope::ok(&rows))
    })
}
