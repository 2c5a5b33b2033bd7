//! The confirmation shown after a successful action ("Cliente criado."):
//! the handler redirects with `?ok=<code>` ([`Notice::redirect`]) and the
//! page it lands on renders the message at its top ([`Shown::render`]).
//! Only the codes below exist, so a crafted link can show nothing but one
//! of these sentences. (A small stand-in, in the spirit of a flash
//! message; the screens only call `redirect` and `render`.)

use axum::extract::{FromRequestParts, RawQuery};
use axum::http::request::Parts;
use axum::response::Redirect;
use maud::{html, Markup};

/// The query parameter that carries the confirmation.
pub const PARAM: &str = "ok";

macro_rules! notices {
    ($($variant:ident = $code:literal => $message:literal,)*) => {
        /// A successful action's confirmation.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Notice {
            $(
                #[doc = $message]
                $variant,
            )*
        }

        impl Notice {
            /// The code carried in the address.
            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)* }
            }

            /// The sentence shown.
            pub fn message(self) -> &'static str {
                match self { $(Self::$variant => $message,)* }
            }

            /// The notice of a code, if it is one.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some(Self::$variant),)* _ => None }
            }
        }
    };
}

notices! {
    ClientCreated = "cliente-criado" => "Cliente criado.",
    VehicleCreated = "veiculo-criado" => "Veículo criado.",
    VehicleSaved = "veiculo-salvo" => "Veículo salvo.",
    ActivityCreated = "atividade-criada" => "Atividade criada.",
    ActivityCompleted = "atividade-concluida" => "Atividade concluída.",
    RecordCreated = "lancamento-criado" => "Lançamento criado.",
    RecordPaid = "lancamento-pago" => "Lançamento marcado como pago.",
    DealMoved = "negocio-movido" => "Negócio movido de fase.",
    DealWon = "negocio-ganho" => "Negócio marcado como ganho.",
    DealLost = "negocio-perdido" => "Negócio marcado como perdido.",
    DealReopened = "negocio-reaberto" => "Negócio reaberto.",
    UnitSaved = "preco-salvo" => "Preço e estoque salvos.",
    OrderStatusChanged = "status-alterado" => "Status do pedido alterado.",
    AccountSaved = "conta-salva" => "Configurações da conta salvas.",
}

impl Notice {
    /// A 303 to `path` carrying this confirmation (`path` may have a query).
    pub fn redirect(self, path: &str) -> Redirect {
        let sep = if path.contains('?') { '&' } else { '?' };
        Redirect::to(&format!("{path}{sep}{PARAM}={}", self.code()))
    }
}

/// The confirmation a page was opened with, if any.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shown(pub Option<Notice>);

impl Shown {
    /// The confirmation box (nothing without one).
    pub fn render(self) -> Markup {
        html! {
            @if let Some(n) = self.0 {
                div.alert.notice role="status" id="aviso" { p { (n.message()) } }
            }
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Shown {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let RawQuery(raw) = RawQuery::from_request_parts(parts, state).await?;
        let pairs: Vec<(String, String)> =
            serde_urlencoded::from_str(raw.as_deref().unwrap_or_default()).unwrap_or_default();
        Ok(Self(
            pairs
                .iter()
                .find(|(k, _)| k == PARAM)
                .and_then(|(_, v)| Notice::from_code(v)),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::response::IntoResponse;

    #[test]
    fn codes_round_trip_and_unknown_ones_show_nothing() {
        assert_eq!(
            Notice::from_code("cliente-criado"),
            Some(Notice::ClientCreated)
        );
        assert_eq!(Notice::from_code("<script>"), None);
        let shown = Shown(Some(Notice::DealWon)).render().into_string();
        assert!(shown.contains("Negócio marcado como ganho."), "{shown}");
        assert!(Shown(None).render().into_string().is_empty());
        let r = Notice::RecordPaid
            .redirect("/painel/financeiro?page=2")
            .into_response();
        assert_eq!(
            r.headers().get("location").and_then(|v| v.to_str().ok()),
            Some("/painel/financeiro?page=2&ok=lancamento-pago")
        );
    }
}
