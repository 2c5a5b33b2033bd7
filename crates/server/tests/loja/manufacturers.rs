//! Manufacturers (ecommloja-api.md §3.5).

use vitrine_testkit::{both_backends, TestApp};

use crate::fixtures::{all_strings, assert_error, keys, product, scope, FAILED_500, OK_EMPTY};

async fn insert_find_list_update_delete(app: TestApp) {
    let t = app.tenant().await;
    assert_error(
        &app.loja_get(&t.loja_token, "/manufacturer/list").await,
        404,
        "Manufacturers not found",
    );
    let r = app
        .loja_form(
            &t.loja_token,
            "/manufacturer/insert",
            &[("name", "Casas Bahia"), ("keywords", "loja, varejo")],
        )
        .await;
    assert_eq!((r.status, r.text.as_str()), (201, OK_EMPTY));

    // Both spellings of the documented path reach one handler.
    for path in [
        "/manufacturer/findByName?name=casas bahia",
        "/manufacturer/findbyname?name=CASAS BAHIA",
    ] {
        let found = app.loja_get(&t.loja_token, path).await;
        assert_eq!(found.status, 200, "{path}: {}", found.text);
        let m = &found.body["data"];
        assert_eq!(
            keys(m),
            [
                "id",
                "name",
                "url",
                "code",
                "description",
                "meta_description",
                "meta_title",
                "meta_keys",
                "insert_date",
                "last_update",
                "status"
            ]
        );
        assert!(all_strings(m));
        assert_eq!(m["id"], "1");
        assert_eq!(m["url"], "casas-bahia");
        assert_eq!(m["code"], "");
        assert_eq!(m["meta_keys"], "loja, varejo");
        assert_eq!(m["status"], "1");
    }

    let list = app.loja_get(&t.loja_token, "/manufacturer/list").await;
    assert_eq!(list.body["data"].as_array().expect("array").len(), 1);
    let all = app
        .loja_get(&t.loja_token, "/manufacturer/findByName")
        .await;
    assert_eq!(
        all.body["data"], list.body["data"],
        "no name: every manufacturer"
    );

    let updated = app
        .loja_form(
            &t.loja_token,
            "/manufacturer/update",
            &[("name", "casas bahia"), ("description", "Varejo")],
        )
        .await;
    assert_eq!(updated.text, OK_EMPTY);
    let m = app
        .loja_get(&t.loja_token, "/manufacturer/findbyname?name=Casas Bahia")
        .await
        .body["data"]
        .clone();
    assert_eq!(m["description"], "Varejo");
    assert_eq!(m["name"], "casas bahia", "name is the sent one");

    // Renaming through the optional id.
    let renamed = app
        .loja_form(
            &t.loja_token,
            "/manufacturer/update",
            &[("id", "1"), ("name", "Bahia SA")],
        )
        .await;
    assert_eq!(renamed.text, OK_EMPTY);
    assert_eq!(
        app.loja_get(&t.loja_token, "/manufacturer/findbyname?name=bahia sa")
            .await
            .status,
        200
    );

    let deleted = app
        .loja_get(&t.loja_token, "/manufacturer/deleteByName?name=Bahia SA")
        .await;
    assert_eq!(deleted.text, OK_EMPTY);
    assert_error(
        &app.loja_get(&t.loja_token, "/manufacturer/findbyname?name=Bahia SA")
            .await,
        404,
        "Manufacturer not found",
    );
}

async fn failures_are_documented(app: TestApp) {
    let t = app.tenant().await;
    assert_error(
        &app.loja_form(&t.loja_token, "/manufacturer/insert", &[("name", "  ")])
            .await,
        400,
        "Invalid Name",
    );
    app.loja_form(&t.loja_token, "/manufacturer/insert", &[("name", "Única")])
        .await;
    assert_error(
        &app.loja_form(&t.loja_token, "/manufacturer/insert", &[("name", "ÚNICA")])
            .await,
        400,
        "Invalid Name",
    );
    assert_eq!(
        app.loja_get(&t.loja_token, "/manufacturer/list").await.body["data"]
            .as_array()
            .expect("list")
            .len(),
        1
    );

    for form in [
        vec![("name", "Ninguém")],
        vec![("description", "sem nome")],
        vec![("id", "x"), ("name", "a")],
    ] {
        let r = app
            .loja_form(&t.loja_token, "/manufacturer/update", &form)
            .await;
        assert_eq!((r.status, r.text.as_str()), (500, FAILED_500), "{form:?}");
    }
    assert_error(
        &app.loja_get(&t.loja_token, "/manufacturer/deleteByName?name=Ninguém")
            .await,
        404,
        "Manufacturer not found",
    );
    assert_error(
        &app.loja_get(&t.loja_token, "/manufacturer/deleteByName")
            .await,
        404,
        "Manufacturer not found",
    );
    assert_error(
        &app.loja_get(&t.loja_token, "/manufacturer/insert").await,
        400,
        "Invalid request - Needed: POST",
    );
}

async fn link_unlink(app: TestApp) {
    let t = app.tenant().await;
    let pid = product(&app, &t, "P1", 500, 0, 3).await;
    app.loja_form(&t.loja_token, "/manufacturer/insert", &[("name", "Fab")])
        .await;
    let read = || async {
        let mut conn = app.store.conn().await.expect("conn");
        conn.products()
            .get(scope(&t), pid)
            .await
            .expect("product")
            .fields
            .manufacturer_id
            .map(|m| m.0)
    };
    let r = app
        .loja_form(
            &t.loja_token,
            "/manufacturer/linkProduct",
            &[("product_sku", "P1"), ("manufacturer_id", "1")],
        )
        .await;
    assert_eq!(r.text, OK_EMPTY);
    assert_eq!(read().await, Some(1));
    let r = app
        .loja_form(
            &t.loja_token,
            "/manufacturer/linkproduct",
            &[("product_sku", "P1"), ("manufacturer_id", "9")],
        )
        .await;
    assert_eq!(r.text, FAILED_500);
    assert_eq!(read().await, Some(1), "a failed link changes nothing");
    let r = app
        .loja_form(
            &t.loja_token,
            "/manufacturer/unlinkproduct",
            &[("product_sku", "P1")],
        )
        .await;
    assert_eq!(r.text, OK_EMPTY);
    assert_eq!(read().await, None);
    let r = app
        .loja_form(
            &t.loja_token,
            "/manufacturer/unlinkproduct",
            &[("product_sku", "NOPE")],
        )
        .await;
    assert_eq!(r.text, FAILED_500);

    // Deleting a manufacturer clears it from its products.
    app.loja_form(
        &t.loja_token,
        "/manufacturer/linkProduct",
        &[("product_sku", "P1"), ("manufacturer_id", "1")],
    )
    .await;
    app.loja_get(&t.loja_token, "/manufacturer/deleteByName?name=fab")
        .await;
    assert_eq!(read().await, None);
}

async fn stores_never_see_each_others_manufacturers(app: TestApp) {
    let a = app.tenant().await;
    let b = app.tenant().await;
    app.loja_form(&a.loja_token, "/manufacturer/insert", &[("name", "Da A")])
        .await;
    assert_error(
        &app.loja_get(&b.loja_token, "/manufacturer/findbyname?name=Da A")
            .await,
        404,
        "Manufacturer not found",
    );
    assert_error(
        &app.loja_get(&b.loja_token, "/manufacturer/list").await,
        404,
        "Manufacturers not found",
    );
    assert_error(
        &app.loja_get(&b.loja_token, "/manufacturer/deleteByName?name=Da A")
            .await,
        404,
        "Manufacturer not found",
    );
    let r = app
        .loja_form(
            &b.loja_token,
            "/manufacturer/update",
            &[("name", "Da A"), ("code", "x")],
        )
        .await;
    assert_eq!(r.status, 500);
    // The same name is free in another store.
    let r = app
        .loja_form(&b.loja_token, "/manufacturer/insert", &[("name", "Da A")])
        .await;
    assert_eq!(r.status, 201);
    let a_view = app
        .loja_get(&a.loja_token, "/manufacturer/findbyname?name=Da A")
        .await;
    assert_eq!(a_view.body["data"]["code"], "", "A's row untouched");
}

both_backends!(
    insert_find_list_update_delete,
    failures_are_documented,
    link_unlink,
    stores_never_see_each_others_manufacturers,
);
