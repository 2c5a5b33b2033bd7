//! Categories and subcategories (ecommloja-api.md §3.4, E32–E36).

use vitrine_core::catalog::slug;
use vitrine_core::ids::{CategoryId, ProductId, SubcategoryId};
use vitrine_store::categories::{CategoryFields, CategoryKind, CategoryRef};
use vitrine_store::Optional;

use crate::dto::catalog::{
    AnyCategory, CategoryFamily, CategoryMatch, SubcategoryFamily, SubcategoryOut,
};
use crate::dto::EmptyList;
use crate::endpoints::{Ctx, Reply};
use crate::error::OrMissing;
use crate::params::Params;
use crate::{envelope, LojaError};

const NOT_FOUND: &str = "Category not found";

/// `type`: 1 category (default), 2 subcategory.
fn kind(params: &Params) -> Result<CategoryKind, LojaError> {
    match params.int("type").unwrap_or(1) {
        1 => Ok(CategoryKind::Category),
        2 => Ok(CategoryKind::Subcategory),
        _ => Err(LojaError::bad_request("Invalid Type")),
    }
}

/// Overlays the sent fields on `f` (unsent or unparseable ones are kept).
fn apply_fields(params: &Params, f: &mut CategoryFields) {
    if let Some(v) = params.text("name") {
        f.name = v;
    }
    if let Some(v) = params.int("sort") {
        f.sort = v;
    }
    for (key, slot) in [
        ("description", &mut f.description),
        ("meta_description", &mut f.meta_description),
        ("meta_title", &mut f.meta_title),
        ("meta_keys", &mut f.meta_keys),
    ] {
        if let Some(v) = params.text(key) {
            *slot = v;
        }
    }
    if let Some(v) = params.flag("view_menu") {
        f.view_menu = v;
    }
    if let Some(v) = params.int("hot_page") {
        f.hot_page = v;
    }
    if let Some(v) = params.int("page_id") {
        f.page_id = v;
    }
    if let Some(v) = params.flag("status") {
        f.status = v;
    }
}

/// E32 `GET category/findbyname`: categories then subcategories whose name
/// contains `name` (all when absent), each with its direct `children` and
/// its `parent`.
pub(crate) fn find_by_name(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let term = ctx.params.text("name");
        let mut conn = ctx.state.store.conn().await?;
        let (cats, subs) = conn.categories().search(scope, term.as_deref()).await?;
        let mut data = Vec::with_capacity(cats.len() + subs.len());
        for c in &cats {
            let children = conn
                .categories()
                .children(scope, CategoryRef::Category(c.id))
                .await?;
            data.push(CategoryMatch::Category(CategoryFamily {
                category: c.into(),
                children: children.iter().map(SubcategoryOut::from).collect(),
                parent: EmptyList,
            }));
        }
        for c in &subs {
            let children = conn
                .categories()
                .children(scope, CategoryRef::Subcategory(c.id))
                .await?;
            let parent = match c.parent() {
                CategoryRef::Category(id) => conn
                    .categories()
                    .get_category(scope, id)
                    .await
                    .optional()?
                    .map(|p| AnyCategory::Category((&p).into())),
                CategoryRef::Subcategory(id) => conn
                    .categories()
                    .get_subcategory(scope, id)
                    .await
                    .optional()?
                    .map(|p| AnyCategory::Subcategory((&p).into())),
            };
            data.push(CategoryMatch::Subcategory(SubcategoryFamily {
                subcategory: c.into(),
                children: children.iter().map(SubcategoryOut::from).collect(),
                parent: parent.into(),
            }));
        }
        if data.is_empty() {
            return Err(LojaError::not_found(NOT_FOUND));
        }
        Ok(envelope::ok(&data))
    })
}

/// The product and category a link call names, or its documented 404.
async fn link_target(
    ctx: &Ctx,
    tx: &mut vitrine_store::Tx,
) -> Result<(ProductId, CategoryRef), LojaError> {
    let scope = ctx.scope;
    let product_not_found = || LojaError::not_found("Product not found");
    let sku = ctx
        .params
        .text("product_sku")
        .ok_or_else(product_not_found)?;
    let product = tx
        .products()
        .find_id_by_sku(scope, &sku)
        .await?
        .ok_or_else(product_not_found)?;
    let kind = kind(&ctx.params)?;
    let category_id = ctx
        .params
        .int("category_id")
        .ok_or_else(|| LojaError::not_found(NOT_FOUND))?;
    let target = CategoryRef::new(kind, category_id);
    if !tx.categories().exists(scope, target).await? {
        return Err(LojaError::not_found(NOT_FOUND));
    }
    Ok((product, target))
}

/// E33 `POST category/linkproduct` (201; relinking is a no-op).
pub(crate) fn link_product(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let mut tx = ctx.state.store.begin().await?;
        let (product, target) = link_target(&ctx, &mut tx).await?;
        tx.categories().link(ctx.scope, product, target).await?;
        tx.commit().await?;
        Ok(envelope::created())
    })
}

/// E34 `POST category/unlinkproduct` (200 also when there was no link).
pub(crate) fn unlink_product(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let mut tx = ctx.state.store.begin().await?;
        let (product, target) = link_target(&ctx, &mut tx).await?;
        tx.categories().unlink(ctx.scope, product, target).await?;
        tx.commit().await?;
        Ok(envelope::done())
    })
}

/// E35 `POST category/insert`: a category, or a subcategory under an
/// existing category (`parent_type` 1) or subcategory (`parent_type` 2).
pub(crate) fn insert_category(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let name = ctx
            .params
            .text("name")
            .ok_or_else(|| LojaError::bad_request("Invalid Name"))?;
        let kind = kind(&ctx.params)?;
        let mut fields = CategoryFields {
            name: name.clone(),
            hot_page: 1,
            ..CategoryFields::default()
        };
        apply_fields(&ctx.params, &mut fields);
        // Undocumented optional `url`, as for products (spec I-37).
        let url = slug(&ctx.params.text("url").unwrap_or_else(|| name.clone()));
        let mut tx = ctx.state.store.begin().await?;
        match kind {
            CategoryKind::Category => {
                tx.categories()
                    .insert_category(scope, &url, &fields)
                    .await?;
            }
            CategoryKind::Subcategory => {
                let parent_missing = || LojaError::not_found("Parent Category not found");
                let parent_id = ctx.params.int("parent_id").unwrap_or(0);
                let under_subcategory = ctx.params.int("parent_type").unwrap_or(1) == 2;
                let parent = if under_subcategory {
                    CategoryRef::Subcategory(SubcategoryId(parent_id))
                } else {
                    CategoryRef::Category(CategoryId(parent_id))
                };
                if parent_id == 0 || !tx.categories().exists(scope, parent).await? {
                    return Err(parent_missing());
                }
                tx.categories()
                    .insert_subcategory(scope, parent, &url, &fields)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(envelope::created())
    })
}

/// E36 `POST category/update`: only the fields sent change; url and
/// parent stay.
pub(crate) fn update_category(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let not_found = || LojaError::not_found(NOT_FOUND);
        let id = ctx.params.int("category_id").ok_or_else(not_found)?;
        let kind = kind(&ctx.params).map_err(|_| not_found())?;
        let mut tx = ctx.state.store.begin().await?;
        match kind {
            CategoryKind::Category => {
                let id = CategoryId(id);
                let mut c = tx
                    .categories()
                    .get_category(scope, id)
                    .await
                    .or_missing(not_found)?;
                apply_fields(&ctx.params, &mut c.fields);
                tx.categories()
                    .update_category(scope, id, &c.fields)
                    .await?;
            }
            CategoryKind::Subcategory => {
                let id = SubcategoryId(id);
                let mut c = tx
                    .categories()
                    .get_subcategory(scope, id)
                    .await
                    .or_missing(not_found)?;
                apply_fields(&ctx.params, &mut c.fields);
                tx.categories()
                    .update_subcategory(scope, id, &c.fields)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(envelope::done())
    })
}
