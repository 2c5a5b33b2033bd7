//! `/activities` (§4.4): CRUD with links, completion, hard delete, list
//! filters, bad input, tenant isolation.

use vitrine_testkit::{both_backends, json, Method, TestApp, Value};

use crate::fixtures::{assert_error, assert_timestamp, civic, civic_deal, create, joao, user_id};

async fn activity_lifecycle_and_hard_delete(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let client = create(&app, key, "/api/v1/clients", &joao()).await;
    let vehicle = create(&app, key, "/api/v1/vehicles", &civic(&t.store_id, &client)).await;
    let deal = create(&app, key, "/api/v1/deals", &civic_deal(&client)).await;
    let seller = user_id(&app, &t).await;
    let body = json!({
        "title": "Test drive do Civic",
        "type": "test_drive",
        "description": "Levar o cliente para a rodovia",
        "due_date": "2026-02-10T14:00:00-03:00",
        "client_id": client,
        "vehicle_id": vehicle,
        "deal_id": deal,
        "store_id": t.store_id,
        "responsible_id": seller
    });
    let reply = app
        .auto(key, Method::POST, "/api/v1/activities", Some(&body))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let d = reply.body["data"].clone();
    let id = d["id"].as_str().expect("id").to_owned();
    assert_eq!(d["title"], "Test drive do Civic");
    assert_eq!(d["type"], "test_drive");
    assert_eq!(d["due_date"], "2026-02-10T17:00:00Z", "stored in UTC");
    assert_eq!(d["status"], "pending");
    assert_eq!(d["overdue"], true, "2026-02-10 is past");
    assert_eq!(d["completed_at"], Value::Null);
    assert_eq!(
        (
            d["client_id"].clone(),
            d["vehicle_id"].clone(),
            d["deal_id"].clone()
        ),
        (json!(client), json!(vehicle), json!(deal))
    );
    assert_eq!(d["store_id"], t.store_id.as_str());
    assert_eq!(
        d["responsible_id"],
        seller.as_str(),
        "a user of the account"
    );
    assert_timestamp(&d["created_at"], "created_at");
    let path = format!("/api/v1/activities/{id}");
    let got = app.auto(key, Method::GET, &path, None).await;
    assert_eq!(got.body["data"], d);

    // Defaults: a bare title is a pending `tarefa` with nothing linked.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/v1/activities",
            Some(&json!({"title": "Ligar"})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["data"]["type"], "tarefa");
    assert_eq!(reply.body["data"]["due_date"], Value::Null);
    assert_eq!(reply.body["data"]["overdue"], false);

    // Complete (the issue's `done` is accepted), then reopen; partial.
    let reply = app
        .auto(key, Method::PUT, &path, Some(&json!({"status": "done"})))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["status"], "completed");
    assert_eq!(reply.body["data"]["overdue"], false);
    assert_timestamp(&reply.body["data"]["completed_at"], "completed_at");
    assert_eq!(
        reply.body["data"]["title"], "Test drive do Civic",
        "untouched"
    );
    let reply = app
        .auto(
            key,
            Method::PATCH,
            &path,
            Some(&json!({"status": "pending", "deal_id": null, "description": null})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["completed_at"], Value::Null);
    assert_eq!(reply.body["data"]["deal_id"], Value::Null);
    assert_eq!(reply.body["data"]["description"], Value::Null);
    assert_eq!(reply.body["data"]["vehicle_id"], vehicle.as_str());

    // Hard delete: the documented answer, then 404.
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
    let put = app
        .auto(key, Method::PUT, &path, Some(&json!({"title": "x"})))
        .await;
    assert_error(&put, 404, "NOT_FOUND", None, None, "update deleted");
}

async fn activity_list_filters(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let client = create(&app, key, "/api/v1/clients", &joao()).await;
    let deal = create(&app, key, "/api/v1/deals", &civic_deal(&client)).await;
    let now = chrono::Utc::now();
    let at = |days: i64| (now + chrono::Duration::days(days)).to_rfc3339();
    let mk = |title: &str, extra: Value| {
        let mut b = json!({"title": title});
        if let (Some(o), Some(e)) = (b.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        b
    };
    let late = create(
        &app,
        key,
        "/api/v1/activities",
        &mk(
            "Atrasada",
            json!({"due_date": at(-2), "type": "ligacao", "client_id": client}),
        ),
    )
    .await;
    let soon = create(
        &app,
        key,
        "/api/v1/activities",
        &mk(
            "Amanhã",
            json!({"due_date": at(1), "type": "visita", "deal_id": deal}),
        ),
    )
    .await;
    let done = create(
        &app,
        key,
        "/api/v1/activities",
        &mk(
            "Feita",
            json!({"due_date": at(-3), "status": "completed", "type": "ligacao"}),
        ),
    )
    .await;
    let undated = create(
        &app,
        key,
        "/api/v1/activities",
        &mk("Sem prazo", json!({"status": "cancelled"})),
    )
    .await;
    let ids = |body: &Value| -> Vec<String> {
        body["data"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|x| x["id"].as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let list = |q: &str| {
        let path = format!("/api/v1/activities{q}");
        let app = &app;
        async move {
            let reply = app.auto(key, Method::GET, &path, None).await;
            assert_eq!(reply.status, 200, "{path}: {}", reply.text);
            reply.body
        }
    };
    // Default sort: due date ascending, undated last.
    let all = list("").await;
    assert_eq!(
        ids(&all),
        vec![done.clone(), late.clone(), soon.clone(), undated.clone()]
    );
    assert_eq!(
        all["pagination"],
        json!({"page": 1, "limit": 20, "total": 4, "pages": 1})
    );
    assert_eq!(ids(&list("?overdue=true").await), vec![late.clone()]);
    assert_eq!(
        ids(&list("?type=ligacao").await),
        vec![done.clone(), late.clone()]
    );
    assert_eq!(
        ids(&list("?status=pending&sort=-due_date").await),
        vec![soon.clone(), late.clone()]
    );
    assert_eq!(ids(&list("?status=cancelled").await), vec![undated.clone()]);
    assert_eq!(
        ids(&list(&format!("?client_id={client}")).await),
        vec![late.clone()]
    );
    assert_eq!(
        ids(&list(&format!("?deal_id={deal}")).await),
        vec![soon.clone()]
    );
    assert_eq!(
        ids(&list("?deal_id=nao-e-um-id").await),
        Vec::<String>::new()
    );
    let today = now.date_naive().format("%Y-%m-%d").to_string();
    let tomorrow = (now + chrono::Duration::days(1))
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    assert_eq!(
        ids(&list(&format!("?due_from={today}&due_to={tomorrow}")).await),
        vec![soon.clone()]
    );
    assert_eq!(
        ids(&list(&format!("?due_to={today}")).await),
        vec![done.clone(), late.clone()]
    );
    assert_eq!(ids(&list("?search=atrasada").await), vec![late.clone()]);
    for (q, field, kind) in [
        ("?overdue=talvez", "overdue", "enum"),
        ("?status=feito", "status", "enum"),
        ("?due_from=ontem", "due_from", "invalid"),
        ("?sort=prioridade", "sort", "invalid"),
    ] {
        let reply = app
            .auto(key, Method::GET, &format!("/api/v1/activities{q}"), None)
            .await;
        assert_error(&reply, 400, "VALIDATION_ERROR", Some(field), None, q);
        let _ = kind;
    }
}

async fn activity_bad_input_changes_nothing(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let unknown = "0192f0c2-7a3b-7cde-8f00-00000000abcd";
    for (body, status, field, kind, why) in [
        (json!({}), 400, "title", "required", "no title"),
        (
            json!({"title": "  "}),
            400,
            "title",
            "required",
            "blank title",
        ),
        (
            json!({"title": "x", "status": "feito"}),
            400,
            "status",
            "enum",
            "unknown status",
        ),
        (
            json!({"title": "x", "type": "visita técnica"}),
            400,
            "type",
            "invalid",
            "type not a slug",
        ),
        (
            json!({"title": "x", "due_date": "amanhã"}),
            400,
            "due_date",
            "invalid",
            "bad due date",
        ),
        (
            json!({"title": "x", "due_date": 20260210}),
            400,
            "due_date",
            "invalid",
            "number due date",
        ),
        (
            json!({"title": "x", "client_id": unknown}),
            422,
            "client_id",
            "not_found",
            "unknown client",
        ),
        (
            json!({"title": "x", "deal_id": "uuid-do-negocio"}),
            422,
            "deal_id",
            "not_found",
            "placeholder deal",
        ),
        (
            json!({"title": "x", "vehicle_id": unknown}),
            422,
            "vehicle_id",
            "not_found",
            "unknown vehicle",
        ),
    ] {
        let reply = app
            .auto(key, Method::POST, "/api/v1/activities", Some(&body))
            .await;
        assert_error(
            &reply,
            status,
            "VALIDATION_ERROR",
            Some(field),
            Some(kind),
            why,
        );
    }
    // Every problem at once.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/activities",
            Some(&json!({"status": "x", "due_date": "y"})),
        )
        .await;
    assert_eq!(
        reply.body["error"]["details"]["errors"]
            .as_array()
            .map(Vec::len),
        Some(3),
        "{}",
        reply.text
    );
    let auth = format!("Bearer {key}");
    let malformed = app
        .raw(
            Method::POST,
            "/api/v1/activities",
            &[
                ("authorization", auth.as_str()),
                ("content-type", "application/json"),
            ],
            b"{\"title\": ".to_vec(),
        )
        .await;
    assert_error(
        &malformed,
        400,
        "VALIDATION_ERROR",
        None,
        None,
        "malformed JSON",
    );
    let list = app.auto(key, Method::GET, "/api/v1/activities", None).await;
    assert_eq!(list.body["pagination"]["total"], 0, "nothing created");
    // An update with a bad body changes nothing.
    let id = create(
        &app,
        key,
        "/api/v1/activities",
        &json!({"title": "Original"}),
    )
    .await;
    let path = format!("/api/v1/activities/{id}");
    let before = app.auto(key, Method::GET, &path, None).await.body;
    let reply = app
        .auto(
            key,
            Method::PUT,
            &path,
            Some(&json!({"title": null, "status": "x"})),
        )
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("title"),
        Some("required"),
        "null title",
    );
    assert_eq!(app.auto(key, Method::GET, &path, None).await.body, before);
}

async fn activities_of_another_account_are_not_found(app: TestApp) {
    let a = app.tenant().await;
    let b = app.tenant().await;
    let client = create(&app, &a.api_key, "/api/v1/clients", &joao()).await;
    let id = create(
        &app,
        &a.api_key,
        "/api/v1/activities",
        &json!({"title": "Minha", "client_id": client}),
    )
    .await;
    let path = format!("/api/v1/activities/{id}");
    let before = app.auto(&a.api_key, Method::GET, &path, None).await.body;
    for (method, body) in [
        (Method::GET, None),
        (Method::PUT, Some(json!({"title": "Hackeada"}))),
        (Method::PATCH, Some(json!({"status": "cancelled"}))),
        (Method::DELETE, None),
    ] {
        let reply = app
            .auto(&b.api_key, method.clone(), &path, body.as_ref())
            .await;
        assert_error(&reply, 404, "NOT_FOUND", None, None, &format!("{method}"));
    }
    let list = app
        .auto(&b.api_key, Method::GET, "/api/v1/activities", None)
        .await;
    assert_eq!(list.body["data"], json!([]));
    // B cannot link A's client.
    let reply = app
        .auto(
            &b.api_key,
            Method::POST,
            "/api/v1/activities",
            Some(&json!({"title": "x", "client_id": client})),
        )
        .await;
    assert_error(
        &reply,
        422,
        "VALIDATION_ERROR",
        Some("client_id"),
        Some("not_found"),
        "foreign client",
    );
    assert_eq!(
        app.auto(&a.api_key, Method::GET, &path, None).await.body,
        before
    );
}

both_backends!(
    activity_lifecycle_and_hard_delete,
    activity_list_filters,
    activity_bad_input_changes_nothing,
    activities_of_another_account_are_not_found,
);
