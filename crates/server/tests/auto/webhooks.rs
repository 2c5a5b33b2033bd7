//! `/webhooks` (§4.6) and delivery: a real receiver on its own port gets a
//! signed event for each change; retries; auto-disable; manual
//! redelivery; a crash between commit and delivery; two nodes on one
//! PostgreSQL database; activity reminders once each. Security and trust
//! (issues 12 and 16): public targets only, no redirects, the endpoint
//! cap, known event names, answers recorded by status and length (a NUL
//! byte included), health counted per try, and one tenant's slow receiver
//! not delaying another's.

use std::collections::{HashMap, HashSet};

use vitrine_core::ids::{AccountId, WebhookId};
use vitrine_core::webhook::{allowed_events, Endpoint, TryFailure};
use vitrine_testkit::{both_backends, json, spawn_with, Backend, Method, TestApp, Value};

use crate::fixtures::{assert_error, civic, civic_deal, create, joao};
use crate::per_backend;
use crate::receiver::{eventually, fast, signature_is_valid, Hit, Receiver, Trap};

/// Registers an endpoint; returns its id and the secret shown once.
async fn register(app: &TestApp, key: &str, url: &str, events: &[&str]) -> (String, String) {
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/webhooks",
            Some(&json!({"url": url, "events": events})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let d = &reply.body["data"];
    (
        d["id"].as_str().expect("id").to_owned(),
        d["secret"].as_str().expect("secret").to_owned(),
    )
}

async fn get(app: &TestApp, key: &str, path: &str) -> Value {
    let reply = app.auto(key, Method::GET, path, None).await;
    assert_eq!(reply.status, 200, "GET {path}: {}", reply.text);
    reply.body["data"].clone()
}

fn check_signed(hit: &Hit, secret: &str) {
    assert!(
        signature_is_valid(secret, &hit.header("x-vitrine-signature"), &hit.body),
        "signature of {}: {}",
        hit.event(),
        hit.header("x-vitrine-signature")
    );
    let body = hit.json();
    assert_eq!(
        hit.header("x-vitrine-event-id"),
        body["id"].as_str().unwrap_or("-")
    );
    assert_eq!(
        hit.header("x-vitrine-event-type"),
        body["event"].as_str().unwrap_or("-")
    );
    assert_eq!(hit.header("content-type"), "application/json");
    assert!(!signature_is_valid(
        "whsec_outro",
        &hit.header("x-vitrine-signature"),
        &hit.body
    ));
    let mut tampered = hit.body.clone();
    tampered.push(' ');
    assert!(!signature_is_valid(
        secret,
        &hit.header("x-vitrine-signature"),
        &tampered
    ));
}

async fn endpoints_crud_and_secret_shown_once(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    // §8 item 11, verbatim.
    let reply = app.auto(key, Method::GET, "/v1/webhooks", None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"], json!([]));
    let documented = json!({
        "url": "https://seu-app.com/api/webhooks/ecosys-auto",
        "events": ["vehicle.created", "vehicle.updated", "activity.due_soon", "activity.overdue"]
    });
    let reply = app
        .auto(key, Method::POST, "/v1/webhooks", Some(&documented))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let d = &reply.body["data"];
    assert_eq!(d["active"], true);
    assert_eq!(d["total_deliveries"], 0);
    assert_eq!(d["failed_deliveries"], 0);
    assert_eq!(d["success_rate"], Value::Null);
    assert_eq!(d["last_triggered_at"], Value::Null);
    assert_eq!(d["events"], documented["events"]);
    let secret = d["secret"].as_str().expect("secret shown on create");
    assert!(
        secret.starts_with("whsec_") && secret.len() == 70,
        "{secret}"
    );
    let id = d["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/webhooks/{id}");

    // Never again.
    let one = get(&app, key, &path).await;
    assert!(one.get("secret").is_none(), "{one}");
    let list = app.auto(key, Method::GET, "/v1/webhooks", None).await;
    assert_eq!(list.body["data"].as_array().map(Vec::len), Some(1));
    assert!(list.body["data"][0].get("secret").is_none());
    assert_eq!(list.body["pagination"]["total"], 1);
    assert!(!list.text.contains(secret));

    // A chosen secret is accepted (and also shown once).
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/webhooks",
            Some(&json!({"url": "http://127.0.0.1:9/x", "events": ["*"], "secret": "meu-segredo-compartilhado", "active": false})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["data"]["secret"], "meu-segredo-compartilhado");
    assert_eq!(reply.body["data"]["active"], false);

    // Update: events and active, partially.
    let reply = app
        .auto(
            key,
            Method::PUT,
            &path,
            Some(&json!({"events": ["deal.*", "client.created"], "active": false})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.body["data"]["events"],
        json!(["deal.*", "client.created"])
    );
    assert_eq!(reply.body["data"]["active"], false);
    assert_eq!(reply.body["data"]["url"], documented["url"]);
    let back = get(&app, key, &path).await;
    assert_eq!(back["events"], json!(["deal.*", "client.created"]));

    // Bad input: every problem at once, nothing created.
    for (body, field, kind, why) in [
        (json!({"events": ["*"]}), "url", "required", "url missing"),
        (
            json!({"url": "ftp://x", "events": ["*"]}),
            "url",
            "invalid",
            "not http",
        ),
        (
            json!({"url": "https://a.com"}),
            "events",
            "required",
            "events missing",
        ),
        (
            json!({"url": "https://a.com", "events": []}),
            "events",
            "min",
            "no events",
        ),
        (
            json!({"url": "https://a.com", "events": ["Vehicle Created"]}),
            "events[0]",
            "enum",
            "not an event",
        ),
        (
            json!({"url": "https://a.com", "events": "vehicle.created"}),
            "events",
            "invalid",
            "not a list",
        ),
        (
            json!({"url": "https://a.com", "events": ["*"], "active": "sim"}),
            "active",
            "invalid",
            "not a boolean",
        ),
        (
            json!({"url": "https://a.com", "events": ["*"], "secret": "curto"}),
            "secret",
            "min",
            "short secret",
        ),
    ] {
        let reply = app
            .auto(key, Method::POST, "/api/v1/webhooks", Some(&body))
            .await;
        assert_error(
            &reply,
            400,
            "VALIDATION_ERROR",
            Some(field),
            Some(kind),
            why,
        );
    }
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/webhooks",
            Some(&json!({"url": "x"})),
        )
        .await;
    assert_eq!(
        reply.body["error"]["details"]["errors"]
            .as_array()
            .map(Vec::len),
        Some(2),
        "{}",
        reply.text
    );
    let list = app.auto(key, Method::GET, "/api/v1/webhooks", None).await;
    assert_eq!(list.body["pagination"]["total"], 2);

    // Hard delete.
    let reply = app.auto(key, Method::DELETE, &path, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.body,
        json!({"success": true, "data": {"id": id, "deleted": true}})
    );
    let again = app.auto(key, Method::DELETE, &path, None).await;
    assert_error(&again, 404, "NOT_FOUND", None, None, "second delete");
    let gone = app.auto(key, Method::GET, &path, None).await;
    assert_error(&gone, 404, "NOT_FOUND", None, None, "deleted");
    let malformed = app
        .auto(key, Method::GET, "/api/v1/webhooks/wh_abc123def456", None)
        .await;
    assert_error(&malformed, 404, "NOT_FOUND", None, None, "malformed id");
}

async fn endpoints_of_another_account_are_not_found(app: TestApp) {
    let a = app.tenant().await;
    let b = app.tenant().await;
    let (id, _) = register(&app, &a.api_key, "http://127.0.0.1:9/hook", &["*"]).await;
    let path = format!("/api/v1/webhooks/{id}");
    let before = get(&app, &a.api_key, &path).await;
    let fake_delivery = "0192f0c2-7a3b-7cde-8f00-00000000abcd";
    for (method, p, body) in [
        (Method::GET, path.clone(), None),
        (Method::PUT, path.clone(), Some(json!({"active": false}))),
        (
            Method::PATCH,
            path.clone(),
            Some(json!({"url": "https://evil.example"})),
        ),
        (Method::DELETE, path.clone(), None),
        (Method::GET, format!("{path}/deliveries"), None),
        (
            Method::GET,
            format!("{path}/deliveries/{fake_delivery}"),
            None,
        ),
        (
            Method::POST,
            format!("{path}/deliveries/{fake_delivery}/redeliver"),
            None,
        ),
    ] {
        let reply = app
            .auto(&b.api_key, method.clone(), &p, body.as_ref())
            .await;
        assert_error(
            &reply,
            404,
            "NOT_FOUND",
            None,
            None,
            &format!("{method} {p}"),
        );
    }
    let list = app
        .auto(&b.api_key, Method::GET, "/api/v1/webhooks", None)
        .await;
    assert_eq!(list.body["data"], json!([]));
    assert_eq!(
        get(&app, &a.api_key, &path).await,
        before,
        "nothing changed"
    );
}

both_backends!(
    endpoints_crud_and_secret_shown_once,
    endpoints_of_another_account_are_not_found
);

/// Every change of every resource reaches the receiver once, signed; a
/// refused change and another account's change send nothing.
async fn signed_event_for_each_change(backend: Backend) {
    let app = spawn_with(backend, fast(0, 3)).await;
    let rx = Receiver::start().await;
    let t = app.tenant().await;
    let other = app.tenant().await;
    let key = &t.api_key;
    let (_, secret) = register(&app, key, &rx.url, &["*"]).await;

    let client = create(&app, key, "/api/v1/clients", &joao()).await;
    let c_path = format!("/api/v1/clients/{client}");
    app.auto(key, Method::PUT, &c_path, Some(&json!({"segment": "vip"})))
        .await;
    let vehicle = create(&app, key, "/api/v1/vehicles", &civic(&t.store_id, &client)).await;
    let v_path = format!("/api/v1/vehicles/{vehicle}");
    app.auto(
        key,
        Method::PUT,
        &v_path,
        Some(&json!({"price": 139900.00})),
    )
    .await;
    let mut deal_body = civic_deal(&client);
    deal_body["vehicle_id"] = json!(vehicle);
    let deal = create(&app, key, "/api/v1/deals", &deal_body).await;
    let d_path = format!("/api/v1/deals/{deal}");
    app.auto(
        key,
        Method::PUT,
        &format!("{d_path}/phase"),
        Some(&json!({"phase": "proposta"})),
    )
    .await;
    app.auto(
        key,
        Method::PUT,
        &d_path,
        Some(&json!({"status": "ganho", "value": 140000.00})),
    )
    .await;
    app.auto(
        key,
        Method::PUT,
        &d_path,
        Some(&json!({"status": "perdido", "loss_reason": "Cliente desistiu"})),
    )
    .await;
    app.auto(
        key,
        Method::PUT,
        &v_path,
        Some(&json!({"phase": "vendido"})),
    )
    .await;
    let activity = create(
        &app,
        key,
        "/api/v1/activities",
        &json!({"title": "Ligar para o João", "type": "ligacao", "client_id": client}),
    )
    .await;
    let a_path = format!("/api/v1/activities/{activity}");
    app.auto(key, Method::PUT, &a_path, Some(&json!({"status": "done"})))
        .await;
    app.auto(key, Method::DELETE, &a_path, None).await;
    let fin = create(
        &app,
        key,
        "/api/v1/financial",
        &json!({"type": "revenue", "category": "venda-veiculo", "amount": 140000.00, "vehicle_id": vehicle}),
    )
    .await;
    app.auto(
        key,
        Method::PUT,
        &format!("/api/v1/financial/{fin}"),
        Some(&json!({"status": "paid"})),
    )
    .await;
    app.auto(key, Method::DELETE, &d_path, None).await;
    app.auto(key, Method::DELETE, &v_path, None).await;
    app.auto(key, Method::DELETE, &c_path, None).await;

    // Refused: a duplicate CPF (409) and a bad reference (422) commit
    // nothing, so no event; another account's change is not ours.
    let dup = app
        .auto(key, Method::POST, "/api/v1/clients", Some(&joao()))
        .await;
    let dup_again = app
        .auto(key, Method::POST, "/api/v1/clients", Some(&joao()))
        .await;
    assert_eq!(
        (dup.status, dup_again.status),
        (201, 409),
        "{}",
        dup_again.text
    );
    let bad_ref = app
        .auto(
            key,
            Method::POST,
            "/api/v1/activities",
            Some(&json!({"title": "x", "deal_id": "0192f0c2-7a3b-7cde-8f00-00000000abcd"})),
        )
        .await;
    assert_eq!(bad_ref.status, 422, "{}", bad_ref.text);
    create(
        &app,
        &other.api_key,
        "/api/v1/clients",
        &json!({"type": "PJ", "name": "Outra Empresa"}),
    )
    .await;

    let expected = [
        "client.created",
        "client.updated",
        "vehicle.created",
        "vehicle.updated",
        "deal.created",
        "deal.updated",
        "deal.phase_changed",
        "deal.updated",
        "deal.won",
        // The won deal's vehicle is sold, and back in stock once it is lost.
        "vehicle.updated",
        "vehicle.sold",
        "deal.updated",
        "deal.lost",
        "vehicle.updated",
        "vehicle.updated",
        "vehicle.sold",
        "activity.created",
        "activity.updated",
        "activity.completed",
        "activity.deleted",
        "financial.created",
        "financial.updated",
        "financial.paid",
        "deal.updated",
        "deal.archived",
        "vehicle.updated",
        "vehicle.archived",
        "client.updated",
        "client.deactivated",
        "client.created",
    ];
    // The last expected event is the duplicate test's first (accepted)
    // client: once it is in, everything before it was delivered too or is
    // on its way; wait for the full count.
    let hits = rx
        .wait_until("every event", |h| h.len() >= expected.len())
        .await;
    let mut got: Vec<String> = hits.iter().map(Hit::event).collect();
    let mut want: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
    got.sort();
    want.sort();
    assert_eq!(
        got, want,
        "one event per change, nothing for refused or foreign changes"
    );
    let ids: HashSet<String> = hits
        .iter()
        .map(|h| h.header("x-vitrine-event-id"))
        .collect();
    assert_eq!(ids.len(), hits.len(), "each event once");
    for hit in &hits {
        check_signed(hit, &secret);
        assert_eq!(hit.answered, 200);
        let body = hit.json();
        assert!(body["created_at"]
            .as_str()
            .is_some_and(|s| s.ends_with('Z')));
        // `data` is the resource as GET renders it.
        let resource = hit.event().split('.').next().unwrap_or_default().to_owned();
        let expected_id = match resource.as_str() {
            "vehicle" => Some(vehicle.clone()),
            "deal" => Some(deal.clone()),
            "activity" => Some(activity.clone()),
            "financial" => Some(fin.clone()),
            _ => None,
        };
        if let Some(id) = expected_id {
            assert_eq!(body["data"]["id"], id.as_str(), "{}", hit.event());
        }
    }
    let won = hits.iter().find(|h| h.event() == "deal.won").expect("won");
    assert_eq!(won.json()["data"]["status"], "ganho");
    assert!(
        won.body.contains(r#""value":140000.00"#),
        "money as GET renders it: {}",
        won.body
    );
}

/// The receiver fails twice; the third try succeeds; every try is logged.
async fn retries_until_the_third_try_succeeds(backend: Backend) {
    let app = spawn_with(backend, fast(0, 7)).await;
    let rx = Receiver::start().await;
    rx.fail_next(2);
    let t = app.tenant().await;
    let key = &t.api_key;
    let (webhook, secret) = register(&app, key, &rx.url, &["vehicle.created"]).await;
    create(&app, key, "/api/v1/clients", &joao()).await; // not subscribed
    let client = create(
        &app,
        key,
        "/api/v1/clients",
        &json!({"type": "PF", "name": "Ana"}),
    )
    .await;
    let vehicle = create(&app, key, "/api/v1/vehicles", &civic(&t.store_id, &client)).await;
    let hits = rx
        .wait_until("three tries", |h| h.iter().any(|x| x.answered == 200))
        .await;
    assert_eq!(
        hits.iter().map(|h| h.answered).collect::<Vec<_>>(),
        vec![500, 500, 200]
    );
    let event_ids: HashSet<String> = hits
        .iter()
        .map(|h| h.header("x-vitrine-event-id"))
        .collect();
    assert_eq!(event_ids.len(), 1, "the same event each time");
    for h in &hits {
        check_signed(h, &secret);
        assert_eq!(h.event(), "vehicle.created");
        assert_eq!(h.json()["data"]["id"], vehicle.as_str());
    }
    let base = format!("/api/v1/webhooks/{webhook}");
    eventually("the delivery settles as delivered", || async {
        get(&app, key, &format!("{base}/deliveries")).await[0]["status"] == "delivered"
    })
    .await;
    let delivery = get(&app, key, &format!("{base}/deliveries")).await[0].clone();
    assert_eq!(delivery["attempts"], 3);
    assert_eq!(delivery["event"], "vehicle.created");
    let one = get(
        &app,
        key,
        &format!("{base}/deliveries/{}", delivery["id"].as_str().expect("id")),
    )
    .await;
    let log = one["attempts_log"].as_array().expect("log");
    assert_eq!(log.len(), 3);
    let statuses: Vec<_> = log
        .iter()
        .map(|a| {
            (
                a["attempt"].clone(),
                a["status_code"].clone(),
                a["succeeded"].clone(),
            )
        })
        .collect();
    assert_eq!(
        statuses,
        vec![
            (json!(1), json!(500), json!(false)),
            (json!(2), json!(500), json!(false)),
            (json!(3), json!(200), json!(true))
        ]
    );
    // The length of each answer ("falha simulada", "ok"), never its body.
    assert_eq!(log[0]["response_bytes"], "falha simulada".len());
    assert_eq!(log[2]["response_bytes"], 2);
    assert!(!one.to_string().contains("falha simulada"), "{one}");
    assert!(log
        .iter()
        .all(|a| a["latency_ms"].as_i64().is_some_and(|n| n >= 0)));
    let w = get(&app, key, &base).await;
    assert_eq!(
        (
            w["total_deliveries"].clone(),
            w["failed_deliveries"].clone()
        ),
        (json!(1), json!(0))
    );
    assert_eq!(w["success_rate"].to_string(), "100.0");
    assert_eq!(w["consecutive_failures"], 0, "a success ends the streak");
    assert!(w["last_triggered_at"].is_string());
}

/// The receiver stays down: after N consecutive failed tries the endpoint
/// is disabled and nothing more is sent; turned back on, the pending
/// delivery goes out; a manual redelivery sends it again.
async fn endpoint_disabled_then_manual_redelivery(backend: Backend) {
    let app = spawn_with(backend, fast(3, 7)).await;
    let rx = Receiver::start().await;
    rx.set_down(true);
    let t = app.tenant().await;
    let key = &t.api_key;
    let (webhook, secret) = register(&app, key, &rx.url, &["client.*"]).await;
    let base = format!("/api/v1/webhooks/{webhook}");
    create(&app, key, "/api/v1/clients", &joao()).await;
    eventually("the endpoint is disabled", || async {
        get(&app, key, &base).await["active"] == false
    })
    .await;
    let w = get(&app, key, &base).await;
    assert!(w["disabled_at"].is_string(), "{w}");
    assert_eq!(w["consecutive_failures"], 3);
    // Disabling is settled with the third try, and claims skip disabled
    // endpoints: exactly three tries went out.
    assert_eq!(rx.hits().len(), 3);
    assert!(rx.hits().iter().all(|h| h.answered == 503));
    let list = get(&app, key, &format!("{base}/deliveries")).await;
    assert_eq!(
        list[0]["status"], "pending",
        "tries are left; the endpoint is off"
    );
    assert_eq!(list[0]["attempts"], 3);
    // New events are not queued for a disabled endpoint.
    create(
        &app,
        key,
        "/api/v1/clients",
        &json!({"type": "PF", "name": "Bia"}),
    )
    .await;
    assert_eq!(get(&app, key, &base).await["total_deliveries"], 1);

    // Back up and on: the pending delivery goes out.
    rx.set_down(false);
    let reply = app
        .auto(key, Method::PATCH, &base, Some(&json!({"active": true})))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["consecutive_failures"], 0);
    assert_eq!(reply.body["data"]["disabled_at"], Value::Null);
    let hits = rx
        .wait_until("the pending delivery", |h| h.len() >= 4)
        .await;
    assert_eq!(hits[3].answered, 200);
    check_signed(&hits[3], &secret);
    let delivery_id = list[0]["id"].as_str().expect("id").to_owned();
    let d_path = format!("{base}/deliveries/{delivery_id}");
    eventually("delivered", || async {
        get(&app, key, &d_path).await["status"] == "delivered"
    })
    .await;

    // Manual redelivery of a delivered event: sent again, same event id.
    let reply = app
        .auto(key, Method::POST, &format!("{d_path}/redeliver"), None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["id"], delivery_id.as_str());
    let hits = rx.wait_until("the redelivery", |h| h.len() >= 5).await;
    assert_eq!(hits.len(), 5);
    assert_eq!(
        hits[4].header("x-vitrine-event-id"),
        hits[0].header("x-vitrine-event-id")
    );
    check_signed(&hits[4], &secret);
    eventually("redelivered", || async {
        get(&app, key, &d_path).await["status"] == "delivered"
    })
    .await;
    let log = get(&app, key, &d_path).await["attempts_log"]
        .as_array()
        .map(Vec::len);
    assert_eq!(log, Some(5), "every try is in the log");
}

/// Out of tries: the delivery fails and counts in `failed_deliveries`;
/// a manual redelivery delivers it.
async fn exhausted_delivery_is_failed_then_redelivered(backend: Backend) {
    let app = spawn_with(backend, fast(0, 2)).await;
    let rx = Receiver::start().await;
    rx.set_down(true);
    let t = app.tenant().await;
    let key = &t.api_key;
    let (webhook, _) = register(&app, key, &rx.url, &["client.created"]).await;
    let base = format!("/api/v1/webhooks/{webhook}");
    create(&app, key, "/api/v1/clients", &joao()).await;
    eventually("the delivery fails", || async {
        get(&app, key, &base).await["failed_deliveries"] == 1
    })
    .await;
    assert_eq!(rx.hits().len(), 3, "three tries: two retries");
    let w = get(&app, key, &base).await;
    assert_eq!(w["success_rate"].to_string(), "0.0");
    assert_eq!(w["active"], true, "disabling is off in this setup");
    let list = get(&app, key, &format!("{base}/deliveries")).await;
    assert_eq!(list[0]["status"], "failed");
    assert_eq!(list[0]["next_attempt_at"], Value::Null);
    rx.set_down(false);
    let d_path = format!("{base}/deliveries/{}", list[0]["id"].as_str().expect("id"));
    let reply = app
        .auto(key, Method::POST, &format!("{d_path}/redeliver"), None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["status"], "pending");
    rx.wait_until("the redelivery", |h| h.iter().any(|x| x.answered == 200))
        .await;
    eventually("delivered", || async {
        get(&app, key, &d_path).await["status"] == "delivered"
    })
    .await;
    let w = get(&app, key, &base).await;
    assert_eq!(
        (
            w["total_deliveries"].clone(),
            w["failed_deliveries"].clone()
        ),
        (json!(1), json!(0))
    );
    assert_eq!(rx.hits().len(), 4);
    // Deleting the endpoint takes its deliveries and attempts with it.
    let reply = app.auto(key, Method::DELETE, &base, None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let gone = app.auto(key, Method::GET, &d_path, None).await;
    assert_error(
        &gone,
        404,
        "NOT_FOUND",
        None,
        None,
        "delivery of a deleted endpoint",
    );
    create(
        &app,
        key,
        "/api/v1/clients",
        &json!({"type": "PF", "name": "Depois"}),
    )
    .await;
}

/// The change commits, the node stops before its worker runs; after a
/// restart with the worker on, the event is delivered exactly once.
async fn crash_between_commit_and_delivery(backend: Backend) {
    let mut paused = fast(0, 3);
    paused.webhooks.enabled = false;
    let app = spawn_with(backend, paused).await;
    let rx = Receiver::start().await;
    let t = app.tenant().await;
    let key = t.api_key.clone();
    let (webhook, secret) = register(&app, &key, &rx.url, &["vehicle.created"]).await;
    let client = create(&app, &key, "/api/v1/clients", &joao()).await;
    let vehicle = create(&app, &key, "/api/v1/vehicles", &civic(&t.store_id, &client)).await;
    let base = format!("/api/v1/webhooks/{webhook}");
    let list = get(&app, &key, &format!("{base}/deliveries")).await;
    assert_eq!(list[0]["status"], "pending");
    assert_eq!(list[0]["attempts"], 0);
    assert!(rx.hits().is_empty());

    let stopped = app.stop().await;
    let app = vitrine_testkit::restart_with(stopped, fast(0, 3)).await;
    let hits = rx
        .wait_until("the delivery after restart", |h| !h.is_empty())
        .await;
    eventually("delivered", || async {
        get(&app, &key, &format!("{base}/deliveries")).await[0]["status"] == "delivered"
    })
    .await;
    // Settled as delivered: nothing can send it again.
    let hits_after = rx.hits();
    assert_eq!(
        hits_after.len(),
        1,
        "exactly once: {:?}",
        hits.iter().map(Hit::event).collect::<Vec<_>>()
    );
    check_signed(&hits_after[0], &secret);
    assert_eq!(hits_after[0].json()["data"]["id"], vehicle.as_str());
}

/// Reminders: due-soon and overdue fire from the scheduler, once each;
/// moving the due date re-arms them.
async fn activity_reminders_fire_once(backend: Backend) {
    let app = spawn_with(backend, fast(0, 3)).await;
    let rx = Receiver::start().await;
    let t = app.tenant().await;
    let key = &t.api_key;
    let (_, secret) = register(
        &app,
        key,
        &rx.url,
        &["activity.due_soon", "activity.overdue"],
    )
    .await;
    let now = chrono::Utc::now();
    let at = |minutes: i64| (now + chrono::Duration::minutes(minutes)).to_rfc3339();
    let soon = create(
        &app,
        key,
        "/api/v1/activities",
        &json!({"title": "Test drive", "type": "test_drive", "due_date": at(30)}),
    )
    .await;
    let late = create(
        &app,
        key,
        "/api/v1/activities",
        &json!({"title": "Retornar ligação", "due_date": at(-60)}),
    )
    .await;
    create(
        &app,
        key,
        "/api/v1/activities",
        &json!({"title": "Longe", "due_date": at(600)}),
    )
    .await;
    create(
        &app,
        key,
        "/api/v1/activities",
        &json!({"title": "Feita", "due_date": at(-5), "status": "completed"}),
    )
    .await;
    create(
        &app,
        key,
        "/api/v1/activities",
        &json!({"title": "Sem prazo"}),
    )
    .await;
    rx.wait_until("both reminders", |h| h.len() >= 2).await;
    // A marker created afterwards is announced by a later scheduler round;
    // by then a repeat of the first two would have been sent.
    let marker = create(
        &app,
        key,
        "/api/v1/activities",
        &json!({"title": "Marcador", "due_date": at(-1)}),
    )
    .await;
    let marker_seen = |h: &[Hit]| h.iter().any(|x| x.json()["data"]["id"] == marker.as_str());
    rx.wait_until("the marker", marker_seen).await;
    let marker2 = create(
        &app,
        key,
        "/api/v1/activities",
        &json!({"title": "Marcador 2", "due_date": at(-1)}),
    )
    .await;
    rx.wait_until("the second marker", |h| {
        h.iter().any(|x| x.json()["data"]["id"] == marker2.as_str())
    })
    .await;
    let per: HashMap<(String, String), usize> =
        rx.hits().iter().fold(HashMap::new(), |mut m, h| {
            let key = (
                h.event(),
                h.json()["data"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            );
            *m.entry(key).or_default() += 1;
            m
        });
    let mut seen: Vec<_> = per
        .iter()
        .map(|((e, id), n)| (e.clone(), id.clone(), *n))
        .collect();
    seen.sort();
    let mut want = vec![
        ("activity.due_soon".to_owned(), soon.clone(), 1),
        ("activity.overdue".to_owned(), late.clone(), 1),
        ("activity.overdue".to_owned(), marker.clone(), 1),
        ("activity.overdue".to_owned(), marker2.clone(), 1),
    ];
    want.sort();
    assert_eq!(
        seen, want,
        "once per activity; none for done, far or undated ones"
    );
    for h in rx.hits() {
        check_signed(&h, &secret);
    }
    let overdue_hit = rx
        .hits()
        .into_iter()
        .find(|h| h.json()["data"]["id"] == late.as_str())
        .expect("late");
    assert_eq!(overdue_hit.json()["data"]["overdue"], true);

    // Moving the due date re-arms: the late one, moved into the past again,
    // is announced once more.
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/activities/{late}"),
            Some(&json!({"due_date": at(-2)})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    rx.wait_until("the re-armed reminder", |h| {
        h.iter()
            .filter(|x| x.json()["data"]["id"] == late.as_str())
            .count()
            == 2
    })
    .await;
}

per_backend!(
    signed_event_for_each_change,
    retries_until_the_third_try_succeeds,
    endpoint_disabled_then_manual_redelivery,
    exhausted_delivery_is_failed_then_redelivered,
    crash_between_commit_and_delivery,
    activity_reminders_fire_once,
);

/// Two nodes on one PostgreSQL database (and on one Citus cluster) deliver
/// a burst of 1,000 events: every event arrives, none twice.
async fn two_nodes_deliver_a_burst_without_duplicates_or_losses(backend: Backend) {
    let a = spawn_with(backend, fast(0, 5)).await;
    let b = vitrine_testkit::spawn_second(&a, fast(0, 5)).await;
    let rx = Receiver::start().await;
    let t = a.tenant().await;
    let key = t.api_key.clone();
    register(&a, &key, &rx.url, &["client.created"]).await;
    const N: usize = 1000;
    let make = |app: &'static str, range: std::ops::Range<usize>| {
        let node = if app == "a" { &a } else { &b };
        let key = key.clone();
        async move {
            for i in range {
                let body = json!({"type": "PF", "name": format!("Cliente {i}")});
                let reply = node
                    .auto(&key, Method::POST, "/api/v1/clients", Some(&body))
                    .await;
                assert_eq!(reply.status, 201, "{}", reply.text);
            }
        }
    };
    tokio::join!(
        make("a", 0..250),
        make("b", 250..500),
        make("a", 500..750),
        make("b", 750..N),
    );
    let hits = rx.wait_until("1,000 events", |h| h.len() >= N).await;
    // Let both nodes settle what they sent, then check nothing was sent twice.
    let webhooks = a.auto(&key, Method::GET, "/api/v1/webhooks", None).await;
    let wid = webhooks.body["data"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    eventually("every delivery settled", || async {
        for page in 1..=N / 100 {
            let path = format!("/api/v1/webhooks/{wid}/deliveries?limit=100&page={page}");
            let reply = a.auto(&key, Method::GET, &path, None).await;
            let items = reply.body["data"].as_array().cloned().unwrap_or_default();
            if items.len() != 100 || items.iter().any(|d| d["status"] != "delivered") {
                return false;
            }
        }
        true
    })
    .await;
    let names: HashSet<String> = rx
        .hits()
        .iter()
        .map(|h| {
            h.json()["data"]["name"]
                .as_str()
                .unwrap_or_default()
                .to_owned()
        })
        .collect();
    assert_eq!(names.len(), N, "no losses");
    let ids: HashSet<String> = rx
        .hits()
        .iter()
        .map(|h| h.header("x-vitrine-event-id"))
        .collect();
    assert_eq!(ids.len(), N);
    assert_eq!(
        rx.hits().len(),
        N,
        "no duplicates (first count {})",
        hits.len()
    );
    assert!(rx.hits().iter().all(|h| h.answered == 200));
}

vitrine_testkit::server_backends!(two_nodes_deliver_a_burst_without_duplicates_or_losses);

/// The default policy (no `--webhook-allow-private-targets`): every form
/// of a loopback, private or otherwise non-public address is refused when
/// an endpoint is registered or changed; and an endpoint that points to one
/// anyway (registered under the flag, or a name that resolves elsewhere by
/// now) gets no connection at delivery: a loopback trap sees nothing.
async fn webhook_targets_must_be_public(backend: Backend) {
    let mut settings = fast(0, 0);
    settings.webhooks.allow_private_targets = false;
    let app = spawn_with(backend, settings).await;
    let trap = Trap::start().await;
    let p = trap.port;
    let t = app.tenant().await;
    let key = &t.api_key;
    // What the URL parser (and so the HTTP client) or the resolver turns
    // into this machine.
    let loopback: Vec<String> = [
        "127.0.0.1",
        "localhost",
        "0.0.0.0",
        "2130706433",
        "0177.0.0.1",
        "0x7f.1",
        "127.1",
        "[::ffff:127.0.0.1]",
        "[::127.0.0.1]",
        "[::1]",
        "[::]",
    ]
    .iter()
    .map(|host| format!("http://{host}:{p}/hook"))
    .chain([format!("https://127.0.0.1:{p}/hook")])
    .collect();
    let elsewhere = [
        "http://10.0.0.1/hook",
        "http://172.16.0.1/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://100.64.0.1/",
        "http://198.18.0.1/",
        "http://192.0.2.1/",
        "http://198.51.100.7/",
        "http://203.0.113.9/",
        "http://224.0.0.1/",
        "http://240.0.0.1/",
        "http://255.255.255.255/",
        "http://[fc00::1]/",
        "http://[fd00:ec2::254]/",
        "http://[fe80::1]/",
        "http://[ff02::1]/",
        "http://[2001:db8::1]/",
        "http://[64:ff9b::7f00:1]/",
        "http://[2002:7f00:1::1]/",
    ];
    for url in loopback.iter().map(String::as_str).chain(elsewhere) {
        let reply = app
            .auto(
                key,
                Method::POST,
                "/api/v1/webhooks",
                Some(&json!({"url": url, "events": ["*"]})),
            )
            .await;
        assert_error(
            &reply,
            422,
            "VALIDATION_ERROR",
            Some("url"),
            Some("not_allowed"),
            url,
        );
    }
    // Credentials in the URL would go out as Basic auth and come back in
    // every read of the endpoint.
    for url in [
        format!("http://user:pw@127.0.0.1:{p}/"),
        "https://integracao:s3nh4@seu-app.com/hook".to_owned(),
    ] {
        let reply = app
            .auto(
                key,
                Method::POST,
                "/api/v1/webhooks",
                Some(&json!({"url": url, "events": ["*"]})),
            )
            .await;
        assert_error(
            &reply,
            400,
            "VALIDATION_ERROR",
            Some("url"),
            Some("invalid"),
            &url,
        );
        assert!(!reply.text.contains("s3nh4") && !reply.text.contains(":pw"));
    }
    let list = app.auto(key, Method::GET, "/api/v1/webhooks", None).await;
    assert_eq!(list.body["pagination"]["total"], 0, "nothing registered");

    // A change to a private target is refused the same way.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/webhooks",
            Some(&json!({"url": "http://8.8.8.8/hook", "events": ["deal.won"], "active": false})),
        )
        .await;
    assert_eq!(reply.status, 201, "a public address: {}", reply.text);
    let public = reply.body["data"]["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/webhooks/{public}");
    let before = get(&app, key, &path).await;
    let reply = app
        .auto(
            key,
            Method::PATCH,
            &path,
            Some(&json!({"url": format!("http://0x7f.1:{p}/")})),
        )
        .await;
    assert_error(
        &reply,
        422,
        "VALIDATION_ERROR",
        Some("url"),
        Some("not_allowed"),
        "patch",
    );
    assert_eq!(get(&app, key, &path).await, before, "nothing changed");

    // At delivery: endpoints stored with such targets get no connection.
    let account: AccountId = t.account_id.parse().expect("account");
    let stored: Vec<&str> = loopback
        .iter()
        .map(String::as_str)
        .chain([
            "http://169.254.169.254/latest/meta-data/",
            "http://10.0.0.1/",
        ])
        .collect();
    let mut tx = app.store.begin().await.expect("tx");
    for url in &stored {
        let endpoint = Endpoint {
            url: (*url).to_owned(),
            events: vec!["client.created".to_owned()],
            active: true,
        };
        tx.webhooks()
            .insert(
                account,
                WebhookId::new(),
                &endpoint,
                "whsec_segredo_de_teste",
            )
            .await
            .expect("insert");
    }
    tx.commit().await.expect("commit");
    create(&app, key, "/api/v1/clients", &joao()).await;
    let tried = |hooks: &Value| {
        hooks.as_array().is_some_and(|all| {
            all.iter()
                .filter(|w| w["active"] == true)
                .all(|w| w["total_attempts"] == 1)
        })
    };
    eventually("every stored endpoint was tried once", || async {
        tried(&get(&app, key, "/api/v1/webhooks?limit=100").await)
    })
    .await;
    let hooks = get(&app, key, "/api/v1/webhooks?limit=100").await;
    let refused = TryFailure::NotPublic.message();
    let mut seen = 0;
    for w in hooks.as_array().expect("hooks") {
        if w["active"] != true {
            continue;
        }
        seen += 1;
        let url = w["url"].as_str().unwrap_or_default();
        assert_eq!(w["last_error"], refused, "{url}");
        assert_eq!(w["last_status_code"], Value::Null, "{url}");
        assert_eq!(w["failed_attempts"], 1, "{url}");
        let base = format!("/api/v1/webhooks/{}", w["id"].as_str().expect("id"));
        let delivery = get(&app, key, &format!("{base}/deliveries")).await[0].clone();
        assert_eq!(delivery["status"], "failed", "{url}");
        let one = get(
            &app,
            key,
            &format!("{base}/deliveries/{}", delivery["id"].as_str().expect("id")),
        )
        .await;
        let log = &one["attempts_log"][0];
        assert_eq!(log["error"], refused, "{url}");
        assert_eq!(log["status_code"], Value::Null);
        assert_eq!(log["response_bytes"], Value::Null);
    }
    assert_eq!(seen, stored.len());
    assert_eq!(trap.accepted(), 0, "no connection to this machine");
}

/// Redirects are not followed: a 302 is recorded as the answer, and its
/// `Location` (here another local listener) is never dialled.
async fn redirects_are_not_followed(backend: Backend) {
    let app = spawn_with(backend, fast(0, 0)).await;
    let trap = Trap::start().await;
    let rx = Receiver::start().await;
    rx.redirect_to(&format!("http://127.0.0.1:{}/interno", trap.port));
    let t = app.tenant().await;
    let key = &t.api_key;
    let (webhook, _) = register(&app, key, &rx.url, &["client.created"]).await;
    create(&app, key, "/api/v1/clients", &joao()).await;
    let base = format!("/api/v1/webhooks/{webhook}");
    eventually("the try is settled", || async {
        get(&app, key, &base).await["failed_deliveries"] == 1
    })
    .await;
    let w = get(&app, key, &base).await;
    assert_eq!(w["last_status_code"], 302);
    assert_eq!(rx.hits().len(), 1);
    assert_eq!(trap.accepted(), 0, "the Location was not followed");
}

/// A host name is resolved by the worker's own resolver and dialled on the
/// URL's port (here `localhost`, allowed with private targets on).
async fn names_are_resolved_and_dialled_on_their_port(backend: Backend) {
    let app = spawn_with(backend, fast(0, 0)).await;
    let rx = Receiver::start().await;
    let by_name = rx.url.replace("127.0.0.1", "localhost");
    assert_ne!(by_name, rx.url);
    let t = app.tenant().await;
    let key = &t.api_key;
    let (_, secret) = register(&app, key, &by_name, &["client.created"]).await;
    create(&app, key, "/api/v1/clients", &joao()).await;
    let hits = rx.wait_until("the event", |h| !h.is_empty()).await;
    check_signed(&hits[0], &secret);
}

/// An account registers at most 16 endpoints (422 past that, nothing
/// written); removing one makes room.
async fn an_account_has_at_most_sixteen_endpoints(app: TestApp) {
    let t = app.tenant().await;
    let other = app.tenant().await;
    let key = &t.api_key;
    let mut ids = Vec::new();
    for i in 0..16 {
        let (id, _) = register(&app, key, &format!("http://127.0.0.1:9/{i}"), &["*"]).await;
        ids.push(id);
    }
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/webhooks",
            Some(&json!({"url": "http://127.0.0.1:9/17", "events": ["*"]})),
        )
        .await;
    assert_error(
        &reply,
        422,
        "VALIDATION_ERROR",
        Some("url"),
        Some("max"),
        "the seventeenth",
    );
    assert!(
        reply.body["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("16 webhooks")),
        "{}",
        reply.text
    );
    let list = app.auto(key, Method::GET, "/api/v1/webhooks", None).await;
    assert_eq!(list.body["pagination"]["total"], 16);
    // Another account has its own sixteen.
    register(&app, &other.api_key, "http://127.0.0.1:9/outra", &["*"]).await;
    let reply = app
        .auto(
            key,
            Method::DELETE,
            &format!("/api/v1/webhooks/{}", ids[0]),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    register(&app, key, "http://127.0.0.1:9/17", &["*"]).await;
}

/// An event name vitrine never emits would never fire: refused with the
/// accepted names in `details.allowed`, on creation and on change.
async fn unknown_event_names_are_refused_with_the_known_ones(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/webhooks",
            Some(&json!({"url": "https://seu-app.com/hook", "events": ["vehicle.create"]})),
        )
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("events[0]"),
        Some("enum"),
        "vehicle.create",
    );
    let allowed = &reply.body["error"]["details"]["allowed"];
    assert_eq!(allowed, &json!(allowed_events()), "{}", reply.text);
    for known in ["vehicle.created", "deal.*", "*", "activity.overdue"] {
        assert!(
            allowed
                .as_array()
                .is_some_and(|a| a.contains(&json!(known))),
            "{known}"
        );
    }
    let list = app.auto(key, Method::GET, "/api/v1/webhooks", None).await;
    assert_eq!(list.body["pagination"]["total"], 0);

    let (id, _) = register(&app, key, "https://seu-app.com/hook", &["deal.won"]).await;
    let path = format!("/api/v1/webhooks/{id}");
    let reply = app
        .auto(
            key,
            Method::PUT,
            &path,
            Some(&json!({"events": ["deal.won", "venda.*"]})),
        )
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("events[1]"),
        Some("enum"),
        "venda.*",
    );
    assert!(reply.body["error"]["details"]["allowed"].is_array());
    assert_eq!(get(&app, key, &path).await["events"], json!(["deal.won"]));
    // A problem elsewhere first: no list of events to confuse it.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/webhooks",
            Some(&json!({"url": "ftp://x", "events": ["vehicle.create"]})),
        )
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("url"),
        None,
        "url first",
    );
    assert!(reply.body["error"]["details"].get("allowed").is_none());
}

both_backends!(
    an_account_has_at_most_sixteen_endpoints,
    unknown_event_names_are_refused_with_the_known_ones
);

/// A receiver answering with NUL bytes (which PostgreSQL cannot store in
/// text) is recorded like any other: status and length; the delivery
/// moves on and is counted.
async fn answers_with_nul_bytes_are_recorded(backend: Backend) {
    let app = spawn_with(backend, fast(0, 3)).await;
    let rx = Receiver::start().await;
    let body = b"erro\0\0 interno \x00\xff";
    rx.answer_with(body);
    rx.fail_next(1);
    let t = app.tenant().await;
    let key = &t.api_key;
    let (webhook, _) = register(&app, key, &rx.url, &["client.created"]).await;
    create(&app, key, "/api/v1/clients", &joao()).await;
    let base = format!("/api/v1/webhooks/{webhook}");
    eventually("delivered on the second try", || async {
        get(&app, key, &format!("{base}/deliveries")).await[0]["status"] == "delivered"
    })
    .await;
    let delivery = get(&app, key, &format!("{base}/deliveries")).await[0].clone();
    assert_eq!(delivery["attempts"], 2);
    let one = get(
        &app,
        key,
        &format!("{base}/deliveries/{}", delivery["id"].as_str().expect("id")),
    )
    .await;
    let log: Vec<_> = one["attempts_log"]
        .as_array()
        .expect("log")
        .iter()
        .map(|a| (a["status_code"].clone(), a["response_bytes"].clone()))
        .collect();
    assert_eq!(
        log,
        vec![
            (json!(500), json!(body.len())),
            (json!(200), json!(body.len()))
        ]
    );
    let w = get(&app, key, &base).await;
    assert_eq!(
        (
            w["total_attempts"].clone(),
            w["failed_attempts"].clone(),
            w["last_status_code"].clone(),
            w["consecutive_failures"].clone()
        ),
        (json!(2), json!(1), json!(200), json!(0))
    );
    assert_eq!(rx.hits().len(), 2, "sent twice, not again and again");
}

/// Health is counted try by try: after one failed try of a delivery that
/// still has retries left, the endpoint already shows it (attempts,
/// failures, the streak, the last status or error), not only after the
/// delivery's last retry.
async fn health_is_counted_as_tries_happen(backend: Backend) {
    // Retries far away: the delivery stays pending after its first try.
    let mut settings = fast(0, 3);
    settings.webhooks.retry_delays = vec![std::time::Duration::from_secs(3600); 3];
    let app = spawn_with(backend, settings).await;
    let rx = Receiver::start().await;
    rx.set_down(true);
    let t = app.tenant().await;
    let key = &t.api_key;
    let (webhook, _) = register(&app, key, &rx.url, &["client.created"]).await;
    let base = format!("/api/v1/webhooks/{webhook}");
    let fresh = get(&app, key, &base).await;
    assert_eq!(
        (
            fresh["total_attempts"].clone(),
            fresh["last_status_code"].clone(),
            fresh["last_error"].clone()
        ),
        (json!(0), Value::Null, Value::Null)
    );
    create(&app, key, "/api/v1/clients", &joao()).await;
    eventually("the first try is counted", || async {
        get(&app, key, &base).await["total_attempts"] == 1
    })
    .await;
    let w = get(&app, key, &base).await;
    assert_eq!(w["failed_attempts"], 1);
    assert_eq!(w["last_status_code"], 503);
    assert_eq!(w["last_error"], Value::Null);
    assert_eq!(w["consecutive_failures"], 1);
    assert_eq!(w["failed_deliveries"], 0, "the delivery still has tries");
    assert_eq!(
        get(&app, key, &format!("{base}/deliveries")).await[0]["status"],
        "pending"
    );
    let listed = get(&app, key, "/api/v1/webhooks").await[0].clone();
    assert_eq!(listed, w, "the list shows the same");

    // No answer at all: the error replaces the status.
    // A port nothing listens on (bound once, then released).
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        l.local_addr().expect("addr").port()
    };
    let reply = app
        .auto(
            key,
            Method::PATCH,
            &base,
            Some(&json!({"url": format!("http://127.0.0.1:{closed}/fechada")})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    create(
        &app,
        key,
        "/api/v1/clients",
        &json!({"type": "PF", "name": "Bia"}),
    )
    .await;
    eventually("the second try is counted", || async {
        get(&app, key, &base).await["total_attempts"] == 2
    })
    .await;
    let w = get(&app, key, &base).await;
    assert_eq!(w["last_status_code"], Value::Null);
    assert_eq!(w["last_error"], TryFailure::Connection.message());
    assert_eq!(
        (
            w["failed_attempts"].clone(),
            w["consecutive_failures"].clone()
        ),
        (json!(2), json!(2))
    );
}

/// One tenant's slow receiver does not delay another's: A's receiver holds
/// every request, A has many events; A never has more than the
/// per-endpoint cap in flight, and B's event is delivered while A's are
/// still held.
async fn a_slow_receiver_does_not_delay_other_accounts(backend: Backend) {
    let mut settings = fast(0, 3);
    // Held requests must not time out during the test.
    settings.webhooks.timeout = std::time::Duration::from_secs(600);
    settings.webhooks.lease = std::time::Duration::from_secs(900);
    let cap = usize::try_from(settings.webhooks.per_endpoint).expect("cap");
    let app = spawn_with(backend, settings).await;
    let slow = Receiver::start().await;
    slow.hold(true);
    let quick = Receiver::start().await;
    let a = app.tenant().await;
    let b = app.tenant().await;
    register(&app, &a.api_key, &slow.url, &["client.created"]).await;
    register(&app, &b.api_key, &quick.url, &["client.created"]).await;
    const A_EVENTS: usize = 40;
    for i in 0..A_EVENTS {
        create(
            &app,
            &a.api_key,
            "/api/v1/clients",
            &json!({"type": "PF", "name": format!("Cliente A{i}")}),
        )
        .await;
    }
    eventually("A's receiver holds its first requests", || async {
        slow.waiting() >= cap
    })
    .await;
    create(
        &app,
        &b.api_key,
        "/api/v1/clients",
        &json!({"type": "PF", "name": "Cliente B"}),
    )
    .await;
    let hits = quick.wait_until("B's event", |h| !h.is_empty()).await;
    assert_eq!(hits[0].json()["data"]["name"], "Cliente B");
    assert!(
        slow.hits().is_empty(),
        "B arrived while all of A's were still held"
    );
    assert_eq!(slow.waiting(), cap, "A holds only its endpoint's slots");
    slow.hold(false);
    let all = slow
        .wait_until("all of A's events", |h| h.len() >= A_EVENTS)
        .await;
    assert_eq!(all.len(), A_EVENTS);
    assert!(
        slow.most_waiting() <= cap,
        "{} > {cap}",
        slow.most_waiting()
    );
}

/// An endpoint whose tries keep timing out moves to the slow lane (shown
/// on the endpoint), where it holds one slot at most; an answer in time
/// brings it back.
async fn endpoints_that_keep_timing_out_go_to_the_slow_lane(backend: Backend) {
    let mut settings = fast(0, 50);
    settings.webhooks.timeout = std::time::Duration::from_millis(300);
    settings.webhooks.slow_after = 2;
    let app = spawn_with(backend, settings).await;
    let slow = Receiver::start().await;
    slow.hold(true);
    let t = app.tenant().await;
    let key = &t.api_key;
    let (webhook, _) = register(&app, key, &slow.url, &["client.created"]).await;
    let base = format!("/api/v1/webhooks/{webhook}");
    assert_eq!(get(&app, key, &base).await["slow_lane"], false);
    for i in 0..6 {
        create(
            &app,
            key,
            "/api/v1/clients",
            &json!({"type": "PF", "name": format!("Lento {i}")}),
        )
        .await;
    }
    eventually("two timeouts in a row: the slow lane", || async {
        get(&app, key, &base).await["slow_lane"] == true
    })
    .await;
    let w = get(&app, key, &base).await;
    assert!(w["total_attempts"].as_i64().is_some_and(|n| n >= 2), "{w}");
    assert_eq!(w["last_error"], TryFailure::Connection.message());
    slow.hold(false);
    eventually("answered in time: back in the normal lane", || async {
        get(&app, key, &base).await["slow_lane"] == false
    })
    .await;
    slow.wait_until("the events, delivered at last", |h| {
        let names: HashSet<String> = h
            .iter()
            .filter(|x| x.answered == 200)
            .map(|x| {
                x.json()["data"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        names.len() == 6
    })
    .await;
}

per_backend!(
    webhook_targets_must_be_public,
    names_are_resolved_and_dialled_on_their_port,
    redirects_are_not_followed,
    answers_with_nul_bytes_are_recorded,
    health_is_counted_as_tries_happen,
    a_slow_receiver_does_not_delay_other_accounts,
    endpoints_that_keep_timing_out_go_to_the_slow_lane,
);
