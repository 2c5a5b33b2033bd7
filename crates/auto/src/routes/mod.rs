//! Auto API routes, one module per resource.

mod activities;
mod clients;
mod deals;
mod financial;
mod refs;
mod stores;
mod vehicles;
mod webhooks;

use axum::routing::{get, post, put};

pub use activities::{activity_filter, ActivityOut};
use axum::Router;
pub use clients::ClientOut;
pub use deals::DealOut;
pub use financial::{financial_filter, FinancialOut};
pub use vehicles::{vehicle_filter, VehicleOut};

use crate::AutoState;

pub(crate) fn router() -> Router<AutoState> {
    Router::new()
        .route("/stores", get(stores::list_stores))
        .route(
            "/clients",
            get(clients::list_clients).post(clients::create_client),
        )
        .route(
            "/clients/{id}",
            get(clients::get_client)
                .put(clients::update_client)
                .patch(clients::update_client)
                .delete(clients::deactivate_client),
        )
        .route("/clients/{id}/vehicles", get(clients::list_client_vehicles))
        .route(
            "/vehicles",
            get(vehicles::list_vehicles).post(vehicles::create_vehicle),
        )
        .route(
            "/vehicles/{id}",
            get(vehicles::get_vehicle)
                .put(vehicles::update_vehicle)
                .patch(vehicles::update_vehicle)
                .delete(vehicles::archive_vehicle),
        )
        .route("/deals", get(deals::list_deals).post(deals::create_deal))
        .route(
            "/deals/{id}",
            get(deals::get_deal)
                .put(deals::update_deal)
                .patch(deals::update_deal)
                .delete(deals::archive_deal),
        )
        .route("/deals/{id}/phase", put(deals::move_deal_phase))
        .route(
            "/activities",
            get(activities::list_activities).post(activities::create_activity),
        )
        .route(
            "/activities/{id}",
            get(activities::get_activity)
                .put(activities::update_activity)
                .patch(activities::update_activity)
                .delete(activities::delete_activity),
        )
        .route(
            "/financial",
            get(financial::list_financial).post(financial::create_financial),
        )
        .route("/financial/summary", get(financial::financial_summary))
        .route(
            "/financial/{id}",
            get(financial::get_financial)
                .put(financial::update_financial)
                .patch(financial::update_financial),
        )
        .route(
            "/webhooks",
            get(webhooks::list_webhooks).post(webhooks::create_webhook),
        )
        .route(
            "/webhooks/{id}",
            get(webhooks::get_webhook)
                .put(webhooks::update_webhook)
                .patch(webhooks::update_webhook)
                .delete(webhooks::delete_webhook),
        )
        .route("/webhooks/{id}/deliveries", get(webhooks::list_deliveries))
        .route(
            "/webhooks/{id}/deliveries/{delivery_id}",
            get(webhooks::get_delivery),
        )
        .route(
            "/webhooks/{id}/deliveries/{delivery_id}/redeliver",
            post(webhooks::redeliver),
        )
}
