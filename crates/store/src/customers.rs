//! Customers of a store (ecommloja-api.md §4.1 Customer, E65) and the
//! per-store secret that signs their JWTs.

use chrono::{DateTime, Utc};
use vitrine_core::ids::{CustomerId, ShopScope};

use crate::backend::on_db;
use crate::counters::next_id;
use crate::{now, Db, Error, Result};

/// A customer's profile as sent and stored (everything but the password).
#[derive(Debug, Clone, PartialEq, Eq, Default, sqlx::FromRow)]
pub struct CustomerFields {
    /// 1 PF, 2 PJ.
    pub customer_type: i16,
    /// Name.
    pub name: String,
    /// Company name (PJ).
    pub company_name: String,
    /// CPF as given (PF).
    pub cpf: String,
    /// RG (PF).
    pub rg: String,
    /// CNPJ as given (PJ).
    pub cnpj: String,
    /// Gender, free text.
    pub gender: String,
    /// Birth date as given (PF).
    pub birth_date: String,
    /// Establishment date (PJ), if any.
    pub establish_date: Option<String>,
    /// Mobile phone.
    pub cellphone: String,
    /// Phone.
    pub telephone: String,
    /// Email as given.
    pub email: String,
    /// CEP.
    pub cep: String,
    /// Street.
    pub street: String,
    /// Number.
    pub number: String,
    /// Complement.
    pub address_details: String,
    /// Neighbourhood.
    pub neighborhood: String,
    /// City.
    pub city: String,
    /// State (UF).
    pub state: String,
    /// Country.
    pub country: String,
    /// Note.
    pub note: String,
    /// Active (inactive customers cannot log in).
    pub status: bool,
}

/// A stored customer.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Customer {
    /// Per-store id.
    pub id: CustomerId,
    /// The profile.
    #[sqlx(flatten)]
    pub fields: CustomerFields,
    /// argon2id PHC string.
    pub password_hash: String,
    /// Registration time.
    pub created_at: DateTime<Utc>,
    /// The generation of the customer's JWTs (claim `gen`): a password
    /// change bumps it, so tokens issued before stop working.
    pub token_generation: i64,
}

/// What verifying a customer JWT reads, in one statement of two primary-key
/// probes: the store's signing secret and, when the customer exists,
/// whether it is active and its token generation.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct TokenCheck {
    /// The store's HS256 secret.
    pub secret: String,
    /// The customer's status (`None`: no such customer).
    pub status: Option<bool>,
    /// The customer's token generation (`None`: no such customer).
    pub token_generation: Option<i64>,
}

const COLUMNS: &str = "id, type AS customer_type, name, company_name, cpf, rg, cnpj, gender, birth_date, \
    establish_date, cellphone, telephone, email, cep, street, number, address_details, neighborhood, city, \
    state, country, note, status, password_hash, created_at, token_generation";

/// Repository of customers.
pub struct Customers<'c>(pub(crate) Db<'c>);

impl Customers<'_> {
    /// Registers a customer; an email already used in the store (ignoring
    /// case) is `Conflict { what: "email" }`.
    pub async fn insert(
        &mut self,
        scope: ShopScope,
        f: &CustomerFields,
        password_hash: &str,
    ) -> Result<CustomerId> {
        let id = CustomerId(next_id(&mut self.0, scope, "customers").await?);
        let sql = "INSERT INTO customers (account_id, store_id, id, type, name, company_name, cpf, rg, cnpj, gender, \
                   birth_date, establish_date, cellphone, telephone, email, email_search, password_hash, cep, street, \
                   number, address_details, neighborhood, city, state, country, note, status, created_at) \
                   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, \
                   $21, $22, $23, $24, $25, $26, $27, $28)";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(f.customer_type).bind(&f.name).bind(&f.company_name)
            .bind(&f.cpf).bind(&f.rg).bind(&f.cnpj).bind(&f.gender).bind(&f.birth_date).bind(&f.establish_date)
            .bind(&f.cellphone).bind(&f.telephone).bind(f.email.trim()).bind(email_key(&f.email))
            .bind(password_hash).bind(&f.cep).bind(&f.street).bind(&f.number).bind(&f.address_details)
            .bind(&f.neighborhood).bind(&f.city).bind(&f.state).bind(&f.country).bind(&f.note).bind(f.status)
            .bind(now())
            .execute(c).await.map(|r| r.rows_affected()).map_err(Error::unique_as("email")))?;
        Ok(id)
    }

    /// The customer with this email (any case).
    pub async fn find_by_email(
        &mut self,
        scope: ShopScope,
        email: &str,
    ) -> Result<Option<Customer>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM customers WHERE account_id = $1 AND store_id = $2 AND email_search = $3"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(email_key(email)).fetch_optional(c).await)?)
    }

    /// One customer by id; `NotFound` when the store has none with it.
    pub async fn get(&mut self, scope: ShopScope, id: CustomerId) -> Result<Customer> {
        let sql = format!(
            "SELECT {COLUMNS} FROM customers WHERE account_id = $1 AND store_id = $2 AND id = $3"
        );
        Ok(on_db!(self.0, c => sqlx::query_as(&sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).fetch_one(c).await)?)
    }

    /// Sets the customer's password hash and bumps its token generation, so
    /// every JWT issued before stops working; returns the new generation,
    /// `NotFound` when there is no such customer.
    pub async fn set_password(
        &mut self,
        scope: ShopScope,
        id: CustomerId,
        password_hash: &str,
    ) -> Result<i64> {
        let sql =
            "UPDATE customers SET password_hash = $4, token_generation = token_generation + 1 \
                   WHERE account_id = $1 AND store_id = $2 AND id = $3 RETURNING token_generation";
        let generation: Option<(i64,)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(id).bind(password_hash).fetch_optional(c).await)?;
        generation.map(|(g,)| g).ok_or(Error::NotFound)
    }

    /// What verifying a JWT of `customer_id` needs ([`TokenCheck`]);
    /// `None` when the store has no secret (it never issued a token, or
    /// rotating its credentials dropped it).
    pub async fn token_check(
        &mut self,
        scope: ShopScope,
        customer_id: CustomerId,
    ) -> Result<Option<TokenCheck>> {
        let sql = "SELECT s.secret, c.status, c.token_generation FROM loja_jwt_secrets s \
                   LEFT JOIN customers c \
                   ON c.account_id = s.account_id AND c.store_id = s.store_id AND c.id = $3 \
                   WHERE s.account_id = $1 AND s.store_id = $2";
        Ok(on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).bind(customer_id).fetch_optional(c).await)?)
    }

    /// Drops the store's JWT secret: every customer token of the store
    /// stops working; the next login makes a new secret.
    pub async fn drop_jwt_secret(&mut self, scope: ShopScope) -> Result<()> {
        let sql = "DELETE FROM loja_jwt_secrets WHERE account_id = $1 AND store_id = $2";
        on_db!(self.0, c => sqlx::query(sql)
            .bind(scope.account.0).bind(scope.store.0).execute(c).await.map(|r| r.rows_affected()))?;
        Ok(())
    }

    /// The store's JWT secret; `candidate` becomes it when the store has
    /// none yet. Two first uses racing agree on whichever was written first.
    pub async fn jwt_secret(&mut self, scope: ShopScope, candidate: &str) -> Result<String> {
        let insert = "INSERT INTO loja_jwt_secrets (account_id, store_id, secret, created_at) VALUES ($1, $2, $3, $4) \
                      ON CONFLICT (account_id, store_id) DO NOTHING";
        on_db!(self.0, c => sqlx::query(insert)
            .bind(scope.account.0).bind(scope.store.0).bind(candidate).bind(now())
            .execute(c).await.map(|r| r.rows_affected()))?;
        self.existing_jwt_secret(scope)
            .await?
            .ok_or(Error::NotFound)
    }

    /// The store's JWT secret if it has one (verification never creates one).
    pub async fn existing_jwt_secret(&mut self, scope: ShopScope) -> Result<Option<String>> {
        let sql = "SELECT secret FROM loja_jwt_secrets WHERE account_id = $1 AND store_id = $2";
        let found: Option<(String,)> = on_db!(self.0, c => sqlx::query_as(sql)
            .bind(scope.account.0).bind(scope.store.0).fetch_optional(c).await)?;
        Ok(found.map(|(s,)| s))
    }
}

fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}
