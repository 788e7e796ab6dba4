//! Starts the Dodo sandbox in-process when no API key is configured, with the demo business,
//! and points its webhooks at this server. Nothing here runs against real Dodo.

use super::config::Config;
use super::secret::Secret;
use super::state::DodoEndpoint;
use base64::Engine;
use dodo_sandbox::{Fixtures, SandboxHandle, SandboxOptions, WebhookEndpoint};
use rand::RngCore;

/// A fresh Standard Webhooks secret (`whsec_` + base64 of 24 random bytes).
fn generate_webhook_secret() -> String {
    let mut bytes = [0u8; 24];
    rand::thread_rng().fill_bytes(&mut bytes);
    format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

fn boot_namespace() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::thread_rng();
    (0..5)
        .map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char)
        .collect()
}

pub async fn start(
    config: &Config,
    site_addr: std::net::SocketAddr,
) -> Result<(SandboxHandle, DodoEndpoint), String> {
    // Webhooks travel on loopback inside this machine, whatever the public URL is.
    let webhook_url = format!("http://{site_addr}/webhooks/dodo");
    let secret = config
        .dodo
        .webhook_key
        .as_ref()
        .map(|s| s.expose().to_string())
        .unwrap_or_else(generate_webhook_secret);
    let options = SandboxOptions {
        webhooks: vec![WebhookEndpoint {
            url: webhook_url,
            secret: secret.clone(),
        }],
        fixtures: Fixtures::demo(),
        // The sandbox forgets everything on restart while the store remembers; a fresh id
        // namespace per boot keeps a new run's payment ids from colliding with stored ones.
        id_namespace: boot_namespace(),
        ..SandboxOptions::default()
    };
    let handle = dodo_sandbox::start(config.dodo.sandbox_addr, options)
        .await
        .map_err(|e| {
            format!(
                "cannot start the Dodo sandbox on {}: {e}",
                config.dodo.sandbox_addr
            )
        })?;
    let endpoint = DodoEndpoint {
        base_url: handle.base_url(),
        api_key: Secret::new(dodo_sandbox::DEFAULT_API_KEY),
        webhook_key: Some(Secret::new(secret)),
    };
    Ok((handle, endpoint))
}
