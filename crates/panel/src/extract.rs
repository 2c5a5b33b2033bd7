//! Extractors whose failures render panel pages instead of axum's plain
//! text: form bodies (with the session's CSRF check) and ids in the path.

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

fn parse_form<T: DeserializeOwned>(body: &[u8]) -> Result<T, PanelError> {
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
        let fields: Vec<(String, String)> = parse_form(&body)?;
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
