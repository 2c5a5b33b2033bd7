//! `/vehicles` (§4.2, §6): FIPE and body fields, archive, list filters,
//! plate uniqueness among in-stock vehicles, the `/v1` default store.

use vitrine_core::ids::AccountId;
use vitrine_testkit::{both_backends, json, Method, TestApp, Value};

use crate::fixtures::{assert_error, civic, counts, create, joao};

async fn vehicle_every_field_and_archive(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let body = json!({
        "title": "Jeep Compass Limited", "store_id": t.store_id, "brand": "Jeep",
        "model": "Compass", "version": "Limited T270", "year_model": 2025,
        "year_manufacture": 2024, "price": 189990.5, "purchase_price": 160000,
        "mileage": 12000, "color": "Branco", "fuel": "Flex", "transmission": "automatico",
        "plate": "abc-1234", "phase": "preparacao", "status": "disponivel",
        "fipe_code": "025100-0", "fipe_price": 195000.00, "body_type": "SUV", "doors": 4,
        "engine": "1.3 Turbo", "chassis": "9BWZZZ377VT004251", "renavam": "00639884962",
        "description": "Único dono", "features": ["teto solar", "couro"],
        "photos": ["https://fotos.exemplo.com/1.jpg"], "client": {"id": "ignored"}
    });
    let reply = app
        .auto(key, Method::POST, "/api/v1/vehicles", Some(&body))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let v = reply.body["data"].clone();
    let id = v["id"].as_str().expect("id").to_owned();
    assert_eq!(v["price"], json!(189990.50));
    assert!(
        reply.text.contains(r#""price":189990.50"#),
        "{}",
        reply.text
    );
    assert!(
        reply.text.contains(r#""purchase_price":160000.00"#),
        "{}",
        reply.text
    );
    assert!(
        reply.text.contains(r#""fipe_price":195000.00"#),
        "{}",
        reply.text
    );
    assert_eq!(v["fuel"], "flex", "free labels are lower-cased");
    assert_eq!(v["body_type"], "suv");
    assert_eq!(v["plate"], "abc-1234", "echoed as sent");
    assert_eq!(v["phase"], "preparacao");
    assert_eq!(v["status"], "disponivel");
    assert_eq!(v["doors"], 4);
    assert_eq!(v["chassis"], "9BWZZZ377VT004251");
    assert_eq!(v["features"], json!(["teto solar", "couro"]));
    assert_eq!(v["client"], Value::Null);
    assert_eq!(v["client_id"], Value::Null);

    // The store sees centavos.
    let account: AccountId = t.account_id.parse().expect("account");
    let stored = app
        .store
        .conn()
        .await
        .expect("conn")
        .vehicles()
        .get(account, id.parse().expect("id"))
        .await
        .expect("stored");
    assert_eq!(stored.vehicle.price.map(|p| p.cents()), Some(18_999_050));

    // Explicit null clears; a JSON null on title is refused.
    let reply = app
        .auto(
            key,
            Method::PATCH,
            &format!("/api/v1/vehicles/{id}"),
            Some(&json!({"features": null, "fipe_price": null, "mileage": 12500})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["features"], Value::Null);
    assert_eq!(reply.body["data"]["fipe_price"], Value::Null);
    assert_eq!(reply.body["data"]["mileage"], 12500);
    assert_eq!(reply.body["data"]["engine"], "1.3 Turbo");
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/vehicles/{id}"),
            Some(&json!({"title": null})),
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

    // DELETE archives: 200 with the vehicle, idempotent, hidden from default lists.
    for _ in 0..2 {
        let reply = app
            .auto(key, Method::DELETE, &format!("/api/v1/vehicles/{id}"), None)
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(reply.body["data"]["status"], "arquivado");
        assert_eq!(reply.body["data"]["title"], "Jeep Compass Limited");
    }
    let list = app.auto(key, Method::GET, "/api/v1/vehicles", None).await;
    assert_eq!(list.body["pagination"]["total"], 0);
    let list = app
        .auto(key, Method::GET, "/api/v1/vehicles?status=arquivado", None)
        .await;
    assert_eq!(list.body["pagination"]["total"], 1);
    let get = app
        .auto(key, Method::GET, &format!("/api/v1/vehicles/{id}"), None)
        .await;
    assert_eq!(get.status, 200);
    assert_eq!(get.body["data"]["status"], "arquivado");
}

async fn vehicle_list_filters(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let client = create(&app, key, "/api/v1/clients", &joao()).await;
    let civic = create(&app, key, "/api/v1/vehicles", &civic(&t.store_id, &client)).await;
    let corolla = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({
            "title": "Toyota Corolla XEi 2.0 2025", "store_id": t.store_id, "brand": "Toyota",
            "model": "Corolla", "year_model": 2025, "price": 165000.00, "mileage": 0,
            "phase": "anunciado", "plate": "BRA2E19", "fuel": "hibrido", "color": "Prata"
        }),
    )
    .await;
    let uno = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({
            "title": "Fiat Uno Mille", "store_id": t.store_id, "brand": "Fiat", "year_model": 2010,
            "price": 25000, "status": "vendido", "phase": "vendido"
        }),
    )
    .await;
    assert_eq!(
        vehicle_ids(&app, key, "").await,
        [uno.clone(), corolla.clone(), civic.clone()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?brand=honda").await,
        [civic.as_str()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?brand=HONDA&model=civic").await,
        [civic.as_str()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?status=ativo").await,
        [corolla.clone(), civic.clone()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?status=vendido").await,
        [uno.as_str()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?phase=anunciado").await,
        [corolla.as_str()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?year_min=2024&year_max=2024").await,
        [civic.as_str()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?year_min=2011").await,
        [corolla.clone(), civic.clone()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?price_min=100000&price_max=150000").await,
        [civic.as_str()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?price_max=25000.00").await,
        [uno.as_str()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?fuel=HIBRIDO").await,
        [corolla.as_str()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?color=prata").await,
        [corolla.as_str()]
    );
    assert_eq!(
        vehicle_ids(&app, key, &format!("?store_id={}", t.store_id))
            .await
            .len(),
        3
    );
    assert_eq!(
        vehicle_ids(&app, key, &format!("?client_id={client}")).await,
        [civic.as_str()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?client_id=uuid-do-cliente").await,
        Vec::<String>::new()
    );
    assert_eq!(
        vehicle_ids(&app, key, "?search=abc1d23").await,
        [civic.as_str()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?search=corolla%20xei").await,
        [corolla.as_str()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?sort=price").await,
        [uno.clone(), civic.clone(), corolla.clone()]
    );
    assert_eq!(
        vehicle_ids(&app, key, "?sort=-year_model").await,
        [corolla.clone(), civic.clone(), uno.clone()]
    );
    let r = app
        .auto(key, Method::GET, "/api/v1/vehicles?status=ativo", None)
        .await;
    assert_eq!(
        r.body["data"][1]["client"],
        json!({"id": client, "name": "João da Silva"})
    );
    assert_eq!(r.body["data"][0]["client"], Value::Null);
}

async fn vehicle_ids(app: &TestApp, key: &str, q: &str) -> Vec<String> {
    let r = app
        .auto(key, Method::GET, &format!("/api/v1/vehicles{q}"), None)
        .await;
    assert_eq!(r.status, 200, "{q}: {}", r.text);
    let total = r.body["pagination"]["total"].as_u64().expect("total");
    let ids: Vec<String> = r.body["data"]
        .as_array()
        .expect("list")
        .iter()
        .map(|v| v["id"].as_str().expect("id").to_owned())
        .collect();
    assert_eq!(
        total as usize,
        ids.len(),
        "{q}: total counts the same filter"
    );
    ids
}

async fn plates_are_unique_among_vehicles_in_stock(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let first = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Civic", "store_id": t.store_id, "plate": "ABC1D23"}),
    )
    .await;
    let before = counts(&app, &t.account_id).await;
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/vehicles",
            Some(&json!({"title": "Outro", "store_id": t.store_id, "plate": "abc1d23"})),
        )
        .await;
    assert_error(
        &reply,
        409,
        "DUPLICATE_ENTRY",
        Some("plate"),
        Some("duplicate"),
        "same plate, other case",
    );
    assert_eq!(counts(&app, &t.account_id).await, before);
    // Sold: the plate is free again.
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/vehicles/{first}"),
            Some(&json!({"status": "vendido"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let second = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Recomprado", "store_id": t.store_id, "plate": "ABC1D23"}),
    )
    .await;
    // Putting the sold one back in stock now conflicts.
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/vehicles/{first}"),
            Some(&json!({"status": "ativo"})),
        )
        .await;
    assert_error(
        &reply,
        409,
        "DUPLICATE_ENTRY",
        Some("plate"),
        Some("duplicate"),
        "back in stock",
    );
    // Archiving frees it as well.
    let reply = app
        .auto(
            key,
            Method::DELETE,
            &format!("/api/v1/vehicles/{second}"),
            None,
        )
        .await;
    assert_eq!(reply.status, 200);
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/vehicles/{first}"),
            Some(&json!({"status": "ativo"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // Old-format plates compare without the dash.
    create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Gol", "store_id": t.store_id, "plate": "XYZ-1234"}),
    )
    .await;
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/vehicles",
            Some(&json!({"title": "Gol 2", "store_id": t.store_id, "plate": "xyz1234"})),
        )
        .await;
    assert_error(
        &reply,
        409,
        "DUPLICATE_ENTRY",
        Some("plate"),
        Some("duplicate"),
        "old plate",
    );
}

async fn v1_prefix_falls_back_to_the_default_store(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let body = json!({"title": "Onix LT"});
    let reply = app
        .auto(key, Method::POST, "/v1/vehicles", Some(&body))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["data"]["store_id"], t.store_id);
    let reply = app
        .auto(key, Method::POST, "/api/v1/vehicles", Some(&body))
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("store_id"),
        Some("required"),
        "NEW requires store_id",
    );
    // Both prefixes serve the same data.
    let a = app.auto(key, Method::GET, "/api/v1/vehicles", None).await;
    let b = app.auto(key, Method::GET, "/v1/vehicles/", None).await;
    assert_eq!(a.body, b.body);
    assert_eq!(a.body["pagination"]["total"], 1);
}

both_backends!(
    vehicle_every_field_and_archive,
    vehicle_list_filters,
    plates_are_unique_among_vehicles_in_stock,
    v1_prefix_falls_back_to_the_default_store,
);
