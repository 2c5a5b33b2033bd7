//! The panel's error: every variant renders a page (never JSON), with its
//! status chosen here, in one `match`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::pages;

/// Why a panel request did not succeed.
#[derive(Debug, thiserror::Error)]
pub enum PanelError {
    /// No live session: go to the sign-in page.
    #[error("not signed in")]
    SignIn,
    /// No such record in the session's account (a foreign id looks the same).
    #[error("not found")]
    NotFound,
    /// The first-run sign-up is closed: an account exists.
    #[error("sign-up closed")]
    SignUpClosed,
    /// A form without this session's CSRF token.
    #[error("csrf token missing or wrong")]
    Csrf,
    /// Input that breaks a rule; the messages are shown as they are.
    #[error("invalid input: {0:?}")]
    Invalid(Vec<String>),
    /// A request the panel cannot read (malformed form body).
    #[error("bad request")]
    BadRequest,
    /// The database cannot serve now (disk full, read-only, server gone,
    /// every connection busy): 503, try again later.
    #[error("database unavailable: {0}")]
    Unavailable(vitrine_store::Outage),
    /// Anything unexpected: logged, answered with a fixed sentence.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The reads a handler makes itself fail as a use case would.
impl From<vitrine_store::Error> for PanelError {
    fn from(e: vitrine_store::Error) -> Self {
        vitrine_app::Error::from(e).into()
    }
}

/// A use case's answer as a page: what is wrong with the input is shown
/// as its messages (a form that shows them at their fields takes them
/// first, with `vitrine_app::Error::into_problems`).
impl From<vitrine_app::Error> for PanelError {
    fn from(e: vitrine_app::Error) -> Self {
        use vitrine_app::Error as A;
        match e {
            A::Invalid(problems) | A::Rule(problems) => {
                Self::Invalid(problems.into_iter().map(|p| p.message).collect())
            }
            A::Conflict(problem) => Self::Invalid(vec![problem.message]),
            A::Shop(refusal) => Self::Invalid(vec![refusal.problem().message]),
            A::NotFound => Self::NotFound,
            A::Unavailable(outage) => Self::Unavailable(outage),
            A::Internal(cause) => Self::Internal(format!("{cause:?}")),
        }
    }
}

impl From<vitrine_core::Error> for PanelError {
    fn from(e: vitrine_core::Error) -> Self {
        match e {
            vitrine_core::Error::Invalid(problems) => {
                Self::Invalid(problems.into_iter().map(|p| p.message).collect())
            }
        }
    }
}

impl IntoResponse for PanelError {
    fn into_response(self) -> Response {
        let (status, title, message): (StatusCode, &str, Vec<String>) = match self {
            Self::SignIn => return Redirect::to("/painel/entrar").into_response(),
            Self::NotFound => (
                StatusCode::NOT_FOUND,
                "Página não encontrada",
                vec!["O endereço não existe ou não pertence à sua conta.".to_owned()],
            ),
            Self::SignUpClosed => (
                StatusCode::NOT_FOUND,
                "Cadastro encerrado",
                vec!["O cadastro inicial já foi feito. Entre com o e-mail e a senha da sua conta.".to_owned()],
            ),
            Self::Csrf => (
                StatusCode::FORBIDDEN,
                "Formulário expirado",
                vec!["O formulário expirou ou não veio desta página. Recarregue a página e tente de novo.".to_owned()],
            ),
            Self::Invalid(messages) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "Dados inválidos",
                messages,
            ),
            Self::BadRequest => (
                StatusCode::BAD_REQUEST,
                "Pedido inválido",
                vec!["O formulário enviado não pôde ser lido.".to_owned()],
            ),
            Self::Unavailable(outage) => {
                let mut res = (
                    StatusCode::SERVICE_UNAVAILABLE,
                    pages::error_page(
                        "Serviço indisponível",
                        &["O banco de dados não está aceitando alterações agora. Nada foi salvo; tente novamente em instantes.".to_owned()],
                    ),
                )
                    .into_response();
                res.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static("5"),
                );
                // For the server's health check (the last write's outcome).
                res.extensions_mut().insert(outage);
                return res;
            }
            Self::Internal(cause) => {
                tracing::error!(error = %cause, "panel request failed");
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "Erro interno",
                    vec!["Algo deu errado do nosso lado. Tente novamente em instantes.".to_owned()],
                )
            }
        };
        (status, pages::error_page(title, &message)).into_response()
    }
}
