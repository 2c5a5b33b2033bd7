//! Negócios over HTTP: the kanban, moving a deal and closing it, read back
//! through the Auto API; CSRF and tenancy on every action.

use serde_json::{json, Value};
use vitrine_testkit::{both_backends, Method, Tenant, TestApp};

use crate::browserless::Visitor;

both_backends!(
    deals_move_and_close_like_the_api,
    deal_actions_need_the_session_token,
    another_accounts_deal_is_not_found,
    closing_asks_first_reads_brazilian_values_and_can_be_undone,
    the_board_is_searchable_and_counts_every_column,
);

/// A client and a deal for it, through the Auto API; the deal's id.
pub async fn deal_via_api(app: &TestApp, key: &str, title: &str) -> String {
    let client = app
        .auto(
            key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PF", "name": "Maria Souza"})),
        )
        .await;
    assert_eq!(client.status, 201, "{}", client.text);
    let deal = app
        .auto(
            key,
            Method::POST,
            "/api/v1/deals",
            Some(&json!({
                "title": title,
                "value": 142900.00,
                "client_id": client.body["data"]["id"],
            })),
        )
        .await;
    assert_eq!(deal.status, 201, "{}", deal.text);
    deal.body["data"]["id"].as_str().expect("id").to_owned()
}

/// The deal as `GET /api/v1/deals/:id` renders it.
pub async fn deal_via_api_get(app: &TestApp, key: &str, id: &str) -> Value {
    let reply = app
        .auto(key, Method::GET, &format!("/api/v1/deals/{id}"), None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["data"].clone()
}

async fn subscribe_to_deals(app: &TestApp, t: &Tenant) -> String {
    let reply = app
        .auto(
            &t.api_key,
            Method::POST,
            "/api/v1/webhooks",
            Some(&json!({"url": "http://127.0.0.1:9/hook", "events": ["deal.*"]})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["data"]["id"].as_str().expect("id").to_owned()
}

async fn delivered_events(app: &TestApp, t: &Tenant, webhook: &str) -> Vec<String> {
    let reply = app
        .auto(
            &t.api_key,
            Method::GET,
            &format!("/api/v1/webhooks/{webhook}/deliveries?limit=100"),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let mut events: Vec<String> = reply.body["data"]
        .as_array()
        .expect("deliveries")
        .iter()
        .map(|d| d["event"].as_str().expect("event").to_owned())
        .collect();
    events.sort();
    events
}

async fn deals_move_and_close_like_the_api(app: TestApp) {
    let t = app.tenant().await;
    let webhook = subscribe_to_deals(&app, &t).await;
    let sold = deal_via_api(&app, &t.api_key, "Corolla XEi 2024").await;
    let lost = deal_via_api(&app, &t.api_key, "Onix LT 2023").await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;

    let board = v.get("/painel/negocios").await;
    board.assert_html(200);
    for text in [
        "Corolla XEi 2024",
        "Maria Souza",
        "R$ 142.900,00",
        "Test drive",
        "Negociação",
        "Fechados",
        "href=\"/painel/clientes\"",
    ] {
        assert!(board.body.contains(text), "{text} missing");
    }

    let moved = v
        .post(
            &format!("/painel/negocios/{sold}/fase"),
            &[("csrf", &csrf), ("phase", "test_drive")],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    assert_eq!(moved.location(), "/painel/negocios");
    let deal = deal_via_api_get(&app, &t.api_key, &sold).await;
    assert_eq!(deal["phase"], "test_drive");
    assert_eq!(deal["status"], "ativo");

    // A blank phase is a 422 page and moves nothing (the vocabulary is
    // open: any other text is a phase).
    v.post(
        &format!("/painel/negocios/{sold}/fase"),
        &[("csrf", &csrf), ("phase", "  ")],
    )
    .await
    .assert_html(422);
    assert_eq!(
        deal_via_api_get(&app, &t.api_key, &sold).await["phase"],
        "test_drive"
    );

    // The card's "Ganho…" opens the confirmation, which changes nothing.
    let ask = v
        .get(&format!("/painel/negocios/{sold}/ganho?value=139.500%2C00"))
        .await;
    ask.assert_html(200);
    assert!(ask.body.contains("Marcar como ganho?"), "{}", ask.body);
    assert_eq!(ask.field("confirm-value").as_deref(), Some("139.500,00"));
    assert_eq!(
        deal_via_api_get(&app, &t.api_key, &sold).await["status"],
        "ativo"
    );
    let won = v
        .post(
            &format!("/painel/negocios/{sold}/ganho"),
            &[("csrf", &csrf), ("value", "139.500,00")],
        )
        .await;
    assert_eq!(won.status, 303, "{}", won.body);
    assert_eq!(won.location(), "/painel/negocios");
    let deal = deal_via_api_get(&app, &t.api_key, &sold).await;
    assert_eq!(deal["status"], "ganho");
    assert_eq!(deal["value"], json!(139500.0));
    assert!(deal["won_at"].is_string(), "{deal}");
    assert_eq!(deal["phase"], "test_drive", "closing keeps the phase");

    let gone = v
        .post(
            &format!("/painel/negocios/{lost}/perdido"),
            &[("csrf", &csrf), ("loss_reason", "Comprou em outra loja")],
        )
        .await;
    assert_eq!(gone.status, 303, "{}", gone.body);
    assert_eq!(gone.location(), "/painel/negocios");
    let deal = deal_via_api_get(&app, &t.api_key, &lost).await;
    assert_eq!(deal["status"], "perdido");
    assert_eq!(deal["loss_reason"], "Comprou em outra loja");
    assert!(deal["lost_at"].is_string(), "{deal}");

    // Both left the phase columns for "Fechados": no move form any more.
    let board = v.get("/painel/negocios").await;
    assert!(!board
        .body
        .contains(&format!("/painel/negocios/{sold}/fase")));
    assert!(!board
        .body
        .contains(&format!("/painel/negocios/{lost}/fase")));
    assert!(board.body.contains("Comprou em outra loja"));

    // The same events as the API: created by the API, then the panel's.
    assert_eq!(
        delivered_events(&app, &t, &webhook).await,
        [
            "deal.created",
            "deal.created",
            "deal.lost",
            "deal.phase_changed",
            "deal.updated",
            "deal.updated",
            "deal.updated",
            "deal.won",
        ]
    );
}

async fn deal_actions_need_the_session_token(app: TestApp) {
    let t = app.tenant().await;
    let id = deal_via_api(&app, &t.api_key, "Hilux SRV").await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    for (action, field, value) in [
        ("fase", "phase", "proposta"),
        ("ganho", "value", "1000"),
        ("perdido", "loss_reason", "Desistiu"),
        ("reabrir", "x", "y"),
    ] {
        for csrf in [None, Some("token-errado")] {
            let mut fields = vec![(field, value)];
            if let Some(c) = csrf {
                fields.push(("csrf", c));
            }
            v.post(&format!("/painel/negocios/{id}/{action}"), &fields)
                .await
                .assert_html(403);
        }
    }
    let deal = deal_via_api_get(&app, &t.api_key, &id).await;
    assert_eq!(deal["phase"], "lead");
    assert_eq!(deal["status"], "ativo");
    assert_eq!(deal["value"], json!(142900.0));
}

async fn another_accounts_deal_is_not_found(app: TestApp) {
    let mine = app.tenant().await;
    let theirs = app.tenant().await;
    let id = deal_via_api(&app, &theirs.api_key, "Compass Limited").await;
    let v = Visitor::signed_in(&app, &mine.email, &mine.password).await;
    let csrf = v.session_csrf().await;
    let board = v.get("/painel/negocios").await;
    board.assert_html(200);
    assert!(!board.body.contains("Compass Limited") && !board.body.contains(&id));
    for action in ["ganho", "perdido", "reabrir"] {
        let page = v.get(&format!("/painel/negocios/{id}/{action}")).await;
        page.assert_html(404);
        assert!(!page.body.contains("Compass Limited"), "{action}");
    }
    for (action, field, value) in [
        ("fase", "phase", "proposta"),
        ("ganho", "value", "1000"),
        ("perdido", "loss_reason", "Desistiu"),
        ("reabrir", "x", "y"),
    ] {
        let page = v
            .post(
                &format!("/painel/negocios/{id}/{action}"),
                &[("csrf", &csrf), (field, value)],
            )
            .await;
        page.assert_html(404);
        assert!(page.body.contains("Página não encontrada"));
    }
    // The id answers first, even with a form that breaks a rule.
    v.post(
        &format!("/painel/negocios/{id}/fase"),
        &[("csrf", &csrf), ("phase", "  ")],
    )
    .await
    .assert_html(404);
    v.post(
        "/painel/negocios/nao-e-um-id/fase",
        &[("csrf", &csrf), ("phase", "proposta")],
    )
    .await
    .assert_html(404);
    let deal = deal_via_api_get(&app, &theirs.api_key, &id).await;
    assert_eq!(deal["phase"], "lead");
    assert_eq!(deal["status"], "ativo");
    assert!(deal["won_at"].is_null() && deal["lost_at"].is_null());
}

async fn closing_asks_first_reads_brazilian_values_and_can_be_undone(app: TestApp) {
    let t = app.tenant().await;
    let webhook = subscribe_to_deals(&app, &t).await;
    let big = deal_via_api(&app, &t.api_key, "Hilux SRV").await;
    let small = deal_via_api(&app, &t.api_key, "Moto CG 160").await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;

    // Perdido is not styled like Ganho; both only open a confirmation.
    let board = v.get("/painel/negocios").await;
    assert!(board.body.contains(&format!(
        "<button class=\"small won\" type=\"submit\" id=\"ganho-{big}\">Ganho…</button>"
    )));
    assert!(board.body.contains(&format!(
        "<button class=\"small danger\" type=\"submit\" id=\"perdido-{big}\">Perdido…</button>"
    )));
    assert!(board.body.contains(&format!(
        "<form class=\"inline\" method=\"get\" action=\"/painel/negocios/{big}/ganho\">"
    )));

    // An ambiguous value: shown at the field on the confirmation, refused on
    // posting, nothing saved.
    let ask = v
        .get(&format!("/painel/negocios/{big}/ganho?value=1.50.0"))
        .await;
    ask.assert_html(200);
    assert!(
        ask.body
            .contains("data-field=\"value\">Valor final deve ser um valor em reais"),
        "{}",
        ask.body
    );
    let refused = v
        .post(
            &format!("/painel/negocios/{big}/ganho"),
            &[("csrf", &csrf), ("value", "1.50.0")],
        )
        .await;
    refused.assert_html(422);
    assert!(
        refused
            .body
            .contains("<li>Valor final deve ser um valor em reais"),
        "{}",
        refused.body
    );
    let deal = deal_via_api_get(&app, &t.api_key, &big).await;
    assert_eq!(
        (&deal["status"], &deal["value"]),
        (&json!("ativo"), &json!(142900.0))
    );

    // 100.000 is cem mil; 1.500 is mil e quinhentos.
    for (id, typed, value) in [(&big, "100.000", 100000.0), (&small, "1.500", 1500.0)] {
        let won = v
            .post(
                &format!("/painel/negocios/{id}/ganho"),
                &[("csrf", &csrf), ("value", typed)],
            )
            .await;
        assert_eq!(won.status, 303, "{}", won.body);
        let deal = deal_via_api_get(&app, &t.api_key, id).await;
        assert_eq!(
            (&deal["status"], &deal["value"]),
            (&json!("ganho"), &json!(value)),
            "{typed}"
        );
    }
    let board = v.get("/painel/negocios").await;
    assert!(board.body.contains("Negócio marcado como ganho."));
    assert!(board.body.contains("R$ 100.000,00") && board.body.contains("R$ 1.500,00"));

    // Reopened after a confirmation: open again, in its phase, the close
    // time cleared (the rule PATCH {"status": "ativo"} follows).
    assert!(board
        .body
        .contains(&format!("href=\"/painel/negocios/{big}/reabrir\"")));
    let ask = v.get(&format!("/painel/negocios/{big}/reabrir")).await;
    ask.assert_html(200);
    assert!(ask.body.contains("Reabrir o negócio?"));
    assert_eq!(
        deal_via_api_get(&app, &t.api_key, &big).await["status"],
        "ganho"
    );
    let reopened = v
        .post(
            &format!("/painel/negocios/{big}/reabrir"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(reopened.status, 303, "{}", reopened.body);
    assert_eq!(reopened.location(), "/painel/negocios");
    let deal = deal_via_api_get(&app, &t.api_key, &big).await;
    assert_eq!(deal["status"], "ativo");
    assert!(deal["won_at"].is_null(), "{deal}");
    assert_eq!(deal["phase"], "lead");
    assert_eq!(deal["value"], json!(100000.0), "the value stays");
    let board = v.get(reopened.location()).await;
    assert!(board.body.contains("Negócio reaberto."));
    assert!(
        board.body.contains(&format!("/painel/negocios/{big}/fase")),
        "back on the board"
    );
    // An open deal cannot be reopened: the rule says why, nothing changes.
    let again = v
        .post(
            &format!("/painel/negocios/{big}/reabrir"),
            &[("csrf", &csrf)],
        )
        .await;
    again.assert_html(422);
    assert!(again
        .body
        .contains("Só um negócio ganho ou perdido pode ser reaberto"));
    assert_eq!(
        delivered_events(&app, &t, &webhook).await,
        [
            "deal.created",
            "deal.created",
            "deal.updated",
            "deal.updated",
            "deal.updated",
            "deal.won",
            "deal.won",
        ]
    );
}

async fn the_board_is_searchable_and_counts_every_column(app: TestApp) {
    let t = app.tenant().await;
    for i in 0..27 {
        let reply = app
            .auto(
                &t.api_key,
                Method::POST,
                "/api/v1/deals",
                Some(&json!({"title": format!("Lead {i:02}")})),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    let target = deal_via_api(&app, &t.api_key, "Corolla Cross").await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let board = v.get("/painel/negocios").await;
    board.assert_html(200);
    assert!(
        board.body.contains("Lead <span class=\"count\">28</span>"),
        "the column's total, not its page"
    );
    assert_eq!(board.body.matches("<article class=\"deal\"").count(), 25);
    assert!(board.body.contains("Página 1 de 2"), "{}", board.body);
    let second = v.get("/painel/negocios?page=2").await;
    assert_eq!(second.body.matches("<article class=\"deal\"").count(), 3);
    assert!(second.body.contains("Lead 00"), "the oldest on page 2");
    let found = v.get("/painel/negocios?search=corolla").await;
    assert_eq!(found.body.matches("<article class=\"deal\"").count(), 1);
    assert!(found.body.contains(&format!("id=\"deal-{target}\"")));
    assert!(found.body.contains("Lead <span class=\"count\">1</span>"));
}
