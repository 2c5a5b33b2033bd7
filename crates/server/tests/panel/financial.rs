//! Financeiro over HTTP: records created in the form are the API's, the
//! summary's figures are those of `GET /api/v1/financial/summary` for the
//! same period, with the two SVG charts drawn from them; CSRF and tenancy.

use chrono::{Duration, Utc};
use serde_json::{json, Value};
use vitrine_testkit::{both_backends, Method, Tenant, TestApp};

use crate::browserless::{Page, Visitor};
use crate::vehicles::vehicle_via_api;

both_backends!(
    records_and_summary_match_the_api,
    a_bad_record_shows_the_rule_and_writes_nothing,
    financial_forms_need_the_session_token,
    another_accounts_record_is_not_found,
);

async fn api_records(app: &TestApp, key: &str) -> Vec<Value> {
    let reply = app
        .auto(key, Method::GET, "/api/v1/financial?limit=100", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["data"].as_array().expect("records").clone()
}

/// An API amount (a JSON number of reais) in centavos.
fn cents(v: &Value) -> i64 {
    let reais = v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"));
    (reais * 100.0).round() as i64
}

/// `data-cents` of the element with `id` on the page.
fn data_cents(page: &Page, id: &str) -> i64 {
    let tag = page
        .body
        .split(&format!("id=\"{id}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("#{id} missing:\n{}", page.body));
    let start = tag.find("data-cents=\"").expect("data-cents") + 12;
    let len = tag[start..].find('"').expect("quote");
    tag[start..start + len].parse().expect("cents")
}

/// Sum of every `data-<name>` attribute on the page (the chart's bars).
fn sum_of(page: &Page, name: &str) -> i64 {
    page.body
        .split(&format!("data-{name}=\""))
        .skip(1)
        .map(|rest| {
            rest[..rest.find('"').expect("quote")]
                .parse::<i64>()
                .expect("cents")
        })
        .sum()
}

async fn post_record(v: &Visitor, csrf: &str, fields: &[(&str, &str)]) -> Page {
    let mut form = vec![("csrf", csrf)];
    form.extend_from_slice(fields);
    v.post("/painel/financeiro", &form).await
}

async fn records_and_summary_match_the_api(app: TestApp) {
    let t: Tenant = app.tenant().await;
    let civic = vehicle_via_api(
        &app,
        &t,
        json!({"title": "Honda Civic", "purchase_price": 100000}),
    )
    .await;
    let onix = vehicle_via_api(
        &app,
        &t,
        json!({"title": "Chevrolet Onix", "purchase_price": 60000}),
    )
    .await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let page = v.get("/painel/financeiro").await;
    page.assert_html(200);
    assert!(page.body.contains("Nenhum lançamento encontrado"));
    let form = v.get("/painel/financeiro/novo").await;
    form.assert_html(200);
    assert!(form.body.contains("Honda Civic"), "vehicles are offered");

    let today = Utc::now().date_naive().format("%Y-%m-%d").to_string();
    for fields in [
        vec![
            ("category", "venda-veiculo"),
            ("amount", "142.900,00"),
            ("status", "paid"),
            ("payment_method", "pix"),
            ("vehicle_id", civic.as_str()),
            ("store_id", t.store_id.as_str()),
        ],
        vec![
            ("category", "funilaria"),
            ("amount", "2.500,00"),
            ("status", "paid"),
            ("vehicle_id", civic.as_str()),
        ],
        vec![
            ("category", "venda-veiculo"),
            ("amount", "55000"),
            ("status", "pending"),
            ("vehicle_id", onix.as_str()),
            ("due_date", today.as_str()),
        ],
        vec![
            ("category", "mecanica"),
            ("amount", "1.000,00"),
            ("vehicle_id", onix.as_str()),
        ],
        vec![
            ("category", "aluguel"),
            ("amount", "5.000,00"),
            ("description", "Aluguel do galpão"),
        ],
        vec![
            ("category", "comissao"),
            ("amount", "800,00"),
            ("status", "paid"),
        ],
        vec![
            ("category", "marketing"),
            ("amount", "300"),
            ("status", "cancelled"),
        ],
    ] {
        let created = post_record(&v, &csrf, &fields).await;
        assert_eq!(created.status, 303, "{fields:?}: {}", created.body);
        assert_eq!(created.location(), "/painel/financeiro");
    }
    let records = api_records(&app, &t.api_key).await;
    assert_eq!(records.len(), 7);
    let sale = records
        .iter()
        .find(|r| r["vehicle_id"] == json!(civic) && r["category"] == "venda-veiculo")
        .expect("sale");
    assert_eq!(sale["type"], "revenue", "the type follows the category");
    assert_eq!(sale["amount"], json!(142900.0));
    assert_eq!(sale["payment_method"], "pix");
    assert_eq!(sale["store_id"], json!(t.store_id));
    assert!(sale["paid_at"].is_string(), "created paid: paid_at stamped");
    let rent = records
        .iter()
        .find(|r| r["category"] == "aluguel")
        .expect("rent");
    assert_eq!(rent["type"], "expense");
    assert_eq!(rent["status"], "pending");
    assert_eq!(rent["description"], "Aluguel do galpão");

    // The list filters like GET /financial.
    let list = v.get("/painel/financeiro?type=cost").await;
    list.assert_html(200);
    assert_eq!(
        list.body.matches("<tr id=\"lancamento-").count(),
        2,
        "{}",
        list.body
    );
    let paid = v.get("/painel/financeiro?status=paid").await;
    assert_eq!(paid.body.matches("<tr id=\"lancamento-").count(), 3);
    // The vehicle's page links to its records.
    let vehicle = v.get(&format!("/painel/veiculos/{civic}")).await;
    let link = format!("/painel/financeiro?vehicle_id={civic}");
    assert!(vehicle.body.contains(&format!("href=\"{link}\"")));
    let linked = v.get(&link).await;
    assert_eq!(linked.body.matches("<tr id=\"lancamento-").count(), 2);
    assert!(
        linked
            .body
            .contains(&format!("name=\"vehicle_id\" value=\"{civic}\"")),
        "the filter keeps it"
    );

    // "Marcar pago" on the rent: paid like PATCH {"status": "paid"}.
    let rent_id = rent["id"].as_str().expect("id");
    let marked = v
        .post(
            &format!("/painel/financeiro/{rent_id}/pago"),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(marked.status, 303, "{}", marked.body);
    let reply = app
        .auto(
            &t.api_key,
            Method::GET,
            &format!("/api/v1/financial/{rent_id}"),
            None,
        )
        .await;
    assert_eq!(reply.body["data"]["status"], "paid", "{}", reply.text);
    assert!(reply.body["data"]["paid_at"].is_string());

    // The Onix's sale is pending: the car is not sold, and no margin is
    // reported for it (issue 16.3). Marked paid in the panel, it sells
    // the car exactly as the API would (issue 16.2).
    let sold = |body: &Value| -> Vec<String> {
        body["data"]["vehicles"]
            .as_array()
            .expect("vehicles")
            .iter()
            .map(|m| m["title"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    let summary = app
        .auto(&t.api_key, Method::GET, "/api/v1/financial/summary", None)
        .await;
    assert_eq!(sold(&summary.body), ["Honda Civic"]);
    let car = |id: &str| {
        let path = format!("/api/v1/vehicles/{id}");
        let app = &app;
        let key = t.api_key.clone();
        async move {
            let d = app.auto(&key, Method::GET, &path, None).await.body["data"].clone();
            (d["status"].clone(), d["phase"].clone())
        }
    };
    assert_eq!(car(&onix).await, (json!("ativo"), json!("entrada")));
    assert_eq!(
        car(&civic).await,
        (json!("vendido"), json!("vendido")),
        "created paid in the panel"
    );
    let onix_sale = records
        .iter()
        .find(|r| r["vehicle_id"] == json!(onix) && r["category"] == "venda-veiculo")
        .expect("onix sale");
    let marked = v
        .post(
            &format!(
                "/painel/financeiro/{}/pago",
                onix_sale["id"].as_str().expect("id")
            ),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(marked.status, 303, "{}", marked.body);
    assert_eq!(car(&onix).await, (json!("vendido"), json!("vendido")));
    let summary = app
        .auto(&t.api_key, Method::GET, "/api/v1/financial/summary", None)
        .await;
    assert_eq!(sold(&summary.body), ["Chevrolet Onix", "Honda Civic"]);

    // The summary over a period: the API's figures, both charts drawn.
    let from = (Utc::now() - Duration::days(40))
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let to = (Utc::now() + Duration::days(1))
        .date_naive()
        .format("%Y-%m-%d")
        .to_string();
    let api = app
        .auto(
            &t.api_key,
            Method::GET,
            &format!("/api/v1/financial/summary?from={from}&to={to}"),
            None,
        )
        .await;
    assert_eq!(api.status, 200, "{}", api.text);
    let s = &api.body["data"];
    let page = v
        .get(&format!("/painel/financeiro/resumo?from={from}&to={to}"))
        .await;
    page.assert_html(200);
    for (id, field) in [
        ("resumo-receitas", "revenue"),
        ("resumo-despesas", "expense"),
        ("resumo-custos", "cost"),
        ("resumo-lucro", "profit"),
        ("resumo-comissoes", "commissions"),
    ] {
        assert_eq!(
            data_cents(&page, id),
            cents(&s[field]),
            "{id} vs {field}: {s}"
        );
    }
    assert_eq!(
        data_cents(&page, "resumo-pendente"),
        cents(&s["pending"]["revenue"])
    );
    // Known values, so the comparison cannot pass on two zeros.
    assert_eq!(cents(&s["revenue"]), 19_870_000);
    assert_eq!(cents(&s["profit"]), 19_870_000 - 500_000 - 350_000);
    let margins = s["vehicles"].as_array().expect("vehicles");
    assert_eq!(margins.len(), 2);
    for m in margins {
        let id = m["vehicle_id"].as_str().expect("id");
        assert_eq!(
            data_cents(&page, &format!("margem-{id}")),
            cents(&m["margin"]),
            "{m}"
        );
    }
    assert_eq!(
        data_cents(&page, &format!("margem-{civic}")),
        14_290_000 - 10_000_000 - 250_000
    );
    assert_eq!(
        data_cents(&page, &format!("margem-{onix}")),
        5_500_000 - 6_000_000 - 100_000
    );
    assert!(
        page.body
            .contains("<svg class=\"chart\" id=\"grafico-mensal\""),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("<svg class=\"chart\" id=\"grafico-margens\""));
    assert!(page.body.contains("−R$ 6.000,00"), "a loss is drawn as one");
    // The monthly bars add up to the period's totals.
    assert_eq!(sum_of(&page, "income"), cents(&s["revenue"]));
    assert_eq!(
        sum_of(&page, "expense"),
        cents(&s["expense"]) + cents(&s["cost"])
    );
    assert!(page.body.contains("<rect class=\"income\""));

    // A store filter is the API's too.
    let other = app
        .auto(
            &t.api_key,
            Method::GET,
            &format!(
                "/api/v1/financial/summary?from={from}&to={to}&store_id={}",
                t.store_id
            ),
            None,
        )
        .await;
    let page = v
        .get(&format!(
            "/painel/financeiro/resumo?from={from}&to={to}&store_id={}",
            t.store_id
        ))
        .await;
    assert_eq!(
        data_cents(&page, "resumo-receitas"),
        cents(&other.body["data"]["revenue"])
    );
    assert_eq!(cents(&other.body["data"]["revenue"]), 14_290_000);
    // The default period (the last six months) includes today.
    let default = v.get("/painel/financeiro/resumo").await;
    default.assert_html(200);
    assert_eq!(data_cents(&default, "resumo-receitas"), 19_870_000);
}

async fn a_bad_record_shows_the_rule_and_writes_nothing(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let zero = post_record(
        &v,
        &csrf,
        &[
            ("category", "aluguel"),
            ("amount", "0"),
            ("description", "manter"),
        ],
    )
    .await;
    zero.assert_html(422);
    assert!(
        zero.body.contains(
            "<p class=\"field-error\" data-field=\"amount\">Valor deve ser maior que 0</p>"
        ),
        "{}",
        zero.body
    );
    assert!(
        zero.body.contains("value=\"manter\""),
        "the form keeps what was typed"
    );
    let bad = post_record(
        &v,
        &csrf,
        &[
            ("category", "doacao"),
            ("amount", "12,345"),
            ("status", "quase"),
            ("due_date", "31/12/2026"),
        ],
    )
    .await;
    bad.assert_html(422);
    for field in [
        "data-field=\"category\">Categoria deve ser um dos valores",
        "data-field=\"amount\">Valor deve ter no máximo duas casas decimais",
        "data-field=\"status\">Status deve ser um dos valores",
        "data-field=\"due_date\">Vencimento deve ser uma data no formato YYYY-MM-DD",
    ] {
        assert!(bad.body.contains(field), "{field} missing:\n{}", bad.body);
    }
    let missing = post_record(&v, &csrf, &[("category", "aluguel"), ("amount", "")]).await;
    missing.assert_html(422);
    assert!(missing.body.contains("Valor é obrigatório"));
    // Ambiguous amounts are refused rather than guessed.
    for typed in ["1.50.0", "1234.567", "abc"] {
        let page = post_record(&v, &csrf, &[("category", "aluguel"), ("amount", typed)]).await;
        page.assert_html(422);
        assert!(
            page.body.contains(
                "data-field=\"amount\">Valor deve ser um valor em reais, como 142.900,00"
            ),
            "{typed}: {}",
            page.body
        );
        assert!(!page.body.contains("'amount'"));
    }
    assert!(api_records(&app, &t.api_key).await.is_empty());

    // Typed the Brazilian way: 100.000 is cem mil, 1.500 is mil e quinhentos
    // (they were saved as R$ 100,00 and R$ 1,50).
    for (typed, amount) in [
        ("100.000", 100000.0),
        ("1.500", 1500.0),
        ("1.500,50", 1500.5),
    ] {
        let page = post_record(
            &v,
            &csrf,
            &[
                ("category", "aluguel"),
                ("amount", typed),
                ("description", typed),
            ],
        )
        .await;
        assert_eq!(page.status, 303, "{typed}: {}", page.body);
        let saved = api_records(&app, &t.api_key).await;
        let r = saved
            .iter()
            .find(|r| r["description"] == typed)
            .expect("saved");
        assert_eq!(r["amount"], json!(amount), "{typed}");
    }
    let list = v.get("/painel/financeiro").await;
    assert!(list.body.contains("R$ 100.000,00") && list.body.contains("R$ 1.500,00"));
}

async fn financial_forms_need_the_session_token(app: TestApp) {
    let t = app.tenant().await;
    let reply = app
        .auto(
            &t.api_key,
            Method::POST,
            "/api/v1/financial",
            Some(&json!({"type": "expense", "category": "aluguel", "amount": 5000})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let id = reply.body["data"]["id"].as_str().expect("id").to_owned();
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    v.post(
        "/painel/financeiro",
        &[("category", "aluguel"), ("amount", "10")],
    )
    .await
    .assert_html(403);
    v.post(
        &format!("/painel/financeiro/{id}/pago"),
        &[("csrf", "errado")],
    )
    .await
    .assert_html(403);
    let records = api_records(&app, &t.api_key).await;
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["status"], "pending");
}

async fn another_accounts_record_is_not_found(app: TestApp) {
    let mine = app.tenant().await;
    let theirs = app.tenant().await;
    let reply = app
        .auto(
            &theirs.api_key,
            Method::POST,
            "/api/v1/financial",
            Some(&json!({"type": "revenue", "category": "comissao", "amount": 777, "description": "Deles"})),
        )
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    let their = reply.body["data"]["id"].as_str().expect("id").to_owned();
    let their_vehicle = vehicle_via_api(&app, &theirs, json!({"title": "Carro deles"})).await;
    let v = Visitor::signed_in(&app, &mine.email, &mine.password).await;
    let csrf = v.session_csrf().await;
    v.post(
        &format!("/painel/financeiro/{their}/pago"),
        &[("csrf", &csrf)],
    )
    .await
    .assert_html(404);
    assert_eq!(
        api_records(&app, &theirs.api_key).await[0]["status"],
        "pending"
    );
    let linked = post_record(
        &v,
        &csrf,
        &[
            ("category", "comissao"),
            ("amount", "10"),
            ("vehicle_id", &their_vehicle),
        ],
    )
    .await;
    linked.assert_html(422);
    assert!(linked
        .body
        .contains("Veículo referencia um registro inexistente"));
    assert!(api_records(&app, &mine.api_key).await.is_empty());
    assert!(!v.get("/painel/financeiro").await.body.contains("Deles"));
    let summary = v.get("/painel/financeiro/resumo").await;
    assert_eq!(data_cents(&summary, "resumo-receitas"), 0);
    let their_store = v
        .get(&format!(
            "/painel/financeiro/resumo?store_id={}",
            theirs.store_id
        ))
        .await;
    their_store.assert_html(200);
    assert_eq!(
        data_cents(&their_store, "resumo-receitas"),
        0,
        "their store's figures are not mine"
    );
}
