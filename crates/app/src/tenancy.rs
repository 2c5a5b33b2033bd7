//! Tenants and their credentials: a new tenant (the CLI's `admin
//! bootstrap`, `serve --demo`, the test harness, the panel's first-run
//! sign-up), its stores, API keys and store credentials, the account's
//! settings and the owners' passwords. Secrets are minted here, stored
//! only as hashes, and handed back once for the caller to show.

use uuid::Uuid;
use vitrine_core::credentials::{self, NewApiKey, NewStoreCredentials};
use vitrine_core::ids::{AccountId, ApiKeyId, StoreId, UserId};
use vitrine_core::tenancy::{self, BootstrapPlan, BootstrapRequest};
use vitrine_core::time_zone::TimeZone;
use vitrine_core::FieldError;
use vitrine_store::api_keys::ApiKey;
use vitrine_store::stores::Store as StoreRow;
use vitrine_store::{Store, Tx};

use crate::{Error, Result};

/// Runs a CPU-heavy step (argon2 hashing) off the async workers.
async fn off_the_runtime<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(job)
        .await
        .map_err(|e| Error::Internal(Box::new(e)))
}

/// Checks a tenant request (every problem at once, [`Error::Invalid`])
/// and mints its secrets, the owner's password hashed.
pub async fn plan(req: BootstrapRequest) -> Result<BootstrapPlan> {
    Ok(off_the_runtime(move || tenancy::plan_bootstrap(&req)).await??)
}

/// Creates a tenant — account, owner, first store, first API key, first
/// store credentials — in one transaction. Another owner with the e-mail
/// is a conflict on `email`.
pub async fn bootstrap(store: &Store, req: BootstrapRequest) -> Result<BootstrapPlan> {
    let plan = plan(req).await?;
    let mut tx = store.begin().await?;
    insert(&mut tx, &plan).await?;
    tx.commit().await?;
    Ok(plan)
}

/// Whether the first-run sign-up created its tenant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUp {
    /// The tenant is written in the transaction.
    Created,
    /// An account exists already: the sign-up is closed, nothing written.
    Closed,
}

/// The panel's first-run sign-up: the tenant of `plan`, only while no
/// account exists. Checked inside the write transaction, which holds off
/// other sign-ups: two first visitors racing do not both get an account.
pub async fn sign_up(tx: &mut Tx, plan: &BootstrapPlan) -> Result<SignUp> {
    if tx.accounts().count_exclusive().await? > 0 {
        return Ok(SignUp::Closed);
    }
    insert(tx, plan).await?;
    Ok(SignUp::Created)
}

async fn insert(tx: &mut Tx, plan: &BootstrapPlan) -> Result<()> {
    tx.accounts()
        .insert_bootstrap(plan)
        .await
        .map_err(|e| match e {
            vitrine_store::Error::Conflict { what: "email" } => Error::Conflict(FieldError {
                field: "email".to_owned(),
                kind: "duplicate",
                message: format!("Já existe um usuário com o e-mail {}", plan.email),
                allowed: Vec::new(),
            }),
            other => other.into(),
        })
}

/// Adds a store named `name` (checked with [`tenancy::parse_name`]) to
/// the account; its Loja credentials are issued apart
/// ([`rotate_credentials`]).
pub async fn create_store(tx: &mut Tx, account: AccountId, name: &str) -> Result<StoreRow> {
    Ok(tx.stores().insert(account, StoreId::new(), name).await?)
}

/// Renames a store of the account.
pub async fn rename_store(
    tx: &mut Tx,
    account: AccountId,
    id: StoreId,
    name: &str,
) -> Result<StoreRow> {
    Ok(tx.stores().rename(account, id, name).await?)
}

/// A store's new Loja credentials and how many active pairs they replaced.
#[derive(Debug)]
pub struct Rotated {
    /// The new pair; its secret is shown once.
    pub credentials: NewStoreCredentials,
    /// Pairs revoked (0 for a store that had none).
    pub revoked: u64,
}

/// Issues a store a new Loja credential pair, revoking any it had (and,
/// with them, its customers' sessions).
pub async fn rotate_credentials(
    tx: &mut Tx,
    account: AccountId,
    store: StoreId,
) -> Result<Rotated> {
    tx.stores().get(account, store).await?;
    let credentials = credentials::mint_store_credentials();
    let revoked = tx.credentials().revoke_for_store(account, store).await?;
    tx.credentials()
        .insert(account, store, &credentials)
        .await?;
    Ok(Rotated {
        credentials,
        revoked,
    })
}

/// Creates an Auto API key named `name`; its secret is shown once.
pub async fn create_key(
    tx: &mut Tx,
    account: AccountId,
    name: &str,
) -> Result<(ApiKey, NewApiKey)> {
    let key = credentials::mint_api_key();
    let row = tx.api_keys().insert(account, name, &key).await?;
    Ok((row, key))
}

/// Revokes an API key: requests with it answer 401 from now on.
pub async fn revoke_key(tx: &mut Tx, account: AccountId, id: ApiKeyId) -> Result<ApiKey> {
    Ok(tx.api_keys().revoke(account, id).await?)
}

/// The account's settings: whether documents need valid check digits,
/// and (when given) its time zone.
pub async fn configure_account(
    tx: &mut Tx,
    account: AccountId,
    strict_documents: bool,
    zone: Option<TimeZone>,
) -> Result<()> {
    tx.accounts()
        .set_strict_documents(account, strict_documents)
        .await?;
    if let Some(zone) = zone {
        tx.accounts().set_zone(account, zone).await?;
    }
    Ok(())
}

/// Hashes a panel password (argon2id, off the async workers); check it
/// first with [`tenancy::check_password`].
pub async fn hash_password(password: String) -> Result<String> {
    off_the_runtime(move || credentials::hash_password(&password))
        .await?
        .map_err(|e| Error::Internal(Box::new(e)))
}

/// A user's new password (`hash` from [`hash_password`]): every other
/// session of the user ends, `keep` (the one asking) stays.
pub async fn change_password(
    tx: &mut Tx,
    account: AccountId,
    user: UserId,
    keep: Uuid,
    hash: &str,
) -> Result<()> {
    tx.users().set_password_hash(account, user, hash).await?;
    tx.sessions().delete_others(account, user, keep).await?;
    Ok(())
}

/// An owner who lost their password (`vitrine users reset-password`): the
/// user with `email` gets `password` and all their sessions end, in one
/// transaction. Returns how many sessions ended; no such user is
/// [`Error::NotFound`].
pub async fn reset_password(store: &Store, email: &str, password: String) -> Result<u64> {
    let user = store
        .conn()
        .await?
        .users()
        .find_by_email(email)
        .await?
        .ok_or(Error::NotFound)?;
    let hash = hash_password(password).await?;
    let (account, id) = (AccountId(user.account_id), UserId(user.id));
    let mut tx = store.begin().await?;
    tx.users().set_password_hash(account, id, &hash).await?;
    let ended = tx.sessions().delete_for_user(account, id).await?;
    tx.commit().await?;
    Ok(ended)
}
