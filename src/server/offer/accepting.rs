//! Offers whose Pay is being checked on this instance right now: between the click and the
//! recorded attempt the server reads the customer's methods and the price from Dodo. A page
//! shown meanwhile (a reload, a second tab) says "Processing" instead of offering Pay again.
//! Per instance: another instance shows the attempt once it is recorded, a moment later.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, PoisonError};

#[derive(Clone, Default)]
pub struct Accepting(Arc<Mutex<HashSet<String>>>);

impl Accepting {
    /// Marks `offer_id` until the returned guard is dropped.
    pub fn start(&self, offer_id: &str) -> AcceptingGuard {
        self.lock().insert(offer_id.to_owned());
        AcceptingGuard {
            set: self.clone(),
            offer_id: offer_id.to_owned(),
        }
    }

    pub fn contains(&self, offer_id: &str) -> bool {
        self.lock().contains(offer_id)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashSet<String>> {
        // The set holds plain ids: a panic elsewhere cannot leave it inconsistent.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub struct AcceptingGuard {
    set: Accepting,
    offer_id: String,
}

impl Drop for AcceptingGuard {
    fn drop(&mut self) {
        self.set.lock().remove(&self.offer_id);
    }
}

#[cfg(test)]
mod tests {
    use super::Accepting;

    #[test]
    fn an_offer_is_marked_while_its_guard_lives() {
        let accepting = Accepting::default();
        {
            let _guard = accepting.start("off_1");
            assert!(accepting.contains("off_1"));
            assert!(!accepting.contains("off_2"));
        }
        assert!(!accepting.contains("off_1"));
    }
}
