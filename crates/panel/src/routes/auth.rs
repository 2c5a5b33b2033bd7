//! Sign-in, first-run sign-up, sign-out and password change.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_app::tenancy::{self as tenants, SignUp};
use vitrine_core::credentials::verify_sign_in;
use vitrine_core::ids::{AccountId, UserId};
use vitrine_core::tenancy::{self, normalize_email, BootstrapRequest};

use crate::csrf::LoginKey;
use crate::error::PanelError;
use crate::extract::{PanelForm, SignedForm};
use crate::pages::{alert, copy_field, csrf_field, layout, Section};
use crate::session::{self, Signed, Visitor};
use crate::throttle::{self, Verdict};
use crate::{flash, PanelState};

/// GET /painel — the stores screen is the panel's home for now.
pub async fn home(_signed: Signed) -> Redirect {
    Redirect::to("/painel/configuracoes/lojas")
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

fn sign_in_form(csrf: &str, email: &str, errors: &[String]) -> Markup {
    layout(
        "Entrar",
        None,
        html! {
            section.card.narrow {
                h1 { "Entrar no painel" }
                (alert("error", errors))
                form method="post" action="/painel/entrar" {
                    (csrf_field(csrf))
                    label for="email" { "E-mail" }
                    input type="email" id="email" name="email" value=(email) autocomplete="username" required;
                    label for="password" { "Senha" }
                    input type="password" id="password" name="password" autocomplete="current-password" required;
                    div.actions { button type="submit" id="entrar" { "Entrar" } }
                }
            }
        },
    )
}

/// A page with the visitor's double-submit cookie set (or refreshed).
fn with_login_cookie(status: StatusCode, cookie: String, page: Markup) -> Response {
    (status, [(header::SET_COOKIE, cookie)], page).into_response()
}

async fn has_accounts(state: &PanelState) -> Result<bool, PanelError> {
    Ok(state.store.conn().await?.accounts().count().await? > 0)
}

/// GET /painel/entrar
pub async fn sign_in_page(
    state: axum::extract::State<PanelState>,
    visitor: Visitor,
) -> Result<Response, PanelError> {
    if !has_accounts(&state).await? {
        return Ok(Redirect::to("/painel/cadastro").into_response());
    }
    let key = LoginKey::load(&state.store).await?;
    let (token, cookie) = visitor.login_csrf_cookie(&key);
    Ok(with_login_cookie(
        StatusCode::OK,
        cookie,
        sign_in_form(&token, "", &[]),
    ))
}

/// argon2 is deliberately slow: run it off the async workers. `None` (no
/// such user) costs the same work and answers `false`.
async fn password_matches(password: String, stored: Option<String>) -> Result<bool, PanelError> {
    tokio::task::spawn_blocking(move || verify_sign_in(&password, stored.as_deref()))
        .await
        .map_err(|e| PanelError::Internal(format!("password check failed: {e}")))
}

/// A refused attempt: the lock's message next to the password field, and
/// when to come back.
fn locked(
    until: chrono::DateTime<chrono::Utc>,
) -> (StatusCode, [(header::HeaderName, String); 1], String) {
    let now = vitrine_store::now();
    let retry = (until - now).num_seconds().max(1);
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, retry.to_string())],
        throttle::locked_message(now, until),
    )
}

/// POST /painel/entrar — double-submit CSRF; the attempt is counted
/// (per email and address, and per email) before the argon2id check, so a
/// burst cannot outrun the limit; then a new session.
pub async fn sign_in(
    state: axum::extract::State<PanelState>,
    visitor: Visitor,
    form: Result<PanelForm<SignInForm>, PanelError>,
) -> Result<Response, PanelError> {
    let key = LoginKey::load(&state.store).await?;
    let (token, cookie) = visitor.login_csrf_cookie(&key);
    let form = match form {
        Ok(PanelForm(form)) => form,
        // A field the form reader refused (a control character): the
        // message next to the fields, nothing checked or counted.
        Err(PanelError::Invalid(messages)) => {
            return Ok(with_login_cookie(
                StatusCode::UNPROCESSABLE_ENTITY,
                cookie,
                sign_in_form(&token, "", &messages),
            ))
        }
        Err(other) => return Err(other),
    };
    visitor.check_login_csrf(&key, &form.csrf)?;
    let email = normalize_email(&form.email).unwrap_or_else(|| form.email.trim().to_lowercase());
    if let Verdict::Locked { until } = throttle::claim(&state.store, &email, &visitor.ip).await? {
        let (status, retry, message) = locked(until);
        return Ok((
            status,
            retry,
            with_login_cookie(status, cookie, sign_in_form(&token, &email, &[message])),
        )
            .into_response());
    }
    let user = state
        .store
        .conn()
        .await?
        .users()
        .find_by_email(&email)
        .await?;
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let matches = password_matches(form.password, stored).await?;
    let user = match user {
        Some(user) if matches => user,
        // The attempt was counted before the check: nothing to write.
        _ => {
            return Ok(with_login_cookie(
                StatusCode::UNAUTHORIZED,
                cookie,
                sign_in_form(&token, &email, &["E-mail ou senha incorretos.".to_owned()]),
            ));
        }
    };
    let mut tx = state.store.begin().await?;
    throttle::succeeded(&mut tx, &email, &visitor.ip).await?;
    tx.sessions().purge_expired().await?;
    let session_cookie = session::open(
        &mut tx,
        AccountId(user.account_id),
        UserId(user.id),
        visitor.secure,
    )
    .await?;
    tx.commit().await?;
    Ok((
        [(header::SET_COOKIE, session_cookie)],
        Redirect::to("/painel"),
    )
        .into_response())
}

/// The first-run sign-up form's fields.
#[derive(Debug, Deserialize)]
pub struct SignUpForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    account: String,
    #[serde(default)]
    store: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    password_confirm: String,
}

/// The sign-up's confirmation field does not repeat the password.
const CONFIRM_MISMATCH: &str = "A confirmação não é igual à senha.";

fn sign_up_form(csrf: &str, form: Option<&SignUpForm>, errors: &[String]) -> Markup {
    let value = |f: fn(&SignUpForm) -> &str| form.map(f).unwrap_or_default().to_owned();
    layout(
        "Primeiro acesso",
        None,
        html! {
            section.card.narrow {
                h1 { "Primeiro acesso" }
                p.muted { "Crie a conta da empresa, a primeira loja e o seu usuário de administrador." }
                (alert("error", errors))
                form method="post" action="/painel/cadastro" {
                    (csrf_field(csrf))
                    label for="account" { "Nome da empresa" }
                    input type="text" id="account" name="account" value=(value(|f| &f.account)) required;
                    label for="store" { "Nome da primeira loja" }
                    input type="text" id="store" name="store" value=(value(|f| &f.store)) required;
                    label for="email" { "Seu e-mail" }
                    input type="email" id="email" name="email" value=(value(|f| &f.email)) autocomplete="username" required;
                    label for="password" { "Senha (mínimo " (tenancy::MIN_PASSWORD_LEN) " caracteres)" }
                    input type="password" id="password" name="password" autocomplete="new-password" required;
                    label for="password-confirm" { "Repita a senha" }
                    input type="password" id="password-confirm" name="password_confirm" autocomplete="new-password" required;
                    div.actions { button type="submit" id="cadastrar" { "Criar conta" } }
                }
            }
        },
    )
}

/// GET /painel/cadastro — open only while the database has no account.
pub async fn sign_up_page(
    state: axum::extract::State<PanelState>,
    visitor: Visitor,
) -> Result<Response, PanelError> {
    if has_accounts(&state).await? {
        return Err(PanelError::SignUpClosed);
    }
    let key = LoginKey::load(&state.store).await?;
    let (token, cookie) = visitor.login_csrf_cookie(&key);
    Ok(with_login_cookie(
        StatusCode::OK,
        cookie,
        sign_up_form(&token, None, &[]),
    ))
}

/// POST /painel/cadastro — the tenant of `vitrine admin bootstrap`
/// (`vitrine_app::tenancy::sign_up`, while no account exists), plus the
/// password typed twice; the first secrets are shown once.
pub async fn sign_up(
    state: axum::extract::State<PanelState>,
    visitor: Visitor,
    form: Result<PanelForm<SignUpForm>, PanelError>,
) -> Result<Response, PanelError> {
    let key = LoginKey::load(&state.store).await?;
    let refused = |form: Option<&SignUpForm>, errors: &[String]| {
        let (token, cookie) = visitor.login_csrf_cookie(&key);
        with_login_cookie(
            StatusCode::UNPROCESSABLE_ENTITY,
            cookie,
            sign_up_form(&token, form, errors),
        )
    };
    let form = match form {
        Ok(PanelForm(form)) => form,
        Err(PanelError::Invalid(messages)) => return Ok(refused(None, &messages)),
        Err(other) => return Err(other),
    };
    visitor.check_login_csrf(&key, &form.csrf)?;
    if has_accounts(&state).await? {
        return Err(PanelError::SignUpClosed);
    }
    let req = BootstrapRequest {
        account_name: form.account.clone(),
        store_name: form.store.clone(),
        email: form.email.clone(),
        password: form.password.clone(),
    };
    let planned = match tenants::plan(req).await {
        Ok(plan) => Ok(plan),
        Err(vitrine_app::Error::Invalid(problems)) => Err(problems),
        Err(other) => return Err(other.into()),
    };
    let mut errors: Vec<String> = match &planned {
        Ok(_) => Vec::new(),
        Err(problems) => problems.iter().map(|p| p.message.clone()).collect(),
    };
    if form.password != form.password_confirm {
        errors.push(CONFIRM_MISMATCH.to_owned());
    }
    let plan = match planned {
        Ok(plan) if errors.is_empty() => plan,
        _ => return Ok(refused(Some(&form), &errors)),
    };
    let mut tx = state.store.begin().await?;
    if tenants::sign_up(&mut tx, &plan).await? == SignUp::Closed {
        return Err(PanelError::SignUpClosed);
    }
    let session_cookie =
        session::open(&mut tx, plan.account_id, plan.user_id, visitor.secure).await?;
    tx.commit().await?;
    let page = layout(
        "Conta criada",
        None,
        html! {
            section.card {
                h1 { "Conta criada" }
                (flash::banner(&format!("Conta «{}» criada, com a loja «{}». Você já está conectado como {}.", plan.account_name, plan.store_name, plan.email)))
                div.alert.secret role="alert" {
                    p { "Guarde agora a chave da API e as credenciais da loja: elas não serão mostradas de novo." }
                }
                (copy_field("store-id", "ID da loja", &plan.store_id.to_string()))
                (copy_field("new-api-key", "Chave da API (Auto)", &plan.api_key.secret.plaintext))
                (copy_field("client-id", "Client ID (Loja)", &plan.credentials.client_id))
                (copy_field("client-secret", "Client Secret (Loja)", &plan.credentials.client_secret.plaintext))
                (copy_field("loja-token", "Token da Loja (base64 de client_id:client_secret)", &plan.credentials.loja_token()))
                div.actions { a href="/painel" { "Ir para o painel" } }
            }
        },
    );
    Ok((
        StatusCode::CREATED,
        [(header::SET_COOKIE, session_cookie)],
        page,
    )
        .into_response())
}

/// The sign-out form (its CSRF field only).
#[derive(Debug, Deserialize)]
pub struct Empty {}

/// POST /painel/sair — ends the session in the database and the browser.
pub async fn sign_out(
    state: axum::extract::State<PanelState>,
    SignedForm { signed, .. }: SignedForm<Empty>,
) -> Result<Response, PanelError> {
    let mut tx = state.store.begin().await?;
    tx.sessions()
        .delete(signed.account, signed.session_id)
        .await?;
    tx.commit().await?;
    Ok((
        [(
            header::SET_COOKIE,
            session::clear_session_cookie(signed.secure),
        )],
        Redirect::to("/painel/entrar"),
    )
        .into_response())
}

/// The password change form's fields.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

fn password_form(signed: &Signed, errors: &[String]) -> Markup {
    layout(
        "Alterar senha",
        Some((signed, Section::Password)),
        html! {
            section.card.narrow {
                h1 { "Alterar senha" }
                (alert("error", errors))
                form method="post" action="/painel/senha" {
                    (csrf_field(&signed.csrf))
                    label for="current" { "Senha atual" }
                    input type="password" id="current" name="current" autocomplete="current-password" required;
                    label for="new" { "Nova senha (mínimo " (tenancy::MIN_PASSWORD_LEN) " caracteres)" }
                    input type="password" id="new" name="new" autocomplete="new-password" required;
                    label for="confirm" { "Repita a nova senha" }
                    input type="password" id="confirm" name="confirm" autocomplete="new-password" required;
                    div.actions { button type="submit" id="alterar-senha" { "Alterar senha" } }
                }
            }
        },
    )
}

/// GET /painel/senha
pub async fn password_page(signed: Signed) -> Markup {
    password_form(&signed, &[])
}

/// POST /painel/senha — the current password is required, and its check
/// is throttled like a sign-in (the same counters: guesses here and at the
/// sign-in form add up); other sessions of the user end, this one stays.
pub async fn change_password(
    state: axum::extract::State<PanelState>,
    visitor: Visitor,
    SignedForm { signed, form }: SignedForm<PasswordForm>,
) -> Result<Response, PanelError> {
    if let Verdict::Locked { until } =
        throttle::claim(&state.store, &signed.email, &visitor.ip).await?
    {
        let (status, retry, message) = locked(until);
        return Ok((status, retry, password_form(&signed, &[message])).into_response());
    }
    let user = state
        .store
        .conn()
        .await?
        .users()
        .get(signed.account, signed.user)
        .await?;
    let current_matches = password_matches(form.current, Some(user.password_hash)).await?;
    let mut errors = Vec::new();
    if !current_matches {
        errors.push("A senha atual está incorreta.".to_owned());
    }
    if let Err(problem) = tenancy::check_password(&form.new) {
        errors.push(problem.message);
    }
    if form.new != form.confirm {
        errors.push("A confirmação não é igual à nova senha.".to_owned());
    }
    if !errors.is_empty() {
        if current_matches {
            // Not a guess: the attempt is given back.
            let mut tx = state.store.begin().await?;
            throttle::succeeded(&mut tx, &signed.email, &visitor.ip).await?;
            tx.commit().await?;
        }
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            password_form(&signed, &errors),
        )
            .into_response());
    }
    let hash = tenants::hash_password(form.new).await?;
    let mut tx = state.store.begin().await?;
    tenants::change_password(
        &mut tx,
        signed.account,
        signed.user,
        signed.session_id,
        &hash,
    )
    .await?;
    throttle::succeeded(&mut tx, &signed.email, &visitor.ip).await?;
    tx.commit().await?;
    Ok(flash::redirect(
        &signed,
        "/painel/senha",
        "Senha alterada. As outras sessões deste usuário foram encerradas.",
    ))
}
