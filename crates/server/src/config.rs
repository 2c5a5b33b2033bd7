//! Command-line flags, each also read from a `VITRINE_*` variable
//! (ARCHITECTURE.md, "The interface contract").

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// vitrine — a self-hosted commerce back office: the Auto API, the Loja API
/// and the panel, in one binary over one database.
#[derive(Debug, Parser)]
#[command(name = "vitrine", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server.
    Serve(ServeArgs),
    /// Administration: set up accounts.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Manage Auto API keys of an account.
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Manage stores of an account and their Loja credentials.
    #[command(subcommand)]
    Stores(StoresCommand),
    /// Manage panel users.
    #[command(subcommand)]
    Users(UsersCommand),
    /// Generate benchmark datasets (bench/README.md).
    #[command(subcommand)]
    Dataset(DatasetCommand),
}

/// `vitrine dataset …`.
#[derive(Debug, Subcommand)]
pub enum DatasetCommand {
    /// Accounts with vehicles (the Auto API list benchmark).
    Vehicles {
        /// Database location.
        #[command(flatten)]
        db: DbArgs,
        /// Number of accounts.
        #[arg(long, default_value_t = 10)]
        accounts: usize,
        /// Total number of vehicles, spread over the accounts.
        #[arg(long, default_value_t = 100_000)]
        vehicles: usize,
    },
    /// One store with a product catalogue (the Loja API benchmark).
    Catalog {
        /// Database location.
        #[command(flatten)]
        db: DbArgs,
        /// Number of products.
        #[arg(long, default_value_t = 1_000_000)]
        products: usize,
    },
}

/// Where the database is.
#[derive(Clone, Args)]
pub struct DbArgs {
    /// Directory for the embedded database and media files.
    #[arg(long, env = "VITRINE_DATA_DIR", default_value = "./vitrine-data")]
    pub data_dir: PathBuf,
    /// `postgres://user:pass@host/db` for PostgreSQL; the SQLite file
    /// `<data-dir>/vitrine.db` when absent.
    #[arg(long, env = "VITRINE_DATABASE_URL")]
    pub database_url: Option<String>,
}

impl std::fmt::Debug for DbArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DbArgs")
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .finish()
    }
}

/// A database URL with its password replaced, for logs.
pub fn redact_url(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => {
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{scheme}://{user}:***@{host}")
        }
        None => url.to_owned(),
    }
}

/// `vitrine serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on: `host:port`, the host a name (`localhost`) or
    /// an IP address.
    #[arg(long, env = "VITRINE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: String,
    /// Where to serve `GET /metrics` (Prometheus), e.g. `127.0.0.1:9090`;
    /// unset, metrics are not served. Never on the public listener.
    #[arg(long, env = "VITRINE_METRICS_LISTEN")]
    pub metrics_listen: Option<String>,
    /// `Strict-Transport-Security` lifetime on answers to requests that came
    /// over TLS (`X-Forwarded-Proto: https` from the proxy), in seconds; `0`
    /// never sends it.
    #[arg(long, env = "VITRINE_HSTS_MAX_AGE_SECS", default_value_t = crate::app::DEFAULT_HSTS_MAX_AGE.as_secs())]
    pub hsts_max_age_secs: u64,
    /// Database location.
    #[command(flatten)]
    pub db: DbArgs,
    /// On an empty database, create a demo account and print its credentials.
    #[arg(long, env = "VITRINE_DEMO")]
    pub demo: bool,
    /// Largest JSON or form body accepted, in bytes.
    #[arg(long, env = "VITRINE_BODY_LIMIT", default_value_t = 1024 * 1024)]
    pub body_limit: usize,
    /// Largest body of an image upload, in bytes.
    #[arg(long, env = "VITRINE_UPLOAD_LIMIT", default_value_t = crate::app::DEFAULT_UPLOAD_LIMIT)]
    pub upload_limit: usize,
    /// How long a Loja customer JWT (`client/clientlogin`) stays valid, in days.
    #[arg(long, env = "VITRINE_CUSTOMER_TOKEN_DAYS", default_value_t = crate::app::DEFAULT_CUSTOMER_TOKEN_DAYS)]
    pub customer_token_days: u32,
    /// Requests per minute per Auto API key, per Loja credential and per
    /// Loja customer, in a fixed one-minute window counted by this node
    /// alone; `0` turns every rate limit off.
    #[arg(long, env = "VITRINE_RATE_LIMIT_PER_MINUTE", default_value_t = crate::app::DEFAULT_RATE_LIMIT_PER_MINUTE)]
    pub rate_limit_per_minute: u32,
    /// Requests per minute per account, all its keys, credentials and
    /// customers together, in both APIs (this node alone); `0` disables.
    #[arg(long, env = "VITRINE_ACCOUNT_RATE_LIMIT_PER_MINUTE", default_value_t = crate::app::DEFAULT_ACCOUNT_RATE_LIMIT_PER_MINUTE)]
    pub account_rate_limit_per_minute: u32,
    /// API requests per minute per client address that do not authenticate
    /// (this node alone); past it the address gets 429 until the minute
    /// ends. `0` disables.
    #[arg(long, env = "VITRINE_ADDRESS_RATE_LIMIT_PER_MINUTE", default_value_t = crate::app::DEFAULT_ADDRESS_RATE_LIMIT_PER_MINUTE)]
    pub address_rate_limit_per_minute: u32,
    /// Longest a request may run before it is cancelled and answered 408,
    /// in seconds; `0` never cancels.
    #[arg(long, env = "VITRINE_REQUEST_TIMEOUT_SECS", default_value_t = crate::app::DEFAULT_REQUEST_TIMEOUT.as_secs())]
    pub request_timeout_secs: u64,
    /// Longest a client may take to send a request's headers before the
    /// connection is closed, in seconds (slow clients).
    #[arg(long, env = "VITRINE_HEADER_READ_TIMEOUT_SECS", default_value_t = crate::app::DEFAULT_HEADER_READ_TIMEOUT.as_secs(),
          value_parser = clap::value_parser!(u64).range(1..))]
    pub header_read_timeout_secs: u64,
    /// Largest request line plus headers, in bytes; larger is answered 431.
    #[arg(long, env = "VITRINE_MAX_HEADER_BYTES", default_value_t = crate::app::DEFAULT_MAX_HEADER_BYTES,
          value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1024..))]
    pub max_header_bytes: usize,
    /// Database connections in the pool.
    #[arg(long, env = "VITRINE_DB_CONNECTIONS", default_value_t = 16)]
    pub db_connections: u32,
    /// Do not run the webhook delivery worker and activity reminder
    /// scheduler on this node (events still queue in the database and
    /// other nodes deliver them).
    #[arg(long, env = "VITRINE_NO_WEBHOOK_WORKER")]
    pub no_webhook_worker: bool,
    /// Let webhook endpoints point to loopback, private and other
    /// non-public addresses. UNSAFE with several tenants: any of them could
    /// reach this node's network. For single-tenant installs only.
    #[arg(long, env = "VITRINE_WEBHOOK_ALLOW_PRIVATE_TARGETS")]
    pub webhook_allow_private_targets: bool,
    /// Where uploaded images go: `s3://bucket/prefix` (credentials from the
    /// `AWS_*` variables) or a directory; `<data-dir>/media` when absent.
    #[arg(long, env = "VITRINE_MEDIA_URL")]
    pub media_url: Option<String>,
}

impl ServeArgs {
    /// The media store to open.
    pub fn media(&self) -> Result<vitrine_store::media::Media, vitrine_store::media::MediaError> {
        match &self.media_url {
            Some(url) if !url.trim().is_empty() => vitrine_store::media::Media::open(url.trim()),
            _ => vitrine_store::media::Media::local(&self.db.data_dir.join("media")),
        }
    }
}

/// `vitrine admin …`.
#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an account with its owner, first store, API key and store credentials.
    Bootstrap {
        /// Database location.
        #[command(flatten)]
        db: DbArgs,
        /// Account (company) name.
        #[arg(long)]
        account: String,
        /// First store's name.
        #[arg(long)]
        store: String,
        /// Owner's sign-in email.
        #[arg(long)]
        email: String,
        /// Owner's password (at least 8 characters).
        #[arg(long, env = "VITRINE_BOOTSTRAP_PASSWORD", hide_env_values = true)]
        password: String,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// `vitrine keys …`.
#[derive(Debug, Subcommand)]
pub enum KeysCommand {
    /// Mint a new API key (shown once).
    Create {
        /// Database location.
        #[command(flatten)]
        db: DbArgs,
        /// Account id.
        #[arg(long)]
        account: String,
        /// A label for the key.
        #[arg(long, default_value = "CLI")]
        name: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the account's keys (prefixes only).
    List {
        /// Database location.
        #[command(flatten)]
        db: DbArgs,
        /// Account id.
        #[arg(long)]
        account: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a key: it never authenticates again.
    Revoke {
        /// Database location.
        #[command(flatten)]
        db: DbArgs,
        /// Account id.
        #[arg(long)]
        account: String,
        /// Key id (from `keys list`).
        #[arg(long)]
        key: String,
    },
}

/// `vitrine users …`.
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Set a new password for a panel user and end every session they have
    /// open (a lost password, a device gone).
    ResetPassword {
        /// Database location.
        #[command(flatten)]
        db: DbArgs,
        /// The user's sign-in email.
        #[arg(long)]
        email: String,
        /// The new password (at least 8 characters); when absent, a random
        /// one is made and printed, once.
        #[arg(long, env = "VITRINE_RESET_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

/// `vitrine stores …`.
#[derive(Debug, Subcommand)]
pub enum StoresCommand {
    /// Add a store to an account, with its first Loja credentials.
    Create {
        /// Database location.
        #[command(flatten)]
        db: DbArgs,
        /// Account id.
        #[arg(long)]
        account: String,
        /// Store name.
        #[arg(long)]
        name: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// List the account's stores.
    List {
        /// Database location.
        #[command(flatten)]
        db: DbArgs,
        /// Account id.
        #[arg(long)]
        account: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Issue new Loja credentials for a store, revoking the previous ones.
    RotateCredentials {
        /// Database location.
        #[command(flatten)]
        db: DbArgs,
        /// Account id.
        #[arg(long)]
        account: String,
        /// Store id.
        #[arg(long)]
        store: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

impl DbArgs {
    /// The database URL to open (creating the data dir for SQLite); a
    /// failure names the directory.
    pub fn url(&self) -> anyhow::Result<String> {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => Ok(url.trim().to_owned()),
            _ => {
                std::fs::create_dir_all(&self.data_dir).map_err(|e| {
                    anyhow::anyhow!(
                        "cannot create the data directory {}: {e}",
                        self.data_dir.display()
                    )
                })?;
                Ok(vitrine_store::Store::sqlite_url_in(&self.data_dir))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_never_reach_logs() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/vitrine"),
            "postgres://app:***@db:5432/vitrine"
        );
        assert_eq!(redact_url("sqlite://./x.db"), "sqlite://./x.db");
    }
}
