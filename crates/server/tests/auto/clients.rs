//! `/clients` (§4.1): every field, partial updates, deactivation, list
//! filters, search, sort, pagination, duplicates and strict documents.

use vitrine_core::ids::AccountId;
use vitrine_testkit::{both_backends, json, Method, TestApp, Value};

use crate::fixtures::{assert_error, assert_timestamp, counts, create, joao};

fn full_pj(store_id: &str) -> Value {
    json!({
        "type": "pj",
        "name": "AutoPeças ABC Ltda",
        "display_name": "AutoPeças ABC",
        "email": "contato@autopecasabc.com.br",
        "phone": "+55 11 3333-4444",
        "mobile_phone": "+55 11 98888-7777",
        "whatsapp": "+55 11 98888-7777",
        "cnpj": "12.345.678/0001-90",
        "legal_name": "AutoPeças ABC Comércio e Serviços Ltda",
        "trade_name": "AutoPeças ABC",
        "state_registration": "123.456.789.111",
        "segment": "vip",
        "source": "indicacao",
        "status": "active",
        "store_id": store_id,
        "address": {
            "street": "Av. Paulista", "number": "1000", "complement": "Sala 1",
            "neighborhood": "Bela Vista", "city": "São Paulo", "state": "sp",
            "zip_code": "01310-100", "country": "Brasil", "ignored": true
        },
        "notes": "Cliente desde 2010",
        "tags": ["frota", "b2b"],
        "id": "ignored", "created_at": "ignored"
    })
}

async fn client_every_field_and_partial_updates(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/clients",
            Some(&full_pj(&t.store_id)),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let c = reply.body["data"].clone();
    let id = c["id"].as_str().expect("id").to_owned();
    assert_ne!(id, "ignored", "read-only fields are ignored");
    assert_eq!(c["type"], "PJ", "type stored upper case");
    assert_eq!(c["cnpj"], "12.345.678/0001-90");
    assert_eq!(c["store_id"], t.store_id);
    assert_eq!(
        c["address"],
        json!({"street": "Av. Paulista", "number": "1000", "complement": "Sala 1",
               "neighborhood": "Bela Vista", "city": "São Paulo", "state": "SP",
               "zip_code": "01310-100", "country": "Brasil"})
    );
    assert_eq!(c["tags"], json!(["frota", "b2b"]));
    for field in [
        "cpf",
        "rg",
        "birth_date",
        "gender",
        "marital_status",
        "nationality",
    ] {
        assert_eq!(c[field], Value::Null, "{field} present and null (G8)");
    }
    assert_timestamp(&c["updated_at"], "updated_at");

    // GET answers the same representation.
    let get = app
        .auto(key, Method::GET, &format!("/api/v1/clients/{id}"), None)
        .await;
    assert_eq!(get.status, 200);
    assert_eq!(get.body["data"], c);

    // PATCH: absent unchanged, null clears, nested address merges.
    let reply = app
        .auto(key, Method::PATCH, &format!("/api/v1/clients/{id}"),
              Some(&json!({"display_name": null, "segment": "regular", "address": {"city": "Campinas"}, "birth_date": "1985-06-15"})))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let d = &reply.body["data"];
    assert_eq!(d["display_name"], Value::Null);
    assert_eq!(d["segment"], "regular");
    assert_eq!(d["address"]["city"], "Campinas");
    assert_eq!(d["address"]["street"], "Av. Paulista");
    assert_eq!(d["birth_date"], "1985-06-15");
    assert_eq!(d["email"], "contato@autopecasabc.com.br", "absent stays");
    let account: AccountId = t.account_id.parse().expect("account");
    let stored = app
        .store
        .conn()
        .await
        .expect("conn")
        .clients()
        .get(account, id.parse().expect("id"))
        .await
        .expect("stored");
    assert_eq!(stored.client.display_name, None);
    assert_eq!(
        stored.client.address.and_then(|a| a.city).as_deref(),
        Some("Campinas")
    );

    // null on a required field is refused and changes nothing.
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/clients/{id}"),
            Some(&json!({"name": null, "segment": "vip"})),
        )
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("name"),
        Some("required"),
        "null name",
    );
    assert_eq!(reply.body["error"]["message"], "Campo 'name' é obrigatório");
    let get = app
        .auto(key, Method::GET, &format!("/api/v1/clients/{id}"), None)
        .await;
    assert_eq!(get.body["data"]["segment"], "regular");
    assert_eq!(get.body["data"]["name"], "AutoPeças ABC Ltda");

    // address: null clears it.
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/clients/{id}"),
            Some(&json!({"address": null})),
        )
        .await;
    assert_eq!(reply.body["data"]["address"], Value::Null);

    // DELETE deactivates; the client stays readable and listable.
    let reply = app
        .auto(key, Method::DELETE, &format!("/api/v1/clients/{id}"), None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["status"], "inactive");
    assert_eq!(reply.body["data"]["name"], "AutoPeças ABC Ltda");
    let list = app
        .auto(key, Method::GET, "/api/v1/clients?status=inactive", None)
        .await;
    assert_eq!(list.body["pagination"]["total"], 1);
    let list = app.auto(key, Method::GET, "/api/v1/clients", None).await;
    assert_eq!(
        list.body["pagination"]["total"], 1,
        "inactive clients stay in default lists"
    );

    // The client's vehicles.
    let vehicle = json!({"title": "Fiat Toro", "store_id": t.store_id, "client_id": id});
    create(&app, key, "/api/v1/vehicles", &vehicle).await;
    create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Sem cliente", "store_id": t.store_id}),
    )
    .await;
    let reply = app
        .auto(
            key,
            Method::GET,
            &format!("/v1/clients/{id}/vehicles"),
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["pagination"]["total"], 1);
    assert_eq!(reply.body["data"][0]["title"], "Fiat Toro");
    assert_eq!(
        reply.body["data"][0]["client"]["name"],
        "AutoPeças ABC Ltda"
    );
    let reply = app
        .auto(
            key,
            Method::GET,
            "/api/v1/clients/0192f0c2-7a3b-7cde-8f00-00000000abcd/vehicles",
            None,
        )
        .await;
    assert_error(
        &reply,
        404,
        "NOT_FOUND",
        None,
        None,
        "unknown client's vehicles",
    );
}

async fn client_list_filters_search_sort_and_paging(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let joao_id = create(&app, key, "/api/v1/clients", &joao()).await;
    let pj_id = create(&app, key, "/api/v1/clients", &full_pj(&t.store_id)).await;
    let ana_id = create(&app, key, "/api/v1/clients",
        &json!({"type": "PF", "name": "Ana Beatriz", "email": "ana@exemplo.com", "segment": "premium", "status": "inactive"})).await;
    // Default sort: newest first.
    let (ids, p) = client_page(&app, key, "").await;
    assert_eq!(ids, [ana_id.clone(), pj_id.clone(), joao_id.clone()]);
    assert_eq!(p, json!({"page": 1, "limit": 20, "total": 3, "pages": 1}));
    assert_eq!(
        client_page(&app, key, "?sort=created_at").await.0,
        [joao_id.clone(), pj_id.clone(), ana_id.clone()]
    );
    assert_eq!(
        client_page(&app, key, "?sort=name").await.0,
        [ana_id.clone(), pj_id.clone(), joao_id.clone()]
    );
    assert_eq!(
        client_page(&app, key, "?sort=-name").await.0,
        [joao_id.clone(), pj_id.clone(), ana_id.clone()]
    );
    // Filters.
    assert_eq!(client_page(&app, key, "?type=PJ").await.0, [pj_id.as_str()]);
    assert_eq!(
        client_page(&app, key, "?type=PF&segment=premium").await.0,
        [ana_id.clone(), joao_id.clone()]
    );
    assert_eq!(
        client_page(&app, key, "?status=active").await.0,
        [pj_id.clone(), joao_id.clone()]
    );
    assert_eq!(
        client_page(&app, key, "?status=inactive").await.0,
        [ana_id.as_str()]
    );
    let (ids, _) = client_page(&app, key, &format!("?store_id={}", t.store_id)).await;
    assert_eq!(ids, [pj_id.as_str()]);
    assert_eq!(
        client_page(&app, key, "?segment=vip&type=PF").await.0,
        Vec::<String>::new()
    );
    assert_eq!(
        client_page(&app, key, "?status=&type=").await.0.len(),
        3,
        "empty values are absent"
    );
    // Search: case- and accent-insensitive over name/e-mail, digits over CPF/CNPJ.
    assert_eq!(
        client_page(&app, key, "?search=JOAO").await.0,
        [joao_id.as_str()]
    );
    assert_eq!(
        client_page(&app, key, "?search=pe%C3%A7as").await.0,
        [pj_id.as_str()]
    );
    assert_eq!(
        client_page(&app, key, "?search=autopecas").await.0,
        [pj_id.as_str()]
    );
    assert_eq!(
        client_page(&app, key, "?search=12345678900").await.0,
        [joao_id.as_str()]
    );
    assert_eq!(
        client_page(&app, key, "?search=456.789").await.0,
        [joao_id.as_str()]
    );
    assert_eq!(
        client_page(&app, key, "?search=12345678000190").await.0,
        [pj_id.as_str()]
    );
    assert_eq!(
        client_page(&app, key, "?search=exemplo.com").await.0,
        [ana_id.as_str()]
    );
    assert_eq!(
        client_page(&app, key, "?search=%25").await.0,
        Vec::<String>::new(),
        "% is literal"
    );
    // Paging.
    let (ids, p) = client_page(&app, key, "?limit=2&page=2").await;
    assert_eq!(ids, [joao_id.as_str()]);
    assert_eq!(p, json!({"page": 2, "limit": 2, "total": 3, "pages": 2}));
    let (ids, p) = client_page(&app, key, "?limit=1000").await;
    assert_eq!(ids.len(), 3);
    assert_eq!(p["limit"], 100, "clamped");
    let (ids, p) = client_page(&app, key, "?page=9").await;
    assert!(ids.is_empty());
    assert_eq!(p["total"], 3);
}

async fn client_page(app: &TestApp, key: &str, q: &str) -> (Vec<String>, Value) {
    let r = app
        .auto(key, Method::GET, &format!("/api/v1/clients{q}"), None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let ids = r.body["data"]
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["id"].as_str().expect("id").to_owned())
        .collect();
    (ids, r.body["pagination"].clone())
}

async fn client_documents_are_unique_and_strictness_is_per_account(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let first = create(&app, key, "/api/v1/clients", &joao()).await;
    let before = counts(&app, &t.account_id).await;
    // Another mask of the same digits is the same CPF.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PF", "name": "Outro", "cpf": "12345678900"})),
        )
        .await;
    assert_error(
        &reply,
        409,
        "DUPLICATE_ENTRY",
        Some("cpf"),
        Some("duplicate"),
        "same digits",
    );
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PJ", "name": "Empresa", "cnpj": "12.345.678/0001-90"})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PJ", "name": "Empresa 2", "cnpj": "12345678000190"})),
        )
        .await;
    assert_error(
        &reply,
        409,
        "DUPLICATE_ENTRY",
        Some("cnpj"),
        Some("duplicate"),
        "same CNPJ",
    );
    assert_eq!(counts(&app, &t.account_id).await.0, before.0 + 1);

    // Updating a client to another's CPF is refused too.
    let other = create(
        &app,
        key,
        "/api/v1/clients",
        &json!({"type": "PF", "name": "Pedro", "cpf": "987.654.321-00"}),
    )
    .await;
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/clients/{other}"),
            Some(&json!({"cpf": "123.456.789-00"})),
        )
        .await;
    assert_error(
        &reply,
        409,
        "DUPLICATE_ENTRY",
        Some("cpf"),
        Some("duplicate"),
        "update to a taken CPF",
    );
    let get = app
        .auto(key, Method::GET, &format!("/api/v1/clients/{other}"), None)
        .await;
    assert_eq!(get.body["data"]["cpf"], "987.654.321-00");
    // Re-saving a client with its own CPF is fine.
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/clients/{first}"),
            Some(&json!({"cpf": "123.456.789-00"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);

    // Once deactivated, the CPF is free; reactivating the old one then conflicts.
    let reply = app
        .auto(
            key,
            Method::DELETE,
            &format!("/api/v1/clients/{first}"),
            None,
        )
        .await;
    assert_eq!(reply.status, 200);
    let newer = create(&app, key, "/api/v1/clients", &joao()).await;
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/clients/{first}"),
            Some(&json!({"status": "active"})),
        )
        .await;
    assert_error(
        &reply,
        409,
        "DUPLICATE_ENTRY",
        Some("cpf"),
        Some("duplicate"),
        "reactivation",
    );
    assert_ne!(first, newer);

    // Another account may hold the same CPF.
    let b = app.tenant().await;
    create(&app, &b.api_key, "/api/v1/clients", &joao()).await;

    // Strict check digits, per account (Decision 3): the quickstart CPF fails them.
    let account: AccountId = b.account_id.parse().expect("account");
    let mut tx = app.store.begin().await.expect("tx");
    tx.accounts()
        .set_strict_documents(account, true)
        .await
        .expect("strict");
    tx.commit().await.expect("commit");
    let reply = app
        .auto(
            &b.api_key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PF", "name": "Teste", "cpf": "111.444.777-00"})),
        )
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("cpf"),
        Some("invalid"),
        "strict CPF",
    );
    let reply = app
        .auto(
            &b.api_key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PF", "name": "Teste", "cpf": "111.444.777-35"})),
        )
        .await;
    assert_eq!(reply.status, 201, "valid check digits pass: {}", reply.text);
    // The first account is still lenient.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PF", "name": "Teste", "cpf": "111.444.777-00"})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
}

both_backends!(
    client_every_field_and_partial_updates,
    client_list_filters_search_sort_and_paging,
    client_documents_are_unique_and_strictness_is_per_account,
);
