//! E63 `POST cart/findcartbyhash` ("Enviar pedido"): the JWT customer's
//! open cart becomes an order in one transaction — the cart is closed
//! first (a second checkout of the same cart finds it closed), an inactive
//! unit or a total that cannot be summed refuses the whole order, every
//! unit's stock is taken with a guarded decrement (or regardless of stock
//! for an `available` product) and retained, the store's live sales give
//! the discount.

use chrono::Utc;
use vitrine_core::order::{card_last4, payment_mode, Status, StockPhase};
use vitrine_core::promotions::{sales_discount, SaleLine, SaleRule};
use vitrine_store::categories::CategoryRef;
use vitrine_store::customers::Customer;
use vitrine_store::orders::OrderFields;
use vitrine_store::Tx;

use super::cart::{cart_not_found, cart_total, customer_of, load_lines, LoadedLine};
use super::placement::{place, too_large, Wanted};
use crate::dto::orders::{OrderPlaced, PlacedOrder};
use crate::endpoints::{Ctx, Reply};
use crate::error::OrMissing;
use crate::params::Params;
use crate::{envelope, wire, LojaError};

/// The fixed note of orders placed through the API ([INFERRED], E63).
const APP_NOTE: &str = "Pedido feito pelo Aplicativo";

/// The unnamed "Tipo de pagamento" field (2 pickup, 3 delivery) under the
/// names a client may use (E63).
fn delivery_type_code(p: &Params) -> String {
    [
        "tipo_pagamento",
        "tipo_de_pagamento",
        "Tipo de pagamento",
        "delivery_type",
    ]
    .iter()
    .find_map(|k| p.text(k))
    .unwrap_or_default()
}

/// The order fields E63's parameters give, the address copied from the customer.
fn order_fields(p: &Params, customer: &Customer) -> Result<OrderFields, LojaError> {
    let text = |k: &str| p.text(k).unwrap_or_default();
    let status = match p.int("situacao_pagamento") {
        None => Status::AWAITING_PAYMENT,
        Some(code) => Status::from_code(code)
            .filter(|s| s.stock_phase() == StockPhase::Retained)
            .ok_or_else(|| LojaError::bad_request("Invalid status"))?,
    };
    let card = p.text("numero_cartao");
    let c = &customer.fields;
    Ok(OrderFields {
        customer_id: customer.id,
        date: vitrine_store::now(),
        status: status.code(),
        payment_method: p.int("modo_pagamento").unwrap_or(0),
        payment_mode: payment_mode(card.is_some(), p.text("link_boleto").is_some()),
        estimated_delivery: text("prazo_frete"),
        tracking_code: text("codigo_rastreio"),
        note: APP_NOTE.to_owned(),
        delivery_type_code: delivery_type_code(p),
        delivery_name: p.text("tipo_entrega"),
        delivery_code: text("codigo_frete"),
        installments: p.int("parcelas_cartao").filter(|n| *n > 0).unwrap_or(0),
        currency: "BRL".to_owned(),
        currency_symbol: "R$".to_owned(),
        cep: c.cep.clone(),
        street: c.street.clone(),
        number: c.number.clone(),
        address_details: c.address_details.clone(),
        neighborhood: c.neighborhood.clone(),
        city: c.city.clone(),
        state: c.state.clone(),
        country: c.country.clone(),
        client_ip: text("ip_cliente"),
        card_brand: text("bandeira_cartao"),
        card_last4: card.as_deref().map(card_last4).unwrap_or_default(),
        card_name: text("nome_cartao"),
        link_boleto: text("link_boleto"),
        link_pix: text("link_pix"),
        troco: text("troco"),
        wedding_list: text("lista_casamento_ativa"),
        channel: "app".to_owned(),
        ..OrderFields::default()
    })
}

/// The discount of the store's best live sale for these lines (E37 data).
async fn discount(tx: &mut Tx, ctx: &Ctx, lines: &[LoadedLine]) -> Result<i64, LojaError> {
    let scope = ctx.scope;
    let rules: Vec<SaleRule> = tx
        .sales()
        .all(scope)
        .await?
        .into_iter()
        .map(|f| SaleRule {
            category_id: f.category_id,
            aplication: f.aplication,
            sale_type: f.sale_type,
            sale_value: f.sale_value,
            product_amount: f.product_amount,
            minimum_value_order: f.minimum_value_order,
            start_date: f.start_date,
            end_date: f.end_date,
            status: f.status,
        })
        .collect();
    if rules.is_empty() {
        return Ok(0);
    }
    let mut sale_lines = Vec::with_capacity(lines.len());
    for l in lines {
        let links = tx.categories().links_of(scope, l.unit.product.id).await?;
        sale_lines.push(SaleLine {
            categories: links
                .into_iter()
                .filter_map(|link| match link {
                    CategoryRef::Category(id) => Some(id),
                    CategoryRef::Subcategory(_) => None,
                })
                .collect(),
            quantity: l.line.quantity,
            // Summable: checked before the discount is asked for.
            total: l.total().unwrap_or(0),
        });
    }
    Ok(sales_discount(
        &rules,
        &sale_lines,
        &wire::datetime(Utc::now()),
    ))
}

/// E63 `POST cart/findcartbyhash`: the cart named by `hash` (or the
/// customer's open cart) becomes an order; `ip_cliente` is required.
pub(crate) fn finalise_order(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let who = customer_of(&ctx)?;
        let scope = who.store;
        if ctx.params.text("ip_cliente").is_none() {
            return Err(LojaError::bad_request("Invalid ip_cliente"));
        }
        let mut tx = ctx.state.store.begin().await?;
        let cart = match ctx.params.text("hash") {
            Some(hash) => tx.carts().open_by_hash(scope, &hash).await?,
            None => tx.carts().open_of(scope, who.customer_id).await?,
        }
        .filter(|c| c.customer_id == who.customer_id)
        .ok_or_else(cart_not_found)?;
        if !tx.carts().close(scope, cart.id).await? {
            return Err(cart_not_found());
        }
        let lines = load_lines(&mut tx.db(), scope, cart.id).await?;
        if lines.is_empty() {
            return Err(cart_not_found());
        }
        let customer = tx
            .customers()
            .get(scope, who.customer_id)
            .await
            .or_missing(|| LojaError::InvalidToken)?;
        let mut fields = order_fields(&ctx.params, &customer)?;
        cart_total(&lines).ok_or_else(too_large)?;
        fields.discount = discount(&mut tx, &ctx, &lines).await?;
        let wanted: Vec<Wanted<'_>> = lines
            .iter()
            .map(|l| Wanted {
                unit: &l.unit,
                quantity: l.line.quantity,
            })
            .collect();
        let (id, fields) = place(&mut tx, scope, fields, &wanted).await?;
        tx.commit().await?;
        Ok(envelope::ok(&OrderPlaced {
            message: "Pedido finalizado com sucesso!",
            order: PlacedOrder::new(id, &fields),
        }))
    })
}
