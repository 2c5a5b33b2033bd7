//! The Auto API success envelope (ecosys-auto-api.md §3.4).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// `200 {"success": true, "data": …}`.
#[derive(Debug)]
pub struct Data<T>(pub T);

/// `201 {"success": true, "data": …}` for creations.
#[derive(Debug)]
pub struct Created<T>(pub T);

/// `200 {"success": true, "data": [...], "pagination": {...}}`.
#[derive(Debug)]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// Where this page sits.
    pub pagination: Pagination,
}

/// The documented `pagination` object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Pagination {
    /// Page served (1-based).
    pub page: u32,
    /// Effective limit.
    pub limit: u32,
    /// Count of all matching items.
    pub total: u64,
    /// `ceil(total / limit)`, 0 when there is nothing.
    pub pages: u64,
}

impl Pagination {
    /// Computes `pages` from the other three.
    pub fn new(page: u32, limit: u32, total: u64) -> Self {
        Self {
            page,
            limit,
            total,
            pages: total.div_ceil(u64::from(limit.max(1))),
        }
    }
}

#[derive(Serialize)]
struct Body<'a, T> {
    success: bool,
    data: &'a T,
    #[serde(skip_serializing_if = "Option::is_none")]
    pagination: Option<Pagination>,
}

fn render<T: Serialize>(status: StatusCode, data: &T, pagination: Option<Pagination>) -> Response {
    let body = Body {
        success: true,
        data,
        pagination,
    };
    (status, Json(body)).into_response()
}

impl<T: Serialize> IntoResponse for Data<T> {
    fn into_response(self) -> Response {
        render(StatusCode::OK, &self.0, None)
    }
}

impl<T: Serialize> IntoResponse for Created<T> {
    fn into_response(self) -> Response {
        render(StatusCode::CREATED, &self.0, None)
    }
}

impl<T: Serialize> IntoResponse for Page<T> {
    fn into_response(self) -> Response {
        render(StatusCode::OK, &self.items, Some(self.pagination))
    }
}

#[cfg(test)]
mod tests {
    use super::Pagination;

    #[test]
    fn pages_round_up_and_zero_total_has_zero_pages() {
        assert_eq!(Pagination::new(1, 20, 150).pages, 8);
        assert_eq!(Pagination::new(1, 20, 1).pages, 1);
        assert_eq!(Pagination::new(1, 20, 0).pages, 0);
        assert_eq!(Pagination::new(1, 100, 100).pages, 1);
    }
}
