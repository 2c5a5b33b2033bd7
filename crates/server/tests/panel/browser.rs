//! End to end in headless Chromium (Debian's `chromium` and
//! `chromium-driver`), driven over WebDriver with fantoccini: the panel as
//! a person uses it from the first run on, checked against the APIs its secrets open. One test
//! function, so the browser starts once. Screenshots of the main screens go
//! to `target/screenshots/`.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use vitrine_core::ids::AccountId;
use vitrine_testkit::{Backend, Method, TestApp};

use crate::deals::{deal_via_api, deal_via_api_get};

mod auto;

const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const CHROMIUM: &str = "/usr/bin/chromium";

/// chromedriver as a child process, killed when the test ends however it ends.
struct Driver {
    child: Child,
    port: u16,
    _profile: tempfile::TempDir,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

impl Driver {
    fn start() -> Self {
        for (path, package) in [(CHROMEDRIVER, "chromium-driver"), (CHROMIUM, "chromium")] {
            assert!(
                Path::new(path).exists(),
                "{path} is missing: the browser test needs the Debian packages chromium and \
                 chromium-driver (apt-get install -y chromium chromium-driver; scripts/test \
                 installs them). Missing package: {package}"
            );
        }
        let port = free_port();
        let child = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {CHROMEDRIVER}: {e}"));
        let driver = Self {
            child,
            port,
            _profile: tempfile::Builder::new()
                .prefix("vitrine-chromium-")
                .tempdir()
                .expect("profile dir"),
        };
        // chromedriver binds its port shortly after starting; wait for the
        // port to accept (a readiness check, not a fixed sleep).
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
            assert!(
                Instant::now() < deadline,
                "chromedriver did not listen on {port}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        driver
    }

    async fn browser(&self) -> Client {
        let profile = self._profile.path().display().to_string();
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-proxy-server",
                    "--window-size=1280,900", format!("--user-data-dir={profile}"),
                ],
            },
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!("a JSON object literal")
        };
        ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{}", self.port))
            .await
            .unwrap_or_else(|e| panic!("chromium did not start under chromedriver: {e}"))
    }
}

fn screenshots_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"));
    let dir = target.join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshots dir");
    dir
}

async fn shot(c: &Client, name: &str) {
    let png = c.screenshot().await.expect("screenshot");
    std::fs::write(screenshots_dir().join(name), png).expect("write screenshot");
}

/// Waits until `#id` holds a value other than `not` (the page after a post).
async fn value_of(c: &Client, id: &str, not: Option<&str>) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        if let Ok(el) = c.find(Locator::Id(id)).await {
            if let Ok(Some(value)) = el.prop("value").await {
                if !value.is_empty() && Some(value.as_str()) != not {
                    return value;
                }
            }
        }
        assert!(Instant::now() < deadline, "#{id} never showed a new value");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn click(c: &Client, id: &str) {
    c.wait()
        .for_element(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"))
        .click()
        .await
        .unwrap_or_else(|e| panic!("click #{id}: {e}"));
}

async fn type_into(c: &Client, id: &str, text: &str) {
    let el = c
        .wait()
        .for_element(Locator::Id(id))
        .await
        .unwrap_or_else(|e| panic!("#{id}: {e}"));
    el.clear().await.expect("clear");
    el.send_keys(text).await.expect("type");
}

async fn wait_text(c: &Client, xpath: &str) {
    c.wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|e| panic!("{xpath}: {e}"));
}

async fn journey(c: Client, app: TestApp) {
    let base = app.base_url.clone();
    let (email, password) = ("dona@revenda.com.br", "senha-forte-do-teste");

    // First run: the empty database sends the visitor to sign-up.
    c.goto(&format!("{base}/painel")).await.expect("open panel");
    type_into(&c, "account", "Revenda Aurora").await;
    type_into(&c, "store", "Matriz").await;
    type_into(&c, "email", email).await;
    type_into(&c, "password", password).await;
    type_into(&c, "password-confirm", password).await;
    shot(&c, "00-primeiro-acesso.png").await;
    click(&c, "cadastrar").await;
    let first_key = value_of(&c, "new-api-key", None).await;
    shot(&c, "01-conta-criada.png").await;
    assert_eq!(
        app.auto(&first_key, Method::GET, "/api/v1/clients", None)
            .await
            .status,
        200
    );
    let mut conn = app.store.conn().await.expect("conn");
    let owner = conn
        .users()
        .find_by_email(email)
        .await
        .expect("lookup")
        .expect("owner");
    drop(conn);
    let account = AccountId(owner.account_id);

    // Sign out, then sign in as a returning user.
    c.goto(&format!("{base}/painel")).await.expect("open panel");
    click(&c, "sair").await;
    type_into(&c, "email", email).await;
    type_into(&c, "password", password).await;
    shot(&c, "02-entrar.png").await;
    click(&c, "entrar").await;
    wait_text(&c, "//h1[contains(., 'Lojas')]").await;

    // Create a store; its id is on the page with a copy button.
    type_into(&c, "store-name", "Filial Centro").await;
    click(&c, "criar-loja").await;
    wait_text(&c, "//td/a[text()='Filial Centro']").await;
    let mut conn = app.store.conn().await.expect("conn");
    let stores = conn.stores().list(account).await.expect("stores");
    drop(conn);
    let filial = stores
        .iter()
        .find(|s| s.name == "Filial Centro")
        .expect("store created")
        .id
        .to_string();
    assert!(c.source().await.expect("source").contains(&filial));
    let copy = format!("//button[@data-copy='store-id-{filial}']");
    c.find(Locator::XPath(&copy))
        .await
        .expect("copy button")
        .click()
        .await
        .expect("copy");
    wait_text(&c, &format!("{copy}[text()='Copiado!']")).await;
    shot(&c, "03-lojas.png").await;

    // Create an API key, read it once, use it.
    c.goto(&format!("{base}/painel/configuracoes/api-keys"))
        .await
        .expect("keys");
    type_into(&c, "key-name", "Integração ERP").await;
    click(&c, "criar-chave").await;
    let key = value_of(&c, "new-api-key", None).await;
    assert!(key.starts_with("ea_live_"), "{key}");
    shot(&c, "04-api-key-criada.png").await;
    assert_eq!(
        app.auto(&key, Method::GET, "/api/v1/clients", None)
            .await
            .status,
        200
    );
    c.goto(&format!("{base}/painel/configuracoes/api-keys"))
        .await
        .expect("keys");
    assert!(
        !c.source().await.expect("source").contains(&key),
        "shown only once"
    );

    // Revoke it in the browser, confirming on the page that asks first;
    // the API refuses it.
    click(&c, &format!("revogar-{}", &key[..14])).await;
    wait_text(&c, "//h2[contains(., 'Revogar a chave')]").await;
    click(&c, "confirmar-revogacao").await;
    wait_text(&c, "//div[@id='flash'][contains(., 'revogada')]").await;
    wait_text(&c, "//span[contains(., 'Revogada em')]").await;
    shot(&c, "05-api-keys.png").await;
    assert_eq!(
        app.auto(&key, Method::GET, "/api/v1/clients", None)
            .await
            .status,
        401
    );

    // Store credentials: generate, use, rotate, the old token is refused.
    c.goto(&format!("{base}/painel/lojas/{filial}/api"))
        .await
        .expect("store api");
    click(&c, "gerar-credenciais").await;
    let first = value_of(&c, "loja-token", None).await;
    shot(&c, "06-credenciais-loja.png").await;
    let found = app.loja_get(&first, "/product/findbysku?sku=X").await;
    assert_ne!(found.status, 401, "{}", found.text);
    click(&c, "gerar-credenciais").await;
    wait_text(&c, "//h2[contains(., 'Rotacionar as credenciais')]").await;
    click(&c, "confirmar-rotacao").await;
    let second = value_of(&c, "loja-token", Some(&first)).await;
    assert_eq!(
        app.loja_get(&first, "/product/findbysku?sku=X")
            .await
            .status,
        401
    );
    assert_ne!(
        app.loja_get(&second, "/product/findbysku?sku=X")
            .await
            .status,
        401
    );

    // Negócios: a deal made through the API is on the board; move it to
    // another column and mark it won in the browser, then read it back.
    let deal = deal_via_api(&app, &first_key, "Corolla XEi 2024").await;
    c.goto(&format!("{base}/painel/negocios"))
        .await
        .expect("kanban");
    wait_text(
        &c,
        &format!("//section[@id='fase-lead']//article[@id='deal-{deal}']"),
    )
    .await;
    c.find(Locator::Id(&format!("phase-{deal}")))
        .await
        .expect("phase select")
        .select_by_value("proposta")
        .await
        .expect("choose phase");
    click(&c, &format!("mover-{deal}")).await;
    wait_text(
        &c,
        &format!("//section[@id='fase-proposta']//article[@id='deal-{deal}']"),
    )
    .await;
    assert_eq!(
        deal_via_api_get(&app, &first_key, &deal).await["phase"],
        "proposta"
    );
    shot(&c, "09-negocios.png").await;
    // Ganho asks first: the confirmation page holds the value typed on the card.
    type_into(&c, &format!("value-{deal}"), "139.500,00").await;
    click(&c, &format!("ganho-{deal}")).await;
    wait_text(&c, "//h1[contains(., 'Marcar como ganho?')]").await;
    assert_eq!(value_of(&c, "confirm-value", None).await, "139.500,00");
    assert_eq!(
        deal_via_api_get(&app, &first_key, &deal).await["status"],
        "ativo",
        "asking changes nothing"
    );
    shot(&c, "10-negocios-confirmar-ganho.png").await;
    click(&c, "confirmar-ganho").await;
    wait_text(
        &c,
        &format!("//section[@id='fechados']//article[@id='deal-{deal}']"),
    )
    .await;
    wait_text(
        &c,
        "//div[@id='flash']/p[text()='Negócio marcado como ganho.']",
    )
    .await;
    let won = deal_via_api_get(&app, &first_key, &deal).await;
    assert_eq!(won["status"], "ganho");
    assert_eq!(won["value"], json!(139500.0));
    assert!(won["won_at"].is_string(), "{won}");
    shot(&c, "10-negocios-ganho.png").await;

    // Clientes in strict mode: a CPF with wrong check digits is refused on
    // the page and nothing is written.
    c.goto(&format!("{base}/painel/configuracoes/conta"))
        .await
        .expect("account");
    let strict = c
        .wait()
        .for_element(Locator::Id("strict-documents"))
        .await
        .expect("strict checkbox");
    if strict.prop("checked").await.expect("checked").as_deref() != Some("true") {
        strict.click().await.expect("tick");
    }
    click(&c, "salvar-conta").await;
    wait_text(&c, "//input[@id='strict-documents' and @checked]").await;
    let mut conn = app.store.conn().await.expect("conn");
    assert!(
        conn.accounts()
            .get(account)
            .await
            .expect("account")
            .strict_documents
    );
    drop(conn);
    c.goto(&format!("{base}/painel/clientes"))
        .await
        .expect("clients");
    click(&c, "novo-cliente").await;
    type_into(&c, "client-name", "João da Silva").await;
    type_into(&c, "client-document", "12345678900").await;
    assert_eq!(
        c.find(Locator::Id("client-document"))
            .await
            .expect("document")
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some("123.456.789-00"),
        "the mask shapes the CPF"
    );
    click(&c, "criar-cliente").await;
    wait_text(
        &c,
        "//div[@id='erros']//li[contains(., 'CPF tem dígitos verificadores de CPF inválidos')]",
    )
    .await;
    wait_text(
        &c,
        "//p[@data-field='cpf' and contains(., 'dígitos verificadores de CPF inválidos')]",
    )
    .await;
    shot(&c, "11-clientes-cpf-invalido.png").await;
    let clients = app
        .auto(&first_key, Method::GET, "/api/v1/clients", None)
        .await;
    assert_eq!(clients.status, 200, "{}", clients.text);
    assert!(!clients.text.contains("João da Silva"), "nothing written");
    assert!(clients.text.contains("Maria Souza"), "{}", clients.text);

    auto::screens(&c, &app, &base, &first_key).await;
    crate::browser_loja::loja_screens(&c, &app, &filial, &second).await;

    // The same screens on a phone.
    c.set_window_size(390, 844).await.expect("phone size");
    c.goto(&format!("{base}/painel/configuracoes/lojas"))
        .await
        .expect("stores");
    shot(&c, "07-lojas-celular.png").await;
    c.goto(&format!("{base}/painel/configuracoes/api-keys"))
        .await
        .expect("keys");
    shot(&c, "08-api-keys-celular.png").await;
    c.goto(&format!("{base}/painel/negocios"))
        .await
        .expect("kanban");
    shot(&c, "12-negocios-celular.png").await;

    // Sign out.
    click(&c, "sair").await;
    wait_text(&c, "//button[@id='entrar']").await;
}

#[tokio::test]
async fn panel_in_headless_chromium() {
    let driver = Driver::start();
    let browser = driver.browser().await;
    let app = vitrine_testkit::spawn(Backend::Sqlite).await;
    // Run the journey as a task so a failed assertion still closes the
    // browser session before chromedriver is killed.
    let outcome = tokio::spawn(journey(browser.clone(), app)).await;
    let _ = browser.close().await;
    drop(driver);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
