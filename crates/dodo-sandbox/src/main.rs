//! `dodo-sandbox`: the sandbox as a standalone server.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use dodo_sandbox::{DEFAULT_API_KEY, Fixtures, SandboxOptions, WebhookEndpoint};

/// A stateful, offline stand-in for the Dodo Payments API.
#[derive(Parser, Debug)]
#[command(name = "dodo-sandbox", version)]
struct Args {
    /// Port to listen on (0 picks a free one; the chosen address is printed).
    #[arg(long, env = "DODO_SANDBOX_PORT", default_value_t = 4010)]
    port: u16,
    /// Address to bind.
    #[arg(long, env = "DODO_SANDBOX_HOST", default_value = "127.0.0.1")]
    host: IpAddr,
    /// Fixtures file (TOML, or JSON if it ends in .json); default: the demo business.
    #[arg(long, env = "DODO_SANDBOX_FIXTURES")]
    fixtures: Option<PathBuf>,
    /// Accepted bearer key; repeat for several. Default: sandbox_sk_test.
    #[arg(long = "api-key", env = "DODO_SANDBOX_API_KEY")]
    api_keys: Vec<String>,
    /// Webhook endpoint URL; repeat for several (each with its --webhook-secret).
    #[arg(long = "webhook-url")]
    webhook_urls: Vec<String>,
    /// whsec_… secret of each --webhook-url (one secret is used for all URLs).
    #[arg(long = "webhook-secret", env = "DODO_SANDBOX_WEBHOOK_SECRET")]
    webhook_secrets: Vec<String>,
    /// Base of checkout and 3DS links (default http://<host>:<port>).
    #[arg(long, env = "DODO_SANDBOX_PUBLIC_URL")]
    public_url: Option<String>,
    /// How long saved-card charges stay `processing`, in milliseconds.
    #[arg(long, env = "DODO_SANDBOX_SETTLE_DELAY_MS", default_value_t = 300)]
    settle_delay_ms: u64,
    /// Multiplier of Dodo's webhook retry schedule (e.g. 0.001 for tests).
    #[arg(long, default_value_t = 1.0)]
    webhook_retry_scale: f64,
    /// Namespace inside generated ids (1–6 alphanumerics).
    #[arg(long, default_value = "sbx")]
    id_namespace: String,
    /// Serve the /_sandbox control API to non-loopback peers too (default: loopback only).
    #[arg(long)]
    allow_remote_control: bool,
}

fn webhooks(args: &Args) -> Result<Vec<WebhookEndpoint>, String> {
    let secrets = &args.webhook_secrets;
    if args.webhook_urls.is_empty() {
        return Ok(Vec::new());
    }
    if secrets.is_empty() {
        return Err("--webhook-url needs --webhook-secret whsec_…".to_owned());
    }
    if secrets.len() != 1 && secrets.len() != args.webhook_urls.len() {
        return Err("give one --webhook-secret, or one per --webhook-url".to_owned());
    }
    Ok(args
        .webhook_urls
        .iter()
        .enumerate()
        .map(|(i, url)| WebhookEndpoint {
            url: url.clone(),
            secret: secrets.get(i).unwrap_or(&secrets[0]).clone(),
        })
        .collect())
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let args = Args::parse();
    let fixtures = match &args.fixtures {
        Some(path) => match Fixtures::from_file(path) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("dodo-sandbox: {e}");
                return ExitCode::from(2);
            }
        },
        None => Fixtures::demo(),
    };
    let webhooks = match webhooks(&args) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("dodo-sandbox: {e}");
            return ExitCode::from(2);
        }
    };
    let api_keys = if args.api_keys.is_empty() {
        vec![DEFAULT_API_KEY.to_owned()]
    } else {
        args.api_keys.clone()
    };
    let opts = SandboxOptions {
        api_keys,
        fixtures,
        webhooks,
        public_url: args.public_url.clone(),
        settle_delay: Duration::from_millis(args.settle_delay_ms),
        webhook_retry_scale: args.webhook_retry_scale,
        id_namespace: args.id_namespace.clone(),
        allow_remote_control: args.allow_remote_control,
    };
    let handle = match dodo_sandbox::start(SocketAddr::new(args.host, args.port), opts).await {
        Ok(h) => h,
        Err(e) => {
            eprintln!("dodo-sandbox: {e}");
            return ExitCode::from(1);
        }
    };
    // Scripts read this line to learn the port when --port 0 is used.
    println!("dodo-sandbox listening on {}", handle.base_url());
    wait_for_signal().await;
    handle.shutdown().await;
    ExitCode::SUCCESS
}

async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}
