//! Sign-in, sign-out, wrong passwords, throttling, password change.

use vitrine_testkit::{both_backends, TestApp};

use crate::browserless::Visitor;

both_backends!(
    sign_in_and_out,
    session_cookie_is_secure_behind_tls,
    wrong_password_is_refused,
    failures_are_throttled_per_email,
    password_change_needs_the_current_password,
);

async fn sign_in_and_out(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::new(&app);
    let home = v.get("/painel").await;
    assert_eq!(home.status, 303);
    assert_eq!(home.location(), "/painel/entrar");

    let form = v.get("/painel/entrar").await;
    form.assert_html(200);
    let login_cookie = form.set_cookie("vitrine_login_csrf").expect("csrf cookie");
    assert!(login_cookie.contains("HttpOnly") && login_cookie.contains("SameSite=Lax"));

    let done = v
        .post(
            "/painel/entrar",
            &[
                ("csrf", &form.csrf()),
                ("email", &t.email.to_uppercase()),
                ("password", &t.password),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location(), "/painel");
    let cookie = done.set_cookie("vitrine_session").expect("session cookie");
    assert!(cookie.contains("; HttpOnly"), "{cookie}");
    assert!(cookie.contains("; SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("; Path=/painel"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP: {cookie}");
    let token = cookie
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v.to_owned())
        .expect("token");
    // Only the hash of the token is stored.
    let mut conn = app.store.conn().await.expect("conn");
    assert!(conn
        .sessions()
        .find_live(&token)
        .await
        .expect("lookup")
        .is_none());
    assert!(conn
        .sessions()
        .find_live(&vitrine_core::credentials::hash_secret(&token))
        .await
        .expect("lookup")
        .is_some());
    drop(conn);

    let stores = v.get("/painel/configuracoes/lojas").await;
    stores.assert_html(200);
    assert!(stores.body.contains("Loja de Teste"));
    assert!(stores.body.contains(&t.email));
    assert!(stores.body.contains(&t.store_id));
    let headers = &stores.headers;
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-frame-options"], "DENY");

    let out = v.post("/painel/sair", &[("csrf", &stores.csrf())]).await;
    assert_eq!(out.status, 303);
    assert_eq!(out.location(), "/painel/entrar");
    assert!(out
        .set_cookie("vitrine_session")
        .is_some_and(|c| c.contains("Max-Age=0")));
    assert_eq!(v.get("/painel/configuracoes/lojas").await.status, 303);

    // The session ended on the server too: replaying the old cookie fails.
    let replay = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
        .get(format!("{}/painel/configuracoes/lojas", app.base_url))
        .header("cookie", format!("vitrine_session={token}"))
        .send()
        .await
        .expect("replay");
    assert_eq!(replay.status(), 303);
}

async fn session_cookie_is_secure_behind_tls(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::new(&app);
    let tls = [("x-forwarded-proto", "https")];
    let form = v.get_with("/painel/entrar", &tls).await;
    assert!(form
        .set_cookie("vitrine_login_csrf")
        .is_some_and(|c| c.ends_with("; Secure")));
    // The jar does not send a Secure cookie over plain HTTP, so the
    // double-submit cookie goes by hand, as a browser behind TLS would.
    let csrf = form.csrf();
    let done = v
        .post_with(
            "/painel/entrar",
            &[
                ("csrf", &csrf),
                ("email", &t.email),
                ("password", &t.password),
            ],
            &[
                ("x-forwarded-proto", "https"),
                ("cookie", &format!("vitrine_login_csrf={csrf}")),
            ],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.body);
    let cookie = done.set_cookie("vitrine_session").expect("session cookie");
    assert!(cookie.ends_with("; Secure"), "{cookie}");
    assert!(cookie.contains("; HttpOnly; SameSite=Lax"), "{cookie}");
}

async fn wrong_password_is_refused(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::new(&app);
    for (email, password, why) in [
        (t.email.as_str(), "senha-errada", "wrong password"),
        ("ninguem@example.com", t.password.as_str(), "unknown email"),
        (t.email.as_str(), "", "empty password"),
    ] {
        let page = v.sign_in(email, password).await;
        page.assert_html(401);
        assert!(page.body.contains("E-mail ou senha incorretos."), "{why}");
        assert!(page.set_cookie("vitrine_session").is_none(), "{why}");
    }
    assert_eq!(v.get("/painel/configuracoes/lojas").await.status, 303);
}

async fn failures_are_throttled_per_email(app: TestApp) {
    let t = app.tenant().await;
    let other = app.tenant().await;
    let v = Visitor::new(&app);
    for attempt in 1..=5 {
        let page = v.sign_in(&t.email, "senha-errada").await;
        assert_eq!(page.status, 401, "attempt {attempt}");
    }
    // The sixth attempt is refused even with the right password.
    let locked = v.sign_in(&t.email, &t.password).await;
    locked.assert_html(429);
    assert!(
        locked.body.contains("Muitas tentativas sem sucesso"),
        "{}",
        locked.body
    );
    assert!(locked.set_cookie("vitrine_session").is_none());
    assert_eq!(v.get("/painel/configuracoes/lojas").await.status, 303);
    // Counted in the database (holds across nodes), per email.
    let since = vitrine_store::now() - chrono::Duration::minutes(15);
    let mut conn = app.store.conn().await.expect("conn");
    let failures = conn
        .login_failures()
        .count_since(&t.email, "127.0.0.1", since)
        .await
        .expect("count");
    assert_eq!(failures, 5);
    drop(conn);
    // Another person at the same address is not locked out.
    let page = v.sign_in(&other.email, &other.password).await;
    assert_eq!(page.status, 303, "{}", page.body);
}

async fn password_change_needs_the_current_password(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let elsewhere = Visitor::signed_in(&app, &t.email, &t.password).await;
    let form = v.get("/painel/senha").await;
    form.assert_html(200);
    let csrf = form.csrf();
    for (current, new, confirm, message) in [
        (
            "senha-errada",
            "nova-senha-123",
            "nova-senha-123",
            "A senha atual está incorreta.",
        ),
        (
            t.password.as_str(),
            "curta",
            "curta",
            "A senha deve ter pelo menos 8 caracteres",
        ),
        (
            t.password.as_str(),
            "nova-senha-123",
            "outra-senha-123",
            "A confirmação não é igual à nova senha.",
        ),
    ] {
        let page = v
            .post(
                "/painel/senha",
                &[
                    ("csrf", &csrf),
                    ("current", current),
                    ("new", new),
                    ("confirm", confirm),
                ],
            )
            .await;
        page.assert_html(422);
        assert!(page.body.contains(message), "{message}: {}", page.body);
    }
    // Nothing changed yet: the old password still signs in.
    assert_eq!(
        Visitor::new(&app)
            .sign_in(&t.email, &t.password)
            .await
            .status,
        303
    );

    let page = v
        .post(
            "/painel/senha",
            &[
                ("csrf", &csrf),
                ("current", &t.password),
                ("new", "nova-senha-123"),
                ("confirm", "nova-senha-123"),
            ],
        )
        .await;
    page.assert_html(200);
    assert!(page.body.contains("Senha alterada."));
    // This session goes on; the other one ended.
    assert_eq!(v.get("/painel/configuracoes/lojas").await.status, 200);
    assert_eq!(
        elsewhere.get("/painel/configuracoes/lojas").await.status,
        303
    );
    assert_eq!(
        Visitor::new(&app)
            .sign_in(&t.email, &t.password)
            .await
            .status,
        401
    );
    assert_eq!(
        Visitor::new(&app)
            .sign_in(&t.email, "nova-senha-123")
            .await
            .status,
        303
    );
}
