//! Request parameters: the query string and the body, merged as the spec's
//! §1.3 says (body first, then query), whatever the body's encoding:
//! url-encoded or multipart forms with PHP-style nested keys
//! (`variety_data[0][id]=3`, `a[]=x`), or a JSON object. Values are kept
//! as a `serde_json::Value` tree; lists may be arrays, objects with
//! numeric-string keys (as PHP sends them) or a JSON string inside a form
//! field. Readers coerce leniently (numbers as strings, comma decimals,
//! `1/0/true/false/on/off`, empty = not sent).

use axum::body::Bytes;
use axum::http::{header, HeaderMap, StatusCode};
use serde_json::{Map, Value};
use vitrine_core::catalog;

use crate::LojaError;

/// A file part of a multipart body (e.g. `image` of `image/insertbyproductsku`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Upload {
    /// The client's file name, if it sent one.
    pub file_name: Option<String>,
    /// The part's content type, if it sent one.
    pub content_type: Option<String>,
    /// The file's bytes.
    pub bytes: Bytes,
}

/// Every parameter of one request.
#[derive(Debug, Default, Clone)]
pub struct Params {
    query: Map<String, Value>,
    body: Map<String, Value>,
    files: Vec<(String, Upload)>,
}

impl Params {
    /// Parses the query string and a JSON, url-encoded or multipart body.
    pub async fn parse(
        query: Option<&str>,
        headers: &HeaderMap,
        body: &Bytes,
    ) -> Result<Self, LojaError> {
        let mut query = query.map(php_form).unwrap_or_default();
        let mut files = Vec::new();
        let mut body = if let Some(boundary) = multipart_boundary(headers) {
            multipart(body.clone(), boundary, &mut files).await?
        } else if body.iter().all(u8::is_ascii_whitespace) {
            Map::new()
        } else if is_json(headers, body) {
            match serde_json::from_slice::<Value>(body) {
                Ok(Value::Object(map)) => map,
                _ => return Err(LojaError::new(StatusCode::BAD_REQUEST, "Invalid JSON body")),
            }
        } else {
            php_form(&String::from_utf8_lossy(body))
        };
        strip_nul(&mut query);
        strip_nul(&mut body);
        for (_, upload) in &mut files {
            if let Some(name) = &mut upload.file_name {
                name.retain(|c| c != '\0');
            }
        }
        Ok(Self { query, body, files })
    }

    /// A parameter as text, body first; empty counts as not sent.
    pub fn text(&self, name: &str) -> Option<String> {
        self.raw(name).and_then(scalar_text)
    }

    /// A parameter read from the query string first (`product/update` reads `sku` so).
    pub fn text_query_first(&self, name: &str) -> Option<String> {
        self.query
            .get(name)
            .and_then(scalar_text)
            .or_else(|| self.text(name))
    }

    /// The raw value, body first.
    pub fn raw(&self, name: &str) -> Option<&Value> {
        self.body.get(name).or_else(|| self.query.get(name))
    }

    /// A file part of a multipart body.
    pub fn file(&self, name: &str) -> Option<&Upload> {
        self.files.iter().find(|(n, _)| n == name).map(|(_, u)| u)
    }

    /// An integer parameter; absent, empty or unparseable is `None`.
    pub fn int(&self, name: &str) -> Option<i64> {
        self.text(name).as_deref().and_then(catalog::parse_int)
    }

    /// A money parameter in centavos (`"150.23"`, `"150,23"`).
    pub fn money(&self, name: &str) -> Option<i64> {
        self.text(name).as_deref().and_then(catalog::parse_money)
    }

    /// A weight parameter in thousandths of a kilogram (`"0.200"`).
    pub fn weight(&self, name: &str) -> Option<i64> {
        self.text(name).as_deref().and_then(catalog::parse_weight)
    }

    /// A flag parameter (`1/0`, `true/false`, `on/off`).
    pub fn flag(&self, name: &str) -> Option<bool> {
        self.text(name).as_deref().and_then(catalog::parse_flag)
    }

    /// A list parameter with each element's key: array positions, or the
    /// numeric keys PHP-style input gave (`inputs[5][sku]` → key 5).
    /// `None` when absent or not a list.
    pub fn list(&self, name: &str) -> Option<Vec<(i64, Item<'_>)>> {
        self.raw(name).and_then(list_of)
    }
}

/// One element of a list parameter, read with the same coercions.
#[derive(Debug, Clone, Copy)]
pub struct Item<'a>(pub &'a Value);

impl Item<'_> {
    /// A field as text; empty counts as not sent.
    pub fn text(&self, name: &str) -> Option<String> {
        self.0.get(name).and_then(scalar_text)
    }

    /// An integer field.
    pub fn int(&self, name: &str) -> Option<i64> {
        self.text(name).as_deref().and_then(catalog::parse_int)
    }

    /// A money field in centavos.
    pub fn money(&self, name: &str) -> Option<i64> {
        self.text(name).as_deref().and_then(catalog::parse_money)
    }

    /// A weight field in thousandths of a kilogram.
    pub fn weight(&self, name: &str) -> Option<i64> {
        self.text(name).as_deref().and_then(catalog::parse_weight)
    }

    /// A flag field.
    pub fn flag(&self, name: &str) -> Option<bool> {
        self.text(name).as_deref().and_then(catalog::parse_flag)
    }
}

fn list_of(value: &Value) -> Option<Vec<(i64, Item<'_>)>> {
    match value {
        Value::Array(items) => Some(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| (i64::try_from(i).unwrap_or(i64::MAX), Item(v)))
                .collect(),
        ),
        // PHP arrays: keys are positions; a non-numeric key is not a list.
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| k.trim().parse::<i64>().ok().map(|k| (k, Item(v))))
            .collect(),
        _ => None,
    }
}

/// Decodes a JSON array or object sent as the text of a form field
/// (`inputs=[{"sku":"1","stock":3}]`); other text stays text.
fn json_in_field(text: String) -> Value {
    let trimmed = text.trim_start();
    if trimmed.starts_with('[') || trimmed.starts_with('{') {
        if let Ok(v @ (Value::Array(_) | Value::Object(_))) = serde_json::from_str::<Value>(&text) {
            return v;
        }
    }
    Value::String(text)
}

fn is_json(headers: &HeaderMap, body: &Bytes) -> bool {
    let declared = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.to_ascii_lowercase().contains("json"));
    // A body that starts with `{` is JSON whatever the header says (§1.3).
    declared || body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

fn multipart_boundary(headers: &HeaderMap) -> Option<String> {
    let ct = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    if !ct.to_ascii_lowercase().starts_with("multipart/form-data") {
        return None;
    }
    multer::parse_boundary(ct).ok()
}

async fn multipart(
    body: Bytes,
    boundary: String,
    files: &mut Vec<(String, Upload)>,
) -> Result<Map<String, Value>, LojaError> {
    let bad = |_| LojaError::new(StatusCode::BAD_REQUEST, "Invalid multipart body");
    let stream = futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(body) });
    let mut parts = multer::Multipart::new(stream, boundary);
    let mut map = Map::new();
    while let Some(field) = parts.next_field().await.map_err(bad)? {
        let Some(name) = field.name().map(str::to_owned) else {
            continue;
        };
        let file_name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(ToString::to_string);
        if file_name.is_some() {
            let bytes = field.bytes().await.map_err(bad)?;
            files.push((
                name,
                Upload {
                    file_name,
                    content_type,
                    bytes,
                },
            ));
        } else {
            let text = field.text().await.map_err(bad)?;
            insert_php(&mut map, &name, text);
        }
    }
    Ok(map)
}

/// A url-encoded string parsed with PHP's nested-key rules.
/// Removes NUL characters from every key and string: no stored text can
/// hold one (PostgreSQL refuses it), so `sku=A%00B` reads as `AB` on
/// both backends instead of failing on one.
fn strip_nul(map: &mut Map<String, Value>) {
    if !map.keys().any(|k| k.contains('\0')) {
        map.values_mut().for_each(strip_nul_value);
        return;
    }
    let entries = std::mem::take(map);
    for (mut key, mut value) in entries {
        key.retain(|c| c != '\0');
        strip_nul_value(&mut value);
        map.insert(key, value);
    }
}

fn strip_nul_value(value: &mut Value) {
    match value {
        Value::String(s) if s.contains('\0') => s.retain(|c| c != '\0'),
        Value::Array(items) => items.iter_mut().for_each(strip_nul_value),
        Value::Object(map) => strip_nul(map),
        _ => {}
    }
}

fn php_form(encoded: &str) -> Map<String, Value> {
    let mut map = Map::new();
    for (key, value) in
        serde_urlencoded::from_str::<Vec<(String, String)>>(encoded).unwrap_or_default()
    {
        insert_php(&mut map, &key, value);
    }
    map
}

/// Splits `a[b][]` into `a`, `["b", ""]`. A key without brackets, or with
/// an unclosed one, is taken whole.
fn split_key(key: &str) -> (String, Vec<String>) {
    let Some(open) = key.find('[') else {
        return (key.to_owned(), Vec::new());
    };
    let base = &key[..open];
    let mut rest = &key[open..];
    let mut segments = Vec::new();
    while let Some(stripped) = rest.strip_prefix('[') {
        if segments.len() > MAX_NESTING {
            break;
        }
        let Some(close) = stripped.find(']') else {
            break;
        };
        segments.push(stripped[..close].to_owned());
        rest = &stripped[close + 1..];
    }
    if base.is_empty() {
        return (key.to_owned(), Vec::new());
    }
    (base.to_owned(), segments)
}

/// The key `[]` appends under: one past the largest numeric key (PHP).
fn next_index(map: &Map<String, Value>) -> String {
    map.keys()
        .filter_map(|k| k.parse::<i64>().ok())
        .max()
        .map_or(0, |m| m + 1)
        .to_string()
}

/// Deepest bracket nesting kept, as PHP's `max_input_nesting_level`
/// default: a deeper key is dropped, as PHP drops it. Building and
/// dropping the nested value recurses once per level, so an unbounded
/// depth (a 1 MiB body holds 300,000 `[a]`) would overflow the stack.
const MAX_NESTING: usize = 64;

fn insert_php(map: &mut Map<String, Value>, key: &str, value: String) {
    let (base, segments) = split_key(key);
    if segments.len() > MAX_NESTING {
        return;
    }
    if segments.is_empty() {
        map.insert(base, json_in_field(value));
        return;
    }
    let slot = map.entry(base).or_insert_with(|| Value::Object(Map::new()));
    insert_path(slot, &segments, value);
}

fn insert_path(slot: &mut Value, segments: &[String], value: String) {
    if !slot.is_object() {
        *slot = Value::Object(Map::new());
    }
    let Value::Object(map) = slot else {
        return;
    };
    let (first, rest) = match segments.split_first() {
        Some(split) => split,
        None => return,
    };
    let key = if first.is_empty() {
        next_index(map)
    } else {
        first.clone()
    };
    if rest.is_empty() {
        map.insert(key, Value::String(value));
    } else {
        let child = map.entry(key).or_insert_with(|| Value::Object(Map::new()));
        insert_path(child, rest, value);
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    let text = match v {
        Value::String(s) => s.trim().to_owned(),
        // A float with no fractional part is the integer it spells
        // (`18500.0`, `1e16`: what Python's `json.dumps` writes), so every
        // integer reader takes it; `18500.5` stays as it is.
        Value::Number(n) if n.is_f64() => {
            let literal = n.to_string();
            vitrine_core::text::whole_number(&literal).map_or(literal, |i| i.to_string())
        }
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => if *b { "1" } else { "0" }.to_owned(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    async fn params(query: &str, content_type: Option<&str>, body: &str) -> Params {
        let mut headers = HeaderMap::new();
        if let Some(ct) = content_type {
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_str(ct).expect("header"),
            );
        }
        Params::parse(Some(query), &headers, &Bytes::from(body.to_owned()))
            .await
            .expect("parses")
    }

    const FORM: Option<&str> = Some("application/x-www-form-urlencoded");

    #[tokio::test]
    async fn keys_nested_deeper_than_php_allows_are_dropped() {
        let deep = format!("a{}=1&sku=x", "[b]".repeat(100_000));
        let p = params("", FORM, &deep).await;
        assert_eq!(p.raw("a"), None);
        assert_eq!(p.text("sku").as_deref(), Some("x"));
        let at_limit = format!("a{}=1", "[b]".repeat(MAX_NESTING));
        assert!(params("", FORM, &at_limit).await.raw("a").is_some());
    }

    #[tokio::test]
    async fn body_wins_over_query_and_empty_is_absent() {
        let p = params("sku=q&name=&min=1", FORM, "sku=b").await;
        assert_eq!(p.text("sku").as_deref(), Some("b"));
        assert_eq!(p.text_query_first("sku").as_deref(), Some("q"));
        assert_eq!(p.text("name"), None);
        assert_eq!(p.text("min").as_deref(), Some("1"));
    }

    #[tokio::test]
    async fn json_bodies_with_or_without_content_type() {
        let p = params("", None, r#" {"name": "Marca", "sort": 3, "status": true}"#).await;
        assert_eq!(p.text("name").as_deref(), Some("Marca"));
        assert_eq!(p.int("sort"), Some(3));
        assert_eq!(p.flag("status"), Some(true));
    }

    #[tokio::test]
    async fn malformed_json_is_refused() {
        let headers = HeaderMap::new();
        assert!(
            Params::parse(None, &headers, &Bytes::from_static(b"{not json"))
                .await
                .is_err()
        );
    }

    #[tokio::test]
    async fn php_nested_keys_build_lists_with_their_keys() {
        let p = params(
            "",
            FORM,
            "variety_data%5B0%5D%5Bid%5D=3&variety_data%5B0%5D%5Bsku%5D=A&variety_data[1][id]=4&inputs[5][sku]=X&tags[]=a&tags[]=b",
        )
        .await;
        let items = p.list("variety_data").expect("list");
        assert_eq!(items.len(), 2);
        assert_eq!(items[0].0, 0);
        assert_eq!(items[0].1.int("id"), Some(3));
        assert_eq!(items[0].1.text("sku").as_deref(), Some("A"));
        assert_eq!(items[1].1.int("id"), Some(4));
        let inputs = p.list("inputs").expect("keyed list");
        assert_eq!(inputs[0].0, 5, "PHP keys are kept");
        let tags = p.list("tags").expect("auto-indexed");
        assert_eq!(
            tags.iter()
                .map(|(k, v)| (*k, v.0.clone()))
                .collect::<Vec<_>>(),
            vec![(0, Value::from("a")), (1, Value::from("b"))]
        );
    }

    #[tokio::test]
    async fn json_lists_numeric_key_objects_and_json_in_a_field() {
        let p = params(
            "",
            Some("application/json"),
            r#"{"inputs": {"0": {"sku": "1", "stock": 3}, "2": {"sku": "2"}}, "grid_data": [{"sku": "g"}]}"#,
        )
        .await;
        let inputs = p.list("inputs").expect("numeric-key object");
        assert_eq!(
            inputs.iter().map(|(k, _)| *k).collect::<Vec<_>>(),
            vec![0, 2]
        );
        assert_eq!(inputs[0].1.int("stock"), Some(3));
        assert_eq!(p.list("grid_data").expect("array").len(), 1);

        let q = params(
            "",
            FORM,
            "inputs=%5B%7B%22sku%22%3A%221%22%2C%22stock%22%3A3%7D%5D",
        )
        .await;
        let inputs = q.list("inputs").expect("json in a form field");
        assert_eq!(inputs[0].1.text("sku").as_deref(), Some("1"));
        assert!(q.list("missing").is_none());
    }

    #[tokio::test]
    async fn whole_number_floats_read_as_integers() {
        let p = params(
            "",
            Some("application/json"),
            r#"{"stock": 18500.0, "big": 1e16, "half": 18500.5, "price": 150.0}"#,
        )
        .await;
        assert_eq!(p.int("stock"), Some(18500));
        assert_eq!(p.int("big"), Some(10_000_000_000_000_000));
        assert_eq!(p.int("half"), None, "a fraction is not an integer");
        assert_eq!(p.money("price"), Some(15000));
    }

    #[tokio::test]
    async fn lenient_numbers_and_flags() {
        let p = params(
            "",
            FORM,
            "price=150%2C23&weight=0.2&status=on&stock=abc&budget=false",
        )
        .await;
        assert_eq!(p.money("price"), Some(15023));
        assert_eq!(p.weight("weight"), Some(200));
        assert_eq!(p.flag("status"), Some(true));
        assert_eq!(p.flag("budget"), Some(false));
        assert_eq!(p.int("stock"), None, "unparseable is skipped");
    }

    #[tokio::test]
    async fn multipart_fields_and_files() {
        let body = "--XYZ\r\nContent-Disposition: form-data; name=\"product_sku\"\r\n\r\n123\r\n\
                    --XYZ\r\nContent-Disposition: form-data; name=\"grid_data[0][sku]\"\r\n\r\nG1\r\n\
                    --XYZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\
                    Content-Type: image/png\r\n\r\nPNGDATA\r\n--XYZ--\r\n";
        let p = params("", Some("multipart/form-data; boundary=XYZ"), body).await;
        assert_eq!(p.text("product_sku").as_deref(), Some("123"));
        assert_eq!(
            p.list("grid_data").expect("nested")[0]
                .1
                .text("sku")
                .as_deref(),
            Some("G1")
        );
        let file = p.file("image").expect("file part");
        assert_eq!(file.file_name.as_deref(), Some("a.png"));
        assert_eq!(file.content_type.as_deref(), Some("image/png"));
        assert_eq!(&file.bytes[..], b"PNGDATA");
    }
}
