//! Where webhook deliveries may go: the same policy checks a URL when an
//! endpoint is registered or changed and resolves its host when the
//! delivery worker connects (docs/security.md, "Webhook targets").

use std::net::SocketAddr;
use std::time::Duration;

use vitrine_core::webhook::{self, TargetHost};
use vitrine_core::FieldError;

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
