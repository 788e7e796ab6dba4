//! Sign-in attempts are limited per client address and per account, so nobody guesses a
//! password by trying many (from one machine, or at one account from many). Every attempt
//! counts, unknown emails too: a limit that only known accounts had would tell which exist.
//! Limits are per server instance, like `request_guard::RateLimits`.

use crate::server::request_guard::client_of;
use crate::server::state::AppState;
use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::request::Parts;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::{IpAddr, SocketAddr};
use std::num::NonZeroU32;
use std::time::Duration;

/// Attempts at one account before it has to wait; then one more a minute.
pub const PER_ACCOUNT_BURST: u32 = 5;
/// Attempts from one address (at any accounts) before it has to wait; then one more every 3 s.
pub const PER_IP_BURST: u32 = 20;
/// Past this many remembered keys, keys whose budget is full again are forgotten.
const PRUNE_ABOVE: usize = 10_000;

pub struct LoginLimits {
    per_ip: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<String>,
}

fn quota(every: Duration, burst: u32) -> Quota {
    let burst = NonZeroU32::new(burst).unwrap_or(NonZeroU32::MIN);
    Quota::with_period(every)
        .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
        .allow_burst(burst)
}

impl Default for LoginLimits {
    fn default() -> Self {
        LoginLimits {
            per_ip: RateLimiter::keyed(quota(Duration::from_secs(3), PER_IP_BURST)),
            per_account: RateLimiter::keyed(quota(Duration::from_secs(60), PER_ACCOUNT_BURST)),
        }
    }
}

impl LoginLimits {
    /// Counts one attempt from `ip` at `email`; `Err(wait)` when either budget is spent.
    pub fn check(&self, ip: IpAddr, email: &str) -> Result<(), Duration> {
        self.prune_if_large();
        let now = DefaultClock::default().now();
        self.per_ip
            .check_key(&ip)
            .map_err(|not_until| not_until.wait_time_from(now))?;
        self.per_account
            .check_key(&account_key(email))
            .map_err(|not_until| not_until.wait_time_from(now))
    }

    fn prune_if_large(&self) {
        if self.per_ip.len() > PRUNE_ABOVE {
            self.per_ip.retain_recent();
        }
        if self.per_account.len() > PRUNE_ABOVE {
            self.per_account.retain_recent();
        }
    }
}

/// One key per account however the email is typed (and a bounded key for anything else).
fn account_key(email: &str) -> String {
    super::users::normalise_email(email)
        .unwrap_or_else(|| email.trim().to_lowercase().chars().take(254).collect())
}

/// The client's address, through our trusted proxies (`request_guard::client_of`).
pub struct ClientIp(pub IpAddr);

impl<S> FromRequestParts<S> for ClientIp
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let app = AppState::from_ref(state);
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0);
        Ok(ClientIp(client_of(
            &parts.headers,
            peer,
            &app.config.trusted_proxies,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_waits_after_its_burst_whatever_the_address_or_case() {
        let limits = LoginLimits::default();
        for i in 0..PER_ACCOUNT_BURST {
            let ip = IpAddr::from([192, 0, 2, i as u8]);
            assert_eq!(limits.check(ip, "Ana@Shop.test"), Ok(()), "attempt {i}");
        }
        let wait = limits
            .check(IpAddr::from([198, 51, 100, 1]), " ana@shop.TEST")
            .expect_err("limited");
        assert!(
            wait > Duration::from_secs(50) && wait <= Duration::from_secs(60),
            "{wait:?}"
        );
        assert_eq!(
            limits.check(IpAddr::from([198, 51, 100, 1]), "bob@shop.test"),
            Ok(())
        );
    }

    #[test]
    fn an_address_waits_after_its_burst_whatever_the_account() {
        let limits = LoginLimits::default();
        let ip = IpAddr::from([203, 0, 113, 9]);
        for i in 0..PER_IP_BURST {
            assert_eq!(
                limits.check(ip, &format!("u{i}@shop.test")),
                Ok(()),
                "attempt {i}"
            );
        }
        assert!(limits.check(ip, "new@shop.test").is_err());
        assert_eq!(
            limits.check(IpAddr::from([203, 0, 113, 10]), "new@shop.test"),
            Ok(())
        );
    }
}
