//! Customers (ecommloja-api.md §3.10): E65 `client/clientlogin` and the
//! extensions `client/register` (sign-up) and `client/changepassword`
//! (docs/loja-extensions.md, G-01).

use axum::http::StatusCode;
use vitrine_core::credentials::{hash_password, verify_sign_in};
use vitrine_store::customers::CustomerFields;

use super::cart::{cart_total, customer_of, load_lines, render_line};
use super::products::options::created_with_id;
use crate::dto::shop::{LoginBrief, LoginFull, LoginOut, TokenOut};
use crate::endpoints::{Ctx, Reply};
use crate::error::OrMissing;
use crate::{envelope, jwt, LojaError};

/// E65's only documented failure, verbatim [sic].
fn login_failed() -> LojaError {
    LojaError::new(StatusCode::UNAUTHORIZED, "Usar and password does not found")
}

/// The profile fields of `client/register`, with their documented names.
fn fields(ctx: &Ctx) -> Result<CustomerFields, LojaError> {
    let p = &ctx.params;
    let text = |name: &str| p.text(name).unwrap_or_default();
    let name = p
        .text("name")
        .ok_or_else(|| LojaError::bad_request("Invalid name"))?;
    let email = p
        .text("email")
        .filter(|e| e.contains('@'))
        .ok_or_else(|| LojaError::bad_request("Invalid email"))?;
    let customer_type = match p.int("type") {
        None | Some(1) => 1,
        Some(2) => 2,
        Some(_) => return Err(LojaError::bad_request("Invalid customer type")),
    };
    Ok(CustomerFields {
        customer_type,
        name,
        company_name: text("company_name"),
        cpf: text("cpf"),
        rg: text("rg"),
        cnpj: text("cnpj"),
        gender: text("gender"),
        birth_date: text("birth_date"),
        establish_date: p.text("establish_date"),
        cellphone: text("cellphone"),
        telephone: text("telephone"),
        email,
        cep: text("cep"),
        street: text("street"),
        number: text("number"),
        address_details: text("address_details"),
        neighborhood: text("neighborhood"),
        city: text("city"),
        state: text("state"),
        country: p.text("country").unwrap_or_else(|| "Brasil".to_owned()),
        note: text("note"),
        status: p.flag("status").unwrap_or(true),
    })
}

/// argon2 is deliberately slow (and waits for its turn, see
/// `vitrine_core::credentials`): run it on the blocking pool, never on
/// the async workers that serve every other request.
async fn off_workers<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, LojaError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| LojaError::Internal(Box::new(e)))
}

/// Extension `POST client/register`: a customer of the store (PF `type`
/// 1 or PJ 2, the fields the order examples show) with a password `pass`
/// (at least 6 characters) kept as an argon2id hash. 201 with the new `id`.
pub(crate) fn register(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let f = fields(&ctx)?;
        let pass = ctx
            .params
            .text("pass")
            .filter(|p| p.chars().count() >= 6)
            .ok_or_else(|| LojaError::bad_request("Invalid password"))?;
        let hash = off_workers(move || hash_password(&pass))
            .await?
            .map_err(|e| LojaError::Internal(Box::new(e)))?;
        let mut tx = ctx.state.store.begin().await?;
        let id = match tx.customers().insert(ctx.scope, &f, &hash).await {
            Err(vitrine_store::Error::Conflict { .. }) => {
                return Err(LojaError::bad_request("Email already registered"))
            }
            other => other?,
        };
        tx.commit().await?;
        Ok(created_with_id(id))
    })
}

/// E65 `POST client/clientlogin` (`email`, `pass`, `Min`/`min`): a fresh
/// JWT and, in full form, the profile and the open cart.
pub(crate) fn client_login(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let scope = ctx.scope;
        let email = ctx.params.text("email").ok_or_else(login_failed)?;
        let pass = ctx.params.text("pass").ok_or_else(login_failed)?;
        let min = ctx
            .params
            .flag("Min")
            .or_else(|| ctx.params.flag("min"))
            .unwrap_or(false);
        let found = {
            let mut conn = ctx.state.store.conn().await?;
            conn.customers()
                .find_by_email(scope, &email)
                .await?
                .filter(|c| c.fields.status)
        };
        // No connection is held while argon2 runs; an unknown email costs
        // the same work as a wrong password.
        let stored = found.as_ref().map(|c| c.password_hash.clone());
        let matches = off_workers(move || verify_sign_in(&pass, stored.as_deref())).await?;
        let customer = found.filter(|_| matches).ok_or_else(login_failed)?;
        let token = jwt::issue(
            &ctx.state.store,
            ctx.scope,
            customer.id,
            customer.token_generation,
            ctx.state.customer_token_ttl,
        )
        .await?;
        if min {
            return Ok(envelope::ok(&LoginOut::Brief(LoginBrief::new(
                &customer, token,
            ))));
        }
        let mut conn = ctx.state.store.conn().await?;
        let cart = conn.carts().open_of(scope, customer.id).await?;
        let (hash, lines) = match cart {
            Some(cart) => (cart.hash, load_lines(&mut conn.db(), scope, cart.id).await?),
            None => (String::new(), Vec::new()),
        };
        // Lines hold at most MAX_LINE_QUANTITY units: saturation is a
        // bound, never reached by a cart written through the API.
        let quantity = lines
            .iter()
            .fold(0_i64, |n, l| n.saturating_add(l.line.quantity));
        let total = cart_total(&lines).unwrap_or(vitrine_core::order::MAX_TOTAL);
        let urls = ctx.image_urls();
        let products = lines.iter().map(|l| render_line(&urls, l)).collect();
        Ok(envelope::ok(&LoginOut::Full(LoginFull::new(
            &customer, token, hash, products, quantity, total,
        ))))
    })
}

/// Extension `POST client/changepassword` (customer JWT): `pass` (the
/// current password) and `new_pass` (at least 6 characters). The new hash
/// is written and the customer's token generation bumped in one statement:
/// every JWT issued before — this one included — stops working. Answers a
/// fresh token, `{"token": …}`. A wrong current password is 401 `"Usar and
/// password does not found"` (E65's wording) and changes nothing.
pub(crate) fn change_password(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let who = customer_of(&ctx)?;
        let scope = who.store;
        let current = ctx.params.text("pass").ok_or_else(login_failed)?;
        let new = ctx
            .params
            .text("new_pass")
            .filter(|p| p.chars().count() >= 6)
            .ok_or_else(|| LojaError::bad_request("Invalid password"))?;
        let stored = {
            let mut conn = ctx.state.store.conn().await?;
            conn.customers()
                .get(scope, who.customer_id)
                .await
                .or_missing(|| LojaError::InvalidToken)?
                .password_hash
        };
        if !off_workers(move || verify_sign_in(&current, Some(&stored))).await? {
            return Err(login_failed());
        }
        let hash = off_workers(move || hash_password(&new))
            .await?
            .map_err(|e| LojaError::Internal(Box::new(e)))?;
        let mut tx = ctx.state.store.begin().await?;
        let generation = tx
            .customers()
            .set_password(scope, who.customer_id, &hash)
            .await
            .or_missing(|| LojaError::InvalidToken)?;
        tx.commit().await?;
        let token = jwt::issue(
            &ctx.state.store,
            who.store,
            who.customer_id,
            generation,
            ctx.state.customer_token_ttl,
        )
        .await?;
        Ok(envelope::ok(&TokenOut { token }))
    })
}
