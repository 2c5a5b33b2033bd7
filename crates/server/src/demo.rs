//! `serve --demo`: on an empty database, a demo tenant whose credentials are
//! printed once; on a database with data, nothing secret is printed.

use serde_json::Value;
use vitrine_core::credentials::random_base62;
use vitrine_core::tenancy::BootstrapRequest;
use vitrine_store::Store;

use crate::cli;

/// Creates the demo tenant if the database has no account. Returns the JSON
/// to print (with the generated panel password), or `None` when it did nothing.
pub async fn seed_if_empty(store: &Store, base_url: &str) -> anyhow::Result<Option<Value>> {
    if store.conn().await?.accounts().count().await? > 0 {
        return Ok(None);
    }
    let password = random_base62(16);
    let req = BootstrapRequest {
        account_name: "Demo".to_owned(),
        store_name: "Loja Demo".to_owned(),
        email: "demo@vitrine.local".to_owned(),
        password: password.clone(),
    };
    let plan = cli::bootstrap(store, &req).await?;
    let mut out = cli::bootstrap_json(&plan);
    if let Value::Object(map) = &mut out {
        map.insert("user_password".to_owned(), Value::String(password));
        map.insert(
            "api_base_url".to_owned(),
            Value::String(format!("{base_url}/api/v1")),
        );
        map.insert(
            "loja_base_url".to_owned(),
            Value::String(base_url.to_owned()),
        );
        map.insert(
            "panel_url".to_owned(),
            Value::String(format!("{base_url}/painel")),
        );
    }
    Ok(Some(out))
}
