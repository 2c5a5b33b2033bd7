//! Reading a JSON body field by field, gathering every problem at once.
//!
//! The body arrives as a map of raw JSON values (`AutoJson<Fields>`), so a
//! money literal is read exactly as written (`142900.00`, never through
//! `f64`). Each reader applies one field to a domain value with the
//! partial-update rules of ecosys-auto-api.md §3.12: an absent field leaves
//! the value as it is, `null` clears an optional field and is refused on a
//! required one, and on creation a missing required field is reported.
//! Readers never stop at the first problem; [`Body::finish`] reports them
//! all (400), and the references met on the way are checked afterwards
//! against the database by the use case (422, `vitrine-app`).

use std::collections::HashMap;
use std::str::FromStr;

use serde_json::value::RawValue;
use serde_json::Value;
pub use vitrine_core::ids::Reference;
use vitrine_core::ids::UserId;
use vitrine_core::money::{Money, MoneyError};
use vitrine_core::text;
use vitrine_core::FieldError;

/// A JSON object body with its values kept raw.
pub type Fields = HashMap<String, Box<RawValue>>;

/// Whether the body creates a record (missing required fields are
/// problems) or patches one (missing fields are left alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `POST`.
    Create,
    /// `PUT`/`PATCH`.
    Update,
}

/// The field readers over one body (or one nested object of it).
#[derive(Debug)]
pub struct Body {
    fields: Fields,
    prefix: String,
    mode: Mode,
    /// Every problem found so far.
    pub problems: Vec<FieldError>,
    /// Every reference set by the body, with its field name.
    pub references: Vec<(String, Reference)>,
}

/// What a field holds.
enum Slot {
    Absent,
    Null,
    Value(Value, String),
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "nulo",
        Value::Bool(_) => "booleano",
        Value::Number(_) => "número",
        Value::String(_) => "texto",
        Value::Array(_) => "lista",
        Value::Object(_) => "objeto",
    }
}

/// Whether a NUL character sits in any string (or key) of the value.
fn has_nul(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\0'),
        Value::Array(items) => items.iter().any(has_nul),
        Value::Object(map) => map.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// Keeps the fields a reader can use and reports the others (400), read
/// as absent so nothing is changed by them:
/// - a value JSON syntax allows but no reader can represent — a number out
///   of range (`1e309`) or a string with a lone surrogate (`"\ud800"`).
///   Read as anything else it would become `null` and a `PUT` would
///   silently clear the field (issue 12.9);
/// - a NUL character anywhere: no text field can store one (PostgreSQL
///   refuses it), and no value needs one.
fn admit(fields: &mut Fields, prefix: &str, problems: &mut Vec<FieldError>) {
    fields.retain(|name, raw| {
        let name = format!("{prefix}{name}");
        let problem = match serde_json::from_str::<Value>(raw.get()) {
            Err(_) => Some(format!(
                "Campo '{name}' tem um valor ilegível (número fora do intervalo ou texto com caractere inválido)"
            )),
            Ok(v) if has_nul(&v) => Some(format!("Campo '{name}' contém caracteres inválidos")),
            Ok(_) => None,
        };
        if let Some(message) = &problem {
            problems.push(FieldError::invalid(&name, message.clone()));
        }
        problem.is_none()
    });
}

impl Body {
    /// Readers over a parsed body; fields no reader can use are reported
    /// at once (see [`admit`]).
    pub fn new(mut fields: Fields, mode: Mode) -> Self {
        let mut problems = Vec::new();
        admit(&mut fields, "", &mut problems);
        Self {
            fields,
            prefix: String::new(),
            mode,
            problems,
            references: Vec::new(),
        }
    }

    /// The body's mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The field name as the client sees it (`address.city` when nested).
    fn name(&self, field: &str) -> String {
        format!("{}{field}", self.prefix)
    }

    /// Whether the body names `field` at all (even as `null`).
    pub fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }

    fn slot(&self, field: &str) -> Slot {
        match self.fields.get(field) {
            None => Slot::Absent,
            // A raw value is valid JSON by construction; `Err` cannot happen.
            // `admit` kept only values that parse, so `Err` cannot happen;
            // were it to, the field is left alone rather than cleared.
            Some(raw) => match serde_json::from_str::<Value>(raw.get()) {
                Ok(Value::Null) => Slot::Null,
                Ok(v) => Slot::Value(v, raw.get().to_owned()),
                Err(_) => Slot::Absent,
            },
        }
    }

    fn wrong_type(&mut self, field: &str, expected: &str, got: &Value) {
        let name = self.name(field);
        let message = format!(
            "Campo '{name}' deve ser {expected}, recebido {}",
            kind_of(got)
        );
        self.problems.push(FieldError::invalid(&name, message));
    }

    fn push(&mut self, problem: FieldError) {
        self.problems.push(problem);
    }

    /// A required field absent on creation, or `null` at any time.
    fn missing(&mut self, field: &str, absent: bool) {
        if !absent || self.mode == Mode::Create {
            let name = self.name(field);
            self.problems.push(FieldError::required(&name));
        }
    }

    /// Reads a string field for a required value: `Some(text)` when given.
    fn required_str(&mut self, field: &str) -> Option<String> {
        match self.slot(field) {
            Slot::Absent => {
                self.missing(field, true);
                None
            }
            Slot::Null => {
                self.missing(field, false);
                None
            }
            Slot::Value(Value::String(s), _) => Some(s),
            Slot::Value(v, _) => {
                self.wrong_type(field, "texto", &v);
                None
            }
        }
    }

    /// Reads a string field for an optional value: `None` when absent,
    /// `Some(None)` for `null` or blank, `Some(Some(text))` otherwise.
    fn optional_str(&mut self, field: &str) -> Option<Option<String>> {
        match self.slot(field) {
            Slot::Absent => None,
            Slot::Null => Some(None),
            Slot::Value(Value::String(s), _) if s.trim().is_empty() => Some(None),
            Slot::Value(Value::String(s), _) => Some(Some(s)),
            Slot::Value(v, _) => {
                self.wrong_type(field, "texto", &v);
                None
            }
        }
    }

    /// A required text of at most `max` characters.
    pub fn text(&mut self, field: &str, max: usize, target: &mut String) {
        if let Some(s) = self.required_str(field) {
            match text::required_text(&self.name(field), &s, max) {
                Ok(v) => *target = v,
                Err(e) => self.push(e),
            }
        }
    }

    /// An optional text of at most `max` characters.
    pub fn opt_text(&mut self, field: &str, max: usize, target: &mut Option<String>) {
        let name = self.name(field);
        self.opt_parsed(field, target, |s| {
            text::optional_text(&name, s, max).map(|v| v.unwrap_or_default())
        });
    }

    /// An optional string turned into `T` by `parse` (documents, dates,
    /// e-mails…); blank counts as `null`.
    pub fn opt_parsed<T>(
        &mut self,
        field: &str,
        target: &mut Option<T>,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) {
        match self.optional_str(field) {
            None => {}
            Some(None) => *target = None,
            Some(Some(s)) => match parse(&s) {
                Ok(v) => *target = Some(v),
                Err(e) => self.push(e),
            },
        }
    }

    /// A required enum (or other parsed string); absent keeps the default
    /// or current value, `null` is refused.
    pub fn parsed<T>(
        &mut self,
        field: &str,
        target: &mut T,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) {
        match self.slot(field) {
            Slot::Absent => {}
            // A blank required value is as missing as `null`.
            Slot::Null => self.missing(field, false),
            Slot::Value(Value::String(s), _) if s.trim().is_empty() => self.missing(field, false),
            Slot::Value(Value::String(s), _) => match parse(&s) {
                Ok(v) => *target = v,
                Err(e) => self.push(e),
            },
            Slot::Value(v, _) => self.wrong_type(field, "texto", &v),
        }
    }

    /// A required enum with no default (client `type`): like
    /// [`Body::parsed`], but absent on creation is `required`.
    pub fn parsed_required<T>(
        &mut self,
        field: &str,
        target: &mut T,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) {
        if self.has(field) {
            self.parsed(field, target, parse);
        } else {
            self.missing(field, true);
        }
    }

    /// An optional integer checked by `check`. A number with no fractional
    /// part is an integer whatever its spelling (`18500.0`, `1.85e4`: what
    /// Python's `json.dumps` writes for a float), read from its literal;
    /// `18500.5` and strings are refused.
    pub fn opt_int<T>(
        &mut self,
        field: &str,
        target: &mut Option<T>,
        check: impl FnOnce(i64) -> Result<T, FieldError>,
    ) {
        match self.slot(field) {
            Slot::Absent => {}
            Slot::Null => *target = None,
            Slot::Value(Value::Number(n), raw) => match text::whole_number(&raw) {
                Some(n) => match check(n) {
                    Ok(x) => *target = Some(x),
                    Err(e) => self.push(e),
                },
                None => self.wrong_type(field, "um número inteiro", &Value::Number(n)),
            },
            Slot::Value(v, _) => self.wrong_type(field, "um número inteiro", &v),
        }
    }

    /// A boolean with a default (`active`); `null` is refused.
    pub fn boolean(&mut self, field: &str, target: &mut bool) {
        match self.slot(field) {
            Slot::Absent => {}
            Slot::Null => self.missing(field, false),
            Slot::Value(Value::Bool(b), _) => *target = b,
            Slot::Value(v, _) => self.wrong_type(field, "booleano", &v),
        }
    }

    /// An optional amount: a JSON number, at least zero, two decimals at
    /// most, read from its literal text.
    pub fn opt_money(&mut self, field: &str, target: &mut Option<Money>) {
        let name = self.name(field);
        match self.slot(field) {
            Slot::Absent => {}
            Slot::Null => *target = None,
            Slot::Value(Value::Number(_), raw) => match Money::parse_literal(&raw) {
                Ok(m) => *target = Some(m),
                Err(MoneyError::Negative) => self.push(text::below(&name, 0)),
                Err(MoneyError::TooLarge) => self.push(text::above(&name, "10000000000000")),
                Err(MoneyError::Precision | MoneyError::Format) => self.push(FieldError::invalid(
                    &name,
                    format!("Campo '{name}' deve ter no máximo duas casas decimais"),
                )),
            },
            Slot::Value(v, _) => self.wrong_type(field, "um número", &v),
        }
    }

    /// A list of non-empty strings (`tags`); `null` empties it.
    pub fn list(&mut self, field: &str, max: usize, target: &mut Vec<String>) {
        let mut value = Some(std::mem::take(target));
        self.opt_list(field, max, &mut value);
        *target = value.unwrap_or_default();
    }

    /// An optional list of non-empty strings (`features`, `photos`).
    pub fn opt_list(&mut self, field: &str, max: usize, target: &mut Option<Vec<String>>) {
        let name = self.name(field);
        match self.slot(field) {
            Slot::Absent => {}
            Slot::Null => *target = None,
            Slot::Value(Value::Array(items), _) => {
                if items.len() > text::MAX_ITEMS {
                    self.push(text::above(&name, format!("{} itens", text::MAX_ITEMS)));
                    return;
                }
                let mut out = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    match item {
                        Value::String(s) => match text::list_item(&name, i, s, max) {
                            Ok(v) => out.push(v),
                            Err(e) => self.push(e),
                        },
                        other => {
                            let item_name = format!("{name}[{i}]");
                            self.push(FieldError::invalid(
                                &item_name,
                                format!(
                                    "Campo '{item_name}' deve ser texto, recebido {}",
                                    kind_of(other)
                                ),
                            ));
                        }
                    }
                }
                *target = Some(out);
            }
            Slot::Value(v, _) => self.wrong_type(field, "uma lista de textos", &v),
        }
    }

    /// An optional list of `http(s)` URLs (`photos`): each item is checked
    /// by [`text::http_url`], the one URL rule of both APIs and the panel.
    pub fn opt_urls(&mut self, field: &str, target: &mut Option<Vec<String>>) {
        let before = self.problems.len();
        let mut value = target.clone();
        self.opt_list(field, text::MAX_URL, &mut value);
        if self.problems.len() > before {
            return;
        }
        let name = self.name(field);
        if let Some(items) = &value {
            for (i, item) in items.iter().enumerate() {
                if let Err(e) = text::http_url(&format!("{name}[{i}]"), item) {
                    self.push(e);
                }
            }
        }
        if self.problems.len() == before {
            *target = value;
        }
    }

    /// An optional reference: absent leaves `target`; `null` clears it; a
    /// string is recorded for the existence check (a malformed one too).
    pub fn reference<T: FromStr + Copy>(
        &mut self,
        field: &str,
        target: &mut Option<T>,
        wrap: impl FnOnce(T) -> Reference,
    ) {
        let name = self.name(field);
        match self.optional_str(field) {
            None => {}
            Some(None) => *target = None,
            Some(Some(s)) => match s.parse::<T>() {
                Ok(id) => {
                    *target = Some(id);
                    self.references.push((name, wrap(id)));
                }
                Err(_) => self.references.push((name, Reference::Malformed)),
            },
        }
    }

    /// An optional user reference kept as text (`responsible_id`): it must
    /// name a user of the account (checked with the other references,
    /// 422 `not_found`, issue 12.16); stored as the user's id. Values
    /// stored before the check are kept until the field is sent again.
    pub fn user_reference(&mut self, field: &str, target: &mut Option<String>) {
        let mut id: Option<UserId> = None;
        let before = self.references.len();
        self.reference(field, &mut id, Reference::User);
        if self.has(field) {
            match (id, self.references.len() > before) {
                (Some(id), _) => *target = Some(id.to_string()),
                // Null or blank: cleared.
                (None, false) => *target = None,
                // Malformed: recorded as a reference that names nothing.
                (None, true) => {}
            }
        }
    }

    /// A required reference (vehicle `store_id`): like [`Body::reference`],
    /// but absent on creation or `null` is `required`.
    pub fn required_reference<T: FromStr + Copy>(
        &mut self,
        field: &str,
        target: &mut Option<T>,
        wrap: impl FnOnce(T) -> Reference,
    ) {
        match self.slot(field) {
            Slot::Absent => self.missing(field, true),
            Slot::Null => self.missing(field, false),
            Slot::Value(Value::String(s), _) if s.trim().is_empty() => self.missing(field, false),
            Slot::Value(..) => self.reference(field, target, wrap),
        }
    }

    /// A nested object (`address`): `Some(None)` for `null`, `Some(Some(body))`
    /// with readers that prefix field names (`address.city`).
    pub fn object(&mut self, field: &str) -> Option<Option<Body>> {
        match self.slot(field) {
            Slot::Absent => None,
            Slot::Null => Some(None),
            Slot::Value(v @ Value::Object(_), raw) => match serde_json::from_str::<Fields>(&raw) {
                Ok(mut fields) => {
                    let prefix = format!("{}.", self.name(field));
                    let mut problems = Vec::new();
                    admit(&mut fields, &prefix, &mut problems);
                    Some(Some(Body {
                        fields,
                        prefix,
                        mode: Mode::Update,
                        problems,
                        references: Vec::new(),
                    }))
                }
                // Unreachable for a JSON object; reported rather than guessed.
                Err(_) => {
                    self.wrong_type(field, "um objeto", &v);
                    None
                }
            },
            Slot::Value(v, _) => {
                self.wrong_type(field, "um objeto", &v);
                None
            }
        }
    }

    /// Takes a nested body's problems and references into this one.
    pub fn absorb(&mut self, nested: Body) {
        self.problems.extend(nested.problems);
        self.references.extend(nested.references);
    }

    /// Every shape problem at once (400), or the references to check.
    pub fn finish(self) -> Result<Vec<(String, Reference)>, vitrine_core::Error> {
        if self.problems.is_empty() {
            Ok(self.references)
        } else {
            Err(vitrine_core::Error::Invalid(self.problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vitrine_core::ids::{ClientId, StoreId};

    fn body(json: &str, mode: Mode) -> Body {
        Body::new(serde_json::from_str(json).expect("object"), mode)
    }

    #[test]
    fn absent_null_and_values_follow_patch_rules() {
        let mut b = body(
            r#"{"name": null, "email": null, "phone": "  "}"#,
            Mode::Update,
        );
        let mut name = "João".to_owned();
        let mut email = Some("a@b".to_owned());
        let mut phone = Some("1".to_owned());
        let mut rg = Some("kept".to_owned());
        b.text("name", 255, &mut name);
        b.opt_text("email", 255, &mut email);
        b.opt_text("phone", 40, &mut phone);
        b.opt_text("rg", 40, &mut rg);
        assert_eq!(
            name, "João",
            "null on a required field is refused, not applied"
        );
        assert_eq!((email, phone, rg.as_deref()), (None, None, Some("kept")));
        assert_eq!(b.problems.len(), 1);
        assert_eq!(b.problems[0].kind, "required");
    }

    #[test]
    fn creation_reports_every_missing_and_mistyped_field() {
        let mut b = body(
            r#"{"price": "10", "mileage": 1.5, "tags": [1, ""]}"#,
            Mode::Create,
        );
        let mut title = String::new();
        let mut price = None;
        let mut mileage = None;
        let mut tags = Vec::new();
        b.text("title", 255, &mut title);
        b.opt_money("price", &mut price);
        b.opt_int("mileage", &mut mileage, Ok);
        b.list("tags", 100, &mut tags);
        let fields: Vec<&str> = b.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["title", "price", "mileage", "tags[0]", "tags[1]"]);
    }

    #[test]
    fn money_is_read_from_its_literal() {
        let mut b = body(
            r#"{"a": 142900.00, "b": 0.1, "c": -1, "d": 1.234}"#,
            Mode::Create,
        );
        let (mut a, mut bb, mut c, mut d) = (None, None, None, None);
        b.opt_money("a", &mut a);
        b.opt_money("b", &mut bb);
        b.opt_money("c", &mut c);
        b.opt_money("d", &mut d);
        assert_eq!(a.map(|m| m.to_string()).as_deref(), Some("142900.00"));
        assert_eq!(bb.map(|m| m.cents()), Some(10));
        let kinds: Vec<&str> = b.problems.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, ["min", "invalid"]);
    }

    #[test]
    fn references_are_recorded_even_when_malformed() {
        let id = StoreId::new();
        let mut b = body(
            &format!(r#"{{"store_id": "{id}", "client_id": "uuid-do-cliente"}}"#),
            Mode::Create,
        );
        let mut store = None;
        let mut client: Option<ClientId> = None;
        b.required_reference("store_id", &mut store, Reference::Store);
        b.reference("client_id", &mut client, Reference::Client);
        assert_eq!(store, Some(id));
        assert_eq!(client, None);
        assert_eq!(
            b.references,
            [
                ("store_id".to_owned(), Reference::Store(id)),
                ("client_id".to_owned(), Reference::Malformed)
            ]
        );
    }

    #[test]
    fn whole_number_floats_are_integers_and_fractions_are_not() {
        let mut b = body(
            r#"{"a": 18500.0, "b": 1.85e4, "c": 18500, "d": 18500.5, "e": 1e30}"#,
            Mode::Create,
        );
        let (mut a, mut bb, mut c, mut d, mut e) = (None, None, None, None, None);
        b.opt_int("a", &mut a, Ok);
        b.opt_int("b", &mut bb, Ok);
        b.opt_int("c", &mut c, Ok);
        b.opt_int("d", &mut d, Ok);
        b.opt_int("e", &mut e, Ok);
        assert_eq!(
            (a, bb, c, d, e),
            (Some(18500), Some(18500), Some(18500), None, None)
        );
        let fields: Vec<&str> = b.problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["d", "e"]);
    }

    #[test]
    fn unreadable_values_are_refused_not_read_as_null() {
        // Valid JSON syntax that no value can hold: a number out of range,
        // a lone surrogate; also inside a nested object.
        let raw = r#"{"price": 1e309, "color": "\ud800", "title": "ok", "address": {"city": "\udc00", "state": "SP"}}"#;
        let mut b = body(raw, Mode::Update);
        let mut price = Some(Money::from_cents(100));
        let mut color = Some("Preto".to_owned());
        b.opt_money("price", &mut price);
        b.opt_text("color", 100, &mut color);
        assert_eq!(price, Some(Money::from_cents(100)), "left as it was");
        assert_eq!(color.as_deref(), Some("Preto"), "left as it was");
        assert!(
            b.object("address").is_none(),
            "refused whole, left as it was"
        );
        let mut fields: Vec<&str> = b.problems.iter().map(|p| p.field.as_str()).collect();
        fields.sort_unstable();
        assert_eq!(fields, ["address", "color", "price"]);
        assert!(b.problems.iter().all(|p| p.kind == "invalid"));
    }

    #[test]
    fn photo_urls_must_be_http() {
        let mut b = body(
            r#"{"photos": ["https://x.com/1.jpg", "javascript:alert(1)"]}"#,
            Mode::Update,
        );
        let mut photos = Some(vec!["https://x.com/0.jpg".to_owned()]);
        b.opt_urls("photos", &mut photos);
        assert_eq!(
            photos,
            Some(vec!["https://x.com/0.jpg".to_owned()]),
            "unchanged"
        );
        assert_eq!(b.problems[0].field, "photos[1]");
        let mut b = body(r#"{"photos": ["https://x.com/1.jpg"]}"#, Mode::Update);
        b.opt_urls("photos", &mut photos);
        assert!(b.problems.is_empty());
        assert_eq!(photos, Some(vec!["https://x.com/1.jpg".to_owned()]));
    }
}
