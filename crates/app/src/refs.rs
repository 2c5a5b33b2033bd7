//! The existence check of the records a command references (Auto API
//! Decision 1): each must be one of the caller's account's records.

use vitrine_core::ids::{AccountId, Reference};
use vitrine_core::{text, FieldError};
use vitrine_store::Tx;

use crate::{Error, Result};

/// Every referenced record must belong to the account: all the misses at
/// once, as `not_found` problems of [`Error::Rule`]. Run inside the write
/// transaction, so a reference cannot vanish before the commit (the
/// composite foreign keys back this up).
pub(crate) async fn verify(
    tx: &mut Tx,
    account: AccountId,
    references: &[(String, Reference)],
) -> Result<()> {
    let mut problems: Vec<FieldError> = Vec::new();
    for (field, reference) in references {
        if !exists(tx, account, *reference).await? {
            problems.push(text::not_found(field));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Rule(problems))
    }
}

async fn exists(tx: &mut Tx, account: AccountId, reference: Reference) -> Result<bool> {
    let found = match reference {
        Reference::Store(id) => tx.stores().get(account, id).await.map(drop),
        Reference::User(id) => tx.users().get(account, id).await.map(drop),
        Reference::Client(id) => return Ok(tx.clients().exists(account, id).await?),
        Reference::Vehicle(id) => return Ok(tx.vehicles().exists(account, id).await?),
        Reference::Deal(id) => return Ok(tx.deals().exists(account, id).await?),
        Reference::Malformed => return Ok(false),
    };
    match found {
        Ok(()) => Ok(true),
        Err(vitrine_store::Error::NotFound) => Ok(false),
        Err(e) => Err(e.into()),
    }
}
