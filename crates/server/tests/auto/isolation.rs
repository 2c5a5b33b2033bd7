//! Tenant isolation: another account's key on this account's ids answers
//! 404 on every route and changes nothing; its lists are empty; its
//! bodies cannot reference this account's records.

use vitrine_testkit::{both_backends, json, Method, TestApp};

use crate::fixtures::{assert_error, civic, civic_deal, counts, create, joao};

async fn foreign_ids_are_not_found_and_untouched(app: TestApp) {
    let a = app.tenant().await;
    let b = app.tenant().await;
    let client = create(&app, &a.api_key, "/api/v1/clients", &joao()).await;
    let vehicle = create(
        &app,
        &a.api_key,
        "/api/v1/vehicles",
        &civic(&a.store_id, &client),
    )
    .await;
    let deal = create(&app, &a.api_key, "/api/v1/deals", &civic_deal(&client)).await;
    let snapshot = |path: String| {
        let app = &app;
        let key = a.api_key.clone();
        async move { app.auto(&key, Method::GET, &path, None).await.body }
    };
    let paths = [
        format!("/api/v1/clients/{client}"),
        format!("/api/v1/vehicles/{vehicle}"),
        format!("/api/v1/deals/{deal}"),
    ];
    let mut before = Vec::new();
    for p in &paths {
        before.push(snapshot(p.clone()).await);
    }
    let counts_before = counts(&app, &a.account_id).await;

    let patch =
        json!({"title": "Hackeado", "name": "Hackeado", "status": "ganho", "phase": "visita"});
    let calls = [
        (Method::GET, format!("/clients/{client}"), None),
        (
            Method::PUT,
            format!("/clients/{client}"),
            Some(patch.clone()),
        ),
        (
            Method::PATCH,
            format!("/clients/{client}"),
            Some(patch.clone()),
        ),
        (Method::DELETE, format!("/clients/{client}"), None),
        (Method::GET, format!("/clients/{client}/vehicles"), None),
        (Method::GET, format!("/vehicles/{vehicle}"), None),
        (
            Method::PUT,
            format!("/vehicles/{vehicle}"),
            Some(patch.clone()),
        ),
        (
            Method::PATCH,
            format!("/vehicles/{vehicle}"),
            Some(patch.clone()),
        ),
        (Method::DELETE, format!("/vehicles/{vehicle}"), None),
        (Method::GET, format!("/deals/{deal}"), None),
        (Method::PUT, format!("/deals/{deal}"), Some(patch.clone())),
        (Method::PATCH, format!("/deals/{deal}"), Some(patch.clone())),
        (
            Method::PUT,
            format!("/deals/{deal}/phase"),
            Some(json!({"phase": "visita"})),
        ),
        (Method::DELETE, format!("/deals/{deal}"), None),
    ];
    for prefix in ["/api/v1", "/v1"] {
        for (method, path, body) in &calls {
            let full = format!("{prefix}{path}");
            let reply = app
                .auto(&b.api_key, method.clone(), &full, body.as_ref())
                .await;
            assert_error(
                &reply,
                404,
                "NOT_FOUND",
                None,
                None,
                &format!("{method} {full}"),
            );
            assert!(reply.body["error"].get("details").is_none());
        }
    }
    // Even with a malformed body, the foreign id answers first.
    let auth = format!("Bearer {}", b.api_key);
    for path in [
        format!("/api/v1/clients/{client}"),
        format!("/api/v1/vehicles/{vehicle}"),
        format!("/api/v1/deals/{deal}"),
        format!("/api/v1/deals/{deal}/phase"),
    ] {
        let reply = app
            .raw(
                Method::PUT,
                &path,
                &[("authorization", &auth)],
                b"{not json".to_vec(),
            )
            .await;
        assert_error(
            &reply,
            404,
            "NOT_FOUND",
            None,
            None,
            &format!("malformed PUT {path}"),
        );
    }
    // B's lists are empty, whatever the filters.
    for path in [
        "/api/v1/clients".to_owned(),
        "/api/v1/vehicles".to_owned(),
        "/api/v1/deals".to_owned(),
        format!("/api/v1/vehicles?client_id={client}"),
        format!("/api/v1/deals?client_id={client}"),
        format!("/api/v1/clients?store_id={}", a.store_id),
        "/api/v1/clients?search=joao".to_owned(),
    ] {
        let reply = app.auto(&b.api_key, Method::GET, &path, None).await;
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.body["data"], json!([]), "{path}");
        assert_eq!(reply.body["pagination"]["total"], 0, "{path}");
    }
    // B cannot point at A's records (Decision 1: answered as unknown).
    let reply = app
        .auto(
            &b.api_key,
            Method::POST,
            "/api/v1/vehicles",
            Some(&civic(&a.store_id, &client)),
        )
        .await;
    assert_error(
        &reply,
        422,
        "VALIDATION_ERROR",
        Some("store_id"),
        Some("not_found"),
        "A's store",
    );
    let mut deal_body = civic_deal(&client);
    deal_body["vehicle_id"] = json!(vehicle);
    let reply = app
        .auto(&b.api_key, Method::POST, "/api/v1/deals", Some(&deal_body))
        .await;
    assert_error(
        &reply,
        422,
        "VALIDATION_ERROR",
        Some("client_id"),
        Some("not_found"),
        "A's client",
    );
    assert_eq!(
        reply.body["error"]["details"]["errors"][1]["field"],
        "vehicle_id"
    );
    let reply = app
        .auto(
            &b.api_key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PF", "name": "X", "store_id": a.store_id})),
        )
        .await;
    assert_error(
        &reply,
        422,
        "VALIDATION_ERROR",
        Some("store_id"),
        Some("not_found"),
        "A's store on a client",
    );
    assert_eq!(
        counts(&app, &b.account_id).await,
        (0, 0, 0),
        "B wrote nothing"
    );

    // A's records are exactly as they were.
    for (p, was) in paths.iter().zip(&before) {
        assert_eq!(&snapshot(p.clone()).await, was, "{p} unchanged");
    }
    assert_eq!(counts(&app, &a.account_id).await, counts_before);
}

both_backends!(foreign_ids_are_not_found_and_untouched);
