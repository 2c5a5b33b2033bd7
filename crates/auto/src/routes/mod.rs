//! Auto API routes, one module per resource.

mod clients;
mod deals;
mod refs;
mod stores;
mod vehicles;

use axum::routing::{get, put};
use axum::Router;

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
}
