//! The `product/search` extension: accent- and case-insensitive substring
//! search over product names, served by FTS5 (SQLite) or pg_trgm (PostgreSQL).

use vitrine_testkit::{both_backends, TestApp};

use crate::fixtures::{assert_error, product};

async fn names(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    let r = app
        .loja_get(token, &format!("/product/search?q={query}"))
        .await;
    if r.status == 404 {
        return Vec::new();
    }
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"]
        .as_array()
        .expect("array")
        .iter()
        .map(|p| p["name"].as_str().expect("name").to_owned())
        .collect()
}

async fn finds_words_in_any_case_and_accent(app: TestApp) {
    let t = app.tenant().await;
    let tok = &t.loja_token;
    for (sku, name) in [
        ("1", "Tinta Látex Acrílica"),
        ("2", "Tinta Esmalte Sintético"),
        ("3", "Pincel Atlas"),
    ] {
        let r = app
            .loja_form(
                tok,
                "/product/insert",
                &[("name", name), ("sku", sku), ("type", "1")],
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
    }
    assert_eq!(
        names(&app, tok, "tinta%20latex").await,
        ["Tinta Látex Acrílica"]
    );
    assert_eq!(
        names(&app, tok, "LATEX%20tinta").await,
        ["Tinta Látex Acrílica"],
        "words in any order"
    );
    assert_eq!(
        names(&app, tok, "tinta").await,
        ["Tinta Látex Acrílica", "Tinta Esmalte Sintético"]
    );
    assert_eq!(
        names(&app, tok, "sintetico").await,
        ["Tinta Esmalte Sintético"]
    );
    assert_eq!(
        names(&app, tok, "CRÍ").await,
        ["Tinta Látex Acrílica"],
        "inside a word"
    );
    assert!(names(&app, tok, "verniz").await.is_empty());
    assert!(
        names(&app, tok, "100%25").await.is_empty(),
        "a lone wildcard matches nothing"
    );

    // Renames and deletes keep the index in step.
    let r = app
        .loja_form(tok, "/product/update?sku=3", &[("name", "Rolo de Lã")])
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        names(&app, tok, "la").await,
        ["Tinta Látex Acrílica", "Rolo de Lã"]
    );
    assert!(names(&app, tok, "pincel").await.is_empty());
    app.loja_get(tok, "/product/deletebysku?sku=1").await;
    assert_eq!(names(&app, tok, "tinta").await, ["Tinta Esmalte Sintético"]);

    let full = app.loja_get(tok, "/product/search?q=rolo&min=0").await;
    assert_eq!(
        full.body["data"][0]["url"], "pincel-atlas",
        "a rename keeps the url"
    );
    assert!(
        full.body["data"][0].get("description").is_some(),
        "min=0 gives the full shape"
    );
    assert_error(
        &app.loja_get(tok, "/product/search").await,
        400,
        "Invalid search",
    );
    assert_error(
        &app.loja_get(tok, "/product/search?q=verniz").await,
        404,
        "Product not found",
    );
}

async fn pages_of_twenty(app: TestApp) {
    let t = app.tenant().await;
    for n in 0..25 {
        product(&app, &t, &format!("P{n}"), 100, 0, 1).await;
    }
    let page = |offset: u32| {
        let app = &app;
        let tok = t.loja_token.clone();
        async move {
            app.loja_get(&tok, &format!("/product/search?q=produto&offset={offset}"))
                .await
        }
    };
    assert_eq!(
        page(0).await.body["data"].as_array().expect("array").len(),
        20
    );
    assert_eq!(
        page(1).await.body["data"].as_array().expect("array").len(),
        5
    );
    assert_eq!(page(2).await.status, 404);
    // A huge offset (found by schemathesis: the page times 20 overflowed
    // and the handler panicked) is a page past the end.
    let far = app
        .loja_get(
            &t.loja_token,
            "/product/search?q=produto&offset=557328770870438656",
        )
        .await;
    assert_error(&far, 404, "Product not found");
}

async fn stores_only_search_their_own(app: TestApp) {
    let a = app.tenant().await;
    let b = app.tenant().await;
    product(&app, &a, "A", 100, 0, 1).await;
    assert!(names(&app, &b.loja_token, "produto").await.is_empty());
    assert_eq!(names(&app, &a.loja_token, "produto").await.len(), 1);
}

both_backends!(
    finds_words_in_any_case_and_accent,
    pages_of_twenty,
    stores_only_search_their_own
);
