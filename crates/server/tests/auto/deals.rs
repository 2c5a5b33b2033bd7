//! `/deals` (§4.3): pipeline moves, closing won/lost, reopening, archive,
//! references, list filters.

use vitrine_testkit::{both_backends, json, Method, TestApp, Value};

use crate::fixtures::{assert_error, assert_timestamp, civic, civic_deal, counts, create, joao};

async fn deal_pipeline_moves_and_closes(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let client = create(&app, key, "/api/v1/clients", &joao()).await;
    let vehicle = create(&app, key, "/api/v1/vehicles", &civic(&t.store_id, &client)).await;
    let mut body = civic_deal(&client);
    body["vehicle_id"] = json!(vehicle);
    body["store_id"] = json!(t.store_id);
    body["expected_close_date"] = json!("2026-03-01");
    body["description"] = json!("Cliente quer trocar o carro atual");
    let reply = app
        .auto(key, Method::POST, "/api/v1/deals", Some(&body))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let d = &reply.body["data"];
    let id = d["id"].as_str().expect("id").to_owned();
    assert_eq!(
        d["vehicle"],
        json!({"id": vehicle, "title": "Honda Civic EXL 2.0 2024"})
    );
    assert_eq!(d["client"], json!({"id": client, "name": "João da Silva"}));
    assert_eq!(d["expected_close_date"], "2026-03-01");
    assert_eq!(d["store_id"], t.store_id);
    let path = format!("/api/v1/deals/{id}");

    // Move: PUT /deals/:id with a phase, and the OLD PUT /deals/:id/phase.
    let reply = app
        .auto(key, Method::PUT, &path, Some(&json!({"phase": "visita"})))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["phase"], "visita");
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/v1/deals/{id}/phase"),
            Some(&json!({"phase": "test_drive", "title": "ignored"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["phase"], "test_drive");
    assert_eq!(
        reply.body["data"]["title"],
        "Venda Honda Civic 2024 — João da Silva"
    );
    for (bad, kind) in [
        (json!({}), "required"),
        (json!({"phase": ""}), "required"),
        (json!({"phase": null}), "required"),
        (json!({"phase": "x".repeat(101)}), "max"),
        (json!({"phase": "a\u{7}b"}), "invalid"),
    ] {
        let reply = app
            .auto(
                key,
                Method::PUT,
                &format!("/api/v1/deals/{id}/phase"),
                Some(&bad),
            )
            .await;
        assert_error(
            &reply,
            400,
            "VALIDATION_ERROR",
            Some("phase"),
            Some(kind),
            &bad.to_string(),
        );
    }
    let get = app.auto(key, Method::GET, &path, None).await;
    assert_eq!(
        get.body["data"]["phase"], "test_drive",
        "refused moves changed nothing"
    );

    // Close as won with the final value; reopen; lose; archive.
    let reply = app
        .auto(
            key,
            Method::PUT,
            &path,
            Some(&json!({"status": "ganho", "value": 139000})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["value"], json!(139000.00));
    assert_timestamp(&reply.body["data"]["won_at"], "won_at");
    let reply = app
        .auto(key, Method::PATCH, &path, Some(&json!({"status": "ativo"})))
        .await;
    assert_eq!(
        reply.body["data"]["won_at"],
        Value::Null,
        "reopening clears won_at"
    );
    let reply = app
        .auto(key, Method::PUT, &path, Some(&json!({"status": "perdido"})))
        .await;
    assert_eq!(reply.status, 200, "loss_reason is optional: {}", reply.text);
    assert_timestamp(&reply.body["data"]["lost_at"], "lost_at");
    assert_eq!(reply.body["data"]["loss_reason"], Value::Null);
    let reply = app
        .auto(key, Method::PUT, &path, Some(&json!({"status": "fechado"})))
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("status"),
        Some("enum"),
        "unknown status",
    );
    let reply = app.auto(key, Method::DELETE, &path, None).await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.body["data"]["status"], "arquivado");
    assert_timestamp(&reply.body["data"]["lost_at"], "archiving keeps lost_at");
    let list = app.auto(key, Method::GET, "/api/v1/deals", None).await;
    assert_eq!(
        list.body["pagination"]["total"], 0,
        "archived deals are hidden"
    );
    let list = app
        .auto(key, Method::GET, "/api/v1/deals?status=arquivado", None)
        .await;
    assert_eq!(list.body["data"][0]["id"], id);

    // References are checked on update too, and nothing changes on refusal.
    let before = counts(&app, &t.account_id).await;
    let reply = app
        .auto(
            key,
            Method::PUT,
            &path,
            Some(&json!({"vehicle_id": "0192f0c2-7a3b-7cde-8f00-00000000abcd", "title": "Novo"})),
        )
        .await;
    assert_error(
        &reply,
        422,
        "VALIDATION_ERROR",
        Some("vehicle_id"),
        Some("not_found"),
        "unknown vehicle",
    );
    let get = app.auto(key, Method::GET, &path, None).await;
    assert_eq!(
        get.body["data"]["title"],
        "Venda Honda Civic 2024 — João da Silva"
    );
    assert_eq!(get.body["data"]["vehicle_id"], vehicle);
    assert_eq!(counts(&app, &t.account_id).await, before);
    // Clearing a reference with null is allowed.
    let reply = app
        .auto(key, Method::PUT, &path, Some(&json!({"vehicle_id": null})))
        .await;
    assert_eq!(reply.body["data"]["vehicle"], Value::Null);
}

async fn deal_list_filters(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let client = create(&app, key, "/api/v1/clients", &joao()).await;
    let vehicle = create(&app, key, "/api/v1/vehicles", &civic(&t.store_id, &client)).await;
    let a = create(&app, key, "/api/v1/deals", &civic_deal(&client)).await;
    let b = create(&app, key, "/api/v1/deals", &json!({"title": "Troca Corolla", "phase": "proposta", "value": 90000, "vehicle_id": vehicle, "status": "ganho", "source": "site"})).await;
    let c = create(
        &app,
        key,
        "/api/v1/deals",
        &json!({"title": "Financiamento Uno"}),
    )
    .await;
    let today = chrono::Utc::now().date_naive();
    let ids = |r: &vitrine_testkit::Reply| -> Vec<String> {
        assert_eq!(r.status, 200, "{}", r.text);
        r.body["data"]
            .as_array()
            .expect("list")
            .iter()
            .map(|d| d["id"].as_str().expect("id").to_owned())
            .collect()
    };
    let get = |q: String| {
        let app = &app;
        async move {
            app.auto(key, Method::GET, &format!("/api/v1/deals{q}"), None)
                .await
        }
    };
    assert_eq!(
        ids(&get(String::new()).await),
        [c.clone(), b.clone(), a.clone()]
    );
    assert_eq!(ids(&get("?phase=proposta".into()).await), [b.as_str()]);
    assert_eq!(ids(&get("?status=ganho".into()).await), [b.as_str()]);
    assert_eq!(
        ids(&get("?status=ativo".into()).await),
        [c.clone(), a.clone()]
    );
    assert_eq!(
        ids(&get(format!("?client_id={client}")).await),
        [a.as_str()]
    );
    assert_eq!(
        ids(&get(format!("?vehicle_id={vehicle}")).await),
        [b.as_str()]
    );
    assert_eq!(ids(&get("?source=SITE".into()).await), [b.as_str()]);
    assert_eq!(ids(&get("?min_value=100000".into()).await), [a.as_str()]);
    assert_eq!(ids(&get("?search=corolla".into()).await), [b.as_str()]);
    assert_eq!(
        ids(&get("?sort=value".into()).await),
        [b.clone(), a.clone(), c.clone()]
    );
    assert_eq!(
        ids(&get(format!("?from={today}&to={today}")).await).len(),
        3
    );
    let tomorrow = today.succ_opt().expect("tomorrow");
    assert_eq!(ids(&get(format!("?from={tomorrow}")).await).len(), 0);
    let yesterday = today.pred_opt().expect("yesterday");
    assert_eq!(ids(&get(format!("?to={yesterday}")).await).len(), 0);
    let reply = get("?from=04/02/2026".into()).await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("from"),
        Some("invalid"),
        "bad date",
    );
    let reply = get("?status=fechado".into()).await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("status"),
        Some("enum"),
        "bad status filter",
    );
}

both_backends!(deal_pipeline_moves_and_closes, deal_list_filters);
