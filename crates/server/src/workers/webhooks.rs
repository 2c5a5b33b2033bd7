//! Webhook delivery (ecosys-auto-api.md §4.6, docs/webhooks.md).
//!
//! The Auto handlers write each event to the outbox in the transaction of
//! the change, fanned out to one pending delivery per subscribed endpoint.
//! This worker delivers them as a stream: it keeps up to `concurrency`
//! tries in flight and claims more as slots free up, in short
//! transactions that stamp a lease and commit before any HTTP call — no
//! transaction is held across the network. Claims are fair (round-robin
//! across accounts, capped per endpoint and per account, see
//! `Outbox::claim`), and endpoints that keep timing out are delivered in a
//! slow lane of their own, so one tenant's slow receiver cannot delay the
//! others. Each try is settled in its own transaction: logged and counted,
//! then delivered, retried after the configured wait, or failed; the
//! endpoint's failure streak disables it at the configured length. A node
//! that dies mid-call leaves its claim to expire, and the delivery is
//! tried again by whichever node claims it next.
//!
//! Deliveries go only to public addresses unless the node allows private
//! targets: a literal address is checked before dialling, and names are
//! resolved by [`GuardedResolver`], which hands the HTTP client only the
//! addresses the policy allows — the check and the connection use the same
//! answer, so a name re-pointed after registration cannot pass.
//!
//! The scheduler announces `activity.due_soon` and `activity.overdue` once
//! per activity (per due date), claiming the activities the same way.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};
use uuid::Uuid;
use vitrine_app::webhooks::{ResolveError, TargetPolicy};
use vitrine_core::webhook::{self, RetryPolicy, TargetHost, TryFailure};
use vitrine_store::outbox::{ClaimLimits, Claimed, Outcome};
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
    /// Tries in flight at once on this node (the normal lane).
    pub concurrency: u32,
    /// Tries in flight at once on this node in the slow lane.
    pub slow_concurrency: u32,
    /// Tries in flight at once to one endpoint (across nodes); 1 in the
    /// slow lane.
    pub per_endpoint: u32,
    /// Tries in flight at once for one account (across nodes).
    pub per_account: u32,
    /// Consecutive timed-out tries that move an endpoint to the slow lane
    /// (0: never); any answer in time moves it back.
    pub slow_after: u32,
    /// Deliver to loopback, private and other non-public addresses too
    /// (`serve --webhook-allow-private-targets`): only for a single-tenant
    /// install, as any tenant could then reach this node's network.
    pub allow_private_targets: bool,
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
            concurrency: 32,
            slow_concurrency: 4,
            per_endpoint: 4,
            per_account: 8,
            slow_after: policy.slow_after,
            allow_private_targets: false,
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
            slow_after: self.slow_after,
        }
    }

    /// Where this node's endpoints may point.
    pub fn targets(&self) -> TargetPolicy {
        if self.allow_private_targets {
            TargetPolicy::allow_private()
        } else {
            TargetPolicy::public_only()
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
    /// Asks every task to stop and waits for them (tries in flight are
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

/// Resolves webhook hosts for the HTTP client, keeping only the addresses
/// the policy allows; none left is an error, and nothing is dialled.
struct GuardedResolver(TargetPolicy);

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let policy = self.0;
        let host = name.as_str().to_owned();
        Box::pin(async move {
            let addrs = policy.resolve(&host).await?;
            Ok(Box::new(addrs.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

/// The delivery client: the guarded resolver, no proxy (a proxy would
/// resolve and dial the host itself, past the check), no redirects, the
/// per-try timeout.
fn http_client(settings: &WebhookSettings) -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(settings.timeout)
        .connect_timeout(settings.timeout)
        .user_agent("Vitrine-Webhooks/1.0")
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .dns_resolver(Arc::new(GuardedResolver(settings.targets())))
        .build()
}

/// One lane of delivery: which endpoints, how many tries at once.
#[derive(Debug, Clone, Copy)]
struct Lane {
    slow: bool,
    slots: usize,
    per_endpoint: i64,
}

/// Starts the delivery worker (both lanes) and the scheduler (none when
/// disabled).
pub fn spawn(store: Store, settings: &WebhookSettings) -> Workers {
    let (stop, stopped) = watch::channel(false);
    let mut tasks = Vec::new();
    if settings.enabled {
        if settings.allow_private_targets {
            tracing::warn!("webhooks may be delivered to private and loopback addresses (--webhook-allow-private-targets): unsafe unless every tenant is trusted");
        }
        let settings = Arc::new(settings.clone());
        match http_client(&settings) {
            Ok(client) => {
                let lanes = [
                    Lane {
                        slow: false,
                        slots: usize::try_from(settings.concurrency).unwrap_or(1).max(1),
                        per_endpoint: i64::from(settings.per_endpoint.max(1)),
                    },
                    Lane {
                        slow: true,
                        slots: usize::try_from(settings.slow_concurrency)
                            .unwrap_or(1)
                            .max(1),
                        per_endpoint: 1,
                    },
                ];
                for lane in lanes {
                    tasks.push(tokio::spawn(deliver_loop(
                        store.clone(),
                        client.clone(),
                        settings.clone(),
                        lane,
                        stopped.clone(),
                    )));
                }
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

/// Keeps up to `lane.slots` tries in flight: claims as many as are free,
/// starts each as its own task, and claims again as soon as one finishes
/// (an idle queue costs one query per poll interval). A slow try only ever
/// holds its own slot.
async fn deliver_loop(
    store: Store,
    client: reqwest::Client,
    settings: Arc<WebhookSettings>,
    lane: Lane,
    mut stop: watch::Receiver<bool>,
) {
    let policy = Arc::new(settings.policy());
    let targets = settings.targets();
    let mut in_flight = JoinSet::new();
    loop {
        if *stop.borrow() {
            break;
        }
        // Tries that finished while the loop slept still sit in the set.
        while let Some(done) = in_flight.try_join_next() {
            if let Err(e) = done {
                tracing::error!(error = ?e, "webhook delivery task failed");
            }
        }
        let free = lane.slots.saturating_sub(in_flight.len());
        if free > 0 {
            match claim(&store, &settings, lane, free).await {
                Ok(batch) => {
                    for c in batch {
                        let (store, client, settings, policy) = (
                            store.clone(),
                            client.clone(),
                            settings.clone(),
                            policy.clone(),
                        );
                        in_flight.spawn(async move {
                            deliver(&store, &client, &settings, &policy, targets, c).await;
                        });
                    }
                }
                Err(e) => tracing::warn!(error = ?e, "webhook claim failed"),
            }
        }
        // A finished try frees a slot (and its endpoint's and account's
        // caps): claim again then, or at the poll interval when idle.
        let busy = !in_flight.is_empty();
        tokio::select! {
            Some(done) = in_flight.join_next(), if busy => {
                if let Err(e) = done {
                    tracing::error!(error = ?e, "webhook delivery task failed");
                }
            }
            () = tokio::time::sleep(settings.poll_interval) => {}
            _ = stop.changed() => {}
        }
    }
    // Tries in flight are finished and settled before the node stops.
    while in_flight.join_next().await.is_some() {}
}

async fn claim(
    store: &Store,
    settings: &WebhookSettings,
    lane: Lane,
    free: usize,
) -> vitrine_store::Result<Vec<Claimed>> {
    let now = vitrine_store::now();
    let lease = chrono::Duration::from_std(settings.lease).unwrap_or(chrono::Duration::MAX);
    let limits = ClaimLimits {
        slow_lane: lane.slow,
        max: i64::try_from(free).unwrap_or(i64::MAX),
        per_endpoint: lane.per_endpoint,
        per_account: i64::from(settings.per_account.max(1)),
    };
    let mut tx = store.begin().await?;
    let claimed = tx
        .outbox()
        .claim(now, now + lease, &limits, Uuid::now_v7())
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

/// How much of an answer's body is read to count its length (the bytes
/// are dropped as they come; a longer body is recorded as this many).
const COUNTED_BYTES: usize = 1024 * 1024;

/// Whether a client error came from the guarded resolver refusing every
/// address of the host.
fn refused_by_policy(e: &reqwest::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if matches!(
            c.downcast_ref::<ResolveError>(),
            Some(ResolveError::NotPublic)
        ) {
            return true;
        }
        cause = c.source();
    }
    false
}

fn no_answer(started: Instant, failure: TryFailure, timed_out: bool) -> Outcome {
    Outcome {
        succeeded: false,
        status_code: None,
        latency_ms: elapsed_ms(started),
        response_bytes: None,
        failure: Some(failure),
        timed_out,
    }
}

/// Makes one try and records it: the status and the length of the answer,
/// never its body.
async fn attempt(client: &reqwest::Client, targets: TargetPolicy, claim: &Claimed) -> Outcome {
    let started = Instant::now();
    // Literal addresses are dialled without a lookup: check them here.
    match webhook::target(&claim.url) {
        None => return no_answer(started, TryFailure::Connection, false),
        Some(t) => {
            if let TargetHost::Ip(ip) = t.host {
                if !targets.allows(ip) {
                    return no_answer(started, TryFailure::NotPublic, false);
                }
            }
        }
    }
    let t = Utc::now().timestamp();
    let sig = signature(&claim.secret, t, &claim.body);
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
    match sent {
        Ok(mut resp) => {
            let status = resp.status();
            let mut length = 0usize;
            let mut timed_out = false;
            while length < COUNTED_BYTES {
                match resp.chunk().await {
                    Ok(Some(chunk)) => length += chunk.len(),
                    Ok(None) => break,
                    Err(e) => {
                        timed_out = e.is_timeout();
                        break;
                    }
                }
            }
            Outcome {
                succeeded: status.is_success(),
                status_code: Some(status.as_u16()),
                latency_ms: elapsed_ms(started),
                response_bytes: Some(i64::try_from(length.min(COUNTED_BYTES)).unwrap_or(i64::MAX)),
                failure: None,
                timed_out,
            }
        }
        Err(e) if refused_by_policy(&e) => no_answer(started, TryFailure::NotPublic, false),
        Err(e) => {
            tracing::debug!(delivery = %claim.id, error = %e, "webhook try got no answer");
            no_answer(started, TryFailure::Connection, e.is_timeout())
        }
    }
}

async fn deliver(
    store: &Store,
    client: &reqwest::Client,
    settings: &WebhookSettings,
    policy: &RetryPolicy,
    targets: TargetPolicy,
    claim: Claimed,
) {
    let outcome = attempt(client, targets, &claim).await;
    match settle(store, &claim, &outcome, policy).await {
        Ok(s) => {
            tracing::debug!(delivery = %claim.id, event = %claim.event_type, ?s, status = ?outcome.status_code, "webhook try settled")
        }
        Err(e) => {
            // Record what can be recorded and push the next try back, so
            // the try is counted and the delivery does not come straight
            // back at the head of every claim.
            tracing::warn!(delivery = %claim.id, error = ?e, "webhook try not recorded; recording a short entry");
            if let Err(e) = settle(store, &claim, &outcome.not_recorded(), policy).await {
                // The lease runs out (`settings.lease`) and it is tried again.
                tracing::error!(delivery = %claim.id, error = ?e, lease = ?settings.lease, "webhook try not recorded at all");
            }
        }
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

/// One scheduler round (`vitrine_app::crm::activities::announce_reminders`):
/// each activity that reached a reminder is announced once.
pub async fn announce_reminders(store: &Store, window: Duration) -> anyhow::Result<usize> {
    let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
    let now = vitrine_store::now();
    Ok(vitrine_app::crm::activities::announce_reminders(store, now, window).await?)
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
