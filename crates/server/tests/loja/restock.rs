//! Cancelling or refusing an order that was already sold puts its units
//! back (issue 16.15; Shopify's rule: restock on cancel unless told not
//! to, `restock=0`). Implemented once, in the order state machine and the
//! store's one status-change path: every face and node restocks once.

use std::sync::Arc;

use serde_json::{json, Value};
use tokio::task::JoinSet;
use vitrine_testkit::{both_backends, Backend, Reply, TestApp};

use crate::fixtures::product;
use crate::orders::{customer_735, insert};
use crate::shoppers::{add, checkout_body, jwt_post, many_customers, mint};
use crate::{data, error_body, expect, DONE};

async fn stock(app: &TestApp, tok: &str, sku: &str) -> Value {
    let r = app
        .loja_get(tok, &format!("/product/findbysku?sku={sku}&min=1"))
        .await;
    data(&r)["stock"].clone()
}

async fn change(app: &TestApp, tok: &str, id: &str, form: &[(&str, &str)]) -> Reply {
    let mut all = vec![("id", id)];
    all.extend_from_slice(form);
    app.loja_form(tok, "/order/changestatus", &all).await
}

async fn status_of(app: &TestApp, tok: &str, id: &str) -> Value {
    let r = app.loja_get(tok, &format!("/order/findbyid?id={id}")).await;
    data(&r)["status"].clone()
}

async fn cancelling_a_paid_order_restocks_it(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    product(&app, &t, "A", 1_000, 0, 10).await;
    crate::cart::seed_tinta(&app, tok).await;
    customer_735(&app, &t).await;

    // Waiting → paid → cancelled: 3 units of A and 4 of variation 182577
    // come back (before: the paid order's units were lost to the stock).
    let paid = insert(&app, tok, &[], &[("A", "3"), ("182577", "4")]).await;
    expect(
        &change(&app, tok, &paid, &[("new_status", "3")]).await,
        200,
        DONE,
    );
    assert_eq!(stock(&app, tok, "A").await, json!(7));
    expect(
        &change(&app, tok, &paid, &[("new_status", "8")]).await,
        200,
        DONE,
    );
    assert_eq!(stock(&app, tok, "A").await, json!(10));
    let r = app
        .loja_get(tok, "/product/findvarietybyproductsku?sku=TINTA-18L")
        .await;
    assert_eq!(data(&r)[0]["stock"], json!("10"), "{}", r.text);
    assert_eq!(status_of(&app, tok, &paid).await, json!("8"));
    // Between 4 and 8 nothing moves again; reviving is refused.
    expect(
        &change(&app, tok, &paid, &[("new_status", "4")]).await,
        200,
        DONE,
    );
    expect(
        &change(&app, tok, &paid, &[("new_status", "8")]).await,
        200,
        DONE,
    );
    assert_eq!(stock(&app, tok, "A").await, json!(10));
    expect(
        &change(&app, tok, &paid, &[("new_status", "3")]).await,
        400,
        &error_body("Invalid status change: 8 (Cancelado) to 3 (Pagamento Confirmado)"),
    );
    assert_eq!(stock(&app, tok, "A").await, json!(10));

    // An order that arrived paid, delivered, then refused (a chargeback):
    // restocked too.
    let delivered = insert(&app, tok, &[("status", "10")], &[("A", "2")]).await;
    expect(
        &change(&app, tok, &delivered, &[("new_status", "7")]).await,
        200,
        DONE,
    );
    assert_eq!(stock(&app, tok, "A").await, json!(8));
    expect(
        &change(&app, tok, &delivered, &[("new_status", "4")]).await,
        200,
        DONE,
    );
    assert_eq!(stock(&app, tok, "A").await, json!(10));

    // Told not to (damaged goods): the status changes, the units stay out.
    let damaged = insert(&app, tok, &[("status", "3")], &[("A", "1")]).await;
    expect(
        &change(
            &app,
            tok,
            &damaged,
            &[("new_status", "8"), ("restock", "0")],
        )
        .await,
        200,
        DONE,
    );
    assert_eq!(stock(&app, tok, "A").await, json!(9));
    assert_eq!(status_of(&app, tok, &damaged).await, json!("8"));
    // `restock=0` changes nothing for a waiting order: its retention is
    // still released (those units were never sold).
    let waiting = insert(&app, tok, &[], &[("A", "4")]).await;
    assert_eq!(stock(&app, tok, "A").await, json!(5));
    expect(
        &change(
            &app,
            tok,
            &waiting,
            &[("new_status", "8"), ("restock", "0")],
        )
        .await,
        200,
        DONE,
    );
    assert_eq!(stock(&app, tok, "A").await, json!(9));
    let r = app.loja_get(tok, "/product/retainedstock").await;
    expect(&r, 200, r#"{"success":true,"errors":[],"data":[]}"#);
}

/// Stock sums in SQL never overflow (issue 12.11): a restock onto a stock
/// a client set to `i64::MAX` saturates, and a sale past stock that would
/// pass `i64::MIN` is refused (before: both a 500).
async fn stock_arithmetic_never_overflows(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    product(&app, &t, "A", 1_000, 0, 10).await;
    customer_735(&app, &t).await;
    let paid = insert(&app, tok, &[("status", "3")], &[("A", "2")]).await;
    let max = i64::MAX.to_string();
    let r = app
        .loja_form(
            tok,
            "/product/bulkUpdate",
            &[("inputs[0][sku]", "A"), ("inputs[0][stock]", &max)],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    expect(
        &change(&app, tok, &paid, &[("new_status", "8")]).await,
        200,
        DONE,
    );
    assert_eq!(stock(&app, tok, "A").await, json!(i64::MAX));
    assert_eq!(status_of(&app, tok, &paid).await, json!("8"));

    let min = i64::MIN.to_string();
    let r = app
        .loja_form(
            tok,
            "/product/insert",
            &[
                ("name", "Fundo"),
                ("sku", "LOW"),
                ("stock", &min),
                ("available", "1"),
                ("status", "1"),
            ],
        )
        .await;
    expect(&r, 201, DONE);
    let r = app
        .loja_form(
            tok,
            "/order/insert",
            &[("customer_id", "1"), ("items[0][sku]", "LOW")],
        )
        .await;
    expect(&r, 400, &error_body("Insufficient stock for SKU LOW"));
    assert_eq!(stock(&app, tok, "LOW").await, json!(i64::MIN));
}

both_backends!(
    cancelling_a_paid_order_restocks_it,
    stock_arithmetic_never_overflows,
);

const PAID_ORDERS: usize = 20;
const UNITS_EACH: i64 = 2;
const SHOPPERS: usize = 60;

/// 20 paid orders of 2 units take all 40; then, all at once over the
/// nodes: each order cancelled four times (twice per node) while 60
/// shoppers try to buy one unit each. Every cancellation restocks once
/// (40 units back), and the shoppers never get more than came back.
async fn cancellations_restock_once_under_concurrency(nodes: Vec<Arc<TestApp>>) {
    let app = &nodes[0];
    let t = app.tenant().await;
    let tok = t.loja_token.clone();
    let total = UNITS_EACH * i64::try_from(PAID_ORDERS).expect("count");
    product(app, &t, "RACE-R", 10_000, 0, total).await;
    let customers = many_customers(app, &t, SHOPPERS).await;
    let mut orders = Vec::with_capacity(PAID_ORDERS);
    for _ in 0..PAID_ORDERS {
        let q = UNITS_EACH.to_string();
        orders.push(insert(app, &tok, &[("status", "3")], &[("RACE-R", &q)]).await);
    }
    assert_eq!(stock(app, &tok, "RACE-R").await, json!(0));
    let mut carts = Vec::with_capacity(SHOPPERS);
    for id in &customers {
        let jwt = mint(app, &t, *id, 3600).await;
        let hash = add(app, &jwt, "RACE-R", 1).await;
        carts.push((jwt, hash));
    }

    let mut set = JoinSet::new();
    for (i, id) in orders.iter().enumerate() {
        for n in 0..4 {
            let node = Arc::clone(&nodes[(i + n) % nodes.len()]);
            let (tok, id) = (tok.clone(), id.clone());
            set.spawn(async move {
                let r = node
                    .loja_form(
                        &tok,
                        "/order/changestatus",
                        &[("id", &id), ("new_status", "8")],
                    )
                    .await;
                ("cancel", r)
            });
        }
    }
    for (i, (jwt, hash)) in carts.into_iter().enumerate() {
        let node = Arc::clone(&nodes[i % nodes.len()]);
        set.spawn(async move {
            let r = jwt_post(&node, &jwt, "/cart/findcartbyhash", checkout_body(&hash)).await;
            ("checkout", r)
        });
    }
    let mut bought = 0_i64;
    while let Some(done) = set.join_next().await {
        let (what, r) = done.expect("task");
        match (what, r.status) {
            ("cancel", 200) => {}
            ("checkout", 200) => bought += 1,
            ("checkout", 400) => assert_eq!(
                r.text,
                error_body("Insufficient stock for SKU RACE-R"),
                "a refused checkout says why"
            ),
            _ => panic!("{what}: {} {}", r.status, r.text),
        }
    }
    for id in &orders {
        assert_eq!(status_of(app, &tok, id).await, json!("8"));
    }
    // Exactly 40 came back, once: what the shoppers bought plus what is
    // left is 40, never more (a double restock) nor less.
    let left = stock(app, &tok, "RACE-R").await.as_i64().expect("stock");
    assert!(left >= 0, "never oversold: {left}");
    assert_eq!(bought + left, total, "bought {bought}, left {left}");
    let r = app.loja_get(&tok, "/product/retainedstock").await;
    let held: i64 = data(&r)
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|row| row["stock"].as_str()?.parse::<i64>().ok())
        .sum();
    assert_eq!(held, bought, "each placed checkout holds its unit");
}

async fn two_nodes_restock_each_cancellation_once(backend: Backend) {
    let first = vitrine_testkit::spawn(backend).await;
    let second = vitrine_testkit::spawn_second(&first, Default::default()).await;
    cancellations_restock_once_under_concurrency(vec![Arc::new(first), Arc::new(second)]).await;
}

vitrine_testkit::server_backends!(two_nodes_restock_each_cancellation_once);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_sqlite_node_restocks_each_cancellation_once() {
    let app = vitrine_testkit::spawn(Backend::Sqlite).await;
    cancellations_restock_once_under_concurrency(vec![Arc::new(app)]).await;
}
