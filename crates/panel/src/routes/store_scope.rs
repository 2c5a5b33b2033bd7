//! What the Loja data screens (Produtos, Pedidos) share: the store in the
//! path, resolved in the session's account (another account's store is a
//! 404 page), the store switcher, paging and the query-string reader.

use axum::extract::{FromRequestParts, Path, RawQuery};
use axum::http::request::Parts;
use axum::response::Redirect;
use maud::{html, Markup};
use serde::de::DeserializeOwned;
use vitrine_core::ids::{AccountId, ShopScope, StoreId};
use vitrine_core::money::Money;
use vitrine_store::stores::StoreRow;

use crate::error::PanelError;
use crate::pages::brl;
use crate::PanelState;

/// `{store_id}/…/{id}` of a store-scoped record (`Id`: its typed id):
/// both must parse, or the page is a 404 like a record of another account.
pub struct StoreItemPath<Id> {
    /// The store.
    pub store: StoreId,
    /// The record's per-store id.
    pub id: Id,
}

impl<Id> StoreItemPath<Id> {
    /// The store, in the session's account.
    pub fn scope(&self, account: AccountId) -> ShopScope {
        ShopScope::new(account, self.store)
    }
}

impl<S: Send + Sync, Id: std::str::FromStr> FromRequestParts<S> for StoreItemPath<Id> {
    type Rejection = PanelError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path((store, id)) = Path::<(String, String)>::from_request_parts(parts, state)
            .await
            .map_err(|_| PanelError::NotFound)?;
        Ok(Self {
            store: store.parse().map_err(|_| PanelError::NotFound)?,
            id: id.parse().map_err(|_| PanelError::NotFound)?,
        })
    }
}

/// The query string as `T`; one that does not parse is read as empty
/// (filters are a convenience, never an error page).
pub struct Filters<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Default> FromRequestParts<S> for Filters<T> {
    type Rejection = PanelError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let RawQuery(raw) = RawQuery::from_request_parts(parts, state)
            .await
            .map_err(|_| PanelError::BadRequest)?;
        let parsed = raw
            .and_then(|q| serde_urlencoded::from_str(&q).ok())
            .unwrap_or_default();
        Ok(Self(parsed))
    }
}

/// The store (of this account) and every store of the account, for the switcher.
pub async fn store_and_all(
    state: &PanelState,
    account: AccountId,
    id: StoreId,
) -> Result<(StoreRow, Vec<StoreRow>), PanelError> {
    let mut conn = state.store.conn().await?;
    let store = conn.stores().get(account, id).await?;
    let all = conn.stores().list(account).await?;
    Ok((store, all))
}

/// `/painel/produtos`, `/painel/pedidos`: the account's first store's
/// screen (`section` is `produtos` or `pedidos`).
pub async fn first_store(
    state: &PanelState,
    account: AccountId,
    section: &str,
) -> Result<Redirect, PanelError> {
    let stores = state.store.conn().await?.stores().list(account).await?;
    Ok(match stores.first() {
        Some(s) => Redirect::to(&format!("/painel/lojas/{}/{section}", s.id)),
        None => Redirect::to("/painel/configuracoes/lojas"),
    })
}

/// Links to the same screen of the account's other stores (none with one store).
pub fn store_switcher(current: &StoreRow, all: &[StoreRow], section: &str) -> Markup {
    html! {
        @if all.len() > 1 {
            nav.stores aria-label="Lojas" {
                span.muted { "Loja: " }
                @for s in all {
                    @if s.id == current.id {
                        strong { (s.name) }
                    } @else {
                        a href={ "/painel/lojas/" (s.id) "/" (section) } { (s.name) }
                    }
                }
            }
        }
    }
}

/// Rows per list page.
pub const PAGE_SIZE: i64 = 50;

/// A 1-based page number from the query (`pagina`), never below 1.
pub fn page_number(raw: &str) -> i64 {
    raw.trim()
        .parse::<i64>()
        .ok()
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

/// The offset of a 1-based page.
pub fn offset_of(page: i64) -> i64 {
    page.saturating_sub(1).saturating_mul(PAGE_SIZE)
}

/// Where a list page is: its number, whether another follows, and the
/// total of the list when it is known.
#[derive(Debug, Clone, Copy)]
pub struct PageAt {
    /// 1-based.
    pub number: i64,
    /// A next page exists.
    pub has_next: bool,
    /// Every matching row.
    pub total: Option<i64>,
}

/// "Anterior" / "Próxima" links and, when known, the total;
/// `href(page)` builds a page's address.
pub fn pager(at: PageAt, href: impl Fn(i64) -> String) -> Markup {
    let PageAt {
        number: page,
        has_next,
        total,
    } = at;
    let pages = total.map(|t| (t + PAGE_SIZE - 1) / PAGE_SIZE);
    html! {
        @if page > 1 || has_next || total.is_some() {
            nav.pager aria-label="Páginas" {
                @if page > 1 {
                    a id="pagina-anterior" href=(href(page - 1)) { "‹ Anterior" }
                }
                span.muted {
                    "Página " (page)
                    @if let Some(p) = pages { " de " (p.max(1)) }
                    @if let Some(t) = total { " · " (t) " no total" }
                }
                @if has_next {
                    a id="pagina-seguinte" href=(href(page + 1)) { "Próxima ›" }
                }
            }
        }
    }
}

/// Centavos in reais as Brazilians write them (`R$ 1.234,56`).
pub fn cents(c: i64) -> String {
    brl(Money::from_cents(c))
}

/// A query-string value, percent-encoded.
pub fn encode(value: &str) -> String {
    serde_urlencoded::to_string([("", value)])
        .map(|s| s.trim_start_matches('=').to_owned())
        .unwrap_or_default()
}
