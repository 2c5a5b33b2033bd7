//! Customer JWTs (ecommloja-api.md §1.2.2, decision 3): HS256 signed with
//! a per-store secret kept in the database, carrying the store, the
//! customer, its token generation and an expiry. Verification accepts
//! HS256 only, so `alg:none` and every other algorithm are refused, as are
//! bad signatures, expired tokens and tokens of another store. Revocation:
//! rotating the store's credentials drops the secret (every token of the
//! store dies), a password change bumps the customer's generation (every
//! token of that customer dies), and an inactive or deleted customer's
//! tokens are refused — all read in the one indexed lookup that fetches
//! the secret. Tokens and secrets are never logged.

use std::time::Duration;

use axum::http::{header, HeaderMap};
use base64::Engine as _;
use chrono::Utc;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use vitrine_core::credentials::random_base62;
use vitrine_core::ids::{AccountId, CustomerId, ShopScope, StoreId};
use vitrine_store::Store;

use crate::auth::{check_token, presented_elsewhere};
use crate::params::Params;
use crate::{wire, LojaError};

/// Length of a generated store secret (base62 characters, ~285 bits).
const SECRET_LEN: usize = 48;

/// A customer a valid JWT names.
#[derive(Debug, Clone, Copy)]
pub struct CustomerAuth {
    /// The customer's store.
    pub store: ShopScope,
    /// The customer.
    pub customer_id: CustomerId,
}

/// The claims: the doc's `iss`, `iat` (a datetime string) and `id`, plus
/// the account and the expiry.
#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// The store id.
    iss: String,
    /// The account id.
    acc: String,
    /// The customer id.
    id: String,
    /// Store-local issue time, `YYYY-MM-DD HH:MM:SS` as in the doc's example.
    iat: String,
    /// Expiry, Unix seconds.
    exp: i64,
    /// The customer's token generation when issued; tokens from before
    /// this claim existed count as generation 0.
    #[serde(default, rename = "gen")]
    generation: i64,
}

/// Signs a JWT for `customer_id` of the store at its token `generation`,
/// valid for `ttl`. The store's secret is made on first use.
pub async fn issue(
    store: &Store,
    scope: ShopScope,
    customer_id: CustomerId,
    generation: i64,
    ttl: Duration,
) -> Result<String, LojaError> {
    let mut conn = store.conn().await?;
    let secret = conn
        .customers()
        .jwt_secret(scope, &random_base62(SECRET_LEN))
        .await?;
    let now = Utc::now();
    let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX);
    let claims = Claims {
        iss: scope.store.to_string(),
        acc: scope.account.to_string(),
        id: customer_id.to_string(),
        iat: wire::datetime(now),
        exp: now.timestamp().saturating_add(ttl),
        generation,
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .map_err(|e| LojaError::Internal(Box::new(e)))
}

/// The JWT in `Authorization` (`Bearer <jwt>` or bare), if it has a JWT's
/// shape (three dot-separated segments), in the URL-safe alphabet without
/// padding (the doc's example uses standard base64 with `=`).
fn presented_jwt(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let token = match value.split_once(char::is_whitespace) {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("bearer") => rest.trim(),
        _ => value,
    };
    if token.matches('.').count() != 2 {
        return None;
    }
    Some(
        token
            .chars()
            .filter(|c| *c != '=')
            .map(|c| match c {
                '+' => '-',
                '/' => '_',
                other => other,
            })
            .collect(),
    )
}

/// The store and customer a token claims, read before verification only
/// to pick the secret that verifies it (and the customer row to check).
fn claimed(token: &str) -> Option<(ShopScope, CustomerId)> {
    #[derive(Deserialize)]
    struct Unverified {
        iss: String,
        acc: String,
        id: String,
    }
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload)
        .ok()?;
    let claims: Unverified = serde_json::from_slice(&bytes).ok()?;
    let store = ShopScope::new(
        claims.acc.parse::<AccountId>().ok()?,
        claims.iss.parse::<StoreId>().ok()?,
    );
    Some((store, claims.id.parse().ok()?))
}

/// Verifies the customer JWT of a cart request; a store token sent beside
/// it (custom header or `token` parameter) must be valid and of the same
/// store. Anything else is 401 `["Invalid token"]`.
pub async fn authenticate_customer(
    store: &Store,
    headers: &HeaderMap,
    params: &Params,
) -> Result<CustomerAuth, LojaError> {
    let token = presented_jwt(headers).ok_or(LojaError::InvalidToken)?;
    let (claimed, claimed_customer) = claimed(&token).ok_or(LojaError::InvalidToken)?;
    let check = {
        let mut conn = store.conn().await?;
        conn.customers()
            .token_check(claimed, claimed_customer)
            .await?
            .ok_or(LojaError::InvalidToken)?
    };
    let mut validation = Validation::new(Algorithm::HS256);
    validation.leeway = 0;
    validation.set_required_spec_claims(&["exp", "iss"]);
    validation.set_issuer(&[claimed.store.to_string()]);
    let data = jsonwebtoken::decode::<Claims>(
        &token,
        &DecodingKey::from_secret(check.secret.as_bytes()),
        &validation,
    )
    .map_err(|_| LojaError::InvalidToken)?;
    if data.claims.acc != claimed.account.to_string() {
        return Err(LojaError::InvalidToken);
    }
    let customer_id = data
        .claims
        .id
        .parse::<CustomerId>()
        .map_err(|_| LojaError::InvalidToken)?;
    // The row read is the claimed customer's: the signed claim must agree.
    // A deleted or inactive customer, or a token from before the last
    // password change, is refused.
    let current = check.status == Some(true)
        && check.token_generation == Some(data.claims.generation)
        && customer_id == claimed_customer;
    if !current {
        return Err(LojaError::InvalidToken);
    }
    if let Some(store_token) = presented_elsewhere(headers, params) {
        let beside = check_token(store, &store_token).await?;
        if beside != claimed {
            return Err(LojaError::InvalidToken);
        }
    }
    Ok(CustomerAuth {
        store: claimed,
        customer_id,
    })
}
