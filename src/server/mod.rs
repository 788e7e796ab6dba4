//! Everything that runs only on the server.

pub mod config;
pub mod embedded_sandbox;
pub mod http;
pub mod links;
pub mod locale;
pub mod secret;
pub mod security_headers;
pub mod state;
pub mod store;

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Parser)]
#[command(
    name = "dodo-upsell",
    version,
    about = "Post-purchase offers and plan changes for Dodo Payments merchants"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the pages (the default).
    Serve,
}

/// The server binary's entry point: parse the command line, load the configuration, serve.
/// Every startup failure is one line on stderr and a non-zero exit, never a panic.
pub async fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await,
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,tower_http=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .try_init();
}

async fn serve() -> Result<(), String> {
    let leptos_options = leptos::config::get_configuration(None)
        .map_err(|e| format!("configuration error: LEPTOS_*: {e}"))?
        .leptos_options;
    let site_addr = leptos_options.site_addr;
    let config = config::load(site_addr).map_err(|e| e.to_string())?;
    let store = store::Store::open(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;

    let (sandbox, dodo) = if config.dodo.sandbox_enabled() {
        let (handle, endpoint) = embedded_sandbox::start(&config, site_addr).await?;
        tracing::info!("Dodo sandbox with demo data at {}", endpoint.base_url);
        (Some(handle), endpoint)
    } else {
        let api_key = config
            .dodo
            .api_key
            .clone()
            .ok_or("configuration error: DODO_PAYMENTS_API_KEY: missing")?;
        let endpoint = state::DodoEndpoint {
            base_url: config.dodo.remote_base_url(),
            api_key,
            webhook_key: config.dodo.webhook_key.clone(),
        };
        tracing::info!(
            "Dodo Payments {} at {}",
            config.dodo.mode().label(),
            endpoint.base_url
        );
        (None, endpoint)
    };

    let state = state::AppState {
        leptos_options,
        config: Arc::new(config),
        store: store.clone(),
        dodo,
    };
    let listener = tokio::net::TcpListener::bind(site_addr)
        .await
        .map_err(|e| format!("cannot listen on {site_addr}: {e}"))?;
    println!("Dodo Upsell is running at http://{site_addr} (Ctrl-C to stop)");
    axum::serve(listener, http::router(state))
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(|e| format!("server error: {e}"))?;

    tracing::info!("shutting down");
    if let Some(sandbox) = sandbox {
        sandbox.shutdown().await;
    }
    store.close().await;
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM, so in-flight requests finish before the process exits.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
}
