//! The `vitrine` binary: parses the command line and runs it.

use std::process::ExitCode;

use anyhow::Context as _;
use clap::Parser;
use vitrine_server::app::{self, Settings};
use vitrine_server::config::{Cli, Command, ServeArgs};
use vitrine_server::workers::webhooks::WebhookSettings;
use vitrine_server::{cli, demo, memory, telemetry};

fn main() -> ExitCode {
    let args = Cli::parse();
    telemetry::init_logs();
    memory::return_large_blocks_to_the_system();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match args.command {
            Command::Serve(serve_args) => serve(serve_args).await,
            Command::Admin(cmd) => cli::admin(cmd).await,
            Command::Keys(cmd) => cli::keys(cmd).await,
            Command::Stores(cmd) => cli::stores(cmd).await,
            Command::Users(cmd) => cli::users(cmd).await,
            Command::Dataset(cmd) => cli::dataset(cmd).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// Binds `addr` (`host:port`, the host a name or an address), naming it
/// and its flag when that fails (in use, not an address of this machine).
async fn bind(addr: &str, flag: &str) -> anyhow::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} ({flag})"))
}

/// How long shutdown waits for the database pool to close.
const POOL_CLOSE_GRACE: std::time::Duration = std::time::Duration::from_secs(10);

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    // The addresses first: one in use stops here, before anything is
    // created on disk or in the database.
    let listener = bind(&args.listen, "--listen").await?;
    let metrics_listener = match args.metrics_listen.as_deref().map(str::trim) {
        Some(addr) if !addr.is_empty() => Some(bind(addr, "--metrics-listen").await?),
        _ => None,
    };
    let store = cli::open(&args.db, args.db_connections).await?;
    tracing::info!(backend = ?store.backend(), db = ?args.db, "database ready, migrations applied");
    let addr = listener.local_addr()?;
    let media = args.media()?;
    tracing::info!(?media, "media store ready");
    if args.demo {
        let base = demo::base_url(addr);
        if let Some(credentials) = demo::seed_if_empty(&store, &media, &base).await? {
            demo::announce(&credentials)?;
        } else {
            tracing::info!("--demo: database already has data; no credentials printed");
        }
    }
    let settings = Settings {
        body_limit: args.body_limit,
        upload_limit: args.upload_limit,
        customer_token_days: args.customer_token_days,
        rate_limit_per_minute: args.rate_limit_per_minute,
        account_rate_limit_per_minute: args.account_rate_limit_per_minute,
        address_rate_limit_per_minute: args.address_rate_limit_per_minute,
        request_timeout: (args.request_timeout_secs > 0)
            .then(|| std::time::Duration::from_secs(args.request_timeout_secs)),
        header_read_timeout: std::time::Duration::from_secs(args.header_read_timeout_secs),
        max_header_bytes: args.max_header_bytes,
        hsts_max_age: (args.hsts_max_age_secs > 0)
            .then(|| std::time::Duration::from_secs(args.hsts_max_age_secs)),
        webhooks: WebhookSettings {
            enabled: !args.no_webhook_worker,
            allow_private_targets: args.webhook_allow_private_targets,
            ..WebhookSettings::default()
        },
    };
    let router = app::build(store.clone(), media, &settings);
    let workers = app::spawn_workers(store.clone(), &settings);
    let metrics = metrics_listener.map(|listener| {
        if let Ok(addr) = listener.local_addr() {
            tracing::info!(%addr, "metrics listening");
        }
        tokio::spawn(app::serve(
            listener,
            app::metrics_router(),
            std::future::pending(),
        ))
    });
    tracing::info!(%addr, "vitrine listening");
    let served = app::serve_with(listener, router, settings, app::shutdown_signal()).await;
    if let Some(metrics) = metrics {
        metrics.abort();
    }
    workers.shutdown().await;
    // Requests still running past the grace period (their clients gone)
    // hold pool connections; waiting for every one of them could keep the
    // process alive indefinitely, so the close is bounded too.
    if tokio::time::timeout(POOL_CLOSE_GRACE, store.close())
        .await
        .is_err()
    {
        tracing::warn!("database pool did not close in time; exiting anyway");
    }
    tracing::info!("stopped");
    Ok(served?)
}
