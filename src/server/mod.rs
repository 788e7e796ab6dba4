//! Everything that runs only on the server.

pub mod analytics;
pub mod attempts;
pub mod config;
pub mod context;
pub mod dashboard;
pub mod demo_links;
pub mod dodo_check;
pub mod dodo_reads;
pub mod embedded_sandbox;
pub mod error;
pub mod http;
pub mod links;
pub mod links_api;
pub mod locale;
pub mod merchant;
pub mod merchant_auth;
pub mod offer;
pub mod plan_change;
pub mod private_pages;
pub mod request;
pub mod request_guard;
pub mod secret;
pub mod security_headers;
pub mod state;
pub mod store;
pub mod webhooks;

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use std::time::Duration;

/// How often the reconciler looks for attempts whose next check is due (each attempt has its
/// own backed-off schedule; a pass with nothing due is one indexed query).
pub const RECONCILE_EVERY: Duration = Duration::from_secs(1);

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
    /// Print a signed link that opens a customer page, e.g.
    /// `dodo-upsell link plan-change --subscription sub_… --ttl 24h`.
    Link {
        /// Which page: plan-change, cross-sell or offer.
        audience: String,
        /// The Dodo customer (looked up from the subscription when omitted).
        #[arg(long)]
        customer: Option<String>,
        /// The subscription, for plan-change links.
        #[arg(long)]
        subscription: Option<String>,
        /// The offer, for offer links.
        #[arg(long)]
        offer: Option<String>,
        /// How long the link works: 30m, 24h, 7d (at most 30 days).
        #[arg(long, default_value = "24h")]
        ttl: String,
    },
    /// Merchant dashboard accounts (`/merchant`).
    MerchantUser {
        #[command(subcommand)]
        action: MerchantUserAction,
    },
}

#[derive(Subcommand)]
enum MerchantUserAction {
    /// Add an account, e.g. `dodo-upsell merchant-user add ana@shop.test`; the password is
    /// read from standard input (asked for on a terminal), never from the command line.
    Add {
        email: String,
        /// Read the password from standard input even on a terminal (no prompt).
        #[arg(long)]
        password_stdin: bool,
    },
}

/// The server binary's entry point: parse the command line, load the configuration, serve.
/// Every startup failure is one line on stderr and a non-zero exit, never a panic.
pub async fn main() -> ExitCode {
    init_tracing();
    let cli = Cli::parse();
    let result = match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve().await,
        Command::Link {
            audience,
            customer,
            subscription,
            offer,
            ttl,
        } => print_link(audience, customer, subscription, offer, &ttl).await,
        Command::MerchantUser {
            action:
                MerchantUserAction::Add {
                    email,
                    password_stdin,
                },
        } => merchant_auth::cli::run_add(&email, password_stdin).await,
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
        let demo_password = merchant_auth::demo::password_from_env();
        if let Some(login) =
            merchant_auth::demo::ensure_demo_account(&store, &demo_password, &config.public_url)
                .await?
        {
            println!("{login}");
        }
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

    let mut state = state::AppState::build(leptos_options, config, store.clone(), dodo).await?;
    if let Some(sandbox) = &sandbox {
        state.clock = state::DodoClock::Sandbox(sandbox.state().clone());
    }
    tokio::spawn({
        let (merchant, dodo, warnings) = (
            state.merchant.clone(),
            state.dodo_client.clone(),
            state.config_warnings.clone(),
        );
        async move { merchant::warn_about_unknown_products(&merchant, &dodo, &warnings).await }
    });
    // Resume what a previous run left open (recorded but unsent, or unknown), then keep
    // settling attempts whose webhooks are late.
    let reconciler = state.engine.spawn_reconciler(RECONCILE_EVERY);
    let pruner =
        request_guard::RateLimits::spawn_pruner(state.rate_limits.clone(), Duration::from_secs(60));
    plan_change::spawn_startup_check(&state);
    let listener = tokio::net::TcpListener::bind(site_addr)
        .await
        .map_err(|e| format!("cannot listen on {site_addr}: {e}"))?;
    println!("Dodo Upsell is running at http://{site_addr} (Ctrl-C to stop)");
    axum::serve(
        listener,
        http::router(state).into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await
    .map_err(|e| format!("server error: {e}"))?;

    tracing::info!("shutting down");
    reconciler.abort();
    pruner.abort();
    if let Some(sandbox) = sandbox {
        sandbox.shutdown().await;
    }
    store.close().await;
    Ok(())
}

/// `link`: signs a link with the same key the server uses (the configured one, or the one the
/// store keeps) and prints its URL.
async fn print_link(
    audience: String,
    customer: Option<String>,
    subscription: Option<String>,
    offer: Option<String>,
    ttl: &str,
) -> Result<(), String> {
    let leptos_options = leptos::config::get_configuration(None)
        .map_err(|e| format!("configuration error: LEPTOS_*: {e}"))?
        .leptos_options;
    let config = config::load(leptos_options.site_addr).map_err(|e| e.to_string())?;
    let ttl = links::parse_ttl(ttl).map_err(|e| format!("--ttl: {e}"))?;
    let store = store::Store::open(&config.database_url)
        .await
        .map_err(|e| e.to_string())?;
    let dodo = dodo_endpoint_for_cli(&config)?;
    let public_url = config.public_url.clone();
    let state = state::AppState::build(leptos_options, config, store.clone(), dodo).await?;
    let customer_id = match (customer, &subscription) {
        (Some(customer), _) => customer,
        (None, Some(subscription)) => {
            state
                .dodo_client
                .subscription(subscription)
                .await
                .map_err(|e| {
                    format!("cannot look up {subscription} at Dodo ({e}); pass --customer")
                })?
                .customer_id
        }
        (None, None) => {
            return Err("--customer is required (or --subscription to look it up)".into());
        }
    };
    let request = links_api::MintRequest {
        audience,
        customer_id,
        subscription_id: subscription,
        offer_id: offer,
        ttl_seconds: Some(ttl.as_secs()),
    };
    let minted =
        links_api::mint_link(&state.links, &public_url, &request).map_err(|e| e.to_string())?;
    println!("{}", minted["url"].as_str().unwrap_or_default());
    store.close().await;
    Ok(())
}

/// Where the CLI finds Dodo: the configured API, or the sandbox of a running `make run`.
fn dodo_endpoint_for_cli(config: &config::Config) -> Result<state::DodoEndpoint, String> {
    if config.dodo.sandbox_enabled() {
        Ok(state::DodoEndpoint {
            base_url: format!("http://{}", config.dodo.sandbox_addr),
            api_key: secret::Secret::new(dodo_sandbox::DEFAULT_API_KEY),
            webhook_key: None,
        })
    } else {
        Ok(state::DodoEndpoint {
            base_url: config.dodo.remote_base_url(),
            api_key: config
                .dodo
                .api_key
                .clone()
                .ok_or("configuration error: DODO_PAYMENTS_API_KEY: missing")?,
            webhook_key: config.dodo.webhook_key.clone(),
        })
    }
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
