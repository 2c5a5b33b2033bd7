//! The use cases' one error: what a command can answer besides its result.
//! Each face maps it once (`From<app::Error>` for `AutoError` and for
//! `PanelError`); the CLI words it for a terminal.

use vitrine_core::FieldError;
use vitrine_store::Outage;

/// Why a use case did not do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The draft breaks a rule of its fields; every problem at once (the
    /// Auto API answers 400).
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// No such record in the tenant's scope (another tenant's id looks the
    /// same).
    #[error("not found")]
    NotFound,
    /// A uniqueness rule: another record holds this value (409).
    #[error("conflict: {0:?}")]
    Conflict(FieldError),
    /// A business rule refused the command: a reference that is not the
    /// account's, a webhook target that is not public, a cap reached, a
    /// transition that cannot happen (422).
    #[error("refused: {0:?}")]
    Rule(Vec<FieldError>),
    /// A shop rule refused the order or cart command (stock, an inactive
    /// unit, a total too large, no open cart, an illegal status change);
    /// typed, so the Loja API keeps its documented wording.
    #[error("shop refused: {0:?}")]
    Shop(crate::shop::Refusal),
    /// The database cannot serve now (disk full, read-only, server gone,
    /// every connection busy): nothing was written; retry later (503).
    #[error("database unavailable: {0}")]
    Unavailable(Outage),
    /// Anything unexpected; the face logs it and answers a fixed sentence.
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

/// Result of a use case.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// A one-problem [`Error::Rule`].
    pub fn rule(problem: FieldError) -> Self {
        Self::Rule(vec![problem])
    }

    /// The problems a form shows next to its fields (invalid input, a
    /// conflict, a refused rule), or the error itself when it is not about
    /// the input.
    pub fn into_problems(self) -> Result<Vec<FieldError>, Self> {
        match self {
            Self::Invalid(problems) | Self::Rule(problems) => Ok(problems),
            Self::Conflict(problem) => Ok(vec![problem]),
            Self::Shop(refusal) => Ok(vec![refusal.problem()]),
            other => Err(other),
        }
    }
}

impl From<vitrine_store::Error> for Error {
    fn from(e: vitrine_store::Error) -> Self {
        use vitrine_store::Error as S;
        match e {
            S::NotFound => Self::NotFound,
            S::Conflict { what } => Self::Conflict(FieldError {
                field: what.to_owned(),
                kind: "duplicate",
                message: format!("Já existe um registro com este '{what}'"),
                allowed: Vec::new(),
            }),
            S::Unavailable { outage, cause } => {
                tracing::warn!(%outage, error = ?cause, "database unavailable");
                Self::Unavailable(outage)
            }
            other => Self::Internal(Box::new(other)),
        }
    }
}

impl From<vitrine_core::Error> for Error {
    fn from(e: vitrine_core::Error) -> Self {
        match e {
            vitrine_core::Error::Invalid(problems) => Self::Invalid(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_takes_the_problems_about_its_input() {
        let p = || FieldError::invalid("title", "Campo 'title' é obrigatório");
        for e in [
            Error::Invalid(vec![p()]),
            Error::Rule(vec![p()]),
            Error::Conflict(p()),
        ] {
            assert_eq!(e.into_problems().expect("about the input"), [p()]);
        }
        assert!(matches!(
            Error::NotFound.into_problems(),
            Err(Error::NotFound)
        ));
        let outage = Error::Unavailable(vitrine_store::Outage::ReadOnly);
        assert!(matches!(outage.into_problems(), Err(Error::Unavailable(_))));
    }

    #[test]
    fn a_uniqueness_rule_of_the_store_names_its_field() {
        let e = Error::from(vitrine_store::Error::Conflict { what: "email" });
        let Error::Conflict(problem) = e else {
            panic!("a conflict: {e:?}");
        };
        assert_eq!(
            (problem.field.as_str(), problem.kind),
            ("email", "duplicate")
        );
        assert!(matches!(
            Error::from(vitrine_store::Error::NotFound),
            Error::NotFound
        ));
    }
}
