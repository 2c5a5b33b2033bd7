//! The administrative subcommands (ARCHITECTURE.md, "The interface contract").
//! Secrets are printed once, here, and stored only as hashes.

use std::fmt::Write as _;

use anyhow::{anyhow, bail, Context};
use serde_json::{json, Value};
use vitrine_app::tenancy as tenants;
use vitrine_core::credentials::random_base62;
use vitrine_core::ids::{AccountId, ApiKeyId, StoreId};
use vitrine_core::tenancy::{self, BootstrapPlan, BootstrapRequest};
use vitrine_core::FieldError;
use vitrine_store::Store;

use crate::config::{
    AdminCommand, DatasetCommand, DbArgs, KeysCommand, StoresCommand, UsersCommand,
};

/// Opens the database and applies migrations.
pub async fn open(db: &DbArgs, max_connections: u32) -> anyhow::Result<Store> {
    let url = db.url()?;
    let store = Store::connect(&url, max_connections)
        .await
        .with_context(|| format!("cannot open database {}", crate::config::redact_url(&url)))?;
    store.migrate().await.context("cannot apply migrations")?;
    Ok(store)
}

/// The seven fields of `admin bootstrap --json` (and of `serve --demo`).
pub fn bootstrap_json(plan: &BootstrapPlan) -> Value {
    json!({
        "account_id": plan.account_id.to_string(),
        "store_id": plan.store_id.to_string(),
        "user_email": plan.email,
        "api_key": plan.api_key.secret.plaintext,
        "client_id": plan.credentials.client_id,
        "client_secret": plan.credentials.client_secret.plaintext,
        "loja_token": plan.credentials.loja_token(),
    })
}

/// Creates a tenant in one transaction (`vitrine_app::tenancy::bootstrap`,
/// also behind `serve --demo` and the dataset generator).
pub async fn bootstrap(store: &Store, req: &BootstrapRequest) -> anyhow::Result<BootstrapPlan> {
    tenants::bootstrap(store, req.clone())
        .await
        .map_err(|e| match e {
            vitrine_app::Error::Conflict(p) if p.field == "email" => {
                let email =
                    tenancy::normalize_email(&req.email).unwrap_or_else(|| req.email.clone());
                anyhow!("a user with email {email} already exists")
            }
            other => failure(other),
        })
}

/// A use case's refusal as a line for the terminal.
fn failure(e: vitrine_app::Error) -> anyhow::Error {
    match e {
        vitrine_app::Error::Invalid(problems) | vitrine_app::Error::Rule(problems) => {
            anyhow!(describe(&problems))
        }
        vitrine_app::Error::Conflict(problem) => anyhow!(describe(&[problem])),
        other => anyhow::Error::new(other),
    }
}

fn describe(problems: &[FieldError]) -> String {
    problems
        .iter()
        .map(|p| format!("{}: {}", p.field, p.message))
        .collect::<Vec<_>>()
        .join("; ")
}

fn account_id(raw: &str) -> anyhow::Result<AccountId> {
    raw.parse()
        .map_err(|_| anyhow!("--account must be an account id (a UUID), got {raw:?}"))
}

/// Fails with "account … does not exist" unless it does.
async fn existing_account(db: &Store, account: AccountId) -> anyhow::Result<()> {
    match db.conn().await?.accounts().get(account).await {
        Ok(_) => Ok(()),
        Err(vitrine_store::Error::NotFound) => bail!("account {account} does not exist"),
        Err(e) => Err(e.into()),
    }
}

fn print(json_out: bool, value: &Value, text: impl FnOnce() -> String) {
    if json_out {
        println!("{value}");
    } else {
        print!("{}", text());
    }
}

/// `vitrine admin …`
pub async fn admin(cmd: AdminCommand) -> anyhow::Result<()> {
    match cmd {
        AdminCommand::Bootstrap {
            db,
            account,
            store,
            email,
            password,
            json,
        } => {
            let db = open(&db, 2).await?;
            let req = BootstrapRequest {
                account_name: account,
                store_name: store,
                email,
                password,
            };
            let result = bootstrap(&db, &req).await;
            db.close().await;
            let plan = result?;
            let value = bootstrap_json(&plan);
            print(json, &value, || {
                let mut out = String::from("Account created. Secrets below are shown only once.\n");
                if let Value::Object(map) = &value {
                    for (k, v) in map {
                        let _ = writeln!(out, "{k}: {}", v.as_str().unwrap_or_default());
                    }
                }
                out
            });
            Ok(())
        }
    }
}

/// `vitrine keys …`
pub async fn keys(cmd: KeysCommand) -> anyhow::Result<()> {
    match cmd {
        KeysCommand::Create {
            db,
            account,
            name,
            json,
        } => {
            let account = account_id(&account)?;
            let db = open(&db, 2).await?;
            existing_account(&db, account).await?;
            let mut tx = db.begin().await?;
            let (row, key) = tenants::create_key(&mut tx, account, &name)
                .await
                .map_err(failure)?;
            tx.commit().await?;
            db.close().await;
            let value = json!({"id": row.id.to_string(), "name": row.name, "api_key": key.secret.plaintext});
            print(json, &value, || {
                format!(
                    "API key created (shown only once):\n{}\nid: {}\n",
                    key.secret.plaintext, row.id
                )
            });
        }
        KeysCommand::List { db, account, json } => {
            let account = account_id(&account)?;
            let db = open(&db, 2).await?;
            existing_account(&db, account).await?;
            let keys = db.conn().await?.api_keys().list(account).await?;
            db.close().await;
            let rows: Vec<Value> = keys
                .iter()
                .map(|k| {
                    json!({
                        "id": k.id.to_string(),
                        "name": k.name,
                        "prefix": k.display_prefix,
                        "created_at": k.created_at.to_rfc3339(),
                        "last_used_at": k.last_used_at.map(|t| t.to_rfc3339()),
                        "revoked_at": k.revoked_at.map(|t| t.to_rfc3339()),
                    })
                })
                .collect();
            print(json, &Value::Array(rows), || {
                keys.iter().fold(String::new(), |mut out, k| {
                    let state = if k.revoked_at.is_some() {
                        "revoked"
                    } else {
                        "active"
                    };
                    let _ = writeln!(
                        out,
                        "{}  {}…  {}  {}",
                        k.id, k.display_prefix, state, k.name
                    );
                    out
                })
            });
        }
        KeysCommand::Revoke { db, account, key } => {
            let account = account_id(&account)?;
            let key: ApiKeyId = key
                .parse()
                .map_err(|_| anyhow!("--key must be a key id (a UUID)"))?;
            let db = open(&db, 2).await?;
            let mut tx = db.begin().await?;
            let result = tenants::revoke_key(&mut tx, account, key).await;
            if result.is_ok() {
                tx.commit().await?;
            } else {
                // Rolled back, and its connection back in the pool before
                // the pool closes.
                drop(tx);
            }
            db.close().await;
            match result {
                Ok(_) => println!("revoked {key}"),
                Err(vitrine_app::Error::NotFound) => {
                    bail!("key {key} not found in account {account}")
                }
                Err(e) => return Err(failure(e)),
            }
        }
    }
    Ok(())
}

/// `vitrine stores …`
pub async fn stores(cmd: StoresCommand) -> anyhow::Result<()> {
    match cmd {
        StoresCommand::Create {
            db,
            account,
            name,
            json,
        } => {
            let account = account_id(&account)?;
            let name = tenancy::parse_name("name", &name)
                .map_err(|e| failure(vitrine_app::Error::from(e)))?;
            let db = open(&db, 2).await?;
            existing_account(&db, account).await?;
            let mut tx = db.begin().await?;
            let store = tenants::create_store(&mut tx, account, &name)
                .await
                .map_err(failure)?;
            let creds = tenants::rotate_credentials(&mut tx, account, StoreId(store.id))
                .await
                .map_err(failure)?
                .credentials;
            tx.commit().await?;
            db.close().await;
            let value = json!({
                "store_id": store.id.to_string(),
                "name": store.name,
                "client_id": creds.client_id,
                "client_secret": creds.client_secret.plaintext,
                "loja_token": creds.loja_token(),
            });
            print(json, &value, || {
                format!(
                    "store {} created\nclient_id: {}\nclient_secret (shown once): {}\nloja_token: {}\n",
                    store.id,
                    creds.client_id,
                    creds.client_secret.plaintext,
                    creds.loja_token()
                )
            });
        }
        StoresCommand::List { db, account, json } => {
            let account = account_id(&account)?;
            let db = open(&db, 2).await?;
            existing_account(&db, account).await?;
            let stores = db.conn().await?.stores().list(account).await?;
            db.close().await;
            let rows: Vec<Value> = stores
                .iter()
                .map(|s| json!({"id": s.id.to_string(), "name": s.name, "created_at": s.created_at.to_rfc3339()}))
                .collect();
            print(json, &Value::Array(rows), || {
                stores.iter().fold(String::new(), |mut out, s| {
                    let _ = writeln!(out, "{}  {}", s.id, s.name);
                    out
                })
            });
        }
        StoresCommand::RotateCredentials {
            db,
            account,
            store,
            json,
        } => {
            let account = account_id(&account)?;
            let store: StoreId = store
                .parse()
                .map_err(|_| anyhow!("--store must be a store id (a UUID)"))?;
            let db = open(&db, 2).await?;
            let mut tx = db.begin().await?;
            let creds = match tenants::rotate_credentials(&mut tx, account, store).await {
                Ok(rotated) => rotated.credentials,
                Err(vitrine_app::Error::NotFound) => {
                    bail!("store {store} not found in account {account}")
                }
                Err(e) => return Err(failure(e)),
            };
            tx.commit().await?;
            db.close().await;
            let value = json!({
                "store_id": store.to_string(),
                "client_id": creds.client_id,
                "client_secret": creds.client_secret.plaintext,
                "loja_token": creds.loja_token(),
            });
            print(json, &value, || {
                format!(
                    "client_id: {}\nclient_secret (shown once): {}\nloja_token: {}\n",
                    creds.client_id,
                    creds.client_secret.plaintext,
                    creds.loja_token()
                )
            });
        }
    }
    Ok(())
}

/// Length of a generated password (base62 characters, ~95 bits).
const GENERATED_PASSWORD_LEN: usize = 16;

/// `vitrine users …`
pub async fn users(cmd: UsersCommand) -> anyhow::Result<()> {
    match cmd {
        UsersCommand::ResetPassword {
            db,
            email,
            password,
            json,
        } => {
            let email = tenancy::normalize_email(&email)
                .ok_or_else(|| anyhow!("--email must be an email address, got {email:?}"))?;
            let generated = password.is_none();
            let password = password.unwrap_or_else(|| random_base62(GENERATED_PASSWORD_LEN));
            tenancy::check_password(&password).map_err(|p| anyhow!("--password: {}", p.message))?;
            let db = open(&db, 2).await?;
            let result = reset_password(&db, &email, password.clone()).await;
            db.close().await;
            let ended = result?;
            let value = json!({
                "email": email,
                "password": generated.then_some(password.as_str()),
                "sessions_ended": ended,
            });
            print(json, &value, || {
                let mut out = format!("Password of {email} reset; {ended} session(s) ended.\n");
                if generated {
                    let _ = writeln!(
                        out,
                        "New password (shown only once; change it after signing in, at /painel/senha): {password}"
                    );
                }
                out
            });
        }
    }
    Ok(())
}

/// Sets the user's new password and ends all their sessions, in one
/// transaction (`vitrine_app::tenancy::reset_password`); returns how many
/// sessions ended.
pub async fn reset_password(db: &Store, email: &str, password: String) -> anyhow::Result<u64> {
    match tenants::reset_password(db, email, password).await {
        Err(vitrine_app::Error::NotFound) => bail!("no panel user has the email {email}"),
        other => other.map_err(failure),
    }
}

/// `vitrine dataset …`: prints the generated tenants' credentials as JSON.
pub async fn dataset(cmd: DatasetCommand) -> anyhow::Result<()> {
    let (db, out) = match cmd {
        DatasetCommand::Vehicles {
            db,
            accounts,
            vehicles,
        } => {
            let store = open(&db, 4).await?;
            let out = crate::dataset::vehicles(&store, accounts, vehicles).await;
            (store, out)
        }
        DatasetCommand::Catalog { db, products } => {
            let store = open(&db, 4).await?;
            let out = crate::dataset::catalog(&store, products).await;
            (store, out)
        }
    };
    // Statistics for the new rows, so the first benchmark run plans with them.
    let analysed = db.optimize().await;
    db.close().await;
    analysed?;
    println!("{}", out?);
    Ok(())
}
