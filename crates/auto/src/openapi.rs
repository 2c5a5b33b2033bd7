//! The Auto API's OpenAPI 3.1 document (ecosys-auto-api.md).
//!
//! Each handler carries its `#[utoipa::path]` (method, path, parameters,
//! success body) and `routes::router` registers handlers with
//! `utoipa_axum::routes!`, which adds the route to the axum router and the
//! operation to the document in one call: a route without a documented
//! operation cannot be written, nor the other way round. What every
//! operation shares (the bearer key, the error envelope and the statuses
//! the extractors answer) is added once here, by [`Conventions`].

use utoipa::openapi::path::Operation;
use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, Schema};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, OpenApi, RefOr, Response, ResponseBuilder, Server,
};
use utoipa::{IntoParams, Modify, PartialSchema, ToSchema};

use vitrine_auto_wire::envelope::Pagination;
use vitrine_auto_wire::inputs::REQUIRED_ON_CREATE;

/// The document's fixed parts; `routes::router` adds the operations,
/// then `crate::router` applies [`Conventions`].
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "vitrine — Auto API v1",
        description = "CRM de concessionárias (ecosys-auto-api.md): clientes, veículos, \
            negociações, atividades, financeiro e webhooks. Servida em `/api/v1` e no \
            alias `/v1`. Toda resposta usa o envelope `{\"success\": …}`.",
    ),
    components(schemas(ErrorBody, ErrorObject, ErrorDetails, FieldProblem, Pagination)),
    tags(
        (name = "stores", description = "Lojas da conta"),
        (name = "clients", description = "Clientes (§4.1)"),
        (name = "vehicles", description = "Veículos (§4.2)"),
        (name = "deals", description = "Negociações (§4.3)"),
        (name = "activities", description = "Atividades (§4.4)"),
        (name = "financial", description = "Financeiro (§4.5)"),
        (name = "webhooks", description = "Webhooks (§4.6)"),
    ),
)]
pub struct ApiDoc;

/// `{"success": true, "data": …}` (§3.4).
#[derive(Debug, ToSchema)]
pub struct Success<T> {
    /// Always `true`.
    pub success: bool,
    /// The resource.
    pub data: T,
}

/// `{"success": true, "data": […], "pagination": {…}}` (§3.7).
#[derive(Debug, ToSchema)]
pub struct Paged<T> {
    /// Always `true`.
    pub success: bool,
    /// The items of this page.
    pub data: Vec<T>,
    /// Where this page sits.
    pub pagination: Pagination,
}

/// `{"success": false, "error": {…}}` (§3.4–§3.6).
#[derive(Debug, ToSchema)]
pub struct ErrorBody {
    /// Always `false`.
    pub success: bool,
    /// What went wrong.
    pub error: ErrorObject,
}

/// The `error` object.
#[derive(Debug, ToSchema)]
pub struct ErrorObject {
    /// `VALIDATION_ERROR`, `UNAUTHORIZED`, `NOT_FOUND`, `DUPLICATE_ENTRY`,
    /// `PAYLOAD_TOO_LARGE`, `RATE_LIMIT_EXCEEDED`, `METHOD_NOT_ALLOWED`,
    /// `SERVICE_UNAVAILABLE`, `INTERNAL_ERROR`.
    #[schema(example = "VALIDATION_ERROR")]
    pub code: String,
    /// A sentence in Portuguese.
    pub message: String,
    /// The field at fault, on validation and duplicate errors.
    #[schema(required = false)]
    pub details: ErrorDetails,
}

/// `details`: the first problem, and every problem when there are several.
#[derive(Debug, ToSchema)]
pub struct ErrorDetails {
    /// The field of the first problem.
    pub field: String,
    /// Its kind: `required`, `invalid`, `enum`, `not_found`, `duplicate`…
    #[schema(rename = "type")]
    pub kind: String,
    /// Every problem, when there is more than one.
    #[schema(required = false)]
    pub errors: Vec<FieldProblem>,
}

/// One problem of a request.
#[derive(Debug, ToSchema)]
pub struct FieldProblem {
    /// The field.
    pub field: String,
    /// Its kind.
    #[schema(rename = "type")]
    pub kind: String,
    /// A sentence in Portuguese.
    pub message: String,
}

/// `page`, `limit`, `sort` and `search` (§3.7, §3.8), read by the lists
/// that search.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Page, from 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// A field of the resource, `-` in front for descending (`-created_at`).
    pub sort: Option<String>,
    /// Text searched in the resource's main fields, accents ignored.
    pub search: Option<String>,
}

/// `page` and `limit` (§3.7), for a list with no sort or search (`/stores`).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page, from 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
}

/// `page`, `limit` and `sort`, for a list without `search` (`/financial`).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SortedParams {
    /// Page, from 1.
    #[param(minimum = 1)]
    pub page: Option<u32>,
    /// Items per page, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<u32>,
    /// A field of the resource, `-` in front for descending (`-created_at`).
    pub sort: Option<String>,
}

const ERROR_BODY: &str = "#/components/schemas/ErrorBody";

fn error_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(utoipa::openapi::Ref::new(ERROR_BODY)))
                .build(),
        )
        .build()
        .into()
}

/// The bearer key, the error envelope and the statuses every handler's
/// extractors can answer, added to each operation.
#[derive(Debug)]
pub struct Conventions;

impl Modify for Conventions {
    fn modify(&self, doc: &mut OpenApi) {
        doc.openapi = utoipa::openapi::OpenApiVersion::Version31;
        doc.servers = Some(vec![Server::new("/api/v1"), Server::new("/v1")]);
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "apiKey",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("ea_live_…")
                    .description(Some(
                        "`Authorization: Bearer ea_live_…` — a key of the account, \
                         created in the panel or with `vitrine keys create`.",
                    ))
                    .build(),
            ),
        );
        doc.security = Some(vec![SecurityRequirement::new(
            "apiKey",
            Vec::<String>::new(),
        )]);
        for (path, item) in doc.paths.paths.iter_mut() {
            let has_id = path.contains('{');
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                add_common_responses(op, has_id);
            }
            if let Some(op) = item.post.as_mut() {
                require_on_create(op);
            }
        }
    }
}

/// On a `POST`, the body's fields required on creation
/// (`wire::inputs::REQUIRED_ON_CREATE`): `allOf` the shared body schema and
/// the list of required names.
fn require_on_create(op: &mut Operation) {
    let Some(body) = op.request_body.as_mut() else {
        return;
    };
    for content in body.content.values_mut() {
        let Some(RefOr::Ref(reference)) = &content.schema else {
            continue;
        };
        let name = reference
            .ref_location
            .rsplit('/')
            .next()
            .unwrap_or_default();
        let Some((_, required)) = REQUIRED_ON_CREATE.iter().find(|(n, _)| *n == name) else {
            continue;
        };
        let mut names = ObjectBuilder::new();
        for field in *required {
            names = names.required(*field);
        }
        let combined = AllOfBuilder::new()
            .item(reference.clone())
            .item(names.build())
            .build();
        content.schema = Some(RefOr::T(Schema::AllOf(combined)));
    }
}

fn add_common_responses(op: &mut Operation, has_id: bool) {
    let has_body = op.request_body.is_some();
    let responses = &mut op.responses.responses;
    let mut add = |status: &str, response: RefOr<Response>| {
        responses.entry(status.to_owned()).or_insert(response);
    };
    add(
        "400",
        error_response("`VALIDATION_ERROR`: a malformed body or query, a missing or invalid field"),
    );
    add(
        "401",
        error_response("`UNAUTHORIZED`: the API key is missing, malformed or revoked"),
    );
    if has_id {
        add(
            "404",
            error_response("`NOT_FOUND`: no such record in this account (a malformed id included)"),
        );
    }
    if has_body {
        add(
            "413",
            error_response("`PAYLOAD_TOO_LARGE`: the body is over the limit"),
        );
        add(
            "422",
            error_response(
                "`VALIDATION_ERROR`: a referenced record does not exist in this account",
            ),
        );
    }
    let mut limited = ResponseBuilder::new()
        .description("`RATE_LIMIT_EXCEEDED`: the key or its account spent this minute's requests (or the client address, for requests that do not authenticate)")
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(utoipa::openapi::Ref::new(ERROR_BODY)))
                .build(),
        )
        .build();
    limited.headers.insert(
        "Retry-After".to_owned(),
        HeaderBuilder::new()
            .schema(u64::schema())
            .description(Some("Seconds until the window resets"))
            .build(),
    );
    add("429", limited.into());
    let mut unavailable = ResponseBuilder::new()
        .description("`SERVICE_UNAVAILABLE`: the database cannot take the request now (disk full, read-only, unreachable, busy); nothing was written")
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(utoipa::openapi::Ref::new(ERROR_BODY)))
                .build(),
        )
        .build();
    unavailable.headers.insert(
        "Retry-After".to_owned(),
        HeaderBuilder::new()
            .schema(u64::schema())
            .description(Some("Seconds to wait before retrying"))
            .build(),
    );
    add("503", unavailable.into());
}
