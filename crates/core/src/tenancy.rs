//! Accounts, stores and their first credentials: the rules for setting up a
//! tenant, shared by the CLI, `serve --demo` and the panel's sign-up.

use crate::credentials::{self, NewApiKey, NewStoreCredentials};
use crate::error::{Error, FieldError};
use crate::ids::{AccountId, StoreId, UserId};

/// What a person asks for when opening an account.
#[derive(Debug, Clone)]
pub struct BootstrapRequest {
    /// Account (company) name.
    pub account_name: String,
    /// Name of the first store.
    pub store_name: String,
    /// Sign-in email of the owner.
    pub email: String,
    /// The owner's password, in clear only until hashed here.
    pub password: String,
}

/// Everything to insert for a new tenant, secrets already minted and hashed.
#[derive(Debug, Clone)]
pub struct BootstrapPlan {
    /// The new account.
    pub account_id: AccountId,
    /// Trimmed account name.
    pub account_name: String,
    /// The first store.
    pub store_id: StoreId,
    /// Trimmed store name.
    pub store_name: String,
    /// The owner.
    pub user_id: UserId,
    /// Normalised (trimmed, lowercased) email.
    pub email: String,
    /// argon2id PHC string.
    pub password_hash: String,
    /// The first Auto API key.
    pub api_key: NewApiKey,
    /// The first store's Loja credentials.
    pub credentials: NewStoreCredentials,
}

/// Shortest password accepted for a panel user.
pub const MIN_PASSWORD_LEN: usize = 8;
/// Longest name accepted for an account or a store.
pub const MAX_NAME_LEN: usize = 120;

/// Validates a request (every problem at once) and mints its secrets.
pub fn plan_bootstrap(req: &BootstrapRequest) -> Result<BootstrapPlan, Error> {
    let mut problems = Vec::new();
    let account_name = check_name("account", &req.account_name, &mut problems);
    let store_name = check_name("store", &req.store_name, &mut problems);
    let email = normalize_email(&req.email);
    if email.is_none() {
        problems.push(FieldError::invalid("email", "E-mail inválido"));
    }
    if let Err(problem) = check_password(&req.password) {
        problems.push(problem);
    }
    let (Some(email), true) = (email, problems.is_empty()) else {
        return Err(Error::Invalid(problems));
    };
    let password_hash = credentials::hash_password(&req.password)
        .map_err(|e| Error::field(FieldError::invalid("password", e.to_string())))?;
    Ok(BootstrapPlan {
        account_id: AccountId::new(),
        account_name,
        store_id: StoreId::new(),
        store_name,
        user_id: UserId::new(),
        email,
        password_hash,
        api_key: credentials::mint_api_key(),
        credentials: credentials::mint_store_credentials(),
    })
}

/// The password rule for panel users (sign-up, bootstrap, password change).
pub fn check_password(password: &str) -> Result<(), FieldError> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(FieldError::invalid(
            "password",
            format!("A senha deve ter pelo menos {MIN_PASSWORD_LEN} caracteres"),
        ));
    }
    Ok(())
}

/// A store or account name: trimmed, non-empty, at most [`MAX_NAME_LEN`] chars.
pub fn parse_name(field: &str, raw: &str) -> Result<String, Error> {
    let mut problems = Vec::new();
    let name = check_name(field, raw, &mut problems);
    if problems.is_empty() {
        Ok(name)
    } else {
        Err(Error::Invalid(problems))
    }
}

fn check_name(field: &str, raw: &str, problems: &mut Vec<FieldError>) -> String {
    let name = raw.trim();
    if name.is_empty() {
        problems.push(FieldError::required(field));
    } else if name.chars().count() > MAX_NAME_LEN {
        problems.push(FieldError {
            field: field.to_owned(),
            kind: "max",
            message: format!("Campo '{field}' deve ter no máximo {MAX_NAME_LEN} caracteres"),
            allowed: Vec::new(),
        });
    }
    name.to_owned()
}

/// Trims and lowercases; `None` unless it looks like `local@domain.tld`.
pub fn normalize_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    let (local, domain) = email.split_once('@')?;
    let plausible = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email.chars().any(char::is_whitespace)
        && email.len() <= 254;
    plausible.then_some(email)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request() -> BootstrapRequest {
        BootstrapRequest {
            account_name: " Revenda Silva ".into(),
            store_name: "Matriz".into(),
            email: " Dono@Example.COM ".into(),
            password: "correct horse".into(),
        }
    }

    #[test]
    fn a_valid_request_is_normalised_and_gets_secrets() {
        let plan = plan_bootstrap(&request()).expect("valid");
        assert_eq!(plan.account_name, "Revenda Silva");
        assert_eq!(plan.email, "dono@example.com");
        assert!(plan.password_hash.starts_with("$argon2id$"));
        assert!(plan.api_key.secret.plaintext.starts_with("ea_live_"));
        assert!(plan.credentials.client_id.starts_with("vcl_"));
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let req = BootstrapRequest {
            account_name: "  ".into(),
            store_name: "x".repeat(121),
            email: "not-an-email".into(),
            password: "short".into(),
        };
        let Err(Error::Invalid(problems)) = plan_bootstrap(&req) else {
            panic!("must be refused");
        };
        let fields: Vec<_> = problems
            .iter()
            .map(|p| (p.field.as_str(), p.kind))
            .collect();
        assert_eq!(
            fields,
            [
                ("account", "required"),
                ("store", "max"),
                ("email", "invalid"),
                ("password", "invalid")
            ]
        );
    }

    #[test]
    fn emails() {
        for (raw, ok) in [
            ("a@b.co", true),
            ("a@b", false),
            ("@b.co", false),
            ("a b@c.co", false),
            ("a@.co", false),
        ] {
            assert_eq!(normalize_email(raw).is_some(), ok, "{raw}");
        }
    }
}
