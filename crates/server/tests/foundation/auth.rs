//! Credentials: each face answers bad credentials with 401 in its own
//! envelope, and a credential only ever opens its own tenant.

use base64::Engine as _;
use vitrine_testkit::{both_backends, Method, TestApp};

fn assert_auto_401(reply: &vitrine_testkit::Reply, why: &str) {
    assert_eq!(reply.status, 401, "{why}: {}", reply.text);
    assert_eq!(reply.body["success"], false, "{why}");
    assert_eq!(reply.body["error"]["code"], "UNAUTHORIZED", "{why}");
    assert!(reply.body["error"]["message"].is_string(), "{why}");
}

fn assert_loja_401(reply: &vitrine_testkit::Reply, why: &str) {
    assert_eq!(reply.status, 401, "{why}: {}", reply.text);
    assert_eq!(
        reply.text, r#"{"success":false,"errors":["Invalid token"],"data":[]}"#,
        "{why}"
    );
}

async fn auto_rejects_bad_credentials(app: TestApp) {
    let tenant = app.tenant().await;
    let wrong_key = format!("{}x", tenant.api_key);
    let cases: [(Option<String>, &str); 7] = [
        (None, "no header"),
        (Some("Bearer".into()), "scheme only"),
        (Some("garbage".into()), "garbage"),
        (Some(format!("Basic {}", tenant.api_key)), "wrong scheme"),
        (Some(format!("Bearer {wrong_key}")), "unknown key"),
        (
            Some("Bearer ea_live_sua_chave_aqui".into()),
            "documented placeholder",
        ),
        (
            Some(format!("Bearer {}", tenant.loja_token)),
            "a Loja token",
        ),
    ];
    for (header, why) in cases {
        for prefix in ["/api/v1", "/v1"] {
            let reply = app
                .call(
                    Method::GET,
                    &format!("{prefix}/stores"),
                    header.as_deref(),
                    None,
                )
                .await;
            assert_auto_401(&reply, why);
        }
    }
    let ok = app
        .auto(&tenant.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
}

async fn revoked_key_stops_working(app: TestApp) {
    let tenant = app.tenant().await;
    let before = app
        .auto(&tenant.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(before.status, 200);

    let account = tenant.account_id.parse().expect("account id");
    let mut conn = app.store.conn().await.expect("conn");
    let keys = conn.api_keys().list(account).await.expect("list keys");
    assert_eq!(keys.len(), 1);
    assert!(
        keys[0].last_used_at.is_some(),
        "a successful call records last use"
    );
    drop(conn);
    let mut tx = app.store.begin().await.expect("tx");
    tx.api_keys()
        .revoke(account, keys[0].id.into())
        .await
        .expect("revoke");
    tx.commit().await.expect("commit");

    let after = app
        .auto(&tenant.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_auto_401(&after, "revoked key");
}

async fn keys_only_open_their_own_account(app: TestApp) {
    let a = app.tenant().await;
    let b = app.tenant().await;
    let seen_by_a = app
        .auto(&a.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    let seen_by_b = app
        .auto(&b.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    let ids = |r: &vitrine_testkit::Reply| -> Vec<String> {
        r.body["data"]
            .as_array()
            .expect("data array")
            .iter()
            .map(|s| s["id"].as_str().expect("id").to_owned())
            .collect()
    };
    assert_eq!(ids(&seen_by_a), vec![a.store_id]);
    assert_eq!(ids(&seen_by_b), vec![b.store_id]);
}

async fn loja_accepts_every_documented_token_placement(app: TestApp) {
    let t = app.tenant().await;
    let path = "/design/getDesignforProducts";
    let basic_pair = base64::engine::general_purpose::STANDARD
        .encode(format!("{}:{}", t.client_id, t.client_secret));
    assert_eq!(basic_pair, t.loja_token);
    for (header, value) in [
        ("authorization", format!("Basic {}", t.loja_token)),
        ("authorization", format!("Bearer {}", t.loja_token)),
        ("authorization", format!("Token {}", t.loja_token)),
        ("authorization", t.loja_token.clone()),
        ("x-api-key", t.loja_token.clone()),
        ("token", t.loja_token.clone()),
    ] {
        let reply = app
            .raw(Method::GET, path, &[(header, &value)], Vec::new())
            .await;
        assert_eq!(reply.status, 200, "{header}: {value}: {}", reply.text);
        assert_eq!(reply.body["success"], true);
    }
    // URL-safe alphabet without padding, and the token as a query parameter.
    let url_safe = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(format!("{}:{}", t.client_id, t.client_secret));
    let reply = app.call(Method::GET, path, Some(&url_safe), None).await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    let reply = app
        .call(
            Method::GET,
            &format!("{path}?token={}", t.loja_token.replace('=', "%3D")),
            None,
            None,
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
}

async fn loja_rejects_bad_credentials(app: TestApp) {
    let t = app.tenant().await;
    let enc = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let cases = [
        (None, "no token"),
        (Some("garbage!!".to_owned()), "not base64"),
        (Some(enc("no-colon")), "not a pair"),
        (
            Some(enc(&format!("{}:wrong-secret", t.client_id))),
            "wrong secret",
        ),
        (
            Some(enc(&format!("vcl_unknown:{}", t.client_secret))),
            "unknown client id",
        ),
        (Some(format!("Bearer {}", t.api_key)), "an Auto API key"),
    ];
    for (auth, why) in cases {
        let reply = app
            .call(
                Method::GET,
                "/design/getDesignforProducts",
                auth.as_deref(),
                None,
            )
            .await;
        assert_loja_401(&reply, why);
    }
}

async fn rotated_store_credentials_stop_working(app: TestApp) {
    let t = app.tenant().await;
    let account = t.account_id.parse().expect("account");
    let store = t.store_id.parse().expect("store");
    let new = vitrine_core::credentials::mint_store_credentials();
    let mut tx = app.store.begin().await.expect("tx");
    assert_eq!(
        tx.credentials()
            .revoke_for_store(account, store)
            .await
            .expect("revoke"),
        1
    );
    tx.credentials()
        .insert(account, store, &new)
        .await
        .expect("insert");
    tx.commit().await.expect("commit");

    let old = app
        .loja_get(&t.loja_token, "/design/getDesignforProducts")
        .await;
    assert_loja_401(&old, "revoked pair");
    let fresh = app
        .loja_get(&new.loja_token(), "/design/getDesignforProducts")
        .await;
    assert_eq!(fresh.status, 200, "{}", fresh.text);
}

async fn store_tokens_only_open_their_own_store(app: TestApp) {
    let a = app.tenant().await;
    let b = app.tenant().await;
    let mut tx = app.store.begin().await.expect("tx");
    tx.design()
        .set(
            vitrine_core::ids::ShopScope::new(
                a.account_id.parse().expect("a"),
                a.store_id.parse().expect("a store"),
            ),
            "text_botao_comprar",
            "Quero!",
        )
        .await
        .expect("set");
    tx.commit().await.expect("commit");
    let seen_by_a = app
        .loja_get(&a.loja_token, "/design/getDesignforProducts")
        .await;
    let seen_by_b = app
        .loja_get(&b.loja_token, "/design/getDesignforProducts")
        .await;
    assert_eq!(seen_by_a.body["data"]["text_botao_comprar"], "Quero!");
    assert_eq!(seen_by_b.body["data"]["text_botao_comprar"], "Comprar");
}

both_backends!(
    auto_rejects_bad_credentials,
    revoked_key_stops_working,
    keys_only_open_their_own_account,
    loja_accepts_every_documented_token_placement,
    loja_rejects_bad_credentials,
    rotated_store_credentials_stop_working,
    store_tokens_only_open_their_own_store,
);
