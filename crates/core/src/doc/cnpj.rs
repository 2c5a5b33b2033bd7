//! CNPJ (Cadastro Nacional da Pessoa Jurídica), the company taxpayer number,
//! in both the classic numeric form and the alphanumeric form introduced by
//! IN RFB 2.229/2024 (issued from July 2026).

use super::{all_same, extract_any, DocError, Strictness};

/// Accepted shapes: first 12 positions `[0-9A-Z]` (any case), last 2 digits.
const MASKS: [&str; 2] = ["XX.XXX.XXX/XXXX-99", "XXXXXXXXXXXX99"];

/// Weights for the first check digit; the second uses 6 followed by these.
const WEIGHTS: [u32; 12] = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2];

/// A CNPJ (numeric or alphanumeric) that passed [`Cnpj::parse`].
///
/// Equality compares the text as typed too; use [`Cnpj::normalized`] or
/// [`super::digits_key`] to detect duplicates across masks and case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cnpj {
    raw: String,
    normalized: String,
}

impl Cnpj {
    /// Parses `12.345.678/0001-90`, `12345678000190`, or the alphanumeric
    /// `12.ABC.345/01DE-35` / `12ABC34501DE35` (lowercase accepted and
    /// uppercased; surrounding whitespace trimmed). `Strict` also verifies
    /// the two check digits and rejects all-same-digit numeric sequences.
    pub fn parse(input: &str, strictness: Strictness) -> Result<Self, DocError> {
        let raw = input.trim();
        let normalized = extract_any(raw, &MASKS).ok_or(DocError::Format)?;
        if strictness == Strictness::Strict && !check_digits_ok(&normalized) {
            return Err(DocError::CheckDigits);
        }
        Ok(Self {
            raw: raw.to_owned(),
            normalized,
        })
    }

    /// The 14 characters, uppercase, no mask (the storage/comparison key).
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// Canonical masked form, `00.000.000/0000-00` (uppercase).
    pub fn formatted(&self) -> String {
        let n = &self.normalized;
        format!(
            "{}.{}.{}/{}-{}",
            &n[0..2],
            &n[2..5],
            &n[5..8],
            &n[8..12],
            &n[12..14]
        )
    }

    /// The input as typed (trimmed); the API echoes documents as received.
    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

super::string_repr!(Cnpj);

/// Value of a CNPJ character: ASCII code − 48, so `0`–`9` → 0–9 and
/// `A`–`Z` → 17–42. This makes the alphanumeric rule reduce to the classic
/// one for numeric CNPJs.
fn value(c: u8) -> u32 {
    u32::from(c.saturating_sub(b'0'))
}

/// Modulo-11 check digit over `chars` with `weights`.
fn dv(chars: &[u8], weights: impl Iterator<Item = u32>) -> u32 {
    let sum: u32 = chars.iter().zip(weights).map(|(&c, w)| value(c) * w).sum();
    match sum % 11 {
        0 | 1 => 0,
        r => 11 - r,
    }
}

/// Verifies both check digits of a normalized (uppercase, unmasked) CNPJ.
fn check_digits_ok(normalized: &str) -> bool {
    let b = normalized.as_bytes();
    if b.len() != 14 || all_same(normalized) {
        return false;
    }
    let first = dv(&b[..12], WEIGHTS.iter().copied());
    let second = dv(&b[..13], std::iter::once(6).chain(WEIGHTS.iter().copied()));
    first == value(b[12]) && second == value(b[13])
}

#[cfg(test)]
mod tests {
    use super::super::test_support::serialized;
    use super::*;
    use Strictness::{Lenient, Strict};

    #[test]
    fn parse_table() {
        // (input, strictness, expected normalized or error, reason)
        let rows: &[(&str, Strictness, Result<&str, DocError>, &str)] = &[
            (
                "11.222.333/0001-81",
                Strict,
                Ok("11222333000181"),
                "known valid, masked",
            ),
            (
                "11222333000181",
                Strict,
                Ok("11222333000181"),
                "known valid, bare",
            ),
            (
                "11.444.777/0001-61",
                Strict,
                Ok("11444777000161"),
                "known valid",
            ),
            (
                "12.345.678/0001-95",
                Strict,
                Ok("12345678000195"),
                "valid DVs of 12345678/0001",
            ),
            (
                " 11.222.333/0001-81\t",
                Strict,
                Ok("11222333000181"),
                "whitespace trimmed",
            ),
            (
                "12.ABC.345/01DE-35",
                Strict,
                Ok("12ABC34501DE35"),
                "official alphanumeric example",
            ),
            (
                "12ABC34501DE35",
                Strict,
                Ok("12ABC34501DE35"),
                "alphanumeric bare",
            ),
            (
                "12.abc.345/01de-35",
                Strict,
                Ok("12ABC34501DE35"),
                "lowercase uppercased",
            ),
            (
                "ABCDEFGHIJKL80",
                Strict,
                Ok("ABCDEFGHIJKL80"),
                "all letters, computed DVs",
            ),
            (
                "12.345.678/0001-90",
                Lenient,
                Ok("12345678000190"),
                "vendor example, lenient",
            ),
            (
                "12.345.678/0001-90",
                Strict,
                Err(DocError::CheckDigits),
                "vendor example has bad DVs",
            ),
            (
                "11.222.333/0001-82",
                Strict,
                Err(DocError::CheckDigits),
                "second DV off by one",
            ),
            (
                "11.222.333/0001-91",
                Strict,
                Err(DocError::CheckDigits),
                "first DV wrong",
            ),
            (
                "12.ABC.345/01DE-36",
                Strict,
                Err(DocError::CheckDigits),
                "alphanumeric DV wrong",
            ),
            (
                "12.ABD.345/01DE-35",
                Strict,
                Err(DocError::CheckDigits),
                "letter changed",
            ),
            (
                "00.000.000/0000-00",
                Strict,
                Err(DocError::CheckDigits),
                "repeated zeros",
            ),
            (
                "11111111111111",
                Strict,
                Err(DocError::CheckDigits),
                "repeated ones",
            ),
            (
                "00.000.000/0000-00",
                Lenient,
                Ok("00000000000000"),
                "lenient is format only",
            ),
            (
                "12.ABC.345/01DE-3A",
                Lenient,
                Err(DocError::Format),
                "letter in DV",
            ),
            (
                "12ABC34501DEAB",
                Lenient,
                Err(DocError::Format),
                "letters in DVs, bare",
            ),
            (
                "12.345.678/000190",
                Lenient,
                Err(DocError::Format),
                "partial mask",
            ),
            (
                "12.345.678.0001-90",
                Lenient,
                Err(DocError::Format),
                "wrong separator",
            ),
            ("1122233300018", Lenient, Err(DocError::Format), "13 chars"),
            (
                "112223330001811",
                Lenient,
                Err(DocError::Format),
                "15 chars",
            ),
            (
                "12.AB_.345/01DE-35",
                Lenient,
                Err(DocError::Format),
                "symbol in body",
            ),
            (
                "12.ABÇ.345/01DE-35",
                Lenient,
                Err(DocError::Format),
                "non-ASCII letter",
            ),
            ("", Lenient, Err(DocError::Format), "empty"),
        ];
        for &(input, strictness, want, why) in rows {
            let got = Cnpj::parse(input, strictness);
            assert_eq!(
                got.as_ref().map(Cnpj::normalized).map_err(|e| *e),
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
                "11222333000181",
                "11222333000181",
                "11.222.333/0001-81",
                "bare echoed bare",
            ),
            (
                " 12.abc.345/01de-35 ",
                "12.abc.345/01de-35",
                "12.ABC.345/01DE-35",
                "case kept as typed",
            ),
            (
                "12abc34501de35",
                "12abc34501de35",
                "12.ABC.345/01DE-35",
                "bare lowercase",
            ),
        ];
        for (input, as_str, formatted, why) in rows {
            let cnpj = Cnpj::parse(input, Strict)?;
            assert_eq!(cnpj.as_str(), as_str, "{why}");
            assert_eq!(cnpj.formatted(), formatted, "{why}");
            assert_eq!(cnpj.to_string(), as_str, "{why}: Display");
            assert_eq!(
                serialized(&cnpj).ok().as_deref(),
                Some(as_str),
                "{why}: Serialize"
            );
        }
        Ok(())
    }
}
