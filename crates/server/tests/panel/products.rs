//! Loja › Produtos over HTTP: a catalogue made through the Loja API shows
//! in the panel, the search narrows it like `product/search`, a product's
//! page shows its units, categories and images, price/stock edits land
//! where the Loja API reads them, and other accounts' stores and products
//! are 404 pages.

use vitrine_testkit::{both_backends, Tenant, TestApp};

use crate::browserless::Visitor;

both_backends!(
    products_are_listed_searched_and_shown,
    price_and_stock_edits_reach_the_loja_api,
    other_accounts_products_are_not_found,
);

/// A Loja form call that must answer `status`.
async fn loja(app: &TestApp, t: &Tenant, path: &str, form: &[(&str, &str)], status: u16) {
    let r = app.loja_form(&t.loja_token, path, form).await;
    assert_eq!(r.status, status, "{path}: {}", r.text);
}

fn png(seed: u8) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(std::iter::repeat_n(seed, 64));
    bytes
}

/// Through the Loja API: a simple product "TL-1" (R$ 1.234,56, 7 units)
/// in category "Tintas", a type-4 "CAM" with variations Azul (CAM-AZ) and
/// Vermelho (CAM-VM) and one gallery image, a type-3 "CAMISA" with the
/// grid unit Azul › M (CAMISA-AZ-M), and "PINCEL".
pub async fn seed_catalog(app: &TestApp, t: &Tenant) {
    for name in ["Azul", "Vermelho"] {
        loja(
            app,
            t,
            "/product/insertvariety",
            &[("name", name), ("status", "1")],
            201,
        )
        .await;
    }
    loja(
        app,
        t,
        "/product/insertgrid",
        &[("name", "M"), ("status", "1")],
        201,
    )
    .await;
    loja(app, t, "/category/insert", &[("name", "Tintas")], 201).await;
    loja(
        app,
        t,
        "/product/insert",
        &[
            ("name", "Tinta Látex Branca 18L"),
            ("sku", "TL-1"),
            ("type", "1"),
            ("price", "1234.56"),
            ("stock", "7"),
            ("status", "1"),
        ],
        201,
    )
    .await;
    loja(
        app,
        t,
        "/category/linkproduct",
        &[("product_sku", "TL-1"), ("category_id", "1"), ("type", "1")],
        201,
    )
    .await;
    loja(
        app,
        t,
        "/product/insert",
        &[
            ("name", "Camiseta Básica"),
            ("sku", "CAM"),
            ("type", "4"),
            ("status", "1"),
            ("variety_data[0][id]", "1"),
            ("variety_data[0][sku]", "CAM-AZ"),
            ("variety_data[0][price]", "49.90"),
            ("variety_data[0][stock]", "5"),
            ("variety_data[0][status]", "1"),
            ("variety_data[1][id]", "2"),
            ("variety_data[1][sku]", "CAM-VM"),
            ("variety_data[1][price]", "59.90"),
            ("variety_data[1][stock]", "3"),
            ("variety_data[1][status]", "1"),
        ],
        201,
    )
    .await;
    let r = app
        .loja_multipart(
            &t.loja_token,
            "/image/insertbyproductsku",
            &[
                ("product_sku", "CAM"),
                ("subtitle", "Frente"),
                ("main", "1"),
                ("status", "1"),
            ],
            Some(("image", "camiseta.png", png(7))),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    loja(
        app,
        t,
        "/product/insert",
        &[
            ("name", "Camisa Polo"),
            ("sku", "CAMISA"),
            ("type", "3"),
            ("status", "1"),
            ("grid_data[0][variety_id]", "1"),
            ("grid_data[0][grid_id]", "1"),
            ("grid_data[0][sku]", "CAMISA-AZ-M"),
            ("grid_data[0][price]", "79.90"),
            ("grid_data[0][stock]", "4"),
            ("grid_data[0][status]", "1"),
        ],
        201,
    )
    .await;
    loja(
        app,
        t,
        "/product/insert",
        &[
            ("name", "Pincel Atlas"),
            ("sku", "PINCEL"),
            ("type", "1"),
            ("price", "12"),
            ("stock", "40"),
            ("status", "1"),
        ],
        201,
    )
    .await;
}

/// The href of the product named `name` in a list page.
fn product_href(body: &str, name: &str) -> String {
    let at = body
        .find(&format!(">{name}</a>"))
        .unwrap_or_else(|| panic!("{name} not linked in:\n{body}"));
    let start = body[..at].rfind("href=\"").expect("href") + 6;
    let len = body[start..].find('"').expect("quote");
    body[start..start + len].to_owned()
}

async fn products_are_listed_searched_and_shown(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let base = format!("/painel/lojas/{}/produtos", t.store_id);

    let empty = v.get(&base).await;
    empty.assert_html(200);
    assert!(empty.body.contains("Nenhum produto nesta loja ainda"));
    // The nav entry leads to the first store's products.
    let nav = v.get("/painel/produtos").await;
    assert_eq!((nav.status, nav.location()), (303, base.as_str()));
    assert!(empty.body.contains("href=\"/painel/produtos\""));

    seed_catalog(&app, &t).await;
    let list = v.get(&base).await;
    list.assert_html(200);
    for text in [
        "Tinta Látex Branca 18L",
        "Camiseta Básica",
        "Pincel Atlas",
        "TL-1",
        "R$ 1.234,56",
        "Variação",
        "Grade",
        "Simples",
    ] {
        assert!(list.body.contains(text), "{text} missing");
    }

    // The search ignores accents and case, and every word must match.
    let found = v.get(&format!("{base}?q=latex+BRANCA")).await;
    found.assert_html(200);
    assert!(found.body.contains("Tinta Látex Branca 18L"));
    assert!(!found.body.contains("Camiseta Básica") && !found.body.contains("Pincel Atlas"));
    assert!(
        found.body.contains("value=\"latex BRANCA\""),
        "the box keeps the query"
    );
    let none = v.get(&format!("{base}?q=furadeira")).await;
    none.assert_html(200);
    assert!(none.body.contains("Nenhum produto encontrado"));
    assert!(!none.body.contains("Tinta Látex"));

    // A simple product: price, stock, SKU, type, category.
    let simple = v
        .get(&product_href(&list.body, "Tinta Látex Branca 18L"))
        .await;
    simple.assert_html(200);
    for text in [
        "TL-1",
        "Simples",
        "R$ 1.234,56",
        "Tintas",
        "id=\"produto-estoque\">7<",
    ] {
        assert!(
            simple.body.contains(text),
            "{text} missing:\n{}",
            simple.body
        );
    }

    // A type-4 product: both variations with their prices and stock, the image.
    let cam = v.get(&product_href(&list.body, "Camiseta Básica")).await;
    cam.assert_html(200);
    for text in [
        "Variação",
        "id=\"unidade-CAM-AZ\"",
        "id=\"unidade-CAM-VM\"",
        "Azul",
        "Vermelho",
        "R$ 49,90",
        "R$ 59,90",
        "R$ 49,90 a R$ 59,90",
        "Frente",
    ] {
        assert!(cam.body.contains(text), "{text} missing:\n{}", cam.body);
    }
    let camisa = v.get(&product_href(&list.body, "Camisa Polo")).await;
    camisa.assert_html(200);
    for text in [
        "Grade",
        "Azul › M",
        "id=\"unidade-CAMISA-AZ-M\"",
        "R$ 79,90",
        ">4<",
    ] {
        assert!(
            camisa.body.contains(text),
            "{text} missing:\n{}",
            camisa.body
        );
    }

    let marker = "img class=\"thumb\" src=\"";
    let src_at = cam.body.find(marker).expect("a thumbnail") + marker.len();
    let src = &cam.body[src_at..src_at + cam.body[src_at..].find('"').expect("quote")];
    assert!(src.starts_with("/media/"), "{src}");
    let (status, ctype, bytes) = app.get_bytes(src).await;
    assert_eq!(status, 200, "the thumbnail is served");
    assert_eq!(ctype.as_deref(), Some("image/png"));
    assert_eq!(bytes, png(7));

    // Paging: 50 a page, the next page holds the rest.
    let mut tx = app.store.begin().await.expect("tx");
    for n in 0..50 {
        let fields = vitrine_store::products::ProductFields {
            name: format!("Parafuso {n:02}"),
            url: format!("parafuso-{n}"),
            status: true,
            ..Default::default()
        };
        tx.products()
            .insert(
                vitrine_core::ids::ShopScope::new(
                    t.account_id.parse().expect("account"),
                    t.store_id.parse().expect("store"),
                ),
                &format!("PAR-{n:02}"),
                vitrine_core::catalog::ProductType::Simple,
                &fields,
            )
            .await
            .expect("insert");
    }
    tx.commit().await.expect("commit");
    let first = v.get(&base).await;
    assert!(first.body.contains("id=\"pagina-seguinte\""));
    assert!(!first.body.contains("Parafuso 49"));
    let second = v.get(&format!("{base}?pagina=2")).await;
    second.assert_html(200);
    assert!(second.body.contains("Parafuso 49") && second.body.contains("Parafuso 47"));
    assert!(!second.body.contains("Pincel Atlas"));
    assert!(second.body.contains("id=\"pagina-anterior\""));
    // Exactly one page of screws: no next page; past it, nothing, and the
    // way back keeps the query.
    let searched = v.get(&format!("{base}?q=parafuso")).await;
    assert!(searched.body.contains("Parafuso 00") && searched.body.contains("Parafuso 49"));
    assert!(!searched.body.contains("Tinta Látex") && !searched.body.contains("pagina-seguinte"));
    let past = v.get(&format!("{base}?q=parafuso&pagina=2")).await;
    assert!(past.body.contains("Nenhum produto encontrado"));
    assert!(
        past.body.contains("?q=parafuso&amp;pagina=1"),
        "{}",
        past.body
    );
}

/// Stock and price of `sku` as the Loja API's `findbysku` reads them.
async fn via_api(app: &TestApp, t: &Tenant, sku: &str) -> (serde_json::Value, serde_json::Value) {
    let r = app
        .loja_get(
            &t.loja_token,
            &format!("/product/findbysku?sku={sku}&min=1"),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    (
        r.body["data"]["price"].clone(),
        r.body["data"]["stock"].clone(),
    )
}

async fn price_and_stock_edits_reach_the_loja_api(app: TestApp) {
    let t = app.tenant().await;
    seed_catalog(&app, &t).await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let list = v
        .get(&format!("/painel/lojas/{}/produtos", t.store_id))
        .await;
    let simple = product_href(&list.body, "Tinta Látex Branca 18L");
    let cam = product_href(&list.body, "Camiseta Básica");
    let csrf = v.get(&simple).await.csrf();

    // Ambiguous: refused at the field and at the top, nothing changed.
    let refused = v
        .post(
            &format!("{simple}/precos"),
            &[
                ("csrf", &csrf),
                ("sku", "TL-1"),
                ("price", "1.50.0"),
                ("stock", "-1"),
            ],
        )
        .await;
    refused.assert_html(422);
    for message in [
        "data-field=\"price\">Preço deve ser um valor em reais, como 142.900,00",
        "data-field=\"stock\">Estoque deve ser maior ou igual a 0",
        "<li>Preço deve ser um valor em reais",
    ] {
        assert!(
            refused.body.contains(message),
            "{message}: {}",
            refused.body
        );
    }
    assert!(refused.body.contains("value=\"1.50.0\""), "kept as typed");
    assert_eq!(
        via_api(&app, &t, "TL-1").await,
        (serde_json::json!("1234.56"), serde_json::json!(7))
    );
    // Typed the Brazilian way: 100.000 is cem mil, 1.500 mil e quinhentos,
    // 1.100,50 (which the panel used to refuse) mil e cem reais e cinquenta.
    for (typed, stored) in [
        ("100.000", "100000.00"),
        ("1.500", "1500.00"),
        ("1.100,50", "1100.50"),
    ] {
        let saved = v
            .post(
                &format!("{simple}/precos"),
                &[
                    ("csrf", &csrf),
                    ("sku", "TL-1"),
                    ("price", typed),
                    ("stock", "9"),
                ],
            )
            .await;
        assert_eq!(saved.status, 303, "{typed}: {}", saved.body);
        assert_eq!(
            via_api(&app, &t, "TL-1").await,
            (serde_json::json!(stored), serde_json::json!(9)),
            "{typed}"
        );
    }
    let saved_at = simple.clone();
    let page = v.get(&saved_at).await;
    assert!(page.body.contains("Preço e estoque salvos") && page.body.contains("R$ 1.100,50"));
    assert_eq!(
        page.field("preco-TL-1").as_deref(),
        Some("1.100,50"),
        "shown as typed back"
    );

    // A variation's stock only; the other variation is untouched.
    let saved = v
        .post(
            &format!("{cam}/precos"),
            &[
                ("csrf", &csrf),
                ("sku", "CAM-VM"),
                ("stock", "11"),
                ("price", ""),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(via_api(&app, &t, "CAM-VM").await.1, serde_json::json!(11));
    assert_eq!(via_api(&app, &t, "CAM-AZ").await.1, serde_json::json!(5));

    // A grid unit's price.
    let camisa = product_href(&list.body, "Camisa Polo");
    let saved = v
        .post(
            &format!("{camisa}/precos"),
            &[
                ("csrf", &csrf),
                ("sku", "CAMISA-AZ-M"),
                ("price", "89,90"),
                ("stock", "2"),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(
        via_api(&app, &t, "CAMISA-AZ-M").await,
        (serde_json::json!("89.90"), serde_json::json!(2))
    );

    // The product's own SKU when its units hold the stock: refused at the
    // field, as `product/bulkUpdate` refuses it, and nothing changed.
    let refused = v
        .post(
            &format!("{cam}/precos"),
            &[("csrf", &csrf), ("sku", "CAM"), ("stock", "40")],
        )
        .await;
    refused.assert_html(422);
    assert!(
        refused
            .body
            .contains("O SKU CAM é de um produto com variações ou grades"),
        "{}",
        refused.body
    );
    assert_eq!(via_api(&app, &t, "CAM-VM").await.1, serde_json::json!(11));
    assert_eq!(via_api(&app, &t, "CAM-AZ").await.1, serde_json::json!(5));

    // A SKU of another product through this product's form: not found.
    v.post(
        &format!("{cam}/precos"),
        &[("csrf", &csrf), ("sku", "TL-1"), ("stock", "0")],
    )
    .await
    .assert_html(404);
    // Without the session's token: refused, nothing changed.
    v.post(
        &format!("{simple}/precos"),
        &[("sku", "TL-1"), ("stock", "0")],
    )
    .await
    .assert_html(403);
    assert_eq!(via_api(&app, &t, "TL-1").await.1, serde_json::json!(9));
    assert_eq!(via_api(&app, &t, "CAM-VM").await.1, serde_json::json!(11));
}

async fn other_accounts_products_are_not_found(app: TestApp) {
    let mine = app.tenant().await;
    let theirs = app.tenant().await;
    seed_catalog(&app, &theirs).await;
    let them = Visitor::signed_in(&app, &theirs.email, &theirs.password).await;
    let their_list = them
        .get(&format!("/painel/lojas/{}/produtos", theirs.store_id))
        .await;
    let their_product = product_href(&their_list.body, "Tinta Látex Branca 18L");
    let their_id = their_product.rsplit('/').next().expect("id").to_owned();

    let v = Visitor::signed_in(&app, &mine.email, &mine.password).await;
    let csrf = v.session_csrf().await;
    for path in [
        format!("/painel/lojas/{}/produtos", theirs.store_id),
        their_product.clone(),
        // Their product's id under my store: my store has no such product.
        format!("/painel/lojas/{}/produtos/{their_id}", mine.store_id),
        format!("/painel/lojas/{}/produtos/nao-e-id", mine.store_id),
        "/painel/lojas/nao-e-id/produtos".to_owned(),
    ] {
        let page = v.get(&path).await;
        page.assert_html(404);
        assert!(page.body.contains("Página não encontrada"), "{path}");
        assert!(!page.body.contains("Tinta Látex"), "{path}");
    }
    v.post(
        &format!("{their_product}/precos"),
        &[("csrf", &csrf), ("sku", "TL-1"), ("stock", "0")],
    )
    .await
    .assert_html(404);
    assert_eq!(via_api(&app, &theirs, "TL-1").await.1, serde_json::json!(7));
    // My list shows none of their products.
    let mine_list = v
        .get(&format!("/painel/lojas/{}/produtos", mine.store_id))
        .await;
    mine_list.assert_html(200);
    assert!(!mine_list.body.contains("Tinta Látex"));
}
