//! The webhook verifier the app uses (`standardwebhooks::Webhook::verify`, as in
//! `src/server/webhooks.rs`) on Standard Webhooks' published known-answer vector and on the
//! edge cases a Dodo delivery (or a forgery) can present.

use axum::http::{HeaderMap, HeaderValue};
use standardwebhooks::{Webhook, WebhookError};
use time::OffsetDateTime;

// The example of the Standard Webhooks specification (standard-webhooks/standard-webhooks,
// spec/standard-webhooks.md): this secret, id, timestamp and body sign to this value.
const SPEC_SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SPEC_ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const SPEC_TS: i64 = 1_614_265_330;
const SPEC_BODY: &[u8] = br#"{"test": 2432232314}"#;
const SPEC_SIGNATURE: &str = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

fn headers(id: Option<&str>, ts: Option<String>, signature: Option<&str>) -> HeaderMap {
    let mut h = HeaderMap::new();
    if let Some(id) = id {
        h.insert("webhook-id", HeaderValue::from_str(id).expect("id"));
    }
    if let Some(ts) = ts {
        h.insert("webhook-timestamp", HeaderValue::from_str(&ts).expect("ts"));
    }
    if let Some(sig) = signature {
        h.insert(
            "webhook-signature",
            HeaderValue::from_str(sig).expect("sig"),
        );
    }
    h
}

fn now() -> i64 {
    OffsetDateTime::now_utc().unix_timestamp()
}

/// A correctly signed message at `ts`: (headers, body).
fn signed(ts: i64) -> (Webhook, String, HeaderMap) {
    let wh = Webhook::new(SPEC_SECRET).expect("secret");
    let sig = wh.sign(SPEC_ID, ts, SPEC_BODY).expect("sign");
    let h = headers(Some(SPEC_ID), Some(ts.to_string()), Some(&sig));
    (wh, sig, h)
}

#[test]
fn the_spec_vector() {
    let wh = Webhook::new(SPEC_SECRET).expect("secret");
    assert_eq!(
        wh.sign(SPEC_ID, SPEC_TS, SPEC_BODY).expect("sign"),
        SPEC_SIGNATURE
    );
    // The vector's timestamp is from 2021: verify() accepts the signature and refuses only
    // the age.
    let err = wh
        .verify(
            SPEC_BODY,
            &headers(
                Some(SPEC_ID),
                Some(SPEC_TS.to_string()),
                Some(SPEC_SIGNATURE),
            ),
        )
        .expect_err("too old");
    assert!(matches!(err, WebhookError::TimestampTooOldError), "{err:?}");
    // The same secret without the whsec_ prefix is the same key.
    let bare = Webhook::new(SPEC_SECRET.trim_start_matches("whsec_")).expect("bare secret");
    assert_eq!(
        bare.sign(SPEC_ID, SPEC_TS, SPEC_BODY).expect("sign"),
        SPEC_SIGNATURE
    );
}

#[test]
fn missing_headers_are_refused() {
    let (wh, sig, _) = signed(now());
    let ts = Some(now().to_string());
    for (h, missing) in [
        (headers(None, ts.clone(), Some(&sig)), "webhook-id"),
        (
            headers(Some(SPEC_ID), None, Some(&sig)),
            "webhook-timestamp",
        ),
        (
            headers(Some(SPEC_ID), ts.clone(), None),
            "webhook-signature",
        ),
    ] {
        assert!(wh.verify(SPEC_BODY, &h).is_err(), "without {missing}");
    }
    let bad_ts = headers(Some(SPEC_ID), Some("soon".into()), Some(&sig));
    assert!(wh.verify(SPEC_BODY, &bad_ts).is_err());
}

#[test]
fn empty_and_foreign_signatures() {
    let (wh, sig, _) = signed(now());
    let ts = now().to_string();
    for bad in ["v1,", "v1", "", "v2,".to_owned().as_str(), "v1a,abc"] {
        let h = headers(Some(SPEC_ID), Some(ts.clone()), Some(bad));
        assert!(wh.verify(SPEC_BODY, &h).is_err(), "{bad:?}");
    }
    // Several signatures (secret rotation, other versions): any valid v1 one is enough.
    let other = sig.replace("v1,", "v2,");
    let several = format!("v1,AAAA {other} v1a,{} {sig}", &sig[3..]);
    assert!(
        wh.verify(
            SPEC_BODY,
            &headers(Some(SPEC_ID), Some(ts.clone()), Some(&several))
        )
        .is_ok()
    );
    // The right value under another version does not count.
    assert!(
        wh.verify(
            SPEC_BODY,
            &headers(Some(SPEC_ID), Some(ts.clone()), Some(&other))
        )
        .is_err()
    );
    // A signature of another body, id or timestamp does not verify.
    assert!(
        wh.verify(
            br#"{"test": 2432232315}"#,
            &headers(Some(SPEC_ID), Some(ts.clone()), Some(&sig))
        )
        .is_err()
    );
    assert!(
        wh.verify(SPEC_BODY, &headers(Some("msg_other"), Some(ts), Some(&sig)))
            .is_err()
    );
}

#[test]
fn five_minutes_of_tolerance_each_way() {
    // Inside: 299 s either way (a clock tick during the test keeps them inside).
    for ts in [now() - 299, now() + 299] {
        let (wh, _, h) = signed(ts);
        assert!(wh.verify(SPEC_BODY, &h).is_ok(), "{ts}");
    }
    // Outside: 301 s old, 302 s ahead.
    let (wh, _, h) = signed(now() - 301);
    assert!(matches!(
        wh.verify(SPEC_BODY, &h),
        Err(WebhookError::TimestampTooOldError)
    ));
    let (wh, _, h) = signed(now() + 302);
    assert!(matches!(
        wh.verify(SPEC_BODY, &h),
        Err(WebhookError::FutureTimestampError)
    ));
}

#[test]
fn bad_secrets_are_refused_when_building_the_verifier() {
    assert!(Webhook::new("whsec_not base64!").is_err());
}
