//! A browser without JavaScript: a cookie jar, no redirects followed, and
//! the CSRF token read from the page like a person's browser would send it.

use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use reqwest::redirect::Policy;
use vitrine_testkit::TestApp;

/// One visitor of the panel, with its own cookies.
pub struct Visitor {
    client: reqwest::Client,
    base: String,
}

/// A page as received.
#[derive(Debug)]
pub struct Page {
    /// HTTP status.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The HTML.
    pub body: String,
}

impl Page {
    /// The `Location` of a redirect.
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
    }

    /// Every `Set-Cookie` value.
    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok().map(str::to_owned))
            .collect()
    }

    /// The `Set-Cookie` value of cookie `name`, if set.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.set_cookies()
            .into_iter()
            .find(|c| c.starts_with(&format!("{name}=")))
    }

    /// The first form's hidden CSRF token.
    pub fn csrf(&self) -> String {
        self.input_value("name=\"csrf\"")
            .unwrap_or_else(|| panic!("no csrf field in:\n{}", self.body))
    }

    /// The `value` of the first `<input>` whose tag contains `marker`.
    pub fn input_value(&self, marker: &str) -> Option<String> {
        self.body.split("<input").skip(1).find_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            if !tag.contains(marker) {
                return None;
            }
            let start = tag.find("value=\"")? + 7;
            let len = tag[start..].find('"')?;
            Some(tag[start..start + len].to_owned())
        })
    }

    /// The value of the read-only field `id` (a secret shown once).
    pub fn field(&self, id: &str) -> Option<String> {
        self.input_value(&format!("id=\"{id}\""))
    }

    /// Asserts the page is HTML with the given status.
    pub fn assert_html(&self, status: u16) -> &Self {
        assert_eq!(self.status, status, "{}", self.body);
        let ct = self
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        assert!(ct.starts_with("text/html"), "content-type {ct}");
        self
    }
}

impl Visitor {
    /// A new visitor with an empty cookie jar.
    pub fn new(app: &TestApp) -> Self {
        Self::at(app, None)
    }

    /// A new visitor connecting from `ip` (another loopback address, such
    /// as `127.0.0.7`: the server sees another client), or the default.
    pub fn at(app: &TestApp, ip: Option<std::net::IpAddr>) -> Self {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(Policy::none())
            .local_address(ip)
            .build()
            .expect("client");
        Self {
            client,
            base: app.base_url.clone(),
        }
    }

    async fn read(req: reqwest::RequestBuilder) -> Page {
        let res = req.send().await.expect("request");
        Page {
            status: res.status().as_u16(),
            headers: res.headers().clone(),
            body: res.text().await.expect("body"),
        }
    }

    /// GET `path`.
    pub async fn get(&self, path: &str) -> Page {
        Self::read(self.client.get(format!("{}{path}", self.base))).await
    }

    /// GET `path` with extra headers.
    pub async fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Page {
        let mut req = self.client.get(format!("{}{path}", self.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Self::read(req).await
    }

    /// POST a URL-encoded form.
    pub async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        self.post_with(path, fields, &[]).await
    }

    /// POST a URL-encoded form with extra headers.
    pub async fn post_with(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let mut req = self
            .client
            .post(format!("{}{path}", self.base))
            .form(fields);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        Self::read(req).await
    }

    /// Opens the sign-in page and posts the form.
    pub async fn sign_in(&self, email: &str, password: &str) -> Page {
        let form = self.get("/painel/entrar").await;
        form.assert_html(200);
        let csrf = form.csrf();
        self.post(
            "/painel/entrar",
            &[("csrf", &csrf), ("email", email), ("password", password)],
        )
        .await
    }

    /// Signs in and checks it worked.
    pub async fn signed_in(app: &TestApp, email: &str, password: &str) -> Self {
        let visitor = Self::new(app);
        let page = visitor.sign_in(email, password).await;
        assert_eq!(page.status, 303, "{}", page.body);
        assert_eq!(page.location(), "/painel");
        visitor
    }

    /// The session's CSRF token, read from a signed-in page.
    pub async fn session_csrf(&self) -> String {
        let page = self.get("/painel/configuracoes/lojas").await;
        page.assert_html(200);
        page.csrf()
    }
}
