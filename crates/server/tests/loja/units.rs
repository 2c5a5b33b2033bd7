//! Varieties, grids and the units of type-3/4 products: E04–E07, E10,
//! E11, E14–E19, and E02 on variation and grid SKUs.

use serde_json::json;
use vitrine_testkit::{both_backends, TestApp};

use crate::{data, error_body, expect, seed_options, text, BadInput, DONE};

/// Type-4 product "123456" ("Cor" variation "124") and type-3 product
/// "316170" ("Estampa" × "Branco(a)" grid "0122").
async fn seed(app: &TestApp, token: &str) {
    seed_options(
        app,
        token,
        &["Cor", "Estampa", "Azul", "Camiseta - Azul"],
        &["Branco(a)", "M"],
    )
    .await;
    let r = app
        .loja_form(
            token,
            "/product/insert",
            &[
                ("name", "Tinta"),
                ("sku", "123456"),
                ("type", "4"),
                ("url", "product-variety"),
                ("variety_data[0][id]", "1"),
                ("variety_data[0][sku]", "000000"),
                ("variety_data[0][price]", "1"),
                ("variety_data[0][promotional_price]", "0.50"),
                ("variety_data[0][stock]", "50"),
                ("variety_data[0][status]", "1"),
            ],
        )
        .await;
    expect(&r, 201, DONE);
    let r = app
        .loja_form(
            token,
            "/product/insert",
            &[
                ("name", "Camisa"),
                ("sku", "316170"),
                ("type", "3"),
                ("url", "product-grid"),
                ("grid_data[0][variety_id]", "2"),
                ("grid_data[0][grid_id]", "1"),
                ("grid_data[0][sku]", "0122"),
                ("grid_data[0][price]", "20"),
                ("grid_data[0][promotional_price]", "10"),
                ("grid_data[0][stock]", "10"),
                ("grid_data[0][status]", "1"),
            ],
        )
        .await;
    expect(&r, 201, DONE);
}

async fn variety_and_grid_lookups_replay_the_doc(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    seed(&app, tok).await;

    // E16 (L1441–1492).
    let v = app
        .loja_get(
            tok,
            "/product/findvarietyandparentbyvariety?variety_sku=000000",
        )
        .await;
    expect(
        &v,
        200,
        r#"{"success":true,"errors":[],"data":{"variety":{"id":"1","name":"Cor","price":"1","promotional_price":"0.50","image":"","stock":"50","weight":"0.000","height":"0","length":"0","width":"0","status":"1"},"parent_sku":"123456"}}"#,
    );
    expect(
        &app.loja_get(
            tok,
            "/product/findvarietyandparentbyvariety?variety_sku=0122",
        )
        .await,
        404,
        &error_body("Variety not found"),
    );
    // E17 (L1493–1545).
    let g = app
        .loja_get(tok, "/product/findgridandparentbygrid?grid_sku=0122")
        .await;
    expect(
        &g,
        200,
        r#"{"success":true,"errors":[],"data":{"grid":{"id":"1","variety_name":"Estampa","grid_name":"Branco(a)","price":"20.00","promotional_price":"10.00","image":"","stock":"10","weight":"0.000","height":"0","length":"0","width":"0","status":"1"},"parent_sku":"316170"}}"#,
    );
    expect(
        &app.loja_get(tok, "/product/findgridandparentbygrid?grid_sku=nada")
            .await,
        404,
        &error_body("Grid not found!"),
    );
    // E18/E19 (L1546–1619).
    expect(
        &app.loja_get(tok, "/product/constructUrlVariety?variety_sku=000000")
            .await,
        200,
        r#"{"success":true,"errors":[],"data":"product-variety-000000"}"#,
    );
    expect(
        &app.loja_get(tok, "/product/constructUrlVariety?grid_sku=0122")
            .await,
        200,
        r#"{"success":true,"errors":[],"data":"product-grid-0122"}"#,
    );
    expect(
        &app.loja_get(tok, "/product/constructUrlVariety").await,
        404,
        &error_body("Variety not found!"),
    );
    expect(
        &app.loja_get(tok, "/product/constructUrlVariety?grid_sku=nada")
            .await,
        404,
        &error_body("Grid not found!"),
    );
    // E04 with the doc's parameter name, E06.
    expect(
        &app.loja_get(tok, "/product/findvarietybyproductsku?product_name=123456")
            .await,
        200,
        r#"{"success":true,"errors":[],"data":[{"sku":"000000","name":"Cor","price":"1","promotional_price":"0.50","stock":"50","weight":"0.000","height":"0","length":"0","width":"0","status":"1"}]}"#,
    );
    expect(
        &app.loja_get(tok, "/product/findgridbyproductsku?product_sku=316170")
            .await,
        200,
        r#"{"success":true,"errors":[],"data":[{"sku":"0122","variety_name":"Estampa","grid_name":"Branco(a)","price":"20.00","promotional_price":"10.00","stock":"10","weight":"0.000","height":"0","length":"0","width":"0","status":"1"}]}"#,
    );
    expect(
        &app.loja_get(tok, "/product/findgridbyproductsku?product_sku=nada")
            .await,
        404,
        &error_body("Product not found"),
    );
}

async fn find_by_sku_resolves_units_with_parent_and_children(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    seed(&app, tok).await;
    let parent = app.loja_get(tok, "/product/findbysku?sku=123456").await;
    let d = data(&parent);
    assert_eq!(d["type"], "4");
    assert_eq!(d["parent"], json!([]));
    assert_eq!(d["children"][0]["sku"], "000000");
    assert_eq!(d["children"][0]["price"], "1");

    let unit = app.loja_get(tok, "/product/findbysku?sku=000000").await;
    let d = data(&unit);
    assert_eq!(d["name"], "Tinta - Cor");
    assert_eq!(d["sku"], "000000");
    assert_eq!(d["stock"], 50, "basic shape keeps stock an integer");
    assert_eq!(d["price"], "1.00");
    assert_eq!(d["type"], "4");
    assert_eq!(d["parent"]["sku"], "123456");
    assert!(d["parent"].get("parent").is_none());
    assert_eq!(d["children"], json!([]));

    let grid = app.loja_get(tok, "/product/findbysku?sku=0122&min=0").await;
    let d = data(&grid);
    assert_eq!(d["name"], "Camisa - Estampa - Branco(a)");
    assert_eq!(d["stock"], "10");
    assert_eq!(d["url"], "product-grid", "other keys come from the parent");
    assert_eq!(d["parent"]["sku"], "316170");
}

async fn global_options_search_and_extensions(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    expect(
        &app.loja_get(tok, "/product/findvariety").await,
        404,
        &error_body("Varieties not found."),
    );
    expect(
        &app.loja_get(tok, "/product/findgrid").await,
        404,
        &error_body("Grids not found."),
    );
    let created = app
        .loja_form(
            tok,
            "/product/insertvariety",
            &[
                ("name", "Azul"),
                ("image", "azul.png"),
                ("icon_type", "1"),
                ("sort", "1"),
                ("status", "1"),
            ],
        )
        .await;
    expect(
        &created,
        201,
        r#"{"success":true,"errors":[],"data":{"id":"1"}}"#,
    );
    seed_options(
        &app,
        tok,
        &["Vermelho", "Camiseta - Azul"],
        &["P", "M", "G", "P"],
    )
    .await;
    // E05 (L491–518): a case-insensitive substring, by id. The file name
    // is shown as the URL of the store's variation folder (issue 16.12).
    let azul = app.loja_get(tok, "/product/findvariety?name=azul").await;
    assert_eq!(
        text(&azul),
        format!(
            r#"{{"success":true,"errors":[],"data":[{{"id":"1","name":"Azul","image":"{}/media/{}/produtos_imagens/produtos_variacao/azul.png","color1":"","color2":"","icon_type":"1","sort":"1","status":"1"}},{{"id":"3","name":"Camiseta - Azul","image":"","color1":"","color2":"","icon_type":"0","sort":"0","status":"1"}}]}}"#,
            app.base_url, t.store_id
        )
    );
    let all = app.loja_get(tok, "/product/findgrid?name=").await;
    assert_eq!(
        data(&all).as_array().map(Vec::len),
        Some(4),
        "empty name lists all"
    );
    let p = app.loja_get(tok, "/product/findgrid?name=p").await;
    assert_eq!(
        text(&p),
        r#"{"success":true,"errors":[],"data":[{"id":"1","name":"P","sort":"0","status":"1"},{"id":"4","name":"P","sort":"0","status":"1"}]}"#
    );
    let bad: &[BadInput] = &[
        (
            "variety without name",
            &[("image", "x.png")],
            400,
            "Invalid Name",
        ),
        (
            "icon type out of range",
            &[("name", "X"), ("icon_type", "7")],
            400,
            "Invalid icon_type",
        ),
    ];
    for (reason, form, status, message) in bad {
        let r = app.loja_form(tok, "/product/insertvariety", form).await;
        assert_eq!(
            (r.status, text(&r)),
            (*status, error_body(message)),
            "{reason}"
        );
    }
    expect(
        &app.loja_form(tok, "/product/insertgrid", &[]).await,
        400,
        &error_body("Invalid Name"),
    );
    let other = app.tenant().await;
    expect(
        &app.loja_get(&other.loja_token, "/product/findvariety?name=azul")
            .await,
        404,
        &error_body("Varieties not found."),
    );
}

async fn insert_units_into_existing_products(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    seed(&app, tok).await;
    let added = app
        .loja_form(
            tok,
            "/product/insertvarietyproduct",
            &[
                ("sku", "123456"),
                ("variety_data[0][id]", "3"),
                ("variety_data[0][sku]", "124"),
                ("variety_data[0][price]", "100"),
            ],
        )
        .await;
    expect(&added, 201, DONE);
    let rows = app
        .loja_get(tok, "/product/findvarietybyproductsku?sku=123456")
        .await;
    assert_eq!(data(&rows)[1]["sku"], "124");
    assert_eq!(data(&rows)[1]["price"], "100");

    // E11's documented per-item error objects (L1109–1182), atomically.
    let refused = app
        .loja_form(
            tok,
            "/product/insertgridproduct",
            &[
                ("sku", "316170"),
                ("grid_data[0][variety_id]", "2"),
                ("grid_data[0][grid_id]", "2"),
                ("grid_data[0][sku]", "NOVO"),
                ("grid_data[1][variety_id]", "2"),
                ("grid_data[1][grid_id]", "1"),
                ("grid_data[1][sku]", "0122"),
                ("grid_data[2][variety_id]", "x"),
                ("grid_data[2][grid_id]", "9"),
                ("grid_data[2][sku]", "OUTRO"),
            ],
        )
        .await;
    expect(
        &refused,
        406,
        r#"{"success":false,"errors":[{"variety_id":2,"grid_id":1,"grid_key":1,"errors":["SKU already registered"]},{"variety_id":0,"grid_id":9,"grid_key":2,"errors":["Variety not found","Grid not found"]}],"data":[]}"#,
    );
    expect(
        &app.loja_get(tok, "/product/findbysku?sku=NOVO").await,
        404,
        &error_body("Product not found"),
    );
    let ok = app
        .loja_form(
            tok,
            "/product/insertgridproduct",
            &[
                ("sku", "316170"),
                ("grid_data[0][variety_id]", "2"),
                ("grid_data[0][grid_id]", "2"),
                ("grid_data[0][sku]", "NOVO"),
            ],
        )
        .await;
    expect(&ok, 201, DONE);
    let grids = app
        .loja_get(tok, "/product/findgridbyproductsku?product_sku=316170")
        .await;
    assert_eq!(data(&grids)[1]["grid_name"], "M");

    let varieties_refused = app
        .loja_form(
            tok,
            "/product/insertvarietyproduct",
            &[
                ("sku", "123456"),
                ("variety_data[0][id]", "1"),
                ("variety_data[0][sku]", ""),
            ],
        )
        .await;
    expect(
        &varieties_refused,
        406,
        r#"{"success":false,"errors":[{"variety_id":1,"variety_key":0,"errors":["Invalid SKU"]}],"data":[]}"#,
    );
    let nf = error_body("Product not found.");
    let cases: &[BadInput] = &[
        (
            "unknown product",
            &[
                ("sku", "nada"),
                ("variety_data[0][id]", "1"),
                ("variety_data[0][sku]", "Z"),
            ],
            404,
            "Product not found.",
        ),
        (
            "not a type-4 product",
            &[
                ("sku", "316170"),
                ("variety_data[0][id]", "1"),
                ("variety_data[0][sku]", "Z"),
            ],
            404,
            "Product not found.",
        ),
        (
            "no items",
            &[("sku", "123456")],
            400,
            "Invalid variety_data",
        ),
    ];
    for (reason, form, status, message) in cases {
        let r = app
            .loja_form(tok, "/product/insertvarietyproduct", form)
            .await;
        assert_eq!(
            (r.status, text(&r)),
            (*status, error_body(message)),
            "{reason}"
        );
    }
    let other = app.tenant().await;
    let foreign = app
        .loja_form(
            &other.loja_token,
            "/product/insertvarietyproduct",
            &[
                ("sku", "123456"),
                ("variety_data[0][id]", "1"),
                ("variety_data[0][sku]", "Z"),
            ],
        )
        .await;
    expect(&foreign, 404, &nf);
}

async fn unit_deletes_free_their_skus(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    seed(&app, tok).await;
    let other = app.tenant().await;
    expect(
        &app.loja_get(&other.loja_token, "/product/deletevarietybysku?sku=000000")
            .await,
        404,
        &error_body("Variety not found"),
    );
    expect(
        &app.loja_get(&other.loja_token, "/product/deletegridbysku?sku=0122")
            .await,
        404,
        &error_body("Grid not found"),
    );
    expect(
        &app.loja_get(tok, "/product/deletevarietybysku?sku=000000")
            .await,
        200,
        DONE,
    );
    expect(
        &app.loja_get(tok, "/product/deletevarietybysku?sku=000000")
            .await,
        404,
        &error_body("Variety not found"),
    );
    expect(
        &app.loja_get(tok, "/product/deletegridbysku?sku=000000")
            .await,
        404,
        &error_body("Grid not found"),
    );
    expect(
        &app.loja_get(tok, "/product/deletegridbysku?sku=0122").await,
        200,
        DONE,
    );
    expect(
        &app.loja_get(tok, "/product/findvarietybyproductsku?sku=123456")
            .await,
        200,
        r#"{"success":true,"errors":[],"data":[]}"#,
    );
    expect(
        &app.loja_form(
            tok,
            "/product/insert",
            &[("name", "Reuso"), ("sku", "0122")],
        )
        .await,
        201,
        DONE,
    );
}

both_backends!(
    variety_and_grid_lookups_replay_the_doc,
    find_by_sku_resolves_units_with_parent_and_children,
    global_options_search_and_extensions,
    insert_units_into_existing_products,
    unit_deletes_free_their_skus,
);
