//! Webhook endpoints as the Auto API (`/webhooks`) and the panel write
//! them — one use case each for registering and changing an endpoint —
//! and where their deliveries may go ([`TargetPolicy`]): the same policy
//! checks a URL when it is registered and resolves its host when the
//! delivery worker connects (docs/security.md, "Webhook targets").

use std::net::SocketAddr;
use std::time::Duration;

use vitrine_core::ids::{AccountId, WebhookId};
use vitrine_core::webhook::{self, Endpoint, TargetHost};
use vitrine_core::FieldError;
use vitrine_store::webhooks::WebhookRecord;
use vitrine_store::Store;

use crate::AutoError;

/// How long registration waits for a name to resolve before accepting it
/// unchecked (it is checked again at every connection).
const LOOKUP_TIMEOUT: Duration = Duration::from_secs(3);

/// Where webhook deliveries may go. By default only to public addresses:
/// a tenant must not reach the server's own network (loopback, private
/// ranges, link-local cloud metadata…) through a webhook. A single-tenant
/// self-hosted install may allow private targets (`serve
/// --webhook-allow-private-targets`); that is unsafe when tenants do not
/// trust each other.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TargetPolicy {
    allow_private: bool,
}

/// Why a host gave no address to connect to.
#[derive(Debug, thiserror::Error)]
pub enum ResolveError {
    /// Every address it resolved to is not public: nothing is dialled.
    #[error("the webhook host resolves to no public address")]
    NotPublic,
    /// It did not resolve.
    #[error("the webhook host did not resolve: {0}")]
    Lookup(#[source] std::io::Error),
}

impl TargetPolicy {
    /// Public addresses only (the default).
    pub const fn public_only() -> Self {
        Self {
            allow_private: false,
        }
    }

    /// Any address, private ones included (single-tenant installs).
    pub const fn allow_private() -> Self {
        Self {
            allow_private: true,
        }
    }

    /// Whether private targets are allowed.
    pub fn allows_private(&self) -> bool {
        self.allow_private
    }

    /// Whether a connection to `ip` may be made.
    pub fn allows(&self, ip: std::net::IpAddr) -> bool {
        self.allow_private || webhook::is_public(ip)
    }

    /// The registration check of a URL that [`webhook::parse_url`]
    /// accepted: a literal address must be public; a name is resolved and
    /// refused if any address it gives is not. A name that does not
    /// resolve now is accepted (the receiving app may not be up yet): the
    /// connection-time check ([`TargetPolicy::resolve`]) still applies to
    /// every delivery.
    pub async fn check(&self, field: &str, url: &str) -> Result<(), FieldError> {
        if self.allow_private {
            return Ok(());
        }
        let Some(target) = webhook::target(url) else {
            return Err(FieldError::invalid(
                field,
                format!("Campo '{field}' deve ser uma URL http:// ou https:// absoluta"),
            ));
        };
        match target.host {
            TargetHost::Ip(ip) if self.allows(ip) => Ok(()),
            TargetHost::Ip(_) => Err(webhook::not_public(field)),
            TargetHost::Name(name) => {
                let lookup = tokio::net::lookup_host((name.as_str(), target.port));
                match tokio::time::timeout(LOOKUP_TIMEOUT, lookup).await {
                    Ok(Ok(mut addrs)) => {
                        if addrs.any(|a| !self.allows(a.ip())) {
                            Err(webhook::not_public(field))
                        } else {
                            Ok(())
                        }
                    }
                    Ok(Err(_)) | Err(_) => Ok(()),
                }
            }
        }
    }

    /// The addresses a delivery to `name` may connect to: its resolved
    /// addresses that this policy allows. The worker's HTTP client dials
    /// only these, so a name re-pointed after registration (DNS
    /// rebinding) cannot reach a private address either.
    pub async fn resolve(&self, name: &str) -> Result<Vec<SocketAddr>, ResolveError> {
        let addrs: Vec<SocketAddr> = tokio::net::lookup_host((name, 0))
            .await
            .map_err(ResolveError::Lookup)?
            .filter(|a| self.allows(a.ip()))
            .collect();
        if addrs.is_empty() {
            return Err(ResolveError::NotPublic);
        }
        Ok(addrs)
    }
}

/// Why an endpoint was not written (its fields were read and checked by
/// the face already).
#[derive(Debug, thiserror::Error)]
pub enum EndpointError {
    /// A business rule refused it: a target that is not public, or the
    /// account's endpoint cap (422).
    #[error("endpoint refused")]
    Refused(FieldError),
    /// The store failed (a foreign or deleted id is `NotFound`).
    #[error(transparent)]
    Store(#[from] vitrine_store::Error),
}

impl From<EndpointError> for AutoError {
    fn from(e: EndpointError) -> Self {
        match e {
            EndpointError::Refused(problem) => AutoError::Unprocessable(vec![problem]),
            EndpointError::Store(e) => e.into(),
        }
    }
}

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
) -> Result<(WebhookRecord, String), EndpointError> {
    targets
        .check("url", &endpoint.url)
        .await
        .map_err(EndpointError::Refused)?;
    let secret = secret.unwrap_or_else(webhook::mint_secret);
    let mut tx = store.begin().await?;
    if tx.webhooks().count_for_insert(account).await? >= webhook::MAX_ENDPOINTS {
        return Err(EndpointError::Refused(too_many()));
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
/// transaction); then the row is locked (the worker updates its failure
/// streak and may disable it meanwhile), the named fields are applied to
/// it as it is now, and it is saved. Another account's id is `NotFound`.
pub async fn update_endpoint(
    store: &Store,
    targets: &TargetPolicy,
    account: AccountId,
    id: WebhookId,
    patch: EndpointPatch,
) -> Result<WebhookRecord, EndpointError> {
    if let Some(url) = &patch.url {
        targets
            .check("url", url)
            .await
            .map_err(EndpointError::Refused)?;
    }
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
