//! The Loja screens of the headless-Chromium journey (called from
//! `browser.rs`): a catalogue and an order made through the Loja API,
//! then Produtos (list, search, a product's page) and Pedidos (list, an
//! order paid in the browser and read back through the API), with
//! screenshots `loja-*.png`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::{Client, Locator};
use vitrine_testkit::TestApp;

fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshots dir");
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(screenshots_dir().join(name), png).expect("write screenshot");
}

async fn find(c: &Client, xpath: &str) -> fantoccini::elements::Element {
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"))
}

async fn loja(app: &TestApp, token: &str, path: &str, form: &[(&str, &str)]) {
    let r = app.loja_form(token, path, form).await;
    assert!(r.status == 200 || r.status == 201, "{path}: {}", r.text);
}

fn png() -> Vec<u8> {
    // A 16×16 teal PNG, so the thumbnail shows something.
    const HEX: &str = "89504e470d0a1a0a0000000d494844520000001000000010080200000090916836000000164944\
                       415478da63e0cef32709318c6a18d5307c35000010fec8019e14f2b70000000049454e44ae426082";
    (0..HEX.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&HEX[i..i + 2], 16).expect("hex"))
        .collect()
}

/// Store `store_id`, whose Loja token is `token`: seed, then visit.
pub async fn loja_screens(c: &Client, app: &TestApp, store_id: &str, token: &str) {
    let base = &app.base_url;
    for name in ["Azul", "Vermelho"] {
        loja(
            app,
            token,
            "/product/insertvariety",
            &[("name", name), ("status", "1")],
        )
        .await;
    }
    loja(app, token, "/category/insert", &[("name", "Tintas")]).await;
    for (name, sku, price, stock) in [
        ("Tinta Látex Branca 18L", "TL-1", "1234.56", "10"),
        ("Pincel Atlas 2\"", "PIN", "12.90", "40"),
        ("Rolo de Lã 23cm", "ROLO", "39.90", "15"),
    ] {
        loja(
            app,
            token,
            "/product/insert",
            &[
                ("name", name),
                ("sku", sku),
                ("type", "1"),
                ("price", price),
                ("stock", stock),
                ("status", "1"),
            ],
        )
        .await;
    }
    loja(
        app,
        token,
        "/category/linkproduct",
        &[("product_sku", "TL-1"), ("category_id", "1"), ("type", "1")],
    )
    .await;
    loja(
        app,
        token,
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
    )
    .await;
    let r = app
        .loja_multipart(
            token,
            "/image/insertbyproductsku",
            &[
                ("product_sku", "CAM"),
                ("subtitle", "Frente"),
                ("main", "1"),
                ("status", "1"),
            ],
            Some(("image", "camiseta.png", png())),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    loja(
        app,
        token,
        "/client/register",
        &[
            ("name", "Ana Pereira"),
            ("email", "ana@cliente.com.br"),
            ("pass", "senha-do-cliente"),
            ("street", "Rua João Paculdino"),
            ("number", "132"),
            ("city", "Montes Claros"),
            ("state", "MG"),
        ],
    )
    .await;
    for (sku, quantity) in [("TL-1", "2"), ("PIN", "3")] {
        loja(
            app,
            token,
            "/order/insert",
            &[
                ("customer_id", "1"),
                ("items[0][sku]", sku),
                ("items[0][quantity]", quantity),
                ("shipping", "15.00"),
            ],
        )
        .await;
    }

    // Produtos: the list, a search, a product with variations and an image.
    c.goto(&format!("{base}/painel/lojas/{store_id}/produtos"))
        .await
        .expect("products");
    find(c, "//table[@id='produtos']//a[text()='Rolo de Lã 23cm']").await;
    shot(c, "loja-01-produtos.png").await;
    let search = find(c, "//input[@id='busca']").await;
    search.send_keys("latex").await.expect("type");
    find(c, "//button[@id='buscar']")
        .await
        .click()
        .await
        .expect("search");
    find(c, "//input[@id='busca' and @value='latex']").await;
    assert!(!c.source().await.expect("source").contains("Rolo de Lã"));
    c.goto(&format!("{base}/painel/lojas/{store_id}/produtos"))
        .await
        .expect("products");
    find(c, "//a[text()='Camiseta Básica']")
        .await
        .click()
        .await
        .expect("open product");
    find(c, "//tr[@id='unidade-CAM-VM']").await;
    find(c, "//ul[@id='imagens']//img[@class='thumb']").await;
    shot(c, "loja-02-produto.png").await;

    // Pedidos: the list; pay order 1 in the browser, the API sees it.
    c.goto(&format!("{base}/painel/lojas/{store_id}/pedidos"))
        .await
        .expect("orders");
    find(c, "//tr[@id='pedido-2']").await;
    shot(c, "loja-03-pedidos.png").await;
    find(c, "//a[text()='#1']")
        .await
        .click()
        .await
        .expect("open order");
    find(c, "//select[@id='novo-status']")
        .await
        .select_by_value("3")
        .await
        .expect("choose status");
    find(c, "//button[@id='alterar-status']")
        .await
        .click()
        .await
        .expect("change");
    find(c, "//span[@id='pedido-status']/span[@data-status='3']").await;
    shot(c, "loja-04-pedido-pago.png").await;
    let r = app.loja_get(token, "/order/findbyid?id=1").await;
    assert_eq!(r.body["data"]["status"], "3", "{}", r.text);

    // The products list on a phone.
    c.set_window_size(390, 844).await.expect("phone size");
    c.goto(&format!("{base}/painel/lojas/{store_id}/produtos"))
        .await
        .expect("products");
    find(c, "//table[@id='produtos']").await;
    shot(c, "loja-05-produtos-celular.png").await;
    c.set_window_size(1280, 900).await.expect("desktop size");
}
