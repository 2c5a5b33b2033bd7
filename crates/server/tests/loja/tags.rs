//! Tags (ecommloja-api.md §3.7) and E22.

use vitrine_testkit::{both_backends, TestApp};

use crate::fixtures::{all_strings, assert_error, keys, product, OK_EMPTY};

const TAG_KEYS: [&str; 11] = [
    "id",
    "name",
    "url",
    "bg_color",
    "txt_color",
    "tag_type",
    "days",
    "minimum_price",
    "register_date",
    "last_update",
    "status",
];

async fn insert_and_find(app: TestApp) {
    let t = app.tenant().await;
    let r = app
        .loja_form(
            &t.loja_token,
            "/tag/insert",
            &[
                ("name", "NOVIDADES"),
                ("tag_type", "2"),
                ("bg_color", "#c67676"),
                ("days", "30"),
            ],
        )
        .await;
    assert_eq!((r.status, r.text.as_str()), (200, OK_EMPTY));
    app.loja_form(
        &t.loja_token,
        "/tag/insert",
        &[
            ("name", "Novidade"),
            ("tag_type", "1"),
            ("minimum_value", "10,5"),
        ],
    )
    .await;
    app.loja_form(
        &t.loja_token,
        "/tag/insert",
        &[("name", "novidades"), ("tag_type", "1")],
    )
    .await;

    let found = app
        .loja_get(&t.loja_token, "/tag/findbyname?name=novidade")
        .await;
    let tags = found.body["data"].as_array().expect("array");
    assert_eq!(tags.len(), 3, "substring, any case");
    assert_eq!(keys(&tags[0]), TAG_KEYS);
    assert!(tags.iter().all(all_strings));
    assert_eq!(tags[0]["url"], "novidades");
    assert_eq!(tags[0]["tag_type"], "2");
    assert_eq!(tags[0]["days"], "30");
    assert_eq!(tags[1]["minimum_price"], "10.50");
    let third = tags[2]["url"].as_str().expect("url");
    assert!(
        third.starts_with("novidades-") && third.len() == "novidades-".len() + 3,
        "collision suffix: {third}"
    );

    let by_url = app
        .loja_get(&t.loja_token, "/tag/findbyurl?url=novidades")
        .await;
    assert_eq!(by_url.body["data"].as_array().expect("array").len(), 1);
    let by_id = app.loja_get(&t.loja_token, "/tag/findbyid?tag_id=2").await;
    assert_eq!(by_id.body["data"][0]["name"], "Novidade", "an array of one");
}

async fn update_and_delete(app: TestApp) {
    let t = app.tenant().await;
    app.loja_form(
        &t.loja_token,
        "/tag/insert",
        &[("name", "Oferta"), ("tag_type", "4")],
    )
    .await;
    let r = app
        .loja_form(
            &t.loja_token,
            "/tag/update",
            &[
                ("tag_id", "1"),
                ("tag_type", "1"),
                ("txt_color", "#eeeeec"),
                ("status", "0"),
            ],
        )
        .await;
    assert_eq!(r.text, OK_EMPTY);
    let tag = app
        .loja_get(&t.loja_token, "/tag/findbyid?tag_id=1")
        .await
        .body["data"][0]
        .clone();
    assert_eq!(tag["tag_type"], "4", "the type never changes");
    assert_eq!(tag["txt_color"], "#eeeeec");
    assert_eq!(tag["status"], "0");
    assert_error(
        &app.loja_form(&t.loja_token, "/tag/update", &[("tag_id", "9")])
            .await,
        400,
        "Tag not Found",
    );

    assert_eq!(
        app.loja_form(&t.loja_token, "/tag/delete", &[("tag_id", "1")])
            .await
            .text,
        OK_EMPTY
    );
    assert_error(
        &app.loja_get(&t.loja_token, "/tag/findbyid?tag_id=1").await,
        400,
        "Invalid Tag Id",
    );
    assert_error(
        &app.loja_form(&t.loja_token, "/tag/delete", &[("tag_id", "1")])
            .await,
        400,
        "Invalid ID",
    );
}

async fn bad_input_writes_nothing(app: TestApp) {
    let t = app.tenant().await;
    for form in [
        vec![("tag_type", "1")],
        vec![("name", "x")],
        vec![("name", "x"), ("tag_type", "7")],
        vec![("name", "x"), ("tag_type", "abc")],
    ] {
        let r = app.loja_form(&t.loja_token, "/tag/insert", &form).await;
        assert_error(&r, 400, "Error. Tag Name and Tag Type Nedded");
    }
    let r = app
        .loja_form(
            &t.loja_token,
            "/tag/insert",
            &[("name", "Cat"), ("tag_type", "6"), ("category_id", "99")],
        )
        .await;
    assert_error(&r, 400, "Invalid Category");
    assert_error(
        &app.loja_get(&t.loja_token, "/tag/findbyname?name=").await,
        400,
        "Invalid Tag Name",
    );
    assert_error(
        &app.loja_get(&t.loja_token, "/tag/findbyname?name=x").await,
        400,
        "Invalid Tag Name",
    );
    assert_error(
        &app.loja_get(&t.loja_token, "/tag/findbyurl?url=x").await,
        400,
        "Invalid Tag Url",
    );
    assert_error(
        &app.loja_get(&t.loja_token, "/tag/findbycategory?category_id=abc")
            .await,
        400,
        "Invalid Category",
    );
    assert_error(
        &app.loja_get(&t.loja_token, "/tag/findbyid?tag_id=1").await,
        400,
        "Invalid Tag Id",
    );
}

async fn tags_applying_to_a_product(app: TestApp) {
    let t = app.tenant().await;
    // 100.00 on sale for 80.00, 4 units left, registered now.
    product(&app, &t, "SKU-T", 10_000, 8_000, 4).await;
    product(&app, &t, "PLAIN", 10_000, 0, 50).await;
    for (name, kind, extra) in [
        ("Simples", "1", None),
        ("Novidades", "2", Some(("days", "10"))),
        ("Desconto", "3", Some(("minimum_value", "50.00"))),
        ("Oferta", "4", Some(("minimum_value", "90.00"))),
        ("Últimas Unidades", "5", None),
        ("Inativa", "3", Some(("status", "0"))),
    ] {
        let mut form = vec![("name", name), ("tag_type", kind)];
        form.extend(extra);
        assert_eq!(
            app.loja_form(&t.loja_token, "/tag/insert", &form)
                .await
                .text,
            OK_EMPTY
        );
    }
    let tags_of = |sku: &'static str| {
        let app = &app;
        let token = t.loja_token.clone();
        async move {
            let r = app
                .loja_get(&token, &format!("/product/findTagsBySku?sku={sku}"))
                .await;
            (
                r.clone(),
                r.body["data"].as_array().map(|a| {
                    a.iter()
                        .map(|t| t["name"].as_str().unwrap_or_default().to_owned())
                        .collect::<Vec<_>>()
                }),
            )
        }
    };
    let (_, names) = tags_of("SKU-T").await;
    assert_eq!(
        names.expect("array"),
        ["Novidades", "Desconto", "Últimas Unidades"],
        "the offer's minimum is not met"
    );

    // An explicit link makes a simple tag apply.
    let r = app
        .loja_form(
            &t.loja_token,
            "/tag/linkproduct",
            &[("product_sku", "SKU-T"), ("tag_id", "1")],
        )
        .await;
    assert_eq!(r.text, OK_EMPTY);
    let (_, names) = tags_of("SKU-T").await;
    assert_eq!(
        names.expect("array"),
        ["Simples", "Novidades", "Desconto", "Últimas Unidades"]
    );

    let (plain, _) = tags_of("PLAIN").await;
    assert_eq!(
        plain.body["data"][0]["name"], "Novidades",
        "only the new-arrival rule matches"
    );
    let (missing, _) = tags_of("NOPE").await;
    assert_error(&missing, 404, "Products not found.");
    assert_error(
        &app.loja_get(&t.loja_token, "/product/findTagsBySku").await,
        400,
        "Invalid Product SKU",
    );
    let wrong = app
        .loja_form(&t.loja_token, "/product/findTagsBySku", &[("sku", "SKU-T")])
        .await;
    assert_error(&wrong, 400, "Invalid request - Needed: GET");

    app.loja_form(&t.loja_token, "/tag/delete", &[("tag_id", "2")])
        .await;
    product(&app, &t, "OLD", 100, 0, 0).await;
    let (none, _) = tags_of("OLD").await;
    assert_error(&none, 404, "Tags not found.");
}

async fn stores_never_see_each_others_tags(app: TestApp) {
    let a = app.tenant().await;
    let b = app.tenant().await;
    product(&app, &a, "A-SKU", 100, 0, 1).await;
    app.loja_form(
        &a.loja_token,
        "/tag/insert",
        &[("name", "Da A"), ("tag_type", "1")],
    )
    .await;
    assert_error(
        &app.loja_get(&b.loja_token, "/tag/findbyid?tag_id=1").await,
        400,
        "Invalid Tag Id",
    );
    assert_error(
        &app.loja_get(&b.loja_token, "/tag/findbyname?name=Da").await,
        400,
        "Invalid Tag Name",
    );
    assert_error(
        &app.loja_form(
            &b.loja_token,
            "/tag/update",
            &[("tag_id", "1"), ("name", "x")],
        )
        .await,
        400,
        "Tag not Found",
    );
    assert_error(
        &app.loja_form(&b.loja_token, "/tag/delete", &[("tag_id", "1")])
            .await,
        400,
        "Invalid ID",
    );
    assert_error(
        &app.loja_get(&b.loja_token, "/product/findTagsBySku?sku=A-SKU")
            .await,
        404,
        "Products not found.",
    );
    assert_eq!(
        app.loja_get(&a.loja_token, "/tag/findbyid?tag_id=1")
            .await
            .body["data"][0]["name"],
        "Da A"
    );
}

both_backends!(
    insert_and_find,
    update_and_delete,
    bad_input_writes_nothing,
    tags_applying_to_a_product,
    stores_never_see_each_others_tags,
);
