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
    /// A sold order is cancelled or refused: the units of its lines go
    /// back to stock (Shopify's rule: restock on cancel unless told not to).
    Restock,
}

impl StockEffect {
    /// The effect when the caller asked to keep a cancelled sale's units
    /// out of stock (damaged, lost in transit): a restock becomes nothing.
    #[must_use]
    pub fn keeping_sold_units(self) -> Self {
        match self {
            Self::Restock => Self::None,
            other => other,
        }
    }
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
/// * Confirmed (3, 5, 6, 7, 9, 10) may move between confirmed statuses, or
///   to 4/8, which restocks the order's lines (the units were sold and
///   come back; [`StockEffect::keeping_sold_units`] opts out), never back
///   to waiting.
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
        (Consumed, Released) => Ok(StockEffect::Restock),
        (Consumed, Consumed) | (Released, Released) => Ok(StockEffect::None),
        (Consumed, Retained) | (Released, Retained | Consumed) => {
            Err(IllegalTransition { from, to })
        }
    }
}

/// The stock effect of a new order placed with `status`, after its units
/// were taken and retained: an order waiting for its payment keeps them
/// retained, one that arrives paid has sold them at once. An order cannot
/// start cancelled or refused (its units would be taken and given back in
/// one breath): refused as the move from awaiting payment.
pub fn opening_effect(status: Status) -> Result<StockEffect, IllegalTransition> {
    let refused = IllegalTransition {
        from: Status::AWAITING_PAYMENT,
        to: status,
    };
    match status.stock_phase() {
        StockPhase::Released => Err(refused),
        _ => transition(Status::AWAITING_PAYMENT, status),
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

/// The most units one cart line or order line holds (docs/loja-extensions.md).
/// Quantities above it are refused where they are written, so a line's
/// total is a bounded product and no quantity ever overflows.
pub const MAX_LINE_QUANTITY: i64 = 10_000;

/// The largest line, cart or order total, in centavos: R$ 9.999.999.999.999,99.
/// Below it the doc's float fields (`stipulated_price`, the cart's
/// `price`) print every centavo exactly (an f64 near 10^13 still has
/// 2^-9 of resolution; near 2^53 centavos it no longer tells 0.90 from
/// 0.91). A total beyond it cannot be summed: it is refused where it
/// would be written.
pub const MAX_TOTAL: i64 = 999_999_999_999_999;

/// A quantity a cart or order line may hold: 1 to [`MAX_LINE_QUANTITY`].
pub fn line_quantity(quantity: i64) -> Option<i64> {
    (1..=MAX_LINE_QUANTITY)
        .contains(&quantity)
        .then_some(quantity)
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

/// A stored line's total, for display: saturating, never wrapping (an
/// order's lines were checked with [`checked_line_total`] when placed).
pub fn line_total(price: i64, promotional_price: i64, quantity: i64) -> i64 {
    unit_price(price, promotional_price).saturating_mul(quantity)
}

/// A line's total (`stipulated_price`); `None` when it is negative or
/// beyond [`MAX_TOTAL`] (it cannot be sold).
pub fn checked_line_total(price: i64, promotional_price: i64, quantity: i64) -> Option<i64> {
    unit_price(price, promotional_price)
        .checked_mul(quantity)
        .filter(|t| (0..=MAX_TOTAL).contains(t))
}

/// The sum of line totals; `None` when any is out of range or the sum
/// passes [`MAX_TOTAL`]. Never wraps.
pub fn items_total<I>(totals: I) -> Option<i64>
where
    I: IntoIterator<Item = Option<i64>>,
{
    totals.into_iter().try_fold(0_i64, |sum, t| {
        let t = t?;
        sum.checked_add(t).filter(|s| *s <= MAX_TOTAL)
    })
}

/// An order's value: items + shipping − discount, never below zero;
/// `None` when shipping or discount is out of range (negative or beyond
/// [`MAX_TOTAL`]) or the value passes it.
pub fn order_value(items: i64, shipping: i64, discount: i64) -> Option<i64> {
    let in_range = |v: i64| (0..=MAX_TOTAL).contains(&v);
    if !(in_range(items) && in_range(shipping) && in_range(discount)) {
        return None;
    }
    // Each term is below 10^15: the sum cannot overflow an i64.
    Some((items + shipping - discount).max(0)).filter(|v| *v <= MAX_TOTAL)
}

/// The value of each instalment, rounded half up to the centavo; 0 when
/// there are no instalments.
pub fn installment_value(value: i64, installments: i64) -> i64 {
    if installments <= 0 {
        return 0;
    }
    (value.saturating_mul(2).saturating_add(installments)) / installments.saturating_mul(2)
}

/// Why a unit cannot be bought.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unsellable {
    /// The product (or its variation or grid) has `status` 0.
    Inactive,
}

/// How a sale takes a unit's stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StockRule {
    /// Only if the units are there (`stock >= n`): never below zero.
    Limited,
    /// Whatever the stock (`available` = 1, "disponível para a compra,
    /// independentemente do estoque"): the stock may go below zero, the
    /// negative part being the units sold ahead of stock (backorder).
    Backorder,
}

/// Whether a unit may go into a cart or an order, and how its stock is
/// taken: an inactive product, variation or grid is refused; a product
/// marked `available` sells regardless of stock (its variations and grids
/// too); anything else only from stock.
pub fn sale_rule(
    product_active: bool,
    unit_active: bool,
    available: bool,
) -> Result<StockRule, Unsellable> {
    if !(product_active && unit_active) {
        return Err(Unsellable::Inactive);
    }
    Ok(if available {
        StockRule::Backorder
    } else {
        StockRule::Limited
    })
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

    #[test]
    fn a_new_order_is_waiting_or_already_paid_never_cancelled() {
        let st = |c| Status::from_code(c).expect("status");
        assert_eq!(opening_effect(st(1)), Ok(StockEffect::None));
        assert_eq!(opening_effect(st(2)), Ok(StockEffect::None));
        for paid in [3, 5, 6, 7, 9, 10] {
            assert_eq!(opening_effect(st(paid)), Ok(StockEffect::Consume), "{paid}");
        }
        for gone in [4, 8] {
            assert_eq!(
                opening_effect(st(gone)),
                Err(IllegalTransition {
                    from: st(1),
                    to: st(gone)
                })
            );
        }
    }

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
        assert_eq!(transition(st(10), st(5)), Ok(StockEffect::None));
    }

    #[test]
    fn cancelling_or_refusing_a_sold_order_restocks_unless_told_not_to() {
        for from in [3, 5, 6, 7, 9, 10] {
            for to in [4, 8] {
                let effect = transition(st(from), st(to));
                assert_eq!(effect, Ok(StockEffect::Restock), "{from} -> {to}");
                assert_eq!(
                    effect.map(StockEffect::keeping_sold_units),
                    Ok(StockEffect::None),
                    "{from} -> {to}, keeping the units out"
                );
            }
        }
        // Opting out changes nothing else: a waiting order still releases.
        assert_eq!(
            transition(st(1), st(8)).map(StockEffect::keeping_sold_units),
            Ok(StockEffect::Release)
        );
        assert_eq!(
            StockEffect::Consume.keeping_sold_units(),
            StockEffect::Consume
        );
    }

    #[test]
    fn released_orders_cannot_take_stock_again() {
        for to in [1, 2, 3, 5, 6, 7, 9, 10] {
            assert!(transition(st(8), st(to)).is_err(), "8 -> {to}");
            assert!(transition(st(4), st(to)).is_err(), "4 -> {to}");
        }
        // Between 4 and 8 nothing moves: the units came back once already.
        assert_eq!(transition(st(4), st(8)), Ok(StockEffect::None));
        assert_eq!(transition(st(8), st(4)), Ok(StockEffect::None));
    }

    #[test]
    fn value_is_items_plus_shipping_minus_discount() {
        assert_eq!(order_value(12_000, 5_111, 2_000), Some(15_111));
        assert_eq!(order_value(100, 0, 500), Some(0));
        assert_eq!(checked_line_total(19_447, 0, 15), Some(291_705));
        assert_eq!(checked_line_total(10_000, 9_000, 2), Some(18_000));
        assert_eq!(checked_line_total(10_000, 12_000, 1), Some(10_000));
        assert_eq!(line_total(10_000, 9_000, 2), 18_000);
        assert_eq!(line_total(i64::MAX, 0, 2), i64::MAX, "saturates");
        assert_eq!(cents_to_f64(MAX_TOTAL).to_string(), "9999999999999.99");
        assert_eq!(cents_to_f64(291_705), 2917.05);
        assert_eq!(installment_value(10_000, 3), 3_333);
        assert_eq!(installment_value(10_000, 0), 0);
        assert_eq!(installment_value(MAX_TOTAL, 2), MAX_TOTAL / 2 + 1);
    }

    #[test]
    fn quantities_are_capped_per_line() {
        assert_eq!(line_quantity(1), Some(1));
        assert_eq!(line_quantity(MAX_LINE_QUANTITY), Some(MAX_LINE_QUANTITY));
        for bad in [0, -1, MAX_LINE_QUANTITY + 1, i64::MAX, i64::MIN] {
            assert_eq!(line_quantity(bad), None, "{bad}");
        }
    }

    #[test]
    fn totals_that_cannot_be_summed_are_refused_never_wrapped() {
        // A line past the float-exact limit, or whose product overflows.
        assert_eq!(checked_line_total(MAX_TOTAL, 0, 1), Some(MAX_TOTAL));
        assert_eq!(checked_line_total(MAX_TOTAL, 0, 2), None);
        assert_eq!(checked_line_total(i64::MAX, 0, MAX_LINE_QUANTITY), None);
        assert_eq!(checked_line_total(-5, 0, 1), None, "a negative price");
        // Sums: exact up to the limit, None past it (the old `.sum()`
        // wrapped to a negative total here).
        let half = MAX_TOTAL / 2;
        assert_eq!(items_total([Some(half), Some(half)]), Some(half * 2));
        assert_eq!(items_total([Some(half), Some(half), Some(2)]), None);
        assert_eq!(items_total([Some(1), None]), None);
        assert_eq!(items_total(std::iter::empty()), Some(0));
        let wrapped: i64 = [i64::MAX / 2 + 1, i64::MAX / 2 + 1]
            .iter()
            .fold(0_i64, |a, b| a.wrapping_add(*b));
        assert!(wrapped < 0, "what a wrapping sum showed");
        assert_eq!(
            items_total([Some(i64::MAX / 2 + 1), Some(i64::MAX / 2 + 1)]),
            None
        );
        // Shipping and discount in range, the value too.
        assert_eq!(order_value(MAX_TOTAL, 1, 0), None);
        assert_eq!(order_value(MAX_TOTAL, 1, 1), Some(MAX_TOTAL));
        assert_eq!(order_value(0, i64::MAX, 0), None);
        assert_eq!(order_value(0, -1, 0), None);
        assert_eq!(order_value(0, 0, i64::MAX), None);
    }

    #[test]
    fn inactive_units_are_never_sold_and_available_ones_sell_past_stock() {
        assert_eq!(sale_rule(true, true, false), Ok(StockRule::Limited));
        assert_eq!(sale_rule(true, true, true), Ok(StockRule::Backorder));
        for (product, unit) in [(false, true), (true, false), (false, false)] {
            for available in [false, true] {
                assert_eq!(
                    sale_rule(product, unit, available),
                    Err(Unsellable::Inactive),
                    "{product} {unit} {available}"
                );
            }
        }
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
