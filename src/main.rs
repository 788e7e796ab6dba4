//! The server binary. All of it lives in `dodo_upsell::server`; see `server::main`.

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    dodo_upsell::server::main().await
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The binary is only meaningful with the `ssr` feature; the browser build uses lib.rs.
}
