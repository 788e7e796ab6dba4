//! Parsers for single configuration values. Each says, in words, what a bad value should have
//! been; the caller adds the key it came from.

use super::{DodoEnvironment, SandboxSetting};
use std::net::SocketAddr;

pub(super) fn parse_environment(v: &str) -> Result<DodoEnvironment, String> {
    match v.trim() {
        "test_mode" => Ok(DodoEnvironment::TestMode),
        "live_mode" => Ok(DodoEnvironment::LiveMode),
        other => Err(format!("`{other}` is not test_mode or live_mode")),
    }
}

pub(super) fn parse_sandbox(v: &str) -> Result<SandboxSetting, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "auto" => Ok(SandboxSetting::Auto),
        "on" | "true" | "1" => Ok(SandboxSetting::On),
        "off" | "false" | "0" => Ok(SandboxSetting::Off),
        other => Err(format!("`{other}` is not auto, on or off")),
    }
}

pub(super) fn parse_addr(v: &str) -> Result<SocketAddr, String> {
    v.trim()
        .parse()
        .map_err(|_| format!("`{v}` is not an address such as 127.0.0.1:4010"))
}

pub(super) fn parse_http_url(v: &str) -> Result<String, String> {
    let v = v.trim().trim_end_matches('/');
    let uri: axum::http::Uri = v.parse().map_err(|_| format!("`{v}` is not a URL"))?;
    match uri.scheme_str() {
        Some("http") | Some("https") if uri.authority().is_some() => Ok(v.to_string()),
        _ => Err(format!("`{v}` must be an http:// or https:// URL")),
    }
}

pub(super) fn parse_database_url(v: &str) -> Result<String, String> {
    let v = v.trim();
    if v.starts_with("sqlite:") || v.starts_with("postgres://") || v.starts_with("postgresql://") {
        Ok(v.to_string())
    } else {
        Err("must start with sqlite: or postgres://".to_string())
    }
}

/// Origins are `scheme://host[:port]` with nothing after: that is what `frame-ancestors` and
/// `postMessage` compare against.
pub(super) fn parse_origins(
    items: impl IntoIterator<Item = String>,
) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for item in items {
        let item = item.trim().trim_end_matches('/');
        if item.is_empty() {
            continue;
        }
        let uri: axum::http::Uri = item
            .parse()
            .map_err(|_| format!("`{item}` is not an origin"))?;
        let is_origin = matches!(uri.scheme_str(), Some("http") | Some("https"))
            && uri.authority().is_some()
            && uri
                .path_and_query()
                .is_none_or(|p| p.as_str().is_empty() || p.as_str() == "/");
        if !is_origin {
            return Err(format!(
                "`{item}` is not an origin like https://shop.example.com"
            ));
        }
        out.push(item.to_string());
    }
    Ok(out)
}

/// `TRUSTED_PROXIES`: networks (`10.0.0.0/8`, `192.168.1.4`, `fd00::/8`), comma-separated.
pub(super) fn parse_networks(
    items: impl IntoIterator<Item = String>,
) -> Result<Vec<ipnet::IpNet>, String> {
    let mut out = Vec::new();
    for item in items {
        let item = item.trim();
        if item.is_empty() {
            continue;
        }
        let net = match item.parse::<ipnet::IpNet>() {
            Ok(net) => net,
            Err(_) => match item.parse::<std::net::IpAddr>() {
                Ok(ip) => ipnet::IpNet::from(ip),
                Err(_) => {
                    return Err(format!(
                        "`{item}` is not a network such as 10.0.0.0/8 or an address"
                    ));
                }
            },
        };
        out.push(net);
    }
    Ok(out)
}

/// How many bytes of key material a Standard Webhooks secret (`whsec_…` base64, or bare
/// base64) carries; `None` when it is not one.
pub(super) fn webhook_key_bytes(secret: &str) -> Option<usize> {
    use base64::Engine;
    let encoded = secret.strip_prefix("whsec_").unwrap_or(secret);
    base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()
        .map(|bytes| bytes.len())
}
