//! What the outbox guarantees at the store level: an event commits with
//! the change's transaction or not at all, and concurrent claimers take
//! disjoint deliveries (SKIP LOCKED on PostgreSQL, the single writer on
//! SQLite).

use std::collections::HashSet;

use uuid::Uuid;
use vitrine_core::ids::{AccountId, EventId};
use vitrine_store::outbox::ClaimLimits;
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
        Backend::Postgres => {
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

per_backend!(
    outbox_commits_with_the_change_or_not_at_all,
    concurrent_claims_take_disjoint_deliveries,
);
