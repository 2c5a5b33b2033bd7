//! E24 bulkUpdate: the doc's mixed example, per-row atomicity, limits.

use serde_json::json;
use vitrine_testkit::{both_backends, Method, TestApp};

use crate::{data, error_body, expect, seed_options, DONE};

async fn seed(app: &TestApp, tok: &str) {
    seed_options(app, tok, &["Verde"], &[]).await;
    for (name, sku) in [("A", "1434"), ("B", "1803")] {
        expect(
            &app.loja_form(tok, "/product/insert", &[("name", name), ("sku", sku)])
                .await,
            201,
            DONE,
        );
    }
    let r = app
        .loja_form(
            tok,
            "/product/insert",
            &[
                ("name", "C"),
                ("sku", "14789"),
                ("type", "4"),
                ("variety_data[0][id]", "1"),
                ("variety_data[0][sku]", "14789-2"),
            ],
        )
        .await;
    expect(&r, 201, DONE);
}

async fn bulk_update_replays_the_doc_example(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    seed(&app, tok).await;
    let body = json!({"inputs": [
        {"sku": "1234", "stock": 1},
        {"sku": "1434", "stock": 5, "price": "10.50"},
        {"sku": "1803", "promotional_price": 3},
        {"sku": "1434a", "stock": 1},
        {"sku": "14789", "stock": 1},
        {"sku": "14789-2", "stock": "8", "price": "100"}
    ]});
    let r = app
        .call(
            Method::POST,
            "/product/bulkUpdate",
            Some(&format!("Basic {tok}")),
            Some(&body),
        )
        .await;
    // "1434a" is unknown here, so it answers 404 where the doc's store had a parent.
    expect(
        &r,
        200,
        r#"{"success":true,"errors":[{"code":404,"product_key":0,"product_sku":"1234","errors":["Product not found"]},{"code":404,"product_key":3,"product_sku":"1434a","errors":["Product not found"]},{"code":400,"product_key":4,"product_sku":"14789","errors":["This product can NOT be updated!"]}],"data":[{"code":200,"product_key":1,"product_sku":"1434"},{"code":200,"product_key":2,"product_sku":"1803"},{"code":200,"product_key":5,"product_sku":"14789-2"}]}"#,
    );
    let a = app.loja_get(tok, "/product/findbysku?sku=1434&min=0").await;
    assert_eq!(
        (data(&a)["stock"].clone(), data(&a)["price"].clone()),
        (json!("5"), json!("10.50"))
    );
    let b = app.loja_get(tok, "/product/findbysku?sku=1803&min=0").await;
    assert_eq!(data(&b)["promotional_price"], "3.00");
    let v = app
        .loja_get(tok, "/product/findvarietybyproductsku?sku=14789")
        .await;
    assert_eq!(
        (data(&v)[0]["stock"].clone(), data(&v)[0]["price"].clone()),
        (json!("8"), json!("100"))
    );
    let parent = app
        .loja_get(tok, "/product/findbysku?sku=14789&min=0")
        .await;
    assert_eq!(
        data(&parent)["stock"],
        "0",
        "the refused parent is unchanged"
    );
}

async fn bulk_update_rows_fail_alone_and_keys_are_kept(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    seed(&app, tok).await;
    // PHP keyed rows: product_key is the key sent.
    let r = app
        .loja_form(
            tok,
            "/product/bulkUpdate",
            &[
                ("inputs[5][sku]", "1434"),
                ("inputs[5][stock]", "-1"),
                ("inputs[7][sku]", "1803"),
                ("inputs[7][stock]", "9"),
                ("inputs[9][stock]", "1"),
            ],
        )
        .await;
    expect(
        &r,
        200,
        r#"{"success":true,"errors":[{"code":400,"product_key":5,"product_sku":"1434","errors":["This product can NOT be updated!"]},{"code":404,"product_key":9,"errors":["Product not found"]}],"data":[{"code":200,"product_key":7,"product_sku":"1803"}]}"#,
    );
    let a = app.loja_get(tok, "/product/findbysku?sku=1434").await;
    assert_eq!(data(&a)["stock"], 0, "a refused row changes nothing");
    let b = app.loja_get(tok, "/product/findbysku?sku=1803").await;
    assert_eq!(data(&b)["stock"], 9);
    // A JSON array inside a form field.
    let r = app
        .loja_form(
            tok,
            "/product/bulkUpdate",
            &[("inputs", r#"[{"sku":"1434","stock":3}]"#)],
        )
        .await;
    expect(
        &r,
        200,
        r#"{"success":true,"errors":[],"data":[{"code":200,"product_key":0,"product_sku":"1434"}]}"#,
    );
    // Another store cannot touch these SKUs.
    let other = app.tenant().await;
    let r = app
        .loja_form(
            &other.loja_token,
            "/product/bulkUpdate",
            &[("inputs[0][sku]", "1434"), ("inputs[0][stock]", "99")],
        )
        .await;
    expect(
        &r,
        200,
        r#"{"success":true,"errors":[{"code":404,"product_key":0,"product_sku":"1434","errors":["Product not found"]}],"data":[]}"#,
    );
    let a = app.loja_get(tok, "/product/findbysku?sku=1434").await;
    assert_eq!(data(&a)["stock"], 3);
}

async fn bulk_update_limits(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    seed(&app, tok).await;
    let rows: Vec<_> = (0..51)
        .map(|_| json!({"sku": "1434", "stock": 7}))
        .collect();
    let r = app
        .call(
            Method::POST,
            "/product/bulkUpdate",
            Some(&format!("Basic {tok}")),
            Some(&json!({"inputs": rows})),
        )
        .await;
    expect(&r, 400, &error_body("Maximum of 50 records per request"));
    let a = app.loja_get(tok, "/product/findbysku?sku=1434").await;
    assert_eq!(data(&a)["stock"], 0, "nothing is processed");
    let rows: Vec<_> = (0..50)
        .map(|_| json!({"sku": "1434", "stock": 7}))
        .collect();
    let r = app
        .call(
            Method::POST,
            "/product/bulkUpdate",
            Some(&format!("Basic {tok}")),
            Some(&json!({"inputs": rows})),
        )
        .await;
    assert_eq!(r.body["data"].as_array().map(Vec::len), Some(50));
    expect(
        &app.loja_form(tok, "/product/bulkUpdate", &[]).await,
        400,
        &error_body("Invalid inputs"),
    );
    expect(
        &app.loja_form(tok, "/product/bulkUpdate", &[("inputs", "nada")])
            .await,
        400,
        &error_body("Invalid inputs"),
    );
    expect(
        &app.loja_get(tok, "/product/bulkUpdate").await,
        400,
        &error_body("Invalid request - Needed: POST"),
    );
}

both_backends!(
    bulk_update_replays_the_doc_example,
    bulk_update_rows_fail_alone_and_keys_are_kept,
    bulk_update_limits,
);
