//! Bad input, table-driven: each row names its reason, expects the
//! documented error, and proves nothing was written.

use vitrine_testkit::{both_backends, json, Method, TestApp};

use crate::fixtures::{assert_error, counts, create, joao};

struct Row {
    why: &'static str,
    method: Method,
    path: String,
    body: Vec<u8>,
    status: u16,
    field: &'static str,
    kind: &'static str,
}

fn row(
    why: &'static str,
    method: Method,
    path: &str,
    body: &str,
    status: u16,
    field: &'static str,
    kind: &'static str,
) -> Row {
    Row {
        why,
        method,
        path: path.to_owned(),
        body: body.as_bytes().to_vec(),
        status,
        field,
        kind,
    }
}

async fn bad_input_is_refused_and_writes_nothing(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let client = create(&app, key, "/api/v1/clients", &joao()).await;
    let vehicle = create(
        &app,
        key,
        "/api/v1/vehicles",
        &json!({"title": "Civic", "store_id": t.store_id, "price": 100.00}),
    )
    .await;
    let deal = create(&app, key, "/api/v1/deals", &json!({"title": "Negócio"})).await;
    let s = &t.store_id;
    let long = "x".repeat(256);
    let post = Method::POST;
    let put = Method::PUT;
    let get = Method::GET;
    let rows = vec![
        row(
            "malformed JSON",
            post.clone(),
            "/api/v1/clients",
            r#"{"type": "PF", "name": "#,
            400,
            "body",
            "invalid",
        ),
        row(
            "trailing garbage",
            post.clone(),
            "/api/v1/clients",
            r#"{"type":"PF","name":"A"} x"#,
            400,
            "body",
            "invalid",
        ),
        row(
            "an array body",
            post.clone(),
            "/api/v1/clients",
            r#"[{"type":"PF"}]"#,
            400,
            "body",
            "invalid",
        ),
        row(
            "empty body",
            post.clone(),
            "/api/v1/deals",
            "",
            400,
            "body",
            "invalid",
        ),
        row(
            "missing type",
            post.clone(),
            "/api/v1/clients",
            r#"{"name":"A"}"#,
            400,
            "type",
            "required",
        ),
        row(
            "unknown client type",
            post.clone(),
            "/api/v1/clients",
            r#"{"type":"PX","name":"A"}"#,
            400,
            "type",
            "enum",
        ),
        row(
            "unknown segment",
            post.clone(),
            "/api/v1/clients",
            r#"{"type":"PF","name":"A","segment":"gold"}"#,
            400,
            "segment",
            "enum",
        ),
        row(
            "name as number",
            post.clone(),
            "/api/v1/clients",
            r#"{"type":"PF","name":42}"#,
            400,
            "name",
            "invalid",
        ),
        row(
            "blank name",
            post.clone(),
            "/api/v1/clients",
            r#"{"type":"PF","name":"   "}"#,
            400,
            "name",
            "required",
        ),
        row(
            "name too long",
            post.clone(),
            "/api/v1/clients",
            &format!(r#"{{"type":"PF","name":"{long}"}}"#),
            400,
            "name",
            "max",
        ),
        row(
            "bad e-mail",
            post.clone(),
            "/api/v1/clients",
            r#"{"type":"PF","name":"A","email":"joao"}"#,
            400,
            "email",
            "invalid",
        ),
        row(
            "short CPF",
            post.clone(),
            "/api/v1/clients",
            r#"{"type":"PF","name":"A","cpf":"123.456"}"#,
            400,
            "cpf",
            "invalid",
        ),
        row(
            "impossible birth date",
            post.clone(),
            "/api/v1/clients",
            r#"{"type":"PF","name":"A","birth_date":"1985-02-30"}"#,
            400,
            "birth_date",
            "invalid",
        ),
        row(
            "tags not a list",
            post.clone(),
            "/api/v1/clients",
            r#"{"type":"PF","name":"A","tags":"vip"}"#,
            400,
            "tags",
            "invalid",
        ),
        row(
            "address not an object",
            post.clone(),
            "/api/v1/clients",
            r#"{"type":"PF","name":"A","address":"Rua X"}"#,
            400,
            "address",
            "invalid",
        ),
        row(
            "bad UF",
            post.clone(),
            "/api/v1/clients",
            r#"{"type":"PF","name":"A","address":{"state":"São Paulo"}}"#,
            400,
            "address.state",
            "invalid",
        ),
        row(
            "unknown store on client",
            post.clone(),
            "/api/v1/clients",
            r#"{"type":"PF","name":"A","store_id":"0192f0c2-7a3b-7cde-8f00-00000000abcd"}"#,
            422,
            "store_id",
            "not_found",
        ),
        row(
            "negative price",
            post.clone(),
            "/api/v1/vehicles",
            &format!(r#"{{"title":"A","store_id":"{s}","price":-1}}"#),
            400,
            "price",
            "min",
        ),
        row(
            "price as string",
            post.clone(),
            "/api/v1/vehicles",
            &format!(r#"{{"title":"A","store_id":"{s}","price":"142900.00"}}"#),
            400,
            "price",
            "invalid",
        ),
        row(
            "three decimals",
            post.clone(),
            "/api/v1/vehicles",
            &format!(r#"{{"title":"A","store_id":"{s}","price":1.001}}"#),
            400,
            "price",
            "invalid",
        ),
        row(
            "fractional mileage",
            post.clone(),
            "/api/v1/vehicles",
            &format!(r#"{{"title":"A","store_id":"{s}","mileage":1.5}}"#),
            400,
            "mileage",
            "invalid",
        ),
        row(
            "negative mileage",
            post.clone(),
            "/api/v1/vehicles",
            &format!(r#"{{"title":"A","store_id":"{s}","mileage":-1}}"#),
            400,
            "mileage",
            "min",
        ),
        row(
            "year too old",
            post.clone(),
            "/api/v1/vehicles",
            &format!(r#"{{"title":"A","store_id":"{s}","year_model":1800}}"#),
            400,
            "year_model",
            "min",
        ),
        row(
            "a phase with a control character (open vocabulary, but text)",
            post.clone(),
            "/api/v1/vehicles",
            &format!(r#"{{"title":"A","store_id":"{s}","phase":"pron\u0007to"}}"#),
            400,
            "phase",
            "invalid",
        ),
        row(
            "a vehicle status past 100 characters",
            post.clone(),
            "/api/v1/vehicles",
            &format!(
                r#"{{"title":"A","store_id":"{s}","status":"{}"}}"#,
                "s".repeat(101)
            ),
            400,
            "status",
            "max",
        ),
        row(
            "sold with a phase for sale: status and phase contradict",
            post.clone(),
            "/api/v1/vehicles",
            &format!(r#"{{"title":"A","store_id":"{s}","status":"vendido","phase":"preparacao"}}"#),
            400,
            "phase",
            "invalid",
        ),
        row(
            "a javascript: photo URL",
            post.clone(),
            "/api/v1/vehicles",
            &format!(
                r#"{{"title":"A","store_id":"{s}","photos":["https://x.com/1.jpg","javascript:alert(1)"]}}"#
            ),
            400,
            "photos[1]",
            "invalid",
        ),
        row(
            "a fractional mileage",
            post.clone(),
            "/api/v1/vehicles",
            &format!(r#"{{"title":"A","store_id":"{s}","mileage":18500.5}}"#),
            400,
            "mileage",
            "invalid",
        ),
        row(
            "bad plate",
            post.clone(),
            "/api/v1/vehicles",
            &format!(r#"{{"title":"A","store_id":"{s}","plate":"12345"}}"#),
            400,
            "plate",
            "invalid",
        ),
        row(
            "plate too long",
            post.clone(),
            "/api/v1/vehicles",
            &format!(r#"{{"title":"A","store_id":"{s}","plate":"ABC1D23ABCDE"}}"#),
            400,
            "plate",
            "max",
        ),
        row(
            "store_id as number",
            post.clone(),
            "/api/v1/vehicles",
            r#"{"title":"A","store_id":7}"#,
            400,
            "store_id",
            "invalid",
        ),
        row(
            "unknown store",
            post.clone(),
            "/api/v1/vehicles",
            r#"{"title":"A","store_id":"0192f0c2-7a3b-7cde-8f00-00000000abcd"}"#,
            422,
            "store_id",
            "not_found",
        ),
        row(
            "unknown client",
            post.clone(),
            "/api/v1/vehicles",
            &format!(r#"{{"title":"A","store_id":"{s}","client_id":"cli_abc123def456"}}"#),
            422,
            "client_id",
            "not_found",
        ),
        row(
            "missing title",
            post.clone(),
            "/api/v1/deals",
            r#"{"value":10}"#,
            400,
            "title",
            "required",
        ),
        row(
            "probability over 100",
            post.clone(),
            "/api/v1/deals",
            r#"{"title":"A","probability":101}"#,
            400,
            "probability",
            "max",
        ),
        row(
            "probability as string",
            post.clone(),
            "/api/v1/deals",
            r#"{"title":"A","probability":"40"}"#,
            400,
            "probability",
            "invalid",
        ),
        row(
            "unknown deal status",
            post.clone(),
            "/api/v1/deals",
            r#"{"title":"A","status":"fechado"}"#,
            400,
            "status",
            "enum",
        ),
        row(
            "a blank deal phase",
            post.clone(),
            "/api/v1/deals",
            r#"{"title":"A","phase":"  "}"#,
            400,
            "phase",
            "required",
        ),
        row(
            "a responsible_id that is no user of the account",
            post.clone(),
            "/api/v1/deals",
            r#"{"title":"A","responsible_id":"0192f0c2-7a3b-7cde-8f00-00000000abcd"}"#,
            422,
            "responsible_id",
            "not_found",
        ),
        row(
            "a responsible_id that is not an id",
            post.clone(),
            "/api/v1/activities",
            r#"{"title":"A","responsible_id":"vendedor-42"}"#,
            422,
            "responsible_id",
            "not_found",
        ),
        row(
            "negative value",
            post.clone(),
            "/api/v1/deals",
            r#"{"title":"A","value":-0.01}"#,
            400,
            "value",
            "min",
        ),
        row(
            "unknown client on deal",
            post.clone(),
            "/api/v1/deals",
            r#"{"title":"A","client_id":"0192f0c2-7a3b-7cde-8f00-00000000abcd"}"#,
            422,
            "client_id",
            "not_found",
        ),
        row(
            "unknown vehicle on deal",
            post.clone(),
            "/api/v1/deals",
            r#"{"title":"A","vehicle_id":"uuid-do-veiculo"}"#,
            422,
            "vehicle_id",
            "not_found",
        ),
        row(
            "update: null title",
            put.clone(),
            &format!("/api/v1/vehicles/{vehicle}"),
            r#"{"title":null}"#,
            400,
            "title",
            "required",
        ),
        row(
            "update: negative price",
            put.clone(),
            &format!("/api/v1/vehicles/{vehicle}"),
            r#"{"price":-5,"title":"B"}"#,
            400,
            "price",
            "min",
        ),
        row(
            "update: a number out of range is not read as null",
            put.clone(),
            &format!("/api/v1/vehicles/{vehicle}"),
            r#"{"price":1e309}"#,
            400,
            "price",
            "invalid",
        ),
        row(
            "update: a lone surrogate is not read as null",
            put.clone(),
            &format!("/api/v1/vehicles/{vehicle}"),
            r#"{"title":"\ud800"}"#,
            400,
            "title",
            "invalid",
        ),
        row(
            "update: a lone surrogate in a client field",
            put.clone(),
            &format!("/api/v1/clients/{client}"),
            r#"{"email":"\udc00@x.com"}"#,
            400,
            "email",
            "invalid",
        ),
        row(
            "update: null client type",
            put.clone(),
            &format!("/api/v1/clients/{client}"),
            r#"{"type":null}"#,
            400,
            "type",
            "required",
        ),
        row(
            "update: unknown store",
            put.clone(),
            &format!("/api/v1/vehicles/{vehicle}"),
            r#"{"store_id":"0192f0c2-7a3b-7cde-8f00-00000000abcd"}"#,
            422,
            "store_id",
            "not_found",
        ),
        row(
            "update: bad deal status",
            put.clone(),
            &format!("/api/v1/deals/{deal}"),
            r#"{"status":"won"}"#,
            400,
            "status",
            "enum",
        ),
        row(
            "page=0",
            get.clone(),
            "/api/v1/clients?page=0",
            "",
            400,
            "page",
            "invalid",
        ),
        row(
            "non-numeric page",
            get.clone(),
            "/api/v1/vehicles?page=abc",
            "",
            400,
            "page",
            "invalid",
        ),
        row(
            "limit=0",
            get.clone(),
            "/api/v1/deals?limit=0",
            "",
            400,
            "limit",
            "invalid",
        ),
        row(
            "unknown sort",
            get.clone(),
            "/api/v1/clients?sort=password",
            "",
            400,
            "sort",
            "enum",
        ),
        row(
            "unknown type filter",
            get.clone(),
            "/api/v1/clients?type=PX",
            "",
            400,
            "type",
            "enum",
        ),
        row(
            "a filter the vehicle list does not support",
            get.clone(),
            "/api/v1/vehicles?status=ativo&body_type=suv",
            "",
            400,
            "body_type",
            "invalid",
        ),
        row(
            "a misspelt client filter",
            get.clone(),
            "/api/v1/clients?segmnet=vip",
            "",
            400,
            "segmnet",
            "invalid",
        ),
        row(
            "search on the financial list, which has none",
            get.clone(),
            "/api/v1/financial?search=x",
            "",
            400,
            "search",
            "invalid",
        ),
        row(
            "sort on the stores list, which has none",
            get.clone(),
            "/api/v1/stores?sort=name",
            "",
            400,
            "sort",
            "invalid",
        ),
        row(
            "non-numeric year filter",
            get.clone(),
            "/api/v1/vehicles?year_min=novo",
            "",
            400,
            "year_min",
            "invalid",
        ),
        row(
            "negative price filter",
            get.clone(),
            "/api/v1/vehicles?price_min=-1",
            "",
            400,
            "price_min",
            "invalid",
        ),
    ];
    let before = counts(&app, &t.account_id).await;
    let snapshot = [
        format!("/api/v1/clients/{client}"),
        format!("/api/v1/vehicles/{vehicle}"),
        format!("/api/v1/deals/{deal}"),
    ];
    let mut was = Vec::new();
    for p in &snapshot {
        was.push(app.auto(key, Method::GET, p, None).await.body);
    }
    let auth = format!("Bearer {key}");
    for r in &rows {
        let reply = app
            .raw(
                r.method.clone(),
                &r.path,
                &[
                    ("authorization", &auth),
                    ("content-type", "application/json"),
                ],
                r.body.clone(),
            )
            .await;
        assert_error(
            &reply,
            r.status,
            "VALIDATION_ERROR",
            Some(r.field),
            Some(r.kind),
            r.why,
        );
    }
    assert_eq!(
        counts(&app, &t.account_id).await,
        before,
        "nothing was written"
    );
    for (p, w) in snapshot.iter().zip(&was) {
        assert_eq!(
            &app.auto(key, Method::GET, p, None).await.body,
            w,
            "{p} unchanged"
        );
    }

    // An enum problem names the accepted values (§3.4 `details.allowed`),
    // in the first problem and in the list; a filter the list does not
    // read names the ones it does.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/deals",
            Some(&json!({"title": "A", "status": "fechado"})),
        )
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("status"),
        Some("enum"),
        "deal status",
    );
    assert_eq!(
        reply.body["error"]["details"]["allowed"],
        json!(["ativo", "ganho", "perdido", "arquivado"])
    );
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/deals",
            Some(&json!({"title": "A", "probability": 101, "status": "fechado"})),
        )
        .await;
    let details = &reply.body["error"]["details"];
    assert_eq!(details["type"], "max", "{}", reply.text);
    assert!(
        details.get("allowed").is_none(),
        "only enum problems carry allowed: {}",
        reply.text
    );
    assert!(
        details["errors"][0].get("allowed").is_none(),
        "{}",
        reply.text
    );
    assert_eq!(
        details["errors"][1]["allowed"],
        json!(["ativo", "ganho", "perdido", "arquivado"])
    );
    let reply = app
        .auto(key, Method::GET, "/api/v1/financial?type=lucro", None)
        .await;
    assert_eq!(
        reply.body["error"]["details"]["allowed"],
        json!(["revenue", "expense", "cost"])
    );
    let reply = app
        .auto(key, Method::GET, "/api/v1/vehicles?body_type=suv", None)
        .await;
    assert_eq!(
        reply.body["error"]["message"],
        "Parâmetro 'body_type' não é um filtro desta lista; aceitos: status, phase, brand, model, fuel, transmission, color, year_min, year_max, price_min, price_max, store_id, client_id, search, page, limit, sort"
    );
    assert_eq!(reply.body["error"]["details"]["allowed"][0], "status");

    // Every problem at once: the first is the message, all are listed.
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/vehicles",
            Some(&json!({"price": -1, "mileage": "muito", "phase": "x\u{1}"})),
        )
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("title"),
        Some("required"),
        "several problems",
    );
    assert_eq!(
        reply.body["error"]["message"],
        "Campo 'title' é obrigatório"
    );
    let fields: Vec<&str> = reply.body["error"]["details"]["errors"]
        .as_array()
        .expect("all problems")
        .iter()
        .map(|e| e["field"].as_str().expect("field"))
        .collect();
    assert_eq!(fields, ["title", "store_id", "price", "mileage", "phase"]);

    // limit=1000 is clamped, not refused; GET with a JSON content type and no body is fine.
    let reply = app
        .raw(
            Method::GET,
            "/api/v1/vehicles?limit=1000",
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            Vec::new(),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["pagination"]["limit"], 100);
    let reply = app.auto(key, Method::GET, "/api/v1/clients?", None).await;
    assert_eq!(reply.status, 200, "an empty query string");
    // DELETE with the JS client's JSON content type and no body (G26).
    let reply = app
        .raw(
            Method::DELETE,
            &format!("/api/v1/deals/{deal}"),
            &[
                ("authorization", &auth),
                ("content-type", "application/json"),
            ],
            Vec::new(),
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.body["data"]["status"], "arquivado");
    // An unknown id with a bad body is still 404, not 400.
    let reply = app
        .raw(
            Method::PUT,
            "/api/v1/clients/0192f0c2-7a3b-7cde-8f00-00000000abcd",
            &[("authorization", &auth)],
            b"[]".to_vec(),
        )
        .await;
    assert_error(&reply, 404, "NOT_FOUND", None, None, "unknown id, bad body");
}

/// A NUL in a body string or a query value (found by schemathesis:
/// PostgreSQL refused it with a 500) is a 400 naming the field, on both
/// backends, and writes nothing.
async fn nul_characters_are_invalid(app: TestApp) {
    let t = app.tenant().await;
    let key = &t.api_key;
    let before = counts(&app, &t.account_id).await;
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PF", "name": "Jo\u{0}ão"})),
        )
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("name"),
        Some("invalid"),
        "NUL in a body",
    );
    let reply = app
        .auto(
            key,
            Method::POST,
            "/api/v1/clients",
            Some(&json!({"type": "PF", "name": "João", "address": {"city": "a\u{0}"}})),
        )
        .await;
    assert_error(
        &reply,
        400,
        "VALIDATION_ERROR",
        Some("address"),
        Some("invalid"),
        "NUL nested",
    );
    assert_eq!(counts(&app, &t.account_id).await, before, "nothing written");
    for path in ["/api/v1/clients?search=%00", "/api/v1/vehicles?brand=a%00b"] {
        let reply = app.auto(key, Method::GET, path, None).await;
        assert_eq!(reply.status, 400, "{path}: {}", reply.text);
        assert_eq!(reply.body["error"]["code"], "VALIDATION_ERROR");
    }
}

both_backends!(
    bad_input_is_refused_and_writes_nothing,
    nul_characters_are_invalid
);
