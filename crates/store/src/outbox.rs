//! The webhook outbox: events written in the transaction of the change that
//! caused them, fanned out to the subscribed endpoints at once, then
//! claimed and settled by the delivery worker.
//!
//! Claims are cross-account by nature (one queue for the node), like
//! authentication; every other call here is scoped by the account.

use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use vitrine_core::ids::{AccountId, DeliveryId, EventId, WebhookId};
use vitrine_core::webhook::{self, AfterFailure, RetryPolicy};

use crate::backend::on_db;
use crate::filter::text_to_list;
use crate::{Db, Result};

/// Repository of the outbox.
pub struct Outbox<'c>(pub(crate) Db<'c>);

/// A delivery claimed by a worker: everything needed to make the call.
#[derive(Clone)]
pub struct Claimed {
    /// The account.
    pub account: AccountId,
    /// The delivery.
    pub id: DeliveryId,
    /// The endpoint.
    pub webhook_id: WebhookId,
    /// The event.
    pub event_id: EventId,
    /// Its type.
    pub event_type: String,
    /// The exact JSON body to send and sign.
    pub body: String,
    /// Where to.
    pub url: String,
    /// The signing secret.
    pub secret: String,
    /// Tries already made in this round.
    pub attempts: i64,
    /// This claim's token: the settle call only applies while it holds.
    pub token: Uuid,
}

impl std::fmt::Debug for Claimed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret.
        f.debug_struct("Claimed")
            .field("id", &self.id)
            .field("event_id", &self.event_id)
            .field("event_type", &self.event_type)
            .field("url", &self.url)
            .field("attempts", &self.attempts)
            .finish_non_exhaustive()
    }
}

/// What one try gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// A 2xx answer.
    pub succeeded: bool,
    /// The HTTP status, if an answer came.
    pub status_code: Option<u16>,
    /// Milliseconds to the answer or the error.
    pub latency_ms: i64,
    /// The start of the body.
    pub response_excerpt: Option<String>,
    /// The network error or timeout.
    pub error: Option<String>,
}

/// What settling a try decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Settled {
    /// Delivered.
    Delivered,
    /// Will be tried again.
    Retrying,
    /// Out of tries.
    Failed,
    /// The claim had expired and someone else holds it: only logged.
    Stale,
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    account_id: Uuid,
    id: Uuid,
    webhook_id: Uuid,
    event_id: Uuid,
    event_type: String,
    body: String,
    url: String,
    secret: String,
    attempts: i64,
}

fn plus(at: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    at + chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

impl Outbox<'_> {
    /// Writes an event and one pending delivery per active endpoint of the
    /// account subscribed to it; returns how many. Call it in the
    /// transaction of the change, so both commit or neither does.
    pub async fn enqueue(
        &mut self,
        account: AccountId,
        id: EventId,
        event_type: &str,
        body: &str,
        at: DateTime<Utc>,
    ) -> Result<usize> {
        let insert = "INSERT INTO webhook_events (account_id, id, event_type, body, created_at) \
            VALUES ($1, $2, $3, $4, $5)";
        on_db!(self.0, c => sqlx::query(insert).bind(account.0).bind(id.0).bind(event_type).bind(body).bind(at).execute(&mut *c).await.map(|r| r.rows_affected()))?;
        let endpoints = "SELECT id, events FROM webhooks WHERE account_id = $1 AND active";
        let rows: Vec<(Uuid, String)> = on_db!(self.0, c => sqlx::query_as(endpoints).bind(account.0).fetch_all(&mut *c).await)?;
        let fan_out = "INSERT INTO webhook_deliveries (account_id, id, webhook_id, event_id, status, \
            attempts, next_attempt_at, created_at, updated_at) VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $5)";
        let mut n = 0;
        for (webhook_id, events) in rows {
            if !webhook::subscribes(&text_to_list(&events)?, event_type) {
                continue;
            }
            on_db!(self.0, c => sqlx::query(fan_out).bind(account.0).bind(DeliveryId::new().0).bind(webhook_id).bind(id.0).bind(at).execute(&mut *c).await.map(|r| r.rows_affected()))?;
            n += 1;
        }
        Ok(n)
    }

    /// Claims up to `limit` due deliveries of active endpoints for
    /// `token` until `lease_until`. On PostgreSQL the rows are chosen with
    /// `FOR UPDATE SKIP LOCKED`, so concurrent claimers on other nodes take
    /// other rows; SQLite's write transaction (`BEGIN IMMEDIATE`)
    /// serialises claimers. A row whose lease ran out (a crashed worker) is
    /// due again. Commit before making the calls.
    pub async fn claim(
        &mut self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limit: i64,
        token: Uuid,
    ) -> Result<Vec<Claimed>> {
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE OF d SKIP LOCKED",
            Db::Sqlite(_) => "",
        };
        let pick = format!(
            "SELECT d.account_id, d.id FROM webhook_deliveries d \
             JOIN webhooks w ON w.account_id = d.account_id AND w.id = d.webhook_id \
             WHERE d.status = 'pending' AND d.next_attempt_at <= $1 \
             AND (d.claimed_until IS NULL OR d.claimed_until < $1) AND w.active \
             ORDER BY d.next_attempt_at LIMIT $2{lock}"
        );
        let picked: Vec<(Uuid, Uuid)> = on_db!(self.0, c => sqlx::query_as(&pick).bind(now).bind(limit).fetch_all(&mut *c).await)?;
        let mark = "UPDATE webhook_deliveries SET claimed_until = $3, claim_token = $4 \
            WHERE account_id = $1 AND id = $2";
        let read = "SELECT d.account_id, d.id, d.webhook_id, d.event_id, e.event_type, e.body, \
            w.url, w.secret, d.attempts FROM webhook_deliveries d \
            JOIN webhooks w ON w.account_id = d.account_id AND w.id = d.webhook_id \
            JOIN webhook_events e ON e.account_id = d.account_id AND e.id = d.event_id \
            WHERE d.account_id = $1 AND d.id = $2";
        let mut out = Vec::with_capacity(picked.len());
        for (account, id) in picked {
            on_db!(self.0, c => sqlx::query(mark).bind(account).bind(id).bind(lease_until).bind(token).execute(&mut *c).await.map(|r| r.rows_affected()))?;
            let r: ClaimRow = on_db!(self.0, c => sqlx::query_as(read).bind(account).bind(id).fetch_one(&mut *c).await)?;
            out.push(Claimed {
                account: AccountId(r.account_id),
                id: DeliveryId(r.id),
                webhook_id: WebhookId(r.webhook_id),
                event_id: EventId(r.event_id),
                event_type: r.event_type,
                body: r.body,
                url: r.url,
                secret: r.secret,
                attempts: r.attempts,
                token,
            });
        }
        Ok(out)
    }

    /// Records a try and moves the delivery on: delivered; retried after
    /// the policy's next wait; or failed when out of tries. A failed try
    /// extends the endpoint's failure streak, and the streak disables it at
    /// `policy.disable_after`; a success resets it. If the claim no longer
    /// holds (lease ran out and another worker took it), only the try is
    /// logged.
    pub async fn settle(
        &mut self,
        claim: &Claimed,
        outcome: &Outcome,
        policy: &RetryPolicy,
        now: DateTime<Utc>,
    ) -> Result<Settled> {
        let a = claim.account.0;
        let lock = match self.0 {
            Db::Postgres(_) => " FOR UPDATE",
            Db::Sqlite(_) => "",
        };
        let current = format!(
            "SELECT claim_token, attempts FROM webhook_deliveries WHERE account_id = $1 AND id = $2{lock}"
        );
        let row: Option<(Option<Uuid>, i64)> = on_db!(self.0, c => sqlx::query_as(&current).bind(a).bind(claim.id.0).fetch_optional(&mut *c).await)?;
        let Some((token, attempts)) = row else {
            // The endpoint was deleted meanwhile: nothing to record against.
            return Ok(Settled::Stale);
        };
        let number =
            "SELECT COUNT(*) FROM webhook_attempts WHERE account_id = $1 AND delivery_id = $2";
        let previous: i64 = on_db!(self.0, c => sqlx::query_scalar(number).bind(a).bind(claim.id.0).fetch_one(&mut *c).await)?;
        let log =
            "INSERT INTO webhook_attempts (account_id, id, delivery_id, webhook_id, attempt, \
            succeeded, status_code, latency_ms, response_excerpt, error, created_at) \
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
        on_db!(self.0, c => sqlx::query(log)
            .bind(a)
            .bind(Uuid::now_v7())
            .bind(claim.id.0)
            .bind(claim.webhook_id.0)
            .bind(previous + 1)
            .bind(outcome.succeeded)
            .bind(outcome.status_code.map(i64::from))
            .bind(outcome.latency_ms)
            .bind(outcome.response_excerpt.clone())
            .bind(outcome.error.clone())
            .bind(now)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        if token != Some(claim.token) {
            return Ok(Settled::Stale);
        }
        let attempts = attempts + 1;
        let w = claim.webhook_id.0;
        if outcome.succeeded {
            let done = "UPDATE webhook_deliveries SET status = 'delivered', attempts = $3, \
                delivered_at = $4, claimed_until = NULL, claim_token = NULL, updated_at = $4 \
                WHERE account_id = $1 AND id = $2";
            on_db!(self.0, c => sqlx::query(done).bind(a).bind(claim.id.0).bind(attempts).bind(now).execute(&mut *c).await.map(|r| r.rows_affected()))?;
            let ok = "UPDATE webhooks SET consecutive_failures = 0, last_triggered_at = $3 \
                WHERE account_id = $1 AND id = $2";
            on_db!(self.0, c => sqlx::query(ok).bind(a).bind(w).bind(now).execute(&mut *c).await.map(|r| r.rows_affected()))?;
            return Ok(Settled::Delivered);
        }
        let tries = u32::try_from(attempts).unwrap_or(u32::MAX);
        let settled = match webhook::after_failure(&policy.delays, tries) {
            AfterFailure::RetryIn(wait) => {
                let sample = u32::try_from(Uuid::new_v4().as_u128() % 1000).unwrap_or(500);
                let wait = webhook::jittered(wait, policy.jitter_permille, sample);
                let retry = "UPDATE webhook_deliveries SET attempts = $3, next_attempt_at = $4, \
                    claimed_until = NULL, claim_token = NULL, updated_at = $5 \
                    WHERE account_id = $1 AND id = $2";
                on_db!(self.0, c => sqlx::query(retry).bind(a).bind(claim.id.0).bind(attempts).bind(plus(now, wait)).bind(now).execute(&mut *c).await.map(|r| r.rows_affected()))?;
                Settled::Retrying
            }
            AfterFailure::GiveUp => {
                let failed = "UPDATE webhook_deliveries SET status = 'failed', attempts = $3, \
                    claimed_until = NULL, claim_token = NULL, updated_at = $4 \
                    WHERE account_id = $1 AND id = $2";
                on_db!(self.0, c => sqlx::query(failed).bind(a).bind(claim.id.0).bind(attempts).bind(now).execute(&mut *c).await.map(|r| r.rows_affected()))?;
                Settled::Failed
            }
        };
        let streak = "UPDATE webhooks SET consecutive_failures = consecutive_failures + 1, \
            last_triggered_at = $3 WHERE account_id = $1 AND id = $2";
        on_db!(self.0, c => sqlx::query(streak).bind(a).bind(w).bind(now).execute(&mut *c).await.map(|r| r.rows_affected()))?;
        let read = "SELECT consecutive_failures FROM webhooks WHERE account_id = $1 AND id = $2";
        let failures: i64 =
            on_db!(self.0, c => sqlx::query_scalar(read).bind(a).bind(w).fetch_one(&mut *c).await)?;
        if webhook::should_disable(failures, policy.disable_after) {
            let off = "UPDATE webhooks SET active = $3, disabled_at = COALESCE(disabled_at, $4) \
                WHERE account_id = $1 AND id = $2 AND active";
            on_db!(self.0, c => sqlx::query(off).bind(a).bind(w).bind(false).bind(now).execute(&mut *c).await.map(|r| r.rows_affected()))?;
            tracing::warn!(webhook = %claim.webhook_id, failures, "webhook endpoint disabled after consecutive failures");
        }
        Ok(settled)
    }
}
