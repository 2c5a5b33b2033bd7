//! Catalogue rules (ecommloja-api.md §3.1, §4): product types, the SKU
//! rules of the shared SKU namespace, slugs, and the money and weight
//! values the Loja API exchanges as decimal strings.
//!
//! Money is held as integer centavos, weight as thousandths of a kilogram
//! (grams); parsing and formatting are exact, never through `f64`.

/// The product kinds the Loja API knows. Type 2 does not exist in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProductType {
    /// `1` Simples: the product is the sellable unit.
    Simple,
    /// `3` Grade: sold as (variety × grid) rows.
    Grid,
    /// `4` Variação: sold as variations of one global variety each.
    Variation,
}

impl ProductType {
    /// The wire and storage code.
    pub fn code(self) -> i16 {
        match self {
            Self::Simple => 1,
            Self::Grid => 3,
            Self::Variation => 4,
        }
    }

    /// The type of a stored or sent code; anything but 1, 3, 4 is `None`.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            1 => Some(Self::Simple),
            3 => Some(Self::Grid),
            4 => Some(Self::Variation),
            _ => None,
        }
    }
}

/// A stored product type code that is not 1, 3 or 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown product type code {0}")]
pub struct UnknownProductType(pub i16);

impl TryFrom<i16> for ProductType {
    type Error = UnknownProductType;

    /// The type of a stored code (the store decodes `products.type` so).
    fn try_from(code: i16) -> Result<Self, Self::Error> {
        Self::from_code(i64::from(code)).ok_or(UnknownProductType(code))
    }
}

impl std::fmt::Display for ProductType {
    /// The wire code, `"1"`, `"3"` or `"4"`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.code().fmt(f)
    }
}

/// A SKU as stored: trimmed, never empty and never the literal `"0"`,
/// which retained-stock records use as their "no SKU" sentinel (§1.8).
pub fn sku(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    (!trimmed.is_empty() && trimmed != "0").then(|| trimmed.to_owned())
}

/// Lowercases and strips accents (`"Tinta Látex"` and `"tinta latex"`
/// compare equal): the one folding both APIs search with.
pub use crate::text::fold;

/// The url slug of a name: folded, runs of anything but ASCII letters and
/// digits become one `-`, no `-` at either end (`"Fone de Ouvido Bluetooth"`
/// → `"fone-de-ouvido-bluetooth"`). An empty result becomes `"produto"`.
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in fold(name).chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("produto");
    }
    out
}

/// The slug to try after `base` is taken: `base-2`, `base-3`, …
pub fn slug_candidate(base: &str, attempt: u32) -> String {
    if attempt <= 1 {
        base.to_owned()
    } else {
        format!("{base}-{attempt}")
    }
}

/// Parses a decimal with at most `scale` fractional digits into an integer
/// of `10^scale` units. Accepts `"150.23"`, `"150,23"` (comma decimal when
/// there is no dot), `"150"`, `"-1.5"`; extra fractional digits are
/// rounded half away from zero. Anything else is `None`.
fn parse_scaled(raw: &str, scale: u32) -> Option<i64> {
    let text = raw.trim();
    let text = if text.contains('.') {
        text.to_owned()
    } else {
        text.replace(',', ".")
    };
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    let (whole, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let unit = 10_i64.checked_pow(scale)?;
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let mut value = whole.checked_mul(unit)?;
    let mut place = unit;
    let mut rest = frac.chars();
    for c in rest.by_ref().take(scale as usize) {
        place /= 10;
        value = value.checked_add(i64::from(c.to_digit(10)?) * place)?;
    }
    if rest.next().is_some_and(|c| c >= '5') {
        value = value.checked_add(1)?;
    }
    Some(if negative { -value } else { value })
}

fn format_scaled(value: i64, scale: u32) -> String {
    let unit = 10_i64.pow(scale);
    let sign = if value < 0 { "-" } else { "" };
    let abs = value.unsigned_abs();
    let unit = unit.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        abs / unit,
        abs % unit,
        width = scale as usize
    )
}

/// Money in centavos from a sent value (`"150.23"`, `"150,23"`, `"150"`).
pub fn parse_money(raw: &str) -> Option<i64> {
    parse_scaled(raw, 2)
}

/// Money with exactly two decimals: `15023` → `"150.23"`, `0` → `"0.00"`.
pub fn format_money(cents: i64) -> String {
    format_scaled(cents, 2)
}

/// Money in the shortest decimal form (product-variation `price`, §1.6):
/// `10000` → `"100"`, `19447` → `"194.47"`, `50` → `"0.5"`.
pub fn format_money_short(cents: i64) -> String {
    let fixed = format_money(cents);
    let trimmed = fixed.trim_end_matches('0');
    trimmed.trim_end_matches('.').to_owned()
}

/// Weight in thousandths of a kilogram from kilograms (`"0.200"` → 200).
pub fn parse_weight(raw: &str) -> Option<i64> {
    parse_scaled(raw, 3)
}

/// Weight in kilograms with exactly three decimals: 200 → `"0.200"`.
pub fn format_weight(grams: i64) -> String {
    format_scaled(grams, 3)
}

/// An integer as sent: `"3"`, `" 3 "`, `"3.0"` (PHP casts), never `"3.5"`.
pub fn parse_int(raw: &str) -> Option<i64> {
    let text = raw.trim();
    if let Ok(v) = text.parse::<i64>() {
        return Some(v);
    }
    let scaled = parse_scaled(text, 3)?;
    (scaled % 1000 == 0).then_some(scaled / 1000)
}

/// A flag as sent: `1`/`0`, `true`/`false`, `on`/`off`, `yes`/`no`.
pub fn parse_flag(raw: &str) -> Option<bool> {
    match raw.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "on" | "yes" => Some(true),
        "0" | "false" | "off" | "no" => Some(false),
        _ => None,
    }
}

/// A store-local datetime as the API renders it, `YYYY-MM-DD HH:MM:SS`,
/// from that form, `YYYY-MM-DDTHH:MM:SS` or a bare date (midnight).
pub fn local_datetime(raw: &str) -> Option<String> {
    use chrono::{NaiveDate, NaiveDateTime};
    let text = raw.trim();
    let parsed = NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
        })?;
    Some(parsed.format("%Y-%m-%d %H:%M:%S").to_string())
}

/// The most items one `product/bulkUpdate` accepts (E24).
pub const BULK_UPDATE_MAX: usize = 50;

/// What one bulkUpdate row asks for, after its values were checked.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StockPriceChange {
    /// New stock.
    pub stock: Option<i64>,
    /// New price in centavos.
    pub price: Option<i64>,
    /// New promotional price in centavos.
    pub promotional_price: Option<i64>,
}

impl StockPriceChange {
    /// Checks the optional raw values of one row: each present value must
    /// parse and be non-negative (E24 answers 400 otherwise).
    pub fn parse(
        stock: Option<&str>,
        price: Option<&str>,
        promotional_price: Option<&str>,
    ) -> Option<Self> {
        fn field(raw: Option<&str>, parse: fn(&str) -> Option<i64>) -> Result<Option<i64>, ()> {
            match raw {
                None => Ok(None),
                Some(text) => match parse(text) {
                    Some(v) if v >= 0 => Ok(Some(v)),
                    _ => Err(()),
                },
            }
        }
        Some(Self {
            stock: field(stock, parse_int).ok()?,
            price: field(price, parse_money).ok()?,
            promotional_price: field(promotional_price, parse_money).ok()?,
        })
    }

    /// Nothing to change.
    pub fn is_empty(&self) -> bool {
        self.stock.is_none() && self.price.is_none() && self.promotional_price.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skus_reject_empty_and_the_zero_sentinel() {
        assert_eq!(sku(" 123-5 ").as_deref(), Some("123-5"));
        assert_eq!(sku(""), None);
        assert_eq!(sku("   "), None);
        assert_eq!(sku("0"), None);
        assert_eq!(sku("00").as_deref(), Some("00"));
    }

    #[test]
    fn types_are_1_3_4() {
        assert_eq!(ProductType::from_code(1), Some(ProductType::Simple));
        assert_eq!(ProductType::from_code(2), None);
        assert_eq!(ProductType::from_code(4).map(ProductType::code), Some(4));
        assert_eq!(ProductType::try_from(3_i16), Ok(ProductType::Grid));
        assert_eq!(ProductType::try_from(2_i16), Err(UnknownProductType(2)));
        assert_eq!(ProductType::Variation.to_string(), "4");
    }

    #[test]
    fn slugs_fold_accents_and_collapse_separators() {
        assert_eq!(
            slug("Fone de Ouvidos Bluetooth"),
            "fone-de-ouvidos-bluetooth"
        );
        assert_eq!(
            slug("Tinta Látex Acrílico Econômico 18L - Glasu"),
            "tinta-latex-acrilico-economico-18l-glasu"
        );
        assert_eq!(slug("  Ração & Petiscos!! "), "racao-petiscos");
        assert_eq!(slug("***"), "produto");
        assert_eq!(slug_candidate("racao", 1), "racao");
        assert_eq!(slug_candidate("racao", 3), "racao-3");
    }

    #[test]
    fn fold_makes_search_accent_and_case_insensitive() {
        assert_eq!(fold("Tinta Látex"), fold("tinta latex"));
        assert_eq!(fold("AÇÃO"), "acao");
    }

    #[test]
    fn money_parses_dot_comma_and_integers() {
        assert_eq!(parse_money("150.23"), Some(15023));
        assert_eq!(parse_money("150,23"), Some(15023));
        assert_eq!(parse_money("150"), Some(15000));
        assert_eq!(parse_money("0.5"), Some(50));
        assert_eq!(parse_money("1.005"), Some(101), "half away from zero");
        assert_eq!(parse_money("-3"), Some(-300));
        assert_eq!(parse_money("abc"), None);
        assert_eq!(parse_money(""), None);
        assert_eq!(parse_money("1.2.3"), None);
    }

    #[test]
    fn money_formats_fixed_and_shortest() {
        assert_eq!(format_money(15023), "150.23");
        assert_eq!(format_money(0), "0.00");
        assert_eq!(format_money(50), "0.50");
        assert_eq!(format_money_short(10000), "100");
        assert_eq!(format_money_short(19447), "194.47");
        assert_eq!(format_money_short(50), "0.5");
        assert_eq!(format_money_short(0), "0");
    }

    #[test]
    fn weight_has_three_decimals() {
        assert_eq!(parse_weight("0.200"), Some(200));
        assert_eq!(parse_weight("0,2"), Some(200));
        assert_eq!(format_weight(200), "0.200");
        assert_eq!(format_weight(0), "0.000");
        assert_eq!(format_weight(12_345), "12.345");
    }

    #[test]
    fn ints_and_flags_are_lenient() {
        assert_eq!(parse_int(" 7 "), Some(7));
        assert_eq!(parse_int("7.0"), Some(7));
        assert_eq!(parse_int("7.5"), None);
        assert_eq!(parse_flag("on"), Some(true));
        assert_eq!(parse_flag("FALSE"), Some(false));
        assert_eq!(parse_flag("talvez"), None);
    }

    #[test]
    fn local_datetimes_normalise() {
        assert_eq!(
            local_datetime("2021-11-22 19:23:00").as_deref(),
            Some("2021-11-22 19:23:00")
        );
        assert_eq!(
            local_datetime("2021-12-31").as_deref(),
            Some("2021-12-31 00:00:00")
        );
        assert_eq!(local_datetime("9999-99-99"), None);
        assert_eq!(local_datetime("ontem"), None);
    }

    #[test]
    fn bulk_rows_refuse_negative_or_unparseable_values() {
        let ok = StockPriceChange::parse(Some("3"), Some("10,50"), None).expect("valid");
        assert_eq!(ok.stock, Some(3));
        assert_eq!(ok.price, Some(1050));
        assert!(StockPriceChange::parse(Some("-1"), None, None).is_none());
        assert!(StockPriceChange::parse(None, Some("x"), None).is_none());
        assert!(StockPriceChange::parse(None, None, None).is_some_and(|c| c.is_empty()));
    }
}
