//! The sign-in and sign-up forms' double-submit token is signed by the
//! server (issue 12.16): a cookie planted by someone else — a value of
//! their choosing, or a genuine token the server issued to *them* — does
//! not sign a victim into the planter's account.

use std::net::IpAddr;

use vitrine_testkit::{both_backends, TestApp};

use crate::browserless::{Page, Visitor};

both_backends!(
    a_token_the_server_did_not_issue_is_refused,
    a_token_issued_to_another_address_is_refused,
    posts_from_another_site_are_refused,
    the_key_is_made_once_in_the_database,
);

/// Posts the sign-in form with `token` as both the cookie and the field,
/// as an attacker who can set cookies would.
async fn planted(v: &Visitor, token: &str, email: &str, password: &str) -> Page {
    v.post_with(
        "/painel/entrar",
        &[("csrf", token), ("email", email), ("password", password)],
        &[("cookie", &format!("vitrine_login_csrf={token}"))],
    )
    .await
}

fn loopback(last: u8) -> Option<IpAddr> {
    Some(IpAddr::from([127, 0, 0, last]))
}

async fn a_token_the_server_did_not_issue_is_refused(app: TestApp) {
    let attacker = app.tenant().await;
    let genuine = Visitor::new(&app).get("/painel/entrar").await.csrf();
    let (issued, rest) = genuine.split_once('.').expect("issued.nonce.mac");
    let (nonce, _) = rest.split_once('.').expect("nonce.mac");
    for (token, why) in [
        (
            "escolhido-pelo-atacante".to_owned(),
            "a value of the attacker's choosing",
        ),
        (
            format!("{issued}.{nonce}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            "a made-up mac",
        ),
        (
            format!(
                "{issued}.outro-nonce-de-32-caracteres-xx.{}",
                &rest[rest.len() - 43..]
            ),
            "another nonce",
        ),
        (
            format!("{}.{rest}", issued.parse::<i64>().expect("time") + 60),
            "another time",
        ),
    ] {
        let victim = Visitor::new(&app);
        let page = planted(&victim, &token, &attacker.email, &attacker.password).await;
        page.assert_html(403);
        assert!(page.set_cookie("vitrine_session").is_none(), "{why}");
        assert_eq!(
            victim.get("/painel/configuracoes/lojas").await.status,
            303,
            "{why}"
        );
    }
    // The genuine token, from the address it was issued to, signs in.
    let page = planted(
        &Visitor::new(&app),
        &genuine,
        &attacker.email,
        &attacker.password,
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);
}

async fn a_token_issued_to_another_address_is_refused(app: TestApp) {
    let attacker = app.tenant().await;
    // The attacker opens the sign-in page from their own address…
    let theirs = Visitor::at(&app, loopback(2)).get("/painel/entrar").await;
    theirs.assert_html(200);
    let token = theirs.csrf();
    assert_eq!(
        theirs
            .set_cookie("vitrine_login_csrf")
            .and_then(|c| c.split(';').next().map(str::to_owned)),
        Some(format!("vitrine_login_csrf={token}")),
        "the cookie holds the form's token"
    );
    // …and plants it in a victim's browser, elsewhere: refused.
    let victim = Visitor::at(&app, loopback(3));
    let page = planted(&victim, &token, &attacker.email, &attacker.password).await;
    page.assert_html(403);
    assert!(page.body.contains("Formulário expirado"), "{}", page.body);
    assert!(page.set_cookie("vitrine_session").is_none());
    // From the address it was issued to, the same token is good.
    let page = planted(
        &Visitor::at(&app, loopback(2)),
        &token,
        &attacker.email,
        &attacker.password,
    )
    .await;
    assert_eq!(page.status, 303, "{}", page.body);
}

async fn posts_from_another_site_are_refused(app: TestApp) {
    let t = app.tenant().await;
    for (site, status) in [
        ("cross-site", 403),
        ("same-site", 403),
        ("same-origin", 303),
    ] {
        let v = Visitor::new(&app);
        let csrf = v.get("/painel/entrar").await.csrf();
        let page = v
            .post_with(
                "/painel/entrar",
                &[
                    ("csrf", csrf.as_str()),
                    ("email", &t.email),
                    ("password", &t.password),
                ],
                &[("sec-fetch-site", site)],
            )
            .await;
        assert_eq!(page.status, status, "Sec-Fetch-Site: {site}: {}", page.body);
    }
}

async fn the_key_is_made_once_in_the_database(app: TestApp) {
    app.tenant().await;
    let key = || async {
        let mut conn = app.store.conn().await.expect("conn");
        conn.panel_secrets().get("login_csrf").await.expect("read")
    };
    assert_eq!(key().await, None, "made when first needed");
    let first = Visitor::new(&app).get("/painel/entrar").await.csrf();
    let secret = key().await.expect("made");
    assert_eq!(secret.len(), 64);
    let second = Visitor::new(&app).get("/painel/entrar").await.csrf();
    assert_eq!(key().await.as_deref(), Some(secret.as_str()), "kept");
    assert_ne!(first, second, "each visitor gets a token of its own");
    assert!(!first.contains(&secret) && !second.contains(&secret));
}
