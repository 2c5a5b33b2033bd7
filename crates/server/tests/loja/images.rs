//! Product images (ecommloja-api.md §3.2, E25–E28).

use base64::Engine as _;
use vitrine_testkit::{both_backends, Tenant, TestApp};

use crate::fixtures::{assert_error, fetch, keys, product, OK_EMPTY};

fn png(seed: u8) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(std::iter::repeat_n(seed, 64));
    bytes
}

async fn gallery(app: &TestApp, t: &Tenant, sku: &str) -> Vec<serde_json::Value> {
    let r = app
        .loja_get(
            &t.loja_token,
            &format!("/image/findbyproductsku?product_sku={sku}"),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"].as_array().expect("array").clone()
}

async fn a_variation(app: &TestApp, t: &Tenant) {
    let r = app
        .loja_form(
            &t.loja_token,
            "/product/insertvariety",
            &[("name", "Azul"), ("status", "1")],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = app
        .loja_form(
            &t.loja_token,
            "/product/insert",
            &[
                ("name", "Camiseta"),
                ("sku", "CAM"),
                ("type", "4"),
                ("variety_data[0][id]", "1"),
                ("variety_data[0][sku]", "CAM-AZ"),
            ],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
}

async fn gallery_upload_list_serve_delete(app: TestApp) {
    let t = app.tenant().await;
    product(&app, &t, "FONE", 15_023, 0, 2).await;
    let r = app
        .loja_multipart(
            &t.loja_token,
            "/image/insertbyproductsku",
            &[
                ("product_sku", "FONE"),
                ("subtitle", "Frente"),
                ("main", "1"),
                ("sort", "2"),
                ("status", "1"),
            ],
            Some(("image", "Fone Azul.PNG", png(1))),
        )
        .await;
    assert_eq!((r.status, r.text.as_str()), (200, OK_EMPTY));

    let images = gallery(&app, &t, "FONE").await;
    assert_eq!(images.len(), 1);
    let img = &images[0];
    assert_eq!(
        keys(img),
        ["id", "label", "image", "main", "hover", "sort", "status"]
    );
    assert_eq!(
        (img["id"].as_str(), img["label"].as_str()),
        (Some("1"), Some("Frente"))
    );
    assert_eq!(
        (
            img["main"].as_str(),
            img["hover"].as_str(),
            img["sort"].as_str()
        ),
        (Some("1"), Some("0"), Some("2"))
    );
    let path = img["image"].as_str().expect("path").to_owned();
    // A URL a client can fetch, under this server (issue 16.12).
    let prefix = format!(
        "{}/media/{}/produtos_imagens/fone-azul",
        app.base_url, t.store_id
    );
    assert!(
        path.starts_with(&prefix) && path.ends_with(".png"),
        "{path}"
    );

    let (status, ct, bytes) = fetch(&app, &path).await;
    assert_eq!((status, ct.as_deref()), (200, Some("image/png")));
    assert_eq!(bytes, png(1), "the stored file is served back");

    // A second main image takes the flag; a data-URI works too.
    let data_uri = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png(2))
    );
    let r = app
        .loja_form(
            &t.loja_token,
            "/image/insertbyproductsku",
            &[("product_sku", "FONE"), ("image", &data_uri), ("main", "1")],
        )
        .await;
    assert_eq!(r.text, OK_EMPTY);
    let images = gallery(&app, &t, "FONE").await;
    assert_eq!(images.len(), 2);
    assert_eq!(
        images[0]["id"], "2",
        "ordered by sort: the new one (sort 0) first"
    );
    let second = images.iter().find(|i| i["id"] == "2").expect("second");
    let first = images.iter().find(|i| i["id"] == "1").expect("first");
    assert_eq!(
        (second["main"].as_str(), first["main"].as_str()),
        (Some("1"), Some("0"))
    );

    let r = app
        .loja_form(
            &t.loja_token,
            "/image/deleteByProductSku",
            &[("product_sku", "FONE"), ("id", "1")],
        )
        .await;
    assert_eq!(r.text, OK_EMPTY);
    assert_eq!(
        fetch(&app, &path).await.0,
        404,
        "the file goes with its row"
    );
    assert_eq!(gallery(&app, &t, "FONE").await.len(), 1);
    let again = app
        .loja_form(
            &t.loja_token,
            "/image/deleteByProductSku",
            &[("product_sku", "FONE"), ("id", "1")],
        )
        .await;
    assert_error(&again, 404, "Image not found");
    let no_id = app
        .loja_form(
            &t.loja_token,
            "/image/deleteByProductSku",
            &[("product_sku", "FONE")],
        )
        .await;
    assert_error(&no_id, 404, "Image not found");

    // By name: the basename of the remaining image.
    let remaining = gallery(&app, &t, "FONE").await[0]["image"]
        .as_str()
        .expect("path")
        .to_owned();
    let name = remaining.rsplit('/').next().expect("name").to_owned();
    let r = app
        .loja_form(
            &t.loja_token,
            "/image/deleteImageByName",
            &[("image_name", &name), ("image_type", "1")],
        )
        .await;
    assert_eq!(r.text, OK_EMPTY);
    assert!(gallery(&app, &t, "FONE").await.is_empty());
    let r = app
        .loja_form(
            &t.loja_token,
            "/image/deleteImageByName",
            &[("image_name", &name), ("image_type", "1")],
        )
        .await;
    assert_error(&r, 404, &format!("Image not found. Image Name: {name}"));
}

async fn variations_hold_one_image(app: TestApp) {
    let t = app.tenant().await;
    a_variation(&app, &t).await;
    assert!(gallery(&app, &t, "CAM-AZ").await.is_empty(), "no image yet");
    for seed in [1, 2] {
        let r = app
            .loja_multipart(
                &t.loja_token,
                "/image/insertbyproductsku",
                &[("product_sku", "CAM-AZ")],
                Some(("image", "azul.png", png(seed))),
            )
            .await;
        assert_eq!(r.text, OK_EMPTY);
    }
    let images = gallery(&app, &t, "CAM-AZ").await;
    assert_eq!(images.len(), 1, "the second upload replaced the first");
    assert_eq!(
        (images[0]["main"].as_str(), images[0]["status"].as_str()),
        (Some("1"), Some("1"))
    );
    let path = images[0]["image"].as_str().expect("path").to_owned();
    assert!(
        path.contains("/produtos_imagens/produtos_variacao/azul"),
        "{path}"
    );
    assert_eq!(fetch(&app, &path).await.2, png(2));
    assert!(
        gallery(&app, &t, "CAM").await.is_empty(),
        "the parent's gallery is separate"
    );

    let name = path.rsplit('/').next().expect("name").to_owned();
    let wrong_type = app
        .loja_form(
            &t.loja_token,
            "/image/deleteImageByName",
            &[("image_name", &name), ("image_type", "3")],
        )
        .await;
    assert_error(
        &wrong_type,
        404,
        &format!("Image not found. Image Name: {name}"),
    );
    let r = app
        .loja_form(
            &t.loja_token,
            "/image/deleteImageByName",
            &[("image_name", &name), ("image_type", "2")],
        )
        .await;
    assert_eq!(r.text, OK_EMPTY);
    assert!(gallery(&app, &t, "CAM-AZ").await.is_empty());
    assert_eq!(fetch(&app, &path).await.0, 404);
    let r = app
        .loja_form(
            &t.loja_token,
            "/image/deleteByProductSku",
            &[("product_sku", "CAM-AZ")],
        )
        .await;
    assert_error(&r, 404, "Image not found");
}

/// reason, form fields, file part, status, message.
type UploadCase = (
    &'static str,
    Vec<(&'static str, &'static str)>,
    Option<(&'static str, &'static str, Vec<u8>)>,
    u16,
    &'static str,
);

async fn bad_uploads_write_nothing(app: TestApp) {
    let t = app.tenant().await;
    product(&app, &t, "P", 100, 0, 1).await;
    let upload = |fields: Vec<(&'static str, &'static str)>,
                  file: Option<(&'static str, &'static str, Vec<u8>)>| {
        let app = &app;
        let token = t.loja_token.clone();
        async move {
            app.loja_multipart(&token, "/image/insertbyproductsku", &fields, file)
                .await
        }
    };
    let cases: Vec<UploadCase> = vec![
        (
            "text renamed .png",
            vec![("product_sku", "P")],
            Some(("image", "x.png", b"not an image at all".to_vec())),
            400,
            "Invalid image",
        ),
        (
            "svg",
            vec![("product_sku", "P")],
            Some((
                "image",
                "x.svg",
                b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
            )),
            400,
            "Invalid image",
        ),
        (
            "no image",
            vec![("product_sku", "P")],
            None,
            400,
            "Invalid image",
        ),
        (
            "bad base64",
            vec![("product_sku", "P"), ("image", "%%%")],
            None,
            400,
            "Invalid image",
        ),
        (
            "unknown sku",
            vec![("product_sku", "NOPE")],
            Some(("image", "a.png", png(1))),
            404,
            "Product not found",
        ),
        (
            "no sku",
            vec![],
            Some(("image", "a.png", png(1))),
            404,
            "Product not found",
        ),
    ];
    for (why, fields, file, status, message) in cases {
        let r = upload(fields, file).await;
        assert_eq!(r.status, status, "{why}: {}", r.text);
        assert_eq!(r.body["errors"][0], message, "{why}");
    }
    assert!(
        gallery(&app, &t, "P").await.is_empty(),
        "nothing was written"
    );

    // A 50 MiB upload is refused with 413 in the envelope; the server keeps serving.
    let huge = vec![0u8; 50 * 1024 * 1024];
    let r = upload(
        vec![("product_sku", "P")],
        Some(("image", "huge.png", huge)),
    )
    .await;
    assert_eq!(r.status, 413, "{}", r.text);
    assert_eq!(r.body["success"], false);
    assert!(gallery(&app, &t, "P").await.is_empty());
}

async fn stores_never_touch_each_others_images(app: TestApp) {
    let a = app.tenant().await;
    let b = app.tenant().await;
    product(&app, &a, "A1", 100, 0, 1).await;
    app.loja_multipart(
        &a.loja_token,
        "/image/insertbyproductsku",
        &[("product_sku", "A1")],
        Some(("image", "a.png", png(7))),
    )
    .await;
    let path = gallery(&app, &a, "A1").await[0]["image"]
        .as_str()
        .expect("path")
        .to_owned();
    let name = path.rsplit('/').next().expect("name").to_owned();

    assert_error(
        &app.loja_get(&b.loja_token, "/image/findbyproductsku?product_sku=A1")
            .await,
        404,
        "Product not found",
    );
    let r = app
        .loja_multipart(
            &b.loja_token,
            "/image/insertbyproductsku",
            &[("product_sku", "A1")],
            Some(("image", "b.png", png(8))),
        )
        .await;
    assert_error(&r, 404, "Product not found");
    let r = app
        .loja_form(
            &b.loja_token,
            "/image/deleteByProductSku",
            &[("product_sku", "A1"), ("id", "1")],
        )
        .await;
    assert_error(&r, 404, "Product not found");
    let r = app
        .loja_form(
            &b.loja_token,
            "/image/deleteImageByName",
            &[("image_name", &name), ("image_type", "1")],
        )
        .await;
    assert_error(&r, 404, &format!("Image not found. Image Name: {name}"));

    assert_eq!(
        gallery(&app, &a, "A1").await.len(),
        1,
        "A's image is still listed"
    );
    assert_eq!(
        fetch(&app, &path).await.2,
        png(7),
        "and its file still served"
    );
}

async fn subcategory_listing_shows_the_gallery(app: TestApp) {
    let t = app.tenant().await;
    product(&app, &t, "FONE", 15_023, 0, 2).await;
    let tok = &t.loja_token;
    assert_eq!(
        app.loja_form(
            tok,
            "/category/insert",
            &[("name", "Áudio"), ("status", "1")]
        )
        .await
        .status,
        201
    );
    let sub = app
        .loja_form(
            tok,
            "/category/insert",
            &[
                ("name", "Fones"),
                ("type", "2"),
                ("parent_id", "1"),
                ("status", "1"),
            ],
        )
        .await;
    assert_eq!(sub.status, 201, "{}", sub.text);
    let link = app
        .loja_form(
            tok,
            "/category/linkproduct",
            &[("product_sku", "FONE"), ("category_id", "1"), ("type", "2")],
        )
        .await;
    assert_eq!(link.status, 201, "{}", link.text);
    app.loja_multipart(
        tok,
        "/image/insertbyproductsku",
        &[("product_sku", "FONE"), ("status", "1")],
        Some(("image", "f.png", png(3))),
    )
    .await;

    let listed = app
        .loja_get(
            tok,
            "/product/findProductsbySubCategoryUrl?url=fones&offset=0",
        )
        .await;
    assert_eq!(listed.status, 200, "{}", listed.text);
    let images = &listed.body["data"][0]["product_images"];
    assert_eq!(
        keys(&images[0]),
        ["label", "image", "main", "hover", "sort", "status"],
        "SH-Image without id"
    );
    assert_eq!(
        images[0]["image"],
        gallery(&app, &t, "FONE").await[0]["image"]
    );
    assert_eq!(images[0]["status"], "1");
}

async fn deleting_a_product_deletes_its_image_files(app: TestApp) {
    let t = app.tenant().await;
    product(&app, &t, "GONE", 100, 0, 1).await;
    a_variation(&app, &t).await;
    app.loja_multipart(
        &t.loja_token,
        "/image/insertbyproductsku",
        &[("product_sku", "GONE")],
        Some(("image", "g.png", png(4))),
    )
    .await;
    app.loja_multipart(
        &t.loja_token,
        "/image/insertbyproductsku",
        &[("product_sku", "CAM-AZ")],
        Some(("image", "v.png", png(5))),
    )
    .await;
    let gallery_path = gallery(&app, &t, "GONE").await[0]["image"]
        .as_str()
        .expect("path")
        .to_owned();
    let unit_path = gallery(&app, &t, "CAM-AZ").await[0]["image"]
        .as_str()
        .expect("path")
        .to_owned();
    assert_eq!(fetch(&app, &gallery_path).await.0, 200);
    assert_eq!(fetch(&app, &unit_path).await.0, 200);

    let r = app
        .loja_get(&t.loja_token, "/product/deletevarietybysku?sku=CAM-AZ")
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        fetch(&app, &unit_path).await.0,
        404,
        "the variation's image went with it"
    );
    let r = app
        .loja_get(&t.loja_token, "/product/deletebysku?sku=GONE")
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        fetch(&app, &gallery_path).await.0,
        404,
        "the gallery file went with the product"
    );
}

both_backends!(
    deleting_a_product_deletes_its_image_files,
    subcategory_listing_shows_the_gallery,
    gallery_upload_list_serve_delete,
    variations_hold_one_image,
    bad_uploads_write_nothing,
    stores_never_touch_each_others_images,
);
