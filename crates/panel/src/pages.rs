//! The page frame and the pieces every screen shares (maud templates).

use chrono::{DateTime, Utc};
use maud::{html, Markup, DOCTYPE};
use vitrine_core::money::Money;
use vitrine_core::time_zone::TimeZone;

use crate::csrf;
use crate::session::Signed;

/// Which navigation entry is current.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    /// Negócios (the kanban).
    Deals,
    /// Clientes.
    Clients,
    /// Veículos.
    Vehicles,
    /// Atividades.
    Activities,
    /// Financeiro.
    Financial,
    /// Webhooks.
    Webhooks,
    /// Configurações → Lojas (and a store's screens).
    Stores,
    /// Configurações → API Keys.
    ApiKeys,
    /// Configurações → Conta.
    Account,
    /// Alterar senha.
    Password,
    /// Loja › Produtos.
    Products,
    /// Loja › Pedidos.
    Orders,
}

/// A whole page: `<head>` with the embedded stylesheet and script, the
/// navigation when signed in, the flash message when there is one
/// ([`crate::flash`]), and `body`.
pub fn layout(title: &str, nav: Option<(&Signed, Section)>, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="pt-BR" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · vitrine" }
                link rel="stylesheet" href="/painel/assets/painel.css";
                script src="/painel/assets/painel.js" defer {}
            }
            body {
                header.top {
                    a.brand href="/painel" { "vitrine" }
                    @if let Some((signed, current)) = nav {
                        nav {
                            (nav_link("/painel/negocios", "Negócios", current == Section::Deals))
                            (nav_link("/painel/clientes", "Clientes", current == Section::Clients))
                            (nav_link("/painel/veiculos", "Veículos", current == Section::Vehicles))
                            (nav_link("/painel/atividades", "Atividades", current == Section::Activities))
                            (nav_link("/painel/financeiro", "Financeiro", current == Section::Financial))
                            (nav_link("/painel/webhooks", "Webhooks", current == Section::Webhooks))
                            (nav_link("/painel/produtos", "Produtos", current == Section::Products))
                            (nav_link("/painel/pedidos", "Pedidos", current == Section::Orders))
                            (nav_link("/painel/configuracoes/lojas", "Lojas", current == Section::Stores))
                            (nav_link("/painel/configuracoes/api-keys", "API Keys", current == Section::ApiKeys))
                            (nav_link("/painel/configuracoes/conta", "Conta", current == Section::Account))
                            (nav_link("/painel/senha", "Senha", current == Section::Password))
                        }
                        form.signout method="post" action="/painel/sair" {
                            (csrf_field(&signed.csrf))
                            span.who { (signed.email) }
                            button.link type="submit" id="sair" { "Sair" }
                        }
                    }
                }
                main {
                    @if let Some(message) = nav.and_then(|(signed, _)| signed.flash.as_deref()) {
                        (crate::flash::banner(message))
                    }
                    (body)
                }
            }
        }
    }
}

fn nav_link(href: &str, label: &str, current: bool) -> Markup {
    html! {
        @if current {
            a.current href=(href) aria-current="page" { (label) }
        } @else {
            a href=(href) { (label) }
        }
    }
}

/// The hidden CSRF field of a form.
pub fn csrf_field(token: &str) -> Markup {
    html! { input type="hidden" name=(csrf::FIELD) value=(token); }
}

/// A read-only value with a copy button (`data-copy` is handled by the
/// embedded script).
pub fn copy_field(id: &str, label: &str, value: &str) -> Markup {
    html! {
        label for=(id) { (label) }
        div.copy {
            input type="text" readonly id=(id) value=(value);
            button type="button" data-copy=(id) { "Copiar" }
        }
    }
}

/// A list of messages in an alert box (errors or notices).
pub fn alert(kind: &str, messages: &[String]) -> Markup {
    html! {
        @if !messages.is_empty() {
            div class={ "alert " (kind) } role="alert" {
                @for m in messages { p { (m) } }
            }
        }
    }
}

/// A date and time in the Brazilian order, in the account's zone
/// (`10/12/2026 14:00`).
pub fn when(t: DateTime<Utc>, zone: TimeZone) -> String {
    zone.local(t).format("%d/%m/%Y %H:%M").to_string()
}

/// Like [`when`], with a dash for "never".
pub fn when_opt(t: Option<DateTime<Utc>>, zone: TimeZone) -> String {
    t.map(|t| when(t, zone)).unwrap_or_else(|| "—".to_owned())
}

/// An amount in reais as Brazilians write it: `R$ 142.900,00`.
pub fn brl(m: Money) -> String {
    format!("R$ {}", m.brazilian())
}

/// Like [`brl`], with a dash for "no value".
pub fn brl_opt(m: Option<Money>) -> String {
    m.map(brl).unwrap_or_else(|| "—".to_owned())
}

/// The page of an error.
pub fn error_page(title: &str, messages: &[String]) -> Markup {
    layout(
        title,
        None,
        html! {
            section.card {
                h1 { (title) }
                (alert("error", messages))
                p { a href="/painel" { "Voltar ao painel" } }
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_the_brazilian_format() {
        let m = |s: &str| Money::parse_literal(s).expect("money");
        assert_eq!(brl(m("142900")), "R$ 142.900,00");
        assert_eq!(brl(m("0.5")), "R$ 0,50");
        assert_eq!(brl(m("999.99")), "R$ 999,99");
        assert_eq!(brl(m("1000")), "R$ 1.000,00");
        assert_eq!(brl(m("1234567.89")), "R$ 1.234.567,89");
        assert_eq!(brl_opt(None), "—");
    }

    #[test]
    fn times_in_the_accounts_zone() {
        let t = DateTime::parse_from_rfc3339("2026-12-10T17:00:00Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(when(t, TimeZone::default()), "10/12/2026 14:00");
        let manaus = TimeZone::parse("tz", "America/Manaus").expect("zone");
        assert_eq!(when(t, manaus), "10/12/2026 13:00");
        assert_eq!(when_opt(None, manaus), "—");
    }
}
