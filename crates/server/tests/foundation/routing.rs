//! Routing rules and envelopes shared by every endpoint of each face.

use vitrine_testkit::{both_backends, Method, TestApp};

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
    let metrics = app.call(Method::GET, "/metrics", None, None).await;
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

both_backends!(
    auto_oversized_body_gets_413_and_writes_nothing,
    healthz_is_503_when_the_database_is_gone,
    health_and_metrics,
    auto_unknown_routes_and_methods,
    loja_paths_are_case_insensitive,
    loja_design_answers_documented_defaults_in_order,
    loja_wrong_method_and_unknown_endpoint,
    oversized_bodies_get_413_in_the_envelope,
);
