//! The Loja API's OpenAPI 3.1 document, generated from the endpoint table
//! (`endpoints::table`): one operation per row, from the row's own
//! [`Doc`](crate::endpoints::Doc), so the routes served and the document
//! cannot drift. Served at `GET /openapi/loja.json`.

use std::sync::OnceLock;

use axum::http::Method;
use serde_json::{json, Map, Value};

use crate::endpoints::{self, AuthKind, DataShape, Endpoint, ParamKind};

/// The document as JSON text, rendered once.
pub fn document_json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| document().to_string())
}

/// The whole document.
pub fn document() -> Value {
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
        item[method] = operation(endpoint);
    }
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
            "schemas": {
                "Envelope": envelope_schema(),
            },
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

/// `{"success", "errors", "data"}` as every Loja answer has it.
fn envelope_schema() -> Value {
    json!({
        "type": "object",
        "required": ["success", "errors", "data"],
        "properties": {
            "success": {"type": "boolean"},
            "errors": {
                "description": "The documented messages: strings, objects on \
                    `product/insertgridproduct`, a bare string on `brand/insert` (§1.5). \
                    Empty on success.",
                "type": ["array", "string"],
            },
            "data": {
                "description": "The result; numbers are rendered as strings \
                    (`\"150.23\"`). `[]` on writes and on failures.",
            },
        },
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

fn response(description: &str) -> Value {
    json!({
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Envelope"}}},
    })
}

/// A success answer: the envelope, and for writes `success: true`, no
/// errors and the row's `data`. (A result may carry errors: bulk updates
/// answer `200` with one entry per item that failed.)
fn success(data: DataShape, status: u16) -> Value {
    let (data, what) = match data {
        DataShape::Result => return response("The result in `data`"),
        DataShape::Empty => (
            json!({"type": "array", "maxItems": 0}),
            "Done: `data` is `[]`",
        ),
        DataShape::NewId => (
            json!({
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"type": "string", "description": "The new record's id"}},
            }),
            "Created: `data` holds the new id",
        ),
    };
    let what = if status == 201 {
        format!("Created. {what}")
    } else {
        what.to_owned()
    };
    json!({
        "description": what,
        "content": {"application/json": {"schema": {
            "allOf": [
                {"$ref": "#/components/schemas/Envelope"},
                {"properties": {
                    "success": {"const": true},
                    "errors": {"type": "array", "maxItems": 0},
                    "data": data,
                }},
            ],
        }}},
    })
}

fn operation(endpoint: &Endpoint) -> Value {
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
    if endpoint.method() == Method::GET {
        let params: Vec<Value> = doc
            .params
            .iter()
            .map(|(name, kind)| {
                json!({"name": name, "in": "query", "required": false, "schema": param_schema(*kind, false)})
            })
            .collect();
        op["parameters"] = Value::Array(params);
    } else {
        let mut properties = Map::new();
        for (name, kind) in doc.params {
            properties.insert((*name).to_owned(), param_schema(*kind, false));
        }
        let mut content = Map::new();
        content.insert(
            "application/json".into(),
            json!({"schema": {"type": "object", "properties": properties.clone()}}),
        );
        if endpoint.is_upload() {
            let mut multipart = Map::new();
            for (name, kind) in doc.params {
                multipart.insert((*name).to_owned(), param_schema(*kind, true));
            }
            content.insert(
                "multipart/form-data".into(),
                json!({"schema": {"type": "object", "properties": multipart}}),
            );
        }
        op["requestBody"] = json!({"required": false, "content": content});
    }
    let mut responses = Map::new();
    for status in doc.success {
        responses.insert(status.to_string(), success(doc.data, *status));
    }
    responses.insert(
        "400".into(),
        response("A missing or invalid parameter, with the documented message"),
    );
    responses.insert(
        "401".into(),
        response(match endpoint.auth() {
            AuthKind::Store => "`Invalid token`: the store token is missing, malformed or revoked",
            AuthKind::Customer => {
                "The customer JWT is missing, expired, revoked or of another store"
            }
        }),
    );
    responses.insert(
        "404".into(),
        response("Nothing matches, with the documented message"),
    );
    responses.insert("413".into(), response("`Request body too large`"));
    let mut limited = response(
        "`Too many requests`: this minute's budget is spent (the caller's, its account's, or the client address's for requests that do not authenticate)",
    );
    limited["headers"] = json!({
        "Retry-After": {"description": "Seconds until the window resets", "schema": {"type": "integer"}},
    });
    responses.insert("429".into(), limited);
    let mut unavailable = response(
        "`Service temporarily unavailable, try again shortly`: the database cannot take the request now (disk full, read-only, unreachable, busy); nothing was written",
    );
    unavailable["headers"] = json!({
        "Retry-After": {"description": "Seconds to wait before retrying", "schema": {"type": "integer"}},
    });
    responses.insert("503".into(), unavailable);
    if doc.not_acceptable {
        responses.insert(
            "406".into(),
            response("`SKU already registered` (per unit as objects on unit inserts)"),
        );
    }
    if doc.documented_500 {
        responses.insert(
            "500".into(),
            response("The spec's documented failure for bad input: `errors` and `data` empty"),
        );
    }
    op["responses"] = Value::Object(responses);
    op
}
