//! Brazilian documents as "parse, don't validate" newtypes.
//!
//! Each type's constructor is the only way to obtain a value, so holding a
//! [`Cpf`], [`Cnpj`], [`Cep`], [`Plate`], [`Renavam`] or [`Vin`] proves the
//! input passed the check. Every type keeps the text as received (trimmed)
//! because the API echoes documents back exactly as the client sent them;
//! normalized accessors exist for storage keys and comparisons.

mod cep;
mod cnpj;
mod cpf;
mod plate;
mod renavam;
mod vin;

pub use cep::Cep;
pub use cnpj::Cnpj;
pub use cpf::Cpf;
pub use plate::{Plate, PlateKind};
pub use renavam::Renavam;
pub use vin::Vin;

/// Why a document was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DocError {
    /// The text does not have the document's shape (length, mask, charset).
    #[error("formato inválido")]
    Format,
    /// The shape is right but the check digits do not match.
    #[error("dígitos verificadores inválidos")]
    CheckDigits,
}

/// How much of a document to verify.
///
/// `Lenient` exists because vendors and test fixtures routinely use
/// well-formed but fictitious numbers (e.g. `123.456.789-00`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Strictness {
    /// Format only.
    Lenient,
    /// Format plus check digits (and known-bogus sequences).
    Strict,
}

impl Strictness {
    /// The strictness an account's `strict_documents` setting asks for; the
    /// Auto API and the panel both read it through here.
    pub fn of_account(strict_documents: bool) -> Self {
        if strict_documents {
            Self::Strict
        } else {
            Self::Lenient
        }
    }
}

/// Comparison key for CPF/CNPJ duplicate detection and search: keeps only
/// `[0-9A-Z]` (letters uppercased), so `12345678900` matches `123.456.789-00`
/// and `12.abc.345/01de-35` matches `12ABC34501DE35`.
pub fn digits_key(input: &str) -> String {
    input
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Matches `input` against `mask` byte by byte and returns the characters in
/// the slots, letters uppercased. Mask slots: `9` = ASCII digit, `A` = ASCII
/// letter, `X` = ASCII letter or digit; any other mask byte must appear
/// literally. Non-ASCII input never matches.
fn extract(input: &str, mask: &str) -> Option<String> {
    if input.len() != mask.len() {
        return None;
    }
    let mut out = String::with_capacity(mask.len());
    for (c, m) in input.bytes().zip(mask.bytes()) {
        let slot = match m {
            b'9' => c.is_ascii_digit(),
            b'A' => c.is_ascii_alphabetic(),
            b'X' => c.is_ascii_alphanumeric(),
            literal => {
                if c != literal {
                    return None;
                }
                continue;
            }
        };
        if !slot {
            return None;
        }
        out.push(char::from(c.to_ascii_uppercase()));
    }
    Some(out)
}

/// Tries each mask in turn; see [`extract`].
fn extract_any(input: &str, masks: &[&str]) -> Option<String> {
    masks.iter().find_map(|m| extract(input, m))
}

/// Numeric value of an ASCII digit (callers guarantee the byte is a digit).
fn digit(b: u8) -> u32 {
    u32::from(b.wrapping_sub(b'0'))
}

/// True when every byte equals the first (e.g. `00000000000`).
fn all_same(s: &str) -> bool {
    let b = s.as_bytes();
    b.iter().all(|&c| Some(&c) == b.first())
}

/// Implements `Display` and `Serialize` (as a plain string) via `as_str()`.
macro_rules! string_repr {
    ($ty:ty) => {
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}
use string_repr;

#[cfg(test)]
pub(crate) mod test_support {
    //! A serializer that only accepts strings, so tests can check what a type
    //! serializes to without pulling in serde_json.

    use serde::ser::{Error, Impossible, Serialize, Serializer};
    use std::fmt;

    #[derive(Debug)]
    pub struct NotAString;

    impl fmt::Display for NotAString {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("not a string")
        }
    }

    impl std::error::Error for NotAString {}

    impl Error for NotAString {
        fn custom<T: fmt::Display>(_: T) -> Self {
            NotAString
        }
    }

    struct StrOnly;

    macro_rules! reject {
        ($($name:ident($($arg:ty),*)),* $(,)?) => {
            $(fn $name(self, $(_: $arg),*) -> Result<String, NotAString> { Err(NotAString) })*
        };
    }

    impl Serializer for StrOnly {
        type Ok = String;
        type Error = NotAString;
        type SerializeSeq = Impossible<String, NotAString>;
        type SerializeTuple = Impossible<String, NotAString>;
        type SerializeTupleStruct = Impossible<String, NotAString>;
        type SerializeTupleVariant = Impossible<String, NotAString>;
        type SerializeMap = Impossible<String, NotAString>;
        type SerializeStruct = Impossible<String, NotAString>;
        type SerializeStructVariant = Impossible<String, NotAString>;

        fn serialize_str(self, v: &str) -> Result<String, NotAString> {
            Ok(v.to_owned())
        }

        reject!(
            serialize_bool(bool),
            serialize_i8(i8),
            serialize_i16(i16),
            serialize_i32(i32),
            serialize_i64(i64),
            serialize_u8(u8),
            serialize_u16(u16),
            serialize_u32(u32),
            serialize_u64(u64),
            serialize_f32(f32),
            serialize_f64(f64),
            serialize_char(char),
            serialize_bytes(&[u8]),
            serialize_none(),
            serialize_unit(),
            serialize_unit_struct(&'static str),
            serialize_unit_variant(&'static str, u32, &'static str),
        );

        fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<String, NotAString> {
            Err(NotAString)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: &T,
        ) -> Result<String, NotAString> {
            Err(NotAString)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<String, NotAString> {
            Err(NotAString)
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, NotAString> {
            Err(NotAString)
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotAString> {
            Err(NotAString)
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, NotAString> {
            Err(NotAString)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, NotAString> {
            Err(NotAString)
        }
        fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotAString> {
            Err(NotAString)
        }
        fn serialize_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStruct, NotAString> {
            Err(NotAString)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, NotAString> {
            Err(NotAString)
        }
    }

    /// What `value` serializes to, if it serializes as a plain string.
    pub fn serialized<T: Serialize>(value: &T) -> Result<String, NotAString> {
        value.serialize(StrOnly)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_key_table() {
        // (input, expected key, reason)
        let rows = [
            (
                "123.456.789-00",
                "12345678900",
                "masked CPF drops punctuation",
            ),
            ("12345678900", "12345678900", "bare CPF unchanged"),
            (" 123 456 789 00 ", "12345678900", "spaces dropped"),
            (
                "12.abc.345/01de-35",
                "12ABC34501DE35",
                "alnum CNPJ uppercased",
            ),
            ("11.222.333/0001-81", "11222333000181", "numeric CNPJ"),
            ("çã-1", "1", "non-ASCII letters dropped"),
            ("", "", "empty stays empty"),
        ];
        for (input, want, why) in rows {
            assert_eq!(digits_key(input), want, "{why}: {input:?}");
        }
        assert_eq!(digits_key("12345678900"), digits_key("123.456.789-00"));
    }

    #[test]
    fn extract_table() {
        // (input, mask, expected, reason)
        let rows = [
            ("123-4", "999-9", Some("1234"), "digits and literal"),
            ("ab1", "AA9", Some("AB1"), "letters uppercased"),
            ("a1", "XX", Some("A1"), "alnum slot takes both"),
            ("1234", "999-9", None, "length differs"),
            ("123.4", "999-9", None, "wrong literal"),
            ("a23-4", "999-9", None, "letter in digit slot"),
            ("1b1", "AA9", None, "digit in letter slot"),
            (
                "é1",
                "XX9",
                None,
                "non-ASCII rejected even when byte length fits",
            ),
        ];
        for (input, mask, want, why) in rows {
            assert_eq!(extract(input, mask).as_deref(), want, "{why}: {input:?}");
        }
    }

    #[test]
    fn error_messages() {
        assert_eq!(DocError::Format.to_string(), "formato inválido");
        assert_eq!(
            DocError::CheckDigits.to_string(),
            "dígitos verificadores inválidos"
        );
    }

    #[test]
    fn all_same_table() {
        assert!(all_same("1111"));
        assert!(all_same(""));
        assert!(!all_same("1112"));
    }
}
