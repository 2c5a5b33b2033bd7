//! Clientes over HTTP: the list and the create form, with the account's
//! strict-documents setting applied exactly as in the Auto API.

use vitrine_testkit::{both_backends, Method, TestApp};

use crate::browserless::Visitor;

both_backends!(
    clients_are_created_and_listed,
    strict_documents_refuse_a_bad_cpf_and_write_nothing,
    client_form_needs_the_session_token,
);

/// The account's clients as the Auto API lists them (name, type, cpf, cnpj).
async fn api_clients(app: &TestApp, key: &str) -> Vec<(String, String, String, String)> {
    let reply = app
        .auto(key, Method::GET, "/api/v1/clients?limit=100", None)
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    reply.body["data"]
        .as_array()
        .expect("clients")
        .iter()
        .map(|c| {
            (
                text(&c["name"]),
                text(&c["type"]),
                text(&c["cpf"]),
                text(&c["cnpj"]),
            )
        })
        .collect()
}

async fn set_strict(v: &Visitor, csrf: &str, strict: bool) {
    let mut fields = vec![("csrf", csrf)];
    if strict {
        fields.push(("strict_documents", "1"));
    }
    let saved = v.post("/painel/configuracoes/conta", &fields).await;
    assert_eq!(saved.status, 303, "{}", saved.body);
}

async fn clients_are_created_and_listed(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let empty = v.get("/painel/clientes").await;
    empty.assert_html(200);
    assert!(empty.body.contains("Nenhum cliente ainda"));
    assert!(empty.body.contains("href=\"/painel/negocios\""));

    let pj = v
        .post(
            "/painel/clientes",
            &[
                ("csrf", &csrf),
                ("type", "PJ"),
                ("name", "Transportes Aurora Ltda"),
                ("document", "11.222.333/0001-81"),
                ("email", "compras@aurora.com.br"),
                ("phone", "(11) 3333-4444"),
            ],
        )
        .await;
    assert_eq!(pj.status, 303, "{}", pj.body);
    assert_eq!(pj.location(), "/painel/clientes");
    let list = v.get("/painel/clientes").await;
    list.assert_html(200);
    for text in [
        "Transportes Aurora Ltda",
        "PJ",
        "11.222.333/0001-81",
        "Ativo",
    ] {
        assert!(list.body.contains(text), "{text} missing");
    }
    assert_eq!(
        api_clients(&app, &t.api_key).await,
        [(
            "Transportes Aurora Ltda".to_owned(),
            "PJ".to_owned(),
            String::new(),
            "11.222.333/0001-81".to_owned()
        )]
    );

    // Missing name and a malformed e-mail: every problem shown, nothing written.
    let bad = v
        .post(
            "/painel/clientes",
            &[
                ("csrf", &csrf),
                ("type", "PF"),
                ("name", "  "),
                ("email", "sem-arroba"),
            ],
        )
        .await;
    bad.assert_html(422);
    assert!(
        bad.body.contains("'name'") && bad.body.contains("'email'"),
        "{}",
        bad.body
    );
    // The same document again is refused like the API's 409.
    let twice = v
        .post(
            "/painel/clientes",
            &[
                ("csrf", &csrf),
                ("type", "PJ"),
                ("name", "Outra"),
                ("document", "11.222.333/0001-81"),
            ],
        )
        .await;
    twice.assert_html(422);
    assert!(twice.body.contains("Já existe um registro com este 'cnpj'"));
    assert_eq!(api_clients(&app, &t.api_key).await.len(), 1);
}

async fn strict_documents_refuse_a_bad_cpf_and_write_nothing(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let bad_cpf = [
        ("csrf", csrf.as_str()),
        ("type", "PF"),
        ("name", "João da Silva"),
        ("document", "123.456.789-00"),
    ];

    set_strict(&v, &csrf, true).await;
    let refused = v.post("/painel/clientes", &bad_cpf).await;
    refused.assert_html(422);
    assert!(
        refused
            .body
            .contains("Campo 'cpf' tem dígitos verificadores de CPF inválidos"),
        "{}",
        refused.body
    );
    assert!(
        refused.body.contains("value=\"João da Silva\""),
        "the form keeps what was typed"
    );
    assert!(api_clients(&app, &t.api_key).await.is_empty());

    // Lenient (the docs' example): the same CPF is accepted.
    set_strict(&v, &csrf, false).await;
    let accepted = v.post("/painel/clientes", &bad_cpf).await;
    assert_eq!(accepted.status, 303, "{}", accepted.body);
    assert_eq!(
        api_clients(&app, &t.api_key).await,
        [(
            "João da Silva".to_owned(),
            "PF".to_owned(),
            "123.456.789-00".to_owned(),
            String::new()
        )]
    );
}

async fn client_form_needs_the_session_token(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    v.post("/painel/clientes", &[("type", "PF"), ("name", "Sem Token")])
        .await
        .assert_html(403);
    v.post(
        "/painel/clientes",
        &[("csrf", "errado"), ("type", "PF"), ("name", "Sem Token")],
    )
    .await
    .assert_html(403);
    assert!(api_clients(&app, &t.api_key).await.is_empty());
}
