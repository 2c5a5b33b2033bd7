//! Webhooks over HTTP: the account's endpoints and deliveries log as the
//! worker leaves them (a real receiver on its own port answers), their
//! health after each try, creating (the secret shown once), editing,
//! disabling and enabling an endpoint with the API's rules (public targets,
//! known events), a delivery's payload and answers (status and length, not
//! the body), and "Reenviar" queueing a delivery again so the worker sends
//! it; CSRF and tenancy on every id in the path.

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

use receiver::{eventually, fast, signature_is_valid, Receiver};

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
    endpoints_are_created_edited_disabled_and_enabled,
    the_panel_refuses_private_targets_like_the_api,
    a_delivery_shows_its_payload_and_the_answers,
    each_try_shows_at_once,
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
        format!("/painel/webhooks/{their_hook}/editar"),
        format!("/painel/webhooks/{their_hook}/entregas/{their_delivery}"),
        format!("/painel/webhooks/{my_hook}/entregas/{their_delivery}"),
        "/painel/webhooks/nao-e-um-id".to_owned(),
    ] {
        let page = v.get(&path).await;
        page.assert_html(404);
        assert!(!page.body.contains("/deles"), "{path}");
    }
    let their_before = api_webhook(&app, &theirs, &their_hook).await;
    for (path, fields) in [
        (
            format!("/painel/webhooks/{their_hook}"),
            vec![("url", "http://127.0.0.1:9/roubado"), ("events", "*")],
        ),
        (format!("/painel/webhooks/{their_hook}/desativar"), vec![]),
        (format!("/painel/webhooks/{their_hook}/ativar"), vec![]),
    ] {
        let mut fields = fields;
        fields.push(("csrf", &csrf));
        let page = v.post(&path, &fields).await;
        page.assert_html(404);
    }
    assert_eq!(api_webhook(&app, &theirs, &their_hook).await, their_before);
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

async fn api_webhook(app: &TestApp, t: &Tenant, hook: &str) -> Value {
    let reply = app
        .auto(
            &t.api_key,
            Method::GET,
            &format!("/api/v1/webhooks/{hook}"),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["data"].clone()
}

async fn api_webhooks(app: &TestApp, t: &Tenant) -> Vec<Value> {
    let reply = app
        .auto(&t.api_key, Method::GET, "/api/v1/webhooks", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["data"].as_array().expect("webhooks").clone()
}

async fn endpoints_are_created_edited_disabled_and_enabled(backend: Backend) {
    let app = spawn_with(backend, fast(0, 3)).await;
    let rx = Receiver::start().await;
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let form = v.get("/painel/webhooks/novo").await;
    form.assert_html(200);
    for field in [
        "name=\"url\"",
        "value=\"*\"",
        "value=\"deal.*\"",
        "value=\"vehicle.sold\"",
        "name=\"secret\"",
    ] {
        assert!(form.body.contains(field), "{field}");
    }

    // No token: refused, nothing created.
    let page = v
        .post(
            "/painel/webhooks",
            &[("url", &rx.url), ("events", "client.created")],
        )
        .await;
    page.assert_html(403);
    // Bad input: every problem under its field, the typed values kept.
    let page = v
        .post(
            "/painel/webhooks",
            &[
                ("csrf", &csrf),
                ("url", "ftp://interno"),
                ("secret", "curto"),
            ],
        )
        .await;
    page.assert_html(422);
    let after = |id: &str| {
        let start = page.body.find(&format!("id=\"{id}\"")).unwrap_or(0);
        page.body[start..].to_owned()
    };
    assert!(
        after("w-url").contains("id=\"url-erro\""),
        "the URL's message follows its input"
    );
    assert!(page.body.contains("URL http:// ou https://"));
    assert!(page.body.contains("id=\"events-erro\""));
    assert!(page.body.contains("pelo menos um evento"));
    assert!(page.body.contains("id=\"secret-erro\""));
    assert!(page.body.contains("value=\"ftp://interno\""));
    let page = v
        .post(
            "/painel/webhooks",
            &[
                ("csrf", &csrf),
                ("url", &rx.url),
                ("events", "client.created"),
                ("events", "vehicle.create"),
            ],
        )
        .await;
    page.assert_html(422);
    assert!(page.body.contains("evento conhecido"), "{}", page.body);
    assert!(page.body.contains("checked"), "the ticked box stays ticked");
    assert!(api_webhooks(&app, &t).await.is_empty(), "nothing created");

    // Created: the secret shown this once, and it signs the deliveries.
    let page = v
        .post(
            "/painel/webhooks",
            &[
                ("csrf", &csrf),
                ("url", &rx.url),
                ("events", "client.created"),
                ("events", "deal.*"),
            ],
        )
        .await;
    page.assert_html(201);
    let secret = page.field("webhook-secret").expect("the secret");
    assert!(
        secret.starts_with("whsec_") && secret.len() == 70,
        "{secret}"
    );
    let hooks = api_webhooks(&app, &t).await;
    assert_eq!(hooks.len(), 1);
    let hook = hooks[0]["id"].as_str().expect("id").to_owned();
    assert_eq!(hooks[0]["url"], rx.url.as_str());
    assert_eq!(hooks[0]["events"], json!(["client.created", "deal.*"]));
    assert_eq!(hooks[0]["active"], true);
    let shown = v.get(&format!("/painel/webhooks/{hook}")).await;
    shown.assert_html(200);
    assert!(!shown.body.contains(&secret), "never shown again");
    assert!(!v.get("/painel/webhooks").await.body.contains(&secret));
    new_client(&app, &t, "Maria Souza").await;
    let hits = rx.wait_until("the first event", |h| !h.is_empty()).await;
    assert!(signature_is_valid(
        &secret,
        &hits[0].header("x-vitrine-signature"),
        &hits[0].body
    ));

    // Edited: URL and events, through the same rules.
    let edit = v.get(&format!("/painel/webhooks/{hook}/editar")).await;
    edit.assert_html(200);
    assert!(edit.body.contains(&format!("value=\"{}\"", rx.url)));
    assert!(edit
        .body
        .contains("id=\"evento-deal--\" name=\"events\" value=\"deal.*\" checked"));
    assert!(
        !edit.body.contains("name=\"secret\""),
        "the secret is not editable"
    );
    let bad = v
        .post(
            &format!("/painel/webhooks/{hook}"),
            &[("csrf", &csrf), ("url", &rx.url), ("events", "venda.*")],
        )
        .await;
    bad.assert_html(422);
    assert!(bad.body.contains("id=\"events-erro\""));
    assert_eq!(
        api_webhook(&app, &t, &hook).await["events"],
        json!(["client.created", "deal.*"]),
        "unchanged"
    );
    let other = format!("{}?v=2", rx.url);
    let saved = v
        .post(
            &format!("/painel/webhooks/{hook}"),
            &[("csrf", &csrf), ("url", &other), ("events", "client.*")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.location(), format!("/painel/webhooks/{hook}"));
    let w = api_webhook(&app, &t, &hook).await;
    assert_eq!(
        (w["url"].clone(), w["events"].clone()),
        (json!(other), json!(["client.*"]))
    );

    // Disabled: nothing more is queued; enabled: queued again.
    let page = v
        .post(
            &format!("/painel/webhooks/{hook}/desativar"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(api_webhook(&app, &t, &hook).await["active"], false);
    let shown = v.get(&format!("/painel/webhooks/{hook}")).await;
    assert!(shown.body.contains("Inativo") && shown.body.contains("id=\"ativar-webhook\""));
    new_client(&app, &t, "Enquanto desligado").await;
    assert_eq!(api_webhook(&app, &t, &hook).await["total_deliveries"], 1);
    let page = v
        .post(
            &format!("/painel/webhooks/{hook}/ativar"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(page.status, 303, "{}", page.body);
    let w = api_webhook(&app, &t, &hook).await;
    assert_eq!(
        (w["active"].clone(), w["consecutive_failures"].clone()),
        (json!(true), json!(0))
    );
    new_client(&app, &t, "Religado").await;
    rx.wait_until("the event after enabling", |h| {
        h.iter().any(|x| x.json()["data"]["name"] == "Religado")
    })
    .await;
    assert!(!rx
        .hits()
        .iter()
        .any(|x| x.json()["data"]["name"] == "Enquanto desligado"));
}

async fn the_panel_refuses_private_targets_like_the_api(backend: Backend) {
    // The default policy: public targets only.
    let mut settings = fast(0, 0);
    settings.webhooks.allow_private_targets = false;
    settings.webhooks.enabled = false;
    let app = spawn_with(backend, settings).await;
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    for url in [
        "http://127.0.0.1:9/hook",
        "http://0x7f.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::ffff:10.0.0.1]/",
        "http://localhost/",
    ] {
        let page = v
            .post(
                "/painel/webhooks",
                &[("csrf", &csrf), ("url", url), ("events", "*")],
            )
            .await;
        page.assert_html(422);
        assert!(page.body.contains("id=\"url-erro\""), "{url}");
        assert!(page.body.contains("não é público"), "{url}");
    }
    let page = v
        .post(
            "/painel/webhooks",
            &[
                ("csrf", &csrf),
                ("url", "http://eu:senha@8.8.8.8/"),
                ("events", "*"),
            ],
        )
        .await;
    page.assert_html(422);
    assert!(page.body.contains("usuário ou senha"));
    assert!(api_webhooks(&app, &t).await.is_empty());
    let page = v
        .post(
            "/painel/webhooks",
            &[
                ("csrf", &csrf),
                ("url", "http://8.8.8.8/hook"),
                ("events", "deal.won"),
            ],
        )
        .await;
    page.assert_html(201);
    let hook = api_webhooks(&app, &t).await[0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let before = api_webhook(&app, &t, &hook).await;
    let page = v
        .post(
            &format!("/painel/webhooks/{hook}"),
            &[
                ("csrf", &csrf),
                ("url", "http://192.168.0.10/"),
                ("events", "*"),
            ],
        )
        .await;
    page.assert_html(422);
    assert!(page.body.contains("não é público"));
    assert_eq!(api_webhook(&app, &t, &hook).await, before);
}

async fn a_delivery_shows_its_payload_and_the_answers(backend: Backend) {
    let app = spawn_with(backend, fast(0, 3)).await;
    let rx = Receiver::start().await;
    rx.answer_with(b"corpo interno do receptor");
    rx.fail_next(1);
    let t = app.tenant().await;
    let hook = register(&app, &t, &rx.url).await;
    new_client(&app, &t, "Maria Souza").await;
    eventually("delivered on the second try", || async {
        deliveries(&app, &t, &hook).await[0]["status"] == "delivered"
    })
    .await;
    let delivery = deliveries(&app, &t, &hook).await[0].clone();
    let id = delivery["id"].as_str().expect("id");
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let log = v.get(&format!("/painel/webhooks/{hook}")).await;
    assert!(log
        .body
        .contains(&format!("href=\"/painel/webhooks/{hook}/entregas/{id}\"")));
    let page = v
        .get(&format!("/painel/webhooks/{hook}/entregas/{id}"))
        .await;
    page.assert_html(200);
    let payload = page
        .body
        .split("<pre id=\"payload\">")
        .nth(1)
        .expect("the payload");
    assert!(payload.contains("Maria Souza"), "{payload}");
    assert!(payload.contains(delivery["event_id"].as_str().expect("event id")));
    assert!(payload.contains("client.created"));
    let tries = page
        .body
        .split("<table id=\"tentativas\">")
        .nth(1)
        .expect("the tries");
    let n = "corpo interno do receptor".len();
    assert!(tries.contains(&format!("HTTP 500 · {n} bytes")), "{tries}");
    assert!(tries.contains(&format!("HTTP 200 · {n} bytes")), "{tries}");
    assert!(!page.body.contains("corpo interno"), "never the body");
    assert!(page.body.contains("Entregue"));
}

async fn each_try_shows_at_once(backend: Backend) {
    // Retries far away: the delivery stays pending after its first try.
    let mut settings = fast(0, 3);
    settings.webhooks.retry_delays = vec![std::time::Duration::from_secs(3600); 3];
    let app = spawn_with(backend, settings).await;
    let rx = Receiver::start().await;
    rx.set_down(true);
    let t = app.tenant().await;
    let hook = register(&app, &t, &rx.url).await;
    new_client(&app, &t, "Maria Souza").await;
    eventually("the first try", || async {
        api_webhook(&app, &t, &hook).await["total_attempts"] == 1
    })
    .await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let list = v.get("/painel/webhooks").await;
    list.assert_html(200);
    let row = list
        .body
        .split(&format!("<tr id=\"webhook-{hook}\""))
        .nth(1)
        .expect("the endpoint's row");
    let row = &row[..row.find("</tr>").expect("row end")];
    for text in [
        "1 (1 falharam)",
        "1 falhas seguidas",
        "HTTP 503",
        "data-label=\"Entregas\">1 (0 falharam)",
    ] {
        assert!(row.contains(text), "{text} missing: {row}");
    }
    let shown = v.get(&format!("/painel/webhooks/{hook}")).await;
    let health = shown
        .body
        .split("<dl class=\"facts\" id=\"saude\">")
        .nth(1)
        .expect("health");
    assert!(health.contains("HTTP 503"), "{health}");
}
