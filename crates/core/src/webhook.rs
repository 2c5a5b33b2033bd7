//! Webhooks (ecosys-auto-api.md §4.6): the event catalogue, which endpoint
//! subscribes to what, where a delivery may go (public addresses only,
//! unless the operator opts in), the retry schedule, when an endpoint is
//! disabled or moved to the slow lane, and the delivery statistics.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use rand::rngs::OsRng;
use rand::RngCore;

use crate::activity::{Activity, ActivityStatus};
use crate::client::{Client, ClientStatus};
use crate::deal::{Deal, DealStatus};
use crate::financial::{FinancialRecord, FinancialStatus};
use crate::text;
use crate::vehicle::{Vehicle, VehiclePhase, VehicleStatus};
use crate::FieldError;

/// What an endpoint is: where to deliver and what to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// Destination URL.
    pub url: String,
    /// Subscribed events (see [`subscribes`]).
    pub events: Vec<String>,
    /// Whether deliveries go out.
    pub active: bool,
}

/// How failed deliveries are retried and when an endpoint is disabled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Waits between tries (`len + 1` tries in all).
    pub delays: Vec<Duration>,
    /// Consecutive failed tries that disable an endpoint (0: never).
    pub disable_after: u32,
    /// Each wait is spread by up to ± this many thousandths, so endpoints
    /// that failed together do not retry together (0: exact waits).
    pub jitter_permille: u32,
    /// Consecutive timed-out tries that move an endpoint to the slow lane
    /// (0: never), where it cannot hold the delivery slots of others.
    pub slow_after: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            delays: default_retry_delays(),
            disable_after: 20,
            jitter_permille: 100,
            slow_after: 3,
        }
    }
}

/// Most endpoints one account may register (Stripe's number): each event
/// is sent once per subscribed endpoint, so the count bounds how many
/// outbound requests one write can cause.
pub const MAX_ENDPOINTS: i64 = 16;

/// `delay` spread by ± `permille` thousandths: `sample` (0..1000, random)
/// picks the point, 500 being the middle (the exact wait).
pub fn jittered(delay: Duration, permille: u32, sample: u32) -> Duration {
    let permille = u64::from(permille.min(1000));
    let sample = u64::from(sample.min(999));
    // Scale in thousandths: 1000 − p … 1000 + p.
    let scale = 1000 - permille + (2 * permille * sample) / 999;
    let micros = u64::try_from(delay.as_micros()).unwrap_or(u64::MAX);
    Duration::from_micros(micros.saturating_mul(scale) / 1000)
}

/// Every event vitrine emits (§4.6 "Full set to emit").
pub const EVENTS: [&str; 22] = [
    "vehicle.created",
    "vehicle.updated",
    "vehicle.sold",
    "vehicle.archived",
    "client.created",
    "client.updated",
    "client.deactivated",
    "deal.created",
    "deal.updated",
    "deal.phase_changed",
    "deal.won",
    "deal.lost",
    "deal.archived",
    "activity.created",
    "activity.updated",
    "activity.completed",
    "activity.deleted",
    "activity.due_soon",
    "activity.overdue",
    "financial.created",
    "financial.updated",
    "financial.paid",
];

/// The resources events are about: `<resource>.*` subscribes to all of one.
pub const RESOURCES: [&str; 5] = ["vehicle", "client", "deal", "activity", "financial"];

/// Subscribes to every event.
pub const WILDCARD: &str = "*";

/// Whether an endpoint subscribed to `events` receives `event`: an exact
/// name, `*`, or `<resource>.*`.
pub fn subscribes(events: &[String], event: &str) -> bool {
    let resource = event.split('.').next().unwrap_or_default();
    events
        .iter()
        .any(|e| e == WILDCARD || e == event || e.strip_suffix(".*").is_some_and(|r| r == resource))
}

/// Every value a subscription list may hold: `*`, each `<resource>.*`,
/// then each catalogued event.
pub fn allowed_events() -> Vec<String> {
    std::iter::once(WILDCARD.to_owned())
        .chain(RESOURCES.iter().map(|r| format!("{r}.*")))
        .chain(EVENTS.iter().map(|e| (*e).to_owned()))
        .collect()
}

fn is_allowed_event(e: &str) -> bool {
    e == WILDCARD
        || EVENTS.contains(&e)
        || e.strip_suffix(".*").is_some_and(|r| RESOURCES.contains(&r))
}

/// Checks a subscription list: non-empty; each item is a catalogued event,
/// `*` or `<resource>.*` for a known resource. A name vitrine never emits
/// (`vehicle.create`) would never fire, so it is refused with type `enum`
/// (the accepted values are [`allowed_events`]). Trims and removes
/// duplicates, keeping the first spelling's order.
pub fn parse_events(field: &str, items: &[String]) -> Result<Vec<String>, Vec<FieldError>> {
    if items.is_empty() {
        return Err(vec![FieldError {
            field: field.to_owned(),
            kind: "min",
            message: format!("Campo '{field}' deve ter pelo menos um evento"),
            allowed: Vec::new(),
        }]);
    }
    let mut out: Vec<String> = Vec::new();
    let mut problems = Vec::new();
    for (i, raw) in items.iter().enumerate() {
        let e = raw.trim();
        if is_allowed_event(e) {
            if !out.iter().any(|x| x == e) {
                out.push(e.to_owned());
            }
        } else {
            let name = format!("{field}[{i}]");
            problems.push(FieldError {
                field: name.clone(),
                kind: "enum",
                message: format!(
                    "Campo '{name}' deve ser um evento conhecido, como 'vehicle.created', \
                     '<recurso>.*' (vehicle, client, deal, activity, financial) ou '*'"
                ),
                allowed: allowed_events(),
            });
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// Longest endpoint URL.
pub const MAX_URL: usize = 2000;

fn not_a_url(field: &str) -> FieldError {
    FieldError::invalid(
        field,
        format!("Campo '{field}' deve ser uma URL http:// ou https:// absoluta"),
    )
}

/// An absolute `http://` or `https://` URL with a host, as the WHATWG URL
/// parser (the one the delivery client uses) reads it; no spaces or
/// control characters, at most 2,000 characters, and no user name or
/// password (`http://user:pw@host` would send them as Basic auth and show
/// them back in the endpoint). The text is kept as sent; where it points
/// is [`target`]'s business.
pub fn parse_url(field: &str, s: &str) -> Result<String, FieldError> {
    let v = s.trim();
    if v.chars().count() > MAX_URL {
        return Err(text::too_long(field, MAX_URL));
    }
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(not_a_url(field));
    }
    let Ok(url) = url::Url::parse(v) else {
        return Err(not_a_url(field));
    };
    if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
        return Err(not_a_url(field));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(FieldError::invalid(
            field,
            format!(
                "Campo '{field}' não pode conter usuário ou senha; o destino confere a \
                 assinatura X-Vitrine-Signature"
            ),
        ));
    }
    Ok(v.to_owned())
}

/// Where a URL's requests go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TargetHost {
    /// A literal address, normalised as the URL parser reads it (so
    /// `2130706433`, `0177.0.0.1`, `0x7f.1` and `127.1` are all
    /// 127.0.0.1): the client dials it without resolving anything.
    Ip(IpAddr),
    /// A name the client resolves (lowercase, IDNA-encoded).
    Name(String),
}

/// The host and port a URL's requests are sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Host.
    pub host: TargetHost,
    /// Port (the scheme's default when the URL names none).
    pub port: u16,
}

/// Where `url` sends its requests; `None` when it is not an http(s) URL
/// [`parse_url`] accepts.
pub fn target(url: &str) -> Option<Target> {
    let u = url::Url::parse(url.trim()).ok()?;
    if !matches!(u.scheme(), "http" | "https") {
        return None;
    }
    let port = u.port_or_known_default()?;
    let host = match u.host()? {
        url::Host::Ipv4(a) => TargetHost::Ip(IpAddr::V4(a)),
        url::Host::Ipv6(a) => TargetHost::Ip(IpAddr::V6(a)),
        url::Host::Domain(d) => TargetHost::Name(d.to_owned()),
    };
    Some(Target { host, port })
}

/// The refusal of a URL whose host is (or resolves to) an address that is
/// not public, type `not_allowed` (a 422 business rule). The message does
/// not repeat the address: the server's own resolver is not an oracle for
/// names inside its network.
pub fn not_public(field: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        kind: "not_allowed",
        allowed: Vec::new(),
        message: format!(
            "Campo '{field}' aponta para um endereço que não é público (rede local, \
             loopback ou reservado); webhooks só são entregues a endereços públicos da internet"
        ),
    }
}

/// Whether deliveries may go to `ip`: a globally routable unicast address.
/// Refused: loopback, unspecified, private (RFC 1918), shared/CGNAT
/// (100.64/10), link-local (169.254/16, where cloud metadata lives, and
/// fe80::/10), unique-local (fc00::/7), multicast, broadcast, benchmarking
/// (198.18/15), documentation, IETF protocol and reserved blocks, and every
/// IPv6 form that carries an IPv4 address to another stack (mapped
/// `::ffff:a.b.c.d`, compatible `::a.b.c.d`), except NAT64 and 6to4,
/// judged by the IPv4 address they carry.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => is_public_v4(a),
        IpAddr::V6(a) => is_public_v6(a),
    }
}

fn is_public_v4(a: Ipv4Addr) -> bool {
    let [x, y, z, _] = a.octets();
    let special = x == 0 // "this network", 0.0.0.0 included
        || x == 10
        || (x == 100 && (64..128).contains(&y)) // shared address space (CGNAT)
        || x == 127
        || (x == 169 && y == 254)
        || (x == 172 && (16..32).contains(&y))
        || (x == 192 && y == 0 && z == 0) // IETF protocol assignments
        || (x == 192 && y == 0 && z == 2) // TEST-NET-1
        || (x == 192 && y == 88 && z == 99) // 6to4 relay anycast
        || (x == 192 && y == 168)
        || (x == 198 && (y == 18 || y == 19)) // benchmarking
        || (x == 198 && y == 51 && z == 100) // TEST-NET-2
        || (x == 203 && y == 0 && z == 113) // TEST-NET-3
        || x >= 224; // multicast, reserved, broadcast
    !special
}

fn is_public_v6(a: Ipv6Addr) -> bool {
    let s = a.segments();
    let carried = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    // NAT64 (64:ff9b::/96): the gateway dials the IPv4 address it carries.
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return is_public_v4(carried(s[6], s[7]));
    }
    // 6to4 (2002::/16): likewise.
    if s[0] == 0x2002 {
        return is_public_v4(carried(s[1], s[2]));
    }
    // Only global unicast (2000::/3): this leaves out ::, ::1, the mapped
    // and compatible IPv4 forms, 100::/64, 64:ff9b:1::/48, fc00::/7,
    // fe80::/10, fec0::/10 and ff00::/8 ...
    if s[0] & 0xe000 != 0x2000 {
        return false;
    }
    // ... then its special-purpose blocks.
    let ietf = s[0] == 0x2001 && s[1] < 0x0200; // 2001::/23 (Teredo, benchmarking, ORCHID)
    let documentation = (s[0] == 0x2001 && s[1] == 0x0db8) || (s[0] == 0x3fff && s[1] < 0x1000);
    let srv6 = s[0] == 0x5f00;
    !(ietf || documentation || srv6)
}

/// Why a try got no HTTP answer, as the attempt log records it: fixed
/// sentences, never the receiver's words or the network's details, so the
/// log cannot tell a closed port from a silent or a black-holed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryFailure {
    /// The host is (or resolved to) a non-public address: nothing was sent.
    NotPublic,
    /// No HTTP answer: refused, reset, unresolved, TLS, timed out, garbled.
    Connection,
    /// The full record of the try could not be written; this short one
    /// stands for it, and the delivery is tried again later.
    NotRecorded,
}

impl TryFailure {
    /// The sentence the attempt log keeps.
    pub fn message(self) -> &'static str {
        match self {
            Self::NotPublic => "destino não permitido: o endereço não é público (nada foi enviado)",
            Self::Connection => "falha de conexão: nenhuma resposta HTTP",
            Self::NotRecorded => {
                "tentativa registrada de forma resumida (falha ao gravar o resultado); \
                 será tentada de novo"
            }
        }
    }
}

/// Prefix of generated signing secrets.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new signing secret: `whsec_` + 32 random bytes in hex (§4.6).
pub fn mint_secret() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!("{SECRET_PREFIX}{hex}")
}

/// A caller-chosen secret: 16 to 255 characters, no spaces or control
/// characters.
pub fn parse_secret(field: &str, s: &str) -> Result<String, FieldError> {
    let v = s.trim();
    let n = v.chars().count();
    if n < 16 {
        return Err(text::below(field, "16 caracteres"));
    }
    if n > 255 {
        return Err(text::too_long(field, 255));
    }
    if v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(FieldError::invalid(
            field,
            format!("Campo '{field}' não pode conter espaços"),
        ));
    }
    Ok(v.to_owned())
}

/// The default waits between tries: 8 tries over about 4 h 14 min
/// (2, 4, 8, 16, 32, 64 and 128 minutes).
pub fn default_retry_delays() -> Vec<Duration> {
    exponential_delays(Duration::from_secs(120), 7)
}

/// `retries` waits doubling from `first`.
pub fn exponential_delays(first: Duration, retries: u32) -> Vec<Duration> {
    (0..retries)
        .map(|i| first.saturating_mul(1u32 << i.min(20)))
        .collect()
}

/// What to do after a failed try number `attempt` (1-based), with `delays`
/// the waits between tries (so `delays.len() + 1` tries in all).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    /// Try again after this wait.
    RetryIn(Duration),
    /// Out of tries: the delivery has failed.
    GiveUp,
}

/// The retry decision after failed try `attempt` (1-based).
pub fn after_failure(delays: &[Duration], attempt: u32) -> AfterFailure {
    let index = usize::try_from(attempt.saturating_sub(1)).unwrap_or(usize::MAX);
    match delays.get(index) {
        Some(d) => AfterFailure::RetryIn(*d),
        None => AfterFailure::GiveUp,
    }
}

/// Whether an endpoint with this many consecutive failed tries is disabled
/// (`disable_after` 0 never disables).
pub fn should_disable(consecutive_failures: i64, disable_after: u32) -> bool {
    disable_after > 0 && consecutive_failures >= i64::from(disable_after)
}

/// `success_rate` (§4.6): `round1(100 × (total − failed) / total)` in
/// tenths of a percent, `None` when nothing was delivered yet.
pub fn success_rate_tenths(total: i64, failed: i64) -> Option<i64> {
    if total <= 0 {
        return None;
    }
    let ok = (total - failed.clamp(0, total)) * 1000;
    // Round half up on an integer division.
    Some((ok * 2 + total) / (2 * total))
}

/// Whether an endpoint with this many consecutive timed-out tries belongs
/// in the slow lane (`slow_after` 0 never moves it).
pub fn in_slow_lane(consecutive_timeouts: i64, slow_after: u32) -> bool {
    slow_after > 0 && consecutive_timeouts >= i64::from(slow_after)
}

/// The events of a vehicle update: `vehicle.updated`, plus `vehicle.sold`
/// when its status or phase becomes `vendido`, and `vehicle.archived`
/// when it becomes archived.
pub fn vehicle_update_events(before: &Vehicle, after: &Vehicle) -> Vec<&'static str> {
    let sold = |v: &Vehicle| v.status == VehicleStatus::Vendido || v.phase == VehiclePhase::Vendido;
    let archived = |v: &Vehicle| v.status == VehicleStatus::Arquivado;
    let mut out = vec!["vehicle.updated"];
    if sold(after) && !sold(before) {
        out.push("vehicle.sold");
    }
    if archived(after) && !archived(before) {
        out.push("vehicle.archived");
    }
    out
}

/// The events of a client update: `client.updated`, plus
/// `client.deactivated` when it becomes inactive.
pub fn client_update_events(before: &Client, after: &Client) -> Vec<&'static str> {
    let mut out = vec!["client.updated"];
    if after.status == ClientStatus::Inactive && before.status != ClientStatus::Inactive {
        out.push("client.deactivated");
    }
    out
}

/// The events of a deal update: `deal.updated`, plus `deal.phase_changed`,
/// `deal.won`, `deal.lost` and `deal.archived` for what changed.
pub fn deal_update_events(before: &Deal, after: &Deal) -> Vec<&'static str> {
    let mut out = vec!["deal.updated"];
    if after.phase != before.phase {
        out.push("deal.phase_changed");
    }
    if after.status != before.status {
        match after.status {
            DealStatus::Ganho => out.push("deal.won"),
            DealStatus::Perdido => out.push("deal.lost"),
            DealStatus::Arquivado => out.push("deal.archived"),
            DealStatus::Ativo => {}
        }
    }
    out
}

/// The events of an activity update: `activity.updated`, plus
/// `activity.completed` when it becomes completed.
pub fn activity_update_events(before: &Activity, after: &Activity) -> Vec<&'static str> {
    let mut out = vec!["activity.updated"];
    if after.status == ActivityStatus::Completed && before.status != ActivityStatus::Completed {
        out.push("activity.completed");
    }
    out
}

/// The events of a financial record update: `financial.updated`, plus
/// `financial.paid` when it becomes paid.
pub fn financial_update_events(
    before: &FinancialRecord,
    after: &FinancialRecord,
) -> Vec<&'static str> {
    let mut out = vec!["financial.updated"];
    if after.status == FinancialStatus::Paid && before.status != FinancialStatus::Paid {
        out.push("financial.paid");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deal::DealPhase;

    #[test]
    fn update_events_name_what_changed() {
        let mut d = Deal::new("Venda".into());
        let before = d.clone();
        assert_eq!(deal_update_events(&before, &d), vec!["deal.updated"]);
        d.phase = DealPhase::Visita;
        d.status = DealStatus::Ganho;
        assert_eq!(
            deal_update_events(&before, &d),
            vec!["deal.updated", "deal.phase_changed", "deal.won"]
        );
        d.status = DealStatus::Perdido;
        assert_eq!(deal_update_events(&before, &d)[2], "deal.lost");
        let v = Vehicle::new("Civic".into(), crate::ids::StoreId::new());
        let mut sold = v.clone();
        sold.phase = VehiclePhase::Vendido;
        assert_eq!(
            vehicle_update_events(&v, &sold),
            vec!["vehicle.updated", "vehicle.sold"]
        );
        assert_eq!(vehicle_update_events(&sold, &sold), vec!["vehicle.updated"]);
        let mut a = Activity::new("Ligar".into());
        let pending = a.clone();
        a.status = ActivityStatus::Completed;
        assert_eq!(
            activity_update_events(&pending, &a),
            vec!["activity.updated", "activity.completed"]
        );
        for e in [
            "vehicle.sold",
            "deal.won",
            "activity.completed",
            "financial.paid",
            "client.deactivated",
        ] {
            assert!(EVENTS.contains(&e), "{e} is catalogued");
        }
    }

    #[test]
    fn subscription_matching() {
        let list = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert!(subscribes(&list(&["vehicle.created"]), "vehicle.created"));
        assert!(!subscribes(&list(&["vehicle.created"]), "vehicle.updated"));
        assert!(subscribes(&list(&["deal.*"]), "deal.won"));
        assert!(!subscribes(&list(&["deal.*"]), "client.created"));
        assert!(subscribes(&list(&["*"]), "activity.overdue"));
    }

    #[test]
    fn event_lists_accept_only_what_is_emitted() {
        let items = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            parse_events(
                "events",
                &items(&["deal.*", " vehicle.created ", "deal.*", "*"])
            ),
            Ok(items(&["deal.*", "vehicle.created", "*"]))
        );
        let bad = parse_events(
            "events",
            &items(&[
                "Vehicle.Created",
                "x",
                "",
                "vehicle.create",
                "venda.*",
                "deal.won",
            ]),
        )
        .unwrap_err();
        assert_eq!(
            bad.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(),
            [
                "events[0]",
                "events[1]",
                "events[2]",
                "events[3]",
                "events[4]"
            ],
            "a slug vitrine never emits is refused too"
        );
        assert!(bad.iter().all(|p| p.kind == "enum"));
        assert_eq!(parse_events("events", &[]).unwrap_err()[0].kind, "min");
        let allowed = allowed_events();
        assert_eq!(allowed.len(), 1 + RESOURCES.len() + EVENTS.len());
        assert_eq!(&allowed[..2], ["*", "vehicle.*"]);
        for a in &allowed {
            assert!(
                parse_events("events", std::slice::from_ref(a)).is_ok(),
                "{a}"
            );
        }
    }

    #[test]
    fn urls_are_read_as_the_client_dials_them() {
        assert!(parse_url("url", "https://seu-app.com/api/webhooks/ecosys-auto").is_ok());
        assert!(
            parse_url("url", "http://127.0.0.1:9000/hook").is_ok(),
            "syntax only"
        );
        for bad in [
            "ftp://x",
            "https://",
            "seu-app.com/x",
            "http://a b",
            "http://:80/",
            "http://a.com/\u{0}",
            "http://a.com/a\tb",
            "javascript:alert(1)",
            "http://[::1/",
        ] {
            assert_eq!(parse_url("url", bad).unwrap_err().kind, "invalid", "{bad}");
        }
        for creds in [
            "http://user:pw@a.com/",
            "http://user@a.com/",
            "https://:pw@a.com/",
        ] {
            let e = parse_url("url", creds).unwrap_err();
            assert!(
                e.message.contains("usuário ou senha"),
                "{creds}: {}",
                e.message
            );
        }
        let long = format!("https://a.com/{}", "x".repeat(MAX_URL));
        assert_eq!(parse_url("url", &long).unwrap_err().kind, "max");

        let ip = |u: &str| match target(u).map(|t| t.host) {
            Some(TargetHost::Ip(a)) => a.to_string(),
            other => format!("{other:?}"),
        };
        // The forms a resolver or the URL parser turn into loopback.
        for loopback in [
            "http://127.0.0.1/",
            "http://2130706433/",
            "http://0177.0.0.1/",
            "http://0x7f.1/",
            "http://0x7f000001/",
            "http://127.1/",
            "http://127.0.0.1./",
            "http://%31%32%37.0.0.1/",
        ] {
            assert_eq!(ip(loopback), "127.0.0.1", "{loopback}");
        }
        assert_eq!(ip("http://[::ffff:127.0.0.1]/"), "::ffff:127.0.0.1");
        assert_eq!(
            target("https://Seu-App.COM:8443/x"),
            Some(Target {
                host: TargetHost::Name("seu-app.com".into()),
                port: 8443
            })
        );
        assert_eq!(target("http://a.com/").map(|t| t.port), Some(80));
        assert_eq!(target("https://a.com/").map(|t| t.port), Some(443));
        assert_eq!(target("ftp://a.com/"), None);
    }

    #[test]
    fn only_public_addresses_are_targets() {
        let public = |s: &str| is_public(s.parse().expect("an address"));
        for refused in [
            "0.0.0.0",
            "0.1.2.3",
            "10.0.0.1",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.255.255.255",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.1",
            "192.88.99.1",
            "192.168.1.1",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.1",
            "203.0.113.1",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:8.8.8.8",
            "::127.0.0.1",
            "::ffff:0:127.0.0.1",
            "64:ff9b::7f00:1",
            "64:ff9b::a00:1",
            "64:ff9b:1::1",
            "100::1",
            "2001::1",
            "2001:2::1",
            "2001:db8::1",
            "2002:7f00:1::1",
            "2002:a9fe:a9fe::1",
            "3fff::1",
            "5f00::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1",
        ] {
            assert!(!public(refused), "{refused} is not public");
        }
        for allowed in [
            "8.8.8.8",
            "1.1.1.1",
            "100.63.255.255",
            "100.128.0.1",
            "172.15.255.255",
            "172.32.0.1",
            "192.0.1.1",
            "198.17.255.255",
            "198.20.0.1",
            "223.255.255.255",
            "2606:4700:4700::1111",
            "2800:3f0:4001:80b::200e",
            "64:ff9b::808:808",
            "2002:808:808::1",
            "2001:200::1",
        ] {
            assert!(public(allowed), "{allowed} is public");
        }
    }

    #[test]
    fn retry_schedule_and_disabling() {
        let d = default_retry_delays();
        assert_eq!(d.len(), 7, "eight tries in all");
        let total: u64 = d.iter().map(Duration::as_secs).sum();
        assert_eq!(total, 254 * 60, "about four hours");
        assert_eq!(
            after_failure(&d, 1),
            AfterFailure::RetryIn(Duration::from_secs(120))
        );
        assert_eq!(
            after_failure(&d, 7),
            AfterFailure::RetryIn(Duration::from_secs(128 * 60))
        );
        assert_eq!(after_failure(&d, 8), AfterFailure::GiveUp);
        assert_eq!(after_failure(&[], 1), AfterFailure::GiveUp);
        assert!(!should_disable(2, 3));
        assert!(should_disable(3, 3));
        assert!(!should_disable(100, 0));
        assert!(!in_slow_lane(2, 3));
        assert!(in_slow_lane(3, 3));
        assert!(!in_slow_lane(50, 0));
        let m = Duration::from_secs(60);
        assert_eq!(jittered(m, 100, 0), Duration::from_secs(54));
        assert_eq!(jittered(m, 100, 999), Duration::from_secs(66));
        assert_eq!(jittered(m, 0, 123), m);
        let mid = jittered(m, 100, 500);
        assert!(mid > Duration::from_secs(59) && mid < Duration::from_secs(61));
    }

    #[test]
    fn success_rate_rounds_to_one_decimal() {
        assert_eq!(success_rate_tenths(0, 0), None);
        assert_eq!(
            success_rate_tenths(127, 2),
            Some(984),
            "G20: 98.4, not 98.5"
        );
        assert_eq!(success_rate_tenths(3, 1), Some(667));
        assert_eq!(success_rate_tenths(10, 0), Some(1000));
    }

    #[test]
    fn secrets() {
        let s = mint_secret();
        assert!(s.starts_with("whsec_"));
        assert_eq!(s.len(), 6 + 64);
        assert_ne!(s, mint_secret());
        assert!(parse_secret("secret", "short").is_err());
        assert!(parse_secret("secret", "a-long-enough-secret").is_ok());
        assert!(parse_secret("secret", "um-segredo-com-\0-nul").is_err());
    }
}
