//! Money: a decimal amount of reais with exactly two places, never `f64`.
//!
//! Stored as integer centavos (both backends have `BIGINT`, neither shares a
//! decimal type with sqlx); rendered by each face in its own way.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

/// The largest accepted amount (R$ 10 trillion), far inside `i64` centavos.
const MAX_REAIS: i64 = 10_000_000_000_000;

/// An amount in reais with scale 2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(Decimal);

/// Why a text is not an acceptable amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoneyError {
    /// Not a decimal number.
    Format,
    /// More than two decimal places.
    Precision,
    /// Below zero.
    Negative,
    /// Beyond [`MAX_REAIS`].
    TooLarge,
}

impl Money {
    /// Parses a JSON number literal as written (`142900.00`, `142900`,
    /// `1.5e3`): non-negative, at most two significant decimal places.
    /// Trailing zeros beyond two places are fine (`10.500` is `10.50`).
    pub fn parse_literal(text: &str) -> Result<Self, MoneyError> {
        let text = text.trim();
        let d = Decimal::from_str(text)
            .or_else(|_| Decimal::from_scientific(text))
            .map_err(|_| MoneyError::Format)?
            .normalize();
        if d.is_sign_negative() && !d.is_zero() {
            return Err(MoneyError::Negative);
        }
        if d.scale() > 2 {
            return Err(MoneyError::Precision);
        }
        if d > Decimal::from(MAX_REAIS) {
            return Err(MoneyError::TooLarge);
        }
        let mut d = d.abs();
        d.rescale(2);
        Ok(Self(d))
    }

    /// From stored centavos.
    pub fn from_cents(cents: i64) -> Self {
        Self(Decimal::new(cents, 2))
    }

    /// A total of many amounts, in centavos (summary sums are `i128`, see
    /// `financial::Cents`). Exact up to ~7.9 × 10^26 reais, beyond what
    /// any count of bounded amounts reaches; saturates there.
    pub fn from_total_cents(cents: i128) -> Self {
        let d = Decimal::try_from_i128_with_scale(cents, 2).unwrap_or(if cents < 0 {
            Decimal::MIN
        } else {
            Decimal::MAX
        });
        Self(d)
    }

    /// Centavos for storage. Exact: the scale is always 2 and the magnitude
    /// is bounded by [`MAX_REAIS`].
    pub fn cents(self) -> i64 {
        i64::try_from(self.0.mantissa()).unwrap_or(i64::MAX)
    }

    /// The decimal value.
    pub fn decimal(self) -> Decimal {
        self.0
    }
}

/// Always two places: `142900.00`, `0.50`.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.2}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_parse_to_two_places() {
        for (input, shown, cents) in [
            ("142900.00", "142900.00", 14_290_000),
            ("142900", "142900.00", 14_290_000),
            ("0", "0.00", 0),
            ("0.5", "0.50", 50),
            ("10.500", "10.50", 1050),
            ("1.5e3", "1500.00", 150_000),
            ("-0.0", "0.00", 0),
        ] {
            let m = Money::parse_literal(input).expect(input);
            assert_eq!(m.to_string(), shown, "{input}");
            assert_eq!(m.cents(), cents, "{input}");
            assert_eq!(Money::from_cents(cents), m, "{input}");
        }
    }

    #[test]
    fn totals_beyond_i64_render_exactly() {
        let t = Money::from_total_cents(10_000_000_000_000_000_000);
        assert_eq!(t.to_string(), "100000000000000000.00");
        assert_eq!(Money::from_total_cents(-150).to_string(), "-1.50");
        assert_eq!(Money::from_total_cents(i128::MAX).decimal(), Decimal::MAX);
    }

    #[test]
    fn bad_literals_are_refused_with_a_reason() {
        assert_eq!(Money::parse_literal("-1"), Err(MoneyError::Negative));
        assert_eq!(Money::parse_literal("1.005"), Err(MoneyError::Precision));
        assert_eq!(Money::parse_literal("abc"), Err(MoneyError::Format));
        assert_eq!(Money::parse_literal("1e20"), Err(MoneyError::TooLarge));
    }
}
