//! No oversell, ever: 200 customers check out the last 10 units at once —
//! against two vitrine nodes on one PostgreSQL database and on one Citus
//! cluster, and against one node on SQLite. Exactly 10 orders are placed, stock ends at 0 with 10
//! retained; cancelling 3 (each cancellation sent to both nodes at once)
//! gives exactly 3 back.

use std::sync::Arc;

use serde_json::{json, Value};
use tokio::task::JoinSet;
use vitrine_testkit::{Backend, Reply, TestApp};

use crate::shoppers::{add, checkout_body, jwt_post, many_customers, mint};
use crate::{data, error_body, text};

const SHOPPERS: usize = 200;
const STOCK: i64 = 10;

async fn stock_of(app: &TestApp, token: &str) -> Value {
    let r = app
        .loja_get(token, "/product/findbysku?sku=RACE-1&min=1")
        .await;
    data(&r)["stock"].clone()
}

async fn retained(app: &TestApp, token: &str) -> (usize, i64) {
    let r = app.loja_get(token, "/product/retainedstock").await;
    let rows = data(&r).as_array().cloned().unwrap_or_default();
    let total = rows
        .iter()
        .filter_map(|row| row["stock"].as_str()?.parse::<i64>().ok())
        .sum();
    (rows.len(), total)
}

async fn last_units_race(nodes: Vec<Arc<TestApp>>) {
    let app = &nodes[0];
    let t = app.tenant().await;
    let tok = t.loja_token.clone();
    crate::fixtures::product(app, &t, "RACE-1", 10_000, 0, STOCK).await;
    let customers = many_customers(app, &t, SHOPPERS).await;
    let mut carts = Vec::with_capacity(SHOPPERS);
    for id in &customers {
        let jwt = mint(app, &t, *id, 3600).await;
        let hash = add(app, &jwt, "RACE-1", 1).await;
        carts.push((jwt, hash));
    }
    // Every checkout at once, spread over the nodes.
    let mut set = JoinSet::new();
    for (i, (jwt, hash)) in carts.into_iter().enumerate() {
        let node = Arc::clone(&nodes[i % nodes.len()]);
        set.spawn(async move {
            jwt_post(&node, &jwt, "/cart/findcartbyhash", checkout_body(&hash)).await
        });
    }
    let mut placed: Vec<Reply> = Vec::new();
    let mut refused = 0;
    while let Some(done) = set.join_next().await {
        let r = done.expect("task");
        if r.status == 200 {
            placed.push(r);
        } else {
            assert_eq!(
                (r.status, text(&r)),
                (400, error_body("Insufficient stock for SKU RACE-1"))
            );
            refused += 1;
        }
    }
    assert_eq!((placed.len(), refused), (10, SHOPPERS - 10));
    assert_eq!(stock_of(app, &tok).await, json!(0));
    assert_eq!(retained(app, &tok).await, (10, STOCK));
    let r = app.loja_get(&tok, "/order/findbyfilter").await;
    assert_eq!(data(&r).as_array().map(Vec::len), Some(10));

    // Cancel 3, each sent to every node at the same time: released once.
    let mut set = JoinSet::new();
    for r in placed.iter().take(3) {
        let id = r.body["data"]["order"]["id"]
            .as_str()
            .expect("order id")
            .to_owned();
        for node in &nodes {
            for _ in 0..2 {
                let (node, tok, id) = (Arc::clone(node), tok.clone(), id.clone());
                set.spawn(async move {
                    node.loja_form(
                        &tok,
                        "/order/changestatus",
                        &[("id", &id), ("new_status", "8")],
                    )
                    .await
                });
            }
        }
    }
    while let Some(done) = set.join_next().await {
        let r = done.expect("task");
        assert_eq!(r.status, 200, "{}", r.text);
    }
    assert_eq!(stock_of(app, &tok).await, json!(3));
    assert_eq!(retained(app, &tok).await, (7, 7));
}

/// Orders of two units listed in opposite orders, all at once over the
/// nodes: none fails (no deadlock between them), and the stock adds up.
async fn crossed_multi_line_orders(nodes: Vec<Arc<TestApp>>) {
    let app = &nodes[0];
    let t = app.tenant().await;
    let tok = t.loja_token.clone();
    crate::fixtures::product(app, &t, "X", 1_000, 0, 100).await;
    crate::fixtures::product(app, &t, "Y", 1_000, 0, 100).await;
    many_customers(app, &t, 1).await;
    let mut set = JoinSet::new();
    for i in 0..40 {
        let (first, second) = if i % 2 == 0 { ("X", "Y") } else { ("Y", "X") };
        let (node, tok) = (Arc::clone(&nodes[i % nodes.len()]), tok.clone());
        set.spawn(async move {
            node.loja_form(
                &tok,
                "/order/insert",
                &[
                    ("customer_id", "1"),
                    ("items[0][sku]", first),
                    ("items[1][sku]", second),
                ],
            )
            .await
        });
    }
    while let Some(done) = set.join_next().await {
        let r = done.expect("task");
        assert_eq!(r.status, 201, "{}", r.text);
    }
    for sku in ["X", "Y"] {
        let r = app
            .loja_get(&tok, &format!("/product/findbysku?sku={sku}&min=1"))
            .await;
        assert_eq!(data(&r)["stock"], json!(60), "{sku}");
    }
    assert_eq!(retained(app, &tok).await, (80, 80));
}

async fn two_nodes(backend: Backend) -> Vec<Arc<TestApp>> {
    let first = vitrine_testkit::spawn(backend).await;
    let second = vitrine_testkit::spawn_second(&first, Default::default()).await;
    vec![Arc::new(first), Arc::new(second)]
}

async fn two_nodes_take_crossed_lines_without_deadlock(backend: Backend) {
    crossed_multi_line_orders(two_nodes(backend).await).await;
}

async fn two_nodes_never_oversell(backend: Backend) {
    last_units_race(two_nodes(backend).await).await;
}

vitrine_testkit::server_backends!(
    two_nodes_take_crossed_lines_without_deadlock,
    two_nodes_never_oversell,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_sqlite_node_takes_crossed_lines() {
    let app = vitrine_testkit::spawn(Backend::Sqlite).await;
    crossed_multi_line_orders(vec![Arc::new(app)]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_sqlite_node_never_oversells() {
    let app = vitrine_testkit::spawn(Backend::Sqlite).await;
    last_units_race(vec![Arc::new(app)]).await;
}
