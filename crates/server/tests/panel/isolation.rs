//! One account's user never reaches another account's records by URL:
//! every such page is a 404 page and nothing changes.

use vitrine_core::ids::AccountId;
use vitrine_testkit::{both_backends, Method, TestApp};

use crate::browserless::Visitor;

both_backends!(another_accounts_records_are_not_found);

async fn another_accounts_records_are_not_found(app: TestApp) {
    let mine = app.tenant().await;
    let theirs = app.tenant().await;
    let their_account: AccountId = theirs.account_id.parse().expect("id");
    let mut conn = app.store.conn().await.expect("conn");
    let their_key = conn.api_keys().list(their_account).await.expect("keys")[0].id;
    drop(conn);
    let v = Visitor::signed_in(&app, &mine.email, &mine.password).await;
    let csrf = v.session_csrf().await;

    for path in [
        format!("/painel/configuracoes/lojas/{}", theirs.store_id),
        format!("/painel/lojas/{}/api", theirs.store_id),
        "/painel/configuracoes/lojas/nao-e-um-id".to_owned(),
        "/painel/lojas/0192f0c2-7a3b-7cde-8f00-00000000abcd/api".to_owned(),
        "/painel/nao-existe".to_owned(),
    ] {
        let page = v.get(&path).await;
        page.assert_html(404);
        assert!(page.body.contains("Página não encontrada"), "{path}");
        assert!(!page.body.contains(&theirs.store_id) || path.contains(&theirs.store_id));
    }
    for path in [
        format!("/painel/configuracoes/lojas/{}", theirs.store_id),
        format!("/painel/lojas/{}/api", theirs.store_id),
        format!("/painel/configuracoes/api-keys/{their_key}/revogar"),
    ] {
        v.post(&path, &[("csrf", &csrf), ("name", "Tomada")])
            .await
            .assert_html(404);
    }
    // Their store, key and credentials are as they were.
    let mut conn = app.store.conn().await.expect("conn");
    let stores = conn.stores().list(their_account).await.expect("stores");
    assert_eq!(stores[0].name, "Loja de Teste");
    drop(conn);
    assert_eq!(
        app.auto(&theirs.api_key, Method::GET, "/api/v1/clients", None)
            .await
            .status,
        200
    );
    assert_eq!(
        app.loja_get(&theirs.loja_token, "/product/findbysku?sku=X")
            .await
            .status,
        404
    );
    // And my lists show only my records.
    let list = v.get("/painel/configuracoes/lojas").await;
    assert!(list.body.contains(&mine.store_id) && !list.body.contains(&theirs.store_id));
    let keys = v.get("/painel/configuracoes/api-keys").await;
    assert!(!keys.body.contains(&theirs.api_key[..14]));
}
