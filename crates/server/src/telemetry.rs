//! Logs and metrics.
//!
//! One log line per request (method, path without query string — a Loja
//! token may sit there —, status, latency, request id) and Prometheus
//! counters and histograms per method, route template and status (labels
//! from closed sets: issue 12, item 2).

use std::sync::OnceLock;
use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use metrics_util::MetricKindMask;
use tracing_subscriber::EnvFilter;

/// Installs the log subscriber on stderr (stdout stays for command output).
/// `VITRINE_LOG=json` switches to JSON lines; `RUST_LOG` sets levels.
pub fn init_logs() {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let json = std::env::var("VITRINE_LOG").is_ok_and(|v| v.eq_ignore_ascii_case("json"));
    let _ = if json {
        builder.json().flatten_event(true).try_init()
    } else {
        builder.compact().try_init()
    };
}

/// How long a series may go unchanged before the recorder forgets it: a
/// route nobody calls any more stops taking memory and space in `/metrics`
/// (a scraper sees a counter reset when it comes back, as after a restart).
pub const SERIES_IDLE_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// How often the recorder's upkeep runs: histogram samples are folded into
/// their buckets there, so with nothing scraping they would pile up (about
/// 20 bytes per request) until the next render.
const UPKEEP_EVERY: Duration = Duration::from_secs(5);

/// The process-wide Prometheus recorder (installed once, shared by every
/// app built in this process, e.g. in tests), with its upkeep running on a
/// thread of its own.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets(&[
                    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
                ])
                .expect("static, non-empty bucket list")
                .idle_timeout(MetricKindMask::ALL, Some(SERIES_IDLE_TIMEOUT))
                .build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (a host program); we
            // still render our own handle, which then only sees our metrics.
            let _ = metrics::set_global_recorder(recorder);
            let upkeep = handle.clone();
            let spawned = std::thread::Builder::new()
                .name("metrics-upkeep".into())
                .spawn(move || loop {
                    std::thread::sleep(UPKEEP_EVERY);
                    upkeep.run_upkeep();
                });
            if let Err(e) = spawned {
                tracing::warn!(error = %e, "could not start the metrics upkeep thread");
            }
            handle
        })
        .clone()
}

/// The `method` label: the methods HTTP defines, anything else `other`, so
/// a client inventing methods cannot mint series.
pub fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::CONNECT => "CONNECT",
        Method::TRACE => "TRACE",
        _ => "other",
    }
}

/// The `route` label of a request no route claimed (unknown paths of
/// every face, whatever their spelling).
pub const UNMATCHED: &str = "unmatched";

/// The `route` label: the route template axum matched, or the Loja
/// endpoint that answered; never the path itself, which the client
/// chooses. The catch-all a nested face's fallback hides behind
/// (`/api/v1/{*…}`) is unmatched too.
fn route_label(matched: Option<&MatchedPath>, response: &Response) -> String {
    if let Some(label) = response.extensions().get::<vitrine_loja::RouteLabel>() {
        return format!("/{}", label.0);
    }
    match matched.map(MatchedPath::as_str) {
        Some(template) if !template.contains("{*") => template.to_owned(),
        _ => UNMATCHED.to_owned(),
    }
}

/// Counts requests and records latency per (method, route, status): every
/// label comes from a closed set.
pub async fn track(req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = method_label(req.method());
    let matched = req.extensions().get::<MatchedPath>().cloned();
    let response = next.run(req).await;
    let labels = [
        ("method", method.to_owned()),
        ("route", route_label(matched.as_ref(), &response)),
        ("status", response.status().as_u16().to_string()),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    metrics::histogram!("http_request_duration_seconds", &labels)
        .record(start.elapsed().as_secs_f64());
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_come_from_a_closed_set() {
        for (method, label) in [
            (Method::GET, "GET"),
            (Method::DELETE, "DELETE"),
            (Method::from_bytes(b"PURGE").expect("token"), "other"),
            (Method::from_bytes(b"XQZWTRBA").expect("token"), "other"),
        ] {
            assert_eq!(method_label(&method), label);
        }
    }
}
