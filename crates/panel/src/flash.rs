//! Flash messages: the one-line confirmation ("Loja criada.") shown at the
//! top of the page a successful action leads to, once.
//!
//! How a screen uses it:
//!
//! - After a write that ends in a redirect (post/redirect/get), answer
//!   `flash::redirect(&signed, "/painel/…", "Cliente criado.")` instead of
//!   `Redirect::to(…)`: a 303 with the message in a cookie.
//! - A write that answers with a page of its own (a secret shown once)
//!   sets `signed.flash = Some("Chave criada.".into())` before rendering.
//!
//! The layout shows `signed.flash` on every signed-in page
//! ([`crate::pages::layout`]); the [`Signed`] extractor reads the cookie,
//! and [`clear_when_shown`] (a layer on every panel route) deletes it once
//! an HTML page has been answered, so a reload does not show it again.
//!
//! The cookie is `HttpOnly`, scoped to `/painel`, and carries the message
//! with an HMAC keyed by the session's CSRF token: a message planted by
//! anyone else (another site, another session) is ignored, never shown.

use axum::extract::Request;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use chrono::Duration;
use hmac::{Hmac, Mac};
use maud::{html, Markup};
use sha2::Sha256;

use crate::session::{cookie_value, set_cookie, Signed};

/// The cookie that carries a message to the next page.
pub const COOKIE: &str = "vitrine_flash";
/// How long a message waits for its page (the redirect is followed at once).
const TTL: Duration = Duration::minutes(5);
/// Longest message kept (bytes); a cookie stays far under 4 KB.
const MAX_LEN: usize = 500;

fn mac(session_csrf: &str, message: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(session_csrf.as_bytes())
        .expect("HMAC takes a key of any length");
    mac.update(b"vitrine-flash|");
    mac.update(message);
    mac
}

/// The cookie's value for `message` in the session whose CSRF token is
/// `session_csrf`: `base64url(message).base64url(mac)`.
fn encode(session_csrf: &str, message: &str) -> String {
    let message = truncate(message);
    let tag = mac(session_csrf, message.as_bytes())
        .finalize()
        .into_bytes();
    format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(message),
        URL_SAFE_NO_PAD.encode(tag)
    )
}

fn truncate(message: &str) -> &str {
    if message.len() <= MAX_LEN {
        return message;
    }
    let mut end = MAX_LEN;
    while !message.is_char_boundary(end) {
        end -= 1;
    }
    &message[..end]
}

fn decode(session_csrf: &str, value: &str) -> Option<String> {
    let (message, tag) = value.split_once('.')?;
    let message = URL_SAFE_NO_PAD.decode(message).ok()?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    mac(session_csrf, &message).verify_slice(&tag).ok()?;
    String::from_utf8(message).ok()
}

/// The message waiting in the request's cookie for this session, if any
/// (one that fails its check is ignored).
pub fn read(headers: &HeaderMap, session_csrf: &str) -> Option<String> {
    decode(session_csrf, cookie_value(headers, COOKIE)?)
}

/// A 303 to `to` that shows `message` on the page it leads to.
pub fn redirect(signed: &Signed, to: &str, message: &str) -> Response {
    let cookie = set_cookie(COOKIE, &encode(&signed.csrf, message), TTL, signed.secure);
    ([(header::SET_COOKIE, cookie)], Redirect::to(to)).into_response()
}

/// How a message is shown: a confirmation box at the top of the page, read
/// out by screen readers as it appears.
pub fn banner(message: &str) -> Markup {
    html! {
        div.alert.notice #flash role="status" { p { (message) } }
    }
}

/// Deletes the flash cookie once an HTML page (2xx) answered a request
/// that carried it: the layout has shown it. Redirects, errors and assets
/// leave it for the page that follows.
pub async fn clear_when_shown(req: Request, next: Next) -> Response {
    let carried = cookie_value(req.headers(), COOKIE).is_some();
    let secure = crate::session::is_https(req.headers(), req.uri());
    let mut res = next.run(req).await;
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let sets_new = res
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(format!("{COOKIE}=").as_bytes()));
    if carried && is_page && res.status().is_success() && !sets_new {
        let clear = set_cookie(COOKIE, "", Duration::zero(), secure);
        if let Ok(value) = HeaderValue::from_str(&clear) {
            res.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed(csrf: &str) -> Signed {
        Signed {
            account: vitrine_core::ids::AccountId(uuid::Uuid::nil()),
            user: vitrine_core::ids::UserId(uuid::Uuid::nil()),
            session_id: uuid::Uuid::nil(),
            email: "dona@revenda.com.br".into(),
            csrf: csrf.into(),
            secure: false,
            flash: None,
            zone: vitrine_core::time_zone::TimeZone::default(),
        }
    }

    fn request_with(cookie: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("outro=1; {cookie}")).expect("header"),
        );
        headers
    }

    #[test]
    fn a_message_reaches_the_next_page_of_its_own_session_only() {
        let res = redirect(
            &signed("token-a"),
            "/painel/configuracoes/lojas",
            "Loja «Centro» criada.",
        );
        assert_eq!(res.status(), axum::http::StatusCode::SEE_OTHER);
        assert_eq!(
            res.headers()[header::LOCATION],
            "/painel/configuracoes/lojas"
        );
        let set = res.headers()[header::SET_COOKIE].to_str().expect("ascii");
        assert!(
            set.contains("; Path=/painel; HttpOnly; SameSite=Lax"),
            "{set}"
        );
        let pair = set.split(';').next().expect("pair");
        let headers = request_with(pair);
        assert_eq!(
            read(&headers, "token-a").as_deref(),
            Some("Loja «Centro» criada.")
        );
        assert_eq!(read(&headers, "token-b"), None, "another session's");
    }

    #[test]
    fn a_planted_or_altered_message_is_ignored() {
        let forged = format!("{}.{}", URL_SAFE_NO_PAD.encode("Ligue para 0800…"), "AAAA");
        assert_eq!(
            read(&request_with(&format!("vitrine_flash={forged}")), "t"),
            None
        );
        let good = encode("t", "Senha alterada.");
        let (_, tag) = good.split_once('.').expect("tag");
        let swapped = format!("{}.{tag}", URL_SAFE_NO_PAD.encode("Senha removida."));
        assert_eq!(
            read(&request_with(&format!("vitrine_flash={swapped}")), "t"),
            None
        );
        assert_eq!(read(&request_with("vitrine_flash=lixo"), "t"), None);
        assert_eq!(read(&HeaderMap::new(), "t"), None);
    }

    #[test]
    fn long_messages_are_cut_on_a_character() {
        let long = "é".repeat(400);
        let value = encode("t", &long);
        let back = decode("t", &value).expect("valid");
        assert!(back.len() <= MAX_LEN && back.chars().all(|c| c == 'é'));
    }
}
