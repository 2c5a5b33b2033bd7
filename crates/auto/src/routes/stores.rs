//! `GET /stores` — the extension listing the account's stores
//! (ecosys-auto-api.md, Decision 5; §4.7).

use axum::extract::State;

use crate::extract::ApiKeyAuth;
use crate::openapi::Paged;
use crate::AutoState;
use vitrine_auto_wire::envelope::{Page, Pagination};
use vitrine_auto_wire::out::StoreOut;
use vitrine_auto_wire::AutoError;

/// Lists every store of the caller's account (a handful, so one page).
#[utoipa::path(
    get,
    path = "/stores",
    tag = "stores",
    responses((status = 200, description = "Every store of the account", body = Paged<StoreOut>))
)]
pub async fn list_stores(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
) -> Result<Page<StoreOut>, AutoError> {
    let mut conn = app.store.conn().await?;
    let stores = conn.stores().list(auth.account_id).await?;
    let total = stores.len() as u64;
    let items: Vec<StoreOut> = stores.into_iter().map(StoreOut::from).collect();
    let limit = u32::try_from(items.len()).unwrap_or(u32::MAX).max(1);
    Ok(Page {
        items,
        pagination: Pagination::new(1, limit, total),
    })
}
