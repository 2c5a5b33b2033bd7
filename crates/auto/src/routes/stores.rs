//! `GET /stores` — the extension listing the account's stores
//! (ecosys-auto-api.md, Decision 5; §4.7).

use axum::extract::{RawQuery, State};

use vitrine_core::ids::StoreId;

use crate::extract::ApiKeyAuth;
use crate::openapi::{PageParams, Paged};
use crate::AutoError;
use crate::AutoState;
use vitrine_auto_wire::envelope::{Page, Pagination};
use vitrine_auto_wire::out::StoreOut;
use vitrine_auto_wire::query::ListQuery;

/// Lists the caller's account's stores, oldest first, paged with `page`
/// and `limit` like every other list (§3.7).
#[utoipa::path(
    get,
    path = "/stores",
    tag = "stores",
    params(PageParams),
    responses((status = 200, description = "A page of the account's stores", body = Paged<StoreOut>))
)]
pub async fn list_stores(
    auth: ApiKeyAuth,
    State(app): State<AutoState>,
    RawQuery(raw): RawQuery,
) -> Result<Page<StoreOut>, AutoError> {
    let mut q = ListQuery::parse(raw.as_deref())?;
    let paging = q.paging();
    q.finish_known()?;
    let mut conn = app.store.conn().await?;
    let (stores, total) = conn
        .stores()
        .page(auth.account_id, paging.limit, paging.offset())
        .await?;
    Ok(Page {
        items: stores
            .into_iter()
            .map(|s| StoreOut::new(StoreId(s.id), s.name, s.created_at))
            .collect(),
        pagination: Pagination::new(paging.page, paging.limit, total),
    })
}
