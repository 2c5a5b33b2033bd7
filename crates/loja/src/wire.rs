//! How the Loja API writes values (ecommloja-api.md §1.6): nearly every
//! scalar as a string, flags as "0"/"1", datetimes as store-local
//! `YYYY-MM-DD HH:MM:SS`.

use chrono::{DateTime, FixedOffset, Utc};

/// Brazil's official time (UTC−3, no daylight saving since 2019) — the
/// store-local time the doc's examples are written in.
const STORE_OFFSET_SECONDS: i32 = -3 * 3600;

/// `"2021-12-16 17:47:58"` in store-local time.
pub fn datetime(t: DateTime<Utc>) -> String {
    let offset = FixedOffset::east_opt(STORE_OFFSET_SECONDS)
        .unwrap_or_else(|| FixedOffset::east_opt(0).expect("zero offset"));
    t.with_timezone(&offset)
        .format("%Y-%m-%d %H:%M:%S")
        .to_string()
}

/// The UTC instant of a store-local wall-clock time.
pub fn from_local(t: chrono::NaiveDateTime) -> DateTime<Utc> {
    let utc = t - chrono::Duration::seconds(i64::from(STORE_OFFSET_SECONDS));
    DateTime::from_naive_utc_and_offset(utc, Utc)
}

/// `"1"` or `"0"`.
pub fn flag(b: bool) -> &'static str {
    if b {
        "1"
    } else {
        "0"
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn datetimes_are_store_local() {
        let t = Utc
            .with_ymd_and_hms(2021, 12, 16, 20, 47, 58)
            .single()
            .expect("valid");
        assert_eq!(datetime(t), "2021-12-16 17:47:58");
    }
}
