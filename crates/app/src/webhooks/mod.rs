//! Webhook endpoints (Auto API `/webhooks`, the panel's webhook screens):
//! registering, changing, turning on and off, deleting, and sending a
//! delivery again. Where deliveries may go is [`TargetPolicy`]'s.

mod targets;

use vitrine_core::ids::{AccountId, DeliveryId, WebhookId};
use vitrine_core::records::{DeliveryRecord, WebhookRecord};
use vitrine_core::webhook::{self, Endpoint};
use vitrine_core::FieldError;
use vitrine_store::{Store, Tx};

pub use targets::{ResolveError, TargetPolicy};

use crate::{Error, Result};

/// The refusal of a new endpoint past [`webhook::MAX_ENDPOINTS`].
fn too_many() -> FieldError {
    FieldError {
        field: "url".to_owned(),
        kind: "max",
        message: format!(
            "A conta já tem o máximo de {} webhooks; remova um antes de cadastrar outro",
            webhook::MAX_ENDPOINTS
        ),
        allowed: Vec::new(),
    }
}

/// Registers an endpoint: checks its target (before any transaction, as
/// it may wait on DNS), then, in one transaction, the account's cap and
/// the insert. Returns it with its signing secret (`secret`, or a new
/// one), which the caller shows once.
pub async fn create_endpoint(
    store: &Store,
    targets: &TargetPolicy,
    account: AccountId,
    endpoint: Endpoint,
    secret: Option<String>,
) -> Result<(WebhookRecord, String)> {
    targets
        .check("url", &endpoint.url)
        .await
        .map_err(Error::rule)?;
    let secret = secret.unwrap_or_else(webhook::mint_secret);
    let mut tx = store.begin().await?;
    if tx.webhooks().count_for_insert(account).await? >= webhook::MAX_ENDPOINTS {
        return Err(Error::rule(too_many()));
    }
    let saved = tx
        .webhooks()
        .insert(account, WebhookId::new(), &endpoint, &secret)
        .await?;
    tx.commit().await?;
    Ok((saved, secret))
}

/// The fields a change names; the others stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointPatch {
    /// New URL (checked with [`webhook::parse_url`]).
    pub url: Option<String>,
    /// New subscription list (checked with [`webhook::parse_events`]).
    pub events: Option<Vec<String>>,
    /// On or off; on clears the failure streak.
    pub active: Option<bool>,
}

/// Changes an endpoint: a new URL's target is checked first (outside any
/// transaction), then the change is applied. Another account's id is
/// [`Error::NotFound`].
pub async fn update_endpoint(
    store: &Store,
    targets: &TargetPolicy,
    account: AccountId,
    id: WebhookId,
    patch: EndpointPatch,
) -> Result<WebhookRecord> {
    if let Some(url) = &patch.url {
        targets.check("url", url).await.map_err(Error::rule)?;
    }
    apply(store, account, id, patch).await
}

/// Turns an endpoint on (its failure streak starts again) or off (nothing
/// more is queued or sent to it).
pub async fn set_active(
    store: &Store,
    account: AccountId,
    id: WebhookId,
    active: bool,
) -> Result<WebhookRecord> {
    let patch = EndpointPatch {
        active: Some(active),
        ..EndpointPatch::default()
    };
    apply(store, account, id, patch).await
}

/// Locks the row (the worker updates its failure streak and may disable
/// it meanwhile), applies the named fields to it as it is now, and saves
/// it.
async fn apply(
    store: &Store,
    account: AccountId,
    id: WebhookId,
    patch: EndpointPatch,
) -> Result<WebhookRecord> {
    let mut tx = store.begin().await?;
    tx.webhooks().lock(account, id).await?;
    let mut endpoint = tx.webhooks().get(account, id).await?.endpoint;
    if let Some(url) = patch.url {
        endpoint.url = url;
    }
    if let Some(events) = patch.events {
        endpoint.events = events;
    }
    if let Some(active) = patch.active {
        endpoint.active = active;
    }
    let saved = tx.webhooks().update(account, id, &endpoint).await?;
    tx.commit().await?;
    Ok(saved)
}

/// Deletes an endpoint with its deliveries.
pub async fn delete_endpoint(tx: &mut Tx, account: AccountId, id: WebhookId) -> Result<()> {
    Ok(tx.webhooks().delete(account, id).await?)
}

/// Queues a delivery again, due now, with a fresh round of tries (the
/// endpoint must be active for it to go out).
pub async fn redeliver(
    tx: &mut Tx,
    account: AccountId,
    webhook: WebhookId,
    delivery: DeliveryId,
) -> Result<DeliveryRecord> {
    Ok(tx.webhooks().redeliver(account, webhook, delivery).await?)
}
