//! `GET /design/getDesignforProducts` (ecommloja-api.md E61).

use crate::dto::catalog::DesignSettings;
use crate::endpoints::{Ctx, Reply};
use crate::envelope;

/// The store's settings: documented defaults overlaid with its own values.
pub(crate) fn get_design_for_products(ctx: Ctx) -> Reply {
    Box::pin(async move {
        let mut conn = ctx.state.store.conn().await?;
        let overrides = conn.design().overrides(ctx.scope).await?;
        let settings = DesignSettings::with(&overrides);
        Ok(envelope::ok(&settings))
    })
}
