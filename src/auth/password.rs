//! Password hashing with argon2id and the OWASP parameters (m = 19456 KiB,
//! t = 2, p = 1). Hashing and verifying are CPU- and memory-heavy, so they run
//! on tokio's blocking pool, never on the async workers. An unknown email is
//! verified against a dummy hash so that it costs the same work as a wrong
//! password: timing does not reveal who has an account.
//!
//! At most [`concurrency`] argon2 jobs run at once (one per core, at most
//! four), so their memory (19 MiB each) stays bounded; at most
//! [`MAX_WAITING`] more wait their turn, and past that a sign-in is
//! answered RATE_LIMITED at once. `main` sets a fixed mmap threshold, so a
//! job's memory goes back to the system when it ends.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use tokio::sync::Semaphore;

use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, PasswordVerifier, Version};

use crate::error::{AppError, AppResult};

/// Shortest and longest accepted passwords (NIST SP 800-63B).
pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("OWASP argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Checks a new password against the rules: length only (no composition
/// rules), and not the account's own email or name.
pub fn check_policy(password: &str, email: &str, name: &str) -> AppResult<()> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        return Err(AppError::bad_input(format!(
            "the password must have at least {MIN_LENGTH} characters"
        )));
    }
    if length > MAX_LENGTH {
        return Err(AppError::bad_input(format!(
            "the password must have at most {MAX_LENGTH} characters"
        )));
    }
    let lowered = password.to_lowercase();
    if lowered == email.to_lowercase() || lowered == name.to_lowercase() {
        return Err(AppError::bad_input(
            "the password must not be your email or your name",
        ));
    }
    Ok(())
}

/// Most sign-ins (and password changes) waiting for an argon2 slot.
pub const MAX_WAITING: usize = 32;

/// How many argon2 jobs run at once: one per core, at most four.
pub fn concurrency() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 4)
}

struct Gate {
    slots: Semaphore,
    waiting: AtomicUsize,
}

fn gate() -> &'static Gate {
    static GATE: OnceLock<Gate> = OnceLock::new();
    GATE.get_or_init(|| Gate {
        slots: Semaphore::new(concurrency()),
        waiting: AtomicUsize::new(0),
    })
}

/// Leaves the queue when dropped (also when the request is cancelled).
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Runs one argon2 job on the blocking pool once a slot is free, or
/// answers RATE_LIMITED when too many are already waiting.
async fn gated<T: Send + 'static>(job: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
    let gate = gate();
    let waiting = Waiting(&gate.waiting);
    if gate.waiting.fetch_add(1, Ordering::AcqRel) >= MAX_WAITING + concurrency() {
        return Err(AppError::RateLimited(
            "the server is busy signing people in: try again in a moment".into(),
        ));
    }
    let slot = gate
        .slots
        .acquire()
        .await
        .map_err(|_| AppError::internal("the argon2 gate is closed"))?;
    let result = tokio::task::spawn_blocking(job)
        .await
        .map_err(AppError::internal);
    drop(slot);
    drop(waiting);
    result
}

/// Hashes a password (PHC string) on the blocking pool.
pub async fn hash(password: String) -> AppResult<String> {
    gated(move || {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(AppError::internal)
    })
    .await?
}

fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        hasher()
            .hash_password(b"rungs-dummy-password-for-timing", &salt)
            .map(|h| h.to_string())
            .unwrap_or_default()
    })
}

/// Verifies `password` against `stored` (or against a dummy hash when there
/// is no account), on the blocking pool. Returns false for any mismatch.
pub async fn verify(password: String, stored: Option<String>) -> AppResult<bool> {
    gated(move || {
        let real = stored.is_some();
        let phc = stored.unwrap_or_else(|| dummy_hash().to_owned());
        let ok = match PasswordHash::new(&phc) {
            Ok(parsed) => hasher()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok(),
            Err(_) => false,
        };
        real && ok
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_long_and_personal_passwords_are_refused() {
        assert!(check_policy("short", "a@b.c", "Ann").is_err());
        assert!(check_policy(&"x".repeat(129), "a@b.c", "Ann").is_err());
        assert!(check_policy("ann@example.com", "ANN@example.com", "Ann").is_err());
        assert!(check_policy("correct horse battery", "a@b.c", "Ann").is_ok());
    }

    #[tokio::test]
    async fn a_hash_verifies_its_password_only() {
        let stored = hash("correct horse battery".into()).await.unwrap();
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("correct horse battery".into(), Some(stored.clone()))
            .await
            .unwrap());
        assert!(!verify("wrong horse battery".into(), Some(stored))
            .await
            .unwrap());
        assert!(!verify("anything at all".into(), None).await.unwrap());
    }
}
