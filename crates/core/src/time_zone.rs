//! Account time zones: instants are stored in UTC; each account names an
//! IANA zone (default `America/Sao_Paulo`) in which the panel reads and
//! shows date-times and in which "a day" is cut for date filters.

use std::fmt;

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, TimeZone as _, Utc};
use chrono_tz::Tz;

use crate::FieldError;

/// The zone of an account that never chose one: Brasília time.
pub const DEFAULT: Tz = chrono_tz::America::Sao_Paulo;

/// The Brazilian zones, offered first when choosing (any IANA name is accepted).
pub const BRAZIL: [&str; 16] = [
    "America/Sao_Paulo",
    "America/Bahia",
    "America/Fortaleza",
    "America/Recife",
    "America/Maceio",
    "America/Belem",
    "America/Araguaina",
    "America/Santarem",
    "America/Manaus",
    "America/Cuiaba",
    "America/Campo_Grande",
    "America/Porto_Velho",
    "America/Boa_Vista",
    "America/Rio_Branco",
    "America/Eirunepe",
    "America/Noronha",
];

/// A zone of the IANA database (holding one means the name was valid).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeZone(Tz);

impl Default for TimeZone {
    fn default() -> Self {
        Self(DEFAULT)
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl TimeZone {
    /// A zone by its IANA name (`America/Manaus`), exactly as the database
    /// spells it; anything else is refused naming the field.
    pub fn parse(field: &str, name: &str) -> Result<Self, FieldError> {
        name.trim().parse::<Tz>().map(Self).map_err(|_| {
            FieldError::invalid(
                field,
                format!(
                    "Campo '{field}' deve ser um fuso horário do banco IANA, como America/Sao_Paulo"
                ),
            )
        })
    }

    /// A stored name; `None` when the database no longer knows it.
    pub fn from_name(name: &str) -> Option<Self> {
        name.parse::<Tz>().ok().map(Self)
    }

    /// The IANA name.
    pub fn name(self) -> &'static str {
        self.0.name()
    }

    /// The wall-clock time of `t` in this zone.
    pub fn local(self, t: DateTime<Utc>) -> NaiveDateTime {
        t.with_timezone(&self.0).naive_local()
    }

    /// The instant a wall-clock time names in this zone. A time that
    /// happens twice (clocks set back) is its first occurrence; one that
    /// never happens (clocks set forward) is `None`.
    pub fn instant(self, local: NaiveDateTime) -> Option<DateTime<Utc>> {
        match self.0.from_local_datetime(&local) {
            LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
            LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
            LocalResult::None => None,
        }
    }

    /// The first instant of a local day (its midnight; when clocks jumped
    /// over midnight, the first hour that exists).
    pub fn day_start(self, day: NaiveDate) -> DateTime<Utc> {
        let midnight = day.and_time(chrono::NaiveTime::MIN);
        (0..=3)
            .find_map(|h| self.instant(midnight + Duration::hours(h)))
            // No zone skips more than an hour or two; UTC midnight is a safe floor.
            .unwrap_or_else(|| midnight.and_utc())
    }

    /// The end of a local day: the start of the next one (exclusive bound).
    pub fn day_end(self, day: NaiveDate) -> DateTime<Utc> {
        match day.succ_opt() {
            Some(next) => self.day_start(next),
            None => DateTime::<Utc>::MAX_UTC,
        }
    }

    /// The local calendar day of `t`.
    pub fn day_of(self, t: DateTime<Utc>) -> NaiveDate {
        self.local(t).date()
    }
}

/// A local date-time as people type it: the Brazilian `10/12/2026 14:00`
/// (seconds optional) or a `datetime-local` value `2026-12-10T14:00`
/// (also with a space, and seconds). `None` for anything else.
pub fn parse_local_datetime(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    [
        "%d/%m/%Y %H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
}

/// A day typed `10/12/2026` or `2026-12-10`. `None` for anything else.
pub fn parse_local_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    ["%d/%m/%Y", "%Y-%m-%d"]
        .iter()
        .find_map(|f| NaiveDate::parse_from_str(text, f).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("rfc 3339")
            .with_timezone(&Utc)
    }

    #[test]
    fn names_are_checked_against_the_iana_database() {
        assert_eq!(TimeZone::default().name(), "America/Sao_Paulo");
        assert_eq!(
            TimeZone::parse("time_zone", " America/Manaus ").map(TimeZone::name),
            Ok("America/Manaus")
        );
        for bad in ["", "Brasil/Brasilia", "GMT-3x", "america/sao_paulo"] {
            let e = TimeZone::parse("time_zone", bad).expect_err(bad);
            assert_eq!(e.field, "time_zone");
            assert!(e.message.contains("IANA"), "{}", e.message);
        }
        for name in BRAZIL {
            assert!(TimeZone::from_name(name).is_some(), "{name}");
        }
    }

    #[test]
    fn wall_clock_times_become_instants_and_back() {
        let sp = TimeZone::default();
        let typed = parse_local_datetime("10/12/2026 14:00").expect("brazilian");
        assert_eq!(sp.instant(typed), Some(utc("2026-12-10T17:00:00Z")));
        assert_eq!(
            parse_local_datetime("2026-12-10T14:00"),
            Some(typed),
            "datetime-local"
        );
        assert_eq!(sp.local(utc("2026-12-10T17:00:00Z")), typed);
        let manaus = TimeZone::parse("tz", "America/Manaus").expect("zone");
        assert_eq!(manaus.instant(typed), Some(utc("2026-12-10T18:00:00Z")));
        for bad in ["10/12/2026", "31/02/2026 10:00", "14:00", "amanhã"] {
            assert_eq!(parse_local_datetime(bad), None, "{bad}");
        }
    }

    #[test]
    fn clock_changes_are_handled() {
        let ny = TimeZone::parse("tz", "America/New_York").expect("zone");
        // 2026-03-08 02:30 never happens in New York; 2026-11-01 01:30 happens twice.
        let gap = parse_local_datetime("2026-03-08T02:30").expect("parse");
        assert_eq!(ny.instant(gap), None);
        let twice = parse_local_datetime("2026-11-01T01:30").expect("parse");
        assert_eq!(ny.instant(twice), Some(utc("2026-11-01T05:30:00Z")));
        // São Paulo's old summer time began at midnight: 2018-11-04 started at 01:00.
        let sp = TimeZone::default();
        let day = NaiveDate::from_ymd_opt(2018, 11, 4).expect("day");
        assert_eq!(sp.day_start(day), utc("2018-11-04T03:00:00Z"));
    }

    #[test]
    fn days_are_cut_at_local_midnight() {
        let sp = TimeZone::default();
        let day = parse_local_date("10/12/2026").expect("day");
        assert_eq!(parse_local_date("2026-12-10"), Some(day));
        assert_eq!(sp.day_start(day), utc("2026-12-10T03:00:00Z"));
        assert_eq!(sp.day_end(day), utc("2026-12-11T03:00:00Z"));
        assert_eq!(sp.day_of(utc("2026-12-11T02:59:59Z")), day);
        assert_eq!(parse_local_date("2026-13-01"), None);
    }
}
