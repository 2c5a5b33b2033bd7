//! The shop's use cases (the Loja API, the panel's Produtos and Pedidos,
//! `serve --demo`): placing an order with its stock retention
//! ([`orders::place`]), the one order status change
//! ([`orders::change_status`]), the customer's cart becoming an order
//! ([`checkout`]), a unit's stock and prices ([`catalog::set_stock_prices`]).
//!
//! What the shop refuses is one typed [`Refusal`]: each face words it —
//! the Loja API with its documented English strings, the panel with the
//! Portuguese [`Refusal::problem`].

pub mod cart;
pub mod catalog;
mod checkout;
pub mod orders;

pub use checkout::{checkout, Checkout};

use vitrine_core::order::{IllegalTransition, StockPhase};
use vitrine_core::FieldError;

/// A shop rule that refused the command; nothing was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The unit (a product, its variation or grid) has `status` 0.
    Inactive {
        /// The unit's SKU.
        sku: String,
    },
    /// Not enough stock for the unit (and the product is not sold
    /// regardless of stock).
    OutOfStock {
        /// The unit's SKU.
        sku: String,
    },
    /// The lines, shipping or discount cannot be summed within
    /// `order::MAX_TOTAL`.
    TooLarge,
    /// The customer has no open cart by that hash (or none at all), or it
    /// is empty.
    CartNotFound,
    /// The order state machine refuses the change.
    Transition(IllegalTransition),
    /// The SKU is a product with variations or grids: its stock and
    /// prices are its units'.
    StockOnUnits {
        /// The product's SKU.
        sku: String,
    },
}

impl Refusal {
    /// The refusal as a field problem, in Portuguese (the panel's form,
    /// the Auto-style faces).
    pub fn problem(&self) -> FieldError {
        match self {
            Self::Inactive { sku } => FieldError::invalid(
                "sku",
                format!("O produto de SKU {sku} está inativo e não pode ser vendido."),
            ),
            Self::OutOfStock { sku } => {
                FieldError::invalid("sku", format!("Estoque insuficiente para o SKU {sku}."))
            }
            Self::TooLarge => FieldError::invalid(
                "value",
                "O valor do pedido é grande demais para ser somado.",
            ),
            Self::CartNotFound => FieldError::invalid("hash", "Carrinho não encontrado."),
            Self::Transition(e) => FieldError::invalid("status", transition_refusal(*e)),
            Self::StockOnUnits { sku } => FieldError::invalid(
                "sku",
                format!(
                    "O SKU {sku} é de um produto com variações ou grades: o estoque e os \
                     preços são de cada unidade."
                ),
            ),
        }
    }
}

/// A refused status change, in Portuguese, with the reason.
fn transition_refusal(e: IllegalTransition) -> String {
    let why = match e.from.stock_phase() {
        StockPhase::Consumed => "um pedido com pagamento confirmado não volta a aguardar pagamento",
        StockPhase::Released => {
            "um pedido cancelado ou recusado não é reaberto (o estoque dele já voltou para a loja)"
        }
        StockPhase::Retained => "a regra de status dos pedidos não permite essa mudança",
    };
    format!(
        "Não é possível mudar o status de {} ({}) para {} ({}): {why}.",
        e.from.code(),
        e.from.name(),
        e.to.code(),
        e.to.name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitrine_core::order::{transition, Status};

    #[test]
    fn every_refusal_is_a_problem_at_its_field() {
        let sku = || "ABC-1".to_owned();
        let fields: Vec<String> = [
            Refusal::Inactive { sku: sku() },
            Refusal::OutOfStock { sku: sku() },
            Refusal::TooLarge,
            Refusal::CartNotFound,
            Refusal::StockOnUnits { sku: sku() },
        ]
        .iter()
        .map(|r| r.problem().field)
        .collect();
        assert_eq!(fields, ["sku", "sku", "value", "hash", "sku"]);
        assert_eq!(
            Refusal::OutOfStock { sku: sku() }.problem().message,
            "Estoque insuficiente para o SKU ABC-1."
        );
        // A form shows a shop refusal at its field.
        let e = crate::Error::Shop(Refusal::TooLarge);
        assert_eq!(
            e.into_problems().expect("about the input"),
            [Refusal::TooLarge.problem()]
        );
    }

    #[test]
    fn a_refused_transition_says_why_in_portuguese() {
        let st = |c| Status::from_code(c).expect("status");
        let e = transition(st(3), st(1)).expect_err("refused");
        let p = Refusal::Transition(e).problem();
        assert_eq!(p.field, "status");
        assert_eq!(
            p.message,
            "Não é possível mudar o status de 3 (Pagamento Confirmado) para 1 (Aguardando Pagamento): um pedido com pagamento confirmado não volta a aguardar pagamento."
        );
    }
}
