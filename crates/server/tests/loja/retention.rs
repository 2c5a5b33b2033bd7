//! E31 status changes and the stock retention of E23, per SKU of simple
//! products, variations and grids.

use serde_json::{json, Value};
use vitrine_testkit::{both_backends, TestApp};

use crate::fixtures::product;
use crate::orders::{customer_735, insert, masked};
use crate::{data, error_body, expect, DONE};

async fn stock(app: &TestApp, tok: &str, sku: &str) -> Value {
    let r = app
        .loja_get(tok, &format!("/product/findbysku?sku={sku}&min=1"))
        .await;
    data(&r)["stock"].clone()
}

async fn retained(app: &TestApp, tok: &str) -> usize {
    let r = app.loja_get(tok, "/product/retainedstock").await;
    data(&r).as_array().map_or(0, Vec::len)
}

async fn change(app: &TestApp, tok: &str, id: &str, to: &str) -> vitrine_testkit::Reply {
    app.loja_form(
        tok,
        "/order/changestatus",
        &[("id", id), ("new_status", to)],
    )
    .await
}

async fn status_changes_move_stock(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    product(&app, &t, "A", 1_000, 0, 10).await;
    customer_735(&app, &t).await;
    let paid = insert(&app, tok, &[], &[("A", "2")]).await;
    let cancelled = insert(&app, tok, &[], &[("A", "3")]).await;
    // 1 → 2 → 3: confirmed, the retention is consumed; stock stays sold.
    expect(&change(&app, tok, &paid, "2").await, 200, DONE);
    expect(&change(&app, tok, &paid, "3").await, 200, DONE);
    assert_eq!(
        (stock(&app, tok, "A").await, retained(&app, tok).await),
        (json!(5), 1)
    );
    // Same status again: a no-op. Back to waiting: refused, nothing changed.
    expect(&change(&app, tok, &paid, "3").await, 200, DONE);
    expect(
        &change(&app, tok, &paid, "1").await,
        400,
        &error_body("Invalid status change: 3 (Pagamento Confirmado) to 1 (Aguardando Pagamento)"),
    );
    // Cancelled: the 3 units go back; then it cannot be revived.
    expect(&change(&app, tok, &cancelled, "8").await, 200, DONE);
    assert_eq!(
        (stock(&app, tok, "A").await, retained(&app, tok).await),
        (json!(8), 0)
    );
    expect(
        &change(&app, tok, &cancelled, "10").await,
        400,
        &error_body("Invalid status change: 8 (Cancelado) to 10 (Pedido Aprovado)"),
    );
    expect(&change(&app, tok, &cancelled, "4").await, 200, DONE);
    assert_eq!(stock(&app, tok, "A").await, json!(8));
    let r = app
        .loja_get(tok, &format!("/order/findbyid?id={paid}"))
        .await;
    assert_eq!(data(&r)["status"], json!("3"));
    let r = app
        .loja_get(tok, &format!("/order/findbyid?id={cancelled}"))
        .await;
    assert_eq!(data(&r)["status"], json!("4"));
    // Documented errors.
    expect(
        &change(&app, tok, &paid, "11").await,
        400,
        &error_body("Invalid status"),
    );
    expect(
        &change(&app, tok, &paid, "").await,
        400,
        &error_body("Invalid status"),
    );
    expect(
        &change(&app, tok, "99", "3").await,
        404,
        &error_body("Order not Found!"),
    );
    let r = app
        .loja_get(tok, "/order/changestatus?id=1&new_status=3")
        .await;
    expect(&r, 400, &error_body("Invalid request - Needed: POST"));
}

async fn variations_and_grids_are_retained_per_sku(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    crate::cart::seed_tinta(&app, tok).await;
    crate::seed_options(&app, tok, &["Azul"], &["M"]).await;
    let r = app
        .loja_form(
            tok,
            "/product/insert",
            &[
                ("name", "Camisa"),
                ("sku", "00100"),
                ("type", "3"),
                ("status", "1"),
                ("url", "camisa"),
                ("grid_data[0][variety_id]", "2"),
                ("grid_data[0][grid_id]", "1"),
                ("grid_data[0][sku]", "0122"),
                ("grid_data[0][price]", "39.99"),
                ("grid_data[0][stock]", "50"),
                ("grid_data[0][status]", "1"),
            ],
        )
        .await;
    expect(&r, 201, DONE);
    customer_735(&app, &t).await;
    let id = insert(&app, tok, &[], &[("182577", "4"), ("0122", "2")]).await;
    let r = app.loja_get(tok, "/product/retainedstock").await;
    let rows: Vec<String> = data(&r)
        .as_array()
        .expect("rows")
        .iter()
        .map(|row| masked(row.clone(), "/data"))
        .collect();
    assert_eq!(
        rows,
        [
            r#"{"sku":"TINTA-18L","sku_variety":"182577","sku_grid":"0","stock":"4","type":"4","data":"-"}"#,
            r#"{"sku":"00100","sku_variety":"0","sku_grid":"0122","stock":"2","type":"3","data":"-"}"#,
        ]
    );
    let r = app.loja_get(tok, &format!("/order/findbyid?id={id}")).await;
    let products = &data(&r)["products"];
    assert_eq!(
        serde_json::to_string(products).expect("json"),
        r#"[{"product_name":"Tinta Latex Acrilico Econômico 18L - Glasu","sku":"TINTA-18L","price":"194.47","promotional_price":"0.00","stock":"6","weight":"0.000","height":"0","length":"0","width":"0","type":"4","quantity":"4","multiple":"0","multiple_price":"0.00","variety":"Branco Neve","variety_sku":"182577"},{"product_name":"Camisa","sku":"00100","price":"39.99","promotional_price":"0.00","stock":"48","weight":"0.000","height":"0","length":"0","width":"0","type":"3","quantity":"2","multiple":"0","multiple_price":"0.00","variety":"Azul","grid":"M","grid_sku":"0122"}]"#
    );
    // 194.47 × 4 + 39.99 × 2, decimals exact.
    assert_eq!(data(&r)["value"], json!("857.86"));
    let r = app
        .loja_form(
            tok,
            "/order/changestatus",
            &[("id", &id), ("new_status", "4")],
        )
        .await;
    expect(&r, 200, DONE);
    let r = app
        .loja_get(tok, "/product/findvarietybyproductsku?sku=TINTA-18L")
        .await;
    assert_eq!(data(&r)[0]["stock"], json!("10"), "{}", r.text);
    let r = app
        .loja_get(tok, "/product/findgridbyproductsku?sku=00100")
        .await;
    assert_eq!(data(&r)[0]["stock"], json!("50"), "{}", r.text);
}

both_backends!(
    status_changes_move_stock,
    variations_and_grids_are_retained_per_sku,
);
