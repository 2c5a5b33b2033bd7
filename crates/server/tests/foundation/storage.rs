//! What the store promises: secrets never in clear, tenant rows scoped,
//! data surviving a restart.

use vitrine_testkit::{both_backends, Method, TestApp};

async fn secrets_are_stored_only_as_hashes(app: TestApp) {
    let t = app.tenant().await;
    let account = t.account_id.parse().expect("account");
    let mut conn = app.store.conn().await.expect("conn");
    let keys = conn.api_keys().list(account).await.expect("keys");
    assert!(t.api_key.starts_with(&keys[0].display_prefix));
    assert!(
        keys[0].display_prefix.len() < 16,
        "only a short prefix is kept"
    );
    let auth = conn
        .api_keys()
        .find_by_hash(&vitrine_core::credentials::hash_secret(&t.api_key))
        .await
        .expect("lookup")
        .expect("found by hash");
    assert_ne!(auth.key_hash, t.api_key);
    assert!(!auth.key_hash.contains(&t.api_key[8..]));

    let cred = conn
        .credentials()
        .find_by_client_id(&t.client_id)
        .await
        .expect("lookup")
        .expect("found");
    assert!(!cred.secret_hash.contains(&t.client_secret));

    let user = conn
        .users()
        .find_by_email(&t.email)
        .await
        .expect("lookup")
        .expect("found");
    assert!(user.password_hash.starts_with("$argon2id$"));
    assert!(!user.password_hash.contains(&t.password));
}

async fn stores_are_scoped_to_their_account(app: TestApp) {
    let a = app.tenant().await;
    let b = app.tenant().await;
    let mut conn = app.store.conn().await.expect("conn");
    let a_id = a.account_id.parse().expect("a");
    let b_store = b.store_id.parse().expect("b store");
    assert!(matches!(
        conn.stores().get(a_id, b_store).await,
        Err(vitrine_store::Error::NotFound)
    ));
    assert!(conn
        .stores()
        .get(a_id, a.store_id.parse().expect("a store"))
        .await
        .is_ok());
}

async fn duplicate_owner_email_is_refused_and_nothing_is_written(app: TestApp) {
    let t = app.tenant().await;
    let req = vitrine_core::tenancy::BootstrapRequest {
        account_name: "Outra".into(),
        store_name: "Outra loja".into(),
        email: t.email.to_uppercase(),
        password: "outra-senha-boa".into(),
    };
    let before = app
        .store
        .conn()
        .await
        .expect("conn")
        .accounts()
        .count()
        .await
        .expect("count");
    let err = vitrine_server::cli::bootstrap(&app.store, &req)
        .await
        .expect_err("duplicate");
    assert!(err.to_string().contains("already exists"), "{err}");
    let after = app
        .store
        .conn()
        .await
        .expect("conn")
        .accounts()
        .count()
        .await
        .expect("count");
    assert_eq!(before, after, "the failed bootstrap left no account behind");
}

async fn data_survives_a_restart(app: TestApp) {
    let t = app.tenant().await;
    let before = app
        .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(before.status, 200);

    let app = vitrine_testkit::restart(app.stop().await).await;
    let after = app
        .auto(&t.api_key, Method::GET, "/api/v1/stores", None)
        .await;
    assert_eq!(after.status, 200, "the key still works after a restart");
    assert_eq!(after.body["data"], before.body["data"]);
    let n = app
        .store
        .conn()
        .await
        .expect("conn")
        .accounts()
        .count()
        .await
        .expect("count");
    assert_eq!(n, 1);
}

/// A request cancelled while its transaction is starting (the client went
/// away, the request timed out) leaves no connection behind inside a
/// transaction: on SQLite such a connection would hold the write lock for
/// good and every later write would fail after the busy timeout.
async fn cancelled_transaction_starts_leave_no_lock_behind(app: TestApp) {
    let t = app.tenant().await;
    let holder = app.store.begin().await.expect("a transaction");
    // On SQLite these wait for `holder`'s write lock and are cancelled
    // while `BEGIN IMMEDIATE` is still pending.
    for _ in 0..4 {
        let waiting = app.store.begin();
        let _ = tokio::time::timeout(std::time::Duration::from_millis(50), waiting).await;
    }
    holder.commit().await.expect("commit");
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    for i in 0..8 {
        let r = app
            .auto(
                &t.api_key,
                Method::POST,
                "/api/v1/clients",
                Some(&serde_json::json!({"type": "PF", "name": format!("Cliente {i}")})),
            )
            .await;
        assert_eq!(
            r.status, 201,
            "write {i} after the cancellations: {}",
            r.text
        );
    }
    let listed = app
        .auto(&t.api_key, Method::GET, "/api/v1/clients?limit=100", None)
        .await;
    assert_eq!(listed.body["pagination"]["total"], 8, "{}", listed.text);
}

both_backends!(
    cancelled_transaction_starts_leave_no_lock_behind,
    secrets_are_stored_only_as_hashes,
    stores_are_scoped_to_their_account,
    duplicate_owner_email_is_refused_and_nothing_is_written,
    data_survives_a_restart,
);
