//! `/docs`: Swagger UI over both OpenAPI documents, working offline, and
//! `GET /` for people (a short page pointing to the panel and the docs).
//!
//! The UI's files ship inside the `swagger-ui-redist` crate and are embedded
//! in the binary (`include_bytes!`): no CDN, no download at build time.
//! `/docs` opens the Auto API, `/docs/loja` the Loja API; the page's
//! selector switches between them.
//!
//! These pages share the panel's origin, so they get the panel's headers:
//! a Content-Security-Policy that allows scripts and styles from this
//! origin only (the UI's start-up script is a file here, not inline),
//! no framing, no sniffing. Swagger UI does not persist what is pasted in
//! "Authorize" (`persistAuthorization: false`): an API key or store token
//! never lands in the browser's `localStorage` for this origin.

use axum::extract::{Path, Request};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use swagger_ui_redist::{SwaggerUi, SwaggerUiStaticFile, Url};

/// Where the Auto API's document is served.
pub const AUTO_DOC: &str = "/api/v1/openapi.json";
/// Where the Loja API's document is served.
pub const LOJA_DOC: &str = "/openapi/loja.json";

/// The panel's policy, plus `data:` images (Swagger UI's stylesheet draws
/// its icons with them).
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; img-src 'self' data:; \
     form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// `/docs`, `/docs/loja`, their start-up scripts and `/docs/assets/{file}`.
pub fn router() -> Router {
    let auto = page(AUTO_INIT);
    let loja = page(LOJA_INIT);
    let auto_init = init_script(true);
    let loja_init = init_script(false);
    Router::new()
        .route("/docs", get(move || async move { auto }))
        .route("/docs/loja", get(move || async move { loja }))
        .route(AUTO_INIT, get(move || script(auto_init.clone())))
        .route(LOJA_INIT, get(move || script(loja_init.clone())))
        .route("/docs/assets/{file}", get(asset))
        .layer(middleware::from_fn(page_headers))
}

const AUTO_INIT: &str = "/docs/start/auto.js";
const LOJA_INIT: &str = "/docs/start/loja.js";

/// The page: Swagger UI's stylesheets and scripts, then its start-up script.
fn page(init: &str) -> Html<String> {
    let asset = |file: SwaggerUiStaticFile| format!("/docs/assets/{}", file.file_name());
    Html(format!(
        r#"<!DOCTYPE html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vitrine — documentação das APIs</title>
<link rel="stylesheet" href="{css}">
<link rel="stylesheet" href="{index_css}">
<link rel="icon" type="image/png" href="{icon32}" sizes="32x32">
<link rel="icon" type="image/png" href="{icon16}" sizes="16x16">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{bundle}"></script>
<script src="{preset}"></script>
<script src="{init}"></script>
</body>
</html>
"#,
        css = asset(SwaggerUiStaticFile::Css),
        index_css = asset(SwaggerUiStaticFile::IndexCss),
        icon32 = asset(SwaggerUiStaticFile::Favicon32),
        icon16 = asset(SwaggerUiStaticFile::Favicon16),
        bundle = asset(SwaggerUiStaticFile::Js),
        preset = asset(SwaggerUiStaticFile::StandalonePresetJs),
    ))
}

/// Swagger UI's configuration, opening on the Auto document (`auto_first`)
/// or the Loja one, as a script served from this origin.
fn init_script(auto_first: bool) -> String {
    let mut ui = SwaggerUi::new();
    ui.config()
        .urls([
            Url::with_primary("Auto API v1", AUTO_DOC, auto_first),
            Url::with_primary("Loja API", LOJA_DOC, !auto_first),
        ])
        // The default validator is a third-party service: never call out.
        .validator_url("none")
        // Credentials typed into "Authorize" stay in the page's memory.
        .persist_authorization(false);
    let config = match serde_json::to_string(ui.config()) {
        Ok(json) => json,
        Err(e) => {
            tracing::error!(error = ?e, "could not render the docs configuration");
            "{}".to_owned()
        }
    };
    format!(
        "window.addEventListener(\"load\", function () {{\n\
         \x20 var config = {config};\n\
         \x20 config.presets = [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset];\n\
         \x20 config.plugins = [SwaggerUIBundle.plugins.DownloadUrl];\n\
         \x20 window.ui = SwaggerUIBundle(config);\n\
         }});\n"
    )
}

async fn script(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        body,
    )
        .into_response()
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

/// The panel's headers on every page served here.
async fn page_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    protect_page(res.headers_mut());
    res
}

fn protect_page(h: &mut HeaderMap) {
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
}

/// `GET /` from a browser (one that accepts HTML): a short page in
/// Portuguese pointing to the panel and the API docs. Other clients, and
/// every other path, go on as before (the Loja face answers `/`).
pub async fn landing(req: Request, next: Next) -> Response {
    let for_people = req.uri().path() == "/"
        && matches!(*req.method(), Method::GET | Method::HEAD)
        && accepts_html(req.headers());
    if !for_people {
        return next.run(req).await;
    }
    let mut res = Html(LANDING).into_response();
    protect_page(res.headers_mut());
    res
}

/// Does `Accept` name `text/html` (a browser navigating)? `*/*` alone, as
/// curl and API clients send, does not count.
fn accepts_html(headers: &HeaderMap) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|item| {
            let mut parts = item.split(';');
            let media = parts.next()?.trim();
            // `text/html;q=0` means "not HTML".
            let refused = parts.any(|p| {
                p.trim()
                    .strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            (!refused).then_some(media)
        })
        .any(|media| media.eq_ignore_ascii_case("text/html"))
}

const LANDING: &str = r#"<!DOCTYPE html>
<html lang="pt-BR">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>vitrine</title>
</head>
<body>
<main>
<h1>vitrine</h1>
<p>Este endereço serve o painel e as APIs da vitrine.</p>
<ul>
<li><a href="/painel">Painel</a>: entre com o e-mail e a senha da sua conta.</li>
<li><a href="/docs">Documentação das APIs</a>: Auto API v1 e Loja API, com exemplos para testar.</li>
</ul>
</main>
</body>
</html>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_is_what_browsers_ask_for() {
        for (accept, html, why) in [
            (
                "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
                true,
                "a browser",
            ),
            ("*/*", false, "curl"),
            ("application/json", false, "an API client"),
            ("TEXT/HTML", true, "case"),
            ("text/html;q=0, application/json", false, "refused by q=0"),
        ] {
            let mut h = HeaderMap::new();
            h.insert(header::ACCEPT, HeaderValue::from_static(accept));
            assert_eq!(accepts_html(&h), html, "{why}");
        }
        assert!(!accepts_html(&HeaderMap::new()), "no Accept");
    }

    #[test]
    fn the_start_up_script_never_persists_credentials() {
        let script = init_script(true);
        assert!(
            script.contains(r#""persistAuthorization":false"#),
            "{script}"
        );
        assert!(
            script.contains(r#""urls.primaryName":"Auto API v1""#),
            "{script}"
        );
        assert!(script.contains(r#""validatorUrl":"none""#), "{script}");
        assert!(init_script(false).contains(r#""urls.primaryName":"Loja API""#));
    }
}
