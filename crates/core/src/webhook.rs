//! Webhooks (ecosys-auto-api.md §4.6): the event catalogue, which endpoint
//! subscribes to what, the retry schedule, when an endpoint is disabled,
//! and the delivery statistics.

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
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            delays: default_retry_delays(),
            disable_after: 20,
            jitter_permille: 100,
        }
    }
}

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

/// Checks a subscription list: non-empty; each item is a catalogued event,
/// `*`, `<resource>.*` or a `resource.action` slug (§4.6). Trims and
/// removes duplicates, keeping the first spelling's order.
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
        let slug = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_');
        let ok = e == WILDCARD
            || match e.split_once('.') {
                Some((r, a)) => slug(r) && (a == "*" || slug(a)),
                None => false,
            };
        if ok {
            if !out.iter().any(|x| x == e) {
                out.push(e.to_owned());
            }
        } else {
            let name = format!("{field}[{i}]");
            problems.push(FieldError {
                field: name.clone(),
                kind: "invalid",
                message: format!(
                    "Campo '{name}' deve ser um evento como 'vehicle.created', 'deal.*' ou '*'"
                ),
                allowed: Vec::new(),
            });
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// An absolute `http://` or `https://` URL with a host, no spaces, at most
/// 2,000 characters. Private and local hosts are allowed (self-hosted).
pub fn parse_url(field: &str, s: &str) -> Result<String, FieldError> {
    let v = s.trim();
    if v.chars().count() > 2000 {
        return Err(text::too_long(field, 2000));
    }
    let rest = v
        .strip_prefix("http://")
        .or_else(|| v.strip_prefix("https://"));
    let host = rest
        .map(|r| r.split(['/', '?', '#']).next().unwrap_or_default())
        .unwrap_or_default();
    let host_name = host.rsplit('@').next().unwrap_or_default();
    if rest.is_none()
        || host_name.is_empty()
        || host_name.starts_with(':')
        || v.chars().any(char::is_whitespace)
    {
        return Err(FieldError::invalid(
            field,
            format!("Campo '{field}' deve ser uma URL http:// ou https:// absoluta"),
        ));
    }
    Ok(v.to_owned())
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

/// A caller-chosen secret: 16 to 255 characters, no spaces.
pub fn parse_secret(field: &str, s: &str) -> Result<String, FieldError> {
    let v = s.trim();
    let n = v.chars().count();
    if n < 16 {
        return Err(text::below(field, "16 caracteres"));
    }
    if n > 255 {
        return Err(text::too_long(field, 255));
    }
    if v.chars().any(char::is_whitespace) {
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

/// At most `max` characters of a response body, for the attempt log.
pub fn excerpt(body: &str, max: usize) -> String {
    body.chars().take(max).collect()
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
    fn event_lists_and_urls() {
        let items = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            parse_events(
                "events",
                &items(&["deal.*", " vehicle.created ", "deal.*", "*"])
            ),
            Ok(items(&["deal.*", "vehicle.created", "*"]))
        );
        let bad = parse_events("events", &items(&["Vehicle.Created", "x", ""])).unwrap_err();
        assert_eq!(bad.len(), 3);
        assert_eq!(bad[0].field, "events[0]");
        assert_eq!(parse_events("events", &[]).unwrap_err()[0].kind, "min");
        assert!(parse_url("url", "https://seu-app.com/api/webhooks/ecosys-auto").is_ok());
        assert!(parse_url("url", "http://127.0.0.1:9000/hook").is_ok());
        for bad in [
            "ftp://x",
            "https://",
            "seu-app.com/x",
            "http://a b",
            "http://:80/",
        ] {
            assert!(parse_url("url", bad).is_err(), "{bad}");
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
        assert_eq!(excerpt("ação", 2), "aç");
    }
}
