//! The `order/insert` extension: orders from other channels.

use vitrine_app::shop::orders::{place, Line};
use vitrine_core::ids::CustomerId;
use vitrine_core::order::{line_quantity, Status, StockPhase};
use vitrine_store::orders::OrderFields;

use crate::endpoints::{Ctx, Reply};
use crate::error::OrMissing;
use crate::routes::products::options::created_with_id;
use crate::LojaError;

/// Extension `POST order/insert`: an order from another channel for
/// customer `customer_id`, lines `items[n][sku]`/`items[n][quantity]`,
/// optional `shipping`, `discount`, `status` (1 default; a paid status
/// consumes at once; 4 and 8 are refused), `payment_method`,
/// `payment_mode`, `delivery_type` (name), `estimated_delivery`, `note`,
/// `channel`. Stock is taken and retained as at checkout (inactive units
/// refused, at most `MAX_LINE_QUANTITY` units a line). 201 with `id`.
pub(crate) fn insert_order(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let p = &ctx.params;
        let status = match p.int("status") {
            None => Status::AWAITING_PAYMENT,
            Some(code) => Status::from_code(code)
                .filter(|s| s.stock_phase() != StockPhase::Released)
                .ok_or_else(|| LojaError::bad_request("Invalid status"))?,
        };
        let mut items = Vec::new();
        for (_, item) in p.list("items").unwrap_or_default() {
            let sku = item.text("sku").unwrap_or_default();
            let quantity = line_quantity(item.int("quantity").unwrap_or(1));
            let (false, Some(quantity)) = (sku.is_empty(), quantity) else {
                return Err(LojaError::bad_request("Invalid items"));
            };
            items.push(Line { sku, quantity });
        }
        if items.is_empty() {
            return Err(LojaError::bad_request("Invalid items"));
        }
        let customer_id = p
            .int("customer_id")
            .map(CustomerId)
            .ok_or_else(|| LojaError::not_found("Customer not found"))?;
        let mut tx = ctx.state.store.begin().await?;
        let customer = tx
            .customers()
            .get(scope, customer_id)
            .await
            .or_missing(|| LojaError::not_found("Customer not found"))?;
        let c = &customer.fields;
        let text = |k: &str, default: &str| p.text(k).unwrap_or_else(|| default.to_owned());
        let fields = OrderFields {
            customer_id,
            date: vitrine_store::now(),
            shipping: p.money("shipping").unwrap_or(0).max(0),
            discount: p.money("discount").unwrap_or(0).max(0),
            status: status.code(),
            payment_method: p.int("payment_method").unwrap_or(0),
            payment_mode: p.int("payment_mode").unwrap_or(0),
            estimated_delivery: text("estimated_delivery", ""),
            note: text("note", ""),
            delivery_name: p.text("delivery_type"),
            installments: p.int("installments").filter(|n| *n > 0).unwrap_or(0),
            currency: "BRL".to_owned(),
            currency_symbol: "R$".to_owned(),
            cep: text("cep", &c.cep),
            street: text("street", &c.street),
            number: text("number", &c.number),
            address_details: text("address_details", &c.address_details),
            neighborhood: text("neighborhood", &c.neighborhood),
            city: text("city", &c.city),
            state: text("state", &c.state),
            country: text("country", &c.country),
            channel: text("channel", "api"),
            ..OrderFields::default()
        };
        // Every SKU is a sellable unit of the store; an order that arrives
        // paid has sold its units already (the use case's rule).
        let placed = place(&mut tx, scope, fields, &items)
            .await
            .or_missing(|| LojaError::not_found("Product not found"))?;
        tx.commit().await?;
        Ok(created_with_id(placed.id))
    })
}
