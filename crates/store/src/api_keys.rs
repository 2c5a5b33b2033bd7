//! Auto API keys: only the SHA-256 of a key and a display prefix are stored.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;
use vitrine_core::credentials::NewApiKey;
use vitrine_core::ids::{AccountId, ApiKeyId};

use crate::backend::on_db;
use crate::{now, Db, Result};

/// A key as listed to its owner (never the key itself).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiKey {
    /// Owning account.
    pub account_id: Uuid,
    /// Id.
    pub id: Uuid,
    /// A label chosen by the owner.
    pub name: String,
    /// The first characters of the key, e.g. `ea_live_a1B2c3`.
    pub display_prefix: String,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last successful authentication (updated at most once a minute).
    pub last_used_at: Option<DateTime<Utc>>,
    /// When revoked; a revoked key never authenticates again.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What authentication reads for a presented key.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct KeyAuth {
    /// The tenant the key belongs to.
    pub account_id: Uuid,
    /// The key's id.
    pub id: Uuid,
    /// Stored hash, compared in constant time by the caller.
    pub key_hash: String,
    /// Last use, to skip redundant writes.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Revocation time.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Repository of API keys.
pub struct ApiKeys<'c>(pub(crate) Db<'c>);

const COLUMNS: &str = "account_id, id, name, display_prefix, created_at, last_used_at, revoked_at";

/// `last_used_at` is refreshed when older than this, so authentication is
/// not a write on every request.
const TOUCH_EVERY: Duration = Duration::seconds(60);

impl ApiKeys<'_> {
    /// Stores a newly minted key (its hash and prefix).
    pub async fn insert(
        &mut self,
        account: AccountId,
        name: &str,
        key: &NewApiKey,
    ) -> Result<ApiKey> {
        let sql = format!(
            "INSERT INTO api_keys (account_id, id, name, display_prefix, key_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING {COLUMNS}"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(account.0).bind(ApiKeyId::new().0).bind(name)
            .bind(&key.display_prefix).bind(&key.secret.hash).bind(now())
            .fetch_one(c).await)?)
    }

    /// The account's keys, newest first, revoked ones included.
    pub async fn list(&mut self, account: AccountId) -> Result<Vec<ApiKey>> {
        let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE account_id = $1 ORDER BY id DESC");
        Ok(on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).fetch_all(c).await)?)
    }

    /// One key of the account; another account's key is `NotFound`.
    pub async fn get(&mut self, account: AccountId, id: ApiKeyId) -> Result<ApiKey> {
        let sql = format!("SELECT {COLUMNS} FROM api_keys WHERE account_id = $1 AND id = $2");
        on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).fetch_optional(c).await)?
            .ok_or(crate::Error::NotFound)
    }

    /// Revokes a key of the account; revoking twice keeps the first time.
    pub async fn revoke(&mut self, account: AccountId, id: ApiKeyId) -> Result<ApiKey> {
        let sql = format!(
            "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3) \
             WHERE account_id = $1 AND id = $2 RETURNING {COLUMNS}"
        );
        on_db!(self.0, c => sqlx::query_as(&sql).bind(account.0).bind(id.0).bind(now())
            .fetch_optional(c).await)?
        .ok_or(crate::Error::NotFound)
    }

    /// Finds a key by the hash of the presented secret.
    pub async fn find_by_hash(&mut self, key_hash: &str) -> Result<Option<KeyAuth>> {
        let sql = "SELECT account_id, id, key_hash, last_used_at, revoked_at FROM api_keys WHERE key_hash = $1";
        Ok(on_db!(self.0, c => sqlx::query_as(sql).bind(key_hash).fetch_optional(c).await)?)
    }

    /// Records a use of the key unless one was recorded within the last minute.
    pub async fn touch(&mut self, key: &KeyAuth) -> Result<()> {
        let at = now();
        if key.last_used_at.is_some_and(|t| at - t < TOUCH_EVERY) {
            return Ok(());
        }
        let sql = "UPDATE api_keys SET last_used_at = $3 WHERE account_id = $1 AND id = $2";
        on_db!(self.0, c => sqlx::query(sql).bind(key.account_id).bind(key.id).bind(at).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }
}
