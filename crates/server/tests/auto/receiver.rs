//! A real webhook receiver: an axum server on its own ephemeral port that
//! records every request and answers as the test scripts it (fail the next
//! N, stay down, hold every request until released, answer with given
//! bytes or a redirect), a bare TCP trap that counts connections, and the
//! independent signature check a receiver runs.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::Router;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use tokio::sync::oneshot;
use vitrine_testkit::Value;

/// One request the receiver got.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Request headers.
    pub headers: HeaderMap,
    /// The raw body.
    pub body: String,
    /// What the receiver answered.
    pub answered: u16,
}

impl Hit {
    /// A header as text.
    pub fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    /// The body as JSON.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).expect("the body is JSON")
    }

    /// The event type in the body.
    pub fn event(&self) -> String {
        self.json()["event"].as_str().unwrap_or_default().to_owned()
    }
}

struct Script {
    hits: Mutex<Vec<Hit>>,
    fail_next: AtomicUsize,
    down: AtomicBool,
    /// `true` while requests are held unanswered.
    held: tokio::sync::watch::Sender<bool>,
    /// Requests being held right now, and the most ever held at once.
    waiting: AtomicUsize,
    most_waiting: AtomicUsize,
    /// Answer with these bytes instead of the usual text.
    body: Mutex<Option<Vec<u8>>>,
    /// Answer `302 Found` to this location.
    redirect: Mutex<Option<String>>,
}

impl Default for Script {
    fn default() -> Self {
        Self {
            hits: Mutex::default(),
            fail_next: AtomicUsize::default(),
            down: AtomicBool::default(),
            held: tokio::sync::watch::channel(false).0,
            waiting: AtomicUsize::default(),
            most_waiting: AtomicUsize::default(),
            body: Mutex::default(),
            redirect: Mutex::default(),
        }
    }
}

/// The running receiver.
pub struct Receiver {
    /// `http://127.0.0.1:PORT/hook`.
    pub url: String,
    script: Arc<Script>,
    _stop: oneshot::Sender<()>,
}

async fn hook(State(s): State<Arc<Script>>, headers: HeaderMap, body: Bytes) -> Response {
    let mut held = s.held.subscribe();
    if *held.borrow() {
        let now = s.waiting.fetch_add(1, Ordering::SeqCst) + 1;
        s.most_waiting.fetch_max(now, Ordering::SeqCst);
        let _ = held.wait_for(|h| !*h).await;
        s.waiting.fetch_sub(1, Ordering::SeqCst);
    }
    if let Some(to) = s.redirect.lock().expect("lock").clone() {
        s.hits.lock().expect("lock").push(Hit {
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
            answered: 302,
        });
        return (StatusCode::FOUND, [(header::LOCATION, to)]).into_response();
    }
    let (status, text) = if s.down.load(Ordering::SeqCst) {
        (StatusCode::SERVICE_UNAVAILABLE, "fora do ar")
    } else if s
        .fail_next
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok()
    {
        (StatusCode::INTERNAL_SERVER_ERROR, "falha simulada")
    } else {
        (StatusCode::OK, "ok")
    };
    s.hits.lock().expect("lock").push(Hit {
        headers,
        body: String::from_utf8_lossy(&body).into_owned(),
        answered: status.as_u16(),
    });
    match s.body.lock().expect("lock").clone() {
        Some(bytes) => (status, bytes).into_response(),
        None => (status, text).into_response(),
    }
}

impl Receiver {
    /// Starts a receiver that answers 200.
    pub async fn start() -> Self {
        let script = Arc::new(Script::default());
        let router = Router::new()
            .route("/hook", post(hook))
            .with_state(script.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let addr = listener.local_addr().expect("addr");
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async move {
                    let _ = stopped.await;
                })
                .await;
        });
        Self {
            url: format!("http://{addr}/hook"),
            script,
            _stop: stop,
        }
    }

    /// Answer 500 to the next `n` requests.
    pub fn fail_next(&self, n: usize) {
        self.script.fail_next.store(n, Ordering::SeqCst);
    }

    /// Answer 503 to everything until told otherwise.
    pub fn set_down(&self, down: bool) {
        self.script.down.store(down, Ordering::SeqCst);
    }

    /// Hold every request unanswered until `hold(false)` (held requests
    /// are recorded when they are answered).
    pub fn hold(&self, hold: bool) {
        self.script.held.send_replace(hold);
    }

    /// Requests held unanswered right now.
    pub fn waiting(&self) -> usize {
        self.script.waiting.load(Ordering::SeqCst)
    }

    /// The most requests ever held unanswered at once.
    pub fn most_waiting(&self) -> usize {
        self.script.most_waiting.load(Ordering::SeqCst)
    }

    /// Answer with these exact bytes.
    pub fn answer_with(&self, body: &[u8]) {
        *self.script.body.lock().expect("lock") = Some(body.to_vec());
    }

    /// Answer `302 Found` with this `Location`.
    pub fn redirect_to(&self, location: &str) {
        *self.script.redirect.lock().expect("lock") = Some(location.to_owned());
    }

    /// Every request so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.script.hits.lock().expect("lock").clone()
    }

    /// Polls until `done(hits)` holds, failing after a deadline.
    pub async fn wait_until(&self, why: &str, done: impl Fn(&[Hit]) -> bool) -> Vec<Hit> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let hits = self.hits();
            if done(&hits) {
                return hits;
            }
            assert!(
                Instant::now() < deadline,
                "receiver: gave up waiting for {why}; got {} hits: {:?}",
                hits.len(),
                hits.iter().map(Hit::event).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// A bare TCP listener on loopback that accepts and counts connections,
/// on 127.0.0.1 and, where the machine has IPv6, [::1] on the same port:
/// proof that nothing was dialled.
pub struct Trap {
    /// The port on both addresses.
    pub port: u16,
    accepted: Arc<AtomicUsize>,
    tasks: Vec<tokio::task::JoinHandle<()>>,
}

impl Trap {
    /// Starts listening.
    pub async fn start() -> Self {
        let v4 = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let port = v4.local_addr().expect("addr").port();
        let accepted = Arc::new(AtomicUsize::new(0));
        let mut listeners = vec![v4];
        if let Ok(v6) = tokio::net::TcpListener::bind(("::1", port)).await {
            listeners.push(v6);
        }
        let tasks = listeners
            .into_iter()
            .map(|l| {
                let accepted = accepted.clone();
                tokio::spawn(async move {
                    while let Ok((socket, _)) = l.accept().await {
                        accepted.fetch_add(1, Ordering::SeqCst);
                        drop(socket);
                    }
                })
            })
            .collect();
        Self {
            port,
            accepted,
            tasks,
        }
    }

    /// Connections accepted so far.
    pub fn accepted(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }
}

impl Drop for Trap {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
    }
}

/// Polls an async condition with a deadline (for state read back over the
/// API or the store).
pub async fn eventually<F, Fut>(why: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = Instant::now() + Duration::from_secs(60);
    while !check().await {
        assert!(Instant::now() < deadline, "gave up waiting for {why}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// What a receiver does with `X-Vitrine-Signature: t=<unix>,v1=<hex>`:
/// recompute HMAC-SHA256(secret, "<t>.<raw body>") and compare in constant
/// time (docs/webhooks.md).
pub fn signature_is_valid(secret: &str, header: &str, body: &str) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", v)) => t = Some(v.to_owned()),
            Some(("v1", v)) => v1 = Some(v.to_owned()),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    let Ok(sent) = (0..v1.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(v1.get(i..i + 2).unwrap_or("zz"), 16))
        .collect::<Result<Vec<u8>, _>>()
    else {
        return false;
    };
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("any key length");
    mac.update(format!("{t}.{body}").as_bytes());
    mac.verify_slice(&sent).is_ok()
}

/// Settings for delivery tests: millisecond retries and polling, and
/// private targets allowed (the receiver listens on 127.0.0.1).
pub fn fast(disable_after: u32, retries: usize) -> vitrine_server::app::Settings {
    vitrine_server::app::Settings {
        webhooks: vitrine_server::workers::webhooks::WebhookSettings {
            enabled: true,
            retry_delays: vec![Duration::from_millis(20); retries],
            retry_jitter_permille: 100,
            timeout: Duration::from_secs(5),
            poll_interval: Duration::from_millis(10),
            disable_after,
            lease: Duration::from_secs(30),
            allow_private_targets: true,
            due_soon_window: Duration::from_secs(3600),
            scheduler_interval: Duration::from_millis(20),
            ..vitrine_server::workers::webhooks::WebhookSettings::default()
        },
        ..vitrine_testkit::settings()
    }
}

/// Generates `name::sqlite`, `name::postgres` and `name::citus` from `async
/// fn name(backend: Backend)`, for tests that spawn with their own settings.
#[macro_export]
macro_rules! per_backend {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name(vitrine_testkit::Backend::Sqlite).await
            }
            #[tokio::test]
            async fn postgres() {
                super::$name(vitrine_testkit::Backend::Postgres).await
            }
            #[tokio::test]
            async fn citus() {
                super::$name(vitrine_testkit::Backend::Citus).await
            }
        }
    )*};
}
