//! The addresses of our pages, built in one place. Every value that goes into one is a token,
//! an id or a number the server validated (tokens and ids are URL-safe), so nothing needs
//! escaping here; builders take what they need and nothing more.

/// `/offer/{id}`: the post-purchase (or cross-sell) offer page.
pub fn offer(offer_id: &str) -> String {
    format!("/offer/{offer_id}")
}

/// Where a 3-D Secure confirmation or the fallback checkout returns to.
pub fn offer_result(offer_id: &str) -> String {
    format!("/offer/{offer_id}/result")
}

/// `/offer/unavailable?reason=…`: why there is no offer to show.
pub fn offer_unavailable(reason: &str) -> String {
    format!("/offer/unavailable?reason={reason}")
}

/// `/plan-change?token=…`: the subscriber's plans.
pub fn plan_change(token: &str) -> String {
    format!("/plan-change?token={token}")
}

/// `/cross-sell?token=…`: products related to what the customer owns.
pub fn cross_sell(token: &str) -> String {
    format!("/cross-sell?token={token}")
}

/// `/plan-change/review?token=…&plan=…&quantity=…`: the no-JavaScript preview and confirm form.
pub fn plan_change_review(token: &str, plan: &str, quantity: i64) -> String {
    format!("/plan-change/review?token={token}&plan={plan}&quantity={quantity}")
}

/// `/plan-change/status?token=…&attempt=…`: the outcome of a confirmed change.
pub fn plan_change_status(token: &str, attempt_id: &str) -> String {
    format!("/plan-change/status?token={token}&attempt={attempt_id}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn builds_addresses() {
        assert_eq!(super::offer("off_1"), "/offer/off_1");
        assert_eq!(super::offer_result("off_1"), "/offer/off_1/result");
        assert_eq!(super::cross_sell("t"), "/cross-sell?token=t");
        assert_eq!(
            super::plan_change_review("t", "pdt_x", 2),
            "/plan-change/review?token=t&plan=pdt_x&quantity=2"
        );
        assert_eq!(
            super::plan_change_status("t", "pca_1"),
            "/plan-change/status?token=t&attempt=pca_1"
        );
    }
}
