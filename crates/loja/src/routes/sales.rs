//! Sales (promotions): E37 `category/findSaleByCategory` and the
//! extension `category/insertsale` (docs/loja-extensions.md) that creates
//! what E37 reads (G-01).

use serde_json::{Map, Value};
use vitrine_core::catalog::{format_money, local_datetime, slug};
use vitrine_core::ids::{CategoryId, SubcategoryId};
use vitrine_store::sales::SaleFields;
use vitrine_store::Optional;

use crate::endpoints::{Ctx, Reply};
use crate::routes::products::extras::datetime;
use crate::routes::products::options::created_with_id;
use crate::routes::products::{flag, s};
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
        let data: Vec<Value> = sales
            .iter()
            .map(|sale| {
                let f = &sale.fields;
                let category_name = match (&sale.category_name, f.category_id) {
                    (_, CategoryId(0)) | (None, _) => "Todas".to_owned(),
                    (Some(name), _) => name.clone(),
                };
                let mut m = Map::new();
                m.insert("id".into(), s(sale.id));
                m.insert("name".into(), s(&f.name));
                m.insert("url".into(), s(&f.url));
                m.insert("category_id".into(), s(f.category_id));
                m.insert("subcategory_id".into(), s(f.subcategory_id));
                m.insert("category_name".into(), s(category_name));
                m.insert("aplication".into(), s(f.aplication));
                m.insert("sale_type".into(), s(f.sale_type));
                m.insert("sale_value".into(), s(format_money(f.sale_value)));
                m.insert("product_amount".into(), s(f.product_amount));
                m.insert(
                    "minimum_value_order".into(),
                    s(format_money(f.minimum_value_order)),
                );
                m.insert("start_date".into(), s(&f.start_date));
                m.insert("end_date".into(), s(&f.end_date));
                m.insert("comments".into(), s(&f.comments));
                m.insert("date_register".into(), s(datetime(sale.date_register)));
                m.insert("last_update".into(), s(datetime(sale.last_update)));
                m.insert("status".into(), flag(f.status));
                Value::Object(m)
            })
            .collect();
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
