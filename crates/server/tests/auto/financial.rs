//! `/financial` (§4.5): records with the documented enumerations, paid
//! stamps, list filters, bad input, tenant isolation, and the summary
//! checked against figures computed by hand.

use vitrine_testkit::{both_backends, json, Method, TestApp, Value};

use crate::fixtures::{assert_error, assert_timestamp, civic, create, joao};

async fn record_lifecycle(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let client = create(&app, key, "/api/v1/clients", &joao()).await;
    let vehicle = create(&app, key, "/api/v1/vehicles", &civic(&t.store_id, &client)).await;
    let body = json!({
        "type": "cost",
        "category": "funilaria",
        "description": "Martelinho de ouro",
        "amount": 1200.50,
        "payment_method": "pix",
        "due_date": "2026-02-10",
        "vehicle_id": vehicle,
        "client_id": client,
        "store_id": t.store_id
    });
    let reply = app
        .auto(key, Method::POST, "/api/v1/financial", Some(&body))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let d = reply.body["data"].clone();
    assert!(
        reply.text.contains("\"amount\":1200.50"),
        "two-decimal literal: {}",
        reply.text
    );
    assert_eq!(d["type"], "cost");
    assert_eq!(d["category"], "funilaria");
    assert_eq!(d["status"], "pending");
    assert_eq!(d["payment_method"], "pix");
    assert_eq!(d["due_date"], "2026-02-10");
    assert_eq!(d["paid_at"], Value::Null);
    assert_eq!(d["vehicle_id"], vehicle.as_str());
    assert_eq!(d["deal_id"], Value::Null);
    let id = d["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/financial/{id}");
    assert_eq!(
        app.auto(key, Method::GET, &path, None).await.body["data"],
        d
    );

    // Paying stamps paid_at; partial update keeps the rest.
    let reply = app
        .auto(key, Method::PUT, &path, Some(&json!({"status": "paid"})))
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["status"], "paid");
    assert_timestamp(&reply.body["data"]["paid_at"], "paid_at");
    assert_eq!(reply.body["data"]["amount"], d["amount"]);
    // A given paid_at is kept.
    let reply = app
        .auto(
            key,
            Method::PATCH,
            &path,
            Some(&json!({"paid_at": "2026-02-11T09:00:00Z", "amount": 1300})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["paid_at"], "2026-02-11T09:00:00Z");
    assert!(reply.text.contains("\"amount\":1300.00"));
    // Changing the type needs a category of that type.
    let reply = app
        .auto(key, Method::PUT, &path, Some(&json!({"type": "expense"})))
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("category"),
        Some("enum"),
        "category of another type",
    );
    let reply = app
        .auto(
            key,
            Method::PUT,
            &path,
            Some(&json!({"type": "expense", "category": "marketing"})),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);

    // The OLD prefix, and no DELETE documented for financial.
    let old = app
        .auto(key, Method::GET, &format!("/v1/financial/{id}"), None)
        .await;
    assert_eq!(old.status, 200);
    let delete = app.auto(key, Method::DELETE, &path, None).await;
    assert_error(&delete, 405, "METHOD_NOT_ALLOWED", None, None, "no delete");
}

async fn record_bad_input_changes_nothing(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let ok = json!({"type": "revenue", "category": "comissao", "amount": 10});
    let with = |k: &str, v: Value| {
        let mut b = ok.clone();
        b[k] = v;
        b
    };
    let without = |k: &str| {
        let mut b = ok.clone();
        if let Some(o) = b.as_object_mut() {
            o.remove(k);
        }
        b
    };
    for (body, status, field, kind, why) in [
        (without("type"), 400, "type", "required", "no type"),
        (
            without("category"),
            400,
            "category",
            "required",
            "no category",
        ),
        (without("amount"), 400, "amount", "required", "no amount"),
        (
            with("type", json!("receita")),
            400,
            "type",
            "enum",
            "type not documented",
        ),
        (
            with("category", json!("pneus")),
            400,
            "category",
            "enum",
            "category not documented",
        ),
        (
            with("category", json!("aluguel")),
            400,
            "category",
            "enum",
            "expense category on revenue",
        ),
        (with("amount", json!(0)), 400, "amount", "min", "zero"),
        (with("amount", json!(-5)), 400, "amount", "min", "negative"),
        (
            with("amount", json!("10.00")),
            400,
            "amount",
            "invalid",
            "string amount",
        ),
        (
            with("amount", json!(1.005)),
            400,
            "amount",
            "invalid",
            "three decimals",
        ),
        (
            with("status", json!("pago")),
            400,
            "status",
            "enum",
            "status not documented",
        ),
        (
            with("payment_method", json!("bitcoin")),
            400,
            "payment_method",
            "enum",
            "payment method",
        ),
        (
            with("due_date", json!("10/02/2026")),
            400,
            "due_date",
            "invalid",
            "date format",
        ),
        (
            with("vehicle_id", json!("0192f0c2-7a3b-7cde-8f00-00000000abcd")),
            422,
            "vehicle_id",
            "not_found",
            "unknown vehicle",
        ),
        (
            with("deal_id", json!("uuid-do-negocio")),
            422,
            "deal_id",
            "not_found",
            "placeholder deal",
        ),
    ] {
        let reply = app
            .auto(key, Method::POST, "/api/v1/financial", Some(&body))
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
    let reply = app
        .auto(key, Method::POST, "/api/v1/financial", Some(&json!({})))
        .await;
    assert_eq!(
        reply.body["error"]["details"]["errors"]
            .as_array()
            .map(Vec::len),
        Some(3),
        "{}",
        reply.text
    );
    let list = app.auto(key, Method::GET, "/api/v1/financial", None).await;
    assert_eq!(list.body["pagination"]["total"], 0, "nothing created");
    for (q, field) in [
        ("?type=x", "type"),
        ("?from=2026-13-01", "from"),
        ("?sort=valor", "sort"),
    ] {
        let reply = app
            .auto(key, Method::GET, &format!("/api/v1/financial{q}"), None)
            .await;
        assert_error(&reply, 400, "VALIDATION_ERROR", Some(field), None, q);
    }
}

/// The fixture of the summary test; every figure below is computed by hand.
///
/// Vehicle Civic, bought for 125,000.00; vehicle Corolla, bought for
/// 80,000.00. Period 2026-02-01..=2026-02-28.
///
/// | record                       | amount     | status    | due        | in period |
/// |------------------------------|-----------:|-----------|------------|-----------|
/// | revenue venda-veiculo Civic  | 140,000.00 | paid      | 2026-02-10 | yes       |
/// | revenue comissao             |   1,500.00 | paid      | 2026-02-12 | yes       |
/// | revenue financiamento        |     800.00 | pending   | 2026-02-20 | yes       |
/// | cost funilaria Civic         |   1,200.00 | paid      | 2026-01-20 | no        |
/// | cost higienizacao Civic      |     300.00 | paid      | 2026-02-05 | yes       |
/// | expense aluguel              |   5,000.00 | pending   | 2026-02-01 | yes       |
/// | expense marketing            |     700.00 | cancelled | 2026-02-15 | yes       |
/// | revenue venda-veiculo Corolla|  90,000.00 | pending   | 2026-03-05 | no        |
/// | cost mecanica Corolla        |   2,000.00 | cancelled | 2026-02-25 | yes       |
async fn summary_matches_hand_computed_figures(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let client = create(&app, key, "/api/v1/clients", &joao()).await;
    let civic_id = create(&app, key, "/api/v1/vehicles", &civic(&t.store_id, &client)).await;
    let corolla = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Toyota Corolla XEi 2022", "store_id": t.store_id, "purchase_price": 80000.00}),
    )
    .await;
    for (kind, category, amount, status, due, vehicle) in [
        (
            "revenue",
            "venda-veiculo",
            140000.00,
            "paid",
            "2026-02-10",
            Some(&civic_id),
        ),
        ("revenue", "comissao", 1500.00, "paid", "2026-02-12", None),
        (
            "revenue",
            "financiamento",
            800.00,
            "pending",
            "2026-02-20",
            None,
        ),
        (
            "cost",
            "funilaria",
            1200.00,
            "paid",
            "2026-01-20",
            Some(&civic_id),
        ),
        (
            "cost",
            "higienizacao",
            300.00,
            "paid",
            "2026-02-05",
            Some(&civic_id),
        ),
        ("expense", "aluguel", 5000.00, "pending", "2026-02-01", None),
        (
            "expense",
            "marketing",
            700.00,
            "cancelled",
            "2026-02-15",
            None,
        ),
        (
            "revenue",
            "venda-veiculo",
            90000.00,
            "pending",
            "2026-03-05",
            Some(&corolla),
        ),
        (
            "cost",
            "mecanica",
            2000.00,
            "cancelled",
            "2026-02-25",
            Some(&corolla),
        ),
    ] {
        let body = json!({
            "type": kind, "category": category, "amount": amount,
            "status": status, "due_date": due, "vehicle_id": vehicle
        });
        create(&app, key, "/api/v1/financial", &body).await;
    }
    // Another account's records never count.
    let other = app.tenant().await;
    create(
        &app,
        &other.api_key,
        "/api/v1/financial",
        &json!({"type": "revenue", "category": "comissao", "amount": 999}),
    )
    .await;

    let reply = app
        .auto(
            key,
            Method::GET,
            "/api/v1/financial/summary?from=2026-02-01&to=2026-02-28",
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let s = &reply.body["data"];
    let n = |v: &Value| v.as_f64();
    assert_eq!(
        s["period"],
        json!({"from": "2026-02-01", "to": "2026-02-28"})
    );
    // 140,000 + 1,500 + 800
    assert_eq!(n(&s["revenue"]), Some(142300.0));
    // 5,000 (marketing is cancelled)
    assert_eq!(n(&s["expense"]), Some(5000.0));
    // 300 (funilaria is in January; mecanica is cancelled)
    assert_eq!(n(&s["cost"]), Some(300.0));
    // 142,300 − 5,000 − 300
    assert_eq!(n(&s["profit"]), Some(137000.0));
    assert!(
        reply
            .text
            .contains(r#""paid":{"revenue":141500.00,"expense":0.00,"cost":300.00}"#),
        "money as two-decimal literals: {}",
        reply.text
    );
    assert_eq!(
        s["pending"],
        json!({"revenue": 800.0, "expense": 5000.0, "cost": 0.0})
    );
    assert_eq!(
        s["cancelled"],
        json!({"revenue": 0.0, "expense": 700.0, "cost": 2000.0})
    );
    assert_eq!(
        s["by_category"],
        json!([
            {"type": "revenue", "category": "venda-veiculo", "total": 140000.0, "count": 1},
            {"type": "revenue", "category": "comissao", "total": 1500.0, "count": 1},
            {"type": "revenue", "category": "financiamento", "total": 800.0, "count": 1},
            {"type": "expense", "category": "aluguel", "total": 5000.0, "count": 1},
            {"type": "cost", "category": "higienizacao", "total": 300.0, "count": 1}
        ])
    );
    // comissao 1,500 + financiamento 800
    assert_eq!(n(&s["commissions"]), Some(2300.0));
    // Civic: 140,000 − 125,000 − (1,200 + 300) = 13,500. The Corolla's
    // sale is in March, so it is not sold in February.
    assert_eq!(
        s["vehicles"],
        json!([{
            "vehicle_id": civic_id, "title": "Honda Civic EXL 2.0 2024",
            "purchase_price": 125000.0, "sale_value": 140000.0, "expenses": 1500.0, "margin": 13500.0,
            "margin_unknown_reason": null
        }])
    );
    assert!(
        reply.text.contains(r#""margin":13500.00"#),
        "{}",
        reply.text
    );

    // Without a period: everything. Revenue 142,300 + 90,000; cost 300 +
    // 1,200. The Corolla's sale is pending: it has not sold the car
    // (issue 16.3), so only the Civic has a margin.
    let all = app
        .auto(key, Method::GET, "/api/v1/financial/summary", None)
        .await;
    let s = &all.body["data"];
    assert_eq!(s["period"], json!({"from": null, "to": null}));
    assert_eq!(n(&s["revenue"]), Some(232300.0));
    assert_eq!(n(&s["cost"]), Some(1500.0));
    assert_eq!(n(&s["profit"]), Some(225800.0));
    let margins: Vec<String> = s["vehicles"]
        .as_array()
        .expect("vehicles")
        .iter()
        .map(|v| {
            format!(
                "{}={}",
                v["title"].as_str().unwrap_or_default(),
                v["margin"]
            )
        })
        .collect();
    assert_eq!(margins, vec!["Honda Civic EXL 2.0 2024=13500.0"]);

    // A loss renders negative: only March, where the Corolla's sale is
    // pending and nothing else counts → profit 90,000.
    let march = app
        .auto(
            key,
            Method::GET,
            "/api/v1/financial/summary?from=2026-03-01&to=2026-03-31",
            None,
        )
        .await;
    assert_eq!(n(&march.body["data"]["profit"]), Some(90000.0));
    let jan = app
        .auto(
            key,
            Method::GET,
            "/api/v1/financial/summary?from=2026-01-01&to=2026-01-31",
            None,
        )
        .await;
    assert_eq!(n(&jan.body["data"]["profit"]), Some(-1200.0));

    // The list filters on the same period and links.
    let list = app
        .auto(
            key,
            Method::GET,
            &format!("/api/v1/financial?from=2026-02-01&to=2026-02-28&vehicle_id={civic_id}"),
            None,
        )
        .await;
    assert_eq!(list.body["pagination"]["total"], 2, "{}", list.text);
    let list = app
        .auto(
            key,
            Method::GET,
            "/api/v1/financial?type=revenue&status=pending",
            None,
        )
        .await;
    assert_eq!(list.body["pagination"]["total"], 2);
    let list = app
        .auto(
            key,
            Method::GET,
            "/api/v1/financial?category=comissao&sort=amount",
            None,
        )
        .await;
    assert_eq!(list.body["pagination"]["total"], 1);
    let bad = app
        .auto(
            key,
            Method::GET,
            "/api/v1/financial/summary?from=ontem",
            None,
        )
        .await;
    assert_error(
        &bad,
        400,
        "VALIDATION_ERROR",
        Some("from"),
        Some("invalid"),
        "bad period",
    );
}

async fn records_of_another_account_are_not_found(app: TestApp) {
    let a = app.tenant().await;
    let b = app.tenant().await;
    let id = create(
        &app,
        &a.api_key,
        "/api/v1/financial",
        &json!({"type": "expense", "category": "aluguel", "amount": 5000}),
    )
    .await;
    let path = format!("/api/v1/financial/{id}");
    let before = app.auto(&a.api_key, Method::GET, &path, None).await.body;
    for (method, body) in [
        (Method::GET, None),
        (Method::PUT, Some(json!({"status": "paid"}))),
        (Method::PATCH, Some(json!({"amount": 1}))),
    ] {
        let reply = app
            .auto(&b.api_key, method.clone(), &path, body.as_ref())
            .await;
        assert_error(&reply, 404, "NOT_FOUND", None, None, &format!("{method}"));
    }
    let list = app
        .auto(&b.api_key, Method::GET, "/api/v1/financial", None)
        .await;
    assert_eq!(list.body["data"], json!([]));
    let summary = app
        .auto(&b.api_key, Method::GET, "/api/v1/financial/summary", None)
        .await;
    assert_eq!(summary.body["data"]["expense"], json!(0.0));
    assert_eq!(
        app.auto(&a.api_key, Method::GET, &path, None).await.body,
        before
    );
}

both_backends!(
    record_lifecycle,
    record_bad_input_changes_nothing,
    summary_matches_hand_computed_figures,
    records_of_another_account_are_not_found,
);
