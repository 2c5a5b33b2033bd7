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
    }
}

/// A number under its lower bound, type `min`.
pub fn below(field: &str, min: impl std::fmt::Display) -> FieldError {
    FieldError {
        field: field.to_owned(),
        kind: "min",
        message: format!("Campo '{field}' deve ser maior ou igual a {min}"),
    }
}

/// A number over its upper bound, type `max`.
pub fn above(field: &str, max: impl std::fmt::Display) -> FieldError {
    FieldError {
        field: field.to_owned(),
        kind: "max",
        message: format!("Campo '{field}' deve ser menor ou igual a {max}"),
    }
}

/// A referenced id that is not a record of the caller's account, type
/// `not_found` (Decision 1).
pub fn not_found(field: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        kind: "not_found",
        message: format!("Campo '{field}' referencia um registro inexistente"),
    }
}

/// A uniqueness rule, type `duplicate` (Decision 2).
pub fn duplicate(field: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        kind: "duplicate",
        message: format!("Já existe um registro com este '{field}'"),
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
}
