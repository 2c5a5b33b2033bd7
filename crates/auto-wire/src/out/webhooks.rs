//! `/webhooks` on the wire (ecosys-auto-api.md §4.6): endpoints with their
//! delivery statistics, deliveries and their attempts.

use serde::ser::Error as _;
use serde::{Serialize, Serializer};
use serde_json::value::RawValue;
use vitrine_core::records::{AttemptRecord, DeliveryRecord, WebhookRecord};
use vitrine_core::webhook;

use crate::timestamp;

/// `success_rate` as a one-decimal number literal (`98.4`), or `null`.
fn rate<S: Serializer>(tenths: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match tenths {
        None => s.serialize_none(),
        Some(t) => RawValue::from_string(format!("{}.{}", t / 10, t % 10))
            .map_err(S::Error::custom)?
            .serialize(s),
    }
}

/// An endpoint on the wire (§4.6 object, plus `updated_at`,
/// `consecutive_failures`, `disabled_at` and the health counted try by
/// try: `total_attempts`, `failed_attempts`, the last try's
/// `last_status_code` and `last_error`, and `slow_lane`). `secret` only on
/// creation.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct WebhookOut {
    id: String,
    url: String,
    events: Vec<String>,
    active: bool,
    created_at: String,
    updated_at: String,
    last_triggered_at: Option<String>,
    #[serde(serialize_with = "rate")]
    #[schema(value_type = Option<f64>)]
    success_rate: Option<i64>,
    total_deliveries: i64,
    failed_deliveries: i64,
    consecutive_failures: i64,
    disabled_at: Option<String>,
    total_attempts: i64,
    failed_attempts: i64,
    last_status_code: Option<i64>,
    last_error: Option<String>,
    slow_lane: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<String>,
}

impl From<WebhookRecord> for WebhookOut {
    fn from(r: WebhookRecord) -> Self {
        Self {
            id: r.id.to_string(),
            url: r.endpoint.url,
            events: r.endpoint.events,
            active: r.endpoint.active,
            created_at: timestamp(r.created_at),
            updated_at: timestamp(r.updated_at),
            last_triggered_at: r.last_triggered_at.map(timestamp),
            success_rate: webhook::success_rate_tenths(r.total_deliveries, r.failed_deliveries),
            total_deliveries: r.total_deliveries,
            failed_deliveries: r.failed_deliveries,
            consecutive_failures: r.consecutive_failures,
            disabled_at: r.disabled_at.map(timestamp),
            total_attempts: r.total_attempts,
            failed_attempts: r.failed_attempts,
            last_status_code: r.last_status_code,
            last_error: r.last_error,
            slow_lane: r.slow_lane,
            secret: None,
        }
    }
}

impl WebhookOut {
    /// The endpoint as its creation answers it: with the signing secret,
    /// shown this once.
    pub fn with_secret(mut self, secret: String) -> Self {
        self.secret = Some(secret);
        self
    }
}

/// One try on the wire: the receiver's status code and the length of its
/// answer, never its body (docs/security.md).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct AttemptOut {
    attempt: i64,
    succeeded: bool,
    status_code: Option<i64>,
    latency_ms: i64,
    response_bytes: Option<i64>,
    error: Option<String>,
    created_at: String,
}

impl From<AttemptRecord> for AttemptOut {
    fn from(a: AttemptRecord) -> Self {
        Self {
            attempt: a.attempt,
            succeeded: a.succeeded,
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            response_bytes: a.response_bytes,
            error: a.error,
            created_at: timestamp(a.created_at),
        }
    }
}

/// A delivery on the wire; `attempts_log` only when read one by one.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeliveryOut {
    id: String,
    event_id: String,
    event: String,
    status: String,
    attempts: i64,
    next_attempt_at: Option<String>,
    delivered_at: Option<String>,
    created_at: String,
    updated_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    attempts_log: Option<Vec<AttemptOut>>,
}

impl From<DeliveryRecord> for DeliveryOut {
    fn from(d: DeliveryRecord) -> Self {
        Self {
            id: d.id.to_string(),
            event_id: d.event_id.to_string(),
            event: d.event_type,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at.map(timestamp),
            delivered_at: d.delivered_at.map(timestamp),
            created_at: timestamp(d.created_at),
            updated_at: timestamp(d.updated_at),
            attempts_log: None,
        }
    }
}

impl DeliveryOut {
    /// The delivery as read one by one: with every attempt.
    pub fn with_attempts(mut self, attempts: Vec<AttemptOut>) -> Self {
        self.attempts_log = Some(attempts);
        self
    }
}
