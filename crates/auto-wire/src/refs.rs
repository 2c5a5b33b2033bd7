//! The existence check of the records a request references (Decision 1):
//! each must be one of the caller's account's records.

use vitrine_core::ids::AccountId;
use vitrine_core::{text, FieldError};
use vitrine_store::Tx;

use crate::body::Reference;

/// A `not_found` problem for each reference that is not one of the
/// account's records, all at once. Run it inside the write transaction, so
/// a reference cannot vanish before the commit (the composite foreign keys
/// back this up).
pub async fn missing(
    tx: &mut Tx,
    account: AccountId,
    references: &[(String, Reference)],
) -> vitrine_store::Result<Vec<FieldError>> {
    let mut problems = Vec::new();
    for (field, reference) in references {
        let found = match *reference {
            Reference::Store(id) => match tx.stores().get(account, id).await {
                Ok(_) => true,
                Err(vitrine_store::Error::NotFound) => false,
                Err(e) => return Err(e),
            },
            Reference::Client(id) => tx.clients().exists(account, id).await?,
            Reference::Vehicle(id) => tx.vehicles().exists(account, id).await?,
            Reference::Deal(id) => tx.deals().exists(account, id).await?,
            Reference::User(id) => match tx.users().get(account, id).await {
                Ok(_) => true,
                Err(vitrine_store::Error::NotFound) => false,
                Err(e) => return Err(e),
            },
            Reference::Malformed => false,
        };
        if !found {
            problems.push(text::not_found(field));
        }
    }
    Ok(problems)
}
