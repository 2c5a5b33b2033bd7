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
    /// The database cannot serve now (disk full, read-only, I/O failure,
    /// server unreachable, every connection busy); the same request may
    /// succeed later. Faces answer 503.
    #[error("database unavailable: {outage}")]
    Unavailable {
        /// What is wrong.
        outage: Outage,
        /// The driver's error, for the log.
        #[source]
        cause: Box<dyn std::error::Error + Send + Sync>,
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

/// What keeps the database from serving, as far as the driver tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outage {
    /// No space left for the database (SQLite `SQLITE_FULL`, PostgreSQL
    /// `53100`).
    DiskFull,
    /// The database refuses writes: its file or file system is read-only
    /// (`SQLITE_READONLY`), or the server is (`25006`, a standby).
    ReadOnly,
    /// The storage failed a read or a write (`SQLITE_IOERR`, `CANTOPEN`,
    /// `CORRUPT`, `NOTADB`; PostgreSQL class `58`).
    Io,
    /// The server cannot be reached, refused the connection, or ended it
    /// (I/O and TLS errors, class `08`, `57P01`–`57P03`, a closed pool).
    Unreachable,
    /// No connection or lock came free in time (the pool's timeout,
    /// `SQLITE_BUSY` after the busy timeout, too many connections): load,
    /// not a failure of the storage.
    Busy,
}

impl Outage {
    /// Does this outage mean the database answers but cannot take writes
    /// (its storage is full, read-only or failing)? `/healthz` reports it
    /// until a write succeeds; an unreachable server is seen by any query,
    /// and a busy one is load, not a failure.
    pub fn stops_writes(self) -> bool {
        matches!(self, Self::DiskFull | Self::ReadOnly | Self::Io)
    }

    /// Classifies a driver error by its kind and the database's result
    /// code (SQLite's extended code, PostgreSQL's SQLSTATE), never by its
    /// message.
    pub fn of(e: &sqlx::Error) -> Option<Self> {
        match e {
            sqlx::Error::Io(_) | sqlx::Error::Tls(_) | sqlx::Error::PoolClosed => {
                Some(Self::Unreachable)
            }
            sqlx::Error::WorkerCrashed => Some(Self::Io),
            sqlx::Error::PoolTimedOut => Some(Self::Busy),
            sqlx::Error::Database(db) => {
                if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some() {
                    let code: i32 = db.code()?.parse().ok()?;
                    Self::of_sqlite(code)
                } else {
                    Self::of_sqlstate(&db.code()?)
                }
            }
            _ => None,
        }
    }

    /// SQLite's primary result code is the low byte of the extended one
    /// (https://www.sqlite.org/rescode.html).
    fn of_sqlite(extended: i32) -> Option<Self> {
        match extended & 0xff {
            13 => Some(Self::DiskFull),
            8 => Some(Self::ReadOnly),
            10 | 11 | 14 | 26 => Some(Self::Io),
            5 | 6 => Some(Self::Busy),
            _ => None,
        }
    }

    /// PostgreSQL error codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
    fn of_sqlstate(code: &str) -> Option<Self> {
        match code {
            "53100" => Some(Self::DiskFull),
            "25006" => Some(Self::ReadOnly),
            "57P01" | "57P02" | "57P03" | "57P04" => Some(Self::Unreachable),
            "53000" | "53200" | "53300" | "53400" => Some(Self::Busy),
            c if c.starts_with("08") => Some(Self::Unreachable),
            c if c.starts_with("58") => Some(Self::Io),
            _ => None,
        }
    }
}

impl std::fmt::Display for Outage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::DiskFull => "disk full",
            Self::ReadOnly => "read-only",
            Self::Io => "storage I/O error",
            Self::Unreachable => "server unreachable",
            Self::Busy => "busy",
        })
    }
}

impl From<sqlx::Error> for Error {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => Self::NotFound,
            other => match Outage::of(&other) {
                Some(outage) => Self::Unavailable {
                    outage,
                    cause: Box::new(other),
                },
                None => Self::Db(other),
            },
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

    /// The outage behind this error, if it is one.
    pub fn outage(&self) -> Option<Outage> {
        match self {
            Self::Unavailable { outage, .. } => Some(*outage),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Outage;

    #[test]
    fn sqlite_codes_by_their_primary_byte() {
        for (code, outage, why) in [
            (13, Some(Outage::DiskFull), "SQLITE_FULL"),
            (8, Some(Outage::ReadOnly), "SQLITE_READONLY"),
            (1032, Some(Outage::ReadOnly), "SQLITE_READONLY_DBMOVED"),
            (10, Some(Outage::Io), "SQLITE_IOERR"),
            (778, Some(Outage::Io), "SQLITE_IOERR_WRITE"),
            (14, Some(Outage::Io), "SQLITE_CANTOPEN"),
            (5, Some(Outage::Busy), "SQLITE_BUSY"),
            (2067, None, "SQLITE_CONSTRAINT_UNIQUE"),
            (787, None, "SQLITE_CONSTRAINT_FOREIGNKEY"),
            (1, None, "SQLITE_ERROR"),
        ] {
            assert_eq!(Outage::of_sqlite(code), outage, "{why}");
        }
    }

    #[test]
    fn postgres_codes_by_sqlstate() {
        for (code, outage, why) in [
            ("53100", Some(Outage::DiskFull), "disk_full"),
            ("25006", Some(Outage::ReadOnly), "read_only_sql_transaction"),
            ("08006", Some(Outage::Unreachable), "connection_failure"),
            ("57P01", Some(Outage::Unreachable), "admin_shutdown"),
            ("57P03", Some(Outage::Unreachable), "cannot_connect_now"),
            ("53300", Some(Outage::Busy), "too_many_connections"),
            ("58030", Some(Outage::Io), "io_error"),
            ("23505", None, "unique_violation"),
            ("40001", None, "serialization_failure"),
        ] {
            assert_eq!(Outage::of_sqlstate(code), outage, "{why}");
        }
    }

    #[test]
    fn storage_outages_stop_writes() {
        assert!(Outage::DiskFull.stops_writes());
        assert!(Outage::ReadOnly.stops_writes());
        assert!(Outage::Io.stops_writes());
        assert!(!Outage::Unreachable.stops_writes(), "seen by any query");
        assert!(!Outage::Busy.stops_writes(), "load, not a failure");
    }
}
