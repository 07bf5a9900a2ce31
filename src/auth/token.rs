//! Login tokens: 256 random bits, shown to the client once, stored only as a
//! SHA-256 hash with an absolute expiry. Because tokens live in the database,
//! any number of `rungs serve` processes can share one PostgreSQL.

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How long a token lives, from login (absolute, not sliding).
pub const TOKEN_LIFETIME_HOURS: i64 = 8;

/// A fresh random token as sent to the client.
pub fn generate() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What the database stores for a token.
pub fn digest(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_distinct_and_stored_hashed() {
        let a = generate();
        let b = generate();
        assert_ne!(a, b);
        assert!(a.len() >= 43);
        assert_eq!(digest(&a).len(), 64);
        assert_ne!(digest(&a), a);
    }
}
