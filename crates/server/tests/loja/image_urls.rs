//! Every image field of the Loja API is a URL a client can fetch from
//! vitrine (issue 16.12: `varieties_info[].image` was the bare stored file
//! name), and upload names are bounded (12.12: a 3,000-character name was
//! a 500).

use vitrine_testkit::{both_backends, Method, TestApp};

use crate::fixtures::{fetch, product};
use crate::shoppers::{add, jwt_get, shopper};

fn png(seed: u8) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(std::iter::repeat_n(seed, 64));
    bytes
}

/// `GET` with the store token; the reply's `data`.
async fn read(app: &TestApp, tok: &str, path: &str) -> serde_json::Value {
    let r = app.loja_get(tok, path).await;
    assert_eq!(r.status, 200, "{path}: {}", r.text);
    r.body["data"].clone()
}

/// Asserts `url` is served by vitrine with exactly `bytes`.
async fn served(app: &TestApp, url: &serde_json::Value, bytes: &[u8]) {
    let url = url.as_str().expect("a URL");
    let (status, ct, body) = fetch(app, url).await;
    assert_eq!((status, ct.as_deref()), (200, Some("image/png")), "{url}");
    assert_eq!(body, bytes, "{url}");
}

async fn every_image_field_is_a_url_vitrine_serves(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    // A global variety with its icon uploaded, as the doc's "Branco Neve".
    let r = app
        .loja_multipart(
            tok,
            "/product/insertvariety",
            &[("name", "Branco Neve"), ("icon_type", "1"), ("status", "1")],
            Some(("image", "Sem título.png", png(1))),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = app
        .loja_form(
            tok,
            "/product/insert",
            &[
                ("name", "Tinta Latex"),
                ("sku", "TINTA"),
                ("type", "4"),
                ("status", "1"),
                ("url", "tinta"),
                ("variety_data[0][id]", "1"),
                ("variety_data[0][sku]", "182577"),
                ("variety_data[0][price]", "194.47"),
                ("variety_data[0][stock]", "10"),
                ("variety_data[0][status]", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    for (sku, seed) in [("TINTA", 2), ("182577", 3)] {
        let r = app
            .loja_multipart(
                tok,
                "/image/insertbyproductsku",
                &[("product_sku", sku), ("status", "1"), ("main", "1")],
                Some(("image", "foto.png", png(seed))),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    for (form, status) in [
        (vec![("name", "Tintas"), ("status", "1")], 201),
        (
            vec![
                ("name", "Latex"),
                ("type", "2"),
                ("parent_id", "1"),
                ("status", "1"),
            ],
            201,
        ),
        (
            vec![
                ("product_sku", "TINTA"),
                ("category_id", "1"),
                ("type", "2"),
            ],
            201,
        ),
    ] {
        let path = if form[0].0 == "product_sku" {
            "/category/linkproduct"
        } else {
            "/category/insert"
        };
        let r = app.loja_form(tok, path, &form).await;
        assert_eq!(r.status, status, "{path}: {}", r.text);
    }

    // E01: the variety's image is the URL of the store's variation folder
    // (the doc's `…/produtos_imagens/produtos_variacao/<file>`), and
    // vitrine serves the uploaded bytes there; the gallery too.
    let rows = read(
        &app,
        tok,
        "/product/findProductsbySubCategoryUrl?url=latex&offset=0",
    )
    .await;
    let variety = &rows[0]["varieties_info"][0]["image"];
    let prefix = format!(
        "{}/media/{}/produtos_imagens/produtos_variacao/sem-titulo",
        app.base_url, t.store_id
    );
    assert!(
        variety.as_str().is_some_and(|u| u.starts_with(&prefix)),
        "{variety}"
    );
    served(&app, variety, &png(1)).await;
    served(&app, &rows[0]["product_images"][0]["image"], &png(2)).await;
    // E05 shows the same URL for the variety.
    let found = read(&app, tok, "/product/findvariety?name=branco").await;
    assert_eq!(&found[0]["image"], variety);
    // E25 (gallery and unit image), E16 (the variation's image).
    let gallery = read(&app, tok, "/image/findbyproductsku?product_sku=TINTA").await;
    served(&app, &gallery[0]["image"], &png(2)).await;
    let unit = read(&app, tok, "/image/findbyproductsku?product_sku=182577").await;
    served(&app, &unit[0]["image"], &png(3)).await;
    let e16 = read(
        &app,
        tok,
        "/product/findvarietyandparentbyvariety?variety_sku=182577",
    )
    .await;
    assert_eq!(e16["variety"]["image"], unit[0]["image"]);
    // The cart's `product_images` (E64) and the login's cart (E65).
    let (_, jwt) = shopper(&app, &t, "ana@email.com").await;
    let hash = add(&app, &jwt, "182577", 1).await;
    let r = jwt_get(&app, &jwt, &format!("/cart/findcartbyhash?hash={hash}")).await;
    served(
        &app,
        &r.body["data"]["products"][0]["product_images"],
        &png(2),
    )
    .await;
    let (login, _) = crate::shoppers::login(&app, &t, "ana@email.com").await;
    served(
        &app,
        &login.body["data"]["products_cart"][0]["product_images"],
        &png(2),
    )
    .await;
    // A URL sent as the image is shown as it was sent.
    let r = app
        .loja_form(
            tok,
            "/product/insertvariety",
            &[
                ("name", "Azul"),
                ("image", "https://cdn.example.com/azul.png"),
            ],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let found = read(&app, tok, "/product/findvariety?name=azul").await;
    assert_eq!(found[0]["image"], "https://cdn.example.com/azul.png");
    // Behind a TLS proxy the URLs say https, for the host the client used.
    let r = app
        .raw(
            Method::GET,
            "/image/findbyproductsku?product_sku=TINTA",
            &[
                ("authorization", &format!("Basic {tok}")),
                ("host", "loja.example.com"),
                ("x-forwarded-proto", "https"),
            ],
            Vec::new(),
        )
        .await;
    let url = r.body["data"][0]["image"].as_str().expect("url").to_owned();
    assert!(
        url.starts_with(&format!("https://loja.example.com/media/{}/", t.store_id)),
        "{url}"
    );
}

async fn long_upload_names_are_bounded(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    product(&app, &t, "P", 100, 0, 1).await;
    let long = format!("{}.png", "a".repeat(3_000));
    // Before: 500 (ENAMETOOLONG), the log naming the absolute media path.
    let r = app
        .loja_multipart(
            tok,
            "/image/insertbyproductsku",
            &[("product_sku", "P")],
            Some(("image", &long, png(9))),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let gallery = read(&app, tok, "/image/findbyproductsku?product_sku=P").await;
    let url = gallery[0]["image"].as_str().expect("url").to_owned();
    let name = url.rsplit('/').next().expect("file name");
    // The slug is cut to 100 characters; the time, the digits and the
    // sniffed extension follow.
    assert!(name.starts_with(&"a".repeat(100)), "{name}");
    assert!(!name.starts_with(&"a".repeat(101)), "{name}");
    assert!(name.ends_with(".png") && name.len() < 255, "{name}");
    served(&app, &gallery[0]["image"], &png(9)).await;
    // A path no upload can have is simply not found (before: a 500).
    let (status, _, _) = app
        .get_bytes(&format!("/media/{}/produtos_imagens/{long}", t.store_id))
        .await;
    assert_eq!(status, 404);
}

both_backends!(
    every_image_field_is_a_url_vitrine_serves,
    long_upload_names_are_bounded,
);
