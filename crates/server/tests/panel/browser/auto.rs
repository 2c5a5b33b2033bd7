//! The journey's Auto screens: Veículos (list, a form refused by core's
//! plate rule, then saved), Financeiro's summary with its charts, and the
//! Webhooks deliveries log, with screenshots, on a desktop and a phone.

use fantoccini::{Client, Locator};
use serde_json::json;
use vitrine_testkit::{Method, TestApp};

use super::{click, shot, type_into, wait_text};

async fn api(app: &TestApp, key: &str, path: &str, body: serde_json::Value) -> String {
    let reply = app.auto(key, Method::POST, path, Some(&body)).await;
    assert_eq!(reply.status, 201, "{path}: {}", reply.text);
    reply.body["data"]["id"].as_str().expect("id").to_owned()
}

/// Walks the Auto screens as the signed-in owner of `key`'s account.
pub async fn screens(c: &Client, app: &TestApp, base: &str, key: &str) {
    let stores = app.auto(key, Method::GET, "/api/v1/stores", None).await;
    let store = stores.body["data"][0]["id"]
        .as_str()
        .expect("store")
        .to_owned();
    api(
        app,
        key,
        "/api/v1/webhooks",
        json!({"url": "http://127.0.0.1:9/hook", "events": ["vehicle.*", "financial.*"]}),
    )
    .await;
    let compass = api(app, key, "/api/v1/vehicles", json!({"title": "Jeep Compass Longitude 2022", "store_id": store, "brand": "Jeep", "year_model": 2022, "price": 179900, "purchase_price": 150000, "plate": "JEE2P22", "status": "vendido"})).await;
    let onix = api(app, key, "/api/v1/vehicles", json!({"title": "Chevrolet Onix LT 2021", "store_id": store, "brand": "Chevrolet", "year_model": 2021, "price": 72900, "purchase_price": 64000, "status": "vendido"})).await;
    for (category, amount, vehicle) in [
        ("venda-veiculo", 179_900, Some(&compass)),
        ("funilaria", 3_200, Some(&compass)),
        ("venda-veiculo", 62_000, Some(&onix)),
        ("aluguel", 8_000, None),
        ("comissao", 2_500, None),
    ] {
        let kind = match category {
            "venda-veiculo" | "comissao" => "revenue",
            "aluguel" => "expense",
            _ => "cost",
        };
        api(app, key, "/api/v1/financial", json!({"type": kind, "category": category, "amount": amount, "status": "paid", "vehicle_id": vehicle})).await;
    }

    // Veículos: the list, then a new one refused for its plate and saved.
    c.goto(&format!("{base}/painel/veiculos"))
        .await
        .expect("vehicles");
    wait_text(c, &format!("//tr[@id='veiculo-{onix}']")).await;
    click(c, "novo-veiculo").await;
    type_into(c, "v-title", "Toyota Corolla XEi 2.0 2023").await;
    type_into(c, "v-brand", "Toyota").await;
    type_into(c, "v-year-model", "2023").await;
    type_into(c, "v-price", "142.900,00").await;
    type_into(c, "v-fipe-code", "002161-7").await;
    type_into(c, "v-fipe-price", "142.350,00").await;
    type_into(c, "v-plate", "ABCD123").await;
    click(c, "salvar-veiculo").await;
    wait_text(
        c,
        "//p[@data-field='plate' and contains(., 'Placa não é uma placa em formato válido')]",
    )
    .await;
    wait_text(
        c,
        "//div[@id='erros']//li[contains(., 'placa em formato válido')]",
    )
    .await;
    shot(c, "auto-02-veiculo-formulario.png").await;
    type_into(c, "v-plate", "BRA2E19").await;
    click(c, "salvar-veiculo").await;
    wait_text(c, "//h1[contains(., 'Toyota Corolla XEi 2.0 2023')]").await;
    let listed = app
        .auto(key, Method::GET, "/api/v1/vehicles?search=corolla", None)
        .await;
    assert_eq!(
        listed.body["data"][0]["plate"], "BRA2E19",
        "{}",
        listed.text
    );
    assert_eq!(listed.body["data"][0]["fipe_price"], json!(142350.0));
    // 142.900,00 typed the Brazilian way is R$ 142.900,00 (not R$ 142,90),
    // shown so on the vehicle's page and back in its form.
    assert_eq!(
        listed.body["data"][0]["price"],
        json!(142900.0),
        "{}",
        listed.text
    );
    wait_text(c, "//div[@id='flash']/p[text()='Veículo criado.']").await;
    wait_text(c, "//table[@id='veiculo']//td[text()='R$ 142.900,00']").await;
    click(c, "editar-veiculo").await;
    let price = c
        .wait()
        .for_element(Locator::Id("v-price"))
        .await
        .expect("price field")
        .prop("value")
        .await
        .expect("value");
    assert_eq!(price.as_deref(), Some("142.900,00"));
    c.goto(&format!("{base}/painel/veiculos"))
        .await
        .expect("vehicles");
    wait_text(c, "//td/a[text()='Toyota Corolla XEi 2.0 2023']").await;
    shot(c, "auto-01-veiculos.png").await;

    // Financeiro: the summary's charts.
    c.goto(&format!("{base}/painel/financeiro/resumo"))
        .await
        .expect("summary");
    wait_text(c, "//*[local-name()='svg' and @id='grafico-mensal']").await;
    wait_text(c, &format!("//tr[@id='margem-{compass}']")).await;
    shot(c, "auto-03-financeiro-resumo.png").await;
    c.execute(
        "document.getElementById('grafico-mensal').parentElement.scrollIntoView()",
        vec![],
    )
    .await
    .expect("scroll to the charts");
    shot(c, "auto-04-financeiro-graficos.png").await;

    // Lançamentos and Atividades.
    c.goto(&format!("{base}/painel/financeiro"))
        .await
        .expect("records");
    wait_text(c, "//table[@id='lancamentos']").await;
    shot(c, "auto-09-financeiro-lancamentos.png").await;
    c.goto(&format!("{base}/painel/atividades"))
        .await
        .expect("activities");
    click(c, "nova-atividade").await;
    type_into(c, "a-title", "Ligar para o comprador do Compass").await;
    // The client picker refills as one types (the embedded script).
    type_into(c, "a-client-busca", "souza").await;
    wait_text(
        c,
        "//select[@id='a-client']/option[contains(., 'Maria Souza')]",
    )
    .await;
    click(c, "criar-atividade").await;
    wait_text(c, "//td[contains(., 'Ligar para o comprador do Compass')]").await;
    wait_text(c, "//div[@id='flash']/p[text()='Atividade criada.']").await;
    shot(c, "auto-10-atividades.png").await;

    // Webhooks: the endpoint and its deliveries, one sent again.
    c.goto(&format!("{base}/painel/webhooks"))
        .await
        .expect("webhooks");
    wait_text(c, "//td/a/code[text()='http://127.0.0.1:9/hook']").await;
    shot(c, "auto-05-webhooks.png").await;
    c.find(Locator::XPath(
        "//td/a[code[text()='http://127.0.0.1:9/hook']]",
    ))
    .await
    .expect("webhook link")
    .click()
    .await
    .expect("open webhook");
    wait_text(c, "//table[@id='entregas']//button[text()='Reenviar']").await;
    c.find(Locator::XPath(
        "//table[@id='entregas']//button[text()='Reenviar']",
    ))
    .await
    .expect("Reenviar")
    .click()
    .await
    .expect("redeliver");
    wait_text(c, "//table[@id='entregas']").await;
    shot(c, "auto-06-webhook-entregas.png").await;

    // The same on a phone.
    c.set_window_size(390, 844).await.expect("phone size");
    c.goto(&format!("{base}/painel/veiculos"))
        .await
        .expect("vehicles");
    shot(c, "auto-07-veiculos-celular.png").await;
    c.goto(&format!("{base}/painel/financeiro/resumo"))
        .await
        .expect("summary");
    shot(c, "auto-08-financeiro-celular.png").await;
    c.execute(
        "document.getElementById('grafico-mensal').parentElement.scrollIntoView()",
        vec![],
    )
    .await
    .expect("scroll to the chart");
    shot(c, "auto-11-financeiro-grafico-celular.png").await;
    c.set_window_size(1280, 900).await.expect("desktop size");
}
