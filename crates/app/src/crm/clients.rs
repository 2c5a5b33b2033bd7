//! CRM clients: `POST /clients`, `PUT|PATCH /clients/:id`,
//! `DELETE /clients/:id` and the panel's client form.

use vitrine_auto_wire::ClientOut;
use vitrine_core::client::{Client, ClientStatus};
use vitrine_core::ids::{AccountId, ClientId};
use vitrine_core::records::ClientRecord;
use vitrine_core::text;
use vitrine_core::webhook;
use vitrine_store::clients::TakenDocument;
use vitrine_store::Tx;

use crate::{events, refs, Draft, Error, Locked, Result};

/// A conflict on `cpf` or `cnpj` when another client of the account that
/// is not inactive holds the document (Decision 2).
async fn refuse_duplicate(
    tx: &mut Tx,
    account: AccountId,
    client: &Client,
    except: Option<ClientId>,
) -> Result<()> {
    match tx.clients().taken_document(account, client, except).await? {
        Some(TakenDocument::Cpf) => Err(Error::Conflict(text::duplicate("cpf"))),
        Some(TakenDocument::Cnpj) => Err(Error::Conflict(text::duplicate("cnpj"))),
        None => Ok(()),
    }
}

/// Adds a client, with its `client.created` event.
pub async fn create(tx: &mut Tx, account: AccountId, draft: Draft<Client>) -> Result<ClientRecord> {
    refs::verify(tx, account, &draft.references).await?;
    refuse_duplicate(tx, account, &draft.value, None).await?;
    let saved = tx
        .clients()
        .insert(account, ClientId::new(), &draft.value)
        .await?;
    let out = ClientOut::from(saved.clone());
    events::emit(tx, account, &["client.created"], &out).await?;
    Ok(saved)
}

/// The client, locked for a change in `tx`.
pub async fn lock(tx: &mut Tx, account: AccountId, id: ClientId) -> Result<Locked<ClientRecord>> {
    Ok(Locked(tx.clients().get_for_update(account, id).await?))
}

/// Saves the client as `draft` has it, with the events of the change.
pub async fn update(
    tx: &mut Tx,
    account: AccountId,
    current: Locked<ClientRecord>,
    draft: Draft<Client>,
) -> Result<ClientRecord> {
    refs::verify(tx, account, &draft.references).await?;
    let id = current.0.id;
    refuse_duplicate(tx, account, &draft.value, Some(id)).await?;
    save(tx, account, current.0.client, id, draft.value).await
}

/// Deactivates the client (§3.13): its records stay.
pub async fn deactivate(tx: &mut Tx, account: AccountId, id: ClientId) -> Result<ClientRecord> {
    let before = lock(tx, account, id).await?.0.client;
    let mut client = before.clone();
    client.status = ClientStatus::Inactive;
    save(tx, account, before, id, client).await
}

async fn save(
    tx: &mut Tx,
    account: AccountId,
    before: Client,
    id: ClientId,
    client: Client,
) -> Result<ClientRecord> {
    let saved = tx.clients().update(account, id, &client).await?;
    let names = webhook::client_update_events(&before, &client);
    events::emit(tx, account, &names, &ClientOut::from(saved.clone())).await?;
    Ok(saved)
}
