//! VIN (Vehicle Identification Number, chassi).

use super::DocError;

/// A VIN that passed [`Vin::parse`].
///
/// No check digit is verified: Brazilian VINs do not use the North American
/// position-9 check digit, so enforcing it would reject real vehicles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vin {
    normalized: String,
}

impl Vin {
    /// Parses 17 characters from `[A-HJ-NPR-Z0-9]` (I, O and Q are excluded
    /// because they look like 1 and 0); any case, surrounding whitespace
    /// trimmed.
    pub fn parse(input: &str) -> Result<Self, DocError> {
        let normalized = input.trim().to_ascii_uppercase();
        let allowed =
            |b: u8| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"IOQ".contains(&b));
        if normalized.len() != 17 || !normalized.bytes().all(allowed) {
            return Err(DocError::Format);
        }
        Ok(Self { normalized })
    }

    /// The 17 characters, uppercase. Unlike the other documents this is
    /// normalized rather than as typed, since a VIN has no mask to preserve.
    pub fn as_str(&self) -> &str {
        &self.normalized
    }
}

super::string_repr!(Vin);

#[cfg(test)]
mod tests {
    use super::super::test_support::serialized;
    use super::*;

    #[test]
    fn parse_table() {
        // (input, expected normalized or error, reason)
        let rows: &[(&str, Result<&str, DocError>, &str)] = &[
            ("9BWZZZ377VT004251", Ok("9BWZZZ377VT004251"), "Brazilian VW"),
            (
                "9bwzzz377vt004251",
                Ok("9BWZZZ377VT004251"),
                "lowercase uppercased",
            ),
            (
                " 1HGCM82633A004352\n",
                Ok("1HGCM82633A004352"),
                "whitespace trimmed",
            ),
            (
                "9BWZZZ377VT004250",
                Ok("9BWZZZ377VT004250"),
                "no NA check digit enforced",
            ),
            ("9BWZZZ377VT00425", Err(DocError::Format), "16 chars"),
            ("9BWZZZ377VT0042511", Err(DocError::Format), "18 chars"),
            ("9BWZZZ377VT00I251", Err(DocError::Format), "contains I"),
            ("9BWZZZ377VT0O4251", Err(DocError::Format), "contains O"),
            ("9BWZZZ377VTQ04251", Err(DocError::Format), "contains Q"),
            ("9bwzzz377vt00i251", Err(DocError::Format), "lowercase i"),
            ("9BWZZZ377VT-04251", Err(DocError::Format), "dash"),
            ("9BWZZZ377VT 04251", Err(DocError::Format), "inner space"),
            ("9BWZZZ377VT0425Ç", Err(DocError::Format), "non-ASCII"),
            ("", Err(DocError::Format), "empty"),
        ];
        for &(input, want, why) in rows {
            let got = Vin::parse(input);
            assert_eq!(
                got.as_ref().map(Vin::as_str).map_err(|e| *e),
                want,
                "{why}: {input:?}"
            );
        }
    }

    #[test]
    fn display_and_serialize_are_normalized() -> Result<(), DocError> {
        let vin = Vin::parse(" 9bwzzz377vt004251 ")?;
        assert_eq!(vin.to_string(), "9BWZZZ377VT004251");
        assert_eq!(serialized(&vin).ok().as_deref(), Some("9BWZZZ377VT004251"));
        Ok(())
    }
}
