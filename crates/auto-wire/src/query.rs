//! Reading list query strings (§3.7, §3.8): empty values count as absent,
//! unknown parameters are ignored, and every bad value is reported at once.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use vitrine_core::listing::{parse_sort, Paging, Sort};
use vitrine_core::money::Money;
use vitrine_core::text;
use vitrine_core::FieldError;

use crate::AutoError;

/// A parsed query string and the problems found reading it.
#[derive(Debug)]
pub struct ListQuery {
    params: HashMap<String, String>,
    problems: Vec<FieldError>,
}

impl ListQuery {
    /// Parses the raw query (`None` or empty is fine: the docs' JS client
    /// sends `?` with nothing after it).
    pub fn parse(raw: Option<&str>) -> Result<Self, AutoError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or_default())
            .map_err(|_| {
                AutoError::Validation(vec![FieldError::invalid(
                    "query",
                    "Parâmetros de consulta ilegíveis",
                )])
            })?;
        let mut problems = Vec::new();
        let params = pairs
            .into_iter()
            .filter(|(_, v)| !v.trim().is_empty())
            // A NUL cannot be matched against stored text (PostgreSQL
            // refuses it in a query): the parameter is invalid.
            .filter(|(k, v)| {
                let clean = !k.contains('\0') && !v.contains('\0');
                if !clean {
                    problems.push(FieldError::invalid(
                        k,
                        format!("Parâmetro '{k}' contém caracteres inválidos"),
                    ));
                }
                clean
            })
            .collect();
        Ok(Self { params, problems })
    }

    /// A parameter's value, trimmed; empty is absent.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(|v| v.trim())
    }

    /// A text filter.
    pub fn text(&self, name: &str) -> Option<String> {
        self.get(name).map(str::to_owned)
    }

    /// An enum filter; an unknown value is an `enum` problem (§4.1).
    pub fn parsed<T>(
        &mut self,
        name: &str,
        parse: impl FnOnce(&str, &str) -> Result<T, FieldError>,
    ) -> Option<T> {
        let raw = self.get(name)?.to_owned();
        match parse(name, &raw) {
            Ok(v) => Some(v),
            Err(e) => {
                self.problems.push(e);
                None
            }
        }
    }

    /// An id filter. Filters are exact matches, so a value that is not an
    /// id matches nothing: it becomes the nil UUID, which no record has
    /// (ids are v7).
    pub fn id<T: FromStr + From<Uuid>>(&self, name: &str) -> Option<T> {
        self.get(name)
            .map(|raw| raw.parse::<T>().unwrap_or_else(|_| T::from(Uuid::nil())))
    }

    /// An integer filter.
    pub fn int(&mut self, name: &str) -> Option<i64> {
        let raw = self.get(name)?.to_owned();
        match raw.parse::<i64>() {
            Ok(n) => Some(n),
            Err(_) => {
                self.problems.push(FieldError::invalid(
                    name,
                    format!("Parâmetro '{name}' deve ser um número inteiro"),
                ));
                None
            }
        }
    }

    /// A money filter (`price_min=100000` or `100000.50`).
    pub fn money(&mut self, name: &str) -> Option<Money> {
        let raw = self.get(name)?.to_owned();
        match Money::parse_literal(&raw) {
            Ok(m) => Some(m),
            Err(_) => {
                self.problems.push(FieldError::invalid(
                    name,
                    format!("Parâmetro '{name}' deve ser um valor numérico não negativo"),
                ));
                None
            }
        }
    }

    /// A date filter (`YYYY-MM-DD`).
    pub fn date(&mut self, name: &str) -> Option<NaiveDate> {
        let raw = self.get(name)?.to_owned();
        match text::date(name, &raw) {
            Ok(d) => Some(d),
            Err(e) => {
                self.problems.push(e);
                None
            }
        }
    }

    /// The start of a day in UTC (for inclusive date bounds).
    pub fn day_start(d: NaiveDate) -> DateTime<Utc> {
        d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
    }

    /// `search` as `LIKE` patterns.
    pub fn search(&self) -> Option<(String, Option<String>)> {
        self.get("search").and_then(text::search_patterns)
    }

    /// `page` and `limit`.
    pub fn paging(&mut self) -> Paging {
        let page = self.get("page").map(str::to_owned);
        let limit = self.get("limit").map(str::to_owned);
        Paging::parse(page.as_deref(), limit.as_deref(), &mut self.problems)
    }

    /// `sort` against a resource's fields; the default is `-created_at`.
    pub fn sort<F: Copy>(&mut self, fields: &[(&str, F)], created_at: F) -> Sort<F> {
        let raw = self.get("sort").map(str::to_owned);
        let default = Sort {
            field: created_at,
            descending: true,
        };
        parse_sort(raw.as_deref(), fields, default, &mut self.problems)
    }

    /// `sort` against a resource's fields, with its own default.
    pub fn sort_or<F: Copy>(&mut self, fields: &[(&str, F)], default: Sort<F>) -> Sort<F> {
        let raw = self.get("sort").map(str::to_owned);
        parse_sort(raw.as_deref(), fields, default, &mut self.problems)
    }

    /// A `true`/`false` filter (`1`/`0` too).
    pub fn flag(&mut self, name: &str) -> Option<bool> {
        self.parsed(name, |field, s| match s.to_ascii_lowercase().as_str() {
            "true" | "1" => Ok(true),
            "false" | "0" => Ok(false),
            _ => Err(text::not_in_enum(field, &["true", "false"])),
        })
    }

    /// An instant filter: `YYYY-MM-DD` (the day's start, UTC) or RFC 3339.
    pub fn instant(&mut self, name: &str) -> Option<(DateTime<Utc>, bool)> {
        let raw = self.get(name)?.to_owned();
        if let Ok(d) = text::date(name, &raw) {
            return Some((Self::day_start(d), true));
        }
        match DateTime::parse_from_rfc3339(&raw) {
            Ok(t) => Some((t.with_timezone(&Utc), false)),
            Err(_) => {
                self.problems.push(FieldError::invalid(
                    name,
                    format!(
                        "Parâmetro '{name}' deve ser uma data YYYY-MM-DD ou data e hora RFC 3339"
                    ),
                ));
                None
            }
        }
    }

    /// Every problem at once (400), or nothing.
    pub fn finish(self) -> Result<(), AutoError> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(AutoError::Validation(self.problems))
        }
    }
}
