//! E62 `banner/findBannerByFilter` and the `banner/insert` extension.

use base64::Engine as _;
use serde_json::{json, Value};
use vitrine_testkit::{both_backends, Method, TestApp};

use crate::{data, error_body, expect, text};

fn jpeg() -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend(std::iter::repeat_n(7u8, 64));
    bytes
}

fn png_data_uri() -> String {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(std::iter::repeat_n(3u8, 64));
    format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// A banner with the given images (`d` desktop, `m` mobile), sort and status.
async fn banner(app: &TestApp, token: &str, images: &str, sort: &str, status: &str) {
    let uri = png_data_uri();
    let mut form = vec![
        ("sort", sort),
        ("status", status),
        ("link", "https://loja/x"),
    ];
    if images.contains('d') {
        form.push(("image", &uri));
    }
    if images.contains('m') {
        form.push(("mobile_image", &uri));
    }
    let r = app.loja_form(token, "/banner/insert", &form).await;
    assert_eq!(r.status, 201, "{}", r.text);
}

fn ids(reply: &vitrine_testkit::Reply) -> Vec<String> {
    data(reply)
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|b| b["id"].as_str().map(str::to_owned))
        .collect()
}

async fn banner_replays_the_doc(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    let r = app.loja_get(tok, "/banner/findBannerByFilter").await;
    expect(&r, 404, &error_body("Banner not found"));
    let uri = png_data_uri();
    let r = app
        .loja_multipart(
            tok,
            "/banner/insert",
            &[
                ("mobile_image", &uri),
                ("link", "https://plataforma.ecommloja.com.br/categoria/pet"),
                ("type", "1"),
                ("main", "0"),
                ("sort", "7"),
                ("date_start", "2020-10-08 09:55:47"),
                ("status", "1"),
            ],
            Some(("image", "NOME-IMAGEM-BANNER.jpg", jpeg())),
        )
        .await;
    expect(&r, 201, r#"{"success":true,"errors":[],"data":{"id":"1"}}"#);
    let r = app.loja_get(tok, "/banner/findBannerByFilter").await;
    let b = data(&r)[0].clone();
    let name = b["name"].as_str().expect("name").to_owned();
    let mobile = b["mobile_name"].as_str().expect("mobile name").to_owned();
    assert!(
        name.starts_with("nome-imagem-banner") && name.ends_with(".jpg"),
        "{name}"
    );
    assert!(mobile.ends_with(".png"), "{mobile}");
    // URLs a client can fetch (issue 16.12), under this server's origin.
    let desktop_url = format!("{}/media/{}/banners/{name}", app.base_url, t.store_id);
    let mobile_url = format!("{}/media/{}/banners/{mobile}", app.base_url, t.store_id);
    let mut masked = b.clone();
    masked["name"] = Value::from("NOME-IMAGEM-BANNER.jpg");
    masked["mobile_name"] = Value::from("NOME-IMAGEM-MOBILE.png");
    assert_eq!(b["url_image_desktop"], json!(desktop_url));
    assert_eq!(b["url_image_mobile"], json!(mobile_url));
    masked["url_image_desktop"] = Value::from("-");
    masked["url_image_mobile"] = Value::from("-");
    assert_eq!(
        serde_json::to_string(&masked).expect("json"),
        r#"{"id":"1","name":"NOME-IMAGEM-BANNER.jpg","extension":".jpg","mobile_name":"NOME-IMAGEM-MOBILE.png","mobile_extension":".png","link":"https://plataforma.ecommloja.com.br/categoria/pet","subtitle":"","type":"1","main":"0","sort":"7","date_start":"2020-10-08 09:55:47","date_end":"3000-12-31 23:59:59","search_category_flag":"0","status":"1","url_image_mobile":"-","url_image_desktop":"-"}"#
    );
    // The images are served from the media store, as product images are.
    let (status, content_type, bytes) = crate::fixtures::fetch(&app, &desktop_url).await;
    assert_eq!((status, content_type.as_deref()), (200, Some("image/jpeg")));
    assert_eq!(bytes, jpeg());
    assert_eq!(crate::fixtures::fetch(&app, &mobile_url).await.0, 200);
}

async fn filters_and_the_default_six(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    // ids 1..=8: 1 inactive, sorts descending so sort order differs from id order.
    banner(&app, tok, "d", "8", "0").await;
    for (i, images) in ["d", "m", "dm", "d", "m", "dm", "d"].iter().enumerate() {
        banner(&app, tok, images, &(7 - i).to_string(), "1").await;
    }
    let r = app.loja_get(tok, "/banner/findBannerByFilter").await;
    assert_eq!(
        ids(&r),
        ["8", "7", "6", "5", "4", "3"],
        "last 6 active, by sort"
    );
    let r = app
        .loja_get(tok, "/banner/findBannerByFilter?status=0")
        .await;
    assert_eq!(ids(&r), ["1"]);
    let cases = [
        ("SM", vec!["6", "3"]),
        ("M", vec!["7", "6", "4", "3"]),
        ("SD", vec!["8", "5", "2", "1"]),
        ("d", vec!["8", "7", "5", "4", "2", "1"]),
    ];
    for (device, want) in cases {
        let r = app
            .loja_get(tok, &format!("/banner/findBannerByFilter?device={device}"))
            .await;
        assert_eq!(ids(&r), want, "device {device}");
    }
    let r = app
        .loja_get(
            tok,
            "/banner/findBannerByFilter?device=M&status=1&date_end=2999-01-01",
        )
        .await;
    expect(&r, 404, &error_body("Banner not found"));
    let r = app
        .loja_get(
            tok,
            "/banner/findBannerByFilter?date_start=2020-01-01&date_end=3000-12-31",
        )
        .await;
    assert_eq!(ids(&r).len(), 8);
}

async fn banner_errors_and_isolation(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    banner(&app, tok, "d", "0", "1").await;
    let r = app
        .call(
            Method::POST,
            "/banner/findBannerByFilter",
            Some(&format!("Basic {tok}")),
            None,
        )
        .await;
    expect(&r, 404, &error_body("Invalid request - Needed: GET"));
    for (reason, form) in [
        ("no image", vec![("status", "1")]),
        ("not an image", vec![("image", "bm90IGFuIGltYWdl")]),
        (
            "bad date",
            vec![("image", "data:;base64,/9j/4A=="), ("date_start", "ontem")],
        ),
    ] {
        let r = app.loja_form(tok, "/banner/insert", &form).await;
        assert_eq!(r.status, 400, "{reason}: {}", r.text);
    }
    let other = app.tenant().await;
    let r = app
        .loja_get(&other.loja_token, "/banner/findBannerByFilter")
        .await;
    expect(&r, 404, &error_body("Banner not found"));
    let r = app.loja_get(tok, "/banner/findBannerByFilter").await;
    assert_eq!(ids(&r), ["1"], "{}", text(&r));
}

both_backends!(
    banner_replays_the_doc,
    filters_and_the_default_six,
    banner_errors_and_isolation,
);
