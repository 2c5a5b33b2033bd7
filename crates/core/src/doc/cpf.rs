//! CPF (Cadastro de Pessoas Físicas), the individual taxpayer number.

use super::{all_same, digit, extract_any, DocError, Strictness};

/// A CPF that passed [`Cpf::parse`].
///
/// Equality compares the text as typed too; use [`Cpf::digits`] or
/// [`super::digits_key`] to detect duplicates across masks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cpf {
    raw: String,
    digits: String,
}

impl Cpf {
    /// Parses `123.456.789-00` or `12345678900` (surrounding whitespace
    /// trimmed). `Strict` also verifies both mod-11 check digits and rejects
    /// repeated-digit sequences such as `111.111.111-11`.
    pub fn parse(input: &str, strictness: Strictness) -> Result<Self, DocError> {
        let raw = input.trim();
        let digits =
            extract_any(raw, &["999.999.999-99", "99999999999"]).ok_or(DocError::Format)?;
        if strictness == Strictness::Strict && !check_digits_ok(&digits) {
            return Err(DocError::CheckDigits);
        }
        Ok(Self {
            raw: raw.to_owned(),
            digits,
        })
    }

    /// The 11 digits, no mask.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// Canonical masked form, `000.000.000-00`.
    pub fn formatted(&self) -> String {
        let d = &self.digits;
        format!("{}.{}.{}-{}", &d[0..3], &d[3..6], &d[6..9], &d[9..11])
    }

    /// The input as typed (trimmed); the API echoes documents as received.
    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

super::string_repr!(Cpf);

/// Mod-11 check for an 11-digit string; repeated sequences fail even though
/// their digits add up.
fn check_digits_ok(digits: &str) -> bool {
    let b = digits.as_bytes();
    if b.len() != 11 || all_same(digits) {
        return false;
    }
    let dv = |len: usize| -> u32 {
        let weight_top = len as u32 + 1;
        let sum: u32 = b[..len]
            .iter()
            .zip((2..=weight_top).rev())
            .map(|(&c, w)| digit(c) * w)
            .sum();
        (sum * 10 % 11) % 10
    };
    dv(9) == digit(b[9]) && dv(10) == digit(b[10])
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
                "529.982.247-25",
                Strict,
                Ok("52998224725"),
                "known valid, masked",
            ),
            (
                "52998224725",
                Strict,
                Ok("52998224725"),
                "known valid, bare",
            ),
            ("111.444.777-35", Strict, Ok("11144477735"), "known valid"),
            (
                "  529.982.247-25\n",
                Strict,
                Ok("52998224725"),
                "whitespace trimmed",
            ),
            (
                "123.456.789-09",
                Strict,
                Ok("12345678909"),
                "valid DVs of 123456789",
            ),
            (
                "123.456.789-00",
                Lenient,
                Ok("12345678900"),
                "vendor example, lenient",
            ),
            (
                "12345678900",
                Lenient,
                Ok("12345678900"),
                "vendor example bare",
            ),
            (
                "123.456.789-00",
                Strict,
                Err(DocError::CheckDigits),
                "vendor example has bad DVs",
            ),
            (
                "529.982.247-24",
                Strict,
                Err(DocError::CheckDigits),
                "second DV off by one",
            ),
            (
                "529.982.247-35",
                Strict,
                Err(DocError::CheckDigits),
                "first DV wrong",
            ),
            (
                "000.000.000-00",
                Strict,
                Err(DocError::CheckDigits),
                "repeated zeros",
            ),
            (
                "111.111.111-11",
                Strict,
                Err(DocError::CheckDigits),
                "repeated ones",
            ),
            (
                "99999999999",
                Strict,
                Err(DocError::CheckDigits),
                "repeated nines",
            ),
            (
                "111.111.111-11",
                Lenient,
                Ok("11111111111"),
                "lenient is format only",
            ),
            (
                "123.456.78900",
                Lenient,
                Err(DocError::Format),
                "partial mask",
            ),
            ("123456789-00", Lenient, Err(DocError::Format), "dash only"),
            (
                "123.456.789/00",
                Lenient,
                Err(DocError::Format),
                "wrong separator",
            ),
            ("1234567890", Lenient, Err(DocError::Format), "10 digits"),
            ("123456789000", Lenient, Err(DocError::Format), "12 digits"),
            ("1234567890a", Lenient, Err(DocError::Format), "letter"),
            (
                "123 456 789 00",
                Lenient,
                Err(DocError::Format),
                "inner spaces",
            ),
            ("", Lenient, Err(DocError::Format), "empty"),
            (
                "１２３４５６７８９００",
                Lenient,
                Err(DocError::Format),
                "full-width digits",
            ),
        ];
        for &(input, strictness, want, why) in rows {
            let got = Cpf::parse(input, strictness);
            assert_eq!(
                got.as_ref().map(Cpf::digits).map_err(|e| *e),
                want,
                "{why}: {input:?}"
            );
        }
    }

    #[test]
    fn accessors_keep_input_and_normalize() -> Result<(), DocError> {
        // (input, as_str, formatted, reason)
        let rows = [
            (
                " 52998224725 ",
                "52998224725",
                "529.982.247-25",
                "bare input echoed bare",
            ),
            (
                "529.982.247-25",
                "529.982.247-25",
                "529.982.247-25",
                "masked input echoed masked",
            ),
        ];
        for (input, as_str, formatted, why) in rows {
            let cpf = Cpf::parse(input, Strict)?;
            assert_eq!(cpf.as_str(), as_str, "{why}");
            assert_eq!(cpf.formatted(), formatted, "{why}");
            assert_eq!(cpf.to_string(), as_str, "{why}: Display");
            assert_eq!(
                serialized(&cpf).ok().as_deref(),
                Some(as_str),
                "{why}: Serialize"
            );
        }
        Ok(())
    }

    #[test]
    fn different_masks_share_digits() -> Result<(), DocError> {
        let a = Cpf::parse("12345678900", Lenient)?;
        let b = Cpf::parse("123.456.789-00", Lenient)?;
        assert_eq!(a.digits(), b.digits());
        assert_ne!(a, b, "equality includes the as-typed text");
        Ok(())
    }
}
