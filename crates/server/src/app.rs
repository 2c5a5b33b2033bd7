//! Wiring: the faces under one router, the middleware around it, and the
//! serve loop with graceful shutdown.

use std::future::Future;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::get;
use axum::{middleware, Router, ServiceExt};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tower::{Layer, Service};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::normalize_path::NormalizePathLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;
use vitrine_auto::AutoState;
use vitrine_core::rate_limit::{Budgets, QuotaSlot, RateLimiter};
use vitrine_loja::LojaState;
use vitrine_panel::PanelState;
use vitrine_store::media::Media;
use vitrine_store::{Outage, Store};

use crate::idempotency::{self, Idempotency};
use crate::workers::webhooks::{self as webhook_worker, WebhookSettings, Workers};
use crate::{health, limits, telemetry};

/// Settings of a running server that are not about where it listens.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Largest JSON or form body accepted, in bytes.
    pub body_limit: usize,
    /// Largest body of an upload (image) endpoint, in bytes.
    pub upload_limit: usize,
    /// Lifetime of a Loja customer JWT, in days.
    pub customer_token_days: u32,
    /// Webhook delivery and activity reminders ([`spawn_workers`]).
    pub webhooks: WebhookSettings,
    /// Requests per minute per Auto API key, per Loja credential and per
    /// Loja customer, counted by this node alone; `0` turns every rate
    /// limit off (these, the account's and the address's).
    pub rate_limit_per_minute: u32,
    /// Requests per minute per account, whatever credentials it uses, in
    /// both APIs (this node alone); `0` disables this budget.
    pub account_rate_limit_per_minute: u32,
    /// Requests per minute per client address that do not authenticate
    /// (this node alone); once spent, the address's API requests are
    /// answered 429 until the minute ends. `0` disables this budget.
    pub address_rate_limit_per_minute: u32,
    /// Longest a request may run before it is cancelled and answered 408;
    /// `None` never cancels.
    pub request_timeout: Option<Duration>,
    /// Longest a client may take to send a request's headers before the
    /// connection is closed (slow clients hold no connection for long).
    pub header_read_timeout: Duration,
    /// Largest request line plus headers, in bytes; larger is answered 431.
    pub max_header_bytes: usize,
    /// `Strict-Transport-Security: max-age=…` on answers to requests that
    /// came over TLS (`X-Forwarded-Proto: https`); `None` never sends it.
    pub hsts_max_age: Option<Duration>,
}

/// Default lifetime of a Loja customer JWT (spec decision 3).
pub const DEFAULT_CUSTOMER_TOKEN_DAYS: u32 = 30;

/// Default requests per minute per credential.
pub const DEFAULT_RATE_LIMIT_PER_MINUTE: u32 = 600;

/// Default requests per minute per account: five credentials' worth.
pub const DEFAULT_ACCOUNT_RATE_LIMIT_PER_MINUTE: u32 = 3_000;

/// Default unauthenticated requests per minute per client address.
pub const DEFAULT_ADDRESS_RATE_LIMIT_PER_MINUTE: u32 = 120;

/// Default request timeout.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// Default header read timeout.
pub const DEFAULT_HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

/// Default limit of the request line plus headers.
pub const DEFAULT_MAX_HEADER_BYTES: usize = 32 * 1024;

/// Default HSTS lifetime: a year, as browsers' preload lists expect.
pub const DEFAULT_HSTS_MAX_AGE: Duration = Duration::from_secs(365 * 86_400);

/// Default upload limit: the largest image plus room for the form fields.
pub const DEFAULT_UPLOAD_LIMIT: usize = vitrine_core::media::MAX_IMAGE_BYTES + 256 * 1024;

impl Default for Settings {
    fn default() -> Self {
        Self {
            body_limit: 1024 * 1024,
            upload_limit: DEFAULT_UPLOAD_LIMIT,
            customer_token_days: DEFAULT_CUSTOMER_TOKEN_DAYS,
            webhooks: WebhookSettings::default(),
            rate_limit_per_minute: DEFAULT_RATE_LIMIT_PER_MINUTE,
            account_rate_limit_per_minute: DEFAULT_ACCOUNT_RATE_LIMIT_PER_MINUTE,
            address_rate_limit_per_minute: DEFAULT_ADDRESS_RATE_LIMIT_PER_MINUTE,
            request_timeout: Some(DEFAULT_REQUEST_TIMEOUT),
            header_read_timeout: DEFAULT_HEADER_READ_TIMEOUT,
            max_header_bytes: DEFAULT_MAX_HEADER_BYTES,
            hsts_max_age: Some(DEFAULT_HSTS_MAX_AGE),
        }
    }
}

/// State of the server's own routes (health).
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Store,
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Builds the whole application over an opened, migrated store and a media store.
pub fn build(store: Store, media: Media, settings: &Settings) -> Router {
    // Installed before the first request is counted.
    telemetry::metrics_handle();
    let state = AppState {
        store: store.clone(),
    };
    // `0` per credential turns rate limiting off altogether.
    let limits_on = settings.rate_limit_per_minute > 0;
    let on = |limit: u32| if limits_on { limit } else { 0 };
    let accounts = Arc::new(RateLimiter::new(on(settings.account_rate_limit_per_minute)));
    let auto = AutoState {
        store: store.clone(),
        limiter: Arc::new(Budgets::new(
            settings.rate_limit_per_minute,
            accounts.clone(),
        )),
        webhook_targets: settings.webhooks.targets(),
    };
    let panel = PanelState {
        store: store.clone(),
        webhook_targets: settings.webhooks.targets(),
    };
    let idempotency = Idempotency::new(store.clone(), settings.request_timeout);
    let loja = LojaState {
        store: store.clone(),
        media,
        body_limit: settings.body_limit,
        upload_limit: settings.upload_limit,
        customer_token_ttl: Duration::from_secs(u64::from(settings.customer_token_days) * 86_400),
        limiter: Arc::new(Budgets::new(settings.rate_limit_per_minute, accounts)),
    };
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &Request| {
            let id = req
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            // The path only: query strings may carry a Loja token.
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        })
        .on_request(())
        .on_response(DefaultOnResponse::new().level(Level::INFO));

    let router = Router::new()
        .route("/healthz", get(health::healthz))
        .with_state(state)
        .nest("/api/v1", vitrine_auto::router(auto.clone()))
        .nest("/v1", vitrine_auto::router(auto))
        .nest("/painel", vitrine_panel::router(panel))
        .merge(crate::docs::router())
        .merge(vitrine_loja::media_router(loja.clone()))
        .fallback_service(vitrine_loja::router(loja))
        .layer(middleware::from_fn_with_state(
            idempotency,
            idempotency::guard,
        ))
        // Inside `rate_limit_headers`, whose slot tells who authenticated.
        .layer(middleware::from_fn_with_state(
            Arc::new(RateLimiter::<IpAddr>::new(on(
                settings.address_rate_limit_per_minute
            ))),
            limits::unauthenticated_per_address,
        ))
        .layer(middleware::from_fn(rate_limit_headers))
        .layer(middleware::from_fn_with_state(store.clone(), note_outages))
        .layer(middleware::from_fn(crate::docs::landing))
        .layer(middleware::from_fn_with_state(
            settings.hsts_max_age,
            transport_headers,
        ))
        .layer(middleware::from_fn(telemetry::track));
    // The timeout wraps the idempotency claim: a cancelled request
    // releases its claim.
    let router = match settings.request_timeout {
        Some(limit) => router.layer(middleware::from_fn_with_state(
            limit,
            limits::request_timeout,
        )),
        None => router,
    };
    router
        .layer(DefaultBodyLimit::max(settings.body_limit))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(trace)
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// The Prometheus exposition (`GET /metrics`), for a listener of its own
/// (`--metrics-listen`): never on the public one, where anyone could read
/// every tenant's traffic.
pub fn metrics_router() -> Router {
    telemetry::metrics_handle();
    Router::new()
        .route("/metrics", get(health::metrics))
        .layer(middleware::from_fn(telemetry::track))
}

/// Headers every answer carries: `nosniff` (a JSON answer is never read
/// as a page or a script) and, on requests that came over TLS as the proxy
/// in front tells (`X-Forwarded-Proto: https`, the panel's rule for
/// `Secure` cookies), `Strict-Transport-Security`. Browsers ignore HSTS
/// received over plain HTTP, so a forged header gains nothing.
async fn transport_headers(
    State(hsts): State<Option<Duration>>,
    req: Request,
    next: Next,
) -> Response {
    let tls = vitrine_panel::is_https(req.headers(), req.uri());
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    headers
        .entry(header::X_CONTENT_TYPE_OPTIONS)
        .or_insert(HeaderValue::from_static("nosniff"));
    if let Some(max_age) = hsts.filter(|_| tls) {
        let value = format!("max-age={}", max_age.as_secs());
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(header::STRICT_TRANSPORT_SECURITY, value);
        }
    }
    response
}

const LIMIT: HeaderName = HeaderName::from_static("x-ratelimit-limit");
const REMAINING: HeaderName = HeaderName::from_static("x-ratelimit-remaining");
const RESET: HeaderName = HeaderName::from_static("x-ratelimit-reset");

/// Gives each request a [`QuotaSlot`] for the face to fill once it knows
/// the credential, and writes what it recorded as `X-RateLimit-*` headers:
/// every authenticated response of either API carries them, a 401 none.
async fn rate_limit_headers(mut req: Request, next: Next) -> Response {
    let slot = QuotaSlot::default();
    req.extensions_mut().insert(slot.clone());
    let mut response = next.run(req).await;
    if let Some(quota) = slot.get() {
        let headers = response.headers_mut();
        headers.insert(LIMIT, HeaderValue::from(quota.limit));
        headers.insert(REMAINING, HeaderValue::from(quota.remaining));
        headers.insert(RESET, HeaderValue::from(quota.reset));
    }
    response
}

/// A face that answered 503 because the database is out (a write's
/// statement failed: disk full, read-only) tags its answer with the
/// [`Outage`]; the store remembers it for `/healthz`.
async fn note_outages(State(store): State<Store>, req: Request, next: Next) -> Response {
    let response = next.run(req).await;
    if let Some(outage) = response.extensions().get::<Outage>() {
        store.note_outage(*outage);
    }
    response
}

/// Starts the node's background work over the same store: the webhook
/// delivery worker and the activity reminder scheduler (unless
/// `settings.webhooks.enabled` is off), and the periodic refresh of the
/// planner's statistics. Stop it with
/// [`Workers::shutdown`] before closing the store.
pub fn spawn_workers(store: Store, settings: &Settings) -> Workers {
    // Ends by itself once the store is closed.
    tokio::spawn(crate::workers::maintenance::run(
        store.clone(),
        crate::workers::maintenance::EVERY,
    ));
    webhook_worker::spawn(store, &settings.webhooks)
}

/// Serves with the default connection limits until `shutdown` resolves
/// (see [`serve_with`]).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_with(listener, router, Settings::default(), shutdown).await
}

/// How long shutdown lets in-flight requests finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves until `shutdown` resolves: then stops accepting, lets in-flight
/// requests finish (up to 30 s), and returns. The caller closes the store.
///
/// HTTP/1.1 through hyper's connection builder rather than `axum::serve`,
/// which exposes neither the header size limit (431) nor the header read
/// timeout that disconnects slow clients.
pub async fn serve_with(
    listener: TcpListener,
    router: Router,
    settings: Settings,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    // Trailing slashes are equivalent (both specs); normalise before routing.
    let app = NormalizePathLayer::trim_trailing_slash().layer(router);
    // The peer address reaches handlers (the panel throttles sign-in per address).
    let mut make = ServiceExt::<Request>::into_make_service_with_connect_info::<SocketAddr>(app);
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(settings.header_read_timeout)
        .max_header_size(settings.max_header_bytes);
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (socket, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait, do not spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(service) = make.call(peer).await;
        let connection =
            http.serve_connection(TokioIo::new(socket), TowerToHyperService::new(service));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended with an error");
            }
        });
    }
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("shutdown grace period over; dropping remaining connections");
    }
    Ok(())
}

/// Resolves on SIGINT or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutdown requested: finishing in-flight requests");
}
