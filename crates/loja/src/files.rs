//! Serving stored images back. Paths are public (a storefront shows them)
//! and carry the store id, so stores never share a name.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use vitrine_core::media::ImageKind;

use crate::LojaState;

/// `GET /media/{*path}`: the file, with its type, or 404.
pub(crate) async fn get_media(
    State(state): State<LojaState>,
    Path(path): Path<String>,
) -> Response {
    let Some(kind) = ImageKind::from_extension(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    match state.media.get(&path).await {
        Ok(Some(bytes)) => (
            [
                (header::CONTENT_TYPE, kind.mime()),
                (header::CACHE_CONTROL, "public, max-age=86400"),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            ],
            bytes,
        )
            .into_response(),
        Ok(None) | Err(vitrine_store::media::MediaError::InvalidPath) => {
            StatusCode::NOT_FOUND.into_response()
        }
        Err(e) => {
            tracing::error!(error = ?e, "media read failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
