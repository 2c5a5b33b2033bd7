//! What the list screens share: the query string read with the Auto
//! API's own reader (so a filter means here what it means in `GET /…`),
//! and the pager that keeps the filters from page to page.

use maud::{html, Markup};
use vitrine_auto_wire::query::ListQuery;
use vitrine_core::listing::Paging;

use crate::error::PanelError;

/// The list's query string, read by the Auto API's reader.
pub fn list_query(raw: Option<&str>) -> Result<ListQuery, PanelError> {
    Ok(ListQuery::parse(raw)?)
}

/// The query string for another page of the same list.
pub fn page_link(base: &str, pairs: &[(String, String)], page: u32) -> String {
    let mut kept: Vec<(&str, &str)> = pairs
        .iter()
        .filter(|(k, v)| k != "page" && !v.trim().is_empty())
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let page = page.to_string();
    kept.push(("page", &page));
    let query = serde_urlencoded::to_string(&kept).unwrap_or_default();
    format!("{base}?{query}")
}

/// The raw query's pairs, to refill the filter form and build page links.
pub fn query_pairs(raw: Option<&str>) -> Vec<(String, String)> {
    serde_urlencoded::from_str(raw.unwrap_or_default()).unwrap_or_default()
}

/// The value of `name` in the query pairs (empty when absent).
pub fn pair<'a>(pairs: &'a [(String, String)], name: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

/// "Página 2 de 5" with links to the previous and next pages.
pub fn pager(base: &str, pairs: &[(String, String)], paging: Paging, total: u64) -> Markup {
    let pages = total.div_ceil(u64::from(paging.limit)).max(1);
    let page = u64::from(paging.page);
    html! {
        nav.pager aria-label="Paginação" {
            @if paging.page > 1 {
                a rel="prev" href=(page_link(base, pairs, paging.page - 1)) { "‹ Anterior" }
            }
            span { "Página " (page) " de " (pages) " · " (total) " no total" }
            @if page < pages {
                a rel="next" href=(page_link(base, pairs, paging.page + 1)) { "Próxima ›" }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_keep_the_filters() {
        let pairs = query_pairs(Some("brand=Fiat&page=2&search="));
        assert_eq!(
            page_link("/painel/veiculos", &pairs, 3),
            "/painel/veiculos?brand=Fiat&page=3"
        );
        assert_eq!(pair(&pairs, "brand"), "Fiat");
        assert_eq!(pair(&pairs, "status"), "");
    }
}
