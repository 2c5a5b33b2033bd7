//! Veículos over HTTP: the form creates what the Auto API then serves, the
//! filters narrow the list like `GET /vehicles`, core's document rules
//! (with the account's strictness) refuse bad input without writing, an
//! edit persists with the API's events; CSRF and tenancy on every action.

use serde_json::{json, Value};
use vitrine_testkit::{both_backends, Method, Tenant, TestApp};

use crate::browserless::{Page, Visitor};

both_backends!(
    a_vehicle_made_in_the_form_is_served_by_the_api,
    filters_and_pages_narrow_the_list,
    bad_documents_show_the_rule_and_write_nothing,
    an_edit_persists_with_the_apis_events,
    vehicle_forms_need_the_session_token,
    another_accounts_vehicle_is_not_found,
    amounts_typed_the_brazilian_way_are_saved_and_shown_so,
    the_client_picker_searches_every_client,
);

/// A vehicle through the Auto API; its id.
pub async fn vehicle_via_api(app: &TestApp, t: &Tenant, body: Value) -> String {
    let mut body = body;
    if body.get("store_id").is_none() {
        body["store_id"] = json!(t.store_id);
    }
    let reply = app
        .auto(&t.api_key, Method::POST, "/api/v1/vehicles", Some(&body))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["data"]["id"].as_str().expect("id").to_owned()
}

/// `GET /api/v1/vehicles/:id`'s data.
pub async fn vehicle_via_api_get(app: &TestApp, key: &str, id: &str) -> Value {
    let reply = app
        .auto(key, Method::GET, &format!("/api/v1/vehicles/{id}"), None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    reply.body["data"].clone()
}

/// Every vehicle of the account the API lists (archived ones too).
async fn api_titles(app: &TestApp, key: &str) -> Vec<String> {
    let mut titles = Vec::new();
    for status in ["", "&status=arquivado"] {
        let reply = app
            .auto(
                key,
                Method::GET,
                &format!("/api/v1/vehicles?limit=100{status}"),
                None,
            )
            .await;
        assert_eq!(reply.status, 200, "{}", reply.text);
        titles.extend(
            reply.body["data"]
                .as_array()
                .expect("vehicles")
                .iter()
                .map(|v| v["title"].as_str().unwrap_or_default().to_owned()),
        );
    }
    titles.sort();
    titles
}

/// The complete create form, as a person fills it.
fn civic_form<'a>(csrf: &'a str, store: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("title", "Honda Civic EXL 2022"),
        ("store_id", store),
        ("client_id", ""),
        ("brand", "Honda"),
        ("model", "Civic"),
        ("version", "EXL 2.0"),
        ("year_model", "2022"),
        ("year_manufacture", "2021"),
        ("price", "142.900,00"),
        ("purchase_price", "118.000,50"),
        ("mileage", "35.000"),
        ("color", "Prata"),
        ("fuel", "Flex"),
        ("transmission", "Automatico"),
        ("plate", "ABC1D23"),
        ("phase", "anunciado"),
        ("status", "disponivel"),
        ("fipe_code", "014084-3"),
        ("fipe_price", "139500.00"),
        ("body_type", "Sedan"),
        ("doors", "4"),
        ("engine", "2.0 i-VTEC"),
        ("chassis", "9BWZZZ377VT004251"),
        ("renavam", "00639884962"),
        ("description", "Único dono, revisões na concessionária."),
        ("features", "Ar-condicionado\nBancos de couro\n"),
        ("photos", "https://fotos.example/civic-1.jpg"),
    ]
}

fn created_id(page: &Page) -> String {
    assert_eq!(page.status, 303, "{}", page.body);
    page.location()
        .strip_prefix("/painel/veiculos/")
        .unwrap_or_else(|| panic!("redirect to the vehicle, got {}", page.location()))
        .to_owned()
}

async fn set_strict(v: &Visitor, csrf: &str, strict: bool) {
    let mut fields = vec![("csrf", csrf)];
    if strict {
        fields.push(("strict_documents", "1"));
    }
    let saved = v.post("/painel/configuracoes/conta", &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
}

async fn a_vehicle_made_in_the_form_is_served_by_the_api(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let empty = v.get("/painel/veiculos").await;
    empty.assert_html(200);
    assert!(empty.body.contains("Nenhum veículo encontrado"));
    assert!(empty
        .body
        .contains("href=\"/painel/veiculos\" aria-current=\"page\""));
    let form = v.get("/painel/veiculos/novo").await;
    form.assert_html(200);
    for field in [
        "name=\"fipe_code\"",
        "name=\"renavam\"",
        "name=\"chassis\"",
        "name=\"body_type\"",
        "name=\"doors\"",
    ] {
        assert!(form.body.contains(field), "{field} missing");
    }

    let id = created_id(
        &v.post("/painel/veiculos", &civic_form(&csrf, &t.store_id))
            .await,
    );
    let api = vehicle_via_api_get(&app, &t.api_key, &id).await;
    let expected = json!({
        "title": "Honda Civic EXL 2022", "store_id": t.store_id, "client_id": null,
        "brand": "Honda", "model": "Civic", "version": "EXL 2.0",
        "year_model": 2022, "year_manufacture": 2021,
        "price": 142900.0, "purchase_price": 118000.5, "mileage": 35000,
        "color": "Prata", "fuel": "flex", "transmission": "automatico",
        "plate": "ABC1D23", "phase": "anunciado", "status": "disponivel",
        "fipe_code": "014084-3", "fipe_price": 139500.0, "body_type": "sedan",
        "doors": 4, "engine": "2.0 i-VTEC", "chassis": "9BWZZZ377VT004251",
        "renavam": "00639884962", "description": "Único dono, revisões na concessionária.",
        "features": ["Ar-condicionado", "Bancos de couro"],
        "photos": ["https://fotos.example/civic-1.jpg"],
    });
    for (field, want) in expected.as_object().expect("object") {
        assert_eq!(&api[field], want, "{field}: {api}");
    }

    // Its page and the list show it.
    let page = v.get(&format!("/painel/veiculos/{id}")).await;
    page.assert_html(200);
    for text in [
        "Honda Civic EXL 2022",
        "R$ 142.900,00",
        "R$ 139.500,00",
        "014084-3",
        "00639884962",
        "35.000 km",
        "Bancos de couro",
    ] {
        assert!(page.body.contains(text), "{text} missing");
    }
    let list = v.get("/painel/veiculos").await;
    assert!(list.body.contains(&format!("id=\"veiculo-{id}\"")));
    assert!(list.body.contains("Loja de Teste"));
}

/// The titles in the panel's list for `query`.
async fn listed(v: &Visitor, query: &str) -> Vec<String> {
    let page = v.get(&format!("/painel/veiculos?{query}")).await;
    page.assert_html(200);
    let mut titles: Vec<String> = page
        .body
        .split("<tr id=\"veiculo-")
        .skip(1)
        .filter_map(|row| {
            let link = row.split("\">").nth(3)?;
            Some(link.split("</a>").next()?.to_owned())
        })
        .collect();
    titles.sort();
    titles
}

async fn filters_and_pages_narrow_the_list(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let other_store = v
        .post(
            "/painel/configuracoes/lojas",
            &[("csrf", &csrf), ("name", "Filial Norte")],
        )
        .await;
    assert_eq!(other_store.status, 303, "{}", other_store.body);
    let mut conn = app.store.conn().await.expect("conn");
    let stores = conn
        .stores()
        .list(t.account_id.parse().expect("account"))
        .await
        .expect("stores");
    drop(conn);
    let norte = stores
        .iter()
        .find(|s| s.name == "Filial Norte")
        .expect("store")
        .id
        .to_string();
    vehicle_via_api(&app, &t, json!({"title": "Fiat Argo 2020", "brand": "Fiat", "year_model": 2020, "price": 65000, "plate": "AAA1A11"})).await;
    vehicle_via_api(
        &app,
        &t,
        json!({"title": "Fiat Toro 2023", "brand": "FIAT", "year_model": 2023, "price": 150000}),
    )
    .await;
    vehicle_via_api(&app, &t, json!({"title": "Jeep Compass 2022", "brand": "Jeep", "year_model": 2022, "price": 180000, "store_id": norte})).await;
    vehicle_via_api(&app, &t, json!({"title": "VW Gol 2015", "brand": "Volkswagen", "year_model": 2015, "price": 32000, "status": "vendido"})).await;
    vehicle_via_api(&app, &t, json!({"title": "Chevrolet Onix 2019", "brand": "Chevrolet", "year_model": 2019, "status": "arquivado"})).await;

    let all = [
        "Fiat Argo 2020",
        "Fiat Toro 2023",
        "Jeep Compass 2022",
        "VW Gol 2015",
    ];
    assert_eq!(listed(&v, "").await, all, "archived ones are left out");
    assert_eq!(
        listed(&v, "brand=fiat").await,
        ["Fiat Argo 2020", "Fiat Toro 2023"]
    );
    assert_eq!(
        listed(&v, "year_min=2020&year_max=2022").await,
        ["Fiat Argo 2020", "Jeep Compass 2022"]
    );
    assert_eq!(
        listed(&v, "price_min=60000&price_max=150000").await,
        ["Fiat Argo 2020", "Fiat Toro 2023"]
    );
    assert_eq!(
        listed(&v, &format!("store_id={norte}")).await,
        ["Jeep Compass 2022"]
    );
    assert_eq!(listed(&v, "status=vendido").await, ["VW Gol 2015"]);
    assert_eq!(
        listed(&v, "status=arquivado").await,
        ["Chevrolet Onix 2019"]
    );
    assert_eq!(
        listed(&v, "search=aaa1a11").await,
        ["Fiat Argo 2020"],
        "search covers the plate"
    );
    assert_eq!(
        listed(&v, "search=compass&brand=fiat").await,
        Vec::<String>::new()
    );
    // The same query through the API gives the same answer.
    let api = app
        .auto(
            &t.api_key,
            Method::GET,
            "/api/v1/vehicles?year_min=2020&year_max=2022",
            None,
        )
        .await;
    assert_eq!(api.body["pagination"]["total"], 2, "{}", api.text);

    // Pages of two, newest first, keeping the filters in the links.
    let first = v.get("/painel/veiculos?limit=2").await;
    assert!(first.body.contains("Página 1 de 2"), "{}", first.body);
    assert!(
        first
            .body
            .contains("href=\"/painel/veiculos?limit=2&amp;page=2\""),
        "{}",
        first.body
    );
    let mut paged = listed(&v, "limit=2").await;
    paged.extend(listed(&v, "limit=2&page=2").await);
    paged.sort();
    assert_eq!(paged, all);
    let filtered = v.get("/painel/veiculos?brand=Fiat&limit=1").await;
    assert!(filtered
        .body
        .contains("href=\"/painel/veiculos?brand=Fiat&amp;limit=1&amp;page=2\""));

    // Prices are typed the Brazilian way: 100.000 is cem mil (it was read
    // as R$ 100,00 and filtered nothing).
    assert_eq!(
        listed(&v, "price_min=100.000").await,
        ["Fiat Toro 2023", "Jeep Compass 2022"]
    );
    assert_eq!(
        listed(&v, "price_min=60.000,00&price_max=150.000").await,
        ["Fiat Argo 2020", "Fiat Toro 2023"]
    );
    let ambiguous = v.get("/painel/veiculos?price_min=1.50.0").await;
    ambiguous.assert_html(422);
    assert!(
        ambiguous.body.contains(
            "<p class=\"field-error\" data-field=\"price_min\">Preço de deve ser um valor em reais"
        ),
        "{}",
        ambiguous.body
    );
    assert!(ambiguous.body.contains("value=\"1.50.0\""), "kept as typed");

    // A filter the API refuses is refused here with its message.
    let bad = v.get("/painel/veiculos?year_min=dois-mil").await;
    bad.assert_html(422);
    assert!(
        bad.body
            .contains("Parâmetro 'year_min' deve ser um número inteiro"),
        "{}",
        bad.body
    );
}

async fn bad_documents_show_the_rule_and_write_nothing(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let with = |changes: &[(&'static str, &'static str)]| {
        let mut form = civic_form(&csrf, &t.store_id);
        for (k, val) in changes {
            form.retain(|(name, _)| name != k);
            form.push((k, val));
        }
        form
    };

    // Every problem at once, the form keeps what was typed.
    let bad = v
        .post(
            "/painel/veiculos",
            &with(&[
                ("plate", "ABCD123"),
                ("renavam", "123"),
                ("chassis", "9BWZZZ377VT00425"),
                ("year_model", "1850"),
                ("price", "-5"),
            ]),
        )
        .await;
    bad.assert_html(422);
    for message in [
        "data-field=\"plate\">Placa não é uma placa em formato válido",
        "data-field=\"renavam\">RENAVAM não é um RENAVAM em formato válido",
        "data-field=\"chassis\">Chassi (VIN) não é um chassi (VIN) em formato válido",
        "data-field=\"year_model\">Ano modelo deve ser maior ou igual a 1900",
        "data-field=\"price\">Preço de venda deve ser maior ou igual a 0",
    ] {
        assert!(
            bad.body.contains(message),
            "{message} missing:\n{}",
            bad.body
        );
    }
    assert!(
        bad.body.contains("value=\"ABCD123\""),
        "the form keeps the plate"
    );
    assert!(bad.body.contains("value=\"Honda Civic EXL 2022\""));
    assert!(api_titles(&app, &t.api_key).await.is_empty());

    // Strict documents: the RENAVAM check digit counts, as in the API.
    set_strict(&v, &csrf, true).await;
    let strict = v
        .post("/painel/veiculos", &with(&[("renavam", "12345678901")]))
        .await;
    strict.assert_html(422);
    assert!(
        strict
            .body
            .contains("RENAVAM tem dígitos verificadores de RENAVAM inválidos"),
        "{}",
        strict.body
    );
    let api = app
        .auto(
            &t.api_key,
            Method::POST,
            "/api/v1/vehicles",
            Some(&json!({"title": "X", "store_id": t.store_id, "renavam": "12345678901"})),
        )
        .await;
    assert_eq!(api.status, 400, "the API refuses it too: {}", api.text);
    assert!(api_titles(&app, &t.api_key).await.is_empty());
    set_strict(&v, &csrf, false).await;
    created_id(
        &v.post("/painel/veiculos", &with(&[("renavam", "12345678901")]))
            .await,
    );
    assert_eq!(api_titles(&app, &t.api_key).await, ["Honda Civic EXL 2022"]);

    // The plate of a vehicle in stock is taken; a store of nobody is not found.
    let twice = v
        .post(
            "/painel/veiculos",
            &with(&[
                ("title", "Outro Civic"),
                ("plate", "abc1d23"),
                ("renavam", ""),
            ]),
        )
        .await;
    twice.assert_html(422);
    assert!(
        twice
            .body
            .contains("data-field=\"plate\">Placa: já existe um registro com esse valor"),
        "{}",
        twice.body
    );
    let nowhere = v
        .post(
            "/painel/veiculos",
            &with(&[
                ("title", "Sem loja"),
                ("plate", ""),
                ("store_id", "0192f0c2-7a3b-7cde-8f00-00000000abcd"),
            ]),
        )
        .await;
    nowhere.assert_html(422);
    assert!(nowhere
        .body
        .contains("Loja referencia um registro inexistente"));
    assert_eq!(api_titles(&app, &t.api_key).await, ["Honda Civic EXL 2022"]);
}

async fn an_edit_persists_with_the_apis_events(app: TestApp) {
    let t = app.tenant().await;
    let hook = app
        .auto(
            &t.api_key,
            Method::POST,
            "/api/v1/webhooks",
            Some(&json!({"url": "http://127.0.0.1:9/hook", "events": ["vehicle.*"]})),
        )
        .await;
    assert_eq!(hook.status, 201, "{}", hook.text);
    let hook = hook.body["data"]["id"].as_str().expect("id").to_owned();
    let client = app
        .auto(
            &t.api_key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PF", "name": "Ana Lima"})),
        )
        .await;
    assert_eq!(client.status, 201, "{}", client.text);
    let client = client.body["data"]["id"].as_str().expect("id").to_owned();
    let id = vehicle_via_api(&app, &t, json!({"title": "Toyota Corolla XEi", "brand": "Toyota", "price": 129900, "plate": "BRA2E19", "features": ["Multimídia"], "client_id": client})).await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;

    let form = v.get(&format!("/painel/veiculos/{id}/editar")).await;
    form.assert_html(200);
    assert!(form.body.contains("value=\"Toyota Corolla XEi\""));
    assert!(form.body.contains("value=\"129.900,00\""));
    assert!(form.body.contains("value=\"BRA2E19\""));
    assert!(form.body.contains(">Multimídia</textarea>"));
    assert!(
        form.body.contains(&format!(
            "<option value=\"{client}\" selected>Ana Lima</option>"
        )),
        "{}",
        form.body
    );

    let mut edit = civic_form(&csrf, &t.store_id);
    edit.retain(|(k, _)| {
        !matches!(
            *k,
            "title" | "plate" | "status" | "phase" | "price" | "features" | "chassis"
        )
    });
    // Sold, with the phase left as it was (`entrada`): the phase follows
    // (status and phase never contradict, issue 16.2).
    edit.extend([
        ("title", "Toyota Corolla XEi 2.0"),
        ("plate", "BRA2E19"),
        ("status", "vendido"),
        ("phase", "entrada"),
        ("price", "127.500,00"),
        ("features", ""),
        ("chassis", ""),
    ]);
    let saved = v.post(&format!("/painel/veiculos/{id}"), &edit).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.location(), format!("/painel/veiculos/{id}"));
    let api = vehicle_via_api_get(&app, &t.api_key, &id).await;
    assert_eq!(api["title"], "Toyota Corolla XEi 2.0");
    assert_eq!(api["price"], json!(127500.0));
    assert_eq!(api["status"], "vendido");
    assert_eq!(api["phase"], "vendido");
    assert_eq!(api["features"], Value::Null, "a blank field clears it");
    assert_eq!(api["chassis"], Value::Null);
    assert_eq!(api["fipe_code"], "014084-3");
    assert_eq!(api["client_id"], Value::Null, "the form chose no client");

    // A bad edit changes nothing.
    let mut bad = edit.clone();
    bad.retain(|(k, _)| *k != "doors");
    bad.push(("doors", "12"));
    let refused = v.post(&format!("/painel/veiculos/{id}"), &bad).await;
    refused.assert_html(422);
    assert!(
        refused.body.contains("Portas deve ser menor ou igual a 10"),
        "{}",
        refused.body
    );
    assert_eq!(vehicle_via_api_get(&app, &t.api_key, &id).await["doors"], 4);

    // The events of PATCH /vehicles/:id were queued with the change.
    let deliveries = app
        .auto(
            &t.api_key,
            Method::GET,
            &format!("/api/v1/webhooks/{hook}/deliveries?limit=100"),
            None,
        )
        .await;
    let mut events: Vec<String> = deliveries.body["data"]
        .as_array()
        .expect("deliveries")
        .iter()
        .map(|d| d["event"].as_str().unwrap_or_default().to_owned())
        .collect();
    events.sort();
    assert_eq!(
        events,
        ["vehicle.created", "vehicle.sold", "vehicle.updated"]
    );
}

async fn vehicle_forms_need_the_session_token(app: TestApp) {
    let t = app.tenant().await;
    let id = vehicle_via_api(&app, &t, json!({"title": "Renault Kwid"})).await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let mut form = civic_form("", &t.store_id);
    form.retain(|(k, _)| *k != "csrf");
    v.post("/painel/veiculos", &form).await.assert_html(403);
    v.post(&format!("/painel/veiculos/{id}"), &form)
        .await
        .assert_html(403);
    form.push(("csrf", "errado"));
    v.post("/painel/veiculos", &form).await.assert_html(403);
    assert_eq!(api_titles(&app, &t.api_key).await, ["Renault Kwid"]);
    assert_eq!(
        vehicle_via_api_get(&app, &t.api_key, &id).await["title"],
        "Renault Kwid"
    );
}

async fn another_accounts_vehicle_is_not_found(app: TestApp) {
    let mine = app.tenant().await;
    let theirs = app.tenant().await;
    let their_vehicle =
        vehicle_via_api(&app, &theirs, json!({"title": "Deles", "plate": "XYZ9Z99"})).await;
    let v = Visitor::signed_in(&app, &mine.email, &mine.password).await;
    let csrf = v.session_csrf().await;
    for path in [
        format!("/painel/veiculos/{their_vehicle}"),
        format!("/painel/veiculos/{their_vehicle}/editar"),
        "/painel/veiculos/nao-e-um-id".to_owned(),
    ] {
        let page = v.get(&path).await;
        page.assert_html(404);
        assert!(page.body.contains("Página não encontrada"), "{path}");
        assert!(!page.body.contains("Deles"));
    }
    v.post(
        &format!("/painel/veiculos/{their_vehicle}"),
        &civic_form(&csrf, &mine.store_id),
    )
    .await
    .assert_html(404);
    assert_eq!(
        vehicle_via_api_get(&app, &theirs.api_key, &their_vehicle).await["title"],
        "Deles"
    );
    // Their store cannot hold my vehicle, and their plate does not block mine.
    let into_theirs = v
        .post("/painel/veiculos", &civic_form(&csrf, &theirs.store_id))
        .await;
    into_theirs.assert_html(422);
    assert!(into_theirs
        .body
        .contains("Loja referencia um registro inexistente"));
    let mut same_plate = civic_form(&csrf, &mine.store_id);
    same_plate.retain(|(k, _)| *k != "plate");
    same_plate.push(("plate", "XYZ9Z99"));
    created_id(&v.post("/painel/veiculos", &same_plate).await);
    let list = v.get("/painel/veiculos").await;
    assert!(!list.body.contains("Deles") && !list.body.contains(&their_vehicle));
    assert!(listed(&v, &format!("store_id={}", theirs.store_id))
        .await
        .is_empty());
    assert_eq!(api_titles(&app, &theirs.api_key).await, ["Deles"]);
}

async fn amounts_typed_the_brazilian_way_are_saved_and_shown_so(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let with = |changes: &[(&'static str, &'static str)]| {
        let mut form = civic_form(&csrf, &t.store_id);
        for (k, val) in changes {
            form.retain(|(name, _)| name != k);
            form.push((k, val));
        }
        form
    };
    let id = created_id(
        &v.post(
            "/painel/veiculos",
            &with(&[
                ("price", "100.000"),
                ("purchase_price", "1.500"),
                ("fipe_price", "1.500,50"),
                ("mileage", "35.000"),
            ]),
        )
        .await,
    );
    let api = vehicle_via_api_get(&app, &t.api_key, &id).await;
    assert_eq!(
        (
            &api["price"],
            &api["purchase_price"],
            &api["fipe_price"],
            &api["mileage"]
        ),
        (
            &json!(100000.0),
            &json!(1500.0),
            &json!(1500.5),
            &json!(35000)
        ),
        "{api}"
    );
    // The confirmation, then the edit form shows the amounts the same way.
    let page = v.get(&format!("/painel/veiculos/{id}")).await;
    assert!(page.body.contains("Veículo criado."), "{}", page.body);
    assert!(page.body.contains("R$ 100.000,00"));
    let edit = v.get(&format!("/painel/veiculos/{id}/editar")).await;
    edit.assert_html(200);
    for (field, shown) in [
        ("v-price", "100.000,00"),
        ("v-purchase-price", "1.500,00"),
        ("v-fipe-price", "1.500,50"),
        ("v-mileage", "35.000"),
    ] {
        assert_eq!(edit.field(field).as_deref(), Some(shown), "{field}");
    }
    // Saving the edit form untouched keeps every amount.
    let again: Vec<(&str, String)> = [
        ("price", "100.000,00"),
        ("purchase_price", "1.500,00"),
        ("fipe_price", "1.500,50"),
        ("mileage", "35.000"),
    ]
    .into_iter()
    .map(|(k, val)| (k, val.to_owned()))
    .collect();
    let mut form: Vec<(&str, &str)> = with(&[]);
    for (k, val) in &again {
        form.retain(|(name, _)| name != k);
        form.push((k, val));
    }
    let saved = v.post(&format!("/painel/veiculos/{id}"), &form).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(saved.location(), format!("/painel/veiculos/{id}"));
    let api = vehicle_via_api_get(&app, &t.api_key, &id).await;
    assert_eq!(api["price"], json!(100000.0));
    assert_eq!(api["fipe_price"], json!(1500.5));

    // Ambiguous amounts are refused by label, next to the field and at the
    // top of the form, and nothing is written.
    let before = api_titles(&app, &t.api_key).await;
    let bad = v
        .post(
            "/painel/veiculos",
            &with(&[
                ("title", "Outro Civic"),
                ("plate", ""),
                ("price", "1.50.0"),
                ("mileage", "35.00"),
            ]),
        )
        .await;
    bad.assert_html(422);
    let top = bad.body.find("id=\"erros\"").expect("the summary");
    let field = bad
        .body
        .find("data-field=\"price\">Preço de venda deve ser um valor em reais")
        .expect("the message at the field");
    assert!(top < bad.body.find("id=\"v-title\"").expect("form") && top < field);
    assert!(
        bad.body
            .contains("data-field=\"mileage\">Quilometragem deve ser um número inteiro"),
        "{}",
        bad.body
    );
    assert!(!bad.body.contains("'price'") && !bad.body.contains("'mileage'"));
    assert!(bad.body.contains("value=\"1.50.0\""), "kept as typed");
    assert_eq!(
        api_titles(&app, &t.api_key).await,
        before,
        "nothing written"
    );
    let unchanged = vehicle_via_api_get(&app, &t.api_key, &id).await;
    assert_eq!(unchanged["price"], json!(100000.0));
}

async fn the_client_picker_searches_every_client(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    // More clients than the picker shows at once; the one sought sorts last.
    for i in 0..25 {
        let reply = app
            .auto(
                &t.api_key,
                Method::POST,
                "/api/v1/clients",
                Some(&json!({"type": "PF", "name": format!("Ana Cliente {i:02}")})),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    let reply = app
        .auto(
            &t.api_key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PF", "name": "Zélia Quintana", "cpf": "529.982.247-25"})),
        )
        .await;
    let zelia = reply.body["data"]["id"].as_str().expect("id").to_owned();
    let form = v.get("/painel/veiculos/novo").await;
    assert!(
        !form.body.contains("Zélia Quintana"),
        "not among the first 20"
    );
    assert_eq!(form.body.matches("Ana Cliente").count(), 20);

    // Without JavaScript: "Buscar" posts the form back unsaved with the matches.
    let mut search = civic_form(&csrf, &t.store_id);
    search.push(("client_search", "quintana"));
    search.push(("buscar", "client_id"));
    let before = api_titles(&app, &t.api_key).await;
    let step = v.post("/painel/veiculos", &search).await;
    step.assert_html(200);
    assert!(
        step.body.contains(&format!(
            "<option value=\"{zelia}\">Zélia Quintana (529.982.247-25)</option>"
        )),
        "{}",
        step.body
    );
    assert!(
        step.body.contains("value=\"Honda Civic EXL 2022\""),
        "the form is kept"
    );
    assert_eq!(api_titles(&app, &t.api_key).await, before, "nothing saved");
    // The options endpoint the script uses gives the same, by document too.
    let options = v.get("/painel/clientes/opcoes?q=529.982").await;
    options.assert_html(200);
    assert!(options.body.contains(&zelia) && !options.body.contains("Ana Cliente"));

    // Chosen and saved.
    let mut chosen = civic_form(&csrf, &t.store_id);
    chosen.retain(|(k, _)| *k != "client_id");
    chosen.push(("client_id", &zelia));
    let id = created_id(&v.post("/painel/veiculos", &chosen).await);
    let api = vehicle_via_api_get(&app, &t.api_key, &id).await;
    assert_eq!(api["client_id"], json!(zelia));
    // Its edit form keeps the link although she is not among the first 20.
    let edit = v.get(&format!("/painel/veiculos/{id}/editar")).await;
    assert!(
        edit.body.contains(&format!(
            "<option value=\"{zelia}\" selected>Zélia Quintana</option>"
        )),
        "{}",
        edit.body
    );

    // Another account's clients are never offered.
    let other = app.tenant().await;
    let theirs = Visitor::signed_in(&app, &other.email, &other.password).await;
    let found = theirs.get("/painel/clientes/opcoes?q=quintana").await;
    assert!(!found.body.contains(&zelia), "{}", found.body);
}
