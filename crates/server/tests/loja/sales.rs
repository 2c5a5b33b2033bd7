//! E37 findSaleByCategory and the category/insertsale extension.

use serde_json::{json, Value};
use vitrine_testkit::{both_backends, TestApp};

use crate::{data, error_body, expect, text, BadInput, DONE};

async fn sales_by_category_replay_the_doc(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    expect(
        &app.loja_form(tok, "/category/insert", &[("name", "Tintas")])
            .await,
        201,
        DONE,
    );
    expect(
        &app.loja_form(tok, "/category/insert", &[("name", "Pet")])
            .await,
        201,
        DONE,
    );
    expect(
        &app.loja_get(tok, "/category/findSaleByCategory?category_id=1")
            .await,
        404,
        &error_body("Sale not found"),
    );
    let r = app
        .loja_form(
            tok,
            "/category/insertsale",
            &[
                ("name", "Nome da promoção aqui"),
                ("url", "url-da-promocao"),
                ("aplication", "2"),
                ("sale_type", "1"),
                ("sale_value", "3.80"),
                ("product_amount", "1"),
                ("start_date", "2021-11-22 19:23:00"),
                ("end_date", "2021-12-31 23:59:00"),
                ("status", "1"),
            ],
        )
        .await;
    expect(&r, 201, r#"{"success":true,"errors":[],"data":{"id":"1"}}"#);
    for (category, name) in [("1", "Só tintas"), ("2", "Só pet")] {
        let r = app
            .loja_form(
                tok,
                "/category/insertsale",
                &[
                    ("name", name),
                    ("category_id", category),
                    ("start_date", "2021-11-22"),
                    ("end_date", "2021-12-31"),
                ],
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    let found = app
        .loja_get(tok, "/category/findSaleByCategory?category_id=1")
        .await;
    let mut rows = data(&found).as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 2, "the category's sales and the store-wide one");
    for row in &mut rows {
        let stamp = row["date_register"].as_str().map(str::len);
        assert_eq!(stamp, Some(19));
        if let Some(obj) = row.as_object_mut() {
            obj.insert("date_register".into(), Value::from("-"));
            obj.insert("last_update".into(), Value::from("-"));
        }
    }
    // L3181–3237, corrected; the timestamps are the server's.
    assert_eq!(
        serde_json::to_string(&rows[0]).expect("json"),
        r#"{"id":"1","name":"Nome da promoção aqui","url":"url-da-promocao","category_id":"0","subcategory_id":"0","category_name":"Todas","aplication":"2","sale_type":"1","sale_value":"3.80","product_amount":"1","minimum_value_order":"0.00","start_date":"2021-11-22 19:23:00","end_date":"2021-12-31 23:59:00","comments":"","date_register":"-","last_update":"-","status":"1"}"#
    );
    assert_eq!(
        json!([
            rows[1]["name"],
            rows[1]["category_name"],
            rows[1]["end_date"]
        ]),
        json!(["Só tintas", "Tintas", "2021-12-31 00:00:00"])
    );

    let bad: &[BadInput] = &[
        (
            "no name",
            &[("start_date", "2021-01-01"), ("end_date", "2021-01-02")],
            400,
            "Invalid Name",
        ),
        (
            "bad start",
            &[
                ("name", "X"),
                ("start_date", "ontem"),
                ("end_date", "2021-01-02"),
            ],
            400,
            "Invalid start_date",
        ),
        (
            "no end",
            &[("name", "X"), ("start_date", "2021-01-01")],
            400,
            "Invalid end_date",
        ),
        (
            "unknown category",
            &[
                ("name", "X"),
                ("category_id", "9"),
                ("start_date", "2021-01-01"),
                ("end_date", "2021-01-02"),
            ],
            404,
            "Category not found",
        ),
    ];
    for (reason, form, status, message) in bad {
        let r = app.loja_form(tok, "/category/insertsale", form).await;
        assert_eq!(
            (r.status, text(&r)),
            (*status, error_body(message)),
            "{reason}"
        );
    }
    expect(
        &app.loja_get(tok, "/category/findSaleByCategory").await,
        404,
        &error_body("Sale not found"),
    );
    let other = app.tenant().await;
    expect(
        &app.loja_get(
            &other.loja_token,
            "/category/findSaleByCategory?category_id=1",
        )
        .await,
        404,
        &error_body("Sale not found"),
    );
}

both_backends!(sales_by_category_replay_the_doc);
