//! Auto API routes, one module per resource.

mod activities;
mod clients;
mod deals;
mod financial;
mod params;
mod stores;
mod vehicles;
mod webhooks;

use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::openapi::ApiDoc;
use crate::AutoState;

/// Every route and its documented operation, registered by the same
/// `routes!` call (one call per path).
pub(crate) fn router() -> OpenApiRouter<AutoState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(stores::list_stores))
        .routes(routes!(clients::list_clients, clients::create_client))
        .routes(routes!(
            clients::get_client,
            clients::update_client,
            clients::deactivate_client
        ))
        .routes(routes!(clients::list_client_vehicles))
        .routes(routes!(vehicles::list_vehicles, vehicles::create_vehicle))
        .routes(routes!(
            vehicles::get_vehicle,
            vehicles::update_vehicle,
            vehicles::archive_vehicle
        ))
        .routes(routes!(deals::list_deals, deals::create_deal))
        .routes(routes!(
            deals::get_deal,
            deals::update_deal,
            deals::archive_deal
        ))
        .routes(routes!(deals::move_deal_phase))
        .routes(routes!(
            activities::list_activities,
            activities::create_activity
        ))
        .routes(routes!(
            activities::get_activity,
            activities::update_activity,
            activities::delete_activity
        ))
        .routes(routes!(
            financial::list_financial,
            financial::create_financial
        ))
        .routes(routes!(financial::financial_summary))
        .routes(routes!(
            financial::get_financial,
            financial::update_financial
        ))
        .routes(routes!(webhooks::list_webhooks, webhooks::create_webhook))
        .routes(routes!(
            webhooks::get_webhook,
            webhooks::update_webhook,
            webhooks::delete_webhook
        ))
        .routes(routes!(webhooks::list_deliveries))
        .routes(routes!(webhooks::get_delivery))
        .routes(routes!(webhooks::redeliver))
}
