//! Accounts: the tenants.

use chrono::{DateTime, Utc};
use uuid::Uuid;
use vitrine_core::doc::Strictness;
use vitrine_core::ids::AccountId;
use vitrine_core::tenancy::BootstrapPlan;
use vitrine_core::time_zone::TimeZone;

use crate::backend::on_db;
use crate::{now, Db, Result};

/// An account as stored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Account {
    /// Id.
    pub id: Uuid,
    /// Display name.
    pub name: String,
    /// Require valid CPF/CNPJ check digits (ecosys-auto-api.md, Decision 3).
    pub strict_documents: bool,
    /// IANA name of the zone the panel shows times in (see [`Account::zone`]).
    pub time_zone: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
}

impl Account {
    /// The account's time zone. A stored name the IANA database no longer
    /// knows (only possible after a zone is withdrawn) reads as the default
    /// rather than failing every page.
    pub fn zone(&self) -> TimeZone {
        TimeZone::from_name(&self.time_zone).unwrap_or_default()
    }
}

/// Repository of accounts.
pub struct Accounts<'c>(pub(crate) Db<'c>);

impl Accounts<'_> {
    /// Inserts a whole new tenant: account, owner, first store, first API key
    /// and first store credentials. Run it inside one transaction.
    pub async fn insert_bootstrap(&mut self, plan: &BootstrapPlan) -> Result<()> {
        let at = now();
        let account = plan.account_id.0;
        on_db!(self.0, c => {
            sqlx::query("INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)")
                .bind(account).bind(&plan.account_name).bind(at)
                .execute(&mut *c).await?;
            sqlx::query("INSERT INTO users (account_id, id, email, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(account).bind(plan.user_id.0).bind(&plan.email).bind(&plan.password_hash).bind(at)
                .execute(&mut *c).await.map_err(crate::Error::unique_as("email"))?;
            sqlx::query("INSERT INTO stores (account_id, id, name, created_at) VALUES ($1, $2, $3, $4)")
                .bind(account).bind(plan.store_id.0).bind(&plan.store_name).bind(at)
                .execute(&mut *c).await?;
            sqlx::query("INSERT INTO api_keys (account_id, id, name, display_prefix, key_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(account).bind(Uuid::now_v7()).bind("Chave inicial")
                .bind(&plan.api_key.display_prefix).bind(&plan.api_key.secret.hash).bind(at)
                .execute(&mut *c).await?;
            sqlx::query("INSERT INTO store_credentials (account_id, id, store_id, client_id, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(account).bind(Uuid::now_v7()).bind(plan.store_id.0)
                .bind(&plan.credentials.client_id).bind(&plan.credentials.client_secret.hash).bind(at)
                .execute(&mut *c).await?;
        });
        Ok(())
    }

    /// One account.
    pub async fn get(&mut self, id: AccountId) -> Result<Account> {
        let sql =
            "SELECT id, name, strict_documents, time_zone, created_at FROM accounts WHERE id = $1";
        Ok(on_db!(self.0, c => sqlx::query_as(sql).bind(id.0).fetch_one(c).await)?)
    }

    /// Whether the account requires valid CPF/CNPJ/RENAVAM check digits
    /// (its `strict_documents` setting; lenient by default).
    pub async fn strictness(&mut self, id: AccountId) -> Result<Strictness> {
        Ok(Strictness::of_account(self.get(id).await?.strict_documents))
    }

    /// The account's time zone (see [`Account::zone`]).
    pub async fn zone(&mut self, id: AccountId) -> Result<TimeZone> {
        let sql = "SELECT time_zone FROM accounts WHERE id = $1";
        let name: String =
            on_db!(self.0, c => sqlx::query_scalar(sql).bind(id.0).fetch_one(c).await)?;
        Ok(TimeZone::from_name(&name).unwrap_or_default())
    }

    /// Sets the account's time zone.
    pub async fn set_zone(&mut self, id: AccountId, zone: TimeZone) -> Result<()> {
        let sql = "UPDATE accounts SET time_zone = $2 WHERE id = $1";
        let done = on_db!(self.0, c => sqlx::query(sql).bind(id.0).bind(zone.name()).execute(c).await.map(|r| r.rows_affected()))?;
        if done == 0 {
            return Err(crate::Error::NotFound);
        }
        Ok(())
    }

    /// How many accounts exist (zero means a fresh install).
    pub async fn count(&mut self) -> Result<i64> {
        let sql = "SELECT COUNT(*) FROM accounts";
        Ok(on_db!(self.0, c => sqlx::query_scalar(sql).fetch_one(c).await)?)
    }

    /// Like [`Accounts::count`], inside a write transaction, holding off
    /// any other account insert until the transaction ends: first-run
    /// sign-up counts then inserts, and two visitors racing must not both
    /// find zero. SQLite's `BEGIN IMMEDIATE` already holds the writer lock;
    /// PostgreSQL locks the table (reads go on, writes wait).
    pub async fn count_exclusive(&mut self) -> Result<i64> {
        if let Db::Postgres(c) = &mut self.0 {
            sqlx::query("LOCK TABLE accounts IN EXCLUSIVE MODE")
                .execute(&mut **c)
                .await?;
        }
        self.count().await
    }

    /// Turns strict CPF/CNPJ check digits on or off for the account.
    pub async fn set_strict_documents(&mut self, id: AccountId, strict: bool) -> Result<()> {
        let sql = "UPDATE accounts SET strict_documents = $2 WHERE id = $1";
        let done = on_db!(self.0, c => sqlx::query(sql).bind(id.0).bind(strict).execute(c).await.map(|r| r.rows_affected()))?;
        if done == 0 {
            return Err(crate::Error::NotFound);
        }
        Ok(())
    }
}
