//! Webhook delivery (ecosys-auto-api.md §4.6, docs/webhooks.md).
//!
//! The Auto handlers write each event to the outbox in the transaction of
//! the change, fanned out to one pending delivery per subscribed endpoint.
//! This worker claims due deliveries in a short transaction (`FOR UPDATE
//! SKIP LOCKED` on PostgreSQL, SQLite's single writer otherwise), stamping
//! a lease, commits, and only then makes the HTTP calls — no transaction
//! is held across the network. Each try is settled in its own transaction:
//! logged, then delivered, retried after the configured wait, or failed;
//! the endpoint's failure streak disables it at the configured length.
//! A node that dies mid-call leaves its claim to expire, and the delivery
//! is tried again by whichever node claims it next.
//!
//! The scheduler announces `activity.due_soon` and `activity.overdue` once
//! per activity (per due date), claiming the activities the same way.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use uuid::Uuid;
use vitrine_core::activity::Reminder;
use vitrine_core::webhook::{self, RetryPolicy};
use vitrine_store::outbox::{Claimed, Outcome};
use vitrine_store::Store;

/// How webhooks are delivered and activities announced.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Run the delivery worker and the scheduler on this node.
    pub enabled: bool,
    /// Waits between tries (`len + 1` tries in all).
    pub retry_delays: Vec<Duration>,
    /// Spread of each wait, in ± thousandths (100 = ±10 %).
    pub retry_jitter_permille: u32,
    /// Per-try HTTP timeout (connect + answer).
    pub timeout: Duration,
    /// How often an idle worker looks for due deliveries.
    pub poll_interval: Duration,
    /// Consecutive failed tries that disable an endpoint (0: never).
    pub disable_after: u32,
    /// How long a claim holds before another node may retry it; must
    /// exceed `timeout`.
    pub lease: Duration,
    /// Deliveries claimed (and sent concurrently) per round.
    pub batch: u32,
    /// "Due soon" means due within this window.
    pub due_soon_window: Duration,
    /// How often the scheduler looks for due-soon and overdue activities.
    pub scheduler_interval: Duration,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        let policy = RetryPolicy::default();
        Self {
            enabled: true,
            retry_delays: policy.delays,
            retry_jitter_permille: policy.jitter_permille,
            timeout: Duration::from_secs(10),
            poll_interval: Duration::from_secs(1),
            disable_after: policy.disable_after,
            lease: Duration::from_secs(60),
            batch: 16,
            due_soon_window: Duration::from_secs(24 * 3600),
            scheduler_interval: Duration::from_secs(30),
        }
    }
}

impl WebhookSettings {
    fn policy(&self) -> RetryPolicy {
        RetryPolicy {
            delays: self.retry_delays.clone(),
            disable_after: self.disable_after,
            jitter_permille: self.retry_jitter_permille,
        }
    }
}

/// The running background tasks of a node.
#[derive(Debug)]
pub struct Workers {
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Workers {
    /// Asks every task to stop and waits for them (a try in flight is
    /// finished and settled first).
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for t in self.tasks {
            let _ = t.await;
        }
    }

    /// Asks every task to stop without waiting.
    pub fn signal_stop(&self) {
        let _ = self.stop.send(true);
    }
}

/// Starts the delivery worker and the scheduler (none when disabled).
pub fn spawn(store: Store, settings: &WebhookSettings) -> Workers {
    let (stop, stopped) = watch::channel(false);
    let mut tasks = Vec::new();
    if settings.enabled {
        let settings = Arc::new(settings.clone());
        match reqwest::Client::builder()
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout)
            .user_agent("Vitrine-Webhooks/1.0")
            .redirect(reqwest::redirect::Policy::none())
            .build()
        {
            Ok(client) => {
                tasks.push(tokio::spawn(deliver_loop(
                    store.clone(),
                    client,
                    settings.clone(),
                    stopped.clone(),
                )));
            }
            Err(e) => tracing::error!(error = ?e, "webhook HTTP client unavailable; delivery off"),
        }
        tasks.push(tokio::spawn(schedule_loop(store, settings, stopped)));
    }
    Workers { stop, tasks }
}

/// Waits `d` unless asked to stop first; `false` means stop.
async fn pause(stop: &mut watch::Receiver<bool>, d: Duration) -> bool {
    if *stop.borrow() {
        return false;
    }
    tokio::select! {
        _ = stop.changed() => false,
        () = tokio::time::sleep(d) => !*stop.borrow(),
    }
}

async fn deliver_loop(
    store: Store,
    client: reqwest::Client,
    settings: Arc<WebhookSettings>,
    mut stop: watch::Receiver<bool>,
) {
    let policy = settings.policy();
    loop {
        if *stop.borrow() {
            break;
        }
        let claimed = match claim(&store, &settings).await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = ?e, "webhook claim failed");
                Vec::new()
            }
        };
        let full = claimed.len() >= usize::try_from(settings.batch).unwrap_or(usize::MAX);
        let sends = claimed
            .into_iter()
            .map(|c| deliver(&store, &client, &settings, &policy, c));
        futures_util::future::join_all(sends).await;
        // A full batch means more may be due: go again at once.
        if !full && !pause(&mut stop, settings.poll_interval).await {
            break;
        }
    }
}

async fn claim(store: &Store, settings: &WebhookSettings) -> vitrine_store::Result<Vec<Claimed>> {
    let now = vitrine_store::now();
    let lease = chrono::Duration::from_std(settings.lease).unwrap_or(chrono::Duration::MAX);
    let mut tx = store.begin().await?;
    let claimed = tx
        .outbox()
        .claim(now, now + lease, i64::from(settings.batch), Uuid::now_v7())
        .await?;
    tx.commit().await?;
    Ok(claimed)
}

/// `hex(HMAC-SHA256(secret, "<t>.<body>"))` — docs/webhooks.md.
pub fn signature(secret: &str, timestamp: i64, body: &str) -> String {
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.as_bytes()) else {
        return String::new();
    };
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// How much of a response is kept in the attempt log.
const EXCERPT_CHARS: usize = 1024;

async fn deliver(
    store: &Store,
    client: &reqwest::Client,
    settings: &WebhookSettings,
    policy: &RetryPolicy,
    claim: Claimed,
) {
    let t = Utc::now().timestamp();
    let sig = signature(&claim.secret, t, &claim.body);
    let started = Instant::now();
    let sent = client
        .post(&claim.url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("X-Vitrine-Signature", format!("t={t},v1={sig}"))
        .header("X-Vitrine-Event-Id", claim.event_id.to_string())
        .header("X-Vitrine-Event-Type", &claim.event_type)
        .header("X-Vitrine-Delivery-Id", claim.id.to_string())
        // The names ecosys-auto-api.md §4.6 recommends, same HMAC.
        .header("X-Ecosys-Event", &claim.event_type)
        .header("X-Ecosys-Delivery", claim.event_id.to_string())
        .header("X-Ecosys-Timestamp", t.to_string())
        .header("X-Ecosys-Signature", format!("sha256={sig}"))
        .body(claim.body.clone())
        .send()
        .await;
    let outcome = match sent {
        Ok(mut resp) => {
            let status = resp.status();
            let mut text = Vec::new();
            // Read only the start of the body; the rest is dropped.
            while text.len() < EXCERPT_CHARS * 4 {
                match resp.chunk().await {
                    Ok(Some(chunk)) => text.extend_from_slice(&chunk),
                    _ => break,
                }
            }
            let excerpt = webhook::excerpt(&String::from_utf8_lossy(&text), EXCERPT_CHARS);
            Outcome {
                succeeded: status.is_success(),
                status_code: Some(status.as_u16()),
                latency_ms: elapsed_ms(started),
                response_excerpt: Some(excerpt),
                error: None,
            }
        }
        Err(e) => Outcome {
            succeeded: false,
            status_code: None,
            latency_ms: elapsed_ms(started),
            response_excerpt: None,
            error: Some(if e.is_timeout() {
                format!("timeout after {} ms", settings.timeout.as_millis())
            } else if e.is_connect() {
                "connection failed".to_owned()
            } else {
                webhook::excerpt(&e.to_string(), 300)
            }),
        },
    };
    let settled = settle(store, &claim, &outcome, policy).await;
    match settled {
        Ok(s) => {
            tracing::debug!(delivery = %claim.id, event = %claim.event_type, ?s, status = ?outcome.status_code, "webhook try settled")
        }
        // The lease runs out and the delivery is tried again.
        Err(e) => tracing::warn!(delivery = %claim.id, error = ?e, "webhook try not recorded"),
    }
}

async fn settle(
    store: &Store,
    claim: &Claimed,
    outcome: &Outcome,
    policy: &RetryPolicy,
) -> vitrine_store::Result<vitrine_store::outbox::Settled> {
    let mut tx = store.begin().await?;
    let s = tx
        .outbox()
        .settle(claim, outcome, policy, vitrine_store::now())
        .await?;
    tx.commit().await?;
    Ok(s)
}

fn elapsed_ms(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}

async fn schedule_loop(
    store: Store,
    settings: Arc<WebhookSettings>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        if *stop.borrow() {
            break;
        }
        match announce_reminders(&store, settings.due_soon_window).await {
            Ok(n) if n > 0 => tracing::debug!(n, "activity reminders announced"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "activity reminder scan failed"),
        }
        if !pause(&mut stop, settings.scheduler_interval).await {
            break;
        }
    }
}

/// One scheduler round: claims the activities that reached a reminder and
/// writes their events in the same transaction, so each is announced once.
pub async fn announce_reminders(store: &Store, window: Duration) -> anyhow::Result<usize> {
    let now = vitrine_store::now();
    let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
    let mut tx = store.begin().await?;
    let due = tx
        .activities()
        .claim_reminders(now, now + window, 500)
        .await?;
    let n = due.len();
    for d in due {
        let name = match d.reminder {
            Reminder::DueSoon => "activity.due_soon",
            Reminder::Overdue => "activity.overdue",
        };
        let out = vitrine_auto::ActivityOut::from(d.record);
        vitrine_auto::events::emit(&mut tx, d.account, &[name], &out)
            .await
            .map_err(|e| anyhow::anyhow!("enqueue {name}: {e}"))?;
    }
    tx.commit().await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::signature;

    #[test]
    fn signature_matches_a_known_vector() {
        // printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac whsec_test
        assert_eq!(
            signature("whsec_test", 1_700_000_000, r#"{"a":1}"#),
            "38877139021993b830af32feea6e18a8da83eb2f6e49ee50bd9e4cf4ca4d3789"
        );
    }
}
