//! The Loja success envelope (ecommloja-api.md §1.4): exactly `success`,
//! `errors`, `data`, in that order.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::dto::EmptyList;

#[derive(Serialize)]
struct Body<'a, E, T> {
    success: bool,
    errors: &'a E,
    data: &'a T,
}

/// Renders `{"success": success, "errors": errors, "data": data}`.
pub(crate) fn render<E: Serialize, T: Serialize>(
    status: StatusCode,
    success: bool,
    errors: &E,
    data: &T,
) -> Response {
    let body = Body {
        success,
        errors,
        data,
    };
    match serde_json::to_vec(&body) {
        Ok(bytes) => {
            let mut response = (status, bytes).into_response();
            response.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json; charset=utf-8"),
            );
            response
        }
        Err(e) => {
            tracing::error!(error = ?e, "loja response could not be serialised");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// `200 {"success": true, "errors": [], "data": data}`.
pub fn ok<T: Serialize>(data: &T) -> Response {
    render(StatusCode::OK, true, &EmptyList, data)
}

/// `201 {"success": true, "errors": [], "data": data}`: the extensions
/// that create answer the new id.
pub(crate) fn created_with<T: Serialize>(data: &T) -> Response {
    render(StatusCode::CREATED, true, &EmptyList, data)
}

/// `201 {"success": true, "errors": [], "data": []}` — writes answer an empty array.
pub fn created() -> Response {
    created_with(&EmptyList)
}

/// `200 {"success": true, "errors": [], "data": []}` — updates and deletes.
pub fn done() -> Response {
    ok(&EmptyList)
}
