//! The settings screens over HTTP: stores, API keys, store credentials,
//! account settings; and CSRF on every form.

use vitrine_core::ids::{AccountId, StoreId};
use vitrine_testkit::{both_backends, Method, TestApp};

use crate::browserless::Visitor;

both_backends!(
    stores_are_listed_created_and_renamed,
    api_keys_are_shown_once_and_revoked,
    store_credentials_rotate,
    strict_documents_toggle,
    forms_without_the_session_token_change_nothing,
    the_time_zone_is_checked_against_the_iana_database,
);

fn account(t: &vitrine_testkit::Tenant) -> AccountId {
    t.account_id.parse().expect("account id")
}

async fn store_names(app: &TestApp, account: AccountId) -> Vec<String> {
    let mut conn = app.store.conn().await.expect("conn");
    let stores = conn.stores().list(account).await.expect("stores");
    stores.into_iter().map(|s| s.name).collect()
}

async fn stores_are_listed_created_and_renamed(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;

    let bad = v
        .post(
            "/painel/configuracoes/lojas",
            &[("csrf", &csrf), ("name", "   ")],
        )
        .await;
    bad.assert_html(422);
    assert_eq!(store_names(&app, account(&t)).await, ["Loja de Teste"]);

    let created = v
        .post(
            "/painel/configuracoes/lojas",
            &[("csrf", &csrf), ("name", " Filial Centro ")],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    assert_eq!(
        store_names(&app, account(&t)).await,
        ["Loja de Teste", "Filial Centro"]
    );
    let mut conn = app.store.conn().await.expect("conn");
    let stores = conn.stores().list(account(&t)).await.expect("stores");
    drop(conn);
    let new_id = stores[1].id.to_string();
    let list = v.get("/painel/configuracoes/lojas").await;
    list.assert_html(200);
    assert!(list.body.contains("Filial Centro") && list.body.contains(&new_id));
    // The Auto API sees the same store.
    let auto = app
        .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert!(auto.text.contains(&new_id), "{}", auto.text);

    let page = v
        .get(&format!("/painel/configuracoes/lojas/{new_id}"))
        .await;
    page.assert_html(200);
    assert_eq!(page.field("store-id").as_deref(), Some(new_id.as_str()));
    let renamed = v
        .post(
            &format!("/painel/configuracoes/lojas/{new_id}"),
            &[("csrf", &csrf), ("name", "Filial Norte")],
        )
        .await;
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    assert_eq!(
        store_names(&app, account(&t)).await,
        ["Loja de Teste", "Filial Norte"]
    );
    let too_long = "x".repeat(121);
    v.post(
        &format!("/painel/configuracoes/lojas/{new_id}"),
        &[("csrf", &csrf), ("name", &too_long)],
    )
    .await
    .assert_html(422);
    assert_eq!(
        store_names(&app, account(&t)).await,
        ["Loja de Teste", "Filial Norte"]
    );
}

async fn api_keys_are_shown_once_and_revoked(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let created = v
        .post(
            "/painel/configuracoes/api-keys",
            &[("csrf", &csrf), ("name", "ERP")],
        )
        .await;
    created.assert_html(201);
    let key = created.field("new-api-key").expect("the key, once");
    assert!(key.starts_with("ea_live_") && key.len() == 48, "{key}");
    assert_eq!(
        app.auto(&key, Method::GET, "/api/v1/clients", None)
            .await
            .status,
        200
    );

    let list = v.get("/painel/configuracoes/api-keys").await;
    list.assert_html(200);
    assert!(!list.body.contains(&key), "shown only once");
    assert!(list.body.contains(&key[..14]), "prefix listed");
    assert!(list.body.contains("ERP") && list.body.contains("Chave inicial"));

    let mut conn = app.store.conn().await.expect("conn");
    let keys = conn.api_keys().list(account(&t)).await.expect("keys");
    drop(conn);
    let erp = keys.iter().find(|k| k.name == "ERP").expect("stored");
    assert!(erp.last_used_at.is_some(), "last use recorded");
    let revoked = v
        .post(
            &format!("/painel/configuracoes/api-keys/{}/revogar", erp.id),
            &[("csrf", &csrf), ("confirmar", "sim")],
        )
        .await;
    assert_eq!(revoked.status, 303, "{}", revoked.body);
    assert_eq!(
        app.auto(&key, Method::GET, "/api/v1/clients", None)
            .await
            .status,
        401
    );
    assert_eq!(
        app.auto(&t.api_key, Method::GET, "/api/v1/clients", None)
            .await
            .status,
        200
    );
    let list = v.get("/painel/configuracoes/api-keys").await;
    assert!(list.body.contains("Revogada em"));
}

async fn store_credentials_rotate(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let path = format!("/painel/lojas/{}/api", t.store_id);
    let page = v.get(&path).await;
    page.assert_html(200);
    assert!(page.body.contains(&t.client_id), "active client id shown");
    assert!(
        !page.body.contains(&t.client_secret),
        "secret never shown again"
    );

    let rotated = v
        .post(&path, &[("csrf", &page.csrf()), ("confirmar", "sim")])
        .await;
    rotated.assert_html(201);
    let token = rotated.field("loja-token").expect("token shown once");
    let id = rotated.field("client-id").expect("client id");
    let secret = rotated.field("client-secret").expect("secret");
    assert_eq!(token, vitrine_core::credentials::loja_token(&id, &secret));
    let found = app.loja_get(&token, "/product/findbysku?sku=X").await;
    assert_eq!(found.status, 404, "{}", found.text);
    let old = app
        .loja_get(&t.loja_token, "/product/findbysku?sku=X")
        .await;
    assert_eq!(old.status, 401, "the previous pair is revoked");
    assert!(old.text.contains("Invalid token"), "{}", old.text);

    let again = v.get(&path).await;
    assert!(again.body.contains(&id) && !again.body.contains(&secret));
}

async fn strict_documents_toggle(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let page = v.get("/painel/configuracoes/conta").await;
    page.assert_html(200);
    let csrf = page.csrf();
    let strict = || async {
        let mut conn = app.store.conn().await.expect("conn");
        conn.accounts()
            .get(account(&t))
            .await
            .expect("account")
            .strict_documents
    };
    assert!(!strict().await);
    let on = v
        .post(
            "/painel/configuracoes/conta",
            &[("csrf", &csrf), ("strict_documents", "1")],
        )
        .await;
    assert_eq!(on.status, 303);
    assert_eq!(on.location(), "/painel/configuracoes/conta");
    assert!(strict().await);
    assert!(v
        .get("/painel/configuracoes/conta")
        .await
        .body
        .contains("checked"));
    let off = v
        .post("/painel/configuracoes/conta", &[("csrf", &csrf)])
        .await;
    assert_eq!(off.status, 303);
    assert!(!strict().await);
}

async fn forms_without_the_session_token_change_nothing(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let other = Visitor::signed_in(&app, &t.email, &t.password).await;
    let other_csrf = other.session_csrf().await;
    let store_id: StoreId = t.store_id.parse().expect("store id");
    let mut conn = app.store.conn().await.expect("conn");
    let key_id = conn.api_keys().list(account(&t)).await.expect("keys")[0].id;
    drop(conn);
    let rename = format!("/painel/configuracoes/lojas/{store_id}");
    let revoke = format!("/painel/configuracoes/api-keys/{key_id}/revogar");
    let rotate = format!("/painel/lojas/{store_id}/api");
    for token in [None, Some("wrong"), Some(""), Some(other_csrf.as_str())] {
        let with = |mut fields: Vec<(&'static str, String)>| {
            if let Some(token) = token {
                fields.push(("csrf", token.to_owned()));
            }
            fields
        };
        for (path, fields) in [
            (
                "/painel/configuracoes/lojas",
                with(vec![("name", "Forjada".to_owned())]),
            ),
            (rename.as_str(), with(vec![("name", "Forjada".to_owned())])),
            (
                "/painel/configuracoes/api-keys",
                with(vec![("name", "Forjada".to_owned())]),
            ),
            (revoke.as_str(), with(vec![])),
            (rotate.as_str(), with(vec![])),
            (
                "/painel/configuracoes/conta",
                with(vec![("strict_documents", "1".to_owned())]),
            ),
            (
                "/painel/senha",
                with(vec![
                    ("current", t.password.clone()),
                    ("new", "forjada-123".to_owned()),
                    ("confirm", "forjada-123".to_owned()),
                ]),
            ),
            ("/painel/sair", with(vec![])),
        ] {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let page = v.post(path, &fields).await;
            page.assert_html(403);
            assert!(
                page.body.contains("Formulário expirado"),
                "{path} {token:?}"
            );
        }
    }
    // Nothing changed.
    assert_eq!(store_names(&app, account(&t)).await, ["Loja de Teste"]);
    let mut conn = app.store.conn().await.expect("conn");
    let keys = conn.api_keys().list(account(&t)).await.expect("keys");
    assert_eq!(keys.len(), 1);
    assert!(keys[0].revoked_at.is_none());
    assert!(
        !conn
            .accounts()
            .get(account(&t))
            .await
            .expect("account")
            .strict_documents
    );
    drop(conn);
    assert_eq!(
        app.loja_get(&t.loja_token, "/product/findbysku?sku=X")
            .await
            .status,
        404
    );
    assert_eq!(
        v.get("/painel/configuracoes/lojas").await.status,
        200,
        "still signed in"
    );
    assert_eq!(
        Visitor::new(&app)
            .sign_in(&t.email, &t.password)
            .await
            .status,
        303
    );

    // The sign-in form: without its double-submit cookie, or with another token.
    let fresh = Visitor::new(&app);
    let token = fresh.get("/painel/entrar").await.csrf();
    let stranger = Visitor::new(&app);
    stranger
        .post(
            "/painel/entrar",
            &[
                ("csrf", &token),
                ("email", &t.email),
                ("password", &t.password),
            ],
        )
        .await
        .assert_html(403);
    fresh
        .post(
            "/painel/entrar",
            &[
                ("csrf", "outro"),
                ("email", &t.email),
                ("password", &t.password),
            ],
        )
        .await
        .assert_html(403);
    fresh
        .post(
            "/painel/entrar",
            &[("email", &t.email), ("password", &t.password)],
        )
        .await
        .assert_html(403);
}

async fn the_time_zone_is_checked_against_the_iana_database(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let page = v.get("/painel/configuracoes/conta").await;
    page.assert_html(200);
    assert_eq!(
        page.field("time-zone").as_deref(),
        Some("America/Sao_Paulo"),
        "the default"
    );
    let csrf = page.csrf();
    let zone = || async {
        let mut conn = app.store.conn().await.expect("conn");
        conn.accounts()
            .get(account(&t))
            .await
            .expect("account")
            .time_zone
    };
    for bad in ["Brasil/Brasilia", "GMT-3x", "america/manaus"] {
        let refused = v
            .post(
                "/painel/configuracoes/conta",
                &[
                    ("csrf", &csrf),
                    ("strict_documents", "1"),
                    ("time_zone", bad),
                ],
            )
            .await;
        refused.assert_html(422);
        assert!(
            refused.body.contains(
                "<p class=\"field-error\" data-field=\"time_zone\">Fuso horário deve ser um fuso horário do banco IANA, como America/Sao_Paulo</p>"
            ),
            "{bad}: {}",
            refused.body
        );
        assert!(
            refused.body.contains(&format!("value=\"{bad}\"")),
            "kept as typed"
        );
        assert_eq!(zone().await, "America/Sao_Paulo", "{bad}: nothing saved");
        let mut conn = app.store.conn().await.expect("conn");
        let strict = conn
            .accounts()
            .get(account(&t))
            .await
            .expect("account")
            .strict_documents;
        assert!(!strict, "{bad}: not even the other setting");
    }
    let saved = v
        .post(
            "/painel/configuracoes/conta",
            &[("csrf", &csrf), ("time_zone", " America/Manaus ")],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(zone().await, "America/Manaus");
    let shown = v.get(saved.location()).await;
    assert!(shown.body.contains("Configurações da conta salvas."));
    assert_eq!(shown.field("time-zone").as_deref(), Some("America/Manaus"));
}
