//! E63 `POST cart/findcartbyhash` ("Enviar pedido"): the JWT customer's
//! open cart becomes an order in one transaction — the cart is closed
//! first (a second checkout of the same cart finds it closed), an inactive
//! unit or a total that cannot be summed refuses the whole order, every
//! unit's stock is taken with a guarded decrement (or regardless of stock
//! for an `available` product) and retained, the store's live sales give
//! the discount.

use chrono::Utc;
use vitrine_app::shop::{checkout, Checkout};
use vitrine_core::order::{card_last4, payment_mode, Status, StockPhase};
use vitrine_store::orders::OrderFields;

use super::cart::customer_of;
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

/// The order fields E63's parameters give (the use case copies the
/// customer's address).
fn order_fields(p: &Params) -> Result<OrderFields, LojaError> {
    let text = |k: &str| p.text(k).unwrap_or_default();
    let status = match p.int("situacao_pagamento") {
        None => Status::AWAITING_PAYMENT,
        Some(code) => Status::from_code(code)
            .filter(|s| s.stock_phase() == StockPhase::Retained)
            .ok_or_else(|| LojaError::bad_request("Invalid status"))?,
    };
    let card = p.text("numero_cartao");
    Ok(OrderFields {
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

/// E63 `POST cart/findcartbyhash`: the cart named by `hash` (or the
/// customer's open cart) becomes an order; `ip_cliente` is required.
pub(crate) fn finalise_order(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let who = customer_of(&ctx)?;
        let scope = who.store;
        if ctx.params.text("ip_cliente").is_none() {
            return Err(LojaError::bad_request("Invalid ip_cliente"));
        }
        let draft = Checkout {
            customer: who.customer_id,
            hash: ctx.params.text("hash"),
            fields: order_fields(&ctx.params)?,
            now_local: wire::datetime(Utc::now()),
        };
        let mut tx = ctx.state.store.begin().await?;
        // The token's customer gone since: its token is no longer valid.
        let placed = checkout(&mut tx, scope, draft)
            .await
            .or_missing(|| LojaError::InvalidToken)?;
        tx.commit().await?;
        Ok(envelope::ok(&OrderPlaced {
            message: "Pedido finalizado com sucesso!",
            order: PlacedOrder::new(placed.id, &placed.fields),
        }))
    })
}
