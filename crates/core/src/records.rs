//! What the store hands back: a domain value with its id and timestamps
//! (and, for the Auto API's embedded objects, the names of what it links).
//! The store builds them from its rows; the faces render them.

use chrono::{DateTime, Utc};

use crate::activity::Activity;
use crate::client::Client;
use crate::deal::Deal;
use crate::financial::FinancialRecord;
use crate::ids::{
    ActivityId, ClientId, DealId, DeliveryId, EventId, FinancialId, VehicleId, WebhookId,
};
use crate::vehicle::Vehicle;
use crate::webhook::Endpoint;

/// A vehicle as stored, with its linked client's name for the embedded
/// `client {id, name}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VehicleRecord {
    /// Id.
    pub id: VehicleId,
    /// The data.
    pub vehicle: Vehicle,
    /// The linked client's name.
    pub client_name: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A client as stored: its id, its data and its timestamps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientRecord {
    /// Id.
    pub id: ClientId,
    /// The data.
    pub client: Client,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A deal as stored, with the names of what it links for the embedded
/// `client {id, name}` and `vehicle {id, title}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DealRecord {
    /// Id.
    pub id: DealId,
    /// The data.
    pub deal: Deal,
    /// The linked client's name.
    pub client_name: Option<String>,
    /// The linked vehicle's title.
    pub vehicle_title: Option<String>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// An activity as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRecord {
    /// Id.
    pub id: ActivityId,
    /// The data.
    pub activity: Activity,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// A record as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinancialEntry {
    /// Id.
    pub id: FinancialId,
    /// The data.
    pub record: FinancialRecord,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// An endpoint as stored, with its statistics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookRecord {
    /// Id.
    pub id: WebhookId,
    /// URL, events, active.
    pub endpoint: Endpoint,
    /// Consecutive failed tries (reset by a success or by re-enabling).
    pub consecutive_failures: i64,
    /// When it was disabled automatically, if it was.
    pub disabled_at: Option<DateTime<Utc>>,
    /// Last delivery try.
    pub last_triggered_at: Option<DateTime<Utc>>,
    /// Events dispatched to it.
    pub total_deliveries: i64,
    /// Deliveries that exhausted their tries.
    pub failed_deliveries: i64,
    /// Tries made, counted as they happen.
    pub total_attempts: i64,
    /// Tries that failed, counted as they happen.
    pub failed_attempts: i64,
    /// The last try's HTTP status (none: no answer, or no try yet).
    pub last_status_code: Option<i64>,
    /// The last try's error (none: it got an answer, or no try yet).
    pub last_error: Option<String>,
    /// Its tries keep timing out: it is delivered in the slow lane.
    pub slow_lane: bool,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// One event for one endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRecord {
    /// Id.
    pub id: DeliveryId,
    /// The event.
    pub event_id: EventId,
    /// Its type.
    pub event_type: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    /// Tries in the current round (a redelivery starts a new round).
    pub attempts: i64,
    /// When the next try is due (pending only).
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// When it succeeded.
    pub delivered_at: Option<DateTime<Utc>>,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last change.
    pub updated_at: DateTime<Utc>,
}

/// One try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRecord {
    /// 1-based number over the delivery's whole life.
    pub attempt: i64,
    /// A 2xx answer.
    pub succeeded: bool,
    /// The HTTP status, none on a network error or timeout.
    pub status_code: Option<i64>,
    /// Time to the answer or the error, in milliseconds.
    pub latency_ms: i64,
    /// Length of the response body in bytes (counted up to a cap, never
    /// kept), none without an answer.
    pub response_bytes: Option<i64>,
    /// The network error or timeout.
    pub error: Option<String>,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}
