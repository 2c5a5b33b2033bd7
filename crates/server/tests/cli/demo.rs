//! `serve --demo` (issue 16, item 24), with the built binary as a new user
//! runs it: the credentials are printed once, indented, followed by a note
//! on keeping them, and work on both APIs and the panel; the demo data
//! fills the screens (clients, a stock with photos vitrine serves itself,
//! the pipeline, activities, financial records with margins, a shop with
//! images and a paid order, a webhook endpoint); the quickstart still
//! works on it; a restart prints nothing secret and no secret is stored.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use vitrine_testkit::{Backend, TestDb};

use crate::first_run::sign_in;
use crate::{database_contents, free_port, Server, BIN};

/// What one `serve --demo` printed, with the server still running.
struct DemoRun {
    server: Server,
    stdout: String,
    stderr: String,
}

/// Starts `vitrine serve --demo` with stdout and stderr going to files
/// outside the data dir (as `> credenciais-demo.json` would), and waits
/// until it answers. The credentials are printed before it listens, so by
/// then both files hold everything the demo printed.
async fn serve_demo(db: &TestDb, out_dir: &Path, run: &str) -> DemoRun {
    let port = free_port();
    let (out, err) = (
        out_dir.join(format!("{run}.out")),
        out_dir.join(format!("{run}.err")),
    );
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--demo", "--listen", &format!("127.0.0.1:{port}")])
        .env("VITRINE_DATA_DIR", db.data_dir.path())
        .env_remove("VITRINE_DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::from(
            std::fs::File::create(&out).expect("stdout file"),
        ))
        .stderr(Stdio::from(
            std::fs::File::create(&err).expect("stderr file"),
        ));
    if let Some(url) = &db.database_url {
        cmd.env("VITRINE_DATABASE_URL", url);
    }
    let mut child = cmd.spawn().expect("serve starts");
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while reqwest::get(format!("{base}/healthz")).await.is_err() {
        assert!(Instant::now() < deadline, "server did not come up");
        assert!(
            child.try_wait().expect("wait").is_none(),
            "server exited early: {}",
            std::fs::read_to_string(&err).unwrap_or_default()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    DemoRun {
        server: Server { child, base },
        stdout: std::fs::read_to_string(&out).expect("stdout"),
        stderr: std::fs::read_to_string(&err).expect("stderr"),
    }
}

fn field<'a>(creds: &'a Value, name: &str) -> &'a str {
    creds[name]
        .as_str()
        .unwrap_or_else(|| panic!("{name} missing"))
}

/// Every file under `dir`, as text.
fn files_under(dir: &Path) -> String {
    let mut all = String::new();
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            all.push_str(&files_under(&path));
        } else if let Ok(bytes) = std::fs::read(&path) {
            all.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    all
}

async fn get_json(http: &reqwest::Client, url: &str, auth: (&str, &str)) -> Value {
    let r = http
        .get(url)
        .header(auth.0, auth.1)
        .send()
        .await
        .expect("request");
    assert_eq!(r.status(), 200, "{url}");
    r.json().await.expect("json")
}

/// A Loja number (rendered as a string) as an integer.
fn loja_int(v: &Value) -> i64 {
    v.as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| v.to_string())
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {v}"))
}

pub(crate) async fn demo_prints_pretty_credentials_once_that_work_everywhere(backend: Backend) {
    let db = vitrine_testkit::database(backend).await;
    let out = tempfile::tempdir().expect("temp dir");
    let mut run = serve_demo(&db, out.path(), "first").await;

    // Pretty JSON on stdout, alone: it can be redirected to a file.
    assert!(
        run.stdout.starts_with("{\n  \"account_id\": \""),
        "{}",
        run.stdout
    );
    let creds: Value = serde_json::from_str(&run.stdout).expect("stdout is one JSON object");
    let base = run.server.base.clone();
    let expected = [
        "account_id",
        "store_id",
        "user_email",
        "api_key",
        "client_id",
        "client_secret",
        "loja_token",
        "user_password",
        "api_base_url",
        "loja_base_url",
        "loja_customer_email",
        "loja_customer_password",
        "panel_url",
        "docs_url",
    ];
    let obj = creds.as_object().expect("an object");
    assert_eq!(obj.keys().map(String::as_str).collect::<Vec<_>>(), expected);
    assert!(obj.values().all(Value::is_string));
    assert_eq!(creds["panel_url"], format!("{base}/painel"));
    assert_eq!(creds["api_base_url"], format!("{base}/api/v1"));
    // The note, in Portuguese, on stderr after the JSON.
    for part in [
        "aparecem só esta vez",
        "gerenciador de senhas",
        "vitrine serve --demo > credenciais-demo.json",
        "users reset-password --email demo@vitrine.local",
    ] {
        assert!(run.stderr.contains(part), "{part}: {}", run.stderr);
    }

    let http = reqwest::Client::new();
    let api_key = field(&creds, "api_key");
    let bearer = format!("Bearer {api_key}");
    let stores = get_json(
        &http,
        &format!("{base}/api/v1/stores"),
        ("Authorization", &bearer),
    )
    .await;
    assert_eq!(stores["data"][0]["id"], creds["store_id"]);
    let token = field(&creds, "loja_token");
    let design = get_json(
        &http,
        &format!("{base}/design/getDesignforProducts"),
        ("Authorization", token),
    )
    .await;
    assert_eq!(design["success"], true, "{design}");
    // The shop's customer signs in on the Loja API.
    let login: Value = http
        .post(format!("{base}/client/clientlogin"))
        .header("Authorization", format!("Basic {token}"))
        .form(&[
            ("email", field(&creds, "loja_customer_email")),
            ("pass", field(&creds, "loja_customer_password")),
        ])
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    assert_eq!(login["data"]["name"], "Fernanda Rocha Lima", "{login}");
    assert_eq!(
        login["data"]["token"]
            .as_str()
            .map(|t| t.matches('.').count()),
        Some(2),
        "a JWT"
    );
    // And the owner signs in to the panel.
    assert!(
        sign_in(
            &base,
            field(&creds, "user_email"),
            field(&creds, "user_password")
        )
        .await
        .is_some(),
        "the panel password works"
    );

    // No secret printed is stored in clear: not in the database, not in
    // the data dir (media, SQLite files).
    let stored = format!(
        "{}{}",
        database_contents(&db).await,
        files_under(db.data_dir.path())
    );
    assert!(
        stored.contains(field(&creds, "client_id")),
        "the dump sees the data"
    );
    for secret in [
        &api_key[8..],
        field(&creds, "client_secret"),
        token,
        field(&creds, "user_password"),
        field(&creds, "loja_customer_password"),
    ] {
        assert!(!stored.contains(secret), "a secret is stored in clear");
    }

    // SIGTERM, then start again: nothing printed, the key still works.
    let pid = run.server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill")
        .success());
    assert!(run.server.child.wait().expect("exits").success());
    let again = serve_demo(&db, out.path(), "second").await;
    assert_eq!(again.stdout, "", "a database with data prints nothing");
    assert!(
        !again.stderr.contains("aparecem só esta vez"),
        "{}",
        again.stderr
    );
    for secret in [api_key, field(&creds, "user_password")] {
        assert!(!again.stderr.contains(secret));
    }
    let r = http
        .get(format!("{}/api/v1/stores", again.server.base))
        .bearer_auth(api_key)
        .send()
        .await
        .expect("stores");
    assert_eq!(r.status(), 200, "the demo key survives a restart");
}

pub(crate) async fn demo_data_fills_the_screens(backend: Backend) {
    let db = vitrine_testkit::database(backend).await;
    let out = tempfile::tempdir().expect("temp dir");
    let run = serve_demo(&db, out.path(), "demo").await;
    let creds: Value = serde_json::from_str(&run.stdout).expect("credentials");
    let base = run.server.base.clone();
    let http = reqwest::Client::new();
    let bearer = format!("Bearer {}", field(&creds, "api_key"));
    let auto = |path: &str| {
        let (http, bearer, url) = (http.clone(), bearer.clone(), format!("{base}/api/v1{path}"));
        async move { get_json(&http, &url, ("Authorization", &bearer)).await }
    };

    // Clients PF and PJ, with phones and cities.
    let clients = auto("/clients?limit=100").await;
    let rows = clients["data"].as_array().expect("clients");
    assert_eq!(rows.len(), 12);
    for kind in ["PF", "PJ"] {
        assert!(rows.iter().any(|c| c["type"] == kind), "{kind}");
    }
    assert!(rows
        .iter()
        .all(|c| c["phone"].is_string() && c["address"]["city"].is_string()));

    // The stock: both plate formats, purchase prices, several stages; the
    // cars sold by the demo's sales are `vendido` (the stock followed).
    let vehicles = auto("/vehicles?limit=100").await;
    let rows = vehicles["data"].as_array().expect("vehicles");
    assert_eq!(rows.len(), 14, "{vehicles}");
    let plates: Vec<&str> = rows.iter().filter_map(|v| v["plate"].as_str()).collect();
    assert!(
        plates.contains(&"FQA-3817") && plates.contains(&"RTA2E47"),
        "{plates:?}"
    );
    assert!(rows
        .iter()
        .all(|v| v["purchase_price"].is_number() && v["mileage"].is_number()));
    let sold = rows.iter().filter(|v| v["status"] == "vendido").count();
    assert_eq!(sold, 6);
    assert!(rows
        .iter()
        .filter(|v| v["status"] == "vendido")
        .all(|v| v["phase"] == "vendido"));
    for phase in ["entrada", "preparacao", "anunciado", "reservado"] {
        assert!(rows.iter().any(|v| v["phase"] == phase), "{phase}");
    }

    // Every photo is a URL of this server, served as an image.
    let photos: Vec<String> = rows
        .iter()
        .flat_map(|v| v["photos"].as_array().cloned().unwrap_or_default())
        .filter_map(|p| p.as_str().map(str::to_owned))
        .collect();
    assert_eq!(photos.len(), 28);
    for url in &photos {
        assert!(url.starts_with(&format!("{base}/media/")), "{url}");
        let r = http.get(url).send().await.expect("photo");
        assert_eq!(r.status(), 200, "{url}");
        assert_eq!(r.headers()["content-type"], "image/png");
        let bytes = r.bytes().await.expect("bytes");
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{url}");
    }

    // The pipeline: every known phase open, one won, one lost.
    let deals = auto("/deals?limit=100").await;
    let rows = deals["data"].as_array().expect("deals");
    for phase in [
        "lead",
        "contato",
        "visita",
        "test_drive",
        "proposta",
        "negociacao",
        "fechamento",
    ] {
        assert!(
            rows.iter()
                .any(|d| d["phase"] == phase && d["status"] == "ativo"),
            "{phase}"
        );
    }
    let won = rows
        .iter()
        .find(|d| d["status"] == "ganho")
        .expect("a won deal");
    assert!(won["won_at"].is_string() && won["value"].is_number());
    let lost = rows
        .iter()
        .find(|d| d["status"] == "perdido")
        .expect("a lost deal");
    assert!(lost["loss_reason"].is_string());

    // Activities: overdue, pending, done.
    // (Late at night the day's remaining activities are overdue too.)
    let overdue = auto("/activities?overdue=true").await;
    let titles: Vec<&str> = overdue["data"]
        .as_array()
        .expect("overdue")
        .iter()
        .filter_map(|a| a["title"].as_str())
        .collect();
    for title in [
        "Retornar a ligação sobre a troca do Fit",
        "Enviar a proposta da frota por e-mail",
    ] {
        assert!(titles.contains(&title), "{title}: {overdue}");
    }
    let done = auto("/activities?status=completed").await;
    assert_eq!(done["pagination"]["total"], 3);
    let pending = auto("/activities?status=pending").await;
    assert_eq!(pending["pagination"]["total"], 7);

    // Financial: six sold cars with known margins, a pending receivable.
    let summary = auto("/financial/summary").await;
    let margins = summary["data"]["vehicles"].as_array().expect("margins");
    assert_eq!(margins.len(), 6, "{summary}");
    assert!(margins
        .iter()
        .all(|m| m["margin"].as_f64().is_some_and(|v| v > 0.0)));
    assert!(
        summary["data"]["pending"]["revenue"]
            .as_f64()
            .is_some_and(|v| v > 0.0),
        "{summary}"
    );
    assert!(summary["data"]["expense"].as_f64().is_some_and(|v| v > 0.0));

    // A webhook endpoint, off, with the sales it follows queued.
    let hooks = auto("/webhooks").await;
    let hook = &hooks["data"][0];
    assert_eq!(hook["active"], false, "{hooks}");
    assert_eq!(hook["url"], "https://erp.example.com/webhooks/vitrine");
    assert_eq!(hook["events"], json!(["deal.won", "vehicle.sold"]));
    let id = hook["id"].as_str().expect("id");
    let deliveries = auto(&format!("/webhooks/{id}/deliveries")).await;
    assert_eq!(
        deliveries["pagination"]["total"], 7,
        "six cars sold, one deal won"
    );

    // The shop: a product with its image, in its category; the paid
    // order took its units from the stock.
    let token = field(&creds, "loja_token");
    let loja = |path: &str| {
        let (http, url) = (http.clone(), format!("{base}{path}"));
        let auth = format!("Basic {token}");
        async move { get_json(&http, &url, ("Authorization", &auth)).await }
    };
    let wax = loja("/product/findbysku?sku=ACS-CERA-300").await;
    assert_eq!(
        wax["data"]["name"], "Cera de Carnaúba Automotiva 300 g",
        "{wax}"
    );
    assert_eq!(
        loja_int(&wax["data"]["stock"]),
        40 - 2,
        "the paid order took 2"
    );
    let images = loja("/image/findbyproductsku?product_sku=ACS-CERA-300").await;
    let image = images["data"][0]["image"].as_str().expect("an image");
    let r = http.get(image).send().await.expect("image");
    assert_eq!(r.status(), 200, "{image}");
    assert_eq!(r.headers()["content-type"], "image/png");
    let orders = loja("/order/findbyfilter").await;
    let statuses: Vec<i64> = orders["data"]
        .as_array()
        .expect("orders")
        .iter()
        .map(|o| loja_int(&o["status"]))
        .collect();
    assert_eq!(statuses.len(), 2, "{orders}");
    assert!(statuses.contains(&3), "a paid order: {statuses:?}");

    // The panel shows the stock, each car with its photos.
    let panel = sign_in(
        &base,
        field(&creds, "user_email"),
        field(&creds, "user_password"),
    )
    .await
    .expect("signed in");
    let page = |path: String| {
        let panel = panel.clone();
        async move {
            let r = panel.get(path).send().await.expect("page");
            assert_eq!(r.status(), 200);
            r.text().await.expect("html")
        }
    };
    let list = page(format!("{base}/painel/veiculos")).await;
    for title in [
        "Honda HR-V EXL 1.5 Turbo 2023",
        "Fiat Toro Volcano 2.0 Diesel 4x4 2021",
    ] {
        assert!(list.contains(title), "{title}");
    }
    let first = &vehicles["data"][0];
    let detail = page(format!(
        "{base}/painel/veiculos/{}",
        first["id"].as_str().expect("id")
    ))
    .await;
    for photo in first["photos"].as_array().expect("photos") {
        assert!(detail.contains(photo.as_str().expect("url")), "{photo}");
    }
    let products = page(format!(
        "{base}/painel/lojas/{}/produtos",
        field(&creds, "store_id")
    ))
    .await;
    assert!(products.contains("Caneta de Retoque de Pintura Preto Ninja"));
    let summary_page = page(format!("{base}/painel/financeiro/resumo")).await;
    assert!(summary_page.contains("<svg"), "the charts are drawn");
}

pub(crate) async fn quickstart_succeeds_on_a_demo_server(backend: Backend) {
    let db = vitrine_testkit::database(backend).await;
    let out = tempfile::tempdir().expect("temp dir");
    let run = serve_demo(&db, out.path(), "demo").await;
    let creds: Value = serde_json::from_str(&run.stdout).expect("credentials");
    let api = field(&creds, "api_base_url").to_owned();
    let http = reqwest::Client::new();
    let key = field(&creds, "api_key");
    let post = |path: &str, body: Value| {
        let req = http
            .post(format!("{api}{path}"))
            .bearer_auth(key)
            .json(&body);
        async move {
            let r = req.send().await.expect("post");
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.expect("json"))
        }
    };

    // The quickstart (seed 000), step by step, with the demo's store id.
    let (status, client) = post(
        "/clients",
        json!({"type": "PF", "name": "João da Silva", "email": "joao.silva@email.com",
               "cpf": "123.456.789-00", "phone": "+55 11 99999-8888", "segment": "premium"}),
    )
    .await;
    assert_eq!(status, 201, "{client}");
    let client_id = client["data"]["id"].as_str().expect("id");
    let (status, vehicle) = post(
        "/vehicles",
        json!({"title": "Honda Civic EXL 2.0 2024", "store_id": creds["store_id"], "brand": "Honda",
               "model": "Civic", "version": "EXL 2.0 Flex", "year_model": 2024, "year_manufacture": 2023,
               "price": 142900.00, "purchase_price": 125000.00, "mileage": 18500, "color": "Preto",
               "fuel": "flex", "transmission": "automatico", "plate": "ABC1D23", "client_id": client_id}),
    )
    .await;
    assert_eq!(status, 201, "{vehicle}");
    let (status, deal) = post(
        "/deals",
        json!({"title": "Venda Honda Civic 2024 — João da Silva", "value": 142900.00, "phase": "lead",
               "probability": 40, "client_id": client_id, "source": "showroom", "tags": ["civic", "premium"]}),
    )
    .await;
    assert_eq!(status, 201, "{deal}");
    let listed: Value = http
        .get(format!("{api}/vehicles?status=ativo"))
        .bearer_auth(key)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert!(listed["data"]
        .as_array()
        .expect("vehicles")
        .iter()
        .any(|v| v["id"] == vehicle["data"]["id"]));
    let won: Value = http
        .put(format!(
            "{api}/deals/{}",
            deal["data"]["id"].as_str().expect("id")
        ))
        .bearer_auth(key)
        .json(&json!({"status": "ganho", "value": 140000.00}))
        .send()
        .await
        .expect("win")
        .json()
        .await
        .expect("json");
    assert_eq!(won["data"]["status"], "ganho", "{won}");
    // The end-to-end example's client and vehicle.
    let (status, maria) = post(
        "/clients",
        json!({"type": "PF", "name": "Maria Santos", "email": "maria@email.com", "cpf": "987.654.321-00"}),
    )
    .await;
    assert_eq!(status, 201, "{maria}");
    let (status, corolla) = post(
        "/vehicles",
        json!({"title": "Toyota Corolla XEi 2.0 2025", "brand": "Toyota", "model": "Corolla",
               "version": "XEi 2.0 Flex", "year_model": 2025, "price": 165000.00, "mileage": 0,
               "store_id": creds["store_id"], "client_id": maria["data"]["id"]}),
    )
    .await;
    assert_eq!(status, 201, "{corolla}");
}
