//! Reviews, related products and retained stock: E20 `findCommentsBySku`,
//! E21 `findRelatedBySku`, E23 `retainedstock`, and the extension
//! endpoints `product/insertcomment` and `product/linkrelated`
//! (docs/loja-extensions.md) that create what E20/E21 read (G-01).

use serde_json::Value;
use vitrine_store::reviews::NewComment;

use super::options::created_with_id;
use crate::dto::products::{CommentOut, RelatedProduct, RetentionOut};
use crate::endpoints::{Ctx, Reply};
use crate::{envelope, LojaError};

/// E20 `GET product/findCommentsBySku`: the product's reviews as an array
/// (decision 5), by date then id.
pub(crate) fn find_comments_by_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let not_found = || LojaError::not_found("Comments not found.");
        let sku = ctx.params.text("sku").ok_or_else(not_found)?;
        let mut conn = ctx.state.store.conn().await?;
        let id = conn
            .products()
            .find_id_by_sku(scope, &sku)
            .await?
            .ok_or_else(not_found)?;
        let comments = conn.reviews().comments_of(scope, id).await?;
        if comments.is_empty() {
            return Err(not_found());
        }
        let data: Vec<CommentOut> = comments.iter().map(CommentOut::from).collect();
        Ok(envelope::ok(&data))
    })
}

/// E21 `GET product/findRelatedBySku`: the products related to this one.
pub(crate) fn find_related_by_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let not_found = || LojaError::not_found("Related products not found.");
        let sku = ctx.params.text("sku").ok_or_else(not_found)?;
        let mut conn = ctx.state.store.conn().await?;
        let id = conn
            .products()
            .find_id_by_sku(scope, &sku)
            .await?
            .ok_or_else(not_found)?;
        let related = conn.reviews().related_of(scope, id).await?;
        if related.is_empty() {
            return Err(not_found());
        }
        let data: Vec<RelatedProduct> = related.iter().map(RelatedProduct::from).collect();
        Ok(envelope::ok(&data))
    })
}

/// E23 `GET product/retainedstock`: the store's retention records (written
/// by order creation); none is `200` with `[]`.
pub(crate) fn retained_stock(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let mut conn = ctx.state.store.conn().await?;
        let rows = conn.reviews().retentions(ctx.scope).await?;
        let data: Vec<RetentionOut> = rows.iter().map(RetentionOut::from).collect();
        Ok(envelope::ok(&data))
    })
}

/// Extension `POST product/insertcomment`: a review of the product `sku`
/// (`customer_name` required, `customer_email`, `rating` 1–5, `comment`).
pub(crate) fn insert_comment(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let p = &ctx.params;
        let not_found = || LojaError::not_found("Product not found");
        let sku = p.text("sku").ok_or_else(not_found)?;
        let customer_name = p
            .text("customer_name")
            .ok_or_else(|| LojaError::bad_request("Invalid customer_name"))?;
        let rating = p
            .int("rating")
            .filter(|r| (1..=5).contains(r))
            .ok_or_else(|| LojaError::bad_request("Invalid rating"))?;
        // The comment is kept verbatim, surrounding spaces included.
        let comment = match p.raw("comment") {
            Some(Value::String(text)) => text.clone(),
            _ => String::new(),
        };
        let new = NewComment {
            customer_name,
            customer_email: p.text("customer_email").unwrap_or_default(),
            rating,
            comment,
        };
        let mut tx = ctx.state.store.begin().await?;
        let id = tx
            .products()
            .find_id_by_sku(scope, &sku)
            .await?
            .ok_or_else(not_found)?;
        let comment_id = tx.reviews().insert_comment(scope, id, &new).await?;
        tx.commit().await?;
        Ok(created_with_id(comment_id))
    })
}

/// Extension `POST product/linkrelated`: relates `related_sku` to `sku`
/// (directional; relating twice is a no-op).
pub(crate) fn link_related(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let not_found = || LojaError::not_found("Product not found");
        let related_not_found = || LojaError::not_found("Related product not found");
        let sku = ctx.params.text("sku").ok_or_else(not_found)?;
        let related_sku = ctx
            .params
            .text("related_sku")
            .ok_or_else(related_not_found)?;
        let mut tx = ctx.state.store.begin().await?;
        let id = tx
            .products()
            .find_id_by_sku(scope, &sku)
            .await?
            .ok_or_else(not_found)?;
        let related = tx
            .products()
            .find_id_by_sku(scope, &related_sku)
            .await?
            .ok_or_else(related_not_found)?;
        if related == id {
            return Err(LojaError::bad_request(
                "A product cannot be related to itself",
            ));
        }
        tx.reviews().link_related(scope, id, related).await?;
        tx.commit().await?;
        Ok(envelope::created())
    })
}
