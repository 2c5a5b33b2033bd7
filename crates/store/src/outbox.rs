//! The webhook outbox: events written in the transaction of the change that
//! caused them, fanned out to the subscribed endpoints at once, then
//! claimed and settled by the delivery worker.
//!
//! Claims are cross-account by nature (one queue for the node), like
//! authentication; every other call here is scoped by the account. A claim
//! is fair: round-robin across accounts (and across an account's
//! endpoints), with caps on what one endpoint and one account may have in
//! flight at once, counted from the live leases in the database, so the
//! caps hold across nodes.

use std::time::Duration;

use chrono::{DateTime, Utc};
use uuid::Uuid;
use vitrine_core::ids::{AccountId, DeliveryId, EventId, WebhookId};
use vitrine_core::webhook::{self, AfterFailure, RetryPolicy, TryFailure};

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

/// What one try gave. Nothing in it is the receiver's text: a status
/// code, a length and a fixed failure class, so whatever a receiver
/// answers (a NUL byte, megabytes, an internal page) it can be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// A 2xx answer.
    pub succeeded: bool,
    /// The HTTP status, if an answer came.
    pub status_code: Option<u16>,
    /// Milliseconds to the answer or the error.
    pub latency_ms: i64,
    /// Length of the answer's body (counted, not kept), if an answer came.
    pub response_bytes: Option<i64>,
    /// Why no answer came.
    pub failure: Option<TryFailure>,
    /// The try ran out of time (counts toward the slow lane).
    pub timed_out: bool,
}

impl Outcome {
    /// The short record that stands for this try when its full record
    /// could not be written: counted as a failed try (the status code
    /// kept), so the delivery is retried after the policy's wait.
    pub fn not_recorded(&self) -> Self {
        Self {
            succeeded: false,
            status_code: self.status_code,
            latency_ms: self.latency_ms,
            response_bytes: None,
            failure: Some(TryFailure::NotRecorded),
            timed_out: false,
        }
    }
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

/// How much one claim may take, so that no account or endpoint holds the
/// worker's slots while others wait.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimLimits {
    /// Claim for the slow lane (endpoints that keep timing out) or the
    /// normal one.
    pub slow_lane: bool,
    /// Deliveries to claim at most (the worker's free slots).
    pub max: i64,
    /// Deliveries in flight per endpoint, counting those already out.
    pub per_endpoint: i64,
    /// Deliveries in flight per account, counting those already out.
    pub per_account: i64,
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

/// The PostgreSQL advisory lock claimers take in turn (any constant; this
/// one spells "webhook" in ASCII).
const CLAIM_LOCK: i64 = 0x77_65_62_68_6f_6f_6b;

/// The fair pick (`$1` now, `$2` lane, `$3` per endpoint, `$4` per
/// account, `$5` how many). `busy` counts live leases, the deliveries
/// already out (the `webhook_deliveries_leased` index). `queues` are the
/// endpoints with something due, read off the `webhook_deliveries_due`
/// index alone; from each only its first `$3` due deliveries are read (the
/// `webhook_deliveries_queue` index), so a long backlog costs an index
/// scan, not a sort. Each of those gets its endpoint's slot number (its
/// place in the queue after those out) and is kept within the cap; the
/// kept ones get their account's slot number the same way, ordered
/// round-robin across the account's endpoints; then round-robin across
/// accounts: every account's first slot before anyone's second.
const PICK: &str = "WITH busy AS ( \
        SELECT account_id, webhook_id, COUNT(*) AS n FROM webhook_deliveries \
        WHERE claimed_until IS NOT NULL AND claimed_until >= $1 AND status = 'pending' \
        GROUP BY account_id, webhook_id \
    ), busy_account AS ( \
        SELECT account_id, SUM(n) AS n FROM busy GROUP BY account_id \
    ), queues AS ( \
        SELECT DISTINCT account_id, webhook_id FROM webhook_deliveries \
        WHERE status = 'pending' AND next_attempt_at <= $1 \
    ), heads AS ({HEADS}), due AS ( \
        SELECT h.account_id, h.id, h.next_attempt_at, \
            ROW_NUMBER() OVER (PARTITION BY h.account_id, h.webhook_id \
                ORDER BY h.next_attempt_at, h.id) + COALESCE(b.n, 0) AS endpoint_slot \
        FROM heads h \
        LEFT JOIN busy b ON b.account_id = h.account_id AND b.webhook_id = h.webhook_id \
    ), fair AS ( \
        SELECT due.account_id, due.id, due.next_attempt_at, \
            ROW_NUMBER() OVER (PARTITION BY due.account_id \
                ORDER BY due.endpoint_slot, due.next_attempt_at, due.id) + COALESCE(ba.n, 0) AS account_slot \
        FROM due LEFT JOIN busy_account ba ON ba.account_id = due.account_id \
        WHERE due.endpoint_slot <= $3 \
    ) \
    SELECT account_id, id FROM fair WHERE account_slot <= $4 \
    ORDER BY account_slot, next_attempt_at, id LIMIT $5";

/// An endpoint's first `$3` due deliveries (`x`, off the
/// `webhook_deliveries_queue` index), for each queue `q`.
const HEAD: &str = "FROM webhook_deliveries x \
    WHERE x.account_id = q.account_id AND x.webhook_id = q.webhook_id \
    AND x.status = 'pending' AND x.next_attempt_at <= $1 \
    AND (x.claimed_until IS NULL OR x.claimed_until < $1) \
    ORDER BY x.next_attempt_at, x.id LIMIT $3";

/// [`PICK`] with its `heads` for the backend: PostgreSQL runs [`HEAD`] once
/// per queue with `LATERAL` (an `IN` there re-runs it for every delivery of
/// the account); SQLite, which has no `LATERAL`, reads it as an `IN` list
/// per queue, which it evaluates once each.
fn pick(db: &Db<'_>) -> String {
    let heads = match db {
        Db::Postgres(_) => format!(
            "SELECT h.account_id, h.id, h.webhook_id, h.next_attempt_at FROM queues q \
             JOIN webhooks w ON w.account_id = q.account_id AND w.id = q.webhook_id \
             CROSS JOIN LATERAL (SELECT x.account_id, x.id, x.webhook_id, x.next_attempt_at {HEAD}) h \
             WHERE w.active AND w.slow_lane = $2"
        ),
        Db::Sqlite(_) => format!(
            "SELECT d.account_id, d.id, d.webhook_id, d.next_attempt_at FROM queues q \
             JOIN webhooks w ON w.account_id = q.account_id AND w.id = q.webhook_id \
             JOIN webhook_deliveries d ON d.account_id = q.account_id AND d.id IN (SELECT x.id {HEAD}) \
             WHERE w.active AND w.slow_lane = $2"
        ),
    };
    PICK.replace("{HEADS}", &heads)
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
        let count = "UPDATE webhooks SET total_deliveries = total_deliveries + 1 \
            WHERE account_id = $1 AND id = $2";
        let mut n = 0;
        for (webhook_id, events) in rows {
            if !webhook::subscribes(&text_to_list(&events)?, event_type) {
                continue;
            }
            on_db!(self.0, c => sqlx::query(fan_out).bind(account.0).bind(DeliveryId::new().0).bind(webhook_id).bind(id.0).bind(at).execute(&mut *c).await.map(|r| r.rows_affected()))?;
            on_db!(self.0, c => sqlx::query(count).bind(account.0).bind(webhook_id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
            n += 1;
        }
        Ok(n)
    }

    /// Claims due deliveries of active endpoints in one lane for `token`
    /// until `lease_until`, fairly: round-robin across accounts, and within
    /// an account across its endpoints, oldest first in each, never more
    /// in flight (live leases included) than `limits` allow per endpoint
    /// and per account. Claimers are serialised (a transaction-scoped
    /// advisory lock on PostgreSQL, the single writer on SQLite), so the
    /// caps hold across nodes and no row is claimed twice. A row whose
    /// lease ran out (a crashed worker) is due again. Commit before making
    /// the calls.
    pub async fn claim(
        &mut self,
        now: DateTime<Utc>,
        lease_until: DateTime<Utc>,
        limits: &ClaimLimits,
        token: Uuid,
    ) -> Result<Vec<Claimed>> {
        if let Db::Postgres(c) = &mut self.0 {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(CLAIM_LOCK)
                .execute(&mut **c)
                .await?;
        }
        let sql = pick(&self.0);
        let picked: Vec<(Uuid, Uuid)> = on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(now)
            .bind(limits.slow_lane)
            .bind(limits.per_endpoint)
            .bind(limits.per_account)
            .bind(limits.max)
            .fetch_all(&mut *c).await)?;
        // Re-checked as it is marked: a redelivery or a delete may have
        // landed between the pick and now.
        let mark = "UPDATE webhook_deliveries SET claimed_until = $3, claim_token = $4 \
            WHERE account_id = $1 AND id = $2 AND status = 'pending' \
            AND (claimed_until IS NULL OR claimed_until < $5)";
        let read = "SELECT d.account_id, d.id, d.webhook_id, d.event_id, e.event_type, e.body, \
            w.url, w.secret, d.attempts FROM webhook_deliveries d \
            JOIN webhooks w ON w.account_id = d.account_id AND w.id = d.webhook_id \
            JOIN webhook_events e ON e.account_id = d.account_id AND e.id = d.event_id \
            WHERE d.account_id = $1 AND d.id = $2";
        let mut out = Vec::with_capacity(picked.len());
        for (account, id) in picked {
            let marked = on_db!(self.0, c => sqlx::query(mark).bind(account).bind(id).bind(lease_until).bind(token).bind(now).execute(&mut *c).await.map(|r| r.rows_affected()))?;
            if marked == 0 {
                continue;
            }
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
    /// the policy's next wait; or failed when out of tries. Every try is
    /// counted on its endpoint as it happens (attempts, failures, the last
    /// status and error); a failed try extends the endpoint's failure
    /// streak, and the streak disables it at `policy.disable_after`; a
    /// success resets it. Timed-out tries in a row move the endpoint to the
    /// slow lane at `policy.slow_after`; any answer in time moves it back.
    /// If the claim no longer holds (lease ran out and another worker took
    /// it), only the try is logged and counted.
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
        let error = outcome.failure.map(TryFailure::message);
        let log =
            "INSERT INTO webhook_attempts (account_id, id, delivery_id, webhook_id, attempt, \
            succeeded, status_code, latency_ms, response_bytes, error, created_at) \
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
            .bind(outcome.response_bytes)
            .bind(error)
            .bind(now)
            .execute(&mut *c).await.map(|r| r.rows_affected()))?;
        self.count_try(claim, outcome, policy, now).await?;
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
            let ok =
                "UPDATE webhooks SET consecutive_failures = 0 WHERE account_id = $1 AND id = $2";
            on_db!(self.0, c => sqlx::query(ok).bind(a).bind(w).execute(&mut *c).await.map(|r| r.rows_affected()))?;
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
                let counted = "UPDATE webhooks SET failed_deliveries = failed_deliveries + 1 \
                    WHERE account_id = $1 AND id = $2";
                on_db!(self.0, c => sqlx::query(counted).bind(a).bind(w).execute(&mut *c).await.map(|r| r.rows_affected()))?;
                Settled::Failed
            }
        };
        let streak = "UPDATE webhooks SET consecutive_failures = consecutive_failures + 1 \
            WHERE account_id = $1 AND id = $2 RETURNING consecutive_failures";
        let failures: i64 = on_db!(self.0, c => sqlx::query_scalar(streak).bind(a).bind(w).fetch_one(&mut *c).await)?;
        if webhook::should_disable(failures, policy.disable_after) {
            let off = "UPDATE webhooks SET active = $3, disabled_at = COALESCE(disabled_at, $4) \
                WHERE account_id = $1 AND id = $2 AND active";
            on_db!(self.0, c => sqlx::query(off).bind(a).bind(w).bind(false).bind(now).execute(&mut *c).await.map(|r| r.rows_affected()))?;
            tracing::warn!(webhook = %claim.webhook_id, failures, "webhook endpoint disabled after consecutive failures");
        }
        Ok(settled)
    }

    /// The endpoint's side of a try: counters, last status and error, and
    /// the slow lane.
    async fn count_try(
        &mut self,
        claim: &Claimed,
        outcome: &Outcome,
        policy: &RetryPolicy,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let (a, w) = (claim.account.0, claim.webhook_id.0);
        let count = "UPDATE webhooks SET total_attempts = total_attempts + 1, \
            failed_attempts = failed_attempts + $3, last_status_code = $4, last_error = $5, \
            last_triggered_at = $6, \
            consecutive_timeouts = CASE WHEN $7 THEN consecutive_timeouts + 1 ELSE 0 END \
            WHERE account_id = $1 AND id = $2 RETURNING consecutive_timeouts, slow_lane";
        let row: Option<(i64, bool)> = on_db!(self.0, c => sqlx::query_as(count)
            .bind(a)
            .bind(w)
            .bind(i64::from(!outcome.succeeded))
            .bind(outcome.status_code.map(i64::from))
            .bind(outcome.failure.map(TryFailure::message))
            .bind(now)
            .bind(outcome.timed_out)
            .fetch_optional(&mut *c).await)?;
        let Some((timeouts, slow)) = row else {
            return Ok(());
        };
        let belongs = webhook::in_slow_lane(timeouts, policy.slow_after);
        if belongs != slow {
            let lane = "UPDATE webhooks SET slow_lane = $3 WHERE account_id = $1 AND id = $2";
            on_db!(self.0, c => sqlx::query(lane).bind(a).bind(w).bind(belongs).execute(&mut *c).await.map(|r| r.rows_affected()))?;
            tracing::info!(webhook = %claim.webhook_id, timeouts, slow_lane = belongs, "webhook endpoint changed lanes");
        }
        Ok(())
    }
}
