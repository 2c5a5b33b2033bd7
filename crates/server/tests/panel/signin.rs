//! Sign-in, sign-out, wrong passwords, throttling, password change.

use vitrine_testkit::{both_backends, TestApp};

use crate::browserless::Visitor;

both_backends!(
    sign_in_and_out,
    session_cookie_is_secure_behind_tls,
    wrong_password_is_refused,
    failures_are_throttled_per_email,
    a_concurrent_burst_is_counted_before_checking,
    the_email_has_a_ceiling_over_every_address,
    password_change_needs_the_current_password,
    the_current_password_is_throttled_too,
    a_nul_in_the_email_is_refused_next_to_the_field,
);

/// The attempts counted for `email` from `peer` (`*`: every address).
async fn attempts(app: &TestApp, email: &str, peer: &str) -> Option<i64> {
    let mut conn = app.store.conn().await.expect("conn");
    conn.login_failures()
        .get(email, peer)
        .await
        .expect("count")
        .map(|a| a.attempts)
}

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
    assert!(
        locked.headers.contains_key("retry-after"),
        "{:?}",
        locked.headers
    );
    // Counted in the database (holds across nodes): six attempts from this
    // address; the email's ceiling counted the five that were checked.
    assert_eq!(attempts(&app, &t.email, "127.0.0.1").await, Some(6));
    assert_eq!(attempts(&app, &t.email, "*").await, Some(5));
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
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location(), "/painel/senha");
    // The confirmation shows on the page it leads to, once.
    let done = v.get("/painel/senha").await;
    done.assert_html(200);
    assert!(
        done.body
            .contains("Senha alterada. As outras sessões deste usuário foram encerradas."),
        "{}",
        done.body
    );
    assert!(!v
        .get("/painel/senha")
        .await
        .body
        .contains("Senha alterada."));
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

/// Issue 12.3: a burst of concurrent wrong passwords, then the right one.
/// Each attempt is counted before its password is checked, so at most the
/// limit are checked (401) and the rest refused unchecked (429) — and so is
/// the right password while the lock lasts.
async fn a_concurrent_burst_is_counted_before_checking(app: TestApp) {
    const BURST: usize = 30;
    let t = app.tenant().await;
    let v = Visitor::new(&app);
    let csrf = v.get("/painel/entrar").await.csrf();
    let wrong = [
        ("csrf", csrf.as_str()),
        ("email", t.email.as_str()),
        ("password", "senha-errada"),
    ];
    let burst =
        futures_util::future::join_all((0..BURST).map(|_| v.post("/painel/entrar", &wrong))).await;
    let checked = burst.iter().filter(|p| p.status == 401).count();
    let refused = burst.iter().filter(|p| p.status == 429).count();
    eprintln!("burst of {BURST} wrong passwords: {checked} checked, {refused} refused unchecked");
    assert_eq!(checked, 5, "only the limit is checked");
    assert_eq!(refused, BURST - 5, "the rest are refused without a check");
    let right = v
        .post(
            "/painel/entrar",
            &[
                ("csrf", csrf.as_str()),
                ("email", t.email.as_str()),
                ("password", t.password.as_str()),
            ],
        )
        .await;
    right.assert_html(429);
    assert!(
        right.body.contains("Muitas tentativas sem sucesso"),
        "{}",
        right.body
    );
    assert!(right.set_cookie("vitrine_session").is_none());
    assert_eq!(v.get("/painel/configuracoes/lojas").await.status, 303);
}

/// Issue 12.3: rotating client addresses buys no more than the email's
/// ceiling (20 per window over every address), and the right password is
/// refused past it; other emails are not affected.
async fn the_email_has_a_ceiling_over_every_address(app: TestApp) {
    let t = app.tenant().await;
    let other = app.tenant().await;
    let from = |last: u8| Visitor::at(&app, Some(std::net::IpAddr::from([127, 0, 0, last])));
    for last in 2..=5 {
        let v = from(last);
        for attempt in 1..=5 {
            let page = v.sign_in(&t.email, "senha-errada").await;
            assert_eq!(page.status, 401, "127.0.0.{last}, attempt {attempt}");
        }
        // That address's own limit still holds.
        assert_eq!(v.sign_in(&t.email, &t.password).await.status, 429);
    }
    assert_eq!(attempts(&app, &t.email, "*").await, Some(20));
    let fresh = from(6);
    let locked = fresh.sign_in(&t.email, &t.password).await;
    locked.assert_html(429);
    assert!(
        locked.body.contains("Muitas tentativas sem sucesso"),
        "{}",
        locked.body
    );
    assert!(locked.set_cookie("vitrine_session").is_none());
    assert_eq!(fresh.get("/painel/configuracoes/lojas").await.status, 303);
    // Another user signs in from the same new address.
    let page = fresh.sign_in(&other.email, &other.password).await;
    assert_eq!(page.status, 303, "{}", page.body);
}

/// Issue 12.3: the password change's current-password check is counted
/// like a sign-in (the same counters) before it runs: of a burst of wrong
/// guesses only the limit is checked, then the right one is refused too and
/// the password stays.
async fn the_current_password_is_throttled_too(app: TestApp) {
    const BURST: usize = 12;
    let t = app.tenant().await;
    let v = Visitor::signed_in(&app, &t.email, &t.password).await;
    let csrf = v.session_csrf().await;
    let guess = |current: &'static str| {
        [
            ("csrf", csrf.clone()),
            ("current", current.to_owned()),
            ("new", "nova-senha-123".to_owned()),
            ("confirm", "nova-senha-123".to_owned()),
        ]
    };
    let wrong = guess("senha-errada");
    let wrong: Vec<(&str, &str)> = wrong.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let burst =
        futures_util::future::join_all((0..BURST).map(|_| v.post("/painel/senha", &wrong))).await;
    let checked = burst
        .iter()
        .filter(|p| p.status == 422 && p.body.contains("A senha atual está incorreta."))
        .count();
    let refused = burst
        .iter()
        .filter(|p| p.status == 429 && p.body.contains("Muitas tentativas sem sucesso"))
        .count();
    eprintln!(
        "burst of {BURST} wrong current passwords: {checked} checked, {refused} refused unchecked"
    );
    assert_eq!((checked, refused), (5, BURST - 5));
    let right = guess("");
    let mut right: Vec<(&str, &str)> = right.iter().map(|(k, v)| (*k, v.as_str())).collect();
    right[1].1 = &t.password;
    let page = v.post("/painel/senha", &right).await;
    page.assert_html(429);
    assert!(
        page.body.contains("Muitas tentativas sem sucesso"),
        "{}",
        page.body
    );
    // The password did not change, and the session goes on.
    let mut conn = app.store.conn().await.expect("conn");
    let user = conn
        .users()
        .find_by_email(&t.email)
        .await
        .expect("lookup")
        .expect("user");
    drop(conn);
    assert!(vitrine_core::credentials::verify_password(
        &t.password,
        &user.password_hash
    ));
    assert_eq!(v.get("/painel/configuracoes/lojas").await.status, 200);
    // The guesses count against sign-in from this address as well.
    assert_eq!(
        Visitor::new(&app)
            .sign_in(&t.email, &t.password)
            .await
            .status,
        429
    );
}

/// Issue 12.13: a NUL (or any control character) in the sign-in's email
/// was an unauthenticated 500 on PostgreSQL. The form reader refuses it:
/// the sign-in form again with the message, nothing counted, and the
/// server goes on serving.
async fn a_nul_in_the_email_is_refused_next_to_the_field(app: TestApp) {
    let t = app.tenant().await;
    let v = Visitor::new(&app);
    let csrf = v.get("/painel/entrar").await.csrf();
    for email in [format!("{}\u{0}", t.email), format!("\u{1b}[2J{}", t.email)] {
        let page = v
            .post(
                "/painel/entrar",
                &[
                    ("csrf", csrf.as_str()),
                    ("email", &email),
                    ("password", &t.password),
                ],
            )
            .await;
        page.assert_html(422);
        assert!(
            page.body
                .contains("Campo 'email' contém caracteres inválidos"),
            "{}",
            page.body
        );
        assert!(
            page.body.contains("action=\"/painel/entrar\""),
            "the form again"
        );
        assert!(page.set_cookie("vitrine_session").is_none());
    }
    assert_eq!(
        attempts(&app, &t.email, "127.0.0.1").await,
        None,
        "nothing counted"
    );
    // The form still works, with the same double-submit cookie.
    let page = v.sign_in(&t.email, &t.password).await;
    assert_eq!(page.status, 303, "{}", page.body);
}
