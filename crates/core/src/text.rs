//! Rules for free-text fields shared by the CRM resources: length limits,
//! e-mail shape, dates, tags, search folding (ecosys-auto-api.md §3.8, G29).

use chrono::NaiveDate;

use crate::FieldError;

/// Names and titles (G29).
pub const MAX_NAME: usize = 255;
/// Phones (G29).
pub const MAX_PHONE: usize = 40;
/// Other short strings (G29).
pub const MAX_SHORT: usize = 100;
/// Long text: descriptions, notes (G29).
pub const MAX_TEXT: usize = 10_000;
/// Items in a tag, feature or photo list.
pub const MAX_ITEMS: usize = 100;

/// `Campo 'x' excede o tamanho máximo de N caracteres`, type `max`.
pub fn too_long(field: &str, max: usize) -> FieldError {
    FieldError {
        field: field.to_owned(),
        kind: "max",
        message: format!("Campo '{field}' excede o tamanho máximo de {max} caracteres"),
        allowed: Vec::new(),
    }
}

/// A value outside its documented list, type `enum`; the message names the
/// accepted values so the client can fix the call without the docs.
pub fn not_in_enum(field: &str, allowed: &[&str]) -> FieldError {
    FieldError {
        field: field.to_owned(),
        kind: "enum",
        message: format!(
            "Campo '{field}' deve ser um dos valores: {}",
            allowed.join(", ")
        ),
        allowed: allowed.iter().map(|v| (*v).to_owned()).collect(),
    }
}

/// A number under its lower bound, type `min`.
pub fn below(field: &str, min: impl std::fmt::Display) -> FieldError {
    FieldError {
        field: field.to_owned(),
        kind: "min",
        message: format!("Campo '{field}' deve ser maior ou igual a {min}"),
        allowed: Vec::new(),
    }
}

/// A number over its upper bound, type `max`.
pub fn above(field: &str, max: impl std::fmt::Display) -> FieldError {
    FieldError {
        field: field.to_owned(),
        kind: "max",
        message: format!("Campo '{field}' deve ser menor ou igual a {max}"),
        allowed: Vec::new(),
    }
}

/// A referenced id that is not a record of the caller's account, type
/// `not_found` (Decision 1).
pub fn not_found(field: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        kind: "not_found",
        message: format!("Campo '{field}' referencia um registro inexistente"),
        allowed: Vec::new(),
    }
}

/// A uniqueness rule, type `duplicate` (Decision 2).
pub fn duplicate(field: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        kind: "duplicate",
        message: format!("Já existe um registro com este '{field}'"),
        allowed: Vec::new(),
    }
}

/// Trims `value`; a required text must not be empty after trimming and
/// must fit `max` characters (not bytes: `João` is four).
pub fn required_text(field: &str, value: &str, max: usize) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::required(field));
    }
    bounded(field, v, max)
}

/// An optional text: trimmed, empty becomes `None`, bounded by `max`.
pub fn optional_text(field: &str, value: &str, max: usize) -> Result<Option<String>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    bounded(field, v, max).map(Some)
}

fn bounded(field: &str, v: &str, max: usize) -> Result<String, FieldError> {
    if v.chars().count() > max {
        return Err(too_long(field, max));
    }
    Ok(v.to_owned())
}

/// A single `@` with non-empty local and domain parts, no spaces.
pub fn email(field: &str, value: &str) -> Result<Option<String>, FieldError> {
    let Some(v) = optional_text(field, value, MAX_NAME)? else {
        return Ok(None);
    };
    let shaped = match v.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !v.chars().any(char::is_whitespace)
        }
        None => false,
    };
    if shaped {
        Ok(Some(v))
    } else {
        Err(FieldError::invalid(
            field,
            format!("Campo '{field}' deve ser um e-mail válido"),
        ))
    }
}

/// `YYYY-MM-DD`, a real calendar date.
pub fn date(field: &str, value: &str) -> Result<NaiveDate, FieldError> {
    let v = value.trim();
    // chrono accepts a few looser shapes (e.g. `+2026-…`); require the exact one.
    let shaped = v.len() == 10 && v.as_bytes().get(4) == Some(&b'-');
    match NaiveDate::parse_from_str(v, "%Y-%m-%d") {
        Ok(d) if shaped => Ok(d),
        _ => Err(FieldError::invalid(
            field,
            format!("Campo '{field}' deve ser uma data no formato YYYY-MM-DD"),
        )),
    }
}

/// A list item: trimmed, non-empty, bounded.
pub fn list_item(field: &str, index: usize, value: &str, max: usize) -> Result<String, FieldError> {
    let name = format!("{field}[{index}]");
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::invalid(
            &name,
            format!("Campo '{name}' não pode ser vazio"),
        ));
    }
    bounded(&name, v, max)
}

/// Longest value of an open vocabulary (deal `phase`, vehicle `status` and
/// `phase`): "other short strings" of G29.
pub const MAX_LABEL: usize = MAX_SHORT;

/// A value of an open vocabulary outside its known values: trimmed, lower
/// case, non-empty, at most [`MAX_LABEL`] characters, no control
/// characters. Built only by [`Label::parse`], so holding one means it is
/// valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Label(String);

impl Label {
    /// Reads a value as ecosys-auto-api.md §4.2/§4.3 recommend: any
    /// non-empty string, lower-cased before storing (G3).
    pub fn parse(field: &str, value: &str) -> Result<Self, FieldError> {
        let v = value.trim();
        if v.is_empty() {
            return Err(FieldError::required(field));
        }
        if v.chars().any(char::is_control) {
            return Err(FieldError::invalid(
                field,
                format!("Campo '{field}' contém caracteres de controle"),
            ));
        }
        if v.chars().count() > MAX_LABEL {
            return Err(too_long(field, MAX_LABEL));
        }
        Ok(Self(v.to_lowercase()))
    }

    /// The label as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Declares an open vocabulary: the known values as variants (the rules
/// that depend on one — sold, archived — match them), and `Other` for any
/// other valid [`Label`]. Parsing never fails on an unknown value; the
/// known values keep their documented spelling.
macro_rules! open_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $wire:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
            /// A value outside the known vocabulary, accepted as sent
            /// (lower-cased).
            Other($crate::text::Label),
        }

        impl $name {
            /// The known values, in documented order.
            pub const KNOWN: &'static [Self] = &[$(Self::$variant,)*];
            /// The known spellings, in documented order.
            pub const WIRE: &'static [&'static str] = &[$($wire,)*];

            /// The spelling stored and rendered.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Other(label) => label.as_str(),
                }
            }

            /// Whether this is one of the known values.
            pub fn is_known(&self) -> bool {
                !matches!(self, Self::Other(_))
            }

            /// A stored value: a known spelling or any other valid label.
            pub fn from_wire(s: &str) -> Option<Self> {
                $crate::text::Label::parse("", s).ok().map(Self::from_label)
            }

            /// Parses a field value: any non-empty label (trimmed, lower
            /// case, bounded, no control characters); the known values
            /// are recognised case-insensitively.
            pub fn parse(field: &str, s: &str) -> Result<Self, $crate::FieldError> {
                $crate::text::Label::parse(field, s).map(Self::from_label)
            }

            fn from_label(label: $crate::text::Label) -> Self {
                match label.as_str() {
                    $($wire => Self::$variant,)*
                    _ => Self::Other(label),
                }
            }
        }
    };
}
pub(crate) use open_enum;

/// Longest accepted URL (photo, banner link).
pub const MAX_URL: usize = 2048;

/// An absolute `http://` or `https://` URL with a host, no spaces or
/// control characters, at most [`MAX_URL`] characters. Every URL a client
/// stores to be rendered as a link or fetched (vehicle photos, Loja banner
/// links) goes through this one check, so `javascript:`, `data:` and other
/// schemes never reach a page.
pub fn http_url(field: &str, value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    if v.chars().count() > MAX_URL {
        return Err(too_long(field, MAX_URL));
    }
    let lower = v.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("http://")
        .or_else(|| lower.strip_prefix("https://"));
    let host = rest
        .map(|r| r.split(['/', '?', '#']).next().unwrap_or_default())
        .unwrap_or_default();
    let host_name = host.rsplit('@').next().unwrap_or_default();
    let bad_char = v
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | '\\'));
    if rest.is_none() || host_name.is_empty() || host_name.starts_with(':') || bad_char {
        return Err(FieldError::invalid(
            field,
            format!("Campo '{field}' deve ser uma URL http:// ou https:// absoluta"),
        ));
    }
    Ok(v.to_owned())
}

/// Whether a stored text is an `http(s)` URL that may be rendered as a link
/// (values stored before [`http_url`] existed are shown as text).
pub fn is_http_url(value: &str) -> bool {
    http_url("url", value).is_ok()
}

/// A JSON number literal as an integer when it has no fractional part:
/// `18500`, `18500.0`, `1.85e4` (what `json.dumps` writes for a float).
/// `None` for `18500.5` or a value outside `i64`.
pub fn whole_number(literal: &str) -> Option<i64> {
    use rust_decimal::prelude::ToPrimitive;
    use std::str::FromStr;
    let t = literal.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Some(n);
    }
    let d = rust_decimal::Decimal::from_str(t)
        .or_else(|_| rust_decimal::Decimal::from_scientific(t))
        .ok()?;
    if !d.fract().is_zero() {
        return None;
    }
    d.trunc().to_i64()
}

/// Lowercase without accents, for case- and accent-insensitive search
/// (`João` and `joao` fold to the same text).
pub fn fold(value: &str) -> String {
    value
        .chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'á' | 'à' | 'â' | 'ã' | 'ä' | 'å' | 'ª' => 'a',
            'é' | 'è' | 'ê' | 'ë' => 'e',
            'í' | 'ì' | 'î' | 'ï' => 'i',
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'º' => 'o',
            'ú' | 'ù' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            'ý' | 'ÿ' => 'y',
            other => other,
        })
        .collect()
}

/// The text a list's `search` is matched against: the folded parts joined
/// by a separator no folded search term contains.
pub fn search_document<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> String {
    parts
        .into_iter()
        .flatten()
        .map(fold)
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// The `LIKE` patterns for a search term: the folded term, and, when the
/// term looks like a document number (digits and `.-/` only), its digits,
/// so `12345678900` and `123.456.789` both find `123.456.789-00`.
/// `%`, `_` and `\` are escaped for `LIKE … ESCAPE '\'`.
pub fn search_patterns(term: &str) -> Option<(String, Option<String>)> {
    let folded = fold(term.trim());
    if folded.is_empty() {
        return None;
    }
    let documentish = folded
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '/' | ' '))
        && folded.chars().any(|c| c.is_ascii_digit());
    let digits = documentish.then(|| {
        folded
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>()
    });
    Some((like(&folded), digits.map(|d| like(&d))))
}

fn like(term: &str) -> String {
    let mut out = String::with_capacity(term.len() + 2);
    out.push('%');
    for c in term.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_trimmed_and_bounded_in_characters() {
        assert_eq!(required_text("name", "  João ", 4).as_deref(), Ok("João"));
        assert_eq!(
            required_text("name", "   ", 4).map_err(|e| e.kind),
            Err("required")
        );
        assert_eq!(
            required_text("name", "Joãos", 4).map_err(|e| e.kind),
            Err("max")
        );
        assert_eq!(optional_text("rg", " ", 4), Ok(None));
    }

    #[test]
    fn emails_need_one_at_with_both_sides() {
        assert!(email("email", "joao.silva@email.com").is_ok());
        for bad in ["joao", "@email.com", "joao@", "a@b@c", "jo ao@x.com"] {
            assert!(email("email", bad).is_err(), "{bad}");
        }
        assert_eq!(email("email", ""), Ok(None));
    }

    #[test]
    fn dates_are_strict_iso() {
        assert!(date("birth_date", "1985-06-15").is_ok());
        for bad in ["1985-02-30", "15/06/1985", "1985-6-15", "abc"] {
            assert!(date("birth_date", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn folding_ignores_case_and_accents() {
        assert_eq!(fold("João da SILVA Ção"), "joao da silva cao");
        let (text, digits) = search_patterns("JOÃO").expect("term");
        assert_eq!(text, "%joao%");
        assert_eq!(digits, None);
        let (_, digits) = search_patterns("123.456").expect("term");
        assert_eq!(digits.as_deref(), Some("%123456%"));
        assert_eq!(
            search_patterns("50%_").map(|p| p.0).as_deref(),
            Some("%50\\%\\_%")
        );
        assert_eq!(search_patterns("  "), None);
    }

    #[test]
    fn labels_are_trimmed_lowercased_and_bounded() {
        assert_eq!(
            Label::parse("phase", " Qualificação ").map(|l| l.0),
            Ok("qualificação".into())
        );
        assert_eq!(
            Label::parse("phase", " ").map_err(|e| e.kind),
            Err("required")
        );
        assert_eq!(
            Label::parse("phase", "a\u{7}b").map_err(|e| e.kind),
            Err("invalid")
        );
        assert_eq!(
            Label::parse("phase", "a\nb").map_err(|e| e.kind),
            Err("invalid")
        );
        assert_eq!(
            Label::parse("phase", &"x".repeat(MAX_LABEL)).map(|l| l.0.len()),
            Ok(MAX_LABEL)
        );
        assert_eq!(
            Label::parse("phase", &"x".repeat(MAX_LABEL + 1)).map_err(|e| e.kind),
            Err("max")
        );
    }

    #[test]
    fn only_absolute_http_urls() {
        for ok in [
            "https://fotos.exemplo.com/1.jpg",
            "http://127.0.0.1:9000/a?b=c#d",
            "HTTPS://X.COM",
        ] {
            assert!(http_url("photos[0]", ok).is_ok(), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "data:text/html,<script>",
            "vbscript:x",
            "ftp://x.com/a",
            "//evil.com/a",
            "/relative",
            "https://",
            "http://:80/",
            "http://a b.com",
            "http://x.com/\"onmouseover=",
            "http://x.com/\u{0}",
        ] {
            assert!(http_url("photos[0]", bad).is_err(), "{bad}");
        }
        assert_eq!(
            http_url("link", &format!("https://x.com/{}", "a".repeat(MAX_URL))).map_err(|e| e.kind),
            Err("max")
        );
        assert!(is_http_url("https://x.com") && !is_http_url("javascript:x"));
    }

    #[test]
    fn whole_numbers_from_json_literals() {
        for (lit, n) in [
            ("18500", 18500),
            ("18500.0", 18500),
            ("18500.000", 18500),
            ("1.85e4", 18500),
            ("1E2", 100),
            ("-3.0", -3),
            ("-0.0", 0),
        ] {
            assert_eq!(whole_number(lit), Some(n), "{lit}");
        }
        for lit in ["18500.5", "1e-2", "1e30", "9223372036854775808", "abc", ""] {
            assert_eq!(whole_number(lit), None, "{lit}");
        }
    }
}
