//! What the outbox guarantees at the store level: an event commits with
//! the change's transaction or not at all; concurrent claimers take
//! disjoint deliveries (they take turns: an advisory lock on PostgreSQL,
//! the single writer on SQLite); claims are fair and capped; and a try
//! whose full record failed is still counted and retried later.

use std::collections::HashSet;

use uuid::Uuid;
use vitrine_core::ids::{AccountId, EventId};
use vitrine_core::webhook::{RetryPolicy, TryFailure};
use vitrine_store::outbox::{ClaimLimits, Outcome};
use vitrine_testkit::{json, spawn_with, Backend, Method, TestApp};

use crate::per_backend;
use crate::receiver::fast;

/// A server whose worker is off, so the test alone touches the queue.
async fn paused(backend: Backend) -> TestApp {
    let mut settings = fast(0, 3);
    settings.webhooks.enabled = false;
    spawn_with(backend, settings).await
}

/// A claim of up to `max` with caps too high to matter.
fn wide(max: i64) -> ClaimLimits {
    ClaimLimits {
        slow_lane: false,
        max,
        per_endpoint: 1000,
        per_account: 1000,
    }
}

async fn deliveries(app: &TestApp, key: &str, webhook: &str) -> u64 {
    let reply = app
        .auto(
            key,
            Method::GET,
            &format!("/api/v1/webhooks/{webhook}/deliveries"),
            None,
        )
        .await;
    reply.body["pagination"]["total"].as_u64().expect("total")
}

async fn outbox_commits_with_the_change_or_not_at_all(backend: Backend) {
    let app = paused(backend).await;
    let t = app.tenant().await;
    let key = &t.api_key;
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/webhooks",
            Some(&json!({"url": "http://127.0.0.1:9/x", "events": ["client.*"]})),
        )
        .await;
    let webhook = reply.body["data"]["id"].as_str().expect("id").to_owned();
    let account: AccountId = t.account_id.parse().expect("account");
    let now = vitrine_store::now();

    let mut tx = app.store.begin().await.expect("tx");
    let fanned = tx
        .outbox()
        .enqueue(account, EventId::new(), "client.created", "{}", now)
        .await
        .expect("enqueue");
    assert_eq!(fanned, 1, "one subscribed endpoint");
    let ignored = tx
        .outbox()
        .enqueue(account, EventId::new(), "deal.created", "{}", now)
        .await
        .expect("enqueue");
    assert_eq!(ignored, 0, "not subscribed");
    drop(tx); // rolled back
    assert_eq!(
        deliveries(&app, key, &webhook).await,
        0,
        "no event without a commit"
    );

    let mut tx = app.store.begin().await.expect("tx");
    tx.outbox()
        .enqueue(account, EventId::new(), "client.created", "{}", now)
        .await
        .expect("enqueue");
    tx.commit().await.expect("commit");
    assert_eq!(deliveries(&app, key, &webhook).await, 1);

    // Through the API: a refused change (409) writes no event either.
    create_client(&app, key, 201).await;
    create_client(&app, key, 409).await;
    assert_eq!(deliveries(&app, key, &webhook).await, 2);
}

async fn create_client(app: &TestApp, key: &str, status: u16) {
    let body = json!({"type": "PF", "name": "João", "cpf": "123.456.789-00"});
    let reply = app
        .auto(key, Method::POST, "/api/v1/clients", Some(&body))
        .await;
    assert_eq!(reply.status, status, "{}", reply.text);
}

async fn concurrent_claims_take_disjoint_deliveries(backend: Backend) {
    let app = paused(backend).await;
    let t = app.tenant().await;
    let key = &t.api_key;
    app.auto(
        key,
        Method::POST,
        "/api/v1/webhooks",
        Some(&json!({"url": "http://127.0.0.1:9/x", "events": ["*"]})),
    )
    .await;
    let account: AccountId = t.account_id.parse().expect("account");
    let now = vitrine_store::now();
    let mut tx = app.store.begin().await.expect("tx");
    for _ in 0..20 {
        tx.outbox()
            .enqueue(account, EventId::new(), "client.created", "{}", now)
            .await
            .expect("enqueue");
    }
    tx.commit().await.expect("commit");
    let later = vitrine_store::now();
    let lease = later + chrono::Duration::seconds(60);

    let (first, second) = match backend {
        // Claimers take turns (an advisory lock): a second claim started
        // while the first is still open waits for its commit, then takes
        // other rows.
        Backend::Postgres | Backend::Citus => {
            let mut a = app.store.begin().await.expect("tx a");
            let first = a
                .outbox()
                .claim(later, lease, &wide(12), Uuid::now_v7())
                .await
                .expect("claim a");
            let store = app.store.clone();
            let b = tokio::spawn(async move {
                let mut b = store.begin().await.expect("tx b");
                let second = b
                    .outbox()
                    .claim(later, lease, &wide(12), Uuid::now_v7())
                    .await
                    .expect("claim b");
                b.commit().await.expect("commit b");
                second
            });
            a.commit().await.expect("commit a");
            (first, b.await.expect("claim b ran"))
        }
        // One writer at a time; the lease keeps the first claim's rows.
        Backend::Sqlite => {
            let mut a = app.store.begin().await.expect("tx a");
            let first = a
                .outbox()
                .claim(later, lease, &wide(12), Uuid::now_v7())
                .await
                .expect("claim a");
            a.commit().await.expect("commit a");
            let mut b = app.store.begin().await.expect("tx b");
            let second = b
                .outbox()
                .claim(later, lease, &wide(12), Uuid::now_v7())
                .await
                .expect("claim b");
            b.commit().await.expect("commit b");
            (first, second)
        }
    };
    assert_eq!(first.len(), 12);
    assert_eq!(second.len(), 8, "the rest");
    let ids: HashSet<_> = first.iter().chain(second.iter()).map(|c| c.id).collect();
    assert_eq!(ids.len(), 20, "disjoint");
    // Leased: nothing is due again until the lease runs out…
    let mut c = app.store.begin().await.expect("tx");
    let again = c
        .outbox()
        .claim(later, lease, &wide(50), Uuid::now_v7())
        .await
        .expect("claim");
    c.commit().await.expect("commit");
    assert!(again.is_empty());
    // …after which a crashed node's claims are taken over.
    let after = lease + chrono::Duration::seconds(1);
    let mut c = app.store.begin().await.expect("tx");
    let retaken = c
        .outbox()
        .claim(
            after,
            after + chrono::Duration::seconds(60),
            &wide(50),
            Uuid::now_v7(),
        )
        .await
        .expect("claim");
    c.commit().await.expect("commit");
    assert_eq!(retaken.len(), 20);
}

/// Claims are fair: round-robin across accounts (and an account's
/// endpoints), and never more in flight per endpoint or per account than
/// the caps allow, counting the deliveries already out.
async fn claims_are_fair_and_capped(backend: Backend) {
    let app = paused(backend).await;
    let a = app.tenant().await;
    let b = app.tenant().await;
    let mut hooks = Vec::new();
    for (t, url) in [
        (&a, "http://127.0.0.1:9/a1"),
        (&a, "http://127.0.0.1:9/a2"),
        (&b, "http://127.0.0.1:9/b"),
    ] {
        let reply = app
            .auto(
                &t.api_key,
                Method::POST,
                "/api/v1/webhooks",
                Some(&json!({"url": url, "events": ["client.*"]})),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
        hooks.push(reply.body["data"]["id"].as_str().expect("id").to_owned());
    }
    let (account_a, account_b): (AccountId, AccountId) = (
        a.account_id.parse().expect("account"),
        b.account_id.parse().expect("account"),
    );
    let now = vitrine_store::now();
    let mut tx = app.store.begin().await.expect("tx");
    // A's ten events come first (20 deliveries), B's two after.
    for (account, n) in [(account_a, 10), (account_b, 2)] {
        for _ in 0..n {
            tx.outbox()
                .enqueue(account, EventId::new(), "client.created", "{}", now)
                .await
                .expect("enqueue");
        }
    }
    tx.commit().await.expect("commit");
    let later = vitrine_store::now();
    let lease = later + chrono::Duration::seconds(60);
    let limits = ClaimLimits {
        slow_lane: false,
        max: 100,
        per_endpoint: 3,
        per_account: 5,
    };
    let claim = |limits: ClaimLimits| {
        let store = app.store.clone();
        async move {
            let mut tx = store.begin().await.expect("tx");
            let got = tx
                .outbox()
                .claim(later, lease, &limits, Uuid::now_v7())
                .await
                .expect("claim");
            tx.commit().await.expect("commit");
            got
        }
    };
    let first = claim(limits).await;
    let per_hook = |c: &[vitrine_store::outbox::Claimed], hook: &str| {
        c.iter()
            .filter(|x| x.webhook_id.to_string() == hook)
            .count()
    };
    let mut split_a = [per_hook(&first, &hooks[0]), per_hook(&first, &hooks[1])];
    split_a.sort_unstable();
    assert_eq!(
        (split_a, per_hook(&first, &hooks[2])),
        ([2, 3], 2),
        "A: its account cap split over its endpoints; B: all it has"
    );
    assert_ne!(
        first[0].account, first[1].account,
        "round-robin: B's first before A's second"
    );
    assert!(claim(limits).await.is_empty(), "A's slots are all out");
    let slow = ClaimLimits {
        slow_lane: true,
        ..limits
    };
    assert!(
        claim(slow).await.is_empty(),
        "no endpoint is in the slow lane"
    );

    // One of A's comes back: A may have one more out.
    let done = first
        .iter()
        .find(|c| c.account == account_a)
        .expect("one of A's")
        .clone();
    let mut tx = app.store.begin().await.expect("tx");
    let outcome = Outcome {
        succeeded: true,
        status_code: Some(200),
        latency_ms: 1,
        response_bytes: Some(2),
        failure: None,
        timed_out: false,
    };
    tx.outbox()
        .settle(&done, &outcome, &RetryPolicy::default(), later)
        .await
        .expect("settle");
    tx.commit().await.expect("commit");
    let next = claim(limits).await;
    assert_eq!(next.len(), 1, "one slot freed");
    assert_eq!(next[0].account, account_a);
}

/// When a try's full record cannot be written, the short record that
/// stands for it counts the try and pushes the next one back: the delivery
/// is neither lost nor sent again at once.
async fn a_short_record_counts_the_try_and_retries_later(backend: Backend) {
    let app = paused(backend).await;
    let t = app.tenant().await;
    let reply = app
        .auto(
            &t.api_key,
            Method::POST,
            "/api/v1/webhooks",
            Some(&json!({"url": "http://127.0.0.1:9/x", "events": ["client.*"]})),
        )
        .await;
    let webhook = reply.body["data"]["id"].as_str().expect("id").to_owned();
    let account: AccountId = t.account_id.parse().expect("account");
    let now = vitrine_store::now();
    let mut tx = app.store.begin().await.expect("tx");
    tx.outbox()
        .enqueue(account, EventId::new(), "client.created", "{}", now)
        .await
        .expect("enqueue");
    tx.commit().await.expect("commit");
    let later = vitrine_store::now();
    let mut tx = app.store.begin().await.expect("tx");
    let claimed = tx
        .outbox()
        .claim(
            later,
            later + chrono::Duration::seconds(60),
            &wide(10),
            Uuid::now_v7(),
        )
        .await
        .expect("claim");
    tx.commit().await.expect("commit");
    let answered = Outcome {
        succeeded: true,
        status_code: Some(200),
        latency_ms: 12,
        response_bytes: Some(3),
        failure: None,
        timed_out: false,
    };
    let mut tx = app.store.begin().await.expect("tx");
    let settled = tx
        .outbox()
        .settle(
            &claimed[0],
            &answered.not_recorded(),
            &RetryPolicy::default(),
            later,
        )
        .await
        .expect("settle");
    tx.commit().await.expect("commit");
    assert_eq!(settled, vitrine_store::outbox::Settled::Retrying);
    let base = format!("/api/v1/webhooks/{webhook}");
    let list = app
        .auto(&t.api_key, Method::GET, &format!("{base}/deliveries"), None)
        .await;
    let d = &list.body["data"][0];
    assert_eq!(d["status"], "pending");
    assert_eq!(d["attempts"], 1);
    let next: chrono::DateTime<chrono::Utc> = d["next_attempt_at"]
        .as_str()
        .expect("next")
        .parse()
        .expect("a time");
    assert!(next > later, "pushed back: {next} after {later}");
    let one = app
        .auto(
            &t.api_key,
            Method::GET,
            &format!("{base}/deliveries/{}", d["id"].as_str().expect("id")),
            None,
        )
        .await;
    let log = &one.body["data"]["attempts_log"][0];
    assert_eq!(log["status_code"], 200);
    assert_eq!(log["error"], TryFailure::NotRecorded.message());
    let w = app.auto(&t.api_key, Method::GET, &base, None).await;
    assert_eq!(w.body["data"]["total_attempts"], 1, "counted");
    // Not due again now: the next claim leaves it alone.
    let mut tx = app.store.begin().await.expect("tx");
    let again = tx
        .outbox()
        .claim(
            vitrine_store::now(),
            vitrine_store::now() + chrono::Duration::seconds(60),
            &wide(10),
            Uuid::now_v7(),
        )
        .await
        .expect("claim");
    tx.commit().await.expect("commit");
    assert!(again.is_empty());
}

per_backend!(
    outbox_commits_with_the_change_or_not_at_all,
    concurrent_claims_take_disjoint_deliveries,
    claims_are_fair_and_capped,
    a_short_record_counts_the_try_and_retries_later,
);
