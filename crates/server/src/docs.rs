//! `/docs`: Swagger UI over both OpenAPI documents, working offline. The
//! UI's files ship inside the `swagger-ui-redist` crate and are embedded
//! in the binary (`include_bytes!`): no CDN, no download at build time.
//! `/docs` opens the Auto API, `/docs/loja` the Loja API; the page's
//! selector switches between them.

use axum::extract::Path;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use swagger_ui_redist::{SwaggerUi, SwaggerUiStaticFile, Url};

/// Where the Auto API's document is served.
pub const AUTO_DOC: &str = "/api/v1/openapi.json";
/// Where the Loja API's document is served.
pub const LOJA_DOC: &str = "/openapi/loja.json";

/// `/docs`, `/docs/loja` and `/docs/assets/{file}`.
pub fn router() -> Router {
    let auto = page(true);
    let loja = page(false);
    Router::new()
        .route("/docs", get(move || async move { auto }))
        .route("/docs/loja", get(move || async move { loja }))
        .route("/docs/assets/{file}", get(asset))
}

/// The page, opening on the Auto document (`auto_first`) or the Loja one.
fn page(auto_first: bool) -> Html<String> {
    let mut ui = SwaggerUi::new();
    ui.title("vitrine — API docs");
    ui.config()
        .urls([
            Url::with_primary("Auto API v1", AUTO_DOC, auto_first),
            Url::with_primary("Loja API", LOJA_DOC, !auto_first),
        ])
        // The default validator is a third-party service: never call out.
        .validator_url("none")
        .persist_authorization(true);
    for file in SwaggerUiStaticFile::all() {
        ui.override_file_path(*file, format!("/docs/assets/{}", file.file_name()));
    }
    match ui.serve() {
        Ok(html) => Html(html),
        Err(e) => {
            tracing::error!(error = ?e, "could not render the docs page");
            Html("<!DOCTYPE html><title>docs</title><p>Documentation unavailable.</p>".into())
        }
    }
}

async fn asset(Path(file): Path<String>) -> Response {
    let found = SwaggerUi::static_files()
        .iter()
        .find(|(kind, _)| kind.file_name() == file);
    let Some((kind, bytes)) = found else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let content_type = match kind {
        SwaggerUiStaticFile::Css | SwaggerUiStaticFile::IndexCss => "text/css; charset=utf-8",
        SwaggerUiStaticFile::Js | SwaggerUiStaticFile::StandalonePresetJs => {
            "text/javascript; charset=utf-8"
        }
        _ => "image/png",
    };
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        *bytes,
    )
        .into_response()
}
