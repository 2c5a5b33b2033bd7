//! E20 findCommentsBySku, E21 findRelatedBySku, E23 retainedstock and the
//! extensions that create comments and relations.

use serde_json::json;
use vitrine_core::catalog::ProductType;
use vitrine_core::ids::OrderId;
use vitrine_store::reviews::NewRetention;
use vitrine_testkit::{both_backends, Method, TestApp};

use crate::fixtures::scope;
use crate::{data, error_body, expect, text, BadInput, DONE, FONE};

async fn comments_round_trip(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    expect(
        &app.loja_form(tok, "/product/insert", FONE).await,
        201,
        DONE,
    );
    let none = error_body("Comments not found.");
    expect(
        &app.loja_get(tok, "/product/findCommentsBySku?sku=123123")
            .await,
        404,
        &none,
    );
    let r = app
        .loja_form(
            tok,
            "/product/insertcomment",
            &[
                ("sku", "123123"),
                ("customer_name", "Lucas Duarte"),
                ("customer_email", "clienteteste@ecommercenet.com.br"),
                ("rating", "5"),
                ("comment", "Produto muito bom e de alta qualidade. "),
            ],
        )
        .await;
    expect(&r, 201, r#"{"success":true,"errors":[],"data":{"id":"1"}}"#);
    let found = app
        .loja_get(tok, "/product/findCommentsBySku?sku=123123")
        .await;
    let d = data(&found);
    let keys: Vec<_> = d[0]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        [
            "id",
            "customer_name",
            "customer_email",
            "rating",
            "comment",
            "date"
        ]
    );
    assert_eq!(d[0]["rating"], "5");
    assert_eq!(
        d[0]["comment"], "Produto muito bom e de alta qualidade. ",
        "trailing space kept"
    );
    assert_eq!(
        d[0]["date"].as_str().map(str::len),
        Some(19),
        "YYYY-MM-DD HH:MM:SS"
    );

    let bad: &[BadInput] = &[
        (
            "unknown product",
            &[("sku", "nada"), ("customer_name", "A"), ("rating", "5")],
            404,
            "Product not found",
        ),
        (
            "rating out of range",
            &[("sku", "123123"), ("customer_name", "A"), ("rating", "6")],
            400,
            "Invalid rating",
        ),
        (
            "no name",
            &[("sku", "123123"), ("rating", "4")],
            400,
            "Invalid customer_name",
        ),
    ];
    for (reason, form, status, message) in bad {
        let r = app.loja_form(tok, "/product/insertcomment", form).await;
        assert_eq!(
            (r.status, text(&r)),
            (*status, error_body(message)),
            "{reason}"
        );
    }
    let again = app
        .loja_get(tok, "/product/findCommentsBySku?sku=123123")
        .await;
    assert_eq!(data(&again).as_array().map(Vec::len), Some(1));
    expect(
        &app.loja_get(tok, "/product/findCommentsBySku?sku=nada")
            .await,
        404,
        &none,
    );
    let wrong = app
        .call(
            Method::POST,
            "/product/findCommentsBySku",
            Some(&format!("Basic {tok}")),
            None,
        )
        .await;
    expect(&wrong, 400, &error_body("Invalid request - Needed: GET"));
    let other = app.tenant().await;
    expect(
        &app.loja_get(&other.loja_token, "/product/findCommentsBySku?sku=123123")
            .await,
        404,
        &none,
    );
}

async fn related_products_are_directional(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    expect(
        &app.loja_form(tok, "/product/insert", FONE).await,
        201,
        DONE,
    );
    expect(
        &app.loja_form(tok, "/product/insert", &[("name", "Capa"), ("sku", "C1")])
            .await,
        201,
        DONE,
    );
    let none = error_body("Related products not found.");
    expect(
        &app.loja_get(tok, "/product/findRelatedBySku?sku=C1").await,
        404,
        &none,
    );
    expect(
        &app.loja_form(
            tok,
            "/product/linkrelated",
            &[("sku", "C1"), ("related_sku", "123123")],
        )
        .await,
        201,
        DONE,
    );
    expect(
        &app.loja_form(
            tok,
            "/product/linkrelated",
            &[("sku", "C1"), ("related_sku", "123123")],
        )
        .await,
        201,
        DONE,
    );
    // E21 (L1682–1751).
    expect(
        &app.loja_get(tok, "/product/findRelatedBySku?sku=C1").await,
        200,
        r#"{"success":true,"errors":[],"data":[{"id":"1","name":"Fone de Ouvidos Bluetooth","sku":"123123","barcode":"fasdaa45","price":"150.23","promotional_price":"0.00","stock":"2","weight":"0.200","height":"10","length":"20","width":"30","type":"1"}]}"#,
    );
    expect(
        &app.loja_get(tok, "/product/findRelatedBySku?sku=123123")
            .await,
        404,
        &none,
    );
    expect(
        &app.loja_form(
            tok,
            "/product/linkrelated",
            &[("sku", "C1"), ("related_sku", "nada")],
        )
        .await,
        404,
        &error_body("Related product not found"),
    );
    let other = app.tenant().await;
    expect(
        &app.loja_get(&other.loja_token, "/product/findRelatedBySku?sku=C1")
            .await,
        404,
        &none,
    );
    // Deleting the related product removes the relation.
    expect(
        &app.loja_get(tok, "/product/deletebysku?sku=123123").await,
        200,
        DONE,
    );
    expect(
        &app.loja_get(tok, "/product/findRelatedBySku?sku=C1").await,
        404,
        &none,
    );
}

async fn retained_stock_reads_real_records(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    expect(
        &app.loja_get(tok, "/product/retainedstock").await,
        200,
        DONE,
    );
    let mut tx = app.store.begin().await.expect("tx");
    tx.reviews()
        .insert_retention(
            scope(&t),
            &NewRetention {
                order_id: OrderId(1),
                product_id: None,
                variation_id: None,
                grid_id: None,
                sku: "INTELBRAS-00".into(),
                sku_variety: "0".into(),
                sku_grid: "0".into(),
                stock: 10,
                product_type: ProductType::Simple,
            },
        )
        .await
        .expect("retention");
    tx.commit().await.expect("commit");
    let r = app.loja_get(tok, "/product/retainedstock").await;
    let d = data(&r);
    assert_eq!(
        json!([
            d[0]["sku"],
            d[0]["sku_variety"],
            d[0]["sku_grid"],
            d[0]["stock"],
            d[0]["type"]
        ]),
        json!(["INTELBRAS-00", "0", "0", "10", "1"])
    );
    let keys: Vec<_> = d[0]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    assert_eq!(
        keys,
        ["sku", "sku_variety", "sku_grid", "stock", "type", "data"]
    );
    let other = app.tenant().await;
    expect(
        &app.loja_get(&other.loja_token, "/product/retainedstock")
            .await,
        200,
        DONE,
    );
}

both_backends!(
    comments_round_trip,
    related_products_are_directional,
    retained_stock_reads_real_records,
);
