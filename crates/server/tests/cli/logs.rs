//! Secrets never reach the logs: the built server at `debug` level, used
//! with every kind of secret (API key, store token in a header and as a
//! parameter, customer password and JWT, panel password and session, a key
//! created in the panel), then its whole output searched for each of them.

use std::fs::File;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine as _;
use reqwest::redirect::Policy;
use serde_json::{json, Value};
use vitrine_testkit::Backend;

use crate::{bootstrap, free_port, stdout_json, Server, BIN};

/// The `value` of the hidden CSRF field in a panel page.
fn csrf_of(page: &str) -> String {
    let at = page.find("name=\"csrf\"").expect("a csrf field");
    let tag_start = page[..at].rfind("<input").expect("input tag");
    let tag = &page[tag_start..tag_start + page[tag_start..].find('>').expect("tag end")];
    let value = tag.split("value=\"").nth(1).expect("value");
    value[..value.find('"').expect("quote")].to_owned()
}

pub(crate) async fn secrets_never_reach_the_logs(backend: Backend) {
    let db = vitrine_testkit::database(backend).await;
    let creds = stdout_json(&bootstrap(&db, "dona@revenda.com.br"));
    let text = |k: &str| creds[k].as_str().expect(k).to_owned();
    let (api_key, client_secret, loja_token) =
        (text("api_key"), text("client_secret"), text("loja_token"));

    let log_path = db.data_dir.path().join("server.log");
    let log = File::create(&log_path).expect("log file");
    let port = free_port();
    let mut cmd = Command::new(BIN);
    cmd.args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .env("VITRINE_DATA_DIR", db.data_dir.path())
        .env_remove("VITRINE_DATABASE_URL")
        .env("RUST_LOG", "debug")
        .stdout(Stdio::from(log.try_clone().expect("log")))
        .stderr(Stdio::from(log));
    if let Some(url) = &db.database_url {
        cmd.env("VITRINE_DATABASE_URL", url);
    }
    let mut server = Server {
        child: cmd.spawn().expect("serve starts"),
        base: format!("http://127.0.0.1:{port}"),
    };
    let base = server.base.clone();
    let http = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .expect("client");
    let deadline = Instant::now() + Duration::from_secs(30);
    while http.get(format!("{base}/healthz")).send().await.is_err() {
        assert!(Instant::now() < deadline, "server did not come up");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Auto API: the key, and a wrong key of the right shape.
    let wrong_key = format!("ea_live_{}", "Zz9".repeat(12));
    for key in [&api_key, &wrong_key] {
        http.get(format!("{base}/api/v1/stores"))
            .bearer_auth(key)
            .send()
            .await
            .expect("auto call");
    }
    // Loja API: the token as a header, and as the `token` parameter.
    let r = http
        .get(format!("{base}/design/getDesignforProducts"))
        .header("Authorization", format!("Basic {loja_token}"))
        .send()
        .await
        .expect("loja call");
    assert_eq!(r.status(), 200);
    http.get(format!(
        "{base}/product/findbysku?sku=NADA&token={loja_token}"
    ))
    .send()
    .await
    .expect("loja call");
    // A customer: registered and logged in with a password, then the JWT.
    let customer_pass = "cliente-senha-secreta-42";
    let r = http
        .post(format!("{base}/client/register"))
        .header("Authorization", &loja_token)
        .form(&[
            ("name", "Cliente Sigiloso"),
            ("email", "sigilo@example.com"),
            ("pass", customer_pass),
            ("type", "1"),
            ("cpf", "529.982.247-25"),
            ("cep", "01310-100"),
            ("street", "Avenida Paulista"),
            ("number", "1000"),
            ("neighborhood", "Bela Vista"),
            ("city", "São Paulo"),
            ("state", "SP"),
            ("country", "Brasil"),
        ])
        .send()
        .await
        .expect("register");
    assert_eq!(r.status(), 201);
    let login: Value = http
        .post(format!("{base}/client/clientlogin"))
        .header("Authorization", &loja_token)
        .form(&[("email", "sigilo@example.com"), ("pass", customer_pass)])
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    let jwt = login["data"]["token"].as_str().expect("a jwt").to_owned();
    http.post(format!("{base}/cart/addproduct"))
        .bearer_auth(&jwt)
        .json(&json!({"sku": "NADA", "quantity": 1}))
        .send()
        .await
        .expect("cart call");
    // The panel: sign in with the password, create an API key there.
    let page = http
        .get(format!("{base}/painel/entrar"))
        .send()
        .await
        .expect("sign-in page")
        .text()
        .await
        .expect("html");
    let signed = http
        .post(format!("{base}/painel/entrar"))
        .form(&[
            ("csrf", csrf_of(&page).as_str()),
            ("email", "dona@revenda.com.br"),
            ("password", "senha-segura-1"),
        ])
        .send()
        .await
        .expect("sign in");
    assert_eq!(signed.status(), 303, "signed in");
    let session = signed
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|c| c.split(';').next()?.strip_prefix("vitrine_session="))
        .map(str::to_owned)
        .expect("a session cookie");
    let page = http
        .get(format!("{base}/painel/configuracoes/api-keys"))
        .send()
        .await
        .expect("keys page")
        .text()
        .await
        .expect("html");
    let created = http
        .post(format!("{base}/painel/configuracoes/api-keys"))
        .form(&[("csrf", csrf_of(&page).as_str()), ("name", "Integração")])
        .send()
        .await
        .expect("create key")
        .text()
        .await
        .expect("html");
    let panel_key = created
        .split("ea_live_")
        .nth(1)
        .map(|rest| {
            let end = rest
                .find(|c: char| !c.is_ascii_alphanumeric())
                .unwrap_or(rest.len());
            format!("ea_live_{}", &rest[..end])
        })
        .expect("the new key is shown once");

    let pid = server.child.id().to_string();
    let _ = Command::new("kill").args(["-TERM", &pid]).status();
    let _ = server.child.wait();
    let logged = std::fs::read_to_string(&log_path).expect("log");

    // The log is really there and really at debug level.
    assert!(logged.contains("/api/v1/stores"), "requests are logged");
    assert!(
        logged.contains("/client/clientlogin"),
        "requests are logged"
    );
    assert!(logged.contains("DEBUG"), "debug level is on:\n{logged}");
    let b64 = base64::engine::general_purpose::STANDARD;
    let secrets = [
        ("API key", api_key.clone()),
        ("wrong API key", wrong_key),
        ("API key created in the panel", panel_key),
        ("client secret", client_secret),
        ("store token", loja_token),
        ("customer password", customer_pass.to_owned()),
        ("customer JWT", jwt.clone()),
        (
            "customer JWT signature",
            jwt.rsplit('.').next().expect("sig").to_owned(),
        ),
        ("panel password", "senha-segura-1".to_owned()),
        ("panel session", session),
        ("API key in base64", b64.encode(&api_key)),
    ];
    for (what, secret) in secrets {
        assert!(secret.len() >= 12, "{what} is a real secret");
        assert!(
            !logged.contains(&secret),
            "the {what} appears in the server log"
        );
    }
}
