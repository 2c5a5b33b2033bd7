//! E30 `order/findbyfilter` past its cap of 500 (issue 16.5): the newest
//! matching orders are kept, still by ascending id, and `before_id` pages
//! back to the older ones.

use serde_json::json;
use vitrine_core::catalog::ProductType;
use vitrine_core::ids::{CustomerId, OrderId, ProductId};
use vitrine_store::orders::{OrderFields, OrderLine, FILTER_CAP};
use vitrine_testkit::{both_backends, Reply, Tenant, TestApp};

use crate::fixtures::{product, scope};
use crate::shoppers::many_customers;
use crate::{data, error_body, expect};

/// `n` orders of one unit of product `product_id` for customer 1, written
/// straight through the store in one transaction (the HTTP path has its
/// own tests); `method(i)` is the i-th order's payment method.
async fn orders(
    app: &TestApp,
    t: &Tenant,
    product_id: ProductId,
    n: usize,
    method: impl Fn(usize) -> i64,
) {
    let line = OrderLine {
        order_id: OrderId::default(),
        product_id: Some(product_id),
        variation_id: None,
        grid_id: None,
        product_name: "Produto A".into(),
        sku: "A".into(),
        variety: String::new(),
        variety_sku: String::new(),
        grid: String::new(),
        grid_sku: String::new(),
        line_type: ProductType::Simple,
        price: 1_000,
        promotional_price: None,
        quantity: 1,
        multiple: false,
        multiple_price: None,
    };
    let mut tx = app.store.begin().await.expect("tx");
    for i in 0..n {
        let fields = OrderFields {
            customer_id: CustomerId(1),
            date: vitrine_store::now(),
            items_total: 1_000,
            value: 1_000,
            status: if i % 7 == 0 { 3 } else { 1 },
            payment_method: method(i),
            currency: "BRL".into(),
            currency_symbol: "R$".into(),
            channel: "api".into(),
            ..OrderFields::default()
        };
        tx.orders()
            .insert(scope(t), &fields, std::slice::from_ref(&line))
            .await
            .expect("order");
    }
    tx.commit().await.expect("commit");
}

fn ids(r: &Reply) -> Vec<i64> {
    data(r)
        .as_array()
        .expect("array")
        .iter()
        .map(|o| o["id"].as_str().and_then(|id| id.parse().ok()).expect("id"))
        .collect()
}

async fn a_capped_filter_keeps_the_newest_orders(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    let pid = product(&app, &t, "A", 1_000, 0, 0).await;
    many_customers(&app, &t, 1).await;
    // The repro: 505 orders paid with Boleto Fácil (13), and
    // others in between with another method.
    let method = |i: usize| if i % 10 == 9 { 2 } else { 13 };
    orders(&app, &t, pid, 560, method).await;
    let with_13: Vec<i64> = (0..560)
        .filter(|i| method(*i) == 13)
        .map(|i| i as i64 + 1)
        .collect();
    assert_eq!(with_13.len(), 504);
    orders(&app, &t, pid, 1, |_| 13).await;
    let mut with_13 = with_13;
    with_13.push(561);
    assert_eq!(with_13.len(), 505);

    let cap = usize::try_from(FILTER_CAP).expect("cap");
    let r = app
        .loja_get(tok, "/order/findbyfilter?payment_method=13")
        .await;
    let page = ids(&r);
    // The newest 500 (before: ids 1…, the newest 5 missing), ascending.
    assert_eq!(page.len(), cap);
    assert_eq!(page, with_13[5..], "the newest 500, by ascending id");
    assert_eq!(page.last(), Some(&561), "the newest order is there");
    assert_eq!(data(&r)[0]["payment_method"], json!("13"));

    // Paging back: the orders before the smallest id received.
    let r = app
        .loja_get(
            tok,
            &format!(
                "/order/findbyfilter?payment_method=13&before_id={}",
                page[0]
            ),
        )
        .await;
    assert_eq!(ids(&r), with_13[..5]);
    let r = app
        .loja_get(tok, "/order/findbyfilter?payment_method=13&before_id=1")
        .await;
    expect(&r, 404, &error_body("Orders not found"));

    // The same for a status and for dates: the newest kept.
    let paid: Vec<i64> = (1..=561).filter(|id| (id - 1) % 7 == 0).collect();
    let r = app.loja_get(tok, "/order/findbyfilter?status=3").await;
    assert_eq!(ids(&r), paid);
    let today = (chrono::Utc::now() - chrono::Duration::hours(3))
        .format("%Y-%m-%d")
        .to_string();
    let r = app
        .loja_get(tok, &format!("/order/findbyfilter?date_start={today}"))
        .await;
    let by_date = ids(&r);
    assert_eq!(by_date, (62..=561).collect::<Vec<i64>>());
    let r = app
        .loja_get(
            tok,
            &format!("/order/findbyfilter?date_start={today}&before_id=62"),
        )
        .await;
    assert_eq!(ids(&r), (1..62).collect::<Vec<i64>>());
    // No filter at all: still the last 50, ascending.
    let r = app.loja_get(tok, "/order/findbyfilter").await;
    assert_eq!(ids(&r), (512..=561).collect::<Vec<i64>>());
}

both_backends!(a_capped_filter_keeps_the_newest_orders);
