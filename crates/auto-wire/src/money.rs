//! Money as a JSON number with two decimals, written as a literal
//! (`142900.00`) so no float ever touches it (§3.10, G24).

use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use vitrine_core::money::Money;

/// `serialize_with` for `Option<Money>`: `null` or the two-decimal literal.
pub fn opt<S: Serializer>(value: &Option<Money>, s: S) -> Result<S::Ok, S::Error> {
    match value {
        None => s.serialize_none(),
        Some(m) => RawValue::from_string(m.to_string())
            .map_err(S::Error::custom)?
            .serialize(s),
    }
}

/// `serialize_with` for `Money`: the two-decimal literal (negative for a
/// loss: `-1500.00`).
pub fn one<S: Serializer>(value: &Money, s: S) -> Result<S::Ok, S::Error> {
    RawValue::from_string(value.to_string())
        .map_err(S::Error::custom)?
        .serialize(s)
}

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use vitrine_core::money::Money;

    #[derive(Serialize)]
    struct Priced {
        #[serde(serialize_with = "super::opt")]
        price: Option<Money>,
        #[serde(serialize_with = "super::opt")]
        none: Option<Money>,
    }

    #[test]
    fn renders_two_decimal_literals() {
        let p = Priced {
            price: Some(Money::from_cents(14_290_000)),
            none: None,
        };
        let json = serde_json::to_string(&p).expect("serializes");
        assert_eq!(json, r#"{"price":142900.00,"none":null}"#);
    }
}
