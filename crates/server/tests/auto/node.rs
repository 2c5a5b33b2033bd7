//! The quickstart's JavaScript `EcosysAutoClient`, unchanged, run by
//! `node` (global `fetch`, v18+) against the spawned server: only its base
//! URL differs from the documented one.

use std::path::Path;

use vitrine_testkit::{both_backends, json, TestApp, Value};

async fn quickstart_js_client_works_unchanged(app: TestApp) {
    let t = app.tenant().await;
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/auto/node");
    let output = tokio::process::Command::new("node")
        .arg("driver.js")
        .current_dir(&dir)
        .env("ECOSYS_AUTO_BASE_URL", format!("{}/api/v1", app.base_url))
        .env("ECOSYS_AUTO_API_KEY", &t.api_key)
        .env("ECOSYS_AUTO_STORE_ID", &t.store_id)
        .output()
        .await
        .expect("node runs (v20 is required on the machine)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "node failed: {stderr}\n{stdout}");
    let out: Value = serde_json::from_str(stdout.trim()).expect("the driver prints JSON");

    let cliente = &out["criado"]["cliente"];
    let veiculo = &out["criado"]["veiculo"];
    assert_eq!(cliente["name"], "Maria Santos");
    assert_eq!(cliente["status"], "active");
    assert_eq!(veiculo["store_id"], t.store_id);
    assert_eq!(veiculo["client_id"], cliente["id"]);
    assert_eq!(
        veiculo["client"],
        json!({"id": cliente["id"], "name": "Maria Santos"})
    );
    assert_eq!(veiculo["price"], json!(165000));
    assert_eq!(veiculo["mileage"], 0);
    assert_eq!(veiculo["phase"], "entrada");
    assert_eq!(out["clientes"]["success"], true);
    assert_eq!(out["clientes"]["data"][0]["id"], cliente["id"]);
    assert_eq!(
        out["clientes"]["pagination"],
        json!({"page": 1, "limit": 20, "total": 1, "pages": 1})
    );
    assert_eq!(out["filtrados"]["data"], json!([]), "Maria has no segment");
    assert_eq!(out["veiculos"]["data"][0]["id"], veiculo["id"]);
    assert_eq!(out["veiculos"]["data"][0]["client"]["name"], "Maria Santos");
    assert_eq!(out["atualizado"]["price"], json!(159900));
    assert_eq!(out["atualizado"]["title"], "Toyota Corolla XEi 2.0 2025");
    assert_eq!(out["negocio"]["status"], "ativo");
    assert_eq!(
        out["negocio"]["title"],
        "Venda Toyota Corolla 2025 — Maria Santos"
    );
    assert_eq!(out["ganho"]["status"], "ganho");
    assert_eq!(out["ganho"]["value"], json!(158000));
    assert_eq!(out["perdido"]["status"], "perdido");
    assert_eq!(out["perdido"]["loss_reason"], "Cliente desistiu");
    assert_eq!(
        out["erro"], "Campo 'title' é obrigatório",
        "the client surfaces our message"
    );
    assert!(
        out["duplicado"].as_str().is_some_and(|m| m.contains("cpf")),
        "{}",
        out["duplicado"]
    );

    // State read back through the store.
    let account = t.account_id.parse().expect("account");
    let id = veiculo["id"]
        .as_str()
        .expect("id")
        .parse()
        .expect("vehicle id");
    let stored = app
        .store
        .conn()
        .await
        .expect("conn")
        .vehicles()
        .get(account, id)
        .await
        .expect("stored");
    assert_eq!(stored.vehicle.price.map(|p| p.cents()), Some(15_990_000));
    assert_eq!(stored.client_name.as_deref(), Some("Maria Santos"));
}

both_backends!(quickstart_js_client_works_unchanged);
