//! First-run sign-up: open only on an empty database.

use vitrine_testkit::{both_backends, Method, TestApp};

use crate::browserless::Visitor;

both_backends!(
    first_run_sign_up_only_on_an_empty_database,
    sign_up_is_closed_once_an_account_exists,
    racing_sign_ups_create_one_account,
    the_password_is_typed_twice,
    control_characters_are_refused_next_to_the_field,
);

async fn accounts(app: &TestApp) -> i64 {
    let mut conn = app.store.conn().await.expect("conn");
    conn.accounts().count().await.expect("count")
}

async fn first_run_sign_up_only_on_an_empty_database(app: TestApp) {
    let v = Visitor::new(&app);
    let entrar = v.get("/painel/entrar").await;
    assert_eq!(entrar.status, 303);
    assert_eq!(entrar.location(), "/painel/cadastro");
    let form = v.get("/painel/cadastro").await;
    form.assert_html(200);
    let csrf = form.csrf();

    // Invalid input: every problem shown, nothing created.
    let bad = v
        .post(
            "/painel/cadastro",
            &[
                ("csrf", &csrf),
                ("account", " "),
                ("store", "Matriz"),
                ("email", "x"),
                ("password", "curta"),
                ("password_confirm", "curta"),
            ],
        )
        .await;
    bad.assert_html(422);
    assert!(bad.body.contains("E-mail inválido"));
    assert!(bad
        .body
        .contains("A senha deve ter pelo menos 8 caracteres"));
    assert_eq!(accounts(&app).await, 0);

    // Without the double-submit token: refused, nothing created.
    let forged = Visitor::new(&app)
        .post(
            "/painel/cadastro",
            &[
                ("csrf", &csrf),
                ("account", "Revenda"),
                ("store", "Matriz"),
                ("email", "a@b.com"),
                ("password", "senha-forte-1"),
                ("password_confirm", "senha-forte-1"),
            ],
        )
        .await;
    forged.assert_html(403);
    assert_eq!(accounts(&app).await, 0);

    let created = v
        .post(
            "/painel/cadastro",
            &[
                ("csrf", &csrf),
                ("account", "Revenda Silva"),
                ("store", "Matriz"),
                ("email", "Dono@Revenda.com.br"),
                ("password", "senha-forte-1"),
                ("password_confirm", "senha-forte-1"),
            ],
        )
        .await;
    created.assert_html(201);
    assert_eq!(accounts(&app).await, 1);
    let key = created.field("new-api-key").expect("key shown once");
    assert!(key.starts_with("ea_live_"));
    let token = created.field("loja-token").expect("loja token shown once");
    assert_eq!(
        app.auto(&key, Method::GET, "/api/v1/clients", None)
            .await
            .status,
        200
    );
    assert_ne!(
        app.loja_get(&token, "/product/findbysku?sku=X")
            .await
            .status,
        401
    );

    // Signed in by the sign-up itself.
    let stores = v.get("/painel/configuracoes/lojas").await;
    stores.assert_html(200);
    assert!(stores.body.contains("Matriz"));
    assert!(stores.body.contains("dono@revenda.com.br"));

    // Closed from now on, for everyone.
    v.get("/painel/cadastro").await.assert_html(404);
    let again = Visitor::new(&app);
    let entrar = again.get("/painel/entrar").await;
    entrar.assert_html(200);
    let late = again
        .post(
            "/painel/cadastro",
            &[
                ("csrf", &entrar.csrf()),
                ("account", "Outra"),
                ("store", "Loja"),
                ("email", "outra@example.com"),
                ("password", "senha-forte-2"),
                ("password_confirm", "senha-forte-2"),
            ],
        )
        .await;
    late.assert_html(404);
    assert_eq!(accounts(&app).await, 1);
    // The owner signs in with what the form set.
    Visitor::signed_in(&app, "dono@revenda.com.br", "senha-forte-1").await;
}

async fn sign_up_is_closed_once_an_account_exists(app: TestApp) {
    app.tenant().await;
    let v = Visitor::new(&app);
    let page = v.get("/painel/cadastro").await;
    page.assert_html(404);
    assert!(page.body.contains("Cadastro encerrado"));
    // Even with a valid double-submit token the post creates nothing.
    let csrf = v.get("/painel/entrar").await.csrf();
    let post = v
        .post(
            "/painel/cadastro",
            &[
                ("csrf", &csrf),
                ("account", "Intrusa"),
                ("store", "Loja"),
                ("email", "intrusa@example.com"),
                ("password", "senha-forte-3"),
                ("password_confirm", "senha-forte-3"),
            ],
        )
        .await;
    post.assert_html(404);
    assert_eq!(accounts(&app).await, 1);
}

async fn racing_sign_ups_create_one_account(app: TestApp) {
    let (a, b) = (Visitor::new(&app), Visitor::new(&app));
    let (csrf_a, csrf_b) = (
        a.get("/painel/cadastro").await.csrf(),
        b.get("/painel/cadastro").await.csrf(),
    );
    let form = |csrf: &str, who: &str| {
        vec![
            ("csrf", csrf.to_owned()),
            ("account", format!("Conta {who}")),
            ("store", "Matriz".to_owned()),
            ("email", format!("{who}@example.com")),
            ("password", "senha-forte-1".to_owned()),
            ("password_confirm", "senha-forte-1".to_owned()),
        ]
    };
    let (fa, fb) = (form(&csrf_a, "a"), form(&csrf_b, "b"));
    let fa: Vec<(&str, &str)> = fa.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let fb: Vec<(&str, &str)> = fb.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (ra, rb) = tokio::join!(
        a.post("/painel/cadastro", &fa),
        b.post("/painel/cadastro", &fb)
    );
    let mut statuses = [ra.status, rb.status];
    statuses.sort_unstable();
    assert_eq!(
        statuses,
        [201, 404],
        "one wins, the other finds sign-up closed"
    );
    assert_eq!(accounts(&app).await, 1);
}

/// Issue 16.20: sign-up asks for the password twice; a mismatch is shown
/// next to the fields, with what was typed (but no password), and creates
/// nothing.
async fn the_password_is_typed_twice(app: TestApp) {
    let v = Visitor::new(&app);
    let form = v.get("/painel/cadastro").await;
    form.assert_html(200);
    assert!(
        form.body.contains("name=\"password_confirm\""),
        "{}",
        form.body
    );
    let csrf = form.csrf();
    let post = |confirm: &'static str| {
        let csrf = csrf.clone();
        let v = &v;
        async move {
            v.post(
                "/painel/cadastro",
                &[
                    ("csrf", csrf.as_str()),
                    ("account", "Revenda Silva"),
                    ("store", "Matriz"),
                    ("email", "dono@revenda.com.br"),
                    ("password", "senha-forte-1"),
                    ("password_confirm", confirm),
                ],
            )
            .await
        }
    };
    for (confirm, why) in [("senha-forte-2", "different"), ("", "left empty")] {
        let page = post(confirm).await;
        page.assert_html(422);
        assert!(
            page.body.contains("A confirmação não é igual à senha."),
            "{why}: {}",
            page.body
        );
        assert_eq!(
            page.input_value("id=\"account\"").as_deref(),
            Some("Revenda Silva")
        );
        assert!(
            !page.body.contains("senha-forte"),
            "{why}: no password echoed"
        );
        assert_eq!(accounts(&app).await, 0, "{why}");
    }
    // Other problems are shown with it, all at once.
    let both = v
        .post(
            "/painel/cadastro",
            &[
                ("csrf", csrf.as_str()),
                ("account", "Revenda"),
                ("store", "Matriz"),
                ("email", "x"),
                ("password", "senha-forte-1"),
                ("password_confirm", "outra"),
            ],
        )
        .await;
    both.assert_html(422);
    assert!(
        both.body.contains("E-mail inválido")
            && both.body.contains("A confirmação não é igual à senha.")
    );
    assert_eq!(accounts(&app).await, 0);
    post("senha-forte-1").await.assert_html(201);
    assert_eq!(accounts(&app).await, 1);
}

/// Issue 12.13: a control character in a field of the sign-up form is
/// refused by the form reader, shown next to the fields; nothing created.
async fn control_characters_are_refused_next_to_the_field(app: TestApp) {
    let v = Visitor::new(&app);
    let csrf = v.get("/painel/cadastro").await.csrf();
    let page = v
        .post(
            "/painel/cadastro",
            &[
                ("csrf", csrf.as_str()),
                ("account", "Revenda\u{0}Silva"),
                ("store", "Matriz"),
                ("email", "dono@revenda.com.br"),
                ("password", "senha-forte-1"),
                ("password_confirm", "senha-forte-1"),
            ],
        )
        .await;
    page.assert_html(422);
    assert!(
        page.body
            .contains("Campo 'account' contém caracteres inválidos"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("action=\"/painel/cadastro\""),
        "the form again"
    );
    assert_eq!(accounts(&app).await, 0);
    // The form still works.
    v.get("/painel/cadastro").await.assert_html(200);
}
