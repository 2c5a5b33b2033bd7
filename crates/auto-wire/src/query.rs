//! Reading list query strings (§3.7, §3.8): empty values count as absent,
//! and every bad value is reported at once. A list reads its parameters
//! through these methods, which note each name asked for; the Auto API
//! finishes with [`ListQuery::finish_known`], which answers 400 naming any
//! parameter the list never asked for (`?body_type=suv` on `/vehicles`)
//! instead of ignoring it and returning everything (docs/api.md, "List
//! filters").

use std::cell::RefCell;
use std::collections::HashMap;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;
use vitrine_core::listing::{parse_sort, Paging, Sort};
use vitrine_core::money::Money;
use vitrine_core::text;
use vitrine_core::FieldError;

/// A parsed query string and the problems found reading it.
#[derive(Debug)]
pub struct ListQuery {
    params: HashMap<String, String>,
    /// The non-empty parameters in the order sent.
    sent: Vec<String>,
    /// Every name a reader asked for, in the order asked.
    asked: RefCell<Vec<String>>,
    problems: Vec<FieldError>,
}

impl ListQuery {
    /// Parses the raw query (`None` or empty is fine: the docs' JS client
    /// sends `?` with nothing after it).
    pub fn parse(raw: Option<&str>) -> Result<Self, vitrine_core::Error> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or_default())
            .map_err(|_| {
                vitrine_core::Error::Invalid(vec![FieldError::invalid(
                    "query",
                    "Parâmetros de consulta ilegíveis",
                )])
            })?;
        let mut problems = Vec::new();
        let mut params = HashMap::new();
        let mut sent: Vec<String> = Vec::new();
        for (k, v) in pairs {
            if v.trim().is_empty() {
                continue;
            }
            // A NUL cannot be matched against stored text (PostgreSQL
            // refuses it in a query): the parameter is invalid.
            if k.contains('\0') || v.contains('\0') {
                problems.push(FieldError::invalid(
                    &k,
                    format!("Parâmetro '{k}' contém caracteres inválidos"),
                ));
                continue;
            }
            if !sent.contains(&k) {
                sent.push(k.clone());
            }
            params.insert(k, v);
        }
        Ok(Self {
            params,
            sent,
            asked: RefCell::new(Vec::new()),
            problems,
        })
    }

    /// A parameter's value, trimmed; empty is absent. Notes the name as
    /// one this list reads.
    pub fn get(&self, name: &str) -> Option<&str> {
        let mut asked = self.asked.borrow_mut();
        if !asked.iter().any(|a| a == name) {
            asked.push(name.to_owned());
        }
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

    /// Like [`ListQuery::finish`], and a parameter this list never read is
    /// a problem too, naming it, with the parameters it reads as
    /// `allowed`: a filter the list does not support is refused rather
    /// than silently ignored (issue 16.13).
    pub fn finish_known(mut self) -> Result<(), vitrine_core::Error> {
        let asked = self.asked.take();
        for name in &self.sent {
            if !asked.contains(name) {
                self.problems.push(FieldError {
                    field: name.clone(),
                    kind: "invalid",
                    message: format!(
                        "Parâmetro '{name}' não é um filtro desta lista; aceitos: {}",
                        asked.join(", ")
                    ),
                    allowed: asked.clone(),
                });
            }
        }
        self.finish()
    }

    /// Every problem at once (400), or nothing.
    pub fn finish(self) -> Result<(), vitrine_core::Error> {
        if self.problems.is_empty() {
            Ok(())
        } else {
            Err(vitrine_core::Error::Invalid(self.problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(e: vitrine_core::Error) -> Vec<FieldError> {
        match e {
            vitrine_core::Error::Invalid(p) => p,
        }
    }

    #[test]
    fn a_parameter_the_list_never_reads_is_named() {
        let mut q =
            ListQuery::parse(Some("status=ativo&body_type=suv&page=1&_=&x=")).expect("parses");
        let _ = q.get("status");
        let _ = q.paging();
        let p = problems(q.finish_known().expect_err("body_type is not read"));
        assert_eq!(p.len(), 1, "empty values count as absent: {p:?}");
        assert_eq!(p[0].field, "body_type");
        assert_eq!(p[0].allowed, ["status", "page", "limit"]);
        assert!(p[0].message.contains("body_type"), "{}", p[0].message);

        let q = ListQuery::parse(Some("status=ativo")).expect("parses");
        let _ = q.get("status");
        assert!(q.finish_known().is_ok());
        // The lenient finish (the panel's) ignores what it does not read.
        let q = ListQuery::parse(Some("body_type=suv")).expect("parses");
        assert!(q.finish().is_ok());
    }
}
