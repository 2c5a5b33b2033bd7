//! Clientes over HTTP: the list and the create form, with the account's
//! strict-documents setting applied exactly as in the Auto API.

use vitrine_testkit::{both_backends, Method, TestApp};

use crate::browserless::Visitor;

both_backends!(
    clients_are_created_and_listed,
    strict_documents_refuse_a_bad_cpf_and_write_nothing,
    client_form_needs_the_session_token,
    the_list_pages_and_searches_every_client,
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
    assert!(empty.body.contains("href=\"/painel/clientes/novo\""));
    let form = v.get("/painel/clientes/novo").await;
    form.assert_html(200);
    assert!(form.body.contains("id=\"client-name\""));
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
    let list = v.get(pj.location()).await;
    list.assert_html(200);
    assert!(list.body.contains("Cliente criado."), "the confirmation");
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
    // Named by their labels, next to each field and all at the top (the
    // form is the page's only content: no list above it).
    for (field, message) in [
        ("name", "Nome é obrigatório"),
        ("email", "E-mail deve ser um e-mail válido"),
    ] {
        assert!(
            bad.body.contains(&format!(
                "<p class=\"field-error\" data-field=\"{field}\">{message}</p>"
            )),
            "{field}: {}",
            bad.body
        );
        assert!(
            bad.body.contains(&format!("<li>{message}</li>")),
            "{message}"
        );
    }
    assert!(!bad.body.contains("'name'") && !bad.body.contains("id=\"clientes\""));
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
    assert!(twice
        .body
        .contains("CNPJ: já existe um registro com esse valor"));
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
            .contains("<p class=\"field-error\" data-field=\"cpf\">CPF tem dígitos verificadores de CPF inválidos</p>"),
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

/// The names in one page of the panel's list.
async fn listed(v: &Visitor, query: &str) -> Vec<String> {
    let page = v.get(&format!("/painel/clientes?{query}")).await;
    page.assert_html(200);
    page.body
        .split("<td data-label=\"Nome\">")
        .skip(1)
        .map(|rest| rest[..rest.find('<').expect("cell end")].to_owned())
        .collect()
}

async fn the_list_pages_and_searches_every_client(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    // The oldest client first, then more than a page of newer ones.
    let mut names = vec!["Maria Oliveira".to_owned()];
    names.extend((1..=24).map(|i| format!("Cliente {i:02}")));
    for name in &names {
        let reply = app
            .auto(
                &t.api_key,
                Method::POST,
                "/api/v1/clients",
                Some(&serde_json::json!({"type": "PF", "name": name})),
            )
            .await;
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    let first = v.get("/painel/clientes").await;
    assert!(
        first.body.contains("Página 1 de 2 · 25 no total"),
        "{}",
        first.body
    );
    let page1 = listed(&v, "").await;
    assert_eq!(page1.len(), 20);
    assert_eq!(page1[0], "Cliente 24", "newest first");
    assert!(first.body.contains("href=\"/painel/clientes?page=2\""));
    let page2 = listed(&v, "page=2").await;
    assert_eq!(page2.len(), 5);
    assert_eq!(page2.last().map(String::as_str), Some("Maria Oliveira"));
    // Search reaches her from the first page.
    assert_eq!(listed(&v, "search=oliveira").await, ["Maria Oliveira"]);
    let found = v.get("/painel/clientes?search=oliveira").await;
    assert!(found.body.contains("1 no total"), "{}", found.body);
    assert!(listed(&v, "search=ninguem").await.is_empty());
    assert_eq!(listed(&v, "type=PJ").await, Vec::<String>::new());
}
