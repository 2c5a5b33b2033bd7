//! The store's error: what persistence can tell the layers above.

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// No row of this tenant matches (a foreign id looks the same).
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was hit; `what` names it for the caller's message.
    #[error("conflict: {what}")]
    Conflict {
        /// The rule hit, e.g. `email`.
        what: &'static str,
    },
    /// Anything else from the database or the driver.
    #[error("database error")]
    Db(#[source] sqlx::Error),
    /// Migrations could not be applied.
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database URL cannot be used.
    #[error("unsupported database url: {0}")]
    Url(String),
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => Self::NotFound,
            other => Self::Db(other),
        }
    }
}

impl Error {
    /// Maps a unique-constraint violation to `Conflict { what }`; other
    /// errors pass through. Uses the driver's error kind, never message text.
    pub(crate) fn unique_as(what: &'static str) -> impl FnOnce(sqlx::Error) -> Self {
        move |e| match &e {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Conflict { what },
            _ => Self::from(e),
        }
    }
}
