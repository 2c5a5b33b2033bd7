//! Webhook endpoints of an account (Auto API `/webhooks`), their delivery
//! statistics, deliveries and attempt log, and manual redelivery.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use vitrine_core::ids::{AccountId, DeliveryId, EventId, WebhookId};
use vitrine_core::webhook::Endpoint;

use crate::backend::on_db;
use crate::filter::{list_to_text, text_to_list};
use crate::{now, Db, Error, Result};

pub use vitrine_core::records::{AttemptRecord, DeliveryRecord, WebhookRecord};

/// Repository of webhook endpoints.
pub struct Webhooks<'c>(pub(crate) Db<'c>);

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    url: String,
    events: String,
    active: bool,
    consecutive_failures: i64,
    disabled_at: Option<DateTime<Utc>>,
    last_triggered_at: Option<DateTime<Utc>>,
    total_deliveries: i64,
    failed_deliveries: i64,
    total_attempts: i64,
    failed_attempts: i64,
    last_status_code: Option<i64>,
    last_error: Option<String>,
    slow_lane: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for WebhookRecord {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        Ok(Self {
            id: WebhookId(r.id),
            endpoint: Endpoint {
                url: r.url,
                events: text_to_list(&r.events)?,
                active: r.active,
            },
            consecutive_failures: r.consecutive_failures,
            disabled_at: r.disabled_at,
            last_triggered_at: r.last_triggered_at,
            total_deliveries: r.total_deliveries,
            failed_deliveries: r.failed_deliveries,
            total_attempts: r.total_attempts,
            failed_attempts: r.failed_attempts,
            last_status_code: r.last_status_code,
            last_error: r.last_error,
            slow_lane: r.slow_lane,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

// The statistics are counters kept by the outbox as deliveries are queued
// and tries settled: reading them costs the same whatever the history.
const SELECT: &str = "SELECT w.id, w.url, w.events, w.active, w.consecutive_failures, \
    w.disabled_at, w.last_triggered_at, w.total_deliveries, w.failed_deliveries, \
    w.total_attempts, w.failed_attempts, w.last_status_code, w.last_error, w.slow_lane, \
    w.created_at, w.updated_at FROM webhooks w";

#[derive(sqlx::FromRow)]
struct DeliveryRow {
    id: Uuid,
    event_id: Uuid,
    event_type: String,
    status: String,
    attempts: i64,
    next_attempt_at: DateTime<Utc>,
    delivered_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<DeliveryRow> for DeliveryRecord {
    fn from(r: DeliveryRow) -> Self {
        Self {
            id: DeliveryId(r.id),
            event_id: EventId(r.event_id),
            event_type: r.event_type,
            next_attempt_at: (r.status == "pending").then_some(r.next_attempt_at),
            status: r.status,
            attempts: r.attempts,
            delivered_at: r.delivered_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    attempt: i64,
    succeeded: bool,
    status_code: Option<i64>,
    latency_ms: i64,
    response_bytes: Option<i64>,
    error: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<AttemptRow> for AttemptRecord {
    fn from(r: AttemptRow) -> Self {
        Self {
            attempt: r.attempt,
            succeeded: r.succeeded,
            status_code: r.status_code,
            latency_ms: r.latency_ms,
            response_bytes: r.response_bytes,
            error: r.error,
            created_at: r.created_at,
        }
    }
}

const SELECT_DELIVERY: &str = "SELECT d.id, d.event_id, e.event_type, d.status, d.attempts, \
    d.next_attempt_at, d.delivered_at, d.created_at, d.updated_at \
    FROM webhook_deliveries d JOIN webhook_events e ON e.account_id = d.account_id AND e.id = d.event_id";

impl Webhooks<'_> {
    /// Adds an endpoint with its signing secret.
    pub async fn insert(
        &mut self,
        account: AccountId,
        id: WebhookId,
        endpoint: &Endpoint,
        secret: &str,
    ) -> Result<WebhookRecord> {
        let sql = "INSERT INTO webhooks (account_id, id, url, events, active, secret, \
            consecutive_failures, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 0, $7, $7)";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(account.0)
            .bind(id.0)
            .bind(endpoint.url.clone())
            .bind(list_to_text(&endpoint.events))
            .bind(endpoint.active)
            .bind(secret)
            .bind(now())
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.get(account, id).await
    }

    /// Replaces URL, events and active. Turning an endpoint on clears its
    /// failure streak and `disabled_at`; turning it on or giving it a new
    /// URL takes it out of the slow lane (the new target has not timed out).
    pub async fn update(
        &mut self,
        account: AccountId,
        id: WebhookId,
        endpoint: &Endpoint,
    ) -> Result<WebhookRecord> {
        let sql = "UPDATE webhooks SET \
            consecutive_failures = CASE WHEN $5 AND NOT active THEN 0 ELSE consecutive_failures END, \
            consecutive_timeouts = CASE WHEN ($5 AND NOT active) OR url <> $3 THEN 0 ELSE consecutive_timeouts END, \
            slow_lane = CASE WHEN ($5 AND NOT active) OR url <> $3 THEN $7 ELSE slow_lane END, \
            disabled_at = CASE WHEN $5 THEN NULL ELSE disabled_at END, \
            url = $3, events = $4, active = $5, updated_at = $6 WHERE account_id = $1 AND id = $2";
        let done = on_db!(self.0, c => sqlx::query(sql)
            .bind(account.0)
            .bind(id.0)
            .bind(endpoint.url.clone())
            .bind(list_to_text(&endpoint.events))
            .bind(endpoint.active)
            .bind(now())
            .bind(false)
            .execute(c).await.map(|r| r.rows_affected()))?;
        if done == 0 {
            return Err(Error::NotFound);
        }
        self.get(account, id).await
    }

    /// How many endpoints the account has, for the cap on new ones. Call it
    /// in the transaction that inserts: on PostgreSQL it first locks the
    /// account's row, so two concurrent registrations cannot both pass the
    /// cap (SQLite's single writer already serialises them).
    pub async fn count_for_insert(&mut self, account: AccountId) -> Result<i64> {
        if let Db::Postgres(c) = &mut self.0 {
            sqlx::query("SELECT id FROM accounts WHERE id = $1 FOR UPDATE")
                .bind(account.0)
                .fetch_optional(&mut **c)
                .await?;
        }
        let sql = "SELECT COUNT(*) FROM webhooks WHERE account_id = $1";
        Ok(on_db!(self.0, c => sqlx::query_scalar(sql).bind(account.0).fetch_one(c).await)?)
    }

    /// One endpoint of the account.
    pub async fn get(&mut self, account: AccountId, id: WebhookId) -> Result<WebhookRecord> {
        let sql = format!("{SELECT} WHERE w.account_id = $1 AND w.id = $2");
        let row: Row = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        row.try_into()
    }

    /// Locks an endpoint until the transaction ends (updates race with the
    /// worker's failure count).
    pub async fn lock(&mut self, account: AccountId, id: WebhookId) -> Result<()> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE",
            Db::Sqlite(_) => "",
        };
        let sql = format!("SELECT COUNT(*) FROM (SELECT id FROM webhooks WHERE account_id = $1 AND id = $2{lock}) x");
        let n: i64 = on_db!(self.0, c => sqlx::query_scalar(&sql).bind(account.0).bind(id.0).fetch_one(c).await)?;
        if n == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Deletes an endpoint, its deliveries and their attempts (§3.13).
    pub async fn delete(&mut self, account: AccountId, id: WebhookId) -> Result<()> {
        let sql = "DELETE FROM webhooks WHERE account_id = $1 AND id = $2";
        let done = on_db!(self.0, c => sqlx::query(sql).bind(account.0).bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        if done == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// A page of the account's endpoints (oldest first) and their count.
    pub async fn list(
        &mut self,
        account: AccountId,
        limit: u32,
        offset: i64,
    ) -> Result<(Vec<WebhookRecord>, u64)> {
        let count = "SELECT COUNT(*) FROM webhooks WHERE account_id = $1";
        let sql = format!(
            "{SELECT} WHERE w.account_id = $1 ORDER BY w.created_at, w.id LIMIT $2 OFFSET $3"
        );
        let total: i64 = on_db!(self.0, c => sqlx::query_scalar(count).bind(account.0).fetch_one(&mut *c).await)?;
        let rows: Vec<Row> = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(i64::from(limit)).bind(offset).fetch_all(&mut *c).await)?;
        let items = rows
            .into_iter()
            .map(WebhookRecord::try_from)
            .collect::<Result<_>>()?;
        Ok((items, u64::try_from(total).unwrap_or(0)))
    }

    /// A page of an endpoint's deliveries, newest first, and their count.
    pub async fn deliveries(
        &mut self,
        account: AccountId,
        webhook: WebhookId,
        limit: u32,
        offset: i64,
    ) -> Result<(Vec<DeliveryRecord>, u64)> {
        let count =
            "SELECT COUNT(*) FROM webhook_deliveries WHERE account_id = $1 AND webhook_id = $2";
        let sql = format!(
            "{SELECT_DELIVERY} WHERE d.account_id = $1 AND d.webhook_id = $2 \
             ORDER BY d.created_at DESC, d.id DESC LIMIT $3 OFFSET $4"
        );
        let total: i64 = on_db!(self.0, c => sqlx::query_scalar(count).bind(account.0).bind(webhook.0).fetch_one(&mut *c).await)?;
        let rows: Vec<DeliveryRow> = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(webhook.0).bind(i64::from(limit)).bind(offset).fetch_all(&mut *c).await)?;
        Ok((
            rows.into_iter().map(DeliveryRecord::from).collect(),
            u64::try_from(total).unwrap_or(0),
        ))
    }

    /// One delivery of an endpoint.
    pub async fn delivery(
        &mut self,
        account: AccountId,
        webhook: WebhookId,
        id: DeliveryId,
    ) -> Result<DeliveryRecord> {
        let sql = format!(
            "{SELECT_DELIVERY} WHERE d.account_id = $1 AND d.webhook_id = $2 AND d.id = $3"
        );
        let row: DeliveryRow = on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(webhook.0).bind(id.0).fetch_one(c).await)?;
        Ok(row.into())
    }

    /// A delivery's tries, in order.
    pub async fn attempts(
        &mut self,
        account: AccountId,
        delivery: DeliveryId,
    ) -> Result<Vec<AttemptRecord>> {
        let sql = "SELECT attempt, succeeded, status_code, latency_ms, response_bytes, error, created_at \
            FROM webhook_attempts WHERE account_id = $1 AND delivery_id = $2 ORDER BY attempt";
        let rows: Vec<AttemptRow> = on_db!(self.0, c => sqlx::query_as(sql).bind(account.0).bind(delivery.0).fetch_all(c).await)?;
        Ok(rows.into_iter().map(AttemptRecord::from).collect())
    }

    /// The exact JSON body of a delivery's event (what was sent and signed).
    pub async fn event_body(
        &mut self,
        account: AccountId,
        webhook: WebhookId,
        delivery: DeliveryId,
    ) -> Result<String> {
        let sql = "SELECT e.body FROM webhook_deliveries d \
            JOIN webhook_events e ON e.account_id = d.account_id AND e.id = d.event_id \
            WHERE d.account_id = $1 AND d.webhook_id = $2 AND d.id = $3";
        Ok(
            on_db!(self.0, c => sqlx::query_scalar(sql).bind(account.0).bind(webhook.0).bind(delivery.0).fetch_one(c).await)?,
        )
    }

    /// Manual redelivery: the delivery goes back to the queue, due now,
    /// with a fresh round of tries. Delivered and failed ones are sent
    /// again (same event id, so receivers can deduplicate); a pending one
    /// is brought forward. A claim in flight is voided: its result is only
    /// logged, and the redelivery goes out regardless.
    pub async fn redeliver(
        &mut self,
        account: AccountId,
        webhook: WebhookId,
        id: DeliveryId,
    ) -> Result<DeliveryRecord> {
        // A failed delivery sent again no longer counts as failed.
        let uncount = "UPDATE webhooks SET failed_deliveries = failed_deliveries - 1 \
            WHERE account_id = $1 AND id = $2 AND failed_deliveries > 0 AND EXISTS (\
            SELECT 1 FROM webhook_deliveries d WHERE d.account_id = $1 AND d.webhook_id = $2 \
            AND d.id = $3 AND d.status = 'failed')";
        on_db!(self.0, c => sqlx::query(uncount).bind(account.0).bind(webhook.0).bind(id.0).execute(c).await.map(|r| r.rows_affected()))?;
        let sql = "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, \
            next_attempt_at = $4, delivered_at = NULL, claimed_until = NULL, claim_token = NULL, \
            updated_at = $4 \
            WHERE account_id = $1 AND webhook_id = $2 AND id = $3";
        let done = on_db!(self.0, c => sqlx::query(sql).bind(account.0).bind(webhook.0).bind(id.0).bind(now()).execute(c).await.map(|r| r.rows_affected()))?;
        if done == 0 {
            return Err(Error::NotFound);
        }
        self.delivery(account, webhook, id).await
    }
}
