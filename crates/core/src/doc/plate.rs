//! Brazilian vehicle licence plates (placas), old and Mercosul.

use super::{extract, DocError};

/// Which plate standard a [`Plate`] follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PlateKind {
    /// Pre-2018 grey plate: three letters, four digits (`ABC1234`, `ABC-1234`).
    Old,
    /// Mercosul plate: letter in the fifth position (`ABC1D23`).
    Mercosul,
}

/// A licence plate that passed [`Plate::parse`].
///
/// Equality compares the text as typed too; use [`Plate::normalized`] to
/// detect duplicates across case and dash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plate {
    raw: String,
    normalized: String,
    kind: PlateKind,
}

impl Plate {
    /// Parses `ABC1234`, `ABC-1234` or `ABC1D23`, any case, surrounding
    /// whitespace trimmed. Everything else is [`DocError::Format`].
    pub fn parse(input: &str) -> Result<Self, DocError> {
        let raw = input.trim();
        let (normalized, kind) = if let Some(n) = extract(raw, "AAA9A99") {
            (n, PlateKind::Mercosul)
        } else if let Some(n) = extract(raw, "AAA9999").or_else(|| extract(raw, "AAA-9999")) {
            (n, PlateKind::Old)
        } else {
            return Err(DocError::Format);
        };
        Ok(Self {
            raw: raw.to_owned(),
            normalized,
            kind,
        })
    }

    /// Uppercase, no dash: the key for duplicate detection.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    /// The input as sent (trimmed); the API echoes documents as received.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    /// Old or Mercosul standard.
    pub fn kind(&self) -> PlateKind {
        self.kind
    }
}

super::string_repr!(Plate);

#[cfg(test)]
mod tests {
    use super::super::test_support::serialized;
    use super::*;
    use PlateKind::{Mercosul, Old};

    /// (input, expected (normalized, kind) or error, reason)
    type Row = (
        &'static str,
        Result<(&'static str, PlateKind), DocError>,
        &'static str,
    );

    #[test]
    fn parse_table() {
        let rows: &[Row] = &[
            ("ABC1234", Ok(("ABC1234", Old)), "old, bare"),
            ("ABC-1234", Ok(("ABC1234", Old)), "old, dashed"),
            ("abc-1234", Ok(("ABC1234", Old)), "old, lowercase"),
            ("ABC1D23", Ok(("ABC1D23", Mercosul)), "Mercosul"),
            ("abc1d23", Ok(("ABC1D23", Mercosul)), "Mercosul, lowercase"),
            (" BRA2E19 ", Ok(("BRA2E19", Mercosul)), "whitespace trimmed"),
            ("AB1234", Err(DocError::Format), "two letters"),
            ("ABCD123", Err(DocError::Format), "four letters"),
            ("ABC12D3", Err(DocError::Format), "letter in sixth position"),
            ("ABC-1D23", Err(DocError::Format), "Mercosul has no dash"),
            ("ABC 1234", Err(DocError::Format), "space instead of dash"),
            ("ABC12345", Err(DocError::Format), "five digits"),
            ("A1C1234", Err(DocError::Format), "digit among letters"),
            ("ÁBC1234", Err(DocError::Format), "non-ASCII letter"),
            ("", Err(DocError::Format), "empty"),
        ];
        for &(input, want, why) in rows {
            let got = Plate::parse(input);
            let got = got
                .as_ref()
                .map(|p| (p.normalized(), p.kind()))
                .map_err(|e| *e);
            assert_eq!(got, want, "{why}: {input:?}");
        }
    }

    #[test]
    fn as_typed_is_echoed() -> Result<(), DocError> {
        // (input, as_str, reason)
        let rows = [
            (" abc-1234 ", "abc-1234", "case and dash kept"),
            ("ABC1D23", "ABC1D23", "Mercosul unchanged"),
        ];
        for (input, as_str, why) in rows {
            let plate = Plate::parse(input)?;
            assert_eq!(plate.as_str(), as_str, "{why}");
            assert_eq!(plate.to_string(), as_str, "{why}: Display");
            assert_eq!(
                serialized(&plate).ok().as_deref(),
                Some(as_str),
                "{why}: Serialize"
            );
        }
        Ok(())
    }

    #[test]
    fn same_vehicle_same_key() -> Result<(), DocError> {
        let a = Plate::parse("abc-1234")?;
        let b = Plate::parse("ABC1234")?;
        assert_eq!(a.normalized(), b.normalized());
        Ok(())
    }
}
