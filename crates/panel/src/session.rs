//! Sessions: the cookie that carries a random token (stored only hashed),
//! the extractor that turns it into the signed-in account, and the cookie
//! attributes (`HttpOnly`, `SameSite=Lax`, `Secure` behind TLS).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, Uri};
use chrono::Duration;
use uuid::Uuid;
use vitrine_core::credentials::{hash_secret, random_base62};
use vitrine_core::ids::{AccountId, UserId};
use vitrine_core::time_zone::TimeZone;
use vitrine_store::sessions::NewSession;
use vitrine_store::Tx;

use crate::csrf::{LoginKey, LOGIN_TOKEN_TTL};
use crate::error::PanelError;
use crate::{csrf, flash, throttle, PanelState};

/// Cookie holding the session token.
pub const SESSION_COOKIE: &str = "vitrine_session";
/// Cookie holding the double-submit CSRF token of the sign-in/sign-up forms.
pub const LOGIN_CSRF_COOKIE: &str = "vitrine_login_csrf";
/// How long a session lasts after sign-in.
pub const SESSION_TTL: Duration = Duration::hours(12);

/// The value of cookie `name` in the request's `Cookie` headers.
pub fn cookie_value<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim_matches('"'))
        .filter(|v| !v.is_empty())
}

/// Was the request made over TLS: an `https` URI or, behind a proxy that
/// terminates TLS, `X-Forwarded-Proto: https`.
pub fn is_https(headers: &HeaderMap, uri: &Uri) -> bool {
    uri.scheme_str() == Some("https")
        || headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// A `Set-Cookie` value scoped to the panel: never readable by scripts,
/// not sent on cross-site subrequests or posts, `Secure` behind TLS.
/// `max_age` zero deletes the cookie.
pub fn set_cookie(name: &str, value: &str, max_age: Duration, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{name}={value}; Path=/painel; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        max_age.num_seconds().max(0)
    )
}

/// Who is asking, before any session: TLS or not, client address, and the
/// double-submit token of the sign-in forms.
pub struct Visitor {
    /// Behind TLS (cookies get `Secure`).
    pub secure: bool,
    /// The client address as throttling and the sign-in token count it
    /// (IPv4, or the IPv6 /64: [`throttle::peer_key`]).
    pub ip: String,
    /// The `vitrine_login_csrf` cookie, when sent.
    pub login_csrf: Option<String>,
    /// The browser says the form was posted from another site
    /// (`Sec-Fetch-Site` other than `same-origin` or `none`).
    pub cross_site: bool,
}

impl Visitor {
    fn from_parts(parts: &Parts) -> Self {
        // The socket's address: a forwarded header is not trusted here, since
        // anyone could send one and escape the throttle.
        let ip = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| throttle::peer_key(addr.ip()))
            .unwrap_or_else(|| "unknown".to_owned());
        let cross_site = parts
            .headers
            .get("sec-fetch-site")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| !matches!(v, "same-origin" | "none"));
        Self {
            secure: is_https(&parts.headers, &parts.uri),
            ip,
            login_csrf: cookie_value(&parts.headers, LOGIN_CSRF_COOKIE).map(str::to_owned),
            cross_site,
        }
    }

    /// The double-submit token to put in the form, and its cookie: the
    /// visitor's own when it is valid for another hour at least (so two
    /// open tabs both work), else a new one.
    pub fn login_csrf_cookie(&self, key: &LoginKey) -> (String, String) {
        let now = vitrine_store::now();
        let token = self
            .login_csrf
            .clone()
            .filter(|t| key.verify(t, &self.ip, now + LOGIN_TOKEN_TTL / 2))
            .unwrap_or_else(|| key.issue(&self.ip, now));
        let cookie = set_cookie(LOGIN_CSRF_COOKIE, &token, LOGIN_TOKEN_TTL, self.secure);
        (token, cookie)
    }

    /// Refuses a sign-in/sign-up form posted from another site, or whose
    /// token differs from its cookie, or whose cookie this server did not
    /// issue to this address within [`LOGIN_TOKEN_TTL`].
    pub fn check_login_csrf(&self, key: &LoginKey, sent: &str) -> Result<(), PanelError> {
        match &self.login_csrf {
            Some(cookie)
                if !self.cross_site
                    && csrf::tokens_match(cookie, sent)
                    && key.verify(cookie, &self.ip, vitrine_store::now()) =>
            {
                Ok(())
            }
            _ => Err(PanelError::Csrf),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Visitor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::from_parts(parts))
    }
}

/// A signed-in user: the account every query of the request is scoped by.
/// Without a live session the request is redirected to the sign-in page.
#[derive(Debug, Clone)]
pub struct Signed {
    /// The user's account.
    pub account: AccountId,
    /// The user.
    pub user: UserId,
    /// The session (to end it on sign-out).
    pub session_id: Uuid,
    /// The user's email.
    pub email: String,
    /// The session's CSRF token, rendered into every form.
    pub csrf: String,
    /// Behind TLS.
    pub secure: bool,
    /// The confirmation message to show on this page ([`flash`]): the one
    /// the previous action left, or one the handler sets.
    pub flash: Option<String>,
    /// The account's time zone: dates are read and shown in it.
    pub zone: TimeZone,
}

impl Signed {
    /// Refuses a form whose CSRF token is not this session's.
    pub fn check_csrf(&self, sent: &str) -> Result<(), PanelError> {
        if csrf::tokens_match(&self.csrf, sent) {
            Ok(())
        } else {
            Err(PanelError::Csrf)
        }
    }
}

impl FromRequestParts<PanelState> for Signed {
    type Rejection = PanelError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &PanelState,
    ) -> Result<Self, Self::Rejection> {
        let token = cookie_value(&parts.headers, SESSION_COOKIE).ok_or(PanelError::SignIn)?;
        let mut conn = state.store.conn().await?;
        let session = conn
            .sessions()
            .find_live(&hash_secret(token))
            .await?
            .ok_or(PanelError::SignIn)?;
        Ok(Self {
            account: AccountId(session.account_id),
            user: UserId(session.user_id),
            session_id: session.id,
            email: session.email,
            flash: flash::read(&parts.headers, &session.csrf_token),
            csrf: session.csrf_token,
            secure: is_https(&parts.headers, &parts.uri),
            zone: TimeZone::from_name(&session.time_zone).unwrap_or_default(),
        })
    }
}

/// Opens a session for a user inside `tx` and returns its `Set-Cookie`
/// value. The token goes to the browser; only its hash is stored.
pub async fn open(
    tx: &mut Tx,
    account: AccountId,
    user: UserId,
    secure: bool,
) -> Result<String, PanelError> {
    let token = random_base62(43);
    let csrf_token = csrf::new_token();
    let token_hash = hash_secret(&token);
    tx.sessions()
        .insert(&NewSession {
            account,
            user,
            token_hash: &token_hash,
            csrf_token: &csrf_token,
            expires_at: vitrine_store::now() + SESSION_TTL,
        })
        .await?;
    Ok(set_cookie(SESSION_COOKIE, &token, SESSION_TTL, secure))
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> String {
    set_cookie(SESSION_COOKIE, "", Duration::zero(), secure)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn session_cookies_are_http_only_lax_and_scoped_to_the_panel() {
        let plain = set_cookie(SESSION_COOKIE, "abc", SESSION_TTL, false);
        assert_eq!(
            plain,
            "vitrine_session=abc; Path=/painel; HttpOnly; SameSite=Lax; Max-Age=43200"
        );
        let tls = set_cookie(SESSION_COOKIE, "abc", SESSION_TTL, true);
        assert!(tls.ends_with("; Secure"), "{tls}");
        assert!(clear_session_cookie(false).contains("Max-Age=0"));
    }

    #[test]
    fn tls_is_detected_from_the_scheme_or_the_proxy_header() {
        let mut headers = HeaderMap::new();
        let http: Uri = "/painel".parse().expect("uri");
        let https: Uri = "https://loja.example/painel".parse().expect("uri");
        assert!(!is_https(&headers, &http));
        assert!(is_https(&headers, &https));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("HTTPS, http"));
        assert!(is_https(&headers, &http));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("http"));
        assert!(!is_https(&headers, &http));
    }

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut headers = HeaderMap::new();
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("other=1; vitrine_session_x=2"),
        );
        headers.append(
            header::COOKIE,
            HeaderValue::from_static("vitrine_session=tok; a=b"),
        );
        assert_eq!(cookie_value(&headers, SESSION_COOKIE), Some("tok"));
        assert_eq!(cookie_value(&headers, "missing"), None);
    }
}
