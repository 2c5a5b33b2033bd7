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

/// Digits grouped by thousands the Brazilian way: `1`, `100`, `1.500`,
/// `142.900`, `1.234.567` — the first group one to three digits, every
/// other exactly three. `None` when `text` is not that shape.
fn ungroup(text: &str) -> Option<String> {
    let mut groups = text.split('.');
    let first = groups.next()?;
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    if !digits(first) {
        return None;
    }
    let mut out = first.to_owned();
    let mut grouped = false;
    for g in groups {
        if g.len() != 3 || !digits(g) {
            return None;
        }
        grouped = true;
        out.push_str(g);
    }
    // `1234.567` is not a grouping: a group before a dot has at most three digits.
    if grouped && first.len() > 3 {
        return None;
    }
    Some(out)
}

impl Money {
    /// Reads an amount as people type it in Brazil (the panel's one reader
    /// for every amount): `,` is the decimal separator and `.` groups
    /// thousands (`142.900,50`, `100.000` = cem mil, `1.500`); without a
    /// comma, a single `.` followed by one or two digits at the end is a
    /// decimal point (`142900.50`). An optional `R$` in front is ignored.
    /// Anything else — `1.50.0`, `1234.567`, `1,2,3`, `abc` — is
    /// [`MoneyError::Format`] rather than a guess; more than two decimals
    /// is [`MoneyError::Precision`], a minus sign [`MoneyError::Negative`].
    pub fn parse_brazilian(text: &str) -> Result<Self, MoneyError> {
        let text = text.trim();
        let text = text.strip_prefix("R$").unwrap_or(text).trim();
        if let Some(rest) = text.strip_prefix('-') {
            return match Self::parse_brazilian(rest) {
                Ok(m) if m.cents() == 0 => Ok(m),
                Ok(_) => Err(MoneyError::Negative),
                Err(e) => Err(e),
            };
        }
        let (whole, cents) = match text.split_once(',') {
            Some((whole, cents)) => (whole, Some(cents)),
            None => match text.rsplit_once('.') {
                // `142900.50`: one dot, one or two digits after it.
                Some((whole, tail))
                    if !whole.contains('.')
                        && (1..=2).contains(&tail.len())
                        && tail.bytes().all(|b| b.is_ascii_digit()) =>
                {
                    (whole, Some(tail))
                }
                _ => (text, None),
            },
        };
        let whole = ungroup(whole).ok_or(MoneyError::Format)?;
        let literal = match cents {
            None => whole,
            Some(c) if c.is_empty() || !c.bytes().all(|b| b.is_ascii_digit()) => {
                return Err(MoneyError::Format)
            }
            Some(c) if c.len() > 2 => return Err(MoneyError::Precision),
            Some(c) => format!("{whole}.{c}"),
        };
        Self::parse_literal(&literal)
    }

    /// The amount as Brazilians write it, without the currency:
    /// `142.900,00`, `0,50` (what the panel's forms show and read back).
    pub fn brazilian(self) -> String {
        let plain = self.to_string();
        let (sign, plain) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain.as_str()),
        };
        let (int, cents) = plain.split_once('.').unwrap_or((plain, "00"));
        format!("{sign}{},{cents}", group_thousands(int))
    }
}

/// `1234567` as `1.234.567`.
fn group_thousands(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// A whole number as Brazilians write it, `35.000` (what
/// [`parse_brazilian_integer`] reads back).
pub fn brazilian_integer(n: i64) -> String {
    let grouped = group_thousands(&n.unsigned_abs().to_string());
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// Reads a whole number typed with the same thousands rule as amounts
/// (`35.000` km is thirty-five thousand; `35.00` and `4,5` are not whole
/// numbers); a leading minus is kept for the caller's range rule.
pub fn parse_brazilian_integer(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let n: i64 = ungroup(digits)?.parse().ok()?;
    Some(if negative { -n } else { n })
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
    fn amounts_typed_the_brazilian_way() {
        let cents = |s: &str| Money::parse_brazilian(s).map(Money::cents);
        for (typed, expected) in [
            ("100.000", 10_000_000),
            ("1.500", 150_000),
            ("1.500,50", 150_050),
            ("142.900,00", 14_290_000),
            ("R$ 142.900,5", 14_290_050),
            ("142900,00", 14_290_000),
            ("142900.50", 14_290_050),
            ("142900.5", 14_290_050),
            ("142900", 14_290_000),
            ("1.234.567,89", 123_456_789),
            ("0,99", 99),
            (" 12 ", 1200),
            ("-0", 0),
        ] {
            assert_eq!(cents(typed), Ok(expected), "{typed}");
        }
        for (typed, why) in [
            ("1.50.0", MoneyError::Format),
            ("abc", MoneyError::Format),
            ("1234.567", MoneyError::Format),
            ("1.2345", MoneyError::Format),
            ("1.000.00", MoneyError::Format),
            ("10,00,00", MoneyError::Format),
            ("1,", MoneyError::Format),
            (",5", MoneyError::Format),
            ("1.5e3", MoneyError::Format),
            ("", MoneyError::Format),
            ("1,234", MoneyError::Precision),
            ("-10", MoneyError::Negative),
            ("-1.500,00", MoneyError::Negative),
            ("99.999.999.999.999,00", MoneyError::TooLarge),
        ] {
            assert_eq!(cents(typed), Err(why), "{typed}");
        }
    }

    #[test]
    fn amounts_written_back_the_brazilian_way() {
        for (cents, shown) in [
            (14_290_000, "142.900,00"),
            (50, "0,50"),
            (99_999, "999,99"),
            (100_000, "1.000,00"),
            (123_456_789, "1.234.567,89"),
        ] {
            let m = Money::from_cents(cents);
            assert_eq!(m.brazilian(), shown);
            assert_eq!(Money::parse_brazilian(shown), Ok(m), "reads back");
        }
    }

    #[test]
    fn integers_typed_with_thousands() {
        assert_eq!(parse_brazilian_integer("35.000"), Some(35_000));
        assert_eq!(parse_brazilian_integer("1.234.567"), Some(1_234_567));
        assert_eq!(parse_brazilian_integer("2023"), Some(2023));
        assert_eq!(parse_brazilian_integer("-5"), Some(-5));
        assert_eq!(brazilian_integer(35_000), "35.000");
        assert_eq!(brazilian_integer(-1_234_567), "-1.234.567");
        assert_eq!(brazilian_integer(999), "999");
        for bad in [
            "35.00",
            "4,5",
            "1.50.0",
            "1234.567",
            "",
            "quatro",
            "99999999999999999999",
        ] {
            assert_eq!(parse_brazilian_integer(bad), None, "{bad}");
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
