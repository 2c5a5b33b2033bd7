//! Extractors whose failures render panel pages instead of axum's plain
//! text: form bodies (with the session's CSRF check) and ids in the path.
//!
//! Every form body is read by [`read_fields`], which refuses control
//! characters (a NUL, an escape…; tab and line breaks are text) in any
//! field, as the APIs refuse a NUL: no field needs one, and PostgreSQL
//! cannot store or even compare a NUL (an unauthenticated 500 before).
//! The refusal is [`PanelError::Invalid`] with the field's message, a 422
//! page; a handler that wants the message next to its field takes
//! `Result<PanelForm<T>, PanelError>` and renders its form with it (the
//! sign-in and sign-up forms do).

use std::str::FromStr;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

use crate::error::PanelError;
use crate::session::Signed;
use crate::{csrf, PanelState};

/// A URL-encoded form body.
pub struct PanelForm<T>(pub T);

/// Whether a character may be typed into a form: anything but control
/// characters, except tab and line breaks (text areas send `\r\n`).
fn allowed(c: char) -> bool {
    !c.is_control() || matches!(c, '\t' | '\n' | '\r')
}

/// The message of a field holding a character no form takes.
pub fn invalid_characters(field: &str) -> String {
    format!("Campo '{field}' contém caracteres inválidos")
}

/// A form body's fields in order; a field (name or value) with a control
/// character refuses the whole form, naming the field.
pub fn read_fields(body: &[u8]) -> Result<Vec<(String, String)>, PanelError> {
    let fields: Vec<(String, String)> =
        serde_urlencoded::from_bytes(body).map_err(|_| PanelError::BadRequest)?;
    let problems: Vec<String> = fields
        .iter()
        .filter(|(k, v)| !k.chars().chain(v.chars()).all(allowed))
        .map(|(k, _)| invalid_characters(&k.replace(|c| !allowed(c), "")))
        .collect();
    if problems.is_empty() {
        Ok(fields)
    } else {
        Err(PanelError::Invalid(problems))
    }
}

fn parse_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, PanelError> {
    read_fields(body)?;
    serde_urlencoded::from_bytes(body).map_err(|_| PanelError::BadRequest)
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for PanelForm<T> {
    type Rejection = PanelError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|_| PanelError::BadRequest)?;
        parse_form(&body).map(Self)
    }
}

/// A form posted by a signed-in user, its CSRF field already checked
/// against the session: a handler that receives one may write.
pub struct SignedForm<T> {
    /// The user.
    pub signed: Signed,
    /// The form's fields.
    pub form: T,
}

impl<T: DeserializeOwned> FromRequest<PanelState> for SignedForm<T> {
    type Rejection = PanelError;

    async fn from_request(req: Request, state: &PanelState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let signed = Signed::from_request_parts(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let body = Bytes::from_request(req, state)
            .await
            .map_err(|_| PanelError::BadRequest)?;
        // The CSRF check comes first: a forged post is a 403 whatever it holds.
        let fields: Vec<(String, String)> =
            serde_urlencoded::from_bytes(&body).map_err(|_| PanelError::BadRequest)?;
        let sent = fields
            .iter()
            .find(|(k, _)| k == csrf::FIELD)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default();
        signed.check_csrf(sent)?;
        Ok(Self {
            signed,
            form: parse_form(&body)?,
        })
    }
}

/// A typed id from the path; one that does not parse is a 404 page, like an
/// id of another account.
pub struct IdPath<T>(pub T);

impl<S: Send + Sync, T: FromStr> FromRequestParts<S> for IdPath<T> {
    type Rejection = PanelError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| PanelError::NotFound)?;
        raw.parse().map(Self).map_err(|_| PanelError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_refuse_the_form_naming_the_field() {
        let refused = |body: &str| match read_fields(body.as_bytes()) {
            Err(PanelError::Invalid(messages)) => messages,
            other => panic!("{body}: {other:?}"),
        };
        assert_eq!(
            refused("csrf=t&email=a%00b%40c.com&password=x"),
            ["Campo 'email' contém caracteres inválidos"]
        );
        assert_eq!(
            refused("name=%1B%5B31m"),
            ["Campo 'name' contém caracteres inválidos"]
        );
        assert_eq!(
            refused("name=a%7Fb"),
            ["Campo 'name' contém caracteres inválidos"]
        );
        assert_eq!(
            refused("name=a%C2%85b"),
            ["Campo 'name' contém caracteres inválidos"],
            "C1 too"
        );
        assert_eq!(
            refused("a%00=1&b=%01"),
            [
                "Campo 'a' contém caracteres inválidos",
                "Campo 'b' contém caracteres inválidos"
            ],
            "every field, the name shown without the character"
        );
    }

    #[test]
    fn text_with_tabs_line_breaks_and_accents_is_read() {
        let fields = read_fields(
            "description=Linha%201%0D%0ALinha%09dois&name=S%C3%A3o+Jo%C3%A3o".as_bytes(),
        )
        .expect("text");
        assert_eq!(fields[0].1, "Linha 1\r\nLinha\tdois");
        assert_eq!(fields[1].1, "São João");
    }
}
