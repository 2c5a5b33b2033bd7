//! Irreversible actions on the settings screens ask first (issue 16.21),
//! and every successful action there says so on the next page, once
//! (issue 16.22, the flash message).

use vitrine_core::ids::AccountId;
use vitrine_testkit::{both_backends, Method, TestApp};

use crate::browserless::{Page, Visitor};

both_backends!(
    revoking_a_key_asks_first,
    rotating_live_credentials_asks_first,
    stores_and_keys_confirm_what_was_done,
    a_signed_form_with_a_control_character_changes_nothing,
);

fn account(t: &vitrine_testkit::Tenant) -> AccountId {
    t.account_id.parse().expect("account id")
}

/// The flash message of a page (`<div … id="flash" …>`), if any.
fn flash(page: &Page) -> Option<String> {
    let start = page.body.find("id=\"flash\"")?;
    let rest = &page.body[start..];
    let p = rest.find("<p>")? + 3;
    let end = rest[p..].find("</p>")?;
    Some(rest[p..p + end].to_owned())
}

async fn revoking_a_key_asks_first(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let mut conn = app.store.conn().await.expect("conn");
    let key = conn.api_keys().list(account(&t)).await.expect("keys")[0].clone();
    drop(conn);
    let path = format!("/painel/configuracoes/api-keys/{}/revogar", key.id);
    let still_works = || async {
        app.auto(&t.api_key, Method::GET, "/api/v1/clients", None)
            .await
            .status
    };

    // The list's button only opens the confirmation page (a GET form).
    let list = v.get("/painel/configuracoes/api-keys").await;
    list.assert_html(200);
    assert!(
        list.body
            .contains(&format!("method=\"get\" action=\"{path}\"")),
        "{}",
        list.body
    );
    let ask = v.get(&path).await;
    ask.assert_html(200);
    assert!(
        ask.body.contains("Revogar a chave «Chave inicial»?"),
        "{}",
        ask.body
    );
    assert!(ask.body.contains("deixa de funcionar imediatamente"));
    assert!(ask.body.contains("name=\"confirmar\" value=\"sim\""));
    assert_eq!(still_works().await, 200, "asking changes nothing");

    // A post without the confirmation (an old page, a script) goes to the
    // question and revokes nothing.
    let csrf = ask.csrf();
    let unconfirmed = v.post(&path, &[("csrf", &csrf)]).await;
    assert_eq!(unconfirmed.status, 303, "{}", unconfirmed.body);
    assert_eq!(unconfirmed.location(), path);
    assert_eq!(still_works().await, 200);

    let done = v
        .post(&path, &[("csrf", &csrf), ("confirmar", "sim")])
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location(), "/painel/configuracoes/api-keys");
    assert_eq!(still_works().await, 401);
    let list = v.get("/painel/configuracoes/api-keys").await;
    assert_eq!(
        flash(&list).as_deref(),
        Some("Chave «Chave inicial» revogada: as integrações que a usavam passam a receber 401.")
    );
    assert!(list.body.contains("Revogada em"));
    assert_eq!(
        flash(&v.get("/painel/configuracoes/api-keys").await),
        None,
        "once"
    );
    // Asking again about a revoked key says so and offers nothing.
    let again = v.get(&path).await;
    again.assert_html(200);
    assert!(again.body.contains("já foi revogada") && !again.body.contains("confirmar"));
}

async fn rotating_live_credentials_asks_first(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let api = format!("/painel/lojas/{}/api", t.store_id);
    let ask_path = format!("{api}/rotacionar");
    let old_token_status = || async {
        app.loja_get(&t.loja_token, "/product/findbysku?sku=X")
            .await
            .status
    };
    let page = v.get(&api).await;
    page.assert_html(200);
    assert!(page
        .body
        .contains(&format!("method=\"get\" action=\"{ask_path}\"")));

    let ask = v.get(&ask_path).await;
    ask.assert_html(200);
    assert!(
        ask.body
            .contains("Rotacionar as credenciais da loja «Loja de Teste»?"),
        "{}",
        ask.body
    );
    assert!(
        ask.body.contains(&t.client_id),
        "names the pair that stops working"
    );
    assert!(ask.body.contains("deixa de funcionar imediatamente"));
    assert_eq!(old_token_status().await, 404, "asking changes nothing");

    let csrf = ask.csrf();
    let unconfirmed = v.post(&api, &[("csrf", &csrf)]).await;
    assert_eq!(unconfirmed.status, 303, "{}", unconfirmed.body);
    assert_eq!(unconfirmed.location(), ask_path);
    assert_eq!(old_token_status().await, 404, "not rotated");
    let mut conn = app.store.conn().await.expect("conn");
    let store_id = t.store_id.parse().expect("store id");
    let pairs = conn
        .credentials()
        .list_for_store(account(&t), store_id)
        .await
        .expect("pairs");
    drop(conn);
    assert_eq!(pairs.len(), 1, "no pair added");

    let rotated = v.post(&api, &[("csrf", &csrf), ("confirmar", "sim")]).await;
    rotated.assert_html(201);
    assert_eq!(
        flash(&rotated).as_deref(),
        Some("Credenciais rotacionadas: o par anterior foi revogado e já não funciona.")
    );
    let token = rotated.field("loja-token").expect("token shown once");
    assert_eq!(old_token_status().await, 401);
    assert_eq!(
        app.loja_get(&token, "/product/findbysku?sku=X")
            .await
            .status,
        404
    );
}

async fn stores_and_keys_confirm_what_was_done(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;

    let created = v
        .post(
            "/painel/configuracoes/lojas",
            &[("csrf", &csrf), ("name", "Filial Sul")],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.body);
    let cookie = created.set_cookie("vitrine_flash").expect("flash cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Path=/painel"),
        "{cookie}"
    );
    let list = v.get("/painel/configuracoes/lojas").await;
    list.assert_html(200);
    assert_eq!(flash(&list).as_deref(), Some("Loja «Filial Sul» criada."));
    assert!(list
        .set_cookie("vitrine_flash")
        .is_some_and(|c| c.contains("Max-Age=0")));
    assert_eq!(
        flash(&v.get("/painel/configuracoes/lojas").await),
        None,
        "shown once"
    );

    let mut conn = app.store.conn().await.expect("conn");
    let stores = conn.stores().list(account(&t)).await.expect("stores");
    drop(conn);
    let sul = stores
        .iter()
        .find(|s| s.name == "Filial Sul")
        .expect("created")
        .id;
    let renamed = v
        .post(
            &format!("/painel/configuracoes/lojas/{sul}"),
            &[("csrf", &csrf), ("name", "Filial Leste")],
        )
        .await;
    assert_eq!(renamed.status, 303);
    let page = v.get(renamed.location()).await;
    assert_eq!(
        flash(&page).as_deref(),
        Some("Loja renomeada para «Filial Leste».")
    );

    let key = v
        .post(
            "/painel/configuracoes/api-keys",
            &[("csrf", &csrf), ("name", "ERP")],
        )
        .await;
    key.assert_html(201);
    assert_eq!(flash(&key).as_deref(), Some("Chave «ERP» criada."));

    // A message is bound to its session: sent along with another
    // session's cookie, it is not shown.
    let pair = created.set_cookie("vitrine_flash").expect("cookie");
    let pair = pair.split(';').next().expect("pair");
    let foreign = reqwest::Client::new()
        .get(format!("{}/painel/configuracoes/lojas", app.base_url))
        .header(
            "cookie",
            format!("{pair}; {}", other_session(&app, &t).await),
        )
        .send()
        .await
        .expect("get");
    let body = foreign.text().await.expect("body");
    assert!(body.contains("Filial"), "a signed-in page");
    assert!(!body.contains("id=\"flash\""), "{body}");
}

/// A session cookie of a fresh sign-in of `t`, as `name=value`.
async fn other_session(app: &TestApp, t: &vitrine_testkit::Tenant) -> String {
    let page = Visitor::new(app).sign_in(&t.email, &t.password).await;
    let cookie = page.set_cookie("vitrine_session").expect("session");
    cookie.split(';').next().expect("pair").to_owned()
}

/// Issue 12.13 on a signed-in form: the form reader refuses a control
/// character before the handler runs (422, the field named) and nothing is
/// written.
async fn a_signed_form_with_a_control_character_changes_nothing(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    for name in ["Filial\u{0}Norte", "Filial\u{7}Norte"] {
        let page = v
            .post(
                "/painel/configuracoes/lojas",
                &[("csrf", &csrf), ("name", name)],
            )
            .await;
        page.assert_html(422);
        assert!(
            page.body
                .contains("Campo 'name' contém caracteres inválidos"),
            "{}",
            page.body
        );
    }
    // A forged one is still a 403 first.
    v.post(
        "/painel/configuracoes/lojas",
        &[("csrf", "outro"), ("name", "a\u{0}")],
    )
    .await
    .assert_html(403);
    let mut conn = app.store.conn().await.expect("conn");
    let stores = conn.stores().list(account(&t)).await.expect("stores");
    assert_eq!(stores.len(), 1, "nothing created");
    drop(conn);
    // A tab is text, not refused.
    let ok = v
        .post(
            "/painel/configuracoes/lojas",
            &[("csrf", &csrf), ("name", "Filial\tNorte")],
        )
        .await;
    assert_eq!(ok.status, 303, "{}", ok.body);
    let mut conn = app.store.conn().await.expect("conn");
    let stores = conn.stores().list(account(&t)).await.expect("stores");
    assert_eq!(stores[1].name, "Filial\tNorte");
}
