//! `GET /healthz` and `GET /metrics`.

use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde_json::json;
use vitrine_store::Outage;

use crate::app::AppState;

/// How long after a failed write `/healthz` answers 503 without trying
/// a write itself; after that, each check probes (one small write) until
/// one succeeds.
const PROBE_AFTER_FAILURE: Duration = Duration::from_secs(5);

/// 200 when the database answers within two seconds and writes can
/// succeed; 503 otherwise. Writes are known to fail when the last one did
/// because the storage is full, read-only or failing and none has
/// succeeded since; five seconds on, each check makes a probe write to
/// learn when they work again (with no traffic, nothing else would).
pub async fn healthz(State(app): State<AppState>) -> impl IntoResponse {
    let check = async {
        match app.store.write_failure() {
            Some(failure) if failure.at.elapsed() < PROBE_AFTER_FAILURE => {
                Err(Down::Writes(failure.outage))
            }
            Some(_) => app.store.probe_writes().await.map_err(Down::from),
            None => app.store.ping().await.map_err(Down::from),
        }
    };
    match tokio::time::timeout(Duration::from_secs(2), check).await {
        Ok(Ok(())) => (
            StatusCode::OK,
            Json(json!({"status": "ok", "database": "ok"})),
        ),
        Ok(Err(Down::Writes(outage))) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(
                json!({"status": "unavailable", "database": "writes_failing", "reason": outage.to_string()}),
            ),
        ),
        Ok(Err(Down::Error(e))) => {
            tracing::warn!(error = ?e, "health check: database error");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({"status": "unavailable", "database": "error"})),
            )
        }
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({"status": "unavailable", "database": "timeout"})),
        ),
    }
}

enum Down {
    Writes(Outage),
    Error(vitrine_store::Error),
}

impl From<vitrine_store::Error> for Down {
    fn from(e: vitrine_store::Error) -> Self {
        match e.outage() {
            Some(outage) if outage.stops_writes() => Self::Writes(outage),
            _ => Self::Error(e),
        }
    }
}

/// Prometheus text exposition format (on the metrics listener only).
pub async fn metrics() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::telemetry::metrics_handle().render(),
    )
}
