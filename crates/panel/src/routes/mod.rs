//! The panel's routes, one module per screen.

mod account;
mod activities;
mod api_keys;
mod auth;
mod clients;
mod credentials;
mod deals;
mod financial;
mod financial_summary;
mod orders;
mod products;
mod store_scope;
mod stores;
mod vehicle_form;
mod vehicles;
mod webhooks;

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;

use vitrine_core::FieldError;
use vitrine_store::Tx;

use crate::error::PanelError;
use crate::{assets, flash, PanelState};

/// Commits what a use case wrote in `tx`. What it refused about the input
/// (`vitrine_app::Error::into_problems`) comes back as the problems the
/// form shows at its fields, with the transaction dropped: nothing written.
pub(crate) async fn commit_or_problems<T>(
    tx: Tx,
    done: vitrine_app::Result<T>,
) -> Result<Result<T, Vec<FieldError>>, PanelError> {
    match done {
        Ok(saved) => {
            tx.commit().await?;
            Ok(Ok(saved))
        }
        Err(e) => Ok(Err(e.into_problems()?)),
    }
}

/// Every panel route; nested under `/painel` by the server.
pub fn router(state: PanelState) -> Router {
    Router::new()
        .route("/", get(auth::home))
        .route("/entrar", get(auth::sign_in_page).post(auth::sign_in))
        .route("/cadastro", get(auth::sign_up_page).post(auth::sign_up))
        .route("/sair", post(auth::sign_out))
        .route(
            "/senha",
            get(auth::password_page).post(auth::change_password),
        )
        .route(
            "/configuracoes/lojas",
            get(stores::list_stores).post(stores::create_store),
        )
        .route(
            "/configuracoes/lojas/{id}",
            get(stores::show_store).post(stores::rename_store),
        )
        .route(
            "/configuracoes/api-keys",
            get(api_keys::list_keys).post(api_keys::create_key),
        )
        .route(
            "/configuracoes/api-keys/{id}/revogar",
            get(api_keys::confirm_revoke_key).post(api_keys::revoke_key),
        )
        .route(
            "/configuracoes/conta",
            get(account::account_page).post(account::update_account),
        )
        .route(
            "/lojas/{id}/api",
            get(credentials::show_credentials).post(credentials::rotate_credentials),
        )
        .route(
            "/lojas/{id}/api/rotacionar",
            get(credentials::confirm_rotation),
        )
        .route("/negocios", get(deals::board))
        .route("/negocios/{id}/fase", post(deals::move_deal))
        .route(
            "/negocios/{id}/ganho",
            get(deals::confirm_won).post(deals::mark_deal_won),
        )
        .route(
            "/negocios/{id}/perdido",
            get(deals::confirm_lost).post(deals::mark_deal_lost),
        )
        .route(
            "/negocios/{id}/reabrir",
            get(deals::confirm_reopen).post(deals::reopen_deal),
        )
        .route(
            "/clientes",
            get(clients::list_clients).post(clients::create_client),
        )
        .route("/clientes/novo", get(clients::new_client))
        .route("/clientes/opcoes", get(crate::picker::client_options))
        .route("/veiculos/opcoes", get(crate::picker::vehicle_options))
        .route(
            "/veiculos",
            get(vehicles::list_vehicles).post(vehicle_form::create_vehicle),
        )
        .route("/veiculos/novo", get(vehicle_form::new_vehicle))
        .route(
            "/veiculos/{id}",
            get(vehicles::show_vehicle).post(vehicle_form::update_vehicle),
        )
        .route("/veiculos/{id}/editar", get(vehicle_form::edit_vehicle))
        .route(
            "/atividades",
            get(activities::list_activities).post(activities::create_activity),
        )
        .route("/atividades/nova", get(activities::new_activity))
        .route(
            "/atividades/{id}/concluir",
            get(activities::confirm_complete).post(activities::complete_activity),
        )
        .route(
            "/financeiro",
            get(financial::list_records).post(financial::create_record),
        )
        .route("/financeiro/novo", get(financial::new_record))
        .route("/financeiro/resumo", get(financial_summary::summary))
        .route("/financeiro/{id}/pago", post(financial::mark_paid))
        .route(
            "/webhooks",
            get(webhooks::list_webhooks).post(webhooks::create_webhook),
        )
        .route("/webhooks/novo", get(webhooks::new_webhook))
        .route(
            "/webhooks/{id}",
            get(webhooks::show_webhook).post(webhooks::update_webhook),
        )
        .route("/webhooks/{id}/editar", get(webhooks::edit_webhook))
        .route("/webhooks/{id}/desativar", post(webhooks::disable_webhook))
        .route("/webhooks/{id}/ativar", post(webhooks::enable_webhook))
        .route(
            "/webhooks/{id}/entregas/{delivery_id}",
            get(webhooks::show_delivery),
        )
        .route(
            "/webhooks/{id}/entregas/{delivery_id}/reenviar",
            post(webhooks::redeliver),
        )
        .route("/produtos", get(products::first_store_products))
        .route("/lojas/{id}/produtos", get(products::list_products))
        .route("/lojas/{id}/produtos/{item}", get(products::show_product))
        .route(
            "/lojas/{id}/produtos/{item}/precos",
            post(products::update_unit),
        )
        .route("/pedidos", get(orders::first_store_orders))
        .route("/lojas/{id}/pedidos", get(orders::list_orders))
        .route("/lojas/{id}/pedidos/{item}", get(orders::show_order))
        .route(
            "/lojas/{id}/pedidos/{item}/status",
            post(orders::change_order_status),
        )
        .route("/assets/painel.css", get(assets::css))
        .route("/assets/painel.js", get(assets::js))
        .fallback(not_found)
        .method_not_allowed_fallback(not_found)
        .layer(middleware::from_fn(flash::clear_when_shown))
        .layer(middleware::from_fn(security_headers))
        .with_state(state)
}

async fn not_found() -> PanelError {
    PanelError::NotFound
}

/// Headers for every panel response: pages are private (never cached, never
/// framed) and may load scripts and styles only from this origin.
async fn security_headers(req: Request, next: Next) -> Response {
    let is_asset = req.uri().path().contains("/assets/");
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
        ),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !is_asset {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
