//! Loja API credentials: a public `client_id` and the hash of its secret.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;
use vitrine_core::credentials::NewStoreCredentials;
use vitrine_core::ids::{AccountId, CredentialId, StoreId};

use crate::backend::on_db;
use crate::{now, Db, Result};

/// A credential as listed to its owner (never the secret).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Credential {
    /// Owning account.
    pub account_id: Uuid,
    /// Id.
    pub id: Uuid,
    /// The store it opens.
    pub store_id: Uuid,
    /// Public client id.
    pub client_id: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last successful authentication (updated at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When revoked (rotation revokes the previous pair).
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What authentication reads for a presented token.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CredentialAuth {
    /// Owning account.
    pub account_id: Uuid,
    /// Id.
    pub id: Uuid,
    /// The store the token opens.
    pub store_id: Uuid,
    /// Stored hash of the secret.
    pub secret_hash: String,
    /// Last use.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revocation time.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Repository of store credentials.
pub struct Credentials<'c>(pub(crate) Db<'c>);

const COLUMNS: &str = "account_id, id, store_id, client_id, created_at, last_used_at, revoked_at";
const TOUCH_EVERY: Duration = Duration::seconds(60);

impl Credentials<'_> {
    /// Stores a new pair for a store of the account.
    pub async fn insert(
        &mut self,
        account: AccountId,
        store: StoreId,
        creds: &NewStoreCredentials,
    ) -> Result<Credential> {
        let sql = format!(
            "INSERT INTO store_credentials (account_id, id, store_id, client_id, secret_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(account.0).bind(CredentialId::new().0).bind(store.0)
            .bind(&creds.client_id).bind(&creds.client_secret.hash).bind(now())
            .fetch_one(c).await)?)
    }

    /// Revokes every active pair of a store (before issuing a new one) and
    /// drops the store's customer-JWT secret with them: rotating a store's
    /// credentials ends every session of its customers too (they log in
    /// again). The one rotation path of the CLI and the panel.
    pub async fn revoke_for_store(&mut self, account: AccountId, store: StoreId) -> Result<u64> {
        let sql = "UPDATE store_credentials SET revoked_at = $3 \
                   WHERE account_id = $1 AND store_id = $2 AND revoked_at IS NULL";
        let done = on_db!(self.0, c => sqlx::query(sql).bind(account.0).bind(store.0).bind(now())
            .execute(c).await.map(|r| r.rows_affected()))?;
        crate::customers::Customers(self.0.reborrow())
            .drop_jwt_secret(vitrine_core::ids::ShopScope::new(account, store))
            .await?;
        Ok(done)
    }

    /// The pairs of a store, newest first.
    pub async fn list_for_store(
        &mut self,
        account: AccountId,
        store: StoreId,
    ) -> Result<Vec<Credential>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM store_credentials WHERE account_id = $1 AND store_id = $2 ORDER BY id DESC"
        );
        Ok(
            on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(store.0).fetch_all(c).await)?,
        )
    }

    /// Finds a pair by its public client id.
    pub async fn find_by_client_id(&mut self, client_id: &str) -> Result<Option<CredentialAuth>> {
        let sql = "SELECT account_id, id, store_id, secret_hash, last_used_at, revoked_at \
                   FROM store_credentials WHERE client_id = $1";
        Ok(on_db!(self.0, c => sqlx::query_as(sql).bind(client_id).fetch_optional(c).await)?)
    }

    /// Records a use unless one was recorded within the last minute.
    pub async fn touch(&mut self, cred: &CredentialAuth) -> Result<()> {
        let at = now();
        if cred.last_used_at.is_some_and(|t| at - t < TOUCH_EVERY) {
            return Ok(());
        }
        let sql =
            "UPDATE store_credentials SET last_used_at = $3 WHERE account_id = $1 AND id = $2";
        on_db!(self.0, c => sqlx::query(sql).bind(cred.account_id).bind(cred.id).bind(at).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}
