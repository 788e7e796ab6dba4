//! Ids that go into URL paths.
//!
//! The SDK percent-encodes path parameters but leaves `/` and `.` alone, so an id such as
//! `../payments` from a URL parameter would address another endpoint. Dodo's ids are a
//! prefix plus alphanumerics (`pay_…`, `sub_…`, `cus_…`), so anything else is refused before
//! a request is built.

use crate::error::DodoError;

const MAX_ID_LEN: usize = 128;

/// `id` if it is safe to put into a path, else `InvalidRequest` (nothing is sent).
pub(crate) fn path_id<'a>(what: &str, id: &'a str) -> Result<&'a str, DodoError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(id)
    } else {
        Err(DodoError::InvalidRequest {
            code: "INVALID_ID".to_owned(),
            message: format!("{what} must be 1-{MAX_ID_LEN} letters, digits, '_' or '-'"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dodo_ids_pass() {
        for id in ["pay_gr4RizvMOXFJ6xca3y2tU", "cus_demo_alice", "sub-1"] {
            assert_eq!(path_id("id", id), Ok(id));
        }
    }

    #[test]
    fn path_tricks_are_refused() {
        for id in ["", "../payments", "a/b", "a%2Fb", "a?b=c", "a b", "é", ".."] {
            assert!(
                matches!(path_id("id", id), Err(DodoError::InvalidRequest { ref code, .. }) if code == "INVALID_ID"),
                "{id:?}"
            );
        }
        assert!(path_id("id", &"a".repeat(MAX_ID_LEN + 1)).is_err());
    }
}
