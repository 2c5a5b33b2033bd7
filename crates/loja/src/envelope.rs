//! The Loja success envelope (ecommloja-api.md §1.4): exactly `success`,
//! `errors`, `data`, in that order.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

#[derive(Serialize)]
struct Body<'a, T> {
    success: bool,
    errors: &'a Value,
    data: &'a T,
}

/// Renders `{"success": success, "errors": errors, "data": data}`.
pub(crate) fn render<T: Serialize>(
    status: StatusCode,
    success: bool,
    errors: &Value,
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
    render(StatusCode::OK, true, &Value::Array(Vec::new()), data)
}

/// `201 {"success": true, "errors": [], "data": []}` — writes answer an empty array.
pub fn created() -> Response {
    render(
        StatusCode::CREATED,
        true,
        &Value::Array(Vec::new()),
        &Value::Array(Vec::new()),
    )
}

/// `200 {"success": true, "errors": [], "data": []}` — updates and deletes.
pub fn done() -> Response {
    ok(&Value::Array(Vec::new()))
}
