//! Reading what people type into the panel's forms: every field arrives as
//! text, so amounts, integers, ids and one-per-line lists are turned into
//! the values core's rules take, with the same field names and messages as
//! the Auto API's body readers. Problems are gathered, never the first only.

use std::str::FromStr;

use vitrine_core::money::{Money, MoneyError};
use vitrine_core::text;
use vitrine_core::FieldError;

/// Every problem met while reading one form.
#[derive(Debug, Default)]
pub struct Problems(pub Vec<FieldError>);

impl Problems {
    /// The value, or `None` with the problem kept.
    pub fn take<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e);
                None
            }
        }
    }

    /// Whether nothing went wrong.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An optional amount in reais: `142900`, `142900.50` or the Brazilian
/// `142.900,50`; blank is `None`. Negative, too large or more than two
/// decimals are refused like the API refuses them.
pub fn money(field: &str, raw: &str) -> Result<Option<Money>, FieldError> {
    let raw = raw.trim().trim_start_matches("R$").trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let literal = if raw.contains(',') {
        raw.replace('.', "").replace(',', ".")
    } else {
        raw.to_owned()
    };
    match Money::parse_literal(&literal) {
        Ok(m) => Ok(Some(m)),
        Err(MoneyError::Negative) => Err(text::below(field, 0)),
        Err(MoneyError::TooLarge) => Err(text::above(field, "10000000000000")),
        Err(MoneyError::Precision) => Err(FieldError::invalid(
            field,
            format!("Campo '{field}' deve ter no máximo duas casas decimais"),
        )),
        Err(MoneyError::Format) => Err(FieldError::invalid(
            field,
            format!("Campo '{field}' deve ser um valor em reais, como 142.900,00"),
        )),
    }
}

/// An optional integer; blank is `None`, and dots are read as thousands
/// separators (`35.000` km).
pub fn integer(field: &str, raw: &str) -> Result<Option<i64>, FieldError> {
    let raw = raw.trim().replace('.', "");
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| {
        FieldError::invalid(field, format!("Campo '{field}' deve ser um número inteiro"))
    })
}

/// An optional id chosen in a select; one that is not an id cannot name a
/// record, so it is `not_found` like the API's malformed references.
pub fn id<T: FromStr>(field: &str, raw: &str) -> Result<Option<T>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    raw.parse().map(Some).map_err(|_| text::not_found(field))
}

/// A list typed one item per line (features, photo URLs); blank lines are
/// skipped, no lines is `None`. At most [`text::MAX_ITEMS`] items.
pub fn lines(field: &str, raw: &str, max: usize, problems: &mut Problems) -> Option<Vec<String>> {
    let items: Vec<&str> = raw.lines().filter(|l| !l.trim().is_empty()).collect();
    if items.is_empty() {
        return None;
    }
    if items.len() > text::MAX_ITEMS {
        problems
            .0
            .push(text::above(field, format!("{} itens", text::MAX_ITEMS)));
        return None;
    }
    let out: Vec<String> = items
        .iter()
        .enumerate()
        .filter_map(|(i, s)| problems.take(text::list_item(field, i, s, max)))
        .collect();
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_as_people_type_them() {
        let cents = |s: &str| money("price", s).map(|m| m.map(Money::cents));
        assert_eq!(cents("142.900,00"), Ok(Some(14_290_000)));
        assert_eq!(cents("R$ 142.900,5"), Ok(Some(14_290_050)));
        assert_eq!(cents("142900.00"), Ok(Some(14_290_000)));
        assert_eq!(cents(" "), Ok(None));
        assert_eq!(cents("-1").map_err(|e| e.kind), Err("min"));
        assert_eq!(cents("1.234").map_err(|e| e.kind), Err("invalid"));
        assert_eq!(cents("doze").map_err(|e| e.kind), Err("invalid"));
    }

    #[test]
    fn integers_ids_and_lines() {
        assert_eq!(integer("mileage", "35.000"), Ok(Some(35_000)));
        assert_eq!(integer("mileage", ""), Ok(None));
        assert!(integer("doors", "4,5").is_err());
        let bad: Result<Option<uuid::Uuid>, _> = id("store_id", "loja");
        assert_eq!(bad.map_err(|e| e.kind), Err("not_found"));
        let mut p = Problems::default();
        assert_eq!(
            lines("features", "Ar\n\n  Couro \n", 50, &mut p),
            Some(vec!["Ar".to_owned(), "Couro".to_owned()])
        );
        assert_eq!(lines("features", " \n", 50, &mut p), None);
        assert!(p.is_empty());
    }
}
