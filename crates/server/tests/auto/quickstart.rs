//! The quickstart (seed 000) and the spec's §8 checklist, as amended by the
//! Decisions block: every documented request replayed, every documented
//! field compared by name, JSON type and value, state read back.

use vitrine_core::ids::{ClientId, DealId, VehicleId};
use vitrine_testkit::{both_backends, json, Method, TestApp, Value};

use crate::fixtures::{assert_error, assert_timestamp, civic, civic_deal, counts, create, joao};

/// Every key of `expected` is in `actual` with the same JSON value (and so
/// the same JSON type); `actual` may have more (the superset of G5).
fn assert_superset(actual: &Value, expected: &Value, why: &str) {
    let expected = expected.as_object().expect("expected is an object");
    for (k, v) in expected {
        assert_eq!(&actual[k], v, "{why}: field {k} in {actual}");
    }
}

async fn quickstart_replays_verbatim(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;

    // 1. Create the PF client.
    let reply = app
        .auto(key, Method::POST, "/api/v1/clients", Some(&joao()))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["success"], true);
    let client = &reply.body["data"];
    let client_id = client["id"].as_str().expect("id").to_owned();
    assert!(client_id.parse::<ClientId>().is_ok(), "a UUID: {client_id}");
    assert_superset(
        client,
        &json!({
            "type": "PF", "name": "João da Silva", "email": "joao.silva@email.com",
            "cpf": "123.456.789-00", "phone": "+55 11 99999-8888", "segment": "premium",
            "status": "active"
        }),
        "client create",
    );
    assert_timestamp(&client["created_at"], "client created_at");
    let stored = app
        .store
        .conn()
        .await
        .expect("conn")
        .clients()
        .get(
            t.account_id.parse().expect("account"),
            client_id.parse().expect("id"),
        )
        .await
        .expect("client stored");
    assert_eq!(stored.client.name, "João da Silva");
    assert_eq!(stored.client.cpf.as_deref(), Some("123.456.789-00"));

    // 2. Register the Civic (placeholders replaced by real ids).
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/vehicles",
            Some(&civic(&t.store_id, &client_id)),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let vehicle = &reply.body["data"];
    let vehicle_id = vehicle["id"].as_str().expect("id").to_owned();
    assert!(vehicle_id.parse::<VehicleId>().is_ok());
    assert_superset(
        vehicle,
        &json!({
            "title": "Honda Civic EXL 2.0 2024", "brand": "Honda", "model": "Civic",
            "version": "EXL 2.0 Flex", "year_model": 2024, "year_manufacture": 2023,
            "price": 142900.00, "purchase_price": 125000.00, "mileage": 18500,
            "color": "Preto", "fuel": "flex", "transmission": "automatico", "plate": "ABC1D23",
            "phase": "entrada", "status": "ativo", "store_id": t.store_id, "client_id": client_id,
            "client": {"id": client_id, "name": "João da Silva"}
        }),
        "vehicle create",
    );
    assert!(
        reply.text.contains(r#""price":142900.00"#),
        "money literal: {}",
        reply.text
    );
    assert!(
        reply.text.contains(r#""purchase_price":125000.00"#),
        "{}",
        reply.text
    );
    assert_timestamp(&vehicle["created_at"], "vehicle created_at");

    // 3. Create the deal.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/deals",
            Some(&civic_deal(&client_id)),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let deal = &reply.body["data"];
    let deal_id = deal["id"].as_str().expect("id").to_owned();
    assert!(deal_id.parse::<DealId>().is_ok());
    assert_superset(
        deal,
        &json!({
            "title": "Venda Honda Civic 2024 — João da Silva", "value": 142900.00,
            "phase": "lead", "probability": 40, "status": "ativo", "client_id": client_id,
            "source": "showroom", "tags": ["civic", "premium"], "won_at": null, "lost_at": null
        }),
        "deal create",
    );
    assert!(
        reply.text.contains(r#""value":142900.00"#),
        "{}",
        reply.text
    );
    assert!(reply.text.contains("2024 — João"), "em dash intact");
    assert_timestamp(&deal["created_at"], "deal created_at");

    // 4. List the vehicles with status=ativo.
    let reply = app
        .auto(key, Method::GET, "/api/v1/vehicles?status=ativo", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["success"], true);
    let items = reply.body["data"].as_array().expect("a list");
    assert_eq!(items.len(), 1);
    assert_superset(
        &items[0],
        &json!({
            "id": vehicle_id, "title": "Honda Civic EXL 2.0 2024", "brand": "Honda",
            "model": "Civic", "year_model": 2024, "price": 142900.00, "mileage": 18500,
            "color": "Preto", "status": "ativo", "phase": "entrada",
            "client": {"id": client_id, "name": "João da Silva"}
        }),
        "vehicle list item",
    );
    assert_eq!(
        reply.body["pagination"],
        json!({"page": 1, "limit": 20, "total": 1, "pages": 1})
    );

    // 5. markDealWon, then markDealLost (the JS client's bodies).
    let won = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/deals/{deal_id}"),
            Some(&json!({"status": "ganho", "value": 140000.00})),
        )
        .await;
    assert_eq!(won.status, 200, "{}", won.text);
    assert_eq!(won.body["data"]["status"], "ganho");
    assert_eq!(won.body["data"]["value"], json!(140000.00));
    assert!(won.text.contains(r#""value":140000.00"#));
    assert_timestamp(&won.body["data"]["won_at"], "won_at");
    assert_eq!(won.body["data"]["phase"], "lead", "closing keeps the phase");
    assert_eq!(
        won.body["data"]["probability"], 40,
        "closing keeps the probability"
    );
    let lost = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/deals/{deal_id}"),
            Some(&json!({"status": "perdido", "loss_reason": "Cliente desistiu"})),
        )
        .await;
    assert_eq!(lost.status, 200, "{}", lost.text);
    assert_eq!(lost.body["data"]["status"], "perdido");
    assert_eq!(lost.body["data"]["loss_reason"], "Cliente desistiu");
    assert_eq!(
        lost.body["data"]["value"],
        json!(140000.00),
        "value untouched"
    );
    assert_timestamp(&lost.body["data"]["lost_at"], "lost_at");
    assert_eq!(lost.body["data"]["won_at"], Value::Null);
    let stored = app
        .store
        .conn()
        .await
        .expect("conn")
        .deals()
        .get(
            t.account_id.parse().expect("account"),
            deal_id.parse().expect("id"),
        )
        .await
        .expect("deal stored");
    assert_eq!(stored.deal.status.as_str(), "perdido");
    assert_eq!(stored.deal.value.map(|v| v.cents()), Some(14_000_000));

    // 6. A partial vehicle update keeps the untouched fields.
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/vehicles/{vehicle_id}"),
            Some(&json!({"price": 139900.00, "phase": "anunciado"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_superset(
        &reply.body["data"],
        &json!({"price": 139900.00, "phase": "anunciado", "title": "Honda Civic EXL 2.0 2024",
                "purchase_price": 125000.00, "mileage": 18500, "plate": "ABC1D23",
                "year_manufacture": 2023, "client_id": client_id}),
        "partial update",
    );
    let get = app
        .auto(
            key,
            Method::GET,
            &format!("/api/v1/vehicles/{vehicle_id}"),
            None,
        )
        .await;
    assert_eq!(get.body["data"]["price"], json!(139900.00));
    assert_eq!(get.body["data"]["color"], "Preto");

    // 7. Maria and the Corolla (no phone or segment; mileage 0).
    let maria = json!({"type": "PF", "name": "Maria Santos", "email": "maria@email.com", "cpf": "987.654.321-00"});
    let maria_id = create(&app, key, "/api/v1/clients", &maria).await;
    let corolla = json!({
        "title": "Toyota Corolla XEi 2.0 2025", "brand": "Toyota", "model": "Corolla",
        "version": "XEi 2.0 Flex", "year_model": 2025, "price": 165000.00, "mileage": 0,
        "store_id": t.store_id, "client_id": maria_id
    });
    let reply = app
        .auto(key, Method::POST, "/api/v1/vehicles", Some(&corolla))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["data"]["mileage"], 0);
    assert_eq!(reply.body["data"]["price"], json!(165000.00));
    assert_eq!(reply.body["data"]["plate"], Value::Null);
    assert_eq!(reply.body["data"]["client"]["name"], "Maria Santos");

    // 8. The clients list filters for real (G7).
    let reply = app
        .auto(
            key,
            Method::GET,
            "/api/v1/clients?type=PF&segment=premium",
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let items = reply.body["data"].as_array().expect("list");
    assert_eq!(items.len(), 1, "{}", reply.text);
    assert_eq!(items[0]["name"], "João da Silva");
    assert_eq!(reply.body["pagination"]["total"], 1);

    // 9. The OLD prefix.
    let reply = app
        .auto(key, Method::GET, "/v1/vehicles?page=2&limit=50", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"], json!([]));
    assert_eq!(
        reply.body["pagination"],
        json!({"page": 2, "limit": 50, "total": 2, "pages": 1})
    );
    let reply = app
        .auto(
            key,
            Method::GET,
            "/v1/vehicles?status=disponivel&brand=Honda",
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["pagination"]["total"], 0);

    // 10. Errors.
    let before = counts(&app, &t.account_id).await;
    let mut no_title = civic(&t.store_id, &client_id);
    no_title.as_object_mut().expect("object").remove("title");
    no_title["plate"] = json!("XYZ9A99");
    let reply = app
        .auto(key, Method::POST, "/api/v1/vehicles", Some(&no_title))
        .await;
    assert_eq!(reply.status, 400);
    assert_eq!(
        reply.body,
        json!({"success": false, "error": {"code": "VALIDATION_ERROR",
            "message": "Campo 'title' é obrigatório",
            "details": {"field": "title", "type": "required"}}})
    );
    let mut no_store = civic(&t.store_id, &client_id);
    no_store.as_object_mut().expect("object").remove("store_id");
    let reply = app
        .auto(key, Method::POST, "/api/v1/vehicles", Some(&no_store))
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("store_id"),
        Some("required"),
        "no store_id",
    );
    assert_eq!(
        reply.body["error"]["message"],
        "Campo 'store_id' é obrigatório"
    );
    let reply = app.call(Method::GET, "/api/v1/clients", None, None).await;
    assert_error(&reply, 401, "UNAUTHORIZED", None, None, "no key");
    for path in [
        "/api/v1/clients/0192f0c2-7a3b-7cde-8f00-00000000abcd",
        "/api/v1/vehicles/uuid-do-veiculo",
        "/api/v1/deals/0192f0c2-7a3b-7cde-8f00-00000000abcd",
    ] {
        let reply = app.auto(key, Method::GET, path, None).await;
        assert_error(&reply, 404, "NOT_FOUND", None, None, path);
    }
    // Re-running the quickstart's client: a CRM refuses the duplicate (Decision 2).
    let reply = app
        .auto(key, Method::POST, "/api/v1/clients", Some(&joao()))
        .await;
    assert_error(
        &reply,
        409,
        "DUPLICATE_ENTRY",
        Some("cpf"),
        Some("duplicate"),
        "same CPF",
    );
    // The same plate while the Civic is in stock.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/vehicles",
            Some(&civic(&t.store_id, &client_id)),
        )
        .await;
    assert_error(
        &reply,
        409,
        "DUPLICATE_ENTRY",
        Some("plate"),
        Some("duplicate"),
        "same plate",
    );
    assert_eq!(
        counts(&app, &t.account_id).await,
        before,
        "no error wrote anything"
    );
}

async fn documented_placeholders_are_unknown_references(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let before = counts(&app, &t.account_id).await;
    // The Civic body exactly as documented: the placeholders name nothing.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/vehicles",
            Some(&civic("uuid-da-sua-loja", "uuid-do-cliente")),
        )
        .await;
    assert_error(
        &reply,
        422,
        "VALIDATION_ERROR",
        Some("store_id"),
        Some("not_found"),
        "placeholders",
    );
    let all = reply.body["error"]["details"]["errors"]
        .as_array()
        .expect("every problem");
    assert_eq!(all.len(), 2);
    assert_eq!(all[1]["field"], "client_id");
    assert_eq!(all[1]["type"], "not_found");
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/deals",
            Some(&civic_deal("uuid-do-cliente")),
        )
        .await;
    assert_error(
        &reply,
        422,
        "VALIDATION_ERROR",
        Some("client_id"),
        Some("not_found"),
        "deal placeholder",
    );
    // A well-formed id that is nobody's.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/vehicles",
            Some(&civic(&t.store_id, "0192f0c2-7a3b-7cde-8f00-00000000abcd")),
        )
        .await;
    assert_error(
        &reply,
        422,
        "VALIDATION_ERROR",
        Some("client_id"),
        Some("not_found"),
        "unknown uuid",
    );
    assert_eq!(counts(&app, &t.account_id).await, before);
}

both_backends!(
    quickstart_replays_verbatim,
    documented_placeholders_are_unknown_references,
);
