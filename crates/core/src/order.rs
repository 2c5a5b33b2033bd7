//! Orders of the Loja API (ecommloja-api.md §3.3, E23, E63): statuses and
//! their names, the order-status transitions and the stock-retention state
//! machine they drive, and the order value. Money is integer centavos
//! throughout; the sales that discount a checkout are in [`crate::promotions`].

/// An order status, 1–10 (E29–E31).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Status(u8);

impl Status {
    /// 1, Aguardando Pagamento: a new order.
    pub const AWAITING_PAYMENT: Status = Status(1);
    /// 3, Pagamento Confirmado.
    pub const PAYMENT_CONFIRMED: Status = Status(3);
    /// 4, Pagamento Recusado.
    pub const PAYMENT_REFUSED: Status = Status(4);
    /// 8, Cancelado.
    pub const CANCELLED: Status = Status(8);
    /// 10, Pedido Aprovado.
    pub const APPROVED: Status = Status(10);

    /// The status with this code, if it is one of 1–10.
    pub fn from_code(code: i64) -> Option<Self> {
        u8::try_from(code)
            .ok()
            .filter(|c| (1..=10).contains(c))
            .map(Self)
    }

    /// The wire code.
    pub fn code(self) -> i16 {
        i16::from(self.0)
    }

    /// The documented name.
    pub fn name(self) -> &'static str {
        match self.0 {
            1 => "Aguardando Pagamento",
            2 => "Pagamento em Análise",
            3 => "Pagamento Confirmado",
            4 => "Pagamento Recusado",
            5 => "Pedido em Separação",
            6 => "Pedido em Transporte",
            7 => "Pedido Entregue",
            8 => "Cancelado",
            9 => "Pronto para Retirada",
            _ => "Pedido Aprovado",
        }
    }

    /// What this status means for the stock an order holds.
    pub fn stock_phase(self) -> StockPhase {
        match self.0 {
            1 | 2 => StockPhase::Retained,
            4 | 8 => StockPhase::Released,
            _ => StockPhase::Consumed,
        }
    }
}

/// Where an order's units are: held for it, sold, or given back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockPhase {
    /// Awaiting payment or under review: units moved from available to retained.
    Retained,
    /// Paid, approved or further along: the retained units are sold.
    Consumed,
    /// Refused or cancelled: the retained units went back to available.
    Released,
}

/// What a status change does to the order's retained units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockEffect {
    /// Nothing moves.
    None,
    /// The retention records are deleted: the decrement is final.
    Consume,
    /// The retained quantities go back to stock and the records are deleted.
    Release,
}

/// A refused status change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Invalid status change: {} ({}) to {} ({})", from.code(), from.name(), to.code(), to.name())]
pub struct IllegalTransition {
    /// The order's status.
    pub from: Status,
    /// The status asked for.
    pub to: Status,
}

/// Decides a status change and its stock effect.
///
/// * Waiting (1, 2) may go anywhere: to a confirmed status it consumes the
///   retained units, to 4 or 8 it releases them.
/// * Confirmed (3, 5, 6, 7, 9, 10) may move between confirmed statuses or
///   to 4/8 (nothing moves: the units were sold), never back to waiting.
/// * Refused or cancelled (4, 8) may only move between 4 and 8: their units
///   went back to stock, and taking them again could oversell.
/// * The same status again is a no-op (E31).
pub fn transition(from: Status, to: Status) -> Result<StockEffect, IllegalTransition> {
    use StockPhase::{Consumed, Released, Retained};
    if from == to {
        return Ok(StockEffect::None);
    }
    match (from.stock_phase(), to.stock_phase()) {
        (Retained, Retained) => Ok(StockEffect::None),
        (Retained, Consumed) => Ok(StockEffect::Consume),
        (Retained, Released) => Ok(StockEffect::Release),
        (Consumed, Consumed | Released) | (Released, Released) => Ok(StockEffect::None),
        (Consumed, Retained) | (Released, Retained | Consumed) => {
            Err(IllegalTransition { from, to })
        }
    }
}

/// The name of a payment method code (E29–E31), if it is a documented one.
pub fn payment_method_name(code: i64) -> Option<&'static str> {
    Some(match code {
        1 => "Cartão",
        2 => "Boleto",
        3 => "Tranferência Bancária",
        4 => "Pagseguro",
        6 => "Pagamento na Entrega - Cartão",
        7 => "Pagamento na Entrega - Dinheiro",
        8 => "Pagar.me",
        9 => "Cielo",
        10 => "Rede",
        11 => "Getnet",
        12 => "Yapay",
        13 => "Boleto Fácil",
        14 => "MercadoPago",
        16 => "Itáu",
        17 => "Pix - Gerencianet",
        18 => "Pix - PagSeguro",
        102 => "Pix - Banco Central",
        103 => "Saldo Cashback",
        _ => return None,
    })
}

/// The price one unit sells for: the promotional price when it is below
/// the price and above zero, else the price (SH-CartProduct).
pub fn unit_price(price: i64, promotional_price: i64) -> i64 {
    if promotional_price > 0 && promotional_price < price {
        promotional_price
    } else {
        price
    }
}

/// A line's total (`stipulated_price`), saturating rather than wrapping.
pub fn line_total(price: i64, promotional_price: i64, quantity: i64) -> i64 {
    unit_price(price, promotional_price).saturating_mul(quantity)
}

/// An order's value: items + shipping − discount, never below zero.
pub fn order_value(items: i64, shipping: i64, discount: i64) -> i64 {
    items
        .saturating_add(shipping)
        .saturating_sub(discount)
        .max(0)
}

/// The value of each instalment, rounded half up to the centavo; 0 when
/// there are no instalments.
pub fn installment_value(value: i64, installments: i64) -> i64 {
    if installments <= 0 {
        return 0;
    }
    (value.saturating_mul(2) + installments) / installments.saturating_mul(2)
}

/// Centavos as the f64 of the doc's float fields (`stipulated_price`,
/// `price`): exact to two decimals once printed.
pub fn cents_to_f64(cents: i64) -> f64 {
    // i64 → f64 is exact below 2^53 centavos; the division rounds once.
    #[expect(clippy::cast_precision_loss, reason = "prices stay far below 2^53")]
    let c = cents as f64;
    c / 100.0
}

/// `payment_mode` (E63): 4 when card data came, 2 with a boleto link, else 0.
pub fn payment_mode(card_sent: bool, boleto_sent: bool) -> i64 {
    if card_sent {
        4
    } else if boleto_sent {
        2
    } else {
        0
    }
}

/// The last four digits of a card number; never keep the full number.
pub fn card_last4(number: &str) -> String {
    let digits: Vec<char> = number.chars().filter(char::is_ascii_digit).collect();
    let start = digits.len().saturating_sub(4);
    digits[start..].iter().collect()
}

/// A fresh cart hash: 24 random lowercase hex digits, like the doc's
/// `45cd08b12c69f9b89b6d8da1`.
pub fn cart_hash() -> String {
    use rand::Rng as _;
    let mut rng = rand::rngs::OsRng;
    (0..24)
        .map(|_| char::from_digit(rng.gen_range(0..16), 16).unwrap_or('0'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(code: i64) -> Status {
        Status::from_code(code).expect("a status")
    }

    #[test]
    fn statuses_are_one_to_ten_with_their_names() {
        assert_eq!(Status::from_code(0), None);
        assert_eq!(Status::from_code(11), None);
        assert_eq!(st(1).name(), "Aguardando Pagamento");
        assert_eq!(st(8).name(), "Cancelado");
        assert_eq!(st(10).name(), "Pedido Aprovado");
        assert_eq!(payment_method_name(102), Some("Pix - Banco Central"));
        assert_eq!(payment_method_name(5), None);
    }

    #[test]
    fn waiting_orders_consume_or_release() {
        for to in [3, 5, 6, 7, 9, 10] {
            assert_eq!(transition(st(1), st(to)), Ok(StockEffect::Consume), "{to}");
            assert_eq!(transition(st(2), st(to)), Ok(StockEffect::Consume), "{to}");
        }
        for to in [4, 8] {
            assert_eq!(transition(st(1), st(to)), Ok(StockEffect::Release));
        }
        assert_eq!(transition(st(1), st(2)), Ok(StockEffect::None));
        assert_eq!(transition(st(2), st(1)), Ok(StockEffect::None));
    }

    #[test]
    fn the_same_status_is_a_no_op() {
        for code in 1..=10 {
            assert_eq!(transition(st(code), st(code)), Ok(StockEffect::None));
        }
    }

    #[test]
    fn sold_orders_never_go_back_to_waiting() {
        let err = transition(st(3), st(1)).expect_err("refused");
        assert_eq!(
            err.to_string(),
            "Invalid status change: 3 (Pagamento Confirmado) to 1 (Aguardando Pagamento)"
        );
        assert_eq!(transition(st(3), st(7)), Ok(StockEffect::None));
        assert_eq!(transition(st(10), st(8)), Ok(StockEffect::None));
    }

    #[test]
    fn released_orders_cannot_take_stock_again() {
        for to in [1, 2, 3, 5, 6, 7, 9, 10] {
            assert!(transition(st(8), st(to)).is_err(), "8 -> {to}");
            assert!(transition(st(4), st(to)).is_err(), "4 -> {to}");
        }
        assert_eq!(transition(st(4), st(8)), Ok(StockEffect::None));
    }

    #[test]
    fn value_is_items_plus_shipping_minus_discount() {
        assert_eq!(order_value(12_000, 5_111, 2_000), 15_111);
        assert_eq!(order_value(100, 0, 500), 0);
        assert_eq!(line_total(19_447, 0, 15), 291_705);
        assert_eq!(line_total(10_000, 9_000, 2), 18_000);
        assert_eq!(line_total(10_000, 12_000, 1), 10_000);
        assert_eq!(cents_to_f64(291_705), 2917.05);
        assert_eq!(installment_value(10_000, 3), 3_333);
        assert_eq!(installment_value(10_000, 0), 0);
    }

    #[test]
    fn cart_hashes_are_24_hex_digits() {
        let h = cart_hash();
        assert_eq!(h.len(), 24);
        assert!(h
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(h, cart_hash());
    }

    #[test]
    fn card_numbers_keep_their_last_four_digits() {
        assert_eq!(card_last4("4111 1111 1111 1234"), "1234");
        assert_eq!(card_last4("12"), "12");
        assert_eq!(payment_mode(true, true), 4);
        assert_eq!(payment_mode(false, true), 2);
        assert_eq!(payment_mode(false, false), 0);
    }
}
