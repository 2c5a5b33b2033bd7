//! The stock follows the sale (issue 16.2, docs/api.md): a won deal with a
//! vehicle, or a paid `venda-veiculo` record linked to one, marks it
//! `vendido · vendido`; cancelling the sale puts back what it was, unless
//! another sale still holds it; each change queues `vehicle.updated` (and
//! `vehicle.sold`) in the outbox with the vehicle as `GET` renders it.

use vitrine_core::ids::AccountId;
use vitrine_store::Db;
use vitrine_testkit::{both_backends, json, Method, Tenant, TestApp, Value};

use crate::fixtures::{assert_error, create};

/// Every event the account queued, oldest first: `(name, payload)`.
async fn outbox(app: &TestApp, t: &Tenant) -> Vec<(String, Value)> {
    let account: AccountId = t.account_id.parse().expect("account");
    let sql = "SELECT event_type, body FROM webhook_events WHERE account_id = $1 \
               ORDER BY created_at, id";
    let mut conn = app.store.conn().await.expect("conn");
    let rows: Vec<(String, String)> = match conn.db() {
        Db::Sqlite(c) => sqlx::query_as(sql).bind(account.0).fetch_all(c).await,
        Db::Postgres(c) => sqlx::query_as(sql).bind(account.0).fetch_all(c).await,
    }
    .expect("outbox rows");
    rows.into_iter()
        .map(|(name, body)| (name, serde_json::from_str(&body).expect("json payload")))
        .collect()
}

/// The vehicle events queued since `seen` events, sorted by name, with
/// the status and phase each payload carries.
async fn vehicle_events_since(
    app: &TestApp,
    t: &Tenant,
    seen: &mut usize,
) -> Vec<(String, String, String)> {
    let all = outbox(app, t).await;
    let mut new: Vec<(String, String, String)> = all[*seen..]
        .iter()
        .filter(|(name, _)| name.starts_with("vehicle."))
        .map(|(name, body)| {
            let d = &body["data"];
            (
                name.clone(),
                d["status"].as_str().unwrap_or_default().to_owned(),
                d["phase"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    *seen = all.len();
    new.sort();
    new
}

fn ev(name: &str, status: &str, phase: &str) -> (String, String, String) {
    (name.to_owned(), status.to_owned(), phase.to_owned())
}

async fn vehicle(app: &TestApp, key: &str, id: &str) -> (String, String) {
    let reply = app
        .auto(key, Method::GET, &format!("/api/v1/vehicles/{id}"), None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let d = &reply.body["data"];
    (
        d["status"].as_str().expect("status").to_owned(),
        d["phase"].as_str().expect("phase").to_owned(),
    )
}

fn pair(status: &str, phase: &str) -> (String, String) {
    (status.to_owned(), phase.to_owned())
}

async fn put(app: &TestApp, key: &str, path: &str, body: Value) -> Value {
    let reply = app.auto(key, Method::PUT, path, Some(&body)).await;
    assert_eq!(reply.status, 200, "PUT {path} {body}: {}", reply.text);
    reply.body["data"].clone()
}

async fn a_won_deal_sells_its_vehicle_and_reopening_returns_it(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let car = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Civic", "store_id": t.store_id, "phase": "anunciado", "plate": "ABC1D23"}),
    )
    .await;
    let deal = create(
        &app,
        key,
        "/api/v1/deals",
        &json!({"title": "Venda do Civic", "vehicle_id": car}),
    )
    .await;
    let d_path = format!("/api/v1/deals/{deal}");
    let mut seen = outbox(&app, &t).await.len();

    // An open deal sells nothing; a phase move neither.
    put(&app, key, &d_path, json!({"phase": "proposta"})).await;
    assert_eq!(vehicle(&app, key, &car).await, pair("ativo", "anunciado"));

    // Won: the car is sold, status and phase agreeing, with its events.
    put(
        &app,
        key,
        &d_path,
        json!({"status": "ganho", "value": 139000}),
    )
    .await;
    assert_eq!(vehicle(&app, key, &car).await, pair("vendido", "vendido"));
    assert_eq!(
        vehicle_events_since(&app, &t, &mut seen).await,
        [
            ev("vehicle.sold", "vendido", "vendido"),
            ev("vehicle.updated", "vendido", "vendido")
        ]
    );
    let list = app
        .auto(key, Method::GET, "/api/v1/vehicles?status=vendido", None)
        .await;
    assert_eq!(list.body["pagination"]["total"], 1, "{}", list.text);

    // Archiving the won deal keeps the sale.
    let archived = app.auto(key, Method::DELETE, &d_path, None).await;
    assert_eq!(archived.status, 200, "{}", archived.text);
    assert_eq!(vehicle(&app, key, &car).await, pair("vendido", "vendido"));
    assert_eq!(vehicle_events_since(&app, &t, &mut seen).await, []);

    // Reopened: the car is back as it was before the sale.
    put(&app, key, &d_path, json!({"status": "ativo"})).await;
    assert_eq!(vehicle(&app, key, &car).await, pair("ativo", "anunciado"));
    assert_eq!(
        vehicle_events_since(&app, &t, &mut seen).await,
        [ev("vehicle.updated", "ativo", "anunciado")]
    );

    // Won again, then lost: back again.
    put(&app, key, &d_path, json!({"status": "ganho"})).await;
    assert_eq!(vehicle(&app, key, &car).await, pair("vendido", "vendido"));
    put(&app, key, &d_path, json!({"status": "perdido"})).await;
    assert_eq!(vehicle(&app, key, &car).await, pair("ativo", "anunciado"));

    // Sold, it no longer holds its plate (Decision 2): another vehicle
    // may take it, and then the sale cannot be cancelled (409, nothing
    // written) until one of them changes.
    put(&app, key, &d_path, json!({"status": "ganho"})).await;
    create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Outro Civic", "store_id": t.store_id, "plate": "ABC1D23"}),
    )
    .await;
    let reply = app
        .auto(key, Method::PUT, &d_path, Some(&json!({"status": "ativo"})))
        .await;
    assert_error(
        &reply,
        409,
        "DUPLICATE_ENTRY",
        Some("plate"),
        Some("duplicate"),
        "plate retaken",
    );
    assert_eq!(vehicle(&app, key, &car).await, pair("vendido", "vendido"));
    let deal_now = app.auto(key, Method::GET, &d_path, None).await;
    assert_eq!(
        deal_now.body["data"]["status"], "ganho",
        "the deal is still won"
    );

    // A deal created won sells at once.
    let other = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Onix", "store_id": t.store_id, "status": "reservado", "phase": "reservado"}),
    )
    .await;
    create(
        &app,
        key,
        "/api/v1/deals",
        &json!({"title": "Venda do Onix", "vehicle_id": other, "status": "ganho"}),
    )
    .await;
    assert_eq!(vehicle(&app, key, &other).await, pair("vendido", "vendido"));
}

async fn a_vehicle_stays_sold_while_another_sale_holds_it(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let car = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Corolla", "store_id": t.store_id, "phase": "preparacao"}),
    )
    .await;
    let first = create(
        &app,
        key,
        "/api/v1/deals",
        &json!({"title": "A", "vehicle_id": car}),
    )
    .await;
    let second = create(
        &app,
        key,
        "/api/v1/deals",
        &json!({"title": "B", "vehicle_id": car}),
    )
    .await;
    put(
        &app,
        key,
        &format!("/api/v1/deals/{first}"),
        json!({"status": "ganho"}),
    )
    .await;
    put(
        &app,
        key,
        &format!("/api/v1/deals/{second}"),
        json!({"status": "ganho"}),
    )
    .await;
    put(
        &app,
        key,
        &format!("/api/v1/deals/{first}"),
        json!({"status": "ativo"}),
    )
    .await;
    assert_eq!(
        vehicle(&app, key, &car).await,
        pair("vendido", "vendido"),
        "the second won deal still holds it"
    );
    // A paid sale record holds it too.
    let record = create(
        &app,
        key,
        "/api/v1/financial",
        &json!({"type": "revenue", "category": "venda-veiculo", "amount": 90000, "status": "paid", "vehicle_id": car}),
    )
    .await;
    put(
        &app,
        key,
        &format!("/api/v1/deals/{second}"),
        json!({"status": "perdido"}),
    )
    .await;
    assert_eq!(
        vehicle(&app, key, &car).await,
        pair("vendido", "vendido"),
        "the record holds it"
    );
    put(
        &app,
        key,
        &format!("/api/v1/financial/{record}"),
        json!({"status": "cancelled"}),
    )
    .await;
    assert_eq!(
        vehicle(&app, key, &car).await,
        pair("ativo", "preparacao"),
        "no sale left: back to what the first sale found"
    );

    // Moving a won deal to another vehicle returns the first and sells the
    // second.
    let swap = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "HB20", "store_id": t.store_id}),
    )
    .await;
    put(
        &app,
        key,
        &format!("/api/v1/deals/{first}"),
        json!({"status": "ganho"}),
    )
    .await;
    assert_eq!(vehicle(&app, key, &car).await, pair("vendido", "vendido"));
    put(
        &app,
        key,
        &format!("/api/v1/deals/{first}"),
        json!({"vehicle_id": swap}),
    )
    .await;
    assert_eq!(vehicle(&app, key, &car).await, pair("ativo", "preparacao"));
    assert_eq!(vehicle(&app, key, &swap).await, pair("vendido", "vendido"));

    // Put back in stock by hand while sold: the hand wins when the sale is
    // cancelled later.
    put(
        &app,
        key,
        &format!("/api/v1/vehicles/{swap}"),
        json!({"status": "ativo", "phase": "anunciado"}),
    )
    .await;
    put(
        &app,
        key,
        &format!("/api/v1/deals/{first}"),
        json!({"status": "ativo"}),
    )
    .await;
    assert_eq!(vehicle(&app, key, &swap).await, pair("ativo", "anunciado"));
}

async fn a_paid_vehicle_sale_record_sells_the_vehicle(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let car = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Compass", "store_id": t.store_id, "phase": "anunciado"}),
    )
    .await;
    let mut seen = outbox(&app, &t).await.len();
    // Pending: not sold yet.
    let record = create(
        &app,
        key,
        "/api/v1/financial",
        &json!({"type": "revenue", "category": "venda-veiculo", "amount": 150000, "vehicle_id": car}),
    )
    .await;
    assert_eq!(vehicle(&app, key, &car).await, pair("ativo", "anunciado"));
    assert_eq!(vehicle_events_since(&app, &t, &mut seen).await, []);
    // Paid: sold.
    let path = format!("/api/v1/financial/{record}");
    put(&app, key, &path, json!({"status": "paid"})).await;
    assert_eq!(vehicle(&app, key, &car).await, pair("vendido", "vendido"));
    assert_eq!(
        vehicle_events_since(&app, &t, &mut seen).await,
        [
            ev("vehicle.sold", "vendido", "vendido"),
            ev("vehicle.updated", "vendido", "vendido")
        ]
    );
    // Cancelled: back.
    put(&app, key, &path, json!({"status": "cancelled"})).await;
    assert_eq!(vehicle(&app, key, &car).await, pair("ativo", "anunciado"));
    assert_eq!(
        vehicle_events_since(&app, &t, &mut seen).await,
        [ev("vehicle.updated", "ativo", "anunciado")]
    );
    // A commission linked to the car is no sale.
    create(
        &app,
        key,
        "/api/v1/financial",
        &json!({"type": "revenue", "category": "comissao", "amount": 500, "status": "paid", "vehicle_id": car}),
    )
    .await;
    assert_eq!(vehicle(&app, key, &car).await, pair("ativo", "anunciado"));
    // Created paid: sold at once.
    create(
        &app,
        key,
        "/api/v1/financial",
        &json!({"type": "revenue", "category": "venda-veiculo", "amount": 150000, "status": "paid", "vehicle_id": car}),
    )
    .await;
    assert_eq!(vehicle(&app, key, &car).await, pair("vendido", "vendido"));
}

async fn a_refused_sale_changes_no_stock(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let car = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Kwid", "store_id": t.store_id}),
    )
    .await;
    let deal = create(
        &app,
        key,
        "/api/v1/deals",
        &json!({"title": "Kwid", "vehicle_id": car}),
    )
    .await;
    let seen = outbox(&app, &t).await.len();
    // Won, but another field is refused: nothing at all is written.
    let reply = app
        .auto(
            key,
            Method::PUT,
            &format!("/api/v1/deals/{deal}"),
            Some(&json!({"status": "ganho", "probability": 101})),
        )
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("probability"),
        Some("max"),
        "refused",
    );
    assert_eq!(vehicle(&app, key, &car).await, pair("ativo", "entrada"));
    assert_eq!(outbox(&app, &t).await.len(), seen, "no event queued");
    // Another account's deal cannot reach this vehicle.
    let other = app.tenant().await;
    let reply = app
        .auto(
            &other.api_key,
            Method::POST,
            "/api/v1/deals",
            Some(&json!({"title": "Alheio", "vehicle_id": car, "status": "ganho"})),
        )
        .await;
    assert_error(
        &reply,
        422,
        "VALIDATION_ERROR",
        Some("vehicle_id"),
        Some("not_found"),
        "foreign vehicle",
    );
    assert_eq!(vehicle(&app, key, &car).await, pair("ativo", "entrada"));
}

async fn status_and_phase_never_contradict(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let car = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Polo", "store_id": t.store_id}),
    )
    .await;
    let path = format!("/api/v1/vehicles/{car}");
    let v = put(&app, key, &path, json!({"status": "vendido"})).await;
    assert_eq!(
        (v["status"].clone(), v["phase"].clone()),
        (json!("vendido"), json!("vendido"))
    );
    let v = put(&app, key, &path, json!({"status": "ativo"})).await;
    assert_eq!(
        (v["status"].clone(), v["phase"].clone()),
        (json!("ativo"), json!("entrada"))
    );
    let v = put(&app, key, &path, json!({"phase": "entregue"})).await;
    assert_eq!(
        (v["status"].clone(), v["phase"].clone()),
        (json!("vendido"), json!("entregue"))
    );
    let created = app
        .auto(
            key,
            Method::POST,
            "/api/v1/vehicles",
            Some(&json!({"title": "Gol", "store_id": t.store_id, "status": "vendido"})),
        )
        .await;
    assert_eq!(created.status, 201, "{}", created.text);
    assert_eq!(created.body["data"]["phase"], "vendido");
    let refused = app
        .auto(
            key,
            Method::PUT,
            &path,
            Some(&json!({"status": "ativo", "phase": "vendido"})),
        )
        .await;
    assert_error(
        &refused,
        400,
        "VALIDATION_ERROR",
        Some("phase"),
        Some("invalid"),
        "contradiction",
    );
    assert_eq!(
        vehicle(&app, key, &car).await,
        pair("vendido", "entregue"),
        "unchanged"
    );
}

both_backends!(
    a_won_deal_sells_its_vehicle_and_reopening_returns_it,
    a_vehicle_stays_sold_while_another_sale_holds_it,
    a_paid_vehicle_sale_record_sells_the_vehicle,
    a_refused_sale_changes_no_stock,
    status_and_phase_never_contradict,
);
