//! Webhooks over HTTP: the account's endpoints and deliveries log as the
//! worker leaves them (a real receiver on its own port answers), and
//! "Reenviar" queueing a delivery again so the worker sends it; CSRF and
//! tenancy on every id in the path.

use vitrine_testkit::{json, spawn_with, Backend, Method, Tenant, TestApp, Value};

use crate::browserless::Visitor;

// The Auto tests' receiver: an axum server that records each request and
// answers as scripted.
#[allow(
    dead_code,
    reason = "shared with the auto tests; the panel uses part of it"
)]
#[path = "../auto/receiver.rs"]
mod receiver;

use receiver::{eventually, fast, Receiver};

macro_rules! on_both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(vitrine_testkit::Backend::Sqlite).await
            }
            #[tokio::test]
            async fn postgres() {
                super::$name(vitrine_testkit::Backend::Postgres).await
            }
        }
    )*};
}

on_both!(
    a_failed_delivery_is_resent_from_the_panel,
    redelivery_needs_the_session_token_and_the_accounts_ids,
);

/// Registers an endpoint through the API; its id.
async fn register(app: &TestApp, t: &Tenant, url: &str) -> String {
    let reply = app
        .auto(
            &t.api_key,
            Method::POST,
            "/api/v1/webhooks",
            Some(&json!({"url": url, "events": ["client.created"]})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["data"]["id"].as_str().expect("id").to_owned()
}

async fn new_client(app: &TestApp, t: &Tenant, name: &str) {
    let reply = app
        .auto(
            &t.api_key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PF", "name": name})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
}

async fn deliveries(app: &TestApp, t: &Tenant, hook: &str) -> Vec<Value> {
    let reply = app
        .auto(
            &t.api_key,
            Method::GET,
            &format!("/api/v1/webhooks/{hook}/deliveries"),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["data"].as_array().expect("deliveries").clone()
}

async fn a_failed_delivery_is_resent_from_the_panel(backend: Backend) {
    // One try per round, so a 503 leaves the delivery failed at once.
    let app = spawn_with(backend, fast(0, 0)).await;
    let rx = Receiver::start().await;
    rx.set_down(true);
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let empty = v.get("/painel/webhooks").await;
    empty.assert_html(200);
    assert!(empty.body.contains("Nenhum webhook cadastrado"));

    let hook = register(&app, &t, &rx.url).await;
    new_client(&app, &t, "Maria Souza").await;
    eventually("the delivery fails", || async {
        deliveries(&app, &t, &hook).await[0]["status"] == "failed"
    })
    .await;
    let delivery = deliveries(&app, &t, &hook).await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let list = v.get("/painel/webhooks").await;
    list.assert_html(200);
    assert!(list.body.contains(&rx.url), "{}", list.body);
    assert!(list.body.contains("1 (1 falharam)"));
    assert!(list.body.contains("0,0 %"));
    let log = v.get(&format!("/painel/webhooks/{hook}")).await;
    log.assert_html(200);
    let row = log
        .body
        .split(&format!("<tr id=\"entrega-{delivery}\""))
        .nth(1)
        .expect("the delivery's row");
    let row = &row[..row.find("</tr>").expect("row end")];
    for text in [
        "data-status=\"failed\"",
        "client.created",
        "Falhou",
        "HTTP 503",
        "Reenviar",
    ] {
        assert!(row.contains(text), "{text} missing: {row}");
    }
    assert!(row.contains("data-label=\"Tentativas\">1<"), "{row}");

    // Back up; "Reenviar" queues it again and the worker delivers it.
    rx.set_down(false);
    let resent = v
        .post(
            &format!("/painel/webhooks/{hook}/entregas/{delivery}/reenviar"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(resent.status, 303, "{}", resent.body);
    assert_eq!(resent.location(), format!("/painel/webhooks/{hook}"));
    rx.wait_until("the redelivery", |h| h.iter().any(|x| x.answered == 200))
        .await;
    eventually("delivered", || async {
        deliveries(&app, &t, &hook).await[0]["status"] == "delivered"
    })
    .await;
    assert_eq!(rx.hits().len(), 2, "one failed try, one redelivery");
    let same_event = rx.hits()[0].json()["id"] == rx.hits()[1].json()["id"];
    assert!(
        same_event,
        "the same event id, so receivers can deduplicate"
    );
    let log = v.get(&format!("/painel/webhooks/{hook}")).await;
    let row = log
        .body
        .split(&format!("<tr id=\"entrega-{delivery}\""))
        .nth(1)
        .expect("the delivery's row");
    let row = &row[..row.find("</tr>").expect("row end")];
    for text in ["data-status=\"delivered\"", "Entregue", "HTTP 200"] {
        assert!(row.contains(text), "{text} missing: {row}");
    }
    assert!(v.get("/painel/webhooks").await.body.contains("100,0 %"));
}

async fn redelivery_needs_the_session_token_and_the_accounts_ids(backend: Backend) {
    // No worker: deliveries stay as the test leaves them.
    let mut paused = fast(0, 0);
    paused.webhooks.enabled = false;
    let app = spawn_with(backend, paused).await;
    let mine = app.tenant().await;
    let theirs = app.tenant().await;
    let my_hook = register(&app, &mine, "http://127.0.0.1:9/minha").await;
    let their_hook = register(&app, &theirs, "http://127.0.0.1:9/deles").await;
    new_client(&app, &mine, "Meu cliente").await;
    new_client(&app, &theirs, "Cliente deles").await;
    let mine_delivery = deliveries(&app, &mine, &my_hook).await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let their_delivery = deliveries(&app, &theirs, &their_hook).await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let before = deliveries(&app, &theirs, &their_hook).await;
    let v = Visitor::signed_in(&app, &mine.email, &mine.password).await;
    let csrf = v.session_csrf().await;

    let mine_path = format!("/painel/webhooks/{my_hook}/entregas/{mine_delivery}/reenviar");
    v.post(&mine_path, &[]).await.assert_html(403);
    v.post(&mine_path, &[("csrf", "errado")])
        .await
        .assert_html(403);
    let untouched = &deliveries(&app, &mine, &my_hook).await[0];
    assert_eq!(
        untouched["updated_at"], untouched["created_at"],
        "{untouched}"
    );

    for path in [
        format!("/painel/webhooks/{their_hook}"),
        "/painel/webhooks/nao-e-um-id".to_owned(),
    ] {
        let page = v.get(&path).await;
        page.assert_html(404);
        assert!(!page.body.contains("/deles"), "{path}");
    }
    for path in [
        format!("/painel/webhooks/{their_hook}/entregas/{their_delivery}/reenviar"),
        format!("/painel/webhooks/{my_hook}/entregas/{their_delivery}/reenviar"),
        format!("/painel/webhooks/{their_hook}/entregas/{mine_delivery}/reenviar"),
        format!("/painel/webhooks/{my_hook}/entregas/nao-e-um-id/reenviar"),
    ] {
        let page = v.post(&path, &[("csrf", &csrf)]).await;
        page.assert_html(404);
        assert!(page.body.contains("Página não encontrada"), "{path}");
    }
    assert_eq!(deliveries(&app, &theirs, &their_hook).await, before);
    let list = v.get("/painel/webhooks").await;
    assert!(list.body.contains("/minha") && !list.body.contains("/deles"));

    // With the token, my own delivery is queued again.
    let resent = v.post(&mine_path, &[("csrf", &csrf)]).await;
    assert_eq!(resent.status, 303, "{}", resent.body);
    let queued = &deliveries(&app, &mine, &my_hook).await[0];
    assert_eq!(queued["status"], "pending");
    assert_eq!(queued["attempts"], 0);
    assert!(queued["next_attempt_at"].is_string(), "{queued}");
}
