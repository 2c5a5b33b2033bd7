//! Request parameters: the query string and the body, merged as the spec's
//! §1.3 says (body first, then query), whatever the body's encoding.

use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use serde_json::{Map, Value};

use crate::LojaError;

/// Every parameter of one request.
#[derive(Debug, Default, Clone)]
pub struct Params {
    query: Map<String, Value>,
    body: Map<String, Value>,
}

impl Params {
    /// Parses the query string and a JSON or url-encoded body.
    pub fn parse(
        query: Option<&str>,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> Result<Self, LojaError> {
        let query = query.map(flat_pairs).unwrap_or_default();
        let body = if body.iter().all(u8::is_ascii_whitespace) {
            Map::new()
        } else if is_json(headers, body) {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(map)) => map,
                _ => {
                    return Err(LojaError::new(
                        axum::http::StatusCode::BAD_REQUEST,
                        "Invalid JSON body",
                    ))
                }
            }
        } else {
            flat_pairs(&String::from_utf8_lossy(body))
        };
        Ok(Self { query, body })
    }

    /// A parameter as text, body first; empty counts as not sent.
    pub fn text(&self, name: &str) -> Option<String> {
        self.raw(name)
            .and_then(scalar_text)
            .filter(|s| !s.trim().is_empty())
    }

    /// A parameter read from the query string first (`product/update` reads `sku` so).
    pub fn text_query_first(&self, name: &str) -> Option<String> {
        self.query
            .get(name)
            .and_then(scalar_text)
            .filter(|s| !s.trim().is_empty())
            .or_else(|| self.text(name))
    }

    /// The raw value, body first.
    pub fn raw(&self, name: &str) -> Option<&Value> {
        self.body.get(name).or_else(|| self.query.get(name))
    }
}

fn is_json(headers: &HeaderMap, body: &Bytes) -> bool {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().contains("json"));
    // A body that starts with `{` is JSON whatever the header says (§1.3).
    declared || body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

fn flat_pairs(encoded: &str) -> Map<String, Value> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(encoded)
        .unwrap_or_default()
        .into_iter()
        .map(|(k, v)| (k, Value::String(v)))
        .collect()
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(if *b { "1" } else { "0" }.to_owned()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn params(query: &str, content_type: Option<&str>, body: &str) -> Params {
        let mut headers = HeaderMap::new();
        if let Some(ct) = content_type {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(ct).expect("header"),
            );
        }
        Params::parse(Some(query), &headers, &Bytes::from(body.to_owned())).expect("parses")
    }

    #[test]
    fn body_wins_over_query_and_empty_is_absent() {
        let p = params(
            "sku=q&name=&min=1",
            Some("application/x-www-form-urlencoded"),
            "sku=b",
        );
        assert_eq!(p.text("sku").as_deref(), Some("b"));
        assert_eq!(p.text_query_first("sku").as_deref(), Some("q"));
        assert_eq!(p.text("name"), None);
        assert_eq!(p.text("min").as_deref(), Some("1"));
    }

    #[test]
    fn json_bodies_with_or_without_content_type() {
        let p = params("", None, r#" {"name": "Marca", "sort": 3, "status": true}"#);
        assert_eq!(p.text("name").as_deref(), Some("Marca"));
        assert_eq!(p.text("sort").as_deref(), Some("3"));
        assert_eq!(p.text("status").as_deref(), Some("1"));
    }

    #[test]
    fn malformed_json_is_refused() {
        let headers = HeaderMap::new();
        assert!(Params::parse(None, &headers, &Bytes::from_static(b"{not json")).is_err());
    }
}
