//! Routing rules and envelopes shared by every endpoint of each face.

use vitrine_testkit::{both_backends, Method, TestApp};

/// `GET /metrics` from a listener of its own, as `--metrics-listen` serves it.
async fn scrape() -> vitrine_testkit::Reply {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(vitrine_server::app::serve(
        listener,
        vitrine_server::app::metrics_router(),
        std::future::pending(),
    ));
    let resp = reqwest::get(format!("http://{addr}/metrics"))
        .await
        .expect("metrics listener answers");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    vitrine_testkit::Reply {
        status,
        headers,
        text,
        body: serde_json::Value::Null,
    }
}

async fn health_and_metrics(app: TestApp) {
    let health = app.call(Method::GET, "/healthz", None, None).await;
    assert_eq!(health.status, 200);
    assert_eq!(health.body["status"], "ok");
    assert!(health.headers.contains_key("x-request-id"));

    let t = app.tenant().await;
    app.auto(&t.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    app.loja_get(&t.loja_token, "/design/getDesignforProducts")
        .await;
    let metrics = scrape().await;
    assert_eq!(metrics.status, 200);
    assert!(metrics.headers["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/plain"));
    for needle in [
        r#"http_requests_total{method="GET",route="/api/v1/stores",status="200"}"#,
        r#"http_requests_total{method="GET",route="/design/getdesignforproducts",status="200"}"#,
        r#"http_request_duration_seconds_bucket{method="GET",route="/healthz",status="200",le="#,
    ] {
        assert!(
            metrics.text.contains(needle),
            "metrics lack {needle}:\n{}",
            metrics.text
        );
    }
    // Not on the public listener: there it is an unknown Loja path.
    let public = app.call(Method::GET, "/metrics", None, None).await;
    assert_eq!(public.status, 404, "{}", public.text);
    assert_eq!(
        public.text,
        r#"{"success":false,"errors":["Endpoint not found"],"data":[]}"#
    );
}

/// Clients choose methods and paths; the series they land in do not grow
/// with them: methods map to a closed set, routes to their template, and
/// every unknown path to one label.
async fn metrics_labels_are_a_closed_set(app: TestApp) {
    let mut minted = Vec::new();
    for i in 0..40 {
        let word = format!("zq{}x{i}", uuid::Uuid::new_v4().simple());
        let method = Method::from_bytes(word.to_uppercase().as_bytes()).expect("a method token");
        for path in [
            format!("/api/v1/{word}"),
            format!("/v1/clients/{word}"),
            format!("/painel/{word}"),
            format!("/{word}/{word}"),
            format!("/docs/assets/{word}"),
        ] {
            let r = app.raw(method.clone(), &path, &[], Vec::new()).await;
            assert!((400..500).contains(&r.status), "{path}: {}", r.status);
            let r = app.raw(Method::GET, &path, &[], Vec::new()).await;
            assert!(r.status < 500, "{path}: {}", r.status);
        }
        minted.push(word);
    }
    let text = scrape().await.text;
    for word in &minted {
        assert!(
            !text.to_lowercase().contains(word),
            "a client-chosen word became a label: {word}"
        );
    }
    let known = [
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "TRACE", "other",
    ];
    for line in text
        .lines()
        .filter(|l| l.starts_with("http_requests_total{"))
    {
        let method = line
            .split("method=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a method label");
        assert!(known.contains(&method), "{line}");
    }
    assert!(
        text.contains(r#"method="other",route="unmatched""#),
        "unknown methods and paths share one series:\n{text}"
    );
}

async fn auto_unknown_routes_and_methods(app: TestApp) {
    let t = app.tenant().await;
    let unknown = app
        .auto(&t.api_key, Method::GET, "/api/v1/nada", None)
        .await;
    assert_eq!(unknown.status, 404);
    assert_eq!(unknown.body["error"]["code"], "NOT_FOUND");
    assert_eq!(unknown.body["success"], false);

    let wrong = app
        .auto(&t.api_key, Method::DELETE, "/v1/stores", None)
        .await;
    assert_eq!(wrong.status, 405, "{}", wrong.text);
    assert_eq!(wrong.body["error"]["code"], "METHOD_NOT_ALLOWED");

    let slash = app
        .auto(&t.api_key, Method::GET, "/api/v1/stores/", None)
        .await;
    assert_eq!(slash.status, 200, "a trailing slash is equivalent");
}

async fn loja_paths_are_case_insensitive(app: TestApp) {
    let t = app.tenant().await;
    for path in [
        "/design/getDesignforProducts",
        "/design/getdesignforproducts",
        "/DESIGN/GETDESIGNFORPRODUCTS/",
    ] {
        let reply = app.loja_get(&t.loja_token, path).await;
        assert_eq!(reply.status, 200, "{path}");
    }
}

async fn loja_design_answers_documented_defaults_in_order(app: TestApp) {
    let t = app.tenant().await;
    let reply = app
        .loja_get(&t.loja_token, "/design/getDesignforProducts")
        .await;
    assert_eq!(
        reply.headers["content-type"],
        "application/json; charset=utf-8"
    );
    assert_eq!(
        reply.text,
        concat!(
            r#"{"success":true,"errors":[],"data":{"mostrar_marca":"0","redirect_cart":"1","#,
            r#""view_botao_comprar":"1","checkout_orcamento":"0","mostrar_lista_desejos":"0","#,
            r#""ocultar_sku":"0","view_preco_logado":"0","oculta_preco":"0","#,
            r#""preco_produtos_sem_estoque":"0","info_pagamento":"","mostrar_grafico_produtos":"0","#,
            r#""orcamento":"0","text_botao_comprar":"Comprar","orcamento_titulo":"","#,
            r#""orcamento_subtitulo":"","caixa_obs":"","agendamento":"","hover_btn_comprar":"0","#,
            r#""ocultar_cep_produto":"0","modelo_preco":"1","view_preco_parcelado":"0"}}"#
        )
    );
}

async fn loja_wrong_method_and_unknown_endpoint(app: TestApp) {
    let t = app.tenant().await;
    // The doc shows this endpoint's wrong-method error under "Erro (404)".
    let wrong = app
        .loja_form(&t.loja_token, "/design/getDesignforProducts", &[])
        .await;
    assert_eq!(wrong.status, 404);
    assert_eq!(
        wrong.text,
        r#"{"success":false,"errors":["Invalid request - Needed: GET"],"data":[]}"#
    );
    // The method is checked before the token (spec §1.5 order of checks).
    let no_token = app
        .call(Method::POST, "/design/getDesignforProducts", None, None)
        .await;
    assert_eq!(no_token.status, 404);
    assert_eq!(no_token.body["errors"][0], "Invalid request - Needed: GET");

    let unknown = app.loja_get(&t.loja_token, "/product/naoexiste").await;
    assert_eq!(unknown.status, 404);
    assert_eq!(
        unknown.text,
        r#"{"success":false,"errors":["Endpoint not found"],"data":[]}"#
    );
}

async fn oversized_bodies_get_413_in_the_envelope(app: TestApp) {
    let t = app.tenant().await;
    let huge = vec![b'a'; 2 * 1024 * 1024];
    let reply = app
        .raw(
            Method::GET,
            "/design/getDesignforProducts",
            &[
                ("authorization", &t.loja_token),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            huge,
        )
        .await;
    assert_eq!(reply.status, 413, "{}", reply.text);
    assert_eq!(reply.body["success"], false);
    assert_eq!(reply.body["data"], serde_json::json!([]));
    // The server keeps serving.
    let after = app
        .loja_get(&t.loja_token, "/design/getDesignforProducts")
        .await;
    assert_eq!(after.status, 200);
}

async fn auto_oversized_body_gets_413_and_writes_nothing(app: TestApp) {
    let t = app.tenant().await;
    let name = "x".repeat(2 * 1024 * 1024);
    let body = serde_json::json!({"type": "PF", "name": name});
    let reply = app
        .auto(&t.api_key, Method::POST, "/api/v1/clients", Some(&body))
        .await;
    assert_eq!(
        reply.status,
        413,
        "{}",
        &reply.text[..reply.text.len().min(200)]
    );
    assert_eq!(reply.body["success"], false);
    assert_eq!(reply.body["error"]["code"], "PAYLOAD_TOO_LARGE");
    let list = app
        .auto(&t.api_key, Method::GET, "/api/v1/clients", None)
        .await;
    assert_eq!(list.body["pagination"]["total"], 0, "nothing was written");
}

async fn healthz_is_503_when_the_database_is_gone(app: TestApp) {
    assert_eq!(
        app.call(Method::GET, "/healthz", None, None).await.status,
        200
    );
    // Closing the pool is what a lost database looks like to the server.
    app.store.close().await;
    let down = app.call(Method::GET, "/healthz", None, None).await;
    assert_eq!(down.status, 503);
    assert_eq!(down.body["status"], "unavailable");
}

async fn answers_carry_nosniff_and_hsts_behind_tls(app: TestApp) {
    let t = app.tenant().await;
    let auto = app
        .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    let loja = app
        .loja_get(&t.loja_token, "/design/getDesignforProducts")
        .await;
    let unknown = app.call(Method::GET, "/nada/aqui", None, None).await;
    for (reply, what) in [(&auto, "auto"), (&loja, "loja"), (&unknown, "404")] {
        assert_eq!(reply.headers["x-content-type-options"], "nosniff", "{what}");
        assert!(
            !reply.headers.contains_key("strict-transport-security"),
            "{what}: no HSTS over plain HTTP"
        );
    }
    let behind_tls = app
        .raw(
            Method::GET,
            "/api/v1/stores",
            &[
                ("authorization", &format!("Bearer {}", t.api_key)),
                ("x-forwarded-proto", "https"),
            ],
            Vec::new(),
        )
        .await;
    assert_eq!(behind_tls.status, 200);
    assert_eq!(
        behind_tls.headers["strict-transport-security"],
        "max-age=31536000"
    );
    assert_eq!(behind_tls.headers["x-content-type-options"], "nosniff");
}

async fn docs_pages_get_the_panels_protections(app: TestApp) {
    for path in ["/docs", "/docs/loja"] {
        let page = app.call(Method::GET, path, None, None).await;
        assert_eq!(page.status, 200, "{path}");
        assert_eq!(
            page.headers["content-security-policy"],
            vitrine_server::docs::CONTENT_SECURITY_POLICY,
            "{path}"
        );
        assert_eq!(page.headers["x-frame-options"], "DENY", "{path}");
        assert_eq!(page.headers["x-content-type-options"], "nosniff", "{path}");
        assert!(
            page.text.contains(
                r#"<meta name="viewport" content="width=device-width, initial-scale=1">"#
            ),
            "{path}: {}",
            page.text
        );
        // Every script is a file of this origin: the policy allows no inline one.
        assert_eq!(
            page.text.matches("<script").count(),
            page.text.matches("<script src=\"/docs/").count(),
            "{path}: {}",
            page.text
        );
    }
    let start = app
        .call(Method::GET, "/docs/start/auto.js", None, None)
        .await;
    assert_eq!(start.status, 200);
    assert!(start.headers["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/javascript"));
    assert!(
        start.text.contains(r#""persistAuthorization":false"#),
        "{}",
        start.text
    );
    assert!(!start.text.contains("persistAuthorization\":true"));
}

async fn the_root_points_people_to_the_panel_and_the_docs(app: TestApp) {
    let browser = app
        .raw(
            Method::GET,
            "/",
            &[(
                "accept",
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
            )],
            Vec::new(),
        )
        .await;
    assert_eq!(browser.status, 200, "{}", browser.text);
    assert!(browser.headers["content-type"]
        .to_str()
        .expect("ascii")
        .starts_with("text/html"));
    assert!(browser.text.contains(r#"<html lang="pt-BR">"#));
    assert!(
        browser.text.contains(r#"<a href="/painel">"#),
        "{}",
        browser.text
    );
    assert!(
        browser.text.contains(r#"<a href="/docs">"#),
        "{}",
        browser.text
    );
    assert!(browser.text.contains("name=\"viewport\""));
    assert_eq!(browser.headers["x-frame-options"], "DENY");
    // API clients get what they got before: the Loja face's unknown endpoint.
    for accept in ["*/*", "application/json"] {
        let api = app
            .raw(Method::GET, "/", &[("accept", accept)], Vec::new())
            .await;
        assert_eq!(api.status, 404, "{accept}");
        assert_eq!(
            api.text, r#"{"success":false,"errors":["Endpoint not found"],"data":[]}"#,
            "{accept}"
        );
    }
}

both_backends!(
    answers_carry_nosniff_and_hsts_behind_tls,
    docs_pages_get_the_panels_protections,
    the_root_points_people_to_the_panel_and_the_docs,
    auto_oversized_body_gets_413_and_writes_nothing,
    healthz_is_503_when_the_database_is_gone,
    health_and_metrics,
    metrics_labels_are_a_closed_set,
    auto_unknown_routes_and_methods,
    loja_paths_are_case_insensitive,
    loja_design_answers_documented_defaults_in_order,
    loja_wrong_method_and_unknown_endpoint,
    oversized_bodies_get_413_in_the_envelope,
);
