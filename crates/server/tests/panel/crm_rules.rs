//! The CRM rules of issue 16 as the panel shows and applies them: the
//! kanban's extra columns for phases outside the known ones (16.8) and a
//! deal won there selling its vehicle like the API (16.2); the vehicle form
//! accepting open statuses and phases and refusing non-http photo links
//! (12.10); a margin without a purchase price shown as unknown (16.3).

use serde_json::{json, Value};
use vitrine_core::ids::{AccountId, VehicleId};
use vitrine_core::vehicle::Vehicle;
use vitrine_testkit::{both_backends, Method, Tenant, TestApp};

use crate::browserless::Visitor;
use crate::deals::deal_via_api_get;
use crate::vehicles::{vehicle_via_api, vehicle_via_api_get};

async fn deal(app: &TestApp, t: &Tenant, body: Value) -> String {
    let reply = app
        .auto(&t.api_key, Method::POST, "/api/v1/deals", Some(&body))
        .await;
    assert_eq!(reply.status, 201, "{}", reply.text);
    reply.body["data"]["id"].as_str().expect("id").to_owned()
}

async fn the_kanban_shows_every_phase_and_a_won_deal_sells_its_car(app: TestApp) {
    let t = app.tenant().await;
    let car = vehicle_via_api(
        &app,
        &t,
        json!({"title": "Jeep Renegade", "phase": "anunciado"}),
    )
    .await;
    let sale = deal(
        &app,
        &t,
        json!({"title": "Renegade para Ana", "vehicle_id": car}),
    )
    .await;
    let lead = deal(
        &app,
        &t,
        json!({"title": "Lead do site", "phase": "Qualificação"}),
    )
    .await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;

    // The known phases are the default columns; a phase of the team's own
    // gets a column of its own, with its card, and is offered in every
    // move form.
    let board = v.get("/painel/negocios").await;
    board.assert_html(200);
    for column in [
        "id=\"fase-lead\"",
        "id=\"fase-fechamento\"",
        "id=\"fase-qualificação\" data-phase=\"qualificação\"",
    ] {
        assert!(
            board.body.contains(column),
            "{column} missing:\n{}",
            board.body
        );
    }
    let column = board
        .body
        .split("id=\"fase-qualificação\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .expect("the extra column");
    assert!(column.contains("Lead do site") && column.contains(&format!("deal-{lead}")));
    assert!(!column.contains("Renegade"));
    assert!(
        board
            .body
            .contains("<option value=\"qualificação\">qualificação</option>"),
        "the move form offers it:\n{}",
        board.body
    );

    // Moving a card there, and to a brand-new phase, is accepted.
    let moved = v
        .post(
            &format!("/painel/negocios/{sale}/fase"),
            &[("csrf", &csrf), ("phase", "qualificação")],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    assert_eq!(
        deal_via_api_get(&app, &t.api_key, &sale).await["phase"],
        "qualificação"
    );
    let moved = v
        .post(
            &format!("/painel/negocios/{lead}/fase"),
            &[("csrf", &csrf), ("phase", "Aguardando banco")],
        )
        .await;
    assert_eq!(moved.status, 303, "{}", moved.body);
    let board = v.get("/painel/negocios").await;
    assert!(
        board
            .body
            .contains("id=\"fase-aguardando-banco\" data-phase=\"aguardando banco\""),
        "{}",
        board.body
    );

    // Won on the board: the car is sold, as through the API.
    let won = v
        .post(
            &format!("/painel/negocios/{sale}/ganho"),
            &[("csrf", &csrf), ("value", "")],
        )
        .await;
    assert_eq!(won.status, 303, "{}", won.body);
    let api = vehicle_via_api_get(&app, &t.api_key, &car).await;
    assert_eq!(
        (api["status"].clone(), api["phase"].clone()),
        (json!("vendido"), json!("vendido"))
    );
    let cars = v.get("/painel/veiculos?status=vendido").await;
    assert!(cars.body.contains("Vendido · Vendido"), "{}", cars.body);
    // Lost on the board: a deal never won sells nothing.
    let other = vehicle_via_api(&app, &t, json!({"title": "Fiat Pulse"})).await;
    let lost = deal(&app, &t, json!({"title": "Pulse", "vehicle_id": other})).await;
    let gone = v
        .post(
            &format!("/painel/negocios/{lost}/perdido"),
            &[("csrf", &csrf), ("loss_reason", "Desistiu")],
        )
        .await;
    assert_eq!(gone.status, 303, "{}", gone.body);
    let api = vehicle_via_api_get(&app, &t.api_key, &other).await;
    assert_eq!(
        (api["status"].clone(), api["phase"].clone()),
        (json!("ativo"), json!("entrada"))
    );
}

fn form<'a>(
    csrf: &'a str,
    store: &'a str,
    status: &'a str,
    phase: &'a str,
    photos: &'a str,
) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("title", "VW Nivus"),
        ("store_id", store),
        ("status", status),
        ("phase", phase),
        ("photos", photos),
    ]
}

async fn the_vehicle_form_takes_open_values_and_only_http_photos(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let page = v.get("/painel/veiculos/novo").await;
    page.assert_html(200);
    assert!(
        page.body.contains("list=\"v-statuses\""),
        "the known values are suggested"
    );

    // A javascript: photo is refused next to the field; nothing is saved.
    let refused = v
        .post(
            "/painel/veiculos",
            &form(
                &csrf,
                &t.store_id,
                "consignado",
                "pronto",
                "https://x.example/1.jpg\njavascript:alert(1)",
            ),
        )
        .await;
    refused.assert_html(422);
    assert!(
        refused
            .body
            .contains("Fotos (item 2) deve ser uma URL http:// ou https:// absoluta"),
        "{}",
        refused.body
    );
    let list = app
        .auto(&t.api_key, Method::GET, "/api/v1/vehicles", None)
        .await;
    assert_eq!(list.body["pagination"]["total"], 0);

    // A status and phase of the team's own are kept, and shown.
    let saved = v
        .post(
            "/painel/veiculos",
            &form(
                &csrf,
                &t.store_id,
                "Consignado",
                "pronto",
                "https://x.example/1.jpg",
            ),
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    let id = saved.location().rsplit('/').next().expect("id").to_owned();
    let api = vehicle_via_api_get(&app, &t.api_key, &id).await;
    assert_eq!(
        (api["status"].clone(), api["phase"].clone()),
        (json!("consignado"), json!("pronto"))
    );
    let shown = v.get(&format!("/painel/veiculos/{id}")).await;
    assert!(
        shown.body.contains("<td>pronto</td>") && shown.body.contains("<td>consignado</td>"),
        "{}",
        shown.body
    );
    let list = v.get("/painel/veiculos?status=consignado").await;
    assert!(list.body.contains("consignado · pronto"), "{}", list.body);
    assert!(
        list.body.contains("<option value=\"consignado\" selected>"),
        "the filter keeps it:\n{}",
        list.body
    );
    let edit = v.get(&format!("/painel/veiculos/{id}/editar")).await;
    assert!(
        edit.body
            .contains("name=\"status\" list=\"v-statuses\" maxlength=\"100\" value=\"consignado\""),
        "{}",
        edit.body
    );

    // A photo stored before the URL rule (written straight to the store)
    // is shown as text, never as a link.
    let account: AccountId = t.account_id.parse().expect("account");
    let mut legacy = Vehicle::new("Legado".into(), t.store_id.parse().expect("store"));
    legacy.photos = Some(vec![
        "javascript:alert(1)".into(),
        "https://x.example/ok.jpg".into(),
    ]);
    let mut tx = app.store.begin().await.expect("tx");
    let old = tx
        .vehicles()
        .insert(account, VehicleId::new(), &legacy)
        .await
        .expect("insert");
    tx.commit().await.expect("commit");
    let shown = v.get(&format!("/painel/veiculos/{}", old.id)).await;
    shown.assert_html(200);
    assert!(!shown.body.contains("href=\"javascript:"), "{}", shown.body);
    assert!(
        shown.body.contains("<li>javascript:alert(1)</li>"),
        "{}",
        shown.body
    );
    assert!(shown.body.contains("href=\"https://x.example/ok.jpg\""));
}

async fn an_unknown_margin_is_shown_as_unknown(app: TestApp) {
    let t = app.tenant().await;
    let car = vehicle_via_api(&app, &t, json!({"title": "Peugeot 208"})).await;
    let sale = app
        .auto(
            &t.api_key,
            Method::POST,
            "/api/v1/financial",
            Some(&json!({"type": "revenue", "category": "venda-veiculo", "amount": 70000, "status": "paid", "vehicle_id": car})),
        )
        .await;
    assert_eq!(sale.status, 201, "{}", sale.text);
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let page = v.get("/painel/financeiro/resumo").await;
    page.assert_html(200);
    let row = page
        .body
        .split(&format!("id=\"margem-{car}\""))
        .nth(1)
        .and_then(|rest| rest.split("</tr>").next())
        .unwrap_or_else(|| panic!("the sold car's row:\n{}", page.body));
    assert!(
        row.contains("Desconhecida — Preço de compra não informado"),
        "{row}"
    );
    assert!(
        !row.contains("R$ 70.000,00</td></tr>") && !row.contains("data-cents"),
        "never the sale as margin: {row}"
    );
    assert!(
        !page.body.contains("data-margin="),
        "no bar drawn for it:\n{}",
        page.body
    );
}

both_backends!(
    the_kanban_shows_every_phase_and_a_won_deal_sells_its_car,
    the_vehicle_form_takes_open_values_and_only_http_photos,
    an_unknown_margin_is_shown_as_unknown,
);
