//! What the CRM handlers share: path ids, the account's document
//! strictness, and the existence check of the records a body references.

use std::str::FromStr;

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use vitrine_core::doc::Strictness;
use vitrine_core::ids::AccountId;
use vitrine_store::{Store, Tx};

use vitrine_auto_wire::body::Reference;
use vitrine_auto_wire::AutoError;

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

/// Every referenced record must belong to the caller's account; all the
/// misses at once as 422 `not_found` (Decision 1), inside the write
/// transaction.
pub(crate) async fn verify(
    tx: &mut Tx,
    account: AccountId,
    references: &[(String, Reference)],
) -> Result<(), AutoError> {
    let problems = vitrine_auto_wire::refs::missing(tx, account, references).await?;
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AutoError::Unprocessable(problems))
    }
}
