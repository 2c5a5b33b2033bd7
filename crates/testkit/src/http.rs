//! HTTP helpers: one call shape for every face, plus raw requests for
//! malformed input.

use reqwest::header::{HeaderMap, AUTHORIZATION, CONTENT_TYPE};
use reqwest::Method;
use serde_json::Value;

use crate::TestApp;

/// What came back.
#[derive(Debug, Clone)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The body as text.
    pub text: String,
    /// The body parsed as JSON (`Null` if it is not JSON).
    pub body: Value,
}

impl TestApp {
    /// Sends `method path` with an optional `Authorization` value and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        authorization: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base_url));
        if let Some(auth) = authorization {
            req = req.header(AUTHORIZATION, auth);
        }
        if let Some(body) = body {
            req = req.json(body);
        }
        read(req).await
    }

    /// An Auto API call with `Authorization: Bearer <key>`.
    pub async fn auto(&self, key: &str, method: Method, path: &str, body: Option<&Value>) -> Reply {
        self.call(method, path, Some(&format!("Bearer {key}")), body)
            .await
    }

    /// A Loja GET with `Authorization: Basic <token>`.
    pub async fn loja_get(&self, token: &str, path_and_query: &str) -> Reply {
        self.call(
            Method::GET,
            path_and_query,
            Some(&format!("Basic {token}")),
            None,
        )
        .await
    }

    /// A Loja POST with a url-encoded form body.
    pub async fn loja_form(&self, token: &str, path: &str, form: &[(&str, &str)]) -> Reply {
        let req = self
            .client
            .post(format!("{}{path}", self.base_url))
            .header(AUTHORIZATION, format!("Basic {token}"))
            .form(form);
        read(req).await
    }

    /// A Loja POST as `multipart/form-data`: text fields plus an optional
    /// file part `(field, file name, bytes)`.
    pub async fn loja_multipart(
        &self,
        token: &str,
        path: &str,
        fields: &[(&str, &str)],
        file: Option<(&str, &str, Vec<u8>)>,
    ) -> Reply {
        let mut form = reqwest::multipart::Form::new();
        for (k, v) in fields {
            form = form.text((*k).to_owned(), (*v).to_owned());
        }
        if let Some((field, name, bytes)) = file {
            form = form.part(
                field.to_owned(),
                reqwest::multipart::Part::bytes(bytes).file_name(name.to_owned()),
            );
        }
        let req = self
            .client
            .post(format!("{}{path}", self.base_url))
            .header(AUTHORIZATION, format!("Basic {token}"))
            .multipart(form);
        read(req).await
    }

    /// GET of a path with no credentials, returning the raw bytes.
    pub async fn get_bytes(&self, path: &str) -> (u16, Option<String>, Vec<u8>) {
        let resp = self
            .client
            .get(format!(
                "{}/{}",
                self.base_url,
                path.trim_start_matches('/')
            ))
            .send()
            .await
            .expect("request reaches the server");
        let status = resp.status().as_u16();
        let ct = resp
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        (status, ct, resp.bytes().await.expect("body").to_vec())
    }

    /// Anything: method, path, headers and raw body bytes.
    pub async fn raw(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Reply {
        let mut req = self
            .client
            .request(method, format!("{}{path}", self.base_url))
            .body(body);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        read(req).await
    }
}

async fn read(req: reqwest::RequestBuilder) -> Reply {
    let resp = req.send().await.expect("request reaches the server");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body reads");
    let body = if headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.contains("json"))
    {
        serde_json::from_str(&text).unwrap_or(Value::Null)
    } else {
        Value::Null
    };
    Reply {
        status,
        headers,
        text,
        body,
    }
}
