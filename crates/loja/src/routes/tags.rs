//! Tags (ecommloja-api.md §3.7, E54–E60), which tags apply to a product
//! (E22), and the extensions that link a tag to a product explicitly.

use chrono::Utc;
use vitrine_core::catalog::slug;
use vitrine_core::credentials::random_base62;
use vitrine_core::ids::{CategoryId, TagId};
use vitrine_core::tags::{applies, is_tag_type, ProductFacts, TagRule};
use vitrine_store::tags::{Tag, TagFields};

use crate::dto::catalog::TagOut;
use crate::endpoints::{Ctx, Reply};
use crate::error::OrMissing;
use crate::params::Params;
use crate::{envelope, LojaError};

fn bad(message: &str) -> LojaError {
    LojaError::bad_request(message)
}

fn rendered(tags: &[Tag]) -> Vec<TagOut> {
    tags.iter().map(TagOut::from).collect()
}

/// Overlays what was sent; `minimum_value` is stored as `minimum_price`.
fn apply(params: &Params, f: &mut TagFields) {
    for (name, field) in [
        ("name", &mut f.name),
        ("bg_color", &mut f.bg_color),
        ("txt_color", &mut f.txt_color),
    ] {
        if let Some(v) = params.text(name) {
            *field = v;
        }
    }
    if let Some(v) = params.int("days") {
        f.days = v;
    }
    if let Some(v) = params.money("minimum_value") {
        f.minimum_price = v;
    }
    if let Some(v) = params.flag("status") {
        f.status = v;
    }
}

/// E54 `POST /tag/insert` — url = slug(name), `-` + 3 random characters on
/// a collision (as the doc's `novidade-55i`).
pub(crate) fn insert(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let needed = || bad("Error. Tag Name and Tag Type Nedded");
        let name = ctx.params.text("name").ok_or_else(needed)?;
        let tag_type = ctx
            .params
            .int("tag_type")
            .filter(|t| is_tag_type(*t))
            .ok_or_else(needed)?;
        let mut fields = TagFields {
            name,
            status: true,
            ..TagFields::default()
        };
        apply(&ctx.params, &mut fields);
        let scope = ctx.scope;
        let mut tx = ctx.state.store.begin().await?;
        if tag_type == 6 {
            let category = ctx
                .params
                .int("category_id")
                .map(CategoryId)
                .ok_or_else(|| bad("Invalid Category"))?;
            if !tx.tags().category_exists(scope, category).await? {
                return Err(bad("Invalid Category"));
            }
            fields.category_id = category;
        }
        let base = slug(&fields.name);
        let mut url = base.clone();
        while tx.tags().url_taken(scope, &url).await? {
            url = format!("{base}-{}", random_base62(3).to_ascii_lowercase());
        }
        let code = i16::try_from(tag_type).map_err(|_| needed())?;
        tx.tags().insert(scope, &url, code, &fields).await?;
        tx.commit().await?;
        Ok(envelope::done())
    })
}

/// E55 `POST /tag/update` — the type never changes; 400 "Tag not Found".
pub(crate) fn update(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let not_found = || bad("Tag not Found");
        let id = ctx.params.int("tag_id").map(TagId).ok_or_else(not_found)?;
        let scope = ctx.scope;
        let mut tx = ctx.state.store.begin().await?;
        let tag = tx.tags().get(scope, id).await.or_missing(not_found)?;
        let mut fields = tag.fields.clone();
        apply(&ctx.params, &mut fields);
        if tag.tag_type == 6 {
            if let Some(category) = ctx.params.int("category_id").map(CategoryId) {
                if !tx.tags().category_exists(scope, category).await? {
                    return Err(bad("Invalid Category"));
                }
                fields.category_id = category;
            }
        }
        tx.tags().update(scope, id, &fields).await?;
        tx.commit().await?;
        Ok(envelope::done())
    })
}

/// E56 `GET /tag/findbycategory`.
pub(crate) fn find_by_category(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let invalid = || bad("Invalid Category");
        let category = ctx
            .params
            .int("category_id")
            .map(CategoryId)
            .ok_or_else(invalid)?;
        let mut conn = ctx.state.store.conn().await?;
        let tags = conn.tags().for_category(ctx.scope, category).await?;
        if tags.is_empty() {
            return Err(invalid());
        }
        Ok(envelope::ok(&rendered(&tags)))
    })
}

/// E57 `GET /tag/findbyname` — substring, ignoring case.
pub(crate) fn find_by_name(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let invalid = || bad("Invalid Tag Name");
        let name = ctx.params.text("name").ok_or_else(invalid)?;
        let mut conn = ctx.state.store.conn().await?;
        let tags = conn.tags().search_name(ctx.scope, &name).await?;
        if tags.is_empty() {
            return Err(invalid());
        }
        Ok(envelope::ok(&rendered(&tags)))
    })
}

/// E58 `GET /tag/findbyurl` — exact.
pub(crate) fn find_by_url(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let invalid = || bad("Invalid Tag Url");
        let url = ctx.params.text("url").ok_or_else(invalid)?;
        let mut conn = ctx.state.store.conn().await?;
        let tags = conn.tags().find_by_url(ctx.scope, &url).await?;
        if tags.is_empty() {
            return Err(invalid());
        }
        Ok(envelope::ok(&rendered(&tags)))
    })
}

/// E59 `GET /tag/findbyid` — an array of one.
pub(crate) fn find_by_id(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let invalid = || bad("Invalid Tag Id");
        let id = ctx.params.int("tag_id").map(TagId).ok_or_else(invalid)?;
        let mut conn = ctx.state.store.conn().await?;
        let tag = conn.tags().get(ctx.scope, id).await.or_missing(invalid)?;
        Ok(envelope::ok(&rendered(std::slice::from_ref(&tag))))
    })
}

/// E60 `POST /tag/delete` — with its product links.
pub(crate) fn delete(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let invalid = || bad("Invalid ID");
        let id = ctx.params.int("tag_id").map(TagId).ok_or_else(invalid)?;
        let mut tx = ctx.state.store.begin().await?;
        match tx.tags().delete(ctx.scope, id).await {
            Err(vitrine_store::Error::NotFound) => return Err(invalid()),
            other => other?,
        }
        tx.commit().await?;
        Ok(envelope::done())
    })
}

/// E22 `GET /product/findTagsBySku` — active tags linked to the product or
/// whose type rule matches it, by id.
pub(crate) fn find_tags_by_sku(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let sku = ctx
            .params
            .text("sku")
            .ok_or_else(|| bad("Invalid Product SKU"))?;
        let scope = ctx.scope;
        let mut conn = ctx.state.store.conn().await?;
        let product = conn
            .products()
            .find_by_sku(scope, &sku)
            .await?
            .ok_or_else(|| LojaError::not_found("Products not found."))?;
        let linked = conn.tags().linked_to(scope, product.id).await?;
        let facts = ProductFacts {
            registered: product.register_date,
            price: product.fields.price,
            promotional_price: product.fields.promotional_price,
            stock: product.fields.stock,
            // The core rule compares the ids as the wire gives them.
            categories: conn
                .tags()
                .product_categories(scope, product.id)
                .await?
                .into_iter()
                .map(|c| c.0)
                .collect(),
        };
        let now = Utc::now();
        let tags: Vec<Tag> = conn
            .tags()
            .active(scope)
            .await?
            .into_iter()
            .filter(|t| {
                let rule = TagRule {
                    tag_type: t.tag_type,
                    days: t.fields.days,
                    minimum_price: t.fields.minimum_price,
                    category_id: t.fields.category_id.0,
                };
                applies(&rule, &facts, linked.contains(&t.id), now)
            })
            .collect();
        if tags.is_empty() {
            return Err(LojaError::not_found("Tags not found."));
        }
        Ok(envelope::ok(&rendered(&tags)))
    })
}

/// Extension `POST /tag/linkproduct` (`product_sku`, `tag_id`): links a tag
/// to a product explicitly — the only way a type-1 tag applies. Errors:
/// 404 "Product not found", 400 "Invalid ID".
pub(crate) fn link_product(ctx: Ctx) -> Reply {
    Box::pin(async move { set_link(ctx, true).await })
}

/// Extension `POST /tag/unlinkproduct` (`product_sku`, `tag_id`).
pub(crate) fn unlink_product(ctx: Ctx) -> Reply {
    Box::pin(async move { set_link(ctx, false).await })
}

async fn set_link(ctx: Ctx, link: bool) -> Result<axum::response::Response, LojaError> {
    let not_found = || LojaError::not_found("Product not found");
    let sku = ctx.params.text("product_sku").ok_or_else(not_found)?;
    let tag_id = ctx
        .params
        .int("tag_id")
        .map(TagId)
        .ok_or_else(|| bad("Invalid ID"))?;
    let scope = ctx.scope;
    let mut tx = ctx.state.store.begin().await?;
    let product = tx
        .products()
        .find_id_by_sku(scope, &sku)
        .await?
        .ok_or_else(not_found)?;
    tx.tags()
        .get(scope, tag_id)
        .await
        .or_missing(|| bad("Invalid ID"))?;
    if link {
        tx.tags().link(scope, product, tag_id).await?;
    } else {
        tx.tags().unlink(scope, product, tag_id).await?;
    }
    tx.commit().await?;
    Ok(envelope::done())
}
