//! The store token (ecommloja-api.md §1.2.1): `base64(client_id:client_secret)`
//! in `Authorization` (Basic, Bearer, Token or bare), in one of the custom
//! headers, or as a `token` / `access_token` parameter. Never logged.

use axum::http::{header, HeaderMap};
use uuid::Uuid;
use vitrine_core::credentials::{parse_loja_token, secret_matches};
use vitrine_core::ids::{AccountId, ShopScope, StoreId};
use vitrine_store::Store;

use crate::params::Params;
use crate::LojaError;

const CUSTOM_HEADERS: [&str; 8] = [
    "token",
    "x-token",
    "x-api-token",
    "x-api-key",
    "access-token",
    "x-access-token",
    "api-token",
    "access_token",
];

/// The value of `Authorization`, its scheme (Basic, Bearer, Token) dropped.
fn in_authorization(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let token = match value.split_once(char::is_whitespace) {
        Some((scheme, rest))
            if ["basic", "bearer", "token"]
                .iter()
                .any(|s| scheme.eq_ignore_ascii_case(s)) =>
        {
            rest.trim()
        }
        _ => value,
    };
    Some(token.to_owned())
}

fn in_custom_header(headers: &HeaderMap) -> Option<String> {
    CUSTOM_HEADERS
        .iter()
        .find_map(|name| headers.get(*name).and_then(|v| v.to_str().ok()))
        .map(|v| v.trim().to_owned())
}

fn in_params(params: &Params) -> Option<String> {
    params.text("token").or_else(|| params.text("access_token"))
}

/// The credential a request carries in its headers: `Authorization` (scheme
/// dropped), else a custom header. The server keys `Idempotency-Key`s by it.
pub fn presented_in_headers(headers: &HeaderMap) -> Option<String> {
    in_authorization(headers).or_else(|| in_custom_header(headers))
}

/// The presented token, from the first place that has one.
pub fn presented(headers: &HeaderMap, params: &Params) -> Option<String> {
    presented_in_headers(headers).or_else(|| in_params(params))
}

/// A store token outside `Authorization` (custom headers, then the
/// `token` / `access_token` parameters): where it sits next to a customer
/// JWT on cart endpoints (§1.2.2).
pub(crate) fn presented_elsewhere(headers: &HeaderMap, params: &Params) -> Option<String> {
    in_custom_header(headers).or_else(|| in_params(params))
}

/// Resolves the request's store (the scope every query of the request
/// runs in) or answers 401 `["Invalid token"]`.
/// `admit` sees the account and the credential id before its use is
/// recorded: the rate limit refuses there, so a refused request writes
/// nothing.
pub async fn authenticate(
    store: &Store,
    headers: &HeaderMap,
    params: &Params,
    admit: impl FnOnce(AccountId, Uuid) -> Result<(), LojaError>,
) -> Result<ShopScope, LojaError> {
    let token = presented(headers, params).ok_or(LojaError::InvalidToken)?;
    check_credentials(store, &token, admit).await
}

/// Resolves the store a token names or answers 401 `["Invalid token"]`.
pub(crate) async fn check_token(store: &Store, token: &str) -> Result<ShopScope, LojaError> {
    check_credentials(store, token, |_, _| Ok(())).await
}

async fn check_credentials(
    store: &Store,
    token: &str,
    admit: impl FnOnce(AccountId, Uuid) -> Result<(), LojaError>,
) -> Result<ShopScope, LojaError> {
    let (client_id, secret) = parse_loja_token(token).ok_or(LojaError::InvalidToken)?;
    let mut conn = store.conn().await?;
    let found = conn.credentials().find_by_client_id(&client_id).await?;
    let Some(found) =
        found.filter(|c| secret_matches(&secret, &c.secret_hash) && c.revoked_at.is_none())
    else {
        return Err(LojaError::InvalidToken);
    };
    admit(AccountId(found.account_id), found.id)?;
    if let Err(e) = conn.credentials().touch(&found).await {
        tracing::warn!(error = ?e, "could not record credential use");
    }
    Ok(ShopScope::new(
        AccountId(found.account_id),
        StoreId(found.store_id),
    ))
}
