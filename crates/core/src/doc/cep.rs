//! CEP (Código de Endereçamento Postal), the Brazilian postal code.

use super::{extract_any, DocError};

/// A CEP that passed [`Cep::parse`]. Format only: there is no check digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cep {
    raw: String,
    digits: String,
}

impl Cep {
    /// Parses `01310-100` or `01310100` (surrounding whitespace trimmed).
    pub fn parse(input: &str) -> Result<Self, DocError> {
        let raw = input.trim();
        let digits = extract_any(raw, &["99999-999", "99999999"]).ok_or(DocError::Format)?;
        Ok(Self {
            raw: raw.to_owned(),
            digits,
        })
    }

    /// The 8 digits, no mask.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// Canonical masked form, `00000-000`.
    pub fn formatted(&self) -> String {
        format!("{}-{}", &self.digits[..5], &self.digits[5..])
    }

    /// The input as typed (trimmed); the API echoes documents as received.
    pub fn as_str(&self) -> &str {
        &self.raw
    }
}

super::string_repr!(Cep);

#[cfg(test)]
mod tests {
    use super::super::test_support::serialized;
    use super::*;

    #[test]
    fn parse_table() {
        // (input, expected digits or error, reason)
        let rows: &[(&str, Result<&str, DocError>, &str)] = &[
            ("01310-100", Ok("01310100"), "masked"),
            ("01310100", Ok("01310100"), "bare"),
            (" 01310-100 ", Ok("01310100"), "whitespace trimmed"),
            ("0131-0100", Err(DocError::Format), "dash misplaced"),
            ("01310.100", Err(DocError::Format), "dot separator"),
            ("1310100", Err(DocError::Format), "7 digits"),
            ("013101000", Err(DocError::Format), "9 digits"),
            ("01310-10a", Err(DocError::Format), "letter"),
            ("01310 100", Err(DocError::Format), "inner space"),
            ("", Err(DocError::Format), "empty"),
        ];
        for &(input, want, why) in rows {
            let got = Cep::parse(input);
            assert_eq!(
                got.as_ref().map(Cep::digits).map_err(|e| *e),
                want,
                "{why}: {input:?}"
            );
        }
    }

    #[test]
    fn accessors_keep_input_and_normalize() -> Result<(), DocError> {
        // (input, as_str, formatted, reason)
        let rows = [
            ("01310100", "01310100", "01310-100", "bare echoed bare"),
            (
                "\t01310-100",
                "01310-100",
                "01310-100",
                "masked echoed masked",
            ),
        ];
        for (input, as_str, formatted, why) in rows {
            let cep = Cep::parse(input)?;
            assert_eq!(cep.as_str(), as_str, "{why}");
            assert_eq!(cep.formatted(), formatted, "{why}");
            assert_eq!(cep.to_string(), as_str, "{why}: Display");
            assert_eq!(
                serialized(&cep).ok().as_deref(),
                Some(as_str),
                "{why}: Serialize"
            );
        }
        Ok(())
    }
}
