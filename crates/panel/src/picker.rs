//! Choosing a client or a vehicle in a form when an account has thousands:
//! a select of the first matches by name plus a search box. Without
//! JavaScript the box's "Buscar" button posts the form back, which comes
//! back unsaved with the select holding the matches (the search step);
//! with the embedded script the select is refilled as one types, from
//! `/painel/clientes/opcoes?q=` or `/painel/veiculos/opcoes?q=`. The
//! matches come from an index in name order (`Clients::pick`,
//! `Vehicles::pick`), never from sorting the whole account.

use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::IntoResponse;
use maud::{html, Markup};
use serde::Deserialize;
use vitrine_core::ids::AccountId;
use vitrine_core::text;

use crate::error::PanelError;
use crate::session::Signed;
use crate::PanelState;

/// How many matches a picker offers at once.
pub const PICK_LIMIT: u32 = 20;

/// The name of the submit button that asks for a search step; its value
/// is the field searched (`client_id`, `vehicle_id`).
pub const SEARCH_BUTTON: &str = "buscar";

/// Which records a picker chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Clients, by name.
    Client,
    /// Vehicles in stock, by title.
    Vehicle,
}

impl Kind {
    fn source(self) -> &'static str {
        match self {
            Self::Client => "/painel/clientes/opcoes",
            Self::Vehicle => "/painel/veiculos/opcoes",
        }
    }
}

/// `(id, label)` of the records offered.
pub type Options = Vec<(String, String)>;

/// Up to [`PICK_LIMIT`] records matching `search` (the first by name when blank).
pub async fn options(
    state: &PanelState,
    account: AccountId,
    kind: Kind,
    search: &str,
) -> Result<Options, PanelError> {
    let patterns = text::search_patterns(search.trim());
    let mut conn = state.store.conn().await?;
    Ok(match kind {
        Kind::Client => conn
            .clients()
            .pick(account, patterns.as_ref(), PICK_LIMIT)
            .await?
            .into_iter()
            .map(|c| {
                let doc = c.client.cpf.as_deref().or(c.client.cnpj.as_deref());
                let label = match doc {
                    Some(d) => format!("{} ({d})", c.client.name),
                    None => c.client.name,
                };
                (c.id.to_string(), label)
            })
            .collect(),
        Kind::Vehicle => conn
            .vehicles()
            .pick(account, patterns.as_ref(), PICK_LIMIT)
            .await?
            .into_iter()
            .map(|v| {
                let label = match &v.vehicle.plate {
                    Some(p) => format!("{} ({p})", v.vehicle.title),
                    None => v.vehicle.title,
                };
                (v.id.to_string(), label)
            })
            .collect(),
    })
}

/// One picker as a form shows it.
pub struct Picker<'a> {
    /// Which records.
    pub kind: Kind,
    /// The select's DOM id.
    pub id: &'a str,
    /// The posted field (`client_id`).
    pub name: &'a str,
    /// The posted search field (`client_search`).
    pub search_name: &'a str,
    /// The label.
    pub label: &'a str,
    /// The search typed, kept in the box.
    pub search: &'a str,
    /// The chosen id (empty for none).
    pub chosen: &'a str,
    /// The chosen record's name, for when it is not among the options
    /// (so saving never drops the link).
    pub chosen_label: Option<String>,
    /// The records offered.
    pub options: &'a [(String, String)],
}

impl Picker<'_> {
    /// The label, the search box with its button, and the select.
    pub fn render(&self) -> Markup {
        let search_id = format!("{}-busca", self.id);
        let listed = self.options.iter().any(|(id, _)| id == self.chosen);
        html! {
            label for=(self.id) { (self.label) }
            div.pick {
                input type="search" id=(search_id) name=(self.search_name) value=(self.search)
                    placeholder="Buscar pelo nome ou documento" autocomplete="off"
                    data-picker=(self.id) data-source=(self.kind.source());
                button.small type="submit" name=(SEARCH_BUTTON) value=(self.name) formnovalidate id={ (self.id) "-buscar" } { "Buscar" }
            }
            select id=(self.id) name=(self.name) {
                option value="" { "Nenhum" }
                @if !self.chosen.is_empty() && !listed {
                    option value=(self.chosen) selected {
                        (self.chosen_label.clone().unwrap_or_else(|| "Escolhido".to_owned()))
                    }
                }
                (option_list(self.options, self.chosen))
            }
        }
    }
}

fn option_list(options: &[(String, String)], chosen: &str) -> Markup {
    html! {
        @for (id, label) in options {
            option value=(id) selected[id == chosen] { (label) }
        }
    }
}

/// A hidden submit button placed first in a form that has pickers: the
/// button Enter presses (the form's default), so Enter in any field saves
/// the form rather than running the first picker's search.
pub fn default_submit(label: &str) -> Markup {
    html! { button.sr type="submit" tabindex="-1" aria-hidden="true" { (label) } }
}

/// The query of the options endpoints.
#[derive(Debug, Default, Deserialize)]
struct OptionsQuery {
    #[serde(default)]
    q: String,
}

async fn respond(
    state: &PanelState,
    signed: &Signed,
    kind: Kind,
    raw: Option<String>,
) -> Result<impl IntoResponse, PanelError> {
    // A query that does not parse searches for nothing in particular.
    let query: OptionsQuery = raw
        .and_then(|r| serde_urlencoded::from_str(&r).ok())
        .unwrap_or_default();
    let found = options(state, signed.account, kind, &query.q).await?;
    Ok((
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        option_list(&found, ""),
    ))
}

/// GET /painel/clientes/opcoes?q= — the `<option>`s of the clients matching `q`.
pub async fn client_options(
    State(state): State<PanelState>,
    signed: Signed,
    RawQuery(raw): RawQuery,
) -> Result<impl IntoResponse, PanelError> {
    respond(&state, &signed, Kind::Client, raw).await
}

/// GET /painel/veiculos/opcoes?q= — the `<option>`s of the vehicles matching `q`.
pub async fn vehicle_options(
    State(state): State<PanelState>,
    signed: Signed,
    RawQuery(raw): RawQuery,
) -> Result<impl IntoResponse, PanelError> {
    respond(&state, &signed, Kind::Vehicle, raw).await
}
