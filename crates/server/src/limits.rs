//! Request limits beyond the body size (issue #8, docs/configuration.md):
//! a deadline per request and a budget per client address for requests
//! that do not authenticate, answered in the face's envelope. The header
//! size limit and the header read timeout (slow clients) are connection
//! settings applied by [`crate::app::serve_with`]; the budgets of
//! credentials and accounts are spent by the faces once they know them.

use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use vitrine_auto::AutoError;
use vitrine_core::rate_limit::{QuotaSlot, RateLimiter};
use vitrine_loja::LojaError;

use crate::idempotency::Face;

/// Cancels a request still running after `limit` (its transaction rolls
/// back as the handler is dropped) and answers 408 in the envelope of the
/// face the path belongs to.
pub async fn request_timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    let face = Face::of(req.uri().path());
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_ms = limit.as_millis(), "request timed out");
            match face {
                Face::Auto => AutoError::Timeout.into_response(),
                Face::Loja => LojaError::Timeout.into_response(),
                Face::Panel => (
                    StatusCode::REQUEST_TIMEOUT,
                    "A requisição excedeu o tempo limite do servidor.",
                )
                    .into_response(),
            }
        }
    }
}

/// Counts, per client address, the API requests that end without a
/// credential authenticating (no credential, a wrong one, an unknown
/// path), in memory on this node (issue 12, item 17). Once an address has
/// spent its budget for the minute, its API requests are answered 429 in
/// the face's envelope before anything runs, until the minute ends;
/// authenticated requests never spend it. The panel (its sign-in has a
/// throttle of its own), health checks, the docs and media files are not
/// counted. The address is the socket's (a forwarded header is not
/// trusted: anyone could send one); an IPv6 client counts by its /64.
pub async fn unauthenticated_per_address(
    State(limiter): State<Arc<RateLimiter<IpAddr>>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if limiter.limit() == 0 || !metered(path) {
        return next.run(req).await;
    }
    let face = Face::of(path);
    let Some(address) = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(peer)| address_key(peer.ip()))
    else {
        return next.run(req).await;
    };
    if let Some(retry_after) = limiter.spent(&address) {
        return match face {
            Face::Auto => AutoError::RateLimited { retry_after }.into_response(),
            _ => LojaError::TooManyRequests { retry_after }.into_response(),
        };
    }
    let slot = req.extensions().get::<QuotaSlot>().cloned();
    let response = next.run(req).await;
    if !slot.is_some_and(|s| s.authenticated()) {
        let _ = limiter.check(address);
    }
    response
}

/// Is `path` an API request the address budget counts?
fn metered(path: &str) -> bool {
    if Face::of(path) == Face::Panel {
        return false;
    }
    let public = path == "/"
        || path == "/healthz"
        || path == "/docs"
        || path.starts_with("/docs/")
        || path.starts_with("/media/")
        || path == crate::docs::AUTO_DOC
        || path == "/v1/openapi.json"
        || path == crate::docs::LOJA_DOC;
    !public
}

/// The address a budget belongs to: an IPv4 address, or the /64 of an
/// IPv6 one (one host usually holds a whole /64).
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_clients_count_by_their_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().expect("ip");
        let other: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(other));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        assert_eq!(
            address_key(mapped),
            "192.0.2.7".parse::<IpAddr>().expect("ip")
        );
    }

    #[test]
    fn only_api_requests_are_metered() {
        for (path, counted) in [
            ("/api/v1/clients", true),
            ("/v1/stores", true),
            ("/product/findbysku", true),
            ("/nada", true),
            ("/painel/entrar", false),
            ("/healthz", false),
            ("/", false),
            ("/docs", false),
            ("/docs/assets/swagger-ui.css", false),
            ("/media/loja/x.png", false),
            ("/api/v1/openapi.json", false),
            ("/openapi/loja.json", false),
        ] {
            assert_eq!(metered(path), counted, "{path}");
        }
    }
}
