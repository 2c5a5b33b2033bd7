//! RENAVAM (Registro Nacional de Veículos Automotores) vehicle registration
//! number.

use super::{digit, DocError, Strictness};

/// Weights applied to the first 10 digits read right to left.
const WEIGHTS: [u32; 10] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3];

/// A RENAVAM that passed [`Renavam::parse`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Renavam {
    raw: String,
    digits: String,
}

impl Renavam {
    /// Parses 11 digits, or 9 digits (older RENAVAMs, left-padded with zeros
    /// to 11); surrounding whitespace trimmed. `Strict` also verifies the
    /// mod-11 check digit in the last position.
    pub fn parse(input: &str, strictness: Strictness) -> Result<Self, DocError> {
        let raw = input.trim();
        if !matches!(raw.len(), 9 | 11) || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return Err(DocError::Format);
        }
        let digits = format!("{raw:0>11}");
        if strictness == Strictness::Strict && !check_digit_ok(&digits) {
            return Err(DocError::CheckDigits);
        }
        Ok(Self {
            raw: raw.to_owned(),
            digits,
        })
    }

    /// The 11 digits (9-digit input left-padded with zeros).
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// The input as typed (trimmed); the API echoes documents as received.
    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

super::string_repr!(Renavam);

/// First 10 digits reversed times [`WEIGHTS`]; `sum * 10 % 11`, with 10
/// meaning 0, must equal the 11th digit.
fn check_digit_ok(digits: &str) -> bool {
    let b = digits.as_bytes();
    if b.len() != 11 {
        return false;
    }
    let sum: u32 = b[..10]
        .iter()
        .rev()
        .zip(WEIGHTS)
        .map(|(&c, w)| digit(c) * w)
        .sum();
    (sum * 10 % 11) % 10 == digit(b[10])
}

#[cfg(test)]
mod tests {
    use super::super::test_support::serialized;
    use super::*;
    use Strictness::{Lenient, Strict};

    #[test]
    fn parse_table() {
        // (input, strictness, expected digits or error, reason)
        let rows: &[(&str, Strictness, Result<&str, DocError>, &str)] = &[
            (
                "12345678900",
                Strict,
                Ok("12345678900"),
                "valid: sum 231, 2310 % 11 = 0",
            ),
            (
                "63977400008",
                Strict,
                Ok("63977400008"),
                "valid DV of 6397740000",
            ),
            (
                "81234567895",
                Strict,
                Ok("81234567895"),
                "valid, DV depends on digit order",
            ),
            (
                "99999999990",
                Strict,
                Ok("99999999990"),
                "remainder 10 maps to 0",
            ),
            (
                "639884962",
                Strict,
                Ok("00639884962"),
                "9 digits padded, valid",
            ),
            (
                " 00639884962 ",
                Strict,
                Ok("00639884962"),
                "whitespace trimmed",
            ),
            (
                "12345678907",
                Strict,
                Err(DocError::CheckDigits),
                "wrong DV",
            ),
            (
                "12345678901",
                Strict,
                Err(DocError::CheckDigits),
                "DV off by one",
            ),
            (
                "18234567895",
                Strict,
                Err(DocError::CheckDigits),
                "swapped digits change the DV",
            ),
            (
                "99999999999",
                Strict,
                Err(DocError::CheckDigits),
                "remainder 10 is not DV 9",
            ),
            (
                "639884966",
                Strict,
                Err(DocError::CheckDigits),
                "9 digits, wrong DV",
            ),
            (
                "12345678907",
                Lenient,
                Ok("12345678907"),
                "lenient is format only",
            ),
            ("639884966", Lenient, Ok("00639884966"), "lenient pads too"),
            ("1234567890", Lenient, Err(DocError::Format), "10 digits"),
            ("12345678", Lenient, Err(DocError::Format), "8 digits"),
            ("123456789012", Lenient, Err(DocError::Format), "12 digits"),
            ("1234567890A", Lenient, Err(DocError::Format), "letter"),
            (
                "123.456.789-00",
                Lenient,
                Err(DocError::Format),
                "no mask exists",
            ),
            ("", Lenient, Err(DocError::Format), "empty"),
        ];
        for &(input, strictness, want, why) in rows {
            let got = Renavam::parse(input, strictness);
            assert_eq!(
                got.as_ref().map(Renavam::digits).map_err(|e| *e),
                want,
                "{why}: {input:?}"
            );
        }
    }

    #[test]
    fn as_typed_is_echoed() -> Result<(), DocError> {
        let r = Renavam::parse(" 639884962 ", Strict)?;
        assert_eq!(r.as_str(), "639884962");
        assert_eq!(r.digits(), "00639884962");
        assert_eq!(r.to_string(), "639884962");
        assert_eq!(serialized(&r).ok().as_deref(), Some("639884962"));
        Ok(())
    }
}
