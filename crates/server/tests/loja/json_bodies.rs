//! JSON bodies of the Loja API (issues 16.9, 12.9, 12.10): a float with no
//! fractional part is the integer it spells; a value JSON syntax allows but
//! no reader can hold (`1e309`, a lone surrogate) is refused in the
//! envelope instead of being read as nothing; banner links are http(s).

use base64::Engine as _;
use vitrine_testkit::{both_backends, Method, Reply, TestApp};

use crate::fixtures::OK_EMPTY;
use crate::{error_body, expect};

async fn json(app: &TestApp, token: &str, path: &str, body: &str) -> Reply {
    let auth = format!("Basic {token}");
    app.raw(
        Method::POST,
        path,
        &[
            ("authorization", &auth),
            ("content-type", "application/json"),
        ],
        body.as_bytes().to_vec(),
    )
    .await
}

async fn brand(app: &TestApp, token: &str) -> serde_json::Value {
    app.loja_get(token, "/brand/findbyid?id=1").await.body["data"].clone()
}

async fn whole_floats_are_integers_and_unreadable_values_refused(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    let r = app
        .loja_form(
            tok,
            "/brand/insert",
            &[("name", "Marca"), ("description", "antes")],
        )
        .await;
    assert_eq!(r.text, OK_EMPTY);
    // What Python's json.dumps writes: 1.0, 7.0, 1e+16.
    let r = json(
        &app,
        tok,
        "/brand/update",
        r#"{"brand_id": 1.0, "order": 7.0}"#,
    )
    .await;
    assert_eq!(r.text, OK_EMPTY);
    assert_eq!(brand(&app, tok).await["sort"], "7");
    // From 1e16 on, a float prints in exponent form ("1e16"), which no
    // integer reader took: the field was silently skipped.
    let r = json(
        &app,
        tok,
        "/brand/update",
        r#"{"brand_id": 1, "order": 1e16}"#,
    )
    .await;
    assert_eq!(r.text, OK_EMPTY);
    assert_eq!(brand(&app, tok).await["sort"], "10000000000000000");
    let before = brand(&app, tok).await;
    for body in [
        r#"{"brand_id": 1, "order": 1e309}"#,
        r#"{"brand_id": 1, "description": "\ud800"}"#,
    ] {
        let r = json(&app, tok, "/brand/update", body).await;
        expect(&r, 400, &error_body("Invalid JSON body"));
    }
    assert_eq!(brand(&app, tok).await, before, "nothing changed");
}

async fn banner_links_are_http_only(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend(std::iter::repeat_n(3u8, 64));
    let png = format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    );
    let png = png.as_str();
    for link in [
        "javascript:alert(document.cookie)",
        " JavaScript:alert(1)",
        "data:text/html,<b>x</b>",
        "//evil.example/x",
    ] {
        let r = app
            .loja_form(
                tok,
                "/banner/insert",
                &[("image", png), ("link", link), ("status", "1")],
            )
            .await;
        expect(&r, 400, &error_body("Invalid link"));
    }
    let r = app.loja_get(tok, "/banner/findBannerByFilter").await;
    expect(&r, 404, &error_body("Banner not found"));
    let r = app
        .loja_form(
            tok,
            "/banner/insert",
            &[
                ("image", png),
                ("link", "https://loja.example/pet"),
                ("status", "1"),
            ],
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let r = app.loja_get(tok, "/banner/findBannerByFilter").await;
    assert_eq!(r.body["data"][0]["link"], "https://loja.example/pet");
}

both_backends!(
    whole_floats_are_integers_and_unreadable_values_refused,
    banner_links_are_http_only,
);
