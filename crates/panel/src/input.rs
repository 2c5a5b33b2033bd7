//! Reading what people type into the panel's forms: every field arrives as
//! text, so amounts, integers, ids, local date-times and one-per-line lists
//! are turned into the values core's rules take (the same rules, field
//! names and messages as the Auto API's body readers). Problems are
//! gathered, never the first only, and shown by [`FormErrors`]: next to
//! each field and at the top of the form, naming the field by its
//! Portuguese label rather than the API's key.

use std::str::FromStr;

use chrono::{DateTime, Utc};
use maud::{html, Markup};
use vitrine_core::money::{parse_brazilian_integer, Money, MoneyError};
use vitrine_core::text;
use vitrine_core::time_zone::{parse_local_datetime, TimeZone};
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

/// An optional amount in reais typed the Brazilian way (core's
/// [`Money::parse_brazilian`]: `142.900,50`, `100.000`, `142900.50`);
/// blank is `None`. Ambiguous, negative, too large or more than two
/// decimals are refused with a message.
pub fn money(field: &str, raw: &str) -> Result<Option<Money>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    match Money::parse_brazilian(raw) {
        Ok(m) => Ok(Some(m)),
        Err(MoneyError::Negative) => Err(text::below(field, 0)),
        Err(MoneyError::TooLarge) => Err(text::above(field, "10.000.000.000.000,00")),
        Err(MoneyError::Precision) => Err(FieldError::invalid(
            field,
            format!("Campo '{field}' deve ter no máximo duas casas decimais"),
        )),
        Err(MoneyError::Format) => Err(FieldError::invalid(
            field,
            format!(
                "Campo '{field}' deve ser um valor em reais, como 142.900,00 (vírgula antes dos centavos, ponto a cada mil)"
            ),
        )),
    }
}

/// An amount as a form shows it, so that reading it back gives the same
/// value: `142.900,00`; empty for none.
pub fn money_value(m: Option<Money>) -> String {
    m.map(Money::brazilian).unwrap_or_default()
}

/// An optional integer; blank is `None`, and dots group thousands exactly
/// like amounts (`35.000` km; `35.00` is refused, not read as 3.500).
pub fn integer(field: &str, raw: &str) -> Result<Option<i64>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    parse_brazilian_integer(raw).map(Some).ok_or_else(|| {
        FieldError::invalid(
            field,
            format!("Campo '{field}' deve ser um número inteiro (ponto a cada mil, como 35.000)"),
        )
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

/// An optional date-time typed in the account's zone: `10/12/2026 14:00`
/// or a `datetime-local` value (`2026-12-10T14:00`); an RFC 3339 value with
/// its own offset is taken as it says. A wall-clock time that the zone
/// skips (clocks set forward) is refused.
pub fn local_instant(
    field: &str,
    raw: &str,
    zone: TimeZone,
) -> Result<Option<DateTime<Utc>>, FieldError> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    if let Some(local) = parse_local_datetime(raw) {
        return zone.instant(local).map(Some).ok_or_else(|| {
            FieldError::invalid(
                field,
                format!(
                    "Campo '{field}': {raw} não existe no fuso {zone} (o relógio foi adiantado nessa hora)"
                ),
            )
        });
    }
    DateTime::parse_from_rfc3339(raw)
        .map(|t| Some(t.with_timezone(&Utc)))
        .map_err(|_| {
            FieldError::invalid(
                field,
                format!("Campo '{field}' deve ser uma data e hora como 10/12/2026 14:00"),
            )
        })
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

/// A form's fields: `(key, Portuguese label)`, the key being the name the
/// form posts and core's rules report problems under.
pub type Labels = &'static [(&'static str, &'static str)];

/// The label of `field` (`features[2]` is item 3 of `features`); the key
/// itself when the form has no label for it.
pub fn label_of(labels: Labels, field: &str) -> String {
    let (base, index) = match field.split_once('[') {
        Some((base, rest)) => (base, rest.trim_end_matches(']').parse::<usize>().ok()),
        None => (field, None),
    };
    let label = labels
        .iter()
        .find(|(k, _)| *k == base)
        .map_or(base, |(_, l)| *l);
    match index {
        Some(i) => format!("{label} (item {})", i + 1),
        None => label.to_owned(),
    }
}

/// A core or API message with the field's key replaced by its label:
/// `Campo 'year_model' deve ser…` → `Ano modelo deve ser…`; a uniqueness
/// rule (`Já existe um registro com este 'plate'`) is said without an
/// article that would have to agree with the label (`Placa: já existe um
/// registro com esse valor`). The APIs keep their own wording; this is
/// the panel's boundary.
pub fn relabel(labels: Labels, e: &FieldError) -> String {
    let label = label_of(labels, &e.field);
    if e.kind == "duplicate" {
        return format!("{label}: já existe um registro com esse valor");
    }
    let quoted = format!("'{}'", e.field);
    e.message
        .replace(&format!("Campo {quoted}"), &label)
        .replace(&format!("Parâmetro {quoted}"), &label)
        .replace(&quoted, &label)
}

/// The problems of one submitted form, ready to show: each next to its
/// field ([`FormErrors::at`]) and all of them at the top ([`FormErrors::summary`]).
#[derive(Debug, Default, Clone)]
pub struct FormErrors(Vec<(String, String)>);

impl FormErrors {
    /// No problems (a form shown for the first time).
    pub fn none() -> Self {
        Self::default()
    }

    /// The problems, their messages relabelled with the form's labels.
    pub fn new(labels: Labels, problems: &[FieldError]) -> Self {
        Self(
            problems
                .iter()
                .map(|p| (p.field.clone(), relabel(labels, p)))
                .collect(),
        )
    }

    /// Whether there is nothing to show.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The messages, in order.
    pub fn messages(&self) -> Vec<String> {
        self.0.iter().map(|(_, m)| m.clone()).collect()
    }

    /// The box at the top of the form: every message, so it is in view
    /// when the page opens whatever the form's length.
    pub fn summary(&self) -> Markup {
        html! {
            @if !self.0.is_empty() {
                div.alert.error role="alert" id="erros" {
                    p { strong { "Não foi possível salvar. Corrija o que está indicado:" } }
                    ul { @for (_, m) in &self.0 { li { (m) } } }
                }
            }
        }
    }

    /// The messages of `field` (and of its items, `features[2]`), shown
    /// right under its input.
    pub fn at(&self, field: &str) -> Markup {
        let mine: Vec<&str> = self
            .0
            .iter()
            .filter(|(f, _)| {
                f == field
                    || f.strip_prefix(field)
                        .is_some_and(|rest| rest.starts_with('['))
            })
            .map(|(_, m)| m.as_str())
            .collect();
        html! {
            @for m in mine {
                p.field-error data-field=(field) { (m) }
            }
        }
    }
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
        assert_eq!(cents("100.000"), Ok(Some(10_000_000)), "cem mil");
        assert_eq!(cents("1.500"), Ok(Some(150_000)));
        assert_eq!(cents(" "), Ok(None));
        assert_eq!(cents("-1").map_err(|e| e.kind), Err("min"));
        assert_eq!(cents("1.50.0").map_err(|e| e.kind), Err("invalid"));
        assert_eq!(cents("doze").map_err(|e| e.kind), Err("invalid"));
        assert_eq!(
            money_value(Some(Money::from_cents(14_290_000))),
            "142.900,00"
        );
        assert_eq!(money_value(None), "");
    }

    #[test]
    fn integers_ids_and_lines() {
        assert_eq!(integer("mileage", "35.000"), Ok(Some(35_000)));
        assert_eq!(integer("mileage", ""), Ok(None));
        assert!(integer("mileage", "35.00").is_err(), "not 3.500");
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

    #[test]
    fn local_times_in_the_accounts_zone() {
        let sp = TimeZone::default();
        let at = |s: &str| local_instant("due_date", s, sp).map(|t| t.map(|t| t.to_rfc3339()));
        let expected = Ok(Some("2026-12-10T17:00:00+00:00".to_owned()));
        assert_eq!(at("10/12/2026 14:00"), expected);
        assert_eq!(at("2026-12-10T14:00"), expected);
        assert_eq!(at("2026-12-10T14:00:00-03:00"), expected);
        assert_eq!(at(""), Ok(None));
        assert_eq!(at("amanhã").map_err(|e| e.kind), Err("invalid"));
    }

    #[test]
    fn messages_name_fields_by_their_labels() {
        const LABELS: Labels = &[
            ("year_model", "Ano modelo"),
            ("features", "Opcionais"),
            ("cnpj", "CNPJ"),
        ];
        let year = FieldError::invalid(
            "year_model",
            "Campo 'year_model' deve ser maior ou igual a 1900",
        );
        assert_eq!(
            relabel(LABELS, &year),
            "Ano modelo deve ser maior ou igual a 1900"
        );
        assert_eq!(
            relabel(LABELS, &text::duplicate("cnpj")),
            "CNPJ: já existe um registro com esse valor"
        );
        let item = FieldError::invalid("features[2]", "Campo 'features[2]' não pode ser vazio");
        assert_eq!(
            relabel(LABELS, &item),
            "Opcionais (item 3) não pode ser vazio"
        );
        let unknown = FieldError::required("color");
        assert_eq!(relabel(LABELS, &unknown), "color é obrigatório");

        let errors = FormErrors::new(LABELS, &[year, item]);
        let at = errors.at("features").into_string();
        assert!(
            at.contains("Opcionais (item 3)") && !at.contains("Ano modelo"),
            "{at}"
        );
        let top = errors.summary().into_string();
        assert!(
            top.contains("Ano modelo") && top.contains("Opcionais"),
            "{top}"
        );
        assert!(FormErrors::none().summary().into_string().is_empty());
    }
}
