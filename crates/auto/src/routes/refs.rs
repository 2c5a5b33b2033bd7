//! What the CRM handlers share: path ids, the account's document
//! strictness, and the existence check of the records a body references.

use std::str::FromStr;

use axum::extract::rejection::PathRejection;
use axum::extract::Path;
use vitrine_core::doc::Strictness;
use vitrine_core::ids::AccountId;
use vitrine_core::text;
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
    let mut conn = store.conn().await?;
    let strict = conn.accounts().get(account).await?.strict_documents;
    Ok(Strictness::of_account(strict))
}

/// Every referenced record must belong to the caller's account; all the
/// misses at once as 422 `not_found` (Decision 1). Runs inside the write
/// transaction, so a reference cannot vanish before the commit (the
/// composite foreign keys back this up).
pub(crate) async fn verify(
    tx: &mut Tx,
    account: AccountId,
    references: &[(String, Reference)],
) -> Result<(), AutoError> {
    let mut problems = Vec::new();
    for (field, reference) in references {
        let found = match *reference {
            Reference::Store(id) => match tx.stores().get(account, id).await {
                Ok(_) => true,
                Err(vitrine_store::Error::NotFound) => false,
                Err(e) => return Err(e.into()),
            },
            Reference::Client(id) => tx.clients().exists(account, id).await?,
            Reference::Vehicle(id) => tx.vehicles().exists(account, id).await?,
            Reference::Deal(id) => tx.deals().exists(account, id).await?,
            Reference::Malformed => false,
        };
        if !found {
            problems.push(text::not_found(field));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(AutoError::Unprocessable(problems))
    }
}
