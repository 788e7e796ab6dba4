//! Password hashes: argon2id (the `argon2` crate's defaults, OWASP's minimum: 19 MiB, 2 passes),
//! stored as PHC strings with a random salt, so the parameters travel with each hash and can be
//! raised later without breaking old ones.

use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core,
};
use std::sync::LazyLock;

/// Shorter passwords are refused: length is what makes a password hard to guess.
pub const MIN_LENGTH: usize = 12;
/// Longer ones are refused too, so nobody makes the server hash megabytes.
pub const MAX_LENGTH: usize = 1024;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PasswordError {
    #[error("the password must be at least {MIN_LENGTH} characters long")]
    TooShort,
    #[error("the password must be at most {MAX_LENGTH} characters long")]
    TooLong,
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// Checks the length rules (in characters, not bytes).
pub fn check_strength(password: &str) -> Result<(), PasswordError> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        Err(PasswordError::TooShort)
    } else if length > MAX_LENGTH {
        Err(PasswordError::TooLong)
    } else {
        Ok(())
    }
}

/// The PHC string of `password` (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`).
pub fn hash(password: &str) -> Result<String, PasswordError> {
    check_strength(password)?;
    let salt = SaltString::generate(&mut rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `password` matches `phc`. A stored hash that does not parse matches nothing.
pub fn verify(password: &str, phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        tracing::error!("a stored merchant password hash does not parse");
        return false;
    };
    Argon2::default()
        .verify_password(password.as_bytes(), &parsed)
        .is_ok()
}

/// A hash of a random password, made once. Signing in with an unknown email verifies against
/// it, so the answer takes as long as for a known email with a wrong password and the timing
/// does not tell which emails have accounts.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let random = crate::server::store::new_id("dummy");
    hash(&random).unwrap_or_default()
});

/// Does the work of [`verify`] for an unknown account; matches no account (`None`).
pub fn verify_dummy<T>(password: &str) -> Option<T> {
    let _ = verify(password, &DUMMY_HASH);
    None
}

/// Computes the dummy hash now (at startup) instead of on the first unknown email, whose
/// answer would otherwise be slower than the others.
pub fn prepare() {
    LazyLock::force(&DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_salted_and_verify() {
        let a = hash("correct horse battery").expect("hash");
        let b = hash("correct horse battery").expect("hash");
        assert!(a.starts_with("$argon2id$v=19$"), "{a}");
        assert_ne!(a, b, "each hash has its own salt");
        assert!(verify("correct horse battery", &a));
        assert!(!verify("correct horse batterz", &a));
        assert!(!verify("correct horse battery", "not a hash"));
    }

    #[test]
    fn length_rules_count_characters() {
        assert_eq!(hash("elevenchars"), Err(PasswordError::TooShort));
        assert_eq!(check_strength("ééééééééééé"), Err(PasswordError::TooShort));
        assert_eq!(check_strength("éééééééééééé"), Ok(()));
        assert_eq!(
            check_strength(&"x".repeat(MAX_LENGTH + 1)),
            Err(PasswordError::TooLong)
        );
        assert_eq!(
            PasswordError::TooShort.to_string(),
            "the password must be at least 12 characters long"
        );
    }

    #[test]
    fn the_dummy_matches_nothing() {
        prepare();
        assert_eq!(verify_dummy::<()>("anything at all"), None);
    }
}
