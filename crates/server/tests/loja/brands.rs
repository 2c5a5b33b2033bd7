//! Brands (ecommloja-api.md §3.6).

use vitrine_testkit::{both_backends, json, Method, TestApp};

use crate::fixtures::{assert_error, keys, product, scope, FAILED_500, OK_EMPTY};

const BRAND_KEYS: [&str; 12] = [
    "id",
    "name",
    "url",
    "description",
    "sort",
    "view_menu",
    "meta_description",
    "meta_title",
    "meta_keys",
    "date_register",
    "last_upload",
    "status",
];

async fn documented_insert_and_find(app: TestApp) {
    let t = app.tenant().await;
    let auth = format!("Basic {}", t.loja_token);
    // The doc's JSON body, verbatim (L3672–3682).
    let body = json!({"name": "Logitech", "url": "logitech", "description": "marca de perifericos", "sort": 0,
        "view_menu": 0, "meta_description": "logitech", "meta_title": "logitech", "meta_keys": "logitech", "status": 1});
    let inserted = app
        .call(Method::POST, "/brand/insert", Some(&auth), Some(&body))
        .await;
    assert_eq!(inserted.status, 200);
    assert_eq!(inserted.text, OK_EMPTY);

    let found = app
        .loja_get(&t.loja_token, "/brand/findbyname?name=logitech")
        .await;
    assert_eq!(found.status, 200, "{}", found.text);
    let brand = &found.body["data"];
    assert_eq!(keys(brand), BRAND_KEYS);
    assert!(crate::fixtures::all_strings(brand));
    assert_eq!(brand["name"], "Logitech");
    assert_eq!(brand["description"], "marca de perifericos");
    assert_eq!(brand["sort"], "0");
    assert_eq!(brand["view_menu"], "0");
    assert_eq!(brand["status"], "1");
    let date = brand["date_register"].as_str().expect("date");
    assert_eq!(date.len(), 19, "YYYY-MM-DD HH:MM:SS: {date}");
    assert_eq!(brand["last_upload"], brand["date_register"]);

    let id = brand["id"].as_str().expect("id");
    let by_id = app
        .loja_get(&t.loja_token, &format!("/brand/findbyid?id={id}"))
        .await;
    assert_eq!(by_id.body["data"], *brand);

    // Without a name: every brand, as an array.
    app.loja_form(
        &t.loja_token,
        "/brand/insert",
        &[("name", "Açaí Bom"), ("view_menu", "1")],
    )
    .await;
    let all = app.loja_get(&t.loja_token, "/brand/findbyname").await;
    let list = all.body["data"].as_array().expect("array");
    assert_eq!(list.len(), 2);
    assert_eq!(
        list[1]["url"], "acai-bom",
        "default url is the accent-folded slug"
    );
    assert_eq!(list[1]["view_menu"], "1");
}

async fn update_changes_only_what_is_sent(app: TestApp) {
    let t = app.tenant().await;
    app.loja_form(
        &t.loja_token,
        "/brand/insert",
        &[("name", "Marca"), ("description", "antes")],
    )
    .await;
    let before = app
        .loja_get(&t.loja_token, "/brand/findbyid?id=1")
        .await
        .body["data"]
        .clone();
    // Capitalised path as documented; `order` maps to `sort`.
    let r = app
        .loja_form(
            &t.loja_token,
            "/Brand/update",
            &[("brand_id", "1"), ("order", "7"), ("status", "0")],
        )
        .await;
    assert_eq!(r.text, OK_EMPTY);
    let after = app
        .loja_get(&t.loja_token, "/brand/findbyid?id=1")
        .await
        .body["data"]
        .clone();
    assert_eq!(after["sort"], "7");
    assert_eq!(after["status"], "0");
    assert_eq!(after["description"], "antes");
    assert_eq!(after["name"], before["name"]);

    let missing = app
        .loja_form(
            &t.loja_token,
            "/brand/update",
            &[("brand_id", "99"), ("name", "x")],
        )
        .await;
    assert_error(&missing, 404, "Brand not found");
}

async fn link_and_delete(app: TestApp) {
    let t = app.tenant().await;
    let pid = product(&app, &t, "SKU-1", 1000, 0, 1).await;
    app.loja_form(&t.loja_token, "/brand/insert", &[("name", "Dupla")])
        .await;
    app.loja_form(&t.loja_token, "/brand/insert", &[("name", "dupla")])
        .await;
    let linked = app
        .loja_form(
            &t.loja_token,
            "/brand/linkProduct",
            &[("product_sku", "SKU-1"), ("brand_id", "2")],
        )
        .await;
    assert_eq!(linked.text, OK_EMPTY);
    let read_brand = || async {
        let mut conn = app.store.conn().await.expect("conn");
        conn.products()
            .get(scope(&t), pid)
            .await
            .expect("product")
            .fields
            .brand_id
            .map(|b| b.0)
    };
    assert_eq!(read_brand().await, Some(2));

    for (form, why) in [
        (
            vec![("product_sku", "NOPE"), ("brand_id", "1")],
            "unknown product",
        ),
        (
            vec![("product_sku", "SKU-1"), ("brand_id", "42")],
            "unknown brand",
        ),
        (vec![("product_sku", "SKU-1")], "missing brand"),
    ] {
        let r = app
            .loja_form(&t.loja_token, "/brand/linkproduct", &form)
            .await;
        assert_eq!((r.status, r.text.as_str()), (500, FAILED_500), "{why}");
    }
    assert_eq!(read_brand().await, Some(2), "failed links change nothing");

    // deletebyname deletes every brand with that name, case-insensitively,
    // and the product loses its brand.
    let deleted = app
        .loja_get(&t.loja_token, "/brand/deletebyname?name=DUPLA")
        .await;
    assert_eq!(deleted.text, OK_EMPTY);
    assert_eq!(read_brand().await, None);
    assert_error(
        &app.loja_get(&t.loja_token, "/brand/findbyname").await,
        404,
        "Brand not found",
    );
    assert_error(
        &app.loja_get(&t.loja_token, "/brand/deletebyid?id=1").await,
        404,
        "Brand not found",
    );
}

async fn bad_input(app: TestApp) {
    let t = app.tenant().await;
    let no_name = app
        .loja_form(&t.loja_token, "/brand/insert", &[("url", "x")])
        .await;
    assert_eq!(no_name.status, 404);
    assert_eq!(
        no_name.text,
        r#"{"success":false,"errors":"brand not found","data":[]}"#
    );
    assert_error(
        &app.loja_get(&t.loja_token, "/brand/findbyid?id=abc").await,
        404,
        "Brand not found",
    );
    assert_error(
        &app.loja_get(&t.loja_token, "/brand/findbyid").await,
        404,
        "Brand not found",
    );
    let wrong = app.loja_get(&t.loja_token, "/brand/insert").await;
    assert_error(&wrong, 400, "Invalid request - Needed: POST");
    assert_error(
        &app.loja_get(&t.loja_token, "/brand/findbyname").await,
        404,
        "Brand not found",
    );
}

async fn stores_never_see_each_others_brands(app: TestApp) {
    let a = app.tenant().await;
    let b = app.tenant().await;
    product(&app, &a, "A-1", 100, 0, 1).await;
    app.loja_form(&a.loja_token, "/brand/insert", &[("name", "Só da A")])
        .await;
    assert_error(
        &app.loja_get(&b.loja_token, "/brand/findbyid?id=1").await,
        404,
        "Brand not found",
    );
    assert_error(
        &app.loja_get(&b.loja_token, "/brand/findbyname?name=Só da A")
            .await,
        404,
        "Brand not found",
    );
    assert_error(
        &app.loja_get(&b.loja_token, "/brand/deletebyid?id=1").await,
        404,
        "Brand not found",
    );
    let r = app
        .loja_form(
            &b.loja_token,
            "/brand/update",
            &[("brand_id", "1"), ("name", "roubada")],
        )
        .await;
    assert_error(&r, 404, "Brand not found");
    let r = app
        .loja_form(
            &b.loja_token,
            "/brand/linkproduct",
            &[("product_sku", "A-1"), ("brand_id", "1")],
        )
        .await;
    assert_eq!(r.status, 500);
    let still = app.loja_get(&a.loja_token, "/brand/findbyid?id=1").await;
    assert_eq!(still.body["data"]["name"], "Só da A", "B changed nothing");
}

both_backends!(
    documented_insert_and_find,
    update_changes_only_what_is_sent,
    link_and_delete,
    bad_input,
    stores_never_see_each_others_brands,
);
