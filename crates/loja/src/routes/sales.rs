//! Sales (promotions): E37 `category/findSaleByCategory` and the
//! extension `category/insertsale` (docs/loja-extensions.md) that creates
//! what E37 reads (G-01).

use vitrine_core::catalog::{local_datetime, slug};
use vitrine_core::ids::{CategoryId, SubcategoryId};
use vitrine_store::sales::SaleFields;
use vitrine_store::Optional;

use crate::dto::catalog::SaleOut;
use crate::endpoints::{Ctx, Reply};
use crate::routes::products::options::created_with_id;
use crate::{envelope, LojaError};

/// E37 `GET category/findSaleByCategory`: the category's sales plus the
/// store-wide ones (`category_id` 0, `category_name` "Todas"), by id.
pub(crate) fn find_sale_by_category(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let not_found = || LojaError::not_found("Sale not found");
        let category_id = ctx
            .params
            .int("category_id")
            .map(CategoryId)
            .ok_or_else(not_found)?;
        let mut conn = ctx.state.store.conn().await?;
        let sales = conn.sales().for_category(ctx.scope, category_id).await?;
        if sales.is_empty() {
            return Err(not_found());
        }
        let data: Vec<SaleOut> = sales.iter().map(SaleOut::from).collect();
        Ok(envelope::ok(&data))
    })
}

/// Extension `POST category/insertsale`: `name`, `start_date`, `end_date`
/// required; `url`, `category_id` (0 = all), `subcategory_id`,
/// `aplication`, `sale_type`, `sale_value`, `product_amount`,
/// `minimum_value_order`, `comments`, `status` optional.
pub(crate) fn insert_sale(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let p = &ctx.params;
        let name = p
            .text("name")
            .ok_or_else(|| LojaError::bad_request("Invalid Name"))?;
        let date = |key: &str| {
            p.text(key)
                .as_deref()
                .and_then(local_datetime)
                .ok_or_else(|| LojaError::bad_request(format!("Invalid {key}")))
        };
        let fields = SaleFields {
            url: slug(&p.text("url").unwrap_or_else(|| name.clone())),
            name,
            category_id: CategoryId(p.int("category_id").unwrap_or(0)),
            subcategory_id: SubcategoryId(p.int("subcategory_id").unwrap_or(0)),
            aplication: p.int("aplication").unwrap_or(1),
            sale_type: p.int("sale_type").unwrap_or(1),
            sale_value: p.money("sale_value").unwrap_or(0),
            product_amount: p.int("product_amount").unwrap_or(0),
            minimum_value_order: p.money("minimum_value_order").unwrap_or(0),
            start_date: date("start_date")?,
            end_date: date("end_date")?,
            comments: p.text("comments").unwrap_or_default(),
            status: p.flag("status").unwrap_or(false),
        };
        let mut tx = ctx.state.store.begin().await?;
        if fields.category_id != CategoryId(0)
            && tx
                .categories()
                .get_category(scope, fields.category_id)
                .await
                .optional()?
                .is_none()
        {
            return Err(LojaError::not_found("Category not found"));
        }
        let id = tx.sales().insert(scope, &fields).await?;
        tx.commit().await?;
        Ok(created_with_id(id))
    })
}
