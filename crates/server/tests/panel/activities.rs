//! Atividades over HTTP: created in the form and read back through the
//! Auto API, filtered like `GET /activities`, marked done with the API's
//! `completed_at` and events; CSRF and tenancy on every action.

use serde_json::{json, Value};
use vitrine_testkit::{both_backends, Method, Tenant, TestApp};

use crate::browserless::Visitor;

both_backends!(
    an_activity_is_created_filtered_and_done,
    a_bad_activity_shows_the_rule_and_writes_nothing,
    activity_forms_need_the_session_token,
    another_accounts_activity_is_not_found,
    due_times_are_the_accounts_local_time,
);

/// The account's activities as the API lists them.
async fn api_activities(app: &TestApp, key: &str) -> Vec<Value> {
    let reply = app
        .auto(key, Method::GET, "/api/v1/activities?limit=100", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["data"].as_array().expect("activities").clone()
}

async fn activity_via_api(app: &TestApp, t: &Tenant, body: Value) -> String {
    let reply = app
        .auto(&t.api_key, Method::POST, "/api/v1/activities", Some(&body))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["data"]["id"].as_str().expect("id").to_owned()
}

/// The activity ids in the panel's list for `query`.
async fn listed(v: &Visitor, query: &str) -> Vec<String> {
    let page = v.get(&format!("/painel/atividades?{query}")).await;
    page.assert_html(200);
    let mut ids: Vec<String> = page
        .body
        .split("<tr id=\"atividade-")
        .skip(1)
        .filter_map(|row| row.split('"').next().map(str::to_owned))
        .collect();
    ids.sort();
    ids
}

async fn an_activity_is_created_filtered_and_done(app: TestApp) {
    let t = app.tenant().await;
    let client = app
        .auto(
            &t.api_key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PF", "name": "Maria Souza"})),
        )
        .await;
    assert_eq!(client.status, 201, "{}", client.text);
    let client = client.body["data"]["id"].as_str().expect("id").to_owned();
    let later = activity_via_api(
        &app,
        &t,
        json!({"title": "Enviar proposta", "type": "email", "due_date": "2099-01-10T12:00:00Z"}),
    )
    .await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let page = v.get("/painel/atividades").await;
    page.assert_html(200);
    assert!(page
        .body
        .contains("href=\"/painel/atividades\" aria-current=\"page\""));
    assert!(page.body.contains("href=\"/painel/atividades/nova\""));
    let form = v.get("/painel/atividades/nova").await;
    form.assert_html(200);
    assert!(form.body.contains("Maria Souza"), "the client is offered");

    let created = v
        .post(
            "/painel/atividades",
            &[
                ("csrf", &csrf),
                ("title", "Ligar para a Maria"),
                ("type", "ligacao"),
                ("due_date", "2026-02-04T10:30"),
                ("client_id", &client),
                ("vehicle_id", ""),
                ("description", "Perguntar sobre o test drive"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    assert_eq!(created.location(), "/painel/atividades");
    assert!(v
        .get(created.location())
        .await
        .body
        .contains("Atividade criada."));
    let api = api_activities(&app, &t.api_key).await;
    let call = api
        .iter()
        .find(|a| a["title"] == "Ligar para a Maria")
        .expect("created");
    assert_eq!(call["type"], "ligacao");
    assert_eq!(call["status"], "pending");
    // 10:30 typed in São Paulo (the default zone) is 13:30 UTC.
    assert_eq!(call["due_date"], "2026-02-04T13:30:00Z");
    assert_eq!(call["client_id"], json!(client));
    assert_eq!(call["description"], "Perguntar sobre o test drive");
    assert_eq!(call["overdue"], true);
    let call = call["id"].as_str().expect("id").to_owned();

    // The filters of GET /activities narrow the list.
    let mut both = vec![call.clone(), later.clone()];
    both.sort();
    assert_eq!(listed(&v, "").await, both);
    assert_eq!(
        listed(&v, "type=ligacao").await,
        std::slice::from_ref(&call)
    );
    assert_eq!(
        listed(&v, "overdue=true").await,
        std::slice::from_ref(&call)
    );
    assert_eq!(
        listed(&v, "due_from=2099-01-01").await,
        std::slice::from_ref(&later)
    );
    assert_eq!(
        listed(&v, "due_to=2026-02-04").await,
        std::slice::from_ref(&call)
    );
    assert!(v
        .get("/painel/atividades?overdue=true")
        .await
        .body
        .contains("Atrasada"));

    // Done: first a confirmation (nothing changes on opening it), then
    // completed like PATCH {"status": "completed"}.
    let list = v.get("/painel/atividades").await;
    assert!(
        list.body.contains("04/02/2026 10:30"),
        "shown in local time"
    );
    assert!(list.body.contains(&format!(
        "href=\"/painel/atividades/{call}/concluir\" id=\"concluir-{call}\""
    )));
    let ask = v.get(&format!("/painel/atividades/{call}/concluir")).await;
    ask.assert_html(200);
    assert!(
        ask.body.contains("Concluir atividade?") && ask.body.contains("id=\"confirmar-conclusao\"")
    );
    assert_eq!(
        api_activities(&app, &t.api_key)
            .await
            .iter()
            .find(|a| a["id"] == json!(call))
            .expect("listed")["status"],
        "pending",
        "asking changes nothing"
    );
    let done = v
        .post(
            &format!("/painel/atividades/{call}/concluir"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location(), "/painel/atividades");
    let reply = app
        .auto(
            &t.api_key,
            Method::GET,
            &format!("/api/v1/activities/{call}"),
            None,
        )
        .await;
    assert_eq!(reply.body["data"]["status"], "completed", "{}", reply.text);
    assert!(reply.body["data"]["completed_at"].is_string());
    assert_eq!(reply.body["data"]["overdue"], false);
    assert_eq!(
        listed(&v, "status=completed").await,
        std::slice::from_ref(&call)
    );
    assert_eq!(listed(&v, "status=pending").await, [later]);
    let page = v.get("/painel/atividades?status=completed").await;
    assert!(page.body.contains("Concluída"));
    assert!(
        !page.body.contains(&format!("id=\"concluir-{call}\"")),
        "done once"
    );
}

async fn a_bad_activity_shows_the_rule_and_writes_nothing(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let bad = v
        .post(
            "/painel/atividades",
            &[
                ("csrf", &csrf),
                ("title", "  "),
                ("type", "visita técnica"),
                ("due_date", "amanhã"),
                ("vehicle_id", "0192f0c2-7a3b-7cde-8f00-00000000abcd"),
                ("description", "manter"),
            ],
        )
        .await;
    bad.assert_html(422);
    for message in [
        "<p class=\"field-error\" data-field=\"title\">Título é obrigatório",
        "<p class=\"field-error\" data-field=\"type\">Tipo deve ser um identificador simples",
        "<p class=\"field-error\" data-field=\"due_date\">Vence em deve ser uma data e hora como 10/12/2026 14:00",
        "<li>Título é obrigatório</li>",
    ] {
        assert!(
            bad.body.contains(message),
            "{message} missing:\n{}",
            bad.body
        );
    }
    assert!(
        bad.body.contains(">manter</textarea>"),
        "the form keeps what was typed"
    );
    // A vehicle that is not the account's.
    let ghost = v
        .post(
            "/painel/atividades",
            &[
                ("csrf", &csrf),
                ("title", "Vistoria"),
                ("vehicle_id", "0192f0c2-7a3b-7cde-8f00-00000000abcd"),
            ],
        )
        .await;
    ghost.assert_html(422);
    assert!(ghost
        .body
        .contains("Veículo referencia um registro inexistente"));
    assert!(api_activities(&app, &t.api_key).await.is_empty());
}

async fn activity_forms_need_the_session_token(app: TestApp) {
    let t = app.tenant().await;
    let id = activity_via_api(&app, &t, json!({"title": "Retornar ligação"})).await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    v.post("/painel/atividades", &[("title", "Sem token")])
        .await
        .assert_html(403);
    v.post(&format!("/painel/atividades/{id}/concluir"), &[])
        .await
        .assert_html(403);
    v.post(
        &format!("/painel/atividades/{id}/concluir"),
        &[("csrf", "errado")],
    )
    .await
    .assert_html(403);
    let all = api_activities(&app, &t.api_key).await;
    assert_eq!(all.len(), 1);
    assert_eq!(all[0]["status"], "pending");
}

async fn another_accounts_activity_is_not_found(app: TestApp) {
    let mine = app.tenant().await;
    let theirs = app.tenant().await;
    let their = activity_via_api(&app, &theirs, json!({"title": "Deles"})).await;
    let v = Visitor::signed_in(&app, &mine.email, &mine.password).await;
    let csrf = v.session_csrf().await;
    for path in [
        format!("/painel/atividades/{their}/concluir"),
        "/painel/atividades/nao-e-um-id/concluir".to_owned(),
    ] {
        let page = v.post(&path, &[("csrf", &csrf)]).await;
        page.assert_html(404);
        assert!(page.body.contains("Página não encontrada"));
    }
    assert_eq!(
        api_activities(&app, &theirs.api_key).await[0]["status"],
        "pending"
    );
    assert!(!v.get("/painel/atividades").await.body.contains("Deles"));
}

async fn due_times_are_the_accounts_local_time(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let create = |due: &'static str, title: &'static str| {
        let csrf = csrf.clone();
        let v = &v;
        async move {
            let page = v
                .post(
                    "/painel/atividades",
                    &[("csrf", &csrf), ("title", title), ("due_date", due)],
                )
                .await;
            assert_eq!(page.status, 303, "{}", page.body);
        }
    };
    let due_of = |all: &[Value], title: &str| {
        all.iter()
            .find(|a| a["title"] == title)
            .unwrap_or_else(|| panic!("{title}"))["due_date"]
            .clone()
    };
    // Typed the Brazilian way, 14:00 in São Paulo is stored as 17:00Z.
    create("10/12/2026 14:00", "Entregar o Civic").await;
    let all = api_activities(&app, &t.api_key).await;
    assert_eq!(due_of(&all, "Entregar o Civic"), "2026-12-10T17:00:00Z");
    let list = v.get("/painel/atividades").await;
    assert!(list.body.contains("10/12/2026 14:00"), "{}", list.body);
    assert!(list.body.contains("America/Sao_Paulo"));

    // 23:00 on the 10th in São Paulo is already the 11th in UTC: the day
    // filter is the local day, so it is listed with the 10th's.
    let late = activity_via_api(
        &app,
        &t,
        json!({"title": "Ligar tarde", "due_date": "2026-12-11T02:00:00Z"}),
    )
    .await;
    let civic = all[0]["id"].as_str().expect("id").to_owned();
    let mut tenth = vec![civic.clone(), late.clone()];
    tenth.sort();
    assert_eq!(
        listed(&v, "due_from=2026-12-10&due_to=2026-12-10").await,
        tenth
    );
    assert!(listed(&v, "due_from=2026-12-11").await.is_empty());

    // Another zone: the same instants are shown and read in it.
    let saved = v
        .post(
            "/painel/configuracoes/conta",
            &[("csrf", &csrf), ("time_zone", "America/Manaus")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let list = v.get("/painel/atividades").await;
    assert!(list.body.contains("10/12/2026 13:00"), "{}", list.body);
    assert!(list.body.contains("10/12/2026 22:00"));
    create("2026-12-10T14:00", "Em Manaus").await;
    let all = api_activities(&app, &t.api_key).await;
    assert_eq!(due_of(&all, "Em Manaus"), "2026-12-10T18:00:00Z");
    assert_eq!(
        due_of(&all, "Entregar o Civic"),
        "2026-12-10T17:00:00Z",
        "stored instants never move"
    );
}
