//! Documented bodies and small readers shared by the Auto tests.

use vitrine_core::ids::AccountId;
use vitrine_store::clients::{ClientFilter, ClientSort};
use vitrine_store::deals::{DealFilter, DealSort};
use vitrine_store::vehicles::{VehicleFilter, VehicleSort};
use vitrine_testkit::{json, Method, Reply, Tenant, TestApp, Value};

/// The quickstart's João (§4.1, S1), verbatim.
pub fn joao() -> Value {
    json!({
        "type": "PF",
        "name": "João da Silva",
        "email": "joao.silva@email.com",
        "cpf": "123.456.789-00",
        "phone": "+55 11 99999-8888",
        "segment": "premium"
    })
}

/// The quickstart's Civic with real ids in place of the placeholders.
pub fn civic(store_id: &str, client_id: &str) -> Value {
    json!({
        "title": "Honda Civic EXL 2.0 2024",
        "store_id": store_id,
        "brand": "Honda",
        "model": "Civic",
        "version": "EXL 2.0 Flex",
        "year_model": 2024,
        "year_manufacture": 2023,
        "price": 142900.00,
        "purchase_price": 125000.00,
        "mileage": 18500,
        "color": "Preto",
        "fuel": "flex",
        "transmission": "automatico",
        "plate": "ABC1D23",
        "client_id": client_id
    })
}

/// The quickstart's deal with a real client id.
pub fn civic_deal(client_id: &str) -> Value {
    json!({
        "title": "Venda Honda Civic 2024 — João da Silva",
        "value": 142900.00,
        "phase": "lead",
        "probability": 40,
        "client_id": client_id,
        "source": "showroom",
        "tags": ["civic", "premium"]
    })
}

/// POSTs `body` and returns the new id, asserting 201.
pub async fn create(app: &TestApp, key: &str, path: &str, body: &Value) -> String {
    let reply = app.auto(key, Method::POST, path, Some(body)).await;
    assert_eq!(reply.status, 201, "POST {path}: {}", reply.text);
    reply.body["data"]["id"].as_str().expect("an id").to_owned()
}

/// Asserts the Auto error envelope: status, code, and the first problem.
pub fn assert_error(
    reply: &Reply,
    status: u16,
    code: &str,
    field: Option<&str>,
    kind: Option<&str>,
    why: &str,
) {
    assert_eq!(reply.status, status, "{why}: {}", reply.text);
    assert_eq!(reply.body["success"], false, "{why}");
    assert_eq!(reply.body["error"]["code"], code, "{why}: {}", reply.text);
    assert!(reply.body["error"]["message"].is_string(), "{why}");
    if let Some(field) = field {
        assert_eq!(
            reply.body["error"]["details"]["field"], field,
            "{why}: {}",
            reply.text
        );
    }
    if let Some(kind) = kind {
        assert_eq!(
            reply.body["error"]["details"]["type"], kind,
            "{why}: {}",
            reply.text
        );
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ`.
pub fn assert_timestamp(v: &Value, why: &str) {
    let s = v
        .as_str()
        .unwrap_or_else(|| panic!("{why}: not a string: {v}"));
    let b = s.as_bytes();
    assert!(
        s.len() == 20 && b[4] == b'-' && b[10] == b'T' && b[19] == b'Z' && b[13] == b':',
        "{why}: {s}"
    );
}

/// Rows of the account in each table, read from the store (archived
/// vehicles and deals included).
pub async fn counts(app: &TestApp, account: &str) -> (u64, u64, u64) {
    let account: AccountId = account.parse().expect("account id");
    let mut conn = app.store.conn().await.expect("conn");
    let (_, clients) = conn
        .clients()
        .list(
            account,
            &ClientFilter::default(),
            ClientSort::CreatedAt,
            true,
            1,
            0,
        )
        .await
        .expect("clients");
    let mut vehicles = 0;
    for status in [None, Some(vitrine_core::vehicle::VehicleStatus::Arquivado)] {
        let filter = VehicleFilter {
            status,
            ..VehicleFilter::default()
        };
        let (_, n) = conn
            .vehicles()
            .list(account, &filter, VehicleSort::CreatedAt, true, 1, 0)
            .await
            .expect("vehicles");
        vehicles += n;
    }
    let mut deals = 0;
    for status in [None, Some(vitrine_core::deal::DealStatus::Arquivado)] {
        let filter = DealFilter {
            status,
            ..DealFilter::default()
        };
        let (_, n) = conn
            .deals()
            .list(account, &filter, DealSort::CreatedAt, true, 1, 0)
            .await
            .expect("deals");
        deals += n;
    }
    (clients, vehicles, deals)
}

/// The id of the tenant's panel user (its owner), as `responsible_id`
/// takes it.
pub async fn user_id(app: &TestApp, t: &Tenant) -> String {
    let mut conn = app.store.conn().await.expect("conn");
    let user = conn
        .users()
        .find_by_email(&t.email)
        .await
        .expect("lookup")
        .expect("the tenant's owner");
    user.id.to_string()
}
