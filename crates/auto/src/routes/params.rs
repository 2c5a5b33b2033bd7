//! What the CRM handlers read besides the body: the id in the path and
//! the account's document strictness.

use std::str::FromStr;

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use vitrine_core::doc::Strictness;
use vitrine_core::ids::AccountId;
use vitrine_store::Store;

use crate::AutoError;

/// The id in a path. Anything that is not one of the account's records —
/// malformed included — is 404 (Decision 4).
pub(crate) fn path_id<T: FromStr>(
    path: Result<Path<String>, PathRejection>,
) -> Result<T, AutoError> {
    let Path(raw) = path.map_err(|_| AutoError::NotFound)?;
    raw.parse().map_err(|_| AutoError::NotFound)
}

/// Whether the account requires valid CPF/CNPJ/RENAVAM check digits
/// (Decision 3; lenient by default).
pub(crate) async fn strictness(store: &Store, account: AccountId) -> Result<Strictness, AutoError> {
    Ok(store.conn().await?.accounts().strictness(account).await?)
}
