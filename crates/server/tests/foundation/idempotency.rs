//! `Idempotency-Key` on the POSTs of both APIs (issue #8,
//! docs/idempotency.md): a retry gets the first answer and the work runs
//! once, whatever node it reaches; another request under the same key is
//! refused and writes nothing.

use vitrine_server::app::Settings;
use vitrine_testkit::{
    both_backends, json, spawn_second, Backend, Method, Reply, Tenant, TestApp, Value,
};

const CLIENTS: &str = "/api/v1/clients";

fn client_body(name: &str) -> Vec<u8> {
    serde_json::to_vec(&json!({"type": "PF", "name": name})).expect("json")
}

async fn post_client(app: &TestApp, t: &Tenant, key: Option<&str>, body: Vec<u8>) -> Reply {
    let auth = format!("Bearer {}", t.api_key);
    let mut headers = vec![
        ("authorization", auth.as_str()),
        ("content-type", "application/json"),
    ];
    if let Some(key) = key {
        headers.push(("idempotency-key", key));
    }
    app.raw(Method::POST, CLIENTS, &headers, body).await
}

async fn client_names(app: &TestApp, t: &Tenant) -> Vec<String> {
    let r = app
        .auto(&t.api_key, Method::GET, "/api/v1/clients?limit=100", None)
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["data"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| c["name"].as_str().expect("name").to_owned())
        .collect()
}

fn header<'r>(reply: &'r Reply, name: &str) -> Option<&'r str> {
    reply.headers.get(name).and_then(|v| v.to_str().ok())
}

/// Same status, same body bytes, same content type.
fn assert_same_answer(first: &Reply, again: &Reply) {
    assert_eq!(again.status, first.status, "{}", again.text);
    assert_eq!(again.text, first.text, "byte for byte");
    assert_eq!(header(again, "content-type"), header(first, "content-type"));
    assert_eq!(header(again, "idempotent-replayed"), Some("true"));
    assert_eq!(header(first, "idempotent-replayed"), None);
}

async fn auto_retry_returns_the_first_answer(app: TestApp) {
    let t = app.tenant().await;
    let first = post_client(&app, &t, Some("cria-joao-1"), client_body("João")).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = post_client(&app, &t, Some("cria-joao-1"), client_body("João")).await;
    assert_same_answer(&first, &again);
    assert_eq!(client_names(&app, &t).await, ["João"], "one client");

    // Another body under the same key: 422 in the Auto envelope, nothing written.
    let other = post_client(&app, &t, Some("cria-joao-1"), client_body("Maria")).await;
    assert_eq!(other.status, 422, "{}", other.text);
    assert_eq!(
        other.body,
        json!({"success": false, "error": {
            "code": "IDEMPOTENCY_KEY_REUSED",
            "message": "Esta Idempotency-Key já foi usada com outra requisição",
            "details": {"header": "Idempotency-Key"}}})
    );
    // Another path under the same key is another request too.
    let auth = format!("Bearer {}", t.api_key);
    let vehicle = app
        .raw(
            Method::POST,
            "/v1/clients",
            &[("authorization", &auth), ("idempotency-key", "cria-joao-1")],
            client_body("João"),
        )
        .await;
    assert_eq!(vehicle.status, 422, "{}", vehicle.text);
    assert_eq!(client_names(&app, &t).await, ["João"], "nothing written");
}

async fn without_the_header_nothing_changes(app: TestApp) {
    let t = app.tenant().await;
    for _ in 0..2 {
        let r = post_client(&app, &t, None, client_body("Sem Chave")).await;
        assert_eq!(r.status, 201, "{}", r.text);
        assert_eq!(header(&r, "idempotent-replayed"), None);
    }
    assert_eq!(client_names(&app, &t).await, ["Sem Chave", "Sem Chave"]);
}

async fn failures_are_not_stored(app: TestApp) {
    let t = app.tenant().await;
    // A validation error releases the key: fixed, the same key works.
    let bad = post_client(
        &app,
        &t,
        Some("k-invalid"),
        serde_json::to_vec(&json!({"type": "XX", "name": "Ana"})).expect("json"),
    )
    .await;
    assert_eq!(bad.status, 400, "{}", bad.text);
    let again = post_client(
        &app,
        &t,
        Some("k-invalid"),
        serde_json::to_vec(&json!({"type": "XX", "name": "Ana"})).expect("json"),
    )
    .await;
    assert_eq!(again.status, 400, "{}", again.text);
    assert_eq!(header(&again, "idempotent-replayed"), None, "ran again");
    // A wrong key (401) stores nothing either.
    let auth = "Bearer ea_live_nao_existe_0000000000000000000000";
    let r = app
        .raw(
            Method::POST,
            CLIENTS,
            &[("authorization", auth), ("idempotency-key", "k-401")],
            client_body("Ana"),
        )
        .await;
    assert_eq!(r.status, 401, "{}", r.text);
    assert_eq!(client_names(&app, &t).await, Vec::<String>::new());
}

async fn malformed_keys_are_refused_in_each_envelope(app: TestApp) {
    let t = app.tenant().await;
    let long = "k".repeat(256);
    for key in [long.as_str(), ""] {
        let r = post_client(&app, &t, Some(key), client_body("Ana")).await;
        assert_eq!(r.status, 400, "{}", r.text);
        assert_eq!(
            r.body["error"]["code"], "INVALID_IDEMPOTENCY_KEY",
            "{}",
            r.text
        );
        let basic = format!("Basic {}", t.loja_token);
        let r = app
            .raw(
                Method::POST,
                "/brand/insert",
                &[
                    ("authorization", &basic),
                    ("idempotency-key", key),
                    ("content-type", "application/x-www-form-urlencoded"),
                ],
                b"name=Logitech".to_vec(),
            )
            .await;
        assert_eq!(
            r.text,
            r#"{"success":false,"errors":["Invalid Idempotency-Key: use 1 to 255 printable ASCII characters"],"data":[]}"#
        );
        assert_eq!(r.status, 400);
    }
    let ok = post_client(&app, &t, Some(&"k".repeat(255)), client_body("Ana")).await;
    assert_eq!(ok.status, 201, "255 characters are fine: {}", ok.text);
    assert_eq!(client_names(&app, &t).await, ["Ana"]);
}

async fn concurrent_duplicates_do_the_work_once(app: TestApp) {
    let t = app.tenant().await;
    let node = spawn_second(&app, Settings::default()).await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let app = if i % 2 == 0 { &app } else { &node };
        tasks.push(post_client(
            app,
            &t,
            Some("corrida"),
            client_body("Corrida"),
        ));
    }
    let replies = futures_util::future::join_all(tasks).await;
    let first = replies
        .iter()
        .find(|r| header(r, "idempotent-replayed").is_none())
        .expect("one request did the work");
    for r in &replies {
        assert_eq!(r.status, 201, "{}", r.text);
        assert_eq!(r.text, first.text, "every duplicate gets the first answer");
    }
    let fresh = replies
        .iter()
        .filter(|r| header(r, "idempotent-replayed").is_none())
        .count();
    assert_eq!(fresh, 1, "exactly one request ran");
    assert_eq!(client_names(&app, &t).await, ["Corrida"], "one client");
}

async fn credentials_have_their_own_keys(app: TestApp) {
    let a = app.tenant().await;
    let b = app.tenant().await;
    let ra = post_client(&app, &a, Some("mesma-chave"), client_body("Cliente A")).await;
    assert_eq!(ra.status, 201, "{}", ra.text);
    // Another account, same key, another body: its own key, not a reuse.
    let rb = post_client(&app, &b, Some("mesma-chave"), client_body("Cliente B")).await;
    assert_eq!(rb.status, 201, "{}", rb.text);
    assert_eq!(header(&rb, "idempotent-replayed"), None);
    // And the same body: still its own work, not A's answer.
    let rb2 = post_client(&app, &b, Some("outra"), client_body("Cliente A")).await;
    let ra2 = post_client(&app, &a, Some("outra"), client_body("Cliente A")).await;
    assert_ne!(rb2.body["data"]["id"], ra2.body["data"]["id"]);
    assert_eq!(client_names(&app, &a).await.len(), 2);
    assert_eq!(client_names(&app, &b).await.len(), 2);
}

async fn loja_form(app: &TestApp, auth: &str, key: &str, path: &str, form: &str) -> Reply {
    app.raw(
        Method::POST,
        path,
        &[
            ("authorization", auth),
            ("idempotency-key", key),
            ("content-type", "application/x-www-form-urlencoded"),
        ],
        form.as_bytes().to_vec(),
    )
    .await
}

async fn loja_product_insert_once(app: TestApp) {
    let t = app.tenant().await;
    let basic = format!("Basic {}", t.loja_token);
    let form = "name=Fone+Bluetooth&sku=FONE-1&price=150.23";
    let first = loja_form(&app, &basic, "produto-1", "/product/insert", form).await;
    assert_eq!(first.status, 201, "{}", first.text);
    // The same token presented another way is the same credential.
    let bearer = format!("Bearer {}", t.loja_token);
    let again = loja_form(&app, &bearer, "produto-1", "/product/insert", form).await;
    assert_same_answer(&first, &again);
    // Without the key the duplicate SKU is refused as before: one product.
    let plain = app
        .loja_form(
            &t.loja_token,
            "/product/insert",
            &[
                ("name", "Fone Bluetooth"),
                ("sku", "FONE-1"),
                ("price", "150.23"),
            ],
        )
        .await;
    assert!(plain.status >= 400, "{}", plain.text);

    let other = loja_form(
        &app,
        &basic,
        "produto-1",
        "/product/insert",
        "name=Outro&sku=FONE-2",
    )
    .await;
    assert_eq!(other.status, 422, "{}", other.text);
    assert_eq!(
        other.text,
        r#"{"success":false,"errors":["Idempotency-Key already used with a different request"],"data":[]}"#
    );
    let missing = app
        .loja_get(&t.loja_token, "/product/findbysku?sku=FONE-2")
        .await;
    assert_eq!(missing.status, 404, "nothing written: {}", missing.text);
    let found = app
        .loja_get(&t.loja_token, "/product/findbysku?sku=FONE-1")
        .await;
    assert_eq!(found.status, 200, "{}", found.text);
    assert_eq!(found.body["data"]["name"], Value::from("Fone Bluetooth"));
}

async fn honoured_across_nodes(app: TestApp) {
    let t = app.tenant().await;
    let node = spawn_second(&app, Settings::default()).await;
    let first = post_client(&app, &t, Some("dois-nos"), client_body("Dois Nós")).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let again = post_client(&node, &t, Some("dois-nos"), client_body("Dois Nós")).await;
    assert_same_answer(&first, &again);
    let reuse = post_client(&node, &t, Some("dois-nos"), client_body("Outro")).await;
    assert_eq!(reuse.status, 422, "{}", reuse.text);

    let basic = format!("Basic {}", t.loja_token);
    let brand = loja_form(&node, &basic, "marca", "/brand/insert", "name=Logitech").await;
    assert!(brand.status < 300, "{}", brand.text);
    let brand_again = loja_form(&app, &basic, "marca", "/brand/insert", "name=Logitech").await;
    assert_same_answer(&brand, &brand_again);
    let brands = app.loja_get(&t.loja_token, "/brand/findbyname").await;
    assert_eq!(brands.status, 200, "{}", brands.text);
    assert_eq!(
        brands.body["data"].as_array().map(Vec::len),
        Some(1),
        "{}",
        brands.text
    );
    assert_eq!(client_names(&app, &t).await, ["Dois Nós"]);
}

/// The claim protocol at the store: one claim wins, a stale claim is taken
/// over by swapping its id, and the loser can no longer store an answer.
async fn claims_are_exclusive_and_stale_ones_are_taken_over(app: TestApp) {
    use vitrine_store::idempotency::StoredResponse;
    let (first, second) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let mut conn = app.store.conn().await.expect("conn");
    let mut repo = conn.idempotency();
    assert!(repo.claim("scope", "k", "fp", first).await.expect("claim"));
    assert!(!repo.claim("scope", "k", "fp", second).await.expect("claim"));
    assert!(repo
        .claim("other-scope", "k", "fp", second)
        .await
        .expect("claim"));
    let row = repo.find("scope", "k").await.expect("find").expect("row");
    assert!(!row.is_done());
    assert_eq!(row.claim, first);

    // Not stale yet: the claim holds.
    let an_hour_ago = vitrine_store::now() - chrono::Duration::hours(1);
    assert!(!repo
        .take_over("scope", "k", first, an_hour_ago, second)
        .await
        .expect("take over"));
    // Stale (claimed before the cut-off): the second takes it.
    let later = vitrine_store::now() + chrono::Duration::seconds(1);
    assert!(repo
        .take_over("scope", "k", first, later, second)
        .await
        .expect("take over"));
    let answer = StoredResponse {
        status: 201,
        headers: r#"[["content-type","application/json"]]"#,
        body: b"{\"success\":true}",
    };
    assert!(
        !repo
            .complete("scope", "k", first, answer)
            .await
            .expect("complete"),
        "lost"
    );
    assert!(repo
        .complete("scope", "k", second, answer)
        .await
        .expect("complete"));
    // A done key is not released by a late release.
    repo.release("scope", "k", second).await.expect("release");
    let row = repo.find("scope", "k").await.expect("find").expect("row");
    assert!(row.is_done());
    assert_eq!(row.status, Some(201));
    assert_eq!(row.body.as_deref(), Some(&b"{\"success\":true}"[..]));
    // Purged once expired.
    assert_eq!(repo.purge_expired(later).await.expect("purge"), 2);
    assert!(repo.find("scope", "k").await.expect("find").is_none());
}

/// A stored answer is given only to a credential that still authenticates:
/// after the key is revoked or the store's pair rotated, the retry gets
/// the face's 401, for a replay and for a reused key alike.
async fn revoked_credentials_get_no_stored_answer(app: TestApp) {
    let t = app.tenant().await;
    let first = post_client(&app, &t, Some("antes"), client_body("João")).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let basic = format!("Basic {}", t.loja_token);
    let form = "name=Fone&sku=FONE-1";
    let product = loja_form(&app, &basic, "antes", "/product/insert", form).await;
    assert_eq!(product.status, 201, "{}", product.text);
    // A replay counts against the key's budget like any request.
    let again = post_client(&app, &t, Some("antes"), client_body("João")).await;
    assert_eq!(header(&again, "idempotent-replayed"), Some("true"));
    assert!(header(&again, "x-ratelimit-remaining").is_some());

    let account = t.account_id.parse().expect("account");
    let store = t.store_id.parse().expect("store");
    let mut tx = app.store.begin().await.expect("tx");
    let keys = tx.api_keys().list(account).await.expect("keys");
    tx.api_keys()
        .revoke(account, keys[0].id.into())
        .await
        .expect("revoke");
    tx.credentials()
        .revoke_for_store(account, store)
        .await
        .expect("rotate");
    tx.commit().await.expect("commit");

    for body in [client_body("João"), client_body("Maria")] {
        let r = post_client(&app, &t, Some("antes"), body).await;
        assert_eq!(r.status, 401, "{}", r.text);
        assert_eq!(r.body["error"]["code"], "UNAUTHORIZED", "{}", r.text);
        assert_eq!(header(&r, "idempotent-replayed"), None);
    }
    for form in [form, "name=Outro&sku=FONE-2"] {
        let r = loja_form(&app, &basic, "antes", "/product/insert", form).await;
        assert_eq!(r.status, 401, "{}", r.text);
        assert_eq!(
            r.text,
            r#"{"success":false,"errors":["Invalid token"],"data":[]}"#
        );
    }
}

/// Counts every claim ever written to `idempotency_keys` (a claim that is
/// released leaves no row behind): a trigger on the test's own database.
async fn count_claims(app: &TestApp) {
    use sqlx::Connection;
    match app.backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&app.database_url)
                .await
                .expect("sqlite");
            for sql in [
                "CREATE TABLE claims_seen (idem_key TEXT NOT NULL)",
                "CREATE TRIGGER count_claims AFTER INSERT ON idempotency_keys \
                 BEGIN INSERT INTO claims_seen VALUES (NEW.idem_key); END",
            ] {
                sqlx::query(sql).execute(&mut c).await.expect(sql);
            }
        }
        Backend::Postgres | Backend::Citus => {
            let mut c = sqlx::PgConnection::connect(&app.database_url)
                .await
                .expect("postgres");
            for sql in [
                "CREATE TABLE claims_seen (idem_key TEXT NOT NULL)",
                "CREATE FUNCTION count_claim() RETURNS trigger LANGUAGE plpgsql AS \
                 $$ BEGIN INSERT INTO claims_seen VALUES (NEW.idem_key); RETURN NEW; END $$",
                "CREATE TRIGGER count_claims AFTER INSERT ON idempotency_keys \
                 FOR EACH ROW EXECUTE FUNCTION count_claim()",
            ] {
                sqlx::query(sql).execute(&mut c).await.expect(sql);
            }
        }
    }
}

/// Keys of every claim written so far.
async fn claims_seen(app: &TestApp) -> Vec<String> {
    use sqlx::Connection;
    let sql = "SELECT idem_key FROM claims_seen ORDER BY idem_key";
    match app.backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&app.database_url)
                .await
                .expect("sqlite");
            sqlx::query_scalar(sql)
                .fetch_all(&mut c)
                .await
                .expect("claims")
        }
        Backend::Postgres | Backend::Citus => {
            let mut c = sqlx::PgConnection::connect(&app.database_url)
                .await
                .expect("postgres");
            sqlx::query_scalar(sql)
                .fetch_all(&mut c)
                .await
                .expect("claims")
        }
    }
}

/// Issue 12, item 7: a keyed request claims its key only once its
/// credential has authenticated and its body fits the endpoint's limit;
/// before, every such request wrote (and deleted) a claim row first.
async fn unauthenticated_keyed_requests_claim_nothing(app: TestApp) {
    count_claims(&app).await;
    let t = app.tenant().await;
    let wrong_key = "Bearer ea_live_nao_existe_0000000000000000000000";
    for (auth, why) in [(None, "no key"), (Some(wrong_key), "a wrong key")] {
        let mut headers = vec![
            ("content-type", "application/json"),
            ("idempotency-key", "sem-chave"),
        ];
        if let Some(auth) = auth {
            headers.push(("authorization", auth));
        }
        let r = app
            .raw(Method::POST, CLIENTS, &headers, client_body("Ana"))
            .await;
        assert_eq!(r.status, 401, "{why}: {}", r.text);
        assert_eq!(r.body["error"]["code"], "UNAUTHORIZED", "{why}");
    }
    let loja = loja_form(
        &app,
        "Basic bm9wZTpub3Bl",
        "sem-token",
        "/brand/insert",
        "name=X",
    )
    .await;
    assert_eq!(
        (loja.status, loja.text.as_str()),
        (
            401,
            r#"{"success":false,"errors":["Invalid token"],"data":[]}"#
        )
    );
    let cart = app
        .raw(
            Method::POST,
            "/cart/addproduct",
            &[
                ("idempotency-key", "sem-jwt"),
                ("content-type", "application/x-www-form-urlencoded"),
            ],
            b"sku=X".to_vec(),
        )
        .await;
    assert_eq!(cart.status, 401, "{}", cart.text);
    // An authenticated request whose body is over the Auto limit (1 MiB)
    // is refused before claiming too.
    let auth = format!("Bearer {}", t.api_key);
    let big = serde_json::to_vec(&json!({"type": "PF", "name": "x".repeat(2 * 1024 * 1024)}))
        .expect("json");
    let r = app
        .raw(
            Method::POST,
            CLIENTS,
            &[
                ("authorization", &auth),
                ("idempotency-key", "grande"),
                ("content-type", "application/json"),
            ],
            big,
        )
        .await;
    assert_eq!(r.status, 413, "{}", &r.text[..r.text.len().min(200)]);
    assert_eq!(r.body["error"]["code"], "PAYLOAD_TOO_LARGE");
    assert_eq!(
        claims_seen(&app).await,
        Vec::<String>::new(),
        "no claim was written"
    );
    assert_eq!(client_names(&app, &t).await, Vec::<String>::new());

    // The counter does count: an authenticated keyed request claims once.
    let ok = post_client(&app, &t, Some("com-chave"), client_body("Ana")).await;
    assert_eq!(ok.status, 201, "{}", ok.text);
    assert_eq!(claims_seen(&app).await, ["com-chave"]);
}

/// Issue 12, item 8: fingerprints are an HMAC under this database's key
/// (not a bare SHA-256 anyone can recompute from a guessed body), and the
/// endpoints whose bodies or answers carry credentials store nothing.
async fn fingerprints_are_keyed_and_credentials_never_stored(app: TestApp) {
    use hmac::{Hmac, Mac};
    use sha2::{Digest, Sha256};
    let t = app.tenant().await;
    let body = client_body("Ana");
    let first = post_client(&app, &t, Some("impressao"), body.clone()).await;
    assert_eq!(first.status, 201, "{}", first.text);
    let rows = stored_rows(&app).await;
    assert_eq!(rows.len(), 1);
    let (scope, key, fingerprint, stored) = &rows[0];
    assert_eq!(key, "impressao");
    assert!(!scope.contains(&t.api_key[8..]), "no secret in the scope");
    let material = [b"POST\n".as_slice(), CLIENTS.as_bytes(), b"\n\n", &body].concat();
    let plain: String = Sha256::digest(&material)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_ne!(fingerprint, &plain, "not a bare SHA-256");
    let secret = server_secret(&app).await;
    assert!(secret.len() >= 32, "a long key");
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&secret).expect("key");
    mac.update(&material);
    let keyed: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(fingerprint, &keyed, "HMAC-SHA256 under the database's key");
    assert_eq!(stored.as_deref(), Some(first.text.as_bytes()));

    // Sign-up, sign-in and webhook registration: the header is ignored.
    let basic = format!("Basic {}", t.loja_token);
    let password = "senha-do-cliente-42";
    let register = format!("type=1&name=Bia&email=bia%40example.com&pass={password}");
    let login = format!("email=bia%40example.com&pass={password}");
    let signed_up = loja_form(&app, &basic, "cadastro", "/client/register", &register).await;
    assert_eq!(signed_up.status, 201, "{}", signed_up.text);
    let mut tokens = Vec::new();
    for _ in 0..2 {
        let r = loja_form(&app, &basic, "entrada", "/Client/ClientLogin", &login).await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(header(&r, "idempotent-replayed"), None, "signs in afresh");
        tokens.push(
            r.body["data"]["token"]
                .as_str()
                .expect("a token")
                .to_owned(),
        );
    }
    let hook = json!({"url": "https://seu-app.com/api/webhooks/ecosys-auto", "events": ["*"]});
    let auth = format!("Bearer {}", t.api_key);
    let mut secrets = Vec::new();
    for _ in 0..2 {
        let r = app
            .raw(
                Method::POST,
                "/api/v1/webhooks",
                &[
                    ("authorization", &auth),
                    ("idempotency-key", "gancho"),
                    ("content-type", "application/json"),
                ],
                serde_json::to_vec(&hook).expect("json"),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        assert_eq!(header(&r, "idempotent-replayed"), None);
        secrets.push(
            r.body["data"]["secret"]
                .as_str()
                .expect("a secret")
                .to_owned(),
        );
    }
    let rows = stored_rows(&app).await;
    assert_eq!(
        rows.iter().map(|r| r.1.as_str()).collect::<Vec<_>>(),
        ["impressao"],
        "nothing stored for credential endpoints"
    );
    let everything = format!("{rows:?}");
    for secret in tokens
        .iter()
        .chain(&secrets)
        .map(String::as_str)
        .chain([password])
    {
        assert!(!everything.contains(secret), "a credential is stored");
    }
}

type Row = (String, String, String, Option<Vec<u8>>);

/// Every row of `idempotency_keys`: scope, key, fingerprint, body.
async fn stored_rows(app: &TestApp) -> Vec<Row> {
    use sqlx::Connection;
    let sql = "SELECT scope, idem_key, fingerprint, body FROM idempotency_keys ORDER BY idem_key";
    match app.backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&app.database_url)
                .await
                .expect("sqlite");
            sqlx::query_as(sql).fetch_all(&mut c).await.expect("rows")
        }
        Backend::Postgres | Backend::Citus => {
            let mut c = sqlx::PgConnection::connect(&app.database_url)
                .await
                .expect("postgres");
            sqlx::query_as(sql).fetch_all(&mut c).await.expect("rows")
        }
    }
}

async fn server_secret(app: &TestApp) -> Vec<u8> {
    use sqlx::Connection;
    let sql = "SELECT secret FROM server_secrets WHERE name = 'idempotency-fingerprint'";
    match app.backend {
        Backend::Sqlite => {
            let mut c = sqlx::SqliteConnection::connect(&app.database_url)
                .await
                .expect("sqlite");
            sqlx::query_scalar(sql)
                .fetch_one(&mut c)
                .await
                .expect("secret")
        }
        Backend::Postgres | Backend::Citus => {
            let mut c = sqlx::PgConnection::connect(&app.database_url)
                .await
                .expect("postgres");
            sqlx::query_scalar(sql)
                .fetch_one(&mut c)
                .await
                .expect("secret")
        }
    }
}

both_backends!(
    unauthenticated_keyed_requests_claim_nothing,
    fingerprints_are_keyed_and_credentials_never_stored,
    revoked_credentials_get_no_stored_answer,
    claims_are_exclusive_and_stale_ones_are_taken_over,
    auto_retry_returns_the_first_answer,
    without_the_header_nothing_changes,
    failures_are_not_stored,
    malformed_keys_are_refused_in_each_envelope,
    concurrent_duplicates_do_the_work_once,
    credentials_have_their_own_keys,
    loja_product_insert_once,
    honoured_across_nodes,
);
