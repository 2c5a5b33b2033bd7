//! E32–E36 categories and subcategories, E12 findcategoriesbysku, E01
//! findProductsbySubCategoryUrl.

use serde_json::json;
use vitrine_testkit::{both_backends, TestApp};

use crate::{data, error_body, expect, seed_options, text, BadInput, DONE, FONE};

async fn find_by_name_replays_the_doc(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    let r = app
        .loja_form(
            tok,
            "/category/insert",
            &[
                ("name", "Pet Shop"),
                ("sort", "14"),
                ("url", "loja-virtual-de-pet-shop"),
                ("status", "1"),
            ],
        )
        .await;
    expect(&r, 201, DONE);
    let found = app
        .loja_get(tok, "/category/findbyname?name=Pet%20Shop")
        .await;
    expect(
        &found,
        200,
        r#"{"success":true,"errors":[],"data":[{"id":"1","name":"Pet Shop","sort":"14","url":"loja-virtual-de-pet-shop","description":"","view_menu":"0","visits":"0","meta_description":"","meta_title":"","meta_keys":"","hot_page":"1","page_id":"0","status":"1","children":[],"parent":[]}]}"#,
    );
    expect(
        &app.loja_get(tok, "/category/findbyname?name=Nada").await,
        404,
        &error_body("Category not found"),
    );
    let other = app.tenant().await;
    expect(
        &app.loja_get(&other.loja_token, "/category/findbyname")
            .await,
        404,
        &error_body("Category not found"),
    );
}

async fn tree_insert_update_and_search(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    for form in [
        vec![("name", "Milena e Thiago")],
        vec![("name", "Cães")],
        vec![("name", "Cachorro"), ("type", "2"), ("parent_id", "2")],
        vec![
            ("name", "Ração"),
            ("type", "2"),
            ("parent_id", "1"),
            ("parent_type", "2"),
        ],
    ] {
        expect(
            &app.loja_form(tok, "/category/insert", &form).await,
            201,
            DONE,
        );
    }
    let all = app.loja_get(tok, "/category/findbyname").await;
    let d = data(&all);
    assert_eq!(
        d.as_array().map(Vec::len),
        Some(4),
        "categories then subcategories"
    );
    assert_eq!(
        d[1]["children"],
        json!([{"id":"1","parent_id":"2","sub_parent_id":"0","name":"Cachorro","sort":"0","url":"cachorro","status":"0"}])
    );
    assert_eq!(d[3]["name"], "Ração");
    assert_eq!(d[3]["url"], "racao");
    assert_eq!(d[3]["parent"]["name"], "Cachorro");
    assert_eq!(d[2]["parent"]["name"], "Cães");
    assert_eq!(
        d[2]["parent"]["hot_page"], "1",
        "a category parent is SH-Category1"
    );
    let racao = app.loja_get(tok, "/category/findbyname?name=racao").await;
    assert_eq!(
        data(&racao)[0]["sub_parent_id"],
        "1",
        "accent-insensitive search"
    );

    let upd = app
        .loja_form(
            tok,
            "/category/update",
            &[("category_id", "2"), ("sort", "5"), ("view_menu", "1")],
        )
        .await;
    expect(&upd, 200, DONE);
    let sub = app
        .loja_form(
            tok,
            "/category/update",
            &[("category_id", "2"), ("type", "2"), ("name", "Petiscos")],
        )
        .await;
    expect(&sub, 200, DONE);
    let c = app
        .loja_get(tok, "/category/findbyname?name=C%C3%A3es")
        .await;
    assert_eq!(
        (
            data(&c)[0]["sort"].clone(),
            data(&c)[0]["view_menu"].clone(),
            data(&c)[0]["name"].clone()
        ),
        (json!("5"), json!("1"), json!("Cães"))
    );
    let p = app
        .loja_get(tok, "/category/findbyname?name=Petiscos")
        .await;
    assert_eq!(data(&p)[0]["url"], "racao", "the url is kept on rename");

    let cases: &[BadInput] = &[
        ("missing name", &[("type", "1")], 400, "Invalid Name"),
        (
            "parent 0",
            &[("name", "X"), ("type", "2")],
            404,
            "Parent Category not found",
        ),
        (
            "unknown parent category",
            &[("name", "X"), ("type", "2"), ("parent_id", "9")],
            404,
            "Parent Category not found",
        ),
        (
            "unknown parent subcategory",
            &[
                ("name", "X"),
                ("type", "2"),
                ("parent_id", "9"),
                ("parent_type", "2"),
            ],
            404,
            "Parent Category not found",
        ),
    ];
    for (reason, form, status, message) in cases {
        let r = app.loja_form(tok, "/category/insert", form).await;
        assert_eq!(
            (r.status, text(&r)),
            (*status, error_body(message)),
            "{reason}"
        );
    }
    let all_again = app.loja_get(tok, "/category/findbyname").await;
    assert_eq!(
        data(&all_again).as_array().map(Vec::len),
        Some(4),
        "refused inserts write nothing"
    );
    expect(
        &app.loja_form(tok, "/category/update", &[("category_id", "9")])
            .await,
        404,
        &error_body("Category not found"),
    );
    expect(
        &app.loja_form(tok, "/category/update", &[]).await,
        404,
        &error_body("Category not found"),
    );
    let other = app.tenant().await;
    expect(
        &app.loja_form(
            &other.loja_token,
            "/category/update",
            &[("category_id", "2"), ("name", "Invasor")],
        )
        .await,
        404,
        &error_body("Category not found"),
    );
}

async fn links_and_find_categories_by_sku(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    expect(
        &app.loja_form(tok, "/product/insert", FONE).await,
        201,
        DONE,
    );
    expect(
        &app.loja_form(tok, "/category/insert", &[("name", "Pet Shop")])
            .await,
        201,
        DONE,
    );
    expect(
        &app.loja_form(
            tok,
            "/category/insert",
            &[("name", "Cachorro"), ("type", "2"), ("parent_id", "1")],
        )
        .await,
        201,
        DONE,
    );
    let link = |ty: &'static str| {
        [
            ("product_sku", "123123"),
            ("category_id", "1"),
            ("type", ty),
        ]
    };
    expect(
        &app.loja_form(tok, "/category/linkproduct", &link("2"))
            .await,
        201,
        DONE,
    );
    expect(
        &app.loja_form(tok, "/category/linkproduct", &link("1"))
            .await,
        201,
        DONE,
    );
    expect(
        &app.loja_form(tok, "/category/linkProduct", &link("1"))
            .await,
        201,
        DONE,
    );
    let cats = app
        .loja_get(tok, "/product/findcategoriesbysku?sku=123123")
        .await;
    expect(
        &cats,
        200,
        r#"{"success":true,"errors":[],"data":[{"category_id":"1","category_data":{"id":"1","parent_id":"1","sub_parent_id":"0","name":"Cachorro","sort":"0","url":"cachorro","status":"0"},"category_type":2},{"category_id":"1","category_data":{"id":"1","name":"Pet Shop","sort":"0","url":"pet-shop","description":"","view_menu":"0","visits":"0","meta_description":"","meta_title":"","meta_keys":"","hot_page":"1","page_id":"0","status":"0"},"category_type":1}]}"#,
    );
    expect(
        &app.loja_form(tok, "/category/unlinkproduct", &link("2"))
            .await,
        200,
        DONE,
    );
    expect(
        &app.loja_form(tok, "/category/unlinkproduct", &link("2"))
            .await,
        200,
        DONE,
    );
    let cats = app
        .loja_get(tok, "/product/findcategoriesbysku?sku=123123")
        .await;
    assert_eq!(data(&cats).as_array().map(Vec::len), Some(1));

    let bad: &[BadInput] = &[
        (
            "unknown product",
            &[("product_sku", "nada"), ("category_id", "1")],
            404,
            "Product not found",
        ),
        (
            "unknown category",
            &[("product_sku", "123123"), ("category_id", "7")],
            404,
            "Category not found",
        ),
        (
            "unknown subcategory",
            &[
                ("product_sku", "123123"),
                ("category_id", "7"),
                ("type", "2"),
            ],
            404,
            "Category not found",
        ),
        (
            "missing category",
            &[("product_sku", "123123")],
            404,
            "Category not found",
        ),
    ];
    for (reason, form, status, message) in bad {
        let r = app.loja_form(tok, "/category/linkproduct", form).await;
        assert_eq!(
            (r.status, text(&r)),
            (*status, error_body(message)),
            "{reason}"
        );
    }
    expect(
        &app.loja_get(tok, "/product/findcategoriesbysku?sku=nada")
            .await,
        404,
        &error_body("Invalid Product SKU"),
    );
    let other = app.tenant().await;
    expect(
        &app.loja_get(&other.loja_token, "/product/findcategoriesbysku?sku=123123")
            .await,
        404,
        &error_body("Invalid Product SKU"),
    );
    expect(
        &app.loja_form(&other.loja_token, "/category/unlinkproduct", &link("1"))
            .await,
        404,
        &error_body("Product not found"),
    );
    let cats = app
        .loja_get(tok, "/product/findcategoriesbysku?sku=123123")
        .await;
    assert_eq!(
        data(&cats).as_array().map(Vec::len),
        Some(1),
        "another store changed nothing"
    );
}

async fn subcategory_listing_pages_sellable_rows(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    seed_options(&app, tok, &["Branco Neve"], &[]).await;
    expect(
        &app.loja_form(tok, "/category/insert", &[("name", "Tintas")])
            .await,
        201,
        DONE,
    );
    expect(
        &app.loja_form(
            tok,
            "/category/insert",
            &[
                ("name", "Racao"),
                ("type", "2"),
                ("parent_id", "1"),
                ("url", "Racao"),
            ],
        )
        .await,
        201,
        DONE,
    );
    let r = app
        .loja_form(
            tok,
            "/product/insert",
            &[
                ("name", "Tinta Latex Acrilico Econômico 18L - Glasu"),
                ("sku", "1825771825776789"),
                ("type", "4"),
                ("url", "latex-vinil-acrilico-economico-18l-glasurit"),
                ("variety_data[0][id]", "1"),
                ("variety_data[0][sku]", "182577"),
                ("variety_data[0][price]", "194.47"),
                ("variety_data[0][stock]", "3157"),
                ("variety_data[0][status]", "1"),
            ],
        )
        .await;
    expect(&r, 201, DONE);
    expect(
        &app.loja_form(
            tok,
            "/category/linkproduct",
            &[
                ("product_sku", "1825771825776789"),
                ("category_id", "1"),
                ("type", "2"),
            ],
        )
        .await,
        201,
        DONE,
    );
    // The doc's row (L14–118) minus the images the image work adds.
    let page = app
        .loja_get(
            tok,
            "/product/findProductsbySubCategoryUrl?url=racao&offset=0",
        )
        .await;
    expect(
        &page,
        200,
        r#"{"success":true,"errors":[],"data":[{"id_variety":"1","sku":"182577","name":"Tinta Latex Acrilico Econômico 18L - Glasu - Branco Neve","price":"194.47","promotional_price":"0.00","stock":"3157","weight":"0.000","height":"0","length":"0","width":"0","status":"1","configurable_product_id":"1","sku_parent":"1825771825776789","id_parent":"1","url_variety":"latex-vinil-acrilico-economico-18l-glasurit-182577","product_images":[],"varieties_info":[{"name":"Branco Neve","image":"","color1":"","color2":"","icon_type":"0","sort":"0","status":"1"}]}]}"#,
    );
    // 25 simple products: page 0 has 20 rows after the variation, page 1 the rest.
    for i in 0..25 {
        let sku = format!("S{i:02}");
        expect(
            &app.loja_form(
                tok,
                "/product/insert",
                &[("name", "Simples"), ("sku", &sku), ("sort", "1")],
            )
            .await,
            201,
            DONE,
        );
        expect(
            &app.loja_form(
                tok,
                "/category/linkproduct",
                &[("product_sku", &sku), ("category_id", "1"), ("type", "2")],
            )
            .await,
            201,
            DONE,
        );
    }
    let first = app
        .loja_get(
            tok,
            "/product/findProductsbySubCategoryUrl?url=Racao&offset=0",
        )
        .await;
    assert_eq!(data(&first).as_array().map(Vec::len), Some(20));
    let second = app
        .loja_get(
            tok,
            "/product/findProductsbySubCategoryUrl?url=Racao&offset=1",
        )
        .await;
    let rows = data(&second).as_array().cloned().unwrap_or_default();
    assert_eq!(rows.len(), 6);
    assert_eq!(rows[5]["sku"], "S24");
    assert_eq!(rows[5]["id_variety"], "0");
    assert_eq!(rows[5]["sku_parent"], "S24");
    assert_eq!(rows[5]["varieties_info"], json!([]));
    let past = app
        .loja_get(
            tok,
            "/product/findProductsbySubCategoryUrl?url=Racao&offset=2",
        )
        .await;
    expect(&past, 404, &error_body("Product not found"));
    let by_category = app
        .loja_get(tok, "/product/findProductsbySubCategoryUrl?url=tintas")
        .await;
    expect(&by_category, 404, &error_body("Product not found"));
    expect(
        &app.loja_get(tok, "/product/findProductsbySubCategoryUrl?url=nada")
            .await,
        404,
        &error_body("Product not found"),
    );
    let other = app.tenant().await;
    expect(
        &app.loja_get(
            &other.loja_token,
            "/product/findProductsbySubCategoryUrl?url=racao",
        )
        .await,
        404,
        &error_body("Product not found"),
    );
}

both_backends!(
    find_by_name_replays_the_doc,
    tree_insert_update_and_search,
    links_and_find_categories_by_sku,
    subcategory_listing_pages_sellable_rows,
    subcategory_listing_mixes_the_three_types_in_order,
);

/// One page over products of every type, read in batches: rows follow the
/// products' order (`sort`, then id) and, inside one, its units' order;
/// grids and variations carry their own variety.
async fn subcategory_listing_mixes_the_three_types_in_order(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    seed_options(&app, tok, &["Azul", "Verde"], &["P", "M"]).await;
    for form in [
        &[("name", "Moda")][..],
        &[("name", "Camisas"), ("type", "2"), ("parent_id", "1")][..],
    ] {
        expect(
            &app.loja_form(tok, "/category/insert", form).await,
            201,
            DONE,
        );
    }
    let products: [&[(&str, &str)]; 3] = [
        &[
            ("name", "Camisa"),
            ("sku", "GRADE"),
            ("type", "3"),
            ("sort", "2"),
            ("grid_data[0][variety_id]", "1"),
            ("grid_data[0][grid_id]", "2"),
            ("grid_data[0][sku]", "GRADE-AZUL-M"),
            ("grid_data[0][price]", "39.99"),
            ("grid_data[1][variety_id]", "2"),
            ("grid_data[1][grid_id]", "1"),
            ("grid_data[1][sku]", "GRADE-VERDE-P"),
            ("grid_data[1][price]", "41.00"),
        ],
        &[
            ("name", "Boné"),
            ("sku", "VAR"),
            ("type", "4"),
            ("sort", "1"),
            ("variety_data[0][id]", "2"),
            ("variety_data[0][sku]", "VAR-VERDE"),
            ("variety_data[0][price]", "19.90"),
            ("variety_data[1][id]", "1"),
            ("variety_data[1][sku]", "VAR-AZUL"),
            ("variety_data[1][price]", "18.90"),
        ],
        &[("name", "Meia"), ("sku", "SIMPLES"), ("sort", "3")],
    ];
    for form in products {
        expect(
            &app.loja_form(tok, "/product/insert", form).await,
            201,
            DONE,
        );
    }
    for sku in ["SIMPLES", "GRADE", "VAR"] {
        let link = [("product_sku", sku), ("category_id", "1"), ("type", "2")];
        expect(
            &app.loja_form(tok, "/category/linkproduct", &link).await,
            201,
            DONE,
        );
    }
    let row = |sku: &str, name: &str, parent: &str, variety: &str| {
        let own = str::to_owned;
        (own(sku), own(name), own(parent), own(variety))
    };
    let verde = row("VAR-VERDE", "Boné - Verde", "VAR", "Verde");
    let azul = row("VAR-AZUL", "Boné - Azul", "VAR", "Azul");
    let grade_m = row("GRADE-AZUL-M", "Camisa - Azul - M", "GRADE", "Azul");
    let grade_p = row("GRADE-VERDE-P", "Camisa - Verde - P", "GRADE", "Verde");
    let simples = row("SIMPLES", "Meia", "SIMPLES", "");
    let order = [&verde, &azul, &grade_m, &grade_p, &simples];
    assert_eq!(listing_rows(&app, tok).await, order.map(Clone::clone));
    // A product's new sort moves its rows, whichever path changed it.
    let r = app
        .loja_form(tok, "/product/update", &[("sku", "SIMPLES"), ("sort", "0")])
        .await;
    expect(&r, 200, DONE);
    let order = [&simples, &verde, &azul, &grade_m, &grade_p];
    assert_eq!(listing_rows(&app, tok).await, order.map(Clone::clone));
}

/// (sku, name, sku_parent, first variety) of each row of the first page of
/// subcategory `camisas`.
async fn listing_rows(app: &TestApp, tok: &str) -> Vec<(String, String, String, String)> {
    let page = app
        .loja_get(tok, "/product/findProductsbySubCategoryUrl?url=camisas")
        .await;
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    data(&page)
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            let variety = &r["varieties_info"][0]["name"];
            (
                text(&r["sku"]),
                text(&r["name"]),
                text(&r["sku_parent"]),
                text(variety),
            )
        })
        .collect()
}
