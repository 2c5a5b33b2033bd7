//! List conventions shared by every Auto API list: pagination and sorting
//! (ecosys-auto-api.md §3.7, §3.8, G23).

use crate::FieldError;

/// Documented default page size.
pub const DEFAULT_LIMIT: u32 = 20;
/// Documented maximum page size; larger requests are clamped to it.
pub const MAX_LIMIT: u32 = 100;

/// A validated page request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// 1-based page.
    pub page: u32,
    /// Items per page, 1..=100.
    pub limit: u32,
}

impl Paging {
    /// Rows to skip.
    pub fn offset(self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.limit)
    }

    /// Parses `page` and `limit` as sent (absent or empty = default):
    /// `page < 1`, `limit < 1` or a non-integer is a problem; `limit` over
    /// 100 is clamped.
    pub fn parse(page: Option<&str>, limit: Option<&str>, problems: &mut Vec<FieldError>) -> Self {
        let mut read = |field: &str, raw: Option<&str>, default: u32| -> u32 {
            let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
                return default;
            };
            match raw.parse::<i64>() {
                Ok(n) if n >= 1 => u32::try_from(n).unwrap_or(u32::MAX),
                _ => {
                    problems.push(FieldError::invalid(
                        field,
                        format!("Parâmetro '{field}' deve ser um inteiro maior ou igual a 1"),
                    ));
                    default
                }
            }
        };
        let page = read("page", page, 1);
        let limit = read("limit", limit, DEFAULT_LIMIT).min(MAX_LIMIT);
        Self { page, limit }
    }
}

/// A sort order: one of a resource's sortable fields, ties broken by id in
/// the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort<F> {
    /// The field.
    pub field: F,
    /// `-field` in the query.
    pub descending: bool,
}

/// Parses `sort` (`created_at`, `-created_at`, …) against `(wire name,
/// field)` pairs; absent or empty gives `default`.
pub fn parse_sort<F: Copy>(
    raw: Option<&str>,
    fields: &[(&str, F)],
    default: Sort<F>,
    problems: &mut Vec<FieldError>,
) -> Sort<F> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return default;
    };
    let (descending, name) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw.strip_prefix('+').unwrap_or(raw)),
    };
    match fields.iter().find(|(wire, _)| *wire == name) {
        Some((_, field)) => Sort {
            field: *field,
            descending,
        },
        None => {
            let names: Vec<&str> = fields.iter().map(|(w, _)| *w).collect();
            problems.push(crate::text::not_in_enum("sort", &names));
            default
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paging_defaults_clamps_and_rejects() {
        let mut p = Vec::new();
        assert_eq!(
            Paging::parse(None, None, &mut p),
            Paging { page: 1, limit: 20 }
        );
        assert_eq!(
            Paging::parse(Some("2"), Some("1000"), &mut p),
            Paging {
                page: 2,
                limit: 100
            }
        );
        assert_eq!(
            Paging::parse(Some(""), Some(""), &mut p),
            Paging { page: 1, limit: 20 }
        );
        assert!(p.is_empty());
        for (page, limit, field) in [
            ("0", "1", "page"),
            ("x", "1", "page"),
            ("1", "0", "limit"),
            ("1", "2.5", "limit"),
        ] {
            let mut p = Vec::new();
            Paging::parse(Some(page), Some(limit), &mut p);
            assert_eq!(p.len(), 1, "{page} {limit}");
            assert_eq!(p[0].field, field);
        }
        assert_eq!(Paging { page: 3, limit: 50 }.offset(), 100);
    }

    #[test]
    fn sort_parses_direction_and_rejects_unknown_fields() {
        let fields = [("created_at", 1), ("name", 2)];
        let default = Sort {
            field: 1,
            descending: true,
        };
        let mut p = Vec::new();
        assert_eq!(parse_sort(None, &fields, default, &mut p), default);
        assert_eq!(
            parse_sort(Some("name"), &fields, default, &mut p),
            Sort {
                field: 2,
                descending: false
            }
        );
        assert_eq!(
            parse_sort(Some("-name"), &fields, default, &mut p),
            Sort {
                field: 2,
                descending: true
            }
        );
        assert!(p.is_empty());
        parse_sort(Some("password"), &fields, default, &mut p);
        assert_eq!(p[0].kind, "enum");
    }
}
