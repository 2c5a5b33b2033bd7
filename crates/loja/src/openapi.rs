//! The Loja API's OpenAPI 3.1 document, generated from the endpoint table
//! (`endpoints::table`): one operation per row, from the row's own
//! [`Doc`](crate::endpoints::Doc), so the routes served and the document
//! cannot drift. Every `data` is described by the schema of the typed DTO
//! the handler answers with (`crate::dto`, utoipa `ToSchema`), and every
//! error example is the body the server itself answers. Served at
//! `GET /openapi/loja.json`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use axum::http::{Method, StatusCode};
use serde_json::{json, Map, Value};
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::ToSchema;

use crate::dto::{EmptyList, Schemas};
use crate::endpoints::{self, AuthKind, DataShape, Endpoint, ParamKind};
use crate::LojaError;

/// What a row's `data` (or success `errors`) is: registers the schemas it
/// needs and answers the one to use.
pub(crate) type SchemaOf = fn(&mut Schemas) -> RefOr<Schema>;

/// Registers `T` and the schemas it refers to.
fn register<T: ToSchema>(schemas: &mut Schemas) {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
}

/// `data` is one `T`.
pub(crate) fn one<T: ToSchema>(schemas: &mut Schemas) -> RefOr<Schema> {
    register::<T>(schemas);
    Ref::from_schema_name(T::name()).into()
}

/// `data` is a list of `T`.
pub(crate) fn list<T: ToSchema>(schemas: &mut Schemas) -> RefOr<Schema> {
    register::<T>(schemas);
    ArrayBuilder::new()
        .items(Ref::from_schema_name(T::name()))
        .into()
}

/// `data` is a string (`product/constructUrlVariety`: the unit's url).
pub(crate) fn text(_: &mut Schemas) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .examples(["camisa-V1-A"])
        .into()
}

/// The document as JSON text, rendered once.
pub fn document_json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| document().to_string())
}

fn schema_json(schema: RefOr<Schema>) -> Value {
    // utoipa's schema types serialise to their JSON form; they cannot fail.
    serde_json::to_value(schema).unwrap_or(Value::Null)
}

/// The whole document.
pub fn document() -> Value {
    let mut schemas: Schemas = Vec::new();
    register::<EmptyList>(&mut schemas);
    let mut paths = Map::new();
    for endpoint in endpoints::table() {
        let item = paths
            .entry(format!("/{}", endpoint.path()))
            .or_insert_with(|| json!({}));
        let method = if endpoint.method() == Method::GET {
            "get"
        } else {
            "post"
        };
        item[method] = operation(endpoint, &mut schemas);
    }
    // By name, each once (types referred to from several shapes are
    // registered by each).
    let mut components: BTreeMap<String, Value> = schemas
        .into_iter()
        .map(|(name, schema)| (name, schema_json(schema)))
        .collect();
    components.insert("ErrorEnvelope".into(), error_envelope_schema());
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "vitrine — Loja API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "E-commerce da loja (ecommloja-api.md): produtos, variações, grades, \
                imagens, categorias, marcas, fabricantes, tags, pedidos, banners, carrinho e \
                login de clientes. Caminhos sem diferença de maiúsculas; toda resposta usa o \
                envelope `{\"success\", \"errors\", \"data\"}` com números em texto \
                (`\"price\": \"150.23\"`). Parâmetros vão na query string ou no corpo \
                (JSON, formulário ou multipart), o corpo primeiro.",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "storeToken": {
                    "type": "apiKey",
                    "in": "header",
                    "name": "Authorization",
                    "description": "`base64(client_id:client_secret)` of the store's \
                        credentials, as `Basic <token>`, `Bearer <token>` or bare `<token>` \
                        (§1.2.1). Also accepted in `X-Token`-style headers and as a `token` \
                        parameter.",
                },
                "customerJwt": {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "A customer's token from `client/clientlogin` (§1.2.2).",
                },
            },
        },
    })
}

/// `{"success": false, "errors": […], "data": []}`: every failure.
fn error_envelope_schema() -> Value {
    json!({
        "type": "object",
        "required": ["success", "errors", "data"],
        "properties": {
            "success": {"const": false},
            "errors": {
                "description": "The documented messages: strings; objects on \
                    `product/insertvarietyproduct` and `product/insertgridproduct` (one per \
                    refused item); a bare string on `brand/insert`; empty on the spec's 500.",
                "anyOf": [
                    {"type": "array", "items": {"type": "string"}},
                    {"type": "array", "items": {"type": "object"}},
                    {"type": "string"},
                ],
            },
            "data": {"$ref": "#/components/schemas/EmptyList"},
        },
        "examples": [LojaError::InvalidToken.body()],
    })
}

fn param_schema(kind: ParamKind, in_body: bool) -> Value {
    match kind {
        ParamKind::Text => json!({"type": "string"}),
        ParamKind::Int => json!({"type": "integer"}),
        ParamKind::Decimal => {
            json!({"type": "string", "description": "A decimal, e.g. `150.23`", "examples": ["150.23"]})
        }
        ParamKind::Flag => json!({"type": "integer", "enum": [0, 1]}),
        ParamKind::List => json!({"type": "array", "items": {}}),
        ParamKind::File if in_body => json!({"type": "string", "format": "binary"}),
        ParamKind::File => json!({"type": "string", "description": "base64"}),
    }
}

/// A failure: the error envelope, with `example` (the server's own body)
/// when the message is the same for every endpoint.
fn failure(description: &str, example: Option<LojaError>) -> Value {
    let mut content = json!({"schema": {"$ref": "#/components/schemas/ErrorEnvelope"}});
    if let Some(e) = example {
        content["example"] = e.body();
    }
    json!({
        "description": description,
        "content": {"application/json": content},
    })
}

/// A success: `success: true`, the row's `errors` (`[]` but for bulk
/// updates) and its `data`.
fn success(endpoint: &Endpoint, status: u16, schemas: &mut Schemas) -> Value {
    let doc = endpoint.doc();
    let (data, what) = match doc.data {
        // A row that says nothing is caught by the tests; documented as anything.
        DataShape::Unset => (json!({}), "The result in `data`"),
        DataShape::Empty => (
            json!({"$ref": "#/components/schemas/EmptyList"}),
            "Done: `data` is `[]`",
        ),
        DataShape::Of(schema) => (schema_json(schema(schemas)), "The result in `data`"),
    };
    let errors = match doc.success_errors {
        None => json!({"$ref": "#/components/schemas/EmptyList"}),
        Some(schema) => schema_json(schema(schemas)),
    };
    let what = if status == 201 {
        format!("Created. {what}")
    } else {
        what.to_owned()
    };
    json!({
        "description": what,
        "content": {"application/json": {"schema": {
            "type": "object",
            "required": ["success", "errors", "data"],
            "properties": {
                "success": {"const": true},
                "errors": errors,
                "data": data,
            },
        }}},
    })
}

fn operation(endpoint: &Endpoint, schemas: &mut Schemas) -> Value {
    let doc = endpoint.doc();
    let path = endpoint.path();
    let tag = path.split('/').next().unwrap_or(path);
    let mut op = json!({
        "tags": [tag],
        "summary": doc.summary,
        "operationId": format!(
            "{}_{}",
            endpoint.method().as_str().to_ascii_lowercase(),
            path.replace('/', "_")
        ),
        "security": [match endpoint.auth() {
            AuthKind::Store => json!({"storeToken": []}),
            AuthKind::Customer => json!({"customerJwt": []}),
        }],
    });
    let required = |name: &str| doc.required.contains(&name);
    if endpoint.method() == Method::GET {
        let params: Vec<Value> = doc
            .params
            .iter()
            .map(|(name, kind)| {
                json!({"name": name, "in": "query", "required": required(name), "schema": param_schema(*kind, false)})
            })
            .collect();
        op["parameters"] = Value::Array(params);
    } else {
        let body = |in_body: bool| {
            let mut properties = Map::new();
            for (name, kind) in doc.params {
                properties.insert((*name).to_owned(), param_schema(*kind, in_body));
            }
            json!({"schema": {"type": "object", "required": doc.required, "properties": properties}})
        };
        let mut content = Map::new();
        content.insert("application/json".into(), body(false));
        if endpoint.is_upload() {
            content.insert("multipart/form-data".into(), body(true));
        }
        op["requestBody"] = json!({"required": !doc.required.is_empty(), "content": content});
    }
    let mut responses = Map::new();
    for status in doc.success {
        responses.insert(status.to_string(), success(endpoint, *status, schemas));
    }
    responses.insert(
        "400".into(),
        failure(
            "A missing or invalid parameter, with the documented message",
            Some(LojaError::bad_request("Invalid JSON body")),
        ),
    );
    responses.insert(
        "401".into(),
        failure(
            match endpoint.auth() {
                AuthKind::Store => {
                    "`Invalid token`: the store token is missing, malformed or revoked"
                }
                AuthKind::Customer => {
                    "The customer JWT is missing, expired, revoked or of another store"
                }
            },
            Some(LojaError::InvalidToken),
        ),
    );
    responses.insert(
        "404".into(),
        failure("Nothing matches, with the documented message", None),
    );
    responses.insert(
        "413".into(),
        failure("`Request body too large`", Some(LojaError::PayloadTooLarge)),
    );
    let mut limited = failure(
        "`Too many requests`: this minute's budget is spent (the caller's, its account's, or the client address's for requests that do not authenticate)",
        Some(LojaError::TooManyRequests { retry_after: 60 }),
    );
    limited["headers"] = json!({
        "Retry-After": {"description": "Seconds until the window resets", "schema": {"type": "integer"}},
    });
    responses.insert("429".into(), limited);
    let mut unavailable = failure(
        "`Service temporarily unavailable, try again shortly`: the database cannot take the request now (disk full, read-only, unreachable, busy); nothing was written",
        Some(LojaError::Unavailable(vitrine_store::Outage::Busy)),
    );
    unavailable["headers"] = json!({
        "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}},
    });
    responses.insert("503".into(), unavailable);
    if doc.not_acceptable {
        responses.insert(
            "406".into(),
            failure(
                "`SKU already registered` (per unit as objects on unit inserts)",
                Some(LojaError::new(
                    StatusCode::NOT_ACCEPTABLE,
                    "SKU already registered",
                )),
            ),
        );
    }
    if doc.documented_500 {
        responses.insert(
            "500".into(),
            failure(
                "The spec's documented failure for bad input: `errors` and `data` empty",
                Some(LojaError::Failed),
            ),
        );
    }
    op["responses"] = Value::Object(responses);
    op
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_says_what_its_data_is() {
        for endpoint in endpoints::table() {
            assert!(
                !matches!(endpoint.doc().data, DataShape::Unset),
                "{} {} documents no data",
                endpoint.method(),
                endpoint.path()
            );
            for name in endpoint.doc().required {
                assert!(
                    endpoint.doc().params.iter().any(|(p, _)| p == name),
                    "{}: required {name} is a parameter",
                    endpoint.path()
                );
            }
        }
    }

    #[test]
    fn every_reference_resolves() {
        let doc = document();
        let text = doc.to_string();
        let components = doc["components"]["schemas"].as_object().expect("schemas");
        for reference in text.split("\"$ref\":\"#/components/schemas/").skip(1) {
            let name = reference.split('"').next().unwrap_or_default();
            assert!(components.contains_key(name), "{name} is a component");
        }
    }

    #[test]
    fn error_examples_are_failures() {
        let doc = document();
        for (path, item) in doc["paths"].as_object().expect("paths") {
            for (method, op) in item.as_object().expect("item") {
                for (status, response) in op["responses"].as_object().expect("responses") {
                    let example = &response["content"]["application/json"]["example"];
                    if example.is_null() {
                        continue;
                    }
                    assert_eq!(example["success"], false, "{method} {path} {status}");
                    assert_eq!(example["data"], json!([]), "{method} {path} {status}");
                }
            }
        }
    }
}
