//! The `/_sandbox` control API answers loopback peers only, unless the sandbox was started
//! with `allow_remote_control`; the refusal is Dodo-shaped.

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::Request;
use dodo_sandbox::{SandboxOptions, SandboxState};
use serde_json::Value;
use tower::ServiceExt;

async fn clock_from(peer: Option<&str>, allow_remote_control: bool) -> (u16, Value) {
    let state = SandboxState::new(SandboxOptions {
        allow_remote_control,
        ..SandboxOptions::default()
    })
    .expect("state");
    let mut req = Request::get("/_sandbox/clock")
        .body(Body::empty())
        .expect("request");
    if let Some(peer) = peer {
        let addr: SocketAddr = peer.parse().expect("peer");
        req.extensions_mut().insert(ConnectInfo(addr));
    }
    let resp = dodo_sandbox::router(state)
        .oneshot(req)
        .await
        .expect("response");
    let status = resp.status().as_u16();
    let bytes = axum::body::to_bytes(resp.into_body(), 1 << 20)
        .await
        .expect("body");
    (
        status,
        serde_json::from_slice(&bytes).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn loopback_peers_are_served() {
    for peer in [
        "127.0.0.1:5000",
        "127.8.9.10:1",
        "[::1]:5000",
        "[::ffff:127.0.0.1]:5000",
    ] {
        let (status, body) = clock_from(Some(peer), false).await;
        assert_eq!(status, 200, "{peer}: {body}");
        assert!(body["now"].is_string());
    }
}

#[tokio::test]
async fn other_peers_get_a_dodo_shaped_403() {
    for peer in [
        Some("10.0.0.5:4000"),
        Some("192.168.1.20:80"),
        Some("[2001:db8::1]:80"),
        None,
    ] {
        let (status, body) = clock_from(peer, false).await;
        assert_eq!(
            (status, body["code"].as_str()),
            (403, Some("FORBIDDEN")),
            "{peer:?}"
        );
        assert!(
            body["message"]
                .as_str()
                .is_some_and(|m| m.contains("--allow-remote-control"))
        );
    }
}

#[tokio::test]
async fn the_option_opens_it_and_the_dodo_api_is_unaffected() {
    let (status, _) = clock_from(Some("10.0.0.5:4000"), true).await;
    assert_eq!(status, 200);
    let state = SandboxState::new(SandboxOptions::default()).expect("state");
    let mut req = Request::get("/products/pdt_demo_course")
        .header("authorization", "Bearer sandbox_sk_test")
        .body(Body::empty())
        .expect("request");
    req.extensions_mut().insert(ConnectInfo::<SocketAddr>(
        "10.0.0.5:4000".parse().expect("peer"),
    ));
    let resp = dodo_sandbox::router(state)
        .oneshot(req)
        .await
        .expect("response");
    assert_eq!(
        resp.status().as_u16(),
        200,
        "the Dodo API is for any peer with a key"
    );
}

#[tokio::test]
async fn a_started_sandbox_sees_its_loopback_callers() {
    let sandbox = dodo_sandbox::start(
        "127.0.0.1:0".parse().expect("addr"),
        SandboxOptions::default(),
    )
    .await
    .expect("start");
    let resp = reqwest::get(format!("{}/_sandbox/clock", sandbox.base_url()))
        .await
        .expect("get");
    assert_eq!(resp.status().as_u16(), 200);
    sandbox.shutdown().await;
}
