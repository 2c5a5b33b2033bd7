//! What the documents leave open stays open (issue 16): open vocabularies
//! for deal `phase` and vehicle `status`/`phase`, whole-number floats as
//! integers, `/stores` paged, `responsible_id` naming a user; and the
//! financial summary's sums and margins (16.3, 12.11).

use vitrine_core::financial::{Category, FinancialRecord, FinancialStatus, RecordType};
use vitrine_core::ids::{AccountId, FinancialId, StoreId};
use vitrine_core::money::Money;
use vitrine_testkit::{both_backends, json, Method, TestApp, Value};

use crate::fixtures::{assert_error, create, user_id};

async fn ids(app: &TestApp, key: &str, path: &str) -> Vec<String> {
    let reply = app.auto(key, Method::GET, path, None).await;
    assert_eq!(reply.status, 200, "{path}: {}", reply.text);
    reply.body["data"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|d| d["id"].as_str().expect("id").to_owned())
        .collect()
}

async fn open_vocabularies_are_accepted_filtered_and_kept(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    // Deal phase: any non-empty text, trimmed and lower-cased.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/deals",
            Some(&json!({"title": "Lead do site", "phase": "  Qualificação "})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["data"]["phase"], "qualificação");
    let deal = reply.body["data"]["id"].as_str().expect("id").to_owned();
    create(&app, key, "/api/v1/deals", &json!({"title": "Outro"})).await;
    assert_eq!(
        ids(&app, key, "/api/v1/deals?phase=Qualifica%C3%A7%C3%A3o").await,
        [deal.as_str()],
        "the filter reads the value the same way"
    );
    // Moved with the OLD call and with PUT, to phases of the team's own.
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/deals/{deal}/phase"),
            Some(&json!({"phase": "qualificacao"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["phase"], "qualificacao");
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/deals/{deal}"),
            Some(&json!({"phase": "aguardando banco"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let got = app
        .auto(key, Method::GET, &format!("/api/v1/deals/{deal}"), None)
        .await;
    assert_eq!(got.body["data"]["phase"], "aguardando banco");
    // The known ones still work, and the closed status stays closed.
    assert_eq!(ids(&app, key, "/api/v1/deals?phase=lead").await.len(), 1);
    let reply = app
        .auto(key, Method::GET, "/api/v1/deals?status=fechado", None)
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("status"),
        Some("enum"),
        "closed status",
    );

    // Vehicle status and phase likewise.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/vehicles",
            Some(&json!({"title": "Civic consignado", "store_id": t.store_id, "status": "Consignado", "phase": "pronto"})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(
        (
            reply.body["data"]["status"].clone(),
            reply.body["data"]["phase"].clone()
        ),
        (json!("consignado"), json!("pronto"))
    );
    let car = reply.body["data"]["id"].as_str().expect("id").to_owned();
    create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Comum", "store_id": t.store_id}),
    )
    .await;
    assert_eq!(
        ids(&app, key, "/api/v1/vehicles?status=consignado").await,
        [car.as_str()]
    );
    assert_eq!(
        ids(&app, key, "/api/v1/vehicles?phase=pronto").await,
        [car.as_str()]
    );
    assert_eq!(
        ids(&app, key, "/api/v1/vehicles").await.len(),
        2,
        "not archived: listed"
    );
    // Business rules on known values keep working: DELETE archives.
    let reply = app
        .auto(
            key,
            Method::DELETE,
            &format!("/api/v1/vehicles/{car}"),
            None,
        )
        .await;
    assert_eq!(reply.body["data"]["status"], "arquivado");
    assert_eq!(
        ids(&app, key, "/api/v1/vehicles").await.len(),
        1,
        "archived: hidden"
    );
}

async fn whole_number_floats_are_integers(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    // What Python's json.dumps writes for floats.
    let body = format!(
        r#"{{"title": "Civic", "store_id": "{}", "mileage": 18500.0, "year_model": 2024.0, "year_manufacture": 2.023e3, "doors": 4.0}}"#,
        t.store_id
    );
    let auth = format!("Bearer {key}");
    let reply = app
        .raw(
            Method::POST,
            "/api/v1/vehicles",
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            body.into_bytes(),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let v = &reply.body["data"];
    assert!(
        reply.text.contains(r#""mileage":18500,"#),
        "an integer on the wire: {}",
        reply.text
    );
    assert_eq!(
        (
            v["mileage"].clone(),
            v["year_model"].clone(),
            v["year_manufacture"].clone(),
            v["doors"].clone()
        ),
        (json!(18500), json!(2024), json!(2023), json!(4))
    );
    let id = v["id"].as_str().expect("id").to_owned();
    let reply = app
        .raw(
            Method::PATCH,
            &format!("/api/v1/vehicles/{id}"),
            &[("authorization", &auth)],
            br#"{"mileage": 18500.5}"#.to_vec(),
        )
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("mileage"),
        Some("invalid"),
        "a fraction",
    );
    let deal = app
        .raw(
            Method::POST,
            "/api/v1/deals",
            &[("authorization", &auth)],
            br#"{"title": "Venda", "probability": 40.0}"#.to_vec(),
        )
        .await;
    assert_eq!(deal.status, 201, "{}", deal.text);
    assert_eq!(deal.body["data"]["probability"], 40);
    let got = app
        .auto(key, Method::GET, &format!("/api/v1/vehicles/{id}"), None)
        .await;
    assert_eq!(
        got.body["data"]["mileage"], 18500,
        "the refused PATCH changed nothing"
    );
}

async fn stores_page_like_every_list(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let account: AccountId = t.account_id.parse().expect("account");
    let mut tx = app.store.begin().await.expect("tx");
    for name in ["Filial Norte", "Filial Sul"] {
        tx.stores()
            .insert(account, StoreId::new(), name)
            .await
            .expect("store");
    }
    tx.commit().await.expect("commit");
    let reply = app
        .auto(key, Method::GET, "/api/v1/stores?limit=2", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.body["pagination"],
        json!({"page": 1, "limit": 2, "total": 3, "pages": 2})
    );
    let first: Vec<Value> = reply.body["data"].as_array().expect("list").clone();
    assert_eq!(first.len(), 2);
    assert_eq!(first[0]["id"], t.store_id.as_str(), "oldest first");
    let reply = app
        .auto(key, Method::GET, "/api/v1/stores?limit=2&page=2", None)
        .await;
    assert_eq!(reply.body["data"][0]["name"], "Filial Sul");
    assert_eq!(reply.body["data"].as_array().map(Vec::len), Some(1));
    let reply = app
        .auto(key, Method::GET, "/api/v1/stores?page=3&limit=2", None)
        .await;
    assert_eq!(reply.body["data"], json!([]));
    let reply = app.auto(key, Method::GET, "/api/v1/stores", None).await;
    assert_eq!(
        reply.body["pagination"],
        json!({"page": 1, "limit": 20, "total": 3, "pages": 1})
    );
    let reply = app
        .auto(key, Method::GET, "/api/v1/stores?limit=0", None)
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("limit"),
        Some("invalid"),
        "limit=0",
    );
    // Another account sees only its own.
    let other = app.tenant().await;
    let reply = app
        .auto(&other.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(reply.body["pagination"]["total"], 1);
}

async fn responsible_id_names_a_user_of_the_account(app: TestApp) {
    let t = app.tenant().await;
    let other = app.tenant().await;
    let key = &t.api_key;
    let mine = user_id(&app, &t).await;
    let theirs = user_id(&app, &other).await;
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/deals",
            Some(&json!({"title": "Venda", "responsible_id": mine})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.body["data"]["responsible_id"], mine.as_str());
    let deal = reply.body["data"]["id"].as_str().expect("id").to_owned();
    assert_eq!(
        ids(&app, key, &format!("/api/v1/deals?responsible_id={mine}")).await,
        [deal.as_str()]
    );
    // Another account's user is no user of this one: 422, nothing changed.
    for path in [
        format!("/api/v1/deals/{deal}"),
        "/api/v1/activities".to_owned(),
    ] {
        let method = if path.contains("deals") {
            Method::PUT
        } else {
            Method::POST
        };
        let reply = app
            .auto(
                key,
                method,
                &path,
                Some(&json!({"title": "x", "responsible_id": theirs})),
            )
            .await;
        assert_error(
            &reply,
            422,
            "VALIDATION_ERROR",
            Some("responsible_id"),
            Some("not_found"),
            &path,
        );
    }
    let got = app
        .auto(key, Method::GET, &format!("/api/v1/deals/{deal}"), None)
        .await;
    assert_eq!(got.body["data"]["responsible_id"], mine.as_str());
    assert_eq!(got.body["data"]["title"], "Venda");
    // null clears it.
    let reply = app
        .auto(
            key,
            Method::PATCH,
            &format!("/api/v1/deals/{deal}"),
            Some(&json!({"responsible_id": null})),
        )
        .await;
    assert_eq!(reply.body["data"]["responsible_id"], Value::Null);
}

async fn margins_without_purchase_price_are_unknown(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let priced = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "A Civic", "store_id": t.store_id, "purchase_price": 100000}),
    )
    .await;
    let unpriced = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "B Onix", "store_id": t.store_id}),
    )
    .await;
    let pending = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "C Kwid", "store_id": t.store_id, "purchase_price": 40000}),
    )
    .await;
    for (vehicle, amount, status) in [
        (&priced, 120000, "paid"),
        (&unpriced, 60000, "paid"),
        (&pending, 50000, "pending"),
    ] {
        create(
            &app,
            key,
            "/api/v1/financial",
            &json!({"type": "revenue", "category": "venda-veiculo", "amount": amount, "status": status, "vehicle_id": vehicle}),
        )
        .await;
    }
    let reply = app
        .auto(key, Method::GET, "/api/v1/financial/summary", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(
        reply.body["data"]["vehicles"],
        json!([
            {"vehicle_id": priced, "title": "A Civic", "purchase_price": 100000.0, "sale_value": 120000.0,
             "expenses": 0.0, "margin": 20000.0, "margin_unknown_reason": null},
            {"vehicle_id": unpriced, "title": "B Onix", "purchase_price": null, "sale_value": 60000.0,
             "expenses": 0.0, "margin": null, "margin_unknown_reason": "purchase_price_missing"}
        ]),
        "the pending sale has not sold the Kwid; the Onix's margin is not its whole sale"
    );
}

/// Amounts that sum past `i64` centavos (the SQL `SUM` overflowed: 500):
/// 9,300 records of the largest amount, R$ 10 trillion each.
async fn huge_totals_are_summed_exactly(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let account: AccountId = t.account_id.parse().expect("account");
    // The largest amount the API accepts, and one more centavo refused.
    let max = create(
        &app,
        key,
        "/api/v1/financial",
        &json!({"type": "revenue", "category": "comissao", "amount": 10000000000000u64, "status": "paid"}),
    )
    .await;
    assert!(!max.is_empty());
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/financial",
            Some(&json!({"type": "revenue", "category": "comissao", "amount": 10000000000000.01})),
        )
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("amount"),
        Some("max"),
        "over the bound",
    );
    // The rest written straight through the store, in one transaction.
    let record = FinancialRecord {
        kind: RecordType::Revenue,
        category: Category::Comissao,
        description: None,
        amount: Money::parse_literal("10000000000000").expect("max"),
        status: FinancialStatus::Paid,
        payment_method: None,
        due_date: None,
        paid_at: None,
        vehicle_id: None,
        deal_id: None,
        client_id: None,
        store_id: None,
    };
    let mut tx = app.store.begin().await.expect("tx");
    for _ in 1..9_300 {
        tx.financial()
            .insert(account, FinancialId::new(), &record)
            .await
            .expect("insert");
    }
    tx.commit().await.expect("commit");
    let reply = app
        .auto(key, Method::GET, "/api/v1/financial/summary", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    // 9,300 × 10^13 reais = 9.3 × 10^16 reais = 9.3 × 10^18 centavos > i64::MAX.
    for field in [
        r#""revenue":93000000000000000.00"#,
        r#""profit":93000000000000000.00"#,
        r#""commissions":93000000000000000.00"#,
    ] {
        assert!(reply.text.contains(field), "{field}: {}", reply.text);
    }
    assert_eq!(reply.body["data"]["by_category"][0]["count"], 9300);
}

both_backends!(
    open_vocabularies_are_accepted_filtered_and_kept,
    whole_number_floats_are_integers,
    stores_page_like_every_list,
    responsible_id_names_a_user_of_the_account,
    margins_without_purchase_price_are_unknown,
    huge_totals_are_summed_exactly,
);
